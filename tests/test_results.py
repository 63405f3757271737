"""Results files: written by one version, read by the next; edits and newer formats refused."""

from __future__ import annotations

import json
import math
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


def test_newer_format_is_refused_with_the_version_that_wrote_it(tmp_path: Path) -> None:
    document = json.loads((DATA / "results_format1.json").read_text())
    document["amnesty_model_results"] = RESULTS_FORMAT + 1
    document["written_by"] = "9.0.0"
    path = tmp_path / "new.json"
    path.write_text(json.dumps(document))
    with pytest.raises(
        ValueError,
        match=r"results format 2 was written by amnesty_model 9.0.0, "
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
