"""Defects found by the fuzz suite (tests/test_fuzz_*.py) in its random profile, pinned here.

Each was a numpy warning or an error that did not name a parameter; each input is the one
hypothesis reported.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import amnesty_model as am


def test_first_passage_far_tail_does_not_overflow() -> None:
    # √(ν² + x²) overflowed for x ~ 1e163; σ³ in the Edgeworth branch for t ~ 1e196.
    fp = am.first_passage(1, 1e-9, 1e-9)
    assert 0.0 < fp.pdf(6.7039039649712985e162) < 1e-200
    assert fp.logpdf(1e308) == -math.inf  # x = 2t√(ar) is past the float range: pdf 0
    fp = am.first_passage(1, 1e-9, 1e9)
    # r ≪ a: it ever clears with probability r/a = 1e-18.
    assert fp.cdf(3.1852513365225147e196) == pytest.approx(1e-18, rel=1e-6)


def test_cohort_random_release_with_a_power_law_tail() -> None:
    # S0 = 1e-9, r = 1e-9, a = 0.5: ln(1 + x)/x was inf/inf = NaN inside the root finder.
    out = am.cohort(am.Scenario(1e-9, 1e-9, 0.5), "random")
    assert math.isfinite(out.half_out_time) or out.half_out_time == math.inf


def test_simulate_refuses_absurd_path_counts_by_name() -> None:
    with pytest.raises(ValueError, match="paths must be at most 10,000,000"):
        am.simulate(am.Scenario(0, 0), paths=10**30)


def test_sobol_refuses_outputs_whose_variance_overflows() -> None:
    with pytest.raises(ValueError, match="func returned values up to"):
        am.sobol_sensitivity(lambda x1: x1, {"x1": (-3.186402982010996e154, 0.0)}, n=4, seed=0)


def test_later_data_rows_validates_its_arguments() -> None:
    with pytest.raises(ValueError, match="confidence must be at least 0.5"):
        am.later_data_rows(confidence=5e-324)
    with pytest.raises(TypeError, match="stock must be"):
        am.later_data_rows(stock=None)  # type: ignore[arg-type]
    assert np.isfinite(am.later_data_rows(confidence=0.5)["rate_per_year"]).all()


def test_first_passage_cdf_with_nearly_equal_rates_and_a_large_stock() -> None:
    # The Fourier route divided by a zero grid step (ZeroDivisionError) when r/a = 1 + 1e-9.
    # Reference: with r ≈ a = 1 the walk needs ~n²/(r + a) = 5e5 years to clear 1,000; by
    # t = 1,000 years the probability is astronomically small but positive.
    value = am.first_passage(1_000, 1 + 1e-9, 1).cdf(1_000.0)
    assert 0.0 < value < 1e-100


def test_rate_from_count_refuses_counts_a_float_cannot_carry() -> None:
    with pytest.raises(ValueError, match="count must be at most 1,000,000,000,000,000"):
        am.rate_from_count(10**400, days=1)
    assert am.rate_from_count(10**15, days=365.25).rate == 1e15


def test_default_simulation_is_unbiased_for_proportional_release() -> None:
    # The default scheme gave 155.94 for the mean held at t = 2 over 200,000 paths, against
    # the linear model's S* + (S0 − S*) e^{−2.1·2} = 155.7105 (S* = 300/2.1): z = +8.4.
    # The reference is that closed form; the scheme is now exact in distribution.
    s = am.Scenario(1000, am.Proportional(2.0), 300, 0.1)
    star = 300 / 2.1
    reference = star + (1000 - star) * math.exp(-4.2)
    sim = am.simulate(s, paths=40_000, seed=7, grid=[0.0, 2.0], horizon=2.0)
    held = sim.held[:, 1].astype(float)
    assert abs(held.mean() - reference) <= 4 * held.std(ddof=1) / math.sqrt(held.size)


def test_hanging_simulations_now_finish_or_refuse() -> None:
    # Each of these ran for minutes or hours; each now answers at once or refuses by name.
    sim = am.simulate(am.Scenario(34, am.Geometric(1.0, 1.0)), paths=20, seed=1, horizon=1e4)
    assert np.isfinite(sim.clear_times).all()
    sim = am.simulate(am.Scenario(30000, 1e-3, death_rate=1e-9), paths=1, seed=1)
    assert sim.method == "exact"
    with pytest.raises(ValueError, match="method 'exact' would simulate about"):
        am.simulate(am.Scenario(10, 1.0, arrest_rate=1e9), method="exact")
    with pytest.raises(ValueError, match="simulate_cohort would simulate about"):
        am.simulate_cohort(am.Scenario(10, 1.0, arrest_rate=1e7), paths=1, seed=1)
    never = am.Scenario(100, am.Schedule([0, 1], [50.0, 0.0]), arrest_rate=1e6)
    with pytest.raises(ValueError, match="use fewer paths, a shorter horizon"):
        am.simulate(never, method="exact", horizon=10_000)


def test_waiting_time_sf_before_the_arrest_is_one() -> None:
    w = am.waiting_time(am.Scenario(132_000, 1_000, death_rate=0.02))
    assert (w.sf(-1.0), w.cdf(-1.0)) == (1.0, 0.0)  # was 1.0202 and −0.0202
    with pytest.raises(ValueError, match="got NaN"):
        am.waiting_time(am.Scenario(132_000, 1_000, death_rate=0.02), "random").sf(math.nan)
    assert am.waiting_time(am.Scenario(0, 306, 0, 0.001), "random").p_released == 1.0
