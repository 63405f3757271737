"""Tests for CountSeries: validation messages, uncertain dates, construction from tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from amnesty_model.series import CountSeries

START = "2022-04-30"


def test_basic_views():
    s = CountSeries(START, ["2022-05-11", "2022-05-24"], [476, 523], sources=["a", "b; c"])
    assert s.counts == (476, 523)
    assert s.increments.tolist() == [476, 47]
    assert s.days.tolist() == [11.0, 24.0]
    np.testing.assert_allclose(s.times, [11 / 365.25, 24 / 365.25])
    assert s.total == 523
    assert len(s) == 2
    assert s.source_ids() == ["a", "b", "c"]
    assert "2 points of released" in repr(s)
    frame = s.to_frame()
    assert frame["cumulative"].tolist() == [476, 523]
    assert frame["increment"].tolist() == [476, 47]
    assert s.records()[1] == {
        "date": "2022-05-24",
        "date_low": "2022-05-24",
        "date_high": "2022-05-24",
        "count": 523,
        "source": "b; c",
    }


def test_per_period_counts_are_summed():
    s = CountSeries(START, ["2022-05-11", "2022-05-24"], [476, 47], kind="per_period")
    assert s.counts == (476, 523)


def test_float_whole_counts_accepted():
    assert CountSeries(START, ["2022-05-11"], [476.0]).counts == (476,)


@pytest.mark.parametrize(
    ("dates", "counts", "match"),
    [
        (["2022-05-11", "2022-05-24"], [476, 470], r"must not decrease: point 1 \(2022-05-24\)"),
        (["2022-05-24", "2022-05-11"], [1, 2], r"point 1 \(2022-05-11\) comes before point 0"),
        (["2022-05-11", "2022-05-11"], [1, 2], r"point 1 \(2022-05-11\) repeats point 0"),
        (["2022-05-11", "2022-05-24"], [1, -2], r"must be >= 0; point 1 \(2022-05-24\)"),
        (["2022-05-11"], [1.5], r"whole numbers >= 0; point 0 \(2022-05-11\) has 1.5"),
        (["2022-05-11"], [float("nan")], r"point 0 \(2022-05-11\) has nan"),
        ([], [], "at least one point"),
        (["2022-04-30"], [3], r"point 0 \(2022-04-30\) must be after start"),
        (["2022-05-11"], [1, 2], "same length"),
        (["2022-05-11", "2022-05-24"], [1, 2], None),
    ],
)
def test_bad_series_rejected(dates, counts, match):
    if match is None:
        CountSeries(START, dates, counts)
        return
    with pytest.raises(ValueError, match=match):
        CountSeries(START, dates, counts)


def test_per_period_negative_names_point():
    with pytest.raises(ValueError, match=r"point 1 \(2022-05-24\) has -3"):
        CountSeries(START, ["2022-05-11", "2022-05-24"], [5, -3], kind="per_period")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"counts": [True]}, TypeError, "whole numbers"),
        ({"counts": "12"}, TypeError, "not strings"),
        ({"what": ""}, TypeError, "what must be"),
        ({"kind": "weekly"}, ValueError, "kind must be one of"),
        ({"sources": ["a", "b"]}, ValueError, "sources must have one entry per point"),
        ({"date_low": ["2022-05-01"]}, ValueError, "give both date_low and date_high"),
        (
            {"date_low": ["2022-05-12"], "date_high": ["2022-05-10"]},
            ValueError,
            "date_high .* is before date_low",
        ),
        ({"dates": [None]}, ValueError, "point 0 has no date"),
        (
            {"date_low": ["2022-05-01"], "date_high": ["2022-05-05"]},
            ValueError,
            "outside its interval",
        ),
    ],
)
def test_bad_arguments(kwargs, error, match):
    args = {"dates": ["2022-05-11"], "counts": [3]}
    args.update(kwargs)
    dates, counts = args.pop("dates"), args.pop("counts")
    with pytest.raises(error, match=match):
        CountSeries(START, dates, counts, **args)


def _uncertain_series(low="2022-06-15", high="2022-07-15", count=547):
    return CountSeries(
        START,
        ["2022-05-11", "2022-07-05", None, "2022-08-12"],
        [476, 539, count, 556],
        date_low=[None, None, low, None],
        date_high=[None, None, high, None],
        notes=["", "", "dates disagree", ""],
    )


def test_uncertain_point_midpoint_and_feasible_interval():
    s = _uncertain_series()
    assert s.dates[2] == dt.date(2022, 6, 30)  # midpoint of the reported interval
    assert s.uncertain.tolist() == [False, False, True, False]
    assert s.total == 556
    # 547 > 539 (5 July) and < 556 (12 August): only 6..15 July is consistent.
    assert s.feasible_interval(2) == (dt.date(2022, 7, 6), dt.date(2022, 7, 15))
    assert s.feasible_interval(1) == (dt.date(2022, 7, 5), dt.date(2022, 7, 5))
    assert "1 with an uncertain date" in repr(s)
    with pytest.raises(IndexError, match=r"index must be in 0\.\.3"):
        s.feasible_interval(4)


def test_uncertain_point_with_no_consistent_date_rejected():
    with pytest.raises(ValueError, match=r"point 2 \(2022-06-01..2022-06-20, count 547\)"):
        _uncertain_series(low="2022-06-01", high="2022-06-20")


def test_uncertain_point_equal_count_avoids_the_same_day():
    s = _uncertain_series(low="2022-07-05", high="2022-07-07", count=539)
    assert s.feasible_interval(2) == (dt.date(2022, 7, 6), dt.date(2022, 7, 7))
    s = _uncertain_series(low="2022-07-03", high="2022-07-05", count=539)
    assert s.feasible_interval(2) == (dt.date(2022, 7, 3), dt.date(2022, 7, 4))


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("exclude", None),
        ("low", dt.date(2022, 7, 6)),
        ("midpoint", dt.date(2022, 7, 10)),
        ("high", dt.date(2022, 7, 15)),
    ],
)
def test_resolve_policies(policy, expected):
    r = _uncertain_series().resolve(policy)
    assert not r.uncertain.any()
    if expected is None:
        assert r.counts == (476, 539, 556)
    else:
        assert r.counts == (476, 539, 547, 556)
        assert r.dates[2] == expected
        assert f"placed at {expected.isoformat()}" in r.notes[2]
        assert r.notes[2].startswith("dates disagree; ")


def test_resolve_rejects_unknown_policy_and_all_uncertain():
    with pytest.raises(ValueError, match="uncertain must be one of"):
        _uncertain_series().resolve("first")
    only = CountSeries(START, [None], [4], date_low=["2022-05-01"], date_high=["2022-05-09"])
    assert only.total == 0
    with pytest.raises(ValueError, match="no point with a certain date"):
        only.resolve()
    assert only.resolve("high").dates == (dt.date(2022, 5, 9),)


def test_per_period_with_uncertain_date_rejected():
    with pytest.raises(ValueError, match=r"point 0 \(2022-05-05\) has an uncertain date"):
        CountSeries(
            START, [None], [4], date_low=["2022-05-01"], date_high=["2022-05-09"],
            kind="per_period",
        )  # fmt: skip


def test_from_frame_and_read_csv(tmp_path):
    frame = pd.DataFrame(
        {
            "date": ["2022-05-11", "2022-05-24", "2022-06-01"],
            "released": [476, 523, np.nan],
            "source": ["x", pd.NA, "z"],
            "note": ["n", "", "m"],
        }
    )
    s = CountSeries.from_frame(frame, START, column="released", name="demo")
    assert s.counts == (476, 523)
    assert s.sources == ("x", "")
    assert s.name == "demo"
    path = tmp_path / "counts.csv"
    frame.to_csv(path, index=False)
    r = CountSeries.read_csv(path, START, column="released")
    assert r.counts == (476, 523)
    assert r.sources == ("x", "")


def test_from_frame_errors():
    with pytest.raises(TypeError, match="pandas DataFrame"):
        CountSeries.from_frame({"date": []}, START)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="column 'count' not found"):
        CountSeries.from_frame(pd.DataFrame({"date": ["2022-05-11"], "n": [1]}), START)
    with pytest.raises(ValueError, match="needs a 'date' column"):
        CountSeries.from_frame(pd.DataFrame({"count": [1]}), START)
    with pytest.raises(ValueError, match="start must be a date"):
        CountSeries("30/04/2022", ["2022-05-11"], [1])


# -- huge counts and point indexes (regressions) --------------------------------------------


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (10**400, "a 401-digit number"),
        (2**63, "9223372036854775808"),
        (1e300, "a 301-digit number"),
        (np.uint64(2**64 - 1), "18446744073709551615"),
        (10**15 + 1, "1000000000000001"),
    ],
)
def test_counts_beyond_1e15_are_refused_by_name(count, shown):
    # Was a defect: OverflowError from float(10**400), or from int64 in `increments` and the
    # fits for 2**63 and 1e300.
    with pytest.raises(
        ValueError,
        match=rf"counts must be at most 1,000,000,000,000,000; point 0 \(2022-05-11\) has {shown}",
    ):
        CountSeries("2022-04-30", ["2022-05-11"], [count])


def test_largest_count_is_accepted_and_exact():
    s = CountSeries("2022-04-30", ["2022-05-11", "2022-05-12"], [1, 10**15])
    assert s.increments.tolist() == [1, 10**15 - 1]
    assert s.total == 10**15


def test_per_period_counts_adding_up_beyond_1e15_are_refused_by_name():
    # Was a defect: np.cumsum wrapped around in int64 and the message spoke of a negative count.
    with pytest.raises(
        ValueError,
        match=r"counts \(per period\) must add up to at most 1,000,000,000,000,000; by point 1 "
        r"\(2022-05-12\) they add up to 1200000000000000",
    ):
        CountSeries(
            "2022-04-30", ["2022-05-11", "2022-05-12"], [6 * 10**14, 6 * 10**14], kind="per_period"
        )


@pytest.mark.parametrize("index", [3, -1, 10**30])
def test_feasible_interval_out_of_range_is_a_named_value_error(index):
    # Was a defect: a bare IndexError. Still an IndexError, for callers who catch that.
    s = CountSeries("2022-04-30", ["2022-05-11", "2022-05-24"], [476, 523])
    with pytest.raises(ValueError, match=r"index must be in 0\.\.1 \(a point's position\), got"):
        s.feasible_interval(index)
    with pytest.raises(IndexError):
        s.feasible_interval(index)


@pytest.mark.parametrize("index", [1.5, "a", None, True, np.array([0, 1])])
def test_feasible_interval_index_must_be_a_whole_number(index):
    s = CountSeries("2022-04-30", ["2022-05-11", "2022-05-24"], [476, 523])
    with pytest.raises(TypeError, match=r"index must be a whole number \(a point's position\)"):
        s.feasible_interval(index)


def test_feasible_interval_accepts_numpy_integers():
    s = CountSeries("2022-04-30", ["2022-05-11", "2022-05-24"], [476, 523])
    assert s.feasible_interval(np.int64(1)) == (dt.date(2022, 5, 24), dt.date(2022, 5, 24))
