"""Build notebooks/06_three_countries.ipynb (stored without outputs).

Run: python notebooks/build_06_three_countries.py  (needs nbformat)
"""

from __future__ import annotations

from _build import main

CELLS = [
    (
        "md",
        """# 06 — Three countries: rates fitted to stocks and flows

Syria (SNHR), Myanmar (AAPP) and Guantánamo report different things: SNHR counts releases and
arrests after an amnesty, AAPP publishes arrests, releases and the number still detained on the
same day, and Guantánamo's population is a stock that only fell, in batches of transfers.
`fit_stock_flow` fits arrest, release and death rates to any combination of these (see
`docs/stock_flow.md`): quasi-Poisson counts whose dispersion the data choose, Wald intervals on
the log scale, a conservation check, and scenarios drawn from the rates' uncertainty.

Every figure below comes with the source of each reported count: the tables of
`amnesty_model.datasets` quote the sentence each number was taken from.""",
    ),
    (
        "code",
        """import numpy as np
import pandas as pd

import amnesty_model as am
from amnesty_model.datasets import (
    load_decree7_arrests,
    load_decree7_releases,
    load_guantanamo,
    load_myanmar_aapp,
    series_definitions,
)

pd.set_option("display.width", 160)
pd.set_option("display.max_colwidth", 70)
COLUMNS = ["from", "to", "estimate", "low", "high", "unit", "status"]""",
    ),
    (
        "md",
        """## Syria: releases and arrests after Decree No. 7 (SNHR)

SNHR counted 476 releases by 11 May 2022, 523 by 24 May and 556 by 12 August (the 547 of
uncertain date is left out), and 124 new arbitrary arrests by 5 July. Releases came in a burst:
their rate gets change points on 11 and 24 May; arrests get one rate (a single count cannot
split it). SNHR's stock, "about 132,000", is rounded to the thousand: a change of a few hundred
cannot be seen in it, so it is not fitted, only used as the starting stock.""",
    ),
    (
        "code",
        """syria = am.fit_stock_flow(
    arrested=load_decree7_arrests(),
    released=load_decree7_releases(),
    change_points={"released": ["2022-05-11", "2022-05-24"]},
    name="Syria (SNHR, Decree No. 7)",
)
print(syria)
print("dispersion:", syria.dispersion_test["how"])
syria.params[COLUMNS]""",
    ),
    (
        "md",
        """## Myanmar: arrests, releases and the detained since the coup (AAPP)

AAPP changed how it counts between January and May 2023 (`series_definitions()` below): the
series cannot be joined across that break. **We fit only from 15 May 2023 on**, within one
definition. Releases are reported until 22 July 2024; after that they are inferred from the
stock and the arrests (conservation).""",
    ),
    (
        "code",
        """defs = series_definitions()
defs[defs["dataset"] == "myanmar_aapp"][["series", "caveats"]]""",
    ),
    (
        "code",
        """mm = load_myanmar_aapp()


def aapp(series):
    return mm[mm["series"] == series]


myanmar = am.fit_stock_flow(
    held=aapp("detained_now"),
    arrested=aapp("arrested_cumulative"),
    released=aapp("released_cumulative"),
    start="2023-05-15",
    name="Myanmar (AAPP, since May 2023)",
)
print(myanmar)
print("dispersion:", myanmar.dispersion_test["how"])
print("assumed 0:", myanmar.assumed_zero)
myanmar.params[COLUMNS]""",
    ),
    (
        "md",
        """The conservation check: arrested − released − died against the change in the detained,
since the first stock report of the window. Where AAPP reports all of them it holds exactly
(AAPP's "detained" is arrests less releases); after July 2024 the releases are fitted, and
the gap is what the fit leaves unexplained, against its standard deviation.""",
    ),
    ("code", """myanmar.conservation()"""),
    (
        "code",
        """scenario = myanmar.to_scenario()
print(scenario.describe())
print("time to clear:", scenario.time_to_clear(), "—", scenario.reason)
draws = myanmar.sample_rates(20_000, seed=2023)
print(f"arrests outpace releases in {np.mean(draws[:, 0] > draws[:, 1]):.1%} of the draws")""",
    ),
    (
        "md",
        """## Guantánamo: a stock that falls in batches

From January 2009 no one arrived (arrests are 0) and the stock fell from 242 to 15 by
January 2025, mostly in transfers of groups on single dates. The release rate (every way of
leaving, deaths included) is inferred from the stock's drops, with a change on 20 January 2017
(transfers almost stopped). The Pearson test rejects Poisson variance and the dispersion
absorbs the batches (`docs/stock_flow.md`: releases in batches of mean size `m` have variance
`E[S²]/E[S]` times the mean, the quasi-Poisson form).""",
    ),
    (
        "code",
        """gtmo = load_guantanamo()
guantanamo = am.fit_stock_flow(
    held=gtmo[gtmo["date_start"] >= "2009-01-01"],
    infer="released",
    change_points=["2017-01-20"],
    name="Guantánamo (from 2009)",
)
print(guantanamo)
print("dispersion:", guantanamo.dispersion_test["how"])
guantanamo.params.loc[["released"]][COLUMNS]""",
    ),
    (
        "code",
        """residuals = guantanamo.residuals
residuals[residuals["batch"]][["from", "to", "observed", "fitted", "z_poisson", "z"]]""",
    ),
    (
        "md",
        """## The three side by side: rates from now on, with 95 % intervals""",
    ),
    (
        "code",
        """fits = {"Syria": syria, "Myanmar": myanmar, "Guantánamo": guantanamo}
stocks = {"Syria": 132_000, "Myanmar": None, "Guantánamo": None}
rows = []
for name, fit in fits.items():
    scenario = fit.to_scenario(stock=stocks[name])
    for flow in ("arrested", "released"):
        low, high = fit.interval(flow)
        rows.append({"country": name, "flow": flow, "rate per year": fit.rate(flow),
                     "low": low, "high": high, "dispersion": fit.dispersion})
    clear = scenario.time_to_clear()
    rows[-1]["years to clear"] = clear
    rows[-1]["why never"] = scenario.reason
table = pd.DataFrame(rows).set_index(["country", "flow"])
table.round(1)""",
    ),
    (
        "md",
        """## Projections with bands from the rates' uncertainty

Each band comes from 4,000 draws of the rates (log-normal, from the fit's covariance) pushed
through the stock equation from the last report: the rates' uncertainty, not the randomness of
the counts themselves (for that, see `am.simulate`).""",
    ),
    (
        "code",
        """years = np.linspace(0.0, 10.0, 41)
quantiles = (0.025, 0.25, 0.5, 0.75, 0.975)
bands = {
    name: fit.held_bands(years, n=4_000, seed=6, quantiles=quantiles, stock=stocks[name])
    for name, fit in fits.items()
}
pd.concat({name: b.loc[[0.0, 2.0, 5.0, 10.0]] for name, b in bands.items()}).round(0)""",
    ),
    (
        "code",
        """import matplotlib.pyplot as plt

from amnesty_model.plot import plot_bands, shared_legend, small_multiples, style

with style():
    fig, axes = small_multiples(3, panel=(3.4, 2.8), sharey=False)
    for ax, (name, frame) in zip(axes, bands.items(), strict=True):
        plot_bands(frame.drop(columns="estimate"), ax=ax, label=None,
                   covers="{percent} % of the rates' uncertainty")
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("years after the last report")
    shared_legend(fig, title="People held, projected at the fitted rates")
plt.show()""",
    ),
    (
        "md",
        """## What this says, and what it does not

- Myanmar: since the change of definition, arrests (about 3,200 a year) outpace releases
  (about 1,300 a year) in nearly every draw: at these rates the detained population never
  clears — `Scenario.reason` says why.
- Guantánamo: at the rate since 2017 the last 15 would leave within a few years, but the
  interval is wide: a handful of transfers in eight years says little about the next.
- Syria: SNHR's own counts after Decree No. 7 show arrests outpacing releases once the
  burst was over; the stock of 132,000 is too rounded to check them against.
- All rates are constant within their segments; the bands carry the uncertainty of the
  rates only. The reported counts are what the organisations could verify: an undercount
  shows up only where the conservation check has the numbers to compare.""",
    ),
]

if __name__ == "__main__":
    main(CELLS, "06_three_countries")
