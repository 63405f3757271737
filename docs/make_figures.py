"""Render the figures of the documentation's gallery into docs/images/.

Run from the repository root: ``python docs/make_figures.py``. Every figure is computed by the
package from the inputs written here; the captions in ``docs/gallery.md`` name their sources.
Each is written twice with ``amnesty_model.plot.save_figure``: ``docs/images/NAME.png`` (the
"web" preset, 800 CSS px at 2x: 1,600 px wide) and ``docs/images/print/NAME.png`` (the
"print" preset, 180 mm at 300 dpi: about 2,126 px wide), reduced to 256 colours except the
phase diagrams (whose colour map would show bands).

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
    add_legend,
    plot_bands,
    plot_cohort_fate,
    plot_fit,
    plot_phase_diagram,
    plot_projection,
    plot_tornado,
    save_figure,
    shared_legend,
    small_multiples,
    style,
)

OUT = Path(__file__).resolve().parent / "images"
START = "2022-05-26"  # the report's publication date (Middle East Monitor, 26 May 2022)
STOCK = 132_000  # "about 132,000 still held" (SNHR, May 2022)
SNHR = "Syrian Network for Human Rights (SNHR), May 2022"
MODEL = "computed with amnesty_model"


def _shrink(path: Path) -> None:
    """Reduce a PNG to 256 colours (flat fills and lines: no visible loss, a third the size)."""
    from PIL import Image

    with Image.open(path) as image:
        dpi = image.info.get("dpi")
        small = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=0)
    small.save(path, optimize=True, dpi=dpi)  # keep the resolution a layout program reads


def save(fig: object, name: str) -> None:
    """Write the figure (of an Axes, or a Figure) for the web and for print, and close it."""
    fig = getattr(fig, "figure", fig)
    (OUT / "print").mkdir(exist_ok=True)
    for preset, path in (("web", OUT / f"{name}.png"), ("print", OUT / "print" / f"{name}.png")):
        save_figure(fig, path, preset=preset, metadata={"Software": None})
        if not name.startswith("phase"):  # a colour map would show bands in 256 colours
            _shrink(path)
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
    ax = plot_projection(
        [s.project(horizon=300) for s in scenarios],
        title=f"People held, starting from {STOCK:,} on 26 May 2022",
        note="rates held constant: what if, not a forecast; the 2 % death rate is assumed",
        source=f"{SNHR} (stock); {MODEL}",
    )
    save(ax, "projection")


def decrees() -> None:
    """Yearly decrees against a steady flow of the same size: steps drawn at their dates."""
    steady = am.Scenario(20_000, 1_500, arrest_rate=500, start=START, name="steady: 1,500 a year")
    pulses = steady.with_(release_rate=am.Decrees(1_500), name="a decree of 1,500 each year")
    ax = plot_projection(
        [steady.project(horizon=25), pulses.project(horizon=25)],
        title="20,000 held, 500 arrests a year: yearly decrees against a steady flow",
        note="each step is one decree, drawn at its date; arrests go on in between",
        source=MODEL,
    )
    save(ax, "decrees")


def bands() -> None:
    """Uncertainty in the release rate seen over the first 26 days (523 released)."""
    # The stock at time t is monotone in the rate, so an interval of the rate maps to an
    # interval of the stock exactly.
    count, days = 523, 26
    years = np.linspace(0.0, 25.0, 251)
    columns = {}
    for level in (0.95, 0.5):
        # Exact (Garwood) interval of the count at this level, annualised (docs/rates.md).
        alpha = 1 - level
        low = stats.chi2.ppf(alpha / 2, 2 * count) / 2 * 365.25 / days
        high = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2 * 365.25 / days
        # More releases, fewer held: the rate's upper bound gives the stock's lower quantile.
        columns[alpha / 2] = np.maximum(STOCK - high * years, 0.0)
        columns[1 - alpha / 2] = np.maximum(STOCK - low * years, 0.0)
    frame = pd.DataFrame(columns, index=pd.Index(years, name="years"))
    ax = plot_bands(
        frame,
        covers="{percent} % interval of the release rate (exact Poisson, 523 in 26 days)",
        title="If the pace of the decree's first 26 days had lasted",
        source=f"{SNHR} (523 released in 26 days); {MODEL}",
    )
    rate = count * 365.25 / days
    ax.plot(
        years,
        np.maximum(STOCK - rate * years, 0.0),
        color="black",
        linewidth=1.2,
        linestyle="--",
        label=f"at the observed rate ({rate:,.0f} a year)",
    )
    add_legend(ax)
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
    plot_phase_diagram(
        release,
        arrest,
        STOCK,
        ax=ax,
        points=points,
        title=f"Years to clear {STOCK:,} held, by releases and new arrests a year",
        source=f"{SNHR} (stock, first 26 days, arrests to July); {MODEL}",
    )
    save(ax, "phase")
    # A smaller stock: the contour lines crowd near the diagonal.
    with style(**{"figure.figsize": (7.0, 4.8)}):
        _fig, ax = plt.subplots()
    plot_phase_diagram(
        release,
        arrest,
        20_000,
        ax=ax,
        points=points,
        title="Years to clear 20,000 held: the contours crowd near the diagonal",
        source=MODEL,
    )
    save(ax, "phase_20000")


def fan() -> None:
    """Monte Carlo fans: chance hardly moves 132,000, but matters for a small centre."""
    big = am.Scenario(STOCK, 1_000, arrest_rate=500, name="132,000 held")
    small = am.Scenario(300, 30, arrest_rate=20, name="300 held")
    fig, (left, right) = small_multiples(2, panel=(4.2, 3.4), sharey=False)
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
            fontsize=9,
        )
    shared_legend(
        fig,
        [left, right],
        title="Chance: 1,000 simulated paths each (seed 2022)",
        source=MODEL,
    )
    save(fig, "fan")


def tornado() -> None:
    """One input at a time (am.tornado), from the release rate seen in the first 26 days."""
    released = am.rate_from_count(523, start="2022-04-30", end="2022-05-26")
    table = am.tornado((128_000, 136_000), released, (0, 500), death_rate=(0.0, 0.02))
    ax = plot_tornado(
        table,
        title="Years to clear at the first 26 days' pace: one input at a time",
        note=(
            f"the base, {table.attrs['base_years']:.1f} years, has every input at its median; "
            "the headline 18.0 years is 132,000 at the observed 7,347 a year with no arrests "
            "or deaths"
        ),
        source=f"{SNHR} (523 released in 26 days); other ranges illustrative; {MODEL}",
    )
    save(ax, "tornado")


def cohort() -> None:
    """What becomes of those held today (am.cohort): FIFO, 1,000 a year, 2 % dying a year."""
    scenario = am.Scenario(STOCK, 1_000, death_rate=0.02)
    ax = plot_cohort_fate(
        am.cohort(scenario, "fifo", horizon=80.0).frame,
        title="Those held today, oldest cases first: 1,000 released a year, 2 % dying a year",
        note="the 2 % death rate is an assumption for illustration, not a reported figure",
        source=MODEL,
    )
    save(ax, "cohort")


def orders() -> None:
    """Small multiples: the same cohort under three orders of release, one legend."""
    s = am.Scenario(STOCK, 1_000, arrest_rate=500, death_rate=0.02)
    fig, axes = small_multiples(3, panel=(2.6, 2.4))
    for ax, (order, name) in zip(
        axes,
        (("fifo", "oldest first"), ("random", "at random"), ("lifo", "newest first")),
        strict=True,
    ):
        am.cohort(s, order, horizon=95.0).plot(ax=ax, title=name)
        ax.set_xlabel("years from start")
    shared_legend(
        fig,
        title="Those held today under three orders of release (500 arrests a year)",
        note="2 % of those held die each year: an assumption for illustration",
        source=MODEL,
    )
    save(fig, "orders")


def fit() -> None:
    """SNHR's counts of releases under Decree No. 7 with the burst-decay fit."""
    burst = am.fit_burst_decay(load_decree7_releases())
    ax = plot_fit(
        burst,
        band_points=12,
        title="Releases under Decree No. 7 counted by SNHR, with a burst-then-decay fit",
        source="SNHR reports, April–August 2022; " + MODEL,
    )
    save(ax, "fit")


def three_countries() -> None:
    """Stocks and flows fitted together in three countries, projected with bands.

    The bands are the rates' uncertainty (am.fit_stock_flow, the same fits as
    notebooks/06_three_countries.ipynb).
    """
    from amnesty_model.datasets import (
        load_decree7_arrests,
        load_guantanamo,
        load_myanmar_aapp,
    )

    mm = load_myanmar_aapp()
    gtmo = load_guantanamo()
    gtmo = gtmo[gtmo["date_start"] >= "2009-01-01"]
    fits = {
        "Syria (SNHR), from 132,000": (
            am.fit_stock_flow(
                arrested=load_decree7_arrests(),
                released=load_decree7_releases(),
                change_points={"released": ["2022-05-11", "2022-05-24"]},
            ),
            132_000,
            None,
        ),
        "Myanmar (AAPP), since May 2023": (
            am.fit_stock_flow(
                held=mm[mm["series"] == "detained_now"],
                arrested=mm[mm["series"] == "arrested_cumulative"],
                released=mm[mm["series"] == "released_cumulative"],
                start="2023-05-15",
            ),
            None,
            mm[(mm["series"] == "detained_now") & (mm["date_start"] >= "2023-05-15")],
        ),
        "Guantánamo, since 2009": (
            am.fit_stock_flow(held=gtmo, infer="released", change_points=["2017-01-20"]),
            None,
            gtmo,
        ),
    }
    years = np.linspace(0.0, 10.0, 81)
    fig, axes = small_multiples(3, panel=(3.4, 3.0), sharey=False)
    for ax, (name, (fit, stock, history)) in zip(axes, fits.items(), strict=True):
        frame = fit.held_bands(
            years, n=4_000, seed=6, quantiles=(0.025, 0.25, 0.5, 0.75, 0.975), stock=stock
        )
        scenario = fit.to_scenario(stock=stock)
        origin = scenario.start.year + (scenario.start.timetuple().tm_yday - 1) / 365.25
        frame.index = pd.Index(origin + frame.index.to_numpy(), name="year")
        plot_bands(
            frame.drop(columns="estimate"),
            ax=ax,
            label=None,
            covers="{percent} % of the fitted rates' uncertainty",
        )
        if history is not None:
            when = history["date_start"] + (history["date_stop"] - history["date_start"]) / 2
            decimal = when.dt.year + (when.dt.dayofyear - 1) / 365.25
            ax.plot(
                decimal,
                history["value"],
                "o",
                color="black",
                markersize=3.5,
                linestyle="none",
                label="reported held (fitted)",
            )
            add_legend(ax)

        def rate(flow: str, fit: am.StockFlowFit = fit) -> str:
            low, high = fit.interval(flow)
            return "–".join(f"{x:,.0f}" if x >= 10 else f"{x:.1f}" for x in (low, high))

        arrests = (
            "no arrivals (taken as 0)"
            if "arrested" in fit.assumed_zero
            else f"arrests {fit.rate('arrested'):,.0f} ({rate('arrested')})/yr"
        )
        released = fit.rate("released")
        shown = f"{released:,.0f}" if released >= 10 else f"{released:.1f}"
        ax.set_title(f"{name}\n{arrests}\nreleases {shown} ({rate('released')})/yr", fontsize=8)
        ax.set_xlabel("year")
    shared_legend(
        fig,
        list(axes),
        title="People held: reported, and projected at rates fitted to stocks and flows",
        note="bands: the rates' uncertainty only; Myanmar fitted after AAPP's change of "
        "counting (Jan–May 2023)",
        source="SNHR 2022; AAPP 2023–2025; Guantánamo counts 2009–2025; " + MODEL,
    )
    save(fig, "three_countries")


def main() -> None:
    """Render every figure."""
    OUT.mkdir(exist_ok=True)
    projections()
    decrees()
    bands()
    phase()
    fan()
    tornado()
    cohort()
    orders()
    fit()
    three_countries()


if __name__ == "__main__":
    main()
