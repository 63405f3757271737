"""Scenario files: one or many scenarios in a small, strictly checked TOML format.

A scenario file (``format = 1``) holds ``[[scenario]]`` tables; each becomes a
:class:`~amnesty_model.Scenario`. Any number may be given as a registered source id instead
(``stock = "mem_2022_stock_terrorism"``), resolved through :func:`amnesty_model.sources.resolve`
and kept in the scenario's sources. ``docs/scenario_files.md`` describes the format key by key.

Units are fixed by the format and never written in the file: people, people per year, years,
and per year for ``death_rate``, ``fraction`` and ``growth``. There are no unit keys; a key such
as ``release_per = "month"`` is an unknown key. A source id whose figure is in another unit (for
example "people per six months" for a release rate) is an error: convert it yourself, once,
and write the number.

Files are read with :mod:`tomllib` as data only (nothing is evaluated, nothing is unpickled)
and validated strictly: an unknown key, a wrong type, a missing value, a bad unit, an unknown
or flagged source id is a :class:`ScenarioFileError` (a ``ValueError``) naming the file, the
scenario and the key. :func:`dump_scenarios` writes the same format back (by hand: the standard
library has no TOML writer); loading what it wrote gives equal scenarios with equal provenance
hashes.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import numbers
import os
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from ._validation import (
    MAX_PLAUSIBLE_DEATH_RATE,
    check_death_rate,
    parse_percent,
    suggest_keywords,
)
from ._version import __version__
from .rules import Decrees, Geometric, Proportional, Schedule
from .scenario import Scenario
from .sources import Source, SourceError, SourceRegistry, default_registry, load_sources

__all__ = [
    "SCENARIO_FORMAT",
    "ScenarioFileError",
    "dump_scenarios",
    "load_scenarios",
    "scenarios_to_toml",
]

#: Version of the file layout this module reads and writes.
SCENARIO_FORMAT = 1

_TOP_KEYS = ("format", "sources", "scenario")
_SCENARIO_KEYS = (
    "name",
    "stock",
    "release",
    "arrest",
    "death_rate",
    "allow_extreme_death_rate",
    "start",
    "sources",
    "unregistered_sources",
)
# Per-person hazards [1/year], which may also be written as a percentage ("3%").
_PERCENT_FIELDS = ("death_rate", "fraction", "growth")
_EXTREME_HOW = "add `allow_extreme_death_rate = true` to this scenario"
_RULE_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # rule -> (required keys, optional keys), besides "rule"
    "decrees": (("size",), ("every", "first")),
    "proportional": (("fraction",), ("clear_below",)),
    "geometric": (("initial", "growth"), ()),
    "schedule": (("starts", "rates"), ()),
}
_PER_YEAR = ("per year", "1/year", "per person per year")
# The unit each value must have when given as a source id.
_UNITS: dict[str, tuple[str, ...]] = {
    "stock": ("people",),
    "release": ("people per year",),
    "arrest": ("people per year",),
    "death_rate": _PER_YEAR,
    "size": ("people", "people per decree"),
    "every": ("years",),
    "first": ("years",),
    "fraction": _PER_YEAR,
    "clear_below": ("people",),
    "initial": ("people per year",),
    "growth": _PER_YEAR,
    "starts": ("years",),
    "rates": ("people per year",),
}
_BOUNDS = ("low", "high", "mid")


class ScenarioFileError(ValueError):
    """A scenario file breaks the format; the message names the file, scenario and key.

    Attributes
    ----------
    origin : str
        The file (or ``"<text>"``).
    scenario : str or None
        The scenario's name, or ``#n`` (1-based position) if it has none.
    key : str or None
        The offending key (dotted for nested keys, e.g. ``"release.size"``).
    """

    def __init__(
        self, message: str, *, origin: str, scenario: str | None = None, key: str | None = None
    ) -> None:
        super().__init__(message)
        self.origin = origin
        self.scenario = scenario
        self.key = key


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _grouped(plain: str) -> str:
    """``"132000"`` as TOML with digit groups, ``132_000`` (other text unchanged)."""
    if not plain.isdigit():
        return plain
    return f"{int(plain):_}"


def _kind(value: object) -> str:
    names = {
        bool: "boolean",
        str: "string",
        list: "array",
        dict: "table",
        _dt.date: "date",
        _dt.datetime: "date-time",
        _dt.time: "time",
    }
    return names.get(type(value), type(value).__name__)


class _Context:
    """Where we are in a file, for error messages."""

    def __init__(self, origin: str, registry: SourceRegistry) -> None:
        self.origin = origin
        self.registry = registry
        self.label: str | None = None
        self.used: list[str] = []

    def fail(self, key: str | None, problem: str) -> NoReturn:
        where = self.origin
        if self.label is not None:
            where += f": scenario {self.label}"
        if key is not None:
            where += f", key {key!r}" if self.label is not None else f": key {key!r}"
        raise ScenarioFileError(
            f"{where}: {problem}", origin=self.origin, scenario=self.label, key=key
        )

    # -- values ---------------------------------------------------------------------------------
    def source_value(self, text: str, key: str, field: str) -> float:
        source_id, _, bound = text.partition(":")
        if bound and bound not in _BOUNDS:
            self.fail(key, f"a source id may end in :low, :high or :mid, got {text!r}")
        try:
            source: Source = self.registry[source_id]
        except KeyError as exc:
            self.fail(key, f"{exc.args[0]} (a value is a number or a registered source id)")
        allowed = _UNITS[field]
        if source.unit not in allowed:
            self.fail(
                key,
                f"source {source_id!r} is in {source.unit!r}, but {field} takes "
                f"{' or '.join(repr(u) for u in allowed)}; units are fixed in scenario files, "
                "so convert the figure and write the number",
            )
        if source.flagged:
            self.fail(
                key,
                f"source {source_id!r} is {source.status}, so it must not be presented as a "
                "fact; write the number itself if you mean to use it",
            )
        if source.is_range and not bound:
            self.fail(
                key,
                f"source {source_id!r} is a range ({source.figure_text()}); write "
                f"'{source_id}:low', ':high' or ':mid'",
            )
        if source.value is not None:
            number = source.value
        else:
            low, high = float(source.low or 0.0), float(source.high or 0.0)
            number = {"low": low, "high": high, "mid": (low + high) / 2}[bound]
        if source_id not in self.used:
            self.used.append(source_id)
        return number

    def number(self, value: object, key: str, field: str, *, minimum: float = 0.0) -> float:
        if isinstance(value, str):
            percent = self.percent(value, key, field)
            if percent is not None:
                if percent < minimum:
                    self.fail(key, f"must be >= {minimum:g}, got {_short(value)}")
                return percent
            self.number_as_text(value, key)
            return self.source_value(value, key, field)
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            self.fail(
                key,
                f"must be a number or a source id (string), got {_short(value)} ({_kind(value)})",
            )
        number = float(value)
        if not math.isfinite(number):
            self.fail(key, f"must be a finite number, got {_short(value)}")
        if number < minimum:
            self.fail(key, f"must be >= {minimum:g}, got {_short(value)}")
        return number

    def percent(self, text: str, key: str, field: str) -> float | None:
        """A percentage such as "3%" for a per-person hazard, as a fraction; else ``None``."""
        try:
            value = parse_percent(text, field)
        except ValueError as exc:
            self.fail(key, str(exc))
        if value is not None and field not in _PERCENT_FIELDS:
            self.fail(
                key,
                f"a percentage ({text!r}) is only accepted for the per-person rates "
                f"{', '.join(_PERCENT_FIELDS)}; write {field} as a number",
            )
        return value

    def number_as_text(self, text: str, key: str) -> None:
        """Refuse a number written as a string ("132,000") before it is taken for a source id."""
        digits = text.strip().replace(",", "").replace("_", "").replace(" ", "")
        try:
            float(digits)
        except ValueError:
            return
        if any(c.isdigit() for c in digits):
            plain = digits if "," in text or " " in text.strip() else text.strip()
            self.fail(
                key,
                f"{text!r} is a number written as a string (in quotes), and strings are read "
                f"as source ids; write {plain} or, with digit groups, {_grouped(plain)} "
                "without quotes",
            )

    def numbers(self, value: object, key: str, field: str, *, minimum: float) -> list[float]:
        if not isinstance(value, list):
            self.fail(key, f"must be an array of numbers, got {_short(value)} ({_kind(value)})")
        return [self.number(v, f"{key}[{i}]", field, minimum=minimum) for i, v in enumerate(value)]

    def table(self, value: object, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, f"must be a table, got {_short(value)} ({_kind(value)})")
        return value

    def keys(
        self,
        table: Mapping[str, Any],
        allowed: Sequence[str],
        required: Sequence[str],
        prefix: str,
    ) -> None:
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            extra = ""
            if unknown[0].endswith(("_per", "_unit", "unit", "_per_year")):
                extra = " (units are fixed: people, people per year, years, per year)"
            close = difflib.get_close_matches(unknown[0], allowed, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}? Allowed" if close else "; allowed"
            self.fail(prefix + unknown[0], f"unknown key{extra}{hint} keys: {', '.join(allowed)}")
        for key in required:
            if key not in table:
                self.fail(prefix + key, "missing required key")

    def construct(self, key: str, build: Callable[[], Any]) -> Any:
        try:
            return build()
        except (TypeError, ValueError) as exc:
            self.fail(key, str(exc))


def _release(
    ctx: _Context, value: object
) -> float | Decrees | Proportional | Geometric | Schedule:
    if not isinstance(value, dict):
        return ctx.number(value, "release", "release")
    table = ctx.table(value, "release")
    rule = table.get("rule")
    if rule is None:
        ctx.fail("release.rule", f"missing required key (one of {', '.join(_RULE_KEYS)})")
    if rule not in _RULE_KEYS:
        ctx.fail("release.rule", f"must be one of {', '.join(_RULE_KEYS)}, got {_short(rule)}")
    required, optional = _RULE_KEYS[rule]
    ctx.keys(table, ("rule", *required, *optional), required, "release.")

    def num(name: str, minimum: float = 0.0) -> float:
        return ctx.number(table[name], f"release.{name}", name, minimum=minimum)

    if rule == "decrees":
        size = num("size")
        every = num("every") if "every" in table else 1.0
        first = num("first") if "first" in table else None
        return ctx.construct("release", lambda: Decrees(size, every, first))  # type: ignore[no-any-return]
    if rule == "proportional":
        fraction = num("fraction")
        below = num("clear_below") if "clear_below" in table else 1.0
        return ctx.construct("release", lambda: Proportional(fraction, below))  # type: ignore[no-any-return]
    if rule == "geometric":
        initial, growth = num("initial"), num("growth", -math.inf)
        return ctx.construct("release", lambda: Geometric(initial, growth))  # type: ignore[no-any-return]
    return _schedule(ctx, table, "release")


def _schedule(ctx: _Context, table: dict[str, Any], key: str) -> Schedule:
    starts = ctx.numbers(table["starts"], f"{key}.starts", "starts", minimum=0.0)
    rates = ctx.numbers(table["rates"], f"{key}.rates", "rates", minimum=0.0)
    return ctx.construct(key, lambda: Schedule(starts, rates))  # type: ignore[no-any-return]


def _arrest(ctx: _Context, value: object) -> float | Schedule:
    if not isinstance(value, dict):
        return ctx.number(value, "arrest", "arrest")
    rule = value.get("rule")
    if rule != "schedule":
        ctx.fail("arrest.rule", f'an arrest table must have rule = "schedule", got {_short(rule)}')
    ctx.keys(value, ("rule", "starts", "rates"), ("starts", "rates"), "arrest.")
    return _schedule(ctx, value, "arrest")


def _scenario(ctx: _Context, raw: dict[str, Any]) -> Scenario:
    ctx.keys(raw, _SCENARIO_KEYS, ("stock", "release"), "")
    name = raw.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        ctx.fail("name", f"must be a non-empty string, got {_short(name)} ({_kind(name)})")
    ctx.used = []
    stock = ctx.number(raw["stock"], "stock", "stock")
    release = _release(ctx, raw["release"])
    arrest = _arrest(ctx, raw["arrest"]) if "arrest" in raw else 0.0
    death = (
        ctx.number(raw["death_rate"], "death_rate", "death_rate") if "death_rate" in raw else 0.0
    )
    extreme = raw.get("allow_extreme_death_rate", False)
    if not isinstance(extreme, bool):
        ctx.fail(
            "allow_extreme_death_rate",
            f"must be true or false, got {_short(extreme)} ({_kind(extreme)})",
        )
    ctx.construct(
        "death_rate", lambda: check_death_rate(death, allow_extreme=extreme, how=_EXTREME_HOW)
    )
    start = raw.get("start")
    if start is not None and (isinstance(start, _dt.datetime) or not isinstance(start, _dt.date)):
        ctx.fail(
            "start", f"must be a TOML date such as 2022-05-26 (no quotes), got {_short(start)} "
            f"({_kind(start)})"
        )  # fmt: skip
    declared = raw.get("sources", [])
    if not isinstance(declared, list) or not all(isinstance(s, str) for s in declared):
        ctx.fail("sources", f"must be an array of source ids (strings), got {_short(declared)}")
    unregistered = raw.get("unregistered_sources", [])
    if not isinstance(unregistered, list) or not all(
        isinstance(s, str) and s in declared for s in unregistered
    ):
        ctx.fail(
            "unregistered_sources",
            f"must be an array of ids listed in sources, got {_short(unregistered)}",
        )
    for i, source_id in enumerate(declared):
        if source_id in unregistered:
            continue  # kept as given, not looked up
        try:
            ctx.registry[source_id]
        except KeyError as exc:
            ctx.fail(f"sources[{i}]", str(exc.args[0]))
    sources = tuple(dict.fromkeys([*declared, *ctx.used]))
    return ctx.construct(  # type: ignore[no-any-return]
        "stock",
        lambda: Scenario(
            stock=stock,
            release_rate=release,
            arrest_rate=arrest,
            death_rate=death,
            start=start,
            name=name,
            sources=sources,
            allow_extreme_death_rate=extreme,
        ),
    )


def _registry(ctx: _Context, data: Mapping[str, Any], base: Path) -> SourceRegistry:
    if "sources" not in data:
        return ctx.registry
    table = ctx.table(data["sources"], "sources")
    ctx.keys(table, ("files",), ("files",), "sources.")
    files = table["files"]
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        ctx.fail("sources.files", f"must be an array of file names (strings), got {_short(files)}")
    registry = ctx.registry
    for name in files:
        path = base / name
        try:
            registry = registry.merge(load_sources(path))
        except FileNotFoundError:
            ctx.fail("sources.files", f"no such sources file: {os.fspath(path)!r}")
        except SourceError as exc:
            ctx.fail("sources.files", str(exc))
    return registry


def _parse(text: str, origin: str, base: Path) -> list[Scenario]:
    ctx = _Context(origin, default_registry())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        ctx.fail(None, f"not valid TOML ({exc})")
    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        close = difflib.get_close_matches(unknown[0], _TOP_KEYS, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}? Allowed" if close else "; allowed"
        ctx.fail(
            unknown[0],
            f"unknown top-level key{hint}: {', '.join(_TOP_KEYS)} "
            "(scenarios go in [[scenario]] tables)",
        )
    fmt = data.get("format")
    if fmt is None:
        ctx.fail("format", f"missing (add `format = {SCENARIO_FORMAT}` at the top)")
    if isinstance(fmt, bool) or fmt != SCENARIO_FORMAT:
        ctx.fail("format", f"must be {SCENARIO_FORMAT} (the only format this version reads), "
                 f"got {_short(fmt)}")  # fmt: skip
    ctx.registry = _registry(ctx, data, base)
    entries = data.get("scenario")
    if not isinstance(entries, list) or not entries:
        ctx.fail("scenario", "give at least one scenario as a [[scenario]] table")
    out: list[Scenario] = []
    names: dict[str, int] = {}
    for position, raw in enumerate(entries, start=1):
        name = raw.get("name") if isinstance(raw, dict) else None
        ctx.label = repr(name) if isinstance(name, str) and name.strip() else f"#{position}"
        scenario = _scenario(ctx, ctx.table(raw, "scenario"))
        if scenario.name is not None:
            if scenario.name in names:
                ctx.fail("name", f"duplicate name (scenarios #{names[scenario.name]} and "
                         f"#{position})")  # fmt: skip
            names[scenario.name] = position
        out.append(scenario)
    return out


@suggest_keywords
def load_scenarios(path_or_text: str | os.PathLike[str]) -> list[Scenario]:
    """Read and validate a scenario file (TOML, ``format = 1``).

    Parameters
    ----------
    path_or_text : str or os.PathLike
        A path to a ``.toml`` file (read as UTF-8), or the TOML text itself (a ``str`` that
        contains a line break). Sources files named under ``[sources] files`` are found
        relative to the scenario file (to the working directory for text).

    Returns
    -------
    list of Scenario
        In file order. Values given as source ids are resolved, and the ids added to each
        scenario's ``sources``.

    Raises
    ------
    ScenarioFileError
        (a ``ValueError``) for invalid TOML or anything that breaks the format: the message
        names the file, the scenario and the key.
    FileNotFoundError
        If the file does not exist.
    TypeError
        If ``path_or_text`` is neither a string nor a path.

    Examples
    --------
    >>> [s] = load_scenarios('''
    ... format = 1
    ... [[scenario]]
    ... name = "the report"
    ... stock = "mem_2022_stock_terrorism"
    ... release = { rule = "decrees", size = 1000 }
    ... start = 2022-05-26
    ... ''')
    >>> s.time_to_clear(), s.sources
    (132.0, ('mem_2022_stock_terrorism',))
    """
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return _parse(path_or_text, "<text>", Path.cwd())
    if not isinstance(path_or_text, str | os.PathLike):
        raise TypeError(
            "path_or_text must be a path or TOML text (str), got "
            f"{_short(path_or_text)} ({type(path_or_text).__name__})"
        )
    path = Path(path_or_text)
    text = path.read_text(encoding="utf-8")
    return _parse(text, os.fspath(path), path.parent)


# -- writing ------------------------------------------------------------------------------------


def _toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_float(value: float) -> str:
    # repr gives the shortest text that reads back as the same float; TOML accepts its syntax.
    return repr(float(value))


def _toml_floats(values: Iterable[float]) -> str:
    return "[" + ", ".join(_toml_float(v) for v in values) + "]"


def _rule_text(rule: object) -> str:
    if isinstance(rule, float):
        return _toml_float(rule)
    if isinstance(rule, Decrees):
        fields = {"size": rule.size, "every": rule.every, "first": rule.first}
        body = ", ".join(f"{k} = {_toml_float(v)}" for k, v in fields.items())
        return f'{{ rule = "decrees", {body} }}'
    if isinstance(rule, Proportional):
        return (
            f'{{ rule = "proportional", fraction = {_toml_float(rule.fraction)}, '
            f"clear_below = {_toml_float(rule.clear_below)} }}"
        )
    if isinstance(rule, Geometric):
        return (
            f'{{ rule = "geometric", initial = {_toml_float(rule.initial)}, '
            f"growth = {_toml_float(rule.growth)} }}"
        )
    if isinstance(rule, Schedule):
        return (
            f'{{ rule = "schedule", starts = {_toml_floats(rule.starts)}, '
            f"rates = {_toml_floats(rule.rates)} }}"
        )
    raise TypeError(f"cannot write a {type(rule).__name__} to a scenario file")


@suggest_keywords
def scenarios_to_toml(scenarios: Iterable[Scenario], *, source_files: Sequence[str] = ()) -> str:
    """Return the scenario-file text for ``scenarios`` (see :func:`dump_scenarios`).

    Examples
    --------
    >>> print(scenarios_to_toml([Scenario(132_000, 1_000, name="report")]))  # doctest: +ELLIPSIS
    # amnesty_model scenario file (format 1), written by amnesty_model ...
    format = 1
    <BLANKLINE>
    [[scenario]]
    name = "report"
    stock = 132000.0
    release = 1000.0
    arrest = 0.0
    death_rate = 0.0
    sources = []
    <BLANKLINE>
    """
    items = list(scenarios)
    if not items:
        raise ValueError("scenarios must hold at least one Scenario, got none")
    for i, s in enumerate(items):
        if not isinstance(s, Scenario):
            raise TypeError(f"scenarios[{i}] must be a Scenario, got {_short(s)}")
    named: dict[str, int] = {}
    for i, s in enumerate(items):
        if s.name is None:
            continue
        if s.name in named:
            raise ValueError(
                f"scenarios[{named[s.name]}] and scenarios[{i}] are both named {s.name!r}; a "
                "scenario file needs distinct names (rename one with .with_(name=...), or "
                "leave it unnamed)"
            )
        named[s.name] = i
    if isinstance(source_files, str) or not all(isinstance(f, str) for f in source_files):
        raise TypeError(
            f"source_files must be a sequence of file names, got {_short(source_files)}"
        )
    lines = [
        f"# amnesty_model scenario file (format {SCENARIO_FORMAT}), written by amnesty_model "
        f"{__version__}",
        f"format = {SCENARIO_FORMAT}",
    ]
    if source_files:
        lines += ["", "[sources]", "files = [" + ", ".join(map(_toml_string, source_files)) + "]"]
    known = set(default_registry())
    for s in items:
        lines += ["", "[[scenario]]"]
        if s.name is not None:
            lines.append(f"name = {_toml_string(s.name)}")
        lines.append(f"stock = {_toml_float(s.stock)}")
        lines.append(f"release = {_rule_text(s.release_rate)}")
        lines.append(f"arrest = {_rule_text(s.arrest_rate)}")
        lines.append(f"death_rate = {_toml_float(s.death_rate)}")
        if s.death_rate > MAX_PLAUSIBLE_DEATH_RATE:
            lines.append("allow_extreme_death_rate = true")
        if s.start is not None:
            lines.append(f"start = {s.start.isoformat()}")
        lines.append("sources = [" + ", ".join(map(_toml_string, s.sources)) + "]")
        unknown = [i for i in s.sources if i not in known]
        if unknown:  # kept as the user gave them, and marked so that the file reads back
            lines.append("unregistered_sources = [" + ", ".join(map(_toml_string, unknown)) + "]")
    return "\n".join(lines) + "\n"


@suggest_keywords
def dump_scenarios(
    scenarios: Iterable[Scenario],
    path: str | os.PathLike[str],
    *,
    source_files: Sequence[str] = (),
) -> None:
    """Write scenarios to a scenario file (TOML, ``format = 1``) that :func:`load_scenarios` reads.

    Numbers are written in full (``repr`` of the float, which reads back exactly), so loading the
    file gives equal scenarios with the same provenance hashes. Values that came from source ids
    are written as numbers; the ids stay in each scenario's ``sources``.

    Parameters
    ----------
    scenarios : iterable of Scenario
        At least one.
    path : str or os.PathLike
        File to write (UTF-8; overwritten if it exists).
    source_files : sequence of str, default ()
        User sources files to name under ``[sources] files`` (needed when a scenario cites
        sources that are not in the shipped registry).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Scenario(132_000, Decrees(1_000), start="2022-05-26", name="report")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "report.toml"
    ...     dump_scenarios([s], path)
    ...     [back] = load_scenarios(path)
    >>> back == s, back.provenance["hash"] == s.provenance["hash"]
    (True, True)
    """
    text = scenarios_to_toml(scenarios, source_files=source_files)
    Path(path).write_text(text, encoding="utf-8")
