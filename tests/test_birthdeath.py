"""The clear-time distribution on the birth–death state space, against independent methods.

Every reference here comes from another method: the Skellam-reflection closed form of
``am.first_passage`` (no deaths), the law of the last of ``n`` exponential lifetimes, the
hypoexponential law of a pure-death chain (a matrix exponential written in the test), the
inhomogeneous Poisson count of a growing release rate, a decree-by-decree convolution written in
the test, and seeded simulation (mean within 4 standard errors).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm
from scipy.stats import poisson

import amnesty_model as am
from amnesty_model import clear_time_distribution

TIMES = np.array([0.05, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 40.0])


@pytest.mark.parametrize(
    ("n", "r", "a"), [(1, 3.0, 0.0), (10, 5.0, 0.0), (50, 10.0, 4.0), (200, 20.0, 5.0)]
)
def test_no_deaths_equals_first_passage(n: int, r: float, a: float) -> None:
    d = clear_time_distribution(am.Scenario(n, r, a))
    fp = am.first_passage(n, r, a)
    np.testing.assert_allclose(d.cdf(TIMES), fp.cdf(TIMES), rtol=0, atol=1e-11)
    # mean n / (r - a) (docs/methods.md §3)
    assert d.mean() == pytest.approx(n / (r - a), rel=1e-11)
    assert "exact" in d.method


def test_arrests_outpace_releases_clear_with_probability_r_over_a_to_the_n() -> None:
    # P(ever clear) = (r / a)^n for the birth–death walk (gambler's ruin); after the default
    # 1,000-year horizon the remainder has drifted away for good.
    d = clear_time_distribution(am.Scenario(5, 1.0, 2.0))
    assert d.p_clear == pytest.approx(0.5**5, abs=1e-10)
    assert d.median() == math.inf
    assert d.mean() == math.inf


def test_only_deaths_is_the_last_of_n_exponential_lifetimes() -> None:
    n, mu = 30, 0.1
    d = clear_time_distribution(am.Scenario(n, 0.0, 0.0, death_rate=mu))
    np.testing.assert_allclose(d.cdf(TIMES), (1 - np.exp(-mu * TIMES)) ** n, atol=1e-11)
    # E[max of n Exp(mu)] = H_n / mu
    assert d.mean() == pytest.approx(sum(1 / k for k in range(1, n + 1)) / mu, rel=1e-10)


def test_proportional_release_without_arrests_is_the_last_of_n_lifetimes() -> None:
    n, rho, mu = 40, 0.3, 0.05
    d = clear_time_distribution(am.Scenario(n, am.Proportional(rho), 0.0, mu))
    np.testing.assert_allclose(d.cdf(TIMES), (1 - np.exp(-(rho + mu) * TIMES)) ** n, atol=1e-11)


def test_release_and_deaths_is_hypoexponential() -> None:
    # Falling from s to s - 1 takes Exp(r + mu*s): the clear time is their sum. Its cdf is
    # the absorbed mass of the bidiagonal generator, by scipy's matrix exponential.
    n, r, mu = 60, 5.0, 0.05
    d = clear_time_distribution(am.Scenario(n, r, 0.0, death_rate=mu))
    out = r + mu * np.arange(1, n + 1)  # rate of leaving state s = 1..n
    Q = np.diag(-out) + np.diag(out[1:], -1)
    start = np.zeros(n)
    start[-1] = 1.0
    ref = [1.0 - (start @ expm(Q * t)).sum() for t in TIMES]
    np.testing.assert_allclose(d.cdf(TIMES), ref, atol=1e-11)
    assert d.mean() == pytest.approx((1 / out).sum(), rel=1e-10)


def test_growing_release_rate_without_arrests_is_a_poisson_count() -> None:
    # Releases form a Poisson process with mean r0 (e^{γt} − 1)/γ by t; cleared once n happened.
    n, r0, g = 300, 20.0, 0.1
    d = clear_time_distribution(am.Scenario(n, am.Geometric(r0, g)))
    ref = poisson.sf(n - 1, r0 * np.expm1(g * TIMES) / g)
    np.testing.assert_allclose(d.cdf(TIMES), ref, atol=1e-6)
    assert "numerical" in d.method


def test_decrees_without_arrests_clear_at_the_deterministic_decree() -> None:
    d = clear_time_distribution(am.Scenario(5_000, am.Decrees(1_000)))
    assert d.cdf(4.999) == 0.0
    assert d.cdf(5.0) == 1.0
    assert d.mean() == 5.0


def _decree_walk_cdf(n: int, size: int, every: float, a: float, decrees: int) -> list[float]:
    """P(cleared by decree k): the stock before each decree, convolved decree by decree."""
    top = n + int(a * every * decrees + 20 * math.sqrt(a * every * decrees + 1)) + 50
    held = np.zeros(top + 1)
    held[n] = 1.0
    kernel = poisson.pmf(np.arange(top + 1), a * every)
    out, cleared = [], 0.0
    for _ in range(decrees):
        held = np.convolve(held, kernel)[: top + 1]  # arrests until the decree
        cleared += held[: size + 1].sum()  # at most `size` held: the decree empties it
        kept = np.zeros(top + 1)
        kept[1 : top + 1 - size] = held[size + 1 :]  # the others lose `size`: s -> s - size
        held = kept
        out.append(cleared)
    return out


def test_decrees_with_poisson_arrests_match_a_decree_by_decree_convolution() -> None:
    n, size, every, a = 300, 60, 1.0, 40.0
    d = clear_time_distribution(am.Scenario(n, am.Decrees(size, every), a))
    ref = _decree_walk_cdf(n, size, every, a, 40)
    got = d.cdf(every * np.arange(1, 41))
    np.testing.assert_allclose(got, ref, atol=1e-11)
    # Between decrees nothing clears.
    assert d.cdf(12.5) == d.cdf(12.0)


@pytest.mark.parametrize(
    "scenario",
    [
        am.Scenario(400, am.Decrees(60, 0.5), 80.0, 0.01),
        am.Scenario(
            300, am.Schedule([0, 2, 5], [100, 20, 80]), am.Schedule([0, 3], [10, 30]), 0.02
        ),
        am.Scenario(300, 40.0, 10.0, 0.03),
    ],
    ids=["decrees+deaths", "schedules+deaths", "constant+deaths"],
)
def test_mean_matches_simulation(scenario: am.Scenario) -> None:
    d = clear_time_distribution(scenario)
    sim = am.simulate(scenario, paths=4_000, seed=20261204, method="exact")
    ct = sim.clear_times
    assert np.isfinite(ct).all()
    se = ct.std(ddof=1) / math.sqrt(ct.size)
    assert abs(ct.mean() - d.mean()) < 4 * se
    # and the cdf at the simulated quartiles within 4 binomial standard errors of the ecdf
    for x in np.quantile(ct, [0.25, 0.5, 0.75]):
        p = float(d.cdf(float(x)))
        assert abs(np.mean(ct <= x) - p) < 4 * math.sqrt(p * (1 - p) / ct.size) + 1e-12


def test_report_scale_with_deaths() -> None:
    # 10,000 held, 1,000 released and 200 arrested a year, 2 % dying: the deterministic answer
    # ln(1 + μ S0/(r − a))/μ is the centre; chance spreads it by a few months.
    s = am.Scenario(10_000, 1_000.0, 200.0, 0.02)
    d = clear_time_distribution(s)
    det = math.log(1 + 0.02 * 10_000 / 800) / 0.02
    assert abs(d.mean() - det) < 0.01
    low, high = d.interval(0.9)
    assert low < det < high
    assert 0.1 < high - low < 1.0


def test_never_clearing_with_deaths_is_reported_within_the_horizon() -> None:
    # Arrests outpace releases; deaths hold the stock near (a − r)/μ = 500: not within 1,000 y.
    d = clear_time_distribution(am.Scenario(100, 10.0, 20.0, 0.02))
    assert d.horizon == 1_000.0
    assert d.p_clear < 1e-12
    assert d.median() == math.inf
    with pytest.raises(ValueError, match="past the horizon"):
        d.cdf(2_000.0)


def test_empty_stock_is_cleared_at_once() -> None:
    d = clear_time_distribution(am.Scenario(0, 1.0, 5.0))
    assert d.cdf(0.0) == 1.0
    assert d.mean() == 0.0


def test_cdf_outside_the_support_and_vectorised() -> None:
    d = clear_time_distribution(am.Scenario(10, 5.0))
    assert d.cdf(-1.0) == 0.0
    assert d.sf(-1.0) == 1.0
    assert d.cdf(np.array([[0.0, 1.0]])).shape == (1, 2)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: clear_time_distribution(am.Scenario(10.5, 5.0)), "stock must be a whole"),
        (lambda: clear_time_distribution(am.Scenario(10, am.Decrees(2.5))), "size must be"),
        (lambda: clear_time_distribution(am.Scenario(10, 5.0), tol=0.1), r"tol must be in"),
        (lambda: clear_time_distribution(am.Scenario(10, 5.0), horizon=-1), "horizon"),
        (lambda: clear_time_distribution(132_000), "scenario must be a Scenario"),
        (lambda: clear_time_distribution(am.Scenario(10, 5.0)).cdf(math.nan), "t must be"),
        (lambda: clear_time_distribution(am.Scenario(10, 5.0)).ppf(1.5), "q"),
    ],
)
def test_bad_input_is_named(call: object, match: str) -> None:
    with pytest.raises((ValueError, TypeError), match=match):
        call()  # type: ignore[operator]


def test_cost_check_names_the_work_before_starting() -> None:
    # Ten million people at a million releases a year, 1 % dying: far beyond the method.
    with pytest.raises(ValueError, match=r"jumps .* am\.simulate"):
        clear_time_distribution(am.Scenario(10_000_000, 1_000_000.0, 0.0, 0.01))


def test_cite_says_what_the_interval_covers() -> None:
    d = clear_time_distribution(am.Scenario(200, 20.0, 5.0, 0.02))
    text = d.cite()
    assert "chance alone" in text
    assert "90%" in text
    assert d.provenance["hash"] in text
    assert "ClearTimeDistribution" in repr(d)
    frame = d.frame
    assert list(frame.columns) == ["years", "p_cleared", "p_held"]
    assert (np.diff(frame["p_cleared"]) >= -1e-15).all()


@settings(max_examples=25)
@given(
    n=st.integers(1, 60),
    r=st.floats(0.5, 30.0),
    a=st.floats(0.0, 20.0),
    mu=st.floats(0.0, 0.3),
)
def test_cdf_is_a_probability_and_monotone(n: int, r: float, a: float, mu: float) -> None:
    d = clear_time_distribution(am.Scenario(n, r, a, mu), horizon=30.0)
    grid = np.linspace(0.0, 30.0, 25)
    cdf = np.asarray(d.cdf(grid))
    assert ((cdf >= 0) & (cdf <= 1)).all()
    # monotone up to the documented accuracy of each probability
    assert (np.diff(cdf) >= -2 * d.error_bound).all()
    if mu == 0:
        np.testing.assert_allclose(cdf, am.first_passage(n, r, a).cdf(grid), atol=1e-9)


def test_quantiles_at_the_edges() -> None:
    d = clear_time_distribution(am.Scenario(5, 1.0, 2.0))  # clears with probability 1/32
    assert d.ppf(1e-300) > 0.0
    assert d.ppf(0.5) == math.inf
    assert 0 < d.ppf(0.01) < math.inf
    assert "with probability 0.031" in d.cite()
    # A decree that empties the prisons at once: every quantile is its date.
    e = clear_time_distribution(am.Scenario(10, am.Decrees(20, 2.0), 0.0))
    assert e.ppf(0.3) == e.ppf(0.99) == 2.0


def test_a_horizon_cuts_the_distribution_and_the_mean_says_so() -> None:
    d = clear_time_distribution(am.Scenario(200, 20.0, 5.0, 0.02), horizon=5.0)
    assert d.p_unresolved > 0.99
    with pytest.raises(ValueError, match="still held at the horizon"):
        d.mean()
    assert d.frame["years"].iloc[-1] == 5.0


def test_nothing_moves_without_rates() -> None:
    # No one released, arrested or dying: never clears; the stock waits for a decree instead.
    assert clear_time_distribution(am.Scenario(10, 0.0)).p_clear == 0.0
    d = clear_time_distribution(am.Scenario(10, am.Decrees(10, 5.0)))
    assert d.cdf(4.9) == 0.0
    assert d.cdf(5.0) == 1.0


def test_arrests_with_no_releases_after_a_schedule_never_clear() -> None:
    # Releases stop after two years while arrests go on: what is left never clears.
    s = am.Scenario(50, am.Schedule([0, 2], [20.0, 0.0]), 1.0)
    d = clear_time_distribution(s, horizon=30.0)
    assert d.cdf(30.0) == pytest.approx(d.cdf(2.0), abs=1e-12)


def test_cost_estimate_refuses_before_starting() -> None:
    with pytest.raises(ValueError, match="jumps"):
        clear_time_distribution(am.Scenario(10_000_000, 1_000.0, 0.0, 0.5))
