"""Reported counts over time, as data: :class:`CountSeries`.

A count series is what organisations such as SNHR publish while an amnesty runs: "476 released
by 11 May", "523 by about 24 May", ... Each point is a date, a count and the source that gave
it. The series is checked on creation, so that a fit never silently runs on a decreasing
cumulative count or on dates out of order.

Conventions
-----------
- Counts are stored **cumulative** from ``start``, at which the count is 0. A per-period series
  (new releases in each period) is accepted with ``kind="per_period"`` and summed.
- A date stands for the **end** of that day. The span of a point is ``date − start`` in days,
  converted to years of 365.25 days. With ``start = 2022-04-30`` (the date of Decree No. 7) a
  count "from 1 May to 11 May" covers 11 days.
- A point whose date is **uncertain** carries an interval ``date_low .. date_high`` (the
  central ``date`` defaults to the midpoint). Such points are kept with the series but are not
  fitted unless asked; see :meth:`CountSeries.resolve`.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from typing import TYPE_CHECKING, Any

import numpy as np

from ._time import DAYS_PER_YEAR
from ._validation import FloatArray, check_choice, check_date, describe

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["UNCERTAIN_POLICIES", "CountSeries"]

#: How :meth:`CountSeries.resolve` places points whose date is uncertain.
UNCERTAIN_POLICIES = ("exclude", "low", "midpoint", "high")

_KINDS = ("cumulative", "per_period")


#: Largest count accepted [people]: exact as a float and as a 64-bit integer, and far above
#: any count of people (the same bound as :func:`amnesty_model.rate_from_count`).
MAX_COUNT = 10**15


def _check_count(value: object, index: int, when: _dt.date) -> int:
    """A count must be a whole number in ``0..MAX_COUNT`` (floats such as ``476.0`` accepted)."""
    where = f"point {index} ({when.isoformat()})"
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"counts must be whole numbers >= 0; {where} has {describe(value)} "
            f"({type(value).__name__})"
        )
    if isinstance(value, numbers.Integral):
        whole = int(value)
    else:
        number = float(value)
        if not math.isfinite(number) or number != round(number):
            raise ValueError(f"counts must be whole numbers >= 0; {where} has {describe(value)}")
        whole = int(number)
    if whole < 0:
        raise ValueError(f"counts must be >= 0; {where} has {describe(value)}")
    if whole > MAX_COUNT:
        raise ValueError(f"counts must be at most {MAX_COUNT:,}; {where} has {_size(whole)}")
    return whole


def _size(number: int) -> str:
    """A large whole number for a message: itself, or its number of digits."""
    text = str(number)
    return text if len(text) <= 20 else f"a {len(text)}-digit number"


def _optional_dates(values: Sequence[Any] | None, n: int, name: str) -> list[_dt.date | None]:
    if values is None:
        return [None] * n
    items = list(values)
    if len(items) != n:
        raise ValueError(f"{name} must have one entry per point ({n}), got {len(items)}")
    return [None if _missing(v) else check_date(v, f"{name}[{i}]") for i, v in enumerate(items)]


def _optional_text(values: Sequence[Any] | None, n: int, name: str) -> tuple[str, ...]:
    if values is None:
        return ("",) * n
    items = list(values)
    if len(items) != n:
        raise ValueError(f"{name} must have one entry per point ({n}), got {len(items)}")
    return tuple("" if _missing(v) else str(v) for v in items)


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def _midpoint(low: _dt.date, high: _dt.date) -> _dt.date:
    return low + _dt.timedelta(days=(high - low).days // 2)


@dataclass(frozen=True)
class CountSeries:
    """Dated cumulative counts of releases (or arrests), each point with its source.

    Parameters
    ----------
    start : datetime.date or str
        Date at which the cumulative count is 0 (e.g. the decree's date), ISO string accepted.
        A date stands for the end of that day.
    dates : sequence of date or str
        Date of each point [calendar date], after ``start``. For a point with an uncertain
        date this is its central date; ``None`` means the midpoint of ``date_low``..``date_high``.
    counts : sequence of int
        Cumulative counts since ``start`` [people], whole numbers ``>= 0``, non-decreasing
        (or, with ``kind="per_period"``, the new count in each period since the previous point).
    date_low, date_high : sequence of date or None, optional
        Earliest and latest possible date of each point; ``None`` where the date is certain.
    sources : sequence of str, optional
        Id(s) of the source of each point (several separated by ``";"``).
    notes : sequence of str, optional
        A note per point (e.g. why its date is uncertain).
    what : str, default "released"
        What is counted ("released", "arrested"), for labels and citations.
    kind : {"cumulative", "per_period"}, default "cumulative"
        How ``counts`` are given. Stored cumulative either way.
    name : str or None, default None
        A label for tables and plots.

    Raises
    ------
    ValueError
        For an empty series, a negative or fractional count, a count above
        :data:`MAX_COUNT` (10**15), a date not after ``start``,
        certain dates that are not strictly increasing (unsorted or duplicate), a cumulative
        count that decreases, or an uncertain point that fits nowhere in its interval. The
        message names the offending point by its index and date.

    Notes
    -----
    Points with a certain date must be given in increasing date order; the checks (strictly
    increasing dates, non-decreasing cumulative counts) apply to them. A point with an uncertain
    date may sit anywhere in the input; it must admit at least one date in its interval that
    is consistent with the certain points (after every certain point with a smaller count,
    before every one with a larger count): its *feasible interval*, see
    :meth:`feasible_interval`. Fitting uses certain points only, unless
    :meth:`resolve` is asked to place the uncertain ones at the low end, midpoint or high end
    of their feasible interval (a sensitivity analysis).

    Examples
    --------
    >>> s = CountSeries("2022-04-30", ["2022-05-11", "2022-05-24"], [476, 523])
    >>> s.increments.tolist()
    [476, 47]
    >>> s.days.tolist()
    [11.0, 24.0]
    >>> CountSeries("2022-04-30", ["2022-05-11", "2022-05-24"], [476, 470])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: cumulative counts must not decrease: point 1 (2022-05-24) has 470 after 476 ...
    """

    start: _dt.date
    dates: tuple[_dt.date, ...]
    counts: tuple[int, ...]
    date_low: tuple[_dt.date, ...]
    date_high: tuple[_dt.date, ...]
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    what: str
    name: str | None

    def __init__(
        self,
        start: _dt.date | str,
        dates: Sequence[_dt.date | str | None],
        counts: Sequence[int] | Any,
        *,
        date_low: Sequence[_dt.date | str | None] | None = None,
        date_high: Sequence[_dt.date | str | None] | None = None,
        sources: Sequence[str] | None = None,
        notes: Sequence[str] | None = None,
        what: str = "released",
        kind: str = "cumulative",
        name: str | None = None,
    ) -> None:
        start_d = check_date(start, "start")
        kind = check_choice(kind, "kind", _KINDS)
        if not isinstance(what, str) or not what:
            raise TypeError(f"what must be a non-empty string, got {describe(what)}")
        if isinstance(dates, str | bytes) or isinstance(counts, str | bytes):
            raise TypeError("dates and counts must be sequences, not strings")
        date_items = _as_list(dates, "dates")
        count_items = _as_list(counts, "counts")
        if len(date_items) != len(count_items):
            raise ValueError(
                f"dates and counts must have the same length, got {len(date_items)} dates "
                f"and {len(count_items)} counts"
            )
        n = len(date_items)
        if n == 0:
            raise ValueError("dates and counts must hold at least one point, got none")
        lows = _optional_dates(date_low, n, "date_low")
        highs = _optional_dates(date_high, n, "date_high")
        central = _optional_dates(date_items, n, "dates")
        final_dates: list[_dt.date] = []
        final_low: list[_dt.date] = []
        final_high: list[_dt.date] = []
        for i in range(n):
            low, high, mid = lows[i], highs[i], central[i]
            if (low is None) != (high is None):
                raise ValueError(
                    f"point {i}: give both date_low and date_high for an uncertain date, "
                    f"or neither (got date_low={low}, date_high={high})"
                )
            if low is None or high is None:
                if mid is None:
                    raise ValueError(f"point {i} has no date (give a date or date_low/date_high)")
                low = high = mid
            if high < low:
                raise ValueError(
                    f"point {i}: date_high ({high.isoformat()}) is before date_low "
                    f"({low.isoformat()})"
                )
            if mid is None:
                mid = _midpoint(low, high)
            if not low <= mid <= high:
                raise ValueError(
                    f"point {i}: date {mid.isoformat()} is outside its interval "
                    f"{low.isoformat()}..{high.isoformat()}"
                )
            if low <= start_d:
                raise ValueError(
                    f"point {i} ({low.isoformat()}) must be after start ({start_d.isoformat()}), "
                    "at which the cumulative count is 0"
                )
            final_dates.append(mid)
            final_low.append(low)
            final_high.append(high)
        values = [_check_count(v, i, final_dates[i]) for i, v in enumerate(count_items)]
        uncertain = [lo != hi for lo, hi in zip(final_low, final_high, strict=True)]
        if kind == "per_period":
            if any(uncertain):
                first = uncertain.index(True)
                raise ValueError(
                    f"point {first} ({final_dates[first].isoformat()}) has an uncertain date; "
                    "uncertain dates are supported for cumulative counts only"
                )
            values = list(itertools.accumulate(values))  # Python ints: no int64 overflow
            if values[-1] > MAX_COUNT:
                first = next(i for i, v in enumerate(values) if v > MAX_COUNT)
                raise ValueError(
                    f"counts (per period) must add up to at most {MAX_COUNT:,}; by point "
                    f"{first} ({final_dates[first].isoformat()}) they add up to "
                    f"{_size(values[first])}"
                )
        previous: int | None = None
        for i in range(n):
            if uncertain[i]:
                continue
            if previous is not None:
                d0, d1 = final_dates[previous], final_dates[i]
                if not d1 > d0:
                    problem = "repeats" if d1 == d0 else "comes before"
                    raise ValueError(
                        f"dates must be strictly increasing: point {i} ({d1.isoformat()}) "
                        f"{problem} point {previous} ({d0.isoformat()})"
                    )
                if values[i] < values[previous]:
                    raise ValueError(
                        f"cumulative counts must not decrease: point {i} ({d1.isoformat()}) "
                        f"has {values[i]} after {values[previous]} at point {previous} "
                        f"({d0.isoformat()})"
                    )
            previous = i
        set_ = object.__setattr__
        set_(self, "start", start_d)
        set_(self, "dates", tuple(final_dates))
        set_(self, "counts", tuple(values))
        set_(self, "date_low", tuple(final_low))
        set_(self, "date_high", tuple(final_high))
        set_(self, "sources", _optional_text(sources, n, "sources"))
        set_(self, "notes", _optional_text(notes, n, "notes"))
        set_(self, "what", what)
        set_(self, "name", name)
        for i in range(n):
            if uncertain[i]:
                self.feasible_interval(i)  # raises if the point fits nowhere

    # -- construction from tables ---------------------------------------------------------------
    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        start: _dt.date | str,
        *,
        column: str = "count",
        kind: str = "cumulative",
        what: str = "released",
        name: str | None = None,
    ) -> CountSeries:
        """Build a series from a DataFrame.

        Parameters
        ----------
        frame : pandas.DataFrame
            Columns ``date`` (and/or ``date_low``, ``date_high``), the count ``column``, and
            optionally ``source`` and ``note``. Rows whose count is missing are skipped (a
            table may hold several series with different coverage).
        start : datetime.date or str
            Date at which the cumulative count is 0.
        column : str, default "count"
            Name of the count column [people].
        kind, what, name
            As in :class:`CountSeries`.

        Examples
        --------
        >>> import pandas as pd
        >>> f = pd.DataFrame({"date": ["2022-05-11", "2022-05-24"], "count": [476, 523]})
        >>> CountSeries.from_frame(f, "2022-04-30").counts
        (476, 523)
        """
        import pandas as pd

        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
        if column not in frame.columns:
            raise ValueError(
                f"column {column!r} not found; the frame has columns {list(frame.columns)}"
            )
        if "date" not in frame.columns and not {"date_low", "date_high"} <= set(frame.columns):
            raise ValueError("frame needs a 'date' column, or 'date_low' and 'date_high'")
        rows = frame[frame[column].notna()]

        def col(key: str) -> list[Any] | None:
            return rows[key].tolist() if key in rows.columns else None

        dates = col("date") or [None] * len(rows)
        return cls(
            start,
            dates,
            rows[column].tolist(),
            date_low=col("date_low"),
            date_high=col("date_high"),
            sources=col("source"),
            notes=col("note"),
            what=what,
            kind=kind,
            name=name,
        )

    @classmethod
    def read_csv(
        cls,
        path: str | PathLike[str] | Any,
        start: _dt.date | str,
        *,
        column: str = "count",
        kind: str = "cumulative",
        what: str = "released",
        name: str | None = None,
    ) -> CountSeries:
        """Read a series from a CSV file (columns as in :meth:`from_frame`).

        Parameters
        ----------
        path : path or file-like
            The CSV file.
        start, column, kind, what, name
            As in :meth:`from_frame`.
        """
        import pandas as pd

        frame = pd.read_csv(path, dtype={"source": "string", "note": "string"})
        return cls.from_frame(frame, start, column=column, kind=kind, what=what, name=name)

    # -- views ----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.counts)

    def __repr__(self) -> str:
        label = f"{self.name!r}, " if self.name else ""
        n_unc = int(self.uncertain.sum())
        unc = f", {n_unc} with an uncertain date" if n_unc else ""
        return (
            f"CountSeries({label}{len(self)} points of {self.what} from "
            f"{self.start.isoformat()}{unc})"
        )

    @property
    def uncertain(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """True for each point whose date is an interval."""
        return np.array([lo != hi for lo, hi in zip(self.date_low, self.date_high, strict=True)])

    @property
    def days(self) -> FloatArray:
        """Days from ``start`` to each point's (central) date [days]."""
        return np.array([(d - self.start).days for d in self.dates], dtype=np.float64)

    @property
    def times(self) -> FloatArray:
        """Years from ``start`` to each point's (central) date [years of 365.25 days]."""
        return self.days / DAYS_PER_YEAR

    @property
    def increments(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """New counts since the previous point [people] (meaningful when all dates are certain)."""
        values = np.asarray(self.counts, dtype=np.int64)
        return np.diff(values, prepend=0)

    @property
    def total(self) -> int:
        """The last cumulative count among the points with a certain date [people]."""
        certain = [c for c, u in zip(self.counts, self.uncertain, strict=True) if not u]
        return certain[-1] if certain else 0

    def feasible_interval(self, index: int) -> tuple[_dt.date, _dt.date]:
        """Dates at which point ``index`` is consistent with the points whose date is certain.

        The reported interval ``date_low..date_high`` narrowed to the dates after every certain
        point with a smaller count and before every certain point with a larger count (dates
        are strictly increasing, so one day apart at least). For a certain point this is its
        own date.

        Raises
        ------
        TypeError
            If ``index`` is not a whole number.
        ValueError
            If ``index`` is not a point's position (the error is also an ``IndexError``), or
            no date in the interval is consistent with the certain points.

        Examples
        --------
        547 released "mid-June or mid-July", with 539 on 5 July and 556 on 12 August:

        >>> s = CountSeries(
        ...     "2022-04-30", ["2022-07-05", None, "2022-08-12"], [539, 547, 556],
        ...     date_low=[None, "2022-06-15", None], date_high=[None, "2022-07-15", None])
        >>> [d.isoformat() for d in s.feasible_interval(1)]
        ['2022-07-06', '2022-07-15']
        """
        given: object = index  # any object a caller may pass
        if isinstance(given, bool | np.bool_) or not isinstance(given, numbers.Integral):
            raise TypeError(
                f"index must be a whole number (a point's position), got {describe(given)} "
                f"({type(given).__name__})"
            )
        index = int(given)
        if not 0 <= index < len(self):
            last = len(self) - 1
            raise _PointIndexError(
                f"index must be in 0..{last} (a point's position), got {_size(index)}"
            )
        low, high = self.date_low[index], self.date_high[index]
        count = self.counts[index]
        one_day = _dt.timedelta(days=1)
        for j, (d, c, u) in enumerate(zip(self.dates, self.counts, self.uncertain, strict=True)):
            if u or j == index:
                continue
            if c < count:
                low = max(low, d + one_day)
            elif c > count:
                high = min(high, d - one_day)
            elif low <= d <= high:  # same count: any date but this one's exact day
                if d == low:
                    low = d + one_day
                elif d == high:
                    high = d - one_day
        if low > high:
            raise ValueError(
                f"point {index} ({self.date_low[index].isoformat()}.."
                f"{self.date_high[index].isoformat()}, count {count}) is inconsistent with the "
                "points whose date is certain: no date in its interval keeps the cumulative "
                "counts non-decreasing"
            )
        return low, high

    def resolve(self, uncertain: str = "exclude") -> CountSeries:
        """A series with certain dates only, ready to fit.

        Parameters
        ----------
        uncertain : {"exclude", "low", "midpoint", "high"}, default "exclude"
            What to do with points whose date is an interval: leave them out (the default:
            the fit then uses only dates the sources agree on), or place them at the low end,
            the midpoint or the high end of their *feasible* interval (the reported interval
            narrowed to the dates consistent with the certain points, see
            :meth:`feasible_interval`). Fitting with ``"low"`` and ``"high"`` brackets the
            effect of the date's uncertainty.

        Returns
        -------
        CountSeries

        Examples
        --------
        >>> s = CountSeries(
        ...     "2022-04-30", ["2022-07-05", None, "2022-08-12"], [539, 547, 556],
        ...     date_low=[None, "2022-06-15", None], date_high=[None, "2022-07-15", None])
        >>> s.resolve().counts
        (539, 556)
        >>> s.resolve("high").dates[1]
        datetime.date(2022, 7, 15)
        """
        policy = check_choice(uncertain, "uncertain", UNCERTAIN_POLICIES)
        rows = []
        for i in range(len(self)):
            note = self.notes[i]
            if self.uncertain[i]:
                if policy == "exclude":
                    continue
                low, high = self.feasible_interval(i)
                when = {"low": low, "high": high, "midpoint": _midpoint(low, high)}[policy]
                placed = f"date uncertain; placed at {when.isoformat()} ({policy} of feasible "
                placed += f"{low.isoformat()}..{high.isoformat()})"
                note = f"{note}; {placed}" if note else placed
            else:
                when = self.dates[i]
            rows.append((when, self.counts[i], self.sources[i], note))
        if not rows:
            raise ValueError("no point with a certain date is left to fit (all are uncertain)")
        rows.sort(key=lambda r: r[0])
        return CountSeries(
            self.start,
            [r[0] for r in rows],
            [r[1] for r in rows],
            sources=[r[2] for r in rows],
            notes=[r[3] for r in rows],
            what=self.what,
            name=self.name,
        )

    @property
    def frame(self) -> pd.DataFrame:
        """The points as a DataFrame: dates, days, cumulative and new counts, sources, notes."""
        import pandas as pd

        return pd.DataFrame(
            {
                "date": pd.to_datetime(list(self.dates)),
                "date_low": pd.to_datetime(list(self.date_low)),
                "date_high": pd.to_datetime(list(self.date_high)),
                "days": self.days,
                "cumulative": np.asarray(self.counts, dtype=np.int64),
                "increment": self.increments,
                "uncertain": self.uncertain,
                "source": list(self.sources),
                "note": list(self.notes),
            }
        )

    def to_frame(self) -> pd.DataFrame:
        """Same as :attr:`frame`."""
        return self.frame

    def records(self) -> list[dict[str, Any]]:
        """The points as JSON-safe dicts (for provenance records)."""
        return [
            {
                "date": d.isoformat(),
                "date_low": lo.isoformat(),
                "date_high": hi.isoformat(),
                "count": c,
                "source": s,
            }
            for d, lo, hi, c, s in zip(
                self.dates, self.date_low, self.date_high, self.counts, self.sources, strict=True
            )
        ]

    def source_ids(self) -> list[str]:
        """The distinct source ids of the points, in order of first appearance."""
        seen: dict[str, None] = {}
        for text in self.sources:
            for part in text.split(";"):
                if part.strip():
                    seen[part.strip()] = None
        return list(seen)


class _PointIndexError(IndexError, ValueError):
    """A point index out of range: a ValueError naming ``index``, and still an IndexError."""


def _as_list(values: object, name: str) -> list[Any]:
    """``list(values)``, or a TypeError naming ``name`` if it is not a sequence."""
    try:
        items: list[Any] = list(values)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(
            f"{name} must be a sequence, got {describe(values)} ({type(values).__name__})"
        ) from None
    return items
