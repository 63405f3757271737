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
)
from ._version import __version__
from .clear import _people
from .engine import _advance, _Piece, _State
from .provenance import format_number, make_provenance
from .rules import Schedule

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
    rel = scenario.release_rate
    if not isinstance(rel, float | Schedule):
        raise TypeError(
            "cohort questions need releases counted per year: release_rate must be a number "
            f"or a Schedule, got {type(rel).__name__} ({describe(rel)})"
        )
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


def _rates(scenario: Scenario, death_schedule: Schedule | None) -> _Rates:
    rel = scenario.release_rate
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
    for b in [*(b for b in rates.breaks if t0 < b < t1), t1]:
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
        The inputs. ``release_rate`` must be a count per year (a number or a
        :class:`~amnesty_model.Schedule`); ``arrest_rate`` a number or a Schedule.
    discipline : {"fifo", "random", "lifo"}, default "fifo"
        Who is released: the oldest case, anyone held with equal chance, or the newest case.
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
        If ``scenario`` is not a Scenario, its release rule is not a count per year, or
        ``death_schedule`` is not a Schedule.
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
    """
    s = _check_scenario(scenario)
    disc = check_choice(discipline, "discipline", DISCIPLINES)
    schedule = _check_death_schedule(death_schedule)
    rates = _rates(s, schedule)
    S0 = s.stock
    half = _first_time(disc, rates, S0, S0 / 2) if S0 > 0 else 0.0
    out = _first_time(disc, rates, S0, 0.0) if S0 > 0 else 0.0
    released, died, still = _totals(disc, rates, S0)
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
        st = _walk(disc, rates, st, t, float(when))
        t = float(when)
        values[:, i] = (st.C, st.released, st.died, st.N)
    if rates.constant and schedule is None:
        method = "closed form" if disc != "random" else "closed form and quadrature (scipy quad)"
    else:
        method = "exact piecewise stepping"
        if disc == "random":
            method += " and quadrature (scipy quad)"
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


def _clear_time(s: Scenario, schedule: Schedule | None) -> float:
    """Years until the whole stock is empty (the death schedule taken into account)."""
    if schedule is None:
        return s.time_to_clear()
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
        Before starting, when the run would take more than 5e7 person-level events (about
        paths × (stock + 2 × arrests until the cohort is out)), among the input checks.

    Returns
    -------
    CohortSimulation
        Per-path counts released alive, dead and still held (they add up to the stock
        exactly), and the half-out and all-out times.

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
    per_path = _person_events(s, disc, S0, end)
    if n_paths * per_path > _MAX_PERSON_EVENTS:
        raise ValueError(
            f"simulate_cohort would simulate about {n_paths * per_path:,.3g} events (paths × "
            f"(stock + 2 × expected arrests until the cohort is out) = {n_paths:,} × "
            f"{per_path:,.3g}); at most {_MAX_PERSON_EVENTS:,.3g} allowed: use fewer paths or "
            "a shorter horizon (the deterministic cohort() covers large cases)"
        )
    show = want_progress(progress, n_paths * per_path * _SECONDS_PER_PERSON_EVENT)
    out = np.empty((3, n_paths), dtype=np.int64)
    times = np.empty((2, n_paths))
    with progress_bar(n_paths, "simulate_cohort", show, unit="paths") as bar:
        for i in range(n_paths):
            run = _people_path(S0, k, disc, end, rng, stop_when_out=True)
            out[:, i] = (run.released, run.died, S0 - run.released - run.died)
            times[:, i] = (run.half_out, run.all_out)
            bar.update_to(i + 1)
    return CohortSimulation(
        scenario=s,
        discipline=disc,
        paths=n_paths,
        seed=_seed_record(seed),
        horizon=end,
        released=out[0],
        died=out[1],
        still_held=out[2],
        half_out_time=times[0],
        all_out_time=times[1],
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


def simulate_stays(
    scenario: Scenario,
    discipline: str = "fifo",
    *,
    horizon: float,
    warmup: float = 0.0,
    seed: int | np.random.Generator | None = None,
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
    run = _people_path(S0, k, disc, end, rng, stop_when_out=False, warmup=skip)
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
        Under FIFO, the date of release if still alive [years]; ``None`` otherwise.
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
            method="closed form (fluid model, one person as a tracer)",
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
        Inputs with constant rates.
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
    k = _constant_rates(s, "waiting_time")
    disc = check_choice(discipline, "discipline", DISCIPLINES)
    if not isinstance(steady_state, bool):
        raise TypeError(f"steady_state must be True or False, got {describe(steady_state)}")
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
    return float(solve_exact(s, np.array([span])).died[0]), span


def _arrest_total(s: Scenario) -> float:
    arr = s.arrest_rate
    return float(max(arr.rates)) if isinstance(arr, Schedule) else arr


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
        The inputs (release as a count per year). The central answer uses its rates.
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
        _, died, _ = _totals(disc, _rates(v, None), v.stock)
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
