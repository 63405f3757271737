"""Results files: written by one version, read by the next; edits and newer formats refused."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

import amnesty_model as am
from amnesty_model.results import RESULTS_FORMAT, load_results, save_results

DATA = Path(__file__).parent / "data"


def test_round_trip_of_a_projection(tmp_path: Path) -> None:
    p = am.Scenario(132_000, 1_000, 1_200, start="2022-05-26").project(horizon=10, step=5)
    saved = load_results(save_results(p, tmp_path / "p.json"))
    assert saved.frame["held"].tolist() == p.frame["held"].tolist()
    assert saved.frame.index.tolist() == [0.0, 5.0, 10.0]
    assert saved.frame["date"].tolist() == [str(d.date()) + "T00:00:00" for d in p.frame["date"]]
    assert saved.provenance == json.loads(json.dumps(p.provenance))
    assert saved.written_by == am.__version__
    assert saved.format == RESULTS_FORMAT


def test_infinite_values_survive(tmp_path: Path) -> None:
    table = am.compare([am.Scenario(1, 1, name="a"), am.Scenario(1, 1, 2, name="b")])
    table.attrs["provenance"] = am.Scenario(1, 1).provenance
    saved = load_results(save_results(table, tmp_path / "t.json"))
    assert saved.frame.loc["b", "years_to_clear"] == math.inf
    assert saved.frame.loc["a", "years_to_clear"] == 1.0
    assert pd.isna(saved.frame.loc["a", "reason"])


def test_format_1_file_from_version_0_1_0_still_reads() -> None:
    # Written by amnesty_model 0.1.0 (format 1) and committed; later versions must read it.
    saved = load_results(DATA / "results_format1.json")
    assert saved.format == 1
    assert saved.written_by == "0.1.0"
    assert saved.frame.loc[132.0, "held"] == 0.0
    assert saved.provenance["result"]["years_to_clear"] == 132.0
    # Format 1 has no content hash: it loads (no warning: pytest turns warnings into errors),
    # saying that its values could not be checked.
    assert saved.content_checked is False
    assert saved.note is not None and "has no content hash" in saved.note


def test_format_1_file_is_refused_when_a_content_hash_is_required() -> None:
    with pytest.raises(ValueError, match=r"results_format1\.json: results format 1 .* no content"):
        load_results(DATA / "results_format1.json", require_content_hash=True)


def test_format_1_file_resaved_is_format_2_and_checked(tmp_path: Path) -> None:
    old = load_results(DATA / "results_format1.json")
    frame = old.frame.copy()
    frame.attrs["provenance"] = old.provenance
    saved = load_results(save_results(frame, tmp_path / "again.json"))
    assert (saved.format, saved.content_checked, saved.note) == (RESULTS_FORMAT, True, None)
    pd.testing.assert_frame_equal(saved.frame, old.frame)


def test_newer_format_is_refused_with_the_version_that_wrote_it(tmp_path: Path) -> None:
    document = json.loads((DATA / "results_format1.json").read_text())
    document["amnesty_model_results"] = RESULTS_FORMAT + 1
    document["written_by"] = "9.0.0"
    path = tmp_path / "new.json"
    path.write_text(json.dumps(document))
    with pytest.raises(
        ValueError,
        match=rf"results format {RESULTS_FORMAT + 1} was written by amnesty_model 9.0.0, "
        r"newer than this version",
    ):
        load_results(path)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"x": 1}', "no valid 'amnesty_model_results' format number"),
        ('{"amnesty_model_results": true}', "no valid"),
        ('{"amnesty_model_results": 1}', "missing the field 'provenance'"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=match):
        load_results(path)


def test_edited_file_is_detected(tmp_path: Path) -> None:
    document = json.loads((DATA / "results_format1.json").read_text())
    document["provenance"]["result"]["years_to_clear"] = 100.0
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="the file was changed after it was written"):
        load_results(path)


def test_save_needs_a_table_and_provenance(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="result must be a DataFrame or have a"):
        save_results(42, tmp_path / "x.json")
    with pytest.raises(TypeError, match="must carry a provenance dict"):
        save_results(pd.DataFrame({"a": [1]}), tmp_path / "x.json")


def _rewrite(path: Path, edit: object, *, restamp: bool = False) -> None:
    """Apply ``edit`` to the JSON document at ``path``; ``restamp`` recomputes its content hash
    (a file crafted by someone who knows the format, to reach the layout checks)."""
    import hashlib

    document = json.loads(path.read_text())
    edit(document)  # type: ignore[operator]
    if restamp:
        # The canonical form documented in amnesty_model.results, written out here
        # independently: sorted keys, no spaces, exact integers as floats.
        def canon(v: object) -> object:
            if isinstance(v, bool) or v is None or isinstance(v, str | float):
                return v
            if isinstance(v, int):
                return float(v) if abs(v) <= 2**53 else v
            if isinstance(v, dict):
                return {k: canon(x) for k, x in v.items()}
            return [canon(x) for x in v]  # type: ignore[attr-defined]

        body = {k: v for k, v in document.items() if k != "content_hash"}
        text = json.dumps(canon(body), sort_keys=True, separators=(",", ":"))
        document["content_hash"] = hashlib.sha256(text.encode()).hexdigest()
    path.write_text(json.dumps(document))


@pytest.fixture
def saved_projection(tmp_path: Path) -> Path:
    p = am.Scenario(132_000, 1_000, 500, start="2022-05-26").project(horizon=10, step=5)
    return save_results(p, tmp_path / "projection.json")


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda d: d["rows"][1].__setitem__(1, 99_000.0), id="a held count"),
        pytest.param(lambda d: d["rows"][0].__setitem__(0, 0.5), id="an index value"),
        pytest.param(lambda d: d["rows"].pop(), id="a row removed"),
        pytest.param(lambda d: d["columns"].__setitem__(1, "released"), id="a column renamed"),
        pytest.param(lambda d: d.__setitem__("written_by", "9.9.9"), id="the writer"),
        pytest.param(lambda d: d["provenance"].__setitem__("label", "x"), id="an unhashed label"),
    ],
)
def test_edited_value_in_a_format_2_file_is_refused_naming_the_file(
    saved_projection: Path, edit: object
) -> None:
    # Was a defect: only the provenance was hashed, so an edited number in the rows loaded.
    _rewrite(saved_projection, edit)
    with pytest.raises(
        ValueError,
        match=re.escape(str(saved_projection)) + r": the content hash does not match",
    ):
        load_results(saved_projection)


def test_integral_numbers_spelt_as_integers_are_not_an_edit(saved_projection: Path) -> None:
    # 129500.0 written 129500 (as some JSON tools do) is the same value: the file still loads.
    def respell(document: dict[str, object]) -> None:
        rows = document["rows"]
        assert isinstance(rows, list)
        rows[1] = [int(v) if isinstance(v, float) and v.is_integer() else v for v in rows[1]]

    before = load_results(saved_projection).frame
    _rewrite(saved_projection, respell)
    pd.testing.assert_frame_equal(load_results(saved_projection).frame, before)


def test_a_format_2_file_relabelled_format_1_is_refused(saved_projection: Path) -> None:
    _rewrite(saved_projection, lambda d: d.__setitem__("amnesty_model_results", 1))
    with pytest.raises(ValueError, match="its format number was changed after it was written"):
        load_results(saved_projection)


def test_a_format_2_file_without_its_content_hash_is_refused(saved_projection: Path) -> None:
    _rewrite(saved_projection, lambda d: d.pop("content_hash"))
    with pytest.raises(ValueError, match="missing the field 'content_hash'"):
        load_results(saved_projection)


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        # Was a defect: a KeyError from pandas without the file's name.
        (lambda d: d.__setitem__("index", ["nowhere"]), r"'index' names \['nowhere'\], not"),
        (lambda d: d.__setitem__("index", []), "'index' must be a non-empty list"),
        (lambda d: d.__setitem__("index", "years"), "'index' must be a non-empty list"),
        (lambda d: d.__setitem__("columns", "years"), "'columns' must be a list of column"),
        (lambda d: d["columns"].__setitem__(1, 5), "'columns' must be a list of column"),
        (lambda d: d["columns"].__setitem__(1, "years"), r"'columns' names \['years'\] more"),
        (lambda d: d.__setitem__("rows", {"a": 1}), "'rows' must be a list of rows"),
        (lambda d: d["rows"][0].pop(), "row 0 must be a list of 6 values"),
        (lambda d: d["rows"].__setitem__(2, 1.0), "row 2 must be a list of 6 values"),
    ],
)
def test_malformed_table_is_refused_naming_the_file(
    saved_projection: Path, edit: object, match: str
) -> None:
    # Was a defect: pandas' own messages (or a KeyError) without the file's name.
    _rewrite(saved_projection, edit, restamp=True)
    with pytest.raises(ValueError, match=re.escape(str(saved_projection)) + ": " + match):
        load_results(saved_projection)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('{"amnesty_model_results": NaN}', "not valid JSON .*NaN is not a JSON value"),
        ('{"amnesty_model_results": 2, "written_by": 5.0}', "results file is missing the field"),
        (
            '{"amnesty_model_results": 3, "written_by": [1]}',
            "results format 3 was written by amnesty_model \\[1\\]",
        ),
    ],
)
def test_odd_json_is_refused_naming_the_file(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=re.escape(str(path)) + ": " + match):
        load_results(path)


def test_a_binary_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "binary.json"
    path.write_bytes(b"\xff\xfe{")
    with pytest.raises(ValueError, match=re.escape(str(path)) + ": not a UTF-8 text file"):
        load_results(path)


def test_the_article_table_saves_with_its_provenance(tmp_path: Path) -> None:
    # Was a defect: "result must carry a provenance dict", though the table is documented to
    # carry it in attrs["provenance"].
    table = am.reproduce_article()
    record = table.attrs["provenance"]
    assert record["inputs"]["rows"]["headline"] == table.loc[0, "provenance"]
    saved = load_results(save_results(table, tmp_path / "article.json"))
    assert saved.provenance == record and saved.content_checked
    assert saved.frame["computed"].tolist() == table["computed"].tolist()
    assert saved.frame["id"].tolist() == table["id"].tolist()
    assert saved.frame.loc[0, "inputs"] == json.loads(json.dumps(table.loc[0, "inputs"]))


def test_save_refuses_repeated_names(tmp_path: Path) -> None:
    frame = pd.DataFrame({"held": [1.0]}, index=pd.Index([0.0], name="held"))
    frame.attrs["provenance"] = am.Scenario(1, 1).provenance
    with pytest.raises(ValueError, match=r"distinct index and column names .*\['held'\]"):
        save_results(frame, tmp_path / "x.json")
