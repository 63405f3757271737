"""Tests for the joint stock-and-flow fit: closed forms, recovery and coverage on simulated
data (Poisson and batched), conservation, scenarios and bands, the shipped country data and
error messages."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import amnesty_model as am
from _fuzz import REFUSED, attempt, odd_values
from amnesty_model.datasets import (
    load_decree7_arrests,
    load_decree7_releases,
    load_guantanamo,
    load_myanmar_aapp,
)
from amnesty_model.stockflow import fit_stock_flow

START = dt.date(2020, 1, 1)
Z95 = stats.norm.ppf(0.975)


def _day(d: int) -> dt.date:
    return START + dt.timedelta(days=int(d))


def _simulate(seed, *, a=500.0, r=300.0, d=0.02, h0=2000.0, weeks=209, batch=1):
    """Weekly arrests (Poisson), releases (Poisson batches of ``batch``) and deaths (hazard
    ``d`` per person-year on the stock at the start of the week), then reports thinned:
    held every 4 weeks, arrested every 9, released every 13 (from week 2), died every 26."""
    rng = np.random.default_rng(seed)
    A = R = D = 0
    H = h0
    rec = [(_day(0), 0, 0, 0, H)]
    for w in range(1, weeks):
        step = 7 / 365.25
        na = rng.poisson(a * step)
        nr = rng.poisson(r * step / batch) * batch
        nd = rng.poisson(d * H * step)
        A, R, D, H = A + na, R + nr, D + nd, H + na - nr - nd
        rec.append((_day(7 * w), A, R, D, H))

    def pick(rows, col):
        return [(rec[i][0], rec[i][col]) for i in rows]

    n = len(rec)
    return (
        pick(range(0, n, 4), 4),
        pick(range(0, n, 9), 1),
        pick(range(2, n, 13), 2),
        pick(range(0, n, 26), 3),
    )


# ----------------------------------------------------------------------------------------------
# Closed forms
# ----------------------------------------------------------------------------------------------
def test_one_flow_is_total_over_span_with_the_log_wald_interval():
    """One Poisson flow: the quasi-score equation gives sum(k) / sum(d) (the Poisson MLE),
    Var = rate / span, and the interval exp(log r ± z se / r)."""
    pts = [(_day(0), 0), (_day(30), 40), (_day(100), 95), (_day(365), 310)]
    fit = fit_stock_flow(released=pts, dispersion="poisson")
    span = 365 / 365.25
    rate = 310 / span
    assert fit.rate("released") == pytest.approx(rate, rel=1e-9)
    se = math.sqrt(rate / span)
    low, high = fit.interval("released")
    assert low == pytest.approx(rate * math.exp(-Z95 * se / rate), rel=1e-7)
    assert high == pytest.approx(rate * math.exp(Z95 * se / rate), rel=1e-7)
    assert fit.assumed_zero == ("arrested", "died")
    assert fit.params.loc[("released", 1), "method"] == "Wald on the log scale"


def test_a_falling_stock_gives_its_fall_over_the_span():
    """Releases inferred from a stock with no arrivals: (H0 - Hn) / span, whatever the
    spacing of the reports (independent increments, variance proportional to the mean)."""
    pts = [(_day(0), 600), (_day(200), 560), (_day(900), 400), (_day(2000), 250)]
    fit = fit_stock_flow(held=pts, infer="released", dispersion="poisson")
    assert fit.rate("released") == pytest.approx(350 / (2000 / 365.25), rel=1e-9)
    assert fit.rate("arrested") == 0.0 and fit.interval("died") == (0.0, 0.0)


def test_a_stock_equal_to_its_flows_adds_no_information():
    """Arrests and releases reported on the stock's dates and conservation exact (no deaths):
    the stock is redundant, so estimates and intervals are the same with or without it (no
    count is used twice)."""
    arrested = _all_weeks(3, 1, d=0.0)[::5]
    released = _all_weeks(3, 2, d=0.0)[::5]
    held = _all_weeks(3, 4, d=0.0)[::5]
    assert all(
        a - r == h - 2000 for (_, a), (_, r), (_, h) in zip(arrested, released, held, strict=False)
    )
    with_stock = fit_stock_flow(held=held, arrested=arrested, released=released)
    flows_only = fit_stock_flow(arrested=arrested, released=released)
    for flow in ("arrested", "released"):
        assert with_stock.rate(flow) == pytest.approx(flows_only.rate(flow), rel=1e-9)
        assert with_stock.interval(flow) == pytest.approx(flows_only.interval(flow), rel=1e-7)
    table = with_stock.conservation()
    assert table["holds"].all() and (table["gap"].abs() < 1e-6).all()


def _all_weeks(seed, col, d=0.02):
    """Weekly (date, value) of column ``col`` (1 arrested, 2 released, 3 died, 4 held)."""
    rng = np.random.default_rng(seed)
    A = R = D = 0
    H = 2000.0
    rec = [(_day(0), 0, 0, 0, H)]
    for w in range(1, 209):
        step = 7 / 365.25
        na, nr, nd = rng.poisson(500 * step), rng.poisson(300 * step), rng.poisson(d * H * step)
        A, R, D, H = A + na, R + nr, D + nd, H + na - nr - nd
        rec.append((_day(7 * w), A, R, D, H))
    return [(x[0], x[col]) for x in rec]


# ----------------------------------------------------------------------------------------------
# Recovery and coverage
# ----------------------------------------------------------------------------------------------
def test_recovers_known_rates_from_stocks_and_flows():
    held, arrested, released, died = _simulate(0, a=5000, r=3000, d=0.05, h0=40000)
    fit = fit_stock_flow(held=held, arrested=arrested, released=released, died=died)
    assert fit.rate("arrested") == pytest.approx(5000, rel=0.03)
    assert fit.rate("released") == pytest.approx(3000, rel=0.03)
    assert fit.rate("died") == pytest.approx(0.05, rel=0.05)
    for flow, true in (("arrested", 5000), ("released", 3000), ("died", 0.05)):
        se = fit.params.loc[(flow, 1), "se"]
        assert abs(fit.rate(flow) - true) < 3 * se  # (95 % coverage: see the next test)


def test_intervals_cover_95_percent_over_200_seeds():
    """Poisson counts: the 95 % intervals of each rate cover the truth in 90-99 % of 200
    simulated data sets (seeds 0..199)."""
    hits = np.zeros(3)
    for seed in range(200):
        held, arrested, released, died = _simulate(seed)
        fit = fit_stock_flow(held=held, arrested=arrested, released=released, died=died)
        for c, (flow, true) in enumerate((("arrested", 500), ("released", 300), ("died", 0.02))):
            low, high = fit.interval(flow)
            hits[c] += low <= true <= high
    coverage = hits / 200
    assert ((coverage >= 0.90) & (coverage <= 0.99)).all(), coverage


def _batched_stock(seed, size=8, batches_per_year=5.0):
    rng = np.random.default_rng(seed)
    days = np.sort(rng.choice(np.arange(1, 3000), 40, replace=False))
    held = [600]
    for d0, d1 in itertools.pairwise(days):
        held.append(held[-1] - size * rng.poisson(batches_per_year * (d1 - d0) / 365.25))
    return [(_day(d), h) for d, h in zip(days, held, strict=False)]


def test_batch_releases_seen_only_as_stock_drops():
    """Transfers in groups of 8 at Poisson times (40 people/yr), seen only as a falling stock:
    the test rejects Poisson variance, the dispersion estimates E[S^2]/E[S] = 8, and the
    intervals still cover in 90-99 % of 200 seeds."""
    hits, phis = 0, []
    for seed in range(200):
        fit = fit_stock_flow(held=_batched_stock(seed), infer="released")
        low, high = fit.interval("released")
        hits += low <= 40 <= high
        phis.append(fit.dispersion)
        assert fit.dispersion_test["choice"] == "quasi-poisson"
    assert 0.90 <= hits / 200 <= 0.99
    assert 6 < float(np.median(phis)) < 10


def test_piecewise_rates_per_flow_are_recovered():
    rng = np.random.default_rng(11)
    days = np.arange(0, 731, 10)
    t = days / 365.25
    # releases 2000/yr then 200/yr from day 360; arrests 800/yr throughout
    lam_r = np.where(t <= 360 / 365.25, 2000 * t, 2000 * 360 / 365.25 + 200 * (t - 360 / 365.25))
    rel = np.concatenate([[0], np.cumsum(rng.poisson(np.diff(lam_r)))])
    arr = np.concatenate([[0], np.cumsum(rng.poisson(800 * np.diff(t)))])
    fit = fit_stock_flow(
        arrested=[(_day(d), a) for d, a in zip(days, arr, strict=False)],
        released=[(_day(d), r) for d, r in zip(days, rel, strict=False)],
        change_points={"released": [_day(360)]},
    )
    assert fit.n_segments("released") == 2 and fit.n_segments("arrested") == 1
    assert fit.rate("released", 0) == pytest.approx(2000, rel=0.06)
    assert fit.rate("released") == pytest.approx(200, rel=0.2)
    assert fit.rate("arrested") == pytest.approx(800, rel=0.06)
    # each segment's estimate is its own count over its own span (closed form)
    assert fit.rate("released", 0) == pytest.approx(rel[36] / (360 / 365.25), rel=1e-9)


# ----------------------------------------------------------------------------------------------
# Dispersion
# ----------------------------------------------------------------------------------------------
def test_dispersion_choices():
    pts = [(_day(0), 0), (_day(30), 100), (_day(60), 110), (_day(90), 300), (_day(120), 310)]
    auto = fit_stock_flow(released=pts)
    k = np.array([100, 10, 190, 10.0])
    mean = 310 / 4
    pearson = float(((k - mean) ** 2 / mean).sum())
    assert auto.dispersion_test["pearson"] == pytest.approx(pearson)
    assert auto.dispersion_test["df"] == 3
    assert auto.dispersion == pytest.approx(pearson / 3)
    assert auto.dispersion_test["choice"] == "quasi-poisson"
    poisson = fit_stock_flow(released=pts, dispersion="poisson")
    assert poisson.dispersion == 1.0
    # quasi-Poisson: same estimate, se times sqrt(phi), t quantile with df = 3
    _low, high = auto.interval("released")
    se = math.sqrt(auto.dispersion * auto.rate("released") / (120 / 365.25))
    q = stats.t.ppf(0.975, 3)
    assert high == pytest.approx(auto.rate("released") * math.exp(q * se / auto.rate("released")))
    assert fit_stock_flow(released=pts, dispersion=2.0).dispersion == 2.0
    calm = [(_day(0), 0), (_day(30), 100), (_day(60), 195), (_day(90), 300)]
    assert fit_stock_flow(released=calm).dispersion_test["choice"] == "poisson"


# ----------------------------------------------------------------------------------------------
# Conservation
# ----------------------------------------------------------------------------------------------
def test_conservation_flags_a_definitional_break():
    held = [(d, h) for d, h in _all_weeks(5, 4)][::4]
    arrested = [(d, a) for d, a in _all_weeks(5, 1)][::4]
    released = [(d, r) for d, r in _all_weeks(5, 2)][::4]
    died = [(d, k) for d, k in _all_weeks(5, 3)][::4]
    ok = fit_stock_flow(held=held, arrested=arrested, released=released, died=died)
    assert ok.conservation()["holds"].all()
    # from week 120 the arrest count includes 400 people counted another way
    broken = [(d, a + (400 if d >= _day(7 * 120) else 0)) for d, a in arrested]
    table = fit_stock_flow(held=held, arrested=broken, released=released, died=died).conservation()
    late = table["date"] >= _day(7 * 120)
    assert (~table.loc[late, "holds"]).all() and table.loc[~late, "holds"].all()
    assert (table.loc[late, "gap"] == 400).all()
    assert table.loc[late, "flag"].str.contains("definitional break or an undercount").all()


# ----------------------------------------------------------------------------------------------
# Scenarios and bands
# ----------------------------------------------------------------------------------------------
def _myanmar_fit():
    mm = load_myanmar_aapp()

    def pick(name):
        return mm[mm["series"] == name]

    return fit_stock_flow(
        held=pick("detained_now"),
        arrested=pick("arrested_cumulative"),
        released=pick("released_cumulative"),
        start="2023-05-15",
        name="Myanmar (AAPP)",
    )


def test_myanmar_since_the_definition_changed():
    """AAPP since 15 May 2023 (after the Jan-May 2023 change of counting). Arrests from
    22,252 to 29,690 by 17 Sep 2025; releases from 4,304 to 6,309 by 22 Jul 2024, and after
    that seen only through the stock."""
    fit = _myanmar_fit()
    assert fit.start == dt.date(2023, 5, 15) and fit.assumed_zero == ("died",)
    # AAPP's detained = arrested - released on every date: conservation holds exactly where
    # all are reported
    table = fit.conservation()
    assert table["holds"].all()
    reported = table["how"].str.contains("released: reported")
    assert (table.loc[reported, "gap"].abs() < 1e-6).all()
    assert fit.rate("arrested") > fit.rate("released")
    scenario = fit.to_scenario()
    assert scenario.stock == 22414 and scenario.start == dt.date(2025, 9, 17)
    assert scenario.time_to_clear() == math.inf
    assert scenario.reason.startswith("arrests (")
    assert "outpace releases" in scenario.reason


def test_held_bands_follow_the_scenario_projection():
    fit = fit_stock_flow(*_simulate(1))
    years = np.array([0.0, 0.5, 1.0, 2.0, 4.0])
    bands = fit.held_bands(years, n=4000, seed=1)
    scenario = fit.to_scenario()
    projected = scenario.project(horizon=4.0, step=0.5).frame["held"]
    assert bands["estimate"].to_numpy() == pytest.approx(projected.loc[years].to_numpy())
    assert (bands[0.025] <= bands[0.5]).all() and (bands[0.5] <= bands[0.975]).all()
    width = (bands[0.975] - bands[0.025]).to_numpy()
    assert width[0] == 0 and (np.diff(width) > 0).all()
    scenarios = fit.sample_scenarios(5, seed=2)
    rates = fit.sample_rates(5, seed=2)
    assert [s.release_rate for s in scenarios] == pytest.approx(rates[:, 1].tolist())


def test_sampled_log_rates_have_the_fitted_covariance():
    fit = fit_stock_flow(*_simulate(2))
    draws = np.log(fit.sample_rates(40_000, seed=3))
    theta = np.array([fit.rate(f) for f in am.stockflow.FLOWS])
    assert draws.mean(axis=0) == pytest.approx(np.log(theta), abs=3e-3)
    jac = np.diag(1 / theta)
    expected = jac @ fit.covariance @ jac
    sample = np.cov(draws.T)
    assert np.sqrt(np.diag(sample)) == pytest.approx(np.sqrt(np.diag(expected)), rel=0.03)


def test_guantanamo_stock_falls_in_batches():
    gtmo = load_guantanamo()
    gtmo = gtmo[gtmo["date_start"] >= "2009-01-01"]
    fit = fit_stock_flow(held=gtmo, infer="released", change_points=["2017-01-20"])
    assert fit.assumed_zero == ("arrested", "died")
    assert fit.dispersion_test["choice"] == "quasi-poisson" and fit.dispersion > 10
    # 242 on 22 Jan 2009 to 41 on 19 Jan 2017: (242 - 41) / span, the exact fall
    span = (dt.date(2017, 1, 20) - dt.date(2009, 1, 22)).days / 365.25
    assert fit.rate("released", 0) == pytest.approx(201 / span, rel=0.02)
    assert fit.residuals["batch"].any()
    assert math.isfinite(fit.to_scenario().time_to_clear())


def test_decree7_flows():
    fit = fit_stock_flow(
        arrested=load_decree7_arrests(),
        released=load_decree7_releases(),
        change_points={"released": ["2022-05-11", "2022-05-24"]},
    )
    # the last segment: 556 - 523 released over 24 May .. 12 Aug 2022 (80 days)
    assert fit.rate("released") == pytest.approx(33 / (80 / 365.25), rel=1e-9)
    # arrests: 124 over 30 Apr .. 5 Jul (66 days)
    assert fit.rate("arrested") == pytest.approx(124 / (66 / 365.25), rel=1e-9)
    with pytest.raises(ValueError, match="stock must be given"):
        fit.to_scenario()
    assert fit.to_scenario(stock=132_000).reason.startswith("arrests")


# ----------------------------------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------------------------------
def test_errors_name_the_parameter():
    pts = [(_day(0), 0), (_day(30), 10), (_day(60), 25)]
    with pytest.raises(ValueError, match="at least one of held"):
        fit_stock_flow()
    with pytest.raises(ValueError, match="released: a cumulative count must not decrease"):
        fit_stock_flow(released=[(_day(0), 10), (_day(9), 5)])
    with pytest.raises(ValueError, match="death rate is per person held"):
        fit_stock_flow(died=pts)
    with pytest.raises(ValueError, match="infer='released': released is reported"):
        fit_stock_flow(held=pts, released=pts, infer="released")
    with pytest.raises(ValueError, match="strictly inside the window"):
        fit_stock_flow(released=pts, change_points=["2030-01-01"])
    with pytest.raises(ValueError, match="cannot separate the rates of arrested from"):
        fit_stock_flow(arrested=[(_day(0), 0), (_day(60), 5)], change_points=[_day(30)])
    with pytest.raises(ValueError, match="two counts dated"):
        fit_stock_flow(released=[(_day(0), 0), (_day(0), 1)])
    with pytest.raises(ValueError, match="dispersion"):
        fit_stock_flow(released=pts, dispersion="nb")
    with pytest.raises(ValueError, match="confidence"):
        fit_stock_flow(released=pts, confidence=0.2)
    with pytest.raises(TypeError, match="held must be"):
        fit_stock_flow(held=3)
    with pytest.raises(TypeError, match=r"released\[0\] must be a \(date, count\) pair"):
        fit_stock_flow(released=[1, 2])
    with pytest.raises(ValueError, match="must be a finite number >= 0 and at most"):
        fit_stock_flow(released=[(_day(0), 0), (_day(1), -3)])
    with pytest.raises(ValueError, match="change_points: 'died' is not an estimated flow"):
        fit_stock_flow(released=pts, change_points={"died": [_day(30)]})
    with pytest.raises(ValueError, match="no increment to fit"):
        fit_stock_flow(released=pts[:1])
    fit = fit_stock_flow(released=pts)
    with pytest.raises(ValueError, match="flow"):
        fit.rate("freed")
    with pytest.raises(ValueError, match="segment must be in"):
        fit.rate("released", 3)
    with pytest.raises(ValueError, match="times must be"):
        fit.held_bands([-1.0], stock=10)
    with pytest.raises(ValueError, match="n must be at most"):
        fit.sample_rates(10**8)


def test_country_table_with_several_series_is_refused():
    with pytest.raises(ValueError, match="held: the table holds several series"):
        fit_stock_flow(held=load_myanmar_aapp())


@given(st.lists(odd_values(), min_size=1, max_size=3))
@settings(max_examples=40)
def test_odd_counts_are_refused_by_name(values):
    pairs = [(_day(30 * i), v) for i, v in enumerate(values)]
    for key in ("held", "released"):
        result = attempt(
            "fit_stock_flow",
            fit_stock_flow,
            **{key: pairs},
            infer="released" if key == "held" else None,
            names=(key, "count", "date", "increment", "no rate", "infer"),
        )
        if result is not REFUSED:
            assert not result.params[["estimate", "low", "high"]].isna().any().any()


def test_series_input_equals_pairs():
    pts = [(_day(0), 0), (_day(30), 10), (_day(60), 25)]
    series = pd.Series([v for _, v in pts], index=[d for d, _ in pts])
    assert fit_stock_flow(released=series).rate("released") == pytest.approx(
        fit_stock_flow(released=pts).rate("released")
    )
