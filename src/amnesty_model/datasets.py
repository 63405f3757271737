"""Datasets shipped with the package: reported counts with the source of every point.

- :func:`load_decree7_releases` — people released under Syria's Legislative Decree No. 7 of
  2022, cumulative, as counted by the Syrian Network for Human Rights (SNHR), May–August 2022.
- :func:`load_decree7_arrests` — new arbitrary arrests SNHR counted over the same weeks.
- :func:`decree7_table` — the shipped table itself, with outlet, publication date and title.

The source ids in the ``source`` column are those of the package's source registry.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from .series import CountSeries

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DECREE7_DATE",
    "decree7_table",
    "load_decree7_arrests",
    "load_decree7_releases",
]

#: Date Legislative Decree No. 7 of 2022 was issued (stj-sy.org; syriaaccountability.org).
#: SNHR counts releases "from 1 May", i.e. from the end of this day.
DECREE7_DATE = _dt.date(2022, 4, 30)

_FILE = "decree7_releases.csv"


def decree7_table() -> pd.DataFrame:
    """The shipped Decree No. 7 table, one row per reported figure, with its provenance.

    Returns
    -------
    pandas.DataFrame
        Columns ``date``, ``date_low``, ``date_high`` (ISO strings; the interval only where the
        sources disagree on the date), ``released_cumulative``, ``new_arrests_cumulative``
        [people] (only where given), ``source`` and ``arrests_source`` (registry ids of the
        release and arrest figures), ``outlet``, ``published``,
        ``title`` (as named in the stored copies of the pages) and ``note``.

    Examples
    --------
    >>> decree7_table()["released_cumulative"].tolist()
    [476, 523, 539, 547, 556]
    """
    from importlib.resources import files

    import pandas as pd

    with files("amnesty_model.data").joinpath(_FILE).open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
    frame["released_cumulative"] = frame["released_cumulative"].astype("int64")
    arrests = pd.to_numeric(frame["new_arrests_cumulative"].replace("", None))
    frame["new_arrests_cumulative"] = arrests.astype("Int64")
    return frame


def _series(column: str, what: str, name: str, source: str) -> CountSeries:
    frame = decree7_table()
    frame["source"] = frame[source]
    for key in ("date", "date_low", "date_high"):
        frame[key] = [value or None for value in frame[key]]
    return CountSeries.from_frame(frame, DECREE7_DATE, column=column, what=what, name=name)


def load_decree7_releases() -> CountSeries:
    """People released under Decree No. 7, cumulative from 1 May 2022, as counted by SNHR.

    Five reported figures: 476 by 11 May, 523 by about 24 May, 539 by about 5 July, 547 in
    "mid-June or mid-July" (the sources disagree: an uncertain date, 15 June..15 July, of which
    only 6..15 July is consistent with 539 on 5 July), and 556 by 12 August 2022. The count is
    0 at :data:`DECREE7_DATE` (30 April 2022, the end of which is SNHR's "from 1 May").

    Returns
    -------
    CountSeries
        ``sources`` holds the registry id of each point; ``notes`` says what is approximate.
        Fits leave the point with an uncertain date out unless asked (see
        :meth:`CountSeries.resolve`).

    References
    ----------
    syrianobserver.com, "Human rights watchdog monitors release of 476 people" (also
    syriacpress.com, 18 May 2022); The New Arab, 24 May 2022, "Syrian regime blackmails families
    of released detainees"; snhr.org blog, 5 July 2022, "At least 1,024 arbitrary arrests…";
    english.aawsat.com and freshsyria.net (547); news.snhr.org, 13 August 2022 (556).

    Examples
    --------
    >>> s = load_decree7_releases()
    >>> s.counts
    (476, 523, 539, 547, 556)
    >>> s.resolve().days.tolist()
    [11.0, 24.0, 66.0, 104.0]
    """
    return _series("released_cumulative", "released", "Decree No. 7 releases (SNHR)", "source")


def load_decree7_arrests() -> CountSeries:
    """New arbitrary arrests SNHR counted since Decree No. 7: 124 by about 5 July 2022.

    Returns
    -------
    CountSeries
        One point, from the snhr.org blog of 5 July 2022 ("At least 1,024 arbitrary
        arrests…").

    Examples
    --------
    >>> load_decree7_arrests().counts
    (124,)
    """
    return _series(
        "new_arrests_cumulative", "arrested", "arrests since Decree No. 7 (SNHR)", "arrests_source"
    )
