"""Render the figures of the documentation's gallery into docs/images/.

Run from the repository root: ``python docs/make_figures.py``. Every figure is computed by the
package from the inputs written here; the captions in ``docs/gallery.md`` name their sources.

The uncertainty, tornado and cohort figures are drawn from frames built in this script with the
closed forms of the model (the layout the package's Monte Carlo, sensitivity and cohort helpers
produce), so that the gallery does not depend on those helpers.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

import amnesty_model as am
from amnesty_model.plot import (
    plot_bands,
    plot_cohort_fate,
    plot_phase_diagram,
    plot_projection,
    plot_tornado,
    style,
)

OUT = Path(__file__).resolve().parent / "images"
START = "2022-05-26"  # the report's publication date (Middle East Monitor, 26 May 2022)
STOCK = 132_000  # "about 132,000 still held" (SNHR, May 2022)


def save(ax: plt.Axes, name: str) -> None:
    """Write the figure of ``ax`` as a PNG and close it."""
    fig = ax.figure
    with style():
        fig.savefig(OUT / f"{name}.png", dpi=120)
    plt.close(fig)


def projections() -> None:
    """The report's premise, arrests continuing, arrests outpacing releases, deaths."""
    base = am.Scenario(STOCK, 1_000, start=START, name="1,000 released a year, no arrests")
    scenarios = [
        base,
        base.with_(arrest_rate=500, name="arrests go on at 500 a year"),
        base.with_(arrest_rate=1_200, name="arrests at 1,200 a year"),
        base.with_(death_rate=0.02, name="no arrests, 2 % of those held die each year"),
    ]
    ax = plot_projection([s.project(horizon=300) for s in scenarios])
    ax.set_title(f"People held, starting from {STOCK:,} on {START}")
    save(ax, "projection")


def bands() -> None:
    """Uncertainty in the release rate seen over the first 26 days (523 released)."""
    # The stock at time t is monotone in the rate, so an interval of the rate maps to an
    # interval of the stock exactly.
    count, days = 523, 26
    years = np.linspace(0.0, 25.0, 251)
    columns = {}
    for level in (0.95, 0.5):
        # Exact (Garwood) interval of the count at this level, annualised (MODEL.md §5).
        alpha = 1 - level
        low = stats.chi2.ppf(alpha / 2, 2 * count) / 2 * 365.25 / days
        high = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2 * 365.25 / days
        # More releases, fewer held: the rate's upper bound gives the stock's lower quantile.
        columns[alpha / 2] = np.maximum(STOCK - high * years, 0.0)
        columns[1 - alpha / 2] = np.maximum(STOCK - low * years, 0.0)
    frame = pd.DataFrame(columns, index=pd.Index(years, name="years"))
    with style():
        _fig, ax = plt.subplots()
    plot_bands(frame, ax=ax)
    rate = count * 365.25 / days
    ax.plot(
        years,
        np.maximum(STOCK - rate * years, 0.0),
        color="black",
        linewidth=1.2,
        label=f"at the observed rate ({rate:,.0f} a year)",
    )
    ax.legend(loc="upper right")
    ax.set_title("If the pace of the decree's first 26 days had lasted")
    save(ax, "bands")


def phase() -> None:
    """Years to clear 132,000 over release rate × arrest rate, with the report's cases."""
    release = np.linspace(0.0, 8_000.0, 321)
    arrest = np.linspace(0.0, 4_000.0, 321)
    points = {
        "report: 1,000 out, none in": (1_000, 0),
        "first 26 days' pace": (523 * 365.25 / 26, 0),
        "with arrests as to July": (1_000, 124 * 365.25 / 66),
    }
    with style(**{"figure.figsize": (7.0, 4.8)}):
        _fig, ax = plt.subplots()
    plot_phase_diagram(release, arrest, STOCK, ax=ax, points=points)
    save(ax, "phase")


def tornado() -> None:
    """One input at a time, from the report's base case, over a stated range each."""
    base = {"stock": STOCK, "release_rate": 1_000.0, "arrest_rate": 200.0, "death_rate": 0.0}
    ranges = {
        "stock (120,000 – 145,000 people)": ("stock", 120_000, 145_000),
        "release rate (500 – 2,000 a year)": ("release_rate", 500, 2_000),
        "arrest rate (0 – 700 a year)": ("arrest_rate", 0, 700),
        "death rate (0 – 2 % a year)": ("death_rate", 0.0, 0.02),
    }

    def answer(**inputs: float) -> float:
        values = {**base, **inputs}
        return float(
            am.time_to_clear(
                values["stock"],
                values["release_rate"],
                values["arrest_rate"],
                death_rate=values["death_rate"],
            )
        )

    rows = [
        {
            "input": name,
            "low": answer(**{key: lo}),
            "high": answer(**{key: hi}),
            "base": answer(),
        }
        for name, (key, lo, hi) in ranges.items()
    ]
    ax = plot_tornado(pd.DataFrame(rows))
    ax.set_title("Years to clear 132,000 held: one input at a time")
    save(ax, "tornado")


def cohort() -> None:
    """FIFO release of today's cohort, 1,000 a year, 2 % dying a year (MODEL.md §3)."""
    # dC/dt = -r - μC: C(t) = (C0 + r/μ) e^(-μt) - r/μ; released alive by t is r·t, died is
    # the rest, until C reaches zero at T = ln(1 + μ C0 / r) / μ.
    r, mu = 1_000.0, 0.02
    clear = math.log1p(mu * STOCK / r) / mu
    years = np.linspace(0.0, 80.0, 401)
    t = np.minimum(years, clear)
    held = np.maximum((STOCK + r / mu) * np.exp(-mu * t) - r / mu, 0.0)
    released = r * t
    died = STOCK - held - released
    frame = pd.DataFrame(
        {"released": released, "died": died, "held": held}, index=pd.Index(years, name="years")
    )
    ax = plot_cohort_fate(frame)
    ax.set_title("Those held today: 1,000 released a year, 2 % dying a year")
    save(ax, "cohort")


def main() -> None:
    """Render every figure."""
    OUT.mkdir(exist_ok=True)
    projections()
    bands()
    phase()
    tornado()
    cohort()


if __name__ == "__main__":
    main()
