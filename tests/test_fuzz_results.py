"""Fuzz the result objects and the random and cohort entry points.

FirstPassage methods get odd times and probabilities; Scenario methods, Monte Carlo
(``paths`` tiny), cohorts, uncertainty and sensitivity get valid scenarios across many orders
of magnitude and odd options. Same contract as ``tests/test_fuzz_api.py``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import amnesty_model as am
from _fuzz import ODD_VALUES, REFUSED, attempt, is_json_safe, no_nan, odd_values, write_counts


@pytest.fixture(autouse=True, scope="module")
def _record_counts() -> Iterator[None]:
    yield
    write_counts()


def magnitudes(low: float = 0.0, high: float = 1e6) -> st.SearchStrategy[float]:
    """Non-negative floats spread over orders of magnitude, with 0 and the bounds."""
    edges = [v for v in (0.0, 1e-9, 1e-3, 0.5, 1.0, 10.0, 1e3, 1e6, 1e9) if low <= v <= high]
    return st.one_of(st.sampled_from(edges), st.floats(low, high))


def release_rules(small: bool = False) -> st.SearchStrategy[Any]:
    top = 1e4 if small else 1e9
    return st.one_of(
        magnitudes(0.0, top),
        st.builds(am.Proportional, magnitudes(1e-6, 10.0), magnitudes(1e-3, 10.0)),
        st.builds(
            am.Decrees,
            st.integers(1, 1000) if small else magnitudes(1e-3, top),
            magnitudes(1e-2, 10.0),
            st.one_of(st.none(), magnitudes(0.0, 10.0)),
        ),
        st.builds(am.Geometric, magnitudes(1e-3, top), st.floats(-2.0, 2.0)),
        st.builds(
            am.Schedule,
            st.just([0.0, 1.0, 2.5]),
            st.lists(magnitudes(0.0, top), min_size=3, max_size=3),
        ),
    )


def scenarios(small: bool = False) -> st.SearchStrategy[am.Scenario]:
    """Valid scenarios with every release rule; ``small`` keeps counts Monte Carlo sized."""
    top = 1e4 if small else 1e9
    arrests = st.one_of(
        magnitudes(0.0, top),
        st.builds(
            am.Schedule,
            st.just([0.0, 3.0]),
            st.lists(magnitudes(0.0, top), min_size=2, max_size=2),
        ),
    )
    release = release_rules(small)

    @st.composite
    def build(draw: st.DrawFn) -> am.Scenario:
        rule = draw(release)
        arrest = draw(magnitudes(0.0, top) if isinstance(rule, am.Geometric) else arrests)
        return am.Scenario(
            # Monte Carlo counts people: whole numbers
            stock=draw(st.integers(0, 1000) if small else magnitudes(0.0, 1e9)),
            release_rate=rule,
            arrest_rate=arrest,
            death_rate=draw(magnitudes(0.0, 1.0)),  # above 1 needs allow_extreme_death_rate
            start=draw(st.sampled_from([None, "2022-05-26", "0001-01-01", "9999-12-01"])),
        )

    return build()


def positive_odd() -> st.SearchStrategy[Any]:
    return st.one_of(magnitudes(1e-6, 1e6), odd_values())


# -- FirstPassage ----------------------------------------------------------------------------


# The fuzzed domain leaves out what the xfail tests below pin as defects: a scalar ``t`` with
# no arrests, times beyond 1e200 years, and odd ``size`` or ``seed`` for rvs.
FP_POINTS = st.one_of(
    st.sampled_from([v for v in ODD_VALUES if not isinstance(v, float) or abs(v) < 1e200]),
    st.floats(-1e200, 1e200),
    st.floats(0, 1),
    st.lists(st.floats(0, 1e6), max_size=3).map(np.array),
)


# Stocks up to 10**4 here: with n in the millions and r within a fraction of a percent of a,
# ppf costs seconds per point (documented in first_passage); n = 10**7 is covered by
# tests/test_passage.py at chosen rates.
@given(
    st.one_of(st.integers(1, 10**4), st.sampled_from([1, 2, 10**4])),
    magnitudes(1e-9, 1e9),
    magnitudes(1e-9, 1e9),
    FP_POINTS,
)
@settings(max_examples=40)
def test_first_passage_methods_any_argument(n: int, r: float, a: float, x: Any) -> None:
    fp = am.first_passage(n, r, a)
    for method in ("pdf", "logpdf", "cdf", "sf"):
        out = attempt(f"FirstPassage.{method}", getattr(fp, method), x, names=("t",))
        if out is not REFUSED:
            values = np.asarray(out, dtype=float)
            assert not np.isnan(values).any(), (method, n, r, a, x, out)
            if method != "logpdf":
                top = np.inf if method == "pdf" else 1.0
                assert ((values >= 0) & (values <= top)).all(), (method, values)
    for method in ("ppf", "isf"):
        out = attempt(f"FirstPassage.{method}", getattr(fp, method), x, names=("q",))
        if out is not REFUSED:
            values = np.asarray(out, dtype=float)
            assert not np.isnan(values).any(), (method, n, r, a, x, out)
            assert (values >= 0).all()
    conf = attempt("FirstPassage.interval", fp.interval, x, names=("confidence",))
    if conf is not REFUSED:
        low, high = conf
        # equal up to rounding for a vanishing confidence: see the xfail test below
        assert 0 <= low <= high * (1 + 1e-12)


@given(
    st.integers(1, 1000),
    magnitudes(1e-3, 1e3),
    magnitudes(0.0, 1e3),
    st.one_of(st.none(), st.integers(0, 5), st.tuples(st.integers(0, 3), st.integers(0, 3))),
    st.one_of(st.none(), st.integers(0, 2**64)),
)
def test_first_passage_rvs_any_argument(n: int, r: float, a: float, size: Any, seed: Any) -> None:
    fp = am.first_passage(n, r, a)
    out = attempt("FirstPassage.rvs", fp.rvs, size, seed=seed, names=("size", "seed"))
    assert out is not REFUSED
    values = np.asarray(out, dtype=float)
    assert not np.isnan(values).any()
    assert (values >= 0).all()
    if size is not None:
        assert values.shape == (size if isinstance(size, tuple) else (size,))


# Was a defect (fixed in passage.py): passage.py FirstPassage._cdf_sf with arrest_rate 0
# assigns into the numpy scalar returned by special.gammaincc for a scalar t: TypeError
# 'numpy.float64' object does not support item assignment
@pytest.mark.parametrize("method", ["cdf", "sf"])
def test_first_passage_cdf_sf_of_a_scalar_without_arrests(method: str) -> None:
    # Gamma(1, rate 10): cdf(1) = 1 - e^{-10}, sf(1) = e^{-10}
    fp = am.first_passage(1, 10.0, 0.0)
    expected = -math.expm1(-10.0) if method == "cdf" else math.exp(-10.0)
    assert getattr(fp, method)(1.0) == pytest.approx(expected, rel=1e-12)


# Was a defect (fixed in passage.py): overflow in r*t or gap*t for t near the largest float
# (RuntimeWarning) instead of returning the limit (pdf 0, cdf p_clear).
@pytest.mark.parametrize("method", ["pdf", "logpdf", "cdf", "sf"])
def test_first_passage_at_the_largest_float(method: str) -> None:
    fp = am.first_passage(1, 1e9, 1e-9)
    limit = {"pdf": 0.0, "logpdf": -math.inf, "cdf": 1.0, "sf": 0.0}[method]
    assert float(getattr(fp, method)(np.array([1.7976931348623157e308]))[0]) == limit


# Was a defect (fixed in passage.py): passage.py FirstPassage.interval(confidence) for a tiny
# confidence returns low > high by an ulp (ppf((1-c)/2) and ppf((1+c)/2) rounded independently)
def test_first_passage_interval_is_ordered_for_a_tiny_confidence() -> None:
    low, high = am.first_passage(1, 1e-9, 1e-9).interval(1e-16)
    assert low <= high


# Was a defect (fixed in passage.py): FirstPassage.rvs passes size and seed to numpy unchecked;
# the errors come from numpy and do not name the parameter
@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"size": math.nan}, "size"),
        ({"size": -1}, "size"),
        ({"size": 1.5}, "size"),
        ({"seed": -1}, "seed"),
        ({"seed": math.nan}, "seed"),
        ({"seed": "x"}, "seed"),
    ],
)
def test_first_passage_rvs_names_bad_arguments(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises((ValueError, TypeError), match=name):
        am.first_passage(3, 1.0, 0.5).rvs(**kwargs)


# -- Scenario methods -------------------------------------------------------------------------


@given(scenarios())
@settings(max_examples=60)
def test_scenario_methods_on_any_valid_scenario(s: am.Scenario) -> None:
    years = attempt("Scenario.time_to_clear", s.time_to_clear, names=("time to clear",))
    if years is not REFUSED:
        years = attempt("Scenario.time_to_clear", s.time_to_clear, names=("time to clear",))
    if years is REFUSED:  # only "finite but larger than the largest float" may refuse
        return
    assert isinstance(years, float) and not math.isnan(years) and years >= 0
    assert (s.reason is None) == math.isfinite(years)
    if s.start is not None:
        date = s.clear_date()
        assert date is None or date >= s.start
    assert is_json_safe(s.provenance)
    assert isinstance(s.cite(), str) and not re.search(r"\bnan\b", s.cite().lower())
    summary = attempt("Scenario.summary", s.summary, names=("release_rate", "stock"))
    if summary is REFUSED:  # an indicator beyond the largest float (a subnormal rate)
        return
    assert isinstance(summary, pd.DataFrame)
    for value in summary["value"]:
        assert not (isinstance(value, float) and math.isnan(value)), summary


@given(
    scenarios(),
    st.one_of(st.none(), magnitudes(1e-3, 300.0), odd_values()),
    st.one_of(st.none(), st.sampled_from([0.5, 1.0, 7.0]), odd_values()),
)
@settings(max_examples=40)
def test_scenario_project_any_horizon(s: am.Scenario, horizon: Any, step: Any) -> None:
    p = attempt(
        "Scenario.project",
        s.project,
        horizon,
        step=step,
        names=("horizon", "step", "grid points", "decrees", "time to clear"),
    )
    if p is REFUSED:
        return
    frame = p.frame
    no_nan(frame[["held", "released", "arrested", "died"]], "Projection.frame")
    assert (frame["held"] >= 0).all()
    assert is_json_safe(p.provenance)
    assert isinstance(p.cite(), str)


@given(scenarios(), st.one_of(st.sampled_from(["auto", "exact", "ode"]), odd_values()))
@settings(max_examples=30)
def test_scenario_time_to_clear_any_method(s: am.Scenario, method: Any) -> None:
    out = attempt(
        "Scenario.time_to_clear(method)",
        s.time_to_clear,
        method,
        names=("method", "time to clear"),
    )
    assert out is REFUSED or (isinstance(out, float) and not math.isnan(out))


@given(
    scenarios(),
    st.dictionaries(
        st.sampled_from(
            [
                "stock",
                "release_rate",
                "arrest_rate",
                "death_rate",
                "start",
                "name",
                "sources",
                "colour",
            ]
        ),
        odd_values(),
        max_size=2,
    ),
)
@settings(max_examples=30)
def test_scenario_replace_any_change(s: am.Scenario, changes: dict[str, Any]) -> None:
    names = (*changes, "colour", "unexpected keyword")
    attempt("Scenario.replace", s.replace, **changes, names=names)


# -- Monte Carlo -----------------------------------------------------------------------------


@given(
    scenarios(small=True),
    # mostly valid options (an odd one in about one draw in four per option)
    st.one_of(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), odd_values()),
    st.one_of(st.none(), magnitudes(1e-3, 50.0), magnitudes(1e-3, 50.0), odd_values()),
    st.one_of(st.none(), st.integers(0, 2**32), st.integers(0, 9), odd_values()),
    st.one_of(st.just("auto"), st.just("auto"), st.sampled_from(["exact", "tau"]), odd_values()),
)
@settings(max_examples=30)
def test_simulate_any_argument(
    s: am.Scenario, paths: Any, horizon: Any, seed: Any, method: Any
) -> None:
    sim = attempt(
        "simulate",
        am.simulate,
        s,
        paths=paths,
        horizon=horizon,
        seed=seed,
        method=method,
        names=(
            "paths",
            "horizon",
            "seed",
            "method",
            "step",
            "scenario",
            "grid",
            "stock",
            "size",
            "release_rate",
            "arrest_rate",
            "death_rate",
        ),
    )
    if sim is REFUSED:
        return
    held = sim.held
    assert (held >= 0).all()
    # conservation on every path: held = S0 + arrested - released - died, S0 the initial
    # stock (not the t = 0 column, which is the state after a decree at t = 0)
    np.testing.assert_array_equal(
        held + sim.released + sim.died - sim.arrested, np.full_like(held, int(s.stock))
    )
    mean = sim.mean_clear_time()
    assert not math.isnan(mean)
    summary = dict(sim.summary())
    if sim.clear_times.size == 1:  # documented: std and mean_se are NaN for a single path
        summary.pop("std"), summary.pop("mean_se")
    no_nan(summary, "Simulation.summary()")
    for when in (0.0, 1.0, math.inf, -1.0, math.nan, "2030-01-01", None):
        p = attempt("Simulation.p_clear_by", sim.p_clear_by, when, names=("when",))
        assert p is REFUSED or 0.0 <= p <= 1.0
    bands = attempt("Simulation.quantile_bands", sim.quantile_bands, names=("times",))
    assert isinstance(bands, pd.DataFrame)
    assert is_json_safe(sim.provenance)
    assert isinstance(sim.cite(), str)


# -- cohorts ---------------------------------------------------------------------------------


@given(
    scenarios(),
    st.one_of(st.sampled_from(["fifo", "random", "lifo"]), odd_values()),
    st.one_of(st.none(), magnitudes(1e-2, 200.0), odd_values()),
)
@settings(max_examples=30)
def test_cohort_any_argument(s: am.Scenario, discipline: Any, horizon: Any) -> None:
    out = attempt(
        "cohort",
        am.cohort,
        s,
        discipline,
        horizon=horizon,
        names=(
            "discipline",
            "horizon",
            "scenario",
            "step",
            "time to clear",
            "release_rate",
            "arrest_rate",
            "stock",
            "death_rate",
        ),
    )
    if out is REFUSED:
        return
    for name in ("released_alive", "died_in_custody", "still_held"):
        value = getattr(out, name)
        assert not math.isnan(value) and value >= -1e-9 * max(1.0, s.stock), (name, value)
    no_nan(out.to_frame(), "CohortProjection.to_frame()")
    assert isinstance(out.cite(), str)


@given(
    scenarios(small=True),
    st.one_of(st.sampled_from(["fifo", "random", "lifo"]), odd_values()),
    st.one_of(st.integers(1, 5), odd_values()),
    st.one_of(st.none(), st.integers(0, 100), odd_values()),
)
@settings(max_examples=25)
def test_simulate_cohort_any_argument(
    s: am.Scenario, discipline: Any, paths: Any, seed: Any
) -> None:
    out = attempt(
        "simulate_cohort",
        am.simulate_cohort,
        s,
        discipline,
        paths=paths,
        seed=seed,
        horizon=50.0,
        names=(
            "discipline",
            "paths",
            "seed",
            "scenario",
            "horizon",
            "release_rate",
            "arrest_rate",
            "stock",
            "death_rate",
        ),
    )
    if out is REFUSED:
        return
    S0 = math.floor(s.stock)
    np.testing.assert_array_equal(out.released + out.died + out.still_held, S0)
    assert isinstance(out.cite(), str)


@given(
    scenarios(),
    st.one_of(st.sampled_from(["fifo", "random", "lifo"]), odd_values()),
    st.one_of(st.booleans(), odd_values()),
)
@settings(max_examples=30)
def test_waiting_time_any_argument(s: am.Scenario, discipline: Any, steady: Any) -> None:
    out = attempt(
        "waiting_time",
        am.waiting_time,
        s,
        discipline,
        steady_state=steady,
        names=(
            "discipline",
            "steady_state",
            "scenario",
            "release_rate",
            "arrest_rate",
            "stock",
            "death_rate",
        ),
    )
    if out is REFUSED:
        return
    for name in ("mean", "median", "p_released"):
        value = getattr(out, name)
        assert not math.isnan(value), (name, out)
    for t in (0.0, 1.0, 1e9):
        assert 0.0 <= float(out.sf(t)) <= 1.0
    assert isinstance(out.cite(), str)


@given(scenarios(), st.one_of(st.sampled_from(["fifo", "random", "lifo"]), odd_values()))
@settings(max_examples=20)
def test_deaths_before_release_any_argument(s: am.Scenario, discipline: Any) -> None:
    out = attempt(
        "deaths_before_release",
        am.deaths_before_release,
        s,
        discipline,
        names=("discipline", "scenario", "death_rate", "release_rate", "arrest_rate", "stock"),
    )
    if out is REFUSED:
        return
    for name in ("cohort", "cohort_low", "cohort_high", "everyone"):
        value = getattr(out, name)
        assert not math.isnan(value) and value >= 0, (name, out)
    assert isinstance(out.cite(), str)


# -- uncertainty -------------------------------------------------------------------------------


def uncertain() -> st.SearchStrategy[Any]:
    pair = st.tuples(magnitudes(0.0, 1e6), magnitudes(0.0, 1e6)).map(sorted).map(tuple)
    return st.one_of(magnitudes(0.0, 1e6), pair, odd_values())


@given(
    uncertain(),
    uncertain(),
    uncertain(),
    st.one_of(st.sampled_from([4, 8, 16]), odd_values()),
    st.one_of(st.none(), st.integers(0, 100), odd_values()),
)
@settings(max_examples=40)
def test_uncertain_time_to_clear_any_argument(S: Any, r: Any, a: Any, n: Any, seed: Any) -> None:
    out = attempt(
        "uncertain_time_to_clear",
        am.uncertain_time_to_clear,
        S,
        r,
        a,
        n=n,
        seed=seed,
        names=("stock", "release_rate", "arrest_rate", "death_rate", "n", "seed", "time to clear"),
    )
    if out is REFUSED:
        return
    assert not np.isnan(out.years).any()
    assert 0.0 <= out.p_never <= 1.0
    assert is_json_safe(out.provenance)
    assert isinstance(out.cite(), str)


@given(uncertain(), uncertain(), uncertain())
@settings(max_examples=30)
def test_tornado_any_argument(S: Any, r: Any, a: Any) -> None:
    out = attempt(
        "tornado",
        am.tornado,
        S,
        r,
        a,
        names=("stock", "release_rate", "arrest_rate", "death_rate", "time to clear"),
    )
    if out is not REFUSED:
        assert isinstance(out, pd.DataFrame)


@given(
    uncertain(),
    uncertain(),
    uncertain(),
    st.one_of(st.sampled_from(["clearance_rate", "time_to_clear", "years"]), odd_values()),
)
@settings(max_examples=30)
def test_sensitivity_any_argument(S: Any, r: Any, a: Any, output: Any) -> None:
    out = attempt(
        "sensitivity",
        am.sensitivity,
        S,
        r,
        a,
        output=output,
        n=16,
        seed=1,
        names=(
            "stock",
            "release_rate",
            "arrest_rate",
            "death_rate",
            "output",
            "n",
            "horizon",
            "time to clear",
        ),
    )
    if out is not REFUSED:
        assert isinstance(out, pd.DataFrame)


@given(
    st.dictionaries(st.sampled_from(["x1", "x2", "x3"]), uncertain(), max_size=3),
    st.one_of(st.sampled_from([4, 8]), odd_values()),
)
@settings(max_examples=30)
def test_sobol_sensitivity_any_argument(inputs: dict[str, Any], n: Any) -> None:
    def func(**kw: Any) -> Any:
        return sum(np.asarray(v, dtype=float) for v in kw.values())

    out = attempt(
        "sobol_sensitivity",
        am.sobol_sensitivity,
        func,
        inputs,
        n=n,
        seed=1,
        names=("inputs", "n", "x1", "x2", "x3", "func"),
    )
    if out is not REFUSED:
        assert isinstance(out, pd.DataFrame)
