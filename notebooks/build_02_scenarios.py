"""Build notebooks/02_scenarios.ipynb (stored without outputs).

Run: python notebooks/build_02_scenarios.py  (needs nbformat)
"""

from __future__ import annotations

from _build import main

CELLS = [
    (
        "md",
        """# 02 — Scenarios: what if the rates change?

The report's 132 years hold only if 1,000 people are released every year and nobody is
arrested. A `Scenario` states a starting stock and the rules for releases, arrests and deaths;
`project()` follows it over time and `time_to_clear()` says when it reaches zero (or why it
never does). Every scenario here is a "what if", not a forecast.""",
    ),
    (
        "code",
        """import numpy as np
import pandas as pd

import amnesty_model as am
from amnesty_model.plot import plot_phase_diagram, plot_projection

pd.set_option("display.width", 140)

START = "2022-05-26"  # the report's date
base = am.Scenario(132_000, 1_000, start=START, name="report: 1,000 a year, no arrests")
print(base.project().cite())""",
    ),
    (
        "md",
        """## Arrests continuing

With arrests at `a` a year and releases at `r`, the stock falls by `r − a` a year:
132,000 / (1,000 − a) years, and never when `a ≥ r`.""",
    ),
    (
        "code",
        """arrests = [
    base.with_(arrest_rate=a, name=f"{a:,} arrests a year") for a in (250, 500, 1_200)
]
ax = plot_projection(
    [s.project(horizon=300) for s in [base, *arrests]],
    title="People held from 132,000 on 26 May 2022, with arrests going on",
    source="SNHR, May 2022 (stock); computed with amnesty_model",
)""",
    ),
    (
        "md",
        """## Decrees instead of a steady flow

Amnesties come as decrees: a pulse of releases at a date. One decree of 1,000 a year gives
the same 132 years; the stock falls in steps.""",
    ),
    (
        "code",
        """decrees = base.with_(release_rate=am.Decrees(1_000), name="a decree of 1,000 a year")
print(decrees.time_to_clear(), "years")
decrees.project(horizon=3, step=0.5).frame  # the step at each anniversary""",
    ),
    (
        "md",
        """Drawn, each decree is a step at its date (the figure evaluates the exact path just
before and at every decree, whatever the projection's grid):""",
    ),
    (
        "code",
        """small = decrees.with_(stock=20_000, arrest_rate=500, name="20,000 held, 500 arrests a year")
ax = plot_projection(small.project(horizon=45), title="A decree of 1,000 each year")""",
    ),
    (
        "md",
        """## Faster releases, and releases that grow

The decree's first 26 days released 523 people: about 7,347 a year. Or releases could start
at 1,000 a year and grow by 5 % a year (`Geometric`: `1,000·e^(0.05 t)`).""",
    ),
    (
        "code",
        """faster = base.with_(release_rate=7_347, name="7,347 a year (the first 26 days' pace)")
growing = base.with_(
    release_rate=am.Geometric(1_000, 0.05), name="1,000 a year, growing 5 % a year"
)
for s in (faster, growing):
    print(f"{s.name}: {s.time_to_clear():.1f} years")""",
    ),
    (
        "md",
        """## Schedules: a burst, then a trickle

What SNHR counted: 523 in the first 26 days, then 33 more by 12 August 2022 (80 days), about
150 a year. A `Schedule` holds piecewise-constant rates over years since the start.""",
    ),
    (
        "code",
        """burst = base.with_(
    release_rate=am.Schedule(starts=[0.0, 26 / 365.25], rates=[7_347, 33 / 80 * 365.25]),
    name="burst, then 150 a year",
)
print(burst.project().cite())""",
    ),
    ("md", "## Side by side"),
    (
        "code",
        """table = am.compare([base, *arrests, decrees, faster, growing, burst,
                    base.with_(death_rate=0.02, name="2 % of those held die each year")])
table[["release", "arrests", "death_rate", "years_to_clear", "clear_date", "reason"]]""",
    ),
    (
        "md",
        """The last row's death rate is an assumption for illustration, not a reported figure:
those held also leave by dying, so the prisons empty sooner — see notebook 04.

## The whole plane: every release rate against every arrest rate

Colour is the time to clear 132,000; above the diagonal (arrests ≥ releases) it never
clears.""",
    ),
    (
        "code",
        """ax = plot_phase_diagram(
    np.linspace(0, 8_000, 161), np.linspace(0, 4_000, 161), stock=132_000,
    points={"report": (1_000, 0), "first 26 days' pace": (7_347, 0),
            "arrests as seen to July": (1_000, 124 * 365.25 / 66)},
    title="Years to clear 132,000 held",
    source="SNHR, 2022 (stock, first 26 days, arrests to July)",
)""",
    ),
    (
        "md",
        """The third point uses SNHR's count of 124 new arbitrary arrests in the 66 days from the
decree to about 5 July 2022 (about 690 a year): with 1,000 releases a year that is over 400
years.""",
    ),
]

if __name__ == "__main__":
    main(CELLS, "02_scenarios")
