"""The shipped Decree No. 7 series matches its checked sources (docs/sources.md) point by point."""

from __future__ import annotations

import datetime as dt

from amnesty_model import datasets


def test_release_series_matches_figures():
    s = datasets.load_decree7_releases()
    # docs/sources.md, "Releases under Decree No. 7, cumulative, as reported by SNHR".
    assert s.counts == (476, 523, 539, 547, 556)
    assert s.start == dt.date(2022, 4, 30) == datasets.DECREE7_DATE
    assert s.dates[0] == dt.date(2022, 5, 11)
    assert s.dates[1] == dt.date(2022, 5, 24)
    assert s.dates[2] == dt.date(2022, 7, 5)
    assert s.dates[4] == dt.date(2022, 8, 12)
    # 547: "mid-June or mid-July 2022 (sources disagree)".
    assert s.uncertain.tolist() == [False, False, False, True, False]
    assert (s.date_low[3], s.date_high[3]) == (dt.date(2022, 6, 15), dt.date(2022, 7, 15))
    assert s.feasible_interval(3) == (dt.date(2022, 7, 6), dt.date(2022, 7, 15))
    assert s.what == "released"
    assert s.sources == (
        "snhr_released_2022_05_11",
        "snhr_released_2022_05_24",
        "snhr_released_2022_07_05",
        "snhr_released_2022_mid_june_july",
        "snhr_released_2022_08_12",
    )
    assert "539 of 5 July" in s.notes[3]


def test_arrest_series_matches_figures():
    a = datasets.load_decree7_arrests()
    # snhr.org: "539, and 124 new arbitrary arrests since the decree" (snhr.org, 5 July 2022).
    assert a.counts == (124,)
    assert a.dates == (dt.date(2022, 7, 5),)
    assert a.what == "arrested"
    assert a.sources == ("snhr_arrests_since_decree_2022_07_05",)


def test_table_carries_provenance_of_every_point():
    t = datasets.decree7_table()
    assert t["released_cumulative"].tolist() == [476, 523, 539, 547, 556]
    assert t["new_arrests_cumulative"].isna().tolist() == [True, True, False, True, True]
    assert (t["source"] != "").all()
    outlets = t["outlet"].tolist()
    assert "syrianobserver.com" in outlets[0] and "syriacpress.com" in outlets[0]
    assert outlets[1] == "The New Arab"
    assert "snhr.org" in outlets[2]
    assert "english.aawsat.com" in outlets[3] and "freshsyria.net" in outlets[3]
    assert outlets[4] == "news.snhr.org"
    assert t["published"].tolist() == ["2022-05-18", "2022-05-24", "2022-07-05", "", "2022-08-13"]
    assert t.loc[0, "title"] == "Human rights watchdog monitors release of 476 people"
    assert t.loc[1, "title"] == "Syrian regime blackmails families of released detainees"
    assert t.loc[2, "title"].startswith("At least 1,024 arbitrary arrests")
    assert "55 women" in t.loc[0, "note"] and "13 arrested as children" in t.loc[0, "note"]
