"""Speed of the closed form against the bare numpy expression and of the import.

Run with ``make bench``. Prints a Markdown table; numbers are medians of repeated runs, measured
in the same process so that machine drift affects both sides alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np

import amnesty_model as am


def median_seconds(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_seconds(module: str, repeat: int = 5) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeat)
    ]
    return statistics.median(runs)


def main() -> None:
    n = 10_000_000
    rng = np.random.default_rng(20220526)
    stock = rng.uniform(1e3, 2e5, n)
    release = rng.uniform(500, 5_000, n)
    arrest = release * rng.uniform(0.0, 0.99, n)  # all clear, so both sides compute the same
    ours = am.time_to_clear(stock, release, arrest)
    bare = stock / (release - arrest)
    np.testing.assert_allclose(ours, bare, rtol=1e-15)  # same answer before any time counts
    t_ours = median_seconds(lambda: am.time_to_clear(stock, release, arrest))
    t_bare = median_seconds(lambda: stock / (release - arrest))
    t_imp = import_seconds("amnesty_model")
    t_np = import_seconds("numpy")
    print("| measurement | seconds | ratio |")
    print("|---|---|---|")
    print(f"| am.time_to_clear, 10^7 scenarios | {t_ours:.3f} | {t_ours / t_bare:.2f}x bare |")
    print(f"| stock / (release - arrest), 10^7 | {t_bare:.3f} | 1 |")
    print(f"| import amnesty_model | {t_imp:.3f} | {t_imp / t_np:.2f}x numpy |")
    print(f"| import numpy | {t_np:.3f} | 1 |")


if __name__ == "__main__":
    main()
