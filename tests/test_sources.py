"""Tests of the source registry.

Reference values come from the report (Middle East Monitor,
26 May 2022) and from the checked sources (docs/sources.md), quoted in comments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from amnesty_model import sources as src
from amnesty_model.sources import (
    FLAGGED_STATUSES,
    STATUSES,
    Resolved,
    Source,
    SourceError,
    SourceRegistry,
    default_registry,
    load_sources,
    resolve,
)

HEADER = 'format = 1\nregistry_version = "test-1"\n'

GOOD_ENTRY = """
[[source]]
id = "my_monitor_2025_held"
value = 100_000
unit = "people"
counts = "people still held"
as_of = 2025-01-31
outlet = "My monitor"
published = 2025-02-03
status = "reported"
"""


def entry(**changes: object) -> str:
    """A valid [[source]] table with some keys changed (None removes a key)."""
    fields: dict[str, object] = {
        "id": '"my_monitor_2025_held"',
        "value": "100_000",
        "unit": '"people"',
        "counts": '"people still held"',
        "as_of": "2025-01-31",
        "outlet": '"My monitor"',
        "status": '"reported"',
    }
    for key, value in changes.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    body = "\n".join(f"{k} = {v}" for k, v in fields.items())
    return f"\n[[source]]\n{body}\n"


@pytest.fixture(scope="module")
def reg() -> SourceRegistry:
    return default_registry()


# --------------------------------------------------------------------------------------------
# The shipped registry
# --------------------------------------------------------------------------------------------


def test_shipped_registry_loads_and_every_entry_validates(reg: SourceRegistry) -> None:
    assert reg.registry_version
    assert len(reg) >= 30
    for source_id, source in reg.items():
        assert source_id == source.id
        # Re-validating each entry from its own fields must give the same entry.
        fields = {k: v for k, v in source.to_dict().items() if v is not None and v != ()}
        assert Source(**fields) == source
        assert source.status in STATUSES
        assert source.is_range == (source.value is None)
        # Every cross-reference points at a shipped entry.
        for other in source.related:
            assert other in reg, (source_id, other)


def test_shipped_file_is_format_1_and_read_with_tomllib() -> None:
    # Independent read of the same file: the top keys and the number of entries agree.
    text = resources.files("amnesty_model").joinpath("data", "sources.toml").read_text("utf-8")
    data = tomllib.loads(text)
    assert data["format"] == 1 == src.SOURCES_FORMAT
    assert len(data["source"]) == len(default_registry())
    assert data["registry_version"] == default_registry().registry_version


def test_default_registry_is_cached(reg: SourceRegistry) -> None:
    assert default_registry() is reg


def test_report_figures(reg: SourceRegistry) -> None:
    # The report: "so far, only 523 detainees have been released ... around 132,000 others on
    # 'terrorism' charges are still being held"; "around 87,000 forcibly disappeared";
    # "only 6 or 7 forcibly disappeared people had been released"; "releases one thousand";
    # "then we need 132 years".
    assert reg["mem_2022_stock_terrorism"].value == 132_000
    assert reg["mem_2022_released"].value == 523
    assert reg["mem_2022_disappeared"].value == 87_000
    disappeared_released = reg["mem_2022_disappeared_released"]
    assert disappeared_released.is_range
    assert (disappeared_released.low, disappeared_released.high) == (6, 7)
    assert reg["mem_2022_decree_release_per_year"].value == 1_000
    assert reg["mem_2022_years_to_clear"].value == 132
    assert reg["mem_2022_years_to_clear"].value == (
        reg["mem_2022_stock_terrorism"].value / reg["mem_2022_decree_release_per_year"].value
    )
    for key in ("mem_2022_stock_terrorism", "mem_2022_released", "mem_2022_disappeared"):
        assert reg[key].outlet == "Middle East Monitor"
        assert reg[key].published == dt.date(2022, 5, 26)
        assert reg[key].speaker == "Fadel Abdul Ghany"
    # The quote is the article's, word for word, and at most one sentence.
    quote = reg["mem_2022_disappeared_released"].quote
    assert quote == (
        "only 6 or 7 forcibly disappeared people had been released as part of the amnesty decree."
    )


def test_currency_claim_and_implied_rate(reg: SourceRegistry) -> None:
    # The report: "up to 30 million Syrian pounds ($57,291)".
    syp = reg["mem_2022_case_closure_demand_syp"]
    usd = reg["mem_2022_case_closure_demand_usd"]
    assert syp.value == 30_000_000
    assert syp.unit == "SYP"
    assert usd.value == 57_291
    assert usd.unit == "USD"
    # checked sources: "implies ≈ 523.6 SYP per US dollar".
    implied = syp.value / usd.value
    assert implied == pytest.approx(523.6, abs=0.05)
    # The official rate: 2,814 SYP/USD set on 13 April 2022, in force until 19 September 2022.
    official = reg["syp_usd_official_2022_04_13"]
    assert official.value == 2_814
    assert official.valid_from == dt.date(2022, 4, 13)
    assert official.valid_until == dt.date(2022, 9, 19)
    assert reg["syp_usd_official_2022_09_19"].value == 3_015
    # checked sources: "30,000,000 SYP was about $10,660 at the official rate and about
    # $7,700 at the parallel rate: the report's dollar figure is about 5 to 7 times too high".
    assert syp.value / official.value == pytest.approx(10_660, abs=1)
    assert syp.value / reg["syp_usd_parallel_2022_04"].value == pytest.approx(7_700, rel=0.01)
    assert 5 < usd.value / (syp.value / official.value) < 7.5
    # So the dollar figure is flagged as corrected, with its source.
    assert usd.status == "corrected"
    assert usd.flagged
    assert usd.corrected_field == "value"
    assert usd.correction is not None
    assert "10,660" in usd.correction
    assert usd.correction_source is not None
    assert "Central Bank of Syria" in usd.correction_source


def test_decree_date_and_ordinal(reg: SourceRegistry) -> None:
    # docs/sources.md: Legislative Decree No. 7 of 2022, issued 30 April 2022; SNHR's 19th.
    assert reg["decree_7_2022"].value == 7
    assert reg["decree_7_2022"].as_of == dt.date(2022, 4, 30)
    assert reg["snhr_2022_decree_ordinal"].value == 19


def test_release_series(reg: SourceRegistry) -> None:
    # docs/sources.md table "Releases under Decree No. 7, cumulative, as reported by SNHR".
    series = [
        ("snhr_released_2022_05_11", 476, dt.date(2022, 5, 11)),
        ("snhr_released_2022_05_24", 523, dt.date(2022, 5, 24)),
        ("snhr_released_2022_07_05", 539, dt.date(2022, 7, 5)),
        ("snhr_released_2022_08_12", 556, dt.date(2022, 8, 12)),
    ]
    for key, value, as_of in series:
        assert reg[key].value == value
        assert reg[key].as_of == as_of
    assert reg["snhr_arrests_since_decree_2022_07_05"].value == 124
    # 547, "mid-June or mid-July 2022 (sources disagree)": an uncertain as-of span.
    uncertain = reg["snhr_released_2022_mid_june_july"]
    assert uncertain.value == 547
    assert uncertain.as_of is None
    assert uncertain.as_of_earliest is not None
    assert uncertain.as_of_latest is not None
    assert uncertain.as_of_earliest.month == 6
    assert uncertain.as_of_latest.month == 7
    assert uncertain.as_of_text == "2022-06-15 to 2022-07-15"
    # The dated counts never decrease.
    values = [reg[key].value for key, _, _ in series]
    assert values == sorted(values)


def test_later_and_earlier_statements(reg: SourceRegistry) -> None:
    # docs/sources.md, "Later and earlier statements of the same arithmetic (SNHR)".
    assert reg["snhr_2020_03_releases_per_six_months"].value == 230
    assert reg["snhr_2020_03_years_to_release"].value == 325
    assert reg["snhr_2020_03_stock"].value == 130_000
    assert reg["snhr_2022_11_released_all_decrees"].value == 7_531
    assert reg["snhr_2022_11_decrees"].value == 21
    assert reg["snhr_2022_11_still_held"].value == 135_253
    assert reg["snhr_2022_11_disappeared_by_regime"].value == 95_696
    assert reg["snhr_2022_11_released_all_decrees"].published == dt.date(2022, 11, 16)
    assert reg["snhr_2024_12_disappeared"].value == 112_414
    # "408 decrees… 233 years" is not reproducible from the published totals: flagged.
    assert reg["snhr_2022_11_decrees_needed"].value == 408
    assert reg["snhr_2022_11_years_needed"].value == 233
    assert reg["snhr_2022_11_decrees_needed"].status == "disputed"
    assert reg["snhr_2022_11_years_needed"].flagged
    # The audit note's arithmetic: 135,253 / (7,531 / 21) ≈ 377 decrees, not 408.
    assert round(135_253 / (7_531 / 21)) == 377


def test_unverified_figures_are_flagged(reg: SourceRegistry) -> None:
    # checked sources: "Unverified: the exact figures 132,667, 86,792 and 527"; May 2022
    # parallel rate.
    expected = {
        "unverified_2022_05_stock_132667": 132_667,
        "unverified_2022_05_disappeared_86792": 86_792,
        "unverified_2022_05_released_527": 527,
    }
    for key, value in expected.items():
        assert reg[key].value == value
        assert reg[key].status == "unverified"
        assert reg[key].flagged
        assert "Not to be presented as a fact" in reg[key].cite()
        with pytest.raises(ValueError, match=rf"source '{key}' is unverified.*allow_flagged"):
            resolve(key, name="stock")
        assert resolve(key, allow_flagged=True) == Resolved(value, key)
    may = reg["syp_usd_parallel_2022_05"]
    assert may.status == "unverified"
    assert (may.low, may.high) == (3_900, 4_440)
    assert set(reg.flagged) >= set(expected) | {"syp_usd_parallel_2022_05"}
    assert all(reg[k].status in FLAGGED_STATUSES for k in reg.flagged)
    # Checked figures are not flagged.
    assert not reg["mem_2022_stock_terrorism"].flagged


def test_misattribution_recorded(reg: SourceRegistry) -> None:
    # The report calls Fadel Abdul Ghany "SOHR's Director"; he is SNHR's chairman (The New Arab,
    # 24 May 2022; fadelabdulghany.net, 27 May 2022).
    source = reg["mem_2022_stock_terrorism"]
    assert source.as_reported == "SOHR's Director"
    assert source.corrected_field == "speaker_affiliation"
    assert source.speaker_affiliation is not None
    assert "Syrian Network for Human Rights" in source.speaker_affiliation
    assert source.correction is not None
    assert "SNHR" in source.correction
    assert source.correction_source is not None
    assert "The New Arab, 24 May 2022" in source.correction_source
    assert "fadelabdulghany.net" in source.correction_source
    # The figure itself is checked, so it is not flagged, but cite() tells the story.
    assert source.status == "checked"
    assert not source.flagged
    text = source.cite()
    assert "SOHR's Director" in text
    assert "Syrian Network for Human Rights" in text
    # Every entry that quotes him carries the same correction.
    for s in reg.values():
        if s.speaker == "Fadel Abdul Ghany" and s.outlet == "Middle East Monitor":
            assert s.as_reported == "SOHR's Director"


def test_to_frame_columns(reg: SourceRegistry) -> None:
    frame = reg.to_frame()
    assert frame.index.name == "id"
    assert list(frame.index) == list(reg)
    expected = [f.name for f in dataclasses.fields(Source) if f.name != "id"] + ["flagged"]
    assert list(frame.columns) == expected
    assert frame.loc["mem_2022_stock_terrorism", "value"] == 132_000
    assert frame.loc["mem_2022_disappeared_released", "high"] == 7
    assert math.isnan(frame.loc["mem_2022_disappeared_released", "value"])
    assert bool(frame.loc["unverified_2022_05_released_527", "flagged"])
    assert frame.loc["decree_7_2022", "as_of"] == dt.date(2022, 4, 30)


def test_mapping_behaviour(reg: SourceRegistry) -> None:
    assert reg.get("no_such_source") is None
    assert reg.get("mem_2022_released") is reg["mem_2022_released"]
    assert "mem_2022_released" in reg
    assert next(iter(reg)) == "decree_7_2022"
    with pytest.raises(KeyError, match=r"no source with id 'mem_2022_releasd'.*did you mean"):
        reg["mem_2022_releasd"]
    with pytest.raises(KeyError, match="no source with id 5"):
        reg[5]  # type: ignore[index]
    text = repr(reg)
    assert re.match(r"SourceRegistry\(\d+ sources, version '.+', \d+ flagged", text)
    assert repr(reg["mem_2022_case_closure_demand_usd"]).endswith("57,291 USD, CORRECTED)")
    assert reg["mem_2022_disappeared_released"].figure_text() == "6–7 people"


# --------------------------------------------------------------------------------------------
# resolve()
# --------------------------------------------------------------------------------------------


def test_resolve_numbers_ids_and_sources(reg: SourceRegistry) -> None:
    assert resolve(132_000) == Resolved(132_000.0, None)
    assert resolve(np.float64(2.5)) == (2.5, None)
    value, source = resolve("mem_2022_stock_terrorism", name="stock")
    assert (value, source) == (132_000.0, "mem_2022_stock_terrorism")
    assert resolve(reg["mem_2022_released"]) == (523.0, "mem_2022_released")
    assert reg.resolve("mem_2022_released", bound="low") == (523.0, "mem_2022_released")


def test_resolve_ranges() -> None:
    key = "mem_2022_disappeared_released"
    assert resolve(key, bound="low") == (6.0, key)
    assert resolve(key, bound="high") == (7.0, key)
    assert resolve(key, bound="mid") == (6.5, key)
    with pytest.raises(ValueError, match=r"stock: source .* is a range \(6–7 people\).*bound="):
        resolve(key, name="stock")
    with pytest.raises(ValueError, match=r"bound must be one of .*got 'max'"):
        resolve(key, bound="max")  # type: ignore[arg-type]


def test_resolve_errors() -> None:
    with pytest.raises(ValueError, match=r"stock: no source with id 'mem_2022_stok"):
        resolve("mem_2022_stok", name="stock")
    with pytest.raises(TypeError, match=r"stock must be a number or a source id.*bool"):
        resolve(True, name="stock")
    with pytest.raises(TypeError, match=r"release_rate must be a number .*NoneType"):
        resolve(None, name="release_rate")
    # The corrected dollar figure is refused as a fact, with the correction in the message.
    with pytest.raises(ValueError, match=r"is corrected \(30,000,000 SYP was about \$10,660"):
        resolve("mem_2022_case_closure_demand_usd")
    assert resolve("mem_2022_case_closure_demand_usd", allow_flagged=True).value == 57_291
    # A disputed figure: the reason comes from STATUSES.
    with pytest.raises(ValueError, match=r"is disputed \(stated by a source but contradicted"):
        resolve("snhr_2022_11_years_needed")


# --------------------------------------------------------------------------------------------
# User files: loading, merging, lookup
# --------------------------------------------------------------------------------------------


def test_user_file_merge_and_lookup(tmp_path: Path, reg: SourceRegistry) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HEADER + GOOD_ENTRY, encoding="utf-8")
    mine = load_sources(path)
    assert mine.origin == str(path)
    assert load_sources(str(path))["my_monitor_2025_held"] == mine["my_monitor_2025_held"]
    both = reg.merge(mine)
    assert len(both) == len(reg) + 1
    assert both.registry_version == f"{reg.registry_version}+test-1"
    assert both.resolve("my_monitor_2025_held", name="stock") == (
        100_000.0,
        "my_monitor_2025_held",
    )
    assert resolve("mem_2022_released", registry=both).value == 523
    # The shipped registry is unchanged (immutable, cached).
    assert "my_monitor_2025_held" not in default_registry()
    # Merging a registry that redefines a shipped id is refused unless asked for.
    clash = load_sources(HEADER + entry(id='"mem_2022_released"', value="530"))
    with pytest.raises(SourceError, match=r"source 'mem_2022_released', key 'id': id already"):
        reg.merge(clash)
    replaced = reg.merge(clash, replace=True)
    assert replaced["mem_2022_released"].value == 530
    assert list(replaced).index("mem_2022_released") == list(reg).index("mem_2022_released")
    with pytest.raises(TypeError, match="other must be a SourceRegistry"):
        reg.merge({"a": 1})  # type: ignore[arg-type]


def test_load_text_and_empty_registry() -> None:
    empty = load_sources(HEADER)
    assert len(empty) == 0
    assert empty.origin == "<text>"
    named = load_sources(HEADER + GOOD_ENTRY, origin="my notes")
    assert named.origin == "my notes"
    source = named["my_monitor_2025_held"]
    assert source.published == dt.date(2025, 2, 3)
    # Dates may also be quoted ISO strings.
    quoted = load_sources(HEADER + entry(as_of='"2025-01-31"'))
    assert quoted["my_monitor_2025_held"].as_of == dt.date(2025, 1, 31)


def test_load_missing_file_and_bad_argument(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_sources(tmp_path / "missing.toml")
    with pytest.raises(TypeError, match=r"path_or_text must be a path or TOML text.*int"):
        load_sources(3)  # type: ignore[arg-type]


# Each malformed file with the specific error it must give (file, entry and key named).
MALFORMED = [
    pytest.param(
        HEADER + entry(valeu="3"),
        r"<text>: source 'my_monitor_2025_held', key 'valeu': unknown key \(did you mean 'value'",
        id="unknown-key",
    ),
    pytest.param(
        HEADER + entry(unit=None),
        r"source 'my_monitor_2025_held', key 'unit': missing required key",
        id="missing-key",
    ),
    pytest.param(
        HEADER + entry(value='"132,000"'),
        r"source 'my_monitor_2025_held', key 'value': must be a number, got '132,000' \(str\)",
        id="wrong-type-number",
    ),
    pytest.param(
        HEADER + entry(value="true"),
        r"key 'value': must be a number, got True \(bool\)",
        id="wrong-type-bool",
    ),
    pytest.param(
        HEADER + entry(value="inf"),
        r"key 'value': must be a finite number, got inf",
        id="infinite",
    ),
    pytest.param(
        HEADER + entry(outlet="3"),
        r"key 'outlet': must be a string, got 3 \(int\)",
        id="wrong-type-string",
    ),
    pytest.param(
        HEADER + entry(outlet='"  "'),
        r"key 'outlet': must not be empty",
        id="empty-string",
    ),
    pytest.param(
        HEADER + GOOD_ENTRY + GOOD_ENTRY,
        r"source 'my_monitor_2025_held', key 'id': duplicate id \(entries #1 and #2\)",
        id="duplicate-id",
    ),
    pytest.param(
        HEADER + entry(as_of='"2022-02-30"'),
        r"key 'as_of': must be a real calendar date such as 2022-04-30, got '2022-02-30'",
        id="bad-date-string",
    ),
    pytest.param(
        HEADER + entry(as_of='"30 April 2022"'),
        r"key 'as_of': must be a real calendar date",
        id="bad-date-format",
    ),
    pytest.param(
        HEADER + entry(as_of="2022-02-30"),
        r"<text>: not valid TOML \(Invalid date.*\); line 9: 'as_of = 2022-02-30'",
        id="bad-date-toml",
    ),
    pytest.param(
        HEADER + entry(as_of="2022-04-30T10:00:00"),
        r"key 'as_of': must be a date without a time of day",
        id="datetime-not-date",
    ),
    pytest.param(
        HEADER + entry(as_of="20220430"),
        r"key 'as_of': must be a date such as 2022-04-30, got 20220430 \(int\)",
        id="date-wrong-type",
    ),
    pytest.param(
        HEADER + entry(published="2025-01-01"),
        r"key 'published': 2025-01-01 is before the as-of date 2025-01-31",
        id="published-before-as-of",
    ),
    pytest.param(
        HEADER + entry(value=None, low="7", high="6"),
        r"source 'my_monitor_2025_held', key 'low': low \(7\) is greater than high \(6\)",
        id="reversed-range",
    ),
    pytest.param(
        HEADER + entry(value=None, low="6"),
        r"key 'high': missing: a range needs both low and high",
        id="half-range",
    ),
    pytest.param(
        HEADER + entry(low="6", high="7"),
        r"key 'value': give either value or low and high, not both",
        id="value-and-range",
    ),
    pytest.param(
        HEADER + entry(value=None),
        r"key 'value': missing: give value, or low and high for a range",
        id="no-value",
    ),
    pytest.param(
        HEADER + entry(as_of=None),
        r"key 'as_of': missing: give as_of, or as_of_earliest and as_of_latest",
        id="no-date",
    ),
    pytest.param(
        HEADER + entry(as_of_earliest="2022-06-15"),
        r"key 'as_of': give either as_of or as_of_earliest and as_of_latest, not both",
        id="date-and-span",
    ),
    pytest.param(
        HEADER + entry(as_of=None, as_of_earliest="2022-06-15"),
        r"key 'as_of_latest': missing: an uncertain as-of date needs both ends",
        id="half-span",
    ),
    pytest.param(
        HEADER + entry(as_of=None, as_of_earliest="2022-07-15", as_of_latest="2022-06-15"),
        r"key 'as_of_earliest': 2022-07-15 is after as_of_latest 2022-06-15",
        id="reversed-span",
    ),
    pytest.param(
        HEADER + entry(valid_from="2022-09-19", valid_until="2022-04-13"),
        r"key 'valid_from': 2022-09-19 is after valid_until 2022-04-13",
        id="reversed-validity",
    ),
    pytest.param(
        HEADER + entry(status='"true"'),
        r"key 'status': must be one of \['checked', 'corrected', 'disputed', 'reported', "
        r"'unverified'\], got 'true'",
        id="bad-status",
    ),
    pytest.param(
        HEADER + entry(id='"My-Count"'),
        r"source #1, key 'id': must be a snake_case id such as",
        id="bad-id",
    ),
    pytest.param(
        HEADER + entry(id=None),
        r"source #1, key 'id': missing required key",
        id="missing-id",
    ),
    pytest.param(
        HEADER + entry(status='"corrected"'),
        r"key 'as_reported': missing: a correction needs as_reported, correction, "
        r"correction_source, corrected_field \(status 'corrected'\)",
        id="corrected-without-correction",
    ),
    pytest.param(
        HEADER + entry(correction='"x"'),
        r"key 'as_reported': missing: a correction needs .* \('correction' is given\)",
        id="partial-correction",
    ),
    pytest.param(
        HEADER
        + entry(
            as_reported='"a"', correction='"b"', correction_source='"c"', corrected_field='"x"'
        ),
        r"key 'corrected_field': must name a field of the entry \(such as 'value'\), got 'x'",
        id="bad-corrected-field",
    ),
    pytest.param(
        HEADER + entry(speaker_affiliation='"SNHR"'),
        r"key 'speaker': missing: speaker_affiliation is given without a speaker",
        id="affiliation-without-speaker",
    ),
    pytest.param(
        HEADER + entry(quote='"' + "word " * 70 + '"'),
        r"key 'quote': must be one short sentence \(at most 300 characters",
        id="long-quote",
    ),
    pytest.param(
        HEADER + entry(related='"mem_2022_released"'),
        r"key 'related': must be a list of source ids, got 'mem_2022_released' \(str\)",
        id="related-not-list",
    ),
    pytest.param(
        HEADER + entry(related='["Not An Id"]'),
        r"key 'related': must be a snake_case id",
        id="related-bad-id",
    ),
    pytest.param(
        HEADER + "unit = 'people'\n",
        r"<text>: unknown top-level key 'unit'; allowed: format, registry_version, source",
        id="unknown-top-key",
    ),
    pytest.param(
        'registry_version = "1"\n' + GOOD_ENTRY,
        r"<text>: missing key 'format' \(add `format = 1` at the top\)",
        id="missing-format",
    ),
    pytest.param(
        'format = 2\nregistry_version = "1"\n',
        r"<text>: key 'format' must be 1 \(the only format this version reads\), got 2",
        id="future-format",
    ),
    pytest.param(
        'format = true\nregistry_version = "1"\n',
        r"key 'format' must be 1 .*got True",
        id="bool-format",
    ),
    pytest.param(
        "format = 1\nregistry_version = 1\n",
        r"<text>: key 'registry_version' must be a non-empty string",
        id="numeric-version",
    ),
    pytest.param(
        HEADER + "source = 3\n",
        r"<text>: key 'source' must be an array of tables written \[\[source\]\], got int",
        id="source-not-array",
    ),
    pytest.param(
        HEADER + "source = [1]\n",
        r"<text>: source #1 must be a table, got 1",
        id="source-not-table",
    ),
    pytest.param(
        HEADER + "[[source]\n",
        r"<text>: not valid TOML",
        id="broken-toml",
    ),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_malformed_files(text: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        load_sources(text)


def test_error_names_file_entry_and_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(HEADER + GOOD_ENTRY + entry(id='"second_count"', value='"x"'), "utf-8")
    with pytest.raises(SourceError) as info:
        load_sources(path)
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.origin, error.source_id, error.key) == (str(path), "second_count", "value")
    assert str(error).startswith(f"{path}: source 'second_count', key 'value':")


# --------------------------------------------------------------------------------------------
# Direct construction in Python
# --------------------------------------------------------------------------------------------


def test_source_direct_construction_is_validated() -> None:
    source = Source(
        id="my_count",
        low=6,
        high=7,
        unit="people",
        counts="released",
        as_of="2022-05-24",
        outlet="Me",
        status="reported",
        related=["mem_2022_released"],
    )
    assert source.as_of == dt.date(2022, 5, 24)
    assert source.related == ("mem_2022_released",)
    assert (source.low, source.high) == (6.0, 7.0)
    with pytest.raises(SourceError, match=r"Source\(\.\.\.\): source 'my_count', key 'low'"):
        dataclasses.replace(source, low=8.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        source.value = 3.0  # type: ignore[misc]


def test_registry_from_python_objects() -> None:
    one = default_registry()["mem_2022_released"]
    with pytest.raises(SourceError, match=r"<memory>: source 'mem_2022_released', key 'id'"):
        SourceRegistry([one, one])
    with pytest.raises(TypeError, match=r"sources must contain Source objects, got 3 \(int\)"):
        SourceRegistry([3])  # type: ignore[list-item]
    assert SourceRegistry([one]).resolve("mem_2022_released").value == 523


def test_cite_variants(reg: SourceRegistry) -> None:
    # Speaker, affiliation, address and publication date all appear when given.
    text = reg["snhr_released_2022_05_24"].cite()
    assert text.startswith("523 people (detainees released under Decree No. 7")
    assert "Fadel Abdul Ghany (Syrian Network for Human Rights (SNHR)" in text
    assert "The New Arab, 2022-05-24. [checked]" in text
    # An uncertain date is given as a span; no speaker, no publication date.
    text = reg["unverified_2022_05_released_527"].cite()
    assert "as of 2022-05-01 to 2022-05-31; circulating; no checked source. [unverified]" in text


def test_toml_line_helper() -> None:
    # The line quoted after a TOML error; nothing when the message names no usable line.
    assert src._toml_line("a = 1\nb = ?\n", "Invalid value (at line 2, column 5)") == (
        "; line 2: 'b = ?'"
    )
    assert src._toml_line("a = 1\n", "Invalid value (at end of document)") == ""
    assert src._toml_line("a = 1\n", "Invalid value (at line 7, column 1)") == ""


def test_docs_table_lists_every_shipped_source(reg: SourceRegistry) -> None:
    # docs/sources.md carries a table generated from the TOML; it must not drift from it.
    docs = Path(__file__).resolve().parents[1] / "docs" / "sources.md"
    if not docs.exists():  # an installed package without the docs
        pytest.skip("docs/sources.md not present")
    text = docs.read_text(encoding="utf-8")
    table = text[text.index("## The shipped sources") :]
    rows = {}
    for line in table.splitlines():
        match = re.match(r"\| `([a-z0-9_]+)` \| ([^|]+) \| ([^|]+) \|", line)
        if match:
            rows[match.group(1)] = (match.group(2).strip(), match.group(3).strip())
    assert set(rows) == set(reg)
    for key, (figure, as_of) in rows.items():
        assert figure == reg[key].figure_text(), key
        assert as_of == reg[key].as_of_text, key


# -- numbers a float cannot hold (regressions) ----------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [(10**400, "a 401-digit integer"), (-(10**400), "a negative 401-digit integer")],
)
def test_resolve_refuses_an_integer_too_large_for_a_float_by_name(value, shown):
    # Was a defect: OverflowError from float(10**400).
    with pytest.raises(
        ValueError, match=rf"stock must be a number a float can hold .* got {shown}"
    ):
        resolve(value, name="stock")
    with pytest.raises(ValueError, match=r"stock must be a number a float can hold"):
        default_registry().resolve(value, name="stock")


def test_source_refuses_an_integer_too_large_for_a_float_by_key():
    with pytest.raises(
        SourceError, match=r"key 'value': must be a finite number, got a 401-digit integer"
    ):
        Source(
            id="huge_count",
            value=10**400,
            unit="people",
            counts="people held",
            as_of="2022-05-24",
            outlet="an outlet",
            status="reported",
        )


def test_midpoint_of_a_range_near_the_largest_float_is_finite():
    # (low + high) / 2 overflowed to inf for two ends near 1.8e308.
    source = Source(
        id="huge_range",
        low=1.7e308,
        high=1.79e308,
        unit="people",
        counts="people held",
        as_of="2022-05-24",
        outlet="an outlet",
        status="reported",
    )
    assert resolve(source, bound="mid").value == pytest.approx(1.745e308, rel=1e-15)
