"""Reproduce the May 2022 report's arithmetic, claim by claim, with sources.

:func:`reproduce_article` recomputes every figure of the report (Middle East Monitor,
26 May 2022) that arithmetic can check — the headline "132 years", its variants with arrests
continuing, the decree convention, the pace actually seen after Decree No. 7, the forcibly
disappeared, the currency conversion — and the same monitor's earlier (March 2020) and later
(November 2022) statements of the same arithmetic. Every input is taken from the source
registry by id (:mod:`amnesty_model.sources`), every model output from
:class:`~amnesty_model.Scenario`, and every row carries a provenance hash and a sentence to
cite (:func:`cite_article`).

Each row has a ``status``:

``reproduced``
    the source states a figure and the computation gives it, to the precision stated
    (within ``0.5`` of a whole-number figure);
``differs``
    the source states a figure and the computation does not give it;
``variant``
    a model output for inputs the source did not use (a what-if, or the input that would give
    a stated figure); there is no stated figure to compare with;
``not a model output``
    arithmetic on the sources' figures outside the detention model (an observed rate, a
    per-decree average); there is no stated figure to compare with;
``later data``
    uses SNHR's counts published after the report (to 12 August 2022): the pace of releases
    after the decree's first wave, the arrests counted over the same weeks, and what they imply
    for the 132,000 held; not a claim of the report (the description starts "later data than
    the report: ");
``illustrative``
    the report's arithmetic with an assumed death rate in custody (1 %, 2 %, 5 % per person per
    year, docs/methods.md §1); an assumption for illustration, not a claim of the report and
    not data
    (the description starts "illustrative assumption, not a claim of the report: ").
"""

from __future__ import annotations

import copy
import datetime as _dt
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from ._time import DAYS_PER_YEAR, years_between
from ._validation import suggest_keywords
from ._version import __version__
from .provenance import make_provenance
from .rules import Decrees
from .scenario import Scenario
from .sources import Source, default_registry, resolve

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ARTICLE_COLUMNS",
    "ARTICLE_STATUSES",
    "article_rows",
    "cite_article",
    "reproduce_article",
]

#: The columns of :func:`reproduce_article`, in order.
ARTICLE_COLUMNS = (
    "id",
    "description",
    "inputs",
    "sources",
    "reported",
    "computed",
    "low",
    "high",
    "unit",
    "method",
    "status",
    "relative_difference",
    "citation",
    "provenance",
)

#: The statuses a row can have, with their meaning.
ARTICLE_STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "reproduced": "the source states this figure and the computation gives it",
        "differs": "the source states a figure the computation does not give",
        "variant": "a model output for other inputs; no stated figure to compare with",
        "not a model output": "arithmetic on the sources' figures outside the model",
        "later data": "uses figures published after the report (26 May 2022); not its claim",
        "illustrative": "an assumption made for illustration (a death rate in custody); not a "
        "claim of the report and not data",
    }
)

# Labels that open the description of the rows that are not the report's claims.
_LATER = "later data than the report"
_ILLUSTRATIVE = "illustrative assumption, not a claim of the report"
# Assumed deaths in custody per person per year (docs/methods.md §1 works the 2 % case); the same
# rates as :func:`amnesty_model.cohorts.illustrative_death_rows`.
_DEATH_RATES = (0.01, 0.02, 0.05)

# A stated whole-number figure counts as reproduced within this distance (its rounding).
_TOLERANCE = 0.5
# Arrest rates [people/year] for "and he never stops": up to and past the release rate.
_ARREST_RATES = (100.0, 250.0, 500.0, 750.0, 900.0, 1_000.0, 1_200.0)
# Months named by SNHR's November 2022 report ("from March 2011 to October 2022").
_SNHR_SPAN = {
    "low": (_dt.date(2011, 3, 31), _dt.date(2022, 10, 1)),
    "mid": (_dt.date(2011, 3, 16), _dt.date(2022, 10, 16)),
    "high": (_dt.date(2011, 3, 1), _dt.date(2022, 10, 31)),
}


def _src(
    source_id: str, *, bound: Literal["value", "low", "high", "mid"] = "value", audit: bool = False
) -> float:
    """The number of a registered source (``audit=True`` for a flagged figure under audit)."""
    return resolve(source_id, name=source_id, bound=bound, allow_flagged=audit).value


def _source(source_id: str) -> Source:
    return default_registry()[source_id]


def _inp(value: Any, unit: str, source: str | None = None) -> dict[str, Any]:
    return {"value": value, "unit": unit, "source": source}


@dataclass
class _Rows:
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        row_id: str,
        description: str,
        *,
        inputs: dict[str, dict[str, Any]],
        computed: float,
        unit: str,
        method: str,
        reported: float | None = None,
        reported_source: str | None = None,
        low: float | None = None,
        high: float | None = None,
        kind: str = "variant",
        extra_sources: tuple[str, ...] = (),
    ) -> None:
        sources = [v["source"] for v in inputs.values() if v.get("source")]
        if reported_source:
            sources.append(reported_source)
        sources = list(dict.fromkeys([*sources, *extra_sources]))
        if reported is None:
            status, rel = kind, math.nan
        else:
            close = math.isfinite(computed) and abs(computed - reported) <= _TOLERANCE
            status = "reproduced" if close else "differs"
            rel = math.inf if math.isinf(computed) else (computed - reported) / reported
        record = make_provenance(
            method=method,
            inputs=inputs,
            sources=sources,
            claim=row_id,
            result={
                "reported": reported,
                "computed": computed,
                "low": low,
                "high": high,
                "unit": unit,
                "status": status,
            },
        )
        row = {
            "id": row_id,
            "description": description,
            "inputs": inputs,
            "sources": sources,
            "reported": math.nan if reported is None else float(reported),
            "computed": float(computed),
            "low": math.nan if low is None else float(low),
            "high": math.nan if high is None else float(high),
            "unit": unit,
            "method": method,
            "status": status,
            "relative_difference": rel,
            "provenance": record["hash"],
        }
        row["citation"] = _citation(row)
        self.rows.append({k: row[k] for k in ARTICLE_COLUMNS})


def _number(value: float, unit: str) -> str:
    """A figure for a sentence: whole, 0 decimals from 1,000, else 1 decimal (or 3 s.f.)."""
    if math.isinf(value):
        return "never"
    if value == round(value) or abs(value) >= 1_000:
        text = f"{value:,.0f}"
    elif abs(value) >= 1:
        text = f"{value:,.1f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip()


def _citation(row: Mapping[str, Any]) -> str:
    unit = row["unit"]
    text = f"{row['description']}: computed {_number(row['computed'], unit)}"
    if not math.isnan(row["low"]):
        text += f" (range {_number(row['low'], '')}–{_number(row['high'], unit)})"
    if not math.isnan(row["reported"]):
        text += f" against {_number(row['reported'], unit)} stated"
    text += f" [{row['status']}]; {row['method']}; sources: " + ", ".join(row["sources"])
    return f"{text} (amnesty_model {__version__}, provenance {row['provenance']})."


def _years(scenario: Scenario) -> float:
    return scenario.time_to_clear()


def _bisect(f: Callable[[float], float], target: float, lo: float, hi: float) -> float:
    """The ``x`` in ``[lo, hi]`` with ``f(x) = target`` for increasing ``f`` (to 1e-12)."""
    while hi - lo > 1e-12 * max(1.0, abs(hi)):
        mid = (lo + hi) / 2
        if f(mid) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _headline(out: _Rows) -> tuple[float, float]:
    stock = _src("mem_2022_stock_terrorism")
    per_year = _src("mem_2022_decree_release_per_year")
    reported = _src("mem_2022_years_to_clear")
    base = Scenario(
        stock,
        per_year,
        sources=("mem_2022_stock_terrorism", "mem_2022_decree_release_per_year"),
    )
    inputs = {
        "stock": _inp(stock, "people", "mem_2022_stock_terrorism"),
        "release_rate": _inp(per_year, "people per year", "mem_2022_decree_release_per_year"),
        "arrest_rate": _inp(0.0, "people per year"),
    }
    out.add(
        "headline",
        "132,000 held, 1,000 released a year, no new arrests: years until all are released",
        inputs=inputs,
        computed=_years(base),
        reported=reported,
        reported_source="mem_2022_years_to_clear",
        unit="years",
        method="closed form S0 / r",
    )
    return stock, per_year


def _never_stops(out: _Rows, stock: float, per_year: float) -> None:
    base = Scenario(stock, per_year)
    for a in _ARREST_RATES:
        s = base.with_(arrest_rate=a)
        years = _years(s)
        why = f" — never: {s.reason}" if math.isinf(years) else ""
        out.add(
            f"arrests_{a:.0f}",
            f"the headline with arrests continuing at {a:,.0f} a year{why}",
            inputs={
                "stock": _inp(stock, "people", "mem_2022_stock_terrorism"),
                "release_rate": _inp(
                    per_year, "people per year", "mem_2022_decree_release_per_year"
                ),
                "arrest_rate": _inp(a, "people per year (what-if)"),
            },
            computed=years,
            unit="years",
            method="closed form S0 / (r − a); never if a ≥ r",
        )
    target = 2 * _years(base)
    a2 = _bisect(lambda a: _years(base.with_(arrest_rate=a)), target, 0.0, per_year)
    out.add(
        "arrests_doubling",
        f"arrest rate at which clearing takes twice as long as the headline ({target:g} years)",
        inputs={
            "stock": _inp(stock, "people", "mem_2022_stock_terrorism"),
            "release_rate": _inp(per_year, "people per year", "mem_2022_decree_release_per_year"),
            "target_years": _inp(target, "years"),
        },
        computed=a2,
        unit="people per year",
        method="bisection of the model's time to clear for S0 / (r − a) = 2 S0 / r",
    )


def _decrees(out: _Rows, stock: float, per_year: float) -> None:
    reported = _src("mem_2022_years_to_clear")
    common = {
        "stock": _inp(stock, "people", "mem_2022_stock_terrorism"),
        "decree_size": _inp(per_year, "people per decree", "mem_2022_decree_release_per_year"),
        "every": _inp(1.0, "years"),
    }
    out.add(
        "decrees_yearly",
        "one decree of 1,000 a year, the first a year after the start, no new arrests",
        inputs={**common, "first": _inp(1.0, "years")},
        computed=_years(Scenario(stock, Decrees(per_year))),
        reported=reported,
        reported_source="mem_2022_years_to_clear",
        unit="years",
        method="decree pulses: the last of ceil(S0 / R) decrees",
    )
    out.add(
        "decrees_first_at_start",
        "one decree of 1,000 a year, the first at the start (a boundary convention)",
        inputs={**common, "first": _inp(0.0, "years")},
        computed=_years(Scenario(stock, Decrees(per_year, first=0.0))),
        reported=reported,
        reported_source="mem_2022_years_to_clear",
        unit="years",
        method="decree pulses: the last of ceil(S0 / R) decrees, counted from t = 0",
    )


def _rate_rows(out: _Rows, stock: float) -> None:
    from .rates import rate_from_count

    released = int(_src("mem_2022_released"))
    count_source = _source("mem_2022_released")
    decree_date = _source("decree_7_2022").as_of
    assert decree_date is not None and count_source.published and count_source.as_of
    for suffix, end, label, date_source in (
        ("", count_source.published, "the report's date", "mem_2022_released"),
        ("_24_days", count_source.as_of, "The New Arab's date", "mem_2022_released"),
    ):
        days = float((end - decree_date).days)
        est = rate_from_count(released, start=decree_date, end=end)
        inputs = {
            "count": _inp(released, "people", "mem_2022_released"),
            "start": _inp(decree_date, "date of Decree No. 7", "decree_7_2022"),
            "end": _inp(end, label, date_source),
            "days": _inp(days, "days"),
        }
        out.add(
            f"rate_seen{suffix}",
            f"annual release rate seen: {released} released from the decree to {label} "
            f"({days:.0f} days)",
            inputs=inputs,
            computed=est.rate,
            low=est.low,
            high=est.high,
            unit="people per year",
            method="count / span in years (365.25 days); exact (Garwood) 95 % Poisson interval",
            kind="not a model output",
        )
        base = Scenario(stock, est.rate)
        out.add(
            f"rate_seen{suffix}_clear",
            f"years to release 132,000 at the rate seen to {label}, no new arrests",
            inputs={
                "stock": _inp(stock, "people", "mem_2022_stock_terrorism"),
                **inputs,
                "release_rate": _inp(est.rate, "people per year (rate seen)"),
            },
            computed=_years(base),
            low=_years(base.with_(release_rate=est.high)),
            high=_years(base.with_(release_rate=est.low)),
            unit="years",
            method="closed form S0 / r; the rate's interval mapped through the monotone answer",
        )

    # The forcibly disappeared at the pace seen (6 or 7 in the decree's first 26 days).
    gone = _src("mem_2022_disappeared")
    end = count_source.published
    days = float((end - decree_date).days)
    inputs = {
        "stock": _inp(gone, "people", "mem_2022_disappeared"),
        "released": _inp("6 or 7", "people", "mem_2022_disappeared_released"),
        "start": _inp(decree_date, "date of Decree No. 7", "decree_7_2022"),
        "end": _inp(end, "the report's date", "mem_2022_released"),
    }
    k_low = _src("mem_2022_disappeared_released", bound="low")
    k_high = _src("mem_2022_disappeared_released", bound="high")
    k_mid = _src("mem_2022_disappeared_released", bound="mid")
    span = days / DAYS_PER_YEAR
    out.add(
        "disappeared_pace_seen",
        f"years to release 87,000 forcibly disappeared at 6 or 7 per {days:.0f} days "
        "(the decree's pace), no new arrests",
        inputs=inputs,
        computed=_years(Scenario(gone, k_mid / span)),
        low=_years(Scenario(gone, k_high / span)),
        high=_years(Scenario(gone, k_low / span)),
        unit="years",
        method="closed form S0 / r; range from 7 (low) and 6 (high) released",
    )
    lo_est = rate_from_count(int(k_high), start=decree_date, end=end)
    hi_est = rate_from_count(int(k_low), start=decree_date, end=end)
    out.add(
        "disappeared_pace_seen_poisson",
        "the same with the exact 95 % Poisson interval of the counts (7 for the low end, "
        "6 for the high end)",
        inputs=inputs,
        computed=_years(Scenario(gone, k_mid / span)),
        low=_years(Scenario(gone, lo_est.high)),
        high=_years(Scenario(gone, hi_est.low)),
        unit="years",
        method="closed form S0 / r; exact (Garwood) 95 % intervals of 7 and 6 mapped",
    )


def _disappeared(out: _Rows) -> None:
    gone = _src("mem_2022_disappeared")
    sizes = {b: _src("mem_2022_disappeared_released", bound=b) for b in ("low", "mid", "high")}
    years = {b: _years(Scenario(gone, Decrees(size))) for b, size in sizes.items()}
    out.add(
        "disappeared_decrees",
        "decrees (one a year) to release 87,000 forcibly disappeared at 6 or 7 per decree",
        inputs={
            "stock": _inp(gone, "people", "mem_2022_disappeared"),
            "decree_size": _inp("6 or 7", "people per decree", "mem_2022_disappeared_released"),
            "every": _inp(1.0, "years"),
        },
        computed=years["mid"],
        low=years["high"],
        high=years["low"],
        unit="years",
        method="decree pulses: ceil(S0 / R) decrees; central value at 6.5 per decree",
    )


def _currency(out: _Rows) -> None:
    syp = _src("mem_2022_case_closure_demand_syp")
    usd = _src("mem_2022_case_closure_demand_usd", audit=True)
    official = _src("syp_usd_official_2022_04_13")
    april = _src("syp_usd_parallel_2022_04")
    september = _src("syp_usd_parallel_2022_09")
    implied = syp / usd
    amount = {
        "amount": _inp(syp, "SYP", "mem_2022_case_closure_demand_syp"),
        "dollars_reported": _inp(usd, "USD", "mem_2022_case_closure_demand_usd"),
    }
    official_in = {"rate": _inp(official, "SYP per USD", "syp_usd_official_2022_04_13")}
    parallel_in = {
        "rate_april": _inp(april, "SYP per USD", "syp_usd_parallel_2022_04"),
        "rate_september": _inp(september, "SYP per USD", "syp_usd_parallel_2022_09"),
    }
    kw: dict[str, Any] = {"method": "arithmetic: SYP / (SYP per USD)"}
    out.add(
        "currency_rate_official",
        "SYP per US dollar: the rate implied by '30 million SYP ($57,291)' (reported) and "
        "the official rate in force on 26 May 2022 (computed)",
        inputs={**amount, **official_in},
        computed=official,
        reported=implied,
        unit="SYP per USD",
        **{**kw, "method": "implied rate = 30,000,000 / 57,291; official rate from 13 April 2022"},
    )
    out.add(
        "currency_rate_parallel",
        "SYP per US dollar: the rate implied by the report (reported) and the parallel-market "
        "rate (computed: April 2022; range April–September 2022)",
        inputs={**amount, **parallel_in},
        computed=april,
        low=april,
        high=september,
        reported=implied,
        unit="SYP per USD",
        **{**kw, "method": "implied rate = 30,000,000 / 57,291; parallel rates as reported"},
    )
    out.add(
        "currency_usd_official",
        "30,000,000 SYP in US dollars at the official rate (2,814 SYP/USD)",
        inputs={**amount, **official_in},
        computed=syp / official,
        reported=usd,
        reported_source="mem_2022_case_closure_demand_usd",
        unit="USD",
        **kw,
    )
    out.add(
        "currency_usd_parallel",
        "30,000,000 SYP in US dollars at the parallel-market rate (April 2022; range "
        "April–September 2022)",
        inputs={**amount, **parallel_in},
        computed=syp / april,
        low=syp / september,
        high=syp / april,
        reported=usd,
        reported_source="mem_2022_case_closure_demand_usd",
        unit="USD",
        **kw,
    )


def _march_2020(out: _Rows) -> None:
    stock = _src("snhr_2020_03_stock")
    per_half = _src("snhr_2020_03_releases_per_six_months")
    reported = _src("snhr_2020_03_years_to_release")
    per_year = 2 * per_half  # people per six months -> per year, stated once and explicitly
    inputs = {
        "stock": _inp(stock, "people", "snhr_2020_03_stock"),
        "releases": _inp(
            per_half, "people per six months", "snhr_2020_03_releases_per_six_months"
        ),
        "release_rate": _inp(per_year, "people per year (2 × per six months)"),
    }
    out.add(
        "snhr_2020_03_years",
        "SNHR, March 2020: 130,000 at about 230 releases every six months, no new arrests",
        inputs=inputs,
        computed=_years(Scenario(stock, per_year)),
        reported=reported,
        reported_source="snhr_2020_03_years_to_release",
        unit="years",
        method="closed form S0 / r",
    )
    base = Scenario(stock, per_year)
    rate = _bisect(lambda r: -_years(base.with_(release_rate=r)), -reported, 1.0, 10 * stock)
    out.add(
        "snhr_2020_03_rate_for_325",
        "SNHR, March 2020: the release rate that gives the stated 325 years for 130,000",
        inputs={
            "stock": _inp(stock, "people", "snhr_2020_03_stock"),
            "target_years": _inp(reported, "years", "snhr_2020_03_years_to_release"),
        },
        computed=rate,
        unit="people per year",
        method="bisection of the model's time to clear for S0 / r = 325",
    )


def _november_2022(out: _Rows) -> None:
    released = _src("snhr_2022_11_released_all_decrees")
    decrees = _src("snhr_2022_11_decrees")
    held = _src("snhr_2022_11_still_held")
    stated_decrees = _src("snhr_2022_11_decrees_needed", audit=True)
    stated_years = _src("snhr_2022_11_years_needed", audit=True)
    size = released / decrees
    totals = {
        "released": _inp(released, "people", "snhr_2022_11_released_all_decrees"),
        "decrees": _inp(decrees, "amnesty decrees", "snhr_2022_11_decrees"),
    }
    out.add(
        "snhr_2022_11_per_decree",
        "SNHR, November 2022: people released per amnesty decree, March 2011 to October 2022",
        inputs=totals,
        computed=size,
        unit="people per decree",
        method="arithmetic: released / decrees",
        kind="not a model output",
    )
    stock_in = {"stock": _inp(held, "people", "snhr_2022_11_still_held")}
    count = _years(Scenario(held, Decrees(size)))  # one a year: years = decrees
    out.add(
        "snhr_2022_11_decrees",
        "SNHR, November 2022: decrees of that size needed for the 135,253 still held",
        inputs={**stock_in, **totals},
        computed=count,
        reported=stated_decrees,
        reported_source="snhr_2022_11_decrees_needed",
        unit="amnesty decrees",
        method="decree pulses: ceil(S0 / R) decrees",
    )
    out.add(
        "snhr_2022_11_size_for_408",
        "SNHR, November 2022: the people per decree that would make it 408 decrees",
        inputs={
            **stock_in,
            "decrees": _inp(stated_decrees, "amnesty decrees", "snhr_2022_11_decrees_needed"),
        },
        computed=held / stated_decrees,
        low=held / stated_decrees,
        high=held / (stated_decrees - 1),
        unit="people per decree",
        method="ceil(S0 / R) = 408 for S0 / 408 ≤ R < S0 / 407",
    )
    every = {b: years_between(*span) / decrees for b, span in _SNHR_SPAN.items()}
    years = {b: _years(Scenario(held, Decrees(size, every=e))) for b, e in every.items()}
    out.add(
        "snhr_2022_11_years",
        "SNHR, November 2022: years for those decrees at the past pace (21 decrees from "
        "March 2011 to October 2022)",
        inputs={
            **stock_in,
            **totals,
            "span": _inp("March 2011 to October 2022", "months", "snhr_2022_11_decrees"),
            "every": _inp(every["mid"], "years between decrees"),
        },
        computed=years["mid"],
        low=years["low"],
        high=years["high"],
        reported=stated_years,
        reported_source="snhr_2022_11_years_needed",
        unit="years",
        method="decree pulses every span / 21 years; range from the ends of the months named",
    )
    out.add(
        "snhr_2022_11_every_for_233",
        "SNHR, November 2022: years between decrees that make 408 decrees take 233 years",
        inputs={
            "decrees": _inp(stated_decrees, "amnesty decrees", "snhr_2022_11_decrees_needed"),
            "years": _inp(stated_years, "years", "snhr_2022_11_years_needed"),
        },
        computed=stated_years / stated_decrees,
        unit="years between decrees",
        method="arithmetic: 233 / 408 (the pace seen was one every "
        f"{every['low']:.3f}–{every['high']:.3f} years)",
    )


def _rate_row(
    out: _Rows,
    row_id: str,
    description: str,
    *,
    count: int,
    start: _dt.date,
    end: _dt.date,
    inputs: dict[str, dict[str, Any]],
    stock: float | None = None,
    pace: str = "",
) -> float:
    """A later-data rate row (and, given ``stock``, the years to clear at ``pace``); the rate."""
    from .rates import rate_from_count

    est = rate_from_count(count, start=start, end=end)
    days = float((end - start).days)
    inputs = {**inputs, "days": _inp(days, "days")}
    out.add(
        row_id,
        f"{_LATER}: {description}: {count} in {days:.0f} days",
        inputs=inputs,
        computed=est.rate,
        low=est.low,
        high=est.high,
        unit="people per year",
        method="count / span in years (365.25 days); exact (Garwood) 95 % Poisson interval",
        kind="later data",
    )
    if stock is not None:
        base = Scenario(stock, est.rate)
        out.add(
            f"{row_id}_clear",
            f"{_LATER}: years to release 132,000 at {pace}, no new arrests",
            inputs={
                "stock": _inp(stock, "people", "mem_2022_stock_terrorism"),
                **inputs,
                "release_rate": _inp(est.rate, "people per year (rate seen)"),
            },
            computed=_years(base),
            low=_years(base.with_(release_rate=est.high)),
            high=_years(base.with_(release_rate=est.low)),
            unit="years",
            method="closed form S0 / r with r from the count (exact Poisson interval mapped)",
            kind="later data",
        )
    return est.rate


def _dated(source: Source) -> tuple[_dt.date, int]:
    assert source.as_of is not None and source.value is not None
    return source.as_of, int(source.value)


def _later_data(out: _Rows, stock: float) -> None:
    """Rows from SNHR's counts published after the report (to 12 August 2022)."""
    from .later_data import _rate_ratio

    decree, _ = _dated(_source("decree_7_2022"))
    (d_523, n_523), (d_539, n_539), (d_556, n_556) = (
        _dated(_source(f"snhr_released_2022_{day}")) for day in ("05_24", "07_05", "08_12")
    )
    d_arr, n_arr = _dated(_source("snhr_arrests_since_decree_2022_07_05"))
    decree_in = {"start": _inp(decree, "date of Decree No. 7", "decree_7_2022")}

    # The pace after the first wave: releases between the New Arab's count (24 May) and
    # SNHR's 12 August 2022 count.
    _rate_row(
        out,
        "rate_later",
        f"releases after the first wave, {d_523.day} {d_523:%B} to {d_556.day} {d_556:%B %Y} "
        f"(SNHR: {n_523} to {n_556})",
        count=n_556 - n_523,
        start=d_523,
        end=d_556,
        inputs={
            "count": _inp(n_556 - n_523, "people", "snhr_released_2022_08_12"),
            "count_before": _inp(n_523, "people", "snhr_released_2022_05_24"),
            "start": _inp(d_523, "date", "snhr_released_2022_05_24"),
            "end": _inp(d_556, "date", "snhr_released_2022_08_12"),
        },
        stock=stock,
        pace=f"the pace of {d_523.day} {d_523:%B} to {d_556.day} {d_556:%B %Y}",
    )

    # Arrests: SNHR counted 124 new arbitrary arrests from the decree to 5 July 2022.
    arrest_in = {
        "arrests": _inp(n_arr, "people", "snhr_arrests_since_decree_2022_07_05"),
        **decree_in,
        "end": _inp(d_arr, "date", "snhr_arrests_since_decree_2022_07_05"),
    }
    a_rate = _rate_row(
        out,
        "arrests_rate_seen",
        f"new arbitrary arrests from the decree to {d_arr.day} {d_arr:%B %Y}",
        count=n_arr,
        start=decree,
        end=d_arr,
        inputs=arrest_in,
    )
    a_est_low, a_est_high = out.rows[-1]["low"], out.rows[-1]["high"]
    per_year = _src("mem_2022_decree_release_per_year")
    base = Scenario(stock, per_year, a_rate)
    out.add(
        "arrests_seen",
        f"{_LATER}: the headline (1,000 released a year) with arrests at the pace SNHR counted "
        f"after the decree ({n_arr} by {d_arr.day} {d_arr:%B %Y})",
        inputs={
            "stock": _inp(stock, "people", "mem_2022_stock_terrorism"),
            "release_rate": _inp(per_year, "people per year", "mem_2022_decree_release_per_year"),
            **arrest_in,
            "arrest_rate": _inp(a_rate, "people per year (rate seen)"),
        },
        computed=_years(base),
        low=_years(base.with_(arrest_rate=a_est_low)),
        high=_years(base.with_(arrest_rate=a_est_high)),
        unit="years",
        method="closed form S0 / (r − a) with a from the count (exact Poisson interval mapped)",
        kind="later data",
    )

    # Arrests against releases over the same weeks: from the decree (first wave included)...
    years_arr = (d_arr - decree).days / DAYS_PER_YEAR
    ratio_method = (
        "ratio of two Poisson rates; exact 95 % interval from the binomial split of the two "
        "counts (Clopper–Pearson)"
    )
    same = _rate_ratio(n_arr, years_arr, n_539, (d_539 - decree).days / DAYS_PER_YEAR)
    out.add(
        "arrests_per_release_since_decree",
        f"{_LATER}: new arrests per release from the decree to {d_arr.day} {d_arr:%B %Y} "
        f"({n_arr} arrests, {n_539} released, first wave included)",
        inputs={
            **arrest_in,
            "released": _inp(n_539, "people", "snhr_released_2022_07_05"),
            "released_end": _inp(d_539, "date", "snhr_released_2022_07_05"),
        },
        computed=same[0],
        low=same[1],
        high=same[2],
        unit="arrests per release",
        method=ratio_method,
        kind="later data",
    )
    # ...and once the first wave was over (24 May to 5 July).
    after_in = {
        "count": _inp(n_539 - n_523, "people", "snhr_released_2022_07_05"),
        "count_before": _inp(n_523, "people", "snhr_released_2022_05_24"),
        "start": _inp(d_523, "date", "snhr_released_2022_05_24"),
        "end": _inp(d_539, "date", "snhr_released_2022_07_05"),
    }
    r_after = _rate_row(
        out,
        "releases_after_burst",
        f"releases over the weeks of the arrest count after the first wave, {d_523.day} "
        f"{d_523:%B} to {d_539.day} {d_539:%B %Y} (SNHR: {n_523} to {n_539})",
        count=n_539 - n_523,
        start=d_523,
        end=d_539,
        inputs=after_in,
        stock=stock,
        pace=f"the pace of {d_523.day} {d_523:%B} to {d_539.day} {d_539:%B %Y}",
    )
    after = _rate_ratio(n_arr, years_arr, n_539 - n_523, (d_539 - d_523).days / DAYS_PER_YEAR)
    out.add(
        "arrests_per_release_after_burst",
        f"{_LATER}: new arrests per release once the first wave was over (arrests from the "
        f"decree to {d_arr.day} {d_arr:%B}, releases from {d_523.day} {d_523:%B} to "
        f"{d_539.day} {d_539:%B %Y})",
        inputs={**arrest_in, **{f"released_{k}": v for k, v in after_in.items()}},
        computed=after[0],
        low=after[1],
        high=after[2],
        unit="arrests per release",
        method=ratio_method,
        kind="later data",
    )
    both = Scenario(stock, r_after, a_rate)
    years = _years(both)
    why = f" — never: {both.reason}" if math.isinf(years) else ""
    out.add(
        "later_rates_clear",
        f"{_LATER}: years to release 132,000 with releases and arrests at the rates seen after "
        f"the first wave ({r_after:,.0f} and {a_rate:,.0f} a year){why}",
        inputs={
            "stock": _inp(stock, "people", "mem_2022_stock_terrorism"),
            "release_rate": _inp(
                r_after, "people per year (rate seen)", "snhr_released_2022_07_05"
            ),
            "arrest_rate": _inp(
                a_rate, "people per year (rate seen)", "snhr_arrests_since_decree_2022_07_05"
            ),
        },
        computed=years,
        unit="years",
        method="closed form S0 / (r − a); never if a ≥ r",
        kind="later data",
        extra_sources=("snhr_released_2022_05_24",),
    )


def _illustrative(out: _Rows, stock: float, per_year: float) -> None:
    """The headline with an assumed death rate in custody (docs/methods.md §1), illustrative."""
    from .cohorts import cohort

    for mu in _DEATH_RATES:
        s = Scenario(stock, per_year, death_rate=mu)
        years = _years(s)
        fifo = cohort(s, "fifo", step=1.0)
        tag = f"deaths_{mu * 100:g}pct"
        what = (
            f"{_ILLUSTRATIVE}: 132,000 held, 1,000 released a year, no new arrests, and "
            f"{mu * 100:g} % of those held dying in custody each year"
        )
        inputs = {
            "stock": _inp(stock, "people", "mem_2022_stock_terrorism"),
            "release_rate": _inp(per_year, "people per year", "mem_2022_decree_release_per_year"),
            "arrest_rate": _inp(0.0, "people per year"),
            "death_rate": _inp(mu, "deaths per person per year (assumption)"),
        }
        for suffix, computed, unit, how, method in (
            ("clear", years, "years", "years until none is held",
             "closed form ln(1 + μ S0 / r) / μ"),
            ("released_alive", fifo.released_alive, "people", "released alive",
             "releases at r until the stock is empty: r · T (cohort, closed form)"),
            ("died", fifo.died_in_custody, "people", "dead in custody before release",
             "S0 − r · T: without arrests all not released die in custody (cohort, closed form)"),
        ):  # fmt: skip
            out.add(
                f"{tag}_{suffix}",
                f"{what}: {how}",
                inputs=inputs,
                computed=computed,
                unit=unit,
                method=method,
                kind="illustrative",
            )


@functools.cache
def _rows() -> tuple[dict[str, Any], ...]:
    out = _Rows()
    stock, per_year = _headline(out)
    _never_stops(out, stock, per_year)
    _decrees(out, stock, per_year)
    _rate_rows(out, stock)
    _disappeared(out)
    _currency(out)
    _march_2020(out)
    _november_2022(out)
    _later_data(out, stock)
    _illustrative(out, stock, per_year)
    return tuple(out.rows)


def article_rows() -> list[dict[str, Any]]:
    """The rows of :func:`reproduce_article` as plain dicts (no pandas needed).

    Returns
    -------
    list of dict
        One dict per row with the keys :data:`ARTICLE_COLUMNS`.

    Examples
    --------
    >>> article_rows()[0]["computed"]
    132.0
    """
    return copy.deepcopy(list(_rows()))


def reproduce_article() -> pd.DataFrame:
    """Recompute the report's figures and their variants, one row per claim or variant.

    Returns
    -------
    pandas.DataFrame
        Columns (:data:`ARTICLE_COLUMNS`): ``id``; ``description``; ``inputs`` (a dict: name →
        ``{"value", "unit", "source"}``); ``sources`` (list of source ids);
        ``reported`` (the stated figure, NaN if none); ``computed``; ``low``/``high`` (a range
        or 95 % interval where one applies, else NaN); ``unit``; ``method``; ``status`` (see
        :data:`ARTICLE_STATUSES`); ``relative_difference`` (``(computed − reported) /
        reported``, NaN without a stated figure, ``inf`` if never); ``citation`` (a sentence
        to paste); ``provenance`` (a 12-digit hash of the row's inputs, method, sources and
        result). Years are model years of 365.25 days; ``inf`` means never.
        ``table.attrs["provenance"]`` holds the table's provenance record (every row's hash,
        the sources, the version), so that :func:`~amnesty_model.save_results` can save it.

    Notes
    -----
    The report: Middle East Monitor, "Assad regime demands money to close released
    detainees' cases, violating amnesty decree", 26 May 2022, quoting Fadel Abdul Ghany
    (SNHR) from The New Arab, 24 May 2022. ``docs/reproduce.md`` explains each row.

    Examples
    --------
    >>> table = reproduce_article()
    >>> row = table.set_index("id").loc["headline"]
    >>> float(row["computed"]), row["status"]
    (132.0, 'reproduced')
    >>> table.set_index("id").loc["currency_usd_official", "computed"].round()
    np.float64(10661.0)
    >>> sorted(set(table["status"]) - {"reproduced", "differs", "variant"})
    ['illustrative', 'later data', 'not a model output']
    """
    import pandas as pd

    rows = article_rows()
    table = pd.DataFrame(rows, columns=list(ARTICLE_COLUMNS))
    table.attrs["provenance"] = _table_provenance(rows)
    return table


def _table_provenance(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The table's provenance: every row's hash (each covers its inputs, method and result)."""
    sources = [source for row in rows for source in row["sources"]]
    return make_provenance(
        method="reproduce_article: the report's arithmetic, claim by claim",
        inputs={"rows": {row["id"]: row["provenance"] for row in rows}},
        sources=sources,
    )


@suggest_keywords
def cite_article(row_id: str) -> str:
    """A sentence to paste for one row of :func:`reproduce_article`.

    Parameters
    ----------
    row_id : str
        The row's ``id``, e.g. ``"headline"``.

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``row_id`` is not text (a 0-d array holding the id is accepted).
    ValueError
        For an unknown id (the message lists the ids).

    Examples
    --------
    >>> print(cite_article("headline"))  # doctest: +ELLIPSIS
    132,000 held, 1,000 released a year, no new arrests: years until all are released:
    computed 132 years against 132 years stated [reproduced]; closed form S0 / r; sources:
    mem_2022_stock_terrorism, mem_2022_decree_release_per_year, mem_2022_years_to_clear
    (amnesty_model ..., provenance ...).
    """
    if getattr(row_id, "ndim", None) == 0 and callable(getattr(row_id, "item", None)):
        row_id = row_id.item()  # type: ignore[attr-defined]  # a 0-d array holding the id
    ids = ", ".join(row["id"] for row in _rows())
    if not isinstance(row_id, str):
        raise TypeError(
            f"row_id must be the id (str) of a row of the article table ({ids}), got "
            f"{type(row_id).__name__}"
        )
    for row in _rows():
        if row["id"] == row_id:
            return str(row["citation"])
    raise ValueError(
        f"row_id must be the id of a row of the article table ({ids}), got {row_id!r}"
    )
