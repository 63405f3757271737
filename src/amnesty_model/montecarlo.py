r"""Monte Carlo simulation of a scenario: whole people, random events.

The deterministic model (:mod:`amnesty_model.engine`) follows the average. :func:`simulate`
follows ``paths`` independent random histories of the same :class:`~amnesty_model.Scenario`
(docs/methods.md §3):

- arrests arrive as a Poisson process of rate ``a(t)``;
- count releases (a number, a :class:`~amnesty_model.Schedule` or a
  :class:`~amnesty_model.Geometric` rate) as a Poisson process of rate ``r(t)`` while anyone is
  held;
- each person held dies in custody at hazard ``μ`` and, under
  :class:`~amnesty_model.Proportional` release, is released at hazard ``ρ``, independently;
- a decree (:class:`~amnesty_model.Decrees`) releases ``min(R, held)`` at its date.

People are whole numbers, and on every path
``held = initial + arrested − released − died`` holds exactly. A path stops when the stock
first clears (``held == 0``, or fewer than ``clear_below`` held under proportional release):
its counts are frozen from then on. That is the question asked — *when are the prisons first
empty* — not a model of what happens after.

Three schemes (``method``), all vectorised over paths with :mod:`numpy`:

``"exact"``
    Event by event, in blocks: candidate events at a constant bounding rate (thinning), whose
    outcomes depend on the stock before each and are found by fixed-point iteration (a block
    agreeing with its update is the sequential answer). A growing
    :class:`~amnesty_model.Geometric` rate is bounded over windows where it at most doubles.
    Exact in distribution; the cost grows with the number of events, about the stock plus
    twice the arrests.
``"leap"``
    Exact leaps, unless there are both count releases and per-person hazards. Over an
    interval without a change of rate the numbers of arrests and releases are Poisson counts
    of the integrated rates, and with per-person hazards but no count releases (the
    immigration-death process) people present stay with probability ``e^{−k·dt}`` and
    arrivals with ``(1 − e^{−k·dt})/(k·dt)`` — exactly, as long as the stock does not reach its
    clearing level inside the interval. Each leap is made short enough that this has a
    probability below ``1e-12`` (a Bernstein bound on the removals, which must number at least
    the people held); close to the clearing level the path continues event by event, so the
    clear time is exact.
``"tau"``
    Fixed steps of at most ``step`` years (default 1/52, a week), for count releases together
    with per-person hazards: Poisson arrests and count releases, binomial removals by the
    hazards chosen so that the mean number held follows the linear model exactly at any step
    (``docs/simulate.md``); the same Bernstein rule finishes the last steps event by event.

``"auto"`` takes only schemes exact in distribution: ``"leap"`` where exact leaps exist, else
``"exact"``; ``"tau"`` only beyond 2e9 events, where ``"exact"`` refuses. Every scheme's cost is
estimated from the inputs before it starts (a ``ValueError`` says what to change), and a run
expected to take more than about 2 s can show progress (``progress=``).
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ._progress import progress_bar, want_progress
from ._time import add_years, years_between
from ._validation import (
    FloatArray,
    check_choice,
    check_date,
    check_number,
    check_positive_int,
    check_probability,
    describe,
    suggest_keywords,
)
from ._version import __version__
from .provenance import format_number, make_provenance
from .rules import Decrees, Geometric, Proportional, Schedule
from .scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["DEFAULT_TAU_STEP", "Simulation", "simulate"]

IntArray = npt.NDArray[np.int64]
IndexArray = npt.NDArray[np.intp]

_METHODS = ("auto", "exact", "leap", "tau")

#: Default largest step of the ``"tau"`` scheme [years]: one week.
DEFAULT_TAU_STEP = 1.0 / 52.0

# A leap may reach the clearing level inside itself with probability at most e^(-_LOG_INV_EPS).
_EPSILON = 1e-12
_LOG_INV_EPS = math.log(1.0 / _EPSILON)

# A path leaps only if the leap holds at least this many expected events (or reaches a stop);
# otherwise single events are cheaper.
_MIN_LEAP_EVENTS = 4.0

# Most events (summed over paths) "exact" may simulate; "auto" turns to "tau" beyond.
_MAX_EVENTS = 2e9

# Most path-steps "tau" may take.
_MAX_TAU_STEPS = 2e9

# Rough costs, to decide whether to show progress (measured: docs/simulate.md).
_SECONDS_PER_EVENT = 1.5e-7
_SECONDS_PER_TAU_STEP = 2e-7

# Event blocks: at most this many candidates a path, and this many cells in all.
_BLOCK = 1024
_BLOCK_CELLS = 2_000_000

# Fixed-point sweeps over an event block before keeping only its verified prefix.
_MAX_SWEEPS = 8

# Most decrees whose dates a default (evenly spaced) grid adds from both sides.
_MAX_GRID_DECREES = 5_000
# Most stops (grid points, rate changes, decrees) one simulation may pass through.
_MAX_STOPS = 1_000_000

# Largest exponent used for a geometric release rate (e^700 is near the largest float).
_MAX_EXPONENT = 700.0

_SCHEMES = {
    "exact": "event by event (thinning at a bounding rate, in blocks resolved by fixed-point "
    "iteration); exact in distribution",
    "leap": "exact leaps: Poisson counts of the integrated rates (binomial survival under "
    "per-person hazards without count releases) over intervals short enough "
    "that the stock reaches its clearing level inside one with probability below 1e-12, the "
    "last events one by one; exact in distribution up to that probability",
    "tau": "fixed steps: Poisson arrests and releases, binomial removals by per-person "
    "hazards that keep the mean of the linear model exact at any step, the last events one "
    "by one; exact without per-person hazards, approximate spread otherwise",
}

#: Most paths one call may simulate.
_MAX_PATHS = 10_000_000


class _Rates:
    """The scenario's rates, vectorised over paths; stops split every change of a schedule."""

    def __init__(self, scenario: Scenario) -> None:
        rel = scenario.release_rate
        self.arrest = scenario.arrest_rate
        self.count: float | Schedule | Geometric = (
            rel if isinstance(rel, float | Schedule | Geometric) else 0.0
        )
        self.rho = rel.fraction if isinstance(rel, Proportional) else 0.0
        self.mu = scenario.death_rate
        self.hazard = self.rho + self.mu
        self.decrees = rel if isinstance(rel, Decrees) else None

    @staticmethod
    def _piecewise(rule: float | Schedule, t: FloatArray) -> FloatArray:
        if isinstance(rule, Schedule):
            return rule.rate(t)
        return np.full(t.shape, rule)

    def arrest_rate(self, t: FloatArray) -> FloatArray:
        """Arrests per year at ``t`` (constant up to the next stop)."""
        return self._piecewise(self.arrest, t)

    def release_rate(self, t: FloatArray) -> FloatArray:
        """Count releases per year at ``t``."""
        rule = self.count
        if isinstance(rule, Geometric):
            exponent: FloatArray = np.minimum(rule.growth * t, _MAX_EXPONENT)
            return rule.initial * np.exp(exponent)
        return self._piecewise(rule, t)

    def window_end(self, t0: FloatArray, stop: FloatArray) -> FloatArray:
        """End of the window from ``t0`` over which the count release rate at most doubles.

        Bounding a growing rate by its value at the next stop instead (which may be ``e^100``
        times larger) made a simulation of a few thousand events take forever.
        """
        rule = self.count
        if isinstance(rule, Geometric) and rule.growth > 0:
            end: FloatArray = np.minimum(stop, t0 + math.log(2.0) / rule.growth)
            return end
        return stop

    def release_max(self, t0: FloatArray, t1: FloatArray) -> FloatArray:
        """Largest count release rate on ``[t0, t1]`` (no rate change inside)."""
        rule = self.count
        if isinstance(rule, Geometric) and rule.growth > 0:
            return self.release_rate(t1)
        return self.release_rate(t0)

    @property
    def releases_counted(self) -> bool:
        """Whether any count releases (a rate per year, not per person) happen."""
        rule = self.count
        if isinstance(rule, Schedule):
            return any(v > 0 for v in rule.rates)
        return isinstance(rule, Geometric) or rule > 0

    def release_mean(self, t0: FloatArray, dt: FloatArray) -> FloatArray:
        """Expected count releases on ``[t0, t0 + dt]`` while anyone is held."""
        rule = self.count
        if isinstance(rule, Geometric) and rule.growth != 0:
            g = rule.growth
            growth: FloatArray = np.expm1(np.minimum(g * dt, _MAX_EXPONENT)) / g
            return self.release_rate(t0) * growth
        return self.release_rate(t0) * dt

    def expected_arrests(self, horizon: float) -> float:
        """Expected arrests from 0 to ``horizon`` [people] (for a rough cost estimate)."""
        if isinstance(self.arrest, Schedule):
            return float(self.arrest.cumulative(np.array([horizon]))[0])
        return self.arrest * horizon


def _check_seed(seed: object) -> tuple[np.random.Generator, int | None, dict[str, Any]]:
    """Turn ``seed`` into a generator, the seed to record, and notes for provenance."""
    if seed is None:
        sequence = np.random.SeedSequence()
        entropy = sequence.entropy
        assert isinstance(entropy, int)
        return np.random.default_rng(sequence), entropy, {}
    if isinstance(seed, np.random.Generator):
        return seed, None, {"seed_note": "a numpy Generator was passed; its state is not recorded"}
    if isinstance(seed, np.random.SeedSequence):
        entropy = seed.entropy
        spawn = list(seed.spawn_key)
        extra: dict[str, Any] = {"seed_spawn_key": spawn} if spawn else {}
        return np.random.default_rng(seed), entropy if isinstance(entropy, int) else None, extra
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            "seed must be an integer >= 0, a numpy.random.Generator, a numpy.random.SeedSequence "
            f"or None, got {describe(seed)} ({type(seed).__name__})"
        )
    value = int(seed)
    if value < 0:
        raise ValueError(f"seed must be an integer >= 0, got {value}")
    return np.random.default_rng(value), value, {}


def _whole(value: float, name: str) -> int:
    if value != math.floor(value) or value >= 2.0**62:
        raise ValueError(
            f"{name} must be a whole number of people below 2**62 for simulate "
            f"(the simulation counts people), got {value!r}"
        )
    return int(value)


def _check_grid(grid: object, horizon: float) -> FloatArray:
    if isinstance(grid, str | bytes | bool | np.bool_) or grid is None:
        raise TypeError(
            f"grid must be a number of points (int >= 2) or a sequence of times in years, "
            f"got {describe(grid)}"
        )
    if isinstance(grid, numbers.Integral):
        points = check_positive_int(grid, "grid", minimum=2)
        times: FloatArray = np.linspace(0.0, horizon, points)
        return times
    try:
        values = [check_number(v, "grid times") for v in np.asarray(grid, dtype=object).ravel()]
    except TypeError:
        raise TypeError(
            f"grid must be a number of points (int >= 2) or a sequence of times in years, "
            f"got {describe(grid)}"
        ) from None
    array = np.unique(np.array(values, dtype=np.float64))
    if array.size == 0:
        raise ValueError("grid must hold at least one time, got none")
    if array[-1] > horizon:
        raise ValueError(
            f"grid times must lie within the horizon [0, {horizon:g}] years, got {array[-1]:g}"
        )
    return array


def _default_horizon(scenario: Scenario) -> float:
    years = scenario.time_to_clear()
    if math.isinf(years):
        return 100.0
    return max(3.0 * years, 1.0)


@suggest_keywords
def simulate(
    scenario: Scenario,
    *,
    paths: int = 1000,
    horizon: float | None = None,
    seed: int | np.random.Generator | np.random.SeedSequence | None = None,
    method: str = "auto",
    step: float | None = None,
    grid: int | Sequence[float] | FloatArray = 101,
    progress: bool | None = None,
) -> Simulation:
    r"""Simulate a scenario with whole people and random events (Monte Carlo).

    Arrests and count releases are Poisson processes of rates ``a(t)`` and ``r(t)``; deaths
    in custody (hazard ``μ``) and proportional releases (hazard ``ρ``) strike each person
    held independently; decrees release ``min(R, held)`` at their dates. Each path stops when
    the stock first clears. On every path, at every time,

    .. math::

        \text{held} = S_0 + \text{arrested} - \text{released} - \text{died}

    holds exactly in whole people. For constant rates and ``μ = 0`` the clear time has mean
    ``S0/(r − a)`` and variance ``S0 (r + a)/(r − a)^3`` (docs/methods.md §3).

    Parameters
    ----------
    scenario : Scenario
        The inputs. Its ``stock`` (and a decree's ``size``) must be whole numbers.
    paths : int, default 1000
        Number of independent paths, ``>= 1``.
    horizon : float or None, default None
        Years simulated [years], ``> 0``. A path that has not cleared by then is *censored*:
        its clear time is ``inf`` and :attr:`Simulation.censored_share` reports how many.
        Default: three times the deterministic clear time (at least one year), or 100 years
        if the deterministic stock never clears.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of :func:`numpy.random.default_rng`. With ``None`` fresh entropy is drawn and
        recorded in the provenance, so the run can be repeated.
    method : {"auto", "exact", "leap", "tau"}, default "auto"
        The scheme (see the module's description): event by event, exact leaps (not with
        both count releases and per-person hazards), or fixed steps with Poisson and binomial
        counts. ``"auto"`` picks ``"leap"`` where it is exact, else ``"exact"``, and
        ``"tau"`` only when event by event would exceed 2e9 events.
    step : float or None, default None
        Largest leap [years], ``> 0``, for ``"tau"`` (default :data:`DEFAULT_TAU_STEP`,
        1/52 year) and ``"leap"`` (default: no limit, since its leaps are exact). Not allowed
        with ``"exact"``.
    grid : int or sequence of float, default 101
        Times at which each path's counts are stored: a number of equally spaced points from
        0 to the horizon (with :class:`~amnesty_model.Decrees`, plus each decree date from
        both sides, so that a sawtooth is stored where its teeth are), or the times themselves
        [years] within the horizon. Clear times are exact whatever the grid; the grid serves
        :meth:`Simulation.quantile_bands` and :attr:`Simulation.frame`. Memory: four 8-byte
        integers per path and grid point.
    progress : bool or None, default None
        Show a progress bar on stderr (tqdm when installed, else a plain line). ``None``:
        only when the run is expected to take more than about 2 s and stderr is a terminal
        or a Jupyter kernel. Display only: the result does not depend on it.

    Returns
    -------
    Simulation

    Raises
    ------
    TypeError
        If ``scenario`` is not a Scenario, ``paths`` not an integer, ``seed`` of another type.
    ValueError
        For a stock or decree size that is not a whole number, ``paths < 1``, a negative seed,
        an unknown method, ``step`` with ``"exact"``, ``"leap"`` with count releases and
        per-person hazards, a grid outside the horizon, or a run whose estimated cost exceeds
        2e9 events (``"exact"``) or 2e9 path-steps (``"tau"``), before starting.

    Notes
    -----
    The leaps are safe because clearing needs at least ``m`` removals (``m`` = people above the
    clearing level), whatever the arrests do. Removals in a leap are a sum of Poisson and
    Bernoulli counts with mean at most ``λ``, so by Bernstein's inequality
    ``P(removals ≥ m) ≤ exp(−x² / (2(λ + x/3)))`` with ``x = m − λ``; a leap is taken only
    when this is below ``1e-12``.

    References
    ----------
    D. T. Gillespie, "Exact stochastic simulation of coupled chemical reactions", J. Phys.
    Chem. 81 (1977) 2340–2361, doi:10.1021/j100540a008 (event by event);
    D. T. Gillespie, "Approximate accelerated stochastic simulation of chemically reacting
    systems", J. Chem. Phys. 115 (2001) 1716–1733, doi:10.1063/1.1378322 (tau-leaping).

    Examples
    --------
    >>> import amnesty_model as am
    >>> from amnesty_model import simulate
    >>> sim = simulate(am.Scenario(132_000, 1_000, arrest_rate=500), paths=2_000, seed=1)
    >>> round(sim.mean_clear_time())  # S0 / (r - a) = 264 years
    264
    >>> sim.summary()["censored_share"]
    0.0
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario, got {describe(scenario)}")
    paths = check_positive_int(paths, "paths")
    if paths > _MAX_PATHS:
        raise ValueError(
            f"paths must be at most {_MAX_PATHS:,} (memory grows with paths × grid), got {paths:,}"
        )
    method = check_choice(method, "method", _METHODS)
    rng, seed_record, seed_extra = _check_seed(seed)
    stock = _whole(scenario.stock, "stock")
    rates = _Rates(scenario)
    if rates.decrees is not None:
        _whole(rates.decrees.size, "the decree size (Decrees.size)")
    horizon = (
        _default_horizon(scenario)
        if horizon is None
        else check_number(horizon, "horizon", strict=True)
    )
    times = _check_grid(grid, horizon)
    rule = scenario.release_rate
    if isinstance(grid, numbers.Integral) and isinstance(rule, Decrees):
        # A number of points: add each decree date from both sides, so that bands and paths
        # show the sawtooth where its teeth are instead of aliased by the even grid.
        pulses = rule.times(horizon) if horizon / rule.every < _MAX_GRID_DECREES else None
        if pulses is not None and pulses.size:
            pulses = pulses[pulses > 0]
            eps = horizon * 1e-6
            times = np.union1d(times, np.concatenate([np.maximum(pulses - eps, 0.0), pulses]))
    if step is not None:
        step = check_number(step, "step", strict=True)
        if method == "exact":
            raise ValueError(
                f"step applies to the 'tau' and 'leap' methods, not 'exact', got step={step!r}"
            )
    hazard = rates.hazard > 0
    if method == "leap" and hazard and rates.releases_counted:
        raise ValueError(
            "method 'leap' is exact only without per-person hazards or without count releases; "
            "this scenario has both (deaths in custody or proportional release, and a release "
            "rate per year): use method 'exact' or 'tau'"
        )
    method, step, events, seconds = _plan(
        scenario,
        rates,
        method,
        stock=stock,
        paths=paths,
        horizon=horizon,
        step=step,
        points=times.size,
    )
    show = want_progress(progress, seconds)
    result = _run(
        scenario,
        rates,
        stock=stock,
        paths=paths,
        horizon=horizon,
        grid=times,
        rng=rng,
        method=method,
        step=math.inf if step is None else step,
        estimate=events,
        show=show,
    )
    clear, held, released, arrested, died = result
    for array in (clear, held, released, arrested, died, times):
        array.flags.writeable = False
    return Simulation(
        scenario=scenario,
        clear_times=clear,
        times=times,
        held=held,
        released=released,
        arrested=arrested,
        died=died,
        horizon=horizon,
        method=method,
        step=step,
        seed=seed_record,
        seed_extra=seed_extra,
    )


def _expected_events(scenario: Scenario, rates: _Rates, stock: int, horizon: float) -> float:
    """Rough number of events of one path [events]: arrests, and people leaving.

    Over the simulated span (the horizon, or the deterministic clear time if sooner) each
    person arrested is an event, and so is each one leaving: at most everyone ever held, and
    at most the removal rate at its largest times the span.
    """
    det = scenario.time_to_clear()
    span = horizon if math.isinf(det) else min(horizon, det)
    arrests = rates.expected_arrests(span)
    everyone = stock + arrests
    rule = rates.count
    if isinstance(rule, Geometric) and rule.growth > 0:
        return arrests + everyone
    if isinstance(rule, Geometric):
        top = rule.initial
    elif isinstance(rule, Schedule):
        top = max(rule.rates)
    else:
        top = rule
    removals = min(everyone, (top + rates.hazard * everyone) * span)
    return arrests + removals


def _plan(
    scenario: Scenario,
    rates: _Rates,
    method: str,
    *,
    stock: int,
    paths: int,
    horizon: float,
    step: float | None,
    points: int,
) -> tuple[str, float | None, float, float]:
    """Pick the scheme and check its cost: (method, step, events, seconds expected).

    ``"auto"`` takes only schemes exact in distribution (``"leap"`` where exact leaps exist,
    else ``"exact"``), and ``"tau"`` only when event by event would exceed the event budget.
    Raises a ValueError naming what to change when the chosen scheme's cost is out of bounds.
    """
    per_path = _expected_events(scenario, rates, stock, horizon)
    events = paths * per_path
    exact_only = rates.hazard > 0 and rates.releases_counted  # no exact leaps for this model
    if method == "auto":
        if not exact_only:
            method = "leap"
        elif events <= _MAX_EVENTS:
            method = "exact"
        else:
            method = "tau"
    if method == "tau" and step is None:
        step = DEFAULT_TAU_STEP
    if method == "exact" and events > _MAX_EVENTS:
        raise ValueError(
            f"method 'exact' would simulate about {events:,.3g} events (paths × expected "
            f"arrests and departures = {paths:,} × {per_path:,.3g}); at most "
            f"{_MAX_EVENTS:,.3g} allowed: use fewer paths, a shorter horizon, or method 'tau'"
        )
    seconds = events * _SECONDS_PER_EVENT
    if method == "tau":
        assert step is not None
        det = scenario.time_to_clear()
        span = horizon if math.isinf(det) else min(horizon, det)
        tau_steps = paths * (span / step + points)
        if tau_steps > _MAX_TAU_STEPS:
            raise ValueError(
                f"method 'tau' would take about {tau_steps:,.3g} steps (paths × span / step = "
                f"{paths:,} × {span:,.4g} / {step:.4g}); at most {_MAX_TAU_STEPS:,.3g} allowed: "
                "use fewer paths, a shorter horizon or a longer step"
            )
        seconds = max(seconds / 20.0, tau_steps * _SECONDS_PER_TAU_STEP)
    elif method == "leap":
        seconds = seconds / 20.0
    return method, step, events, seconds


def _bernstein_room(m: FloatArray) -> FloatArray:
    """Largest mean ``λ`` of removals with ``P(removals >= m) <= ε`` (Bernstein), may be <= 0."""
    L = _LOG_INV_EPS
    x = -2.0 * L / 3.0 + np.sqrt(4.0 * L * L / 9.0 + 2.0 * L * m)
    room: FloatArray = m - x
    return room


def _run(
    scenario: Scenario,
    rates: _Rates,
    *,
    stock: int,
    paths: int,
    horizon: float,
    grid: FloatArray,
    rng: np.random.Generator,
    method: str,
    step: float,
    estimate: float,
    show: bool,
) -> tuple[FloatArray, IntArray, IntArray, IntArray, IntArray]:
    """Simulate ``paths`` paths; return clear times and the counts on the grid."""
    work = [0.0]  # events simulated so far, for the progress display
    rel_rule = scenario.release_rate
    level = rel_rule.clear_below if isinstance(rel_rule, Proportional) else 1.0
    below = math.ceil(level)  # cleared iff held < below (held is an integer)
    decrees = rates.decrees
    size = int(decrees.size) if decrees is not None else 0
    decree_times = decrees.times(horizon) if decrees is not None else np.empty(0)
    decree_times = decree_times[decree_times <= horizon]
    breaks: list[float] = []
    for rule in (scenario.arrest_rate, rel_rule):
        if isinstance(rule, Schedule):
            breaks.extend(b for b in rule.starts[1:] if b < horizon)
    stops = np.unique(np.concatenate([[0.0, horizon], grid, np.array(breaks), decree_times]))
    if stops.size > _MAX_STOPS:
        raise ValueError(
            f"the simulation would pass {stops.size:,} stops (grid points, rate changes and "
            f"decrees); at most {_MAX_STOPS:,} allowed: shorten the horizon or the grid"
        )
    is_decree = np.isin(stops, decree_times)
    where = np.minimum(np.searchsorted(grid, stops), grid.size - 1)
    grid_pos = np.where(grid[where] == stops, where, -1)
    last = stops.size - 1
    G = grid.size

    t = np.zeros(paths)
    held = np.full(paths, stock, dtype=np.int64)
    released = np.zeros(paths, dtype=np.int64)
    arrested = np.zeros(paths, dtype=np.int64)
    died = np.zeros(paths, dtype=np.int64)
    nxt = np.zeros(paths, dtype=np.intp)  # index of the next stop
    clear = np.full(paths, math.inf)
    active = np.ones(paths, dtype=bool)
    rec = np.empty((4, paths, G), dtype=np.int64)
    recorded = np.zeros(paths, dtype=np.intp)  # grid points stored so far
    cols = np.arange(G)
    mu, rho, k = rates.mu, rates.rho, rates.hazard

    def finish(idx: IndexArray) -> None:
        """Stop paths ``idx``: freeze their counts on the rest of the grid."""
        active[idx] = False
        if idx.size == 0:
            return
        rest = cols[None, :] >= recorded[idx][:, None]
        for row, counts in enumerate((held, released, arrested, died)):
            block = rec[row, idx]
            np.copyto(block, counts[idx][:, None], where=rest)
            rec[row, idx] = block

    def arrive(idx: IndexArray) -> None:
        """Paths ``idx`` have reached their next stop: decree, record, clear check."""
        j = nxt[idx]
        t[idx] = stops[j]
        decree = is_decree[j]
        if decree.any():
            sub = idx[decree]
            take = np.minimum(held[sub], size)
            held[sub] -= take
            released[sub] += take
        on_grid = grid_pos[j] >= 0
        if on_grid.any():
            sub, g = idx[on_grid], grid_pos[j][on_grid]
            for row, counts in enumerate((held, released, arrested, died)):
                rec[row, sub, g] = counts[sub]
            recorded[sub] = g + 1
        nxt[idx] = j + 1
        cleared = held[idx] < below
        clear[idx[cleared]] = t[idx[cleared]]
        finish(idx[cleared | (j == last)])

    def leap_move(idx: IndexArray, t0: FloatArray, dt: FloatArray, stop: FloatArray) -> None:
        """Leap paths ``idx`` by ``dt`` with Poisson and binomial counts."""
        h0 = held[idx]
        arrivals = rng.poisson(rates.arrest_rate(t0) * dt)
        outs = np.minimum(rng.poisson(rates.release_mean(t0, dt)), h0 + arrivals)
        removed: IntArray | int = 0
        dead: IntArray | int = 0
        if k > 0:
            # Per-person hazards. Each person held at the start stays with probability
            # e^{-x}, x = k·dt; an arrival at a uniform time in the step stays with probability
            # q = (1 − e^{-x})/x. Without count releases this is the exact law of the
            # immigration-death process. Count releases take people who would otherwise have
            # faced the hazard for the rest of the step: of the `outs` people, the hazard
            # would have removed a share q − e^{-x} on average, so they are taken from the
            # people present at the start with that removal probability instead of 1 − e^{-x}.
            # The mean of the stock then follows the linear model exactly at any step.
            x = k * dt
            stay = np.exp(-x)
            q = np.where(x > 1e-8, -np.expm1(-x) / np.where(x > 1e-8, x, 1.0), 1.0 - x / 2.0)
            from_start = np.minimum(outs, h0)
            removed = (
                rng.binomial(h0 - from_start, 1.0 - stay)
                + rng.binomial(from_start, np.clip(q - stay, 0.0, 1.0))
                + rng.binomial(arrivals, np.clip(1.0 - q, 0.0, 1.0))
            )
            removed = np.minimum(removed, h0 + arrivals - outs)
            if rho == 0:
                dead = removed
            elif mu > 0:
                dead = rng.binomial(removed, mu / k)
        arrested[idx] += arrivals
        released[idx] += outs + removed - dead
        died[idx] += dead
        held[idx] = h0 + arrivals - outs - removed
        work[0] += float(np.sum(arrivals) + np.sum(outs) + np.sum(removed))
        reach = dt >= stop - t0
        t[idx] = np.where(reach, stop, t0 + dt)
        cleared = held[idx] < below  # probability below 1e-12 per leap
        clear[idx[cleared]] = t[idx[cleared]]
        finish(idx[cleared])
        arrive(idx[reach & ~cleared])

    def event_move(idx: IndexArray, t0: FloatArray, stop: FloatArray, a: FloatArray) -> None:
        """Advance paths ``idx`` by a block of single events, exactly (thinning).

        Candidate events come at the constant rate ``Λ = a + r_max + k·(S + K)``, an upper
        bound of the event rate over the next ``K`` candidates (the stock grows by at most one
        per event); each is an arrest, a count release, a per-person release or death, or
        nothing, with the probabilities of the current stock. The stock before candidate ``j``
        depends on the earlier outcomes: the outcomes are found by fixed-point iteration (an
        outcome computed from correct earlier outcomes is correct, so a block agreeing with
        its update is the sequential answer; a prefix that agrees is kept when the iteration
        stops early). Candidates beyond the window are dropped: by the memoryless property
        the path restarts there. Exact in distribution.
        """
        n = idx.size
        S = held[idx]
        Sf = S.astype(np.float64)
        w_end = rates.window_end(t0, stop)
        r_max = rates.release_max(t0, w_end)
        expect = (a + r_max + k * Sf) * (w_end - t0)
        want = np.minimum(expect + 3.0 * np.sqrt(expect) + 2.0, _BLOCK)
        if k > 0:
            want = np.minimum(want, np.maximum(Sf / 4.0, 4.0))
        K = int(min(max(float(want.max()), 1.0), max(8.0, _BLOCK_CELLS / n)))
        K_i = np.clip(np.ceil(want), 1, K).astype(np.intp)
        lam = a + r_max + k * (Sf + K_i)
        gaps = rng.exponential(size=(n, K))
        np.divide(gaps, lam[:, None], out=gaps, where=lam[:, None] > 0)
        gaps[lam <= 0] = math.inf
        T = t0[:, None] + np.cumsum(gaps, axis=1)
        U = rng.random((n, K)) * lam[:, None]
        j = np.arange(K)
        live = (w_end[:, None] > T) & (j[None, :] < K_i[:, None])
        arrest = live & (a[:, None] > U)
        U -= a[:, None]
        count_rel = None
        if releases:
            r_at = (
                rates.release_rate(np.where(live, T, t0[:, None])) if varying else r_max[:, None]
            )
            count_rel = live & (U >= 0) & (r_at > U)
        U -= r_max[:, None]
        hazard = live & (U >= 0) if k > 0 else None
        up = arrest.astype(np.int64)

        def outcomes(before: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
            """Released and died indicators given the stock before each candidate."""
            out = np.zeros((n, K), dtype=bool) if count_rel is None else count_rel & (before > 0)
            dead = np.zeros((n, K), dtype=bool)
            if hazard is not None:
                by_rho = hazard & (rho * before > U)
                dead = hazard & ~by_rho & (k * before > U)
                out = out | by_rho
            return out, dead

        before: npt.NDArray[Any] = np.broadcast_to(S[:, None], (n, K))
        out, dead = outcomes(before)
        valid = np.full(n, K, dtype=np.intp)
        for _ in range(_MAX_SWEEPS):
            change = up - out - dead
            before = S[:, None] + np.cumsum(change, axis=1) - change
            new_out, new_dead = outcomes(before)
            differ = (new_out != out) | (new_dead != dead)
            out, dead = new_out, new_dead
            if not differ.any():
                break
        else:
            # Outcomes agreeing with the previous sweep up to the first difference are exact
            # up to and including it; keep that prefix.
            has = differ.any(axis=1)
            valid = np.where(has, np.argmax(differ, axis=1) + 1, K)
        change = up - out - dead
        after = S[:, None] + np.cumsum(change, axis=1)
        n_live = live.sum(axis=1)
        used = np.minimum(n_live, valid)
        cleared_at = live & (after < below) & (j[None, :] < used[:, None])
        cleared = cleared_at.any(axis=1)
        first = np.argmax(cleared_at, axis=1)
        used = np.where(cleared, first + 1, used)
        keep = j[None, :] < used[:, None]
        n_arr = (arrest & keep).sum(axis=1)
        n_out = (out & keep).sum(axis=1)
        n_dead = (dead & keep).sum(axis=1)
        arrested[idx] += n_arr
        released[idx] += n_out
        died[idx] += n_dead
        held[idx] = S + n_arr - n_out - n_dead
        work[0] += float(used.sum())
        rows = np.arange(n)
        last_time = T[rows, np.maximum(used - 1, 0)]
        window = ~cleared & (n_live < K_i) & (valid > n_live)
        t[idx] = np.where(window, w_end, np.where(used > 0, last_time, t0))
        clear[idx[cleared]] = last_time[cleared]
        finish(idx[cleared])
        at_stop = window & (w_end >= stop)
        arrive(idx[at_stop])

    arrive(np.arange(paths))
    releases = rates.releases_counted
    varying = isinstance(rates.count, Geometric)
    growth = rates.count.growth if isinstance(rates.count, Geometric) else 0.0
    with progress_bar(total=estimate, desc="simulate", show=show, unit="events") as bar:
        while True:
            act = np.flatnonzero(active)
            if act.size == 0:
                break
            t0 = t[act]
            stop = stops[nxt[act]]
            a_now = rates.arrest_rate(t0)
            if method == "exact":
                leap = np.zeros(act.size, dtype=bool)
                dt = np.zeros(0)
            else:
                h0 = held[act].astype(np.float64)
                room = _bernstein_room(h0 - below + 1.0)
                dt_max = np.minimum(stop - t0, step)
                if growth > 0:  # the release rate at most doubles within a leap
                    dt_max = np.minimum(dt_max, math.log(2.0) / growth)
                r_max = rates.release_max(t0, t0 + dt_max)
                bound = r_max + k * (h0 + a_now * dt_max)  # removals per year, at most
                safe = np.full(act.size, math.inf)
                np.divide(room, bound, out=safe, where=bound > 0)
                dt = np.minimum(dt_max, safe)
                events = (a_now + r_max + k * h0) * dt
                leap = (room > 0) & ((dt >= dt_max) | (events >= _MIN_LEAP_EVENTS))
                dt = dt[leap]
            if leap.any():
                leap_move(act[leap], t0[leap], dt, stop[leap])
            if not leap.all():
                ev = ~leap
                event_move(act[ev], t0[ev], stop[ev], a_now[ev])
            bar.update_to(work[0])

    return clear, rec[0], rec[1], rec[2], rec[3]


def _quantiles(values: npt.NDArray[Any], q: Sequence[float], axis: int = 0) -> Any:
    """Sample quantiles that are actual sample values (no interpolation; ``inf`` allowed)."""
    return np.quantile(values, np.asarray(q, dtype=np.float64), axis=axis, method="inverted_cdf")


def _label(q: float) -> str:
    return f"q{q:g}"


@dataclass(frozen=True, eq=False)
class Simulation:
    """The result of :func:`simulate`: a sample of clear times and of paths on a grid.

    Attributes
    ----------
    scenario : Scenario
        The inputs.
    clear_times : ndarray of float, shape (paths,)
        Years until each path's stock first cleared [years]; ``inf`` for a path that had not
        cleared by the horizon (censored, not "never").
    times : ndarray of float, shape (points,)
        The grid on which counts are stored [years].
    held, released, arrested, died : ndarray of int64, shape (paths, points)
        Each path's counts at the grid times [people]; frozen once the path has cleared.
        ``held == stock + arrested − released − died`` everywhere, with ``stock`` the initial
        stock: the ``t = 0`` column is the state just after any decree at ``t = 0``.
    horizon : float
        Years simulated [years].
    method : str
        The scheme used: ``"exact"``, ``"leap"`` or ``"tau"``.
    step : float or None
        Largest leap [years] (``None``: unlimited, or event by event).
    seed : int or None
        The seed that reproduces the run (``None`` if a Generator was passed).
    """

    scenario: Scenario
    clear_times: FloatArray = field(repr=False)
    times: FloatArray = field(repr=False)
    held: IntArray = field(repr=False)
    released: IntArray = field(repr=False)
    arrested: IntArray = field(repr=False)
    died: IntArray = field(repr=False)
    horizon: float
    method: str
    step: float | None
    seed: int | None
    seed_extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        name = f"{self.scenario.name!r}, " if self.scenario.name else ""
        median = float(_quantiles(self.clear_times, [0.5])[0])
        return (
            f"Simulation({name}{self.paths:,} paths, method={self.method!r}, "
            f"median clear time: {format_number(median, 'years')})"
        )

    @property
    def paths(self) -> int:
        """Number of simulated paths."""
        return int(self.clear_times.size)

    @property
    def censored_share(self) -> float:
        """Share of paths that had not cleared by the horizon (their clear time is ``inf``)."""
        return float(np.mean(np.isinf(self.clear_times)))

    @property
    def cleared_share(self) -> float:
        """Share of paths that cleared by the horizon."""
        return 1.0 - self.censored_share

    def mean_clear_time(self) -> float:
        """Sample mean of the clear time [years]; ``inf`` if any path is censored.

        With censored paths the sample does not determine the mean (only a lower bound):
        simulate with a longer horizon. The standard error is in :meth:`summary`.
        """
        return float(np.mean(self.clear_times))

    def summary(self) -> dict[str, float]:
        """Clear-time statistics [years] with the Monte Carlo standard error of the mean.

        Returns
        -------
        dict
            ``paths``, ``mean``, ``mean_se`` (standard deviation / √paths), ``std``,
            ``median``, ``q05``, ``q95``, ``cleared_share``, ``censored_share``. ``mean``,
            ``std`` and ``mean_se`` are ``inf`` when any path is censored; ``std`` and
            ``mean_se`` are ``nan`` for a single path.
        """
        ct = self.clear_times
        q05, median, q95 = (float(v) for v in _quantiles(ct, [0.05, 0.5, 0.95]))
        censored = self.censored_share
        if censored > 0:
            std = math.inf
        elif ct.size > 1:
            std = float(np.std(ct, ddof=1))
        else:
            std = math.nan
        return {
            "paths": float(ct.size),
            "mean": self.mean_clear_time(),
            "mean_se": std / math.sqrt(ct.size),
            "std": std,
            "median": median,
            "q05": q05,
            "q95": q95,
            "cleared_share": 1.0 - censored,
            "censored_share": censored,
        }

    def _years(self, when: object, name: str) -> float:
        if isinstance(when, _dt.date | str | np.datetime64):
            if self.scenario.start is None:
                raise ValueError(
                    f"{name} is a date ({describe(when)}) but the scenario has no start date; "
                    "give years instead, or a Scenario with start=..."
                )
            years = years_between(self.scenario.start, check_date(when, name))
        else:
            years = check_number(when, name, minimum=-math.inf)
        return years

    def p_clear_by(self, when: float | _dt.date | str) -> float:
        """Share of paths that cleared by ``when``: the probability of clearing by then.

        Parameters
        ----------
        when : float or datetime.date or str
            Years from the start [years], or a calendar date (``datetime.date`` or ISO string)
            when the scenario has a start date. Must not lie beyond the horizon.

        Returns
        -------
        float
            In ``[0, 1]``; its standard error is ``sqrt(p (1 − p) / paths)``.

        Examples
        --------
        >>> import amnesty_model as am
        >>> from amnesty_model import simulate
        >>> sim = simulate(am.Scenario(10, 1.0), paths=200, seed=3)  # Gamma(10, 1) years
        >>> sim.p_clear_by(0.0), sim.p_clear_by(30.0)
        (0.0, 1.0)
        >>> 0.3 < sim.p_clear_by(9.0) < 0.6  # Gamma(10, 1) cdf at 9: 0.41
        True
        """
        years = self._years(when, "when")
        if years > self.horizon:
            raise ValueError(
                f"when = {years:g} years lies beyond the simulated horizon ({self.horizon:g} "
                "years): paths not cleared by then are censored; simulate with a longer horizon"
            )
        return float(np.mean(self.clear_times <= years))

    def _grid_index(self, times: object) -> IndexArray:
        wanted = np.atleast_1d(np.asarray([self._years(v, "times") for v in _iterable(times)]))
        last = self.times.size - 1
        right = np.minimum(np.searchsorted(self.times, wanted), last)
        left = np.maximum(right - 1, 0)
        nearer = np.abs(self.times[left] - wanted) < np.abs(self.times[right] - wanted)
        pos = np.where(nearer, left, right)
        tolerance = 1e-9 * max(1.0, self.horizon)
        bad = np.abs(self.times[pos] - wanted) > tolerance
        if bad.any():
            raise ValueError(
                f"times must be grid times of the simulation (counts are stored only there); "
                f"{wanted[bad][0]:g} years is not one. Pass grid=[...] to simulate to store "
                "other times"
            )
        index: IndexArray = pos
        return index

    def _index(self, times: FloatArray) -> pd.DataFrame:
        import pandas as pd

        frame = pd.DataFrame(index=pd.Index(times, name="years"))
        if self.scenario.start is not None:  # NaT past 9999-12-31 (was OutOfBoundsTimedelta)
            from ._time import date_column

            frame["date"] = date_column(self.scenario.start, times)
        return frame

    def quantile_bands(
        self,
        times: Any = None,
        quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95),
    ) -> pd.DataFrame:
        """Quantiles of the number held over time, across paths [people].

        Parameters
        ----------
        times : sequence of float or dates, optional
            Grid times [years] (or dates, with a start date); default: the whole grid.
        quantiles : sequence of float, default (0.05, 0.25, 0.5, 0.75, 0.95)
            Each strictly between 0 and 1. The quantiles are sample values (whole people).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``years``; a column ``q0.05`` etc. per quantile, and ``date`` when the
            scenario has a start date.

        Examples
        --------
        >>> import amnesty_model as am
        >>> from amnesty_model import simulate
        >>> sim = simulate(am.Scenario(100, 10), paths=100, seed=0, grid=[0, 5, 20])
        >>> bands = sim.quantile_bands(quantiles=[0.25, 0.75])
        >>> bands.loc[0.0].tolist(), bands.loc[20.0].tolist()  # all held, then all out
        ([100, 100], [0, 0])
        >>> low, high = bands.loc[5.0, ["q0.25", "q0.75"]]  # held: 100 - Poisson(50)
        >>> bool(40 <= low <= 50 <= high <= 60)
        True
        """
        qs = [check_probability(q, "quantiles") for q in _iterable(quantiles)]
        if not qs:
            raise ValueError("quantiles must hold at least one value, got none")
        idx = np.arange(self.times.size) if times is None else self._grid_index(times)
        frame = self._index(self.times[idx])
        values = _quantiles(self.held[:, idx], qs, axis=0)
        for q, row in zip(qs, values, strict=True):
            frame[_label(q)] = row
        return frame

    @property
    def frame(self) -> pd.DataFrame:
        """Summary over paths at each grid time, indexed by ``years``.

        Columns: ``held_mean``, ``held_sd``, ``held_q0.05``, ``held_q0.5``, ``held_q0.95``,
        ``released_mean``, ``arrested_mean``, ``died_mean`` [people], ``cleared_share``
        (share of paths cleared by then), and ``date`` when the scenario has a start date.
        """
        frame = self._index(self.times)
        frame["held_mean"] = self.held.mean(axis=0)
        frame["held_sd"] = self.held.std(axis=0, ddof=1 if self.paths > 1 else 0)
        for q, row in zip(
            (0.05, 0.5, 0.95), _quantiles(self.held, [0.05, 0.5, 0.95]), strict=True
        ):
            frame[f"held_{_label(q)}"] = row
        frame["released_mean"] = self.released.mean(axis=0)
        frame["arrested_mean"] = self.arrested.mean(axis=0)
        frame["died_mean"] = self.died.mean(axis=0)
        frame["cleared_share"] = (self.clear_times[:, None] <= self.times[None, :]).mean(axis=0)
        return frame

    def to_frame(self) -> pd.DataFrame:
        """Same as :attr:`frame`."""
        return self.frame

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Plot the quantile fan of the number held (:func:`amnesty_model.plot.plot_bands`).

        ``kwargs`` go to ``plot_bands`` (``color``, ``ylabel``, ``label``; default label:
        the scenario's name). Returns the Axes.
        """
        from .plot import plot_bands

        kwargs.setdefault("label", self.scenario.name)
        ax_out: Axes = plot_bands(self.quantile_bands(), ax=ax, **kwargs)
        return ax_out

    @property
    def provenance(self) -> dict[str, Any]:
        """JSON-safe record: inputs, scheme, paths, seed, step, horizon, result, version, hash."""
        s = self.summary()
        return make_provenance(
            method=f"Monte Carlo ({self.method})",
            inputs=self.scenario.inputs(),
            sources=self.scenario.sources,
            seed=self.seed,
            scheme=_SCHEMES[self.method],
            paths=self.paths,
            step_years=self.step,
            horizon_years=self.horizon,
            grid_points=int(self.times.size),
            result={
                "median_years": s["median"],
                "q05_years": s["q05"],
                "q95_years": s["q95"],
                "mean_years": s["mean"],
                "censored_share": s["censored_share"],
            },
            **self.seed_extra,
        )

    def cite(self) -> str:
        """One sentence: median and 90 % interval of the clear time, paths, seed, method, version.

        Examples
        --------
        >>> import amnesty_model as am
        >>> from amnesty_model import simulate
        >>> print(simulate(am.Scenario(132_000, 1_000), paths=1_000, seed=7).cite())
        ... # doctest: +ELLIPSIS
        Median 132 years to clear (90 % of paths between 131 and 133 years), 1,000 simulated
        paths of 132,000 held, 1,000 released a year, no new arrests (amnesty_model ...,
        Monte Carlo, leap, seed 7, provenance ...).
        """
        s = self.summary()
        record = self.provenance
        when = ""
        if self.scenario.start is not None and math.isfinite(s["median"]):
            date = add_years(self.scenario.start, s["median"])
            when = f", median date {date.isoformat()}" if date else ""
        if math.isinf(s["median"]):
            answer = f"More than half of the paths had not cleared by year {self.horizon:g}"
        else:
            low, high = format_number(s["q05"]), format_number(s["q95"], "years")
            answer = (
                f"Median {format_number(s['median'], 'years')} to clear "
                f"(90 % of paths between {low} and {high}){when}"
            )
        censored = ""
        if s["censored_share"] > 0 and math.isfinite(s["median"]):
            censored = (
                f"; {s['censored_share']:.1%} of paths had not cleared by year {self.horizon:g}"
            )
        seed = "seed from a Generator" if self.seed is None else f"seed {self.seed}"
        return (
            f"{answer}, {self.paths:,} simulated paths of {self.scenario.describe()}{censored} "
            f"(amnesty_model {__version__}, Monte Carlo, {self.method}, {seed}, "
            f"provenance {record['hash']})."
        )


def _iterable(values: object) -> list[Any]:
    if isinstance(values, str | _dt.date | np.datetime64) or not hasattr(values, "__iter__"):
        return [values]
    return list(values)
