"""Speed and accuracy of amnesty_model.montecarlo (run by hand; not part of the test suite).

    PYTHONPATH=src python benchmarks/bench_simulate.py

Prints wall time for 10,000 full-scale paths (132,000 held, 1,000 released and 500 arrested a
year: mean clear time 264 years) and, for each scheme, the bias of the mean clear time against
the exact first-passage mean S0/(r − a) in units of the Monte Carlo standard error. For deaths
in custody (no closed form for the stochastic mean) the tau scheme is compared with the exact
event-by-event scheme.
"""

from __future__ import annotations

import math
import time

import numpy as np

import amnesty_model as am
from amnesty_model import simulate


def timed(scenario: am.Scenario, **kwargs: object) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    sim = simulate(scenario, **kwargs)  # type: ignore[arg-type]
    return time.perf_counter() - start, sim.clear_times


def report(
    label: str, seconds: float, sample: np.ndarray, reference: float, reference_se: float = 0.0
) -> None:
    """Bias in units of the combined standard error (the reference's own SE included)."""
    se = math.hypot(sample.std(ddof=1) / math.sqrt(sample.size), reference_se)
    bias = sample.mean() - reference
    print(
        f"{label:44s} {seconds:6.2f} s  mean {sample.mean():10.4f}  ref {reference:10.4f}  "
        f"bias {bias:+.4f} = {bias / se:+.2f} SE (SE {se:.4f})"
    )


def main(deaths_only: bool = False) -> None:
    n, r, a = 132_000, 1_000.0, 500.0
    if deaths_only:
        return _deaths()
    full = am.Scenario(n, r, arrest_rate=a)
    for seed in (1, 2, 3):
        seconds, ct = timed(full, paths=10_000, seed=seed)
        report(f"full scale, leap (auto), 10,000 paths, seed {seed}", seconds, ct, n / (r - a))
    seconds, ct = timed(full, paths=10_000, seed=4, grid=2)
    report("full scale, leap, 10,000 paths, 2 grid points", seconds, ct, n / (r - a))
    seconds, ct = timed(full, paths=1_000, seed=5, method="tau")
    report("full scale, tau (step 1/52), 1,000 paths", seconds, ct, n / (r - a))

    small = am.Scenario(2_000, 10.0, arrest_rate=4.0)
    for method in ("exact", "leap", "tau"):
        seconds, ct = timed(small, paths=10_000, seed=6, method=method)
        report(f"2,000 held, r 10, a 4, {method}, 10,000 paths", seconds, ct, 2_000 / 6)

    _deaths()


def _deaths() -> None:
    deaths = am.Scenario(132_000, 1_000.0, death_rate=0.02)
    print(f"deterministic clear time with 2 % deaths: {deaths.time_to_clear():.4f} years")
    seconds, exact = timed(deaths, paths=2_000, seed=7, method="exact")
    report("132,000 held, 2 % deaths, exact, 2,000 paths", seconds, exact, deaths.time_to_clear())
    for step in (1 / 4, 1 / 12, 1 / 52):
        seconds, ct = timed(deaths, paths=10_000, seed=8, method="tau", step=step)
        exact_se = exact.std(ddof=1) / math.sqrt(exact.size)
        label = f"132,000 held, 2 % deaths, tau step 1/{round(1 / step)}"
        report(label, seconds, ct, exact.mean(), exact_se)


if __name__ == "__main__":
    import sys

    main(deaths_only="--deaths" in sys.argv)
