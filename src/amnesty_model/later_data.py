"""Rows for the article table that use data published after the report (26 May 2022).

The report divides 132,000 held by a release rate. Its own figure (523 released) implies one
rate; SNHR's counts up to August 2022 imply a far lower one once the decree's first wave is
over, and its count of new arrests over the same weeks a higher rate of arrests than of
releases. :func:`later_data_rows` sets these side by side, every row labelled with the data it
uses.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import TYPE_CHECKING, Any

from ._time import DAYS_PER_YEAR
from ._validation import suggest_keywords
from .clear import time_to_clear
from .datasets import DECREE7_DATE, load_decree7_arrests, load_decree7_releases
from .fit import fit_burst_decay, fit_piecewise
from .rates import garwood_interval

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REPORT_DATE", "STOCK_HELD", "later_data_rows"]

#: Publication date of the report (Middle East Monitor).
REPORT_DATE = _dt.date(2022, 5, 26)
#: People still held on terrorism charges, "about 132,000" (SNHR, May–August 2022).
STOCK_HELD = 132_000

_REPORT = "report (26 May 2022)"
_LATER = "later data (after 26 May 2022)"


def _years(rate: float, low: float, high: float, stock: float) -> dict[str, float]:
    values = time_to_clear(stock, [rate, high, low])
    return {"years_to_clear": values[0], "years_low": values[1], "years_high": values[2]}


def _row(  # noqa: PLR0917 - one table row, built positionally in a list
    label: str,
    data: str,
    count: int,
    start: _dt.date,
    end: _dt.date,
    rate: float,
    low: float,
    high: float,
    method: str,
    sources: str,
    note: str,
    stock: float | None,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "row": label,
        "data": data,
        "count": count,
        "start": start,
        "end": end,
        "days": (end - start).days,
        "rate_per_year": rate,
        "rate_low": low,
        "rate_high": high,
    }
    if stock is None:
        row.update(years_to_clear=math.nan, years_low=math.nan, years_high=math.nan)
    else:
        row.update(_years(rate, low, high, stock))
    row.update(method=method, sources=sources, note=note)
    return row


def _count_rate(  # noqa: PLR0917
    label: str,
    data: str,
    count: int,
    start: _dt.date,
    end: _dt.date,
    sources: str,
    note: str,
    stock: float | None,
    confidence: float,
) -> dict[str, Any]:
    span = (end - start).days / DAYS_PER_YEAR
    low, high = garwood_interval(count, confidence)
    return _row(
        label, data, count, start, end, count / span, low / span, high / span,
        "exact (Garwood)", sources, note, stock,
    )  # fmt: skip


def _rate_ratio(
    count: int, years: float, count_ref: int, years_ref: float, confidence: float = 0.95
) -> tuple[float, float, float]:
    """The ratio of two Poisson rates with its exact interval, ``(ratio, low, high)``.

    The ratio is ``ρ = (count / years) / (count_ref / years_ref)``. Given the total
    ``n = count + count_ref``, ``count`` is binomial with ``p = ρ e / (ρ e + e_ref)`` (``e``
    the exposures in years), so the Clopper–Pearson limits on ``p``, mapped by
    ``p / (1 − p) · e_ref / e``, bound ``ρ`` (``high`` is ``inf`` when ``count_ref = 0``).
    The beta quantiles come from ``scipy.special.betaincinv`` (``beta.ppf(q, a, b) =
    betaincinv(a, b, q)``), which keeps ``scipy.stats`` out of ``amnesty-model reproduce``.
    Used by the article table too.
    """
    from scipy.special import betaincinv

    alpha = 1.0 - confidence
    n = count + count_ref
    p_low = float(betaincinv(count, count_ref + 1, alpha / 2)) if count > 0 else 0.0
    p_high = float(betaincinv(count + 1, count_ref, 1 - alpha / 2)) if count_ref > 0 else 1.0
    to_ratio = years_ref / years

    def ratio(p: float) -> float:
        return math.inf if p >= 1 else p / (1 - p) * to_ratio

    return ratio(count / n), ratio(p_low), ratio(p_high)


@suggest_keywords
def later_data_rows(stock: float = STOCK_HELD, confidence: float = 0.95) -> pd.DataFrame:
    """The report's implied release rate against the rates SNHR's later counts imply.

    Parameters
    ----------
    stock : float, default 132000
        People held [people] (SNHR's "about 132,000").
    confidence : float, default 0.95
        Coverage of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per rate: ``row`` (what it is), ``data`` (the report's figure or later data),
        ``count``, ``start``, ``end``, ``days``, ``rate_per_year`` with ``rate_low`` and
        ``rate_high``, ``years_to_clear`` for ``stock`` with ``years_low`` and ``years_high``
        (``inf`` = never; NaN where not a release rate), ``method``, ``sources``, ``note``.

    Notes
    -----
    The report's 523 was given to The New Arab on about 24 May 2022 and printed on 26 May: the
    rate over 26 days (to publication) is the one the report's own arithmetic implies and that
    the project reproduces elsewhere (7,347 a year); over 24 days (to the count's date) it is
    higher, 7,959 a year. Both rows are given; the 24-day row is the better estimate of the
    rate in those weeks, the 26-day row the report's. Neither is the rate after the first
    wave: the burst-decay fit to the whole series (to 12 August 2022) gives the baseline
    once the wave is over, and the piecewise fit with a change on 24 May gives the average
    rate from then to 12 August. Arrests: 124 new arbitrary arrests from the decree to about
    5 July, against the releases over the same weeks after the first wave (24 May – 5 July);
    the ratio of the two rates has an exact interval from the binomial split of the two counts
    (Clopper–Pearson), given that each is a Poisson count.

    Examples
    --------
    >>> rows = later_data_rows()
    >>> rows.loc["report: 523 in 26 days", "rate_per_year"].round()
    np.float64(7347.0)
    """
    import pandas as pd

    from ._validation import check_number
    from .fit import _check_confidence

    stock = check_number(stock, "stock")
    confidence = _check_confidence(confidence)
    releases = load_decree7_releases()
    arrests = load_decree7_arrests()
    data = releases.resolve()
    by_source = dict(zip(data.sources, zip(data.dates, data.counts, strict=True), strict=True))
    d_523, n_523 = by_source["snhr_released_2022_05_24"]
    d_539, n_539 = by_source["snhr_released_2022_07_05"]
    d_556, n_556 = by_source["snhr_released_2022_08_12"]
    rows = [
        _count_rate(
            "report: 523 in 26 days", _REPORT, n_523, DECREE7_DATE, REPORT_DATE,
            "snhr_released_2022_05_24",
            "the report's arithmetic: decree date to publication", stock, confidence,
        ),
        _count_rate(
            "report: 523 in 24 days", _REPORT, n_523, DECREE7_DATE, d_523,
            "snhr_released_2022_05_24",
            "the same count to its as-of date (about 24 May, The New Arab)", stock, confidence,
        ),
    ]  # fmt: skip
    burst = fit_burst_decay(releases, confidence=confidence)
    b_low, b_high = burst.interval("baseline")
    rows.append(
        _row(
            "whole series: baseline after the burst", _LATER, n_556, DECREE7_DATE, d_556,
            burst.baseline, b_low, b_high, "burst-decay fit, profile likelihood",
            "; ".join(data.source_ids()),
            f"λ(t) = b + A·exp(−t/τ) fitted to {len(data)} counts; τ = "
            f"{burst.estimate('tau_days'):.1f} days, so the wave is over within weeks",
            stock,
        )
    )  # fmt: skip
    after = fit_piecewise(releases, [d_523], confidence=confidence).rate_after(d_523)
    rows.append(
        _row(
            "whole series: average after 24 May", _LATER, n_556 - n_523, d_523, d_556,
            after.rate, after.low, after.high, after.method,
            "snhr_released_2022_05_24; snhr_released_2022_08_12",
            "releases counted between the report's figure and 12 August 2022", stock,
        )
    )  # fmt: skip
    (d_arr,), (n_arr,) = arrests.dates, arrests.counts
    rows.append(
        _count_rate(
            "arrests: 124 since the decree", _LATER, n_arr, DECREE7_DATE, d_arr,
            "snhr_arrests_since_decree_2022_07_05",
            "new arbitrary arrests from the decree to about 5 July 2022 (not a release rate)",
            None, confidence,
        )
    )  # fmt: skip
    rows.append(
        _count_rate(
            "releases after the burst, to 5 July", _LATER, n_539 - n_523, d_523, d_539,
            "snhr_released_2022_05_24; snhr_released_2022_07_05",
            "releases over the same weeks as the arrests, once the first wave was over",
            stock, confidence,
        )
    )  # fmt: skip
    # Ratio of the arrest rate to the post-burst release rate: exact via the binomial split.
    e_arr = (d_arr - DECREE7_DATE).days / DAYS_PER_YEAR
    e_rel = (d_539 - d_523).days / DAYS_PER_YEAR
    k_arr, k_rel = n_arr, n_539 - n_523
    net = (k_arr / e_arr) - (k_rel / e_rel)
    rows.append(
        _row(
            "arrests per release after the burst", _LATER, k_arr + k_rel, DECREE7_DATE, d_539,
            *_rate_ratio(k_arr, e_arr, k_rel, e_rel, confidence),
            "exact (conditional binomial, Clopper–Pearson)",
            "snhr_arrests_since_decree_2022_07_05; snhr_released_2022_05_24; "
            "snhr_released_2022_07_05",
            f"ratio of rates (arrests / releases), not people per year; arrests outpace "
            f"releases by {net:,.0f} a year, so at these rates the stock grows and never clears",
            None,
        )
    )  # fmt: skip
    return pd.DataFrame(rows).set_index("row")
