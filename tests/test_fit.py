"""Tests for the rate fits: likelihoods against direct computation, recovery of simulated
parameters, interval coverage over many seeds, projections and error messages."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

import amnesty_model as am
from _fuzz import REFUSED, attempt, odd_values
from amnesty_model import fit as F  # noqa: N812
from amnesty_model.datasets import load_decree7_releases
from amnesty_model.series import CountSeries

START = dt.date(2022, 1, 1)
Q95 = stats.chi2.ppf(0.95, 1)


def _series(days, counts):
    dates = [START + dt.timedelta(days=int(d)) for d in days]
    return CountSeries(START, dates, np.cumsum(counts).tolist())


def _simulate(cumulative, days, rng):
    """Poisson increments of an expected cumulative count Λ (a function of years)."""
    t = np.concatenate([[0.0], np.asarray(days, dtype=float) / 365.25])
    return rng.poisson(np.diff(cumulative(t)))


def _burst_cumulative(b, a, tau):
    return lambda t: b * t + a * tau * (1 - np.exp(-t / tau))


def _direct_loglik(k, mu):
    # reference: sum of scipy.stats.poisson.logpmf
    return float(stats.poisson.logpmf(k, mu).sum())


# ----------------------------------------------------------------------------------------------
# Likelihood values against a direct computation
# ----------------------------------------------------------------------------------------------
def test_loglik_constant_matches_scipy():
    days = np.array([11, 24, 66, 104])
    s = load_decree7_releases()
    f = F.fit_constant(s)
    k = np.diff([0, 476, 523, 539, 556])
    rate = 556 / (104 / 365.25)
    mu = rate * np.diff(np.concatenate([[0], days])) / 365.25
    assert f.estimate("rate") == pytest.approx(rate, rel=1e-12)
    assert f.loglik == pytest.approx(_direct_loglik(k, mu), rel=1e-12)
    np.testing.assert_allclose(f.fitted, mu, rtol=1e-12)


def test_loglik_piecewise_matches_scipy():
    f = F.fit_piecewise(load_decree7_releases(), ["2022-05-24"])
    k = np.array([476, 47, 16, 17])
    r1, r2 = 523 / (24 / 365.25), 33 / (80 / 365.25)
    mu = np.array([r1 * 11, r1 * 13, r2 * 42, r2 * 38]) / 365.25
    np.testing.assert_allclose(f.rates, [r1, r2], rtol=1e-12)
    assert f.loglik == pytest.approx(_direct_loglik(k, mu), rel=1e-12)
    assert f.n_params == 2


def test_loglik_burst_decay_matches_scipy_and_independent_optimum():
    s = load_decree7_releases()
    f = F.fit_burst_decay(s)
    k = np.array([476, 47, 16, 17])
    t = np.array([0, 11, 24, 66, 104]) / 365.25
    b, a, tau = f.baseline, f.amplitude, f.tau
    lam = b * t + a * tau * (1 - np.exp(-t / tau))
    assert f.loglik == pytest.approx(_direct_loglik(k, np.diff(lam)), rel=1e-10)

    # Independent maximisation: Nelder-Mead on log-parameters from many starts.
    def negative(x):
        lam = _burst_cumulative(*np.exp(x))(t)
        return -_direct_loglik(k, np.diff(lam))

    best = min(
        (
            optimize.minimize(negative, x0, method="Nelder-Mead",
                              options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20_000})
            for x0 in (
                np.log([100.0, 1e4, 0.01]),
                np.log([500.0, 5e4, 0.02]),
                np.log([50.0, 1e5, 0.005]),
            )
        ),
        key=lambda r: r.fun,
    )  # fmt: skip
    assert f.loglik >= -best.fun - 1e-6
    np.testing.assert_allclose([b, a, tau], np.exp(best.x), rtol=1e-3)


# ----------------------------------------------------------------------------------------------
# Constant rate
# ----------------------------------------------------------------------------------------------
def test_garwood_interval_reproduces_model_md():
    # docs/methods.md §4: 523 released in 26 days → 7,347 a year (95 %: 6,731–8,005).
    low, high = F.garwood_interval(523, 26 / 365.25)
    assert (round(low), round(high)) == (6731, 8005)
    assert F.garwood_interval(0, 1.0)[0] == 0.0
    # Exact: high for k = 0 is -log(alpha/2) (the Poisson mean with P(0) = 0.025).
    assert F.garwood_interval(0, 1.0)[1] == pytest.approx(-math.log(0.025), rel=1e-12)


@pytest.mark.parametrize(
    ("count", "exposure", "confidence"), [(1, 0.5, 0.9), (33, 80 / 365.25, 0.95)]
)
def test_garwood_interval_is_the_chi_square_formula_per_exposure(count, exposure, confidence):
    # Garwood (1936) through scipy.stats.chi2 (the code goes through rates.garwood_interval,
    # which uses Gamma quantiles), divided by the exposure.
    alpha = 1 - confidence
    want = (
        stats.chi2.ppf(alpha / 2, 2 * count) / 2 / exposure,
        stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2 / exposure,
    )
    assert F.garwood_interval(count, exposure, confidence) == pytest.approx(want, rel=1e-12)
    with pytest.raises(ValueError, match=r"count must be an integer >= 0, got -1"):
        F.garwood_interval(-1, exposure)


def test_constant_recovers_rate_and_covers():
    days = np.array([10, 30, 45, 90, 180])
    true = 2_000.0
    rng = np.random.default_rng(20220530)
    hits = 0
    n_seeds = 200
    estimates = []
    for _ in range(n_seeds):
        k = _simulate(lambda t: true * t, days, rng)
        f = F.fit_constant(_series(days, k))
        low, high = f.interval("rate")
        hits += low <= true <= high
        estimates.append(f.estimate("rate"))
    # Unbiased MLE: the mean of 200 estimates is within 4 standard errors of the truth
    # (sd of one estimate = sqrt(true / span) with span = 180 days).
    se = math.sqrt(true / (180 / 365.25)) / math.sqrt(n_seeds)
    assert abs(np.mean(estimates) - true) < 4 * se
    # Garwood is conservative: coverage >= 95 % up to binomial noise (sd 1.5 % at 200 seeds).
    assert hits / n_seeds >= 0.92


def test_constant_rate_during_and_time_to_clear():
    s = load_decree7_releases()
    f = F.fit_constant(s)
    r = f.rate_during("2022-05-01", "2022-06-01")
    assert r.rate == pytest.approx(f.estimate("rate"))
    assert (r.low, r.high) == pytest.approx(f.interval("rate"))
    years = r.time_to_clear(132_000)
    assert years.years == pytest.approx(132_000 / r.rate)
    assert years.low == pytest.approx(132_000 / r.high)
    assert years.high == pytest.approx(132_000 / r.low)
    assert r.time_to_clear(132_000, arrest_rate=1e6).years == math.inf
    assert r.as_dict()["days"] == 31
    assert "constant rate" in repr(r)
    assert f.rate(np.array([0.1, 1.0])).tolist() == [f.estimate("rate")] * 2


# ----------------------------------------------------------------------------------------------
# Piecewise
# ----------------------------------------------------------------------------------------------
def test_piecewise_recovers_rates_and_covers():
    days = np.array([7, 14, 21, 28, 60, 90, 120])
    rates = (8_000.0, 300.0)
    change = 28 / 365.25

    def cumulative(t):
        return rates[0] * np.minimum(t, change) + rates[1] * np.clip(t - change, 0, None)

    rng = np.random.default_rng(7)
    hits = np.zeros(2)
    n_seeds = 100
    for _ in range(n_seeds):
        s = _series(days, _simulate(cumulative, days, rng))
        f = F.fit_piecewise(s, [START + dt.timedelta(days=28)])
        for j, name in enumerate(("rate_1", "rate_2")):
            low, high = f.interval(name)
            hits[j] += low <= rates[j] <= high
    assert (hits / n_seeds >= 0.90).all()


def test_piecewise_estimates_change_point_at_fixed_seed():
    days = np.array([7, 14, 21, 28, 60, 90, 120])
    change = 21 / 365.25

    def cumulative(t):
        return 8_000 * np.minimum(t, change) + 300 * np.clip(t - change, 0, None)

    s = _series(days, _simulate(cumulative, days, np.random.default_rng(3)))
    f = F.fit_piecewise(s)
    assert f.estimate("change_1") == pytest.approx(21.0)
    assert f.n_params == 3
    low, high = f.interval("change_1")
    assert low <= 21 <= high
    # The profile over candidates: the chosen one has the highest log-likelihood.
    assert f.loglik == max(ll for _, ll in f.candidates)
    two = F.fit_piecewise(s, n_changes=2)
    assert len(two.change_points) == 2 and two.loglik >= f.loglik
    assert "2 change points, estimated" in two.model


def test_piecewise_window_profile_interval_against_brute_force():
    f = F.fit_piecewise(load_decree7_releases(), ["2022-05-24"])
    r = f.rate_during("2022-05-20", "2022-06-20")  # spans the change (24 May)
    assert r.method.startswith("profile likelihood")
    k = np.array([523.0, 33.0])
    e = np.array([24.0, 80.0]) / 365.25
    w = np.array([4.0, 27.0]) / 365.25
    best = float((k * np.log(k / e) - k).sum())

    def profile(theta):
        # maximise over lambda_1 with lambda_2 = (theta - w1 lambda_1) / w2 >= 0
        def neg(l1):
            l2 = (theta - w[0] * l1) / w[1]
            lam = np.array([l1, l2])
            return -float((k * np.log(lam) - e * lam).sum())

        res = optimize.minimize_scalar(
            neg, bounds=(1e-9, theta / w[0] * (1 - 1e-12)), method="bounded",
            options={"xatol": 1e-10},
        )  # fmt: skip
        return -res.fun

    width = 31 / 365.25
    for bound in (r.low, r.high):
        assert 2 * (best - profile(bound * width)) == pytest.approx(Q95, abs=2e-3)
    assert r.low < r.rate < r.high


def test_piecewise_window_with_empty_segment():
    # The last segment has no releases: the upper end of a window in it is still finite.
    s = _series([10, 20, 40], [50, 40, 0])
    f = F.fit_piecewise(s, [START + dt.timedelta(days=20)])
    inside = f.rate_during(START + dt.timedelta(days=25), START + dt.timedelta(days=35))
    assert inside.rate == 0 and inside.low == 0
    assert inside.high == pytest.approx(F.garwood_interval(0, 20 / 365.25)[1])
    spanning = f.rate_during(START + dt.timedelta(days=15), START + dt.timedelta(days=40))
    assert 0 < spanning.low < spanning.rate < spanning.high < math.inf


# ----------------------------------------------------------------------------------------------
# Burst-decay
# ----------------------------------------------------------------------------------------------
BURST = (300.0, 40_000.0, 6 / 365.25)  # baseline /yr, amplitude /yr, tau (years)
BURST_DAYS = np.array([3, 6, 9, 12, 16, 20, 25, 30, 40, 50, 60, 75, 90, 105, 120, 150, 180])


def test_burst_decay_recovers_parameters_at_fixed_seed():
    s = _series(
        BURST_DAYS, _simulate(_burst_cumulative(*BURST), BURST_DAYS, np.random.default_rng(11))
    )
    f = F.fit_burst_decay(s)
    assert f.baseline == pytest.approx(BURST[0], rel=0.25)
    assert f.amplitude == pytest.approx(BURST[1], rel=0.15)
    assert f.tau == pytest.approx(BURST[2], rel=0.15)
    params = f.params
    assert list(params.index) == ["baseline", "amplitude", "tau_days", "burst_total"]
    for name, true in zip(
        params.index, (BURST[0], BURST[1], BURST[2] * 365.25, BURST[1] * BURST[2]), strict=True
    ):
        assert params.loc[name, "low"] <= true <= params.loc[name, "high"]
    assert f.n_params == 3  # burst_total is derived


def test_burst_decay_baseline_coverage():
    rng = np.random.default_rng(2024)
    n_seeds = 20
    hits = 0
    for _ in range(n_seeds):
        k = _simulate(_burst_cumulative(*BURST), BURST_DAYS, rng)
        low, high = F.fit_burst_decay(_series(BURST_DAYS, k)).interval("baseline")
        hits += low <= BURST[0] <= high
    # Profile-likelihood intervals are approximate; 95 % nominal. With 20 seeds at a true
    # coverage of 95 %, fewer than 17 hits has probability 1.6 % (binomial). (Measured over
    # 100 other seeds while writing this test: 98 %.)
    assert hits >= 17


def test_burst_decay_profile_ends_against_independent_profile():
    f = F.fit_burst_decay(load_decree7_releases())
    k = np.array([476, 47, 16, 17])
    t = np.array([0, 11, 24, 66, 104]) / 365.25
    low, high = f.interval("baseline")

    def profile(b):
        def neg(x):
            lam = _burst_cumulative(b, *np.exp(x))(t)
            return -_direct_loglik(k, np.diff(lam))

        return -min(
            optimize.minimize(neg, x0, method="Nelder-Mead",
                              options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20_000}).fun
            for x0 in (np.log([f.amplitude, f.tau]), np.log([2 * f.amplitude, f.tau / 2]))
        )  # fmt: skip

    for bound in (low, high):
        assert 2 * (f.loglik - profile(bound)) == pytest.approx(Q95, abs=1e-3)


def test_burst_decay_window_and_instant_rates():
    f = F.fit_burst_decay(load_decree7_releases())
    late = f.rate_after("2022-05-24")
    # Fitted average over the window equals (Λ(e) − Λ(s)) / (e − s).
    s, e = 24 / 365.25, 104 / 365.25
    lam = _burst_cumulative(f.baseline, f.amplitude, f.tau)
    assert late.rate == pytest.approx((lam(e) - lam(s)) / (e - s))
    assert late.low < late.rate < late.high
    early = f.rate_during("2022-04-30", "2022-05-24")
    assert early.rate > 30 * late.rate
    np.testing.assert_allclose(f.rate(np.array([0.0])), f.baseline + f.amplitude)


def test_burst_decay_flat_data_gives_unbounded_tau():
    # A constant-rate series: the burst is not identified; intervals may be unbounded.
    days = np.arange(10, 130, 10)
    k = _simulate(lambda t: 1_000 * t, days, np.random.default_rng(5))
    f = F.fit_burst_decay(_series(days, k))
    assert f.interval("tau_days")[1] == math.inf or f.interval("amplitude")[0] == 0.0


def test_uncertain_policy_changes_the_data():
    s = load_decree7_releases()
    low = F.fit_burst_decay(s, uncertain="low")
    high = F.fit_burst_decay(s, uncertain="high")
    assert low.n_obs == high.n_obs == 5
    assert low.series.dates[3] == dt.date(2022, 7, 6)
    assert high.series.dates[3] == dt.date(2022, 7, 15)
    assert low.loglik != high.loglik


# ----------------------------------------------------------------------------------------------
# From fit to projection
# ----------------------------------------------------------------------------------------------
def test_schedules_preserve_cumulative_counts():
    s = load_decree7_releases()
    const = F.fit_constant(s)
    assert const.to_schedule().rates == (const.estimate("rate"),)
    piece = F.fit_piecewise(s, ["2022-05-24"])
    sch = piece.to_schedule()
    assert sch.starts == pytest.approx((0.0, 24 / 365.25))
    assert sch.rates == pytest.approx(tuple(piece.rates))
    later = piece.to_schedule(start="2022-06-01")
    assert later.rates == pytest.approx((piece.rates[1],))
    burst = F.fit_burst_decay(s)
    sch = burst.to_schedule(horizon=60 / 365.25, resolution=1 / 365.25)
    breaks = np.asarray(sch.starts)
    np.testing.assert_allclose(sch.cumulative(breaks), burst.cumulative(breaks), rtol=1e-10)
    assert sch.rates[-1] == burst.baseline
    assert len(sch.starts) == 61
    # From 24 May on, the schedule starts at the fitted rate of that day.
    shifted = burst.to_schedule(start="2022-05-24", resolution=1 / 365.25)
    t0 = 24 / 365.25
    assert shifted.cumulative(np.array([5 / 365.25]))[0] == pytest.approx(
        burst.cumulative(t0 + 5 / 365.25) - burst.cumulative(t0)
    )


def test_schedule_drives_a_scenario():
    piece = F.fit_piecewise(load_decree7_releases(), ["2022-05-24"])
    scenario = am.Scenario(132_000, piece.to_schedule(), start=load_decree7_releases().start)
    # Closed form: the first 24 days release 523 at rate_1, then rate_2 clears the rest.
    expected = 24 / 365.25 + (132_000 - 523) / piece.rates[1]
    assert scenario.time_to_clear() == pytest.approx(expected, rel=1e-9)


def test_schedule_errors():
    f = F.fit_burst_decay(load_decree7_releases())
    with pytest.raises(ValueError, match="at most 200,000 allowed"):
        f.to_schedule(horizon=10.0, resolution=1e-5)
    with pytest.raises(ValueError, match="resolution must be a finite number > 0"):
        f.to_schedule(resolution=0)
    with pytest.raises(ValueError, match="start must not be before"):
        f.to_schedule(start="2022-01-01")
    c = F.fit_constant(load_decree7_releases())
    with pytest.raises(ValueError, match="end must be after start"):
        c.rate_during("2022-06-01", "2022-05-01")
    with pytest.raises(ValueError, match="start must not be before"):
        c.rate_during("2022-04-01", "2022-05-01")


# ----------------------------------------------------------------------------------------------
# Comparison, goodness of fit, citation
# ----------------------------------------------------------------------------------------------
def test_compare_fits_and_lr_test():
    s = load_decree7_releases()
    const, piece, burst = (
        F.fit_constant(s),
        F.fit_piecewise(s, ["2022-05-24"]),
        F.fit_burst_decay(s),
    )
    table = F.compare_fits(const, piece, burst)
    assert table.loc["burst-decay", "aic"] == pytest.approx(2 * 3 - 2 * burst.loglik)
    assert table.loc["constant rate", "aicc"] == pytest.approx(
        2 - 2 * const.loglik + 2 * 1 * 2 / (4 - 1 - 1)
    )
    assert math.isnan(table.loc["burst-decay", "aicc"])  # n - p - 1 = 0: undefined
    test = F.lr_test(const, piece)
    assert test["statistic"] == pytest.approx(2 * (piece.loglik - const.loglik))
    assert test["df"] == 1 and test["regular"]
    assert test["p_value"] == pytest.approx(stats.chi2.sf(test["statistic"], 1))
    assert not F.lr_test(const, burst)["regular"]
    assert table.loc["piecewise constant (1 change point)", "lr_p"] == test["p_value"]
    pair = F.compare_fits(piece, burst)
    assert pair["delta_aicc"].isna().all() and (pair["criterion"] == "AIC").all()


def test_compare_fits_never_ranks_an_undefined_aicc_as_best_on_decree7():
    """Regression: with 4 points AICc is undefined for 3-parameter models; it was ``inf``,
    so ``delta_aicc`` was 0 for the constant rate that the data reject (LR p ~ 1e-300)."""
    s = load_decree7_releases()
    const, piece, burst = F.fit_constant(s), F.fit_piecewise(s), F.fit_burst_decay(s)
    table = F.compare_fits(const, piece, burst)
    assert table["n"].tolist() == [4, 4, 4]
    assert not np.isinf(table["aicc"]).any()
    assert table["aicc"].isna().tolist() == [False, True, True]
    assert table["aicc_note"].tolist()[1:] == ["undefined: n ≤ k + 1 (n = 4, k = 3)"] * 2
    assert table["delta_aicc"].isna().all()
    assert (table["criterion"] == "AIC").all()
    # AIC = 2k - 2 loglik, computed here from the log-likelihoods
    aic = {f.model: 2 * f.n_params - 2 * f.loglik for f in (const, piece, burst)}
    assert table["rank"].idxmin() == min(aic, key=aic.__getitem__) == "burst-decay"
    assert table.loc["constant rate", "rank"] == 3
    assert table.loc["constant rate", "delta"] > 1000
    assert (table["lr_p"].dropna() < 1e-30).all()


def test_compare_fits_uses_aicc_when_defined_for_all():
    s = load_decree7_releases()
    const, piece = F.fit_constant(s), F.fit_piecewise(s, ["2022-05-24"])  # k = 1, 2; n = 4
    table = F.compare_fits(const, piece)
    assert (table["criterion"] == "AICc").all()
    expected = {
        f.model: 2 * f.n_params
        - 2 * f.loglik
        + 2 * f.n_params * (f.n_params + 1) / (4 - f.n_params - 1)
        for f in (const, piece)
    }
    best = min(expected.values())
    for model, value in expected.items():
        assert table.loc[model, "delta_aicc"] == pytest.approx(value - best)
        assert table.loc[model, "delta"] == pytest.approx(value - best)
    assert table.loc[piece.model, "rank"] == 1


def test_rate_after_the_last_report_is_the_rate_from_now_on():
    """Regression: ``rate_after(<last report date>)`` raised "end must be after start"."""
    s = load_decree7_releases()
    last = s.resolve().dates[-1]
    const = F.fit_constant(s)
    r = const.rate_after(last)
    total, span = s.resolve().total, s.resolve().days[-1] / 365.25
    assert r.rate == pytest.approx(total / span)
    assert (r.low, r.high) == pytest.approx(F.garwood_interval(total, span))
    piece = F.fit_piecewise(s, ["2022-05-24"])
    # last segment: 556 - 523 released over 24 May .. 12 Aug (80 days)
    for start in (last, "2023-06-01"):
        after = piece.rate_after(start)
        assert after.rate == pytest.approx(33 / (80 / 365.25))
        assert (after.low, after.high) == pytest.approx(F.garwood_interval(33, 80 / 365.25))
    assert piece.rate_after(last, period=0.25).rate == pytest.approx(after.rate)
    burst = F.fit_burst_decay(s)
    t, b, a, tau = 104 / 365.25, burst.baseline, burst.amplitude, burst.tau
    expected = b + a * tau * (math.exp(-t / tau) - math.exp(-(t + 0.5) / tau)) / 0.5
    after = burst.rate_after(last, period=0.5)
    assert after.rate == pytest.approx(expected)
    assert after.low <= after.rate <= after.high
    assert (after.end - after.start).days == round(0.5 * 365.25)
    # before the last report: unchanged, up to the last report
    assert piece.rate_after("2022-05-24").end == last
    with pytest.raises(ValueError, match="period"):
        piece.rate_after(last, period=0)


def test_compare_errors():
    s = load_decree7_releases()
    const = F.fit_constant(s)
    with pytest.raises(ValueError, match="at least one fit"):
        F.compare_fits()
    with pytest.raises(TypeError, match=r"fits\[1\] must be a fit"):
        F.compare_fits(const, "x")
    with pytest.raises(ValueError, match=r"fits\[1\] was fitted to different points"):
        F.compare_fits(const, F.fit_constant(s, uncertain="high"))
    with pytest.raises(ValueError, match="same points"):
        F.lr_test(const, F.fit_burst_decay(s, uncertain="high"))
    with pytest.raises(ValueError, match="compares a constant-rate fit"):
        F.lr_test(F.fit_burst_decay(s), const)
    with pytest.raises(TypeError, match="null must be a fit"):
        F.lr_test("x", const)


def test_goodness_of_fit_statistics():
    f = F.fit_constant(load_decree7_releases())
    gof = f.goodness_of_fit()
    k = np.array([476, 47, 16, 17])
    mu = f.fitted
    deviance = 2 * np.sum(k * np.log(k / mu) - (k - mu))
    assert gof.loc["deviance", "statistic"] == pytest.approx(deviance)
    assert gof.loc["pearson", "statistic"] == pytest.approx(np.sum((k - mu) ** 2 / mu))
    assert gof.loc["deviance", "df"] == 3
    assert gof.loc["deviance", "p_value"] < 1e-100
    burst = F.fit_burst_decay(load_decree7_releases())
    gof = burst.goodness_of_fit()
    assert gof.loc["deviance", "df"] == 1  # 4 increments, 3 parameters
    assert gof.loc["deviance", "p_value"] == pytest.approx(
        stats.chi2.sf(gof.loc["deviance", "statistic"], 1)
    )
    saturated = F.fit_piecewise(load_decree7_releases(), n_changes=3)  # 4 rates + 3 changes
    assert np.isnan(saturated.goodness_of_fit()["p_value"]).all()
    frame = f.to_frame()
    assert frame["fitted_cumulative"].iloc[-1] == pytest.approx(556)


def test_cite_and_provenance():
    import json

    f = F.fit_piecewise(load_decree7_releases())
    text = f.cite()
    assert "maximum likelihood" in text and "snhr_released_2022_08_12" in text
    assert f.provenance["hash"] in text
    record = json.loads(json.dumps(f.provenance))
    assert record == f.provenance
    assert record["inputs"]["change_points_estimated"] is True
    assert repr(f).startswith("PiecewiseFit(")
    assert "burst of" in repr(F.fit_burst_decay(load_decree7_releases()))


# ----------------------------------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------------------------------
def test_fit_argument_errors():
    s = load_decree7_releases()
    with pytest.raises(TypeError, match="series must be a CountSeries"):
        F.fit_constant([1, 2, 3])
    with pytest.raises(ValueError, match="confidence must be strictly between 0 and 1"):
        F.fit_constant(s, confidence=1.0)
    with pytest.raises(ValueError, match="confidence must be a finite number > 0"):
        F.fit_constant(s, confidence=0)
    with pytest.raises(ValueError, match="counts no released at all"):
        F.fit_constant(_series([5, 10], [0, 0]))
    with pytest.raises(ValueError, match="not a report date before the last"):
        F.fit_piecewise(s, ["2022-05-20"])
    with pytest.raises(ValueError, match="not a report date before the last"):
        F.fit_piecewise(s, [104 / 365.25])
    with pytest.raises(ValueError, match="strictly increasing"):
        F.fit_piecewise(s, ["2022-05-24", "2022-05-11"])
    with pytest.raises(TypeError, match="change_points must be a sequence"):
        F.fit_piecewise(s, "2022-05-24")
    with pytest.raises(ValueError, match="n_changes must be at most 3"):
        F.fit_piecewise(s, n_changes=4)
    with pytest.raises(ValueError, match="at least 3 reported counts"):
        F.fit_burst_decay(_series([5, 10], [3, 4]))
    with pytest.raises(ValueError, match="name must be one of"):
        F.fit_constant(s).estimate("lambda")
    assert F.fit_piecewise(s, [24 / 365.25]).change_points == pytest.approx((24 / 365.25,))


def test_piecewise_windows_over_empty_segments():
    days = [START + dt.timedelta(days=d) for d in (10, 20, 40)]
    s = _series([10, 20, 40], [50, 0, 0])
    f = F.fit_piecewise(s, days[:2])
    assert f.rate(np.array([5 / 365.25, 15 / 365.25, 1.0])).tolist() == [50 / (10 / 365.25), 0, 0]
    # Two segments with no events: the lower end is 0, the upper end finite.
    empty = f.rate_during(START + dt.timedelta(days=12), START + dt.timedelta(days=30))
    assert empty.rate == 0 and empty.low == 0 and 0 < empty.high < math.inf
    # Events in the first segment, none in the tight one: the linear extension of the profile.
    one = F.fit_piecewise(s, days[:1])
    mixed = one.rate_during(START + dt.timedelta(days=9), START + dt.timedelta(days=40))
    assert 0 < mixed.low < mixed.rate < mixed.high < math.inf
    assert "PiecewiseFit(" in repr(one) and "ConstantFit(" in repr(F.fit_constant(s))


# ----------------------------------------------------------------------------------------------
# Estimated change points: dynamic programming against brute force
# ----------------------------------------------------------------------------------------------
def _brute_force_piecewise(series, n_changes):
    """Every set of change points at report dates, scored with scipy's Poisson logpmf."""
    days = np.asarray(series.days)
    k = series.increments.astype(float)
    edges = np.concatenate([[0.0], days])
    scored = []
    for combo in itertools.combinations(range(1, days.size), n_changes):
        bounds = [0, *combo, days.size]
        mu = np.empty_like(k)
        for a, b in itertools.pairwise(bounds):
            rate = k[a:b].sum() / (edges[b] - edges[a])
            mu[a:b] = rate * np.diff(edges)[a:b]
        ll = _direct_loglik(k, mu)
        scored.append((tuple(days[i - 1] for i in combo), ll))
    return scored


@given(
    st.lists(st.integers(1, 30), min_size=2, max_size=8),
    st.lists(st.integers(0, 400), min_size=8, max_size=8),
    st.integers(1, 7),
)
@settings(max_examples=60, deadline=None)
def test_piecewise_dynamic_programme_equals_brute_force(gaps, increments, n_changes):
    # A class of defect (enumerating every candidate set was exponential): the optimal
    # partitioning must give the brute-force optimum and the same change-point ranges.
    increments = increments[: len(gaps)]
    assume(sum(increments) > 0 and n_changes < len(gaps))
    s = _series(np.cumsum(gaps), increments)
    f = F.fit_piecewise(s, n_changes=n_changes)
    scored = _brute_force_piecewise(s, n_changes)
    best = max(ll for _, ll in scored)
    assert f.loglik == pytest.approx(best, rel=1e-12, abs=1e-9)
    chosen = tuple(c * 365.25 for c in f.change_points)
    assert dict(scored)[tuple(round(c) for c in chosen)] == pytest.approx(best, abs=1e-9)
    for j in range(n_changes):
        kept = [cps[j] for cps, ll in scored if 2 * (best - ll) <= Q95 * (1 + 1e-12)]
        low, high = f.interval(f"change_{j + 1}")
        assert low == pytest.approx(min(kept), abs=1e-9)
        assert high == pytest.approx(max(kept), abs=1e-9)


def test_piecewise_with_many_change_points_does_not_enumerate():
    # Was a defect: 30 points with 14 changes built all C(29, 14) = 77,558,760 candidate sets
    # (MemoryError after 20 s). The optimum must beat every one of many random sets and the
    # best fit with one change fewer.
    rng = np.random.default_rng(7)
    days = np.arange(1, 31) * 3
    s = _series(days, rng.poisson(rng.choice([5.0, 60.0], 30)))
    f = F.fit_piecewise(s, n_changes=14)
    assert len(f.change_points) == 14
    fewer = F.fit_piecewise(s, n_changes=13)
    assert f.loglik >= fewer.loglik
    k = s.increments.astype(float)
    edges = np.concatenate([[0.0], days])
    for _ in range(300):
        combo = np.sort(rng.choice(np.arange(1, 30), 14, replace=False))
        bounds = [0, *combo.tolist(), 30]
        mu = np.empty_like(k)
        for a, b in itertools.pairwise(bounds):
            mu[a:b] = k[a:b].sum() / (edges[b] - edges[a]) * np.diff(edges)[a:b]
        assert f.loglik >= _direct_loglik(k, mu) - 1e-9
    with pytest.raises(ValueError, match=r"77,558,760 candidate sets, more than 1,000,000"):
        f.candidates  # noqa: B018 - the listing is refused, the fit is not


def test_piecewise_refuses_a_search_too_large_before_starting():
    s = _series(np.arange(1, 1001), np.ones(1000, dtype=int))
    with pytest.raises(ValueError, match=r"n_changes = 60 over 1000 report dates needs about"):
        F.fit_piecewise(s, n_changes=60)


def test_piecewise_candidates_of_a_small_fit_list_every_set():
    f = F.fit_piecewise(load_decree7_releases(), n_changes=2)
    scored = _brute_force_piecewise(f.series, 2)
    assert len(f.candidates) == len(scored)
    assert max(ll for _, ll in f.candidates) == pytest.approx(f.loglik, rel=1e-12)


# ----------------------------------------------------------------------------------------------
# Bad arguments and extreme magnitudes (regressions)
# ----------------------------------------------------------------------------------------------
def test_rate_during_a_window_past_year_9999_is_refused_by_name():
    # Was a defect: AssertionError (the window's end date does not exist).
    fit = F.fit_constant(load_decree7_releases())
    with pytest.raises(ValueError, match=r"end must be on or before 9999-12-31 .* got 10000.0"):
        fit.rate_during(0, 1e4)
    with pytest.raises(ValueError, match=r"start must be on or before 9999-12-31"):
        fit.rate_during(1e4, 2e4)


@pytest.mark.parametrize("name", [np.array([1 + 1j, 2]), 3, None, ["rate"]])
def test_estimate_with_a_name_that_is_not_text_is_refused_by_name(name):
    # Was a defect: numpy's "truth value of an array ... is ambiguous" for an array.
    fit = F.fit_constant(load_decree7_releases())
    with pytest.raises(TypeError, match=r"name must be a parameter name \(str\), one of"):
        fit.estimate(name)
    with pytest.raises(TypeError, match=r"name must be a parameter name"):
        fit.interval(name)


def test_burst_decay_at_extreme_magnitudes_warns_nothing():
    # Was a defect: RuntimeWarning (overflow in a divide, inf - inf in the parabola through
    # the profile) with counts near 1e15; pytest turns warnings into errors. Where the
    # likelihood is too flat to resolve at that scale, the interval is refused by name.
    s = _series([5, 6, 7, 8], [1, 10**15 - 1, 0, 0])
    f = F.fit_burst_decay(s)
    r = f.rate_after(s.dates[0])
    assert 0 <= r.low <= r.rate <= r.high
    far = CountSeries(
        START,
        [START + dt.timedelta(days=d) for d in (1, 1000, 2_900_000)],
        [10**15 - 2, 10**15 - 1, 10**15],
    )
    table = F.fit_burst_decay(far).params  # was: inf - inf in the parabola over log τ
    assert not table[["estimate", "low", "high"]].isna().to_numpy().any()


def test_burst_decay_interval_unresolvable_at_1e15_is_refused_by_name():
    # Counts of 1e15 in two days: the log-likelihood is too flat at that scale for the
    # profile to reach the cut-off; a named error instead of brentq's "f(a) and f(b) must
    # have different signs".
    f = F.fit_burst_decay(_series([1, 2, 10_000], [1, 10**15 - 1, 0]))
    with pytest.raises(ValueError, match=r"^series: the profile likelihood cannot be resolved"):
        f.params  # noqa: B018


@pytest.fixture(scope="module")
def three_fits():
    s = load_decree7_releases()
    return F.fit_constant(s), F.fit_piecewise(s), F.fit_burst_decay(s)


@given(st.one_of(odd_values(), st.lists(st.floats(0, 1e308), max_size=3).map(np.array)))
@settings(max_examples=80, deadline=None)
def test_rate_and_cumulative_at_any_time(three_fits, t):
    # A class of defect: complex times (ComplexWarning), integers beyond a float
    # (OverflowError), negative or huge times (RuntimeWarning overflow, or inf·0 = NaN).
    for fit in three_fits:
        for method in ("rate", "cumulative"):
            out = attempt(f"{type(fit).__name__}.{method}", getattr(fit, method), t, names=("t",))
            if out is not REFUSED:
                values = np.asarray(out, dtype=float)
                assert np.isfinite(values).all() and (values >= 0).all(), (method, t, out)


@pytest.mark.parametrize(
    ("t", "error", "match"),
    [
        (np.array([1 + 1j]), TypeError, r"t must be real numbers of years, got \[1\.\+1\.j\]"),
        (10**400, ValueError, "t must be real numbers of years a float can hold"),
        (np.array([-1.0]), ValueError, r"t must be finite numbers of years >= 0"),
        (np.array([1e308]), ValueError, "t must be small enough for the expected count"),
    ],
)
def test_cumulative_refuses_odd_times_by_name(three_fits, t, error, match):
    for fit in three_fits:
        with pytest.raises(error, match=match):
            fit.cumulative(t)


def test_burst_schedule_with_a_vanishing_resolution_is_refused_by_name():
    # Was a defect: OverflowError (ceil of inf pieces).
    fit = F.fit_burst_decay(load_decree7_releases())
    with pytest.raises(ValueError, match=r"horizon / resolution gives inf pieces"):
        fit.to_schedule(resolution=5e-324)


@given(
    st.lists(st.integers(min_value=1, max_value=60), min_size=2, max_size=7, unique=True),
    st.lists(st.integers(min_value=0, max_value=500), min_size=7, max_size=7),
)
@settings(max_examples=40)
def test_compare_fits_ranks_only_by_a_criterion_defined_for_all(days, counts):
    """Property (class of the AICc = inf defect): no inf in the table, the criterion is AICc
    only when n > k + 1 for every fit, and rank 1 has the smallest value of that criterion."""
    days = sorted(days)
    series = _series(days, counts[: len(days)])
    if series.total == 0:
        return
    fits = [F.fit_constant(series), F.fit_piecewise(series, [series.dates[0]])]
    if len(days) >= 3:
        fits.append(F.fit_burst_decay(series))
    table = F.compare_fits(*fits)
    numeric = table[["aic", "aicc", "delta_aicc", "delta"]].to_numpy(dtype=float)
    assert not np.isinf(numeric).any()
    defined = all(f.n_obs > f.n_params + 1 for f in fits)
    assert (table["criterion"] == ("AICc" if defined else "AIC")).all()
    values = {f.model: (f.aicc if defined else f.aic) for f in fits}
    best = min(values.values())
    for model in table.index[table["rank"] == 1]:
        assert values[model] == pytest.approx(best)
