"""Defects found by the fuzz suite (tests/test_fuzz_*.py) in its random profile, pinned here.

Each was a numpy warning or an error that did not name a parameter; each input is the one
hypothesis reported.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

import amnesty_model as am


def test_first_passage_far_tail_does_not_overflow() -> None:
    # √(ν² + x²) overflowed for x ~ 1e163; σ³ in the Edgeworth branch for t ~ 1e196.
    fp = am.first_passage(1, 1e-9, 1e-9)
    assert 0.0 < fp.pdf(6.7039039649712985e162) < 1e-200
    # rates are scaled first, so r·t = 1e299 stays in range: for r = a, n = 1 the density
    # (r/τ) e^{−2τ} I_1(2τ) is r τ^{−3/2}/√(4π) to O(1/τ) (DLMF 10.40.1), τ = r t
    tau = 1e-9 * 1e308
    expected = math.log(1e-9) - 1.5 * math.log(tau) - 0.5 * math.log(4 * math.pi)
    assert fp.logpdf(1e308) == pytest.approx(expected, abs=1e-9)
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


# First-passage references below: mpmath 1.4, mp.dps = 50, with
# P(n, x) = exp(n log x − x − loggamma(n + 1)) · hyp1f1(1, n + 1, x) and
# Q(n, x) = gammainc(n, x, inf, regularized=True); the a > 0 values integrate the Bessel
# density (n/t)(r/a)^{n/2} e^{−(r+a)t} besseli(n, 2t√(ar)) with mpmath.quad.
@pytest.mark.parametrize(
    ("n", "t", "reference"),
    [
        (10**7, 9984189.0, 2.8309108072928808664e-7),  # was 2.7435e-07 (scipy's 2,000 terms)
        (10**7, 9981026.0, 9.6376484469224253605e-10),  # was 1.7 % off
        (3 * 10**6, 2991340.0, 2.8006524725644962518e-7),  # was 1.3e-3 relative off
    ],
)
def test_first_passage_no_arrest_left_tail_for_huge_stocks(n, t, reference) -> None:
    assert am.first_passage(n, 1.0).cdf(t) == pytest.approx(reference, rel=1e-12)


def test_first_passage_no_arrest_right_tail_and_quantile_for_huge_stocks() -> None:
    fp = am.first_passage(10**7, 1.0)
    assert fp.sf(10016000.0) == pytest.approx(2.1289169720893540294e-7, rel=1e-12)
    # findroot(P(1e7, x) − 1e-6): was 23 years late
    assert fp.ppf(1e-6) == pytest.approx(9984975.550195090186316242, rel=1e-14)


def test_first_passage_gamma_logpdf_without_cancellation() -> None:
    # (n−1) log x − x − loggamma(n) at n = 1e7: relative error of the pdf was 5.2e-8
    value = am.first_passage(10**7, 1.0).logpdf(9984188.611699158)
    assert value == pytest.approx(-21.48959577857522997965115, abs=1e-12)


def test_first_passage_far_right_quantile_uses_the_sf() -> None:
    # Newton on the quad sf of the Bessel density (dps 30): was 3.6e-8 relative off
    value = am.first_passage(300, 1.001, 1.0).ppf(0.999999)
    assert value == pytest.approx(30397603.960647447725, rel=1e-10)


def test_first_passage_extreme_rates_are_scaled_first() -> None:
    # only rate × time matters: references at rates (1, ρ) from the stored mpmath grid
    # and the quad value sf = 0.48772675914788 for n = 5000, ρ = 0.9, τ = 5e4
    fp = am.first_passage(5000, 1e-200, 9e-201)
    assert fp.sf(5e204) + fp.cdf(5e204) == pytest.approx(1.0, abs=1e-13)  # cdf raised
    assert fp.sf(5e204) == pytest.approx(am.first_passage(5000, 1.0, 0.9).sf(5e4), rel=1e-12)
    small = am.first_passage(5, 1e-200, 5e-201).pdf(1e201)  # was 8,000× too large
    assert small == pytest.approx(1e-200 * am.first_passage(5, 1.0, 0.5).pdf(10.0), rel=1e-12)
    huge = am.first_passage(50, 1e300, 5e299)
    assert huge.pdf(5e-299) == pytest.approx(1e300 * am.first_passage(50, 1.0, 0.5).pdf(50.0))
    assert huge.cdf(5e-299) == pytest.approx(am.first_passage(50, 1.0, 0.5).cdf(50.0))
    assert math.isfinite(am.first_passage(5, 1.0, 0.7).ppf(0.0972))  # leaked a warning


@pytest.mark.parametrize("arrest_rate", [1e-320, 1e-317, 1e-300])
def test_first_passage_vanishing_arrests_give_the_gamma_answer(arrest_rate) -> None:
    # was 1.5e-4 off at a = 1e-320: the Gamma cdf, Q(61, 77.4576) from mpmath.gammainc
    value = am.first_passage(61, 1000.0, arrest_rate).cdf(0.0774576)
    assert value == pytest.approx(am.first_passage(61, 1000.0).cdf(0.0774576), rel=1e-14)


def test_first_passage_rates_equal_to_one_ulp_do_not_hang() -> None:
    # was 85 s then ArithmeticError. At r = a = 1 the median solves
    # e^{-2t}(I_0(2t) + I_1(2t)) = 1/2: mpmath.findroot (dps 30) gives 1.1178290763241113041
    median = am.first_passage(1, 1.0, 1.0000000000000002).median()
    assert median == pytest.approx(1.1178290763241113041, rel=1e-12)
    draws = am.first_passage(394, 6.0, 6.0).rvs(300, seed=1)  # 100–200 draws/s before
    assert np.array_equal(draws, am.first_passage(394, 6.0, 6.0).rvs(300, seed=1))


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
        am.simulate_cohort(am.Scenario(10, 1.0, arrest_rate=1e7), "random", paths=1, seed=1)
    never = am.Scenario(100, am.Schedule([0, 1], [50.0, 0.0]), arrest_rate=1e6)
    with pytest.raises(ValueError, match="use fewer paths, a shorter horizon"):
        am.simulate(never, method="exact", horizon=10_000)


def test_waiting_time_sf_before_the_arrest_is_one() -> None:
    w = am.waiting_time(am.Scenario(132_000, 1_000, death_rate=0.02))
    assert (w.sf(-1.0), w.cdf(-1.0)) == (1.0, 0.0)  # was 1.0202 and −0.0202
    with pytest.raises(ValueError, match="got NaN"):
        am.waiting_time(am.Scenario(132_000, 1_000, death_rate=0.02), "random").sf(math.nan)
    assert am.waiting_time(am.Scenario(0, 306, 0, 0.001), "random").p_released == 1.0


def test_decrees_with_deaths_do_not_clear_one_decree_early() -> None:
    # ceil(ratio - 1e-9) took decree 40 although 3.0e-7 people were still held after it.
    # Reference: the decree recurrence stepped in 50-digit decimal arithmetic (below).
    from decimal import Decimal, localcontext

    stock, size, arrests, mu = 63035.64327397656, 1000.0, 200.0, 0.03
    with localcontext() as ctx:
        ctx.prec = 50
        q = (-Decimal(mu)).exp()
        inflow = Decimal(arrests) * (1 - q) / Decimal(mu)  # arrests alive at the next decree
        held, k = Decimal(stock), 0
        while True:
            k += 1
            held = held * q + inflow  # just before decree k (decrees at t = 1, 2, ...)
            if held <= Decimal(size):
                break
            held -= Decimal(size)
    assert k == 41
    s = am.Scenario(stock, am.Decrees(size), arrests, mu)
    assert s.time_to_clear() == 41.0
    frame = s.project(step=1.0).frame
    assert frame.loc[40.0, "held"] == pytest.approx(3.0e-7, rel=1e-3)
    assert frame.loc[41.0, "held"] == 0.0


@pytest.mark.parametrize(
    ("stock", "rule", "expected"),
    [
        (100, am.Decrees(5, 1, 0.0), 19.0),  # decrees at 0, 1, ..., 19: 20 × 5 = 100
        (9, am.Decrees(10, every=5, first=0), 0.0),  # the decree at t = 0 empties the prisons
    ],
)
def test_ode_route_applies_a_decree_at_time_zero(
    stock: float, rule: am.Decrees, expected: float
) -> None:
    s = am.Scenario(stock, rule)
    assert s.time_to_clear("exact") == expected
    assert s.time_to_clear("ode") == expected


# -- found by `make fuzz` (fresh randomness); each input is the one Hypothesis reported -------


def test_time_to_clear_beyond_the_largest_float_is_refused_by_name() -> None:
    # S0 / r = 1e-9 / 5e-324 = 2e314 years: finite, but not a float. A refusal naming the
    # inputs, not inf (which would read as "never").
    for s in (am.Scenario(1e-09, 5e-324), am.Scenario(1e-09, 5e-324, 0.0, 5e-324)):
        with pytest.raises(ValueError, match="stock and release_rate"):
            s.time_to_clear()
    with pytest.raises(ValueError, match=r"scenarios\[1\]"):
        am.compare([am.Scenario(0.0, 0.0), am.Scenario(1000.0, 2.88e-306)])


def test_summary_shows_inf_for_values_beyond_the_largest_float() -> None:
    frame = am.Scenario(1e308, 1e-300).summary()
    assert frame.loc["years_to_clear", "value"] == math.inf  # 1e608 years
    assert "beyond the largest float" in frame.loc["years_to_clear", "definition"]
    assert frame.loc["clear_date", "value"] is None
    # clearance rate 100 · 1e-3 / 2.2e-311 = 4.5e312 %: was a ValueError from indicators.py
    frame = am.Scenario(0.0, 1e-3, 2.2e-311).summary()
    assert frame.loc["clearance_rate", "value"] == math.inf
    assert "beyond the largest float" in frame.loc["clearance_rate", "definition"]
    assert "beyond" not in frame.loc["disposition_time", "definition"]  # 0 days: exact


def test_decree_times_never_pass_the_horizon() -> None:
    # 0.05 + 0.001 · 9950 is 10.000000000000002 in floating point, past the horizon of 10
    times = am.Decrees(1e-09, 0.001, 0.05).times(10.0)
    assert times[-1] <= 10.0 and np.all(np.diff(times) > 0)
    assert times.size in (9950, 9951)  # 0.05 + 0.001 k <= 10 for k = 0 … 9950 (exactly)


def test_schedule_cumulative_beyond_the_largest_float_is_inf_without_warning() -> None:
    rate = 1.797693134864114e299
    sch = am.Schedule([0.0, 1e-09, 0.001], [0.0, 0.0, rate])
    out = sch.cumulative(np.array([0.0, 0.5, 1e9]))
    assert out[0] == 0.0
    assert out[1] == pytest.approx(rate * (0.5 - 0.001), rel=1e-15)
    assert out[2] == math.inf  # 1.8e299 · 1e9 people


@pytest.mark.parametrize(
    "scenario",
    [
        # a decree an ulp past the change of arrest rate: LSODA "Illegal input detected"
        am.Scenario(
            0.0, am.Decrees(10.0, 0.25000000000000006), am.Schedule([0.0, 4.0], [0.0, 0.0])
        ),
        # a stock far below atol: scipy's event search "f(a) and f(b) must have different signs"
        am.Scenario(1e-15, am.Schedule([0.0, 2.0, 5.5], [0.0, 0.0, 28.0]), 0.0),
        am.Scenario(
            0.0,
            am.Schedule([0.0, 2.0, 5.5], [0.0, 0.0, 3.0]),
            am.Schedule([0.0, 4.0], [0.0, 1e-11]),
        ),
    ],
)
def test_ode_route_agrees_with_exact_stepping_on_fuzzed_edge_cases(scenario) -> None:
    from amnesty_model.engine import solve_exact, solve_ode

    times = np.linspace(0.0, 12.0, 25)
    ode, exact = solve_ode(scenario, times), solve_exact(scenario, times)
    balance = scenario.stock + ode.arrested - ode.released - ode.died
    np.testing.assert_allclose(ode.held, balance, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ode.held, exact.held, rtol=0, atol=1e-9)
    assert ode.clear_time == pytest.approx(exact.clear_time, abs=1e-9)


@pytest.mark.parametrize("horizon", [1e9, 292272.0, 2.5e16])
def test_projection_dates_past_year_9999_are_nat(horizon: float) -> None:
    # was pandas OutOfBoundsTimedelta: 1e9 years is 365,250,000,000 days after 2022-05-26
    frame = am.Scenario(0.0, 0.0, start=dt.date(2022, 5, 26)).project(horizon).frame
    assert frame["date"].iloc[0] == pd.Timestamp("2022-05-26")
    assert pd.isna(frame["date"].iloc[-1])
    # the cut is where datetime.date ends: 9999-12-31 is 2,904,362 days after 2022-05-26
    inside = frame.index.to_numpy() * 365.25 <= (dt.date.max - dt.date(2022, 5, 26)).days - 1
    assert frame["date"][inside].notna().all()
    assert frame["date"].dtype == "datetime64[us]"


def test_projection_over_a_subnormal_horizon() -> None:
    # step = horizon / 500 underflowed to 0: ZeroDivisionError
    p = am.Scenario(0.0, 0.0).project(5e-324)
    assert p.path.times.tolist() == [0.0, 5e-324]
    out = am.cohort(am.Scenario(0.0, 0.0), "fifo", horizon=5e-324)
    assert out.to_frame().index.tolist() == [0.0, 5e-324]


def test_replace_names_sources_that_cannot_be_iterated() -> None:
    with pytest.raises(TypeError, match="sources must be a sequence"):
        am.Scenario(0.0, 0.0).replace(sources=np.array(3.0))


def test_simulation_t0_column_is_after_a_decree_at_t0() -> None:
    # One person, a decree of one at t = 0: released at once. The t = 0 column is the state
    # just after the decree; conservation holds against the initial stock, 1.
    sim = am.simulate(am.Scenario(1.0, am.Decrees(1, 0.5, 0.0)), paths=1, seed=0)
    assert (sim.held[0, 0], sim.released[0, 0]) == (0, 1)
    np.testing.assert_array_equal(sim.held + sim.released + sim.died - sim.arrested, 1)
    assert sim.clear_times.tolist() == [0.0]


@pytest.mark.parametrize("stock", [10.0, 1e-09])
def test_random_release_cohort_beyond_the_largest_float_is_refused(stock: float) -> None:
    # was ZeroDivisionError (10) and "The function value at x=nan is NaN" (1e-9)
    with pytest.raises(ValueError, match="release_rate"):
        am.cohort(am.Scenario(stock, 5e-324), "random")


def test_cohort_over_a_huge_horizon_does_not_warn() -> None:
    # newcomers at 1e-9 a year for 1e300 years: 1e291 held, no overflow warning
    frame = am.cohort(am.Scenario(0.0, 0.0, 1e-09), "fifo", horizon=1e300).to_frame()
    assert frame["held"].iloc[-1] == pytest.approx(1e291, rel=1e-12)


def test_illustrative_death_rows_names_each_rate() -> None:
    with pytest.raises(ValueError, match=r"death_rates\[0\]=2 is a hazard"):
        am.illustrative_death_rows([2])
    with pytest.raises(ValueError, match=r"death_rates\[0\] must be a finite number > 0"):
        am.illustrative_death_rows(np.array(0, dtype=np.int8))
    rows = am.illustrative_death_rows(np.array(0.02))  # a 0-d array is one rate
    assert rows["death_rate"].tolist() == [0.02]


@pytest.mark.parametrize(
    ("scenario", "clear"),
    [
        # no deaths: r0 (e^{γT} − 1)/γ = S0, T = ln(1 + γ S0/r0)/γ = S0/r0 to first order
        (am.Scenario(1e9, am.Geometric(1e300, -1.0), 0, 1e-9), 1e-291),
        (am.Scenario(1e-300, am.Geometric(1e300, -1e-9)), 1e-600),  # 0.0 in floats
        (am.Scenario(1e-9, am.Geometric(1.7976931348623157e308, 1.0)), 1e-9 / 1.797e308),
    ],
)
def test_geometric_projections_are_closed_form_not_hanging(scenario, clear) -> None:
    # LSODA took ever smaller steps for minutes; the closed form answers at once
    p = scenario.project()
    assert p.clear_time == pytest.approx(clear, rel=1e-3, abs=1e-320)
    frame = p.frame
    assert (frame["held"].iloc[1:] == 0).all()
    balance = scenario.stock - frame["released"] - frame["died"]
    np.testing.assert_allclose(frame["held"], balance, rtol=0, atol=1e-12 * scenario.stock)


def test_geometric_closed_form_trajectory() -> None:
    # e^{μt} S(t) = S0 − r0 (e^{(γ+μ)t} − 1)/(γ + μ), evaluated here at t = 5 for
    # S0 = 1000, r0 = 100, γ = −0.05, μ = 0.03; and the ODE as an independent check
    from amnesty_model.engine import solve_exact, solve_ode

    s = am.Scenario(1000.0, am.Geometric(100.0, -0.05), 0.0, 0.03)
    expected = math.exp(-0.15) * (1000.0 - 100.0 * math.expm1(-0.02 * 5) / -0.02)
    times = np.linspace(0.0, 20.0, 41)
    exact = solve_exact(s, times)
    assert exact.held[10] == pytest.approx(expected, rel=1e-13)
    released = 100.0 * math.expm1(-0.05 * 5) / -0.05
    assert exact.released[10] == pytest.approx(released, rel=1e-13)
    ode = solve_ode(s, times)
    np.testing.assert_allclose(exact.held, ode.held, rtol=0, atol=1e-5)
    np.testing.assert_allclose(exact.died, ode.died, rtol=0, atol=1e-5)


def test_scenario_file_keeps_unregistered_source_ids() -> None:
    from amnesty_model.scenario_file import load_scenarios, scenarios_to_toml

    s = am.Scenario(1, 1, sources=("bogus", "decree_7_2022"))
    text = scenarios_to_toml([s])
    assert 'unregistered_sources = ["bogus"]' in text
    [back] = load_scenarios(text)
    assert back == s and back.provenance["hash"] == s.provenance["hash"]
    with pytest.raises(ValueError, match=r"sources\[0\]"):  # a typo is still caught
        load_scenarios(text.replace('unregistered_sources = ["bogus"]\n', ""))


def test_first_passage_at_subnormal_rates() -> None:
    # (r − a)³ underflowed: ZeroDivisionError; n(r + a)/(r − a)³ = 1e400 is beyond floats
    assert am.first_passage(1.0, 1e-200, 0.0).var() == math.inf
    # P(clear) = r/a = 5e-315 < 1/2: the median is "never" (was an overflow warning)
    assert am.first_passage(1.0, 5e-324, 1e-09).median() == math.inf
    # the median (~1/r = 2e323 years) is not a float: refused before any work
    with pytest.raises(ValueError, match="release_rate=4.94e-324 and arrest_rate"):
        am.first_passage(1.0, 5e-324, 5e-324)
    # the density of the first release at t → 0 is r (n = 1), and 0 for n = 2 (log 0 warned)
    assert am.first_passage(1, 1e-09, 1e-09).pdf(5e-324) == pytest.approx(1e-09, rel=1e-9)
    assert am.first_passage(2, 1e-09, 1e-09).pdf(5e-324) == 0.0


def test_waiting_time_with_vanishing_or_no_hazards() -> None:
    # r = a = 0: only deaths at μ, mean stay 1/μ (μ S0 underflowed to 0: ZeroDivisionError)
    mu = 5.977632492685593e-251
    w = am.waiting_time(am.Scenario(mu, 0.0, 0.0, mu), "random")
    assert w.mean == pytest.approx(1.0 / mu, rel=1e-12)
    # no release, no death: held for ever, sf(inf) = 1 (was 0 · inf = NaN)
    w = am.waiting_time(am.Scenario(0.0, 0.0, 0.0, 0.0), "random")
    assert (w.sf(math.inf), w.cdf(math.inf)) == (1.0, 0.0)


def test_provenance_of_a_scenario_whose_time_is_beyond_floats() -> None:
    # found by tests/test_scenario_file.py: provenance raised, so the scenario (accepted and
    # written to a file) could not be read back and compared
    s = am.Scenario(
        1.0,
        am.Decrees(1000000000000001.0, 1.797693134862316e293, 1.797693134862316e293),
        1e15,
        1.0,
    )
    assert s.provenance["result"] == {"years_to_clear": "beyond the largest float"}


def test_first_passage_far_quantile_with_equal_rates_does_not_warn() -> None:
    # ppf(5e-324) at r = a probed t near the largest float: 2at overflowed (RuntimeWarning)
    fp = am.first_passage(1, 1e-09, 1e-09)
    t = fp.ppf(5e-324)
    assert 0.0 < t < 1e-80  # the cdf near 0 is r t (one release): t ≈ 5e-324 / 1e-9
    assert fp.cdf(t) == pytest.approx(5e-324, rel=0.5)  # one subnormal ulp of resolution


def test_never_reason_with_arrests_beyond_the_floats_between_decrees() -> None:
    # 1e308 arrests a year × 1,000 years between decrees: round(inf) raised OverflowError
    s = am.Scenario(5e-324, am.Decrees(5e-324, 1000.0), 1e308)
    assert s.time_to_clear() == math.inf
    assert "inf arrested in between" in s.reason


def test_waiting_time_with_subnormal_hazards_is_refused_by_name() -> None:
    # μ(1 − w) underflowed to 0 inside the quadrature (ZeroDivisionError); the median stay,
    # ~ln 2/5e-324 years, is beyond the floats: refused naming release_rate
    with pytest.raises(ValueError, match="release_rate"):
        am.waiting_time(am.Scenario(1.0, 5e-324, 0.0, 5e-324), "random")


def test_projection_up_to_the_largest_float() -> None:
    # np.arange(0, 1.8e308 + …, 3.6e305): "Maximum allowed size exceeded"
    p = am.Scenario(0.0, 0.0).project(1.7976931348587206e308)
    assert p.path.times.size == 501 and p.path.times[-1] == 1.7976931348587206e308
    # the grid is still k · step: 0, 0.1, …, 10 for step 0.1
    times = am.Scenario(10.0, 1.0).project(10.0, step=0.1).path.times
    np.testing.assert_array_equal(times, 0.1 * np.arange(101))


@pytest.mark.parametrize("mu", [1.1125369292536007e-308, 1e-250])
def test_waiting_time_random_release_with_a_vanishing_death_rate(mu: float) -> None:
    # QUADPACK: "extremely bad integrand behavior" on a spike of width μ. With r = a the
    # stock stays at S0 = 1 and each person leaves at rate r/S0 + μ: exponential, mean
    # 1/(1 + μ) = 1 to double precision, sf(t) = e^{−t}
    w = am.waiting_time(am.Scenario(1.0, 1.0, 1.0, mu), "random")
    assert w.mean == pytest.approx(1.0, rel=1e-12)
    assert w.sf(0.5) == pytest.approx(math.exp(-0.5), rel=1e-12)


def test_ode_route_refuses_too_many_decrees_before_starting() -> None:
    # one LSODA call per decree: ~1,010,000 decrees up to 1.01 × the clear time ran for hours
    s = am.Scenario(1e9, am.Decrees(1e3, 0.01))
    assert s.time_to_clear() == pytest.approx(10_000.0, rel=1e-12)  # decree k at 0.01 k
    with pytest.raises(ValueError, match="method 'ode' would integrate .* decrees"):
        s.time_to_clear("ode")


def test_waiting_time_random_release_of_a_subnormal_stock_does_not_hang() -> None:
    # r/S = 1e4/5e-324 overflowed: the search doubled hi = 1/inf = 0 for ever
    w = am.waiting_time(am.Scenario(5e-324, 1e4, 1e4), "random")
    assert (w.sf(1.0), w.p_released) == (0.0, 1.0)  # released at once (rate r/S = inf)
    # μ S0/r = 5e-310: the v = w/scale substitution (QUADPACK failed on the spike in w)
    w = am.waiting_time(am.Scenario(1e-300, 1e9, 1e9, 0.5), "random")
    assert w.p_released == 1.0 and w.mean == 0.0  # mean stay S0/r = 1e-309 → 0 in floats


def test_waiting_time_random_without_releases_at_huge_times() -> None:
    # r = 0, a = 1, S0 = 0.5, t = 9e307: x = a g/S0 overflowed, 0 · inf = NaN in the sf
    w = am.waiting_time(am.Scenario(0.5, 0.0, 1.0), "random")
    assert (w.sf(8.98846567431158e307), w.cdf(8.98846567431158e307)) == (1.0, 0.0)


def test_simulation_dates_past_year_9999_are_nat() -> None:
    # release 2.5e-201 a year: a default horizon of ~1e201 years (OutOfBoundsTimedelta)
    s = am.Scenario(1.0, 2.4928420427360585e-201, start=dt.date(2022, 5, 26))
    sim = am.simulate(s, paths=1, seed=0, grid=[0.0, 1.0, 1e9], horizon=1e9)
    dates = sim.quantile_bands()["date"]
    assert dates.iloc[0] == pd.Timestamp("2022-05-26") and pd.isna(dates.iloc[-1])


def test_simulate_cohort_names_a_negative_seed() -> None:
    with pytest.raises(ValueError, match="seed must be a non-negative int, got -1"):
        am.simulate_cohort(am.Scenario(0.0, 0.0), "fifo", paths=1, seed=-1)


def test_deaths_before_release_is_never_negative() -> None:
    # no deaths in custody (μ = 0): C − r T rounded to −5.25e-287 "deaths"
    toll = am.deaths_before_release(am.Scenario(3.274214269684266e-271, 10.0), "fifo")
    assert toll.cohort == 0.0
