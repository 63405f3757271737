r"""Scenarios whose numbers are uncertain, and how sure an answer is.

Any number of a scenario — ``stock``, ``release_rate``, ``arrest_rate``, ``death_rate``, or a
number inside a rule (a decree's ``size`` or ``every``, a ``Proportional`` fraction, a
``Geometric`` initial rate or growth, a ``Schedule``'s rates) — may be given as an
:class:`Uncertain` value:

* :func:`between` ``(low, high)``: uniform between the two ends;
* ``Uncertain(dist)``: any frozen :mod:`scipy.stats` distribution (an object with ``ppf``);
* ``Uncertain(rate_estimate)`` or a :class:`~amnesty_model.RateEstimate` given directly as a
  rate: the rate's Jeffreys posterior, a gamma distribution
  (:meth:`RateEstimate.distribution <amnesty_model.RateEstimate.distribution>`), whose central
  interval lies inside the estimate's Garwood interval.

An :class:`UncertainScenario` holds them; a rule with uncertain numbers is an
:class:`UncertainRule`. The uncertain numbers are independent. ``draw(n, seed)`` maps the first
``n`` points of a scrambled Sobol' sequence (:class:`scipy.stats.qmc.Sobol`, seeded) through
each value's quantile function and returns ordinary, validated
:class:`~amnesty_model.Scenario` objects (stocks and decree sizes rounded to whole people).

Three answers say what they cover:

* :meth:`UncertainScenario.project` — bands of people held (released, died) over time, over
  the inputs' uncertainty;
* :meth:`UncertainScenario.time_to_clear` — an interval of the years to clear over the
  inputs' uncertainty (each draw's deterministic answer);
* :func:`how_sure` — three intervals: chance alone (at the median inputs), the inputs alone,
  and both together.
"""

from __future__ import annotations

import math
import time as _time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import (
    FloatArray,
    check_number,
    check_positive_int,
    check_probability,
    describe,
    suggest_keywords,
)
from ._version import __version__
from .provenance import format_number, make_provenance
from .rates import RateEstimate
from .rules import Decrees, Geometric, Proportional, Schedule

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from .scenario import Scenario

__all__ = [
    "ClearInterval",
    "HowSure",
    "Uncertain",
    "UncertainProjection",
    "UncertainRule",
    "UncertainScenario",
    "between",
    "how_sure",
]

_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_INPUTS = "the inputs' uncertainty"
_CHANCE = "chance alone (who is released, arrested and dies when, for fixed inputs)"
_BOTH = "the inputs' uncertainty and chance together"
_SOBOL = "scrambled Sobol' draws of the inputs (scipy.stats.qmc)"
#: Most (draws × decrees) cells the closed form of a decree projection may fill.
_MAX_DECREE_CELLS = 20_000_000
#: Seconds the chance part of :func:`how_sure` may spend on exact laws before simulating.
_EXACT_BUDGET = 20.0


# --------------------------------------------------------------------------------------------
# Uncertain values


@dataclass(frozen=True, eq=False)
class Uncertain:
    """An uncertain number: a distribution standing in for a number of a scenario.

    Parameters
    ----------
    dist : frozen scipy.stats distribution, or RateEstimate
        Anything with a ``ppf`` (quantile) method, or a
        :class:`~amnesty_model.RateEstimate`, which stands for its Jeffreys posterior (a gamma
        distribution; see :meth:`RateEstimate.distribution
        <amnesty_model.RateEstimate.distribution>`).

    Examples
    --------
    >>> from scipy import stats
    >>> import amnesty_model as am
    >>> am.Uncertain(stats.norm(1_000, 50)).median()
    1000.0
    >>> am.Uncertain(am.rate_from_count(523, days=26))  # doctest: +ELLIPSIS
    Uncertain(gamma (Jeffreys posterior of 523 in 26 days), median 7,...)
    """

    dist: Any
    record: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        from .uncertainty import _describe_distribution

        value = self.dist
        if isinstance(value, RateEstimate):
            object.__setattr__(self, "dist", value.distribution())
            record = {
                "distribution": "gamma (Jeffreys posterior of a Poisson count)",
                "count": value.count,
                "days": value.days,
                "rate_provenance": value.provenance.get("hash"),
            }
            object.__setattr__(self, "record", record)
            return
        if not callable(getattr(value, "ppf", None)):
            raise TypeError(
                "Uncertain needs a frozen scipy.stats distribution (an object with a ppf "
                f"method) or a RateEstimate, got {describe(value)} ({type(value).__name__}); "
                "for a range use am.between(low, high)"
            )
        if self.record is None:
            object.__setattr__(self, "record", _describe_distribution(value))

    def ppf(self, u: FloatArray) -> FloatArray:
        """Values at probabilities ``u`` (the quantile function)."""
        return np.asarray(self.dist.ppf(u), dtype=np.float64)

    def median(self) -> float:
        """The median value."""
        return float(self.dist.ppf(0.5))

    def _label(self) -> str:
        rec = self.record
        if isinstance(rec, dict) and "interval" in rec:
            low, high = rec["interval"]
            return f"between {format_number(low)} and {format_number(high)}"
        if isinstance(rec, dict) and "count" in rec:
            days = format_number(float(rec["days"]))
            return f"gamma (Jeffreys posterior of {rec['count']:,} in {days} days)"
        if isinstance(rec, dict):
            return str(rec.get("distribution", "a distribution"))
        return "a distribution"

    def __repr__(self) -> str:
        return f"Uncertain({self._label()}, median {format_number(self.median())})"


def between(low: float, high: float) -> Uncertain:
    """An uncertain number, uniform between ``low`` and ``high`` (same unit as the number).

    Parameters
    ----------
    low, high : float
        The ends, finite, ``low < high``.

    Examples
    --------
    >>> import amnesty_model as am
    >>> am.between(800, 1_200)
    Uncertain(between 800 and 1,200, median 1,000)
    >>> am.between(5, 1)
    Traceback (most recent call last):
    ...
    ValueError: between(low, high) needs low < high, got low=5.0, high=1.0
    """
    from scipy import stats

    lo = check_number(low, "low", minimum=-math.inf)
    hi = check_number(high, "high", minimum=-math.inf)
    if not lo < hi:
        raise ValueError(f"between(low, high) needs low < high, got low={lo!r}, high={hi!r}")
    return Uncertain(
        stats.uniform(loc=lo, scale=hi - lo), {"distribution": "uniform", "interval": [lo, hi]}
    )


_RULES: dict[str, type] = {
    "Decrees": Decrees,
    "Proportional": Proportional,
    "Geometric": Geometric,
    "Schedule": Schedule,
}


@dataclass(frozen=True, eq=False, init=False)
class UncertainRule:
    """A release rule (or arrest schedule) some of whose numbers are :class:`Uncertain`.

    Parameters
    ----------
    rule : type
        :class:`~amnesty_model.Decrees`, :class:`~amnesty_model.Proportional`,
        :class:`~amnesty_model.Geometric` or :class:`~amnesty_model.Schedule`.
    *args, **kwargs
        The rule's arguments; any number, or any element of a ``Schedule``'s ``starts`` or
        ``rates``, may be :class:`Uncertain` (or a :class:`~amnesty_model.RateEstimate` for a
        schedule's rate).

    Examples
    --------
    >>> import amnesty_model as am
    >>> am.UncertainRule(am.Decrees, am.between(800, 1_200))
    UncertainRule(Decrees, size=Uncertain(between 800 and 1,200, median 1,000))
    """

    rule: type
    kwargs: dict[str, Any]

    def __init__(self, rule: type, *args: Any, **kwargs: Any) -> None:
        import inspect

        if rule not in _RULES.values():
            raise TypeError(
                "rule must be am.Decrees, am.Proportional, am.Geometric or am.Schedule, "
                f"got {describe(rule)}"
            )
        try:
            bound = inspect.signature(rule).bind(*args, **kwargs)
        except TypeError as err:
            raise TypeError(f"UncertainRule({rule.__name__}, ...): {err}") from None
        given = dict(bound.arguments)
        for key, value in given.items():
            if isinstance(value, list | tuple):
                given[key] = tuple(_leaf(v) for v in value)
            else:
                given[key] = _leaf(value)
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "kwargs", given)

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"UncertainRule({self.rule.__name__}, {parts})"


def _leaf(value: object) -> Any:
    """A number stays a number; a RateEstimate becomes Uncertain."""
    if isinstance(value, RateEstimate):
        return Uncertain(value)
    return value


# --------------------------------------------------------------------------------------------
# Uncertain scenarios


def _seed(seed: object) -> int:
    from .uncertainty import _resolve_seed

    return _resolve_seed(seed)


@dataclass(frozen=True, eq=False, init=False)
class UncertainScenario:
    """A scenario some of whose numbers are :class:`Uncertain`.

    Parameters
    ----------
    stock, release_rate, arrest_rate, death_rate
        As for :class:`~amnesty_model.Scenario`; each number may also be an
        :class:`Uncertain` (:func:`between`, a distribution) and each rate a
        :class:`~amnesty_model.RateEstimate` (its Jeffreys posterior); ``release_rate`` and
        ``arrest_rate`` may be an :class:`UncertainRule`.
    start, name, sources, allow_extreme_death_rate
        As for :class:`~amnesty_model.Scenario`.

    Raises
    ------
    TypeError, ValueError
        As :class:`~amnesty_model.Scenario` does for the median inputs, which are checked on
        creation.

    Examples
    --------
    The report's decree case, with the size of each decree between 800 and 1,200:

    >>> import amnesty_model as am
    >>> u = am.UncertainScenario(132_000, am.UncertainRule(am.Decrees, am.between(800, 1_200)))
    >>> u.median_scenario().time_to_clear()
    132.0
    >>> [s.release_rate.size for s in u.draw(3, seed=1)]
    [914.0, 1162.0, 1010.0]
    """

    values: dict[str, Any]
    start: Any
    name: str | None
    sources: tuple[str, ...]
    allow_extreme_death_rate: bool
    _leaves: tuple[tuple[str, Uncertain], ...] = field(repr=False)

    def __init__(
        self,
        stock: Any,
        release_rate: Any = 0.0,
        arrest_rate: Any = 0.0,
        death_rate: Any = 0.0,
        *,
        start: Any = None,
        name: str | None = None,
        sources: Sequence[str] = (),
        allow_extreme_death_rate: bool = False,
    ) -> None:
        values = {
            "stock": _leaf_for(stock, "stock", rate=False),
            "release_rate": _leaf_for(release_rate, "release_rate", rate=True),
            "arrest_rate": _leaf_for(arrest_rate, "arrest_rate", rate=True),
            "death_rate": _leaf_for(death_rate, "death_rate", rate=False),
        }
        leaves: list[tuple[str, Uncertain]] = []
        for key, value in values.items():
            if isinstance(value, Uncertain):
                leaves.append((key, value))
            elif isinstance(value, UncertainRule):
                for arg, inner in value.kwargs.items():
                    if isinstance(inner, tuple):
                        leaves += [
                            (f"{key}.{arg}[{i}]", v)
                            for i, v in enumerate(inner)
                            if isinstance(v, Uncertain)
                        ]
                    elif isinstance(inner, Uncertain):
                        leaves.append((f"{key}.{arg}", inner))
        for leaf_name, leaf in leaves:
            lowest = float(leaf.ppf(np.array([0.0]))[0])
            if not leaf_name.endswith(".growth") and not lowest >= 0:
                raise ValueError(
                    f"{leaf_name} must be >= 0 in every draw, but its distribution reaches "
                    f"{lowest!r}; use a range or distribution on [0, inf) (e.g. am.between, "
                    "scipy.stats.lognorm, gamma or truncnorm)"
                )
        set_ = object.__setattr__
        set_(self, "values", values)
        set_(self, "start", start)
        set_(self, "name", name)
        set_(self, "sources", tuple(sources))
        set_(self, "allow_extreme_death_rate", allow_extreme_death_rate)
        set_(self, "_leaves", tuple(leaves))
        self.median_scenario()  # validates everything the way Scenario does

    # -- drawing -------------------------------------------------------------------------------
    @property
    def uncertain_names(self) -> list[str]:
        """The names of the uncertain numbers, e.g. ``["release_rate.size"]``."""
        return [name for name, _ in self._leaves]

    def _build(self, picks: dict[str, float]) -> Scenario:
        from .scenario import Scenario

        def pick(key: str, value: Any) -> Any:
            if isinstance(value, Uncertain):
                return picks[key]
            if isinstance(value, UncertainRule):
                kwargs: dict[str, Any] = {}
                for arg, inner in value.kwargs.items():
                    if isinstance(inner, tuple):
                        kwargs[arg] = [
                            picks[f"{key}.{arg}[{i}]"] if isinstance(v, Uncertain) else v
                            for i, v in enumerate(inner)
                        ]
                    else:
                        kwargs[arg] = pick(f"{key}.{arg}", inner)
                if value.rule is Decrees and "size" in kwargs:
                    kwargs["size"] = _whole(kwargs["size"])
                return value.rule(**kwargs)
            return value

        v = self.values
        return Scenario(
            stock=_whole(pick("stock", v["stock"])),
            release_rate=pick("release_rate", v["release_rate"]),
            arrest_rate=pick("arrest_rate", v["arrest_rate"]),
            death_rate=pick("death_rate", v["death_rate"]),
            start=self.start,
            name=self.name,
            sources=self.sources,
            allow_extreme_death_rate=self.allow_extreme_death_rate,
        )

    def median_scenario(self) -> Scenario:
        """The scenario with every uncertain number at its median."""
        return self._build({name: leaf.median() for name, leaf in self._leaves})

    def _sample(self, n: int, seed: int) -> dict[str, FloatArray]:
        from scipy.stats import qmc

        out: dict[str, FloatArray] = {}
        if not self._leaves:
            return out
        sobol = qmc.Sobol(len(self._leaves), scramble=True, rng=np.random.default_rng(seed))
        u = sobol.random_base2(max(0, math.ceil(math.log2(n))))[:n]
        for j, (name, leaf) in enumerate(self._leaves):
            values = np.broadcast_to(leaf.ppf(u[:, j]), (n,)).astype(np.float64)
            bad = ~np.isfinite(values)
            if bad.any():
                i = int(np.argmax(bad))
                raise ValueError(
                    f"{name} must be finite, but its distribution gives {values[i]!r} at "
                    f"probability {u[i, j]:.6g}; use a distribution with finite quantiles"
                )
            out[name] = values
        return out

    def draw(self, n: int, seed: int | np.random.Generator | None = None) -> list[Scenario]:
        """``n`` validated scenarios, one per quasi-random draw of the uncertain numbers.

        Parameters
        ----------
        n : int
            Number of draws, ``>= 1`` (a power of 2 balances the Sobol' points best).
        seed : int, numpy.random.Generator or None
            Seed of the scrambling: the same int gives the same scenarios.

        Raises
        ------
        ValueError
            If a draw is not a valid scenario (e.g. a negative rate): the message is
            :class:`~amnesty_model.Scenario`'s, naming the input.
        """
        n = check_positive_int(n, "n")
        sample = self._sample(n, _seed(seed))
        return [self._build({k: float(v[i]) for k, v in sample.items()}) for i in range(n)]

    def describe(self) -> str:
        """One line: the median scenario and which numbers are uncertain."""
        text = self.median_scenario().describe()
        if not self._leaves:
            return f"{text} (inputs taken as exact)"
        ranges = "; ".join(f"{name} {leaf._label()}" for name, leaf in self._leaves)
        return f"{text} at the median inputs ({ranges})"

    def inputs(self) -> dict[str, Any]:
        """JSON-safe record of the median inputs and each uncertain number's distribution."""
        return {
            "median": self.median_scenario().inputs(),
            "uncertain": {name: leaf.record for name, leaf in self._leaves},
        }

    # -- analyses ------------------------------------------------------------------------------
    def _draws(self, draws: object, seed: object) -> tuple[list[Scenario], int, int]:
        n = check_positive_int(draws, "draws")
        used = _seed(seed)
        sample = self._sample(n, used)
        scenarios = [self._build({k: float(v[i]) for k, v in sample.items()}) for i in range(n)]
        return scenarios, n, used

    def clear_times(self, draws: int = 1024, seed: int | None = None) -> FloatArray:
        """Each draw's deterministic years to clear (``inf``: never), in draw order."""
        scenarios, _, _ = self._draws(draws, seed)
        return _clear_times(scenarios)

    @suggest_keywords
    def time_to_clear(
        self, level: float = 0.9, *, draws: int = 1024, seed: int | None = None
    ) -> ClearInterval:
        """Interval of the years to clear over the inputs' uncertainty.

        Each draw of the inputs gives a deterministic time to clear; the interval holds the
        central ``level`` of them (sample quantiles).

        Parameters
        ----------
        level : float, default 0.9
            Share of the draws the interval holds, in (0, 1).
        draws : int, default 1024
            Number of quasi-random draws of the inputs.
        seed : int or None
            Seed of the scrambling (recorded in the provenance).

        Examples
        --------
        >>> import amnesty_model as am
        >>> u = am.UncertainScenario(132_000, am.UncertainRule(am.Decrees, am.between(800, 1_200)))
        >>> u.time_to_clear(seed=1)
        ClearInterval(132 years, 90 % interval 112–161 years; covers the inputs' uncertainty)
        """
        level = check_probability(level, "level")
        scenarios, n, used = self._draws(draws, seed)
        years = _clear_times(scenarios)
        return _interval(
            years,
            level,
            covers=_INPUTS,
            method=f"deterministic time to clear of each of {n:,} {_SOBOL}",
            record=self.inputs(),
            seed=used,
            draws=n,
            label=self.name,
        )

    @suggest_keywords
    def project(
        self,
        times: Any = None,
        *,
        draws: int = 1000,
        seed: int | None = None,
        quantiles: Sequence[float] = _QUANTILES,
    ) -> UncertainProjection:
        r"""Bands of people held, released and died over time, over the inputs' uncertainty.

        Parameters
        ----------
        times : array_like or None
            Years from the start [years], sorted, ``>= 0``. Default: 201 points from 0 to
            1.5 times the median scenario's time to clear (100 years if it never clears).
        draws : int, default 1000
            Number of quasi-random draws of the inputs.
        seed : int or None
            Seed of the scrambling (recorded in the provenance).
        quantiles : sequence of float, default (0.05, 0.25, 0.5, 0.75, 0.95)
            Probabilities of the bands.

        Notes
        -----
        Constant rates are computed for all draws at once in closed form: with
        :math:`S^* = (a - r)/\mu`, :math:`S(t) = S^* + (S_0 - S^*) e^{-\mu t}` until it reaches
        0 (:math:`S_0 + (a - r) t` without deaths), held at 0 after. Rules go through the
        exact stepping of :meth:`Scenario.project <amnesty_model.Scenario.project>` draw by
        draw (a ``Geometric`` release through its ODE solver).

        Examples
        --------
        >>> import amnesty_model as am
        >>> u = am.UncertainScenario(132_000, am.between(800, 1_200))
        >>> bands = u.project(times=[0, 50, 100], draws=256, seed=1)
        >>> bands.frame.round(-2)
                   0.05      0.25      0.50      0.75      0.95
        years
        0.0    132000.0  132000.0  132000.0  132000.0  132000.0
        50.0    73000.0   77000.0   82000.0   87000.0   91000.0
        100.0   14000.0   22000.0   32000.0   41900.0   50000.0
        """
        import pandas as pd

        given: object = quantiles
        if isinstance(given, str | bytes) or not isinstance(given, Sequence | np.ndarray):
            raise TypeError(
                f"quantiles must be a sequence of probabilities, got {describe(given)} "
                f"({type(given).__name__})"
            )
        if len(given) == 0:
            raise ValueError("quantiles must hold at least one probability, got none")
        levels = sorted({check_probability(q, "quantiles") for q in given})
        scenarios, n, used = self._draws(draws, seed)
        grid = _grid(times, self.median_scenario())
        held, released, died, method = _paths(scenarios, grid)
        index = pd.Index(grid, name="years")

        def bands(values: FloatArray) -> pd.DataFrame:
            q = np.quantile(values, levels, axis=0).T
            return pd.DataFrame(q, index=index, columns=pd.Index(levels))

        provenance = make_provenance(
            method=f"{method}, {n:,} {_SOBOL}",
            inputs=self.inputs(),
            sources=self.sources,
            seed=used,
            draws=n,
            quantiles=levels,
            grid={"start": float(grid[0]), "end": float(grid[-1]), "points": grid.size},
            label=self.name,
        )
        return UncertainProjection(
            held=bands(held),
            released=bands(released),
            died=bands(died),
            draws=n,
            method=f"{method}, {n:,} {_SOBOL}",
            provenance=provenance,
            describe=self.describe(),
        )

    def __repr__(self) -> str:
        name = f"{self.name!r}, " if self.name else ""
        return f"UncertainScenario({name}{self.describe()})"


def _leaf_for(value: object, name: str, rate: bool) -> Any:
    if isinstance(value, RateEstimate):
        if not rate:
            raise TypeError(
                f"{name} cannot be a RateEstimate (a count per year), which is not its unit; "
                "give a number, am.between(low, high) or am.Uncertain(distribution)"
            )
        return Uncertain(value)
    if isinstance(value, tuple | list) and len(value) == 2:
        raise TypeError(
            f"{name} got a pair {describe(value)}; write am.between(low, high) for a range"
        )
    return value


def _whole(value: object) -> Any:
    """Round a drawn count of people to whole people (numbers pass, others are left alone)."""
    if isinstance(value, float | int) and math.isfinite(value):
        return float(round(float(value)))
    return value


def _as_uncertain(value: object) -> UncertainScenario:
    from .scenario import Scenario

    if isinstance(value, UncertainScenario):
        return value
    if isinstance(value, Scenario):
        return UncertainScenario(
            value.stock,
            value.release_rate,
            value.arrest_rate,
            value.death_rate,
            start=value.start,
            name=value.name,
            sources=value.sources,
            allow_extreme_death_rate=value.allow_extreme_death_rate,
        )
    raise TypeError(
        f"scenario must be a Scenario or an UncertainScenario, got {describe(value)} "
        f"({type(value).__name__})"
    )


def _clear_times(scenarios: Sequence[Scenario]) -> FloatArray:
    from .clear import time_to_clear

    if all(s.is_constant for s in scenarios):
        return np.atleast_1d(
            np.asarray(
                time_to_clear(
                    np.array([s.stock for s in scenarios]),
                    np.array([s.release_rate for s in scenarios], dtype=np.float64),
                    np.array([s.arrest_rate for s in scenarios], dtype=np.float64),
                    death_rate=np.array([s.death_rate for s in scenarios]),
                    allow_extreme_death_rate=True,
                ),
                dtype=np.float64,
            )
        )
    return np.array([s.time_to_clear() for s in scenarios], dtype=np.float64)


def _grid(times: object, median: Scenario) -> FloatArray:
    if times is None:
        end = median.time_to_clear()
        end = 100.0 if not math.isfinite(end) or end <= 0 else 1.5 * end
        return np.linspace(0.0, end, 201)
    try:
        grid = np.asarray(times, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise TypeError(f"times must be a sequence of years, got {describe(times)}") from None
    if grid.size == 0 or not np.isfinite(grid).all() or (grid < 0).any():
        raise ValueError(
            f"times must be a non-empty sequence of finite years >= 0, got {describe(times)}"
        )
    if (np.diff(grid) < 0).any():
        raise ValueError(f"times must be sorted in increasing order, got {describe(times)}")
    return grid


def _paths(
    scenarios: Sequence[Scenario], grid: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, str]:
    """Held, released and died (draws × times) and how they were computed."""
    if all(s.is_constant for s in scenarios):
        s0 = np.array([s.stock for s in scenarios])[:, None]
        r = np.array([s.release_rate for s in scenarios], dtype=np.float64)[:, None]
        a = np.array([s.arrest_rate for s in scenarios], dtype=np.float64)[:, None]
        mu = np.array([s.death_rate for s in scenarios])[:, None]
        return (*_constant_paths(s0, r, a, mu, grid[None, :]), "closed form")
    n, m = len(scenarios), grid.size
    if all(
        isinstance(s.release_rate, Decrees) and isinstance(s.arrest_rate, float) for s in scenarios
    ):
        decrees = [s.release_rate for s in scenarios]
        assert all(isinstance(d, Decrees) for d in decrees)
        every = np.array([d.every for d in decrees])  # type: ignore[union-attr]
        first = np.array([d.first for d in decrees])  # type: ignore[union-attr]
        count = _decrees_by(np.full_like(first, grid[-1]), first, every)
        if float(count.max()) * n <= _MAX_DECREE_CELLS:
            column = np.array
            return (
                *_decree_paths(
                    column([s.stock for s in scenarios])[:, None],
                    column([d.size for d in decrees])[:, None],  # type: ignore[union-attr]
                    every[:, None],
                    first[:, None],
                    column([s.arrest_rate for s in scenarios], dtype=np.float64)[:, None],
                    column([s.death_rate for s in scenarios])[:, None],
                    grid[None, :],
                    int(count.max()),
                ),
                "closed form between decrees",
            )
    reflected = _reflected_paths(scenarios, grid)
    if reflected is not None:
        return (*reflected, "closed form (piecewise-linear stock held at 0 when empty)")
    held, released, died = np.empty((n, m)), np.empty((n, m)), np.empty((n, m))
    from .engine import solve_exact, solve_ode

    method = "exact stepping"
    for i, s in enumerate(scenarios):
        with np.errstate(over="ignore", invalid="ignore"):
            if isinstance(s.release_rate, Geometric):
                path = solve_ode(s, grid)
                method = "ODE (scipy.integrate.solve_ivp)"
            else:
                path = solve_exact(s, grid)
        held[i], released[i], died[i] = path.held, path.released, path.died
    return held, released, died, method


def _reflected_paths(
    scenarios: Sequence[Scenario], grid: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray] | None:
    r"""Held, released, died for piecewise-constant rates without deaths, or ``None``.

    With :math:`X(t) = S_0 + A(t) - R(t)` (cumulative arrests and releases, piecewise linear),
    the stock held at 0 while releases outpace arrests is the reflected path
    :math:`S(t) = X(t) - \min(0, \min_{s \le t} X(s))`, whose running minimum is reached at a
    change of rate or at ``t``. Needs the same change times in every draw.
    """
    first = scenarios[0]

    def starts(rule: object) -> tuple[float, ...]:
        return rule.starts if isinstance(rule, Schedule) else (0.0,)

    def rates(rule: object) -> tuple[float, ...]:
        return rule.rates if isinstance(rule, Schedule) else (float(rule),)  # type: ignore[arg-type]

    plain = (float, Schedule)
    for s in scenarios:
        if (
            s.death_rate != 0
            or not isinstance(s.release_rate, plain)
            or not isinstance(s.arrest_rate, plain)
            or starts(s.release_rate) != starts(first.release_rate)
            or starts(s.arrest_rate) != starts(first.arrest_rate)
        ):
            return None
    knots = [*starts(first.release_rate), *starts(first.arrest_rate)]
    points = np.unique(np.concatenate([grid, [k for k in knots if k <= grid[-1]]]))
    where = np.searchsorted(points, grid)

    def cumulative(get: Callable[[Scenario], object]) -> FloatArray:
        begin = np.asarray(starts(get(first)))
        end = np.append(begin[1:], np.inf)
        r = np.array([rates(get(s)) for s in scenarios])  # draws × pieces
        covered = np.clip(points[:, None] - begin, 0.0, end - begin)  # points × pieces
        out: FloatArray = r @ covered.T
        return out

    s0 = np.array([s.stock for s in scenarios])[:, None]
    arrested = cumulative(lambda s: s.arrest_rate)
    free = s0 + arrested - cumulative(lambda s: s.release_rate)
    held = free - np.minimum(np.minimum.accumulate(free, axis=1), 0.0)
    held = np.maximum(held, 0.0)[:, where]
    released = np.maximum(s0 + arrested[:, where] - held, 0.0)
    return held, released, np.zeros_like(held)


def _decrees_by(t: FloatArray, first: FloatArray, every: FloatArray) -> FloatArray:
    """How many decrees fall at or before ``t``, their times being ``first + every·j``.

    Counted on the same float times as :meth:`Decrees.times <amnesty_model.Decrees.times>`,
    so a time that equals a decree's up to rounding falls on the same side of it.
    """
    with np.errstate(invalid="ignore"):
        count = np.maximum(np.floor((t - first) / every) + 1.0, 0.0)
        count = np.where((count >= 1) & (first + every * (count - 1) > t), count - 1, count)
        count = np.where(first + every * count <= t, count + 1, count)
    return count


def _decree_paths(  # noqa: PLR0917 (one array per input of the closed form)
    s0: FloatArray,
    size: FloatArray,
    every: FloatArray,
    first: FloatArray,
    a: FloatArray,
    mu: FloatArray,
    t: FloatArray,
    decrees: int,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""Held, released, died under decrees with constant arrests and deaths (draws × times).

    Between decrees :math:`S' = a - \mu S`, so the stock is a sum of exponentials: before it
    first clears, :math:`S(t) = S^* + (S_0 - S^*) e^{-\mu t} - R \sum_{t_j \le t}
    e^{-\mu (t - t_j)}` with :math:`S^* = a/\mu` (:math:`S_0 + a t - N(t) R` without deaths).
    Just before decree ``k`` it is :math:`x_k = C_0 + C_1 c^{k-1}`, :math:`c = e^{-\mu\Delta}`,
    monotone in ``k``; the first ``k`` with :math:`x_k \le R` is the clearing decree. After
    it, the stock restarts from 0 (emptied by each decree if the arrivals between two decrees
    are at most ``R``). Deaths follow from the balance: died = S0 + arrested − released − held.
    """
    rtol = 1.0 + 1e-12  # the boundary rule of the exact stepping: a decree of exactly S clears
    dying = mu > 0
    safe = np.where(dying, mu, 1.0)

    def grow(u: FloatArray) -> FloatArray:
        """Stock after ``u`` years from 0, with arrests and deaths only."""
        return np.where(dying, a / safe * -np.expm1(-safe * u), a * u)

    def pulses(count: FloatArray, since_last: FloatArray) -> FloatArray:
        """Sum of ``e^{-μ·age}`` over ``count`` decrees ``Δ`` apart, newest ``since_last`` old."""
        ratio = np.where(dying, np.expm1(-safe * every * count) / np.expm1(-safe * every), count)
        return np.where(count > 0, np.exp(-mu * since_last) * ratio, 0.0)

    def before(u: FloatArray) -> FloatArray:
        """The stock at ``u`` with no decree yet (from S0)."""
        return np.where(dying, s0 * np.exp(-safe * u), s0) + grow(u)

    # x_k, the stock just before decree k, for k = 1..decrees (draws × decrees).
    k = np.arange(1, max(decrees, 1) + 1, dtype=np.float64)[None, :]
    t_k = first + (k - 1) * every
    x = before(t_k) - size * pulses(k - 1, every)
    hits = x <= size * rtol
    cleared_any = hits.any(axis=1, keepdims=True) & (decrees > 0)
    k_star = np.where(cleared_any, np.argmax(hits, axis=1)[:, None] + 1.0, np.inf)
    x_star = np.take_along_axis(x, np.where(cleared_any, k_star - 1, 0).astype(np.intp), axis=1)
    t_star = first + (k_star - 1) * every
    refill = grow(every)  # arrivals alive at the next decree, from an empty stock
    periodic = refill <= size * rtol

    n_t = np.minimum(_decrees_by(t, first, every), decrees)
    t_last = first + (n_t - 1) * every
    since = np.where(n_t > 0, t - t_last, 0.0)
    pre = n_t < k_star
    held_pre = before(t) - size * pulses(n_t, since)
    after = np.where(pre, 0.0, n_t - k_star)  # decrees since the clearing one
    since_clear = np.where(pre, 0.0, t - t_star)
    held_post = np.where(periodic, grow(since), grow(since_clear) - size * pulses(after, since))
    held = np.maximum(np.where(pre, held_pre, held_post), 0.0)
    released = np.where(
        pre,
        size * n_t,
        size * (k_star - 1) + x_star + after * np.where(periodic, refill, size),
    )
    released = np.where(np.isfinite(released), released, size * n_t)
    died = np.where(dying, np.maximum(s0 + a * t - released - held, 0.0), 0.0)
    return held, released, died


def _constant_paths(
    s0: FloatArray, r: FloatArray, a: FloatArray, mu: FloatArray, t: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Closed-form held, released, died for constant rates, broadcast over draws × times."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        dying = mu > 0
        safe_mu = np.where(dying, mu, 1.0)
        star = (a - r) / safe_mu
        # The time to clear, inf when never: ln(1 + μ S0/(r − a))/μ, or S0/(r − a) without deaths.
        gap = r - a
        clears = (gap > 0) | (s0 <= 0)
        t_clear_mu = np.log1p(safe_mu * s0 / np.where(gap > 0, gap, 1.0)) / safe_mu
        t_clear_0 = s0 / np.where(gap > 0, gap, 1.0)
        t_clear = np.where(clears, np.where(dying, t_clear_mu, t_clear_0), np.inf)
        t_clear = np.where(s0 <= 0, 0.0, t_clear)
        tau = np.minimum(t, t_clear)
        held_mu = star + (s0 - star) * np.exp(-safe_mu * tau)
        held_0 = s0 + (a - r) * tau
        held = np.where(t >= t_clear, 0.0, np.maximum(np.where(dying, held_mu, held_0), 0.0))
        died_mu = mu * star * tau + (s0 - star) * -np.expm1(-safe_mu * tau)
        died = np.where(dying, np.maximum(died_mu, 0.0), 0.0)
    released = np.maximum(s0 + a * t - died - held, 0.0)
    return held, released, died


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, repr=False, eq=False)
class UncertainProjection:
    """Bands over time of people held, released and died, over the inputs' uncertainty.

    Attributes
    ----------
    held, released, died : pandas.DataFrame
        Indexed by ``years``, one column per quantile [people] (the layout of
        :func:`amnesty_model.plot.plot_bands`).
    draws : int
        Number of draws of the inputs.
    method : str
        How each draw's path was computed.
    provenance : dict
        Inputs, method, seed, version and hash.
    """

    held: pd.DataFrame
    released: pd.DataFrame
    died: pd.DataFrame
    draws: int
    method: str
    provenance: dict[str, Any]
    describe: str

    @property
    def frame(self) -> pd.DataFrame:
        """The bands of people held (same as :attr:`held`)."""
        return self.held

    def to_frame(self) -> pd.DataFrame:
        """All bands in one frame, columns ``(quantity, quantile)``."""
        import pandas as pd

        return pd.concat({"held": self.held, "released": self.released, "died": self.died}, axis=1)

    def cite(self) -> str:
        """A sentence saying what the bands cover, with the method and the provenance."""
        levels = [float(q) for q in self.held.columns]
        lo, hi = levels[0], levels[-1]
        p = self.provenance
        return (
            f"Bands of people held over time covering {_INPUTS} at "
            f"{100 * (hi - lo):.3g} % ({100 * lo:g}th–{100 * hi:g}th percentiles of "
            f"{self.draws:,} draws; chance is not included): {self.describe} "
            f"(amnesty_model {__version__}, {self.method}, seed {p.get('seed')}, "
            f"provenance {p['hash']})."
        )

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Plot the bands of people held (:func:`amnesty_model.plot.plot_bands`)."""
        from .plot import plot_bands

        kwargs.setdefault("covers", "input draws (the inputs' uncertainty)")
        out: Axes = plot_bands(self.held, ax=ax, **kwargs)
        return out

    def __repr__(self) -> str:
        return (
            f"UncertainProjection({self.held.shape[0]} times, {self.draws:,} draws; "
            f"covers {_INPUTS})"
        )


@dataclass(frozen=True, repr=False, eq=False)
class ClearInterval:
    """An interval of the years to clear, saying what it covers and at what level.

    Attributes
    ----------
    low, median, high : float
        The ends and middle [years] (``inf``: never).
    level : float
        Probability (or share of draws) between ``low`` and ``high``.
    covers : str
        What the spread covers: chance alone, the inputs' uncertainty, or both.
    method : str
        How it was computed.
    p_never : float
        Share (probability) of never clearing.
    provenance : dict
        Inputs, method, seed, version and hash.
    """

    low: float
    median: float
    high: float
    level: float
    covers: str
    method: str
    p_never: float
    provenance: dict[str, Any]

    @property
    def interval(self) -> tuple[float, float]:
        """``(low, high)`` [years]."""
        return (self.low, self.high)

    def _range(self) -> str:
        lo = format_number(self.low) if math.isfinite(self.low) else "never"
        hi = format_number(self.high, "years") if math.isfinite(self.high) else "never"
        if self.low == self.high:
            return "never" if math.isinf(self.low) else f"exactly {hi}"
        return f"{lo}–{hi}"

    def cite(self) -> str:
        """A sentence to paste: the figures, what they cover, the level, method and hash."""
        p = self.provenance
        mid = format_number(self.median, "years") if math.isfinite(self.median) else "never"
        never = f"; P(never) = {self.p_never:.3g}" if self.p_never > 0 else ""
        return (
            f"Median time to clear {mid}; {100 * self.level:g} % interval {self._range()} "
            f"(covers {self.covers}{never}). {p.get('describe', '')}"
            f"amnesty_model {__version__}, {self.method}, "
            + ("" if p.get("seed") is None else f"seed {p.get('seed')}, ")
            + f"provenance {p['hash']}."
        )

    def __repr__(self) -> str:
        mid = format_number(self.median, "years") if math.isfinite(self.median) else "never"
        return (
            f"ClearInterval({mid}, {100 * self.level:g} % interval {self._range()}; "
            f"covers {self.covers.split(' (')[0]})"
        )


def _interval(
    years: FloatArray,
    level: float,
    *,
    covers: str,
    method: str,
    record: Any,
    seed: int | None,
    draws: int,
    label: str | None,
) -> ClearInterval:
    from .uncertainty import _quantiles

    tail = (1.0 - level) / 2.0
    lo, mid, hi = _quantiles(years, [tail, 0.5, 1.0 - tail])
    p_never = float(np.mean(np.isinf(years)))
    provenance = make_provenance(
        method=method,
        inputs=record,
        seed=seed,
        draws=draws,
        level=level,
        covers=covers,
        result={"low": lo, "median": mid, "high": hi, "p_never": p_never},
        label=label,
    )
    return ClearInterval(lo, mid, hi, level, covers, method, p_never, provenance)


@dataclass(frozen=True, repr=False, eq=False)
class HowSure:
    """How sure the years to clear are: three intervals, each saying what it covers.

    Attributes
    ----------
    chance : ClearInterval
        Chance alone, at the median inputs (exact law).
    inputs : ClearInterval or None
        The inputs' uncertainty alone (each draw's deterministic answer); ``None`` when the
        inputs were taken as exact.
    both : ClearInterval
        Both together: for each draw of the inputs, one draw of its chance law. Equal to
        :attr:`chance` when the inputs were taken as exact.
    level : float
        The level of every interval.
    """

    chance: ClearInterval
    inputs: ClearInterval | None
    both: ClearInterval
    level: float
    description: str

    @property
    def reported(self) -> ClearInterval:
        """The interval to report: :attr:`both`."""
        return self.both

    def to_frame(self) -> pd.DataFrame:
        """One row per interval: low, median, high [years], what it covers, method."""
        import pandas as pd

        rows = {
            "chance": self.chance,
            "inputs": self.inputs,
            "both": self.both,
        }
        return pd.DataFrame(
            [
                {
                    "covers": r.covers,
                    "low": r.low,
                    "median": r.median,
                    "high": r.high,
                    "level": r.level,
                    "method": r.method,
                }
                for r in rows.values()
                if r is not None
            ],
            index=pd.Index([k for k, r in rows.items() if r is not None], name="interval"),
        )

    def cite(self) -> str:
        """The reported interval's sentence (both sources of uncertainty, when there are)."""
        return self.both.cite()

    def __repr__(self) -> str:
        lines = [f"HowSure({100 * self.level:g} % intervals of the years to clear;"]
        lines.append(f"  chance alone: {self.chance._range()}")
        if self.inputs is None:
            lines.append("  inputs alone: none (the inputs were taken as exact)")
        else:
            lines.append(f"  inputs alone: {self.inputs._range()}")
        lines.append(f"  both (reported): {self.both._range()})")
        return "\n".join(lines)


def _chance_law(s: Scenario) -> tuple[Any, str]:
    """The exact chance-only law of the clear time of ``s`` and its method."""
    from .birthdeath import clear_time_distribution
    from .passage import first_passage

    if s.is_constant and s.death_rate == 0:
        return (
            first_passage(s.stock, float(s.release_rate), float(s.arrest_rate)),  # type: ignore[arg-type]
            "exact first-passage law (am.first_passage)",
        )
    return clear_time_distribution(s), "exact state-space law (am.clear_time_distribution)"


@suggest_keywords
def how_sure(
    scenario: Any,
    level: float = 0.9,
    *,
    seed: int | None = None,
    draws: int = 256,
) -> HowSure:
    """How sure is the time to clear? Chance alone, the inputs alone, and both.

    Parameters
    ----------
    scenario : Scenario or UncertainScenario
        A plain scenario has exact inputs: only chance is reported (and ``both`` equals it).
    level : float, default 0.9
        Level of every interval, in (0, 1).
    seed : int or None
        Seed of the draws (recorded in each provenance).
    draws : int, default 256
        Draws of the inputs (for "inputs" and "both").

    Returns
    -------
    HowSure
        ``chance``, ``inputs`` and ``both`` intervals; ``both`` is the one to report.

    Notes
    -----
    *Chance alone* is the exact law of the clear time of whole people at the median inputs
    (:func:`~amnesty_model.first_passage` for constant rates without deaths, else
    :func:`~amnesty_model.clear_time_distribution`). *Inputs alone* are the quantiles of each
    draw's deterministic time to clear. *Both* is the mixture: draw ``i`` of the inputs gives
    one time ``F_i⁻¹(v_i)`` from its own chance law, with ``v_i`` independent uniforms; when
    the exact laws of all draws would take more than about 20 seconds, each draw is instead
    one simulated path (:func:`~amnesty_model.simulate`); when that too would take more than
    about 20 seconds, the chance deviation at the median inputs, ``F⁻¹(v_i) − T(median)``, is
    added to each draw's deterministic time (an approximation). The method says which.
    The chance part costs what :func:`~amnesty_model.clear_time_distribution` costs at the
    median inputs (20 s for 130,000 held with deaths; it refuses beyond about a minute, and
    1,000 simulated paths are used instead).

    Examples
    --------
    >>> import amnesty_model as am
    >>> u = am.UncertainScenario(132_000, am.UncertainRule(am.Decrees, am.between(800, 1_200)))
    >>> am.how_sure(u, seed=1, draws=64)
    HowSure(90 % intervals of the years to clear;
      chance alone: exactly 132 years
      inputs alone: 113–161 years
      both (reported): 113–161 years)
    """
    level = check_probability(level, "level")
    draws = check_positive_int(draws, "draws")
    unc = _as_uncertain(scenario)
    used = _seed(seed)
    tail = (1.0 - level) / 2.0
    median = unc.median_scenario()
    began = _time.perf_counter()
    chance_ppf: Callable[[FloatArray], FloatArray]
    try:
        law, law_method = _chance_law(median)
        lo, mid, hi = (float(law.ppf(q)) for q in (tail, 0.5, 1.0 - tail))
        p_clear = float(law.p_clear)
        chance_ppf = np.vectorize(lambda q: float(law.ppf(float(q))), otypes=[np.float64])
    except ValueError:  # the state-space method's cost check: simulate instead, and say so
        from .montecarlo import simulate
        from .uncertainty import _quantiles

        sim = simulate(median, paths=1000, seed=np.random.SeedSequence([used, 3]), grid=2)
        times = np.sort(np.asarray(sim.clear_times, dtype=np.float64))
        lo, mid, hi = _quantiles(times, [tail, 0.5, 1.0 - tail])
        p_clear = 1.0 - sim.censored_share

        def chance_ppf(q: FloatArray) -> FloatArray:
            return times[np.minimum((q * times.size).astype(np.intp), times.size - 1)]

        law_method = (
            f"1,000 simulated paths (am.simulate, {sim.provenance['method']}; the exact "
            "state-space law was too costly; never = not cleared within the simulated horizon)"
        )
    record = unc.inputs()
    record_chance = {**record, "at": "median inputs"}
    chance = ClearInterval(
        lo,
        mid,
        hi,
        level,
        _CHANCE,
        f"{law_method} at the median inputs",
        max(0.0, 1.0 - p_clear),
        make_provenance(
            method=law_method,
            inputs=record_chance,
            seed=None,
            level=level,
            covers=_CHANCE,
            result={"low": lo, "median": mid, "high": hi},
            label=unc.name,
        ),
    )
    if not unc._leaves:
        exact = "inputs taken as exact"
        chance = ClearInterval(
            lo,
            mid,
            hi,
            level,
            f"{_CHANCE}; {exact}",
            chance.method,
            chance.p_never,
            chance.provenance,
        )
        return HowSure(chance, None, chance, level, unc.describe())
    scenarios, n, _ = unc._draws(draws, used)
    years = _clear_times(scenarios)
    inputs = _interval(
        years,
        level,
        covers=_INPUTS,
        method=f"deterministic time to clear of each of {n:,} {_SOBOL}",
        record=record,
        seed=used,
        draws=n,
        label=unc.name,
    )
    v = np.random.default_rng([used, 1]).random(n)
    per_law = _time.perf_counter() - began
    mixed, how = _mixture(scenarios, v, used, per_law, years, median, chance_ppf)
    both = _interval(
        mixed,
        level,
        covers=_BOTH,
        method=f"mixture over {n:,} {_SOBOL}; per draw, {how}",
        record=record,
        seed=used,
        draws=n,
        label=unc.name,
    )
    return HowSure(chance, inputs, both, level, unc.describe())


def _mixture(  # noqa: PLR0917
    scenarios: Sequence[Scenario],
    v: FloatArray,
    seed: int,
    per_law: float,
    years: FloatArray,
    median: Scenario,
    chance_ppf: Callable[[FloatArray], FloatArray],
) -> tuple[FloatArray, str]:
    """One clear time per draw from its chance law, by the most exact affordable way.

    In order: the exact law of each draw; one simulated path per draw; the chance deviation at
    the median inputs added to each draw's deterministic time (an approximation, said so).
    ``per_law`` is the time the median's exact law took [s]; ``years`` the draws' deterministic
    times to clear.
    """
    n = len(scenarios)
    out = np.empty(n)
    q = np.clip(v, 1e-12, 1 - 1e-12)
    if per_law * n <= _EXACT_BUDGET:
        began = _time.perf_counter()
        try:
            for i, s in enumerate(scenarios):
                if i >= 2 and (_time.perf_counter() - began) / i * n > _EXACT_BUDGET:
                    raise ValueError("too slow")
                out[i] = float(_chance_law(s)[0].ppf(float(q[i])))
        except ValueError:  # too slow, or the state-space method's own cost check
            pass
        else:
            return (
                out,
                "a quantile of its exact chance law (first_passage / clear_time_distribution)",
            )
    from .montecarlo import simulate

    began = _time.perf_counter()
    for i, s in enumerate(scenarios):
        if i >= 1 and (_time.perf_counter() - began) / i * n > _EXACT_BUDGET:
            break
        sim = simulate(s, paths=1, seed=np.random.SeedSequence([seed, 2, i]), grid=2)
        out[i] = float(sim.clear_times[0])
    else:
        return out, (
            "one simulated path (am.simulate; the exact laws were too costly; never = not cleared "
            "within the simulated horizon)"
        )
    base = median.time_to_clear()
    with np.errstate(invalid="ignore"):
        shift = chance_ppf(q) - base if math.isfinite(base) else np.zeros(n)
        out = np.where(np.isfinite(years), np.maximum(years + shift, 0.0), np.inf)
    return out, (
        "its deterministic time plus the chance deviation at the median inputs (an approximation: "
        "the exact laws and simulation of every draw were too costly)"
    )
