"""Time units: the model counts in years of 365.25 days; dates appear only at the edges."""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

__all__ = ["DAYS_PER_YEAR", "add_years", "date_column", "years_between"]

#: Days in a model year (the Julian year, so that leap years average out).
DAYS_PER_YEAR = 365.25

# The latest date ``datetime.date`` can hold; a clear date past it is reported as None.
_LAST_DAY = _dt.date.max


def add_years(start: _dt.date, years: float) -> _dt.date | None:
    """Return the calendar date ``years`` model years after ``start`` (None if beyond year 9999).

    Fractions of a day are rounded to the nearest day.

    Examples
    --------
    >>> add_years(_dt.date(2022, 5, 26), 1.0)
    datetime.date(2023, 5, 26)
    """
    if not math.isfinite(years * DAYS_PER_YEAR):  # also years beyond ~4.9e305
        return None
    days = round(years * DAYS_PER_YEAR)
    if days > (_LAST_DAY - start).days:
        return None
    return start + _dt.timedelta(days=days)


def date_column(start: _dt.date, times: Any) -> Any:
    """Dates ``times`` model years after ``start`` (``datetime64[us]``), NaT past 9999-12-31.

    Examples
    --------
    >>> import numpy as np
    >>> date_column(_dt.date(2022, 5, 26), np.array([0.0, 1e9]))
    array(['2022-05-26T00:00:00.000000',                        'NaT'],
          dtype='datetime64[us]')
    """
    import numpy as np

    with np.errstate(over="ignore", invalid="ignore"):
        days = np.round(np.asarray(times, dtype=np.float64) * DAYS_PER_YEAR)
    inside = days <= (_LAST_DAY - start).days
    dates = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[us]")
    dates[inside] = np.datetime64(start, "D") + days[inside].astype("timedelta64[D]")
    return dates


def years_between(start: _dt.date, end: _dt.date) -> float:
    """Return the span from ``start`` to ``end`` in model years.

    Examples
    --------
    >>> years_between(_dt.date(2022, 4, 30), _dt.date(2022, 5, 26)) * DAYS_PER_YEAR
    26.0
    """
    return (end - start).days / DAYS_PER_YEAR
