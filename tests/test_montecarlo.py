"""Tests of amnesty_model.montecarlo: Monte Carlo against closed forms and independent methods.

Reference values come from mathematics written here, not from the code under test:

- constant rates, no deaths (docs/methods.md §3): the clear time from ``n`` has mean
  ``n/(r − a)`` and variance ``n (r + a)/(r − a)^3``; with ``a = 0`` it is ``Gamma(n, rate r)``;
- a release process with integrated rate ``Λ(t)`` and no arrests clears when ``n`` releases
  have happened, so ``T = Λ⁻¹(G)`` with ``G ~ Gamma(n, 1)`` (time change of a Poisson process);
  its mean is computed here by quadrature;
- proportional release with no arrests: each person leaves after an ``Exp(ρ + μ)`` time, so
  the stock is empty at the maximum of ``n`` of them, of mean ``H_n / (ρ + μ)``;
- decrees of ``R`` a year with Poisson arrests: the stock clears at decree ``k`` or before iff
  ``S0 + A(k) ≤ k R`` for some earlier decree, with ``A(k) ~ Poisson(a k)``;
- the mean path before clearing follows the deterministic model (the equations are linear
  while the stock is positive), so it is compared with ``Scenario.project``.

Tolerances: a sample mean is within 4 standard errors of its reference (with fixed seeds the
tests are deterministic; 4 SE would fail by chance with probability ~6e-5).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import ClassVar

import numpy as np
import pytest
from scipy import integrate, stats

import amnesty_model as am
from amnesty_model.montecarlo import DEFAULT_TAU_STEP, Simulation, simulate

Z = 4.0  # standard errors allowed between a sample mean and its reference


def assert_mean(sample: np.ndarray, reference: float) -> None:
    se = sample.std(ddof=1) / math.sqrt(sample.size)
    assert abs(sample.mean() - reference) <= Z * se, (sample.mean(), reference, se)


def assert_variance(sample: np.ndarray, reference: float) -> None:
    """Sample variance within 4 SE; SE from the fourth central moment, sqrt((m4 − s⁴)/N)."""
    centred = sample - sample.mean()
    var = centred.var(ddof=1)
    se = math.sqrt((np.mean(centred**4) - var**2) / sample.size)
    assert abs(var - reference) <= Z * se, (var, reference, se)


def assert_conserved(sim: Simulation) -> None:
    for counts in (sim.held, sim.released, sim.arrested, sim.died):
        assert counts.dtype == np.int64
    assert (sim.held >= 0).all()
    np.testing.assert_array_equal(
        sim.held, int(sim.scenario.stock) + sim.arrested - sim.released - sim.died
    )


# -- constant rates: first-passage closed forms ---------------------------------------------


@pytest.mark.parametrize("method", ["exact", "leap", "tau"])
def test_no_arrests_is_gamma(method: str) -> None:
    n, r = 30, 10.0
    sim = simulate(am.Scenario(n, r), paths=2_000, seed=11, method=method)
    assert sim.method == method
    ct = sim.clear_times
    assert_mean(ct, n / r)
    assert_variance(ct, n / r**2)
    # The whole distribution: Gamma(shape n, rate r).
    assert stats.kstest(ct, stats.gamma(n, scale=1 / r).cdf).pvalue > 1e-3


@pytest.mark.parametrize("method", ["exact", "leap", "tau"])
def test_with_arrests_mean_and_variance(method: str) -> None:
    n, r, a = 40, 10.0, 4.0
    sim = simulate(am.Scenario(n, r, arrest_rate=a), paths=3_000, seed=12, method=method)
    assert sim.censored_share == 0.0
    assert_mean(sim.clear_times, n / (r - a))
    assert_variance(sim.clear_times, n * (r + a) / (r - a) ** 3)
    assert_conserved(sim)


def test_full_scale_report_with_arrests() -> None:
    # The report's 132,000 held, 1,000 released a year, 500 arrested: mean 264 years.
    n, r, a = 132_000, 1_000.0, 500.0
    sim = simulate(am.Scenario(n, r, arrest_rate=a), paths=2_000, seed=13)
    assert sim.method == "leap"
    assert_mean(sim.clear_times, n / (r - a))
    assert_variance(sim.clear_times, n * (r + a) / (r - a) ** 3)
    s = sim.summary()
    assert s["mean_se"] == pytest.approx(s["std"] / math.sqrt(2_000))
    assert_conserved(sim)


def test_schemes_agree_in_distribution() -> None:
    s = am.Scenario(25, 10.0, arrest_rate=5.0)
    samples = [
        simulate(s, paths=2_000, seed=20 + i, method=m).clear_times
        for i, m in enumerate(["exact", "leap", "tau"])
    ]
    for other in samples[1:]:
        assert stats.ks_2samp(samples[0], other).pvalue > 1e-3


def test_p_clear_by_matches_gamma_cdf() -> None:
    n, r, paths = 10, 1.0, 4_000
    sim = simulate(am.Scenario(n, r), paths=paths, seed=14, horizon=40.0)
    for t in (5.0, 10.0, 15.0):
        p = stats.gamma(n, scale=1 / r).cdf(t)
        assert abs(sim.p_clear_by(t) - p) <= Z * math.sqrt(p * (1 - p) / paths)
    assert sim.p_clear_by(0.0) == 0.0
    assert sim.p_clear_by(40.0) == 1.0


def test_p_clear_by_date() -> None:
    sim = simulate(am.Scenario(10, 1.0, start="2022-05-26"), paths=500, seed=15, horizon=40)
    date = dt.date(2032, 5, 26)
    years = (date - dt.date(2022, 5, 26)).days / am.DAYS_PER_YEAR
    assert sim.p_clear_by(date) == sim.p_clear_by(years)
    assert sim.p_clear_by("2032-05-26") == sim.p_clear_by(years)
    assert sim.p_clear_by(np.datetime64("2032-05-26")) == sim.p_clear_by(years)
    assert 0 < sim.p_clear_by(date) < 1


# -- time-varying rates: time change of the release process ---------------------------------


def _time_changed_mean(n: int, inverse: object) -> float:
    """E[Λ⁻¹(G)] with G ~ Gamma(n, 1), by quadrature."""
    g = stats.gamma(n)
    value, _ = integrate.quad(lambda x: inverse(x) * g.pdf(x), 0, 20 * n, points=[n], limit=200)  # type: ignore[operator]
    return float(value)


@pytest.mark.parametrize("method", ["exact", "leap", "tau"])
def test_schedule_release(method: str) -> None:
    # 10 a year for the first year, then 30 a year: Λ(t) = 10 t, then 10 + 30 (t − 1).
    n = 20
    reference = _time_changed_mean(n, lambda x: x / 10 if x < 10 else 1 + (x - 10) / 30)
    s = am.Scenario(n, am.Schedule([0, 1], [10, 30]))
    sim = simulate(s, paths=3_000, seed=16, method=method)
    assert_mean(sim.clear_times, reference)


@pytest.mark.parametrize("method", ["exact", "leap", "tau"])
def test_geometric_release(method: str) -> None:
    # r(t) = 10 e^{0.3 t}: Λ(t) = 10 (e^{0.3 t} − 1)/0.3, Λ⁻¹(x) = ln(1 + 0.3 x/10)/0.3.
    n = 20
    reference = _time_changed_mean(n, lambda x: math.log1p(0.3 * x / 10) / 0.3)
    sim = simulate(am.Scenario(n, am.Geometric(10, 0.3)), paths=3_000, seed=17, method=method)
    assert_mean(sim.clear_times, reference)


def test_shrinking_geometric_release() -> None:
    # r(t) = 20 e^{-0.1 t}: at most 200 releases ever; Λ⁻¹(x) = −ln(1 − 0.1 x/20)/0.1.
    # With n = 20, P(G ≥ 200) is negligible (Gamma(20) tail), so the mean is finite.
    n = 20
    reference = _time_changed_mean(n, lambda x: -math.log1p(-0.1 * min(x, 199.9) / 20) / 0.1)
    sim = simulate(am.Scenario(n, am.Geometric(20, -0.1)), paths=3_000, seed=18, method="exact")
    assert_mean(sim.clear_times, reference)


def test_geometric_with_arrests_exact_and_leap_agree() -> None:
    s = am.Scenario(20, am.Geometric(10, 0.3), arrest_rate=3)
    exact = simulate(s, paths=2_000, seed=19, method="exact").clear_times
    leap = simulate(s, paths=2_000, seed=20, method="leap").clear_times
    se = math.hypot(exact.std(ddof=1), leap.std(ddof=1)) / math.sqrt(2_000)
    assert abs(exact.mean() - leap.mean()) <= Z * se


def test_schedule_of_arrests_conserves() -> None:
    s = am.Scenario(60, 10.0, arrest_rate=am.Schedule([0, 2], [2, 8]), death_rate=0.05)
    for method in ("auto", "exact", "tau"):
        sim = simulate(s, paths=300, seed=21, method=method)
        assert_conserved(sim)
        assert sim.died.sum() > 0


# -- per-person hazards ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["exact", "tau"])
def test_deaths_mean_path_follows_projection(method: str) -> None:
    s = am.Scenario(2_000, 100.0, arrest_rate=20.0, death_rate=0.05)
    clear = s.time_to_clear()  # ln(1 + 0.05·2000/80)/0.05 = 16.2 years
    times = np.linspace(0, 0.6 * clear, 7)
    sim = simulate(s, paths=200, seed=22, method=method, grid=times)
    det = s.project(horizon=float(times[-1]), step=float(times[1])).frame
    for counts, column in ((sim.held, "held"), (sim.died, "died")):
        mean = counts.mean(axis=0)
        se = counts.std(axis=0, ddof=1) / math.sqrt(sim.paths)
        expected = det[column].to_numpy()
        assert np.all(np.abs(mean - expected) <= Z * se + 1e-9), column
    assert_conserved(sim)


def test_tau_hazard_is_accurate_over_one_coarse_step() -> None:
    # One leap of half a year, 2,000 held, 100 released a year, 10 % dying a year. The mean
    # held is the deterministic S* + (S0 − S*) e^{−μt}, S* = −r/μ: 1,853.69. A hazard applied
    # to the stock at the end of the step instead of mid-step would be off by about
    # q·r·dt/2 ≈ 1.2 people, 40 standard errors here.
    s = am.Scenario(2_000, 100.0, death_rate=0.1)
    sim = simulate(s, paths=40_000, seed=37, method="tau", step=0.5, grid=[0, 0.5], horizon=0.5)
    expected = -1_000 + 3_000 * math.exp(-0.05)
    assert_mean(sim.held[:, 1].astype(float), expected)
    assert_mean(sim.died[:, 1].astype(float), 2_000 - 50 - expected)


def test_deaths_tau_agrees_with_exact() -> None:
    s = am.Scenario(200, 10.0, death_rate=0.05)
    exact = simulate(s, paths=3_000, seed=23, method="exact").clear_times
    tau = simulate(s, paths=3_000, seed=24, method="tau").clear_times
    se = math.hypot(exact.std(ddof=1), tau.std(ddof=1)) / math.sqrt(3_000)
    assert abs(exact.mean() - tau.mean()) <= Z * se


@pytest.mark.parametrize("method", ["exact", "tau"])
def test_proportional_release_is_a_maximum_of_exponentials(method: str) -> None:
    n, rho, mu = 50, 0.3, 0.2
    s = am.Scenario(n, am.Proportional(rho), death_rate=mu)
    sim = simulate(s, paths=2_000, seed=25, method=method, horizon=80.0)
    harmonic = sum(1 / i for i in range(1, n + 1))
    assert_mean(sim.clear_times, harmonic / (rho + mu))
    # Each person dies rather than being released with probability μ/(ρ + μ) = 0.4.
    share = sim.died[:, -1] / n
    assert_mean(share, mu / (rho + mu))
    assert_conserved(sim)


@pytest.mark.parametrize("method", ["exact", "tau"])
def test_proportional_release_alone_and_clear_below(method: str) -> None:
    # Fewer than 5 held: the 46th of 50 exponential departures, mean (H_50 − H_4)/ρ.
    n, rho = 50, 0.5
    s = am.Scenario(n, am.Proportional(rho, clear_below=5))
    sim = simulate(s, paths=2_000, seed=26, horizon=40.0, method=method)
    reference = sum(1 / i for i in range(5, n + 1)) / rho
    assert_mean(sim.clear_times, reference)
    assert (sim.died == 0).all()
    assert (sim.held[:, -1] == 4).all()  # frozen at the first time below 5


# -- decrees ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["exact", "leap", "tau"])
def test_decrees_without_arrests_are_deterministic(method: str) -> None:
    # 10 held, 3 released a year from t = 1: ceil(10/3) = 4 decrees, the last at t = 4.
    sim = simulate(am.Scenario(10, am.Decrees(3)), paths=50, seed=27, method=method)
    assert (sim.clear_times == 4.0).all()
    # With the first decree at t = 0 the fourth falls at t = 3.
    sim = simulate(am.Scenario(10, am.Decrees(3, first=0)), paths=5, seed=27, method=method)
    assert (sim.clear_times == 3.0).all()
    assert (sim.held[:, 0] == 7).all()  # the decree at t = 0 is recorded at t = 0


def test_decrees_with_poisson_arrests() -> None:
    # 90 held, decrees of 30 a year, 5 arrests a year. The deterministic answer is decree
    # k* = ceil(90/(30 − 5)) = 4. With Poisson arrests the stock is empty by decree k iff
    # 90 + A(k) ≤ 30 k with A(k) ~ Poisson(5k) (up to increments above 30 in a year,
    # probability < 1e-12), so E[T] = Σ_k P(T > k).
    s = am.Scenario(90, am.Decrees(30), arrest_rate=5)
    assert s.time_to_clear() == 4.0
    survival = [1.0 - stats.poisson(5 * k).cdf(30 * k - 90) for k in range(0, 40)]
    reference = sum(survival)  # 4.011: above the deterministic 4
    sim = simulate(s, paths=4_000, seed=28)
    assert_mean(sim.clear_times, reference)
    assert set(np.unique(sim.clear_times)) <= {4.0, 5.0, 6.0}
    assert_conserved(sim)


def test_decrees_with_deaths() -> None:
    s = am.Scenario(40, am.Decrees(10), arrest_rate=2, death_rate=0.1)
    sim = simulate(s, paths=400, seed=29)
    assert sim.method == "leap"  # no count releases: exact immigration-death leaps
    assert_conserved(sim)
    assert sim.died.sum() > 0


# -- never, censoring, defaults -------------------------------------------------------------


def test_never_clearing_is_censored() -> None:
    s = am.Scenario(20, 10.0, arrest_rate=15.0, name="arrests win")
    sim = simulate(s, paths=200, seed=30)
    assert sim.horizon == 100.0  # default when the deterministic stock never clears
    assert sim.censored_share > 0.95  # P(ever clears) = (10/15)^20 = 3e-4
    assert sim.cleared_share == pytest.approx(1 - sim.censored_share)
    assert sim.mean_clear_time() == math.inf
    summary = sim.summary()
    assert summary["std"] == math.inf and summary["median"] == math.inf
    assert "More than half of the paths had not cleared by year 100" in sim.cite()
    assert "'arrests win'" in repr(sim)
    assert_conserved(sim)


def test_some_censored_paths_are_reported() -> None:
    sim = simulate(am.Scenario(10, 1.0), paths=400, seed=31, horizon=12.0)
    assert 0 < sim.censored_share < 0.5  # Gamma(10, 1) exceeds 12 with probability 0.24
    assert "of paths had not cleared by year 12" in sim.cite()


def test_empty_stock_clears_at_once() -> None:
    sim = simulate(am.Scenario(0, 10.0, arrest_rate=5.0), paths=10, seed=32)
    assert (sim.clear_times == 0.0).all()
    assert sim.horizon == 1.0
    assert (sim.held == 0).all()


def test_auto_method_choice() -> None:
    assert simulate(am.Scenario(100, 10.0), paths=5, seed=1).method == "leap"
    small = simulate(am.Scenario(100, 10.0, death_rate=0.01), paths=5, seed=1)
    assert small.method == "exact" and small.step is None
    # Event by event is exact and fast enough at full scale; "tau" only beyond 2e9 events.
    large = simulate(am.Scenario(50_000, 1_000.0, death_rate=0.01), paths=5, seed=1)
    assert large.method == "exact" and large.step is None
    proportional = simulate(am.Scenario(50_000, am.Proportional(0.5)), paths=5, seed=1)
    assert proportional.method == "leap"
    # A billion held: 1e9 departures a path, 3e9 in all, past the event budget: "tau"
    # (not run here).
    from amnesty_model.montecarlo import _plan, _Rates

    huge = am.Scenario(10**9, 1_000.0, death_rate=0.01)
    plan = _plan(
        huge, _Rates(huge), "auto", stock=10**9, paths=3, horizon=1e4, step=None, points=101
    )
    assert plan[:2] == ("tau", DEFAULT_TAU_STEP)


def test_leap_with_a_step_limit() -> None:
    sim = simulate(am.Scenario(40, 10.0, arrest_rate=4.0), paths=1_000, seed=33, step=0.01)
    assert sim.step == 0.01
    assert_mean(sim.clear_times, 40 / 6)


# -- reproducibility -----------------------------------------------------------------------------


def test_same_seed_same_output_different_seed_different_output() -> None:
    s = am.Scenario(50, 10.0, arrest_rate=3.0, death_rate=0.02)
    a = simulate(s, paths=100, seed=5)
    b = simulate(s, paths=100, seed=5)
    c = simulate(s, paths=100, seed=6)
    np.testing.assert_array_equal(a.clear_times, b.clear_times)
    np.testing.assert_array_equal(a.held, b.held)
    assert not np.array_equal(a.clear_times, c.clear_times)
    assert a.provenance["hash"] == b.provenance["hash"] != c.provenance["hash"]


def test_seed_none_is_recorded_and_reproduces() -> None:
    s = am.Scenario(30, 10.0, arrest_rate=2.0)
    first = simulate(s, paths=50)
    assert isinstance(first.seed, int)
    again = simulate(s, paths=50, seed=first.seed)
    np.testing.assert_array_equal(first.clear_times, again.clear_times)


def test_generator_and_seed_sequence_seeds() -> None:
    s = am.Scenario(30, 10.0)
    sim = simulate(s, paths=20, seed=np.random.default_rng(1))
    assert sim.seed is None and sim.provenance["seed"] is None
    assert "Generator" in sim.provenance["seed_note"]
    assert "seed from a Generator" in sim.cite()
    child = np.random.SeedSequence(9).spawn(2)[1]
    sim = simulate(s, paths=20, seed=child)
    assert sim.seed == 9 and sim.provenance["seed_spawn_key"] == [1]
    plain = simulate(s, paths=20, seed=np.random.SeedSequence(9))
    np.testing.assert_array_equal(plain.clear_times, simulate(s, paths=20, seed=9).clear_times)


# -- result object -------------------------------------------------------------------------------


def test_quantile_bands_and_frame() -> None:
    s = am.Scenario(100, 10.0, start="2022-05-26")
    sim = simulate(s, paths=300, seed=34, grid=[0, 5, 10, 20])
    bands = sim.quantile_bands()
    assert list(bands.columns) == ["date", "q0.05", "q0.25", "q0.5", "q0.75", "q0.95"]
    assert bands.index.name == "years"
    assert bands.loc[0.0, "q0.5"] == 100 and bands.loc[20.0, "q0.95"] == 0
    assert str(bands.loc[20.0, "date"].date()) == "2042-05-26"  # 20 × 365.25 = 7,305 days
    # Held at 5 years is 100 − Poisson(50): compare the sample quartiles with its quantiles.
    for q in (0.25, 0.75):
        assert abs(bands.loc[5.0, f"q{q:g}"] - (100 - stats.poisson(50).ppf(1 - q))) <= 3
    chosen = sim.quantile_bands(times=[5.0, "2042-05-26"], quantiles=[0.5])
    assert list(chosen.index) == [5.0, 20.0] and list(chosen.columns) == ["date", "q0.5"]
    assert sim.quantile_bands(times=10.0).shape == (1, 6)

    frame = sim.to_frame()
    assert frame.equals(sim.frame)
    assert frame.loc[0.0, "held_mean"] == 100 and frame.loc[0.0, "cleared_share"] == 0
    assert frame.loc[20.0, "cleared_share"] == 1.0
    assert (frame["held_mean"] + frame["released_mean"] == 100).all()
    assert {"held_sd", "held_q0.05", "held_q0.5", "held_q0.95", "died_mean"} <= set(frame)


def test_provenance_and_cite() -> None:
    s = am.Scenario(132_000, 1_000, start="2022-05-26", sources=("sohr-2022",))
    sim = simulate(s, paths=200, seed=35)
    record = sim.provenance
    assert json.loads(json.dumps(record)) == record
    assert record["method"] == "Monte Carlo (leap)"
    assert record["seed"] == 35 and record["paths"] == 200 and record["step_years"] is None
    assert record["sources"] == ["sohr-2022"]
    assert "1e-12" in record["scheme"]
    assert record["result"]["censored_share"] == 0.0
    text = sim.cite()
    assert text.startswith("Median 132 years to clear (90 % of paths between ")
    assert "median date 2154-" in text and "200 simulated paths" in text
    assert f"amnesty_model {am.__version__}, Monte Carlo, leap, seed 35" in text
    assert record["hash"] in text
    assert "median clear time: 132 years" in repr(sim)


def test_single_path_summary() -> None:
    sim = simulate(am.Scenario(10, 10.0), paths=1, seed=36)
    assert math.isnan(sim.summary()["std"])
    assert (sim.frame["held_sd"] == 0).all()


# -- bad input -----------------------------------------------------------------------------------


def test_bad_inputs() -> None:
    s = am.Scenario(10, 10.0)
    with pytest.raises(TypeError, match="scenario must be a Scenario, got 10"):
        simulate(10)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="paths must be an integer >= 1, got 0"):
        simulate(s, paths=0)
    with pytest.raises(TypeError, match=r"paths must be an integer >= 1, got 1\.5"):
        simulate(s, paths=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="paths must be an integer >= 1, got True"):
        simulate(s, paths=True)
    with pytest.raises(ValueError, match=r"stock must be a whole number .* got 10\.5"):
        simulate(am.Scenario(10.5, 10.0))
    with pytest.raises(ValueError, match=r"Decrees\.size\) must be a whole number .* 2\.5"):
        simulate(am.Scenario(10, am.Decrees(2.5)))
    with pytest.raises(TypeError, match=r"seed must be an integer >= 0, a numpy.random.Gen.*'x'"):
        simulate(s, seed="x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"seed must be .* got 1\.5"):
        simulate(s, seed=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed must be an integer >= 0, got -1"):
        simulate(s, seed=-1)
    with pytest.raises(ValueError, match=r"method must be one of .* got 'gillespie'"):
        simulate(s, method="gillespie")
    with pytest.raises(ValueError, match="step applies to the 'tau' and 'leap' methods"):
        simulate(s, method="exact", step=0.1)
    with pytest.raises(ValueError, match="step must be a finite number > 0, got 0"):
        simulate(s, step=0)
    with pytest.raises(ValueError, match="method 'leap' is exact only without per-person"):
        simulate(s.with_(death_rate=0.1), method="leap")
    with pytest.raises(ValueError, match="horizon must be a finite number > 0, got -1"):
        simulate(s, horizon=-1)


def test_bad_grids() -> None:
    s = am.Scenario(10, 10.0)
    with pytest.raises(ValueError, match="grid must be an integer >= 2, got 1"):
        simulate(s, grid=1)
    with pytest.raises(TypeError, match=r"grid must be a number of points .* got 'abc'"):
        simulate(s, grid="abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"grid must be a number of points .* got \[None\]"):
        simulate(s, grid=[None])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="grid times must be a finite number >= 0, got -1"):
        simulate(s, grid=[-1.0, 1.0])
    with pytest.raises(ValueError, match="grid times must lie within the horizon"):
        simulate(s, grid=[0.0, 5.0], horizon=2.0)
    with pytest.raises(ValueError, match="grid must hold at least one time"):
        simulate(s, grid=[])
    with pytest.raises(ValueError, match=r"would pass 2,000,00[0-9] stops"):
        simulate(s, grid=2_000_000)


def test_bad_result_queries() -> None:
    sim = simulate(am.Scenario(10, 10.0), paths=10, seed=1, horizon=5.0, grid=[0, 1, 5])
    with pytest.raises(ValueError, match="when = 6 years lies beyond the simulated horizon"):
        sim.p_clear_by(6.0)
    with pytest.raises(ValueError, match=r"is a date .* but the scenario has no start date"):
        sim.p_clear_by("2030-01-01")
    with pytest.raises(TypeError, match="when must be a finite number"):
        sim.p_clear_by(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"times must be grid times .* 2 years is not one"):
        sim.quantile_bands(times=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"quantiles must be strictly between 0 and 1, got 1\.5"):
        sim.quantile_bands(quantiles=[0.5, 1.5])
    with pytest.raises(ValueError, match="quantiles must hold at least one value"):
        sim.quantile_bands(quantiles=[])


# -- the mean of the linear model, for every scheme ------------------------------------------
#
# While the stock stays well above zero the model is linear, so the mean number held obeys the
# deterministic ODE dS/dt = a − r − (ρ + μ) S exactly, with decrees as jumps of −R. Its
# solution from S0 over a time t is S* + (S0 − S*) e^{−kt}, S* = (a − r)/k, k = ρ + μ. The
# references below are computed from that formula here, independently of the package; in
# each case the stock is hundreds of people at the time compared, so the chance that a path
# cleared before it is far below 1e-12.


def _linear_mean(S0: float, a: float, r: float, k: float, t: float) -> float:
    star = (a - r) / k
    return star + (S0 - star) * math.exp(-k * t)


def _decree_mean(
    S0: float, a: float, mu: float, decrees: tuple[float, list[float]], t: float
) -> float:
    size, dates = decrees
    held, now = S0, 0.0
    for date in [d for d in dates if d <= t]:
        held = _linear_mean(held, a, 0.0, mu, date - now) - size
        now = date
    return _linear_mean(held, a, 0.0, mu, t - now)


LINEAR_CASES = {
    # counted releases with deaths in custody (and arrests)
    "deaths": (am.Scenario(1_000, 50.0, 10.0, 0.5), 1.0, _linear_mean(1_000, 10, 50, 0.5, 1.0)),
    # proportional release with arrests and deaths: the case whose "tau" mean was 0.24 too high
    "proportional": (
        am.Scenario(1_000, am.Proportional(2.0), 300.0, 0.1),
        2.0,
        _linear_mean(1_000, 300, 0, 2.1, 2.0),
    ),
    # decrees of 100 every half year, with arrests and deaths in between
    "decrees": (
        am.Scenario(1_000, am.Decrees(100, every=0.5), 50.0, 0.2),
        1.75,
        _decree_mean(1_000, 50, 0.2, (100, [0.5, 1.0, 1.5]), 1.75),
    ),
}


@pytest.mark.parametrize("case", sorted(LINEAR_CASES))
@pytest.mark.parametrize("method", ["auto", "exact", "tau"])
def test_simulated_mean_is_the_linear_mean(case: str, method: str) -> None:
    s, when, reference = LINEAR_CASES[case]
    paths = {"exact": 4_000, "auto": 8_000}.get(method, 20_000)
    sim = simulate(s, paths=paths, seed=41, method=method, grid=[0.0, when], horizon=when)
    assert_mean(sim.held[:, 1].astype(float), reference)
    assert_conserved(sim)


@pytest.mark.parametrize("case", sorted(LINEAR_CASES))
def test_coarse_tau_steps_keep_the_linear_mean(case: str) -> None:
    # Regression: "tau" took the per-person hazard on a mid-step stock rounded down (and to
    # second order only), so the proportional case was 1.97 too high at step 0.25 (z = +20
    # with these paths). The scheme now matches the linear mean at any step.
    s, when, reference = LINEAR_CASES[case]
    sim = simulate(
        s, paths=20_000, seed=42, method="tau", step=0.25, grid=[0.0, when], horizon=when
    )
    assert_mean(sim.held[:, 1].astype(float), reference)


def test_exact_event_blocks_match_the_gamma_law_with_deaths() -> None:
    # No arrests: each of n people leaves after the first of (release, death). With count
    # releases at rate r and deaths at μ per person, the stock n → n − 1 at rate r + μ n, so
    # the clear time is a sum of independent exponentials of rates r + μ j, j = 1..n: mean
    # Σ 1/(r + μ j), variance Σ 1/(r + μ j)².
    n, r, mu = 300, 20.0, 0.1
    sim = simulate(am.Scenario(n, r, death_rate=mu), paths=4_000, seed=43, method="exact")
    rates = r + mu * np.arange(1, n + 1)
    assert_mean(sim.clear_times, float(np.sum(1 / rates)))
    assert_variance(sim.clear_times, float(np.sum(1 / rates**2)))
    # Each departure from j held is a death with probability μ j / (r + μ j).
    assert_mean(sim.died[:, -1].astype(float), float(np.sum(mu * np.arange(1, n + 1) / rates)))


def test_geometric_growth_is_simulated_in_windows() -> None:
    # Regression: leaps bounded the release rate by its value at the next stop (e^100 here),
    # so 20 paths that all clear within ~4 years never finished. With r(t) = e^t and no
    # arrests the stock clears when e^T − 1 = G ~ Gamma(34, 1): E[T] = E[ln(1 + G)].
    s = am.Scenario(34, am.Geometric(1.0, 1.0))
    sim = simulate(s, paths=2_000, seed=1, horizon=1e4)
    reference = integrate.quad(lambda g: math.log1p(g) * stats.gamma(34).pdf(g), 0, np.inf)[0]
    assert_mean(sim.clear_times, reference)
    exact = simulate(s, paths=2_000, seed=2, horizon=1e4, method="exact")
    assert_mean(exact.clear_times, reference)


def test_auto_never_takes_weekly_steps_over_a_huge_horizon() -> None:
    # Regression: a death rate of 1e-9 made "auto" take weekly tau steps over a 9e7-year
    # horizon (4.7e9 steps). Event by event it is 30,000 events; deaths are negligible, so the
    # clear time is about Gamma(30000, 1e-3): mean 3e7 years, sd 1.7e5 years.
    sim = simulate(am.Scenario(30_000, 1e-3, death_rate=1e-9), paths=1, seed=1)
    assert sim.method == "exact"
    assert abs(sim.clear_times[0] - 2.96e7) < 1e6  # ln(1.03)/1e-9 years with deaths


def test_cost_checks_refuse_before_starting() -> None:
    # Regression: 1e9 arrests a year for 100 years, event by event, ran without end.
    with pytest.raises(ValueError, match=r"method 'exact' would simulate about 1e\+14 events"):
        simulate(am.Scenario(10, 1.0, arrest_rate=1e9), method="exact")
    with pytest.raises(ValueError, match="method 'tau' would take about .* steps"):
        simulate(am.Scenario(10, 1.0, death_rate=0.1), method="tau", step=1e-9, horizon=100.0)


def test_progress_on_stderr_and_off(capfd: pytest.CaptureFixture[str]) -> None:
    s = am.Scenario(2_000, 10.0, death_rate=0.01)
    quiet = simulate(s, paths=50, seed=3, progress=False)
    assert capfd.readouterr().err == ""
    shown = simulate(s, paths=50, seed=3, progress=True)
    err = capfd.readouterr().err
    np.testing.assert_array_equal(quiet.clear_times, shown.clear_times)  # display only
    assert "simulate" in err  # tqdm or the plain fallback, on stderr
    with pytest.raises(TypeError, match="progress must be True, False or None"):
        simulate(s, paths=5, progress="yes")  # type: ignore[arg-type]


class _FakeTqdm:
    instances: ClassVar[list[_FakeTqdm]] = []

    def __init__(self, total: int, **kwargs: object) -> None:
        self.total, self.n, self.closed = total, 0, False
        _FakeTqdm.instances.append(self)

    def update(self, n: int) -> None:
        self.n += n

    def close(self) -> None:
        self.closed = True


def test_progress_uses_tqdm_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    module = types.ModuleType("tqdm.auto")
    module.tqdm = _FakeTqdm  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", module)
    simulate(am.Scenario(500, 10.0, death_rate=0.01), paths=20, seed=3, progress=True)
    bar = _FakeTqdm.instances[-1]
    assert bar.closed and bar.n > 0


def test_progress_closes_on_keyboard_interrupt(capfd: pytest.CaptureFixture[str]) -> None:
    from amnesty_model._progress import Progress, progress_bar, want_progress

    def interrupted(bar: Progress) -> None:
        with bar:
            bar.update_to(10)
            raise KeyboardInterrupt

    bar = progress_bar(100, "work", show=True)
    with pytest.raises(KeyboardInterrupt):
        interrupted(bar)
    assert not bar.show  # closed: a later update writes nothing
    bar.update_to(50)
    assert capfd.readouterr().err.endswith("\n")
    assert want_progress(None, 0.1) is False  # short work: never shown
    assert want_progress(False, 1e9) is False and want_progress(True, 0.0) is True


def test_default_grid_holds_each_decree_from_both_sides() -> None:
    # 101 even points alias a sawtooth; the default grid adds each decree date and an instant
    # before it, so the stored paths drop by the decree exactly there.
    s = am.Scenario(1_000, am.Decrees(100), 50.0)
    sim = am.simulate(s, paths=20, seed=1)
    assert {1.0, 2.0, 5.0}.issubset(set(sim.times.tolist()))
    before = int(np.searchsorted(sim.times, 5.0)) - 1
    assert sim.times[before] == pytest.approx(5.0, abs=1e-3)
    # at the decree the stock falls by 100 on every path (no path has cleared by year 5)
    drop = sim.held[:, before] - sim.held[:, before + 1]
    assert np.all(drop >= 100 - 1)
