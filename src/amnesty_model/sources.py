"""A small, versioned registry of the figures the report and its checked sources give.

Every figure a scenario takes from a report can be named by a stable *source id* (for example
``"mem_2022_stock_terrorism"``) instead of a bare number, so that results carry where their
inputs came from. The package ships the figures of the May 2022 report and of the pages checked
against it (``amnesty_model/data/sources.toml``); users add their own in a TOML file of the same
format and merge them in.

The file format (``format = 1``) is described field by field in ``docs/sources.md``. Files are
read with :mod:`tomllib` as data only (nothing is evaluated) and validated strictly: an unknown
key, a wrong type, a missing field, a duplicate id, an impossible date or a reversed range is a
:class:`SourceError` (a ``ValueError``) naming the file, the entry and the key.

Figures whose ``status`` is ``"unverified"``, ``"disputed"`` or ``"corrected"`` load like any
other but are *flagged*: :attr:`Source.flagged` is true, :meth:`Source.cite` says so, and
:func:`resolve` refuses them unless asked explicitly (``allow_flagged=True``), so that they
cannot slip into a result as facts.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import functools
import math
import numbers
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, NoReturn, Protocol

from ._validation import suggest_keywords
from .provenance import format_number

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "FLAGGED_STATUSES",
    "SOURCES_FORMAT",
    "STATUSES",
    "Resolved",
    "Source",
    "SourceError",
    "SourceRegistry",
    "default_registry",
    "load_sources",
    "resolve",
]

#: Version of the file layout this module reads (the ``format`` key at the top of a file).
SOURCES_FORMAT = 1

#: Allowed values of ``status``, with their meaning.
STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "checked": "confirmed against a stored copy of the page named",
        "reported": "as the report or outlet states it, not independently confirmed",
        "unverified": "circulates but was not found in any checked source",
        "disputed": "stated by a source but contradicted or not reproducible",
        "corrected": "the figure as reported is wrong; see the correction",
    }
)

#: Statuses whose figures must not be presented as facts.
FLAGGED_STATUSES = frozenset({"unverified", "disputed", "corrected"})

_ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_QUOTE = 300  # characters: one short sentence
_DEFAULT_ORIGIN = "amnesty_model/data/sources.toml"
_TOP_KEYS = ("format", "registry_version", "source")

# Field name -> (kind, required). The order is the order of Source's fields and of to_frame().
_FIELDS: dict[str, tuple[str, bool]] = {
    "id": ("id", True),
    "value": ("number", False),
    "low": ("number", False),
    "high": ("number", False),
    "unit": ("text", True),
    "counts": ("text", True),
    "as_of": ("date", False),
    "as_of_earliest": ("date", False),
    "as_of_latest": ("date", False),
    "valid_from": ("date", False),
    "valid_until": ("date", False),
    "outlet": ("text", True),
    "published": ("date", False),
    "title": ("text", False),
    "address": ("text", False),
    "speaker": ("text", False),
    "speaker_affiliation": ("text", False),
    "quote": ("text", False),
    "status": ("status", True),
    "as_reported": ("text", False),
    "correction": ("text", False),
    "correction_source": ("text", False),
    "corrected_field": ("field", False),
    "related": ("ids", False),
    "notes": ("text", False),
}
_CORRECTION_GROUP = ("as_reported", "correction", "correction_source", "corrected_field")


class SourceError(ValueError):
    """A source file or entry breaks the format; says which file, entry and key.

    Attributes
    ----------
    origin : str
        The file (or ``"<text>"``) the entry came from.
    source_id : str or None
        The entry's id, if it had a usable one.
    key : str or None
        The offending key.
    """

    def __init__(
        self, message: str, *, origin: str, source_id: str | None = None, key: str | None = None
    ) -> None:
        super().__init__(message)
        self.origin = origin
        self.source_id = source_id
        self.key = key


class _Fail(Protocol):
    def __call__(self, key: str, problem: str) -> NoReturn: ...


def _fail(origin: str, label: str, source_id: str | None, key: str, problem: str) -> NoReturn:
    where = f"{origin}: source {label}, key {key!r}"
    raise SourceError(f"{where}: {problem}", origin=origin, source_id=source_id, key=key)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _as_float(value: numbers.Real) -> float | None:
    """``float(value)``, or None for a number too large for a float (a huge integer)."""
    try:
        return float(value)
    except OverflowError:
        return None


def _short_number(value: object) -> str:
    """A number for a message: a huge integer by its number of digits."""
    if isinstance(value, numbers.Integral) and abs(int(value)) >= 10**20:
        sign = "negative " if int(value) < 0 else ""
        return f"a {sign}{len(str(abs(int(value))))}-digit integer"
    return _short(value)


def _check_value(kind: str, value: object, fail: _Fail, key: str) -> object:
    """Return ``value`` in canonical form for a field of ``kind``, or call ``fail``."""
    if kind in {"text", "status", "field", "id"}:
        if not isinstance(value, str):
            fail(key, f"must be a string, got {_short(value)} ({type(value).__name__})")
        if not value.strip():
            fail(key, "must not be empty")
        if kind == "id" and not _ID_PATTERN.fullmatch(value):
            fail(key, f"must be a snake_case id such as 'mem_2022_stock_terrorism', got {value!r}")
        if kind == "status" and value not in STATUSES:
            fail(key, f"must be one of {sorted(STATUSES)}, got {value!r}")
        if kind == "field" and (value not in _FIELDS or value in {"id", *_CORRECTION_GROUP}):
            fail(key, f"must name a field of the entry (such as 'value'), got {value!r}")
        if key == "quote" and (len(value) > _MAX_QUOTE or "\n" in value):
            fail(key, f"must be one short sentence (at most {_MAX_QUOTE} characters, one line)")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            fail(key, f"must be a number, got {_short(value)} ({type(value).__name__})")
        number = _as_float(value)
        if number is None or not math.isfinite(number):
            fail(key, f"must be a finite number, got {_short_number(value)}")
        return number
    if kind == "date":
        if isinstance(value, _dt.datetime):
            fail(key, f"must be a date without a time of day, got {_short(value)}")
        if isinstance(value, _dt.date):
            return value
        if isinstance(value, str):
            try:
                if not _DATE_PATTERN.fullmatch(value):
                    raise ValueError
                return _dt.date.fromisoformat(value)
            except ValueError:
                fail(key, f"must be a real calendar date such as 2022-04-30, got {value!r}")
        fail(
            key, f"must be a date such as 2022-04-30, got {_short(value)} ({type(value).__name__})"
        )
    # kind == "ids"
    if isinstance(value, str) or not isinstance(value, list | tuple):
        fail(key, f"must be a list of source ids, got {_short(value)} ({type(value).__name__})")
    for item in value:
        _check_value("id", item, fail, key)
    return tuple(value)


def _check_entry(raw: Mapping[str, Any], origin: str, position: int | None) -> dict[str, Any]:
    """Validate one entry and return the keyword arguments of :class:`Source`."""
    raw_id = raw.get("id")
    good_id = isinstance(raw_id, str) and bool(_ID_PATTERN.fullmatch(raw_id))
    source_id = raw_id if good_id else None
    label = repr(raw_id) if good_id else f"#{position}" if position is not None else "(no id)"

    def fail(key: str, problem: str) -> NoReturn:
        _fail(origin, label, source_id, key, problem)

    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(_FIELDS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        fail(unknown[0], f"unknown key{hint}; allowed keys: {', '.join(_FIELDS)}")
    for key, (_, required) in _FIELDS.items():
        if required and key not in raw:
            fail(key, "missing required key")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        out[key] = _check_value(_FIELDS[key][0], value, fail, key)

    # A point value or a range, not both.
    has_range = "low" in out or "high" in out
    if "value" in out and has_range:
        fail("value", "give either value or low and high, not both")
    if "value" not in out and not has_range:
        fail("value", "missing: give value, or low and high for a range")
    if has_range:
        for key in ("low", "high"):
            if key not in out:
                fail(key, "missing: a range needs both low and high")
        if out["low"] > out["high"]:
            fail("low", f"low ({out['low']:g}) is greater than high ({out['high']:g})")

    # An as-of date, or an uncertain span of as-of dates, not both.
    has_span = "as_of_earliest" in out or "as_of_latest" in out
    if "as_of" in out and has_span:
        fail("as_of", "give either as_of or as_of_earliest and as_of_latest, not both")
    if "as_of" not in out and not has_span:
        fail("as_of", "missing: give as_of, or as_of_earliest and as_of_latest when uncertain")
    if has_span:
        for key in ("as_of_earliest", "as_of_latest"):
            if key not in out:
                fail(key, "missing: an uncertain as-of date needs both ends")
        if out["as_of_earliest"] > out["as_of_latest"]:
            fail(
                "as_of_earliest",
                f"{out['as_of_earliest']} is after as_of_latest {out['as_of_latest']}",
            )
    first = out.get("as_of", out.get("as_of_earliest"))
    if "published" in out and first > out["published"]:
        fail("published", f"{out['published']} is before the as-of date {first}")
    if "valid_from" in out and "valid_until" in out and out["valid_from"] > out["valid_until"]:
        fail("valid_from", f"{out['valid_from']} is after valid_until {out['valid_until']}")

    # Corrections come as a group of four.
    given = [key for key in _CORRECTION_GROUP if key in out]
    if given or out["status"] == "corrected":
        for key in _CORRECTION_GROUP:
            if key not in out:
                why = "status 'corrected'" if not given else f"{given[0]!r} is given"
                fail(key, f"missing: a correction needs {', '.join(_CORRECTION_GROUP)} ({why})")
    if "speaker_affiliation" in out and "speaker" not in out:
        fail("speaker", "missing: speaker_affiliation is given without a speaker")
    return out


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Source:
    """One registered figure: what it counts, when, who said it, where, and how sure we are.

    Every field is documented in ``docs/sources.md``. Construct sources from a TOML file with
    :func:`load_sources`; direct construction is validated the same way.

    Parameters
    ----------
    id : str
        Stable snake_case identifier, e.g. ``"mem_2022_stock_terrorism"``.
    value : float or None
        The figure, in ``unit``; ``None`` when the figure is a range.
    low, high : float or None
        The ends of a range figure (``low <= high``), e.g. "6 or 7".
    unit : str
        Unit of the figure, e.g. ``"people"``, ``"people per year"``, ``"SYP per USD"``.
    counts : str
        What the figure counts, in one phrase.
    as_of : datetime.date or None
        The date the figure refers to.
    as_of_earliest, as_of_latest : datetime.date or None
        Bounds of the as-of date when it is uncertain (instead of ``as_of``).
    valid_from, valid_until : datetime.date or None
        For a rate or rule in force over a period: when it took effect and when it was replaced.
    outlet : str
        Who published it (outlet or organisation, as named in the checked notes).
    published : datetime.date or None
        Publication date, if known.
    title, address : str or None
        Title and domain (or URL) of the page, as named in the checked notes.
    speaker, speaker_affiliation : str or None
        Who said it and for which organisation (correct affiliation; see the correction fields).
    quote : str or None
        A short attributed quote, at most one sentence.
    status : str
        One of :data:`STATUSES`: ``checked``, ``reported``, ``unverified``, ``disputed``,
        ``corrected``.
    as_reported, correction, correction_source, corrected_field : str or None
        What the report says, the correction, where the correction comes from, and which field
        it concerns; all four or none.
    related : tuple of str
        Ids of related sources.
    notes : str or None
        Anything else a reader needs.

    Examples
    --------
    >>> s = Source(id="my_count", value=1200, unit="people", counts="people held",
    ...            as_of="2025-01-31", outlet="My monitor", status="reported")
    >>> s.value, s.as_of
    (1200.0, datetime.date(2025, 1, 31))
    """

    id: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str
    counts: str
    as_of: _dt.date | None = None
    as_of_earliest: _dt.date | None = None
    as_of_latest: _dt.date | None = None
    valid_from: _dt.date | None = None
    valid_until: _dt.date | None = None
    outlet: str
    published: _dt.date | None = None
    title: str | None = None
    address: str | None = None
    speaker: str | None = None
    speaker_affiliation: str | None = None
    quote: str | None = None
    status: str
    as_reported: str | None = None
    correction: str | None = None
    correction_source: str | None = None
    corrected_field: str | None = None
    related: tuple[str, ...] = ()
    notes: str | None = None

    def __post_init__(self) -> None:
        given = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if getattr(self, f.name) is not None and not (f.name == "related" and not self.related)
        }
        for key, value in _check_entry(given, "Source(...)", None).items():
            object.__setattr__(self, key, value)

    def __repr__(self) -> str:
        flag = f", {self.status.upper()}" if self.flagged else ""
        return f"Source({self.id!r}: {self.figure_text()}{flag})"

    @property
    def is_range(self) -> bool:
        """True if the figure is a range ``low``–``high`` rather than one value."""
        return self.value is None

    @property
    def flagged(self) -> bool:
        """True if the figure must not be presented as a fact (unverified, disputed, corrected).

        Examples
        --------
        >>> default_registry()["unverified_2022_05_stock_132667"].flagged
        True
        """
        return self.status in FLAGGED_STATUSES

    @property
    def as_of_text(self) -> str:
        """The as-of date as text: ``2022-05-24`` or ``2022-06-15 to 2022-07-15``."""
        if self.as_of is not None:
            return self.as_of.isoformat()
        return f"{self.as_of_earliest} to {self.as_of_latest}"

    def figure_text(self) -> str:
        """Return the figure with its unit, e.g. ``'132,000 people'`` or ``'6–7 people'``.

        Examples
        --------
        >>> default_registry()["mem_2022_disappeared_released"].figure_text()
        '6–7 people'
        """
        if self.value is not None:
            return format_number(self.value, self.unit)
        return f"{format_number(self.low or 0.0)}–{format_number(self.high or 0.0, self.unit)}"

    def cite(self) -> str:
        """Return a sentence naming the figure, its date, who said it and where, and any flag.

        Examples
        --------
        >>> print(default_registry()["snhr_released_2022_08_12"].cite())
        556 people (detainees released under Decree No. 7, cumulative since 1 May 2022), as of
        2022-08-12; Syrian Network for Human Rights (SNHR); SNHR news (news.snhr.org),
        2022-08-13. [checked]
        """
        who = ""
        if self.speaker:
            who = self.speaker
            if self.speaker_affiliation:
                who += f" ({self.speaker_affiliation})"
            who += "; "
        where = self.outlet
        if self.address and self.address not in self.outlet:
            where += f" ({self.address})"
        if self.published:
            where += f", {self.published.isoformat()}"
        text = f"{self.figure_text()} ({self.counts}), as of {self.as_of_text}; {who}{where}."
        text += f" [{self.status}]"
        if self.flagged:
            text += " Not to be presented as a fact"
            text += f": {self.correction}." if self.correction else f": {STATUSES[self.status]}."
        elif self.correction:
            field = (self.corrected_field or "").replace("_", " ")
            text += f" Note: the report gives the {field} as "
            text += f"{self.as_reported!r}; {self.correction} ({self.correction_source})."
        return text

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict (dates as ``datetime.date``, ``related`` a tuple)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


class Resolved(NamedTuple):
    """A number resolved from a literal or a source id, with the id for provenance."""

    value: float
    source: str | None


_Bound = Literal["value", "low", "high", "mid"]


class SourceRegistry(Mapping[str, Source]):
    """An immutable collection of :class:`Source` entries, looked up by id.

    It behaves as a read-only mapping from id to :class:`Source` (``registry[id]``,
    ``registry.get(id)``, ``id in registry``, iteration over ids, ``len``), in file order.

    Parameters
    ----------
    sources : iterable of Source
        The entries; ids must be unique.
    registry_version : str, default ""
        Version of the collection (the ``registry_version`` of its file).
    origin : str, default "<memory>"
        Where it came from, quoted in error messages.

    Examples
    --------
    >>> reg = default_registry()
    >>> reg["mem_2022_stock_terrorism"].value
    132000.0
    >>> "mem_2022_released" in reg
    True
    """

    __slots__ = ("_sources", "origin", "registry_version")

    def __init__(
        self,
        sources: Iterable[Source] = (),
        *,
        registry_version: str = "",
        origin: str = "<memory>",
    ) -> None:
        table: dict[str, Source] = {}
        for source in sources:
            if not isinstance(source, Source):
                raise TypeError(
                    f"sources must contain Source objects, got {_short(source)} "
                    f"({type(source).__name__})"
                )
            if source.id in table:
                raise SourceError(
                    f"{origin}: source {source.id!r}, key 'id': duplicate id",
                    origin=origin,
                    source_id=source.id,
                    key="id",
                )
            table[source.id] = source
        self._sources: Mapping[str, Source] = MappingProxyType(table)
        self.registry_version = registry_version
        self.origin = origin

    def __getitem__(self, source_id: str) -> Source:
        try:
            return self._sources[source_id]
        except (KeyError, TypeError):
            close = difflib.get_close_matches(str(source_id), list(self._sources), n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise KeyError(f"no source with id {source_id!r} in {self.origin}{hint}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def __repr__(self) -> str:
        flagged = sum(s.flagged for s in self._sources.values())
        return (
            f"SourceRegistry({len(self)} sources, version {self.registry_version!r}, "
            f"{flagged} flagged, from {self.origin})"
        )

    @property
    def flagged(self) -> tuple[str, ...]:
        """Ids of the sources that must not be presented as facts."""
        return tuple(k for k, s in self._sources.items() if s.flagged)

    def merge(self, other: SourceRegistry, *, replace: bool = False) -> SourceRegistry:
        """Return a new registry with the sources of ``self`` and then ``other``.

        Parameters
        ----------
        other : SourceRegistry
            Further sources, e.g. a user's file read with :func:`load_sources`.
        replace : bool, default False
            If true, an entry of ``other`` replaces the entry of ``self`` with the same id;
            otherwise a shared id is an error.

        Returns
        -------
        SourceRegistry

        Raises
        ------
        SourceError
            If an id is in both and ``replace`` is false.

        Examples
        --------
        >>> mine = load_sources('''
        ... format = 1
        ... registry_version = "mine-1"
        ... [[source]]
        ... id = "my_monitor_2025_held"
        ... value = 100_000
        ... unit = "people"
        ... counts = "people still held"
        ... as_of = 2025-01-31
        ... outlet = "My monitor"
        ... status = "reported"
        ... ''')
        >>> both = default_registry().merge(mine)
        >>> both["my_monitor_2025_held"].value, len(both) == len(default_registry()) + 1
        (100000.0, True)
        """
        if not isinstance(other, SourceRegistry):
            raise TypeError(f"other must be a SourceRegistry, got {type(other).__name__}")
        shared = [k for k in other if k in self._sources]
        if shared and not replace:
            raise SourceError(
                f"{other.origin}: source {shared[0]!r}, key 'id': id already defined in "
                f"{self.origin} ({len(shared)} shared id(s)); rename it or pass replace=True",
                origin=other.origin,
                source_id=shared[0],
                key="id",
            )
        table = dict(self._sources)
        table.update(other._sources)
        versions = "+".join(v for v in (self.registry_version, other.registry_version) if v)
        return SourceRegistry(
            table.values(), registry_version=versions, origin=f"{self.origin} + {other.origin}"
        )

    def resolve(
        self,
        value_or_id: object,
        *,
        name: str = "value",
        bound: _Bound = "value",
        allow_flagged: bool = False,
    ) -> Resolved:
        """Turn a number or a source id of this registry into a number; see :func:`resolve`."""
        return resolve(
            value_or_id, name=name, registry=self, bound=bound, allow_flagged=allow_flagged
        )

    def to_frame(self) -> pd.DataFrame:
        """Return the registry as a table: one row per source (index ``id``), a column per field.

        The columns are the fields of :class:`Source` in file order, then ``flagged``. Dates
        are ``datetime.date`` objects; absent values are missing.

        Examples
        --------
        >>> frame = default_registry().to_frame()
        >>> int(frame.loc["mem_2022_released", "value"])
        523
        """
        import pandas as pd

        rows = [{**s.to_dict(), "flagged": s.flagged} for s in self._sources.values()]
        columns = [*_FIELDS, "flagged"]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.set_index("id")


@suggest_keywords
def resolve(
    value_or_id: object,
    *,
    name: str = "value",
    registry: SourceRegistry | None = None,
    bound: _Bound = "value",
    allow_flagged: bool = False,
) -> Resolved:
    """Turn a number, a source id or a :class:`Source` into a number and its source id.

    This is how a scenario can take ``stock="mem_2022_stock_terrorism"`` and keep the id in its
    provenance.

    Parameters
    ----------
    value_or_id : float or str or Source
        A plain number (returned as given, with source ``None``), a source id, or a source.
    name : str, default "value"
        The caller's parameter name, quoted in error messages.
    registry : SourceRegistry or None, default None
        Where to look ids up; the shipped registry (:func:`default_registry`) if ``None``.
    bound : {"value", "low", "high", "mid"}, default "value"
        Which number of a range figure to take (``"mid"`` is the midpoint). For a single-valued
        figure every choice gives its value; ``"value"`` on a range is an error.
    allow_flagged : bool, default False
        Use an unverified, disputed or corrected figure anyway (e.g. to reproduce a claim).

    Returns
    -------
    Resolved
        ``(value, source)``: the number [in the source's unit] and the source id, or ``None``
        for a plain number.

    Raises
    ------
    TypeError
        For anything but a real number, a string or a :class:`Source`.
    ValueError
        For an unknown id, ``"value"`` on a range figure, a flagged figure without
        ``allow_flagged=True``, or an integer too large for a float.

    Examples
    --------
    >>> resolve("mem_2022_stock_terrorism", name="stock")
    Resolved(value=132000.0, source='mem_2022_stock_terrorism')
    >>> resolve(1_000, name="release_rate")
    Resolved(value=1000.0, source=None)
    >>> resolve("mem_2022_disappeared_released", bound="high").value
    7.0
    """
    if isinstance(value_or_id, Source):
        source = value_or_id
    elif isinstance(value_or_id, str):
        reg = default_registry() if registry is None else registry
        try:
            source = reg[value_or_id]
        except KeyError as exc:
            raise ValueError(f"{name}: {exc.args[0]}") from None
    elif isinstance(value_or_id, bool) or not isinstance(value_or_id, numbers.Real):
        raise TypeError(
            f"{name} must be a number or a source id (str), got {_short(value_or_id)} "
            f"({type(value_or_id).__name__})"
        )
    else:
        plain = _as_float(value_or_id)
        if plain is None:
            raise ValueError(
                f"{name} must be a number a float can hold (at most about 1.8e308 in size), "
                f"got {_short_number(value_or_id)}"
            )
        return Resolved(plain, None)
    if bound not in ("value", "low", "high", "mid"):
        raise ValueError(f"bound must be one of ['value', 'low', 'high', 'mid'], got {bound!r}")
    if source.flagged and not allow_flagged:
        why = source.correction if source.correction else STATUSES[source.status]
        raise ValueError(
            f"{name}: source {source.id!r} is {source.status} ({why}), so it must not be "
            "presented as a fact; pass allow_flagged=True to use it anyway (e.g. to reproduce "
            "the claim)"
        )
    if source.value is not None:
        return Resolved(source.value, source.id)
    low, high = source.low or 0.0, source.high or 0.0  # both set for a range
    if bound == "value":
        raise ValueError(
            f"{name}: source {source.id!r} is a range ({source.figure_text()}); "
            "choose bound='low', 'high' or 'mid'"
        )
    middle = (low + high) / 2 if math.isfinite(low + high) else low / 2 + high / 2
    number = {"low": low, "high": high, "mid": middle}
    return Resolved(number[bound], source.id)


def _toml_line(text: str, message: str) -> str:
    """Return ``"; line N: '...'"`` for the line a TOML error message points at, or ``""``."""
    match = re.search(r"line (\d+)", message)
    lines = text.splitlines()
    if match is None or not 1 <= int(match.group(1)) <= len(lines):
        return ""
    number = int(match.group(1))
    return f"; line {number}: {lines[number - 1].strip()!r}"


def _parse(text: str, origin: str) -> SourceRegistry:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(
            f"{origin}: not valid TOML ({exc}){_toml_line(text, str(exc))}", origin=origin
        ) from None
    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        raise SourceError(
            f"{origin}: unknown top-level key {unknown[0]!r}; allowed: {', '.join(_TOP_KEYS)} "
            "(entries go in [[source]] tables)",
            origin=origin,
            key=unknown[0],
        )
    fmt = data.get("format")
    if fmt is None:
        raise SourceError(
            f"{origin}: missing key 'format' (add `format = {SOURCES_FORMAT}` at the top)",
            origin=origin,
            key="format",
        )
    if isinstance(fmt, bool) or not isinstance(fmt, int) or fmt != SOURCES_FORMAT:
        raise SourceError(
            f"{origin}: key 'format' must be {SOURCES_FORMAT} (the only format this version "
            f"reads), got {_short(fmt)}",
            origin=origin,
            key="format",
        )
    version = data.get("registry_version")
    if not isinstance(version, str) or not version.strip():
        raise SourceError(
            f"{origin}: key 'registry_version' must be a non-empty string such as \"1\", "
            f"got {_short(version)}",
            origin=origin,
            key="registry_version",
        )
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise SourceError(
            f"{origin}: key 'source' must be an array of tables written [[source]], "
            f"got {type(entries).__name__}",
            origin=origin,
            key="source",
        )
    seen: dict[str, int] = {}
    built = []
    for position, raw in enumerate(entries, start=1):
        if not isinstance(raw, dict):
            raise SourceError(
                f"{origin}: source #{position} must be a table, got {_short(raw)}",
                origin=origin,
                key="source",
            )
        kwargs = _check_entry(raw, origin, position)
        source_id = kwargs["id"]
        if source_id in seen:
            raise SourceError(
                f"{origin}: source {source_id!r}, key 'id': duplicate id (entries "
                f"#{seen[source_id]} and #{position})",
                origin=origin,
                source_id=source_id,
                key="id",
            )
        seen[source_id] = position
        built.append(Source(**kwargs))
    return SourceRegistry(built, registry_version=version, origin=origin)


@suggest_keywords
def load_sources(
    path_or_text: str | os.PathLike[str], *, origin: str | None = None
) -> SourceRegistry:
    """Read and validate a sources file (TOML, ``format = 1``).

    Parameters
    ----------
    path_or_text : str or os.PathLike
        A path to a ``.toml`` file, or the TOML text itself. A ``str`` containing a line break
        is taken as text; any other ``str`` or path object as a file name (read as UTF-8).
    origin : str or None, default None
        Name quoted in error messages; the path, or ``"<text>"`` for text.

    Returns
    -------
    SourceRegistry

    Raises
    ------
    SourceError
        (a ``ValueError``) if the file is not valid TOML or breaks the format; the message
        names the file, the entry and the key.
    FileNotFoundError
        If the path does not exist.
    TypeError
        If ``path_or_text`` is neither a string nor a path.

    Examples
    --------
    >>> reg = load_sources('''
    ... format = 1
    ... registry_version = "2025-01"
    ... [[source]]
    ... id = "my_count"
    ... low = 6
    ... high = 7
    ... unit = "people"
    ... counts = "forcibly disappeared people released"
    ... as_of = 2022-05-24
    ... outlet = "My notes"
    ... status = "reported"
    ... ''')
    >>> reg["my_count"].figure_text()
    '6–7 people'
    """
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return _parse(path_or_text, origin or "<text>")
    if not isinstance(path_or_text, str | os.PathLike):
        raise TypeError(
            "path_or_text must be a path or TOML text (str), got "
            f"{_short(path_or_text)} ({type(path_or_text).__name__})"
        )
    path = os.fspath(path_or_text)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return _parse(text, origin or path)


@functools.cache
def default_registry() -> SourceRegistry:
    """Return the registry shipped in ``amnesty_model/data/sources.toml`` (read once, cached).

    Examples
    --------
    >>> reg = default_registry()
    >>> reg["decree_7_2022"].as_of
    datetime.date(2022, 4, 30)
    """
    text = resources.files("amnesty_model").joinpath("data", "sources.toml").read_text("utf-8")
    return _parse(text, _DEFAULT_ORIGIN)
