"""Fuzz the vectorised numeric entry points and the rule and scenario constructors.

Every call either returns documented, NaN-free values or raises ValueError/TypeError naming a
parameter (see ``tests/_fuzz.py``). Hypothesis draws from odd values (NaN, ±inf, huge ints,
strings, None, booleans, empty and ragged arrays, Series with odd indexes) mixed with valid
ones, so both the refusals and the answers near the edges are exercised.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import amnesty_model as am
from _fuzz import REFUSED, attempt, is_json_safe, no_nan, odd_values, reasonable, write_counts

RATE_NAMES = ("stock", "release_rate", "arrest_rate", "death_rate", "shapes")


@pytest.fixture(autouse=True, scope="module")
def _record_counts() -> Iterator[None]:
    yield
    write_counts()


def maybe_odd() -> st.SearchStrategy[Any]:
    """Mostly valid numbers, sometimes an odd value."""
    return st.one_of(reasonable(), reasonable(), odd_values())


def _shape_ok(result: Any) -> None:
    if isinstance(result, float):
        assert not math.isnan(result)
    else:
        no_nan(np.asarray(result, dtype=float), "years")
        assert (np.asarray(result, dtype=float) >= 0).all()


@given(maybe_odd(), maybe_odd(), maybe_odd(), maybe_odd())
def test_time_to_clear_any_input(S: Any, r: Any, a: Any, mu: Any) -> None:
    out = attempt("time_to_clear", am.time_to_clear, S, r, a, death_rate=mu, names=RATE_NAMES)
    if out is not REFUSED:
        _shape_ok(out)


@given(maybe_odd(), maybe_odd(), maybe_odd(), maybe_odd())
def test_never_reason_any_input(S: Any, r: Any, a: Any, mu: Any) -> None:
    out = attempt("never_reason", am.never_reason, S, r, a, death_rate=mu, names=RATE_NAMES)
    if out is REFUSED:
        return
    assert out is None or (isinstance(out, str) and out)
    # never_reason and time_to_clear agree on "never"
    years = attempt("time_to_clear", am.time_to_clear, S, r, a, death_rate=mu, names=RATE_NAMES)
    if years is not REFUSED:
        assert (out is None) == math.isfinite(years)


@given(maybe_odd(), maybe_odd(), maybe_odd())
def test_cepej_indicators_any_input(S: Any, r: Any, a: Any) -> None:
    out = attempt("cepej_indicators", am.cepej_indicators, S, r, a, names=RATE_NAMES)
    if out is REFUSED:
        return
    assert isinstance(out, dict)
    for key, value in out.items():
        values = np.asarray(value, dtype=float)
        # A ratio of 0/0 (nothing released and nothing arriving) is documented as NaN only if
        # the docstring says so; here every indicator must be a number or inf.
        assert not np.isnan(values).any(), f"cepej_indicators[{key!r}] is NaN for {S, r, a}"


@given(maybe_odd(), maybe_odd(), maybe_odd())
def test_first_passage_any_input(n: Any, r: Any, a: Any) -> None:
    names = ("stock", "release_rate", "arrest_rate")
    fp = attempt("first_passage", am.first_passage, n, r, a, names=names)
    if fp is REFUSED:
        return
    for method in ("mean", "var", "std", "median"):
        value = attempt(f"FirstPassage.{method}", getattr(fp, method), names=())
        assert value is not REFUSED
        assert isinstance(value, float) and not math.isnan(value), (method, value)
        assert value >= 0
    assert isinstance(fp.cite(), str)


@given(maybe_odd(), maybe_odd(), maybe_odd())
def test_first_passage_diffusion_any_input(n: Any, r: Any, a: Any) -> None:
    names = ("stock", "release_rate", "arrest_rate")
    attempt("first_passage_diffusion", am.first_passage_diffusion, n, r, a, names=names)


@given(maybe_odd(), maybe_odd(), maybe_odd(), maybe_odd())
def test_scenario_constructor_any_input(S: Any, r: Any, a: Any, mu: Any) -> None:
    s = attempt("Scenario", am.Scenario, S, r, a, mu, names=RATE_NAMES)
    if s is REFUSED:
        return
    # Refused by name only when finite but beyond the largest float (S0 = 1e-9, r = 5e-324).
    years = attempt("Scenario.time_to_clear", s.time_to_clear, names=("stock", "release_rate"))
    if years is REFUSED:
        return
    assert not math.isnan(years) and years >= 0
    assert (s.reason is None) == math.isfinite(years)
    assert is_json_safe(s.provenance)
    assert isinstance(s.cite(), str)


@given(
    st.one_of(
        st.sampled_from([None, "", "2022-13-01", "26/05/2022", 20220526, "2022-05-26 "]),
        st.dates().map(str),
        st.dates(),
    ),
    st.one_of(st.none(), st.text(max_size=5), st.integers()),
    st.one_of(
        st.just(()),
        st.lists(st.text(max_size=3), max_size=2),
        st.text(max_size=3),
        st.lists(st.integers(), min_size=1, max_size=2),
    ),
)
def test_scenario_labels_any_input(start: Any, name: Any, sources: Any) -> None:
    names = ("start", "name", "sources")
    s = attempt(
        "Scenario(start, name, sources)",
        am.Scenario,
        1000.0,
        10.0,
        start=start,
        name=name,
        sources=sources,
        names=names,
    )
    if s is REFUSED:
        return
    date = s.clear_date()
    assert date is None or date >= s.start
    assert isinstance(s.cite(), str)


@given(maybe_odd(), maybe_odd())
def test_proportional_any_input(fraction: Any, below: Any) -> None:
    attempt("Proportional", am.Proportional, fraction, below, names=("fraction", "clear_below"))


@given(maybe_odd(), maybe_odd(), st.one_of(st.none(), maybe_odd()))
def test_decrees_any_input(size: Any, every: Any, first: Any) -> None:
    d = attempt("Decrees", am.Decrees, size, every, first, names=("size", "every", "first"))
    if d is REFUSED:
        return
    times = attempt("Decrees.times", d.times, 10.0, names=("every", "horizon"))
    if times is REFUSED:  # more than ten million decrees
        return
    assert np.all(np.diff(times) > 0) and np.all(times <= 10.0)


@given(maybe_odd(), st.one_of(maybe_odd(), st.floats(-10, 0)))
def test_geometric_any_input(initial: Any, growth: Any) -> None:
    attempt("Geometric", am.Geometric, initial, growth, names=("initial", "growth"))


@given(
    st.one_of(odd_values(), st.lists(st.one_of(reasonable(), odd_values()), max_size=4)),
    st.one_of(odd_values(), st.lists(st.one_of(reasonable(), odd_values()), max_size=4)),
)
def test_schedule_any_input(starts: Any, rates: Any) -> None:
    sch = attempt("Schedule", am.Schedule, starts, rates, names=("starts", "rates"))
    if sch is REFUSED:
        return
    t = np.array([0.0, 0.5, 1e9])
    assert not np.isnan(sch.rate(t)).any()
    assert not np.isnan(sch.cumulative(t)).any()


@given(maybe_odd(), maybe_odd(), maybe_odd(), maybe_odd())
@settings(max_examples=40)
def test_time_to_clear_interval_any_input(S: Any, r: Any, a: Any, mu: Any) -> None:
    out = attempt(
        "time_to_clear_interval",
        am.time_to_clear_interval,
        S,
        r,
        a,
        death_rate=mu,
        names=RATE_NAMES,
    )
    if out is REFUSED:
        return
    assert not math.isnan(out.low) and not math.isnan(out.high)
    assert out.low <= out.high
    assert is_json_safe(out.provenance)


@given(
    st.one_of(st.integers(0, 10**6), odd_values()),
    st.one_of(st.none(), maybe_odd()),
    st.one_of(st.none(), st.dates(), st.sampled_from(["2022-04-30", "x", 5])),
    st.one_of(st.none(), st.dates(), st.sampled_from(["2022-05-26", "2022-04-30"])),
    st.one_of(st.sampled_from([0.95, 0.5]), odd_values()),
)
def test_rate_from_count_any_input(count: Any, days: Any, start: Any, end: Any, conf: Any) -> None:
    est = attempt(
        "rate_from_count",
        am.rate_from_count,
        count,
        days=days,
        start=start,
        end=end,
        confidence=conf,
        names=("count", "days", "start", "end", "confidence"),
    )
    if est is REFUSED:
        return
    assert 0 <= est.low <= est.rate <= est.high
    assert math.isfinite(est.high)
    assert is_json_safe(est.provenance)
    assert isinstance(est.cite(), str)
    no_nan(est.to_frame(), "RateEstimate.to_frame()")


@given(st.one_of(st.text(max_size=12), st.sampled_from(["", "stock", None, 1])))
def test_cite_article_any_id(row_id: Any) -> None:
    out = attempt("cite_article", am.cite_article, row_id, names=("row_id",))
    assert out is REFUSED or isinstance(out, str)


@given(st.lists(st.one_of(reasonable(), odd_values()), max_size=3))
@settings(max_examples=15)
def test_illustrative_death_rows_any_input(rates: Any) -> None:
    # each rate is checked as death_rates[i] (a rate above 1/yr as a probable percentage slip)
    out = attempt(
        "illustrative_death_rows",
        am.illustrative_death_rows,
        rates,
        names=("death_rates",),
    )
    assert out is REFUSED or isinstance(out, pd.DataFrame)


@given(
    st.one_of(maybe_odd().filter(lambda v: v is not None)),
    st.one_of(st.sampled_from([0.95, 0.5, 0.999]), st.floats(0.01, 0.99)),
)
@settings(max_examples=15)
def test_later_data_rows_any_stock(stock: Any, confidence: Any) -> None:
    # confidence is drawn from valid values only: odd ones are the xfail cases below.
    out = attempt(
        "later_data_rows",
        am.later_data_rows,
        stock,
        confidence,
        names=("stock", "confidence"),
    )
    assert out is REFUSED or isinstance(out, pd.DataFrame)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"confidence": math.nan},
        {"confidence": 1.5},
        {"confidence": 5e-324},
        {"confidence": "x"},
        {"confidence": 10**400},
        {"stock": None},
    ],
    ids=["conf-nan", "conf-1.5", "conf-tiny", "conf-str", "conf-hugeint", "stock-None"],
)
# Was a defect (fixed): later_data_rows did not validate confidence (errors came from brentq)
# and accepted stock=None.
def test_later_data_rows_validates_its_arguments(kwargs: dict[str, Any]) -> None:
    name = next(iter(kwargs))
    with pytest.raises((ValueError, TypeError), match=name):
        am.later_data_rows(**kwargs)


@given(
    st.lists(
        st.one_of(st.builds(am.Scenario, reasonable(), reasonable()), odd_values()), max_size=3
    )
)
@settings(max_examples=30)
def test_compare_any_input(items: Any) -> None:
    out = attempt("compare", am.compare, items, names=("scenarios",))
    if out is not REFUSED:
        assert len(out) == len(items)


# -- every Scenario method at the edges of the float range ------------------------------------

EDGE_NUMBERS = [0.0, 5e-324, 1e-300, 1e-9, 1.0, 1e9, 1e300, 1e308, 1.7976931348623157e308]
EDGE_HAZARDS = [0.0, 5e-324, 1e-300, 1e-9, 0.5, 1.0]


@st.composite
def edge_scenarios(draw: st.DrawFn) -> am.Scenario:
    """Scenarios whose numbers sit at the edges of the float range, with every release rule."""
    number = st.sampled_from(EDGE_NUMBERS)
    positive = st.sampled_from(EDGE_NUMBERS[1:])
    rule = draw(
        st.one_of(
            number,
            st.builds(am.Proportional, positive, positive),
            st.builds(am.Decrees, positive, st.sampled_from([1e-3, 1.0, 1e3]), st.none()),
            st.builds(am.Geometric, positive, st.sampled_from([-1.0, -1e-9, 0.0, 1e-9, 1.0])),
            st.builds(am.Schedule, st.just([0.0, 1.0]), st.lists(number, min_size=2, max_size=2)),
        )
    )
    arrest = 0.0 if isinstance(rule, am.Geometric) else draw(number)
    return am.Scenario(
        draw(number),
        rule,
        arrest,
        draw(st.sampled_from(EDGE_HAZARDS)),
        start=draw(st.sampled_from([None, "2022-05-26"])),
    )


EDGE_NAMES = (
    "stock",
    "release_rate",
    "arrest_rate",
    "horizon",
    "step",
    "time to clear",
    "decrees",
    "clearance rate",
    "case turnover ratio",
    "disposition time",
)


@given(edge_scenarios())
@settings(max_examples=120)
def test_scenario_methods_at_float_extremes_warn_never(s: am.Scenario) -> None:
    # Warnings are errors (pyproject): an overflow leaking from numpy fails here. Each method
    # returns a documented value or raises ValueError/TypeError by name.
    years = attempt("Scenario.time_to_clear@edges", s.time_to_clear, names=EDGE_NAMES)
    if years is not REFUSED:
        assert not math.isnan(years) and years >= 0
        reason = s.reason
        assert (reason is None) == math.isfinite(years)
        assert isinstance(s.cite(), str)
        s.clear_date()
    attempt("Scenario.summary@edges", s.summary, names=EDGE_NAMES)
    rule = s.release_rate  # Geometric here has no arrests: its projection is in closed form
    # At most 50 decrees: stepping 100,000 of them (the default cap) is slow, not wrong.
    horizon = rule.first + 50 * rule.every if isinstance(rule, am.Decrees) else None
    p = attempt("Scenario.project@edges", s.project, horizon, names=EDGE_NAMES)
    if p is not REFUSED:
        frame = p.frame[["held", "released", "arrested", "died"]]
        assert np.isfinite(frame.to_numpy()).all()
        assert (frame.to_numpy() >= 0).all()
