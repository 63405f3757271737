"""Scenarios: a named, dated, validated set of inputs, and what follows from them.

A :class:`Scenario` is immutable and checked on creation. It answers the headline question
(:meth:`Scenario.time_to_clear`), says why a stock never clears (:attr:`Scenario.reason`), and
projects the population over time (:meth:`Scenario.project` → :class:`Projection`).
:func:`compare` puts several scenarios in one table.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._time import DAYS_PER_YEAR, add_years
from ._validation import (
    check_choice,
    check_date,
    check_death_rate,
    check_keywords,
    check_number,
    describe,
    suggest_keywords,
)
from ._version import __version__
from .clear import _people, never_reason, time_to_clear
from .engine import Path, clear_level, clear_time_exact, solve_exact, solve_ode
from .provenance import format_number, make_provenance
from .rules import Decrees, Geometric, Proportional, Schedule

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from .sources import SourceRegistry

__all__ = ["Projection", "Scenario", "compare"]

_METHODS = ("auto", "exact", "ode")

# Longest horizon the ODE solver is asked to integrate over [years]; beyond it a count of
# people times a rate overflows.
_MAX_ODE_HORIZON = 1e306


def _check_release(value: object) -> float | Proportional | Decrees | Geometric | Schedule:
    if isinstance(value, Proportional | Decrees | Geometric | Schedule):
        return value
    try:
        return check_number(value, "release_rate")
    except TypeError:
        raise TypeError(
            "release_rate must be a number >= 0 (people per year) or a release rule "
            "(Proportional, Decrees, Geometric, Schedule), "
            f"got {describe(value)} ({type(value).__name__})"
        ) from None


def _check_arrest(value: object) -> float | Schedule:
    if isinstance(value, Schedule):
        return value
    try:
        return check_number(value, "arrest_rate")
    except TypeError:
        raise TypeError(
            "arrest_rate must be a number >= 0 (people per year) or a Schedule, "
            f"got {describe(value)} ({type(value).__name__})"
        ) from None


def _check_name(name: object) -> None:
    """A name is a label written to scenario files: non-blank text, encodable as UTF-8."""
    if name is None:
        return
    if not isinstance(name, str):
        raise TypeError(f"name must be a string or None, got {describe(name)}")
    if not name.strip():
        raise ValueError(
            f"name must be a non-empty string (not only spaces) or None, got {name!r}; "
            "leave it out for an unnamed scenario"
        )
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            f"name must be text that UTF-8 can encode (no lone surrogates), got {name!r}"
        ) from None


def _rule_record(rule: object) -> Any:
    """A JSON-safe description of a rate or rule, for provenance."""
    if isinstance(rule, float):
        return rule
    assert dataclasses.is_dataclass(rule) and not isinstance(rule, type)
    record: dict[str, Any] = {"rule": type(rule).__name__}
    record.update(dataclasses.asdict(rule))
    return record


def _describe_rate(rule: object, noun: str) -> str:
    if isinstance(rule, float):
        if rule == 0:
            return "no one released" if noun == "released" else f"no {noun}"
        return f"{_people(rule)} {noun} a year"
    describe_rule = getattr(rule, "describe", None)
    return str(describe_rule()) if callable(describe_rule) else repr(rule)


@suggest_keywords
@dataclass(frozen=True)
class Scenario:
    """A set of inputs to the detention model, validated on creation.

    Parameters
    ----------
    stock : float
        People held at the start, ``S0`` [people], ``>= 0``.
    release_rate : float or release rule, default 0.0
        People released per year [people/year] — or a rule: :class:`~amnesty_model.Decrees`,
        :class:`~amnesty_model.Proportional`, :class:`~amnesty_model.Geometric`,
        :class:`~amnesty_model.Schedule`.
    arrest_rate : float or Schedule, default 0.0
        People newly detained per year [people/year], or a piecewise-constant
        :class:`~amnesty_model.Schedule`.
    death_rate : float, default 0.0
        Deaths in custody per person per year, ``μ`` [1/year], between 0 and 1: 3 % is
        ``0.03``. No default figure is implied: 0 means "not modelled", not "no one dies". A
        value above 1 (most of those held dying within a year) is refused as a probable
        percentage slip (``3`` for 3 %) unless ``allow_extreme_death_rate=True``.
    start : datetime.date or str or None, default None
        Calendar date of ``t = 0`` (ISO string accepted). When set, answers also carry dates.
        A missing date (``pandas.NaT``) is refused: ``None`` means "no start date".
    name : str or None, default None
        A label for tables and plots: a non-empty string (not only spaces), or ``None``.
    sources : sequence of str, default ()
        Ids of the registered sources the inputs come from (kept in provenance).
    allow_extreme_death_rate : bool, default False, keyword only
        Accept a ``death_rate`` above 1 per person per year, for a hazard that extreme on
        purpose. It is kept by :meth:`replace` and in scenario files, and does not take part in
        equality or the provenance hash (the death rate itself does).

    Raises
    ------
    TypeError
        For an input of the wrong type, or a misspelt keyword (the message suggests the name
        meant: ``release=`` → ``release_rate``).
    ValueError
        For a forbidden value, named with what is allowed.

    Examples
    --------
    >>> import amnesty_model as am
    >>> s = am.Scenario(stock=132_000, release_rate=1_000, start="2022-05-26")
    >>> s.time_to_clear()
    132.0
    >>> s.clear_date()
    datetime.date(2154, 5, 27)
    >>> s.with_(arrest_rate=1_200).reason
    'arrests (1,200/yr) outpace releases (1,000/yr)'

    A death rate of 3 meant as 3 % is caught:

    >>> am.Scenario(132_000, 1_000, death_rate=3)
    Traceback (most recent call last):
    ...
    ValueError: death_rate=3 is a hazard of 3 per person per year (95 % die within a year); \
did you mean 0.03, i.e. 3 %? To model such a hazard on purpose, pass allow_extreme_death_rate=True
    """

    stock: float
    release_rate: float | Proportional | Decrees | Geometric | Schedule = 0.0
    arrest_rate: float | Schedule = 0.0
    death_rate: float = 0.0
    start: _dt.date | None = None
    name: str | None = None
    sources: tuple[str, ...] = field(default=())
    allow_extreme_death_rate: bool = field(default=False, kw_only=True, compare=False, repr=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        allow = self.allow_extreme_death_rate
        if not isinstance(allow, bool | np.bool_):
            raise TypeError(
                f"allow_extreme_death_rate must be True or False, got {describe(allow)}"
            )
        set_(self, "allow_extreme_death_rate", bool(allow))
        set_(self, "stock", check_number(self.stock, "stock"))
        set_(self, "release_rate", _check_release(self.release_rate))
        set_(self, "arrest_rate", _check_arrest(self.arrest_rate))
        set_(
            self,
            "death_rate",
            check_death_rate(self.death_rate, allow_extreme=self.allow_extreme_death_rate),
        )
        if self.start is not None:
            set_(self, "start", check_date(self.start, "start"))
        _check_name(self.name)
        sources: object = self.sources
        ids: tuple[object, ...] | None = None
        if not isinstance(sources, str) and isinstance(sources, Iterable):
            try:  # a 0-d numpy array is Iterable but cannot be iterated
                ids = tuple(sources)
            except TypeError:
                ids = None
        if ids is None or not all(isinstance(s, str) for s in ids):
            raise TypeError(
                f"sources must be a sequence of source ids (strings), got {describe(self.sources)}"
            )
        set_(self, "sources", ids)
        if isinstance(self.release_rate, Geometric) and isinstance(self.arrest_rate, Schedule):
            raise ValueError(
                "a Geometric release rule takes a constant arrest_rate, got a Schedule; "
                "give releases as a Schedule too"
            )

    @classmethod
    @suggest_keywords
    def from_sources(
        cls,
        stock: float | str,
        release_rate: float | str | Proportional | Decrees | Geometric | Schedule = 0.0,
        arrest_rate: float | str | Schedule = 0.0,
        death_rate: float = 0.0,
        *,
        start: _dt.date | str | None = None,
        name: str | None = None,
        registry: SourceRegistry | None = None,
        allow_extreme_death_rate: bool = False,
    ) -> Scenario:
        """Build a scenario whose numbers may be given as ids of registered sources.

        Each of ``stock``, ``release_rate`` and ``arrest_rate`` may be a number or a source id
        (see :mod:`amnesty_model.sources`); the ids are kept in :attr:`sources` and so in the
        provenance. A source's unit must fit the input: people for ``stock``, people per year
        for the rates.

        Parameters
        ----------
        stock, release_rate, arrest_rate, death_rate, start, name, allow_extreme_death_rate
            As for :class:`Scenario`.
        registry : SourceRegistry or None, default None
            Where ids are looked up; the shipped registry if ``None``.

        Examples
        --------
        >>> s = Scenario.from_sources(
        ...     "mem_2022_stock_terrorism", "mem_2022_decree_release_per_year"
        ... )
        >>> s.time_to_clear(), s.sources
        (132.0, ('mem_2022_stock_terrorism', 'mem_2022_decree_release_per_year'))
        """
        from .sources import default_registry, resolve

        reg = default_registry() if registry is None else registry
        ids: list[str] = []

        def take(value: object, param: str, unit: str) -> Any:
            if not isinstance(value, str):
                return value
            source = reg.get(value)
            if source is not None and source.unit != unit:
                raise ValueError(
                    f"{param}: source {value!r} counts {source.unit!r}, but {param} needs {unit!r}"
                )
            number, source_id = resolve(value, name=param, registry=reg)
            if source_id is not None:
                ids.append(source_id)
            return number

        return cls(
            stock=take(stock, "stock", "people"),
            release_rate=take(release_rate, "release_rate", "people per year"),
            arrest_rate=take(arrest_rate, "arrest_rate", "people per year"),
            death_rate=death_rate,
            start=start,  # type: ignore[arg-type]
            name=name,
            sources=tuple(ids),
            allow_extreme_death_rate=allow_extreme_death_rate,
        )

    # -- deriving variants -------------------------------------------------------------------
    def replace(self, **changes: Any) -> Scenario:
        """Return a copy with some inputs changed (validated again).

        Parameters
        ----------
        **changes
            New values for any of the constructor's parameters; a misspelt name is a
            ``TypeError`` suggesting the one meant.

        Examples
        --------
        >>> Scenario(132_000, 1_000).replace(arrest_rate=500).time_to_clear()
        264.0
        >>> Scenario(132_000, 1_000).with_(arrest=500)
        Traceback (most recent call last):
        ...
        TypeError: Scenario.with_() / replace() got an unexpected keyword argument 'arrest'; \
did you mean 'arrest_rate'?
        """
        check_keywords(changes, _FIELDS, "Scenario.with_() / replace()")
        return dataclasses.replace(self, **changes)

    with_ = replace

    # -- the headline question ----------------------------------------------------------------
    @property
    def is_constant(self) -> bool:
        """True when every rate is a plain constant (the closed forms of :func:`time_to_clear`)."""
        return isinstance(self.release_rate, float) and isinstance(self.arrest_rate, float)

    def _auto_method(self) -> str:
        if self.is_constant:
            return "closed form"
        if isinstance(self.release_rate, Geometric) and self.arrest_rate != 0.0:
            return "ode"
        if isinstance(self.release_rate, Schedule) or isinstance(self.arrest_rate, Schedule):
            return "exact"
        return "closed form"

    @suggest_keywords
    def time_to_clear(self, method: str = "auto") -> float:
        """Years until no one is held (``math.inf`` if never; see :attr:`reason`).

        Parameters
        ----------
        method : {"auto", "exact", "ode"}, default "auto"
            ``"auto"`` uses the closed form or exact stepping where they exist and the ODE
            solver otherwise; ``"ode"`` forces :func:`scipy.integrate.solve_ivp` (a check).

        Returns
        -------
        float
            Years [years]. For :class:`~amnesty_model.Proportional` release, years until
            fewer than ``clear_below`` people are held.

        Examples
        --------
        >>> Scenario(132_000, Decrees(1_000)).time_to_clear()
        132.0
        """
        method = check_choice(method, "method", _METHODS)
        if method == "ode" or self._auto_method() == "ode":
            return self._ode_clear_time()
        if self.is_constant:
            return float(
                time_to_clear(
                    self.stock,
                    self.release_rate,
                    self.arrest_rate,
                    death_rate=self.death_rate,
                    allow_extreme_death_rate=self.allow_extreme_death_rate,
                )
            )
        return clear_time_exact(self)

    def _ode_horizon(self) -> float:
        """A time by which the stock has surely cleared if it ever does (for the ODE solver)."""
        exact = None if self._auto_method() == "ode" else self.time_to_clear()
        if exact is not None:
            return 1.0 if math.isinf(exact) else max(exact * 1.01 + 1e-9, 1e-6)
        rule = self.release_rate
        assert isinstance(rule, Geometric) and isinstance(self.arrest_rate, float)
        a, r0, g = self.arrest_rate, rule.initial, rule.growth
        if g <= 0:
            # The release rate only falls: once below the arrest rate nothing more clears.
            return 0.0 if r0 <= a else (math.log(a / r0) / g if g < 0 else math.inf)
        horizon = 1.0
        while r0 * math.expm1(g * horizon) / g < self.stock + a * horizon:
            horizon *= 2.0
        return horizon

    def _ode_clear_time(self) -> float:
        if self.stock <= clear_level(self):
            return 0.0
        horizon = self._ode_horizon()
        if horizon <= 0 or math.isinf(horizon):
            return math.inf
        arrests = float(self.arrest_rate) if isinstance(self.arrest_rate, float) else 0.0
        if horizon > _MAX_ODE_HORIZON or not math.isfinite((self.stock + arrests * horizon) * 1e3):
            # Integrating over ~1e308 years overflows the state (inf people, then NaN).
            raise ValueError(
                "the time to clear is finite but too large to compute (the search for it "
                f"reached {horizon:.3g} years); check the units of release_rate "
                f"(growth) and arrest_rate: {describe(self.release_rate)}"
            )
        path = solve_ode(self, np.array([0.0, horizon]))
        return path.clear_time

    def clear_date(self) -> _dt.date | None:
        """Calendar date the stock clears, or ``None`` without a start date or if never.

        Dates past the year 9999 are also ``None``.
        """
        if self.start is None:
            return None
        return add_years(self.start, self.time_to_clear())

    @property
    def reason(self) -> str | None:
        """Why the stock never clears, in plain words; ``None`` when it does."""
        if math.isfinite(self.time_to_clear()):
            return None
        return _never_reason(self)

    # -- trajectories -------------------------------------------------------------------------
    @suggest_keywords
    def project(
        self,
        horizon: float | None = None,
        *,
        step: float | None = None,
        method: str = "auto",
    ) -> Projection:
        """Project held, released, arrested and died over time.

        Parameters
        ----------
        horizon : float or None, default None
            Years to project [years], ``> 0``. Default: a little past the clear time, or 100
            years if the stock never clears (with decrees, at most 100,000 of them).
        step : float or None, default None
            Spacing of the time grid [years], ``> 0``. Default: ``horizon / 500``. The exact
            clear time is always included in the grid.
        method : {"auto", "exact", "ode"}, default "auto"
            As in :meth:`time_to_clear`.

        Returns
        -------
        Projection

        Examples
        --------
        >>> p = Scenario(132_000, 1_000, start="2022-05-26").project(step=1.0)
        >>> p.frame.loc[66.0, "held"]
        np.float64(66000.0)
        >>> p.clear_time, p.clear_date
        (132.0, datetime.date(2154, 5, 27))
        """
        method = check_choice(method, "method", _METHODS)
        clear = self.time_to_clear()
        if horizon is None:
            horizon = 100.0 if math.isinf(clear) else max(clear * 1.1, 1.0)
            if isinstance(self.release_rate, Decrees):
                # At most 100,000 decrees by default (a longer wait is shown, not stepped).
                horizon = min(horizon, self.release_rate.first + 1e5 * self.release_rate.every)
        horizon = check_number(horizon, "horizon", strict=True)
        if step is None:
            step = horizon / 500 if horizon / 500 > 0 else horizon  # a subnormal horizon
        else:
            step = check_number(step, "step", strict=True)
        if horizon / step > 1_000_000:
            raise ValueError(
                f"horizon / step = {horizon / step:,.0f} grid points; at most 1,000,000 allowed"
            )
        # k · step, not np.arange(0, horizon + …, step): "Maximum allowed size exceeded"
        grid = step * np.arange(math.floor(horizon / step + 1e-9) + 1, dtype=np.float64)
        grid = grid[grid <= horizon]
        if grid[-1] < horizon:
            grid = np.append(grid, horizon)
        if 0 < clear <= horizon:
            grid = np.unique(np.append(grid, clear))
        use_ode = method == "ode" or (method == "auto" and self._auto_method() == "ode")
        # Geometric release has a closed form without arrests (solve_exact), the ODE otherwise.
        use_ode = use_ode or (isinstance(self.release_rate, Geometric) and self.arrest_rate != 0)
        with np.errstate(over="ignore", invalid="ignore"):
            path = solve_ode(self, grid) if use_ode else solve_exact(self, grid)
        counts = (path.held, path.released, path.arrested, path.died)
        if not all(np.isfinite(c).all() for c in counts):
            raise ValueError(
                f"the projection over horizon={horizon:g} years counts more people than a float "
                "can hold (past 1.8e308); shorten the horizon or check the units of stock, "
                f"release_rate and arrest_rate: {self.describe()}"
            )
        if self.is_constant and method == "auto":
            path = dataclasses.replace(path, method="closed form")
        return Projection(scenario=self, path=dataclasses.replace(path, clear_time=clear))

    def initial_rates(self) -> tuple[float, float]:
        """Release and arrest rates in force at the start [people/year].

        A rule is read at ``t = 0``: decrees as ``size / every``, proportional release as
        ``fraction × stock``, a geometric rate as its initial value, a schedule as its first rate.
        """
        rel, arr = self.release_rate, self.arrest_rate
        if isinstance(rel, Decrees):
            r = rel.size / rel.every
        elif isinstance(rel, Proportional):
            r = rel.fraction * self.stock
        elif isinstance(rel, Geometric):
            r = rel.initial
        elif isinstance(rel, Schedule):
            r = rel.rates[0]
        else:
            r = rel
        a = arr.rates[0] if isinstance(arr, Schedule) else arr
        return r, a

    def summary(self) -> pd.DataFrame:
        """The answer beside the court-efficiency indicators of the CEPEJ.

        Returns
        -------
        pandas.DataFrame
            Indexed by quantity, with columns ``value`` (object dtype), ``unit`` and
            ``definition``: years to clear, clear date (``None`` without a start date or if the
            stock never clears), and the clearance rate, case turnover ratio and disposition time
            (:func:`~amnesty_model.cepej_indicators`), computed with the rates in force at the
            start (:meth:`initial_rates`). A value finite but beyond the largest float (a
            subnormal rate) is shown as ``inf``, and its definition says so.

        Examples
        --------
        >>> float(Scenario(132_000, 1_000, 500).summary().loc["disposition_time", "value"])
        48180.0
        """
        import pandas as pd

        from .indicators import cepej_indicators

        r, a = self.initial_rates()
        try:
            cepej = cepej_indicators(self.stock, r, a)
            beyond: set[str] = set()
        except ValueError:  # an indicator beyond the largest float (a subnormal rate)
            cepej, beyond = _indicators_beyond_floats(self.stock, r, a)
        try:
            years = self.time_to_clear()
        except ValueError:  # finite but beyond the largest float
            years = math.inf
            beyond.add("years_to_clear")
        rows = [
            (
                "years_to_clear",
                years,
                "years",
                "years until no one is held, under the scenario's rules (inf: never)",
            ),
            (
                "clear_date",
                None if math.isinf(years) else self.clear_date(),
                "date",
                "start date + years to clear",
            ),
            (
                "clearance_rate",
                cepej["clearance_rate_percent"],
                "%",
                "CEPEJ: releases / arrests × 100",
            ),
            (
                "case_turnover_ratio",
                cepej["case_turnover_ratio"],
                "1/year",
                "CEPEJ: releases per year / people held",
            ),
            (
                "disposition_time",
                cepej["disposition_time_days"],
                "days",
                "CEPEJ: 365 × people held / releases per year (ignores arrests)",
            ),
        ]
        rows = [(q, v, u, d + _BEYOND if q in beyond else d) for q, v, u, d in rows]
        frame = pd.DataFrame(rows, columns=["quantity", "value", "unit", "definition"])
        # An object column keeps a missing clear date as None (a float column would turn it
        # into NaN, and would hold dates or floats depending on the scenario).
        frame["value"] = pd.Series([row[1] for row in rows], dtype=object)
        return frame.set_index("quantity")

    # -- citation -----------------------------------------------------------------------------
    def inputs(self) -> dict[str, Any]:
        """The inputs as a JSON-safe dict (units in the keys; the name is a label, not input)."""
        return {
            "stock_people": self.stock,
            "release": _rule_record(self.release_rate),
            "arrest": _rule_record(self.arrest_rate),
            "death_rate_per_year": self.death_rate,
            "start": self.start,
        }

    def describe(self) -> str:
        """One line describing the inputs, for tables and citations."""
        parts = [
            f"{_people(self.stock)} held",
            _describe_rate(self.release_rate, "released"),
            _describe_rate(self.arrest_rate, "new arrests"),
        ]
        if self.death_rate > 1:  # allowed on purpose: say what it means
            share = -math.expm1(-self.death_rate)
            dying = "over 99.9 %" if share >= 0.9995 else f"{100 * share:.0f} %"
            parts.append(
                f"a death hazard of {self.death_rate:.3g} per person per year ({dying} of those "
                "held dying within a year)"
            )
        elif self.death_rate:
            parts.append(f"{self.death_rate:.3g} of those held dying each year")
        return ", ".join(parts)

    @property
    def provenance(self) -> dict[str, Any]:
        """JSON-safe record of inputs, method, sources and version, with a stable hash."""
        method = {"closed form": "closed form", "exact": "exact stepping", "ode": "ODE"}[
            self._auto_method()
        ]
        try:
            years: float | str = self.time_to_clear()
        except ValueError:  # finite but beyond the largest float: the record still stands
            years = "beyond the largest float"
        return make_provenance(
            method=method,
            inputs=self.inputs(),
            sources=self.sources,
            result={"years_to_clear": years},
            label=self.name,
        )

    def cite(self) -> str:
        """A sentence a journalist can paste: the answer, its inputs, method and version.

        Examples
        --------
        >>> print(Scenario(132_000, 1_000).cite())  # doctest: +ELLIPSIS
        132 years to clear: 132,000 held, 1,000 released a year, no new arrests
        (amnesty_model 0.1.0, closed form, provenance ...).
        """
        record = self.provenance
        years = self.time_to_clear()
        answer = (
            f"never clears ({self.reason})"
            if math.isinf(years)
            else f"{format_number(years, 'years')} to clear"
        )
        date = self.clear_date()
        when = f", on {date.isoformat()}" if date else ""
        return (
            f"{answer}{when}: {self.describe()} "
            f"(amnesty_model {__version__}, {record['method']}, provenance {record['hash']})."
        )


_FIELDS = frozenset(f.name for f in dataclasses.fields(Scenario))


_BEYOND = " (inf here: finite but beyond the largest float, about 1.8e308)"


def _indicators_beyond_floats(
    stock: float, release: float, arrests: float
) -> tuple[dict[str, Any], set[str]]:
    """The CEPEJ indicators with ``inf`` for any beyond the float range, and which those are."""
    with np.errstate(over="ignore"):
        clearance = 100.0 * np.float64(release) / arrests if arrests > 0 else math.inf
        turnover = np.float64(release) / stock if stock > 0 else math.inf
        days = 365.0 * (np.float64(stock) / release) if release > 0 else math.inf
    if arrests == 0:
        clearance = 100.0 if release == 0 else math.inf
    if release == 0:
        days = 0.0 if stock == 0 else math.inf
    values = {
        "clearance_rate_percent": float(clearance),
        "case_turnover_ratio": float(turnover),
        "disposition_time_days": float(days),
    }
    beyond = {
        quantity
        for quantity, key, denominator in (
            ("clearance_rate", "clearance_rate_percent", arrests),
            ("case_turnover_ratio", "case_turnover_ratio", stock),
            ("disposition_time", "disposition_time_days", release),
        )
        if denominator > 0 and math.isinf(values[key])
    }
    return values, beyond


def _people_near(value: float) -> str:
    """A rounded count for a sentence, or "more than 1.8e308" past the float range."""
    return _people(round(value)) if math.isfinite(value) else "more than 1.8e308"


def _never_reason(s: Scenario) -> str:
    """Why a scenario whose time to clear is infinite never clears."""
    rel, arr, mu = s.release_rate, s.arrest_rate, s.death_rate
    if isinstance(rel, float) and isinstance(arr, float):
        return never_reason(s.stock, rel, arr, death_rate=mu) or "it never clears"
    if isinstance(arr, Schedule):
        a_final = arr.rates[-1]
        after = f"after the last change of rate (year {arr.starts[-1]:g}), "
    else:
        a_final, after = arr, ""
    if isinstance(rel, Decrees):
        if mu == 0:
            return (
                f"{after}decrees of {_people(rel.size)} every {rel.every:g} years release no "
                f"more than the {_people(a_final * rel.every)} arrested in between"
            )
        # Of those arrested in one interval, a(1 − e^{−μΔ})/μ are alive at the next decree.
        survivors = -a_final * math.expm1(-mu * rel.every) / mu
        return (
            f"{after}decrees of {_people(rel.size)} every {rel.every:g} years release no more "
            f"than the {_people_near(survivors)} arrested in between who are still alive at "
            "the next decree: the stock settles above zero"
        )
    if isinstance(rel, Proportional):
        level = a_final / (rel.fraction + mu)
        return (
            f"{after}the stock settles near {_people_near(level)} held "
            f"(arrests / (release fraction + death rate)), not below {_people(rel.clear_below)}"
        )
    if isinstance(rel, Geometric):
        if rel.growth < 0:
            return (
                f"the release rate shrinks ({rel.growth:+.3g}/yr) and falls below the arrest "
                f"rate ({_people(a_final)}/yr) before the stock clears"
                if a_final > 0
                else f"the release rate shrinks ({rel.growth:+.3g}/yr): all releases that "
                f"will ever happen ({_people(rel.initial / -rel.growth)}) are fewer than held"
            )
        return never_reason(s.stock, rel.initial, a_final, death_rate=mu) or "it never clears"
    # A constant or scheduled release rate (with scheduled arrests, or both scheduled).
    r_final = rel.rates[-1] if isinstance(rel, Schedule) else float(rel)
    rel_starts = rel.starts if isinstance(rel, Schedule) else ()
    breaks = [b for b in (*rel_starts, *(arr.starts if isinstance(arr, Schedule) else ())) if b]
    last = max(breaks, default=0.0)
    text = never_reason(max(s.stock, 1.0), r_final, a_final, death_rate=mu)
    return f"after the last change of rate (year {last:g}), " + (text or "it never clears")


@dataclass(frozen=True)
class Projection:
    """A scenario projected over time.

    Attributes
    ----------
    scenario : Scenario
        The inputs.
    path : Path
        The trajectory (times in years; held, released, arrested, died in people).
    """

    scenario: Scenario
    path: Path = field(repr=False)

    def __repr__(self) -> str:
        name = f"{self.scenario.name!r}, " if self.scenario.name else ""
        years = format_number(self.clear_time, "years")
        return f"Projection({name}clears: {years}, {self.path.times.size} time points)"

    @property
    def clear_time(self) -> float:
        """Years until no one is held [years] (``math.inf`` if never)."""
        return self.path.clear_time

    @property
    def clear_date(self) -> _dt.date | None:
        """Calendar date the stock clears (``None`` without a start date, or if never)."""
        if self.scenario.start is None:
            return None
        return add_years(self.scenario.start, self.clear_time)

    @property
    def reason(self) -> str | None:
        """Why the stock never clears; ``None`` when it does."""
        return self.scenario.reason

    @property
    def method(self) -> str:
        """How the trajectory was computed."""
        return self.path.method

    @property
    def frame(self) -> pd.DataFrame:
        """The trajectory as a DataFrame indexed by ``years``.

        Columns: ``held``, ``released``, ``arrested``, ``died`` [people], and ``date`` when the
        scenario has a start date (``NaT`` past 9999-12-31, where :meth:`Scenario.clear_date`
        is ``None`` too).
        """
        import pandas as pd

        p = self.path
        frame = pd.DataFrame(
            {"held": p.held, "released": p.released, "arrested": p.arrested, "died": p.died},
            index=pd.Index(p.times, name="years"),
        )
        if self.scenario.start is not None:
            # Dates past 9999-12-31 (the last a datetime.date holds) are NaT, as clear_date
            # is None there.
            start = self.scenario.start
            with np.errstate(over="ignore"):
                days = np.round(p.times * DAYS_PER_YEAR)
            inside = days <= (_dt.date.max - start).days
            dates = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[us]")
            dates[inside] = np.datetime64(start, "D") + days[inside].astype("timedelta64[D]")
            frame["date"] = dates
        return frame

    def to_frame(self) -> pd.DataFrame:
        """Same as :attr:`frame`."""
        return self.frame

    @property
    def provenance(self) -> dict[str, Any]:
        """JSON-safe record of inputs, method, sources and version, with a stable hash."""
        p = self.path
        return make_provenance(
            method=p.method,
            inputs=self.scenario.inputs(),
            sources=self.scenario.sources,
            result={"years_to_clear": self.clear_time},
            label=self.scenario.name,
            grid={"start": float(p.times[0]), "end": float(p.times[-1]), "points": p.times.size},
        )

    def cite(self) -> str:
        """A sentence a journalist can paste (see :meth:`Scenario.cite`)."""
        return self.scenario.cite()

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Plot held people over time (delegates to :func:`amnesty_model.plot.plot_projection`)."""
        from .plot import plot_projection

        ax_out: Axes = plot_projection(self, ax=ax, **kwargs)
        return ax_out


def _label(s: Scenario, i: int) -> str:
    return s.name if s.name else f"scenario {i + 1}"


@suggest_keywords
def compare(scenarios: Iterable[Scenario] | Sequence[Scenario]) -> pd.DataFrame:
    """Put several scenarios side by side: inputs, years to clear, clear date, reason.

    Parameters
    ----------
    scenarios : iterable of Scenario
        At least one.

    Returns
    -------
    pandas.DataFrame
        One row per scenario, indexed by name.

    Examples
    --------
    >>> base = Scenario(132_000, 1_000, name="report")
    >>> table = compare([base, base.with_(arrest_rate=500, name="arrests go on")])
    >>> table["years_to_clear"].tolist()
    [132.0, 264.0]
    """
    import pandas as pd

    if isinstance(scenarios, Scenario):
        raise TypeError("scenarios must be an iterable of Scenario, got one Scenario; wrap it "
                        "in a list: compare([scenario])")  # fmt: skip
    given: object = scenarios
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise TypeError(
            "scenarios must be an iterable of Scenario (a list, a tuple), got "
            f"{describe(scenarios)} ({type(scenarios).__name__})"
        )
    items = list(scenarios)
    if not items:
        raise ValueError("scenarios must hold at least one Scenario, got none")
    for i, s in enumerate(items):
        if not isinstance(s, Scenario):
            raise TypeError(f"scenarios[{i}] must be a Scenario, got {describe(s)}")
    rows = []
    for i, s in enumerate(items):
        try:
            years = s.time_to_clear()
        except ValueError as exc:  # finite but beyond the largest float
            raise ValueError(f"scenarios[{i}] ({_label(s, i)}): {exc}") from exc
        rows.append(
            {
                "name": _label(s, i),
                "stock": s.stock,
                "release": _describe_rate(s.release_rate, "released"),
                "arrests": _describe_rate(s.arrest_rate, "new arrests"),
                "death_rate": s.death_rate,
                "years_to_clear": years,
                "clear_date": s.clear_date(),
                "reason": s.reason,
                "provenance": s.provenance["hash"],
            }
        )
    return pd.DataFrame(rows).set_index("name")
