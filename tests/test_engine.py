"""Release rules: exact stepping against closed forms written here and against solve_ivp.

References:
- decrees (docs/methods.md §1): with arrests a between decrees of R every Δ years (first after Δ),
  the prisons empty at decree k* = ceil(S0 / (R − aΔ)), i.e. at t = k*·Δ;
- decrees with deaths: a plain loop over decrees with exponential relaxation between them;
- proportional release: S(t) = S* + (S0 − S*)e^{−(ρ+μ)t}, S* = a/(ρ+μ);
- geometric release, no arrests: T = ln(1 + γS0/r0)/γ (docs/methods.md §1); with deaths,
  T = ln(1 + (γ+μ)S0/r0)/(γ+μ); with arrests, the root of the closed-form S(t) (brentq);
- schedules: piecewise sums of the constant-rate closed form.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

import amnesty_model as am
from amnesty_model.engine import solve_exact, solve_ode


def conserved(frame, stock: float) -> float:
    """Largest violation of held = initial + arrested − released − died."""
    return float(np.abs(frame.held - (stock + frame.arrested - frame.released - frame.died)).max())


# -- decrees ---------------------------------------------------------------------------------


def decree_reference(S0: float, R: float, delta: float, a: float, mu: float) -> float:
    """Loop over decrees: relax towards a/μ between them, release min(R, held) at each."""
    held, t = S0, 0.0
    for _ in range(100_000):
        t += delta
        held = a * delta + held if mu == 0 else a / mu + (held - a / mu) * math.exp(-mu * delta)
        if held <= R * (1 + 1e-12):
            return t
        held -= R
    return math.inf


def test_report_decrees_take_132_years() -> None:
    # "A decree every year releasing one thousand → 132 years" (the report; first after a year).
    s = am.Scenario(132_000, am.Decrees(1_000))
    assert s.time_to_clear() == 132.0
    assert s.time_to_clear(method="ode") == 132.0


@pytest.mark.parametrize(
    ("a", "expected"),
    [
        (0.0, 132.0),  # 132,000 / 1,000 exactly: the 132nd decree releases the last 1,000
        (100.0, 147.0),  # 132,000 / 900 = 146.67 → 147
        (500.0, 264.0),  # 132,000 / 500 = 264 exactly: boundary counts as cleared
        (999.0, 132_000.0),
        (1_000.0, math.inf),  # R = aΔ: each decree only offsets the year's arrests
        (1_500.0, math.inf),
    ],
)
def test_decree_closed_form_k_star(a: float, expected: float) -> None:
    k_star = math.ceil(132_000 / (1_000 - a)) if a < 1_000 else math.inf
    assert expected == k_star
    assert am.Scenario(132_000, am.Decrees(1_000), a).time_to_clear() == expected


def test_decree_first_at_start_shifts_by_one_interval() -> None:
    s = am.Scenario(132_000, am.Decrees(1_000, every=1.0, first=0.0))
    assert s.time_to_clear() == 131.0


@given(
    st.floats(1, 1e5),
    st.floats(1, 1e4),
    st.floats(0.1, 5),
    st.floats(0, 1e3),
    st.one_of(st.just(0.0), st.floats(1e-4, 0.3)),
)
def test_decree_closed_form_matches_loop(
    S0: float, R: float, delta: float, a: float, mu: float
) -> None:
    reference = decree_reference(S0, R, delta, a, mu)
    assume(reference < 50_000 * delta)
    # Skip knife-edge cases where a decree leaves (almost) exactly zero: rounding decides.
    held_fraction = [(S0 + a * k * delta) / R - k for k in range(1, 4)]
    assume(all(abs(h - round(h)) > 1e-6 for h in held_fraction))
    got = am.Scenario(S0, am.Decrees(R, every=delta), a, death_rate=mu).time_to_clear()
    assert got == pytest.approx(reference, rel=1e-9, abs=1e-9)


def test_decree_projection_conserves_and_matches_ode() -> None:
    s = am.Scenario(13_200, am.Decrees(1_000, every=0.5), 300, death_rate=0.03)
    exact = s.project(step=0.25)
    ode = s.project(step=0.25, method="ode")
    assert conserved(exact.frame, 13_200) < 1e-8
    assert conserved(ode.frame, 13_200) < 1e-4
    np.testing.assert_allclose(exact.frame.held, ode.frame.held, rtol=1e-6, atol=1e-4)


# -- proportional ----------------------------------------------------------------------------


@given(st.floats(10, 1e5), st.floats(0.01, 2), st.floats(0, 1e3), st.floats(0, 0.2))
def test_proportional_closed_form(S0: float, rho: float, a: float, mu: float) -> None:
    N = 1.0
    k = rho + mu
    # ln((S0 − S*)/(N − S*))/k with S* = a/k, written as log1p(k(S0 − N)/(kN − a))/k and
    # kN − a summed as (ρN − a) + μN so that the ill-conditioned case ρN ≈ a keeps its digits.
    outflow = (rho * N - a) + mu * N
    if outflow <= 0:
        expected = math.inf
    else:  # ln(1 + x) with x = k(S0 − N)/outflow, in logarithms when x overflows (μ ~ 1e-323)
        log_x = math.log(k) + math.log(S0 - N) - math.log(outflow)
        expected = (math.log1p(math.exp(log_x)) if log_x < 700 else log_x) / k
    s = am.Scenario(S0, am.Proportional(rho), a, death_rate=mu)
    got = s.time_to_clear()
    if math.isinf(expected):
        assert math.isinf(got)
        assert "settles near" in s.reason
    else:
        assert got == pytest.approx(expected, rel=1e-10)


def test_proportional_threshold_and_ode() -> None:
    s = am.Scenario(132_000, am.Proportional(0.1, clear_below=1_000), 50, death_rate=0.01)
    expected = math.log((132_000 - 50 / 0.11) / (1_000 - 50 / 0.11)) / 0.11
    assert s.time_to_clear() == pytest.approx(expected, rel=1e-12)
    assert s.time_to_clear(method="ode") == pytest.approx(expected, rel=1e-7)
    p = s.project(horizon=80, step=0.5)
    assert conserved(p.frame, 132_000) < 1e-7
    t = p.frame.index.to_numpy()
    held = 50 / 0.11 + (132_000 - 50 / 0.11) * np.exp(-0.11 * t)
    np.testing.assert_allclose(p.frame.held, held, rtol=1e-10)
    # Released and died split the outflow in proportion ρ : μ = 10 : 1 (arrests add to both).
    assert p.frame.released.iloc[-1] / p.frame.died.iloc[-1] == pytest.approx(10.0, rel=1e-10)
    ode = s.project(horizon=80, step=0.5, method="ode")
    np.testing.assert_allclose(ode.frame.held, held, rtol=1e-6)


def test_proportional_already_below_threshold() -> None:
    assert am.Scenario(10, am.Proportional(0.5, clear_below=20)).time_to_clear() == 0.0


# -- geometric -------------------------------------------------------------------------------


@pytest.mark.parametrize(("g", "mu"), [(0.05, 0.0), (0.05, 0.02), (-0.005, 0.0), (-0.02, 0.03)])
def test_geometric_closed_form(g: float, mu: float) -> None:
    # docs/methods.md §1: T = ln(1 + γ S0 / r0)/γ; deaths add μ to the exponent.
    k = g + mu
    expected = math.log1p(k * 132_000 / 1_000) / k
    s = am.Scenario(132_000, am.Geometric(1_000, g), death_rate=mu)
    assert s.time_to_clear() == pytest.approx(expected, rel=1e-12)
    assert s.time_to_clear(method="ode") == pytest.approx(expected, rel=1e-7)


def test_geometric_shrinking_never_clears_when_total_releases_fall_short() -> None:
    # r0/|γ| = 1,000 / 0.01 = 100,000 releases in all, fewer than 132,000 held.
    s = am.Scenario(132_000, am.Geometric(1_000, -0.01))
    assert s.time_to_clear() == math.inf
    assert "100,000" in s.reason


def test_geometric_with_arrests_matches_root_of_closed_form() -> None:
    S0, r0, g, a, mu = 132_000.0, 1_000.0, 0.03, 500.0, 0.01

    def held(t: float) -> float:
        # S(t) e^{μt} = S0 + a(e^{μt} − 1)/μ − r0(e^{(γ+μ)t} − 1)/(γ+μ)
        return (
            S0 + a * math.expm1(mu * t) / mu - r0 * math.expm1((g + mu) * t) / (g + mu)
        ) * math.exp(-mu * t)

    expected = brentq(held, 1.0, 500.0, xtol=1e-13)
    got = am.Scenario(S0, am.Geometric(r0, g), a, death_rate=mu).time_to_clear()
    assert got == pytest.approx(expected, rel=1e-7)


def test_geometric_shrinking_with_arrests_never_clears() -> None:
    s = am.Scenario(132_000, am.Geometric(3_000, -0.05), 500)
    assert s.time_to_clear() == math.inf
    assert "falls below the arrest rate" in s.reason
    assert am.Scenario(100, am.Geometric(400, -0.05), 500).time_to_clear() == math.inf
    # Shrinking but fast enough: 3,000 e^{−0.001t} against 500 arrests clears 1,000 held.
    quick = am.Scenario(1_000, am.Geometric(3_000, -0.001), 500)
    assert quick.time_to_clear() == pytest.approx(0.4, rel=1e-3)


# -- schedules -------------------------------------------------------------------------------


def test_schedule_piecewise_clear_time() -> None:
    # 7,000/yr for 0.1 yr (700 out), then 100/yr until year 5 (490 out), then 2,000/yr;
    # arrests 0 until year 3, then 500/yr. Held at year 5: 132,000 − 700 − 490 + 1,000.
    release = am.Schedule([0, 0.1, 5], [7_000, 100, 2_000])
    arrest = am.Schedule([0, 3], [0, 500])
    s = am.Scenario(132_000, release, arrest)
    held_5 = 132_000 - 700 - 490 + 1_000
    expected = 5 + held_5 / (2_000 - 500)
    assert s.time_to_clear() == pytest.approx(expected, rel=1e-13)
    assert s.time_to_clear(method="ode") == pytest.approx(expected, rel=1e-7)
    p = s.project(step=0.5)
    assert conserved(p.frame, 132_000) < 1e-7
    ode = s.project(step=0.5, method="ode")
    np.testing.assert_allclose(p.frame.held, ode.frame.held, rtol=1e-6, atol=1e-3)


@given(st.floats(1, 1e5), st.floats(1, 1e4), st.floats(0, 1e4), st.floats(0, 0.3))
def test_constant_schedule_equals_closed_form(S0: float, r: float, a: float, mu: float) -> None:
    s = am.Scenario(S0, am.Schedule.constant(r), am.Schedule.constant(a), death_rate=mu)
    expected = am.time_to_clear(S0, r, a, death_rate=mu)
    got = s.time_to_clear()
    if math.isinf(expected):
        assert math.isinf(got)
    else:
        assert got == pytest.approx(expected, rel=1e-12)


def test_schedule_never_clears_reason() -> None:
    s = am.Scenario(1_000, am.Schedule([0, 1], [5_000, 100]), am.Schedule([0, 2], [0, 300]))
    # Year 1: 5,000 released would empty 1,000 held after 0.2 years.
    assert s.time_to_clear() == pytest.approx(0.2)
    s = am.Scenario(10_000, am.Schedule([0, 1], [5_000, 100]), 300)
    assert s.time_to_clear() == math.inf
    assert s.reason.startswith("after the last change of rate (year 1)")


@given(
    st.floats(10, 1e5),
    st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 5e3)), min_size=1, max_size=4),
    st.floats(0, 3e3),
    st.one_of(st.just(0.0), st.floats(1e-3, 0.2)),
)
def test_schedule_paths_conserve_people(
    S0: float, rates: list[float], a: float, mu: float
) -> None:
    starts = [float(i) for i in range(len(rates))]
    s = am.Scenario(S0, am.Schedule(starts, rates), a, death_rate=mu)
    path = solve_exact(s, np.linspace(0, 10, 41))
    assert (path.held >= 0).all()
    balance = S0 + path.arrested - path.released - path.died
    np.testing.assert_allclose(path.held, balance, atol=1e-9 * max(S0, 1.0) + 1e-9)


def test_after_clearing_newcomers_are_released_as_they_arrive() -> None:
    p = am.Scenario(1_000, 2_000, 500).project(horizon=3, step=0.5)
    f = p.frame
    assert p.clear_time == pytest.approx(2 / 3)
    assert (f.loc[1.0:, "held"] == 0).all()
    # From then on releases equal arrests: released(t) = 1,000 + 500 t.
    np.testing.assert_allclose(f.loc[1.0:, "released"], 1_000 + 500 * f.loc[1.0:].index)


def test_ode_path_of_constant_scenario_matches_closed_form() -> None:
    s = am.Scenario(132_000, 1_000, 500, death_rate=0.02)
    times = np.linspace(0, 60, 13)
    ode = solve_ode(s, times)
    mu, net = 0.02, -500.0
    held = net / mu + (132_000 - net / mu) * np.exp(-mu * times)
    np.testing.assert_allclose(ode.held, np.maximum(held, 0), rtol=1e-7)


# -- rule validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "exc", "match"),
    [
        (lambda: am.Decrees(0), ValueError, r"size must be a finite number > 0, got 0"),
        (lambda: am.Decrees(1_000, every=-1), ValueError, r"every must be .* > 0, got -1"),
        (lambda: am.Decrees(1_000, first=-1), ValueError, r"first must be .* >= 0, got -1"),
        (lambda: am.Proportional(0), ValueError, r"fraction must be .* > 0, got 0"),
        (lambda: am.Proportional("x"), TypeError, r"fraction must be"),
        (lambda: am.Geometric(0, 0.1), ValueError, r"initial must be .* > 0"),
        (lambda: am.Geometric(1, math.nan), ValueError, r"growth must be"),
        (lambda: am.Schedule([0, 1], [1]), ValueError, r"same length, got 2 starts and 1 rates"),
        (lambda: am.Schedule([], []), ValueError, r"at least one"),
        (lambda: am.Schedule([1], [1]), ValueError, r"starts must begin at 0"),
        (lambda: am.Schedule([0, 2, 1], [1, 1, 1]), ValueError, r"starts\[2\] = 1.0 follows 2.0"),
        (lambda: am.Schedule([0, 1], [1, -1]), ValueError, r"rates\[1\] must be .* >= 0"),
        (lambda: am.Schedule("01", [1, 1]), TypeError, r"starts must be a sequence"),
        (lambda: am.Schedule(5, [1]), TypeError, r"starts must be a sequence"),
    ],
)
def test_rule_validation(make, exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        make()


def test_schedule_rate_and_cumulative() -> None:
    s = am.Schedule([0, 1, 3], [10, 0, 5])
    np.testing.assert_array_equal(s.rate(np.array([0, 0.5, 1, 2.9, 3, 10])), [10, 10, 0, 0, 5, 5])
    np.testing.assert_allclose(s.cumulative(np.array([0.5, 2, 4])), [5, 10, 15])
    assert "schedule" in s.describe()


def test_decree_times() -> None:
    np.testing.assert_allclose(am.Decrees(1_000, every=0.5).times(2.0), [0.5, 1.0, 1.5, 2.0])
    assert am.Decrees(1_000, first=3).times(2.0).size == 0
    assert "first after 0" in am.Decrees(1_000, first=0).describe()


# -- the exact and ODE routes agree, for every rule, events at t = 0 included -----------------


@st.composite
def _any_rule_scenario(draw: st.DrawFn) -> am.Scenario:
    size = draw(st.integers(1, 50)) * 100.0
    rule = draw(
        st.one_of(
            st.integers(0, 5_000).map(float),
            st.builds(am.Proportional, st.sampled_from([0.05, 0.2, 1.0]), st.just(1.0)),
            st.builds(
                am.Decrees,
                st.just(size),
                st.sampled_from([0.5, 1.0, 2.0]),
                st.sampled_from([None, 0.0, 0.25, 3.0]),
            ),
            st.builds(
                lambda r0, r1: am.Schedule([0.0, 1.5], [r0, r1]),
                st.integers(0, 5_000).map(float),
                st.integers(0, 5_000).map(float),
            ),
            st.builds(
                am.Geometric, st.integers(100, 5_000).map(float), st.sampled_from([-0.05, 0.1])
            ),
        )
    )
    arrest: float | am.Schedule = 0.0
    if not isinstance(rule, am.Geometric):
        arrest = draw(
            st.one_of(
                st.integers(0, 300).map(float),
                st.builds(
                    lambda a0, a1: am.Schedule([0.0, 2.0], [a0, a1]),
                    st.integers(0, 300).map(float),
                    st.integers(0, 300).map(float),
                ),
            )
        )
    return am.Scenario(
        draw(st.integers(0, 20_000).map(float)),
        rule,
        arrest,
        draw(st.sampled_from([0.0, 0.01, 0.05])),
    )


@given(_any_rule_scenario())
@settings(max_examples=40)
def test_exact_and_ode_routes_agree_for_every_rule(s: am.Scenario) -> None:
    exact = s.time_to_clear()
    ode = s.time_to_clear("ode")
    if math.isinf(exact):
        assert math.isinf(ode)
        return
    if isinstance(s.release_rate, am.Decrees):
        # Clearing happens at a decree: both routes name the same one, unless the stock left
        # just before it is within the ODE tolerance (1e-9 of the stock) of the decree's size.
        if ode != exact:
            first = min(ode, exact)
            path = solve_exact(s, np.array([0.0, first - 1e-9]))
            held = float(path.held[-1])  # just before the earlier of the two decrees
            assert abs(held - s.release_rate.size) <= 1e-6 * max(s.stock, s.release_rate.size)
            assert abs(ode - exact) == pytest.approx(s.release_rate.every)
        return
    assert ode == pytest.approx(exact, rel=1e-6, abs=1e-9)
