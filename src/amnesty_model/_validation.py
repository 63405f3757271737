"""Checks applied to every user input at the public boundary.

Each helper either returns the value in a canonical form or raises a ``TypeError``
(wrong kind of object) or ``ValueError`` (right kind, forbidden value) whose message
names the parameter, shows the value and says what is allowed.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "broadcast_inputs",
    "check_choice",
    "check_date",
    "check_number",
    "check_positive_int",
    "check_probability",
    "describe",
    "wrap_like",
]

FloatArray = npt.NDArray[np.float64]


def describe(value: object) -> str:
    """Return a short, safe representation of ``value`` for an error message."""
    if isinstance(value, np.ndarray):
        text = np.array2string(value, threshold=6, edgeitems=2)
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bounds_text(minimum: float, strict: bool, allow_inf: bool) -> str:
    low = f"> {minimum:g}" if strict else f">= {minimum:g}"
    return f"a finite number {low}" if not allow_inf else f"a number {low} (inf allowed)"


def check_number(
    value: object,
    name: str,
    *,
    minimum: float = 0.0,
    strict: bool = False,
    allow_inf: bool = False,
) -> float:
    """Validate one real number and return it as a Python ``float``.

    Parameters
    ----------
    value : object
        What the user passed.
    name : str
        The parameter's name, quoted in error messages.
    minimum : float, default 0.0
        Smallest allowed value (``-inf`` for no lower bound).
    strict : bool, default False
        If true, ``value`` must be strictly greater than ``minimum``.
    allow_inf : bool, default False
        Whether ``+inf`` is an allowed value.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        For booleans, strings, ``None``, complex numbers and other non-real objects.
    ValueError
        For NaN, infinities (unless allowed), values below the minimum, and integers too
        large for a float.

    Examples
    --------
    >>> check_number(3, "stock")
    3.0
    >>> check_number(-1, "stock")
    Traceback (most recent call last):
    ...
    ValueError: stock must be a finite number >= 0, got -1
    """
    allowed = _bounds_text(minimum, strict, allow_inf)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be {allowed}, got {describe(value)} ({type(value).__name__})"
        )
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(
            f"{name} must be {allowed}, got {describe(value)} (too large for a float)"
        ) from None
    bad = (
        math.isnan(number)
        or (math.isinf(number) and not (allow_inf and number > 0))
        or number < minimum
        or (strict and number == minimum)
    )
    if bad:
        raise ValueError(f"{name} must be {allowed}, got {describe(value)}")
    return number


def _as_float_array(value: object, name: str, allowed: str) -> FloatArray:
    """Convert ``value`` to a float64 array, refusing non-numeric content with ``TypeError``."""
    if value is None or isinstance(value, str | bytes | bool | np.bool_ | _dt.date):
        raise TypeError(
            f"{name} must be {allowed}, got {describe(value)} ({type(value).__name__})"
        )
    if isinstance(value, numbers.Real):
        try:
            return np.asarray(float(value))
        except OverflowError:
            raise ValueError(
                f"{name} must be {allowed}, got {describe(value)} (too large for a float)"
            ) from None
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged nested sequences
        raise ValueError(f"{name} must be {allowed}, got {describe(value)}: {exc}") from None
    if array.dtype.kind == "b":
        raise TypeError(f"{name} must be {allowed}, got booleans {describe(array)}")
    if array.dtype.kind not in "iuf":
        if array.dtype.kind == "O" and array.size:
            for item in array.flat:
                if isinstance(item, bool | np.bool_) or not isinstance(item, numbers.Real):
                    raise TypeError(
                        f"{name} must be {allowed}, got an element {describe(item)} "
                        f"({type(item).__name__})"
                    )
        elif array.dtype.kind != "O":
            raise TypeError(
                f"{name} must be {allowed}, got an array of {array.dtype} {describe(array)}"
            )
    try:
        return np.asarray(array, dtype=np.float64)
    except OverflowError:
        raise ValueError(f"{name} must be {allowed}, got values too large for a float") from None


def broadcast_inputs(
    values: Sequence[tuple[str, object, float, bool, bool]],
) -> tuple[list[FloatArray], tuple[int, ...], bool, Any]:
    """Validate several numeric inputs and broadcast them against each other.

    Parameters
    ----------
    values : sequence of (name, value, minimum, strict, allow_inf)
        The inputs with their constraints.

    Returns
    -------
    arrays : list of ndarray
        The broadcast float64 arrays, in the order given: read-only views (they may share
        memory with the caller's arrays), so compute new arrays from them.
    shape : tuple of int
        The common shape.
    scalar : bool
        True if every input was a scalar (the caller should return a ``float``).
    index : pandas.Index or None
        The index of the pandas Series among the inputs, if any, so that the result can be
        returned as a Series aligned with it.
    """
    arrays: list[FloatArray] = []
    scalar = True
    index: Any = None
    index_owner = ""
    for name, value, minimum, strict, allow_inf in values:
        allowed = _bounds_text(minimum, strict, allow_inf)
        if _is_series(value):
            series_index = value.index  # type: ignore[attr-defined]
            if index is None:
                index, index_owner = series_index, name
            elif not index.equals(series_index):
                raise ValueError(
                    f"{name} and {index_owner} are pandas Series with different indexes; "
                    "align them first (e.g. with Series.align) so that rows match"
                )
        array = _as_float_array(value, name, allowed)
        if array.ndim:
            scalar = False
        if not _all_within(array, minimum, strict, allow_inf):
            bad = np.isnan(array) | (array < minimum)
            if strict:
                bad |= array == minimum
            bad |= np.isinf(array) if not allow_inf else np.isneginf(array)
            first = float(array[bad].flat[0]) if array.ndim else array.item()
            where = "" if not array.ndim else f" (first bad element: {first!r})"
            raise ValueError(f"{name} must be {allowed}, got {describe(value)}{where}")
        arrays.append(array)
    try:
        broadcast = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{n} {np.shape(a)}" for (n, *_), a in zip(values, arrays, strict=True))
        raise ValueError(f"input shapes do not broadcast together: {shapes}") from None
    views: list[FloatArray] = list(broadcast)
    for view in views:  # views into the caller's data: never to be written
        view.flags.writeable = False
    return views, views[0].shape if views else (), scalar, index


def _all_within(array: FloatArray, minimum: float, strict: bool, allow_inf: bool) -> bool:
    """Fast check (two reductions) that every element is allowed; NaN fails ``min >= ...``."""
    if array.size == 0:
        return True
    low = array.min()
    if not (low > minimum if strict else low >= minimum):
        return False
    return bool(allow_inf or array.max() < np.inf)


def _is_series(value: object) -> bool:
    cls = type(value)
    return cls.__name__ == "Series" and cls.__module__.startswith("pandas")


def wrap_like(result: FloatArray, scalar: bool, index: Any, name: str | None = None) -> Any:
    """Return ``result`` as a ``float`` (scalar inputs), a Series (Series input) or an array."""
    if scalar:
        return float(result)
    if index is not None and result.ndim == 1 and len(index) == result.shape[0]:
        import pandas as pd

        return pd.Series(result, index=index, name=name)
    return result


def check_positive_int(value: object, name: str, *, minimum: int = 1) -> int:
    """Validate an integer count (``bool`` refused) and return it as ``int``.

    Examples
    --------
    >>> check_positive_int(10, "paths")
    10
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer >= {minimum}, "
            f"got {describe(value)} ({type(value).__name__})"
        )
    number = int(value)
    if number < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {number}")
    return number


def check_probability(value: object, name: str) -> float:
    """Validate a probability strictly between 0 and 1 (a confidence level, a quantile).

    Examples
    --------
    >>> check_probability(0.95, "confidence")
    0.95
    """
    number = check_number(value, name, minimum=0.0, strict=True)
    if number >= 1.0:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {describe(value)}")
    return number


def check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    """Validate that ``value`` is one of the allowed strings.

    Examples
    --------
    >>> check_choice("fifo", "discipline", ["fifo", "random", "lifo"])
    'fifo'
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {list(choices)}, got {describe(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def check_date(value: object, name: str) -> _dt.date:
    """Validate a calendar date given as ``datetime.date``, ISO string or pandas Timestamp.

    Examples
    --------
    >>> check_date("2022-04-30", "start")
    datetime.date(2022, 4, 30)
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, np.datetime64):
        return check_date(str(np.datetime_as_string(value, unit="D")), name)
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"{name} must be a date such as '2022-04-30' (ISO 8601), got {value!r}"
            ) from None
    raise TypeError(
        f"{name} must be a datetime.date or an ISO date string such as '2022-04-30', "
        f"got {describe(value)} ({type(value).__name__})"
    )
