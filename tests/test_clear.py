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
from amnesty_model import clear as _clear_module

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


# --------------------------------------------------------------------------------------------
# The chunked vectorised path (arrays of float64 or integers): same answers and same refusals
# as the element-by-element definition, across chunk boundaries.


def _reference(S: float, r: float, a: float, mu: float) -> float:
    """The closed form, one scenario at a time, with the standard library only."""
    if S == 0:
        return 0.0
    if r <= a:
        return math.inf
    log_x = math.log(mu) + math.log(S) - math.log(r - a) if mu > 0 else -math.inf
    if log_x > 700:  # x = μ S/(r − a) beyond floats: ln(1 + x) = ln x + ln(1 + 1/x)
        return (log_x + math.log1p(math.exp(-log_x))) / mu
    base = S / (r - a)  # inf when beyond floats (the library must then refuse)
    x = mu * base
    return base if x == 0 else base * (math.log1p(x) / x)


def _mixed(n: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    S = rng.uniform(0, 2e5, n)
    S[rng.random(n) < 0.1] = 0.0
    r = rng.uniform(100, 5_000, n)
    a = rng.uniform(0, 4_000, n)
    tie = rng.random(n) < 0.05
    a[tie] = r[tie]  # r = a exactly: never clears (or 0 for an empty stock)
    mu = np.where(rng.random(n) < 0.3, rng.uniform(0, 0.05, n), 0.0)
    return S, r, a, mu


@pytest.mark.parametrize(
    "n", [1, 7, _clear_module._CHUNK, _clear_module._CHUNK + 1, 2 * _clear_module._CHUNK + 3]
)
def test_vectorised_path_matches_the_closed_form_across_chunks(n: int) -> None:
    S, r, a, mu = _mixed(n, n)
    got = am.time_to_clear(S, r, a, death_rate=mu)
    want = np.array([_reference(*v) for v in zip(S, r, a, mu, strict=True)])
    np.testing.assert_allclose(got, want, rtol=4e-15, atol=0)
    assert not np.signbit(got).any()  # no -0.0 for an empty stock
    no_deaths = am.time_to_clear(S, r, a)
    want0 = np.array([_reference(s, x, y, 0.0) for s, x, y in zip(S, r, a, strict=True)])
    np.testing.assert_allclose(no_deaths, want0, rtol=4e-16, atol=0)


def test_vectorised_path_signed_zeros_and_scalars() -> None:
    # r = -0.0 with a = 0 (allowed: -0 >= 0) must not give -inf; S = -0.0 gives +0.0
    got = am.time_to_clear(np.array([5.0, -0.0, 0.0, 5.0]), np.array([-0.0, 3.0, -0.0, 2.0]), 0.0)
    assert list(got) == [math.inf, 0.0, 0.0, 2.5]
    assert not np.signbit(got).any()
    # an empty stock where arrests outpace releases: 0 / negative is -0.0, returned as +0.0
    got = am.time_to_clear(np.zeros(3), np.array([1.0, 2.0, 3.0]), 5.0, death_rate=0.01)
    assert not np.signbit(got).any() and (got == 0).all()


def test_vectorised_path_integers_broadcasting_and_views() -> None:
    S = np.arange(0, 12, dtype=np.int64).reshape(3, 4) * 1_000
    r = np.array([[1_000.0], [2_000.0], [500.0]])
    got = am.time_to_clear(S, r, 500, death_rate=np.array([0.0, 0.02, 0.0, 0.5]))
    deaths = [0.0, 0.02, 0.0, 0.5]
    want = np.array(
        [
            [_reference(float(S[i, j]), float(r[i, 0]), 500.0, deaths[j]) for j in range(4)]
            for i in range(3)
        ]
    )
    assert got.shape == (3, 4)
    np.testing.assert_allclose(got, want, rtol=4e-15)
    strided = np.linspace(1.0, 1e5, 2 * 40_000)[::2]  # not contiguous
    np.testing.assert_allclose(am.time_to_clear(strided, 3.0), strided / 3.0, rtol=1e-15)
    assert am.time_to_clear(np.float32(6), 3) == 2.0  # all scalars: still a float


@pytest.mark.parametrize(
    ("name", "bad", "match"),
    [
        ("stock", math.nan, "stock must be"),
        ("stock", -1.0, "stock must be"),
        ("stock", math.inf, "stock must be"),
        ("release_rate", math.nan, "release_rate must be"),
        ("release_rate", math.inf, "release_rate must be"),
        ("release_rate", -2.0, "release_rate must be"),
        ("arrest_rate", math.nan, "arrest_rate must be"),
        ("arrest_rate", -3.0, "arrest_rate must be"),
        ("arrest_rate", math.inf, "arrest_rate must be"),
        ("death_rate", math.nan, "death_rate must be"),
        ("death_rate", -0.1, "death_rate must be"),
        ("death_rate", 2.0, "death_rate"),
    ],
)
def test_vectorised_path_checks_every_element(name: str, bad: float, match: str) -> None:
    """One bad value deep in a later chunk is still found, and named."""
    S, r, a, mu = _mixed(100_003, 5)
    values = {"stock": S, "release_rate": r, "arrest_rate": a, "death_rate": mu}
    values = {k: v.copy() for k, v in values.items()}
    values[name][77_777] = bad
    with pytest.raises(ValueError, match=match):
        am.time_to_clear(
            values["stock"],
            values["release_rate"],
            values["arrest_rate"],
            death_rate=values["death_rate"],
        )


def test_vectorised_path_overflow_and_extreme_deaths() -> None:
    big = np.full(40_000, 1.0)
    big[39_999] = 1e308
    with pytest.raises(ValueError, match="larger than the largest float"):
        am.time_to_clear(big, 1e-300 + np.zeros(40_000))
    mu = np.zeros(40_000)
    mu[-1] = 3.0
    got = am.time_to_clear(
        np.full(40_000, 10.0), 1.0, death_rate=mu, allow_extreme_death_rate=True
    )
    assert got[-1] == pytest.approx(math.log1p(30.0) / 3.0, rel=1e-15)
    assert got[0] == 10.0
    # μ S/(r − a) beyond the largest float: the logarithmic form of the general path
    got = am.time_to_clear(np.array([1e300, 1.0]), np.array([1e-10, 1.0]), death_rate=0.5)
    assert got[0] == pytest.approx((math.log(0.5) + math.log(1e300) - math.log(1e-10)) / 0.5)


@given(
    st.lists(
        st.tuples(
            st.one_of(st.just(0.0), st.just(-0.0), st.floats(0, 1e12)),
            st.one_of(st.just(0.0), st.floats(0, 1e6)),
            st.one_of(st.just(0.0), st.floats(0, 1e6)),
            st.one_of(st.just(0.0), st.floats(0, 1.0)),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_vectorised_path_property(rows: list[tuple[float, float, float, float]]) -> None:
    S, r, a, mu = (np.array(c) for c in zip(*rows, strict=True))
    want_all = [_reference(*row) for row in rows]
    if any(
        math.isinf(w) and row[0] > 0 and row[1] > row[2]
        for w, row in zip(want_all, rows, strict=True)
    ):
        with pytest.raises(ValueError, match="larger than the largest float"):
            am.time_to_clear(S, r, a, death_rate=mu)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = am.time_to_clear(S, r, a, death_rate=mu)
    for g, row in zip(got, rows, strict=True):
        want = _reference(*row)
        assert g == pytest.approx(want, rel=1e-13, abs=0) or (math.isinf(g) and math.isinf(want))
        assert not math.copysign(1.0, g) < 0


@given(
    st.one_of(st.just(0.0), st.floats(0, 1e300), st.integers(0, 10**20)),
    st.one_of(st.just(0.0), st.floats(0, 1e300)),
    st.one_of(st.just(0.0), st.floats(0, 1e300)),
    st.one_of(st.just(0.0), st.floats(0, 1.0)),
)
def test_python_number_path_matches_the_array_path(S, r, a, mu) -> None:
    """Four Python numbers take a pure-Python path: the same float as a 1-element array."""
    try:
        want = float(am.time_to_clear(np.array([float(S)]), r, a, death_rate=mu)[0])
    except ValueError:  # the array path refuses: the number path must refuse alike
        with pytest.raises(ValueError, match="larger than the largest float"):
            am.time_to_clear(S, r, a, death_rate=mu)
        return
    got = am.time_to_clear(S, r, a, death_rate=mu)
    assert type(got) is float
    assert got == want or (math.isnan(got) and math.isnan(want))
    assert got == pytest.approx(_reference(float(S), r, a, mu), rel=1e-13)


def test_python_number_path_refusals_name_the_input() -> None:
    with pytest.raises(ValueError, match="stock must be"):
        am.time_to_clear(-1.0, 1.0)
    with pytest.raises(ValueError, match="release_rate must be"):
        am.time_to_clear(1.0, math.nan)
    with pytest.raises(ValueError, match="arrest_rate must be"):
        am.time_to_clear(1.0, 2.0, math.inf)
    with pytest.raises(ValueError, match="death_rate"):
        am.time_to_clear(1.0, 2.0, death_rate=3.0)
    with pytest.raises(ValueError, match="too large for a float"):
        am.time_to_clear(10**400, 2.0)
    with pytest.raises(TypeError, match="stock"):
        am.time_to_clear(True, 2.0)
    assert am.time_to_clear(3, 2) == 1.5
    assert am.time_to_clear(10.0, 1.0, death_rate=3.0, allow_extreme_death_rate=True) == (
        pytest.approx(math.log1p(30.0) / 3.0, rel=1e-15)
    )
