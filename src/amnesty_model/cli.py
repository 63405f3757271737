"""Command line: ``amnesty-model``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .clear import never_reason, time_to_clear
from .provenance import format_number

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amnesty-model",
        description="How long it takes to release a population of detainees.",
    )
    parser.add_argument("--version", action="version", version=f"amnesty-model {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    project = sub.add_parser("project", help="years to clear a stock at constant rates")
    project.add_argument("--stock", type=float, required=True, help="people held at the start")
    project.add_argument("--release-rate", type=float, required=True, help="releases per year")
    project.add_argument("--arrest-rate", type=float, default=0.0, help="arrests per year")
    project.add_argument("--death-rate", type=float, default=0.0, help="deaths per person-year")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 success, 2 bad usage or input)."""
    args = _parser().parse_args(argv)
    try:
        years = time_to_clear(
            args.stock, args.release_rate, args.arrest_rate, death_rate=args.death_rate
        )
        reason = never_reason(
            args.stock, args.release_rate, args.arrest_rate, death_rate=args.death_rate
        )
    except (TypeError, ValueError) as exc:
        print(f"amnesty-model: error: {exc}", file=sys.stderr)
        return 2
    print(f"years to clear: {format_number(years, 'years')}" + (f" ({reason})" if reason else ""))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
