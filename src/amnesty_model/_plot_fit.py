"""Plot a rate fit: the reported counts with the fitted cumulative curve and its band.

Kept apart from :mod:`amnesty_model.plot` until the two are merged; matplotlib is imported
inside the function so that importing the package does not need it.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

import numpy as np

from ._time import DAYS_PER_YEAR
from ._validation import check_positive_int

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .fit import RateFit

__all__ = ["plot_fit"]


def plot_fit(
    fit: RateFit,
    ax: Axes | None = None,
    *,
    band: bool = True,
    band_points: int = 12,
    **kwargs: Any,
) -> Axes:
    r"""Plot reported cumulative counts, the fitted curve and its pointwise band.

    Parameters
    ----------
    fit : RateFit
        A fit from :func:`~amnesty_model.fit_constant`, :func:`~amnesty_model.fit_piecewise`
        or :func:`~amnesty_model.fit_burst_decay`.
    ax : matplotlib.axes.Axes or None, default None
        Axes to draw on; a new figure if None.
    band : bool, default True
        Shade the interval of the expected cumulative count :math:`\Lambda(t)` at each of
        ``band_points`` dates (profile-likelihood or exact intervals, at the fit's confidence).
    band_points : int, default 12
        Dates at which the band is computed (each costs a profile search for burst-decay).
    **kwargs
        Passed to the fitted curve's ``ax.plot`` (e.g. ``color``, ``label``).

    Returns
    -------
    matplotlib.axes.Axes
        Points fitted are drawn as filled markers; points left out (an uncertain date) as
        hollow markers with a horizontal bar over their reported date interval.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from amnesty_model.datasets import load_decree7_releases
    >>> from amnesty_model.fit import fit_piecewise
    >>> ax = plot_fit(fit_piecewise(load_decree7_releases()), band_points=4)
    >>> len(ax.lines) >= 2
    True
    >>> plt.close(ax.figure)
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    def num(values: list[_dt.date]) -> Any:
        return mdates.date2num(values)  # type: ignore[no-untyped-call]

    band_points = check_positive_int(band_points, "band_points", minimum=2)
    if ax is None:
        _, ax = plt.subplots()
    series, source = fit.series, fit.source_series
    start = series.start
    end_day = float(max(source.days.max(), series.days.max()))
    days = np.linspace(0.0, end_day, 200)
    dates = [start + _dt.timedelta(days=float(d)) for d in days]
    kwargs.setdefault("label", f"fit: {fit.model}")
    (line,) = ax.plot(num(dates), fit.cumulative(days / DAYS_PER_YEAR), **kwargs)
    if band:
        band_days = np.linspace(end_day / band_points, end_day, band_points)
        lows, highs = [0.0], [0.0]
        for d in band_days:
            rate = fit.rate_during(0.0, d / DAYS_PER_YEAR)
            lows.append(rate.low * d / DAYS_PER_YEAR)
            highs.append(rate.high * d / DAYS_PER_YEAR)
        band_dates = [start] + [start + _dt.timedelta(days=float(d)) for d in band_days]
        ax.fill_between(
            num(band_dates),
            lows,
            highs,
            color=line.get_color(),
            alpha=0.2,
            label=f"{fit.confidence:.0%} interval",
        )
    ax.plot(
        num(list(series.dates)),
        list(series.counts),
        "o",
        color="black",
        label=f"reported ({len(series)} fitted)",
    )
    left_out = [
        i
        for i in range(len(source))
        if source.uncertain[i] and source.counts[i] not in _placed(fit, source.counts[i])
    ]
    for i in left_out:
        low, high = source.date_low[i], source.date_high[i]
        mid = source.dates[i]
        ax.errorbar(
            num([mid]),
            [source.counts[i]],
            xerr=[[(mid - low).days], [(high - mid).days]],
            fmt="o",
            mfc="none",
            color="grey",
            label="reported, date uncertain (not fitted)",
        )
    ax.xaxis_date()
    ax.set_xlabel("date")
    ax.set_ylabel(f"{series.what}, cumulative since {start.isoformat()}")
    ax.set_title(fit.series.name or f"{series.what} over time")
    ax.legend(loc="lower right")
    return ax


def _placed(fit: RateFit, count: int) -> set[int]:
    """Counts of points whose uncertain date was placed (so they are fitted)."""
    if fit.uncertain == "exclude":
        return set()
    return {count}
