"""Command line: ``amnesty-model``.

Subcommands:

``reproduce [--format table|csv|json|markdown]``
    the report's figures recomputed, one row per claim or variant
    (:func:`amnesty_model.article.reproduce_article`);
``project --stock N --release-rate R [--arrest-rate A] [--death-rate M] [--start DATE]``
    years to clear at constant rates, the clear date and a sentence to cite;
``run FILE.toml [--format text|csv|json]``
    every scenario of a scenario file (:func:`amnesty_model.scenario_file.load_scenarios`) with
    its answer and citation.

Exit codes: 0 on success, 2 for bad usage or bad input (a one-line message on stderr, no
traceback). Heavy modules (pandas) are never imported here: the commands print from plain
rows.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import math
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from ._validation import MAX_PLAUSIBLE_DEATH_RATE, extreme_death_rate_message, parse_percent
from ._version import __version__

__all__ = ["main"]

_PROG = "amnesty-model"


class _UsageError(Exception):
    """Bad usage, reported in one line with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            options = re.findall(r"'([^']*)'", choice.group(2))
            message += _did_you_mean(choice.group(1), options)
        raise _UsageError(f"{self.prog}: error: {message} (see --help)")


def _did_you_mean(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    return [o for action in parser._actions for o in action.option_strings]


def _check_options(parser: argparse.ArgumentParser, argv: Sequence[str]) -> None:
    """Refuse an unknown ``--option`` with a suggestion, before argparse's own checks.

    argparse (3.11) reports "unrecognized arguments" with no suggestion, and only after
    complaining that a required option, misspelt, is missing.
    """
    known = _option_strings(parser)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    command = None
    for token in argv:
        if token == "--":
            break
        if command is None and token in sub.choices:
            command = sub.choices[token]
            known = known + _option_strings(command)
            continue
        if not token.startswith("--") or token == "--":
            continue
        name = token.split("=", 1)[0]
        if any(option.startswith(name) for option in known):
            continue  # an option, or an abbreviation argparse resolves
        where = f"{_PROG} {command.prog.split()[-1]}" if command is not None else _PROG
        raise _UsageError(
            f"{where}: error: unknown option {name}{_did_you_mean(name, known)} (see --help)"
        )


def _number(text: str) -> float:
    """A number on the command line; "132,000" is refused with the way to write it."""
    try:
        return float(text)
    except ValueError:
        pass
    plain = text.replace(",", "").replace(" ", "")
    try:
        float(plain)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None
    raise argparse.ArgumentTypeError(
        f"invalid number: {text!r}; write {plain} (or with underscores, 132_000), without commas"
    )


def _hazard(text: str) -> float:
    """A per-person rate [1/year]: a number, or a percentage such as "3%"."""
    try:
        percent = parse_percent(text, "--death-rate")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return _number(text) if percent is None else percent


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=_PROG,
        description="How long it takes to release a population of detainees.",
    )
    parser.add_argument("--version", action="version", version=f"{_PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    reproduce = sub.add_parser("reproduce", help="recompute the May 2022 report's figures")
    reproduce.add_argument(
        "--format",
        choices=("table", "csv", "json", "markdown"),
        default="table",
        help="output format (default: table)",
    )

    project = sub.add_parser("project", help="years to clear a stock at constant rates")
    project.add_argument("--stock", type=_number, required=True, help="people held at the start")
    project.add_argument("--release-rate", type=_number, required=True, help="releases per year")
    project.add_argument("--arrest-rate", type=_number, default=0.0, help="arrests per year")
    project.add_argument(
        "--death-rate",
        type=_hazard,
        default=0.0,
        help="deaths per person per year: 0.03 or 3%% (above 1 needs --allow-extreme-death-rate)",
    )
    project.add_argument(
        "--allow-extreme-death-rate",
        action="store_true",
        help="accept a death rate above 1 per person per year on purpose",
    )
    project.add_argument("--start", default=None, help="start date, YYYY-MM-DD")

    run = sub.add_parser("run", help="answer every scenario of a scenario file (TOML)")
    run.add_argument("file", help="scenario file, format described in docs/scenario_files.md")
    run.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help="output format (default: text)",
    )
    return parser


# -- formatting ---------------------------------------------------------------------------------


def _cell(value: object) -> str:
    """A value as short text for a table cell."""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return "never" if value > 0 else "-inf"
        if value == round(value) or abs(value) >= 1_000:
            return f"{value:,.0f}"
        return f"{value:,.1f}" if abs(value) >= 1 else f"{value:.3g}"
    return str(value)


def _json_value(value: Any) -> Any:
    """JSON-safe: NaN → null, ±inf → "inf"/"-inf" (JSON has neither), dates → ISO text."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def _csv_value(value: Any) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, Mapping):
        return json.dumps(_json_value(value), ensure_ascii=False, sort_keys=False)
    if isinstance(value, list | tuple):
        return ";".join(map(str, value))
    return "" if value is None else str(value)


def _write_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row[c]) for c in columns])
    return buffer.getvalue()


def _write_json(rows: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps([_json_value(dict(r)) for r in rows], ensure_ascii=False, indent=2) + "\n"


def _write_table(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in body:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def _write_markdown(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(esc, header)) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(map(esc, r)) + " |" for r in body]
    return "\n".join(lines) + "\n"


def _article_body(rows: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    body = []
    for r in rows:
        low, high = r["low"], r["high"]
        span = "" if math.isnan(low) else f"{_cell(low)}–{_cell(high)}"
        body.append(
            [
                r["id"],
                r["status"],
                _cell(r["reported"]),
                _cell(r["computed"]),
                span,
                r["unit"],
                r["description"],
            ]
        )
    return body


_ARTICLE_HEADER = ("id", "status", "reported", "computed", "range", "unit", "description")


def _reproduce(fmt: str) -> str:
    from .article import ARTICLE_COLUMNS, article_rows

    rows = article_rows()
    if fmt == "csv":
        return _write_csv(rows, ARTICLE_COLUMNS)
    if fmt == "json":
        return _write_json(rows)
    body = _article_body(rows)
    if fmt == "markdown":
        return _write_markdown(_ARTICLE_HEADER, body)
    return _write_table(_ARTICLE_HEADER, body)


def _answer(years: float, reason: str | None) -> str:
    from .provenance import format_number

    return format_number(years, "years") + (f" ({reason})" if reason else "")


def _project(args: argparse.Namespace) -> str:
    from .scenario import Scenario

    if args.death_rate > MAX_PLAUSIBLE_DEATH_RATE and not args.allow_extreme_death_rate:
        raise ValueError(
            extreme_death_rate_message(
                args.death_rate, "death_rate", "add --allow-extreme-death-rate"
            )
        )
    s = Scenario(
        stock=args.stock,
        release_rate=args.release_rate,
        arrest_rate=args.arrest_rate,
        death_rate=args.death_rate,
        start=args.start,
        allow_extreme_death_rate=args.allow_extreme_death_rate,
    )
    years = s.time_to_clear()
    lines = [f"years to clear: {_answer(years, s.reason)}"]
    if s.start is not None:
        date = s.clear_date()
        lines.append(f"clear date: {date.isoformat() if date else 'never'}")
    lines.append(f"cite: {s.cite()}")
    return "\n".join(lines) + "\n"


_RUN_COLUMNS = ("name", "years_to_clear", "clear_date", "reason", "provenance", "citation")


def _run(path: str, fmt: str) -> str:
    from .scenario_file import load_scenarios

    try:
        scenarios = load_scenarios(path)
    except FileNotFoundError:
        raise ValueError(f"no such scenario file: {path!r}") from None
    except IsADirectoryError:
        raise ValueError(f"not a file: {path!r}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a UTF-8 text file") from None
    rows = []
    for i, s in enumerate(scenarios):
        date = s.clear_date()
        rows.append(
            {
                "name": s.name or f"scenario {i + 1}",
                "years_to_clear": s.time_to_clear(),
                "clear_date": date.isoformat() if date else None,
                "reason": s.reason,
                "provenance": s.provenance["hash"],
                "citation": s.cite(),
            }
        )
    if fmt == "csv":
        return _write_csv(rows, _RUN_COLUMNS)
    if fmt == "json":
        return _write_json(rows)
    blocks = []
    for r in rows:
        when = f", clears {r['clear_date']}" if r["clear_date"] else ""
        blocks.append(
            f"{r['name']}: {_answer(r['years_to_clear'], r['reason'])}{when}\n"
            f"  cite: {r['citation']}"
        )
    return "\n".join(blocks) + "\n"


def _fail(message: str) -> int:
    print(" ".join(message.split()), file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 success, 2 bad usage or input).

    Examples
    --------
    >>> main(["project", "--stock", "132000", "--release-rate", "1000"])  # doctest: +ELLIPSIS
    years to clear: 132 years
    cite: 132 years to clear: 132,000 held, 1,000 released a year, no new arrests (...).
    0
    """
    parser = _parser()
    try:
        _check_options(parser, sys.argv[1:] if argv is None else list(argv))
        args = parser.parse_args(argv)
    except _UsageError as exc:
        return _fail(str(exc))
    try:
        if args.command == "reproduce":
            text = _reproduce(args.format)
        elif args.command == "project":
            text = _project(args)
        else:
            text = _run(args.file, args.format)
    except (TypeError, ValueError, OSError) as exc:
        return _fail(f"{_PROG}: error: {exc}")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
