r"""Rates observed as counts, with exact Poisson intervals, and what they imply for the answer.

A release rate is usually seen as a count ``k`` of releases over a span of days. Treating the
releases as a Poisson process, the exact (Garwood) interval for the mean count is

.. math::

    \left[\tfrac12\chi^2_{\alpha/2}(2k),\ \tfrac12\chi^2_{1-\alpha/2}(2k + 2)\right],

with :math:`\chi^2_p(\nu)` the ``p``-quantile of the chi-square distribution with ``ν``
degrees of freedom and the lower end 0 when ``k = 0``; dividing by the span in years (of
365.25 days) gives a rate per year (docs/methods.md §4).

The time to clear is monotone in each input (increasing in the stock and the arrest rate,
decreasing in the release and death rates), so an interval for each input maps *exactly* to an
interval for the time to clear by evaluating it at the right ends: see
:func:`time_to_clear_interval`.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._time import DAYS_PER_YEAR
from ._validation import (
    check_date,
    check_number,
    check_positive_int,
    check_probability,
    describe,
    suggest_keywords,
)
from .clear import never_reason, time_to_clear
from .provenance import format_number, make_provenance

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ClearTimeInterval",
    "RateEstimate",
    "garwood_interval",
    "rate_from_count",
    "time_to_clear_interval",
]

_RATE_METHOD = "exact (Garwood) Poisson interval"
_INTERVAL_METHOD = "exact image of the input intervals under the monotone time to clear"


def garwood_interval(count: int, confidence: float = 0.95) -> tuple[float, float]:
    r"""Exact (Garwood) confidence interval for the mean of a Poisson count.

    Parameters
    ----------
    count : int
        The observed count ``k`` [events], ``>= 0``.
    confidence : float, default 0.95
        Confidence level ``1 - α``, strictly between 0 and 1.

    Returns
    -------
    (low, high) : tuple of float
        Bounds for the mean count over the same span [events].

    Notes
    -----
    .. math::

        \text{low} = \tfrac12\chi^2_{\alpha/2}(2k) \ (0 \text{ if } k = 0), \qquad
        \text{high} = \tfrac12\chi^2_{1-\alpha/2}(2k + 2).

    Half a chi-square variable with ``2k`` degrees of freedom is Gamma(``k``, 1), so the ends
    are computed as Gamma quantiles, ``scipy.special.gammaincinv(k, α/2)`` and, from the
    upper tail, ``gammainccinv(k + 1, α/2)`` (finite for every confidence below 1, where
    ``gammaincinv(k + 1, 1 - α/2)`` would round ``1 - α/2`` to 1). Each end leaves at most
    ``α/2`` probability on its side whatever the true mean, so the coverage is at least
    ``1 - α`` (the interval is conservative because counts are discrete).

    References
    ----------
    .. [1] F. Garwood, "Fiducial limits for the Poisson distribution", Biometrika 28 (1936)
       437-442, doi:10.1093/biomet/28.3-4.437.

    Examples
    --------
    >>> low, high = garwood_interval(523)
    >>> round(low, 1), round(high, 1)
    (479.1, 569.8)
    >>> garwood_interval(0)[0]
    0.0
    """
    # Gamma quantiles rather than scipy.stats.chi2: the same numbers (see Notes) without
    # importing scipy.stats, which is slow and would dominate ``amnesty-model reproduce``.
    from scipy.special import gammainccinv, gammaincinv

    k = _check_count(count)
    level = check_probability(confidence, "confidence")
    alpha = 1.0 - level
    low = 0.0 if k == 0 else float(gammaincinv(k, alpha / 2.0))
    # The upper end from the upper tail, Q(k + 1, x) = α/2: ``1 - α/2`` rounds to 1 (and the
    # quantile to inf) once α/2 is below half an ulp of 1, e.g. at confidence 1 - 1.1e-16.
    high = float(gammainccinv(k + 1, alpha / 2.0))
    return low, high


@dataclass(frozen=True, repr=False)
class RateEstimate:
    """A rate per year estimated from a count over a span, with an exact Poisson interval.

    Attributes
    ----------
    rate : float
        The point estimate ``count / years`` [events/year].
    low, high : float
        The exact (Garwood) interval for the rate at ``confidence`` [events/year].
    count : int
        The observed count [events].
    days : float
        The span of observation [days].
    confidence : float
        The confidence level of ``(low, high)``.
    start, end : datetime.date or None
        The dates of the span, when it was given as dates.
    provenance : dict
        Inputs, method, version and hash (see :mod:`amnesty_model.provenance`).
    """

    rate: float
    low: float
    high: float
    count: int
    days: float
    confidence: float
    start: _dt.date | None = None
    end: _dt.date | None = None
    provenance: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def years(self) -> float:
        """The span of observation in model years of 365.25 days."""
        return self.days / DAYS_PER_YEAR

    @property
    def per_day(self) -> float:
        """The point estimate per day [events/day]."""
        return self.count / self.days

    @property
    def interval(self) -> tuple[float, float]:
        """``(low, high)`` [events/year]."""
        return (self.low, self.high)

    def distribution(self) -> Any:
        r"""Return the rate's Jeffreys posterior, a frozen ``scipy.stats.gamma`` [events/year].

        For a Poisson count ``k`` over ``y`` years with the Jeffreys prior
        :math:`\propto \lambda^{-1/2}`, the posterior of the rate is
        :math:`\mathrm{Gamma}(k + 1/2,\ \text{rate } y)`. It lies between the two gamma
        distributions whose quantiles give the Garwood ends (shapes ``k`` and ``k + 1``), so its
        central interval falls inside :attr:`interval`. Use it to propagate the rate with
        :func:`amnesty_model.uncertainty.uncertain_time_to_clear`.

        Examples
        --------
        >>> est = rate_from_count(523, days=26)
        >>> dist = est.distribution()
        >>> bool(est.low < dist.ppf(0.025) < dist.ppf(0.975) < est.high)
        True
        """
        from scipy.stats import gamma

        return gamma(self.count + 0.5, scale=1.0 / self.years)

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame with the estimate, its interval and the observation.

        Examples
        --------
        >>> rate_from_count(523, days=26).to_frame()[["rate", "low", "high"]].round()
             rate     low    high
        0  7347.0  6731.0  8005.0
        """
        import pandas as pd

        return pd.DataFrame(
            {
                "rate": [self.rate],
                "low": [self.low],
                "high": [self.high],
                "confidence": [self.confidence],
                "count": [self.count],
                "days": [self.days],
                "start": [self.start],
                "end": [self.end],
            }
        )

    def _span_text(self) -> str:
        days = format_number(self.days, "days" if self.days != 1 else "day")
        if self.start is not None and self.end is not None:
            return f"{days} ({self.start.isoformat()} to {self.end.isoformat()})"
        return days

    def cite(self) -> str:
        """Return a sentence to paste, with the figures, the method, the version and the hash.

        Examples
        --------
        >>> est = rate_from_count(523, start="2022-04-30", end="2022-05-26")
        >>> print(est.cite())  # doctest: +ELLIPSIS
        523 in 26 days (2022-04-30 to 2022-05-26) is 7,347 a year (95 % interval 6,731–8,005; ...
        """
        p = self.provenance
        return (
            f"{self.count:,} in {self._span_text()} is {format_number(self.rate)} a year "
            f"({_percent(self.confidence)} interval {format_number(self.low)}–"
            f"{format_number(self.high)}; {_RATE_METHOD}; "
            f"amnesty_model {p.get('version', '?')}, provenance {p.get('hash', '?')})."
        )

    def __repr__(self) -> str:
        return (
            f"RateEstimate({format_number(self.rate)}/yr, "
            f"{_percent(self.confidence)}: {format_number(self.low)}–{format_number(self.high)}; "
            f"{self.count:,} in {self._span_text()})"
        )


def _percent(confidence: float) -> str:
    text = f"{100 * confidence:g}"
    if text == "100" and confidence < 1:  # 0.9999999999999999 is not 100 %
        text = repr(100 * confidence)
    return f"{text} %"


@suggest_keywords
def rate_from_count(
    count: int,
    *,
    days: float | None = None,
    start: Any = None,
    end: Any = None,
    confidence: float = 0.95,
    sources: Sequence[str] = (),
) -> RateEstimate:
    r"""Turn a count over a span into a rate per year with an exact Poisson interval.

    Parameters
    ----------
    count : int
        Events counted over the span (e.g. people released) [events], ``>= 0``.
    days : float, optional
        Length of the span [days], ``> 0``. Give either ``days`` or ``start`` and ``end``.
    start, end : datetime.date or str, optional
        First and last dates of the span (ISO strings such as ``'2022-04-30'`` are accepted);
        the span is ``end - start`` in days, so ``end`` must be after ``start``.
    confidence : float, default 0.95
        Confidence level of the interval, strictly between 0 and 1.
    sources : sequence of str, default ()
        Ids of the registered sources of the count, recorded in the provenance.

    Returns
    -------
    RateEstimate
        ``rate``, ``low`` and ``high`` [events/year], with the observation, ``cite()`` and
        ``provenance``.

    Raises
    ------
    TypeError
        If ``count`` is not an integer, or a date or ``days`` is of the wrong kind.
    ValueError
        If ``count`` is negative, ``days`` is not positive (or so short that the rate per year
        is beyond the largest float), ``end`` is not after ``start``, ``confidence`` is not in
        (0, 1), or the span is given both ways or not at all.

    Notes
    -----
    With the span ``y = days / 365.25`` years and ``α = 1 - confidence``,

    .. math::

        \hat r = \frac{k}{y}, \qquad
        r_{\text{low}} = \frac{\chi^2_{\alpha/2}(2k)}{2y}, \qquad
        r_{\text{high}} = \frac{\chi^2_{1-\alpha/2}(2k + 2)}{2y},

    with ``r_low = 0`` when ``k = 0`` (Garwood 1936). The interval assumes the events form a
    Poisson process at a constant rate over the span; releases that come in batches or slow
    down over time are more variable than that, so the interval is then too narrow.

    References
    ----------
    .. [1] F. Garwood, "Fiducial limits for the Poisson distribution", Biometrika 28 (1936)
       437-442, doi:10.1093/biomet/28.3-4.437.

    Examples
    --------
    The report: 523 released between the decree (30 April 2022) and 26 May 2022.

    >>> from amnesty_model.rates import rate_from_count
    >>> est = rate_from_count(523, start="2022-04-30", end="2022-05-26")
    >>> est
    RateEstimate(7,347/yr, 95 %: 6,731–8,005; 523 in 26 days (2022-04-30 to 2022-05-26))
    >>> round(est.rate), round(est.low), round(est.high)
    (7347, 6731, 8005)

    No event seen in 30 days still allows a rate of up to about 45 a year.

    >>> round(rate_from_count(0, days=30).high, 1)
    44.9
    """
    k = _check_count(count)
    level = check_probability(confidence, "confidence")
    have_dates = start is not None or end is not None
    if days is not None and have_dates:
        raise ValueError(
            "Provide either days or start and end, not both "
            f"(got days={describe(days)}, start={describe(start)}, end={describe(end)})."
        )
    start_date: _dt.date | None = None
    end_date: _dt.date | None = None
    if days is not None:
        span_days = check_number(days, "days", strict=True)
    elif have_dates:
        if start is None or end is None:
            missing = "start" if start is None else "end"
            raise ValueError(
                f"Provide both start and end (or days instead); {missing} is missing."
            )
        start_date = check_date(start, "start")
        end_date = check_date(end, "end")
        if end_date <= start_date:
            raise ValueError(
                f"end must be after start, got start={start_date.isoformat()} and "
                f"end={end_date.isoformat()}"
            )
        span_days = float((end_date - start_date).days)
    else:
        raise ValueError("Provide the span of the count: either days or start and end.")
    years = span_days / DAYS_PER_YEAR
    low, high = garwood_interval(k, level)
    if not (years > 0 and math.isfinite(high / years)):
        raise ValueError(
            f"days must be long enough for a rate per year a float can hold: {k:,} events "
            f"(interval up to {high:.4g}) over {span_days:g} days is beyond 1.8e308 a year"
        )
    inputs: dict[str, Any] = {"count": k, "days": span_days, "confidence": level}
    if start_date is not None:
        inputs.update(start=start_date, end=end_date)
    provenance = make_provenance(method=_RATE_METHOD, inputs=inputs, sources=sources)
    return RateEstimate(
        rate=k / years,
        low=low / years,
        high=high / years,
        count=k,
        days=span_days,
        confidence=level,
        start=start_date,
        end=end_date,
        provenance=provenance,
    )


# --------------------------------------------------------------------------------------------
# Intervals of the inputs → interval of the time to clear


@dataclass(frozen=True)
class _Span:
    """An input as (low, central, high); ``central`` is None when only an interval is known."""

    low: float
    central: float | None
    high: float
    confidence: float | None
    uncertain: bool

    def record(self) -> dict[str, Any]:
        return {"low": self.low, "estimate": self.central, "high": self.high}


def _as_span(value: object, name: str, allow_rate: bool) -> _Span:
    """Read a number, a (low, high) pair or (for rates) a RateEstimate."""
    if isinstance(value, RateEstimate):
        if not allow_rate:
            raise TypeError(
                f"{name} must be a number or a (low, high) pair, got a RateEstimate; "
                f"a RateEstimate is a count per year, which is not the unit of {name}"
            )
        ends = {"low": value.low, "rate": value.rate, "high": value.high}
        for end, number in ends.items():
            if not (isinstance(number, int | float) and math.isfinite(number) and number >= 0):
                raise ValueError(
                    f"{name} is a RateEstimate whose {end} is {describe(number)}; its low, rate "
                    f"and high must be finite numbers >= 0 ({value!r})"
                )
        if not value.low <= value.rate <= value.high:
            raise ValueError(
                f"{name} is a RateEstimate whose low, rate and high are not in order "
                f"({value.low!r}, {value.rate!r}, {value.high!r})"
            )
        return _Span(value.low, value.rate, value.high, value.confidence, value.high > value.low)
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(
                f"{name} must be a number, a (low, high) pair or a RateEstimate, "
                f"got a sequence of length {len(value)}: {describe(value)}"
            )
        low = check_number(value[0], f"{name} (low end)")
        high = check_number(value[1], f"{name} (high end)")
        if low > high:
            raise ValueError(
                f"{name} must be a (low, high) pair with low <= high, got {describe(value)}"
            )
        return _Span(low, None, high, None, high > low)
    if not isinstance(value, int | float) and hasattr(value, "__len__"):
        raise TypeError(
            f"{name} must be a number, a (low, high) tuple or a RateEstimate, "
            f"got {describe(value)} ({type(value).__name__})"
        )
    number = check_number(value, name)
    return _Span(number, number, number, None, False)


@dataclass(frozen=True, repr=False)
class ClearTimeInterval:
    """The time to clear with the interval implied by intervals of its inputs.

    Attributes
    ----------
    years : float or None
        The time to clear at the inputs' point estimates [years]; ``None`` if an input was
        given only as an interval. ``math.inf`` means never.
    low, high : float
        The smallest and largest time to clear over the inputs' intervals [years].
    confidence : float or None
        The confidence level of ``(low, high)`` when exactly one input is uncertain and it is a
        :class:`RateEstimate`; otherwise ``None`` (see :func:`time_to_clear_interval`).
    inputs : dict
        For each input, its ``low``, ``estimate`` and ``high``.
    reason : str or None
        Why the stock never clears at the high end, if it does not.
    provenance : dict
        Inputs, method, version and hash.
    """

    years: float | None
    low: float
    high: float
    confidence: float | None
    inputs: dict[str, dict[str, Any]]
    reason: str | None = None
    provenance: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def estimate(self) -> float | None:
        """The same as :attr:`years`."""
        return self.years

    @property
    def interval(self) -> tuple[float, float]:
        """``(low, high)`` [years]."""
        return (self.low, self.high)

    def to_frame(self) -> pd.DataFrame:
        """One row per input and one for the answer, with columns low, estimate, high.

        Examples
        --------
        >>> res = time_to_clear_interval(132_000, rate_from_count(523, days=26))
        >>> res.to_frame().round(1)
                         low  estimate      high
        stock       132000.0  132000.0  132000.0
        release_rate  6730.9    7347.1    8004.7
        arrest_rate      0.0       0.0       0.0
        death_rate       0.0       0.0       0.0
        years           16.5      18.0      19.6
        """
        import pandas as pd

        rows = dict(self.inputs)
        rows["years"] = {"low": self.low, "estimate": self.years, "high": self.high}
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=["low", "estimate", "high"])
        return frame.astype("float64")

    def _range_text(self) -> str:
        """'16.5–19.6 years', '14.1 years to never' or 'never', with the level if known."""
        level = f"{_percent(self.confidence)}: " if self.confidence is not None else ""
        if math.isinf(self.low):
            return "never"
        if self.low == self.high:
            return format_number(self.low, "years")
        if math.isinf(self.high):
            return f"{level}{format_number(self.low, 'years')} to never"
        return f"{level}{format_number(self.low)}–{format_number(self.high, 'years')}"

    def cite(self) -> str:
        """Return a sentence to paste, with the figures, the method, the version and the hash.

        Examples
        --------
        >>> res = time_to_clear_interval(132_000, rate_from_count(523, days=26))
        >>> print(res.cite())  # doctest: +ELLIPSIS
        Time to release 132,000 held: 18.0 years (95 %: 16.5–19.6 years), with releases of ...
        """
        p = self.provenance
        head = self._range_text()
        if self.years is not None and self.low < self.high:
            head = f"{format_number(self.years, 'years')} ({head})"
        stock = _span_text(self.inputs["stock"], " held")
        release = _span_text(self.inputs["release_rate"], " a year")
        arrest = _span_text(self.inputs["arrest_rate"], " a year")
        death = _span_text(self.inputs["death_rate"], " per person-year")
        return (
            f"Time to release {stock}: {head}, with releases of {release}, arrests of "
            f"{arrest} and a death rate of {death}; {_INTERVAL_METHOD} "
            f"(amnesty_model {p.get('version', '?')}, provenance {p.get('hash', '?')})."
        )

    def __repr__(self) -> str:
        text = self._range_text()
        if self.years is not None and self.low < self.high:
            text = f"{format_number(self.years, 'years')}, {text}"
        return f"ClearTimeInterval({text})"


def _span_text(values: dict[str, Any], suffix: str) -> str:
    """'7,347 a year (6,731–8,005)', '100–300 a year' or '0 a year'."""
    low, est, high = values["low"], values["estimate"], values["high"]
    if low == high:
        return format_number(low) + suffix
    rng = f"{format_number(low)}–{format_number(high)}"
    return f"{format_number(est)}{suffix} ({rng})" if est is not None else rng + suffix


@suggest_keywords
def time_to_clear_interval(
    stock: Any,
    release_rate: Any,
    arrest_rate: Any = 0.0,
    *,
    death_rate: Any = 0.0,
) -> ClearTimeInterval:
    r"""Time to clear, with the exact interval implied by intervals of the inputs.

    Parameters
    ----------
    stock : float or (float, float)
        People held at the start, ``S0`` [people]: a number or a ``(low, high)`` pair.
    release_rate : float or (float, float) or RateEstimate
        People released per year, ``r`` [people/year].
    arrest_rate : float or (float, float) or RateEstimate, default 0.0
        People newly detained per year, ``a`` [people/year].
    death_rate : float or (float, float), default 0.0
        Deaths in custody per person per year, ``μ`` [1/year].

    Returns
    -------
    ClearTimeInterval
        ``years`` (at the point estimates; ``None`` if an input is only an interval), ``low``
        and ``high`` [years], with ``cite()``, ``provenance`` and ``to_frame()``.

    Raises
    ------
    TypeError
        If an input is of the wrong kind, or a stock or death rate is given as a
        RateEstimate (its unit is people per year).
    ValueError
        If a number is negative or not finite, or a pair is not ``(low, high)`` with
        ``low <= high``.

    Notes
    -----
    The time to clear :math:`T(S_0, r, a, \mu)` of :func:`~amnesty_model.time_to_clear` is
    non-decreasing in ``S0`` and ``a`` and non-increasing in ``r`` and ``μ`` (with ``r > a``,
    :math:`T = \ln(1 + \mu S_0/(r - a))/\mu`, whose derivative in ``μ`` is negative; with
    ``r <= a`` it is infinite whatever ``μ``). A function monotone in each coordinate takes its
    extremes over a box at two opposite corners, so over the box of input intervals

    .. math::

        T_{\text{low}} = T(S_0^{\text{low}}, r^{\text{high}}, a^{\text{low}}, \mu^{\text{high}}),
        \qquad
        T_{\text{high}} = T(S_0^{\text{high}}, r^{\text{low}}, a^{\text{high}}, \mu^{\text{low}})

    exactly. If one input is uncertain, ``(low, high)`` has that input's confidence: ``T`` is
    outside it exactly when the input is outside its interval. With several independent
    uncertain inputs the coverage is at least the product of their levels (every input inside
    its interval is enough), usually more; ``confidence`` is then ``None``. For a
    distribution of ``T`` use :func:`amnesty_model.uncertainty.uncertain_time_to_clear`.

    Examples
    --------
    The report's 523 releases in 26 days, applied to 132,000 held and no new arrests:

    >>> from amnesty_model.rates import rate_from_count, time_to_clear_interval
    >>> est = rate_from_count(523, days=26)
    >>> time_to_clear_interval(132_000, est)
    ClearTimeInterval(18.0 years, 95 %: 16.5–19.6 years)

    If arrests run at between 100 and 300 a year:

    >>> res = time_to_clear_interval(132_000, est, (100, 300))
    >>> round(res.low, 1), round(res.high, 1)
    (16.7, 20.5)
    """
    spans = {
        "stock": _as_span(stock, "stock", allow_rate=False),
        "release_rate": _as_span(release_rate, "release_rate", allow_rate=True),
        "arrest_rate": _as_span(arrest_rate, "arrest_rate", allow_rate=True),
        "death_rate": _as_span(death_rate, "death_rate", allow_rate=False),
    }
    S, r, a, mu = spans.values()
    low = _corner("low end", S.low, r.high, a.low, mu.high)
    high = _corner("high end", S.high, r.low, a.high, mu.low)
    centrals = [s.central for s in spans.values()]
    years: float | None = None
    if all(c is not None for c in centrals):
        c_S, c_r, c_a, c_mu = (float(c) for c in centrals if c is not None)
        years = _corner("point estimates", c_S, c_r, c_a, c_mu)
    uncertain = [s for s in spans.values() if s.uncertain]
    confidence = uncertain[0].confidence if len(uncertain) == 1 else None
    reason = never_reason(S.high, r.low, a.high, death_rate=mu.low) if math.isinf(high) else None
    inputs = {name: span.record() for name, span in spans.items()}
    provenance = make_provenance(
        method=_INTERVAL_METHOD,
        inputs=inputs,
        sources=_sources(stock, release_rate, arrest_rate, death_rate),
        confidence=confidence,
        derived_from=_hashes(stock, release_rate, arrest_rate, death_rate),
    )
    return ClearTimeInterval(
        years=years,
        low=low,
        high=high,
        confidence=confidence,
        inputs=inputs,
        reason=reason,
        provenance=provenance,
    )


def _corner(which: str, stock: float, release: float, arrest: float, death: float) -> float:
    """The time to clear at one corner of the box of inputs, its errors saying which corner."""
    try:
        return float(time_to_clear(stock, release, arrest, death_rate=death))
    except ValueError as exc:
        raise ValueError(
            f"time to clear at the {which} of the inputs (stock {stock:g}, release_rate "
            f"{release:g}, arrest_rate {arrest:g}, death_rate {death:g}): {exc}"
        ) from None


def _sources(*values: object) -> list[str]:
    """Return the registered sources behind any RateEstimate among the inputs."""
    found: list[str] = []
    for value in values:
        if isinstance(value, RateEstimate):
            found.extend(value.provenance.get("sources", []))
    return found


def _hashes(*values: object) -> list[str]:
    """Return the provenance hashes of any RateEstimate among the inputs."""
    return [
        str(value.provenance.get("hash", "?"))
        for value in values
        if isinstance(value, RateEstimate)
    ]


#: Largest count accepted: its rate and interval must be floats (a count of people, in
#: practice far below this).
_MAX_COUNT = 10**15


def _check_count(count: object) -> int:
    """A non-negative integer count, refused by name when a float could not carry it."""
    k = check_positive_int(count, "count", minimum=0)
    if k > _MAX_COUNT:
        raise ValueError(f"count must be at most {_MAX_COUNT:,}, got a {len(str(k))}-digit number")
    return k
