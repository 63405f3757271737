"""The first-passage distribution against stored 50-digit mpmath references.

The references (tests/reference/passage_reference.json) come from
tests/reference/generate_passage_reference.py, which uses mpmath only: the regularised
incomplete gamma (``hyp1f1`` series and ``gammainc``) for ``a = 0`` and, for ``a > 0``, the
Bessel density (``besseli``) integrated by ``quad`` or the Skellam reflection sum. The
tolerances are the accuracy table of docs/first_passage.md.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from amnesty_model import first_passage

REFERENCE = json.loads(
    (Path(__file__).parent / "reference" / "passage_reference.json").read_text()
)
# Below this the exact value underflows (or nearly): 0 is then the right double.
TINY = 1e-300


def relative_error(value: float, reference: float) -> float:
    return abs(value / reference - 1.0)


@pytest.mark.parametrize("row", REFERENCE["gamma"], ids=lambda r: f"n={r['n']},x={r['x']:g}")
def test_no_arrests_cdf_sf_logpdf(row: dict[str, object]) -> None:
    # docs table: cdf and sf 1e-12 relative down to 1e-300; logpdf 1e-11 absolute
    fp = first_passage(row["n"], 1.0)
    x = float(row["x"])  # type: ignore[arg-type]
    for name in ("cdf", "sf"):
        reference = float(row[name])  # type: ignore[arg-type]
        value = float(getattr(fp, name)(x))
        if reference < TINY:
            assert value < 1e-290
        else:
            assert relative_error(value, reference) < 1e-12, (name, value, reference)
    assert abs(float(fp.logpdf(x)) - float(row["logpdf"])) < 1e-11  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "row", REFERENCE["bessel"], ids=lambda r: f"n={r['n']},rho={r['rho']:.4g},t={r['tau']:g}"
)
def test_with_arrests_pdf_cdf_sf(row: dict[str, object]) -> None:
    # docs table: pdf 1e-12, cdf and sf 1e-11 relative (release rate 1, arrest rate rho)
    fp = first_passage(row["n"], 1.0, row["rho"])
    t = float(row["tau"])  # type: ignore[arg-type]
    assert relative_error(float(fp.pdf(t)), float(row["pdf"])) < 1e-12  # type: ignore[arg-type]
    for name in ("cdf", "sf"):
        reference = float(row[name])  # type: ignore[arg-type]
        assert relative_error(float(getattr(fp, name)(t)), reference) < 1e-11, name


@pytest.mark.parametrize("scale", [1e-200, 1e-9, 1e9, 1e200])
def test_only_rate_times_time_matters(scale: float) -> None:
    # T_n for rates (s r, s a) is T_n / s: the same reference rows, rescaled
    for row in REFERENCE["bessel"][:6]:
        fp = first_passage(row["n"], scale, scale * row["rho"])
        t = float(row["tau"]) / scale
        assert relative_error(float(fp.sf(t)), float(row["sf"])) < 1e-11
        assert math.isclose(float(fp.pdf(t)) / scale, float(row["pdf"]), rel_tol=1e-12)
