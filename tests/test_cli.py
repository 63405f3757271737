"""The command line, run as a subprocess as a user would."""

from __future__ import annotations

import subprocess
import sys

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
    assert "invalid float value: 'many'" in out.stderr


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
