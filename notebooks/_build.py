"""Shared helper of the ``build_*.py`` scripts: cells in, a notebook without outputs out.

Each script lists its cells as ``("md", text)`` or ``("code", text)`` and calls :func:`main`.
Cell ids are numbered (``cell-00``, ``cell-01``, ...) so that rebuilding a notebook whose
cells did not change leaves its file unchanged.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent


def build(cells: Sequence[tuple[str, str]]) -> nbformat.NotebookNode:
    """The notebook of ``cells``, without outputs, for the ``python3`` kernel."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = []
    for i, (kind, text) in enumerate(cells):
        if kind not in ("md", "code"):
            raise ValueError(f"cell {i}: kind must be 'md' or 'code', got {kind!r}")
        cell = new_markdown_cell(text) if kind == "md" else new_code_cell(text)
        cell["id"] = f"cell-{i:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def main(cells: Sequence[tuple[str, str]], name: str) -> None:
    """Write ``notebooks/<name>.ipynb`` (or check it is up to date with ``--check``)."""
    path = HERE / f"{name}.ipynb"
    text = nbformat.writes(build(cells)) + "\n"
    if "--check" in sys.argv[1:]:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            sys.exit(f"{path.name} is out of date: run python notebooks/build_{name}.py")
        return
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
