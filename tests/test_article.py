"""The article table, row by row, against arithmetic written out here.

Every expected value below is computed in this file from the figures as printed in the report
(/work/shared/seed/article.txt) and in FIGURES.md — never by calling the code under test.
Poisson intervals use ``scipy.special.gammaincinv`` (the Gamma quantile), an independent route
to Garwood's chi-square limits: chi2.ppf(p, 2k) / 2 = gammaincinv(k, p).
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import pytest
from scipy.special import gammaincinv

from amnesty_model.article import (
    ARTICLE_COLUMNS,
    ARTICLE_STATUSES,
    article_rows,
    cite_article,
    reproduce_article,
)
from amnesty_model.sources import default_registry

YEAR = 365.25  # days in a model year (MODEL.md §1)


def garwood(k: int, days: float) -> tuple[float, float]:
    """Exact 95 % Poisson interval for a count k over ``days``, per year."""
    low = 0.0 if k == 0 else float(gammaincinv(k, 0.025))
    high = float(gammaincinv(k + 1, 0.975))
    return low * YEAR / days, high * YEAR / days


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return reproduce_article().set_index("id")


def row(table: pd.DataFrame, row_id: str) -> pd.Series:
    return table.loc[row_id]


def check(
    table: pd.DataFrame,
    row_id: str,
    computed: float,
    *,
    low: float | None = None,
    high: float | None = None,
    reported: float | None = None,
    status: str,
    rel: float = 1e-9,
) -> None:
    r = table.loc[row_id]
    if math.isinf(computed):
        assert math.isinf(r["computed"])
    else:
        assert r["computed"] == pytest.approx(computed, rel=rel)
    for name, want in (("low", low), ("high", high), ("reported", reported)):
        if want is None:
            assert math.isnan(r[name]), (row_id, name)
        else:
            assert r[name] == pytest.approx(want, rel=rel), (row_id, name)
    assert r["status"] == status


# -- the headline -------------------------------------------------------------------------------


def test_headline_is_exactly_132_years(table: pd.DataFrame) -> None:
    # "we need 132 years": 132,000 / 1,000, exactly.
    r = table.loc["headline"]
    assert r["computed"] == 132.0
    assert r["reported"] == 132.0
    assert r["status"] == "reproduced"
    assert r["relative_difference"] == 0.0
    assert set(r["sources"]) == {
        "mem_2022_stock_terrorism",
        "mem_2022_decree_release_per_year",
        "mem_2022_years_to_clear",
    }
    assert r["inputs"]["stock"] == {
        "value": 132_000.0,
        "unit": "people",
        "source": "mem_2022_stock_terrorism",
    }


@pytest.mark.parametrize("a", [100, 250, 500, 750, 900])
def test_arrests_continuing(table: pd.DataFrame, a: int) -> None:
    check(table, f"arrests_{a}", 132_000 / (1_000 - a), status="variant")


@pytest.mark.parametrize(("a", "why"), [(1_000, "equal releases"), (1_200, "outpace releases")])
def test_arrests_at_or_past_releases_never_clear(table: pd.DataFrame, a: int, why: str) -> None:
    r = table.loc[f"arrests_{a}"]
    assert math.isinf(r["computed"])
    assert math.isinf(r["relative_difference"]) or math.isnan(r["relative_difference"])
    assert why in r["description"]
    assert "computed never" in r["citation"]


def test_arrest_rate_that_doubles_the_time(table: pd.DataFrame) -> None:
    # S0 / (r − a) = 2 S0 / r  ⇔  a = r / 2 = 500.
    check(table, "arrests_doubling", 500.0, status="variant", rel=1e-9)


def test_decree_conventions(table: pd.DataFrame) -> None:
    # First decree at t = 1: decrees at 1, 2, …, 132 — the 132nd empties the prisons.
    check(table, "decrees_yearly", 132.0, reported=132.0, status="reproduced")
    # First decree at t = 0: decrees at 0, 1, …, 131 — the last at t = 131.
    check(table, "decrees_first_at_start", 131.0, reported=132.0, status="differs")
    assert table.loc["decrees_first_at_start", "relative_difference"] == pytest.approx(-1 / 132)


# -- the pace actually seen ---------------------------------------------------------------------


def test_rate_seen_matches_model_md(table: pd.DataFrame) -> None:
    days = (dt.date(2022, 5, 26) - dt.date(2022, 4, 30)).days
    assert days == 26
    low, high = garwood(523, days)
    check(table, "rate_seen", 523 * YEAR / days, low=low, high=high, status="not a model output")
    # MODEL.md §5: 7,347 a year (95 %: 6,731–8,005) → 18.0 years (16.5–19.6).
    r = table.loc["rate_seen"]
    assert (round(r["computed"]), round(r["low"]), round(r["high"])) == (7347, 6731, 8005)
    check(
        table,
        "rate_seen_clear",
        132_000 / (523 * YEAR / days),
        low=132_000 / high,
        high=132_000 / low,
        status="variant",
        rel=1e-7,
    )
    c = table.loc["rate_seen_clear"]
    assert (round(c["computed"], 1), round(c["low"], 1), round(c["high"], 1)) == (18.0, 16.5, 19.6)


def test_rate_seen_to_the_new_arabs_date(table: pd.DataFrame) -> None:
    days = (dt.date(2022, 5, 24) - dt.date(2022, 4, 30)).days  # 24
    low, high = garwood(523, days)
    check(table, "rate_seen_24_days", 523 * YEAR / days, low=low, high=high,
          status="not a model output")  # fmt: skip
    check(
        table,
        "rate_seen_24_days_clear",
        132_000 * days / (523 * YEAR),
        low=132_000 / high,
        high=132_000 / low,
        status="variant",
        rel=1e-7,
    )


def test_later_pace(table: pd.DataFrame) -> None:
    # 556 by 12 August minus 523 by 24 May: 33 released in 80 days.
    days = (dt.date(2022, 8, 12) - dt.date(2022, 5, 24)).days
    rate = 33 * YEAR / days
    low, high = garwood(33, days)
    check(table, "rate_later_clear", 132_000 / rate, low=132_000 / high, high=132_000 / low,
          status="variant", rel=1e-7)  # fmt: skip


def test_arrests_seen(table: pd.DataFrame) -> None:
    # 124 new arbitrary arrests from the decree (30 April) to 5 July 2022.
    days = (dt.date(2022, 7, 5) - dt.date(2022, 4, 30)).days
    a = 124 * YEAR / days
    low, high = garwood(124, days)
    check(table, "arrests_seen", 132_000 / (1_000 - a), low=132_000 / (1_000 - low),
          high=132_000 / (1_000 - high), status="variant", rel=1e-7)  # fmt: skip


# -- the forcibly disappeared -------------------------------------------------------------------


def test_disappeared_one_decree_a_year(table: pd.DataFrame) -> None:
    # ceil(87,000 / 7) = 12,429 decrees; 87,000 / 6 = 14,500; at 6.5: ceil(13,384.6) = 13,385.
    check(table, "disappeared_decrees", 13_385, low=12_429, high=14_500, status="variant")


def test_disappeared_at_the_pace_seen(table: pd.DataFrame) -> None:
    span = 26 / YEAR
    check(table, "disappeared_pace_seen", 87_000 * span / 6.5, low=87_000 * span / 7,
          high=87_000 * span / 6, status="variant")  # fmt: skip
    _, high7 = garwood(7, 26)
    low6, _ = garwood(6, 26)
    check(table, "disappeared_pace_seen_poisson", 87_000 * span / 6.5, low=87_000 / high7,
          high=87_000 / low6, status="variant", rel=1e-7)  # fmt: skip


# -- the currency -------------------------------------------------------------------------------


def test_currency(table: pd.DataFrame) -> None:
    implied = 30_000_000 / 57_291
    assert implied == pytest.approx(523.6, abs=0.05)
    check(table, "currency_rate_official", 2_814, reported=implied, status="differs")
    check(table, "currency_rate_parallel", 3_900, low=3_900, high=4_440, reported=implied,
          status="differs")  # fmt: skip
    check(table, "currency_usd_official", 30e6 / 2_814, reported=57_291, status="differs")
    check(table, "currency_usd_parallel", 30e6 / 3_900, low=30e6 / 4_440, high=30e6 / 3_900,
          reported=57_291, status="differs")  # fmt: skip
    # FIGURES.md: ≈ $10,660 official; ≈ $6,760–7,690 parallel.
    assert round(table.loc["currency_usd_official", "computed"], -1) == 10_660
    assert round(table.loc["currency_usd_parallel", "low"], -1) == 6_760
    assert round(table.loc["currency_usd_parallel", "high"], -1) == 7_690


# -- the same arithmetic at other times ---------------------------------------------------------


def test_march_2020(table: pd.DataFrame) -> None:
    check(table, "snhr_2020_03_years", 130_000 / 460, reported=325, status="differs")
    check(table, "snhr_2020_03_rate_for_325", 130_000 / 325, status="variant", rel=1e-9)


def test_november_2022(table: pd.DataFrame) -> None:
    size = 7_531 / 21
    check(table, "snhr_2022_11_per_decree", size, status="not a model output")
    assert math.ceil(135_253 / size) == 378
    check(table, "snhr_2022_11_decrees", 378, reported=408, status="differs")
    check(table, "snhr_2022_11_size_for_408", 135_253 / 408, low=135_253 / 408,
          high=135_253 / 407, status="variant")  # fmt: skip
    # 21 decrees from March 2011 to October 2022: one every span / 21 years; 378 of them.
    spans = {
        "low": (dt.date(2022, 10, 1) - dt.date(2011, 3, 31)).days,
        "mid": (dt.date(2022, 10, 16) - dt.date(2011, 3, 16)).days,
        "high": (dt.date(2022, 10, 31) - dt.date(2011, 3, 1)).days,
    }
    years = {k: 378 * d / YEAR / 21 for k, d in spans.items()}
    check(table, "snhr_2022_11_years", years["mid"], low=years["low"], high=years["high"],
          reported=233, status="differs")  # fmt: skip
    check(table, "snhr_2022_11_every_for_233", 233 / 408, status="variant")
    assert round(233 / 408, 3) == 0.571


# -- the table as a whole -----------------------------------------------------------------------


def test_columns_and_statuses() -> None:
    frame = reproduce_article()
    assert tuple(frame.columns) == ARTICLE_COLUMNS
    assert frame["id"].is_unique
    assert set(frame["status"]) == set(ARTICLE_STATUSES)
    assert len(frame) == 31


def test_status_follows_reported_and_computed(table: pd.DataFrame) -> None:
    for row_id, r in table.iterrows():
        if math.isnan(r["reported"]):
            assert r["status"] in {"variant", "not a model output"}, row_id
            assert math.isnan(r["relative_difference"])
        else:
            close = abs(r["computed"] - r["reported"]) <= 0.5
            assert r["status"] == ("reproduced" if close else "differs"), row_id
            want = (r["computed"] - r["reported"]) / r["reported"]
            assert r["relative_difference"] == pytest.approx(want)


def test_every_source_is_registered_and_unflagged_inputs(table: pd.DataFrame) -> None:
    registry = default_registry()
    for row_id, r in table.iterrows():
        assert r["sources"], row_id
        for source_id in r["sources"]:
            assert source_id in registry, (row_id, source_id)
        for value in r["inputs"].values():
            assert set(value) == {"value", "unit", "source"}
            if value["source"] is not None:
                assert value["source"] in r["sources"]


def test_provenance_hashes_and_citations(table: pd.DataFrame) -> None:
    hashes = table["provenance"]
    assert hashes.is_unique
    for row_id, r in table.iterrows():
        assert re.fullmatch(r"[0-9a-f]{12}", r["provenance"])
        assert r["provenance"] in r["citation"]
        assert f"[{r['status']}]" in r["citation"]
        assert cite_article(str(row_id)) == r["citation"]
    # Same inputs, same hash: a second call gives the same table.
    again = reproduce_article().set_index("id")
    assert (again["provenance"] == hashes).all()


def test_citation_reads_well() -> None:
    text = cite_article("rate_seen_clear")
    assert "computed 18.0 years (range 16.5–19.6 years) [variant]" in text
    assert "mem_2022_released" in text and "decree_7_2022" in text
    assert "against 325 years stated [differs]" in cite_article("snhr_2020_03_years")
    assert "computed 282.6 years" in cite_article("snhr_2020_03_years")
    assert "331.5–332.3" in cite_article("snhr_2022_11_size_for_408")
    assert "0.571 years between decrees" in cite_article("snhr_2022_11_every_for_233")


def test_unknown_row_id() -> None:
    with pytest.raises(ValueError, match=r"row_id must be the id of a row .*headline.*'nope'"):
        cite_article("nope")


def test_rows_are_copies() -> None:
    rows = article_rows()
    rows[0]["inputs"]["stock"]["value"] = -1
    assert article_rows()[0]["inputs"]["stock"]["value"] == 132_000.0


def test_docs_page_runs() -> None:
    import doctest
    from pathlib import Path

    page = Path(__file__).resolve().parents[1] / "docs" / "reproduce.md"
    if not page.exists():  # an installed package without the docs
        pytest.skip("docs/reproduce.md not present")
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testfile(str(page), module_relative=False, optionflags=flags)
    assert result.failed == 0 and result.attempted >= 4
