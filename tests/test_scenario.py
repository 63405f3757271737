"""Scenario, Projection and compare: the user-facing objects of the deterministic model."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

import amnesty_model as am


def test_headline_via_scenario() -> None:
    s = am.Scenario(stock=132_000, release_rate=1_000, name="the report")
    assert s.time_to_clear() == 132.0
    assert s.reason is None
    assert s.clear_date() is None


def test_scenario_is_immutable_and_variants_are_validated() -> None:
    s = am.Scenario(132_000, 1_000)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.stock = 1  # type: ignore[misc]
    assert s.with_(arrest_rate=500).time_to_clear() == 264.0
    # docs/methods.md §1: ln(1 + 0.02 · 132) / 0.02 = 64.6 years.
    assert s.replace(death_rate=0.02).time_to_clear() == pytest.approx(math.log(3.64) / 0.02)
    with pytest.raises(ValueError, match="arrest_rate must be a finite number >= 0, got -5"):
        s.with_(arrest_rate=-5)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"stock": -1}, ValueError, r"stock must be a finite number >= 0, got -1"),
        ({"stock": "132000"}, TypeError, r"stock must be .* got '132000' \(str\)"),
        ({"release_rate": None}, TypeError, r"release_rate must be a number >= 0 .* or a release"),
        ({"release_rate": math.inf}, ValueError, r"release_rate must be a finite number"),
        ({"arrest_rate": am.Decrees(5)}, TypeError, r"arrest_rate must be a number >= 0"),
        ({"death_rate": math.nan}, ValueError, r"death_rate must be .* got nan"),
        ({"start": "26 May 2022"}, ValueError, r"start must be a date such as '2022-04-30'"),
        ({"start": 2022}, TypeError, r"start must be a datetime.date"),
        ({"name": 7}, TypeError, r"name must be a string or None, got 7"),
        ({"sources": "snhr"}, TypeError, r"sources must be a sequence of source ids"),
        (
            {"release_rate": am.Geometric(1, 0.1), "arrest_rate": am.Schedule([0], [1])},
            ValueError,
            r"Geometric release rule takes a constant arrest_rate",
        ),
    ],
)
def test_bad_scenarios(kwargs: dict[str, object], exc: type[Exception], match: str) -> None:
    args: dict[str, object] = {"stock": 100, "release_rate": 10}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        am.Scenario(**args)  # type: ignore[arg-type]


def test_dates_accept_several_forms() -> None:
    for start in [
        "2022-05-26",
        dt.date(2022, 5, 26),
        dt.datetime(2022, 5, 26, 18, 11),
        pd.Timestamp("2022-05-26"),
        np.datetime64("2022-05-26"),
    ]:
        assert am.Scenario(1, 1, start=start).start == dt.date(2022, 5, 26)


def test_clear_date_uses_365_25_day_years() -> None:
    s = am.Scenario(132_000, 1_000, start="2022-05-26")
    # 132 × 365.25 = 48,213 days after 26 May 2022.
    assert s.clear_date() == dt.date(2022, 5, 26) + dt.timedelta(days=48_213)
    assert s.with_(arrest_rate=2_000).clear_date() is None
    assert am.Scenario(1e9, 1, start="2022-05-26").clear_date() is None  # past year 9999


def test_projection_frame_matches_closed_form() -> None:
    p = am.Scenario(132_000, 1_000, 500, death_rate=0.02, start="2022-05-26").project(step=1)
    f = p.frame
    assert list(f.columns) == ["held", "released", "arrested", "died", "date"]
    assert f.index.name == "years"
    t = f.index.to_numpy()
    s_star = -500 / 0.02
    expected = np.maximum(s_star + (132_000 - s_star) * np.exp(-0.02 * t), 0.0)
    np.testing.assert_allclose(f.held, expected, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(f.arrested, 500 * t)
    balance = 132_000 + f.arrested - f.released - f.died
    np.testing.assert_allclose(f.held, balance, atol=1e-6)
    assert p.clear_time in f.index  # the exact clear time is a grid point
    assert f.loc[p.clear_time, "held"] == pytest.approx(0.0, abs=1e-6)
    assert f["date"].iloc[0] == pd.Timestamp("2022-05-26")
    assert p.method == "closed form"
    assert (
        p.clear_date
        == am.Scenario(132_000, 1_000, 500, death_rate=0.02, start="2022-05-26").clear_date()
    )
    assert "clears: " in repr(p)


def test_projection_of_never_clearing_scenario() -> None:
    p = am.Scenario(132_000, 1_000, 1_200, name="arrests go on").project()
    assert p.clear_time == math.inf
    assert p.frame.index[-1] == 100.0
    assert p.frame.held.iloc[-1] == pytest.approx(132_000 + 200 * 100)
    assert p.reason == "arrests (1,200/yr) outpace releases (1,000/yr)"
    assert p.clear_date is None
    assert "never" in repr(p)


def test_projection_options_are_checked() -> None:
    s = am.Scenario(100, 10)
    with pytest.raises(ValueError, match="horizon must be a finite number > 0, got 0"):
        s.project(horizon=0)
    with pytest.raises(ValueError, match="step must be"):
        s.project(step=-1)
    with pytest.raises(ValueError, match="at most 1,000,000"):
        s.project(horizon=1e6, step=1e-3)
    with pytest.raises(ValueError, match=r"method must be one of \['auto', 'exact', 'ode'\]"):
        s.time_to_clear(method="guess")
    assert s.project(horizon=5, step=2).frame.index.tolist() == [0.0, 2.0, 4.0, 5.0]


def test_cite_and_provenance() -> None:
    s = am.Scenario(132_000, 1_000, name="report", sources=("mem_2022_stock",))
    text = s.cite()
    assert text.startswith("132 years to clear: 132,000 held, 1,000 released a year")
    assert f"amnesty_model {am.__version__}" in text
    record = s.provenance
    assert json.loads(json.dumps(record)) == record
    assert record["sources"] == ["mem_2022_stock"]
    assert record["result"] == {"years_to_clear": 132.0}
    assert record["hash"] in text
    # The same inputs give the same hash; a different input a different one.
    assert (
        am.Scenario(132_000, 1_000, name="report", sources=("mem_2022_stock",)).provenance["hash"]
        == record["hash"]
    )
    assert s.with_(stock=132_001).provenance["hash"] != record["hash"]
    never = s.with_(arrest_rate=1_500, start="2022-05-26")
    assert never.cite().startswith("never clears (arrests (1,500/yr) outpace releases")
    p = s.project()
    assert p.provenance["grid"]["points"] == p.frame.shape[0]
    assert p.cite() == s.cite()
    dated = am.Scenario(132_000, 1_000, start="2022-05-26").cite()
    assert ", on 2154-05-27:" in dated


def test_provenance_records_rules() -> None:
    s = am.Scenario(132_000, am.Decrees(1_000), am.Schedule([0, 1], [0, 100]), death_rate=0.01)
    record = s.provenance
    assert record["inputs"]["release"] == {
        "rule": "Decrees",
        "size": 1000.0,
        "every": 1.0,
        "first": 1.0,
    }
    assert record["inputs"]["arrest"]["rule"] == "Schedule"
    assert record["method"] == "exact stepping"
    assert "decrees of 1,000 every 1 years" in s.describe()
    assert "dying each year" in s.describe()


def test_compare_table() -> None:
    base = am.Scenario(132_000, 1_000, name="report", start="2022-05-26")
    table = am.compare([base, base.with_(arrest_rate=1_200, name="arrests outpace")])
    assert list(table.index) == ["report", "arrests outpace"]
    assert table.loc["report", "years_to_clear"] == 132.0
    assert table.loc["arrests outpace", "years_to_clear"] == math.inf
    assert table.loc["arrests outpace", "reason"].startswith("arrests (1,200/yr)")
    assert pd.isna(table.loc["report", "reason"])
    unnamed = am.compare(iter([am.Scenario(1, 1)]))
    assert list(unnamed.index) == ["scenario 1"]
    with pytest.raises(ValueError, match="at least one Scenario"):
        am.compare([])
    with pytest.raises(TypeError, match=r"scenarios\[1\] must be a Scenario"):
        am.compare([base, 5])  # type: ignore[list-item]


def test_reasons_for_rules() -> None:
    assert (
        "release no more than the 1,000 arrested"
        in am.Scenario(1_000, am.Decrees(1_000), 1_000).reason
    )
    # With deaths, of 1,100 arrested a year a(1 − e^{−μ})/μ = 1,100 (1 − e^{−0.1})/0.1 = 1,046.8
    # are alive at the next decree: more than the 1,000 released, so the stock settles.
    settles = am.Scenario(1e5, am.Decrees(1_000), 1_100, death_rate=0.1)
    assert math.isinf(settles.time_to_clear())
    assert "the 1,047 arrested in between who are still alive" in settles.reason
    # ... while with 1,040 arrested a year (989.7 survivors) it clears.
    assert math.isfinite(settles.with_(arrest_rate=1_040).time_to_clear())
    assert "not below 1" in am.Scenario(100, am.Proportional(0.1), 5).reason
    growing = am.Scenario(100, am.Geometric(10, 0.0), 20)
    assert growing.reason == "arrests (20/yr) outpace releases (10/yr)"
    sched = am.Scenario(100, am.Schedule([0], [0]), am.Schedule([0, 2], [0, 5]))
    assert sched.reason.startswith("after the last change of rate (year 2), release rate is zero")


def test_from_sources_keeps_ids() -> None:
    s = am.Scenario.from_sources(
        "mem_2022_stock_terrorism", "mem_2022_decree_release_per_year", 500, name="report"
    )
    # The report's figures: about 132,000 held; a decree a year of 1,000.
    assert (s.stock, s.release_rate, s.arrest_rate) == (132_000.0, 1_000.0, 500.0)
    assert s.sources == ("mem_2022_stock_terrorism", "mem_2022_decree_release_per_year")
    assert s.provenance["sources"] == sorted(s.sources)
    with pytest.raises(
        ValueError,
        match=r"release_rate: source 'mem_2022_stock_terrorism' counts "
        r"'people', but release_rate needs 'people per year'",
    ):
        am.Scenario.from_sources(132_000, "mem_2022_stock_terrorism")
    with pytest.raises(ValueError, match="stock: .*no_such_id"):
        am.Scenario.from_sources("no_such_id", 1_000)


def test_summary_has_cepej_indicators() -> None:
    table = am.Scenario(132_000, 1_000, 500, start="2022-05-26").summary()
    assert table.loc["years_to_clear", "value"] == 264.0
    # CEPEJ definitions, by hand: 100 × 1,000/500; 1,000/132,000; 365 × 132,000/1,000.
    assert table.loc["clearance_rate", "value"] == 200.0
    assert table.loc["case_turnover_ratio", "value"] == pytest.approx(1 / 132)
    assert table.loc["disposition_time", "value"] == 48_180.0
    assert table.loc["clear_date", "unit"] == "date"


@pytest.mark.parametrize(
    ("release", "expected"),
    [
        (am.Decrees(1_000, every=2), 500.0),
        (am.Proportional(0.01), 1_320.0),
        (am.Geometric(700, 0.1), 700.0),
        (am.Schedule([0, 1], [7_347, 10]), 7_347.0),
    ],
)
def test_initial_rates_of_rules(release: object, expected: float) -> None:
    s = am.Scenario(
        132_000,
        release,
        am.Schedule([0, 1], [5, 6]) if not isinstance(release, am.Geometric) else 5.0,
    )
    assert s.initial_rates() == (expected, 5.0)


def test_default_projection_of_a_very_slow_decree_scenario_is_bounded() -> None:
    # 132,000 / (1,000 − 999.9) = 1.32 million decrees: the default shows 100,000 of them.
    s = am.Scenario(132_000, am.Decrees(1_000), 999.9)
    p = s.project(step=1_000)
    assert p.clear_time == pytest.approx(1_320_000, rel=1e-9)
    assert p.frame.index[-1] == 100_001.0
    # held right after k decrees: 132,000 + 999.9 k − 1,000 k = 132,000 − 0.1 k
    assert p.frame.loc[100_000.0, "held"] == pytest.approx(132_000 - 0.1 * 100_000, rel=1e-9)


def test_non_integer_rates_read_as_people_in_sentences() -> None:
    # 523 released in 26 days = 523 / (26 / 365.25) = 7,347.1 a year.
    s = am.Scenario(132_000, 523 / (26 / 365.25))
    assert "7,347 released a year" in s.describe()
    assert "2.25 new arrests a year" in am.Scenario(10, 5, 2.25).describe()


# -- a death rate of 3 meant as 3 % ------------------------------------------------------------


def test_death_rate_above_one_is_refused_as_a_probable_percentage() -> None:
    with pytest.raises(
        ValueError,
        match=r"^death_rate=3 is a hazard of 3 per person per year \(95 % die within a year\); "
        r"did you mean 0\.03, i\.e\. 3 %\?",
    ):
        am.Scenario(132_000, 1_000, death_rate=3)
    with pytest.raises(ValueError, match=r"death_rate=30 .*did you mean 0\.3, i\.e\. 30 %\?"):
        am.Scenario(132_000, 1_000).with_(death_rate=30)
    assert am.Scenario(132_000, 1_000, death_rate=1).death_rate == 1.0  # the bound is allowed


def test_an_extreme_death_rate_on_purpose() -> None:
    s = am.Scenario(132_000, 1_000, death_rate=3, allow_extreme_death_rate=True)
    # Closed form: ln(1 + μ S0 / r) / μ = ln(397) / 3.
    assert s.time_to_clear() == pytest.approx(math.log(397) / 3, rel=1e-14)
    assert "a death hazard of 3 per person per year (95 % of those held dying" in s.cite()
    # Kept by variants; not part of equality or of the provenance hash.
    assert s.with_(name="x").allow_extreme_death_rate
    plain = am.Scenario(132_000, 1_000, death_rate=0.5)
    assert plain == am.Scenario(132_000, 1_000, death_rate=0.5, allow_extreme_death_rate=True)
    with pytest.raises(TypeError, match="allow_extreme_death_rate must be True or False, got 1"):
        am.Scenario(1, 1, allow_extreme_death_rate=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="positional"):
        am.Scenario(1, 1, 0, 3, None, None, (), True)  # type: ignore[misc]


# -- misspelt keywords -------------------------------------------------------------------------


def test_misspelt_keywords_get_a_suggestion() -> None:
    with pytest.raises(
        TypeError,
        match=r"^Scenario got an unexpected keyword argument 'release'; did you mean "
        r"'release_rate'\?$",
    ):
        am.Scenario(132_000, release=1_000)  # type: ignore[call-arg]
    s = am.Scenario(132_000, 1_000)
    with pytest.raises(
        TypeError,
        match=r"^Scenario\.with_\(\) / replace\(\) got an unexpected keyword argument 'arrest'; "
        r"did you mean 'arrest_rate'\?$",
    ):
        s.with_(arrest=800)
    with pytest.raises(TypeError, match=r"'death'; did you mean 'death_rate'\?"):
        s.replace(death=0.1)
    with pytest.raises(TypeError, match=r"^Scenario\.time_to_clear\(\) got .*'methd'; did you"):
        s.time_to_clear(methd="ode")  # type: ignore[call-arg]
    with pytest.raises(
        TypeError, match=r"^Scenario\.project\(\) got .*'steps'; did you mean 'step'"
    ):
        s.project(steps=1.0)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"from_sources\(\) got .*'stok'; did you mean 'stock'"):
        am.Scenario.from_sources(stok=1)  # type: ignore[call-arg]
    with pytest.raises(
        TypeError, match=r"^compare\(\) got .*'scenario'; did you mean 'scenarios'"
    ):
        am.compare(scenario=[s])  # type: ignore[call-arg]


def test_compare_refuses_a_non_iterable_by_name() -> None:
    with pytest.raises(TypeError, match=r"scenarios must be an iterable of Scenario .*got 0\.0"):
        am.compare(0.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"got one Scenario; wrap it in a list"):
        am.compare(am.Scenario(1, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"scenarios must be an iterable of Scenario"):
        am.compare("ab")


# -- what a scenario file cannot hold: missing dates, blank names -----------------------------


@pytest.mark.parametrize("start", [pd.NaT, np.datetime64("NaT"), "NaT", math.nan], ids=repr)
def test_a_missing_start_date_is_refused(start: object) -> None:
    with pytest.raises(ValueError, match=r"^start is a missing date .*or None for no start date"):
        am.Scenario(132_000, 1_000, start=start)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["", " ", "\t\n"])
def test_a_blank_name_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=r"name must be a non-empty string \(not only spaces\)"):
        am.Scenario(132_000, 1_000, name=name)


def test_a_name_utf8_cannot_encode_is_refused() -> None:
    with pytest.raises(ValueError, match="name must be text that UTF-8 can encode"):
        am.Scenario(132_000, 1_000, name="a\ud800")
