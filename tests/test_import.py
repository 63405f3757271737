"""Importing the package stays light: no pandas, scipy or matplotlib until needed."""

from __future__ import annotations

import subprocess
import sys

import amnesty_model as am


def test_import_does_not_load_heavy_libraries() -> None:
    code = (
        "import sys, amnesty_model; "
        "print(sorted(m for m in ('pandas', 'scipy', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_names() -> None:
    for name in am.__all__:
        assert hasattr(am, name), name
    assert am.__version__.count(".") == 2
