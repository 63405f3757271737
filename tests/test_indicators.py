"""Tests of the CEPEJ court-efficiency indicators.

Reference values are computed by hand from the CEPEJ definitions (docs/indicators.md):
CR = resolved / incoming × 100 %, CTR = resolved / pending, DT = 365 / CTR days.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from amnesty_model._time import DAYS_PER_YEAR
from amnesty_model.clear import time_to_clear
from amnesty_model.indicators import CEPEJ_DAYS_PER_YEAR, cepej_indicators

KEYS = ["clearance_rate_percent", "case_turnover_ratio", "disposition_time_days"]


def test_report_arithmetic_by_hand() -> None:
    # 132,000 held, 1,000 released a year: DT = 365 × 132,000 / 1,000 = 132 × 365 = 48,180 days.
    ind = cepej_indicators(132_000, 1_000)
    assert list(ind) == KEYS
    assert ind["disposition_time_days"] == 48_180.0
    assert ind["disposition_time_days"] == 132 * 365
    # CTR = 1,000 / 132,000 = 1/132 per year.
    assert ind["case_turnover_ratio"] == pytest.approx(1 / 132, rel=1e-15)
    # No arrests, some releases: the clearance rate is infinite.
    assert ind["clearance_rate_percent"] == math.inf
    for value in ind.values():
        assert type(value) is float


def test_365_not_365_25() -> None:
    # CEPEJ counts 365 days a year; the model's year has 365.25 days, so the two "days to
    # clear" differ by the factor 365 / 365.25 when nobody is arrested.
    assert CEPEJ_DAYS_PER_YEAR == 365.0
    assert DAYS_PER_YEAR == 365.25
    dt_days = cepej_indicators(132_000, 1_000)["disposition_time_days"]
    model_days = time_to_clear(132_000, 1_000) * DAYS_PER_YEAR
    assert model_days == 48_213.0  # 132 × 365.25
    assert dt_days / model_days == pytest.approx(365 / 365.25, rel=1e-15)


def test_clearance_rates_by_hand() -> None:
    # 1,000 released against 500, 1,000, 2,000 arrested: 200 %, 100 %, 50 %.
    out = cepej_indicators(132_000, 1_000, [500, 1_000, 2_000])["clearance_rate_percent"]
    np.testing.assert_array_equal(out, [200.0, 100.0, 50.0])
    # SNHR, 5 July 2022: 539 released and 124 arrested since the decree (same span):
    # 539 / 124 × 100 = 434.677... %.
    cr = cepej_indicators(132_000, 539, 124)["clearance_rate_percent"]
    assert cr == pytest.approx(53_900 / 124, rel=1e-15)
    assert round(cr, 1) == 434.7


def test_disposition_time_ignores_arrests() -> None:
    # DT is the same whatever the arrests; the stock may never clear (documented caveat).
    ind = cepej_indicators(132_000, 1_000, 1_000)
    assert ind["disposition_time_days"] == 48_180.0
    assert ind["clearance_rate_percent"] == 100.0
    assert time_to_clear(132_000, 1_000, 1_000) == math.inf


def test_zero_conventions() -> None:
    # Nobody arrested, nobody released: clearance rate 100 % by convention.
    assert cepej_indicators(10, 0, 0)["clearance_rate_percent"] == 100.0
    # Arrests but no releases: 0 %.
    assert cepej_indicators(10, 0, 5)["clearance_rate_percent"] == 0.0
    # Held but nobody released: turnover 0, disposition time never.
    held = cepej_indicators(10, 0, 0)
    assert held["case_turnover_ratio"] == 0.0
    assert held["disposition_time_days"] == math.inf
    # Nobody held: turnover inf, disposition time 0, with or without releases.
    for release in (0.0, 3.0):
        empty = cepej_indicators(0, release, 0)
        assert empty["case_turnover_ratio"] == math.inf
        assert empty["disposition_time_days"] == 0.0
        # DT = 365 / CTR holds at the edge too.
        assert empty["disposition_time_days"] == 365 / empty["case_turnover_ratio"]


def test_series_and_arrays() -> None:
    index = pd.Index(["may", "jul", "aug"], name="count")
    stock = pd.Series([132_000.0, 132_000.0, 132_000.0], index=index)
    released = pd.Series([523.0, 539.0, 556.0], index=index)
    ind = cepej_indicators(stock, released)
    for key in KEYS:
        assert isinstance(ind[key], pd.Series)
        assert ind[key].index.equals(index)
        assert ind[key].name == key
    # 365 × 132,000 / 523, by hand.
    assert ind["disposition_time_days"]["may"] == pytest.approx(365 * 132_000 / 523, rel=1e-15)
    grid = cepej_indicators(np.array([[1.0], [2.0]]), np.array([1.0, 4.0]))
    assert grid["disposition_time_days"].shape == (2, 2)
    np.testing.assert_array_equal(grid["disposition_time_days"], [[365, 91.25], [730, 182.5]])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"stock": -1, "release_rate": 1}, ValueError, r"stock must be a finite number >= 0"),
        (
            {"stock": 1, "release_rate": math.nan},
            ValueError,
            # (the scalar NaN message of _validation says ">= -inf"; reported to the lead)
            r"release_rate must be .*got nan",
        ),
        (
            {"stock": 1, "release_rate": 1, "arrest_rate": math.inf},
            ValueError,
            r"arrest_rate must be a finite number >= 0",
        ),
        ({"stock": "132000", "release_rate": 1}, TypeError, r"stock must be .*\(str\)"),
        (
            {"stock": [1, 2], "release_rate": [1, 2, 3]},
            ValueError,
            r"input shapes do not broadcast together",
        ),
    ],
)
def test_bad_input(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        cepej_indicators(**kwargs)


def test_overflow_is_an_error_not_inf() -> None:
    # 1e308 held over 1e-10 released a year: 3.65e320 days, beyond the largest float.
    with pytest.raises(ValueError, match=r"disposition time is finite but larger than"):
        cepej_indicators(1e308, 1e-10)
    with pytest.raises(ValueError, match=r"clearance rate is finite but larger than"):
        cepej_indicators(1, 1e307, 1e-10)


@given(
    stock=st.floats(min_value=1e-3, max_value=1e9),
    release=st.floats(min_value=1e-3, max_value=1e9),
    arrest=st.floats(min_value=1e-3, max_value=1e9),
)
def test_identities(stock: float, release: float, arrest: float) -> None:
    # DT = 365 / CTR and CR = 100 r / a, for positive inputs.
    ind = cepej_indicators(stock, release, arrest)
    assert ind["disposition_time_days"] == pytest.approx(365 / ind["case_turnover_ratio"])
    assert ind["clearance_rate_percent"] == pytest.approx(100 * release / arrest)
    # DT / 365 years equals the time to clear with no arrests (in model years, up to rounding).
    assert ind["disposition_time_days"] / 365 == pytest.approx(time_to_clear(stock, release))


def test_subnormal_stock_turnover_is_inf_like_an_empty_stock() -> None:
    # Regression (fuzz suite): stock 2.2250738585072014e-308 (the smallest normal float) with
    # 4 released a year gave "the case turnover ratio is finite but larger than the largest
    # float": r / S = 1.8e308 > 1.798e308. So few held are released at once, as nobody held.
    S = 2.2250738585072014e-308
    ind = cepej_indicators(S, 4.0, 0.0)
    assert ind["case_turnover_ratio"] == math.inf
    assert ind["clearance_rate_percent"] == math.inf  # no arrests, some releases
    # DT = 365 S / r, exactly in rational arithmetic, then rounded once to a float.
    assert ind["disposition_time_days"] == float(Fraction(365) * Fraction(S) / 4)
    assert 0.0 < ind["disposition_time_days"] < 1e-300
    # A subnormal stock, and the smallest one, too.
    for tiny in (1e-310, 5e-324):
        assert cepej_indicators(tiny, 1.0)["case_turnover_ratio"] == math.inf
    # Just inside the float range the ratio is finite: 1 / 1e-308 = 1e308.
    assert cepej_indicators(1e-308, 1.0)["case_turnover_ratio"] == 1e308


def test_array_with_a_vanishing_stock_equals_the_scalar_loop() -> None:
    stocks = [2.2250738585072014e-308, 0.0, 132_000.0, 5e-324]
    vec = cepej_indicators(np.array(stocks), 4.0, 2.0)
    for i, S in enumerate(stocks):
        for key, value in cepej_indicators(S, 4.0, 2.0).items():
            assert vec[key][i] == value
    np.testing.assert_array_equal(
        vec["case_turnover_ratio"], [math.inf, math.inf, 4 / 132_000, math.inf]
    )


def test_array_raises_when_one_element_would() -> None:
    # 1e308 held, 1e-10 released a year: DT = 3.65e320 days. The scalar call raises; so does any
    # array holding that element, with the same message, whatever the other elements.
    with pytest.raises(ValueError, match="disposition time is finite") as scalar:
        cepej_indicators(1e308, 1e-10)
    with pytest.raises(ValueError, match="disposition time is finite") as vector:
        cepej_indicators(np.array([1.0, 1e308]), 1e-10)
    assert str(vector.value) == str(scalar.value)


_ANY_SIZE = st.one_of(
    st.just(0.0),
    st.floats(min_value=0.0, max_value=1e-300),  # subnormal and tiny
    st.floats(min_value=0.0, max_value=1.7976931348623157e308),
)


def _outcome(S: float, r: float, a: float) -> dict[str, float] | str:
    try:
        return cepej_indicators(S, r, a)
    except ValueError as exc:
        return str(exc)


@given(st.lists(_ANY_SIZE, min_size=1, max_size=5), _ANY_SIZE, _ANY_SIZE)
def test_vector_and_scalar_routes_agree_on_values_and_errors(
    stocks: list[float], r: float, a: float
) -> None:
    # Every finite input >= 0 gives the same result on both routes: the same numbers, or the
    # same named error (an array raises when one of its elements would).
    loop = [_outcome(S, r, a) for S in stocks]
    errors = [o for o in loop if isinstance(o, str)]
    if errors:
        with pytest.raises(ValueError, match="larger than the largest float") as exc:
            cepej_indicators(np.array(stocks), r, a)
        assert str(exc.value) in errors
        assert "case turnover ratio" not in str(exc.value)  # tiny stocks are never refused
        return
    vec = cepej_indicators(np.array(stocks), r, a)
    for i, one in enumerate(loop):
        assert isinstance(one, dict)
        for key, value in one.items():
            assert vec[key][i] == value
            assert not math.isnan(value)
        # CTR = r / S, correctly rounded, wherever it is inside the float range.
        S = stocks[i]
        if S > 0 and Fraction(r) / Fraction(S) < Fraction(1e308):
            assert one["case_turnover_ratio"] == float(Fraction(r) / Fraction(S))
        elif S > 0 and r > 0:
            assert one["case_turnover_ratio"] >= 1e308  # the largest floats, or inf beyond
