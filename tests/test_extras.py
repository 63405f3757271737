"""Optional parts of the project fail helpfully, and the install extras say what they promise.

matplotlib is an extra (``plot``): without it, ``import amnesty_model`` and the numbers work,
and every entry point that draws raises an ImportError naming the command that installs it.
"Without it" is simulated in a fresh interpreter with ``sys.modules["matplotlib"] = None``,
which makes every ``import matplotlib...`` fail as if the package were absent.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement

import amnesty_model as am
from amnesty_model import plot

ROOT = Path(__file__).resolve().parents[1]
HINT = 'pip install "amnesty_model[plot]"'

# Each drawing entry point, called as a user would; run with matplotlib made unimportable.
_CALLS = {
    "plot.style": "with plot.style():\n        pass",
    "plot.plot_projection": "plot.plot_projection(projection)",
    "plot.plot_bands": "plot.plot_bands(simulation.quantile_bands())",
    "plot.plot_phase_diagram": "plot.plot_phase_diagram([500, 1_000], [0, 100])",
    "plot.plot_tornado": "plot.plot_tornado(None)",
    "plot.plot_cohort_fate": "plot.plot_cohort_fate(cohort.frame)",
    "plot.plot_fit": "plot.plot_fit(fit)",
    "plot.save_figure": "plot.save_figure(None, 'x.png')",
    "plot.small_multiples": "plot.small_multiples(2)",
    "plot.shared_legend": "plot.shared_legend(None)",
    "plot.add_legend": "plot.add_legend(None)",
    "plot.jump_grid": "plot.jump_grid(am.Scenario(10, am.Decrees(5)), 10.0)",
    "Projection.plot": "projection.plot()",
    "Simulation.plot": "simulation.plot()",
    "CohortProjection.plot": "cohort.plot()",
    "RateFit.plot": "fit.plot()",
    "UncertainProjection.plot": (
        "am.UncertainScenario(100, am.between(5, 15)).project([0, 1], draws=4, seed=1).plot()"
    ),
}

_SCRIPT = """
import json, sys
sys.modules["matplotlib"] = None  # as if matplotlib were not installed
import amnesty_model as am
from amnesty_model import plot
from amnesty_model.datasets import load_decree7_releases

# The numbers need no matplotlib.
projection = am.Scenario(100, 10).project(12.0)
simulation = am.simulate(am.Scenario(20, 10), paths=5, seed=1, grid=[0, 1, 5])
cohort = am.cohort(am.Scenario(100, 10), horizon=12.0, step=1.0)
fit = am.fit_constant(load_decree7_releases())
out = {"years": am.time_to_clear(132_000, 1_000)}
for name, call in CALLS.items():
    try:
        exec("def _call():\\n    " + call + "\\n_call()", globals())
    except ImportError as exc:
        out[name] = "ImportError: " + str(exc)
    except Exception as exc:
        out[name] = type(exc).__name__ + ": " + str(exc)
    else:
        out[name] = "no error"
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def without_matplotlib() -> dict[str, str]:
    script = f"CALLS = {_CALLS!r}\n{_SCRIPT}"
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("entry_point", sorted(_CALLS))
def test_drawing_without_matplotlib_names_the_extra(
    without_matplotlib: dict[str, str], entry_point: str
) -> None:
    outcome = without_matplotlib[entry_point]
    assert outcome.startswith("ImportError: "), outcome
    assert HINT in outcome
    assert "matplotlib" in outcome


def test_numbers_need_no_matplotlib(without_matplotlib: dict[str, str]) -> None:
    assert without_matplotlib["years"] == 132.0  # 132,000 / 1,000 a year


def test_every_drawing_entry_point_is_checked() -> None:
    # A new plot function or .plot() method must join _CALLS, so it cannot miss the guard.
    functions = {
        f"plot.{name}"
        for name in plot.__all__
        if inspect.isfunction(getattr(plot, name)) or name == "style"
    }
    methods = set()
    for name in dir(am):
        obj = getattr(am, name)
        if inspect.isclass(obj) and obj.__module__.startswith("amnesty_model"):
            for klass in obj.__mro__:
                if "plot" in vars(klass) and klass.__module__.startswith("amnesty_model"):
                    methods.add(f"{klass.__name__}.plot")
    assert functions | methods == set(_CALLS)


def _pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        data: dict[str, object] = tomllib.load(f)
    return data


def _extras() -> dict[str, list[str]]:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    extras: dict[str, list[str]] = project["optional-dependencies"]
    return extras


def test_plot_and_notebook_extras_bring_what_they_promise() -> None:
    extras = _extras()
    assert "matplotlib" in {Requirement(r).name for r in extras["plot"]}
    notebook = {Requirement(r).name for r in extras["notebook"]}
    assert {"jupyterlab", "matplotlib", "ipykernel"} <= notebook


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_notebook_installs_jupyter_and_opens_the_notebooks(tmp_path: Path) -> None:
    # Dry run (-n) in a new environment directory: what `make notebook` would do, not doing it.
    # Under `make test` this runs inside make: drop what a parent make passes down.
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "notebook", f"VENV={venv}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert '-e ".[plot,notebook]"' in done.stdout
    assert "-c requirements/constraints.txt" in done.stdout
    assert done.stdout.rstrip().splitlines()[-1] == f"{venv}/bin/jupyter lab notebooks/"


# Interpreters the lock must serve: the oldest 3.11 (Debian 12 ships 3.11.2), the first
# 3.11.5 (where pymdown-extensions 13 starts), every later minor version, and 3.15, the newest
# with wheels on PyPI (numpy, scipy and contourpy need newer releases there).
_PYTHONS = ["3.11.0", "3.11.2", "3.11.5", "3.12.0", "3.13.0", "3.14.0", "3.15.0"]


@pytest.mark.parametrize("python", _PYTHONS)
@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_the_lock_pins_each_package_once_for_every_python(python: str, platform: str) -> None:
    env = {
        "python_full_version": python,
        "python_version": ".".join(python.split(".")[:2]),
        "sys_platform": platform,
        "os_name": "nt" if platform == "win32" else "posix",
        "platform_system": {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}[platform],
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }
    pins: dict[str, list[str]] = {}
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        requirement, _, marker = line.partition(";")
        if marker.strip() and not Marker(marker.strip()).evaluate(env):
            continue
        pin = Requirement(requirement)
        assert len(pin.specifier) == 1 and next(iter(pin.specifier)).operator == "==", line
        pins.setdefault(pin.name.lower().replace("_", "-"), []).append(str(pin.specifier))
    assert not {name: v for name, v in pins.items() if len(v) > 1}
    # Every dependency the project declares, extras included, is pinned for this Python.
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    declared = list(project["dependencies"]) + [r for rs in _extras().values() for r in rs]
    names = {Requirement(r).name.lower().replace("_", "-") for r in declared}
    assert names <= set(pins), names - set(pins)


def test_docs_load_no_script_from_the_network() -> None:
    # Formulas must render offline: MathJax is vendored, and no page script is a URL.
    text = (ROOT / "mkdocs.yml").read_text()
    scripts = text.split("extra_javascript:")[1].split("\n\n")[0]
    assert "://" not in scripts
    for line in scripts.splitlines()[1:]:
        path = line.strip().removeprefix("- ").strip()
        if path and not path.startswith("#"):
            assert (ROOT / "docs" / path).is_file(), path
    assert (ROOT / "docs" / "javascripts" / "mathjax" / "LICENSE").is_file()
