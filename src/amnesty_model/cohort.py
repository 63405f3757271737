r"""Whose release? Today's detainees, the order of release, and deaths in custody.

"When are the prisons empty?" and "when is the last of today's detainees free?" are different
questions (MODEL.md §3). This module follows the *cohort* — the ``S0`` people held at
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

from ._validation import FloatArray, check_choice, check_number, check_positive_int, describe
from ._version import __version__
from .clear import _people
from .engine import _advance, _Piece, _State
from .provenance import format_number, make_provenance
from .rules import Schedule

if TYPE_CHECKING:
    import pandas as pd

    from .scenario import Scenario

__all__ = [
    "CohortProjection",
    "CohortSimulation",
    "DeathToll",
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
    "random": "release in random order",
    "lifo": "newest cases first (LIFO)",
}

# Beyond this many e-foldings of the death hazard a remaining count is below 1e-304 of itself.
_MAX_EXPONENT = 700.0

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
    g = math.expm1(mu * tau) / mu if mu > 0 else tau
    x = (a - r) * g / S0
    if x <= -1.0:
        return 0.0
    exponent = r * g / S0 * _log1p_ratio(x) + mu * tau
    return math.exp(-exponent)


def _random_deaths(C0: float, S0: float, a: float, r: float, mu: float, tau: float) -> float:
    """``μ ∫_0^τ C`` under random release with constant rates (``τ`` may be ``inf``)."""
    if mu == 0.0 or C0 == 0.0 or tau <= 0.0:
        return 0.0
    from scipy.integrate import quad

    def share(s: float) -> float:
        return _random_share(S0, a, r, mu, s)

    end = min(tau, _time_to(S0, r, a, mu))
    opts: dict[str, Any] = {"epsabs": 0.0, "epsrel": 1e-12, "limit": 500}
    if math.isfinite(end):
        total = float(quad(share, 0.0, end, **opts)[0])
    else:
        # Split where the hazard has acted a few times; the tail decays at least like e^{−μt}.
        knee = min(40.0 / mu, 1.0 / mu + S0 / max(r, 1e-300))
        total = float(quad(share, 0.0, knee, **opts)[0])
        total += float(quad(share, knee, math.inf, **opts)[0])
    return mu * C0 * total


# --------------------------------------------------------------------------------------------
# the state of cohort and newcomers, stepped exactly over an interval of constant rates


@dataclass
class _Cs:
    C: float  # cohort still held
    N: float  # newcomers held
    released: float = 0.0  # cohort released alive so far
    died: float = 0.0  # cohort dead in custody so far


def _step(disc: str, st: _Cs, a: float, r: float, mu: float, dt: float) -> _Cs:
    """Advance ``st`` by ``dt`` years under constant rates (exact, regime changes included)."""
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
        return _step(disc, mid, a, r, mu, dt - tau)
    if disc == "lifo":
        if N > 0:
            tau = _time_to(N, r, a, mu)
            h = min(tau, dt)
            C1 = C * math.exp(-mu * h)
            N1 = 0.0 if tau <= dt else _evolve(N, a, r, mu, h)[0]
            mid = _Cs(C1, max(N1, 0.0), st.released, st.died + (C - C1))
            return mid if tau >= dt else _step(disc, mid, a, r, mu, dt - tau)
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
        died = _random_deaths(C, S, a, r, mu, t_empty)
        rest = _slide(0.0, a, r, mu, dt - t_empty)
        return _Cs(0.0, rest, st.released + C - died, st.died + died)
    C1 = C * _random_share(S, a, r, mu, dt)
    died = _random_deaths(C, S, a, r, mu, dt)
    S1 = _slide(S, a, r, mu, dt)
    return _Cs(C1, max(S1 - C1, 0.0), st.released + (C - C1 - died), st.died + died)


def _hit(disc: str, st: _Cs, a: float, r: float, mu: float, level: float) -> float:
    """Years until the cohort falls to ``level`` under constant rates (``inf``: never)."""
    C, N = st.C, st.N
    if C <= level:
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
        hi = 1.0 / (r / S + mu)
        while excess(hi) > 0:
            hi *= 2.0
    return float(brentq(excess, 0.0, hi, xtol=1e-14 * hi, rtol=4 * np.finfo(float).eps))


def _limit(disc: str, st: _Cs, a: float, r: float, mu: float) -> tuple[float, float, float]:
    """Cohort released alive and dead from ``st`` on, and still held, as ``t → ∞``."""
    C, N = st.C, st.N
    if C <= 0:
        return 0.0, 0.0, 0.0

    def only_deaths(c: float, died: float = 0.0) -> tuple[float, float, float]:
        return (0.0, died + c, 0.0) if mu > 0 else (0.0, died, c)

    if disc == "fifo":
        T = _time_to(C, r, 0.0, mu)
        if math.isinf(T):
            return only_deaths(C)
        return r * T, C - r * T, 0.0
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
        return (r - a) * T, died + C - (r - a) * T, 0.0
    # random
    if r == 0.0:
        return only_deaths(C)
    died = _random_deaths(C, C + N, a, r, mu, math.inf)
    return C - died, died, 0.0


# --------------------------------------------------------------------------------------------
# walking through the pieces


def _walk(disc: str, rates: _Rates, st: _Cs, t0: float, t1: float) -> _Cs:
    """Advance ``st`` from ``t0`` to ``t1`` across any change of rates."""
    t = t0
    for b in [*(b for b in rates.breaks if t0 < b < t1), t1]:
        a, r, mu = rates.at(t)
        st = _step(disc, st, a, r, mu, b - t)
        t = b
    return st


def _first_time(disc: str, rates: _Rates, S0: float, level: float) -> float:
    """Years until the cohort first falls to ``level`` (inf: never)."""
    st = _Cs(S0, 0.0)
    t = 0.0
    for b in [*rates.breaks, math.inf]:
        a, r, mu = rates.at(t)
        h = _hit(disc, st, a, r, mu, level)
        if t + h <= b:
            return t + h
        st = _step(disc, st, a, r, mu, b - t)
        t = b
    raise AssertionError("unreachable: the last piece is unbounded")  # pragma: no cover


def _totals(disc: str, rates: _Rates, S0: float) -> tuple[float, float, float]:
    last = rates.breaks[-1] if rates.breaks else 0.0
    st = _walk(disc, rates, _Cs(S0, 0.0), 0.0, last)
    rel, died, still = _limit(disc, st, *rates.at(last))
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
        Years until half of the cohort is out, released or dead [years] (``inf``: never).
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
        22.6 years and the last after 64.6 years; 64,599 are released alive and 67,401 die in
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
            f"{_NAMES[self.discipline].replace('release in random order', 'releases in random order')}"
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
    grid = np.arange(0.0, horizon + step * 1e-9, step)
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
    :math:`dS/dt = a - r[S > 0] - \mu S` (MODEL.md §2). On each interval of constant rates:

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
    step = horizon / 500 if step is None else check_number(step, "step", strict=True)
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
