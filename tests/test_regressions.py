"""Defects found by the fuzz suite (tests/test_fuzz_*.py) in its random profile, pinned here.

Each was a numpy warning or an error that did not name a parameter; each input is the one
hypothesis reported.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import amnesty_model as am


def test_first_passage_far_tail_does_not_overflow() -> None:
    # √(ν² + x²) overflowed for x ~ 1e163; σ³ in the Edgeworth branch for t ~ 1e196.
    fp = am.first_passage(1, 1e-9, 1e-9)
    assert 0.0 < fp.pdf(6.7039039649712985e162) < 1e-200
    assert fp.logpdf(1e308) == -math.inf  # x = 2t√(ar) is past the float range: pdf 0
    fp = am.first_passage(1, 1e-9, 1e9)
    # r ≪ a: it ever clears with probability r/a = 1e-18.
    assert fp.cdf(3.1852513365225147e196) == pytest.approx(1e-18, rel=1e-6)


def test_cohort_random_release_with_a_power_law_tail() -> None:
    # S0 = 1e-9, r = 1e-9, a = 0.5: ln(1 + x)/x was inf/inf = NaN inside the root finder.
    out = am.cohort(am.Scenario(1e-9, 1e-9, 0.5), "random")
    assert math.isfinite(out.half_out_time) or out.half_out_time == math.inf


def test_simulate_refuses_absurd_path_counts_by_name() -> None:
    with pytest.raises(ValueError, match="paths must be at most 10,000,000"):
        am.simulate(am.Scenario(0, 0), paths=10**30)


def test_sobol_refuses_outputs_whose_variance_overflows() -> None:
    with pytest.raises(ValueError, match="func returned values up to"):
        am.sobol_sensitivity(lambda x1: x1, {"x1": (-3.186402982010996e154, 0.0)}, n=4, seed=0)


def test_later_data_rows_validates_its_arguments() -> None:
    with pytest.raises(ValueError, match="confidence must be at least 0.5"):
        am.later_data_rows(confidence=5e-324)
    with pytest.raises(TypeError, match="stock must be"):
        am.later_data_rows(stock=None)  # type: ignore[arg-type]
    assert np.isfinite(am.later_data_rows(confidence=0.5)["rate_per_year"]).all()


def test_first_passage_cdf_with_nearly_equal_rates_and_a_large_stock() -> None:
    # The Fourier route divided by a zero grid step (ZeroDivisionError) when r/a = 1 + 1e-9.
    # Reference: with r ≈ a = 1 the walk needs ~n²/(r + a) = 5e5 years to clear 1,000; by
    # t = 1,000 years the probability is astronomically small but positive.
    value = am.first_passage(1_000, 1 + 1e-9, 1).cdf(1_000.0)
    assert 0.0 < value < 1e-100


def test_rate_from_count_refuses_counts_a_float_cannot_carry() -> None:
    with pytest.raises(ValueError, match="count must be at most 1,000,000,000,000,000"):
        am.rate_from_count(10**400, days=1)
    assert am.rate_from_count(10**15, days=365.25).rate == 1e15


def test_decrees_with_deaths_do_not_clear_one_decree_early() -> None:
    # ceil(ratio - 1e-9) took decree 40 although 3.0e-7 people were still held after it.
    # Reference: the decree recurrence stepped in 50-digit decimal arithmetic (below).
    from decimal import Decimal, localcontext

    stock, size, arrests, mu = 63035.64327397656, 1000.0, 200.0, 0.03
    with localcontext() as ctx:
        ctx.prec = 50
        q = (-Decimal(mu)).exp()
        inflow = Decimal(arrests) * (1 - q) / Decimal(mu)  # arrests alive at the next decree
        held, k = Decimal(stock), 0
        while True:
            k += 1
            held = held * q + inflow  # just before decree k (decrees at t = 1, 2, ...)
            if held <= Decimal(size):
                break
            held -= Decimal(size)
    assert k == 41
    s = am.Scenario(stock, am.Decrees(size), arrests, mu)
    assert s.time_to_clear() == 41.0
    frame = s.project(step=1.0).frame
    assert frame.loc[40.0, "held"] == pytest.approx(3.0e-7, rel=1e-3)
    assert frame.loc[41.0, "held"] == 0.0


@pytest.mark.parametrize(
    ("stock", "rule", "expected"),
    [
        (100, am.Decrees(5, 1, 0.0), 19.0),  # decrees at 0, 1, ..., 19: 20 × 5 = 100
        (9, am.Decrees(10, every=5, first=0), 0.0),  # the decree at t = 0 empties the prisons
    ],
)
def test_ode_route_applies_a_decree_at_time_zero(
    stock: float, rule: am.Decrees, expected: float
) -> None:
    s = am.Scenario(stock, rule)
    assert s.time_to_clear("exact") == expected
    assert s.time_to_clear("ode") == expected
