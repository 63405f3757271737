"""Build notebooks/05_rates_from_reports.ipynb (stored without outputs).

Run: python notebooks/build_05_rates_from_reports.py  (needs nbformat)
"""

from __future__ import annotations

from _build import main

CELLS = [
    (
        "md",
        """# 05 — Release rates learned from the reports

The May 2022 report divides about 132,000 people held by a release rate. Which rate? SNHR kept
counting releases under Decree No. 7 after the report: 476 by 11 May, 523 by about 24 May, 539
by about 5 July, 547 in mid-June *or* mid-July (the sources disagree), 556 by 12 August 2022.
Here we fit rate models to those counts by maximum likelihood and see what each implies.

*These rows use data published after the report (26 May 2022).*""",
    ),
    (
        "code",
        """import pandas as pd

from amnesty_model import Scenario
from amnesty_model.datasets import decree7_table, load_decree7_releases
from amnesty_model.fit import compare_fits, fit_burst_decay, fit_constant, fit_piecewise
from amnesty_model.later_data import later_data_rows

pd.set_option("display.width", 160)""",
    ),
    ("md", "## The data, with the source of every point"),
    (
        "code",
        """decree7_table()[["date", "date_low", "date_high", "released_cumulative",
                 "new_arrests_cumulative", "outlet", "published"]]""",
    ),
    (
        "code",
        """releases = load_decree7_releases()
print(releases)
print("dates consistent with the other points for 547:", releases.feasible_interval(3))""",
    ),
    (
        "md",
        """The 547 figure is left out of the fits by default: its date is uncertain, and mid-June
would contradict the 539 of 5 July. `uncertain="low"` or `"high"` places it at the ends of the
dates it can have (6–15 July) as a sensitivity check.""",
    ),
    ("md", "## Three models"),
    (
        "code",
        """constant = fit_constant(releases)
piecewise = fit_piecewise(releases)  # one change point, estimated
burst = fit_burst_decay(releases)  # b + A·exp(−t/τ)
for f in (constant, piecewise, burst):
    print(f)
burst.params""",
    ),
    ("code", """compare_fits(constant, piecewise, burst)"""),
    (
        "md",
        """With four counts the goodness-of-fit tests have little power; still, the constant
rate is rejected overwhelmingly, and the burst-decay model fits the counts closely.""",
    ),
    ("code", """burst.goodness_of_fit()"""),
    ("md", "## The rate in the first weeks, and after them"),
    (
        "code",
        """first_weeks = burst.rate_during("2022-04-30", "2022-05-24")
since = burst.rate_after("2022-05-24")
for label, r in (("first weeks", first_weeks), ("since 24 May", since)):
    years = r.time_to_clear(132_000)
    print(f"{label}: {r.rate:,.0f}/yr ({r.low:,.0f}–{r.high:,.0f}) → "
          f"{years.years:,.0f} years ({years.low:,.0f}–{years.high:,.0f}) for 132,000")""",
    ),
    ("md", "## Sensitivity to the date of the 547 figure"),
    (
        "code",
        """pd.DataFrame({
    policy: fit_burst_decay(releases, uncertain=policy).params["estimate"]
    for policy in ("exclude", "low", "high")
})""",
    ),
    ("md", "## From the fit to a projection"),
    (
        "code",
        """schedule = burst.to_schedule()
scenario = Scenario(132_000, schedule, start=releases.start, name="burst then baseline")
print(f"{len(schedule.starts)} daily pieces, then {schedule.rates[-1]:,.0f}/yr")
print(f"{scenario.time_to_clear():,.0f} years to clear, on {scenario.clear_date()}")""",
    ),
    (
        "code",
        """ax = burst.plot(band_points=6, source="SNHR reports, 2022")  # as plot_fit(burst, ...)""",
    ),
    ("md", "## Rows for the article table (later data)"),
    (
        "code",
        """later_data_rows()[["data", "count", "days", "rate_per_year", "rate_low", "rate_high",
                   "years_to_clear", "years_low", "years_high"]]""",
    ),
    (
        "md",
        """Arrests: 124 new arbitrary arrests between the decree and about 5 July, against 16
releases between 24 May and 5 July. After the first wave, arrests ran at several times the
release rate: at those rates the number held grows, and no number of years clears it.""",
    ),
]


if __name__ == "__main__":
    main(CELLS, "05_rates_from_reports")
