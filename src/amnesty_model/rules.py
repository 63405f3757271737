"""Release rules and rate schedules beyond a constant rate.

A :class:`~amnesty_model.Scenario` takes a plain number as ``release_rate`` (constant releases,
the report's model) or one of these rules:

- :class:`Proportional` — a fraction of those held is released each year;
- :class:`Decrees` — ``size`` people released at once every ``every`` years (the report's "a
  decree every year releasing one thousand");
- :class:`Geometric` — a release rate that grows or shrinks exponentially;
- :class:`Schedule` — any piecewise-constant rate over time (also accepted as ``arrest_rate``).

Each rule is an immutable, validated value; the solvers live in :mod:`amnesty_model.engine`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._validation import FloatArray, check_number, describe

__all__ = ["Decrees", "Geometric", "Proportional", "ReleaseRule", "Schedule"]

# Most decree times one call to Decrees.times may list (80 MB of float64).
_MAX_DECREES = 10_000_000


@dataclass(frozen=True)
class Proportional:
    r"""Release a fixed fraction of those held each year.

    The outflow is ``fraction · S`` people per year, so the stock decays towards the steady
    state ``a / (fraction + μ)`` and never reaches zero; "cleared" means fewer than
    ``clear_below`` people held.

    Parameters
    ----------
    fraction : float
        Share of those held released per year, ``ρ`` [1/year], ``> 0``.
    clear_below : float, default 1.0
        The stock counts as cleared once fewer than this many are held [people], ``> 0``.
        The default, one person, means "no one left" in a continuous model.

    Notes
    -----
    With constant arrests ``a`` and death rate ``μ``,
    :math:`S(t) = S^* + (S_0 - S^*) e^{-(\rho + \mu) t}` with :math:`S^* = a / (\rho + \mu)`,
    so the time to fall to ``N = clear_below`` is
    :math:`\ln\big((S_0 - S^*) / (N - S^*)\big) / (\rho + \mu)` when :math:`S^* < N`, and never
    otherwise.

    Examples
    --------
    >>> Proportional(0.1)
    Proportional(fraction=0.1, clear_below=1.0)
    """

    fraction: float
    clear_below: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "fraction", check_number(self.fraction, "fraction", strict=True))
        object.__setattr__(
            self, "clear_below", check_number(self.clear_below, "clear_below", strict=True)
        )

    def describe(self) -> str:
        """Return a short description for tables and citations."""
        return f"{self.fraction:g} of those held released per year"


@dataclass(frozen=True)
class Decrees:
    """Release ``size`` people at once every ``every`` years (amnesty decrees as pulses).

    Arrests and deaths continue between decrees. A decree releases ``min(size, held)``.

    Parameters
    ----------
    size : float
        People released by each decree, ``R`` [people], ``> 0``.
    every : float, default 1.0
        Years between decrees, ``Δ`` [years], ``> 0``.
    first : float or None, default None
        Years from the start to the first decree [years], ``>= 0``. The default, one
        interval ``Δ`` after the start, is the convention under which "132,000 held, a decree
        of 1,000 a year" takes exactly 132 years: the last of 132 decrees falls at ``t = 132``.

    Notes
    -----
    With constant arrests ``a`` and no deaths, the stock just before decree ``k`` (at
    ``t_k = first + (k - 1)Δ``) is ``S0 + a·t_k − (k − 1)R``. It clears iff ``R > aΔ``, at the
    first decree ``k`` with ``S0 + a·t_k ≤ k R``: with ``first = Δ`` this is
    ``k* = ceil(S0 / (R − aΔ))``. A decree that would release exactly the people still held
    empties the prisons (the boundary case counts as cleared).

    Examples
    --------
    >>> Decrees(1_000)
    Decrees(size=1000.0, every=1.0, first=1.0)
    """

    size: float
    every: float = 1.0
    first: float = field(default=math.nan)

    def __init__(self, size: float, every: float = 1.0, first: float | None = None) -> None:
        object.__setattr__(self, "size", check_number(size, "size", strict=True))
        object.__setattr__(self, "every", check_number(every, "every", strict=True))
        first_value = self.every if first is None else check_number(first, "first")
        object.__setattr__(self, "first", first_value)

    def times(self, horizon: float) -> FloatArray:
        """Return the decree times up to and including ``horizon`` [years]."""
        if horizon < self.first:
            return np.empty(0)
        span = (horizon - self.first) / self.every + 1e-12
        if not span < _MAX_DECREES:  # also catches an infinite horizon
            raise ValueError(
                f"Decrees every {self.every:g} years up to horizon {horizon:g} years would be "
                f"more than {_MAX_DECREES:,} decrees; shorten the horizon or lengthen every"
            )
        count = math.floor(span) + 1
        times = self.first + self.every * np.arange(count, dtype=np.float64)
        # The 1e-12 slack above (and rounding in first + every·k) may place the last decree
        # an ulp past the horizon (first = 0.05, every = 0.001: 10.000000000000002 for 10).
        return times[times <= horizon]

    def describe(self) -> str:
        """Return a short description for tables and citations."""
        when = "" if self.first == self.every else f", the first after {self.first:g} years"
        return f"decrees of {_count(self.size)} every {self.every:g} years{when}"


@dataclass(frozen=True)
class Geometric:
    r"""A release rate that grows (or shrinks) exponentially: ``r(t) = initial · e^(growth·t)``.

    Parameters
    ----------
    initial : float
        Release rate at the start, ``r0`` [people/year], ``> 0``.
    growth : float
        Continuous growth rate ``γ`` [1/year]; negative for a shrinking rate.

    Notes
    -----
    With no arrests and no deaths the cumulative releases are :math:`r_0 (e^{\gamma t}-1)/\gamma`,
    so the stock clears at :math:`T = \ln(1 + \gamma S_0 / r_0) / \gamma`, which for
    ``γ < 0`` exists only if :math:`S_0 < r_0 / |\gamma|` (the releases that will ever happen).

    Examples
    --------
    >>> Geometric(1_000, 0.05).rate(np.array([0.0]))
    array([1000.])
    """

    initial: float
    growth: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "initial", check_number(self.initial, "initial", strict=True))
        object.__setattr__(self, "growth", check_number(self.growth, "growth", minimum=-math.inf))

    def rate(self, t: FloatArray) -> FloatArray:
        """Release rate at times ``t`` [people/year]."""
        with np.errstate(over="ignore"):
            return self.initial * np.exp(self.growth * t)

    def describe(self) -> str:
        """Return a short description for tables and citations."""
        return f"{_count(self.initial)}/yr growing {self.growth:+.3g}/yr (exponential)"


@dataclass(frozen=True)
class Schedule:
    """A piecewise-constant rate: ``rates[i]`` people per year from ``starts[i]`` on.

    Parameters
    ----------
    starts : sequence of float
        Years at which each rate takes effect; strictly increasing, the first must be 0.
    rates : sequence of float
        Rates [people/year], ``>= 0``, one per start. The last continues forever.

    Examples
    --------
    Releases at 7,347 a year for the decree's first 26 days, then 100 a year:

    >>> s = Schedule(starts=[0, 26 / 365.25], rates=[7_347, 100])
    >>> s.rate(np.array([0.0, 1.0]))
    array([7347.,  100.])
    """

    starts: tuple[float, ...]
    rates: tuple[float, ...]

    def __init__(self, starts: Sequence[float] | Any, rates: Sequence[float] | Any) -> None:
        starts_t = _float_tuple(starts, "starts")
        rates_t = _float_tuple(rates, "rates")
        if len(starts_t) != len(rates_t):
            raise ValueError(
                f"starts and rates must have the same length, got {len(starts_t)} starts "
                f"and {len(rates_t)} rates"
            )
        if not starts_t:
            raise ValueError(
                "starts and rates must hold at least one (start, rate) pair, got none"
            )
        if starts_t[0] != 0.0:
            raise ValueError(f"starts must begin at 0 (the scenario's start), got {starts_t[0]!r}")
        for i, (s0, s1) in enumerate(itertools.pairwise(starts_t)):
            if not s1 > s0:
                raise ValueError(
                    f"starts must be strictly increasing; starts[{i + 1}] = {s1!r} follows {s0!r}"
                )
        for i, value in enumerate(starts_t):
            check_number(value, f"starts[{i}]")
        for i, value in enumerate(rates_t):
            check_number(value, f"rates[{i}]")
        object.__setattr__(self, "starts", starts_t)
        object.__setattr__(self, "rates", rates_t)

    @classmethod
    def constant(cls, rate: float) -> Schedule:
        """A schedule with a single rate from ``t = 0`` on."""
        return cls([0.0], [rate])

    def rate(self, t: FloatArray) -> FloatArray:
        """Rate in force at times ``t`` [people/year] (right-continuous)."""
        idx = np.searchsorted(np.asarray(self.starts), t, side="right") - 1
        return np.asarray(self.rates)[np.clip(idx, 0, None)]

    def cumulative(self, t: FloatArray) -> FloatArray:
        """People counted by the rate from 0 to ``t`` (the integral of the rate) [people].

        ``inf`` where the count is beyond the largest float (about 1.8e308).
        """
        starts = np.asarray(self.starts)
        rates = np.asarray(self.rates)
        ends = np.append(starts[1:], np.inf)
        t = np.asarray(t, dtype=np.float64)
        covered = np.clip(t[..., None] - starts, 0.0, ends - starts)
        with np.errstate(over="ignore"):  # no NaN: covered and rates are finite and >= 0
            result: FloatArray = (covered * rates).sum(axis=-1)
        return result

    def describe(self) -> str:
        """Return a short description for tables and citations."""
        parts = [f"{r:,.4g}/yr from {s:g}" for s, r in zip(self.starts, self.rates, strict=True)]
        return "schedule: " + ", ".join(parts)


def _count(value: float) -> str:
    """A count of people for a description: 1,000 (not 1e+03), but 1e+308 in short."""
    return f"{value:,.0f}" if value < 1e15 else f"{value:.3g}"


def _float_tuple(values: object, name: str) -> tuple[float, ...]:
    if isinstance(values, str | bytes) or values is None:
        raise TypeError(f"{name} must be a sequence of numbers, got {describe(values)}")
    try:
        items = list(values)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(f"{name} must be a sequence of numbers, got {describe(values)}") from None
    return tuple(check_number(v, f"{name}[{i}]", minimum=-math.inf) for i, v in enumerate(items))


#: Anything a Scenario accepts as its release rule.
ReleaseRule = float | Proportional | Decrees | Geometric | Schedule
