"""Build notebooks/03_uncertainty.ipynb (stored without outputs).

Run: python notebooks/build_03_uncertainty.py  (needs nbformat)
"""

from __future__ import annotations

from _build import main

CELLS = [
    (
        "md",
        """# 03 — Uncertainty: chance against not knowing the rates

Two different things make "132 years" uncertain:

1. **Chance.** Even at a fixed rate, releases and arrests come one person at a time, at random
   moments. The exact distribution of the clear time is `am.first_passage`; `am.simulate`
   draws whole paths.
2. **Not knowing the rates.** 523 releases in 26 days pins the release rate down only to an
   interval, and nobody knows next year's arrests. `am.rate_from_count`,
   `am.time_to_clear_interval`, `am.uncertain_time_to_clear` and `am.tornado` carry that
   through.

For numbers the size of Syria's prisons the first is negligible and the second dominates.
Every result has a `cite()` sentence with its method and a provenance hash.""",
    ),
    (
        "code",
        """import amnesty_model as am
from amnesty_model.plot import plot_tornado""",
    ),
    ("md", "## 1. Chance"),
    (
        "code",
        """fp = am.first_passage(132_000, 1_000, 500)
print(f"mean {fp.mean():.1f} years, standard deviation {fp.std():.2f} years")
print(fp.cite())""",
    ),
    (
        "md",
        """Chance moves 264 years by about a year. It matters for small numbers: a detention
centre of 300 with 30 released and 20 arrested a year clears in 30 years on average, give or
take about four.""",
    ),
    (
        "code",
        """small = am.Scenario(300, 30, arrest_rate=20, name="300 held, 30 out, 20 in a year")
print(am.first_passage(300, 30, 20).cite())
sim = am.simulate(small, paths=500, seed=1, horizon=60)
print(sim.cite())
ax = sim.plot(title="300 held: 500 simulated paths", source="computed with amnesty_model")""",
    ),
    (
        "md",
        """The simulation and the exact distribution agree, within the simulation's own error:
here is the share of paths cleared within 30 years against the exact probability.""",
    ),
    (
        "code",
        """p = sim.p_clear_by(30)
se = (p * (1 - p) / sim.paths) ** 0.5
print(f"simulated {p:.3f} ± {se:.3f}, exact {am.first_passage(300, 30, 20).cdf(30.0):.3f}")""",
    ),
    ("md", "## 2. Not knowing the rates"),
    (
        "code",
        """released = am.rate_from_count(523, start="2022-04-30", end="2022-05-26")
print(released.cite())""",
    ),
    (
        "md",
        """An interval of the release rate maps to an interval of the clear time exactly,
because the time to clear falls as the rate rises. Arrests, unknown, are given a range.""",
    ),
    (
        "code",
        """print(am.time_to_clear_interval(132_000, released).cite())
print(am.time_to_clear_interval(132_000, released, (0, 500)).cite())""",
    ),
    (
        "md",
        """Treating the inputs as distributions — the release rate from the count, arrests uniform
over 0–500 a year — gives a distribution of the clear time (quasi-Monte Carlo):""",
    ),
    (
        "code",
        """uncertain = am.uncertain_time_to_clear(132_000, released, (0, 500), seed=2022)
print(uncertain.cite())
uncertain.quantiles.round(1)""",
    ),
    (
        "md",
        """## Which input matters most?

One input at a time, each moved to its 5th and 95th percentiles while the others stay at
their medians. The stock's range (128,000–136,000, around the 132,000 of May 2022 and the
135,253 SNHR counted in November 2022) and the death rate's (0–2 % a year) are illustrative.""",
    ),
    (
        "code",
        """table = am.tornado((128_000, 136_000), released, (0, 500), death_rate=(0, 0.02))
print(f"base: {table.attrs['base_years']:.1f} years")
ax = plot_tornado(table, note="the base has every input at its median")
table.round(2)""",
    ),
    (
        "md",
        """Even with everything uncertain, the pace of the decree's first weeks would have cleared
the prisons in about two decades — not 132 years. The catch is the premise: that pace did not
last (see notebook 05).""",
    ),
]

if __name__ == "__main__":
    main(CELLS, "03_uncertainty")
