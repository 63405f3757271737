"""Tests for later_data_rows: values from the sources and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from amnesty_model.later_data import later_data_rows


@pytest.fixture(scope="module")
def rows():
    return later_data_rows()


def test_report_rows_reproduce_model_md(rows):
    # docs/methods.md §4: 523 in 26 days → 7,347 a year (6,731–8,005) → 18.0 years (16.5–19.6).
    r = rows.loc["report: 523 in 26 days"]
    assert round(r["rate_per_year"]) == 7347
    assert (round(r["rate_low"]), round(r["rate_high"])) == (6731, 8005)
    assert round(r["years_to_clear"], 1) == 18.0
    assert (round(r["years_low"], 1), round(r["years_high"], 1)) == (16.5, 19.6)
    # Over 24 days (to the count's as-of date): 523 / 24 · 365.25.
    r24 = rows.loc["report: 523 in 24 days"]
    assert r24["rate_per_year"] == pytest.approx(523 / 24 * 365.25)
    assert r24["years_to_clear"] == pytest.approx(132_000 / (523 / 24 * 365.25))
    assert (
        rows.loc[["report: 523 in 26 days", "report: 523 in 24 days"], "data"]
        == ("report (26 May 2022)")
    ).all()


def test_later_rows(rows):
    after = rows.loc["whole series: average after 24 May"]
    # 556 − 523 = 33 released from 24 May to 12 August (80 days).
    assert after["count"] == 33 and after["days"] == 80
    assert after["rate_per_year"] == pytest.approx(33 / 80 * 365.25)
    base = rows.loc["whole series: baseline after the burst"]
    assert base["rate_low"] < base["rate_per_year"] < base["rate_high"]
    assert base["years_to_clear"] == pytest.approx(132_000 / base["rate_per_year"])
    assert base["years_to_clear"] > 40 * rows.loc["report: 523 in 26 days", "years_to_clear"]
    arrests = rows.loc["arrests: 124 since the decree"]
    assert arrests["rate_per_year"] == pytest.approx(124 / 66 * 365.25)
    assert math.isnan(arrests["years_to_clear"])
    rel = rows.loc["releases after the burst, to 5 July"]
    assert rel["count"] == 16 and rel["days"] == 42
    ratio = rows.loc["arrests per release after the burst"]
    assert ratio["rate_per_year"] == pytest.approx((124 / 66) / (16 / 42))
    # Exact interval: the binomial split of 140 events, Clopper–Pearson limits on p, mapped to
    # the rate ratio (p / (1 − p)) · (42 / 66).
    p_low = stats.beta.ppf(0.025, 124, 17)
    assert ratio["rate_low"] == pytest.approx(p_low / (1 - p_low) * 42 / 66)
    assert ratio["rate_low"] > 1  # arrests outpace releases after the burst
    assert "never clears" in ratio["note"]
    assert (rows["data"] == "later data (after 26 May 2022)").sum() == 5


@pytest.mark.parametrize(("k", "k_ref"), [(124, 16), (7, 0), (0, 5), (124, 539)])
def test_rate_ratio_is_the_clopper_pearson_split(k, k_ref):
    from amnesty_model.later_data import _rate_ratio

    # Independent route: scipy.stats.beta quantiles (the code uses scipy.special.betaincinv).
    e, e_ref = 66 / 365.25, 42 / 365.25
    ratio, low, high = _rate_ratio(k, e, k_ref, e_ref, 0.95)
    p_low = stats.beta.ppf(0.025, k, k_ref + 1) if k > 0 else 0.0
    p_high = stats.beta.ppf(0.975, k + 1, k_ref) if k_ref > 0 else 1.0

    def to_ratio(p):
        return math.inf if p >= 1 else p / (1 - p) * e_ref / e

    for got, want in ((ratio, to_ratio(k / (k + k_ref))), (low, to_ratio(p_low)),
                      (high, to_ratio(p_high))):  # fmt: skip
        if math.isinf(want):
            assert math.isinf(got)
        else:
            assert got == pytest.approx(want, rel=1e-10, abs=1e-300)
    if k_ref == 0:
        assert math.isinf(ratio) and math.isinf(high)
    if k == 0:
        assert ratio == 0.0 and low == 0.0


def test_later_data_rows_accepts_0d_arrays_and_numpy_scalars():
    # The 0-d-array class of defect ("iteration over a 0-d array" elsewhere): a 0-d array or
    # numpy scalar is the number it holds.
    expected = later_data_rows(stock=132_000, confidence=0.9)
    for stock, confidence in (
        (np.array(132_000, dtype=np.int32), np.array(0.9)),
        (np.int64(132_000), np.float32(0.9).item()),
    ):
        pd.testing.assert_frame_equal(
            later_data_rows(stock=stock, confidence=confidence), expected
        )


@pytest.mark.parametrize("value", [np.array([132_000.0]), np.array(True), np.array(math.nan)])
def test_later_data_rows_refuses_other_arrays_by_name(value):
    with pytest.raises((TypeError, ValueError), match="stock must be"):
        later_data_rows(stock=value)
