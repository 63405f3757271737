"""Run every notebook in ``notebooks/`` top to bottom, on this checkout's package.

The notebooks are stored without outputs, built by ``notebooks/build_*.py``; here each is
executed with nbclient in a fresh ``python3`` kernel that runs this interpreter
(``sys.executable``) with ``src/`` first on its path, whatever kernels the machine has. A
cell that raises fails the test, and so does anything a cell writes to stderr (warnings
included: the kernel shows every warning once per place, library code's too).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb"))

# Shown before the notebook's own cells: library warnings too, not only __main__'s.
_SETUP = "import warnings\nwarnings.simplefilter('default')"


def test_the_expected_notebooks_are_there():
    assert NAMES == [
        "01_reproduce_the_report",
        "02_scenarios",
        "03_uncertainty",
        "04_whose_release",
        "05_rates_from_reports",
        "06_three_countries",
    ]


@pytest.fixture(scope="session")
def kernel(tmp_path_factory):
    """A ``python3`` kernel spec running ``sys.executable``, found first via JUPYTER_PATH."""
    from ipykernel.kernelspec import install

    prefix = tmp_path_factory.mktemp("jupyter")
    install(kernel_name="python3", prefix=str(prefix))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
        path = os.environ.get("PYTHONPATH")
        mp.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT / "src"), path])))
        mp.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # no debugger note on stderr
        spec = KernelSpecManager().get_kernel_spec("python3")
        assert spec.argv[0] == sys.executable, spec.argv
        yield "python3"


def _build_script(name: str):
    spec = importlib.util.spec_from_file_location(f"build_{name}", NOTEBOOKS / f"build_{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_without_outputs_as_its_build_script_writes_it(name, monkeypatch):
    text = (NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    monkeypatch.syspath_prepend(str(NOTEBOOKS))
    built = _build_script(name)
    from _build import build

    assert text == nbformat.writes(build(built.CELLS)) + "\n", (
        f"{name}.ipynb differs from its build script: run python notebooks/build_{name}.py"
    )


# A notebook whose only cell raises a DeprecationWarning in "library" code (hidden by Python's
# default filters outside __main__): the stderr check below must catch it.
_PROBE = "import warnings\nwarnings.warn_explicit('old', DeprecationWarning, 'lib.py', 1)"


def _notebook(name: str):
    if name == "probe":
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_PROBE)])
    else:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(_SETUP))
    return nb


@pytest.fixture(scope="session")
def executed(kernel):
    """Every notebook (and the probe) executed, all at once: name -> (notebook, error)."""

    async def run(name: str):
        nb = _notebook(name)
        client = nbclient.NotebookClient(
            nb,
            timeout=120,
            kernel_name=kernel,
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        )
        try:
            await client.async_execute()  # raises CellExecutionError on a failing cell
        except Exception as error:  # reported by the notebook's own test
            return nb, error
        return nb, None

    async def run_all():
        names = [*NAMES, "probe"]
        return dict(zip(names, await asyncio.gather(*map(run, names)), strict=True))

    return asyncio.run(run_all())


def _stderr(nb) -> list[str]:
    """What the notebook's cells (after the setup cell) wrote to stderr."""
    return [
        f"cell {i}: {output.text}"
        for i, cell in enumerate(nb.cells[1:])
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stderr"
    ]


def test_a_warning_in_a_library_is_caught(executed):
    nb, error = executed["probe"]
    assert error is None
    (problem,) = _stderr(nb)
    assert "DeprecationWarning: old" in problem


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom_without_warnings(name, executed):
    nb, error = executed[name]
    if error is not None:
        raise error
    problems = _stderr(nb)
    assert not problems, f"{name} wrote to stderr:\n" + "\n".join(problems)
    shown = [o for c in nb.cells[1:] if c.cell_type == "code" for o in c.outputs]
    assert shown, f"{name} showed nothing"
