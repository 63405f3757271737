"""Build notebooks/01_reproduce_the_report.ipynb (stored without outputs).

Run: python notebooks/build_01_reproduce_the_report.py  (needs nbformat)
"""

from __future__ import annotations

from _build import main

CELLS = [
    (
        "md",
        """# 01 — The report's numbers, line by line

On 26 May 2022 Middle East Monitor reported, quoting Fadel Abdul Ghany of the Syrian Network
for Human Rights (SNHR), that about 132,000 people were still held in Syria's prisons on
"terrorism" charges, that 523 had been released under the amnesty Decree No. 7 of 30 April
2022, and: *"If Assad continues to release an amnesty decree every year, and releases one
thousand [each time], then we need 132 years until all detainees are released, [that is] if
he was to stop arresting [people]."*

`am.reproduce_article()` recomputes every figure of the report that arithmetic can check,
each from inputs taken by id from the package's source registry, and says whether the
computation gives the stated figure.""",
    ),
    (
        "code",
        """import pandas as pd

import amnesty_model as am

pd.set_option("display.max_colwidth", 70)
pd.set_option("display.width", 140)
pd.set_option("display.float_format", "{:,.1f}".format)

table = am.reproduce_article()
registry = am.default_registry()
table[["id", "reported", "computed", "unit", "status"]]""",
    ),
    (
        "md",
        """`status` is `reproduced` when a stated figure is recomputed (to the precision stated),
`differs` when it is not, `variant` for a what-if the source did not state, and
`not a model output` for plain arithmetic on the sources' figures (an observed rate).""",
    ),
    ("code", """table["status"].value_counts()"""),
    ("md", "## The headline: 132 years"),
    (
        "code",
        """rows = table.set_index("id")
headline = rows.loc["headline"]
print(headline["description"])
print(f"stated {headline['reported']:g} {headline['unit']}, "
      f"computed {headline['computed']:g} ({headline['method']})")
print()
for source_id in headline["sources"]:
    print("-", registry[source_id].cite())""",
    ),
    (
        "md",
        """Each row has a sentence to paste, with the sources' ids and a provenance hash that
anyone who recomputes the same thing gets too:""",
    ),
    ("code", """print(am.cite_article("headline"))"""),
    (
        "md",
        """The same number by hand: a stock of 132,000 falling by 1,000 a year, and the
decree version (a pulse of 1,000 once a year). Whether the first decree falls at the start
or a year later moves the answer by one year: 131 or 132.""",
    ),
    (
        "code",
        """print(am.time_to_clear(stock=132_000, release_rate=1_000))
print(am.Scenario(132_000, am.Decrees(1_000)).time_to_clear())  # first after a year
print(am.Scenario(132_000, am.Decrees(1_000, first=0)).time_to_clear())  # first at the start""",
    ),
    (
        "md",
        """## "And he never stops": arrests continuing

The quote's condition — no new arrests — carries the whole answer. At 500 arrests a year the
time doubles; at 1,000 or more the stock never clears.""",
    ),
    (
        "code",
        """arrests = [i for i in rows.index if i.startswith("arrests_")]
rows.loc[arrests, ["description", "computed", "unit"]]""",
    ),
    (
        "md",
        """## The pace actually seen

523 released in the decree's first 26 days is about 7,300 a year, seven times the 1,000 of
the quote; SNHR's later counts show that the pace did not last (33 more between 24 May and 12
August 2022). The intervals are exact 95 % Poisson intervals of the counts.""",
    ),
    (
        "code",
        """seen = ["rate_seen", "rate_seen_clear", "rate_later_clear", "arrests_seen",
        "disappeared_pace_seen"]
rows.loc[seen, ["computed", "low", "high", "unit", "status"]]""",
    ),
    (
        "md",
        """## The currency check

The report converts "up to 30 million Syrian pounds" to "$57,291". That is 524 pounds to the
dollar; the official rate in force on 26 May 2022 was 2,814 (since 13 April 2022), and the
parallel market's about 3,900 in April 2022 (4,440 by September). At those rates 30 million
pounds is about $6,800–10,700: the dollar figure is 5 to 8.5 times too high.""",
    ),
    (
        "code",
        """currency = [i for i in rows.index if i.startswith("currency_")]
rows.loc[currency, ["reported", "computed", "low", "high", "unit", "status"]]""",
    ),
    ("code", """print(am.cite_article("currency_usd_official"))"""),
    (
        "md",
        """## Sources with a caveat

Some figures in circulation could not be checked, or disagree with the report; the registry
flags them and says why. (The report also calls the speaker "SOHR's Director": he founded and
chairs SNHR. The registry records that correction with its source.)""",
    ),
    (
        "code",
        """frame = registry.to_frame()
frame.loc[list(registry.flagged), ["value", "unit", "outlet", "published", "status"]]""",
    ),
    (
        "md",
        """## The same arithmetic, earlier and later

SNHR made the same kind of statement in March 2020 (325 years) and November 2022 (408
decrees, 233 years). The table recomputes them from their own inputs; neither is reproduced
exactly, and the rows say by how much.""",
    ),
    (
        "code",
        """snhr = [i for i in rows.index if i.startswith("snhr_")]
snhr_rows = rows.loc[snhr, ["reported", "computed", "unit", "status"]]
snhr_rows.assign(difference_percent=100 * rows.loc[snhr, "relative_difference"])""",
    ),
]

if __name__ == "__main__":
    main(CELLS, "01_reproduce_the_report")
