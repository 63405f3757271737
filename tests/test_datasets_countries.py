"""The country tables: every row sourced, quoted and typed; definitions cover every series.

Reference facts here come from the sources themselves (the quoted sentences, checked by
hand against stored copies of the pages), or from arithmetic on the published figures; none
is taken from the loaders' output.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from amnesty_model import datasets

LOADERS = {
    "syria_snhr": datasets.load_syria_snhr,
    "myanmar_aapp": datasets.load_myanmar_aapp,
    "guantanamo": datasets.load_guantanamo,
}
RAW_FILES = {
    "syria_snhr": "syria_snhr.csv",
    "myanmar_aapp": "myanmar_aapp.csv",
    "guantanamo": "guantanamo.csv",
}


def raw(key: str) -> pd.DataFrame:
    """The CSV as stored, read independently of the loaders."""
    from importlib.resources import files

    path = files("amnesty_model.data").joinpath(RAW_FILES[key])
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("key", sorted(LOADERS))
def test_every_row_is_sourced_and_quoted(key: str) -> None:
    table = raw(key)
    assert len(table) > 0
    for i, row in table.iterrows():
        assert re.match(r"https?://\S+$", row["url"]), (key, i, row["url"])
        assert row["source_name"].strip(), (key, i)
        assert row["source_kind"] in {"primary", "primary_mirror", "secondary", "aggregator"}
        written = row["value_as_written"]
        # The number as the source writes it is in the quote, and reads as the value once
        # the thousands separators are removed.
        assert written and written in row["quote"], (key, i, written)
        assert re.fullmatch(r"\d{1,3}(,\d{3})*|\d+", written), (key, i, written)
        assert int(written.replace(",", "")) == int(row["value"]), (key, i)
        assert row["date_precision"] in {"day", "month", "year", "range"}, (key, i)
        assert row["qualifier"] in datasets.QUALIFIERS, (key, i)


@pytest.mark.parametrize("key", sorted(LOADERS))
def test_loaded_tables_are_typed(key: str) -> None:
    table = LOADERS[key]()
    assert table["value"].dtype == "int64"
    assert pd.api.types.is_datetime64_any_dtype(table["date_start"])
    assert pd.api.types.is_datetime64_any_dtype(table["date_stop"])
    assert (table["date_start"] <= table["date_stop"]).all()
    assert table["date_start"].notna().all()
    assert (table["value"] >= 0).all()
    assert len(table) == len(raw(key))


def test_date_precisions_map_to_the_days_covered() -> None:
    syria = datasets.load_syria_snhr()
    by_series = syria.set_index("series")
    # "nearly 665 cases ... since the previous amnesty decree was issued in September 2019":
    # Decree No. 20 of 15 September 2019 to the report of 24 March 2020.
    arrests = by_series.loc["decree20_2019_arrests"]
    assert arrests["date_start"] == pd.Timestamp(2019, 9, 15)
    assert arrests["date_stop"] == pd.Timestamp(2020, 3, 24)
    # "from March 2011 to August 2024" -> the month of August 2024.
    stock = syria[(syria["series"] == "held_or_disappeared") & (syria["value"] == 136_614)]
    assert stock["date_start"].iloc[0] == pd.Timestamp(2024, 8, 1)
    assert stock["date_stop"].iloc[0] == pd.Timestamp(2024, 8, 31)


def test_decree7_547_is_dated_15_july_2022() -> None:
    # Several reports of the same SNHR report: "May 1, 2022 up to July 15, 2022".
    syria = datasets.load_syria_snhr()
    row = syria[syria["value"] == 547].iloc[0]
    assert row["series"] == "decree7_released_cumulative"
    assert row["date_start"].date() == dt.date(2022, 7, 15) == row["date_stop"].date()
    assert "July 15, 2022" in row["note"]


def test_released_under_all_decrees_is_snhrs_7531() -> None:
    # SNHR's own page says 7,531; the 7,351 of other outlets is a transposition.
    syria = datasets.load_syria_snhr()
    total = syria[syria["series"] == "all_decrees_released_total"]
    assert total["value"].tolist() == [7531]
    assert total["url"].iloc[0].startswith("https://snhr.org/")
    assert 7351 not in set(syria["value"])


def test_decree7_releases_never_fall() -> None:
    syria = datasets.load_syria_snhr()
    d7 = syria[syria["series"] == "decree7_released_cumulative"].sort_values("date_start")
    assert d7["value"].is_monotonic_increasing


def test_aapp_arrested_minus_detained_is_released() -> None:
    # AAPP's three counts are linked: everyone arrested is either still held or released.
    mm = datasets.load_myanmar_aapp()
    wide = mm.pivot_table(index="date_start", columns="series", values="value", aggfunc="first")
    full = wide.dropna(subset=["arrested_cumulative", "detained_now", "released_cumulative"])
    assert len(full) >= 6
    gap = full["arrested_cumulative"] - full["detained_now"] - full["released_cumulative"]
    assert (gap == 0).all()


def test_aapp_counting_break_between_january_and_may_2023() -> None:
    mm = datasets.load_myanmar_aapp()
    at = mm.set_index(["date_start", "series"])["value"]
    jan = (
        at[(pd.Timestamp(2023, 1, 5), "detained_now")]
        + at[(pd.Timestamp(2023, 1, 5), "released_cumulative")]
    )
    may = at[(pd.Timestamp(2023, 5, 15), "arrested_cumulative")]
    later = at[(pd.Timestamp(2024, 7, 22), "arrested_cumulative")]
    per_month_after = (later - may) / 14.2  # 15 May 2023 -> 22 July 2024, months
    per_month_across = (may - jan) / 4.3  # 5 January -> 15 May 2023, months
    assert per_month_after < 400
    assert per_month_across > 3 * per_month_after


def test_guantanamo_falls_after_arrivals_ended() -> None:
    gtmo = datasets.load_guantanamo()
    later = gtmo[gtmo["date_start"] >= pd.Timestamp(2008, 1, 1)].sort_values("date_start")
    assert later["value"].is_monotonic_decreasing
    assert later["value"].iloc[-1] == 15


def test_every_series_has_a_definition() -> None:
    defs = datasets.series_definitions()
    assert defs["definition"].str.len().min() > 20
    assert not defs.duplicated(["dataset", "series"]).any()
    for key, loader in LOADERS.items():
        have = set(defs.loc[defs["dataset"] == key, "series"])
        assert set(loader()["series"]) == have, key


def good_row(**change: str) -> dict[str, str]:
    row = {
        "country": "X",
        "series": "held",
        "date": "2021-03-02",
        "date_end": "",
        "date_precision": "day",
        "value": "1200",
        "value_as_written": "1,200",
        "qualifier": "exact",
        "quote": "About 1,200 remain.",
        "url": "https://example.org/page",
        "source_name": "S",
        "source_kind": "primary",
        "note": "",
    }
    row.update(change)
    return row


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date_precision": "week"}, "date_precision='week'"),
        ({"date": "2021-3"}, "date='2021-3'"),
        ({"date": "2021-02", "date_precision": "month", "value": "1"}, "value_as_written"),
        ({"date": "2021-13", "date_precision": "month"}, "no month 13"),
        ({"date": "2021", "date_precision": "range", "date_end": "2021-12-31"}, "date='2021'"),
        ({"date_precision": "range", "date_end": "2021-01-01"}, "before"),
        ({"date_end": "2021-04-01"}, "only allowed with 'range'"),
        ({"qualifier": "about"}, "qualifier='about'"),
        ({"value": "-5"}, "value='-5'"),
        ({"value_as_written": "1200"}, "does not contain"),
        ({"value_as_written": "1,300"}, "does not read as"),
        ({"url": "example.org"}, "url='example.org'"),
    ],
)
def test_parse_observations_refuses_bad_rows(change: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        datasets.parse_observations(pd.DataFrame([good_row(**change)]))


def test_parse_observations_refuses_missing_columns() -> None:
    frame = pd.DataFrame([good_row()]).drop(columns=["quote"])
    with pytest.raises(ValueError, match="missing columns"):
        datasets.parse_observations(frame)


def test_parse_observations_year_and_leap_month() -> None:
    out = datasets.parse_observations(
        pd.DataFrame(
            [
                good_row(date="2024", date_precision="year"),
                good_row(date="2024-02", date_precision="month"),
                good_row(date="2023-02", date_precision="month"),
            ]
        )
    )
    assert [d.date() for d in out["date_start"]] == [
        dt.date(2024, 1, 1),
        dt.date(2024, 2, 1),
        dt.date(2023, 2, 1),
    ]
    assert [d.date() for d in out["date_stop"]] == [
        dt.date(2024, 12, 31),
        dt.date(2024, 2, 29),
        dt.date(2023, 2, 28),
    ]
