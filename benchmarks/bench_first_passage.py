"""Timing of the exact first-passage cdf (not a test; run by hand).

PYTHONPATH=src python benchmarks/bench_first_passage.py
"""

from __future__ import annotations

import time

import numpy as np

from amnesty_model import first_passage


def best_of(func, repeats: int = 5) -> float:
    func()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    for n, r, a in [(132_000, 1_000.0, 500.0), (10**4, 10.0, 4.0), (10**7, 1_000.0, 500.0)]:
        fp = first_passage(n, r, a)
        t = np.linspace(fp.mean() - 6 * fp.std(), fp.mean() + 6 * fp.std(), 1000)
        q = np.linspace(0.001, 0.999, 1000)
        cdf = best_of(lambda fp=fp, t=t: fp.cdf(t))
        ppf = best_of(lambda fp=fp, q=q: fp.ppf(q), repeats=2)
        print(
            f"n={n:>10,} r={r:g} a={a:g}: cdf 1000 pts {cdf * 1e3:7.1f} ms, "
            f"ppf 1000 pts {ppf * 1e3:7.1f} ms"
        )


if __name__ == "__main__":
    main()
