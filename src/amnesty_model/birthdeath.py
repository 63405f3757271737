r"""The clear-time distribution of whole people, on the birth–death state space.

:func:`~amnesty_model.first_passage` gives the exact distribution of the time to clear when
releases and arrests are Poisson processes at constant rates and no one dies. This module
gives it for every scenario — deaths in custody, proportional release, decrees, schedules and
a growing release rate — by solving the forward (Kolmogorov) equation of the stock as a
Markov chain on the whole numbers ``0, 1, 2, …``:

- arrests move the stock up by one at rate ``a(t)``;
- releases counted per year move it down by one at rate ``r(t)`` while anyone is held;
- each person held is released (:class:`~amnesty_model.Proportional`, rate ``ρ``) or dies
  (rate ``μ``) independently, moving the stock down at rate ``(ρ + μ)·S``;
- a decree (:class:`~amnesty_model.Decrees`) releases ``min(R, S)`` at its date.

The stock has *cleared* the first time it falls below its clearing level (no one held; fewer
than ``clear_below`` under proportional release). Those states absorb, so the probability of
being absorbed by time ``t`` is the clear-time cdf.

Method (``docs/methods.md``, "The clear-time distribution on the state space"): on each piece
of time in which the rates are constant, the chain is *uniformised*: with ``Λ`` at least the
largest rate of leaving any state the chain may reach, the state at ``t0 + u`` is the
Poisson(``Λu``) mixture of the powers of the jump matrix ``P = I + Q/Λ`` applied to the state
at ``t0``. The absorbed mass ``c_j`` after ``j`` jumps is computed once per piece; the cdf at
any time in the piece is then ``Σ_j Pois(j; Λu) c_j`` and the mean clear time follows from
``∫_0^h Pois(j; Λu) du = P(N(Λh) > j)/Λ`` with no quadrature. Nothing is discretised: the
only errors are the Poisson mixture truncated at a tail mass below ``tol``, the state space
cut where the probability is below ``1e-250``, and rounding. A release rate that changes
continuously (:class:`~amnesty_model.Geometric`) is the one exception: it is replaced by its
average over short steps (documented bound on the error), and the method says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import FloatArray, check_number, check_probability, describe, suggest_keywords
from ._version import __version__
from .provenance import format_number, make_provenance
from .rules import Decrees, Geometric, Proportional, Schedule

if TYPE_CHECKING:
    import pandas as pd

    from .scenario import Scenario

__all__ = ["ClearTimeDistribution", "clear_time_distribution"]

#: Tail mass below which a Poisson mixture or the probability still held is neglected.
_TOL = 1e-13
#: Probabilities below this are dropped from the edges of the state space.
_TINY = 1e-250
#: Most jumps of the uniformised chain one call may make (each costs a pass over the states).
_MAX_JUMPS = 3_000_000
#: Most (jumps × states) one call may do, about a minute of work.
_MAX_WORK = 4e10
#: Jumps in each piece of an open-ended stretch of constant rates.
_CHUNK = 4096.0
#: Default horizon when the deterministic stock never clears [years].
_NEVER_HORIZON = 1_000.0
#: Relative change of a Geometric release rate allowed within one averaged step.
_GEOMETRIC_STEP = 1e-3


@dataclass
class _Piece:
    """One piece of time with constant rates, and the absorbed mass after each jump."""

    t0: float
    t1: float  # math.inf for the open last piece
    lam: float  # uniformisation rate; 0 when nothing can happen
    cleared: FloatArray  # c_j: probability cleared after j jumps (c_0: at t0, after pulses)


@dataclass
class _Chain:
    """The probability of each stock level not yet cleared: ``p[i]`` for ``S = below + i``."""

    below: int
    p: FloatArray
    lo: int
    hi: int
    cleared: float = 0.0
    lost: float = 0.0  # mass dropped at the state-space edges (a bound on the error)
    jumps: int = 0
    work: float = 0.0

    def held_mass(self) -> float:
        return float(self.p[self.lo : self.hi + 1].sum())

    def top(self) -> int:
        return self.below + self.hi

    def ensure(self, top_state: int) -> None:
        size = top_state - self.below + 1
        if size > self.p.size:
            grown = np.zeros(max(size, 2 * self.p.size))
            grown[: self.p.size] = self.p
            self.p = grown

    def trim(self) -> None:
        p = self.p
        while self.hi > self.lo and p[self.hi] < _TINY:
            self.lost += p[self.hi]
            p[self.hi] = 0.0
            self.hi -= 1
        while self.lo < self.hi and p[self.lo] < _TINY:
            self.lost += p[self.lo]
            p[self.lo] = 0.0
            self.lo += 1


def _whole(value: float, name: str) -> int:
    if value != math.floor(value):
        raise ValueError(
            f"{name} must be a whole number of people for the distribution of whole people, "
            f"got {value!r}; round it (e.g. {math.floor(value):,} or {math.ceil(value):,})"
        )
    if value > 1e9:
        raise ValueError(
            f"{name} = {value:,.0f} people is too many states for the state-space method "
            "(at most 1,000,000,000); use am.first_passage (constant rates) or am.simulate"
        )
    return int(value)


def _poisson_weights(mean: float, count: int) -> FloatArray:
    """Poisson(mean) probabilities of 0, 1, …, count - 1."""
    from scipy.stats import poisson

    weights: FloatArray = poisson.pmf(np.arange(count), mean)
    return weights


def _jumps_needed(mean: float, tol: float) -> int:
    """Jumps after which the Poisson(mean) tail holds less than ``tol``."""
    from scipy.stats import poisson

    if mean == 0:
        return 0
    return int(poisson.isf(tol, mean)) + 2


def _evolve(
    chain: _Chain,
    *,
    a: float,
    r: float,
    k: float,
    lam: float,
    jumps: int,
    cap: int,
    weights: FloatArray,
) -> FloatArray:
    """Make ``jumps`` jumps of the uniformised chain; return ``c_j`` for each.

    The chain's state becomes the Poisson mixture ``Σ_j w_j P^j p`` with the ``weights``: the
    state at the end of the piece.
    """
    below = chain.below
    cap = min(cap - below, chain.p.size - 1)  # highest index the chain may reach
    if k > 0:
        # Every state the chain may reach in this piece is below the cap that set ``lam``.
        states = below + np.arange(cap + 1, dtype=np.float64)
        down = (r + k * states) / lam
    else:
        down = np.full(cap + 1, r / lam)
    up = a / lam
    stay = 1.0 - up - down
    down_next = np.append(down[1:], 0.0)  # rate of moving down *into* state i from i + 1
    cleared = np.empty(jumps + 1)
    cleared[0] = chain.cleared
    p = chain.p
    acc = np.zeros_like(p)
    acc[chain.lo : chain.hi + 1] = weights[0] * p[chain.lo : chain.hi + 1]
    lo, hi = chain.lo, chain.hi
    acc_lo, acc_hi = lo, hi  # the support of the mixture: every window visited
    for j in range(1, jumps + 1):
        L = lo - 1 if lo > 0 else 0
        H = hi + 1 if hi < cap else cap
        v = p[L : H + 1]
        new = v * stay[L : H + 1]
        new[1:] += v[:-1] * up
        new[:-1] += v[1:] * down_next[L:H]
        if L == 0:
            chain.cleared += v[0] * down[0]
        if cap == H:
            chain.lost += v[-1] * up
        p[L : H + 1] = new
        lo, hi = L, H
        cleared[j] = chain.cleared
        if weights[j] > _TINY:
            acc[L : H + 1] += weights[j] * new
            acc_lo, acc_hi = min(acc_lo, L), max(acc_hi, H)
        if j % 64 == 0:
            chain.lo, chain.hi = lo, hi
            chain.trim()
            lo, hi = chain.lo, chain.hi
        chain.work += H - L + 1
    chain.jumps += jumps
    chain.p = acc
    chain.lo, chain.hi = acc_lo, acc_hi
    chain.cleared = float(np.dot(weights, cleared))
    chain.trim()
    return cleared


def _cap_for(chain: _Chain, a: float, k: float, span: float) -> int:
    """Highest stock the chain can reach in a piece of ``span`` years (beyond: negligible)."""
    top = chain.top()
    births = a * span
    # Bernstein: P(Poisson(m) >= m + x) <= exp(-x² / (2(m + x/3))) <= _TINY for this x.
    L = -math.log(_TINY)
    cap = top + births + L / 3.0 + math.sqrt(L * L / 9.0 + 2.0 * births * L) + 2.0
    if k > 0:
        # Per-person removals pull the stock towards a / k: it stays below this level too.
        level = max(top, a / k)
        cap = min(cap, level + 40.0 * math.sqrt(level + 1.0) + 40.0)
    return int(cap)


@dataclass(frozen=True)
class ClearTimeDistribution:
    """The distribution of the years until no one is held, for whole people.

    Made by :func:`clear_time_distribution`. Behaves like a frozen :mod:`scipy.stats`
    distribution: :meth:`cdf`, :meth:`sf`, :meth:`ppf`, :meth:`interval`, :meth:`mean`,
    :meth:`median`.

    Attributes
    ----------
    scenario : Scenario
        The inputs.
    method : str
        How the distribution was computed.
    horizon : float
        Years up to which it is known [years]; ``inf`` when computed until less than ``tol``
        probability was left.
    p_clear : float
        Probability that the stock ever clears (``1`` up to ``tol`` for most scenarios).
    p_unresolved : float
        Probability still held at ``horizon`` whose fate was not followed further.
    error_bound : float
        Bound on the absolute error of every probability, from the truncations.
    """

    scenario: Scenario
    method: str
    horizon: float
    p_clear: float
    p_unresolved: float
    error_bound: float
    _pieces: tuple[_Piece, ...] = field(repr=False)

    def __repr__(self) -> str:
        name = self.scenario.name or "scenario"
        return (
            f"ClearTimeDistribution({name!r}, median={self._short(self.median())}, "
            f"p_clear={self.p_clear:.6g}, method={self.method!r})"
        )

    @staticmethod
    def _short(value: float) -> str:
        return "inf" if math.isinf(value) else f"{value:.4g}"

    # -- probabilities ------------------------------------------------------------------------
    def cdf(self, t: float | FloatArray) -> float | FloatArray:
        """Probability that the stock has cleared by ``t`` years.

        Raises
        ------
        ValueError
            For NaN, or ``t`` past :attr:`horizon` (not computed).
        """
        arr = np.asarray(t, dtype=np.float64)
        if np.isnan(arr).any():
            raise ValueError(f"t must be a number of years, got {describe(t)}")
        if (arr > self.horizon).any():
            raise ValueError(
                f"t = {float(arr.max()):g} years is past the horizon of {self.horizon:g} years "
                "the distribution was computed to; compute it with a longer horizon"
            )
        out = np.zeros(arr.shape)
        flat = arr.reshape(-1)
        res = out.reshape(-1)
        starts = np.array([p.t0 for p in self._pieces])
        for i, when in enumerate(flat):
            if when < 0:
                continue
            piece = self._pieces[int(np.searchsorted(starts, when, side="right")) - 1]
            res[i] = _mixture(piece, when - piece.t0)
        res = np.clip(res, 0.0, 1.0)
        out = res.reshape(arr.shape)
        return float(out) if out.ndim == 0 else out

    def sf(self, t: float | FloatArray) -> float | FloatArray:
        """Probability that someone is still held at ``t`` years (``1 − cdf``)."""
        value = self.cdf(t)
        return 1.0 - value

    def ppf(self, q: float) -> float:
        """Years by which the stock has cleared with probability ``q``.

        ``inf`` when ``q`` is above :attr:`p_clear` (never with that probability).
        """
        q = check_probability(q, "q")
        if q > self.p_clear - self.error_bound:
            return math.inf
        for piece in self._pieces:
            end = piece.t1 if math.isfinite(piece.t1) else math.inf
            if math.isfinite(end) and _mixture(piece, end - piece.t0) < q:
                continue
            if piece.cleared[0] >= q:
                return piece.t0
            lo, hi = 0.0, (end - piece.t0) if math.isfinite(end) else 1.0
            while math.isinf(end) and _mixture(piece, hi) < q:
                hi *= 2.0
            for _ in range(200):
                mid = 0.5 * (lo + hi)
                if _mixture(piece, mid) < q:
                    lo = mid
                else:
                    hi = mid
                if hi - lo <= 1e-13 * max(piece.t0 + hi, 1e-300):
                    break
            return piece.t0 + hi
        return math.inf

    def median(self) -> float:
        """Median years to clear."""
        return self.ppf(0.5)

    def interval(self, confidence: float = 0.9) -> tuple[float, float]:
        """Central interval of the years to clear holding ``confidence`` of the probability.

        It covers chance alone: who is released, arrested and dies when, for these inputs.
        """
        confidence = check_probability(confidence, "confidence")
        tail = (1.0 - confidence) / 2.0
        return self.ppf(tail), self.ppf(1.0 - tail)

    def mean(self) -> float:
        """Expected years to clear (``inf`` if the stock may never clear).

        Computed exactly from the pieces, without quadrature.

        Raises
        ------
        ValueError
            If the distribution was cut at a horizon with probability still held.
        """
        if self.p_unresolved > max(self.error_bound, 1e-9):
            raise ValueError(
                f"the mean needs the whole distribution, but {self.p_unresolved:.3g} of the "
                f"probability is still held at the horizon of {self.horizon:g} years"
            )
        if self.p_clear < 1.0 - max(self.error_bound, 1e-9):
            return math.inf
        from scipy.stats import poisson

        total = 0.0
        for piece in self._pieces:
            survive = 1.0 - piece.cleared
            if piece.lam == 0:
                if math.isfinite(piece.t1):
                    total += survive[0] * (piece.t1 - piece.t0)
                continue
            if math.isinf(piece.t1):
                total += float(survive.sum()) / piece.lam
            else:
                j = np.arange(survive.size)
                tail = poisson.sf(j, piece.lam * (piece.t1 - piece.t0))
                total += float(np.dot(survive, tail)) / piece.lam
        return total

    # -- tables and citations -----------------------------------------------------------------
    def to_frame(self, times: FloatArray | None = None) -> pd.DataFrame:
        """The cdf on a grid of years: columns ``years``, ``p_cleared``, ``p_held``."""
        import pandas as pd

        if times is None:
            end = self.horizon if math.isfinite(self.horizon) else self.ppf(1 - 1e-6)
            end = end if math.isfinite(end) else self.horizon
            times = np.linspace(0.0, end, 201)
        cdf = np.asarray(self.cdf(np.asarray(times, dtype=np.float64)))
        return pd.DataFrame({"years": times, "p_cleared": cdf, "p_held": 1.0 - cdf})

    @property
    def frame(self) -> pd.DataFrame:
        """:meth:`to_frame` on the default grid."""
        return self.to_frame()

    @property
    def provenance(self) -> dict[str, Any]:
        """Inputs, method and version, JSON-safe, with a short hash."""
        from .scenario import _rule_record

        s = self.scenario
        return make_provenance(
            method=self.method,
            inputs={
                "stock": s.stock,
                "release_rate": _rule_record(s.release_rate),
                "arrest_rate": _rule_record(s.arrest_rate),
                "death_rate": s.death_rate,
                "start": s.start,
            },
            sources=s.sources,
            horizon=self.horizon,
            label=s.name,
        )

    def cite(self, confidence: float = 0.9) -> str:
        """A sentence with the median, an interval that says what it covers, and the method."""
        low, high = self.interval(confidence)
        level = f"{confidence:.0%}"
        record = self.provenance
        median = self.median()
        if math.isinf(median):
            head = (
                f"The stock clears with probability {self.p_clear:.3g} only, so the median "
                "time to clear is never"
            )
        else:
            head = (
                f"Median time to clear {format_number(median, 'years')}; with {level} "
                f"probability between {format_number(low, 'years')} and "
                f"{format_number(high, 'years')} (chance alone: who is released, arrested and "
                "dies when, for fixed inputs)"
            )
        return f"{head}. amnesty_model {__version__}, {self.method}, provenance {record['hash']}."


def _mixture(piece: _Piece, u: float) -> float:
    """The cdf ``u`` years into ``piece``."""
    c = piece.cleared
    if piece.lam == 0 or u <= 0 or c.size == 1:
        return float(c[0])
    mean = piece.lam * u
    from scipy.stats import poisson

    n = c.size
    lo = max(0, int(mean - 40.0 * math.sqrt(mean) - 40))
    hi = min(n, int(mean + 40.0 * math.sqrt(mean) + 40))
    if lo >= n:
        return float(c[-1])
    j = np.arange(lo, hi)
    w = poisson.pmf(j, mean)
    beyond = float(poisson.sf(hi - 1, mean))
    # Mix the increments over c_0, so that a piece in which nothing clears stays at c_0 exactly.
    return float(c[0] + np.dot(w, c[lo:hi] - c[0]) + beyond * (c[-1] - c[0]))


def _rates_at(scenario: Scenario, t: float, t1: float) -> tuple[float, float, float]:
    """Arrest rate, count release rate and per-person hazard on ``[t, t1)``."""
    arr = scenario.arrest_rate
    a = float(arr.rate(np.array([t]))[0]) if isinstance(arr, Schedule) else float(arr)
    rel = scenario.release_rate
    k = scenario.death_rate
    r = 0.0
    if isinstance(rel, Proportional):
        k += rel.fraction
    elif isinstance(rel, Schedule):
        r = float(rel.rate(np.array([t]))[0])
    elif isinstance(rel, Geometric):
        g = rel.growth
        span = t1 - t
        if g == 0 or span == 0:
            r = rel.initial * math.exp(g * t)
        else:
            r = rel.initial * math.exp(g * t) * math.expm1(g * span) / (g * span)
    elif isinstance(rel, float):
        r = rel
    return a, r, k


def _breaks(scenario: Scenario) -> list[float]:
    out: list[float] = []
    for rule in (scenario.release_rate, scenario.arrest_rate):
        if isinstance(rule, Schedule):
            out.extend(rule.starts[1:])
    return sorted(set(out))


@suggest_keywords
def clear_time_distribution(
    scenario: Scenario,
    *,
    horizon: float | None = None,
    tol: float = _TOL,
) -> ClearTimeDistribution:
    r"""The distribution of the years until no one is held, for whole people, any scenario.

    People are whole numbers; arrests and count releases are Poisson processes; each person held
    dies (and, under :class:`~amnesty_model.Proportional`, is released) at a constant hazard;
    decrees release ``min(R, held)`` at their dates. The forward equation of this chain is
    solved exactly by uniformisation (see the module notes and ``docs/methods.md``).

    Parameters
    ----------
    scenario : Scenario
        Any scenario. Its ``stock`` and a decree's ``size`` must be whole numbers.
    horizon : float or None, default None
        Years to compute the distribution to [years], ``> 0``. Default: until less than ``tol``
        probability is left still held — or, when the deterministic stock never clears,
        1,000 years.
    tol : float, default 1e-13
        Probability neglected in each truncation, in ``(0, 1e-3]``.

    Returns
    -------
    ClearTimeDistribution

    Raises
    ------
    ValueError
        For a stock or decree size that is not whole, or when the work needed (jumps of the
        chain times states) would exceed about a minute: the message gives the estimate and
        suggests a horizon, :func:`~amnesty_model.first_passage` or
        :func:`~amnesty_model.simulate`.

    Notes
    -----
    Accuracy: every probability to within :attr:`ClearTimeDistribution.error_bound`
    (``≈ 10·tol`` plus rounding), checked in the tests against
    :func:`~amnesty_model.first_passage` (no deaths), the hypoexponential law of a pure-death
    chain, the law of the last of ``n`` exponential lifetimes, and simulation.

    Examples
    --------
    200 held, 20 released and 5 arrested a year, 2 % dying: the deterministic answer is
    ``ln(1 + 0.02·200/15)/0.02 = 11.8`` years; chance spreads it over about two years.

    >>> import amnesty_model as am
    >>> d = clear_time_distribution(am.Scenario(200, 20.0, 5.0, death_rate=0.02))
    >>> round(d.median(), 2), round(d.mean(), 2)
    (11.77, 11.81)
    """
    from .scenario import Scenario

    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario, got {describe(scenario)}")
    tol = check_number(tol, "tol", strict=True)
    if tol > 1e-3:
        raise ValueError(f"tol must be in (0, 1e-3], got {tol!r}")
    stock = _whole(scenario.stock, "stock")
    rel = scenario.release_rate
    below = math.ceil(rel.clear_below) if isinstance(rel, Proportional) else 1
    decree_size = _whole(rel.size, "size") if isinstance(rel, Decrees) else 0
    geometric = isinstance(rel, Geometric)
    deterministic = scenario.time_to_clear()
    if horizon is None:
        end = _NEVER_HORIZON if math.isinf(deterministic) else math.inf
        if geometric and rel.growth < 0 and math.isinf(end):  # type: ignore[union-attr]
            end = math.inf
    else:
        end = check_number(horizon, "horizon", strict=True)
    method = "exact (uniformised birth–death chain)"
    if geometric:
        method = "numerical (uniformised birth–death chain, release rate averaged over steps)"
    start_state = max(stock - below, -1)
    if start_state < 0:
        at_once = (_Piece(0.0, math.inf, 0.0, np.array([1.0])),)
        return ClearTimeDistribution(scenario, method, math.inf, 1.0, 0.0, 0.0, at_once)

    _estimate_cost(scenario, stock, deterministic, end)
    chain = _Chain(below=below, p=np.zeros(start_state + 1), lo=start_state, hi=start_state)
    chain.p[start_state] = 1.0
    breaks = _breaks(scenario)
    decrees = rel if isinstance(rel, Decrees) else None
    next_decree = decrees.first if decrees is not None else math.inf
    pieces: list[_Piece] = []
    t = 0.0
    unresolved = 0.0
    never = 0.0
    while True:
        if chain.held_mass() < tol:
            break
        if t >= end:
            unresolved = chain.held_mass()
            a, r, k = _rates_at(scenario, t, t + 1.0)
            if (
                k == 0
                and a > r
                and decrees is None
                and not geometric
                and t >= max(breaks, default=0)
            ):
                # Arrests outpace releases from here on: what is held clears later only with
                # the gambler's-ruin probability; the rest never does.
                clearable = _clearable(chain, a, r)
                never, unresolved = unresolved - clearable, clearable
            break
        # A decree at t releases min(R, S) at once.
        if decrees is not None and next_decree <= t:
            _pulse(chain, decree_size)
            next_decree = t + decrees.every
            if chain.held_mass() < tol:
                break
        t1 = min([b for b in breaks if b > t] + [next_decree, end])
        if geometric:
            g = rel.growth  # type: ignore[union-attr]
            t1 = min(t1, t + _GEOMETRIC_STEP / max(abs(g), 1e-300))
        a, r, k = _rates_at(scenario, t, t1)
        if a == 0 and r == 0 and k == 0:
            # Nothing moves until the next decree or rate change.
            if math.isinf(t1):
                never = chain.held_mass()
                break
            pieces.append(_Piece(t, t1, 0.0, np.array([chain.cleared])))
            t = t1
            continue
        if math.isinf(t1):
            # Constant rates from here on: pieces of about _CHUNK jumps until (almost) no one
            # is held — or, with arrests outpacing releases and no per-person hazard, until
            # what is still held would clear with probability below tol.
            if k == 0 and a > r and _clearable(chain, a, r) < tol:
                never = chain.held_mass()
                break
            t1 = t + _CHUNK / (a + r + k * chain.top())
        cap = _cap_for(chain, a, k, t1 - t)
        chain.ensure(cap)
        lam = a + r + k * cap
        jumps = _jumps_needed(lam * (t1 - t), tol)
        _check_cost(chain, jumps, scenario)
        weights = _poisson_weights(lam * (t1 - t), jumps + 1)
        c = _evolve(chain, a=a, r=r, k=k, lam=lam, jumps=jumps, cap=cap, weights=weights)
        pieces.append(_Piece(t, t1, lam, c))
        t = t1
    pieces.append(_Piece(t, math.inf, 0.0, np.array([chain.cleared])))
    # Beyond a finite horizon the fate of those still held is unknown: p_clear counts only
    # what has cleared by then.
    p_clear = chain.cleared if unresolved > tol else 1.0 - never
    # Truncations, plus rounding: each jump adds to the absorbed mass with ~1 ulp of error.
    error = 10.0 * tol + chain.lost + 4.0 * np.finfo(float).eps * (chain.jumps + 1)
    return ClearTimeDistribution(
        scenario=scenario,
        method=method,
        horizon=end,
        p_clear=min(1.0, max(0.0, p_clear)),
        p_unresolved=unresolved,
        error_bound=error,
        _pieces=tuple(pieces),
    )


def _pulse(chain: _Chain, size: int) -> None:
    """A decree: ``min(size, S)`` released at once."""
    if size == 0:
        return
    p = chain.p
    cut = min(size, chain.hi + 1)  # states below + i with i < size reach below - 1 or less
    if cut > chain.lo:
        chain.cleared += float(p[chain.lo : cut].sum())
    kept = p[max(chain.lo, size) : chain.hi + 1].copy()
    p[chain.lo : chain.hi + 1] = 0.0
    if kept.size == 0:
        chain.lo = chain.hi = 0
        return
    new_lo = max(chain.lo, size) - size
    p[new_lo : new_lo + kept.size] = kept
    chain.lo, chain.hi = new_lo, new_lo + kept.size - 1


def _clearable(chain: _Chain, a: float, r: float) -> float:
    """Probability held now that will still clear (constant rates, a > r, no hazard)."""
    if r == 0:
        return 0.0
    states = chain.below + np.arange(chain.lo, chain.hi + 1, dtype=np.float64)
    held = chain.p[chain.lo : chain.hi + 1]
    # From s the walk reaches s - 1 with probability r / a, so the clearing level with (r/a)^s.
    return float(np.dot(held, np.exp((states - chain.below + 1) * math.log(r / a))))


def _estimate_cost(scenario: Scenario, stock: int, deterministic: float, end: float) -> None:
    """Refuse, before starting, a computation that would take more than about a minute."""
    span = min(end, deterministic * 1.5 + 1.0) if math.isfinite(deterministic) else end
    r0, a = scenario.initial_rates()
    k = scenario.death_rate + (
        scenario.release_rate.fraction if isinstance(scenario.release_rate, Proportional) else 0.0
    )
    if isinstance(scenario.release_rate, Decrees):
        r0 = 0.0
    top = stock + a * span
    jumps = (a + k * top) * span + (stock + a * span if r0 > 0 else 0.0)
    width = 40.0 * math.sqrt(top + 1.0) + 80.0
    if jumps > _MAX_JUMPS or jumps * width > _MAX_WORK:
        _raise_cost(jumps, jumps * width, scenario)


def _check_cost(chain: _Chain, jumps: int, scenario: Scenario) -> None:
    width = chain.hi - chain.lo + 1 + 2 * math.sqrt(jumps)
    if chain.jumps + jumps > _MAX_JUMPS or chain.work + jumps * width > _MAX_WORK:
        _raise_cost(chain.jumps + jumps, chain.work + jumps * width, scenario)


def _raise_cost(jumps: float, work: float, scenario: Scenario) -> None:
    raise ValueError(
        f"the state-space distribution of {describe(scenario)} needs about {jumps:,.0f} jumps "
        f"over {work:,.3g} state updates, more than this method does (about a minute): give a "
        "shorter horizon, use am.first_passage for constant rates without deaths, or "
        "am.simulate"
    )
