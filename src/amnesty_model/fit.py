r"""Release (or arrest) rates learned from reported counts, by maximum likelihood.

The reported cumulative counts :math:`N(t_1) \le \dots \le N(t_n)` of a
:class:`~amnesty_model.CountSeries` are read as a Poisson process with rate :math:`\lambda(t)`
observed at the report dates: the increments :math:`k_i = N(t_i) - N(t_{i-1})` (with
:math:`t_0 = 0`, the series' start, and :math:`N(t_0) = 0`) are independent,

.. math:: k_i \sim \mathrm{Poisson}\big(\Lambda(t_i) - \Lambda(t_{i-1})\big), \qquad
          \Lambda(t) = \int_0^t \lambda(s)\,ds,

so the log-likelihood is
:math:`\ell = \sum_i k_i \log \mu_i - \mu_i - \log k_i!` with :math:`\mu_i` the expected
increments. Three models of :math:`\lambda`:

- :func:`fit_constant` — :math:`\lambda(t) = \lambda`: the MLE is total / span, with the exact
  (Garwood) interval;
- :func:`fit_piecewise` — a constant rate between change points, given or estimated (profile
  over the report dates): closed form per segment, exact intervals per segment;
- :func:`fit_burst_decay` — an initial wave that dies out, plus a baseline:
  :math:`\lambda(t) = b + A e^{-t/\tau}`,
  :math:`\Lambda(t) = b t + A \tau (1 - e^{-t/\tau})`; profile-likelihood intervals.

Every fit gives ``params`` (a DataFrame with intervals), ``loglik``, ``aic``, ``aicc``,
:meth:`~RateFit.goodness_of_fit`, :meth:`~RateFit.rate_during`, :meth:`~RateFit.rate_after`
(the rate seen over a window, with an interval, and what it means for the time to clear a
stock), :meth:`~RateFit.to_schedule` (a :class:`~amnesty_model.Schedule` for a
:class:`~amnesty_model.Scenario`), ``provenance`` and ``cite()``. :func:`compare_fits` puts
fits side by side (AIC, AICc, likelihood-ratio tests against the constant rate).

Caveats. A Poisson process assumes releases happen one by one and independently. Releases in
batches (a bus from Sednaya) are overdispersed, which makes every interval here too narrow;
the goodness-of-fit statistics hint at it, but with four or five reported counts they have
almost no power. Reported dates are often publication dates, not count dates.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ._time import DAYS_PER_YEAR, add_years
from ._validation import (
    FloatArray,
    check_date,
    check_number,
    check_positive_int,
    describe,
    suggest_keywords,
)
from ._version import __version__
from .clear import time_to_clear
from .provenance import format_number, make_provenance
from .rates import garwood_interval as _garwood_mean
from .rules import Schedule
from .series import CountSeries

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = [
    "BurstDecayFit",
    "ConstantFit",
    "FittedRate",
    "PiecewiseFit",
    "RateFit",
    "YearsToClear",
    "compare_fits",
    "fit_burst_decay",
    "fit_constant",
    "fit_piecewise",
    "garwood_interval",
    "lr_test",
]

_BISECT_ITERATIONS = 52
#: Largest ``(n_changes + 1) · n²`` (``n`` report dates) searched for change points.
_MAX_SEGMENTATION_WORK = 50_000_000
#: Most candidate sets :attr:`PiecewiseFit.candidates` lists.
MAX_CANDIDATES = 1_000_000
_TAU_GRID_POINTS = 97
_MAX_SCHEDULE_PIECES = 200_000


# ------------------------------------------------------------------------------------------------
# Small exact pieces
# ------------------------------------------------------------------------------------------------
def garwood_interval(count: int, exposure: float, confidence: float = 0.95) -> tuple[float, float]:
    r"""Exact (Garwood) interval for a Poisson rate from ``count`` events over ``exposure``.

    :func:`amnesty_model.rates.garwood_interval` (the interval for the mean count) divided by
    the exposure.

    Parameters
    ----------
    count : int
        Events observed, ``k >= 0``.
    exposure : float
        Time observed [years], ``> 0``.
    confidence : float, default 0.95
        Coverage of the interval, in (0, 1).

    Returns
    -------
    (low, high) : tuple of float
        Rate bounds [events/year]:
        :math:`[\chi^2_{\alpha/2}(2k)/2,\ \chi^2_{1-\alpha/2}(2k+2)/2] / \text{exposure}`, with
        ``low = 0`` when ``k = 0``.

    References
    ----------
    Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika* 28, 437–442.

    Examples
    --------
    The report: 523 released in the decree's first 26 days.

    >>> low, high = garwood_interval(523, 26 / 365.25)
    >>> round(low), round(high)
    (6731, 8005)
    """
    low, high = _garwood_mean(count, confidence)
    return low / exposure, high / exposure


def _as_times(t: Any) -> FloatArray:
    """Times [years] as a float array; complex, non-numeric or NaN times refused by name."""
    values = np.asarray(t)
    if values.dtype == object:  # e.g. an integer beyond int64
        try:
            values = values.astype(np.float64)
        except (TypeError, ValueError, OverflowError):
            raise ValueError(
                f"t must be real numbers of years a float can hold, got {describe(t)}"
            ) from None
    if values.dtype.kind not in "iuf":
        raise TypeError(
            f"t must be real numbers of years, got {describe(t)} ({values.dtype} values)"
        )
    result: FloatArray = values.astype(np.float64)
    if not (np.isfinite(result) & (result >= 0)).all():
        raise ValueError(
            f"t must be finite numbers of years >= 0 (since the series' start), got {describe(t)}"
        )
    return result


def _finite_count(values: FloatArray, t: FloatArray) -> FloatArray:
    """An expected count, refused by name (``t``) where it is beyond the largest float."""
    if not np.isfinite(values).all():
        raise ValueError(
            f"t must be small enough for the expected count to be a float, got up to "
            f"{float(np.max(t)):g} years"
        )
    return values


def _poisson_loglik(k: FloatArray, mu: FloatArray) -> FloatArray:
    """Sum over the last axis of ``log Poisson(k; mu)``; ``-inf`` where ``mu = 0 < k``."""
    from scipy.special import gammaln

    positive = mu > 0
    log_mu = np.log(np.where(positive, mu, 1.0))
    terms = np.where(k > 0, k * log_mu, 0.0) - mu - gammaln(k + 1.0)
    terms = np.where((~positive) & (k > 0), -np.inf, terms)
    result: FloatArray = terms.sum(axis=-1)
    return result


def _poisson_centred(k: FloatArray, mu: FloatArray) -> FloatArray:
    r"""The log-likelihood less that of the saturated model (``mu = k``): minus half the deviance.

    :math:`\sum k \log(\mu / k) - (\mu - k)`, summed over the last axis.

    The same differences as the log-likelihood, without its large constant: with counts near
    ``1e15`` the log-likelihood is near ``3e16``, where floats are 4 apart, too coarse to see
    the ``χ²/2 ≈ 1.9`` that bounds a profile-likelihood interval. Each term is computed as
    ``k log1p(x) - k x`` with ``x = (mu - k) / k``, accurate to rounding of ``mu - k``.
    ``-inf`` where ``mu = 0 < k``.
    """
    positive = mu > 0
    safe_k = np.where(k > 0, k, 1.0)
    x = np.where(positive, (mu - k) / safe_k, 0.0)
    terms = np.where(k > 0, k * np.log1p(np.maximum(x, -0.5)) - (mu - k), -mu)
    # log1p(x) for x < -0.5 (mu < k / 2) directly, away from log1p's pole at -1:
    low = positive & (k > 0) & (x < -0.5)
    if low.any():
        ratio = np.divide(mu, safe_k, out=np.ones_like(mu), where=low)
        terms = np.where(low, k * np.log(ratio) - (mu - k), terms)
    terms = np.where((~positive) & (k > 0), -np.inf, terms)
    result: FloatArray = terms.sum(axis=-1)
    return result


def _chi2_quantile(confidence: float, df: int = 1) -> float:
    from scipy.stats import chi2

    return float(chi2.ppf(confidence, df))


def _check_confidence(confidence: object) -> float:
    value = check_number(confidence, "confidence", strict=True)
    if value >= 1.0:
        raise ValueError(
            f"confidence must be strictly between 0 and 1, got {describe(confidence)}"
        )
    if value < _MIN_CONFIDENCE:
        # A profile-likelihood interval at a vanishing level collapses onto the estimate and
        # its end points can no longer be bracketed.
        raise ValueError(
            f"confidence must be at least {_MIN_CONFIDENCE:g} for likelihood intervals, "
            f"got {describe(confidence)}"
        )
    return value


#: Smallest confidence level accepted for a fitted interval.
_MIN_CONFIDENCE = 0.5


def _prepare(series: object, uncertain: str) -> CountSeries:
    if not isinstance(series, CountSeries):
        raise TypeError(
            f"series must be a CountSeries (see CountSeries.from_frame), got "
            f"{type(series).__name__}"
        )
    resolved = series.resolve(uncertain)
    if resolved.total == 0:
        raise ValueError(
            f"the series counts no {resolved.what} at all (every count is 0); a rate of 0 "
            "needs no fit"
        )
    return resolved


# ------------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------------
class YearsToClear(NamedTuple):
    """Years to clear a stock at a fitted rate, with the interval from the rate's interval."""

    years: float
    low: float
    high: float


@dataclass(frozen=True)
class FittedRate:
    """A rate seen over a window of a fit, with its interval.

    Attributes
    ----------
    rate, low, high : float
        Average rate over the window and its interval [people/year].
    confidence : float
        Coverage of the interval.
    start, end : datetime.date
        The window.
    what : str
        What is counted ("released", "arrested").
    model : str
        The fitted model.
    method : str
        How the interval was computed.
    fit_hash : str
        Provenance hash of the fit.
    """

    rate: float
    low: float
    high: float
    confidence: float
    start: _dt.date
    end: _dt.date
    what: str
    model: str
    method: str
    fit_hash: str

    def __repr__(self) -> str:
        return (
            f"FittedRate({self.rate:,.4g}/yr [{self.low:,.4g}, {self.high:,.4g}], "
            f"{self.start.isoformat()}..{self.end.isoformat()}, {self.model})"
        )

    def time_to_clear(
        self, stock: float = 132_000, arrest_rate: float = 0.0, *, death_rate: float = 0.0
    ) -> YearsToClear:
        """Years to release ``stock`` people at this rate, with its interval.

        The time to clear is decreasing in the release rate, so the interval of the rate maps
        exactly onto an interval of the time: ``(T(rate), T(high), T(low))``. Only the release
        rate's uncertainty is carried; ``arrest_rate`` is taken as known.

        Parameters
        ----------
        stock : float, default 132000
            People held [people]; the default is SNHR's "about 132,000" (May 2022).
        arrest_rate : float, default 0.0
            New arrests per year [people/year].
        death_rate : float, default 0.0
            Deaths in custody per person per year [1/year].

        Returns
        -------
        YearsToClear
            ``years``, ``low``, ``high`` [years]; ``math.inf`` for never.
        """
        values = time_to_clear(
            stock, [self.rate, self.high, self.low], arrest_rate, death_rate=death_rate
        )
        return YearsToClear(float(values[0]), float(values[1]), float(values[2]))

    def as_dict(self) -> dict[str, Any]:
        """The rate as a plain dict (one table row)."""
        return {
            "start": self.start,
            "end": self.end,
            "days": (self.end - self.start).days,
            "rate_per_year": self.rate,
            "rate_low": self.low,
            "rate_high": self.high,
            "confidence": self.confidence,
            "model": self.model,
            "method": self.method,
            "fit_provenance": self.fit_hash,
        }


@dataclass(frozen=True)
class _Param:
    name: str
    estimate: float
    unit: str
    description: str
    derived: bool = False


@dataclass(frozen=True)
class RateFit:
    r"""A rate model fitted to a count series by maximum likelihood (base of all fits).

    Attributes
    ----------
    model : str
        Name of the model.
    series : CountSeries
        The points fitted (certain dates only; see ``uncertain``).
    source_series : CountSeries
        The series as given, with any points of uncertain date.
    uncertain : str
        How points with an uncertain date were used (see :meth:`CountSeries.resolve`).
    confidence : float
        Coverage of every interval of the fit.
    loglik : float
        Maximised log-likelihood (with the :math:`-\\log k!` terms).
    """

    model: str
    series: CountSeries = field(repr=False)
    source_series: CountSeries = field(repr=False)
    uncertain: str
    confidence: float
    loglik: float
    _estimates: tuple[_Param, ...] = field(repr=False)

    # -- to be provided by each model ----------------------------------------------------------
    def cumulative(self, t: Any) -> FloatArray:
        r"""Expected count from the start to ``t`` [years], :math:`\\Lambda(t)` [people]."""
        raise NotImplementedError  # pragma: no cover - each model provides it

    def rate(self, t: Any) -> FloatArray:
        r"""Fitted rate at ``t`` [years], :math:`\\lambda(t)` [people/year]."""
        raise NotImplementedError  # pragma: no cover - each model provides it

    def _window_interval(self, s: float, e: float) -> tuple[float, float, str]:
        """Interval of the expected count over [s, e] [people], and how it was computed."""
        raise NotImplementedError  # pragma: no cover - each model provides it

    def _param_interval(self, name: str) -> tuple[float, float, str]:
        raise NotImplementedError  # pragma: no cover - each model provides it

    def _breaks(
        self, t0: float, horizon: float | None, resolution: float
    ) -> tuple[FloatArray, float]:
        """Breakpoints (years after ``t0``) of a schedule and the rate after the last one."""
        raise NotImplementedError  # pragma: no cover - each model provides it

    @property
    def n_params(self) -> int:
        """Number of estimated parameters (for AIC)."""
        return sum(1 for p in self._estimates if not p.derived)

    # -- common --------------------------------------------------------------------------------
    @property
    def n_obs(self) -> int:
        """Number of increments fitted (reported counts with a certain date)."""
        return len(self.series)

    @property
    def edges(self) -> FloatArray:
        """``t_0 = 0, t_1, ..., t_n`` [years]."""
        return np.concatenate([[0.0], self.series.times])

    @property
    def fitted(self) -> FloatArray:
        r"""Expected increments :math:`\\mu_i` at the fitted parameters [people]."""
        lam = self.cumulative(self.edges)
        return np.diff(lam)

    @property
    def aic(self) -> float:
        r"""Akaike information criterion, :math:`2p - 2\\ell`."""
        return 2 * self.n_params - 2 * self.loglik

    @property
    def aicc(self) -> float:
        """AIC with the small-sample correction :math:`2p(p+1)/(n-p-1)`.

        Undefined (``nan``) when ``n <= p + 1``: the correction's denominator is zero or
        negative, and no finite value ranks such a model fairly against others.
        """
        p, n = self.n_params, self.n_obs
        if n - p - 1 <= 0:
            return math.nan
        return self.aic + 2 * p * (p + 1) / (n - p - 1)

    def estimate(self, name: str) -> float:
        """Point estimate of parameter ``name``."""
        given: object = name  # any object a caller may pass
        if not isinstance(given, str):
            names = [p.name for p in self._estimates]
            raise TypeError(
                f"name must be a parameter name (str), one of {names}, got {describe(given)} "
                f"({type(given).__name__})"
            )
        for p in self._estimates:
            if p.name == name:
                return p.estimate
        names = [p.name for p in self._estimates]
        raise ValueError(f"name must be one of {names}, got {name!r}")

    def interval(self, name: str) -> tuple[float, float]:
        """Interval of parameter ``name`` at :attr:`confidence`."""
        self.estimate(name)
        low, high, _ = self._param_interval(name)
        return low, high

    @cached_property
    def params(self) -> pd.DataFrame:
        """Estimates with intervals: columns estimate, low, high, unit, method, description."""
        import pandas as pd

        rows = []
        for p in self._estimates:
            low, high, method = self._param_interval(p.name)
            rows.append(
                {
                    "parameter": p.name,
                    "estimate": p.estimate,
                    "low": low,
                    "high": high,
                    "unit": p.unit,
                    "method": method,
                    "description": p.description,
                }
            )
        return pd.DataFrame(rows).set_index("parameter")

    def goodness_of_fit(self) -> pd.DataFrame:
        r"""Deviance and Pearson :math:`\chi^2` against the saturated model, with p-values.

        ``df = n − p`` (increments minus estimated parameters). With a handful of reported
        counts these tests have little power: a good p-value says little; a tiny one says the
        model (or the Poisson assumption) is wrong.

        Returns
        -------
        pandas.DataFrame
            Rows ``deviance`` and ``pearson``; columns statistic, df, p_value.
        """
        import pandas as pd
        from scipy.special import xlogy
        from scipy.stats import chi2

        k = self.series.increments.astype(np.float64)
        mu = self.fitted
        safe_mu = np.where(mu > 0, mu, 1.0)
        dev_terms = np.where(mu > 0, xlogy(k, k / safe_mu) - (k - mu), np.where(k > 0, np.inf, 0))
        deviance = float(2 * dev_terms.sum())
        pearson_terms = np.where(mu > 0, (k - mu) ** 2 / safe_mu, np.where(k > 0, np.inf, 0))
        pearson = float(pearson_terms.sum())
        df = self.n_obs - self.n_params
        rows = []
        for name, stat in (("deviance", deviance), ("pearson", pearson)):
            p_value = float(chi2.sf(stat, df)) if df > 0 else math.nan
            rows.append({"test": name, "statistic": stat, "df": df, "p_value": p_value})
        return pd.DataFrame(rows).set_index("test")

    @property
    def frame(self) -> pd.DataFrame:
        """Observed and fitted counts at each report date."""
        frame = self.series.frame[["date", "days", "cumulative", "increment", "source"]].copy()
        frame["fitted_cumulative"] = self.cumulative(self.series.times)
        frame["fitted_increment"] = self.fitted
        return frame

    def to_frame(self) -> pd.DataFrame:
        """Same as :attr:`frame`."""
        return self.frame

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Plot the counts, the fitted curve and its band (:func:`amnesty_model.plot.plot_fit`).

        ``kwargs`` go to ``plot_fit`` (``band``, ``band_points``, line options). Returns the
        Axes.
        """
        from .plot import plot_fit

        ax_out: Axes = plot_fit(self, ax=ax, **kwargs)
        return ax_out

    def _to_years(self, value: object, name: str) -> float:
        if isinstance(value, _dt.date | str | np.datetime64):
            when = check_date(value, name)
            return (when - self.series.start).days / DAYS_PER_YEAR
        return check_number(value, name, minimum=-math.inf)

    def _to_date(self, years: float, name: str, value: object) -> _dt.date:
        when = add_years(self.series.start, years)
        if when is None:
            raise ValueError(
                f"{name} must be on or before 9999-12-31 (the last date a window can have), got "
                f"{describe(value)}: {years:g} years after the series' start "
                f"({self.series.start.isoformat()})"
            )
        return when

    def rate_during(self, start: object, end: object) -> FittedRate:
        """Average fitted rate over ``start..end``, with its interval.

        Parameters
        ----------
        start, end : datetime.date or str or float
            The window: dates, or years since the series' start. ``start >= series start``,
            ``end > start``, and both on or before 9999-12-31.

        Returns
        -------
        FittedRate
            Rate [people/year] = (Λ(end) − Λ(start)) / (end − start), with the interval of
            that expected count (exact or profile likelihood, see ``method``).
        """
        s = self._to_years(start, "start")
        e = self._to_years(end, "end")
        if s < 0:
            raise ValueError(
                f"start must not be before the series' start ({self.series.start.isoformat()}), "
                f"got {describe(start)}"
            )
        if not e > s:
            raise ValueError(f"end must be after start, got start={start!r}, end={end!r}")
        start_date, end_date = self._to_date(s, "start", start), self._to_date(e, "end", end)
        width = e - s
        expected = float(self.cumulative(np.array([e]))[0] - self.cumulative(np.array([s]))[0])
        low, high, method = self._window_interval(s, e)
        return FittedRate(
            rate=expected / width,
            low=low / width,
            high=high / width,
            confidence=self.confidence,
            start=start_date,
            end=end_date,
            what=self.series.what,
            model=self.model,
            method=method,
            fit_hash=self.provenance["hash"],
        )

    def rate_after(
        self, start: object, until: object | None = None, *, period: float = 1.0
    ) -> FittedRate:
        r"""Average fitted rate from ``start`` on: "the rate from now on".

        "At the rate seen since the decree's first weeks" is
        ``fit.rate_after("2022-05-24")``; "the rate from the last report on" is
        ``fit.rate_after(fit.series.dates[-1])``.

        Parameters
        ----------
        start : datetime.date or str or float
            Start of the window: a date, or years since the series' start; any date on or
            after the series' start, the last report and later included.
        until : datetime.date or str or float or None, default None
            End of the window. Default: the last report when ``start`` is before it;
            otherwise ``start + period`` (a projection of the fitted model).
        period : float, default 1.0
            Length of the window [years] when ``start`` is on or after the last report and
            ``until`` is None, ``> 0``.

        Returns
        -------
        FittedRate
            From the last report on, the constant model gives its rate, the piecewise model
            the rate of its last segment (with that segment's exact interval, whatever
            ``period``), and the burst-decay model the baseline plus what remains of the
            burst over ``start .. start + period``:
            :math:`b + A\tau(e^{-s/\tau} - e^{-(s+P)/\tau}) / P` (profile-likelihood
            interval).

        Examples
        --------
        >>> from amnesty_model.datasets import load_decree7_releases
        >>> from amnesty_model.fit import fit_piecewise
        >>> f = fit_piecewise(load_decree7_releases(), ["2022-05-24"])
        >>> round(f.rate_after("2022-08-12").rate)  # the last report: the last segment's rate
        151
        """
        if until is not None:
            return self.rate_during(start, until)
        period = check_number(period, "period", strict=True)
        s = self._to_years(start, "start")
        if s < float(self.series.times[-1]):
            return self.rate_during(start, self.series.dates[-1])
        if not math.isfinite(s + period):
            raise ValueError(
                f"period must be a finite number of years, got {describe(period)} "
                f"(start {describe(start)})"
            )
        return self.rate_during(start, s + period)

    def to_schedule(
        self,
        horizon: float | None = None,
        resolution: float = 1 / DAYS_PER_YEAR,
        *,
        start: object = None,
    ) -> Schedule:
        r"""The fitted rate as a piecewise-constant :class:`~amnesty_model.Schedule`.

        Parameters
        ----------
        horizon : float or None
            Years after ``start`` over which a smoothly varying rate (burst-decay) is
            approximated piece by piece; after it the baseline rate holds forever, so the
            schedule leaves out the burst's remainder :math:`A\tau e^{-h/\tau}` (``h`` the
            horizon's end since the series' start). Default: until the burst has decayed to
            :math:`e^{-20}` of its size (``20 τ``) or the last report, whichever is later.
            Ignored by the constant and piecewise models (exact).
        resolution : float, default 1/365.25
            Width of each piece [years] (default one day). Each piece's rate is the expected
            count over it divided by its width, so the cumulative count is exact at every
            breakpoint.
        start : date or str or float or None
            Where the schedule's ``t = 0`` sits (a date, or years since the series' start);
            default the series' start.

        Returns
        -------
        Schedule
        """
        t0 = 0.0 if start is None else self._to_years(start, "start")
        if t0 < 0:
            raise ValueError(f"start must not be before the series' start, got {start!r}")
        resolution = check_number(resolution, "resolution", strict=True)
        if horizon is not None:
            horizon = check_number(horizon, "horizon", strict=True)
        breaks, final_rate = self._breaks(t0, horizon, resolution)
        if breaks.size == 0:
            return Schedule.constant(final_rate)
        abs_breaks = t0 + breaks
        cum = self.cumulative(abs_breaks)
        rates = np.append(np.diff(cum) / np.diff(breaks), final_rate)
        return Schedule(starts=breaks - breaks[0], rates=rates)

    # -- citation ------------------------------------------------------------------------------
    def _inputs(self) -> dict[str, Any]:
        return {
            "what": self.series.what,
            "start": self.series.start,
            "points": self.series.records(),
            "uncertain_dates": self.uncertain,
            "confidence": self.confidence,
        }

    @cached_property
    def provenance(self) -> dict[str, Any]:
        """JSON-safe record of the data, model, estimates and version, with a stable hash."""
        return make_provenance(
            method=f"maximum likelihood ({self.model}), Poisson increments",
            inputs=self._inputs(),
            sources=self.series.source_ids(),
            result={p.name: p.estimate for p in self._estimates},
            loglik=self.loglik,
        )

    def summary(self) -> str:
        """The fitted rate in words."""
        raise NotImplementedError  # pragma: no cover - each model provides it

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.summary()}, loglik={self.loglik:.2f})"

    def cite(self) -> str:
        """A sentence a journalist can paste: the fit, its data and sources, and the version."""
        s = self.series
        sources = ", ".join(s.source_ids()) or "no source given"
        return (
            f"{s.what.capitalize()} counts fitted by maximum likelihood ({self.model}): "
            f"{self.summary()}; {len(s)} reported counts from {s.start.isoformat()} to "
            f"{s.dates[-1].isoformat()} (sources: {sources}) "
            f"(amnesty_model {__version__}, provenance {self.provenance['hash']})."
        )


def _per_year(x: float) -> str:
    return f"{format_number(x)}/yr"


# ------------------------------------------------------------------------------------------------
# Constant rate
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class ConstantFit(RateFit):
    """A constant rate fitted to a count series (see :func:`fit_constant`)."""

    def cumulative(self, t: Any) -> FloatArray:  # noqa: D102
        t = _as_times(t)
        with np.errstate(over="ignore"):  # refused below by name
            values = self.estimate("rate") * t
        return _finite_count(values, t)

    def rate(self, t: Any) -> FloatArray:  # noqa: D102
        return np.full(np.shape(_as_times(t)), self.estimate("rate"))

    def _param_interval(self, name: str) -> tuple[float, float, str]:
        low, high = garwood_interval(self.series.total, self.series.times[-1], self.confidence)
        return low, high, "exact (Garwood)"

    def _window_interval(self, s: float, e: float) -> tuple[float, float, str]:
        low, high, method = self._param_interval("rate")
        return low * (e - s), high * (e - s), method

    def _breaks(
        self, t0: float, horizon: float | None, resolution: float
    ) -> tuple[FloatArray, float]:
        return np.empty(0), self.estimate("rate")

    def summary(self) -> str:  # noqa: D102
        return f"{_per_year(self.estimate('rate'))} {self.series.what}"


@suggest_keywords
def fit_constant(
    series: CountSeries, *, uncertain: str = "exclude", confidence: float = 0.95
) -> ConstantFit:
    r"""Fit a constant rate: :math:`\hat\lambda = N(t_n) / t_n`, with its exact interval.

    Parameters
    ----------
    series : CountSeries
        Reported counts.
    uncertain : {"exclude", "low", "midpoint", "high"}, default "exclude"
        Use of points with an uncertain date (:meth:`CountSeries.resolve`). For a constant rate
        only the last point matters.
    confidence : float, default 0.95
        Coverage of the intervals.

    Returns
    -------
    ConstantFit
        Parameter ``rate`` [people/year] with the Garwood interval.

    Notes
    -----
    The increments' likelihood :math:`\prod_i \mathrm{Poisson}(k_i; \lambda d_i)` depends on
    :math:`\lambda` only through :math:`\sum k_i = N(t_n)` and :math:`\sum d_i = t_n`, so the
    MLE is their ratio and the interval is the exact Poisson interval of one count.

    Examples
    --------
    >>> s = CountSeries("2022-04-30", ["2022-05-11", "2022-05-26"], [476, 523])
    >>> round(fit_constant(s).estimate("rate"))
    7347
    """
    confidence = _check_confidence(confidence)
    data = _prepare(series, uncertain)
    span = float(data.times[-1])
    rate = data.total / span
    edges = np.concatenate([[0.0], data.times])
    loglik = float(_poisson_loglik(data.increments.astype(float), rate * np.diff(edges)))
    return ConstantFit(
        model="constant rate",
        series=data,
        source_series=series,
        uncertain=uncertain,
        confidence=confidence,
        loglik=loglik,
        _estimates=(_Param("rate", rate, "people/year", f"{data.what} per year"),),
    )


# ------------------------------------------------------------------------------------------------
# Piecewise-constant rate
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class PiecewiseFit(RateFit):
    """A piecewise-constant rate fitted to a count series (see :func:`fit_piecewise`).

    Attributes
    ----------
    change_points : tuple of float
        Years (since the series' start) at which the rate changes.
    estimated : bool
        Whether the change points were estimated (then they count as parameters).
    profiles : tuple of tuple of (float, float)
        With estimated change points: for each change point, every report date it can sit at
        [years] with the maximised log-likelihood given that it sits there (the other change
        points free). Computed exactly by dynamic programming with the fit.
    """

    change_points: tuple[float, ...] = ()
    estimated: bool = False
    profiles: tuple[tuple[tuple[float, float], ...], ...] = field(default=(), repr=False)

    @cached_property
    def candidates(self) -> tuple[tuple[tuple[float, ...], float], ...]:
        """With estimated change points: every candidate set and its maximised log-likelihood.

        Enumerates all ``C(n - 1, n_changes)`` sets (``n`` report dates), so it is refused
        above :data:`MAX_CANDIDATES` sets; the fit itself does not need them (see
        :attr:`profiles`).
        """
        if not self.estimated:
            return ()
        interior = self.series.times[:-1]
        count = math.comb(interior.size, len(self.change_points))
        if count > MAX_CANDIDATES:
            raise ValueError(
                f"n_changes = {len(self.change_points)} over {interior.size} report dates gives "
                f"{count:,} candidate sets, more than {MAX_CANDIDATES:,} to list; use "
                "`profiles` (the best log-likelihood at each date) instead"
            )
        score = _piecewise_scorer(self.series)
        return tuple(
            (cps, score(cps))
            for cps in (
                tuple(float(c) for c in combo)
                for combo in itertools.combinations(interior, len(self.change_points))
            )
        )

    @property
    def n_params(self) -> int:  # noqa: D102
        return len(self.change_points) + 1 + (len(self.change_points) if self.estimated else 0)

    @property
    def _segment_edges(self) -> FloatArray:
        return np.array([0.0, *self.change_points, float(self.series.times[-1])])

    @property
    def _segment_counts(self) -> tuple[FloatArray, FloatArray]:
        edges = self._segment_edges
        cum = np.concatenate([[0.0], np.asarray(self.series.counts, dtype=float)])
        times = self.edges
        at = np.array([cum[int(np.argmin(np.abs(times - t)))] for t in edges])
        return np.diff(at), np.diff(edges)

    @property
    def rates(self) -> FloatArray:
        """Rate of each segment [people/year]."""
        return np.array([p.estimate for p in self._estimates if p.name.startswith("rate_")])

    def cumulative(self, t: Any) -> FloatArray:  # noqa: D102
        t = _as_times(t)
        starts = self._segment_edges[:-1]
        ends = np.append(starts[1:], np.inf)
        covered = np.clip(t[..., None] - starts, 0.0, ends - starts)
        with np.errstate(over="ignore", invalid="ignore"):  # refused below by name
            result: FloatArray = (covered * self.rates).sum(axis=-1)
        return _finite_count(result, t)

    def rate(self, t: Any) -> FloatArray:  # noqa: D102
        idx = np.searchsorted(self._segment_edges[:-1], _as_times(t), side="right")
        return self.rates[np.clip(idx - 1, 0, None)]

    def _param_interval(self, name: str) -> tuple[float, float, str]:
        if name.startswith("change_"):
            return self._change_interval(int(name.split("_")[1]) - 1)
        j = int(name.split("_")[1]) - 1
        counts, exposure = self._segment_counts
        low, high = garwood_interval(int(counts[j]), float(exposure[j]), self.confidence)
        cond = ", given the change points" if self.estimated else ""
        return low, high, f"exact (Garwood){cond}"

    def _change_interval(self, j: int) -> tuple[float, float, str]:
        """Range of candidate change points within the likelihood-ratio cut-off (days)."""
        q = _chi2_quantile(self.confidence)
        profile = self.profiles[j]
        best = max(ll for _, ll in profile)
        kept = [t for t, ll in profile if 2 * (best - ll) <= q]
        low, high = min(kept) * DAYS_PER_YEAR, max(kept) * DAYS_PER_YEAR
        return low, high, "report dates within the profile-likelihood cut-off (not regular)"

    def _window_interval(self, s: float, e: float) -> tuple[float, float, str]:
        counts, exposure = self._segment_counts
        starts = self._segment_edges[:-1]
        ends = np.append(starts[1:], np.inf)
        weights = np.clip(np.minimum(e, ends) - np.maximum(s, starts), 0.0, None)
        inside = np.flatnonzero(weights > 0)
        cond = ", given the change points" if self.estimated else ""
        if inside.size == 1:
            j = int(inside[0])
            low, high = garwood_interval(int(counts[j]), float(exposure[j]), self.confidence)
            return low * weights[j], high * weights[j], f"exact (Garwood){cond}"
        low, high = _piecewise_profile(
            counts[inside], exposure[inside], weights[inside], _chi2_quantile(self.confidence)
        )
        return low, high, f"profile likelihood{cond}"

    def _breaks(
        self, t0: float, horizon: float | None, resolution: float
    ) -> tuple[FloatArray, float]:
        later = [c - t0 for c in self.change_points if c > t0]
        return np.array([0.0, *later]), float(self.rates[-1])

    def summary(self) -> str:  # noqa: D102
        days = [format_number(c * DAYS_PER_YEAR) for c in self.change_points]
        parts = [_per_year(r) for r in self.rates]
        where = f" changing at day {', '.join(days)}" if days else ""
        return f"{' then '.join(parts)} {self.series.what}{where}"

    def _inputs(self) -> dict[str, Any]:
        record = super()._inputs()
        record["change_points_years"] = list(self.change_points)
        record["change_points_estimated"] = self.estimated
        return record


def _piecewise_profile(
    counts: FloatArray, exposure: FloatArray, weights: FloatArray, q: float
) -> tuple[float, float]:
    r"""Profile-likelihood interval of :math:`\theta = \sum_j w_j \lambda_j` (independent rates).

    Maximising :math:`\sum_j K_j \log\lambda_j - E_j\lambda_j` subject to
    :math:`\sum_j w_j \lambda_j = \theta` gives :math:`\lambda_j = K_j / (E_j + \nu w_j)` for a
    Lagrange multiplier :math:`\nu` (``ν = 0`` at the MLE, ``ν > 0`` below it, ``ν < 0`` above).
    """
    from scipy.optimize import brentq
    from scipy.special import xlogy

    def loglik(lam: FloatArray) -> float:
        return float((xlogy(counts, lam) - exposure * lam).sum())

    best = loglik(counts / exposure)
    target = best - q / 2

    def at(nu: float) -> tuple[float, float]:
        denominator = exposure + nu * weights
        lam = np.divide(counts, denominator, out=np.zeros_like(counts), where=counts > 0)
        return float((weights * lam).sum()), loglik(lam)

    def f(nu: float) -> float:
        return at(nu)[1] - target

    # Lower end (nu > 0): theta falls to 0 as nu grows.
    if counts.sum() == 0:
        low = 0.0
    else:
        hi = 1.0
        while f(hi) > 0:
            hi *= 4.0
        low = at(brentq(f, 0.0, hi, xtol=1e-12, rtol=1e-12))[0]
    # Upper end (nu < 0): nu may fall to -min(E_j / w_j).
    ratio = exposure / weights
    floor = -float(ratio.min())
    tight = ratio == ratio.min()
    if counts[tight].sum() > 0:
        lo = floor / 2
        while f(lo) > 0:
            lo = floor + (lo - floor) / 4.0
        high = at(brentq(f, lo, 0.0, xtol=1e-14 * abs(floor), rtol=1e-12))[0]
    else:
        # The tight segments have no events: beyond nu = floor their rate grows freely, and the
        # log-likelihood falls linearly, by E_j / w_j per unit of theta.
        theta_f, ll_f = at(floor)
        if ll_f < target:
            high = at(brentq(f, floor, 0.0, xtol=1e-14 * abs(floor), rtol=1e-12))[0]
        else:
            high = theta_f + (ll_f - target) / float(ratio.min())
    return low, high


def _piecewise_name(changes: int, estimated: bool) -> str:
    plural = "" if changes == 1 else "s"
    how = ", estimated" if estimated else ""
    return f"piecewise constant ({changes} change point{plural}{how})"


@suggest_keywords
def fit_piecewise(
    series: CountSeries,
    change_points: Sequence[object] | None = None,
    *,
    n_changes: int = 1,
    uncertain: str = "exclude",
    confidence: float = 0.95,
) -> PiecewiseFit:
    r"""Fit a piecewise-constant rate, with given or estimated change points.

    Parameters
    ----------
    series : CountSeries
        Reported counts.
    change_points : sequence of date or str or float, optional
        Dates (or years since the series' start) at which the rate changes. Each must be one
        of the report dates before the last: the data say nothing about where between two
        reports a change happened beyond the counts on either side. ``None``: estimate
        ``n_changes`` of them by profile likelihood over the report dates.
    n_changes : int, default 1
        Number of change points to estimate when ``change_points`` is None.
    uncertain : {"exclude", "low", "midpoint", "high"}, default "exclude"
        Use of points with an uncertain date.
    confidence : float, default 0.95
        Coverage of the intervals.

    Returns
    -------
    PiecewiseFit
        Parameters ``rate_1``, ``rate_2``, ... [people/year] (exact Garwood intervals per
        segment, conditional on the change points), and, when estimated, ``change_1``, ...
        [days since the start] with the range of report dates whose profile likelihood is
        within the cut-off (change-point likelihoods are not regular: a rough guide only).

    Notes
    -----
    With change points at report dates, segment ``j`` holds :math:`K_j` events over
    :math:`E_j` years and :math:`\hat\lambda_j = K_j / E_j`. Estimated change points count
    as parameters in AIC.

    Examples
    --------
    >>> from amnesty_model.datasets import load_decree7_releases
    >>> s = load_decree7_releases()
    >>> [round(r) for r in fit_piecewise(s, ["2022-05-24"]).rates]
    [7959, 151]
    >>> fit_piecewise(s).change_points[0] * 365.25  # estimated: the burst is over by day 11
    11.0
    """
    confidence = _check_confidence(confidence)
    data = _prepare(series, uncertain)
    times = data.times
    interior = times[:-1]
    k = data.increments.astype(float)
    edges = np.concatenate([[0.0], times])
    estimated = change_points is None
    profiles: tuple[tuple[tuple[float, float], ...], ...] = ()
    best_cps: tuple[float, ...]
    loglik_for = _piecewise_scorer(data)
    if change_points is None:
        n_changes = check_positive_int(n_changes, "n_changes")
        if n_changes > interior.size:
            raise ValueError(
                f"n_changes must be at most {interior.size} (the report dates before the last), "
                f"got {n_changes}"
            )
        work = (n_changes + 1) * (interior.size + 1) ** 2
        if work > _MAX_SEGMENTATION_WORK:
            raise ValueError(
                f"n_changes = {n_changes} over {interior.size + 1} report dates needs about "
                f"{work:,} steps to search, more than {_MAX_SEGMENTATION_WORK:,}; use fewer "
                "change points or fewer report dates (e.g. weekly totals), or give "
                "change_points"
            )
        best_edges, profile_values = _optimal_partition(k, np.diff(edges), n_changes)
        best_cps = tuple(float(interior[i - 1]) for i in best_edges)
        best_ll = loglik_for(best_cps)
        # The dynamic programme's values are the log-likelihood less constant terms; shift
        # them so that the best equals the log-likelihood computed directly.
        shift = best_ll - max(profile_values[0].values())
        profiles = tuple(
            tuple((float(interior[i - 1]), ll + shift) for i, ll in sorted(values.items()))
            for values in profile_values
        )
    else:
        if isinstance(change_points, str | bytes) or not isinstance(change_points, Sequence):
            raise TypeError(
                f"change_points must be a sequence of dates, got {describe(change_points)}"
            )
        chosen = []
        allowed = [d.isoformat() for d in data.dates[:-1]]
        for i, value in enumerate(change_points):
            as_date = isinstance(value, _dt.date | str | np.datetime64)
            if as_date:
                years = (
                    check_date(value, f"change_points[{i}]") - data.start
                ).days / DAYS_PER_YEAR
            else:
                years = check_number(value, f"change_points[{i}]")
            match = np.flatnonzero(np.isclose(interior, years, rtol=0, atol=1e-9))
            if match.size == 0:
                raise ValueError(
                    f"change_points[{i}] = {value!r} is not a report date before the last; "
                    f"allowed: {allowed}"
                )
            chosen.append(float(interior[match[0]]))
        if len(set(chosen)) != len(chosen) or chosen != sorted(chosen):
            raise ValueError(
                f"change_points must be strictly increasing, got {list(change_points)!r}"
            )
        best_cps = tuple(chosen)
        best_ll = loglik_for(best_cps)
    seg_edges = np.array([0.0, *best_cps, float(times[-1])])
    cum = np.concatenate([[0.0], np.asarray(data.counts, dtype=float)])
    at = cum[np.searchsorted(edges, seg_edges)]
    rates = np.diff(at) / np.diff(seg_edges)
    params = [
        _Param(
            f"rate_{j + 1}",
            float(r),
            "people/year",
            f"{data.what} per year from day {seg_edges[j] * DAYS_PER_YEAR:g}",
        )
        for j, r in enumerate(rates)
    ]
    if estimated:
        params += [
            _Param(f"change_{j + 1}", c * DAYS_PER_YEAR, "days", "change point, days from start")
            for j, c in enumerate(best_cps)
        ]
    return PiecewiseFit(
        model=_piecewise_name(len(best_cps), estimated),
        series=data,
        source_series=series,
        uncertain=uncertain,
        confidence=confidence,
        loglik=best_ll,
        _estimates=tuple(params),
        change_points=best_cps,
        estimated=estimated,
        profiles=profiles,
    )


def _piecewise_scorer(data: CountSeries) -> Callable[[tuple[float, ...]], float]:
    """The maximised log-likelihood of ``data`` given change points at report dates."""
    times = data.times
    k = data.increments.astype(float)
    edges = np.concatenate([[0.0], times])
    cum = np.concatenate([[0.0], np.asarray(data.counts, dtype=float)])

    def loglik_for(cps: tuple[float, ...]) -> float:
        seg_edges = np.array([0.0, *cps, float(times[-1])])
        idx = np.searchsorted(seg_edges, edges[1:], side="left") - 1
        at = cum[np.searchsorted(edges, seg_edges)]
        rates = np.diff(at) / np.diff(seg_edges)
        return float(_poisson_loglik(k, rates[idx] * np.diff(edges)))

    return loglik_for


def _optimal_partition(
    k: FloatArray, d: FloatArray, n_changes: int
) -> tuple[tuple[int, ...], list[dict[int, float]]]:
    r"""Best split of the increments into ``n_changes + 1`` segments, by dynamic programming.

    With a constant rate per segment the maximised log-likelihood is a sum over segments of
    :math:`K \log(K / E) - K` (``K`` events over ``E`` years), plus terms that do not depend
    on the split, so the best split of the first ``b`` increments into ``s`` segments extends
    a best split of the first ``a`` into ``s - 1`` (optimal partitioning, Jackson et al.
    2005): :math:`O(m n^2)` work instead of :math:`\binom{n-1}{m}` candidate sets.

    Returns the change points as edge indices (``1..n-1``: change ``j`` at the end of
    increment ``i``) and, for each change point ``j``, the best value over all splits with
    change ``j`` at edge ``i`` (forward best of ``j`` segments to ``i`` plus backward best of
    the remaining segments from ``i``), for every feasible ``i``.
    """
    from scipy.special import xlogy

    n, segments = k.size, n_changes + 1
    cum_k = np.concatenate([[0.0], np.cumsum(k)])
    cum_d = np.concatenate([[0.0], np.cumsum(d)])

    def cost_to(b: int) -> FloatArray:
        """Segment values for segments (a, b], a = 0..b-1."""
        counts = cum_k[b] - cum_k[:b]
        spans = cum_d[b] - cum_d[:b]
        values: FloatArray = xlogy(counts, counts / spans) - counts
        return values

    def cost_from(a: int) -> FloatArray:
        """Segment values for segments (a, b], b = a+1..n (index b - a - 1)."""
        counts = cum_k[a + 1 :] - cum_k[a]
        spans = cum_d[a + 1 :] - cum_d[a]
        values: FloatArray = xlogy(counts, counts / spans) - counts
        return values

    # forward[s][b]: best value of the first b increments in s segments; back[s][a]: of
    # increments a+1..n in s segments.
    forward = np.full((segments + 1, n + 1), -np.inf)
    choice = np.zeros((segments + 1, n + 1), dtype=np.int64)
    forward[0, 0] = 0.0
    for b in range(1, n + 1):
        row = cost_to(b)
        for s in range(1, min(segments, b) + 1):
            total = forward[s - 1, :b] + row
            a = int(np.argmax(total))
            forward[s, b], choice[s, b] = total[a], a
    back = np.full((segments + 1, n + 1), -np.inf)
    back[0, n] = 0.0
    for a in range(n - 1, -1, -1):
        row = cost_from(a)
        for s in range(1, min(segments, n - a) + 1):
            back[s, a] = float(np.max(back[s - 1, a + 1 :] + row))
    cps: list[int] = []
    b = n
    for s in range(segments, 1, -1):
        b = int(choice[s, b])
        cps.append(b)
    profile_values = [
        {i: float(forward[j, i] + back[segments - j, i]) for i in range(j, n - (segments - j) + 1)}
        for j in range(1, segments)
    ]
    return tuple(reversed(cps)), profile_values


# ------------------------------------------------------------------------------------------------
# Burst-decay
# ------------------------------------------------------------------------------------------------
def _slope(k: FloatArray, mu: FloatArray, q: FloatArray) -> FloatArray:
    """Row sums of ``q (k / mu − 1)``: the slope of the log-likelihood along ``q``.

    A term with ``mu = 0 < k`` is infinite with the sign of ``q``. If a row has infinite terms
    of both signs (the log-likelihood is ``-inf`` on both sides) its slope is taken as
    ``-inf``, which moves a bisection towards ``z = 0``.
    """
    # k / mu stays below 1e300 where it is computed; smaller mu counts as 0 (an infinite term).
    ok = (mu > 0) & (mu > k * 1e-300)
    ratio = np.divide(k, mu, out=np.zeros_like(mu), where=ok)
    finite = np.multiply(q, ratio - 1.0, out=np.zeros_like(mu), where=(q != 0) & ok)
    total = finite.sum(axis=-1)
    blocked = ~ok & (k > 0) & (q != 0)
    up = (blocked & (q > 0)).any(axis=-1)
    down = (blocked & (q < 0)).any(axis=-1)
    result: FloatArray = np.where(down, -np.inf, np.where(up, np.inf, total))
    return result


def _inner_1d(
    k: FloatArray, p: FloatArray, q: FloatArray, zmax: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Maximise ``sum k log(p + z q) − (p + z q)`` over ``z in [0, zmax]``, row by row.

    The objective is concave in ``z``; its derivative ``sum q (k / (p + z q) − 1)`` is found
    to change sign by bisection (vectorised over rows). Returns ``z`` and the log-likelihood.
    """
    positive_q = np.where(q > 0, q, 0.0).sum(axis=-1)
    bound = np.divide(
        k.sum(), positive_q, out=np.full(positive_q.shape, np.inf), where=positive_q > 0
    )
    hi = np.where(np.isinf(zmax), bound, zmax)
    hi = np.where(np.isfinite(hi), hi, 0.0)

    def slope(z: FloatArray) -> FloatArray:
        return _slope(k, p + z[:, None] * q, q)

    lo = np.zeros_like(hi)
    top = hi.copy()
    for _ in range(_BISECT_ITERATIONS):
        mid = 0.5 * (lo + top)
        up = slope(mid) > 0
        lo = np.where(up, mid, lo)
        top = np.where(up, top, mid)
    z = 0.5 * (lo + top)
    z = np.where(slope(np.zeros_like(hi)) <= 0, 0.0, z)
    z = np.where(slope(hi) >= 0, hi, z)
    ll = _poisson_centred(k, p + z[:, None] * q)
    return z, ll


@dataclass(frozen=True)
class _BurstData:
    k: FloatArray
    t0: FloatArray
    t1: FloatArray
    tau_grid: FloatArray

    @property
    def d(self) -> FloatArray:
        return self.t1 - self.t0

    def g(self, tau: FloatArray) -> FloatArray:
        """Burst shape: ``τ (e^{−t0/τ} − e^{−t1/τ})`` for each τ (rows) and increment (cols)."""
        tau = np.asarray(tau, dtype=float)[:, None]
        return tau * np.exp(-self.t0 / tau) * -np.expm1(-self.d / tau)

    def mu(self, b: float, a: float, tau: float) -> FloatArray:
        result: FloatArray = b * self.d + a * self.g(np.array([tau]))[0]
        return result

    def loglik(self, b: float, a: float, tau: float) -> float:
        """The log-likelihood less the saturated one (see :func:`_poisson_centred`)."""
        return float(_poisson_centred(self.k, self.mu(b, a, tau)))

    def inner_2d(self, tau: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Maximise over ``b, A >= 0`` for each τ (rows).

        Outer bisection on ``b`` using the slope of the inner maximum over ``A``: the
        log-likelihood is jointly concave in ``(b, A)``.
        """
        g = self.g(tau)
        d = np.broadcast_to(self.d, g.shape)
        bound = self.k.sum() / self.d.sum()
        lo = np.zeros(len(tau))
        hi = np.full(len(tau), bound)

        def slope_b(b: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
            a, ll = _inner_1d(self.k, b[:, None] * d, g, np.full(len(tau), np.inf))
            mu = b[:, None] * d + a[:, None] * g
            return _slope(self.k, mu, d), a, ll

        for _ in range(_BISECT_ITERATIONS // 2):
            mid = 0.5 * (lo + hi)
            up = slope_b(mid)[0] > 0
            lo = np.where(up, mid, lo)
            hi = np.where(up, hi, mid)
        candidates = [np.zeros(len(tau)), 0.5 * (lo + hi)]
        best_b, best_a, best_ll = candidates[0], *slope_b(candidates[0])[1:]
        b_mid = candidates[1]
        _, a_mid, ll_mid = slope_b(b_mid)
        better = ll_mid > best_ll
        return (
            np.where(better, b_mid, best_b),
            np.where(better, a_mid, best_a),
            np.where(better, ll_mid, best_ll),
        )

    def at_tau(self, tau: float, start: tuple[float, float]) -> float:
        """Max log-likelihood over ``b, A >= 0`` at a fixed ``τ``.

        The log-likelihood is concave in ``(b, A)``, so its maximum over the quadrant is either
        interior (found by Newton's method with a step-halving line search that stays inside)
        or on an edge, where it has a closed form (``A = 0``: ``b = K / Σd``; ``b = 0``:
        ``A = K / Σg``). The best of these is returned.
        """
        g = self.g(np.array([tau]))[0]
        X = np.stack([self.d, g], axis=1)
        k = self.k
        total = k.sum()

        def ll(x: FloatArray) -> float:
            return float(_poisson_centred(k, X @ x))

        candidates = [ll(np.array([total / self.d.sum(), 0.0]))]
        if g.sum() > total * 1e-300:
            candidates.append(ll(np.array([0.0, total / g.sum()])))
        floor = 1e-6 * total / self.d.sum()
        x = np.array([max(start[0], floor), max(start[1], floor)])
        current = ll(x)
        for _ in range(100):
            mu = X @ x
            if np.any(mu < 1e-100 * (k + 1.0)):  # pragma: no cover - degenerate start
                break
            grad = X.T @ (k / mu - 1.0)
            hess = -(X.T * (k / mu**2)) @ X
            try:
                step = -np.linalg.solve(hess, grad)
            except np.linalg.LinAlgError:
                break
            scale_step = 1.0
            while scale_step > 1e-12:
                trial = x + scale_step * step
                if np.all(trial > 0):
                    value = ll(trial)
                    if value >= current:
                        break
                scale_step /= 2
            else:
                break
            x, previous, current = trial, current, value
            if current - previous < 1e-12:
                break
        candidates.append(current)
        return max(candidates)

    def profile_linear(
        self, alpha: float, beta: Callable[[FloatArray], FloatArray], theta: float
    ) -> float:
        """Max log-likelihood with ``alpha·b + beta(τ)·A = theta``, over τ and the rest."""

        def at(tau: FloatArray) -> FloatArray:
            g = self.g(tau)
            d = np.broadcast_to(self.d, g.shape)
            be = beta(tau)
            if alpha > 0:
                p = (theta / alpha) * d
                q = g - (be / alpha)[:, None] * d
                with np.errstate(over="ignore"):  # a vanishing burst share: no bound (inf)
                    zmax = np.divide(theta, be, out=np.full(be.shape, np.inf), where=be > 0)
            else:
                p = (theta / be)[:, None] * g
                q = d
                zmax = np.full(len(tau), np.inf)
            return _inner_1d(self.k, p, q, zmax)[1]

        return _max_over_log_tau(at, self.tau_grid)


def _max_over_log_tau(func: Callable[[FloatArray], FloatArray], grid: FloatArray) -> float:
    """Maximum of ``func`` over τ: on a log grid, refined by a parabola through the best three."""
    values = func(grid)
    i = int(np.argmax(values))
    best = float(values[i])
    if not math.isfinite(best) or i in (0, grid.size - 1):
        return best
    x = np.log(grid[i - 1 : i + 2])
    y = values[i - 1 : i + 2]
    if not np.isfinite(y).all():  # a neighbour at -inf: no parabola through it
        return best
    denom = (x[0] - x[1]) * (x[0] - x[2]) * (x[1] - x[2])
    a = (x[2] * (y[1] - y[0]) + x[1] * (y[0] - y[2]) + x[0] * (y[2] - y[1])) / denom
    b = (x[2] ** 2 * (y[0] - y[1]) + x[1] ** 2 * (y[2] - y[0]) + x[0] ** 2 * (y[1] - y[2])) / denom
    if not a < 0:
        return best
    vertex = float(np.clip(-b / (2 * a), x[0], x[2]))
    refined = float(func(np.array([math.exp(vertex)]))[0])
    return max(best, refined)


def _profile_bounds(
    profile: Callable[[float], float], estimate: float, best: float, q: float, scale: float
) -> tuple[float, float]:
    """Where ``profile`` falls ``q/2`` below ``best``, either side of ``estimate`` (>= 0).

    A bound not reached within 80 doublings (halvings) of the estimate is reported as
    ``inf`` (``0``): the data do not rule out those values.
    """
    from scipy.optimize import brentq

    target = best - q / 2

    def f(x: float) -> float:
        value = profile(x)
        return value - target if math.isfinite(value) else -1e300

    def root(a: float, b: float) -> float:
        try:
            return float(brentq(f, a, b, rtol=1e-7, xtol=1e-12 * scale))
        except ValueError:
            # The profile's maximum found next to the estimate fell short of the fit's by more
            # than the cut-off: at these magnitudes the likelihood cannot be resolved finely
            # enough for an interval.
            raise ValueError(
                "series: the profile likelihood cannot be resolved for these counts and dates "
                f"(near {estimate:.6g} it falls short of the maximum by more than the "
                "interval's cut-off), so no profile-likelihood interval is given"
            ) from None

    # upper
    x_prev = estimate
    x = max(estimate, scale * 1e-6) * 1.5
    high = math.inf
    for _ in range(80):
        if f(x) < 0:
            high = root(x_prev, x)
            break
        x_prev, x = x, x * 2.0
    # lower
    low = 0.0
    if estimate > 0 and f(0.0) < 0:
        x_prev, x = estimate, estimate / 1.5
        for _ in range(80):
            if f(x) < 0:
                low = root(x, x_prev)
                break
            x_prev, x = x, x / 2.0
    return low, high


@dataclass(frozen=True, repr=False)
class BurstDecayFit(RateFit):
    """A decaying burst plus a baseline, fitted to a count series (see :func:`fit_burst_decay`)."""

    _data: _BurstData = field(default=None, repr=False)  # type: ignore[assignment]

    @property
    def baseline(self) -> float:
        """Baseline rate ``b`` [people/year]."""
        return self.estimate("baseline")

    @property
    def tau(self) -> float:
        """Decay time ``τ`` of the burst [years]."""
        return self.estimate("tau_days") / DAYS_PER_YEAR

    @property
    def amplitude(self) -> float:
        """Initial excess rate ``A`` [people/year]."""
        return self.estimate("amplitude")

    def cumulative(self, t: Any) -> FloatArray:  # noqa: D102
        t = _as_times(t)
        with np.errstate(over="ignore", invalid="ignore"):  # refused below by name
            result: FloatArray = self.baseline * t + self.amplitude * self.tau * -np.expm1(
                -t / self.tau
            )
        return _finite_count(result, t)

    def rate(self, t: Any) -> FloatArray:  # noqa: D102
        t = _as_times(t)
        with np.errstate(over="ignore"):  # t / τ beyond the float range: the burst is over
            result: FloatArray = self.baseline + self.amplitude * np.exp(-t / self.tau)
        return result

    @cached_property
    def _q(self) -> float:
        return _chi2_quantile(self.confidence)

    @property
    def _scale(self) -> float:
        return self.series.total / float(self.series.times[-1])

    @cached_property
    def _best(self) -> float:
        """The maximum of the log-likelihood less the saturated one (profiles compare to it)."""
        return self._data.loglik(self.baseline, self.amplitude, self.tau)

    def _param_interval(self, name: str) -> tuple[float, float, str]:
        data, q, best = self._data, self._q, self._best
        if name == "baseline":
            low, high = _profile_bounds(
                lambda b: data.profile_linear(1.0, np.zeros_like, b),
                self.baseline,
                best,
                q,
                self._scale,
            )
        elif name == "amplitude":
            low, high = _profile_bounds(
                lambda a: data.profile_linear(0.0, np.ones_like, a),
                self.amplitude,
                best,
                q,
                self._scale,
            )
        elif name == "burst_total":
            low, high = _profile_bounds(
                lambda m: data.profile_linear(0.0, lambda t: t, m),
                self.estimate("burst_total"),
                best,
                q,
                float(self.series.total),
            )
        else:
            start = (self.baseline, self.amplitude)

            def at(tau_days: float) -> float:
                return data.at_tau(tau_days / DAYS_PER_YEAR, start) if tau_days > 0 else -math.inf

            low, high = _profile_bounds(
                at, self.estimate("tau_days"), best, q, float(self.series.days[-1])
            )
        return low, high, "profile likelihood"

    def _window_interval(self, s: float, e: float) -> tuple[float, float, str]:
        width = e - s

        def beta(tau: FloatArray) -> FloatArray:
            result: FloatArray = tau * (np.exp(-s / tau) - np.exp(-e / tau))
            return result

        expected = float(self.cumulative(np.array([e]))[0] - self.cumulative(np.array([s]))[0])
        low, high = _profile_bounds(
            lambda theta: self._data.profile_linear(width, beta, theta),
            expected,
            self._best,
            self._q,
            max(expected, 1e-9),
        )
        return low, high, "profile likelihood"

    def _breaks(
        self, t0: float, horizon: float | None, resolution: float
    ) -> tuple[FloatArray, float]:
        if horizon is None:
            horizon = max(float(self.series.times[-1]) - t0, 20 * self.tau - t0, resolution)
        end = horizon
        pieces = end / resolution
        if not pieces <= _MAX_SCHEDULE_PIECES:  # also inf for a vanishing resolution
            raise ValueError(
                f"horizon / resolution gives {pieces:,.0f} pieces; at most "
                f"{_MAX_SCHEDULE_PIECES:,} allowed (coarsen the resolution)"
            )
        count = math.ceil(pieces - 1e-9)
        return resolution * np.arange(count + 1, dtype=float), self.baseline

    def summary(self) -> str:  # noqa: D102
        return (
            f"a burst of {format_number(self.estimate('burst_total'))} {self.series.what} "
            f"decaying with τ = {format_number(self.estimate('tau_days'))} days over a baseline "
            f"of {_per_year(self.baseline)}"
        )


@suggest_keywords
def fit_burst_decay(
    series: CountSeries, *, uncertain: str = "exclude", confidence: float = 0.95
) -> BurstDecayFit:
    r"""Fit an initial wave that dies out plus a baseline: :math:`\lambda(t) = b + A e^{-t/\tau}`.

    Parameters
    ----------
    series : CountSeries
        Reported counts (at least 3 with certain dates: the model has 3 parameters).
    uncertain : {"exclude", "low", "midpoint", "high"}, default "exclude"
        Use of points with an uncertain date.
    confidence : float, default 0.95
        Coverage of the (profile-likelihood) intervals.

    Returns
    -------
    BurstDecayFit
        Parameters ``baseline`` ``b`` [people/year], ``amplitude`` ``A`` [people/year, the
        initial excess rate], ``tau_days`` ``τ`` [days], ``burst_total`` ``Aτ`` [people, the
        releases the wave adds over the baseline in all].

    Notes
    -----
    :math:`\Lambda(t) = b t + A\tau(1 - e^{-t/\tau})`, so the expected increments are
    :math:`\mu_i = b\,d_i + A\,g_i(\tau)` with
    :math:`g_i = \tau(e^{-t_{i-1}/\tau} - e^{-t_i/\tau})`: linear in :math:`(b, A)`. For a
    fixed :math:`\tau` the log-likelihood is therefore concave in :math:`(b, A) \ge 0` and is
    maximised reliably (bisection on its slope); :math:`\tau` is searched on a log grid from a
    thousandth of the shortest reporting interval to a thousand times the span, and all three
    are polished with L-BFGS-B on :math:`(b, A, \log\tau)` from the best two local maxima of
    that profile (the boundary ``b = 0`` or ``A = 0`` is allowed). Intervals are
    profile likelihood: :math:`\{x : 2(\hat\ell - \ell_p(x)) \le \chi^2_{1}(\text{conf})\}`,
    which may be unbounded (``inf``) when the data cannot rule out a slower decay.

    Examples
    --------
    >>> from amnesty_model.datasets import load_decree7_releases
    >>> f = fit_burst_decay(load_decree7_releases())
    >>> round(f.baseline), round(f.estimate("tau_days"), 1)
    (142, 4.4)
    """
    confidence = _check_confidence(confidence)
    data = _prepare(series, uncertain)
    if len(data) < 3:
        raise ValueError(
            f"a burst-decay fit needs at least 3 reported counts with a certain date "
            f"(it has 3 parameters), got {len(data)}"
        )
    times = data.times
    edges = np.concatenate([[0.0], times])
    d_min = float(np.diff(edges).min())
    grid = np.geomspace(d_min / 1000, float(times[-1]) * 1000, _TAU_GRID_POINTS)
    bd = _BurstData(data.increments.astype(float), edges[:-1], edges[1:], grid)
    coarse = grid[::3]
    b_grid, a_grid, ll_grid = bd.inner_2d(coarse)
    # Polish from the best two local maxima of the coarse profile over τ.
    padded = np.concatenate([[-np.inf], ll_grid, [-np.inf]])
    peaks = np.flatnonzero((padded[1:-1] >= padded[:-2]) & (padded[1:-1] >= padded[2:]))
    peaks = peaks[np.argsort(ll_grid[peaks])[::-1][:2]]
    best: tuple[float, float, float, float] | None = None
    for i in peaks:
        start = (float(b_grid[i]), float(a_grid[i]), float(coarse[i]))
        polished = _polish(bd, start)
        candidate = max((polished, start), key=lambda x: bd.loglik(*x))
        value = bd.loglik(*candidate)
        if best is None or value > best[3]:
            best = (*candidate, value)
    assert best is not None
    b, a, tau, _ = best
    loglik = float(_poisson_loglik(bd.k, bd.mu(b, a, tau)))
    params = (
        _Param("baseline", b, "people/year", f"{data.what} per year once the burst is over"),
        _Param("amplitude", a, "people/year", "initial excess rate of the burst"),
        _Param("tau_days", tau * DAYS_PER_YEAR, "days", "decay time of the burst"),
    )
    burst = _Param(
        "burst_total", a * tau, "people", f"{data.what} added by the burst in all", derived=True
    )
    return BurstDecayFit(
        model="burst-decay",
        series=data,
        source_series=series,
        uncertain=uncertain,
        confidence=confidence,
        loglik=loglik,
        _estimates=(*params, burst),
        _data=bd,
    )


def _polish(bd: _BurstData, start: tuple[float, float, float]) -> tuple[float, float, float]:
    """L-BFGS-B on ``(b/s, A/s, log τ)`` from the grid optimum, with analytic gradient."""
    from scipy.optimize import minimize

    scale = bd.k.sum() / bd.d.sum()
    grid = bd.tau_grid

    def negative(x: FloatArray) -> tuple[float, FloatArray]:
        b, a, tau = x[0] * scale, x[1] * scale, math.exp(x[2])
        e0, e1 = np.exp(-bd.t0 / tau), np.exp(-bd.t1 / tau)
        g = tau * e0 * -np.expm1(-bd.d / tau)
        mu = b * bd.d + a * g
        if np.any((mu <= 0) & (bd.k > 0)):
            return 1e300, np.zeros(3)
        ratio = np.divide(bd.k, mu, out=np.zeros_like(mu), where=mu > 0) - 1.0
        dg_dtau = (1 + bd.t0 / tau) * e0 - (1 + bd.t1 / tau) * e1
        grad = np.array(
            [
                (ratio * bd.d).sum() * scale,
                (ratio * g).sum() * scale,
                (ratio * a * dg_dtau).sum() * tau,
            ]
        )
        return -float(_poisson_centred(bd.k, mu)), -grad

    x0 = np.array([start[0] / scale, start[1] / scale, math.log(start[2])])
    bounds = [(0.0, None), (0.0, None), (math.log(grid[0]), math.log(grid[-1]))]
    result = minimize(negative, x0, jac=True, method="L-BFGS-B", bounds=bounds)
    x = result.x if result.fun <= negative(x0)[0] else x0
    return float(x[0] * scale), float(x[1] * scale), float(math.exp(x[2]))


# ------------------------------------------------------------------------------------------------
# Comparing fits
# ------------------------------------------------------------------------------------------------
def _same_data(a: RateFit, b: RateFit) -> bool:
    return a.series.records() == b.series.records()


@suggest_keywords
def lr_test(null: RateFit, alternative: RateFit) -> dict[str, Any]:
    r"""Likelihood-ratio test of a simpler fit against a richer one on the same data.

    :math:`G = 2(\ell_1 - \ell_0)` against :math:`\chi^2` with ``df = p_1 − p_0``. Regular only
    for a constant rate against a piecewise rate with given change points; against estimated
    change points or the burst-decay model (whose null sits on the boundary ``A = 0`` with
    ``τ`` then undefined) the χ² reference is an approximation, said in ``note``.

    Returns
    -------
    dict
        ``statistic``, ``df``, ``p_value``, ``regular``, ``note``.
    """
    from scipy.stats import chi2

    for name, value in (("null", null), ("alternative", alternative)):
        if not isinstance(value, RateFit):
            raise TypeError(f"{name} must be a fit (RateFit), got {type(value).__name__}")
    if not _same_data(null, alternative):
        raise ValueError("null and alternative must be fitted to the same points")
    if not isinstance(null, ConstantFit) or isinstance(alternative, ConstantFit):
        raise ValueError(
            "lr_test compares a constant-rate fit (null) with a piecewise or burst-decay fit "
            f"(alternative), got {type(null).__name__} and {type(alternative).__name__}"
        )
    stat = max(2 * (alternative.loglik - null.loglik), 0.0)
    df = alternative.n_params - null.n_params
    regular = isinstance(alternative, PiecewiseFit) and not alternative.estimated
    note = (
        "regular (nested, interior null)"
        if regular
        else "approximate: the null is on the boundary or a change point is estimated"
    )
    return {
        "statistic": stat,
        "df": df,
        "p_value": float(chi2.sf(stat, df)),
        "regular": regular,
        "note": note,
    }


@suggest_keywords
def compare_fits(*fits: RateFit) -> pd.DataFrame:
    """Put fits of the same points side by side: log-likelihood, AIC, AICc, tests, a ranking.

    Parameters
    ----------
    *fits : RateFit
        At least one, all fitted to the same points.

    Returns
    -------
    pandas.DataFrame
        One row per model: ``params``, ``n``, ``loglik``, ``aic``, ``aicc`` (``nan`` where
        undefined), ``aicc_note`` (``"undefined: n ≤ k + 1"`` there, else empty),
        ``delta_aicc`` (from the best; ``nan`` for every row unless AICc is defined for all),
        ``criterion`` (``"AICc"`` when defined for every fit, else ``"AIC"``), ``delta`` and
        ``rank`` by that criterion (1 = best), ``deviance``, ``df``, ``gof_p`` (goodness of
        fit), and, where a constant-rate fit is among them, ``lr_statistic``, ``lr_df``,
        ``lr_p`` against it.

    Notes
    -----
    AICc's correction :math:`2k(k+1)/(n-k-1)` is undefined for ``n <= k + 1``. Ranking
    with an undefined value read as ``inf`` would put every model with a defined AICc first
    — with four reported counts, the one-parameter model, however badly it fits. So a
    criterion is used only when it is defined for every fit compared; otherwise the ranking
    falls back on AIC (defined for all) and says so in ``criterion``. The likelihood-ratio
    columns test the richer models against the constant rate directly.

    Examples
    --------
    >>> from amnesty_model.datasets import load_decree7_releases
    >>> s = load_decree7_releases()
    >>> table = compare_fits(fit_constant(s), fit_burst_decay(s))
    >>> table["rank"].idxmin(), table["criterion"].iloc[0]
    ('burst-decay', 'AIC')
    >>> table.loc["burst-decay", "aicc_note"]
    'undefined: n ≤ k + 1 (n = 4, k = 3)'
    """
    import pandas as pd

    if not fits:
        raise ValueError("compare_fits needs at least one fit, got none")
    for i, f in enumerate(fits):
        if not isinstance(f, RateFit):
            raise TypeError(f"fits[{i}] must be a fit (RateFit), got {type(f).__name__}")
        if not _same_data(fits[0], f):
            raise ValueError(
                f"fits[{i}] was fitted to different points than fits[0]; compare fits of the "
                "same points (same series and the same `uncertain` policy)"
            )
    constant = next((f for f in fits if isinstance(f, ConstantFit)), None)
    rows = []
    for f in fits:
        gof = f.goodness_of_fit()
        aicc = f.aicc
        row: dict[str, Any] = {
            "model": f.model,
            "params": f.n_params,
            "n": f.n_obs,
            "loglik": f.loglik,
            "aic": f.aic,
            "aicc": aicc,
            "aicc_note": (
                ""
                if math.isfinite(aicc)
                else f"undefined: n ≤ k + 1 (n = {f.n_obs}, k = {f.n_params})"
            ),
            "deviance": float(gof["statistic"].iloc[0]),
            "df": int(gof["df"].iloc[0]),
            "gof_p": float(gof["p_value"].iloc[0]),
        }
        if constant is not None:
            if f is constant or isinstance(f, ConstantFit):
                row.update(lr_statistic=math.nan, lr_df=math.nan, lr_p=math.nan)
            else:
                test = lr_test(constant, f)
                row.update(lr_statistic=test["statistic"], lr_df=test["df"], lr_p=test["p_value"])
        rows.append(row)
    table = pd.DataFrame(rows).set_index("model")
    aicc_defined = bool(np.isfinite(table["aicc"]).all())
    delta_aicc = table["aicc"] - float(table["aicc"].min()) if aicc_defined else math.nan
    table.insert(6, "delta_aicc", delta_aicc)
    criterion = "AICc" if aicc_defined else "AIC"
    values = table["aicc"] if aicc_defined else table["aic"]
    table.insert(7, "criterion", criterion)
    table.insert(8, "delta", values - float(values.min()))
    table.insert(9, "rank", values.rank(method="min").astype("int64"))
    return table
