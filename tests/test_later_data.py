"""Tests for later_data_rows: values from the sources and closed forms."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from amnesty_model.later_data import later_data_rows


@pytest.fixture(scope="module")
def rows():
    return later_data_rows()


def test_report_rows_reproduce_model_md(rows):
    # MODEL.md §5: 523 in 26 days → 7,347 a year (6,731–8,005) → 18.0 years (16.5–19.6).
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
