"""Tests for the exact first-passage distribution (amnesty_model.passage).

Reference values come from mathematics computed independently in this file: scipy.stats.gamma
(the a = 0 case), direct numerical integration of the Bessel density written here with
scipy.special.iv, a Poisson-convolution evaluation of the Skellam identity in log space, the
closed-form moments, an event-by-event simulation of the walk, and the inverse-Gaussian limit.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, special, stats

from amnesty_model import passage as fp_module
from amnesty_model.passage import FirstPassage, first_passage, first_passage_diffusion


def bessel_density(n: int, r: float, a: float):
    """The density of docs/methods.md §3 written directly with scipy.special.iv (small n only)."""

    def f(t: float) -> float:
        if t <= 0:
            return 0.0
        x = 2 * t * math.sqrt(a * r)
        # I_n(x) e^{-(r+a)t} = ive(n, x) e^{x - (r+a)t}, so nothing overflows
        return n / t * (r / a) ** (n / 2) * math.exp(x - (r + a) * t) * special.ive(n, x)

    return f


def simulate_walk(n: int, r: float, a: float, *, paths: int, rng, horizon: float):
    """Plain event-by-event simulation: exponential waits at rate r + a, down with prob r/(r+a)."""
    out = np.full(paths, np.inf)
    for i in range(paths):
        stock, t = n, 0.0
        while stock > 0 and t < horizon:
            t += rng.exponential(1.0 / (r + a))
            stock += -1 if rng.random() < r / (r + a) else 1
        if stock == 0:
            out[i] = t
    return out


# ------------------------------------------------------------------ special cases
@pytest.mark.parametrize(("n", "r"), [(1, 2.0), (7, 0.5), (132_000, 1_000.0)])
def test_gamma_case_matches_scipy(n, r):
    fp = first_passage(n, r)
    ref = stats.gamma(n, scale=1 / r)
    t = ref.ppf([1e-6, 0.1, 0.5, 0.9, 1 - 1e-6])
    np.testing.assert_allclose(fp.cdf(t), ref.cdf(t), rtol=1e-12)
    np.testing.assert_allclose(fp.sf(t), ref.sf(t), rtol=1e-12)
    np.testing.assert_allclose(fp.pdf(t), ref.pdf(t), rtol=1e-9)
    np.testing.assert_allclose(fp.logpdf(t), ref.logpdf(t), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(fp.ppf([0.1, 0.5, 0.9]), ref.ppf([0.1, 0.5, 0.9]), rtol=1e-12)
    assert fp.mean() == pytest.approx(n / r)
    assert fp.var() == pytest.approx(n / r**2)
    assert fp.p_clear == 1.0


def test_empty_stock_is_point_mass_at_zero():
    fp = first_passage(0, 0.0, 3.0)
    assert fp.p_clear == 1.0
    assert fp.mean() == 0.0
    assert fp.var() == 0.0
    np.testing.assert_array_equal(fp.cdf([-1.0, 0.0, 5.0]), [0.0, 1.0, 1.0])
    np.testing.assert_array_equal(fp.sf([-1.0, 0.0, 5.0]), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(fp.pdf([0.0, 1.0]), [0.0, 0.0])
    np.testing.assert_array_equal(fp.ppf([0.0, 0.5, 1.0]), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(fp.rvs(4, seed=0), np.zeros(4))


def test_no_releases_never_clears():
    fp = first_passage(5, 0.0, 1.0)
    assert fp.p_clear == 0.0
    assert fp.mean() == math.inf
    assert fp.cdf(10.0) == 0.0
    assert fp.sf(10.0) == 1.0
    assert fp.logpdf(1.0) == -math.inf
    np.testing.assert_array_equal(fp.ppf([0.0, 0.5]), [0.0, math.inf])
    assert fp.rvs(seed=1) == math.inf
    assert "never clears" in fp.cite()


def test_negative_and_infinite_times():
    fp = first_passage(3, 2.0, 1.0)
    assert fp.cdf(-1.0) == 0.0
    assert fp.pdf(-1.0) == 0.0
    assert fp.logpdf(-1.0) == -math.inf
    assert fp.cdf(math.inf) == 1.0
    assert fp.sf(math.inf) == 0.0
    assert fp.pdf(0.0) == 0.0  # n >= 2: the walk needs at least two releases
    assert first_passage(1, 2.0, 1.0).pdf(0.0) == pytest.approx(2.0)  # n = 1: density r at 0


# ------------------------------------------------------------------ density and moments
@pytest.mark.parametrize(
    ("n", "r", "a"), [(1, 2.0, 1.0), (5, 3.0, 1.0), (12, 1.0, 0.6), (4, 1.0, 2.5)]
)
def test_pdf_matches_bessel_formula(n, r, a):
    fp = first_passage(n, r, a)
    ref = bessel_density(n, r, a)
    for t in [0.05, 0.7, 3.0, 20.0]:
        assert fp.pdf(t) == pytest.approx(ref(t), rel=1e-11)


@pytest.mark.parametrize(
    ("n", "r", "a"), [(1, 2.0, 1.0), (6, 3.0, 1.0), (3, 1.0, 2.0), (2, 1.0, 4.0)]
)
def test_density_integrates_to_p_clear(n, r, a):
    fp = first_passage(n, r, a)
    total = integrate.quad(bessel_density(n, r, a), 0, np.inf, limit=400)[0]
    assert fp.p_clear == pytest.approx(min(1.0, (r / a) ** n), rel=1e-14)
    assert total == pytest.approx(fp.p_clear, abs=1e-9)
    assert fp.cdf(1e6) == pytest.approx(fp.p_clear, abs=1e-12)


@pytest.mark.parametrize(("n", "r", "a"), [(1, 2.0, 1.0), (4, 3.0, 1.0), (10, 2.0, 1.5)])
def test_moments_against_integrated_density(n, r, a):
    fp = first_passage(n, r, a)
    f = bessel_density(n, r, a)
    m1 = integrate.quad(lambda t: t * f(t), 0, np.inf, limit=400)[0]
    m2 = integrate.quad(lambda t: t * t * f(t), 0, np.inf, limit=400)[0]
    assert fp.mean() == pytest.approx(n / (r - a), rel=1e-14)  # closed form
    assert fp.var() == pytest.approx(n * (r + a) / (r - a) ** 3, rel=1e-14)
    assert m1 == pytest.approx(fp.mean(), rel=1e-8)
    assert m2 - m1**2 == pytest.approx(fp.var(), rel=1e-7)
    assert fp.std() == pytest.approx(math.sqrt(fp.var()))


def test_moments_infinite_when_arrests_keep_up():
    for r, a in [(1.0, 1.0), (1.0, 2.0)]:
        fp = first_passage(3, r, a)
        assert fp.mean() == math.inf
        assert fp.var() == math.inf


# ------------------------------------------------------------------ cdf
@pytest.mark.parametrize(
    ("n", "r", "a"),
    [(1, 2.0, 1.0), (5, 3.0, 1.0), (20, 1.0, 1.0), (3, 1.0, 2.0), (40, 5.0, 4.0), (100, 3.0, 2.0)],
)
def test_cdf_matches_integrated_density(n, r, a):
    fp = first_passage(n, r, a)
    f = bessel_density(n, r, a)
    scale = n / abs(r - a) if r != a else n * n / (2 * a)
    for t in [0.3 * scale, scale, 2.5 * scale]:
        ref = integrate.quad(f, 0, t, limit=400, epsabs=1e-15, epsrel=1e-12)[0]
        assert fp.cdf(t) == pytest.approx(ref, rel=1e-9, abs=1e-14)
        assert fp.sf(t) == pytest.approx(1 - ref, abs=1e-12)


def log_poisson_upper(k: np.ndarray, lam: float) -> np.ndarray:
    """log P(Y >= k), Y ~ Poisson(lam), for k > 1.2 lam (scipy's logsf underflows there):
    log pmf(k) + log(1 + lam/(k+1) + lam²/((k+1)(k+2)) + ...), 300 terms (ratio < 0.84)."""
    assert np.all(k > 1.2 * lam)
    i = np.arange(1, 301)
    log_ratios = np.cumsum(np.log(lam / (k[:, None] + i[None, :])), axis=1)
    top = np.zeros(k.shape)
    tail = np.log1p(np.exp(log_ratios - top[:, None]).sum(axis=1))
    return stats.poisson.logpmf(k, lam) + tail


def _log_poisson_sum(terms: np.ndarray) -> float:
    top = np.max(terms[np.isfinite(terms)])
    return float(top + np.log(np.sum(np.exp(terms[np.isfinite(terms)] - top))))


@pytest.mark.parametrize("t", [300.0, 2000 / 6, 360.0])
def test_skellam_identity_against_log_space_convolution(t):
    # docs/methods.md §3: n = 2,000, r = 10, a = 4 near the mean 333.3 years. The reflection term
    # (r/a)**n P(X − Y <= −n−1), X ~ Poisson(rt), Y ~ Poisson(at), is the sum over x of
    # (r/a)**n P(X = x) P(Y >= x + n + 1), done here in log space from Poisson log-pmfs and
    # log-sfs, independently of the module's Bessel series.
    n, r, a = 2000, 10.0, 4.0
    x = np.arange(0, 6_000)
    log_terms = (
        n * math.log(r / a) + stats.poisson.logpmf(x, r * t) + log_poisson_upper(x + n + 1, a * t)
    )
    reflection = math.exp(_log_poisson_sum(log_terms))
    # P(X − Y >= n) = sum over y of P(Y = y) P(X >= y + n).
    y = np.arange(0, 12_000)
    direct = math.exp(
        _log_poisson_sum(stats.poisson.logpmf(y, a * t) + stats.poisson.logsf(y + n - 1, r * t))
    )
    if t == 2000 / 6:
        assert 0.003 < reflection < 0.005  # "≈ 0.004 at the mean" (docs/methods.md §3)
        assert stats.skellam.logcdf(-n - 1, r * t, a * t) == -np.inf  # why log space is needed
    assert first_passage(n, r, a).cdf(t) == pytest.approx(
        direct + reflection, rel=1e-11, abs=1e-14
    )


@pytest.mark.parametrize(("n", "r", "a"), [(3, 2.0, 1.0), (2, 1.0, 1.0)])
def test_cdf_against_event_simulation(n, r, a):
    # Kolmogorov–Smirnov against an independent plain event-by-event simulation (fixed seed).
    rng = np.random.default_rng(20220526)
    horizon = 1e4
    sims = simulate_walk(n, r, a, paths=3000, rng=rng, horizon=horizon)
    fp = first_passage(n, r, a)
    finite = sims[np.isfinite(sims)]
    # paths still running at the horizon are censored; the fraction matches sf(horizon)
    assert np.mean(~np.isfinite(sims)) == pytest.approx(fp.sf(horizon), abs=0.02)
    result = stats.kstest(finite, lambda s: fp.cdf(s) / fp.cdf(horizon))
    assert result.pvalue > 0.01


def test_defective_case_against_event_simulation():
    n, r, a = 2, 1.0, 2.0
    rng = np.random.default_rng(7)
    sims = simulate_walk(n, r, a, paths=3000, rng=rng, horizon=200.0)
    fp = first_passage(n, r, a)
    cleared = sims[np.isfinite(sims)]
    assert cleared.size / sims.size == pytest.approx(0.25, abs=0.025)  # (r/a)**n
    result = stats.kstest(cleared, lambda s: fp.cdf(s) / fp.cdf(200.0))
    assert result.pvalue > 0.01


def test_defective_distribution_is_scaled_swap():
    fp = first_passage(4, 1.0, 3.0)
    swap = fp.conditional()
    assert swap == FirstPassage(4, 3.0, 1.0)
    assert first_passage(4, 3.0, 1.0).conditional() is not None
    t = np.array([0.5, 2.0, 9.0])
    f_swap = bessel_density(4, 3.0, 1.0)
    ref = [integrate.quad(f_swap, 0, s)[0] for s in t]
    np.testing.assert_allclose(fp.cdf(t), fp.p_clear * np.array(ref), rtol=1e-9)
    assert fp.sf(np.inf) == pytest.approx(1 - 1 / 81)
    assert fp.ppf(0.5) == math.inf
    assert fp.median() == math.inf


@pytest.mark.parametrize("n", [10**5, 10**6, 10**7])
def test_large_n_close_to_inverse_gaussian(n):
    # The diffusion limit's cdf error is O(1/sqrt(n)); measured constant 0.0128 for these rates.
    r, a = 1000.0, 500.0
    fp = first_passage(n, r, a)
    ig = first_passage_diffusion(n, r, a)
    t = fp.mean() + fp.std() * np.linspace(-6, 6, 121)
    diff = np.max(np.abs(fp.cdf(t) - ig.cdf(t)))
    assert diff < 0.02 / math.sqrt(n)
    assert diff > 0.005 / math.sqrt(n)  # and the exact answer is not the approximation
    assert float(ig.mean()) == pytest.approx(fp.mean())
    assert float(ig.var()) == pytest.approx(fp.var())


def test_huge_non_centrality_branch_matches_scipy(monkeypatch):
    # The Edgeworth branch (used beyond scipy's range) against scipy's series where both work.
    mu2 = np.array([2.0e9, 2.4e9])
    for k, d in [(10.0, 3e4), (10.0, 1e5), (1e6, 1e6)]:
        expected = special.chndtr(2 * (mu2 + d), 2 * k, 2 * mu2)
        monkeypatch.setattr(fp_module, "_NC_BOOST_MAX", 0.0)
        upper, lower = fp_module._skellam_upper(k, mu2 + d, mu2)
        np.testing.assert_allclose(upper, expected, atol=1e-10)
        np.testing.assert_allclose(lower, 1 - expected, atol=1e-10)
        monkeypatch.undo()


def test_log_ive_against_scipy():
    nu = np.array([30.0, 31.0, 45.0, 120.0, 800.0])
    for x in [0.5, 10.0, 100.0, 1e4]:
        xs = np.full(nu.shape, x)
        scaled = special.ive(nu, xs)
        ok = scaled > 1e-280
        np.testing.assert_allclose(
            fp_module._log_ive(nu, xs)[ok], np.log(scaled[ok]), rtol=1e-13, atol=1e-12
        )
    # far below scipy's range the small-x power series: log I_ν(x) ≈ ν log(x/2) − log ν!
    tiny = fp_module._log_ive(np.array([5.0]), np.array([1e-70]))[0]
    assert tiny == pytest.approx(5 * math.log(0.5e-70) - math.log(120), rel=1e-14)


# ------------------------------------------------------------------ quantiles
@pytest.mark.parametrize(
    ("n", "r", "a"),
    [
        (1, 2.0, 1.0),
        (50, 3.0, 1.0),
        (7, 1.0, 1.0),
        (5, 1.0, 1.5),
        (132_000, 1_000.0, 500.0),
        (10**7, 1.0, 0.5),
    ],
)
def test_ppf_inverts_cdf(n, r, a):
    fp = first_passage(n, r, a)
    q = np.array([1e-6, 0.01, 0.3, 0.5, 0.9, 0.999]) * fp.p_clear
    t = fp.ppf(q)
    np.testing.assert_allclose(fp.ppf(fp.cdf(t)), t, rtol=1e-10)
    np.testing.assert_allclose(fp.cdf(t), q, rtol=1e-9)
    np.testing.assert_allclose(fp.isf(1 - q[2:4]), t[2:4], rtol=1e-10)
    low, high = fp.interval(0.9)
    if fp.p_clear > 0.95:
        assert fp.cdf(low) == pytest.approx(0.05, rel=1e-9)
        assert fp.cdf(high) == pytest.approx(0.95, rel=1e-9)
    else:
        assert high == math.inf


def test_ppf_edges():
    fp = first_passage(3, 2.0, 1.0)
    assert fp.ppf(0.0) == 0.0
    assert fp.ppf(1.0) == math.inf
    fp2 = first_passage(3, 1.0, 2.0)
    assert fp2.ppf(fp2.p_clear) == math.inf
    assert fp2.ppf(0.99) == math.inf


def test_interval_and_median():
    fp = first_passage(132_000, 1_000, 500)
    low, high = fp.interval(0.95)
    assert fp.cdf(low) == pytest.approx(0.025, rel=1e-9)
    assert fp.cdf(high) == pytest.approx(0.975, rel=1e-9)
    assert fp.cdf(fp.median()) == pytest.approx(0.5, rel=1e-12)


# ------------------------------------------------------------------ sampling
def test_rvs_reproducible_and_distributed():
    fp = first_passage(4, 3.0, 1.0)
    a = fp.rvs(400, seed=3)
    b = fp.rvs(400, seed=np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert stats.kstest(a, fp.cdf).pvalue > 0.01
    assert isinstance(fp.rvs(seed=1), float)
    assert fp.rvs((2, 3), seed=1).shape == (2, 3)


def test_rvs_gamma_and_defective():
    g = first_passage(5, 2.0).rvs(500, seed=11)
    assert stats.kstest(g, stats.gamma(5, scale=0.5).cdf).pvalue > 0.01
    d = first_passage(1, 1.0, 3.0).rvs(3000, seed=5)
    assert np.mean(np.isinf(d)) == pytest.approx(2 / 3, abs=0.03)


# ------------------------------------------------------------------ properties
@given(
    n=st.integers(1, 300),
    r=st.floats(0.1, 10.0),
    ratio=st.floats(0.0, 2.0),
    times=st.lists(st.floats(0.0, 500.0), min_size=2, max_size=8),
)
def test_cdf_monotone_and_bounded(n, r, ratio, times):
    fp = first_passage(n, r, r * ratio)
    t = np.sort(np.array(times))
    cdf = fp.cdf(t)
    assert np.all(np.diff(cdf) >= -1e-13)
    assert np.all(cdf >= 0)
    assert np.all(cdf <= fp.p_clear + 1e-13)
    np.testing.assert_allclose(cdf + fp.sf(t), 1.0, atol=1e-12)


@pytest.mark.parametrize(
    ("n", "r", "a"),
    [
        (1, 1.0, 1.0),
        (10**7, 1000.0, 1000.0),
        (3, 1.0, 2.0),
        (1, 2.0, 0.0),
        (10**7, 1000.0, 500.0),
        (10**7, 1000.0, 1001.0),
    ],
)
def test_no_warnings_anywhere(n, r, a):
    # pytest turns warnings into errors: every method must run clean on every regime.
    fp = first_passage(n, r, a)
    scale = n / abs(r - a) if r != a else n * n / (2 * r)
    t = np.array([-1.0, 0.0, 1e-300, 1e-3 * scale, scale, 1e3 * scale, np.inf])
    for values in (fp.cdf(t), fp.sf(t), fp.pdf(t), fp.logpdf(t)):
        assert not np.isnan(values).any()
    fp.ppf([0.0, 0.25, 0.5, 1.0])
    fp.mean(), fp.var(), fp.std(), fp.p_clear, fp.median()


# ------------------------------------------------------------------ inputs and outputs
def test_scalar_array_series_outputs():
    fp = first_passage(3, 2.0, 1.0)
    assert isinstance(fp.cdf(1.0), float)
    assert fp.cdf(np.ones((2, 2))).shape == (2, 2)
    s = pd.Series([0.5, 1.0], index=["x", "y"])
    out = fp.cdf(s)
    assert list(out.index) == ["x", "y"]
    assert isinstance(fp.ppf(0.5), float)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((2.5, 1.0), ValueError, r"stock must be a whole number.*2\.5"),
        ((-1, 1.0), ValueError, r"stock must be a finite number >= 0, got -1"),
        ((2.0**60, 1.0), ValueError, r"stock must be at most 2\*\*53"),
        (("5", 1.0), TypeError, r"stock must be"),
        ((5, -1.0), ValueError, r"release_rate must be a finite number >= 0, got -1"),
        ((5, 1.0, math.inf), ValueError, r"arrest_rate must be a finite number >= 0"),
    ],
)
def test_bad_inputs(args, error, match):
    with pytest.raises(error, match=match):
        first_passage(*args)


def test_bad_points():
    fp = first_passage(3, 2.0, 1.0)
    with pytest.raises(ValueError, match=r"q must be a probability in \[0, 1\], got 1\.5"):
        fp.ppf(1.5)
    with pytest.raises(ValueError, match=r"q must be a probability in \[0, 1\]"):
        fp.isf([-0.1, 0.5])
    with pytest.raises(ValueError, match=r"t must not contain NaN"):
        fp.cdf([1.0, math.nan])
    with pytest.raises(TypeError, match=r"t must be"):
        fp.pdf("soon")
    with pytest.raises(ValueError, match=r"confidence must be strictly between 0 and 1"):
        fp.interval(1.0)


def test_diffusion_bad_inputs():
    with pytest.raises(ValueError, match=r"needs release_rate > arrest_rate.*release_rate=1\.0"):
        first_passage_diffusion(10, 1.0, 1.0)
    with pytest.raises(ValueError, match=r"stock must be >= 1"):
        first_passage_diffusion(0, 2.0, 1.0)


def test_provenance_and_cite():
    fp = first_passage(132_000, 1_000, 500)
    record = fp.provenance
    assert json.loads(json.dumps(record)) == record
    assert record["inputs"] == {
        "stock_people": 132_000,
        "release_rate_per_year": 1000.0,
        "arrest_rate_per_year": 500.0,
    }
    assert "exact first-passage distribution" in record["method"]
    text = fp.cite()
    assert "132,000 held" in text
    assert record["hash"] in text
    assert "median 264 years" in text
    defective = first_passage(2, 1.0, 2.0).cite()
    assert "ever clears with probability 0.25" in defective
    assert repr(fp) == "FirstPassage(stock=132000, release_rate=1000.0, arrest_rate=500.0)"


# ------------------------------------------------------------------ large stocks: Fourier route
def slow_cdf(n, r, a, t):
    """The term-by-term route (non-central chi-square and reflection series), no Fourier."""
    return fp_module._cdf_sf_proper(n, r, a, np.asarray(t, dtype=float), False)[0]


@pytest.mark.parametrize(
    ("n", "r", "a", "atol"),
    [
        (1_000, 10.0, 4.0, 1e-12),
        (2_000, 10.0, 4.0, 1e-12),
        (132_000, 1_000.0, 500.0, 1e-12),
        (50_000, 3.0, 2.9, 1e-11),
        (132_000, 1_000.0, 990.0, 1e-11),
    ],
)
def test_fourier_cdf_matches_term_by_term_route(n, r, a, atol):
    fp = first_passage(n, r, a)
    t = fp.mean() + fp.std() * np.linspace(-8, 12, 201)
    fast = fp.cdf(t)
    ref = slow_cdf(n, r, a, t)
    np.testing.assert_allclose(fast, ref, rtol=0, atol=atol)
    # the left tail keeps relative accuracy (points below 1e-4 keep the term-by-term route)
    small = (ref > 1e-300) & (ref < 1e-3)
    assert small.any()
    np.testing.assert_allclose(fast[small], ref[small], rtol=1e-9)


def test_fourier_cdf_against_integrated_density_when_rates_are_close():
    # r/a = 1000/999: the density (log-space Bessel formula) integrated by quad from a point
    # where the cdf is below 1e-60 is an independent reference.
    n, r, a = 132_000, 1_000.0, 999.0
    fp = first_passage(n, r, a)
    t = 132_000.0
    ref = integrate.quad(
        lambda s: float(fp.pdf(s)),
        20_000.0,
        t,
        limit=500,
        epsabs=1e-15,
        epsrel=1e-13,
        points=[100_000, 120_000, 130_000],
    )[0]
    assert slow_cdf(n, r, a, [20_000.0])[0] < 1e-60
    assert fp.cdf(t) == pytest.approx(ref, abs=1e-10)


def test_fourier_sum_does_not_depend_on_the_period():
    # the aliasing error is below P(|T − t| >= W): any W past the Chernoff width agrees.
    n, r, a = 132_000, 1_000.0, 500.0
    t = np.array([260.0, 264.0, 268.0])
    base = fp_module._cdf_fourier(n, r, a, t, 40.0)
    for width in (60.0, 200.0):
        np.testing.assert_allclose(fp_module._cdf_fourier(n, r, a, t, width), base, atol=1e-14)


def test_chernoff_points_bound_the_tails():
    n, r, a = 10_000, 10.0, 4.0
    lo, hi = fp_module._chernoff_points(n, r, a, math.log(1e-6))
    fp = first_passage(n, r, a)
    assert 0 < lo < fp.mean() < hi
    assert fp.cdf(lo) <= 1e-6
    assert fp.sf(hi) <= 1e-6
    assert fp.cdf(lo) > 1e-9  # and they are not far from it
    # r = a: no upper bound
    assert fp_module._chernoff_points(n, 4.0, 4.0, math.log(1e-6))[1] == math.inf


def test_fourier_falls_back_when_the_window_is_wide(monkeypatch):
    n, r, a = 132_000, 1_000.0, 500.0
    fp = first_passage(n, r, a)
    t = np.array([262.0, 264.0, 1e6])  # the last is past the upper Chernoff point: exactly 1
    wide = np.array([262.0, 264.0, 280.0])
    assert fp_module._cdf_fourier(n, r, a, wide, 1e9) is None  # too many terms
    monkeypatch.setattr(fp_module, "_FOURIER_MAX_TERMS", 4)
    assert fp_module._cdf_large_stock(n, r, a, wide) is None
    np.testing.assert_allclose(
        fp.cdf(wide), slow_cdf(n, r, a, wide), rtol=0, atol=1e-14
    )  # rescaled rates: rounding only
    monkeypatch.undo()
    assert fp.cdf(t)[2] == 1.0
    np.testing.assert_allclose(fp.cdf(t), slow_cdf(n, r, a, t), atol=1e-12)


def test_fourier_route_in_the_defective_case():
    # r < a: cdf = (r/a)**n times the swapped distribution's, which uses the Fourier route.
    n, r, a = 1_000, 4.0, 4.004
    fp = first_passage(n, r, a)
    swap = fp.conditional()
    t = swap.mean() + swap.std() * np.linspace(-4, 6, 11)
    np.testing.assert_allclose(
        fp.cdf(t), fp.p_clear * slow_cdf(n, a, r, t), rtol=0, atol=1e-12 * fp.p_clear
    )


@pytest.mark.parametrize("n", [1, 1_000, 132_000])
@pytest.mark.parametrize("rho", [0.5, 0.999, 0.9999])
def test_ppf_near_critical_round_trip(n: int, rho: float) -> None:
    # The root finder (Newton in log τ, stopped at the cdf's own noise floor) inverts the
    # cdf: cdf(ppf(q)) = q in the lower half, sf(ppf(q)) = 1 − q above it, to 2e-8 relative:
    # in these far tails the cdf itself varies by ~1e-9 relative between neighbouring floats
    # of τ (the root finder before this change was no closer), and d log F/d log τ is ~30.
    fp = first_passage(n, 1_000.0, 1_000.0 * rho)
    lower = np.array([1e-10, 1e-4, 0.025, 0.5])
    np.testing.assert_allclose(fp.cdf(fp.ppf(lower)), lower, rtol=2e-8)
    q = 1.0 - np.array([1e-8, 1e-4, 0.025])
    np.testing.assert_allclose(fp.sf(fp.ppf(q)), 1.0 - q, rtol=2e-8)  # 1 − q exact in floats
    low, high = fp.interval(0.95)
    assert fp.cdf(low) == pytest.approx(0.025, rel=1e-9)
    # sf() is the term-by-term route, which near a/r = 1 differs from the Fourier cdf by up
    # to ~1e-10 absolute (docs/benchmarks.md); the upper end solves 1 − cdf.
    assert fp.sf(high) == pytest.approx(0.025, rel=1e-8)


def test_first_passage_takes_a_scenario():
    import amnesty_model as am

    # Constant rates, no deaths: the birth–death law itself, mean n/(r − a) = 1000/50 = 20.
    fp = am.first_passage(am.Scenario(1_000, 100, 50))
    assert isinstance(fp, am.FirstPassage)
    assert fp.mean() == pytest.approx(20.0, rel=1e-12)
    # Decrees of 100 a year from 1,000 held, nobody arrested or dying: certainly 10 years.
    law = am.first_passage(am.Scenario(1_000, am.Decrees(100)))
    assert law.cdf(9.999) == pytest.approx(0.0, abs=1e-12)
    assert law.cdf(10.0) == pytest.approx(1.0, abs=1e-12)
    assert law.median() == pytest.approx(10.0, abs=1e-9)
    assert "cite" in dir(law) and "interval" in dir(law)
