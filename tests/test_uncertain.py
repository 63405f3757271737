"""Tests of uncertain scenarios and how_sure, against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, stats

import amnesty_model as am
from amnesty_model.engine import solve_exact
from amnesty_model.uncertain import _paths

REPORT = 132_000


def report_decrees() -> am.UncertainScenario:
    """The report's decree case, each decree's size between 800 and 1,200."""
    return am.UncertainScenario(REPORT, am.UncertainRule(am.Decrees, am.between(800, 1_200)))


def made_up_country() -> am.UncertainScenario:
    """20,000 held, Decrees(1500, every=2), 1,200 arrests a year, 1 % dying; each ±25 %."""
    return am.UncertainScenario(
        am.between(15_000, 25_000),
        am.UncertainRule(am.Decrees, am.between(1_125, 1_875), every=am.between(1.5, 2.5)),
        am.between(900, 1_500),
        death_rate=am.between(0.0075, 0.0125),
        name="made-up country",
    )


# -- values ------------------------------------------------------------------------------------
def test_between_is_uniform_and_checks_its_ends() -> None:
    u = am.between(800, 1_200)
    assert u.median() == 1_000.0
    assert float(u.ppf(np.array([0.25]))[0]) == 900.0
    with pytest.raises(ValueError, match=r"low < high, got low=5.0, high=1.0"):
        am.between(5, 1)
    with pytest.raises(ValueError, match="low"):
        am.between(math.nan, 1)


def test_uncertain_wraps_a_distribution_or_a_rate_estimate() -> None:
    est = am.rate_from_count(523, days=26)
    u = am.Uncertain(est)
    # The Jeffreys posterior: Gamma(k + 1/2, rate = years observed), computed here directly.
    expected = stats.gamma(523.5, scale=365.25 / 26).median()
    assert u.median() == pytest.approx(expected, rel=1e-12)
    assert "Jeffreys" in repr(u)
    with pytest.raises(TypeError, match=r"frozen scipy.stats distribution.*am.between"):
        am.Uncertain("1000")  # type: ignore[arg-type]


def test_bad_inputs_are_named() -> None:
    with pytest.raises(TypeError, match=r"stock got a pair.*am.between"):
        am.UncertainScenario((1, 2), 10)
    with pytest.raises(TypeError, match="stock cannot be a RateEstimate"):
        am.UncertainScenario(am.rate_from_count(5, days=10), 10)
    with pytest.raises(TypeError, match="rule must be am.Decrees"):
        am.UncertainRule(dict, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"UncertainRule\(Decrees, ...\)"):
        am.UncertainRule(am.Decrees, 1, bogus=2)
    # A distribution reaching below 0 is refused on creation, naming the number.
    with pytest.raises(ValueError, match=r"release_rate must be >= 0 in every draw.*-inf"):
        am.UncertainScenario(100, am.Uncertain(stats.norm(10, 20)))
    with pytest.raises(ValueError, match=r"release_rate.size must be >= 0 .* -5.0"):
        am.UncertainScenario(100, am.UncertainRule(am.Decrees, am.between(-5, 5)))
    # A draw that is not a valid scenario is refused by Scenario, naming the input.
    u = am.UncertainScenario(100, am.UncertainRule(am.Decrees, am.between(0, 5)))
    with pytest.raises(ValueError, match="size"):
        u.draw(64, seed=1)
    with pytest.raises(TypeError, match="quantiles must be a sequence"):
        u.project(quantiles=0.5, draws=4)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="draws"):
        u.time_to_clear(draws=0)
    with pytest.raises(ValueError, match="level"):
        am.how_sure(am.Scenario(10, 1.0), level=1.5)
    with pytest.raises(TypeError, match="Scenario or an UncertainScenario"):
        am.how_sure(3)


def test_rules_take_uncertain_numbers_everywhere() -> None:
    sched = am.UncertainRule(am.Schedule, [0, 5], [am.between(100, 200), 300])
    u = am.UncertainScenario(1_000, sched, death_rate=am.between(0.0, 0.02))
    assert u.uncertain_names == ["release_rate.rates[0]", "death_rate"]
    drawn = u.draw(8, seed=2)
    assert all(isinstance(s.release_rate, am.Schedule) for s in drawn)
    assert all(100 <= s.release_rate.rates[0] <= 200 for s in drawn)  # type: ignore[union-attr]
    geo = am.UncertainScenario(500, am.UncertainRule(am.Geometric, 50, am.between(0.0, 0.1)))
    assert geo.median_scenario().release_rate == am.Geometric(50, 0.05)
    prop = am.UncertainScenario(500, am.UncertainRule(am.Proportional, am.between(0.1, 0.3)))
    assert prop.median_scenario().release_rate == am.Proportional(0.2)


# -- bands -------------------------------------------------------------------------------------
def test_bands_equal_the_formula_at_the_input_quantile() -> None:
    """Held = S0 − (r − a)t falls with r, so its q-quantile is the formula at r's (1 − q)."""
    a = 200.0
    u = am.UncertainScenario(REPORT, am.between(800, 1_200), a)
    times = np.array([0.0, 25.0, 50.0, 100.0, 150.0, 200.0])
    bands = u.project(times=times, draws=4_096, seed=7).held
    for q in (0.05, 0.25, 0.5, 0.75, 0.95):
        r_q = 800.0 + 400.0 * (1.0 - q)
        expected = np.maximum(REPORT - (r_q - a) * times, 0.0)
        # A sample quantile of 4,096 well-spread points is within ~1/4096 in probability.
        np.testing.assert_allclose(bands[q].to_numpy(), expected, atol=0.2 * times.max() + 1e-9)


def test_bands_with_deaths_equal_the_formula_at_the_input_quantile() -> None:
    """S(t) = S* + (S0 − S*)e^{−μt}, S* = (a − r)/μ, falls with r too."""
    a, mu = 300.0, 0.02
    u = am.UncertainScenario(50_000, am.between(1_000, 2_000), a, death_rate=mu)
    times = np.array([0.0, 10.0, 20.0, 30.0])
    bands = u.project(times=times, draws=4_096, seed=3).held
    for q in (0.05, 0.5, 0.95):
        r_q = 1_000.0 + 1_000.0 * (1.0 - q)
        star = (a - r_q) / mu
        expected = np.maximum(star + (50_000 - star) * np.exp(-mu * times), 0.0)
        np.testing.assert_allclose(bands[q].to_numpy(), expected, rtol=2e-3, atol=1.0)


@pytest.mark.parametrize(
    "uncertain",
    [
        made_up_country(),
        report_decrees(),
        am.UncertainScenario(
            am.between(0, 300),
            am.UncertainRule(am.Decrees, am.between(10, 300), every=am.between(0.5, 2)),
            am.between(100, 200),
            death_rate=am.between(0, 0.3),
        ),
        am.UncertainScenario(
            am.between(0, 3_000), am.between(0, 200), am.between(0, 150), death_rate=0.03
        ),
        am.UncertainScenario(
            am.between(0, 3_000),
            am.UncertainRule(am.Schedule, [0, 2.5, 40], [am.between(0, 90), 300, 50]),
            am.UncertainRule(am.Schedule, [0, 10.3], [am.between(0, 100), am.between(30, 120)]),
        ),
        am.UncertainScenario(
            REPORT, am.UncertainRule(am.Schedule, [0, 1], [am.between(5_000, 9_000), 1_000])
        ),
    ],
)
def test_vectorised_paths_match_exact_stepping(uncertain: am.UncertainScenario) -> None:
    """The closed forms across draws agree with the engine's stepping, draw by draw."""
    grid = np.linspace(0.0, 300.0, 301)
    drawn = uncertain.draw(64, seed=5)
    held, released, died, method = _paths(drawn, grid)
    assert method.startswith("closed form")
    for i, s in enumerate(drawn):
        with np.errstate(over="ignore", invalid="ignore"):
            path = solve_exact(s, grid)
        scale = max(s.stock, 1_000.0)
        np.testing.assert_allclose(held[i], path.held, atol=1e-9 * scale)
        np.testing.assert_allclose(released[i], path.released, atol=1e-9 * scale)
        np.testing.assert_allclose(died[i], path.died, atol=1e-9 * scale)


def test_projection_says_what_it_covers_and_plots() -> None:
    proj = made_up_country().project(draws=256, seed=1)
    text = proj.cite()
    assert "covering the inputs' uncertainty at 90 %" in text
    assert "chance is not included" in text
    assert "closed form between decrees" in text
    assert set(proj.to_frame().columns.get_level_values(0)) == {"held", "released", "died"}
    import matplotlib.pyplot as plt

    ax = proj.plot()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("90 % of input draws")
    plt.close("all")


# -- intervals ---------------------------------------------------------------------------------
def test_time_to_clear_interval_is_the_formula_at_the_input_quantiles() -> None:
    a = 100.0
    u = am.UncertainScenario(REPORT, am.between(800, 1_200), a)
    res = u.time_to_clear(level=0.9, draws=4_096, seed=11)
    assert res.low == pytest.approx(REPORT / (1_180 - a), rel=2e-3)
    assert res.high == pytest.approx(REPORT / (820 - a), rel=2e-3)
    assert res.median == pytest.approx(REPORT / (1_000 - a), rel=2e-3)
    assert "90 % interval" in res.cite() and "covers the inputs' uncertainty" in res.cite()
    assert res.provenance["covers"] == "the inputs' uncertainty"
    assert res.provenance["level"] == 0.9


def test_report_decree_case() -> None:
    """Decrees of R clear 132,000 at decree ceil(132,000 / R): 112 to 161 years at 90 %."""
    u = report_decrees()
    res = u.time_to_clear(level=0.9, draws=4_096, seed=1)
    assert res.low == math.ceil(REPORT / 1_180)
    assert res.high == math.ceil(REPORT / 820)
    sure = am.how_sure(u, seed=1, draws=128)
    # No arrests, no deaths: chance plays no part; every decree releases its size.
    assert sure.chance.low == sure.chance.high == 132.0
    assert "exact state-space law" in sure.chance.method
    assert sure.inputs is not None
    assert sure.both.interval == pytest.approx(sure.inputs.interval, abs=1.0)
    assert sure.reported is sure.both
    assert "chance together" in sure.cite()
    assert "mixture over 128" in sure.both.method


def test_made_up_country_runs_and_states_the_method() -> None:
    u = made_up_country()
    proj = u.project(draws=128, seed=2)
    assert proj.held.shape == (201, 5)
    res = u.time_to_clear(seed=2, draws=128)
    # Arrests between decrees outnumber the decree for most draws: it mostly never clears.
    assert res.p_never > 0.5
    assert "deterministic time to clear" in res.cite()
    sure = am.how_sure(u, seed=2, draws=16)
    for part in (sure.chance, sure.inputs, sure.both):
        assert part is not None
        assert part.method
        assert "90 % interval" in part.cite()
    assert "simulated" in sure.both.method or "exact" in sure.both.method


def test_plain_scenario_gives_chance_only_against_the_gamma_law() -> None:
    """No arrests: the clear time is the sum of S0 exponential(r) gaps, Gamma(S0, rate r)."""
    sure = am.how_sure(am.Scenario(400, 40.0), level=0.8)
    law = stats.gamma(400, scale=1 / 40)
    assert sure.chance.low == pytest.approx(law.ppf(0.1), rel=1e-8)
    assert sure.chance.high == pytest.approx(law.ppf(0.9), rel=1e-8)
    assert sure.inputs is None
    assert sure.both is sure.chance
    assert "inputs taken as exact" in sure.cite()
    assert "80 % interval" in sure.cite()
    assert "inputs alone: none" in repr(sure)


def test_mixture_matches_an_integral_over_the_input() -> None:
    """r ~ U(8, 12), T | r ~ Gamma(100, rate r): P(T <= t) = mean over r of the gamma cdf."""

    def cdf(t: float) -> float:
        value, _ = integrate.quad(lambda r: stats.gamma.cdf(t, 100, scale=1 / r), 8, 12)
        return float(value / 4.0)

    sure = am.how_sure(am.UncertainScenario(100, am.between(8, 12)), level=0.9, seed=4, draws=1024)
    for q, got in ((0.05, sure.both.low), (0.5, sure.both.median), (0.95, sure.both.high)):
        expected = optimize.brentq(lambda t, q=q: cdf(t) - q, 1.0, 40.0)
        assert got == pytest.approx(expected, abs=0.35)
    # Wider than either part alone.
    assert sure.inputs is not None
    assert sure.both.high - sure.both.low > sure.inputs.high - sure.inputs.low
    assert sure.both.high - sure.both.low > sure.chance.high - sure.chance.low
    assert "first-passage" in sure.chance.method


def test_same_seed_same_numbers() -> None:
    u = made_up_country()
    a, b = u.project(draws=64, seed=9), u.project(draws=64, seed=9)
    assert a.to_frame().equals(b.to_frame())
    assert a.provenance["hash"] == b.provenance["hash"]
    c = u.project(draws=64, seed=10)
    assert not a.to_frame().equals(c.to_frame())
    assert [s.inputs() for s in u.draw(16, seed=3)] == [s.inputs() for s in u.draw(16, seed=3)]
    small = am.UncertainScenario(100, am.between(8, 12), am.between(0, 2))
    x, y = am.how_sure(small, seed=5, draws=64), am.how_sure(small, seed=5, draws=64)
    assert x.to_frame().equals(y.to_frame())
    assert x.both.provenance["hash"] == y.both.provenance["hash"]


def test_rules_without_a_closed_form_are_stepped_draw_by_draw() -> None:
    u = am.UncertainScenario(
        1_000, am.UncertainRule(am.Schedule, [0, 5], [am.between(50, 150), 100]), death_rate=0.02
    )
    proj = u.project(times=[0, 5, 10], draws=8, seed=1)
    assert proj.method.startswith("exact stepping")
    assert (proj.held.diff().iloc[1:] <= 0).all().all()  # releases outpace: the stock falls


@given(
    st.floats(0.0, 1e5),
    st.floats(1.0, 5e3),
    st.floats(0.25, 5.0),
    st.floats(0.0, 5.0),
    st.floats(0.0, 5e3),
    st.sampled_from([0.0, 1e-6, 0.01, 0.3, 2.0]),
)
@settings(max_examples=40, deadline=None)
def test_decree_closed_form_matches_exact_stepping(  # noqa: PLR0917
    stock: float, size: float, every: float, first: float, arrests: float, mu: float
) -> None:
    """Property: the closed form of a decree path is the exact stepping's, for any inputs."""
    s = am.Scenario(
        round(stock),
        am.Decrees(round(size) or 1, every, first),
        arrests,
        death_rate=mu,
        allow_extreme_death_rate=True,
    )
    grid = np.linspace(0.0, 40.0, 81)
    held, released, died, method = _paths([s], grid)
    assert method.startswith("closed form")
    with np.errstate(over="ignore", invalid="ignore"):
        path = solve_exact(s, grid)
    scale = max(s.stock, arrests * 40.0, 1.0)
    np.testing.assert_allclose(held[0], path.held, atol=1e-8 * scale)
    np.testing.assert_allclose(released[0], path.released, atol=1e-8 * scale)
    np.testing.assert_allclose(died[0], path.died, atol=1e-8 * scale)


def test_regression_decree_on_a_grid_time_up_to_rounding() -> None:
    """Decrees every 0.05 years from 0.05: the third falls at 0.15000000000000002, after the
    grid time 0.15; the closed form counted it (held 0, not 0.05) before the count used the
    decree times themselves."""
    s = am.Scenario(0, am.Decrees(1, 0.05, 0.05), 1.0)
    grid = np.array([0.0, 0.1, 0.15, 0.2])
    held, _, _, _ = _paths([s], grid)
    with np.errstate(over="ignore", invalid="ignore"):
        expected = solve_exact(s, grid).held
    np.testing.assert_allclose(held[0], expected, atol=1e-12)
