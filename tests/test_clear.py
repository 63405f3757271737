"""Tests of the closed-form time to clear (docs/methods.md §1).

Reference values come from the report (132,000 / 1,000 = 132 years), from docs/methods.md
(264 years with 500 arrests a year; 64.6 years with 2 % dying each year), and from two
independent numerical integrations written here: scipy's solve_ivp with a terminal event,
and a plain fixed-step integration of dS/dt = a − r − μS.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

import amnesty_model as am

stocks = st.floats(1.0, 1e6)
rates = st.one_of(st.just(0.0), st.floats(1e-3, 1e4))
deaths = st.one_of(st.just(0.0), st.floats(1e-12, 0.5))


def ode_time_to_clear(S0: float, r: float, a: float, mu: float) -> float:
    """Independent reference: integrate dS/dt = a − r − μS until S = 0 (solve_ivp, event)."""

    def empty(t: float, y: np.ndarray) -> float:
        return float(y[0])

    empty.terminal = True  # type: ignore[attr-defined]
    horizon = 1.5 * S0 / (r - a)  # the no-death answer is an upper bound
    sol = solve_ivp(
        lambda t, y: a - r - mu * y,
        (0, horizon),
        [S0],
        events=empty,
        max_step=horizon / 100,
        method="DOP853",
        rtol=1e-12,
        atol=1e-12,
    )
    return float(sol.t_events[0][0])


def euler_time_to_clear(S0: float, r: float, a: float, mu: float, steps: int = 200_000) -> float:
    """Independent reference: explicit time stepping with linear interpolation at the crossing."""
    dt = (S0 / (r - a)) / steps * 1.5
    S, t = S0, 0.0
    while True:
        # Exact update for a linear ODE over one step would be the method under test;
        # use a midpoint (RK2) step instead, error O(dt^2).
        k1 = a - r - mu * S
        k2 = a - r - mu * (S + 0.5 * dt * k1)
        new = S + dt * k2
        if new <= 0:
            return t + dt * S / (S - new)
        S, t = new, t + dt


def test_report_headline_is_132_years() -> None:
    # The report: 132,000 held, one decree a year releasing 1,000, no new arrests.
    assert am.time_to_clear(132_000, 1_000) == 132.0


def test_model_md_reference_values() -> None:
    # docs/methods.md §1: 264 years with 500 arrests a year; 64.6 years with 2 % dying each year.
    assert am.time_to_clear(132_000, 1_000, 500) == 264.0
    years = am.time_to_clear(132_000, 1_000, death_rate=0.02)
    assert years == pytest.approx(math.log(1 + 0.02 * 132_000 / 1_000) / 0.02, rel=1e-15)
    assert round(years, 1) == 64.6


def test_never_and_empty() -> None:
    assert am.time_to_clear(132_000, 1_000, 1_000) == math.inf
    assert am.time_to_clear(132_000, 1_000, 1_200) == math.inf
    assert am.time_to_clear(132_000, 0) == math.inf
    assert am.time_to_clear(132_000, 0, death_rate=0.1) == math.inf
    assert am.time_to_clear(0, 0) == 0.0
    assert am.time_to_clear(0, 1_000, 5_000, death_rate=0.3) == 0.0


def test_scalar_in_float_out_and_array_in_array_out() -> None:
    assert type(am.time_to_clear(10, 1)) is float
    out = am.time_to_clear([132_000, 66_000], 1_000, [[0.0], [500.0]])
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, [[132.0, 66.0], [264.0, 132.0]])
    assert type(am.time_to_clear(np.float64(10), np.int64(1))) is float


def test_series_in_series_out_on_the_same_index() -> None:
    stock = pd.Series([132_000.0, 87_000.0], index=["terrorism", "disappeared"])
    out = am.time_to_clear(stock, 1_000)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["terrorism", "disappeared"]
    assert out["disappeared"] == 87.0


def test_series_with_different_indexes_are_refused() -> None:
    with pytest.raises(ValueError, match="different indexes"):
        am.time_to_clear(pd.Series([1.0, 2.0], index=[0, 1]), pd.Series([1.0, 2.0], index=[1, 0]))


@given(stocks, rates, rates, deaths)
def test_closed_form_matches_solve_ivp(S0: float, r: float, a: float, mu: float) -> None:
    assume(r > a * 1.01 + 1e-3)
    # Tolerance: DOP853 at rtol = atol = 1e-12; the event root adds ~1e-10 relative.
    assert am.time_to_clear(S0, r, a, death_rate=mu) == pytest.approx(
        ode_time_to_clear(S0, r, a, mu), rel=1e-7
    )


@pytest.mark.parametrize(
    ("S0", "r", "a", "mu"),
    [(132_000, 1_000, 0, 0.02), (132_000, 1_000, 500, 0.01), (50, 3, 1, 0.2), (1e6, 2e5, 1e5, 0)],
)
def test_closed_form_matches_plain_time_stepping(S0: float, r: float, a: float, mu: float) -> None:
    # RK2 with 200,000 steps: global error ~ (T/steps)^2 · μ^2 S relative ≪ 1e-6.
    assert am.time_to_clear(S0, r, a, death_rate=mu) == pytest.approx(
        euler_time_to_clear(S0, r, a, mu), rel=1e-6
    )


@given(stocks, rates, rates, deaths, st.floats(1.001, 10.0))
def test_monotone_in_each_rate(S0: float, r: float, a: float, mu: float, f: float) -> None:
    base = am.time_to_clear(S0, r, a, death_rate=mu)
    assert am.time_to_clear(S0, r * f, a, death_rate=mu) <= base
    assert am.time_to_clear(S0, r, a * f, death_rate=mu) >= base
    assert am.time_to_clear(S0 * f, r, a, death_rate=mu) >= base
    assert am.time_to_clear(S0, r, a, death_rate=mu * f, allow_extreme_death_rate=True) <= base


@given(stocks, rates, rates, deaths, st.floats(1e-3, 1e3))
def test_unchanged_when_all_counts_are_rescaled(
    S0: float, r: float, a: float, mu: float, k: float
) -> None:
    # Scaling people (stock and both rates) by k leaves the years unchanged; μ is per person.
    # Exclude r and a within 1e-9 of each other: their difference is then a few rounding units,
    # which rescaling changes (ill-conditioned input, not a property of the model).
    assume(r == a or abs(r - a) > 1e-9 * max(r, a))
    base = am.time_to_clear(S0, r, a, death_rate=mu)
    scaled = am.time_to_clear(S0 * k, r * k, a * k, death_rate=mu)
    if math.isinf(base):
        assert math.isinf(scaled)
    else:
        assert scaled == pytest.approx(base, rel=1e-12)


@given(stocks, rates, rates, deaths)
def test_infinite_exactly_when_releases_do_not_exceed_arrests(
    S0: float, r: float, a: float, mu: float
) -> None:
    assert math.isinf(am.time_to_clear(S0, r, a, death_rate=mu)) == (r <= a)


@given(stocks, st.floats(1.0, 1e4), st.floats(0.0, 0.99))
def test_vectorised_equals_scalar_loop(S0: float, r: float, share: float) -> None:
    a = np.array([0.0, share * r, r, 2 * r])
    mu = np.array([0.0, 1e-12, 0.01, 0.3])
    vector = am.time_to_clear(S0, r, a, death_rate=mu)
    loop = [am.time_to_clear(S0, r, ai, death_rate=mi) for ai, mi in zip(a, mu, strict=True)]
    np.testing.assert_array_equal(vector, loop)


def test_death_rate_limit_is_smooth() -> None:
    # As μ → 0 the answer converges to S0/(r−a) with error ≈ S0/(r−a) · μS0/(2(r−a)).
    for mu in [1e-3, 1e-6, 1e-9, 1e-12, 1e-15, 1e-300]:
        years = am.time_to_clear(132_000, 1_000, 500, death_rate=mu)
        x = mu * 132_000 / 500
        assert years == pytest.approx(264.0 * (1 - x / 2), rel=max(x * x, 1e-15))


def test_no_warning_for_extreme_valid_inputs() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert am.time_to_clear(1e300, 1e300, 0) == 1.0
        assert am.time_to_clear(1e-300, 1e300) == 0.0  # underflows: below the smallest float
        assert am.time_to_clear(1e300, 1e-9, death_rate=1e-9) == pytest.approx(
            (math.log(1e-9) + math.log(1e300) - math.log(1e-9)) / 1e-9, rel=1e-12
        )
        assert am.time_to_clear(1e9, 1e9 * (1 + 1e-15), 1e9) == pytest.approx(
            1e9 / (1e9 * (1 + 1e-15) - 1e9), rel=1e-15
        )
        assert am.time_to_clear(5.0, 2.0, 2.0, death_rate=1e-300) == math.inf
        assert am.time_to_clear(
            1.0, 1e-9, death_rate=1e300, allow_extreme_death_rate=True
        ) == pytest.approx((math.log(1e300) - math.log(1e-9)) / 1e300, rel=1e-12)


def test_result_too_large_for_a_float_is_an_error_not_never() -> None:
    with pytest.raises(ValueError, match="larger than the largest float"):
        am.time_to_clear(1e300, 1e-10)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"stock": -1}, ValueError, r"stock must be a finite number >= 0, got -1"),
        ({"stock": math.nan}, ValueError, r"stock must be .* got nan"),
        ({"release_rate": math.inf}, ValueError, r"release_rate must be a finite number"),
        ({"arrest_rate": "500"}, TypeError, r"arrest_rate must be .* got '500' \(str\)"),
        ({"arrest_rate": None}, TypeError, r"arrest_rate must be .* got None"),
        ({"release_rate": True}, TypeError, r"release_rate must be .* got True \(bool\)"),
        ({"death_rate": -0.1}, ValueError, r"death_rate must be a finite number >= 0"),
        ({"stock": [1.0, -2.0]}, ValueError, r"stock .*first bad element: -2.0"),
        ({"stock": [1, 2], "release_rate": [1, 2, 3]}, ValueError, r"shapes do not broadcast"),
        ({"stock": 10**400}, ValueError, r"stock .*too large for a float"),
        # Infinite array elements, which the fast path must hand to the full check:
        (
            {"stock": [1.0, math.inf]},
            ValueError,
            r"stock must be a finite .*first bad element: inf",
        ),
        ({"release_rate": [math.inf, 5.0]}, ValueError, r"release_rate must be a finite number"),
        ({"arrest_rate": [math.inf]}, ValueError, r"arrest_rate must be a finite number"),
        (
            {"stock": [1.0, math.nan]},
            ValueError,
            r"stock must be a finite .*first bad element: nan",
        ),
        ({"stock": [[1], [1, 2]]}, ValueError, r"stock must be"),
        ({"stock": ["a"]}, TypeError, r"stock must be .* array of"),
        ({"stock": [True]}, TypeError, r"stock must be .* booleans"),
        ({"stock": 1 + 2j}, TypeError, r"stock must be .* complex"),
    ],
)
def test_bad_input_names_parameter_and_value(
    kwargs: dict[str, object], exc: type[Exception], match: str
) -> None:
    args: dict[str, object] = {"stock": 100.0, "release_rate": 10.0}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        am.time_to_clear(**args)  # type: ignore[arg-type]


def test_never_reason_texts() -> None:
    assert am.never_reason(132_000, 1_000, 1_200) == (
        "arrests (1,200/yr) outpace releases (1,000/yr)"
    )
    assert am.never_reason(132_000, 0) == "release rate is zero"
    assert "shrink the stock but never to zero" in am.never_reason(10, 0, death_rate=0.1)
    assert am.never_reason(10, 0, 5) == "release rate is zero and arrests (5/yr) add to the stock"
    assert (
        am.never_reason(10, 5, 5) == "arrests (5/yr) equal releases (5/yr): the stock never falls"
    )
    assert "never to zero" in am.never_reason(10, 5, 5, death_rate=0.1)
    # S* = (a − r)/μ = 200 / 0.02 = 10,000
    assert am.never_reason(10, 1_000, 1_200, death_rate=0.02).endswith("near 10,000 held")
    assert am.never_reason(0, 0) is None
    assert am.never_reason(10, 1.5, 2.25) == "arrests (2.25/yr) outpace releases (1.5/yr)"


def test_never_reason_with_vanishing_death_rate_does_not_overflow() -> None:
    # (a − r)/μ = 200 / 2e-311 overflows a float: the reason must still be a sentence.
    assert am.never_reason(10, 1_000, 1_200, death_rate=2e-311).endswith(
        "grows almost without bound (deaths too rare to matter)"
    )
