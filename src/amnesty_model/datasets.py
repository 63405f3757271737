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
    "load_guantanamo",
    "load_myanmar_aapp",
    "load_syria_snhr",
    "series_definitions",
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


# ---------------------------------------------------------------------------------------------
# Reported counts from several countries, one row per observation with its quoted source
# ---------------------------------------------------------------------------------------------

#: Allowed values of the ``date_precision`` column of the country tables.
DATE_PRECISIONS = ("day", "month", "year", "range")

#: Allowed values of the ``qualifier`` column: the hedge the source puts on the number
#: ("exact" means the source gives the number without one, not that it is a census).
QUALIFIERS = ("exact", "approximately", "nearly", "at_least", "more_than")

_OBSERVATION_COLUMNS = (
    "country",
    "series",
    "date",
    "date_end",
    "date_precision",
    "value",
    "value_as_written",
    "qualifier",
    "quote",
    "url",
    "source_name",
    "source_kind",
    "note",
)

_COUNTRY_FILES = {
    "syria_snhr": "syria_snhr.csv",
    "myanmar_aapp": "myanmar_aapp.csv",
    "guantanamo": "guantanamo.csv",
}


def _read_table(name: str) -> pd.DataFrame:
    from importlib.resources import files

    import pandas as pd

    with files("amnesty_model.data").joinpath(name).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def _period_bounds(date: str, date_end: str, precision: str, row: int) -> tuple[str, str]:
    """First and last day (ISO) covered by a row's date, by its precision."""
    import calendar

    def iso_day(text: str, what: str) -> _dt.date:
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"row {row}: {what}={text!r} is not an ISO date YYYY-MM-DD"
                f" (date_precision={precision!r})"
            ) from None

    if precision not in DATE_PRECISIONS:
        raise ValueError(
            f"row {row}: date_precision={precision!r}; allowed: {', '.join(DATE_PRECISIONS)}"
        )
    if precision != "range" and date_end:
        raise ValueError(f"row {row}: date_end={date_end!r} is only allowed with 'range'")
    if precision == "day":
        day = iso_day(date, "date")
        return day.isoformat(), day.isoformat()
    if precision == "range":
        low, high = iso_day(date, "date"), iso_day(date_end, "date_end")
        if high < low:
            raise ValueError(f"row {row}: date_end={date_end!r} is before date={date!r}")
        return low.isoformat(), high.isoformat()
    parts = date.split("-")
    wanted = 2 if precision == "month" else 1
    if len(parts) != wanted or not all(part.isdigit() for part in parts):
        form = "YYYY-MM" if precision == "month" else "YYYY"
        raise ValueError(f"row {row}: date={date!r} is not of the form {form} ({precision!r})")
    year = int(parts[0])
    if precision == "year":
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = int(parts[1])
    if not 1 <= month <= 12:
        raise ValueError(f"row {row}: date={date!r} has no month {month}")
    last = calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"


def parse_observations(frame: pd.DataFrame) -> pd.DataFrame:
    """Check and type a table of sourced observations (the format of the country tables).

    Parameters
    ----------
    frame : pandas.DataFrame
        String columns ``country``, ``series``, ``date``, ``date_end``, ``date_precision``,
        ``value``, ``value_as_written``, ``qualifier``, ``quote``, ``url``, ``source_name``,
        ``source_kind`` and ``note`` (empty strings where not applicable). ``date`` is written
        ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` according to ``date_precision`` (``day``,
        ``month``, ``year``); ``range`` rows give the first day in ``date`` and the last in
        ``date_end``.

    Returns
    -------
    pandas.DataFrame
        The same rows with ``value`` as ``int64`` [people, or decrees/people as the series
        says], and two added columns ``date_start`` and ``date_stop``
        (``datetime64``): the first and last day the date covers (equal for ``day`` rows).

    Raises
    ------
    ValueError
        If a column is missing, a precision or qualifier is not one of
        :data:`DATE_PRECISIONS` / :data:`QUALIFIERS`, a date does not match its precision, a
        value is not a non-negative integer, ``value_as_written`` (thousands separators
        removed) differs from ``value``, the quote does not contain ``value_as_written``, or
        the URL does not start with ``http://`` or ``https://``. The message names the row
        (counted from 0) and the offending value.

    Examples
    --------
    >>> import pandas as pd
    >>> row = {"country": "X", "series": "held", "date": "2020-02", "date_end": "",
    ...        "date_precision": "month", "value": "1200", "value_as_written": "1,200",
    ...        "qualifier": "exact", "quote": "1,200 remain.", "url": "https://example.org",
    ...        "source_name": "S", "source_kind": "primary", "note": ""}
    >>> out = parse_observations(pd.DataFrame([row]))
    >>> int(out["value"][0]), str(out["date_start"][0].date()), str(out["date_stop"][0].date())
    (1200, '2020-02-01', '2020-02-29')
    """
    import pandas as pd

    missing = [column for column in _OBSERVATION_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"frame: missing columns {missing}; needs {list(_OBSERVATION_COLUMNS)}")
    out = frame.loc[:, list(_OBSERVATION_COLUMNS)].astype(str).reset_index(drop=True)
    starts: list[str] = []
    stops: list[str] = []
    values: list[int] = []
    for i, rec in enumerate(out.to_dict("records")):
        start, stop = _period_bounds(rec["date"], rec["date_end"], rec["date_precision"], i)
        starts.append(start)
        stops.append(stop)
        if rec["qualifier"] not in QUALIFIERS:
            raise ValueError(
                f"row {i}: qualifier={rec['qualifier']!r}; allowed: {', '.join(QUALIFIERS)}"
            )
        if not rec["value"].isdigit():
            raise ValueError(f"row {i}: value={rec['value']!r} is not a non-negative integer")
        written = rec["value_as_written"]
        if written.replace(",", "") != rec["value"]:
            raise ValueError(
                f"row {i}: value_as_written={written!r} does not read as value={rec['value']!r}"
            )
        if not written or written not in rec["quote"]:
            raise ValueError(f"row {i}: the quote does not contain value_as_written={written!r}")
        if not rec["url"].startswith(("http://", "https://")):
            raise ValueError(f"row {i}: url={rec['url']!r} must start with http:// or https://")
        values.append(int(rec["value"]))
    out["value"] = pd.Series(values, dtype="int64")
    out["date_start"] = pd.to_datetime(pd.Series(starts, dtype=object))
    out["date_stop"] = pd.to_datetime(pd.Series(stops, dtype=object))
    return out


def _load_country(key: str) -> pd.DataFrame:
    return parse_observations(_read_table(_COUNTRY_FILES[key]))


def load_syria_snhr() -> pd.DataFrame:
    """Syrian detainee counts from the Syrian Network for Human Rights (SNHR), 2019–2024.

    One row per reported figure, each with the sentence quoted from its source. Series:
    ``decree7_released_cumulative`` (2022 amnesty, 476 → 556, with the 547 of 15 July 2022
    dated), ``decree7_new_arrests_cumulative``, the flows since the September 2019 decree
    (``decree20_2019_arrests``, ``..._deaths_under_torture``, ``..._releases``), the May
    2021 decree (``decree13_2021_*``), ``all_decrees_released_total`` (7,531, March 2011 –
    October 2022), the stock ``held_or_disappeared`` (130,000 in 2020 … 136,614 in August
    2024), ``released_when_prisons_opened`` (about 24,200, December 2024) and
    ``still_disappeared_after_prisons_opened`` (112,414). See :func:`series_definitions`.

    Returns
    -------
    pandas.DataFrame
        Columns of :func:`parse_observations`: ``value`` [people], ``date_start`` and
        ``date_stop`` (the days the date covers), ``date_precision``, ``qualifier``,
        ``quote``, ``url``, ``source_name``, ``source_kind`` (``primary`` for SNHR's own
        pages, ``secondary`` for outlets reporting them) and ``note``.

    Examples
    --------
    >>> syria = load_syria_snhr()
    >>> d7 = syria[syria["series"] == "decree7_released_cumulative"]
    >>> d7["value"].tolist()
    [476, 523, 527, 539, 539, 547, 556]
    >>> str(d7["date_start"].iloc[5].date())
    '2022-07-15'
    """
    return _load_country("syria_snhr")


def load_myanmar_aapp() -> pd.DataFrame:
    """Myanmar political-prisoner counts since the 1 February 2021 coup, from AAPP's briefings.

    The Assistance Association for Political Prisoners (Burma) publishes verified counts in
    daily briefings. Series: ``arrested_cumulative``, ``detained_now``,
    ``released_cumulative``, ``sentenced`` (2021–2022 wording, "sentenced in person"),
    ``serving_sentences`` (from 2023), ``amnesty_announced`` (junta announcements) and
    ``amnesty_releases_identified`` (releases AAPP could verify). The counting changed
    between January and May 2023 (see :func:`series_definitions` and the docs): do not join
    the series across that break.

    Returns
    -------
    pandas.DataFrame
        Columns of :func:`parse_observations`; ``value`` in people. ``source_kind`` is
        ``primary`` (aappb.org or an AAPP press release), or ``primary_mirror`` (AAPP's text
        on another host).

    Examples
    --------
    >>> mm = load_myanmar_aapp()
    >>> day = mm[mm["date_start"] == "2024-07-22"].set_index("series")["value"]
    >>> int(day["arrested_cumulative"] - day["detained_now"]), int(day["released_cumulative"])
    (6309, 6309)
    """
    return _load_country("myanmar_aapp")


def load_guantanamo() -> pd.DataFrame:
    """People held at the Guantánamo Bay detention facility, 2004–2025 (series ``held``).

    A stock that stopped receiving arrivals and then fell in batches of transfers, from
    about 600 in April 2004 to 15 in January 2025. Each row quotes its source: Department
    of Defense releases where a stored copy was found, otherwise news outlets and
    compilations (``source_kind``).

    Returns
    -------
    pandas.DataFrame
        Columns of :func:`parse_observations`; ``value`` in people.

    Examples
    --------
    >>> gtmo = load_guantanamo()
    >>> gtmo["value"].iloc[[0, -1]].tolist()
    [600, 15]
    >>> gtmo["date_start"].is_monotonic_increasing
    True
    """
    return _load_country("guantanamo")


def series_definitions() -> pd.DataFrame:
    """What each series of the country tables counts, and its caveats.

    Returns
    -------
    pandas.DataFrame
        Columns ``dataset`` (``syria_snhr``, ``myanmar_aapp`` or ``guantanamo``),
        ``series``, ``definition`` and ``caveats`` (strings).

    Examples
    --------
    >>> defs = series_definitions()
    >>> sorted(defs["dataset"].unique())
    ['guantanamo', 'myanmar_aapp', 'syria_snhr']
    """
    return _read_table("series_definitions.csv")
