r"""Whose release? Today's detainees, the order of release, and deaths in custody.

"When are the prisons empty?" and "when is the last of today's detainees free?" are different
questions (docs/methods.md §2). This module follows the *cohort* — the ``S0`` people held at
``t = 0`` — separately from the *newcomers* arrested later, under three release disciplines:

- ``"fifo"`` — oldest cases first. Today's cohort is ahead of every newcomer, so arrests do
  not matter to it: :math:`dC/dt = -r - \mu C` while :math:`C > 0`.
- ``"random"`` — everyone held is equally likely to be picked:
  :math:`dC/dt = -r\,C/S - \mu C`, with ``S`` the total held.
- ``"lifo"`` — newest first. Releases go to newcomers while there are any; the cohort only
  moves when releases exceed arrests.

Deaths are a hazard ``μ`` per person per year for everyone held. Counts are continuous (a
fluid model); :func:`simulate_cohort` is the person-level Monte Carlo counterpart.

The deterministic solutions are exact: on every interval of constant rates each discipline has
a closed form (derived in :func:`cohort` and ``docs/cohort.md``); only the deaths of the
cohort under random release are an integral evaluated numerically
(:func:`scipy.integrate.quad`).
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ._progress import progress_bar, want_progress
from ._validation import (
    FloatArray,
    check_choice,
    check_death_rate,
    check_number,
    check_positive_int,
    describe,
    suggest_keywords,
)
from ._version import __version__
from .clear import _people
from .engine import _advance, _Piece, _State
from .provenance import format_number, make_provenance
from .rules import Decrees, Geometric, Proportional, Schedule

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from .scenario import Scenario

__all__ = [
    "CohortProjection",
    "CohortSimulation",
    "DeathToll",
    "StaySimulation",
    "WaitingTime",
    "cohort",
    "deaths_before_release",
    "illustrative_death_rows",
    "simulate_cohort",
    "simulate_stays",
    "waiting_time",
]

DISCIPLINES = ("fifo", "random", "lifo")

_NAMES = {
    "fifo": "oldest cases first (FIFO)",
    "random": "releases in random order",
    "lifo": "newest cases first (LIFO)",
}

# Beyond this many e-foldings of the death hazard a remaining count is below 1e-304 of itself.
_MAX_EXPONENT = 700.0

# Times beyond this many years are reported as ``inf`` (never, for any practical purpose).
_FAR = 1e300

#: The label every illustrative row carries: the death rates are assumptions, not data.
ILLUSTRATIVE = "illustrative, not a claim of the report"


# --------------------------------------------------------------------------------------------
# inputs


def _check_scenario(scenario: object) -> Scenario:
    from .scenario import Scenario

    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario, got {describe(scenario)}")
    return scenario


def _check_death_schedule(death_schedule: object) -> Schedule | None:
    if death_schedule is None or isinstance(death_schedule, Schedule):
        return death_schedule
    raise TypeError(
        "death_schedule must be a Schedule of death rates per person per year, or None, "
        f"got {describe(death_schedule)}"
    )


IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
_K = tuple[float, float, float]  # (arrests a, releases r, death rate μ) on one piece


@dataclass(frozen=True)
class _Rates:
    """Piecewise-constant (a, r, μ): breakpoints and the rates from each on."""

    breaks: tuple[float, ...]  # interior breakpoints, sorted, > 0
    at: Callable[[float], tuple[float, float, float]]
    constant: bool


def _rate(rule: float | Schedule, t: float) -> float:
    return float(rule.rate(np.array([t]))[0]) if isinstance(rule, Schedule) else float(rule)


def _rates(
    scenario: Scenario, death_schedule: Schedule | None, release: float | Schedule | None = None
) -> _Rates:
    rel = scenario.release_rate if release is None else release
    assert isinstance(rel, float | Schedule)
    arr = scenario.arrest_rate
    death: float | Schedule = scenario.death_rate if death_schedule is None else death_schedule
    breaks: set[float] = set()
    for rule in (rel, arr, death):
        if isinstance(rule, Schedule):
            breaks.update(s for s in rule.starts if s > 0)

    def at(t: float) -> tuple[float, float, float]:
        return _rate(arr, t), _rate(rel, t), _rate(death, t)

    return _Rates(tuple(sorted(breaks)), at, not breaks)


# --------------------------------------------------------------------------------------------
# one compartment with constant rates (the engine's exact pieces)


def _evolve(x: float, a: float, r: float, mu: float, dt: float) -> tuple[float, float, float]:
    """Held, released, died after ``dt`` for ``dx/dt = a − r − μx``, assuming ``x`` stays > 0."""
    held, released, _, died = _Piece(a, r, 0.0, mu).evolve(_State(x), np.array([dt]))
    return float(held[0]), float(released[0]), float(died[0])


def _slide(x: float, a: float, r: float, mu: float, dt: float) -> float:
    """Held after ``dt`` for ``dx/dt = a − r[x > 0] − μx``, staying at 0 once it gets there."""
    return _advance(_State(x), _Piece(a, r, 0.0, mu), dt).held


def _time_to(x: float, r: float, a: float, mu: float, level: float = 0.0) -> float:
    """Years for ``dx/dt = a − r − μx`` to fall from ``x`` to ``level`` (inf: never)."""
    return _Piece(a, r, 0.0, mu).time_to(x, level)


# --------------------------------------------------------------------------------------------
# the random discipline: closed form for the cohort


def _log1p_ratio(x: float) -> float:
    """``log1p(x) / x``, equal to 1 at 0 (``x > -1``)."""
    if abs(x) < 1e-8:
        return 1.0 - x / 2.0 + x * x / 3.0
    return math.log1p(x) / x


def _random_share(S0: float, a: float, r: float, mu: float, tau: float) -> float:
    r"""``C(τ)/C(0)`` under random release with constant rates, from ``S0`` held at ``τ = 0``.

    :math:`\ln(C/C_0) = -I(τ) - μτ` with :math:`I = \int_0^τ r/S`, and (see :func:`cohort`)
    :math:`I = r\,g/S_0 \cdot \ln(1 + x)/x`, :math:`g = (e^{μτ} - 1)/μ`,
    :math:`x = (a - r)\,g/S_0`. Zero once the stock is empty (``x <= -1``).
    """
    if tau <= 0.0:
        return 1.0
    if mu * tau > _MAX_EXPONENT:
        return 0.0
    if r == 0.0:  # no releases: only deaths (x overflowed to inf, then 0 · inf = NaN)
        return math.exp(-mu * tau) if mu > 0 else 1.0
    g = math.expm1(mu * tau) / mu if mu > 0 else tau
    x = (a - r) * g / S0
    if x <= -1.0:
        return 0.0
    if x > 1.0:  # r g/S0 · ln(1 + x)/x = r/(a − r) · ln(1 + x): finite even when g overflows
        exponent = r / (a - r) * math.log1p(x) + mu * tau
    else:
        exponent = r * g / S0 * _log1p_ratio(x) + mu * tau
    return math.exp(-exponent)


def _random_deaths(C0: float, S0: float, k: _K, tau: float) -> float:
    r"""``μ ∫_0^τ C`` under random release with constant rates (``τ`` may be ``inf``).

    With :math:`u = e^{-μt}`, :math:`μ\,C\,dt = -C_0 e^{-I}\,du`, so the deaths are
    :math:`C_0 \int_{e^{-μτ}}^1 e^{-I(t(u))}\,du`: a bounded integrand on a finite interval,
    whatever ``τ``. It is integrated over :math:`w = 1 - u`, with
    :math:`g = (e^{μt} - 1)/μ = w/(μ(1 - w))`.
    """
    a, r, mu = k
    if mu == 0.0 or C0 == 0.0 or tau <= 0.0:
        return 0.0
    from scipy.integrate import quad

    def kept(w: float) -> float:
        # w = 1 − u keeps short intervals (u near 1) in the dense part of the floats.
        if w >= 1.0:  # t = ∞: the cohort is gone
            return 0.0
        g = w / (1.0 - w) / mu  # not w / (μ(1 − w)): μ(1 − w) underflows for μ = 5e-324
        if math.isinf(g):  # t beyond the floats: released by then unless no one is
            return 0.0 if r > 0 else 1.0
        x = (a - r) * g / S0
        if x <= -1.0:
            return 0.0
        return math.exp(-r * g / S0 * _log1p_ratio(x))

    end = min(tau, _time_to(S0, r, a, mu))
    width = -math.expm1(-mu * end) if math.isfinite(end) else 1.0
    # The integrand falls on the scale w ~ μ S0 / r (releases outpacing deaths): tell QUADPACK
    # where, or it may sample past a spike narrower than its first panels.
    scale = mu * S0 / r if r > 0 else width
    factor = 1.0
    integrand: Callable[[float], float] = kept
    if 0.0 < scale < 1e-200:
        # A spike too narrow for QUADPACK in w (μ = 1.1e-308, r = a = S0 = 1: "extremely bad
        # integrand behavior"): integrate over v = w/scale instead, the spike at v ~ 1.
        factor, width, scale = scale, width / scale, 1.0

        def integrand(v: float) -> float:
            return kept(factor * v)

    breaks = [p for p in (scale, 10 * scale, 100 * scale) if 0.0 < p < width]
    finite = math.isfinite(width)
    result = quad(
        integrand,
        0.0,
        width,
        epsabs=0.0,
        epsrel=1e-11,
        limit=500,
        full_output=1,
        points=(breaks or None) if finite else None,
    )
    # A 4th item is QUADPACK's message. Round-off only means 1e-11 could not be certified
    # (the estimate stands); anything else is an error.
    if len(result) > 3 and "roundoff" not in str(result[3]).lower():  # pragma: no cover
        raise ArithmeticError(f"quadrature of the cohort's deaths failed: {result[3]}")
    value = result[0]
    return C0 * factor * float(value)


# --------------------------------------------------------------------------------------------
# the state of cohort and newcomers, stepped exactly over an interval of constant rates


@dataclass
class _Cs:
    C: float  # cohort still held
    N: float  # newcomers held
    released: float = 0.0  # cohort released alive so far
    died: float = 0.0  # cohort dead in custody so far


def _step(disc: str, st: _Cs, k: _K, dt: float) -> _Cs:
    """Advance ``st`` by ``dt`` years under constant rates (exact, regime changes included)."""
    a, r, mu = k
    if dt <= 0:
        return _Cs(st.C, st.N, st.released, st.died)
    C, N = st.C, st.N
    if C <= 0:
        return _Cs(0.0, _slide(N, a, r, mu, dt), st.released, st.died)
    if disc == "fifo":
        tau = _time_to(C, r, 0.0, mu)
        if tau >= dt:
            C1, rel, died = _evolve(C, 0.0, r, mu, dt)
            return _Cs(
                max(C1, 0.0), _evolve(N, a, 0.0, mu, dt)[0], st.released + rel, st.died + died
            )
        rel = r * tau
        mid = _Cs(0.0, _evolve(N, a, 0.0, mu, tau)[0], st.released + rel, st.died + C - rel)
        return _step(disc, mid, k, dt - tau)
    if disc == "lifo":
        if N > 0:
            tau = _time_to(N, r, a, mu)
            h = min(tau, dt)
            C1 = C * math.exp(-mu * h)
            N1 = 0.0 if tau <= dt else _evolve(N, a, r, mu, h)[0]
            mid = _Cs(C1, max(N1, 0.0), st.released, st.died + (C - C1))
            return mid if tau >= dt else _step(disc, mid, k, dt - tau)
        if a > r:  # newcomers pile up on top of the cohort, which only dies
            C1 = C * math.exp(-mu * dt)
            return _Cs(C1, _evolve(0.0, a, r, mu, dt)[0], st.released, st.died + (C - C1))
        # No newcomers waiting and releases keep up with arrests: the surplus r − a goes to
        # the cohort.
        tau = _time_to(C, r - a, 0.0, mu)
        if tau >= dt:
            C1, rel, died = _evolve(C, 0.0, r - a, mu, dt)
            return _Cs(max(C1, 0.0), 0.0, st.released + rel, st.died + died)
        rel = (r - a) * tau
        return _Cs(0.0, 0.0, st.released + rel, st.died + C - rel)
    # random
    S = C + N
    t_empty = _time_to(S, r, a, mu)
    if t_empty <= dt:
        died = _random_deaths(C, S, k, t_empty)
        rest = _slide(0.0, a, r, mu, dt - t_empty)
        return _Cs(0.0, rest, st.released + C - died, st.died + died)
    C1 = C * _random_share(S, a, r, mu, dt)
    died = _random_deaths(C, S, k, dt)
    S1 = _slide(S, a, r, mu, dt)
    return _Cs(C1, max(S1 - C1, 0.0), st.released + (C - C1 - died), st.died + died)


def _hit(disc: str, st: _Cs, k: _K, level: float) -> float:
    """Years until the cohort falls to ``level`` under constant rates (``inf``: never)."""
    a, r, mu = k
    C, N = st.C, st.N
    if level >= C:
        return 0.0
    if disc == "fifo":
        return _time_to(C, r, 0.0, mu, level)
    if disc == "lifo":
        waited = 0.0
        decay = math.log(C / level) / mu if mu > 0 and level > 0 else math.inf
        if N > 0:
            tau = _time_to(N, r, a, mu)
            if decay <= tau:
                return decay
            if math.isinf(tau):
                return math.inf
            C, waited, decay = C * math.exp(-mu * tau), tau, decay - tau
        if a > r:
            return waited + decay
        return waited + _time_to(C, r - a, 0.0, mu, level)
    # random
    S = C + N
    t_empty = _time_to(S, r, a, mu)
    if level == 0.0:
        return t_empty
    if r == 0.0 and mu == 0.0:
        return math.inf
    from scipy.optimize import brentq

    target = level / C

    def excess(tau: float) -> float:
        return _random_share(S, a, r, mu, tau) - target

    hi = t_empty
    if math.isinf(hi):
        pace = r / S + mu  # 0, or its inverse inf, for a subnormal release_rate
        if math.isinf(pace):  # r/S beyond the floats: the share falls at once (was a hang,
            return 0.0  # doubling hi = 1/pace = 0 for ever)
        if pace == 0.0 or math.isinf(1.0 / pace):
            raise ValueError(
                f"the time for the cohort to fall to {level:.3g} is finite but larger than the "
                f"largest float; check the units of stock ({S:.3g}) and release_rate ({r:.3g})"
            )
        hi = 1.0 / pace
        while excess(hi) > 0:
            hi *= 2.0
            if hi > _FAR:  # e.g. a power-law tail with a tiny exponent
                return math.inf
    return float(brentq(excess, 0.0, hi, xtol=1e-14 * hi, rtol=4 * np.finfo(float).eps))


def _limit(disc: str, st: _Cs, k: _K) -> tuple[float, float, float]:
    """Cohort released alive and dead from ``st`` on, and still held, as ``t → ∞``."""
    a, r, mu = k
    C, N = st.C, st.N
    if C <= 0:
        return 0.0, 0.0, 0.0

    def only_deaths(c: float, died: float = 0.0) -> tuple[float, float, float]:
        return (0.0, died + c, 0.0) if mu > 0 else (0.0, died, c)

    if disc == "fifo":
        T = _time_to(C, r, 0.0, mu)
        if math.isinf(T):
            return only_deaths(C)
        return r * T, max(C - r * T, 0.0), 0.0  # rounding left −5e-287 deaths at μ = 0
    if disc == "lifo":
        died = 0.0
        if N > 0:
            tau = _time_to(N, r, a, mu)
            if math.isinf(tau):
                return only_deaths(C)
            C1 = C * math.exp(-mu * tau)
            C, died = C1, C - C1
        if a >= r:
            return only_deaths(C, died)
        T = _time_to(C, r - a, 0.0, mu)
        return (r - a) * T, max(died + C - (r - a) * T, 0.0), 0.0
    # random
    if r == 0.0:
        return only_deaths(C)
    died = _random_deaths(C, C + N, k, math.inf)
    return C - died, died, 0.0


# --------------------------------------------------------------------------------------------
# walking through the pieces


def _walk(disc: str, rates: _Rates, st: _Cs, t0: float, t1: float) -> _Cs:
    """Advance ``st`` from ``t0`` to ``t1`` across any change of rates."""
    t = t0
    lo, hi = bisect.bisect_right(rates.breaks, t0), bisect.bisect_left(rates.breaks, t1)
    for b in [*rates.breaks[lo:hi], t1]:
        st = _step(disc, st, rates.at(t), b - t)
        t = b
    return st


def _first_time(disc: str, rates: _Rates, S0: float, level: float) -> float:
    """Years until the cohort first falls to ``level`` (inf: never)."""
    st = _Cs(S0, 0.0)
    t = 0.0
    for b in [*rates.breaks, math.inf]:
        h = _hit(disc, st, rates.at(t), level)
        if t + h <= b:
            return t + h
        st = _step(disc, st, rates.at(t), b - t)
        t = b
    raise AssertionError("unreachable: the last piece is unbounded")  # pragma: no cover


def _totals(disc: str, rates: _Rates, S0: float) -> tuple[float, float, float]:
    last = rates.breaks[-1] if rates.breaks else 0.0
    st = _walk(disc, rates, _Cs(S0, 0.0), 0.0, last)
    rel, died, still = _limit(disc, st, rates.at(last))
    return st.released + rel, st.died + died, still


# --------------------------------------------------------------------------------------------
# release rules beyond a count per year: decrees, a per-person fraction, a geometric rate

# Most decrees the cohort is followed through (a few µs each).
_MAX_COHORT_DECREES = 100_000

# A cohort share below this (of the stock) counts as gone when following decrees under random
# release, where it only tends to zero.
_NEGLIGIBLE = 1e-13

# Geometric: each piece spans this much of 1/|growth| (the rate changes by about 0.5 % on it).
_GEOMETRIC_PIECE = 0.005
# Geometric: at most this many pieces.
_MAX_GEOMETRIC_PIECES = 20_000


@dataclass(frozen=True)
class _Model:
    """How the cohort is followed: count-rate pieces, plus decrees or a per-person hazard."""

    rates: _Rates  # (a, r, μ) pieces; r = 0 between decrees and under Proportional
    decrees: Decrees | None = None
    fraction: float = 0.0  # Proportional: per-person release rate ρ [1/year]
    clear_below: float = 0.0  # the cohort counts as out below this many people
    note: str = ""  # how a Geometric rate was made piecewise constant


def _geometric_schedule(g: Geometric, s: Scenario) -> tuple[Schedule, str]:
    """``g`` as a Schedule of its averages on pieces of width ``0.005/|γ|``.

    Cumulative releases are exact at every piece end; the pieces run up to a time after which
    the rest does not matter.
    """
    r0, gamma = g.initial, g.growth
    if gamma == 0.0:
        return Schedule.constant(r0), ""
    arr = s.arrest_rate
    a_max = float(max(arr.rates)) if isinstance(arr, Schedule) else float(arr)
    S0 = s.stock
    if gamma > 0:
        # Past H the rate is above twice every arrest rate and has released more than twice
        # the stock plus all arrests: the stock is empty and stays so (the cohort is out under
        # every discipline). The last piece's rate continues; nothing is held by then.
        horizon = 1.0 / gamma
        while not (
            r0 * math.exp(gamma * horizon) >= 2 * a_max
            and r0 * math.expm1(gamma * horizon) / gamma >= 2 * (S0 + a_max * horizon)
        ):
            horizon *= 2.0
        last = None
    else:
        # Past H fewer than 1e-12 of the stock are ever released: the rate is set to 0 there.
        horizon = max(math.log(r0 / (-gamma * 1e-12 * max(S0, 1.0))) / -gamma, 1.0 / -gamma)
        last = 0.0
    pieces = math.ceil(abs(gamma) * horizon / _GEOMETRIC_PIECE)
    if pieces > _MAX_GEOMETRIC_PIECES:
        raise ValueError(
            f"release_rate=Geometric(initial={r0:g}, growth={gamma:g}) over {horizon:,.4g} "
            f"years needs {pieces:,} pieces (at most {_MAX_GEOMETRIC_PIECES:,}); use a "
            "Schedule instead"
        )
    width = horizon / pieces
    starts = width * np.arange(pieces, dtype=np.float64)
    with np.errstate(over="ignore"):
        rates = r0 * np.exp(gamma * starts) * (math.expm1(gamma * width) / (gamma * width))
    if last is not None:
        starts, rates = np.append(starts, horizon), np.append(rates, last)
    note = (
        f"the geometric rate as its average over {pieces:,} pieces of {width:.4g} years "
        "(releases exact at every piece end)"
    )
    return Schedule(starts, rates), note


def _model(s: Scenario, death_schedule: Schedule | None) -> _Model:
    rel = s.release_rate
    if isinstance(rel, float | Schedule):
        return _Model(_rates(s, death_schedule))
    if isinstance(rel, Geometric):
        schedule, note = _geometric_schedule(rel, s)
        return _Model(_rates(s, death_schedule, schedule), note=note)
    if isinstance(rel, Decrees):
        return _Model(_rates(s, death_schedule, 0.0), decrees=rel)
    assert isinstance(rel, Proportional)
    return _Model(
        _rates(s, death_schedule, 0.0), fraction=rel.fraction, clear_below=rel.clear_below
    )


def _prop_step(st: _Cs, k: _K, rho: float, dt: float) -> _Cs:
    """Proportional release ``ρ`` per person: everyone held leaves at ``ρ + μ``, whoever."""
    a, _, mu = k
    if dt <= 0:
        return _Cs(st.C, st.N, st.released, st.died)
    h = rho + mu
    gone = -st.C * math.expm1(-h * dt)
    N1 = _evolve(st.N, a, 0.0, h, dt)[0]
    return _Cs(st.C - gone, max(N1, 0.0), st.released + gone * rho / h, st.died + gone * mu / h)


def _flow(disc: str, m: _Model, st: _Cs, t0: float, t1: float) -> _Cs:
    """Advance from ``t0`` to ``t1`` with no decree in between."""
    if m.fraction == 0.0 and m.decrees is not None and m.rates.constant:
        # Between decrees with constant rates: C e^{−μΔ}, N e^{−μΔ} + a(1 − e^{−μΔ})/μ.
        dt = t1 - t0
        if dt <= 0:
            return st
        a, _, mu = m.rates.at(t0)
        gone = -math.expm1(-mu * dt)
        arrived = a * (gone / mu if mu > 0 else dt)
        return _Cs(
            st.C * (1 - gone), st.N * (1 - gone) + arrived, st.released, st.died + st.C * gone
        )
    if m.fraction == 0.0:
        return _walk(disc, m.rates, st, t0, t1)
    t = t0
    lo, hi = bisect.bisect_right(m.rates.breaks, t0), bisect.bisect_left(m.rates.breaks, t1)
    for b in [*m.rates.breaks[lo:hi], t1]:
        st = _prop_step(st, m.rates.at(t), m.fraction, b - t)
        t = b
    return st


def _decree(disc: str, st: _Cs, size: float) -> _Cs:
    """A decree releases ``min(size, held)`` at once, the cohort's part set by the discipline."""
    C, N = st.C, st.N
    total = min(size, C + N)
    if disc == "fifo":
        from_c = min(total, C)
    elif disc == "lifo":
        from_c = total - min(total, N)
    else:
        from_c = total * C / (C + N) if C + N > 0 else 0.0
    if total >= C + N:  # everyone leaves: no round-off left behind
        return _Cs(0.0, 0.0, st.released + C, st.died)
    return _Cs(max(C - from_c, 0.0), max(N - (total - from_c), 0.0), st.released + from_c, st.died)


def _decree_time(d: Decrees, k: int) -> float:
    return d.first + d.every * k


def _m_walk(disc: str, m: _Model, st: _Cs, t0: float, t1: float, *, start: bool = False) -> _Cs:
    """Advance from ``t0`` to ``t1``, decrees in ``(t0, t1]`` included (at ``t0`` if ``start``)."""
    d = m.decrees
    if d is None:
        return _flow(disc, m, st, t0, t1)
    k = max(0, math.floor((t0 - d.first) / d.every))
    while _decree_time(d, k) < t0 or (_decree_time(d, k) == t0 and not start):
        k += 1
    t = t0
    while (when := _decree_time(d, k)) <= t1:
        st = _decree(disc, _flow(disc, m, st, t, when), d.size)
        t, k = when, k + 1
    return _flow(disc, m, st, t, t1)


def _decay_hit(m: _Model, st: _Cs, t0: float, t1: float, level: float) -> float:
    """First time in ``[t0, t1)`` the cohort falls to ``level`` by decay alone, else ``inf``.

    Decay: deaths, and under Proportional the per-person release.
    """
    t = t0
    lo, hi = bisect.bisect_right(m.rates.breaks, t0), bisect.bisect_left(m.rates.breaks, t1)
    for b in [*m.rates.breaks[lo:hi], t1]:
        _, _, mu = m.rates.at(t)
        h = mu + m.fraction
        if h > 0 and level < st.C:
            wait = math.log(st.C / level) / h if level > 0 else math.inf
            if t + wait < b:
                return t + wait
        st = _flow("fifo", m, st, t, b)
        t = b
    return math.inf


def _decree_run(disc: str, m: _Model, S0: float) -> tuple[float, float, float, float, float]:
    """Half-out and all-out times and the cohort totals under decrees (exact recurrence).

    Between decrees nobody is released: the cohort only dies (``C e^{-∫μ}``), newcomers arrive
    and die. Stops when the cohort is out, when it can get nothing more (LIFO with arrests
    between decrees at least a decree, past every change of rates: the rest dies, or is held
    for ever without deaths), or — random release only — when under 1e-13 of the stock is
    left (counted as dead, or released if nobody dies).
    """
    d = m.decrees
    assert d is not None
    # Cost check: the cohort gets at most ``size`` a decree, so at least this many decrees
    # (the FIFO count, deaths helping) are stepped.
    mu0 = m.rates.at(0.0)[2] * d.every
    fewest = S0 / d.size if mu0 == 0 else math.log1p(mu0 * S0 / d.size) / mu0
    if fewest > _MAX_COHORT_DECREES:
        raise ValueError(
            f"following stock={S0:,.4g} people through release_rate=Decrees of "
            f"{d.size:,.4g} every {d.every:g} years takes about {fewest:,.3g} decrees (at most "
            f"{_MAX_COHORT_DECREES:,}): use larger decrees, or a release_rate per year"
        )
    last_break = m.rates.breaks[-1] if m.rates.breaks else 0.0
    st, t, k = _Cs(S0, 0.0), 0.0, 0
    half = math.inf
    while True:
        when = _decree_time(d, k)
        if math.isinf(half):
            half = _decay_hit(m, st, t, when, S0 / 2)
        st = _flow(disc, m, st, t, when)
        before_n = st.N
        st = _decree(disc, st, d.size)
        t, k = when, k + 1
        if math.isinf(half) and st.C <= S0 / 2:
            half = t
        if st.C <= 0.0:
            return half, t, st.released, st.died, 0.0
        a, _, mu = m.rates.at(t)
        if t >= last_break:
            arrests = a * (-math.expm1(-mu * d.every) / mu if mu > 0 else d.every)
            if disc == "lifo" and before_n >= d.size and arrests >= d.size:
                # Newcomers before each decree stay at least a decree: the cohort only dies.
                if math.isinf(half) and mu > 0:
                    half = t + math.log(2 * st.C / S0) / mu
                died, still = (st.C, 0.0) if mu > 0 else (0.0, st.C)
                return half, math.inf, st.released, st.died + died, still
            if disc == "random" and st.C < _NEGLIGIBLE * S0 and not math.isinf(half):
                rest = st.C
                if mu > 0:
                    return half, math.inf, st.released, st.died + rest, 0.0
                return half, math.inf, st.released + rest, st.died, 0.0
        if k > _MAX_COHORT_DECREES:
            raise ValueError(
                f"following stock={S0:,.4g} through release_rate=Decrees of {d.size:g} every "
                f"{d.every:g} years takes more than {_MAX_COHORT_DECREES:,} decrees; "
                f"{st.C:.4g} are still held after {t:,.4g} years: larger decrees, fewer "
                "arrests or a death_rate shorten it"
            )


def _prop_times(m: _Model, S0: float) -> tuple[float, float, float, float, float]:
    """Proportional: the cohort is ``S0 e^{-∫(ρ+μ)}``; "out" means below ``clear_below``."""
    st = _Cs(S0, 0.0)
    half = _decay_hit(m, st, 0.0, math.inf, S0 / 2)
    out = 0.0 if m.clear_below > S0 else _decay_hit(m, st, 0.0, math.inf, m.clear_below)
    last = m.rates.breaks[-1] if m.rates.breaks else 0.0
    st = _flow("fifo", m, st, 0.0, last)
    _, _, mu = m.rates.at(last)
    h = m.fraction + mu
    return half, out, st.released + st.C * m.fraction / h, st.died + st.C * mu / h, 0.0


def _m_summary(disc: str, m: _Model, S0: float) -> tuple[float, float, float, float, float]:
    """Half-out time, all-out time, released alive, dead in custody, held for ever."""
    if S0 <= 0:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    if m.decrees is not None:
        return _decree_run(disc, m, S0)
    if m.fraction > 0:
        return _prop_times(m, S0)
    half = _first_time(disc, m.rates, S0, S0 / 2)
    out = _first_time(disc, m.rates, S0, 0.0)
    released, died, still = _totals(disc, m.rates, S0)
    return half, out, released, died, still


# --------------------------------------------------------------------------------------------
# results


def _scenario_sentence(s: Scenario, death_schedule: Schedule | None) -> str:
    text = s.describe()
    if death_schedule is not None:
        text += ", deaths in custody per " + death_schedule.describe()
    return text


@dataclass(frozen=True)
class CohortProjection:
    """Today's detainees (the cohort) and the newcomers, projected over time.

    Attributes
    ----------
    scenario : Scenario
        The inputs.
    discipline : {"fifo", "random", "lifo"}
        The order of release.
    times : ndarray
        Years since the start [years].
    cohort_held, cohort_released, cohort_died, newcomers_held : ndarray
        At ``times`` [people]: the cohort still held, released alive so far, dead in custody so
        far; people arrested after ``t = 0`` and held.
    half_out_time : float
        Years until half of the cohort is out, released or dead [years] (``inf``: never, or
        beyond 1e300 years).
    all_out_time : float
        Years until the whole cohort is out [years] (``inf``: never — deaths alone empty it only
        in the limit).
    released_alive, died_in_custody : float
        Cohort totals as ``t → ∞`` [people]: released alive, dead in custody.
    still_held : float
        Cohort members held forever (no releases and no deaths reach them) [people]; usually 0.
        ``released_alive + died_in_custody + still_held = stock``.
    method : str
        How it was computed.
    death_schedule : Schedule or None
        A death rate table used instead of the scenario's ``death_rate``.
    """

    scenario: Scenario
    discipline: str
    times: FloatArray = field(repr=False)
    cohort_held: FloatArray = field(repr=False)
    cohort_released: FloatArray = field(repr=False)
    cohort_died: FloatArray = field(repr=False)
    newcomers_held: FloatArray = field(repr=False)
    half_out_time: float
    all_out_time: float
    released_alive: float
    died_in_custody: float
    still_held: float
    method: str
    death_schedule: Schedule | None = None

    def __repr__(self) -> str:
        return (
            f"CohortProjection({self.discipline!r}, half out: "
            f"{format_number(self.half_out_time, 'years')}, all out: "
            f"{format_number(self.all_out_time, 'years')}, released alive: "
            f"{format_number(self.released_alive)}, died in custody: "
            f"{format_number(self.died_in_custody)})"
        )

    @property
    def frame(self) -> pd.DataFrame:
        """The projection as a DataFrame indexed by ``years``.

        Columns [people]: ``cohort_held``, ``cohort_released``, ``cohort_died``,
        ``newcomers_held`` and ``held`` (= cohort + newcomers).
        """
        import pandas as pd

        return pd.DataFrame(
            {
                "cohort_held": self.cohort_held,
                "cohort_released": self.cohort_released,
                "cohort_died": self.cohort_died,
                "newcomers_held": self.newcomers_held,
                "held": self.cohort_held + self.newcomers_held,
            },
            index=pd.Index(self.times, name="years"),
        )

    def to_frame(self) -> pd.DataFrame:
        """Same as :attr:`frame`."""
        return self.frame

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Plot the cohort's fate (:func:`amnesty_model.plot.plot_cohort_fate`).

        ``kwargs`` go to ``plot_cohort_fate`` (e.g. ``ylabel``). Returns the Axes.
        """
        from .plot import plot_cohort_fate

        ax_out: Axes = plot_cohort_fate(self.frame, ax=ax, **kwargs)
        return ax_out

    @property
    def provenance(self) -> dict[str, Any]:
        """JSON-safe record of inputs, discipline, method, sources and version, with a hash."""
        inputs = dict(self.scenario.inputs())
        inputs["discipline"] = self.discipline
        if self.death_schedule is not None:
            inputs["death_schedule"] = {
                "starts": self.death_schedule.starts,
                "rates": self.death_schedule.rates,
            }
        return make_provenance(
            method=self.method,
            inputs=inputs,
            sources=self.scenario.sources,
            result={
                "half_out_years": self.half_out_time,
                "all_out_years": self.all_out_time,
                "released_alive_people": self.released_alive,
                "died_in_custody_people": self.died_in_custody,
                "still_held_people": self.still_held,
            },
        )

    def cite(self) -> str:
        """A sentence a journalist can paste: the answer, inputs, discipline, method, version.

        Examples
        --------
        >>> import amnesty_model as am
        >>> s = am.Scenario(132_000, 1_000, death_rate=0.02)
        >>> print(cohort(s).cite())  # doctest: +ELLIPSIS
        Of the 132,000 held at the start, with oldest cases first (FIFO): half are out after
        22.5 years and the last after 64.6 years; 64,599 are released alive and 67,401 die in
        custody (132,000 held, 1,000 released a year, no new arrests, 0.02 of those held dying
        each year; amnesty_model 0.1.0, closed form, provenance ...).
        """
        stock = self.scenario.stock
        half = format_number(self.half_out_time, "years")
        if math.isinf(self.all_out_time):
            last = "the last are never all out"
        else:
            last = f"the last after {format_number(self.all_out_time, 'years')}"
        fate = (
            f"{_people(round(self.released_alive))} are released alive and "
            f"{_people(round(self.died_in_custody))} die in custody"
        )
        if self.still_held > 0:
            fate += f", {_people(round(self.still_held))} are held for ever"
        when = (
            "half are never out"
            if math.isinf(self.half_out_time)
            else f"half are out after {half}"
        )
        return (
            f"Of the {_people(stock)} held at the start, with "
            f"{_NAMES[self.discipline]}"
            f": {when} and {last}; {fate} "
            f"({_scenario_sentence(self.scenario, self.death_schedule)}; "
            f"amnesty_model {__version__}, {self.method}, "
            f"provenance {self.provenance['hash']})."
        )


def _grid(horizon: float, step: float, extra: Sequence[float]) -> FloatArray:
    if horizon / step > 1_000_000:
        raise ValueError(
            f"horizon / step = {horizon / step:,.0f} grid points; at most 1,000,000 allowed"
        )
    # k · step, not np.arange(0, horizon + …, step): "Maximum allowed size exceeded" near 1.8e308
    grid = step * np.arange(math.floor(horizon / step + 1e-9) + 1, dtype=np.float64)
    grid = grid[grid <= horizon]
    if grid[-1] < horizon:
        grid = np.append(grid, horizon)
    keep = [e for e in extra if 0 < e <= horizon]
    return np.unique(np.append(grid, keep)) if keep else grid


@suggest_keywords
def cohort(
    scenario: Scenario,
    discipline: str = "fifo",
    *,
    horizon: float | None = None,
    step: float | None = None,
    death_schedule: Schedule | None = None,
) -> CohortProjection:
    r"""Follow today's detainees (the cohort) and the newcomers under an order of release.

    Parameters
    ----------
    scenario : Scenario
        The inputs, with any release rule: a count per year (a number or a
        :class:`~amnesty_model.Schedule`), :class:`~amnesty_model.Decrees`,
        :class:`~amnesty_model.Proportional` or :class:`~amnesty_model.Geometric`.
    discipline : {"fifo", "random", "lifo"}, default "fifo"
        Who is released: the oldest case, anyone held with equal chance, or the newest case.
        Under Proportional every person held is equally likely by construction, so the three
        give the same cohort.
    horizon : float or None, default None
        Years to project [years], ``> 0``. Default: 10 % past the time the cohort (or, if
        later, the whole stock) is out, or 100 years if neither ever is.
    step : float or None, default None
        Grid spacing [years], ``> 0``. Default ``horizon / 500``. The half-out and all-out
        times are added to the grid.
    death_schedule : Schedule or None, default None
        Deaths in custody per person per year [1/year] as a piecewise-constant table over
        years since the start, used instead of ``scenario.death_rate``. A user input: the
        package ships no default figure. For the cohort, years since the start are also years
        of custody counted from ``t = 0``.

    Returns
    -------
    CohortProjection
        The trajectory (``frame``), the half-out and all-out times, and the cohort totals
        released alive and dead in custody (limits as ``t → ∞``).

    Raises
    ------
    TypeError
        If ``scenario`` is not a Scenario or ``death_schedule`` is not a Schedule.
    ValueError
        For an unknown discipline, a non-positive horizon or step, or too fine a grid.

    Notes
    -----
    Let ``C`` be the cohort still held, ``N`` the newcomers held, ``S = C + N``, with
    :math:`dS/dt = a - r[S > 0] - \mu S` (docs/methods.md §1). On each interval of constant rates:

    **FIFO.** :math:`dC/dt = -r - \mu C` while ``C > 0``, so
    :math:`C(t) = C^* + (S_0 - C^*)e^{-\mu t}`, :math:`C^* = -r/\mu`; the cohort is out at
    :math:`T = \ln(1 + \mu S_0/r)/\mu` (:math:`S_0/r` when ``μ = 0``, whatever the arrests),
    with :math:`rT` released alive and :math:`S_0 - rT` dead. Meanwhile
    :math:`dN/dt = a - \mu N`.

    **Random.** :math:`d\ln C/dt = -r/S - \mu`. With
    :math:`S(t) = e^{-\mu t}(S_0 + (a - r)\,g)`, :math:`g = (e^{\mu t} - 1)/\mu` (``g = t``
    when ``μ = 0``), and :math:`\int dt/(A + Be^{-\mu t}) = \ln(Ae^{\mu t} + B)/(A\mu)`,

    .. math::

        I(t) = \int_0^t \frac{r}{S} = \frac{r}{a - r}\,\ln\frac{e^{\mu t}S(t)}{S_0}
             = \frac{r\,g}{S_0}\,\frac{\ln(1 + x)}{x}, \qquad x = \frac{(a - r)\,g}{S_0},

    and :math:`C(t) = S_0\,e^{-I(t) - \mu t}`. With ``μ = 0`` this is
    :math:`C = S_0 (S/S_0)^{-r/(a-r)}` (:math:`S_0 e^{-rt/S_0}` when ``a = r``). When ``r > a``
    the stock empties at ``T`` (``x → −1``) and, the exponent :math:`r/(r-a)` being positive,
    ``C → 0`` with it: the cohort is out exactly when the prisons are. The cohort's deaths
    :math:`\mu\int C\,dt` are integrated numerically.

    **LIFO.** Releases go to newcomers while ``N > 0``: :math:`dN/dt = a - r - \mu N`,
    :math:`dC/dt = -\mu C`. With ``N = 0`` and ``a > r`` newcomers pile up and the cohort only
    dies; with ``N = 0`` and ``a ≤ r`` newcomers leave as they come and the surplus goes to
    the cohort, :math:`dC/dt = -(r - a) - \mu C`. With constant rates and ``r > a`` the cohort
    is out with the prisons, :math:`(r - a)T` of it released alive.

    In every case ``C + N`` equals the held stock of :meth:`Scenario.project`.

    **Decrees** (exact recurrence). Between decrees nobody is released: the cohort only dies,
    :math:`C(t) = C_k e^{-\mu (t - t_k)}`, and newcomers arrive and die. A decree at
    :math:`t_k` releases :math:`\min(R, S)` at once: FIFO takes it from the cohort first,
    random takes a share :math:`C/S` of it from the cohort, LIFO takes newcomers first. The
    cohort is out at the first decree that empties it.

    **Proportional** (closed form). Each person held is released at rate :math:`\rho`, so
    whoever the order :math:`dC/dt = -(\rho + \mu) C`: every discipline gives
    :math:`C = S_0 e^{-(\rho+\mu) t}` and :math:`S_0\rho/(\rho + \mu)` released alive. The
    cohort only tends to zero; "all out" is when it falls below ``clear_below``.

    **Geometric** (numerical). The rate :math:`r_0 e^{\gamma t}` is replaced by its average
    over pieces of :math:`0.005/|\gamma|` years (cumulative releases exact at every piece end,
    off by at most :math:`r w (\gamma w)/8` in between: about 1e-5 relative), then stepped
    exactly as a Schedule.

    Examples
    --------
    >>> import amnesty_model as am
    >>> s = am.Scenario(132_000, 1_000, arrest_rate=1_200)
    >>> cohort(s, "fifo").all_out_time    # the prisons never empty, today's cohort does
    132.0
    >>> cohort(s, "lifo").all_out_time
    inf
    >>> p = cohort(am.Scenario(132_000, 1_000, death_rate=0.02))
    >>> round(p.all_out_time, 1), round(p.released_alive), round(p.died_in_custody)
    (64.6, 64599, 67401)
    >>> cohort(am.Scenario(132_000, am.Decrees(1_000)), "fifo").all_out_time
    132.0
    """
    s = _check_scenario(scenario)
    disc = check_choice(discipline, "discipline", DISCIPLINES)
    schedule = _check_death_schedule(death_schedule)
    m = _model(s, schedule)
    S0 = s.stock
    half, out, released, died, still = _m_summary(disc, m, S0)
    if horizon is None:
        ends = [x for x in (out, _clear_time(s, schedule)) if math.isfinite(x)]
        horizon = max(max(ends) * 1.1, 1.0) if ends else 100.0
    horizon = check_number(horizon, "horizon", strict=True)
    if step is None:
        step = horizon / 500 if horizon / 500 > 0 else horizon  # a subnormal horizon
    else:
        step = check_number(step, "step", strict=True)
    times = _grid(horizon, step, [half, out])
    values = np.empty((4, times.size))
    st, t = _Cs(S0, 0.0), 0.0
    for i, when in enumerate(times):
        st = _m_walk(disc, m, st, t, float(when), start=i == 0)
        t = float(when)
        values[:, i] = (st.C, st.released, st.died, st.N)
    method = _method(disc, m, s, schedule)
    return CohortProjection(
        scenario=s,
        discipline=disc,
        times=times,
        cohort_held=values[0],
        cohort_released=values[1],
        cohort_died=values[2],
        newcomers_held=values[3],
        half_out_time=half,
        all_out_time=out,
        released_alive=released,
        died_in_custody=died,
        still_held=still,
        method=method,
        death_schedule=schedule,
    )


def _method(disc: str, m: _Model, s: Scenario, schedule: Schedule | None) -> str:
    """How :func:`cohort` and friends computed their answer, in words."""
    if m.decrees is not None:
        share = {
            "fifo": "the cohort first",
            "random": "a share C/S from the cohort",
            "lifo": "newcomers first",
        }[disc]
        return (
            "exact recurrence over the decrees (each releases min(size, held), "
            f"{share}; between decrees the cohort only dies, exactly)"
        )
    if m.fraction > 0:
        return (
            "closed form per piece (a per-person release: the cohort leaves at (ρ + μ)C "
            "whatever the discipline, everyone held being equally likely by construction)"
        )
    if m.rates.constant and schedule is None:
        method = "closed form" if disc != "random" else "closed form and quadrature (scipy quad)"
    else:
        method = "exact piecewise stepping"
        if disc == "random":
            method += " and quadrature (scipy quad)"
    if m.note:
        method += "; " + m.note
    return method


def _clear_time(s: Scenario, schedule: Schedule | None) -> float:
    """Years until the whole stock is empty (the death schedule taken into account)."""
    if schedule is None or not isinstance(s.release_rate, float | Schedule):
        return s.time_to_clear()  # (a death table with a rule: only sets the default horizon)
    # The whole stock is the cohort under LIFO-free bookkeeping: S = C + N; track S directly.
    rates = _rates(s, schedule)
    S, t = s.stock, 0.0
    for b in [*rates.breaks, math.inf]:
        a, r, mu = rates.at(t)
        h = _time_to(S, r, a, mu)
        if t + h <= b:
            return t + h
        S = _slide(S, a, r, mu, b - t)
        t = b
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------------------------------
# constant rates only (simulation, waiting times, death tolls)


def _constant_rates(s: Scenario, what: str) -> _K:
    rel, arr = s.release_rate, s.arrest_rate
    if not (isinstance(rel, float) and isinstance(arr, float)):
        raise TypeError(
            f"{what} needs constant rates: release_rate and arrest_rate must be numbers, "
            f"got {describe(rel)} and {describe(arr)}"
        )
    return arr, rel, s.death_rate


def _seed_record(seed: object) -> int | None:
    return int(seed) if isinstance(seed, int | np.integer) and not isinstance(seed, bool) else None


def _check_seed(seed: object) -> np.random.Generator:
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(
            f"seed must be an int, a numpy.random.Generator or None, got {describe(seed)}"
        )
    if int(seed) < 0:  # numpy's own message ("expected non-negative integer") names nothing
        raise ValueError(f"seed must be a non-negative int, got {int(seed)}")
    return np.random.default_rng(int(seed))


@dataclass
class _Run:
    """One person-level path: who is held, in arrival order, and what became of the cohort."""

    released: int = 0
    died: int = 0
    half_out: float = math.inf
    all_out: float = math.inf
    area: float = 0.0  # ∫ held dt over the measured window [people·years]
    arrivals: int = 0  # arrivals in the measured window
    stays: list[float] = field(default_factory=list)
    stays_released: list[bool] = field(default_factory=list)


def _people_path(
    S0: int,
    k: _K,
    disc: str,
    horizon: float,
    rng: np.random.Generator,
    *,
    stop_when_out: bool,
    warmup: float = 0.0,
    max_events: int = 50_000_000,
    bar: Any = None,
) -> _Run:
    """Simulate individual people (Gillespie): arrests, releases by discipline, deaths.

    People are numbered in order of arrest; the cohort is ``0 .. S0 − 1`` (arrested at or
    before ``t = 0``). A release takes the lowest number held (FIFO), a uniformly random one
    (random) or the highest (LIFO); a death strikes a uniformly random person held.
    """
    a, r, mu = k
    arrived: list[float] = [0.0] * S0
    held_flag: list[bool] = [True] * S0
    pool: list[int] = list(range(S0))  # everyone held, for uniform picks
    where: dict[int, int] = {i: i for i in range(S0)}  # person -> index in pool
    stack: list[int] = list(range(S0))  # arrival order, lazily cleaned (LIFO)
    head = 0  # lowest number possibly held (FIFO)
    cohort_left = S0
    half = S0 / 2
    run = _Run()
    if S0 == 0:
        run.half_out = run.all_out = 0.0
        if stop_when_out:
            return run
    t = 0.0
    events = 0
    random = rng.random
    while True:
        S = len(pool)
        total = a + (r if S else 0.0) + mu * S
        step = math.inf if total == 0 else -math.log(1.0 - random()) / total
        end = min(t + step, horizon)
        if end > warmup:
            run.area += S * (end - max(t, warmup))
        if t + step > horizon:
            break
        t += step
        events += 1
        if bar is not None and not events & 0xFFFF:  # every 65,536 events
            bar.update_to(events)
        if events > max_events:
            raise ValueError(
                f"the simulation passed {max_events:,} events on one path; use a shorter "
                "horizon or a smaller stock (the deterministic cohort() covers large stocks)"
            )
        u = random() * total
        if u < a:  # an arrest
            person = len(arrived)
            arrived.append(t)
            held_flag.append(True)
            where[person] = len(pool)
            pool.append(person)
            stack.append(person)
            if t >= warmup:
                run.arrivals += 1
            continue
        if u < a + (r if S else 0.0):  # a release
            if disc == "fifo":
                while not held_flag[head]:
                    head += 1
                person = head
            elif disc == "lifo":
                person = stack.pop()
                while not held_flag[person]:
                    person = stack.pop()
            else:
                person = pool[int(random() * S)]
            freed = True
        else:  # a death in custody
            person = pool[int(random() * S)]
            freed = False
        # remove `person` from the pool (swap with the last)
        held_flag[person] = False
        i = where.pop(person)
        last = pool.pop()
        if last != person:
            pool[i] = last
            where[last] = i
        if person < S0:
            cohort_left -= 1
            if freed:
                run.released += 1
            else:
                run.died += 1
            if cohort_left <= half and math.isinf(run.half_out):
                run.half_out = t
            if cohort_left == 0:
                run.all_out = t
                if stop_when_out:
                    break
        elif arrived[person] >= warmup:
            run.stays.append(t - arrived[person])
            run.stays_released.append(freed)
    return run


@dataclass(frozen=True)
class CohortSimulation:
    """Person-level Monte Carlo of today's detainees (see :func:`simulate_cohort`).

    Attributes
    ----------
    scenario : Scenario
        The inputs (constant rates).
    discipline : str
        The order of release.
    paths : int
        Number of simulated paths.
    seed : int or None
        The seed, when an integer was given.
    horizon : float
        Years simulated at most [years] (``inf``: each path ran until its cohort was out).
    released, died, still_held : ndarray of int
        Per path: cohort members released alive, dead in custody, still held at the end.
        ``released + died + still_held = stock`` exactly on every path.
    half_out_time, all_out_time : ndarray of float
        Per path [years]: when half of the cohort, and all of it, was out (``inf``: not by
        the horizon).
    """

    scenario: Scenario
    discipline: str
    paths: int
    seed: int | None
    horizon: float
    released: IntArray = field(repr=False)
    died: IntArray = field(repr=False)
    still_held: IntArray = field(repr=False)
    half_out_time: FloatArray = field(repr=False)
    all_out_time: FloatArray = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"CohortSimulation({self.discipline!r}, {self.paths} paths, mean released alive "
            f"{self.released.mean():.4g}, mean died {self.died.mean():.4g})"
        )

    @property
    def frame(self) -> pd.DataFrame:
        """One row per path: ``released``, ``died``, ``still_held`` [people],
        ``half_out_time``, ``all_out_time`` [years]."""  # noqa: D205, D209
        import pandas as pd

        return pd.DataFrame(
            {
                "released": self.released,
                "died": self.died,
                "still_held": self.still_held,
                "half_out_time": self.half_out_time,
                "all_out_time": self.all_out_time,
            },
            index=pd.RangeIndex(self.paths, name="path"),
        )

    def to_frame(self) -> pd.DataFrame:
        """Same as :attr:`frame`."""
        return self.frame

    @property
    def provenance(self) -> dict[str, Any]:
        """JSON-safe record of inputs, discipline, method, seed, paths and version."""
        inputs = dict(self.scenario.inputs())
        inputs["discipline"] = self.discipline
        inputs["horizon_years"] = self.horizon
        return make_provenance(
            method="Monte Carlo (person-level, Gillespie)",
            inputs=inputs,
            sources=self.scenario.sources,
            seed=self.seed,
            paths=self.paths,
            result={
                "mean_released_alive": float(self.released.mean()),
                "mean_died_in_custody": float(self.died.mean()),
            },
        )

    def cite(self) -> str:
        """A sentence a journalist can paste (means over the paths, method, seed, version)."""
        record = self.provenance
        return (
            f"Of the {_people(self.scenario.stock)} held at the start, with "
            f"{_NAMES[self.discipline]}: on average {self.released.mean():,.1f} are released "
            f"alive and {self.died.mean():,.1f} die in custody "
            f"({self.scenario.describe()}; amnesty_model {__version__}, Monte Carlo, "
            f"{self.paths} paths, seed {self.seed}, provenance {record['hash']})."
        )


def _check_count_stock(s: Scenario) -> int:
    S0 = s.stock
    if round(S0) != S0:
        raise ValueError(
            f"a person-level simulation needs a whole number of people held, got stock={S0!r}"
        )
    if S0 > 1_000_000:
        raise ValueError(
            f"stock={S0:,.0f} is too large for a person-level simulation (at most 1,000,000); "
            "use cohort() for large stocks"
        )
    return int(S0)


# Most person-level events simulate_cohort may simulate (about 5 µs each).
_MAX_PERSON_EVENTS = 5e7
_SECONDS_PER_PERSON_EVENT = 5e-6


def _person_events(s: Scenario, disc: str, S0: int, end: float) -> float:
    """Rough events of one person-level path [events]: the cohort leaving, arrests in and out.

    The span is the horizon, or else the deterministic time the cohort is out (if never in the
    fluid model, the time for deaths to take all but one: ``(ln S0 + 1)/μ``).
    """
    a, _, mu = _constant_rates(s, "simulate_cohort")
    span = end
    if math.isinf(span) and S0 > 0:
        span = _first_time(disc, _rates(s, None), S0, 0.0)
        if math.isinf(span):
            span = (math.log(S0) + 1.0) / mu if mu > 0 else math.inf
    return S0 + (2.0 * a * span if a > 0 else 0.0)


# --------------------------------------------------------------------------------------------
# simulate_cohort, vectorised over paths (exact in distribution)

# Cells (paths × events) drawn at once by the vectorised simulations.
_COHORT_CELLS = 2_000_000
# Fixed-point sweeps over a block of candidate events before keeping its verified prefix.
_COHORT_SWEEPS = 12
# Rough costs for the cost check and the progress display [seconds per path-event], measured
# on a loaded 2-core machine (docs/benchmarks.md), and the longest run allowed [seconds].
_SECONDS_PER_CHAIN_EVENT = 2.5e-8
_SECONDS_PER_BLOCK_EVENT = 2.5e-7
_MAX_COHORT_SECONDS = 300.0


@dataclass
class _Paths:
    """Per-path results of a vectorised cohort simulation (see :class:`CohortSimulation`)."""

    released: IntArray
    died: IntArray
    half_out: FloatArray
    all_out: FloatArray


def _chain_paths(
    S0: int, r: float, mu: float, n: int, *, end: float, rng: np.random.Generator, bar: Any
) -> _Paths:
    """The cohort alone: a pure death chain, for FIFO (any arrests) and every order when a = 0.

    The cohort leaves one at a time, at rate ``r + μ c`` with ``c`` of it held: a release
    (probability ``r/(r + μ c)``) or a death. Under FIFO the cohort is ahead of every newcomer,
    so arrests never change this; with no arrests there are no newcomers under any order.
    Holding times and outcomes are drawn for blocks of states and all paths at once.
    """
    released = np.zeros(n, dtype=np.int64)
    died = np.zeros(n, dtype=np.int64)
    half_out = np.full(n, math.inf)
    all_out = np.full(n, math.inf)
    if S0 == 0:
        half_out[:] = all_out[:] = 0.0
        return _Paths(released, died, half_out, all_out)
    if r == 0.0 and mu == 0.0:  # nothing ever happens (a horizon was required)
        return _Paths(released, died, half_out, all_out)
    half_event = S0 - S0 // 2  # the cohort is half out after this many departures
    t = np.zeros(n)
    live = np.arange(n)
    width = max(1, min(S0, _COHORT_CELLS // n))
    gaps_buffer = np.empty((n, width))  # reused: fresh large arrays cost page faults
    draws_buffer = np.empty((n, width)) if r > 0.0 and mu > 0.0 else None
    done_events = 0
    for first in range(0, S0, width):
        states = np.arange(S0 - first, max(S0 - first - width, 0), -1, dtype=np.float64)
        rate = r + mu * states
        k, m = states.size, live.size
        gaps = rng.standard_exponential(out=gaps_buffer[:m, :k]) if k == width else None
        if gaps is None:
            gaps = rng.standard_exponential((m, k))
        gaps /= rate
        if draws_buffer is not None:
            draws = rng.random(out=draws_buffer[:m, :k]) if k == width else rng.random((m, k))
            is_release = draws < r / rate
        else:
            is_release = np.full((m, k), r > 0.0)
        start = t[live]
        total = start + gaps.sum(axis=1)
        n_done = np.full(m, k)
        whole = total <= end  # rows wholly inside the horizon need no running sum
        times = None
        if first < half_event <= first + k or not whole.all():
            times = np.cumsum(gaps, axis=1, out=gaps)
            times += start[:, None]
            total = times[:, k - 1].copy()
            n_done = np.where(whole, k, (times <= end).sum(axis=1))
        if whole.all():
            freed = is_release.sum(axis=1)
        else:
            inside = np.arange(k)[None, :] < n_done[:, None]
            freed = (is_release & inside).sum(axis=1)
        released[live] += freed
        died[live] += n_done - freed
        if first < half_event <= first + k and times is not None:
            col = half_event - first - 1
            half_out[live] = np.where(n_done > col, times[:, col], math.inf)
        if first + k == S0:
            all_out[live] = np.where(n_done == k, total, math.inf)
        t[live] = total
        live = live[n_done == k]
        done_events += k * m
        bar.update_to(done_events)
        if live.size == 0:
            break
    return _Paths(released, died, half_out, all_out)


def _block_paths(
    S0: int,
    k: _K,
    disc: str,
    n: int,
    *,
    end: float,
    rng: np.random.Generator,
    bar: Any,
) -> _Paths:
    """Cohort and newcomers together, for random and LIFO release with arrests.

    Each path holds ``C`` of the cohort and ``N`` newcomers. Candidate events come at the
    constant rate ``Λ = a + r + μ (C + N + K)``, an upper bound of the event rate over the next
    ``K`` candidates (the number held grows by at most one per event): an arrest with
    probability ``a/Λ``, a release ``r/Λ``, a death of the cohort ``μ C_j/Λ``, of a newcomer
    ``μ N_j/Λ``, else nothing (thinning). A release takes one of the cohort with probability
    ``C_j/(C_j + N_j)`` (random) or when no newcomer is held (LIFO). The counts ``C_j, N_j``
    before candidate ``j`` depend on the earlier outcomes: they are found by fixed-point
    iteration (an outcome computed from correct earlier outcomes is correct, so a block that
    agrees with its update is the sequential answer; after ``_COHORT_SWEEPS`` sweeps the prefix
    that agrees is kept). Under LIFO the newcomers follow the reflected walk
    ``N_j = X_j − min(0, min_{i<=j} X_i)`` of their arrivals and releases, and a release finds
    none held exactly where the walk reaches a new minimum. Exact in distribution.
    """
    a, r, mu = k
    C = np.full(n, S0, dtype=np.int64)
    N = np.zeros(n, dtype=np.int64)
    t = np.zeros(n)
    released = np.zeros(n, dtype=np.int64)
    died = np.zeros(n, dtype=np.int64)
    half_out = np.full(n, math.inf)
    all_out = np.full(n, math.inf)
    half = S0 / 2
    live = np.arange(n)
    work = 0.0
    lifo = disc == "lifo"
    while live.size:
        m = live.size
        K = int(min(max(_COHORT_CELLS // m, 64), 4096))
        Cs, Ns = C[live], N[live]
        lam = a + r + mu * (Cs + Ns + K).astype(np.float64)
        when = rng.standard_exponential((m, K))
        when /= lam[:, None]
        np.cumsum(when, axis=1, out=when)
        when += t[live, None]
        u = rng.random((m, K))
        u *= lam[:, None]
        arrive = u < a
        release = (u >= a) & (u < a + r)
        u -= a + r  # the death zone: [0, μC) the cohort, [μC, μ(C + N)) a newcomer
        dying = u >= 0.0
        pick = rng.random((m, K)) if not lifo else None
        Cb = np.broadcast_to(Cs[:, None], (m, K))
        Nb = np.broadcast_to(Ns[:, None], (m, K))
        prev: tuple[BoolArray, BoolArray, BoolArray] | None = None
        differ = np.zeros((m, K), dtype=bool)
        valid = np.full(m, K)
        for _ in range(_COHORT_SWEEPS):
            muC = mu * Cb
            c_death = dying & (u < muC)
            n_death = dying & ~c_death & (u < muC + mu * Nb)
            if lifo:
                step = arrive.astype(np.int64) - release - n_death
                X = Ns[:, None] + np.cumsum(step, axis=1)
                low = np.minimum(np.minimum.accumulate(X, axis=1), 0)
                N_after = X - low
                Nb_new = np.concatenate([Ns[:, None], N_after[:, :-1]], axis=1)
                c_rel = release & (Nb_new == 0)
            else:
                c_rel = release & (pick * (Cb + Nb) < Cb)  # type: ignore[operator]
                n_rel = release & ~c_rel
                dN = arrive.astype(np.int64) - n_rel - n_death
                Nb_new = Ns[:, None] + np.cumsum(dN, axis=1) - dN
            dC = c_rel.astype(np.int64) + c_death
            Cb_new = Cs[:, None] - np.cumsum(dC, axis=1) + dC
            outcome = (c_rel, c_death, n_death)
            if prev is not None:
                differ = (prev[0] != c_rel) | (prev[1] != c_death) | (prev[2] != n_death)
                if not differ.any():
                    break
            prev = outcome
            Cb, Nb = Cb_new, Nb_new
        else:
            has = differ.any(axis=1)
            valid = np.where(has, np.argmax(differ, axis=1) + 1, K)
        assert prev is not None  # at least one sweep
        c_rel, c_death, n_death = prev
        C_after = Cb - c_rel - c_death
        N_after = Nb + arrive - n_death - (release & ~c_rel)
        j = np.arange(K)
        ok = (j[None, :] < valid[:, None]) & (when <= end)
        out_at = ok & (C_after == 0)
        gone = out_at.any(axis=1)
        used = np.where(gone, np.argmax(out_at, axis=1) + 1, ok.sum(axis=1))
        keep = j[None, :] < used[:, None]
        rows = np.arange(m)
        last = np.maximum(used - 1, 0)
        crossed = (C_after <= half) & keep
        newly = crossed.any(axis=1) & np.isinf(half_out[live])
        half_out[live[newly]] = when[newly, np.argmax(crossed[newly], axis=1)]
        released[live] += (c_rel & keep).sum(axis=1)
        died[live] += (c_death & keep).sum(axis=1)
        C[live] = np.where(used > 0, C_after[rows, last], Cs)
        N[live] = np.where(used > 0, N_after[rows, last], Ns)
        t[live] = np.where(used > 0, when[rows, last], t[live])
        all_out[live[gone]] = when[gone, used[gone] - 1]
        over = ~gone & (used < valid)  # a candidate inside the prefix is past the horizon
        live = live[~gone & ~over]
        work += float(used.sum())
        bar.update_to(work)
    return _Paths(released, died, half_out, all_out)


@suggest_keywords
def simulate_cohort(
    scenario: Scenario,
    discipline: str = "fifo",
    *,
    paths: int = 1_000,
    seed: int | np.random.Generator | None = None,
    horizon: float | None = None,
    progress: bool | None = None,
) -> CohortSimulation:
    r"""Person-level Monte Carlo of today's detainees under an order of release.

    Arrests and releases are Poisson processes with the scenario's constant rates (releases
    only while someone is held); each person held dies at rate ``μ``. Each person carries the
    time of arrest; a release takes the oldest (``"fifo"``), a uniformly random
    (``"random"``) or the newest (``"lifo"``) person held.

    Parameters
    ----------
    scenario : Scenario
        Inputs with constant rates and a whole number of people held (at most 1,000,000).
    discipline : {"fifo", "random", "lifo"}, default "fifo"
        The order of release.
    paths : int, default 1000
        Number of independent paths, ``>= 1``.
    seed : int or numpy.random.Generator or None, default None
        Seed for :func:`numpy.random.default_rng`.
    horizon : float or None, default None
        Years to simulate at most [years], ``> 0``. Default: run each path until its cohort
        is out, which is allowed only when that is certain (deaths ``μ > 0``; or releases
        ``r > 0`` under FIFO and random; or ``r > a`` under LIFO).
    progress : bool or None, default None
        Show a progress bar on stderr (tqdm when installed). ``None``: only when the run is
        expected to take more than about 2 s and stderr is a terminal or a Jupyter kernel.

    Raises
    ------
    ValueError
        Before starting, when the run would take more than about 300 s (estimated from the
        events: paths × stock for FIFO or without arrests, else paths × (stock + 2 × arrests
        until the cohort is out)), among the input checks.

    Returns
    -------
    CohortSimulation
        Per-path counts released alive, dead and still held (they add up to the stock
        exactly), and the half-out and all-out times.

    Notes
    -----
    All paths are simulated together with :mod:`numpy`, exactly in distribution (no time
    step). Under FIFO, and under every order when there are no arrests, the cohort alone is a
    pure death chain: from ``c`` held it loses one at rate ``r + μ c``, a release with
    probability ``r/(r + μ c)``; its holding times and outcomes are drawn for blocks of states
    at once (about 1 s for 1,000 paths of 132,000 people). With arrests, random and LIFO
    release follow the cohort and the newcomers together, event by event in blocks of
    candidate events (thinning at a bounding rate, outcomes found by fixed-point iteration;
    under LIFO the newcomers follow a reflected random walk): the cost grows with the arrests.

    Examples
    --------
    >>> import amnesty_model as am
    >>> sim = simulate_cohort(am.Scenario(20, 10, death_rate=0.5), paths=200, seed=1)
    >>> bool(((sim.released + sim.died) == 20).all())
    True
    """
    s = _check_scenario(scenario)
    k = _constant_rates(s, "simulate_cohort")
    disc = check_choice(discipline, "discipline", DISCIPLINES)
    n_paths = check_positive_int(paths, "paths")
    rng = _check_seed(seed)
    S0 = _check_count_stock(s)
    a, r, mu = k
    if horizon is None:
        certain = mu > 0 or (disc != "lifo" and r > 0) or (disc == "lifo" and r > a)
        if not certain and S0 > 0:
            raise ValueError(
                "the cohort may never be out under these rates (no deaths, and releases "
                f"{'do not exceed arrests' if disc == 'lifo' else 'are zero'}); give a horizon"
            )
        end = math.inf
    else:
        end = check_number(horizon, "horizon", strict=True)
    chain = disc == "fifo" or a == 0.0
    per_path = float(S0) if chain else _person_events(s, disc, S0, end)
    events = n_paths * per_path
    cost = _SECONDS_PER_CHAIN_EVENT if chain else _SECONDS_PER_BLOCK_EVENT
    most = _MAX_COHORT_SECONDS / cost
    if events > most:
        raise ValueError(
            f"simulate_cohort would simulate about {events:,.3g} events (paths × "
            + ("stock" if chain else "(stock + 2 × expected arrests until the cohort is out)")
            + f" = {n_paths:,} × {per_path:,.3g}); at most {most:,.3g} allowed (about "
            f"{_MAX_COHORT_SECONDS:.0f} s): use fewer paths or a shorter horizon (the "
            "deterministic cohort() covers large cases)"
        )
    show = want_progress(progress, events * cost)
    with progress_bar(events, "simulate_cohort", show, unit="events") as bar:
        if chain:
            run = _chain_paths(S0, r, mu, n_paths, end=end, rng=rng, bar=bar)
        else:
            run = _block_paths(S0, k, disc, n_paths, end=end, rng=rng, bar=bar)
    still = S0 - run.released - run.died
    return CohortSimulation(
        scenario=s,
        discipline=disc,
        paths=n_paths,
        seed=_seed_record(seed),
        horizon=end,
        released=run.released,
        died=run.died,
        still_held=still,
        half_out_time=run.half_out,
        all_out_time=run.all_out,
    )


@dataclass(frozen=True)
class StaySimulation:
    """A long person-level run, for stays in custody and Little's law.

    Attributes
    ----------
    mean_held : float
        Time-average number held after the warm-up [people].
    arrival_rate : float
        Arrests per year observed after the warm-up [people/year].
    stays : ndarray
        Stays in custody of people arrested after the warm-up who left before the end [years].
    released : ndarray of bool
        Whether each of those stays ended in release (``False``: death in custody).
    window : float
        Years measured (horizon minus warm-up) [years].
    """

    discipline: str
    mean_held: float
    arrival_rate: float
    stays: FloatArray = field(repr=False)
    released: BoolArray = field(repr=False)
    window: float

    @property
    def mean_stay(self) -> float:
        """Mean stay of those who left [years]."""
        return float(self.stays.mean()) if self.stays.size else math.nan

    @property
    def little_ratio(self) -> float:
        """``mean_held / (arrival_rate · mean_stay)``: 1 when Little's law holds."""
        return self.mean_held / (self.arrival_rate * self.mean_stay)


@suggest_keywords
def simulate_stays(
    scenario: Scenario,
    discipline: str = "fifo",
    *,
    horizon: float,
    warmup: float = 0.0,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> StaySimulation:
    r"""One long person-level run: stays in custody and the time-average number held.

    Use it to check Little's law, :math:`L = \lambda W` (mean held = arrest rate × mean
    stay), in a setting with a steady state: with constant arrests ``a`` and releases
    ``r·[S > 0]``, ``r > a``, no deaths, the number held is the M/M/1 queue length, with mean
    :math:`\rho/(1 - \rho)`, :math:`\rho = a/r`, and the mean stay is :math:`1/(r - a)`
    under every discipline (the order does not change how many are held).

    Parameters
    ----------
    scenario : Scenario
        Inputs with constant rates and a whole number of people held.
    discipline : {"fifo", "random", "lifo"}, default "fifo"
        The order of release.
    horizon : float
        Years simulated [years], ``> 0``.
    warmup : float, default 0.0
        Years discarded at the start [years], ``0 <= warmup < horizon``.
    seed : int or numpy.random.Generator or None, default None
        Seed for :func:`numpy.random.default_rng`.
    progress : bool or None, default None
        Show a progress bar on stderr (tqdm when installed). ``None``: only when the run is
        expected to take more than about 2 s and stderr is a terminal or a Jupyter kernel.

    Returns
    -------
    StaySimulation

    Examples
    --------
    >>> import amnesty_model as am
    >>> run = simulate_stays(am.Scenario(0, 2.0, arrest_rate=1.0), horizon=200.0, seed=3)
    >>> run.stays.size > 100
    True
    """
    s = _check_scenario(scenario)
    k = _constant_rates(s, "simulate_stays")
    disc = check_choice(discipline, "discipline", DISCIPLINES)
    end = check_number(horizon, "horizon", strict=True)
    skip = check_number(warmup, "warmup")
    if skip >= end:
        raise ValueError(f"warmup must be shorter than horizon ({end:g} years), got {skip!r}")
    rng = _check_seed(seed)
    S0 = _check_count_stock(s)
    events = S0 + 2.0 * k[0] * end
    if events > _MAX_PERSON_EVENTS:
        raise ValueError(
            f"simulate_stays would simulate about {events:,.3g} events (stock + 2 × arrests "
            f"over the horizon); at most {_MAX_PERSON_EVENTS:,.3g} allowed: use a shorter "
            "horizon"
        )
    show = want_progress(progress, events * _SECONDS_PER_PERSON_EVENT)
    with progress_bar(events, "simulate_stays", show, unit="events") as bar:
        run = _people_path(
            S0, k, disc, end, rng, stop_when_out=False, warmup=skip, bar=bar if show else None
        )
    window = end - skip
    return StaySimulation(
        discipline=disc,
        mean_held=run.area / window,
        arrival_rate=run.arrivals / window,
        stays=np.asarray(run.stays, dtype=np.float64),
        released=np.asarray(run.stays_released, dtype=bool),
        window=window,
    )


# --------------------------------------------------------------------------------------------
# waiting times


def _check_times(t: object) -> FloatArray:
    """``t`` as a float array of years; TypeError for non-numbers, ValueError for NaN."""
    array = np.asarray(t) if not isinstance(t, str | bytes) else np.asarray(None)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"t must be a number of years or an array of them, got {describe(t)}")
    values: FloatArray = array.astype(np.float64)
    if np.isnan(values).any():
        raise ValueError(
            f"t must be a number of years (any real number, or ±inf), got NaN in {describe(t)}"
        )
    return values


@dataclass(frozen=True)
class WaitingTime:
    """Time in custody of one person arrested at ``t = 0`` (see :func:`waiting_time`).

    Attributes
    ----------
    discipline : str
        The order of release.
    level : float
        People held ahead of, or alongside, the person [people]: the stock at ``t = 0``, or the
        steady-state stock.
    steady_state : bool
        Whether the stock is held at its steady state.
    mean : float
        Mean time until release or death in custody [years] (``inf`` possible).
    median : float
        Median of that time [years].
    p_released : float
        Probability of leaving alive.
    release_time : float or None
        Under FIFO (and LIFO under a rule or schedule), the date of release if still alive
        [years]; ``None`` otherwise.
    method : str
        How it was computed.
    """

    scenario: Scenario
    discipline: str
    level: float
    steady_state: bool
    mean: float
    median: float
    p_released: float
    release_time: float | None
    _sf: Callable[[float], float] = field(repr=False, compare=False)
    method: str = "closed form (fluid model, one person as a tracer)"

    def __repr__(self) -> str:
        return (
            f"WaitingTime({self.discipline!r}, mean {format_number(self.mean, 'years')}, "
            f"median {format_number(self.median, 'years')}, "
            f"released alive with probability {self.p_released:.3g})"
        )

    def sf(self, t: Any) -> Any:
        """Probability of being still held at ``t`` years, vectorised; in ``[0, 1]``.

        ``t`` is years since the arrest [years], any real number or ``±inf``: before the
        arrest (``t < 0``) the person is held with probability 1.

        Raises
        ------
        TypeError
            If ``t`` is not a number or an array of numbers.
        ValueError
            If ``t`` is NaN.
        """
        values = _check_times(t)
        # μ·t may overflow to inf at extreme magnitudes, where e^{−μt} = 0 is the answer.
        with np.errstate(over="ignore", under="ignore"):
            inside = np.vectorize(lambda v: self._sf(float(v)), otypes=[np.float64])(
                np.maximum(values, 0.0)
            )
        out = np.where(values < 0.0, 1.0, np.clip(inside, 0.0, 1.0))
        return float(out) if out.ndim == 0 else out

    def cdf(self, t: Any) -> Any:
        """Probability of being out (released or dead) by ``t`` years, vectorised; in ``[0, 1]``.

        ``t < 0`` gives 0; NaN raises ``ValueError`` (see :meth:`sf`).
        """
        return 1.0 - self.sf(t)

    @property
    def provenance(self) -> dict[str, Any]:
        """JSON-safe record of inputs, discipline, method and results."""
        inputs = dict(self.scenario.inputs())
        inputs.update(discipline=self.discipline, steady_state=self.steady_state)
        return make_provenance(
            method=self.method,
            inputs=inputs,
            sources=self.scenario.sources,
            result={
                "mean_years": self.mean,
                "median_years": self.median,
                "p_released": self.p_released,
            },
        )

    def cite(self) -> str:
        """A sentence a journalist can paste."""
        return (
            f"A person arrested {'in the steady state' if self.steady_state else 'today'}, "
            f"with {_NAMES[self.discipline]}, is held {format_number(self.mean, 'years')} on "
            f"average (median {format_number(self.median, 'years')}) and leaves alive with "
            f"probability {self.p_released:.3g} ({self.scenario.describe()}; amnesty_model "
            f"{__version__}, fluid model, provenance {self.provenance['hash']})."
        )


class _CohortShare:
    """``C(t)/S0`` of the cohort model, walked forward from the nearest earlier checkpoint."""

    def __init__(self, disc: str, m: _Model, S0: float) -> None:
        self.disc, self.m, self.S0 = disc, m, S0
        self.times: list[float] = [0.0]
        self.states: list[_Cs] = [_m_walk(disc, m, _Cs(S0, 0.0), 0.0, 0.0, start=True)]

    def __call__(self, t: float) -> float:
        if t <= 0.0:
            return 1.0
        if math.isinf(t):
            t = _FAR
        i = bisect.bisect_right(self.times, t) - 1
        st = _m_walk(self.disc, self.m, self.states[i], self.times[i], t)
        if len(self.times) < 10_000:
            self.times.insert(i + 1, t)
            self.states.insert(i + 1, st)
        return st.C / self.S0


def _first_cohort_release(m: _Model, S0: float) -> float:
    """LIFO: years until releases first reach the cohort (the newest of it leaves then)."""
    st, t = _Cs(S0, 0.0), 0.0
    d = m.decrees
    if d is not None:
        for k in range(_MAX_COHORT_DECREES):
            when = _decree_time(d, k)
            st = _flow("lifo", m, st, t, when)
            if d.size > st.N:
                return when
            st, t = _decree("lifo", st, d.size), when
            a, _, mu = m.rates.at(t)
            arrests = a * (-math.expm1(-mu * d.every) / mu if mu > 0 else d.every)
            if t >= (m.rates.breaks[-1] if m.rates.breaks else 0.0) and arrests >= d.size:
                return math.inf
        return math.inf
    for b in [*m.rates.breaks, math.inf]:
        a, r, mu = m.rates.at(t)
        if st.N <= 0.0 and r > a:
            return t
        if r > a:
            tau = _time_to(st.N, r, a, mu)
            if t + tau <= b:
                return t + tau
        if math.isinf(b):
            return math.inf
        st = _walk("lifo", m.rates, st, t, b)
        t = b
    return math.inf  # pragma: no cover


def _rule_waiting(
    s: Scenario, disc: str
) -> tuple[Callable[[float], float], float, float, float, float | None, str]:
    """Waiting time under a rule or time-varying rates.

    Returns sf, mean, median, P(released), release date (FIFO/LIFO) and method.
    """
    m = _model(s, None)
    S0, mu = s.stock, s.death_rate
    if m.fraction > 0:
        h = m.fraction + mu

        def prop_sf(t: float) -> float:
            return math.exp(-h * t)

        return (
            prop_sf, 1.0 / h, math.log(2) / h, m.fraction / h, None,
            "closed form (each person held leaves at ρ + μ, whatever the order)",
        )  # fmt: skip
    method = _method(disc, m, s, None)
    if disc == "random":
        share = _CohortShare(disc, m, S0)
        half, out, released, died, _ = _m_summary(disc, m, S0)
        if mu > 0:
            mean = died / (mu * S0)
        elif math.isinf(out):
            mean = math.inf
        elif m.decrees is not None:  # the share is constant between decrees: sum exactly
            d = m.decrees
            count = math.ceil((out - d.first) / d.every - 1e-9) + 1
            ends = [0.0, *(_decree_time(d, k) for k in range(count))]
            mean = sum(share(t0) * (t1 - t0) for t0, t1 in itertools.pairwise(ends))
        else:  # smooth on each piece: Simpson's rule per piece
            ends = [0.0, *(b for b in m.rates.breaks if b < out), out]
            mean = sum(
                (t1 - t0) / 6 * (share(t0) + 4 * share((t0 + t1) / 2) + share(t1))
                for t0, t1 in itertools.pairwise(ends)
            )
            method += "; mean by Simpson's rule on each piece"
        return share, mean, half, released / S0 if S0 > 0 else 1.0, None, method
    T = _m_summary(disc, m, S0)[1] if disc == "fifo" else _first_cohort_release(m, S0)

    def sf(t: float) -> float:
        return math.exp(-mu * t) if t < T else 0.0

    p = math.exp(-mu * T) if math.isfinite(T) else 0.0
    mean = (-math.expm1(-mu * T) / mu) if mu > 0 else T
    median = min(math.log(2) / mu if mu > 0 else math.inf, T)
    return sf, mean, median, p, T, method


def _steady_level(s: Scenario, k: _K) -> float:
    a, r, mu = k
    if mu > 0 and a > r:
        return (a - r) / mu
    if mu == 0 and a == r:
        return s.stock
    raise ValueError(
        "no steady state with these rates: it needs arrests above releases with deaths "
        f"(a > r, μ > 0; level (a − r)/μ) or arrests equal to releases without deaths; "
        f"got arrest_rate={a!r}, release_rate={r!r}, death_rate={mu!r}"
    )


@suggest_keywords
def waiting_time(
    scenario: Scenario,
    discipline: str = "fifo",
    *,
    steady_state: bool = False,
) -> WaitingTime:
    r"""Time in custody of one person arrested at ``t = 0``, until release or death.

    The person joins the ``S0`` held (or the steady-state stock) and is followed as a tracer
    in the fluid model, with death hazard ``μ``.

    Parameters
    ----------
    scenario : Scenario
        The inputs. Constant rates use the closed forms below; any other release rule or
        schedule follows the cohort of :func:`cohort` (``method`` says how).
    discipline : {"fifo", "random", "lifo"}, default "fifo"
        The order of release.
    steady_state : bool, default False
        If true, the stock is at its steady state :math:`\bar S = (a - r)/\mu` (``a > r``,
        ``μ > 0``), or at ``stock`` when ``a = r`` and ``μ = 0``.

    Returns
    -------
    WaitingTime
        ``sf``, ``cdf``, ``mean``, ``median`` and ``p_released``.

    Notes
    -----
    - **FIFO**: the person leaves when all ahead are out, at
      :math:`T = \ln(1 + \mu S/r)/\mu` (:math:`S/r` if ``μ = 0``), if alive:
      :math:`P(\text{held at } t) = e^{-\mu t}` for ``t < T``, 0 after.
    - **random**: release hazard :math:`r/S(t)`, so :math:`P(\text{held at } t) = C(t)/S_0`,
      the cohort share of :func:`cohort`. With the stock constant at :math:`\bar S` this is
      exponential with rate :math:`r/\bar S + \mu`. With ``μ = 0`` the mean is
      :math:`S_0/(2r - a)` if ``a < 2r`` (infinite otherwise: a heavy, power-law tail).
    - **LIFO** (fluid): arrivals are released as they come, up to the release rate. If
      ``r ≥ a`` the person leaves at once; otherwise a share ``r/a`` of arrivals leaves at
      once and the rest is buried under later arrivals and leaves only by death. The fluid
      model is crude here: :func:`simulate_stays` gives the stochastic stays (with ``μ = 0``
      and ``r > a``, the busy period of an M/M/1 queue, mean :math:`1/(r - a)`).

    With any other rule or schedule the person is one of the ``S0`` held at ``t = 0``:
    FIFO, the last of them (out when the cohort is, :func:`cohort`'s ``all_out_time``, if
    alive); random, :math:`P(\text{held at } t) = C(t)/S_0`; LIFO, the newest of them, out
    when releases first reach the cohort. Under :class:`~amnesty_model.Proportional` every
    person held leaves at :math:`\rho + \mu` whatever the order: exponential, mean
    :math:`1/(\rho + \mu)`, released alive with probability :math:`\rho/(\rho + \mu)`.

    In the steady state every discipline gives mean stay :math:`\bar S / a` (Little's law)
    and :math:`P(\text{released}) = r/a`, except LIFO with ``a = r`` (the stock never moves).

    Examples
    --------
    >>> import amnesty_model as am
    >>> w = waiting_time(am.Scenario(132_000, 1_000, death_rate=0.02))
    >>> round(w.release_time, 1), round(w.p_released, 3)
    (64.6, 0.275)
    """
    s = _check_scenario(scenario)
    disc = check_choice(discipline, "discipline", DISCIPLINES)
    if not isinstance(steady_state, bool):
        raise TypeError(f"steady_state must be True or False, got {describe(steady_state)}")
    if not (isinstance(s.release_rate, float) and isinstance(s.arrest_rate, float)):
        if steady_state:
            raise ValueError(
                "steady_state=True needs constant rates (release_rate and arrest_rate numbers), "
                f"got {describe(s.release_rate)} and {describe(s.arrest_rate)}"
            )
        rsf, rmean, rmedian, rp, rtime, rmethod = _rule_waiting(s, disc)
        return WaitingTime(
            scenario=s, discipline=disc, level=s.stock, steady_state=False, mean=rmean,
            median=rmedian, p_released=rp, release_time=rtime, _sf=rsf, method=rmethod,
        )  # fmt: skip
    k = _constant_rates(s, "waiting_time")
    a, r, mu = k
    level = _steady_level(s, k) if steady_state else s.stock
    release_time: float | None = None

    def exp_sf(t: float) -> float:
        return math.exp(-mu * t) if mu > 0 else 1.0  # no NaN from 0 · inf

    if disc == "fifo":
        T = _time_to(level, r, 0.0, mu)
        release_time = T

        def sf(t: float) -> float:
            return exp_sf(t) if t < T else 0.0

        p = math.exp(-mu * T) if math.isfinite(T) else 0.0
        mean = (-math.expm1(-mu * T) / mu) if mu > 0 else T
        median = min(math.log(2) / mu if mu > 0 else math.inf, T)
    elif disc == "random" and (steady_state or level == 0):
        rate = (r / level if level > 0 else (math.inf if r > 0 else 0.0)) + mu

        def sf(t: float) -> float:
            if rate == 0:  # neither released nor dying: held for ever (no NaN at t = inf)
                return 1.0
            return math.exp(-rate * t) if math.isfinite(rate) else float(t <= 0)

        if r == 0:
            p = 0.0
        elif level == 0 or mu == 0:  # into an empty prison, the release is immediate
            p = 1.0
        else:
            p = (r / level) / rate
        mean = 1.0 / rate if rate > 0 else math.inf
        median = math.log(2) / rate if rate > 0 else math.inf
    elif disc == "random":

        def sf(t: float) -> float:
            return _random_share(level, a, r, mu, t) if t > 0 else 1.0

        st = _Cs(level, 0.0)
        released, died, _ = _limit("random", st, k)
        p = released / level
        # With μ > 0 the mean stay is ∫ C/S0 = deaths / (μ S0); with μ = 0, S0 / (2r − a).
        no_death_mean = level / (2 * r - a) if 2 * r > a else math.inf
        mean = died / level / mu if mu > 0 else no_death_mean  # μ·S0 may underflow to 0
        median = _hit("random", st, k, level / 2)
    else:  # lifo
        share = 1.0 if r >= a else r / a
        stuck = 1.0 - share

        def sf(t: float) -> float:
            return stuck * exp_sf(t) if t > 0 else 1.0

        p = share
        mean = stuck / mu if mu > 0 else (0.0 if stuck == 0 else math.inf)
        buried_median = math.log(2 * stuck) / mu if mu > 0 and stuck > 0.5 else math.inf
        median = 0.0 if stuck <= 0.5 else buried_median
    return WaitingTime(
        scenario=s,
        discipline=disc,
        level=level,
        steady_state=steady_state,
        mean=mean,
        median=median,
        p_released=p,
        release_time=release_time,
        _sf=sf,
    )


# --------------------------------------------------------------------------------------------
# deaths in custody


def _pair(value: object, name: str) -> tuple[float, float] | None:
    if value is None:
        return None
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | np.ndarray):
        raise TypeError(
            f"{name} must be a (low, high) pair of numbers or None, got {describe(value)}"
        )
    items = list(value)
    if len(items) != 2:
        raise ValueError(f"{name} must be a (low, high) pair, got {len(items)} values")
    low = check_number(items[0], f"{name}[0]")
    high = check_number(items[1], f"{name}[1]")
    if low > high:
        raise ValueError(f"{name} must be (low, high) with low <= high, got ({low!r}, {high!r})")
    return low, high


@dataclass(frozen=True)
class DeathToll:
    """Projected deaths in custody (see :func:`deaths_before_release`).

    Attributes
    ----------
    cohort : float
        Of those held at ``t = 0``, the number who die before release [people].
    cohort_low, cohort_high : float
        Its interval over the ranges of the rates given (equal to ``cohort`` without ranges).
    everyone : float
        Everyone who dies in custody — today's detainees and those arrested later — until
        the prisons are empty, or until ``horizon`` [people]. ``inf`` when the stock never
        empties and no horizon was given (deaths go on for ever).
    everyone_low, everyone_high : float
        Its interval.
    span : float
        Years counted for ``everyone`` [years]: the clear time, the horizon or ``inf``.
    """

    scenario: Scenario
    discipline: str
    cohort: float
    cohort_low: float
    cohort_high: float
    everyone: float
    everyone_low: float
    everyone_high: float
    span: float
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return (
            f"DeathToll({self.discipline!r}, today's detainees: {format_number(self.cohort)} "
            f"({format_number(self.cohort_low)}–{format_number(self.cohort_high)}), "
            f"everyone: {format_number(self.everyone)})"
        )

    @property
    def provenance(self) -> dict[str, Any]:
        """JSON-safe record of inputs, ranges, discipline, method and results."""
        inputs = dict(self.scenario.inputs())
        inputs.update(discipline=self.discipline, ranges=self.ranges)
        return make_provenance(
            method="closed form or exact stepping; intervals from the corners of the ranges",
            inputs=inputs,
            sources=self.scenario.sources,
            result={
                "cohort_deaths": [self.cohort, self.cohort_low, self.cohort_high],
                "all_deaths": [self.everyone, self.everyone_low, self.everyone_high],
                "span_years": self.span,
            },
        )

    def cite(self) -> str:
        """A sentence a journalist can paste."""
        interval = ""
        if self.ranges:
            interval = (
                f" (between {_people(round(self.cohort_low))} and "
                f"{_people(round(self.cohort_high))} over the ranges given)"
            )
        return (
            f"Of the {_people(self.scenario.stock)} held at the start, "
            f"{_people(round(self.cohort))} die in custody before release{interval}, with "
            f"{_NAMES[self.discipline]} ({self.scenario.describe()}; amnesty_model "
            f"{__version__}, provenance {self.provenance['hash']})."
        )


def _everyone_deaths(s: Scenario, horizon: float | None) -> tuple[float, float]:
    from .engine import solve_exact

    clear = s.time_to_clear()
    span = clear if math.isfinite(clear) else (horizon if horizon is not None else math.inf)
    if horizon is not None:
        span = min(span, horizon)
    if math.isinf(span):
        return (math.inf if s.death_rate > 0 and s.stock + _arrest_total(s) > 0 else 0.0), span
    if span == 0:
        return 0.0, span
    if isinstance(s.release_rate, Geometric):  # the same piecewise rate as the cohort's
        s = s.replace(release_rate=_geometric_schedule(s.release_rate, s)[0])
    return float(solve_exact(s, np.array([span])).died[0]), span


def _arrest_total(s: Scenario) -> float:
    arr = s.arrest_rate
    return float(max(arr.rates)) if isinstance(arr, Schedule) else arr


@suggest_keywords
def deaths_before_release(
    scenario: Scenario,
    discipline: str = "fifo",
    *,
    release_rate: tuple[float, float] | None = None,
    arrest_rate: tuple[float, float] | None = None,
    death_rate: tuple[float, float] | None = None,
    horizon: float | None = None,
) -> DeathToll:
    r"""Deaths in custody before release: today's detainees, and everyone, with intervals.

    Parameters
    ----------
    scenario : Scenario
        The inputs, with any release rule (see :func:`cohort` for the method of each). The
        central answer uses its rates.
    discipline : {"fifo", "random", "lifo"}, default "fifo"
        The order of release (matters for the cohort, not for the total).
    release_rate, arrest_rate, death_rate : (float, float) or None, default None
        Ranges ``(low, high)`` of constant rates [people/year; 1/year]; the interval of the
        answer is taken over them. Only for rates given as numbers in the scenario.
    horizon : float or None, default None
        Count deaths of everyone up to this many years [years]; default: until the prisons
        are empty (``inf`` deaths if they never are and deaths go on).

    Returns
    -------
    DeathToll

    Notes
    -----
    The cohort's deaths increase with the death rate ``μ`` and the arrest rate ``a`` and
    decrease with the release rate ``r`` (FIFO: :math:`S_0(1 - \ln(1 + x)/x)`,
    :math:`x = \mu S_0/r`, increasing in ``x``; the other disciplines are checked on grids in
    the tests). A function monotone in each input takes its extremes over a box at corners,
    so the interval is the minimum and maximum over the (up to 8) corners. With constant
    rates the total until the prisons empty at ``T`` is :math:`S_0 + (a - r)\,T`.

    Examples
    --------
    >>> import amnesty_model as am
    >>> toll = deaths_before_release(am.Scenario(132_000, 1_000, death_rate=0.02),
    ...                              death_rate=(0.01, 0.05))
    >>> round(toll.cohort), round(toll.cohort_low), round(toll.cohort_high)
    (67401, 47843, 91437)
    """
    s = _check_scenario(scenario)
    disc = check_choice(discipline, "discipline", DISCIPLINES)
    end = None if horizon is None else check_number(horizon, "horizon", strict=True)
    ranges: dict[str, tuple[float, float]] = {}
    for name, value in (
        ("release_rate", release_rate),
        ("arrest_rate", arrest_rate),
        ("death_rate", death_rate),
    ):
        pair = _pair(value, name)
        if pair is None:
            continue
        if not isinstance(getattr(s, name), float):
            raise TypeError(f"{name} given as a range needs a scenario whose {name} is a number")
        ranges[name] = pair

    def tolls(v: Scenario) -> tuple[float, float, float]:
        died = _m_summary(disc, _model(v, None), v.stock)[3]
        everyone, span = _everyone_deaths(v, end)
        return died, everyone, span

    central, everyone, span = tolls(s)
    cohort_values, everyone_values = [central], [everyone]
    corners: list[dict[str, float]] = [{}]
    for name, (low, high) in ranges.items():
        corners = [{**c, name: v} for c in corners for v in (low, high)]
    if ranges:
        for corner in corners:
            c, e, _ = tolls(s.replace(**corner))
            cohort_values.append(c)
            everyone_values.append(e)
    return DeathToll(
        scenario=s,
        discipline=disc,
        cohort=central,
        cohort_low=min(cohort_values),
        cohort_high=max(cohort_values),
        everyone=everyone,
        everyone_low=min(everyone_values),
        everyone_high=max(everyone_values),
        span=span,
        ranges=ranges,
    )


@suggest_keywords
def illustrative_death_rows(death_rates: Sequence[float] = (0.01, 0.02, 0.05)) -> pd.DataFrame:
    """Rows for the article table: the report's arithmetic with deaths in custody added.

    132,000 held and 1,000 released a year with no new arrests (the report's best case), and
    an assumed death rate in custody. The death rates are **assumptions for illustration,
    not a claim of the report** and not data; every row says so. Without arrests every
    release discipline gives the same numbers (everyone held is the cohort).

    Parameters
    ----------
    death_rates : sequence of float, default (0.01, 0.02, 0.05)
        Assumed deaths per person per year [1/year], each ``> 0``.

    Returns
    -------
    pandas.DataFrame
        One row per death rate: ``claim``, ``stock``, ``release_rate``, ``arrest_rate``,
        ``death_rate``, ``years_to_clear``, ``released_alive``, ``died_in_custody``,
        ``share_died``, ``status`` (the label above), ``method``, ``provenance``.

    Examples
    --------
    >>> rows = illustrative_death_rows([0.02])
    >>> row = rows.iloc[0]
    >>> print(round(row.years_to_clear, 1), round(row.released_alive), round(row.died_in_custody))
    64.6 64599 67401
    >>> row.status
    'illustrative, not a claim of the report'
    """
    import pandas as pd

    from .scenario import Scenario

    if isinstance(death_rates, str | bytes) or not isinstance(death_rates, Sequence | np.ndarray):
        raise TypeError(f"death_rates must be a sequence of numbers, got {describe(death_rates)}")
    given: object = death_rates
    if isinstance(given, np.ndarray) and given.ndim == 0:
        death_rates = [given.item()]  # a 0-d array is one rate
    rows = []
    for i, value in enumerate(death_rates):
        name = f"death_rates[{i}]"
        how = "build the Scenario with allow_extreme_death_rate=True and call cohort()"
        mu = check_death_rate(check_number(value, name, strict=True), name, how=how)
        s = Scenario(
            132_000, 1_000, death_rate=mu, name=f"132,000 held, 1,000/yr, {mu:.0%} die per year"
        )
        p = cohort(s, "fifo", step=1.0)
        rows.append(
            {
                "claim": f"deaths in custody at an assumed {mu:g} per person-year",
                "stock": s.stock,
                "release_rate": 1_000.0,
                "arrest_rate": 0.0,
                "death_rate": mu,
                "years_to_clear": p.all_out_time,
                "released_alive": p.released_alive,
                "died_in_custody": p.died_in_custody,
                "share_died": p.died_in_custody / s.stock,
                "status": ILLUSTRATIVE,
                "method": p.method,
                "provenance": p.provenance["hash"],
            }
        )
    return pd.DataFrame(rows)
