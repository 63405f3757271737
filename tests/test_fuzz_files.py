"""Fuzz the file readers, the data-series constructors, the fits and the command line.

Scenario and sources files are generated as TOML text: valid tables with odd values
(NaN, inf, negative, huge, wrong types, unknown keys, unknown rules, bad dates) and arbitrary
text. A reader must return validated objects or raise ValueError/TypeError (the file errors
are ValueError subclasses) naming the key. The command line must exit 0 or 2, never raise.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import math
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import amnesty_model as am
from _fuzz import COUNTS, REFUSED, attempt, is_json_safe, no_nan, odd_values, write_counts
from amnesty_model import cli

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(autouse=True, scope="module")
def _record_counts() -> Iterator[None]:
    yield
    write_counts()


# -- TOML generation -------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """Write a Python value as a TOML value (floats keep nan and inf, which TOML allows)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise AssertionError(value)


TOML_SCALARS = st.one_of(
    st.sampled_from(
        [
            math.nan,
            math.inf,
            -math.inf,
            -1.0,
            0.0,
            1e-300,
            1e300,
            0,
            1,
            -5,
            2**63 - 1,
            True,
            "",
            "x",
            "mem_2022_stock_terrorism",
            "mem_2022_decree_release_per_year",
            "snhr_released_2022_05_24",
            dt.date(2022, 5, 26),
            dt.date(1, 1, 1),
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**63), 2**63 - 1),
    st.text(max_size=6),
)
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(
                [
                    "rule",
                    "size",
                    "every",
                    "first",
                    "fraction",
                    "clear_below",
                    "initial",
                    "growth",
                    "starts",
                    "rates",
                    "colour",
                ]
            ),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=6,
)
RULES = st.one_of(
    st.builds(
        lambda size, every: {"rule": "decrees", "size": size, "every": every},
        TOML_SCALARS,
        TOML_SCALARS,
    ),
    st.builds(lambda f: {"rule": "proportional", "fraction": f}, TOML_SCALARS),
    st.builds(
        lambda i, g: {"rule": "geometric", "initial": i, "growth": g}, TOML_SCALARS, TOML_SCALARS
    ),
    st.builds(
        lambda s, r: {"rule": "schedule", "starts": s, "rates": r},
        st.lists(TOML_SCALARS, max_size=3),
        st.lists(TOML_SCALARS, max_size=3),
    ),
    st.builds(lambda r: {"rule": r}, st.text(max_size=8)),
)
SCENARIO_TABLE = st.fixed_dictionaries(
    {"stock": st.one_of(st.floats(0, 1e6), TOML_SCALARS)},
    optional={
        "name": st.one_of(st.text(max_size=8), TOML_SCALARS),
        "release": st.one_of(st.floats(0, 1e6), RULES, TOML_VALUES),
        "arrest": st.one_of(st.floats(0, 1e6), RULES, TOML_VALUES),
        "death_rate": st.one_of(st.floats(0, 1), TOML_SCALARS),
        "start": st.one_of(st.dates(), TOML_SCALARS),
        "sources": st.one_of(st.lists(st.text(max_size=5), max_size=2), TOML_SCALARS),
        "colour": TOML_VALUES,
    },
)


def scenario_text(format_value: Any, tables: list[dict[str, Any]]) -> str:
    lines = [] if format_value is None else [f"format = {toml_value(format_value)}"]
    for table in tables:
        lines.append("[[scenario]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


@given(
    st.one_of(st.just(1), st.none(), TOML_SCALARS),
    st.lists(SCENARIO_TABLE, max_size=3),
)
@settings(max_examples=80)
def test_load_scenarios_on_generated_files(
    format_value: Any, tables: list[dict[str, Any]]
) -> None:
    text = scenario_text(format_value, tables)
    keys = [
        "format",
        "scenario",
        "stock",
        "release",
        "arrest",
        "death_rate",
        "start",
        "name",
        "sources",
        "colour",
        "rule",
        "size",
        "every",
        "first",
        "fraction",
        "clear_below",
        "initial",
        "growth",
        "starts",
        "rates",
        "<text>",
    ]
    out = attempt("load_scenarios", am.load_scenarios, text, names=keys)
    if out is REFUSED:
        return
    for s in out:
        assert isinstance(s, am.Scenario)
        years = s.time_to_clear()
        assert not math.isnan(years)
        assert is_json_safe(s.provenance)
    # what was read writes back and reads again to equal scenarios with equal hashes
    from amnesty_model.scenario_file import scenarios_to_toml

    again = am.load_scenarios(scenarios_to_toml(out))
    assert [s.provenance["hash"] for s in again] == [s.provenance["hash"] for s in out]


@given(st.text(max_size=200).map(lambda t: t + "\n"))
def test_load_scenarios_on_arbitrary_text(text: str) -> None:
    attempt("load_scenarios(text)", am.load_scenarios, text, names=("<text>",))


@given(st.one_of(odd_values(), st.sampled_from([b"format = 1\n", Path("/nonexistent.toml")])))
def test_load_scenarios_on_odd_arguments(value: Any) -> None:
    # FileNotFoundError is documented for a path that is not a file
    with contextlib.suppress(FileNotFoundError, IsADirectoryError):
        attempt(
            "load_scenarios(odd)",
            am.load_scenarios,
            value,
            names=("path_or_text", "<text>", "format"),
        )


SOURCE_TABLE = st.fixed_dictionaries(
    {
        "id": st.one_of(st.sampled_from(["a", "b", "mem_x"]), st.text(max_size=5), TOML_SCALARS),
        "unit": st.one_of(st.just("people"), TOML_SCALARS),
        "counts": st.one_of(st.just("people held"), TOML_SCALARS),
        "outlet": st.one_of(st.just("an outlet"), TOML_SCALARS),
        "status": st.one_of(
            st.sampled_from(["checked", "unverified", "disputed", "corrected"]), TOML_SCALARS
        ),
    },
    optional={
        "value": TOML_SCALARS,
        "low": TOML_SCALARS,
        "high": TOML_SCALARS,
        "as_of": st.one_of(st.dates(), TOML_SCALARS),
        "valid_from": st.one_of(st.dates(), TOML_SCALARS),
        "valid_until": st.one_of(st.dates(), TOML_SCALARS),
        "related": st.one_of(st.lists(st.text(max_size=3), max_size=2), TOML_SCALARS),
        "colour": TOML_VALUES,
    },
)


@given(st.one_of(st.just(1), TOML_SCALARS), st.lists(SOURCE_TABLE, max_size=3))
@settings(max_examples=80)
def test_load_sources_on_generated_files(format_value: Any, tables: list[dict[str, Any]]) -> None:
    lines = [f"format = {toml_value(format_value)}", 'registry_version = "fuzz"']
    for table in tables:
        lines.append("[[source]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in table.items()]
    text = "\n".join(lines) + "\n"
    keys = [
        "format",
        "source",
        "id",
        "unit",
        "counts",
        "outlet",
        "status",
        "value",
        "low",
        "high",
        "as_of",
        "valid_from",
        "valid_until",
        "related",
        "colour",
        "registry",
        "<text>",
    ]
    reg = attempt("load_sources", am.load_sources, text, names=keys)
    if reg is REFUSED:
        return
    frame = reg.to_frame()
    assert len(frame) == len(tables)


@given(st.text(max_size=200).map(lambda t: t + "\n"))
def test_load_sources_on_arbitrary_text(text: str) -> None:
    attempt("load_sources(text)", am.load_sources, text, names=("<text>",))


# -- count series and fits --------------------------------------------------------------------


DATES = st.one_of(
    st.dates(dt.date(2022, 5, 1), dt.date(2023, 1, 1)),
    st.none(),
    st.sampled_from(["2022-05-11", "not a date", "2022-04-01", 5]),
)


@given(
    st.one_of(st.sampled_from(["2022-04-30", dt.date(2022, 4, 30)]), odd_values()),
    st.lists(DATES, max_size=5),
    st.one_of(st.lists(st.one_of(st.integers(0, 2000), odd_values()), max_size=5), odd_values()),
    st.one_of(st.sampled_from(["cumulative", "per_period"]), odd_values()),
)
def test_count_series_any_input(start: Any, dates: Any, counts: Any, kind: Any) -> None:
    names = ("start", "dates", "counts", "kind", "date_low", "date_high", "CountSeries")
    s = attempt("CountSeries", am.CountSeries, start, dates, counts, kind=kind, names=names)
    if s is REFUSED:
        return
    no_nan(s.to_frame().select_dtypes("number"), "CountSeries.to_frame()")
    assert isinstance(s.records(), list)


@st.composite
def count_series(draw: st.DrawFn) -> am.CountSeries:
    days = draw(st.lists(st.integers(1, 60), min_size=1, max_size=5))
    steps = draw(st.lists(st.integers(0, 10**6), min_size=len(days), max_size=len(days)))
    start = dt.date(2022, 4, 30)
    dates, counts, total, when = [], [], 0, start
    for d, c in zip(days, steps, strict=True):
        when += dt.timedelta(days=d)
        total += c
        dates.append(when)
        counts.append(total)
    return am.CountSeries(start, dates, counts)


@given(count_series(), st.one_of(st.sampled_from([0.95, 0.5]), odd_values()))
@settings(max_examples=25)
def test_fit_constant_any_series(series: am.CountSeries, confidence: Any) -> None:
    fit = attempt(
        "fit_constant",
        am.fit_constant,
        series,
        confidence=confidence,
        names=("confidence", "series", "counts"),
    )
    if fit is REFUSED:
        return
    rate = np.asarray(fit.rate(np.array([0.0, 10.0])), dtype=float)
    assert not np.isnan(rate).any() and (rate >= 0).all()
    assert isinstance(fit.summary(), str)


@given(count_series())
@settings(max_examples=15)
def test_fit_piecewise_and_burst_any_series(series: am.CountSeries) -> None:
    for name, fn in (("fit_piecewise", am.fit_piecewise), ("fit_burst_decay", am.fit_burst_decay)):
        fit = attempt(
            name, fn, series, names=("series", "counts", "change_points", "n_changes", "points")
        )
        if fit is REFUSED:
            continue
        rate = np.asarray(fit.rate(np.array([0.0, 10.0])), dtype=float)
        assert not np.isnan(rate).any() and (rate >= 0).all()
        table = am.compare_fits(fit)
        assert isinstance(table, pd.DataFrame)


@given(st.lists(odd_values(), max_size=2))
@settings(max_examples=20)
def test_compare_fits_odd_arguments(fits: list[Any]) -> None:
    attempt("compare_fits", am.compare_fits, *fits, names=("fits", "compare_fits"))


@given(st.sampled_from(am.datasets.__all__))
@settings(max_examples=10)
def test_every_dataset_loads(name: str) -> None:
    loader = getattr(am.datasets, name)
    if callable(loader):
        COUNTS_KEY = f"datasets.{name}"
        out = attempt(COUNTS_KEY, loader, names=())
        assert out is not REFUSED


# -- the command line --------------------------------------------------------------------------


def run_main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # --help and --version exit through argparse
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


ARG_WORDS = st.one_of(
    st.sampled_from(
        [
            "project",
            "run",
            "reproduce",
            "--stock",
            "--release-rate",
            "--arrest-rate",
            "--death-rate",
            "--start",
            "--format",
            "csv",
            "json",
            "text",
            "table",
            "markdown",
            "nan",
            "inf",
            "-inf",
            "-1",
            "0",
            "1e308",
            "1e309",
            "132000",
            "1000",
            "2022-05-26",
            "2022-13-40",
            "",
            "--",
            "-x",
            "/nonexistent.toml",
            "/",
            "--version",
            "-h",
        ]
    ),
    st.text(max_size=6),
)


@given(st.lists(ARG_WORDS, max_size=7))
@settings(max_examples=80)
def test_cli_any_argv(argv: list[str]) -> None:
    COUNTS["cli.main"] += 1
    code, out, err = run_main(argv)
    assert code in (0, 2), (argv, code, err)
    if code == 2:
        assert err.strip(), argv
        assert "Traceback" not in err
    assert "nan" not in out.lower().replace("provenance", "").split("cite:")[0] or not out


@given(
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, 1e300])),
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, 1e-300])),
    st.one_of(st.floats(0, 1e6), st.floats(allow_nan=True, allow_infinity=True)),
    st.one_of(st.floats(0, 1), st.floats(allow_nan=True, allow_infinity=True)),
    st.one_of(st.none(), st.dates().map(str), st.text(max_size=10)),
)
def test_cli_project_any_numbers(S: float, r: float, a: float, mu: float, start: Any) -> None:
    # "--x=-1e+16": argparse takes a separate "-1e+16" for an option (a usage error)
    argv = [
        "project",
        f"--stock={S!r}",
        f"--release-rate={r!r}",
        f"--arrest-rate={a!r}",
        f"--death-rate={mu!r}",
    ]
    if start is not None:
        argv += [f"--start={start}"]
    COUNTS["cli.main project"] += 1
    code, out, err = run_main(argv)
    assert code in (0, 2), (argv, err)
    if code == 0:
        assert out.startswith("years to clear: ")
    else:
        assert any(
            n in err
            for n in (
                "stock",
                "release_rate",
                "arrest_rate",
                "death_rate",
                "start",
                "time to clear",
            )
        ), err


@given(st.lists(SCENARIO_TABLE, min_size=1, max_size=2), st.sampled_from(["text", "csv", "json"]))
@settings(max_examples=30)
def test_cli_run_generated_files(tables: list[dict[str, Any]], fmt: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.toml"
        path.write_text(scenario_text(1, tables), encoding="utf-8")
        COUNTS["cli.main run"] += 1
        code, _, err = run_main(["run", str(path), "--format", fmt])
    assert code in (0, 2), err
    if code == 2:
        assert str(path) in err or "s.toml" in err, err


def test_cli_run_refuses_a_binary_file_and_a_directory(tmp_path: Path) -> None:
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00format")
    assert run_main(["run", str(binary)])[0] == 2
    assert run_main(["run", str(tmp_path)])[0] == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["project", "--stock", "nan", "--release-rate", "1"],
        ["project", "--stock", "132000", "--release-rate", "1000", "--start", "yesterday"],
        ["run", "/nonexistent/scenarios.toml"],
        ["frobnicate"],
    ],
)
def test_cli_in_a_subprocess_exits_2_with_a_message(argv: list[str]) -> None:
    # A fresh interpreter, as a user would run it: exit status 2, one message, no traceback.
    done = subprocess.run(
        [sys.executable, "-m", "amnesty_model.cli", *argv],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        check=False,
        timeout=60,
    )
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr and done.stderr.strip()
    assert done.stdout == ""


def test_cli_in_a_subprocess_answers() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "amnesty_model.cli",
            "project",
            "--stock",
            "132000",
            "--release-rate",
            "1000",
            "--arrest-rate",
            "500",
        ],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        check=True,
        timeout=60,
    )
    # 132,000 / (1,000 - 500) = 264 years (docs/methods.md §1)
    assert done.stdout.startswith("years to clear: 264 years")


# -- results files ------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 5),
        st.floats(allow_nan=False),
        st.text(max_size=4),
        st.sampled_from(["inf", "-inf"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "amnesty_model_results": st.one_of(st.integers(-1, 3), JSON_VALUES),
            "written_by": JSON_VALUES,
            "provenance": st.one_of(JSON_VALUES, st.just({"format": 1, "hash": "x"})),
            "index": st.one_of(st.just(["years"]), JSON_VALUES),
            "columns": st.one_of(st.just(["years", "held"]), JSON_VALUES),
            "rows": st.one_of(st.just([[0.0, 1.0]]), JSON_VALUES),
        },
    ),
    st.booleans(),
)
@settings(max_examples=60)
def test_load_results_on_generated_documents(document: dict[str, Any], garble: bool) -> None:
    import tempfile

    from amnesty_model.results import load_results

    text = json.dumps(document)
    if garble:
        text = text[: len(text) // 2]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.json"
        path.write_text(text, encoding="utf-8")
        attempt("load_results", load_results, path, names=(str(path),))


# Was a defect: only the provenance was hashed, so an edited value in the rows (or the
# index, the columns, the writer) loaded without complaint. Any edit must now be refused.
CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),  # JSON has neither (refused as such)
    st.text(max_size=4),
)
LEAVES = st.one_of(
    CELLS, st.sampled_from(["inf", "-inf", "years", ""]), st.lists(CELLS, max_size=2)
)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every scalar of a JSON document with its path, content hash left out."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "content_hash":
                yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))
    else:
        yield path, value


def _same_value(a: Any, b: Any) -> bool:
    """Equal as JSON values: numbers by value (1 and 1.0 alike, not True), the rest by type."""
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers):
        if isinstance(a, bool) or isinstance(b, bool):
            return type(a) is type(b) and a == b
        if math.isinf(float(a)) or math.isinf(float(b)) or max(abs(a), abs(b)) > 2**53:
            return type(a) is type(b) and a == b
        return float(a) == float(b)
    return type(a) is type(b) and a == b


@given(
    st.lists(
        st.tuples(st.floats(allow_nan=False), st.integers(-(10**6), 10**6), st.text(max_size=3)),
        min_size=1,
        max_size=4,
    ),
    st.data(),
)
@settings(max_examples=60)
def test_any_edit_of_a_saved_results_file_is_refused(rows: list[Any], data: st.DataObject) -> None:
    import tempfile

    from amnesty_model.provenance import make_provenance
    from amnesty_model.results import load_results, save_results

    frame = pd.DataFrame(rows, columns=["x", "n", "label"])
    frame.index.name = "row"
    frame.attrs["provenance"] = make_provenance(method="fuzz", inputs={"rows": len(rows)})
    with tempfile.TemporaryDirectory() as tmp:
        path = save_results(frame, Path(tmp) / "r.json")
        document = json.loads(path.read_text(encoding="utf-8"))
        leaves = list(_leaves(document))
        where, old = data.draw(st.sampled_from(leaves), label="edited leaf")
        new = data.draw(LEAVES.filter(lambda v: not _same_value(v, old)), label="new value")
        target = document
        for key in where[:-1]:
            target = target[key]
        target[where[-1]] = new
        path.write_text(json.dumps(document), encoding="utf-8")
        COUNTS["load_results(edited)"] += 1
        # an edited format number is refused as such (newer, invalid, or 1 with a content hash)
        what = "" if where == ("amnesty_model_results",) else "the (content|provenance)"
        with pytest.raises(ValueError, match=re.escape(str(path)) + ": " + what):
            load_results(path)
