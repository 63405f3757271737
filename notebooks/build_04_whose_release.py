"""Build notebooks/04_whose_release.ipynb (stored without outputs).

Run: python notebooks/build_04_whose_release.py  (needs nbformat)
"""

from __future__ import annotations

from _build import main

CELLS = [
    (
        "md",
        """# 04 — Whose release? Today's detainees, newcomers and deaths in custody

When arrests go on, "the prisons are empty" and "those held today are out" are different
dates, and the order of release decides between them: oldest cases first (`"fifo"`), anyone
with equal chance (`"random"`) or newest cases first (`"lifo"`). People also leave custody
by dying.

The death rate below, 2 % of those held a year, is an **assumption for illustration**: the
sources give no such figure, and the package ships none.""",
    ),
    (
        "code",
        """import pandas as pd

import amnesty_model as am
from amnesty_model.plot import shared_legend, small_multiples

pd.set_option("display.width", 140)

s = am.Scenario(132_000, 1_000, arrest_rate=500, death_rate=0.02, start="2022-05-26")
print(s.project().cite())""",
    ),
    ("md", "## Today's detainees under three orders of release"),
    (
        "code",
        """cohorts = {d: am.cohort(s, d) for d in ("fifo", "random", "lifo")}
pd.DataFrame({
    d: {"half out (years)": c.half_out_time, "all out (years)": c.all_out_time,
        "released alive": c.released_alive, "died in custody": c.died_in_custody}
    for d, c in cohorts.items()
}).round(1)""",
    ),
    (
        "code",
        """for c in cohorts.values():
    print(c.cite(), end="\\n\\n")""",
    ),
    (
        "code",
        """fig, axes = small_multiples(3)  # one row, a shared y axis
for ax, (d, c) in zip(axes, cohorts.items(), strict=True):
    c.plot(ax=ax, title=d)
    ax.set_xlim(0, 95)
shared_legend(fig, title="Today's detainees under three orders of release",
              note="2 % of those held die each year: an assumption for illustration")""",
    ),
    (
        "md",
        """With oldest cases first, today's detainees are all out after 64.6 years whatever the
arrests — the newcomers wait behind them. Newest cases first, the newcomers leave quickly and
today's detainees wait until the prisons empty, and more of them die in custody.

## How long does someone arrested today wait?""",
    ),
    (
        "code",
        """for d in ("fifo", "random", "lifo"):
    print(am.waiting_time(s, d).cite(), end="\\n\\n")""",
    ),
    (
        "md",
        """Newest cases first, while releases outpace arrests, a newcomer is released at once (in
this fluid model: releases take whoever came last) — the whole wait falls on those already
held.

## Deaths in custody

For those held today, with the death rate anywhere between 1 % and 3 % a year:""",
    ),
    (
        "code",
        """for d in ("fifo", "random", "lifo"):
    print(am.deaths_before_release(s, d, death_rate=(0.01, 0.03)).cite(), end="\\n\\n")""",
    ),
    (
        "md",
        """The report's own premise (1,000 released a year, no arrests) at three assumed death
rates: even at 1 % a year, about a third of those held would die before their release.""",
    ),
    (
        "code",
        """am.illustrative_death_rows()[["death_rate", "years_to_clear", "released_alive",
                              "died_in_custody", "share_died", "status"]].round(3)""",
    ),
]

if __name__ == "__main__":
    main(CELLS, "04_whose_release")
