r"""Solvers for the deterministic model with any release rule.

Two independent methods, used to check each other:

- :func:`solve_exact` — exact stepping. Between breakpoints (schedule changes, decrees) every
  supported rule is a linear ODE with constant coefficients,
  :math:`dS/dt = a - r\,[S > 0] - k S`, whose solution is known in closed form
  (:math:`k = μ`, or :math:`k = ρ + μ` for proportional release). Decrees are applied exactly
  at their dates.
- :func:`solve_ode` — numerical integration with :func:`scipy.integrate.solve_ivp` and a
  terminal event at the clearing level, needed for rates with no closed form (a release rate
  growing geometrically while arrests go on).

Both return a :class:`Path`: the held, released, arrested and died counts at the requested
times, and the clear time. Conservation, ``held = initial + arrested − released − died``,
holds by construction in the exact solver and to the integration tolerance in the ODE solver.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import FloatArray
from .clear import time_to_clear
from .rules import Decrees, Geometric, Proportional, Schedule

if TYPE_CHECKING:
    from .scenario import Scenario

__all__ = ["Path", "clear_time_exact", "solve_exact", "solve_ode"]

# A decree that would leave fewer than this share of its size held is taken to empty the
# prisons: it absorbs the rounding of S0 + a·t − k·R in floating point (the boundary case
# "exactly the people still held" counts as cleared; see Decrees).
_BOUNDARY_RTOL = 1e-12

_FLOAT_MAX = float(np.finfo(np.float64).max)

# Longest projection grid and most decrees one projection may step through.
_MAX_PULSES = 10_000_000


@dataclass(frozen=True)
class Path:
    """A deterministic trajectory sampled at ``times`` [years].

    Attributes
    ----------
    times, held, released, arrested, died : ndarray
        Years since the start, and the people held, released so far, arrested so far and dead
        in custody so far at those times.
    clear_time : float
        Years until the stock first reaches its clearing level (``math.inf`` if never).
    method : str
        How the path was computed.
    """

    times: FloatArray
    held: FloatArray
    released: FloatArray
    arrested: FloatArray
    died: FloatArray
    clear_time: float
    method: str


def _phi1(x: float) -> float:
    """``(1 - e^{-x}) / x``, equal to 1 at 0."""
    return 1.0 if x == 0 else -math.expm1(-x) / x


def _phi2(x: float) -> float:
    """``(x - 1 + e^{-x}) / x^2``, equal to 1/2 at 0 (series below 0.05 avoids cancellation)."""
    if x < 0.05:
        term, total, k = 0.5, 0.5, 0
        while abs(term) > 1e-17 * total:
            term *= -x / (k + 3)
            total += term
            k += 1
        return total
    return (x + math.expm1(-x)) / (x * x)


def _phi1_vec(x: FloatArray) -> FloatArray:
    return np.array([_phi1(float(v)) for v in x.ravel()]).reshape(x.shape)


def _phi2_vec(x: FloatArray) -> FloatArray:
    return np.array([_phi2(float(v)) for v in x.ravel()]).reshape(x.shape)


@dataclass
class _State:
    held: float
    released: float = 0.0
    arrested: float = 0.0
    died: float = 0.0


@dataclass(frozen=True)
class _Piece:
    """Constant coefficients on one interval: arrests a, count releases r, decay k = ρ + μ."""

    a: float
    r: float
    rho: float
    mu: float

    @property
    def k(self) -> float:
        return self.rho + self.mu

    def evolve(self, state: _State, dt: FloatArray) -> tuple[FloatArray, ...]:
        """Held, released, arrested, died after ``dt`` years, assuming the stock stays > 0."""
        k = self.k
        x = k * dt
        p1 = _phi1_vec(x)
        p2 = _phi2_vec(x)
        net = self.a - self.r
        held = state.held * np.exp(-x) + net * dt * p1

        # c · ∫ S dt for c = ρ, μ, grouped so that no factor exceeds the result: c·dt·φ1 and
        # c·dt·φ2·dt ≤ dt are bounded by 1 and dt (∫ S dt alone may overflow while μ ∫ S dt,
        # the deaths, is a count of people well within range).
        def share(c: float) -> FloatArray:
            if c == 0:
                return np.zeros_like(dt)
            out: FloatArray = state.held * (c * dt * p1) + net * dt * (c * dt * p2)
            return out

        released = state.released + self.r * dt + share(self.rho)
        arrested = state.arrested + self.a * dt
        died = state.died + share(self.mu)
        return held, released, arrested, died

    def time_to(self, held: float, level: float, *, final: bool = False) -> float:
        """Years until the stock falls from ``held`` to ``level`` under this piece (inf: never).

        A time too large for a float is an error on the last, unbounded piece (``final``) and
        "not within this piece" (inf) on any earlier, bounded one.
        """
        if held <= level:
            return 0.0
        # Net outflow at the level, summed so that equal terms cancel exactly (ρN = a).
        outflow = (self.r - self.a) + self.rho * level + self.mu * level
        if outflow <= 0:
            return math.inf
        try:
            return float(
                time_to_clear(
                    held - level, outflow, death_rate=self.k, allow_extreme_death_rate=True
                )
            )
        except ValueError:
            if final:
                raise
            return math.inf


def _advance(state: _State, p: _Piece, dt: float) -> _State:
    """Advance ``state`` by ``dt`` under ``p``, sliding along zero once the stock hits it."""
    if dt <= 0:
        return state
    if state.held <= 0 and p.a <= p.r:
        # Empty and releases keep up with arrests: newcomers leave as they come.
        return _State(0.0, state.released + p.a * dt, state.arrested + p.a * dt, state.died)
    t_zero = p.time_to(state.held, 0.0) if state.held > 0 else math.inf
    if t_zero < dt:
        at_zero = _State(*(float(v[0]) for v in p.evolve(state, np.array([t_zero]))))
        at_zero.held = 0.0
        return _advance(at_zero, p, dt - t_zero)
    held, released, arrested, died = (float(v[0]) for v in p.evolve(state, np.array([dt])))
    return _State(max(held, 0.0), released, arrested, died)


def _sample(state: _State, p: _Piece, dts: FloatArray) -> tuple[FloatArray, ...]:
    """State at offsets ``dts`` (within one piece) from ``state``."""
    out = np.empty((4, dts.size))
    for i, dt in enumerate(dts):
        s = _advance(state, p, float(dt))
        out[:, i] = (s.held, s.released, s.arrested, s.died)
    return out[0], out[1], out[2], out[3]


def _rate_at(rule: float | Schedule, t: float) -> float:
    return float(rule.rate(np.array([t]))[0]) if isinstance(rule, Schedule) else float(rule)


def _breakpoints(rule: object) -> list[float]:
    return list(rule.starts[1:]) if isinstance(rule, Schedule) else []


def _piece_at(scenario: Scenario, t: float) -> _Piece:
    rel = scenario.release_rate
    a = _rate_at(scenario.arrest_rate, t)
    if isinstance(rel, Proportional):
        return _Piece(a=a, r=0.0, rho=rel.fraction, mu=scenario.death_rate)
    if isinstance(rel, Decrees):
        return _Piece(a=a, r=0.0, rho=0.0, mu=scenario.death_rate)
    if isinstance(rel, float | Schedule):
        return _Piece(a=a, r=_rate_at(rel, t), rho=0.0, mu=scenario.death_rate)
    raise TypeError(f"no exact solver for release rule {rel!r}")  # pragma: no cover


def clear_level(scenario: Scenario) -> float:
    """The level at which the stock counts as cleared: 0, or ``clear_below`` if proportional."""
    rel = scenario.release_rate
    return rel.clear_below if isinstance(rel, Proportional) else 0.0


def _decree_clear_time(held: float, t0: float, rule: Decrees, a: float, mu: float) -> float:
    """Closed form: years from ``t0`` to the decree that empties a stock ``held`` at ``t0``.

    Arrests ``a`` and deaths ``μ`` are constant from ``t0`` on; the next decree falls at
    ``rule.first + j·Δ`` for the smallest ``j`` with that time ``>= t0``.
    """
    R, delta = rule.size, rule.every
    if held <= 0:
        return 0.0
    j0 = 0 if t0 <= rule.first else math.ceil((t0 - rule.first) / delta - 1e-12)
    wait = rule.first + j0 * delta - t0  # years to the next decree
    tol = R * _BOUNDARY_RTOL
    if mu == 0:
        before = held + a * wait  # held just before the next decree
        gain = R - a * delta  # net fall per later decree
        excess = before - R
        if excess <= tol:
            return wait
        if gain <= 0:
            return math.inf

        def after(k: int) -> float:  # held after k further decrees, if none emptied
            return excess - k * gain

        return _decree_time(wait, _first_clearing(after, excess / gain, tol), delta)
    # With deaths: between decrees S relaxes towards S* = a/μ with factor q = e^{-μΔ}. Every
    # quantity is written without S* itself, which is huge for a vanishing μ and cancels:
    # S* (1 − e^{−μw}) = a·w·φ1(μw).
    before = held * math.exp(-mu * wait) + a * wait * _phi1(mu * wait)
    x1 = before - R  # held just after the next decree, if it does not empty the prisons
    if x1 <= tol:
        return wait
    # After-decree values follow x_{j+1} = q·x_j + (1 − q)·S* − R, with fixed point −D/μ,
    # D = R / (Δ φ1(μΔ)) − a; the stock never clears if D <= 0.
    D = R / (delta * _phi1(mu * delta)) - a
    if D <= 0:
        return math.inf
    # x_j = x1 q^{j−1} − D Δ (j−1) φ1(μΔ(j−1)) first reaches 0 after
    # j − 1 = ln(1 + x1 μ / D) / (μΔ) further decrees (log1p form: exact as μ → 0).
    y = x1 * mu / D
    ratio = x1 / (D * delta) * (math.log1p(y) / y if y > 0 else 1.0)

    def after_deaths(k: int) -> float:  # held after k further decrees, k >= 0, if none emptied
        span = mu * delta * k
        return x1 * math.exp(-span) - D * delta * k * _phi1(span)

    return _decree_time(wait, _first_clearing(after_deaths, ratio, tol), delta)


def _decree_time(wait: float, extra: int, delta: float) -> float:
    """``wait + extra·Δ`` [years], refused by name past the float range."""
    years = wait + float(extra) * delta
    if not math.isfinite(years):
        raise ValueError(
            "the time to clear is finite but larger than the largest float "
            f"({_FLOAT_MAX:.3g} years): {extra:.3g} decrees every {delta:g} years; check the "
            "units of size and stock"
        )
    return years


def _first_clearing(after: Callable[[int], float], ratio: float, tol: float) -> int:
    """The smallest ``k >= 1`` with ``after(k) <= tol``, starting from the estimate ``ratio``.

    ``after(k)`` is the stock left after ``k`` further decrees, decreasing in ``k``; the
    estimate (where it reaches exactly 0, from a logarithm) can be off by one either way
    when the boundary is within rounding of a decree, so the answer is settled by the
    stock itself, not by a tolerance on ``ratio``.
    """
    if not ratio * 2.0 < _FLOAT_MAX:  # decrees too many to count in a float (or inf)
        raise ValueError(
            "the time to clear is finite but larger than the largest float: the decrees "
            "needed are too many to count; check the units of size and stock"
        )
    extra = max(1, math.ceil(ratio))
    if ratio >= 2.0**50:  # k and k + 1 are (nearly) the same float: rounding decides anyway
        return extra
    while extra > 1 and after(extra - 1) <= tol:
        extra -= 1
    while after(extra) > tol:
        extra += 1
    return extra


def _checked_advance(state: _State, p: _Piece, dt: float) -> _State:
    """:func:`_advance`, refusing by name a stock that grows past the float range."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = _advance(state, p, dt)
    if not all(math.isfinite(v) for v in (out.held, out.released, out.arrested, out.died)):
        raise ValueError(
            f"the time to clear cannot be computed: within {dt:.3g} years the people held or "
            "counted grow past the largest float (1.8e308); check the units of stock and "
            "arrest_rate"
        )
    return out


def clear_time_exact(scenario: Scenario) -> float:
    """Years until the stock first reaches its clearing level, by exact stepping.

    Raises
    ------
    TypeError
        For a release rule with no exact solver (:class:`~amnesty_model.Geometric` with
        arrests; use :func:`solve_ode`).
    """
    rel = scenario.release_rate
    level = clear_level(scenario)
    S0 = scenario.stock
    if level >= S0:
        return 0.0
    if isinstance(rel, Geometric):
        if scenario.arrest_rate != 0.0:
            raise TypeError("no exact solver for a Geometric release rule with arrests")
        g = rel.growth + scenario.death_rate
        with np.errstate(over="ignore"):
            x = float(np.float64(g) * S0 / rel.initial)
        if x <= -1:
            return math.inf
        if math.isinf(x):  # ln(1 + x) = ln x to within 1/x, from logarithms: no overflow
            years = (math.log(g) + math.log(S0) - math.log(rel.initial)) / g
        elif x == 0:
            years = S0 / rel.initial
        else:
            plain = S0 / rel.initial
            years = plain * (math.log1p(x) / x) if math.isfinite(plain) else math.log1p(x) / g
        if not math.isfinite(years):
            raise ValueError(
                "the time to clear is finite but larger than the largest float; check the "
                f"units of stock and release_rate: {rel.describe()}"
            )
        return years
    breaks = sorted(set(_breakpoints(scenario.arrest_rate) + _breakpoints(rel)))
    state = _State(S0)
    t = 0.0
    for end in [*breaks, math.inf]:
        p = _piece_at(scenario, t)
        if isinstance(rel, Decrees):
            if math.isinf(end):
                return float(t + _decree_clear_time(state.held, t, rel, p.a, p.mu))
            # Step decree by decree up to the next change of the arrest rate.
            for when in rel.times(end):
                if when < t:
                    continue
                if when >= end:
                    break
                state = _checked_advance(state, p, when - t)
                t = when
                if state.held <= rel.size * (1 + _BOUNDARY_RTOL):
                    return float(t)
                state.held -= rel.size
                state.released += rel.size
            state = _checked_advance(state, p, end - t)
            t = end
            continue
        hit = p.time_to(state.held, level, final=math.isinf(end))
        if t + hit <= end:
            return t + hit
        state = _checked_advance(state, p, end - t)
        t = end
    return math.inf  # pragma: no cover - the last piece is unbounded


def solve_exact(scenario: Scenario, times: FloatArray) -> Path:
    """Exact trajectory at ``times`` (sorted, ``>= 0``) for constant or piecewise rules."""
    rel = scenario.release_rate
    if isinstance(rel, Geometric):
        if scenario.arrest_rate != 0.0:
            raise TypeError("no exact solver for a Geometric release rule with arrests")
        return _solve_geometric(scenario, rel, times)
    horizon = float(times[-1]) if times.size else 0.0
    breaks = sorted(set(_breakpoints(scenario.arrest_rate) + _breakpoints(rel)))
    events: list[tuple[float, str]] = [(b, "rate") for b in breaks if b <= horizon]
    if isinstance(rel, Decrees):
        pulses = rel.times(horizon)
        if pulses.size > _MAX_PULSES:
            raise ValueError(
                f"the projection would step through {pulses.size:,} decrees; "
                f"shorten the horizon (at most {_MAX_PULSES:,} decrees)"
            )
        events += [(float(w), "decree") for w in pulses]
    events.sort(key=lambda e: (e[0], e[1] != "rate"))
    out = np.empty((4, times.size))
    state = _State(scenario.stock)
    t = 0.0
    i = 0  # next time to fill
    for when, kind in [*events, (math.inf, "end")]:
        p = _piece_at(scenario, t)
        j = int(np.searchsorted(times, when, side="left"))
        if j > i:
            out[:, i:j] = _sample(state, p, times[i:j] - t)
            i = j
        if math.isinf(when):
            break
        state = _advance(state, p, when - t)
        t = when
        if kind == "decree":
            assert isinstance(rel, Decrees)
            take = min(rel.size, state.held)
            if state.held - take <= rel.size * _BOUNDARY_RTOL:
                take = state.held
            state.held -= take
            state.released += take
    clear = clear_time_exact(scenario)
    return Path(times, out[0], out[1], out[2], out[3], clear_time=clear, method="exact stepping")


def _expm1_over(k: float, t: FloatArray) -> FloatArray:
    """``(e^{k t} − 1)/k``, equal to ``t`` at ``k = 0`` [years]; ``inf`` beyond the floats."""
    if k == 0:
        return t.copy()
    with np.errstate(over="ignore"):
        out: FloatArray = np.expm1(k * t) / k
    return out


def _solve_geometric(scenario: Scenario, rule: Geometric, times: FloatArray) -> Path:
    r"""Closed-form trajectory for :class:`Geometric` release, no arrests, deaths at ``μ``.

    Until the clear time ``T``, :math:`e^{μt} S(t) = S_0 - r_0 (e^{(γ+μ)t} - 1)/(γ+μ)` and
    the releases are :math:`r_0 (e^{γt} - 1)/γ`; from ``T`` on nothing is held and nothing
    moves. Deaths are what conservation leaves (zero without deaths). Exact where LSODA
    needs ever smaller steps (a stock of 1e-300 released at 1e300 a year: minutes).
    """
    S0, r0, g, mu = scenario.stock, rule.initial, rule.growth, scenario.death_rate
    clear = clear_time_exact(scenario)
    t = np.minimum(times, clear)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        released = np.minimum(r0 * _expm1_over(g, t), S0)
        inside = S0 - r0 * _expm1_over(g + mu, t) if mu > 0 else S0 - released
        held = np.exp(-mu * t) * inside if mu > 0 else inside
        held = np.clip(np.where(times >= clear, 0.0, held), 0.0, S0)
        died = np.maximum(S0 - held - released, 0.0) if mu > 0 else np.zeros_like(t)
    released = np.where(times >= clear, S0 - died, released)
    return Path(
        times,
        held,
        released,
        np.zeros_like(t),
        died,
        clear_time=clear,
        method="closed form (geometric release)",
    )


# scipy's LSODA never returns for an interval shorter than about 1e-145 years (its first step
# underflows), and refuses one of a few ulps of its end ("Illegal input": a decree an ulp past
# a change of rate, 4.0 to 4.000000000000001); intervals shorter than this, or than
# _TINY_RELATIVE times their end, are taken in one explicit Euler step instead, whose error,
# O(span²), is far below rounding.
_TINY_SPAN = 1e-100
_TINY_RELATIVE = 1e-12
# The ODE route stops at every decree and change of rate; 5,000 stops take a few seconds.
_MAX_ODE_STOPS = 5_000


@dataclass(frozen=True)
class _EulerSolution:
    """The parts of a ``solve_ivp`` result that :func:`solve_ode` reads."""

    t: FloatArray
    y: FloatArray
    status: int
    start: float
    y0: FloatArray
    slope: FloatArray

    def sol(self, when: FloatArray) -> FloatArray:
        out: FloatArray = self.y0[:, None] + self.slope[:, None] * (when - self.start)
        return out


def _euler_step(
    rhs: Callable[[float, FloatArray, bool], FloatArray],
    t: float,
    *,
    stop: float,
    y: FloatArray,
    empty: bool,
    level: float,
) -> _EulerSolution:
    """One explicit Euler step from ``t`` to ``stop`` (a span below ``_TINY_SPAN``)."""
    slope = rhs(t, y, empty)
    span = stop - t
    end = y + slope * span
    hit = not empty and y[0] > level >= end[0]
    if hit:  # stop where the stock reaches its level, so that people are conserved
        span *= (y[0] - level) / (y[0] - end[0])
        end = y + slope * span
        end[0] = level
    return _EulerSolution(
        t=np.array([t, t + span]),
        y=np.column_stack([y, end]),
        status=1 if hit else 0,
        start=t,
        y0=y.copy(),
        slope=slope,
    )


@dataclass(frozen=True)
class _DenseSolution:
    """A ``solve_ivp`` result cut at the first time the stock reaches its level."""

    t: FloatArray
    y: FloatArray
    status: int
    sol: Callable[[FloatArray], FloatArray]


def _lsoda_to_level(  # noqa: PLR0917
    rhs: Callable[[float, FloatArray, bool], FloatArray],
    t: float,
    stop: float,
    y: FloatArray,
    empty: bool,
    level: float,
    hit: Callable[[float, FloatArray, bool], float],
    rtol: float,
    atol: float,
) -> Any:
    """Integrate from ``t`` to ``stop`` by LSODA, stopping where the stock reaches ``level``.

    scipy locates the event by ``brentq`` on the dense output, which can disagree in sign with
    the step values it detected the crossing on when the stock is far below ``atol``
    (a stock of 1e-15 released at 28 a year: "f(a) and f(b) must have different signs").
    Then the crossing is found here on the dense output itself.
    """
    from scipy.integrate import solve_ivp
    from scipy.optimize import brentq

    common: dict[str, Any] = {
        "method": "LSODA",
        "rtol": rtol,
        "atol": atol,
        "args": (empty,),
        "dense_output": True,
    }
    try:
        return solve_ivp(rhs, (t, stop), y, events=hit, **common)
    except ValueError as exc:
        if "different signs" not in str(exc):  # pragma: no cover - any other scipy error
            raise
    sol = solve_ivp(rhs, (t, stop), y, **common)
    below = np.nonzero(sol.y[0] <= level)[0] if not empty else np.empty(0, dtype=int)
    if not below.size:
        return sol
    i = int(below[0])
    lo, hi = float(sol.t[max(i - 1, 0)]), float(sol.t[i])

    def gap(when: float) -> float:
        return float(sol.sol(when)[0] - level)

    if gap(lo) <= 0:
        root = lo
    elif gap(hi) > 0:
        root = hi
    else:
        root = float(brentq(gap, lo, hi, xtol=1e-15 * max(1.0, abs(hi))))
    end = sol.sol(root)
    return _DenseSolution(
        t=np.append(sol.t[:i], root),
        y=np.column_stack([sol.y[:, :i], end]),
        status=1,
        sol=sol.sol,
    )


def solve_ode(
    scenario: Scenario,
    times: FloatArray,
    *,
    rtol: float = 1e-10,
    atol: float | None = None,
) -> Path:
    """Trajectory at ``times`` by :func:`scipy.integrate.solve_ivp` (LSODA), any release rule.

    The state is (held, released, arrested, died). Integration stops at the first time the
    stock reaches its clearing level (a terminal event); from then on it continues with the
    stock held at zero while releases keep up with arrests. Decrees are applied as jumps
    between integrations. Meant as an independent check of :func:`solve_exact` and for rates
    that have no closed form.
    """
    from scipy.integrate import solve_ivp

    rel = scenario.release_rate
    arrests = scenario.arrest_rate
    mu = scenario.death_rate
    level = clear_level(scenario)
    if atol is None:
        atol = 1e-9 * max(1.0, scenario.stock)

    def arrest(t: float) -> float:
        return _rate_at(arrests, t)

    def release(t: float) -> float:
        if isinstance(rel, Geometric):
            return float(rel.initial * math.exp(min(rel.growth * t, 700.0)))
        if isinstance(rel, float | Schedule):
            return _rate_at(rel, t)
        return 0.0

    rho = rel.fraction if isinstance(rel, Proportional) else 0.0

    def rhs(t: float, y: FloatArray, empty: bool) -> FloatArray:
        a = arrest(t)
        if empty:
            return np.array([0.0, a, a, 0.0])
        S = y[0]
        return np.array([a - release(t) - (rho + mu) * S, release(t) + rho * S, a, mu * S])

    def hit(t: float, y: FloatArray, empty: bool) -> float:
        return float(y[0] - level) if not empty else 1.0

    hit.terminal = True  # type: ignore[attr-defined]
    hit.direction = -1  # type: ignore[attr-defined]

    horizon = float(times[-1]) if times.size else 0.0
    stops = sorted(
        set(
            _breakpoints(arrests)
            + _breakpoints(rel)
            + ([] if not isinstance(rel, Decrees) else [float(w) for w in rel.times(horizon)])
        )
    )
    # each stop once: a decree falling exactly on the horizon must not be applied twice
    stops = sorted({s for s in stops if 0 < s < horizon} | {horizon})
    if len(stops) > _MAX_ODE_STOPS:  # one LSODA call per stop, ~1 ms each: refuse up front
        raise ValueError(
            f"method 'ode' would integrate piece by piece across {len(stops):,} decrees and "
            f"changes of rate (at most {_MAX_ODE_STOPS:,}); use method 'exact' (or 'auto'), "
            "or a shorter horizon"
        )
    y = np.array([scenario.stock, 0.0, 0.0, 0.0])
    t = 0.0
    clear = 0.0 if scenario.stock <= level else math.inf
    empty = False
    out = np.empty((4, times.size))
    filled = 0
    decree_times = set(rel.times(horizon).tolist()) if isinstance(rel, Decrees) else set()

    def decree(when: float) -> None:
        """Apply the decree at ``when`` to the state ``y``, and record it at sampled times."""
        nonlocal clear
        assert isinstance(rel, Decrees)
        take = min(rel.size, y[0])
        if y[0] - take <= rel.size * _BOUNDARY_RTOL:
            take = y[0]
        y[0] -= take
        y[1] += take
        if y[0] <= 0 and math.isinf(clear):
            clear = when
        idx = np.nonzero(times == when)[0]
        if idx.size:
            out[:, idx] = y[:, None]

    if 0.0 in decree_times:
        # A decree at the very start acts before any integration (as in solve_exact): the
        # state at t = 0 is the one just after it.
        decree(0.0)
        filled = int(np.searchsorted(times, 0.0, side="right"))
    for stop in stops:
        while t < stop:
            if stop - t < max(_TINY_SPAN, _TINY_RELATIVE * abs(stop)):
                sol = _euler_step(rhs, t, stop=stop, y=y, empty=empty, level=level)
            else:
                sol = _lsoda_to_level(rhs, t, stop, y, empty, level, hit, rtol, atol)
            end = float(sol.t[-1])
            mask = (times >= t) & (times <= end) if filled == 0 else (times > t) & (times <= end)
            idx = np.nonzero(mask)[0]
            idx = idx[idx >= filled]
            if idx.size:
                out[:, idx] = sol.sol(times[idx])
                filled = int(idx[-1]) + 1
            y = sol.y[:, -1].copy()
            t = end
            if sol.status == 1:  # the stock reached its clearing level
                clear = min(clear, t)
                if level == 0.0:
                    y[0] = 0.0
                    a, r = arrest(t), release(t)
                    empty = a <= r
                    if not empty:  # pragma: no cover - arrests outrun releases at zero
                        break
                else:
                    break
            if empty and release(t) < arrest(t):
                empty = False
        if level > 0 and math.isfinite(clear):
            # Proportional release: the path goes on below the clearing level.
            sol = solve_ivp(
                rhs,
                (t, horizon),
                y,
                method="LSODA",
                rtol=rtol,
                atol=atol,
                args=(False,),
                dense_output=True,
            )
            idx = np.nonzero(times > t)[0]
            idx = idx[idx >= filled]
            if idx.size:
                out[:, idx] = sol.sol(times[idx])
                filled = int(idx[-1]) + 1
            break
        if stop in decree_times and isinstance(rel, Decrees):
            decree(stop)
    if filled < times.size:
        out[:, filled:] = y[:, None]
    out[0] = np.maximum(out[0], 0.0)
    return Path(
        times,
        out[0],
        out[1],
        out[2],
        out[3],
        clear,
        method="ODE (scipy solve_ivp, LSODA)",
    )
