"""The command line, run as a subprocess as a user would."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

import amnesty_model as am
from amnesty_model.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "amnesty_model.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_project_prints_the_headline() -> None:
    out = run("project", "--stock", "132000", "--release-rate", "1000")
    assert out.returncode == 0, out.stderr
    assert "132 years" in out.stdout


def test_project_never_says_why() -> None:
    out = run("project", "--stock", "132000", "--release-rate", "1000", "--arrest-rate", "1200")
    assert out.returncode == 0
    assert "never (arrests (1,200/yr) outpace releases (1,000/yr))" in out.stdout


def test_bad_input_exits_2_with_one_line() -> None:
    out = run("project", "--stock", "-5", "--release-rate", "1000")
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "amnesty-model: error: stock must be a finite number >= 0, got -5.0"
    )
    assert "Traceback" not in out.stderr


def test_bad_flag_exits_2() -> None:
    out = run("project", "--stock", "many")
    assert out.returncode == 2
    assert "argument --stock: invalid number: 'many'" in out.stderr


def test_version_flag() -> None:
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"amnesty-model {am.__version__}"


def test_main_in_process(capsys) -> None:
    assert (
        main(["project", "--stock", "132000", "--release-rate", "1000", "--death-rate", "0.02"])
        == 0
    )
    assert "64.6 years" in capsys.readouterr().out


# -- reproduce, project --start, run (issue 3) --------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "report.toml"


def test_reproduce_csv_parses() -> None:
    out = run("reproduce", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out.stdout))}
    # The headline: 132,000 / 1,000 = 132 years, as the report says.
    head = rows["headline"]
    assert float(head["computed"]) == 132.0 == float(head["reported"])
    assert head["status"] == "reproduced"
    assert json.loads(head["inputs"])["stock"]["source"] == "mem_2022_stock_terrorism"
    assert head["sources"].split(";")[0] == "mem_2022_stock_terrorism"
    # Arrests equal to releases: never (written inf; empty cells are NaN).
    assert math.isinf(float(rows["arrests_1000"]["computed"]))
    assert rows["arrests_1000"]["reported"] == ""
    # 30,000,000 SYP at 2,814 SYP/USD.
    assert float(rows["currency_usd_official"]["computed"]) == pytest.approx(30e6 / 2814)


def test_reproduce_json_parses() -> None:
    out = run("reproduce", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    assert rows["headline"]["computed"] == 132.0
    assert rows["arrests_1200"]["computed"] == "inf"
    assert rows["headline"]["low"] is None
    # 130,000 / (2 × 230) = 282.6 years against 325 stated.
    march = rows["snhr_2020_03_years"]
    assert march["computed"] == pytest.approx(130_000 / 460)
    assert (march["reported"], march["status"]) == (325.0, "differs")


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_reproduce_table_and_markdown(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reproduce", "--format", fmt]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + 47  # header, rule, one line per row
    head = next(line for line in lines if "headline" in line.split()[:2])
    if fmt == "markdown":
        assert lines[0].startswith("| id | status | reported | computed | range | unit |")
        assert lines[1] == "|---|---|---|---|---|---|---|"
        cells = [c.strip() for c in head.strip("|").split(" | ")]
        assert cells[:4] == ["headline", "reproduced", "132", "132"]
    else:
        assert lines[0].split()[:4] == ["id", "status", "reported", "computed"]
        assert head.split()[:4] == ["headline", "reproduced", "132", "132"]
    never = next(line for line in lines if "arrests_1200" in line)
    assert "never" in never


def test_markdown_escapes_pipes() -> None:
    from amnesty_model.cli import _write_markdown

    assert _write_markdown(["a"], [["x|y"]]).splitlines()[2] == "| x\\|y |"


def test_project_with_start_prints_date_and_citation() -> None:
    out = run("project", "--stock", "132000", "--release-rate", "1000", "--start", "2022-05-26")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "years to clear: 132 years"
    # 132 years of 365.25 days = 48,213 days after 26 May 2022.
    assert lines[1] == "clear date: 2154-05-27"
    assert lines[2].startswith("cite: 132 years to clear, on 2154-05-27: 132,000 held")


def test_project_never_with_start(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["project", "--stock", "10", "--release-rate", "1", "--arrest-rate", "2"]
    assert main([*args, "--start", "2022-05-26"]) == 0
    out = capsys.readouterr().out
    assert "clear date: never" in out
    assert "cite: never clears (arrests (2/yr) outpace releases (1/yr))" in out


def test_project_bad_start(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["project", "--stock", "1", "--release-rate", "1", "--start", "2022-13-01"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("amnesty-model: error: start must be a date")


def test_run_example_file() -> None:
    out = run("run", str(EXAMPLE))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "the report: 1,000 a year, no arrests: 132 years, clears 2154-05-27"
    assert lines[1].startswith("  cite: 132 years to clear, on 2154-05-27")
    assert len(lines) == 2 * 7


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_run_csv_and_json(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(EXAMPLE), "--format", fmt]) == 0
    text = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(text))) if fmt == "csv" else json.loads(text)
    assert len(rows) == 7
    years = {r["name"]: float(r["years_to_clear"]) for r in rows}
    assert years["and he never stops: 500 arrests a year"] == 132_000 / (1_000 - 500)
    assert years["forcibly disappeared: 7 per yearly decree"] == math.ceil(87_000 / 7)
    gone = next(r for r in rows if r["name"].startswith("forcibly"))
    assert gone["clear_date"] in ("", None)  # past the year 9999
    assert rows[0]["citation"].endswith(f"provenance {rows[0]['provenance']}).")


def test_run_unnamed_and_never(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.toml"
    path.write_text("format = 1\n[[scenario]]\nstock = 5\nrelease = 1\narrest = 3\n")
    assert main(["run", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("scenario 1: never (arrests (3/yr) outpace releases (1/yr))\n")


def test_run_malformed_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("format = 1\n[[scenario]]\nstock = 5\nrelease = { rule = 'decrees' }\n")
    out = run("run", str(path))
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr == (
        f"amnesty-model: error: {path}: scenario #1, key 'release.size': missing required key\n"
    )


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("format = 1\n[[scenario]\n", r"not valid TOML \(.*line 2"),
        (b"\xff\xfe", r"not a UTF-8 text file"),
    ],
)
def test_run_bad_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, match: str
) -> None:
    path = tmp_path / "bad.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert re.search(match, err)


def test_run_missing_file_and_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(tmp_path / "nope.toml")]) == 2
    assert "error: no such scenario file: " in capsys.readouterr().err
    assert main(["run", str(tmp_path)]) == 2
    assert "error: not a file: " in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: command"),
        (["frob"], "invalid choice: 'frob'"),
        (["reproduce", "--format", "xml"], "invalid choice: 'xml'"),
        (["run"], "the following arguments are required: file"),
        (["project", "--stock", "1"], "the following arguments are required: --release-rate"),
        (["reproduce", "--bogus"], "reproduce: error: unknown option --bogus (see --help)"),
    ],
)
def test_bad_usage_is_one_line_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err and err.startswith("amnesty-model")


def test_cell_and_value_formatting() -> None:
    from amnesty_model.cli import _cell, _csv_value, _json_value

    assert [_cell(x) for x in (math.nan, math.inf, -math.inf, 2.0, 1234.5, 18.04, 0.5712)] == [
        "",
        "never",
        "-inf",
        "2",
        "1,234",
        "18.0",
        "0.571",
    ]
    assert _cell("x") == "x"
    import datetime as dt

    assert _json_value({"a": (1, None, -math.inf, dt.date(2022, 5, 26))}) == {
        "a": [1, None, "-inf", "2022-05-26"]
    }
    assert _csv_value(None) == "" and _csv_value(3) == "3" and _csv_value(math.nan) == ""


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_reproduce_in_process(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reproduce", "--format", fmt]) == 0
    text = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(text))) if fmt == "csv" else json.loads(text)
    assert len(rows) == 47
    by_id = {r["id"]: r for r in rows}
    # 132,000 / (7 / 26 days × 365.25) etc. are checked in test_article; here: the sources.
    sources = by_id["disappeared_decrees"]["sources"]
    if fmt == "csv":
        sources = sources.split(";")
    assert sources == ["mem_2022_disappeared", "mem_2022_disappeared_released"]


# -- slips on the command line ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["project", "--stock", "1", "--relase-rate", "5"],
            "amnesty-model project: error: unknown option --relase-rate; did you mean "
            "'--release-rate'? (see --help)",
        ),
        (
            ["projct"],
            "invalid choice: 'projct' (choose from 'reproduce', 'project', 'run'); "
            "did you mean 'project'?",
        ),
        (
            ["project", "--stock", "132,000", "--release-rate", "5"],
            "argument --stock: invalid number: '132,000'; write 132000",
        ),
        (
            ["project", "--stock", "132000", "--release-rate", "1000", "--death-rate", "3"],
            "death_rate=3 is a hazard of 3 per person per year (95 % die within a year); did "
            "you mean 0.03, i.e. 3 %? To model such a hazard on purpose, add "
            "--allow-extreme-death-rate",
        ),
    ],
)
def test_slips_are_explained(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_death_rate_as_a_percentage_and_on_purpose(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["project", "--stock", "132000", "--release-rate", "1000", "--death-rate"]
    assert main([*base, "2%"]) == 0
    # ln(1 + 0.02 · 132) / 0.02 = 64.6 years (docs/methods.md).
    assert "years to clear: 64.6 years" in capsys.readouterr().out
    assert main([*base, "3", "--allow-extreme-death-rate"]) == 0
    # ln(1 + 3 · 132) / 3 = 1.99 years.
    out = capsys.readouterr().out
    assert "years to clear: 2.0 years" in out and "a death hazard of 3 per person" in out
