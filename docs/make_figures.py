"""Render the figures of the documentation's gallery into docs/images/.

Run from the repository root: ``python docs/make_figures.py``. Every figure is computed by the
package from the inputs written here; the captions in ``docs/gallery.md`` name their sources.

The Monte Carlo fan, the tornado, the cohort and the fit figures are drawn from what
``am.simulate``, ``am.tornado``, ``am.cohort`` and ``am.fit_burst_decay`` return; the rate-band
figure from a frame built here with the exact Poisson interval of the count.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

import amnesty_model as am
from amnesty_model.datasets import load_decree7_releases
from amnesty_model.plot import (
    plot_bands,
    plot_cohort_fate,
    plot_fit,
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


def fan() -> None:
    """Monte Carlo fans: chance hardly moves 132,000, but matters for a small centre."""
    big = am.Scenario(STOCK, 1_000, arrest_rate=500, name="132,000 held")
    small = am.Scenario(300, 30, arrest_rate=20, name="300 held")
    with style(**{"figure.figsize": (10.0, 4.0)}):
        fig, (left, right) = plt.subplots(1, 2)
    for ax, scenario, horizon, text in (
        (left, big, 300.0, "132,000 held, 1,000 released and 500 arrested a year"),
        (right, small, 50.0, "300 held, 30 released and 20 arrested a year"),
    ):
        sim = am.simulate(scenario, paths=1_000, seed=2022, horizon=horizon, grid=601)
        sim.plot(ax=ax, label=None)
        if scenario is big:
            # At this scale the fan is thinner than the line: zoom in near the end.
            inset = ax.inset_axes((0.14, 0.12, 0.32, 0.32))
            sim.plot(ax=inset, label=None, ylabel="")
            inset.get_legend().remove()
            inset.set(xlim=(250, 270), ylim=(0, 8_000), xlabel="", title="zoom")
            inset.title.set_fontsize(8)
            inset.tick_params(labelsize=7)
            ax.indicate_inset_zoom(inset, edgecolor="0.4")
        s = sim.summary()
        ax.set_title(
            f"{text}\ncleared in {s['q05']:,.1f}–{s['q95']:,.1f} years (90 % of paths)",
            fontsize=10,
        )
    fig.tight_layout()
    save(left, "fan")


def tornado() -> None:
    """One input at a time (am.tornado), from the release rate seen in the first 26 days."""
    released = am.rate_from_count(523, start="2022-04-30", end="2022-05-26")
    table = am.tornado((128_000, 136_000), released, (0, 500), death_rate=(0.0, 0.02))
    ax = plot_tornado(table)
    ax.set_title("Years to clear at the first 26 days' pace: one input at a time")
    save(ax, "tornado")


def cohort() -> None:
    """What becomes of those held today (am.cohort): FIFO, 1,000 a year, 2 % dying a year."""
    scenario = am.Scenario(STOCK, 1_000, death_rate=0.02)
    ax = plot_cohort_fate(am.cohort(scenario, "fifo", horizon=80.0).frame)
    ax.set_title("Those held today, oldest cases first: 1,000 released a year, 2 % dying a year")
    save(ax, "cohort")


def fit() -> None:
    """SNHR's counts of releases under Decree No. 7 with the burst-decay fit."""
    burst = am.fit_burst_decay(load_decree7_releases())
    with style(**{"figure.figsize": (7.0, 4.2)}):
        _fig, ax = plt.subplots()
    plot_fit(burst, ax=ax, band_points=8)
    ax.set_title("Releases under Decree No. 7 counted by SNHR, with a burst-then-decay fit")
    save(ax, "fit")


def main() -> None:
    """Render every figure."""
    OUT.mkdir(exist_ok=True)
    projections()
    bands()
    phase()
    fan()
    tornado()
    cohort()
    fit()


if __name__ == "__main__":
    main()
