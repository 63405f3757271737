"""Checks applied to every user input at the public boundary.

Each helper either returns the value in a canonical form or raises a ``TypeError``
(wrong kind of object) or ``ValueError`` (right kind, forbidden value) whose message
names the parameter, shows the value and says what is allowed.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import inspect
import math
import numbers
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = [
    "broadcast_inputs",
    "check_choice",
    "check_date",
    "check_death_rate",
    "check_keywords",
    "check_number",
    "check_positive_int",
    "check_probability",
    "describe",
    "parse_percent",
    "suggest_keywords",
    "wrap_like",
]

FloatArray = npt.NDArray[np.float64]

_T = TypeVar("_T")

#: Largest death rate [1/year] accepted without ``allow_extreme_death_rate=True``: above it,
#: most of those held die within a year, and the number is far more likely a percentage
#: written as a plain number (3 meaning 3 %).
MAX_PLAUSIBLE_DEATH_RATE = 1.0


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


def _is_missing_date(value: object) -> bool:
    """True for NaT (pandas or numpy), pandas.NA, NaN and the strings "NaT"/"NaN"/"nan"."""
    if isinstance(value, str):
        return value.strip().lower() in {"nat", "nan", "none", "null"}
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in {"NaTType", "NAType"}


def check_date(value: object, name: str) -> _dt.date:
    """Validate a calendar date given as ``datetime.date``, ISO string or pandas Timestamp.

    Examples
    --------
    >>> check_date("2022-04-30", "start")
    datetime.date(2022, 4, 30)

    A missing date (``pandas.NaT``, ``numpy.datetime64("NaT")``, ``pandas.NA``, NaN,
    ``"NaT"``) is refused by name: it is not a date, and ``None`` is how to say "no date".
    """
    if _is_missing_date(value):
        raise ValueError(
            f"{name} is a missing date ({describe(value)}), not a date; give a date such as "
            f"'2022-04-30', or None for no {name} date"
        )
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


def _suggestion(name: str, allowed: Collection[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest allowed name, or the list of allowed names."""
    choices = sorted(allowed)
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if not close:  # a prefix or a part of a longer name: "death" for "death_rate"
        close = [c for c in choices if c.startswith(name) or name.startswith(c)][:1]
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; allowed: {', '.join(choices)}" if choices else "; it takes no keyword arguments"


def check_keywords(kwargs: Mapping[str, object], allowed: Collection[str], owner: str) -> None:
    """Refuse keyword arguments not in ``allowed`` with a ``TypeError`` that suggests one.

    Parameters
    ----------
    kwargs : mapping
        The keyword arguments received.
    allowed : collection of str
        The keyword names the callable takes.
    owner : str
        How to name the callable in the message (``"Scenario"``, ``"time_to_clear()"``).

    Examples
    --------
    >>> check_keywords({"release": 1}, ["stock", "release_rate"], "Scenario")
    Traceback (most recent call last):
    ...
    TypeError: Scenario got an unexpected keyword argument 'release'; did you mean 'release_rate'?
    """
    for key in kwargs:
        if key not in allowed:
            raise TypeError(
                f"{owner} got an unexpected keyword argument {key!r}{_suggestion(key, allowed)}"
            )


def suggest_keywords(obj: _T) -> _T:
    """Decorate a function or class so that a misspelt keyword argument gets a suggestion.

    Python's own message, ``got an unexpected keyword argument 'release'``, leaves the user
    to find the right name; the decorated callable raises instead ``TypeError: Scenario got
    an unexpected keyword argument 'release'; did you mean 'release_rate'?`` (closest name by
    :func:`difflib.get_close_matches`, else the list of allowed names). Correct calls are
    untouched: the check is one set lookup per keyword before the call.

    The names allowed are read once from the signature: every parameter that can be passed
    by keyword. A function that takes ``**kwargs`` is left unchecked (call
    :func:`check_keywords` inside it with the names it accepts). The signature, docstring and
    static type are kept (:func:`functools.wraps`; the decorator returns its argument's
    type), so mypy, ``help()``, ``inspect.signature`` and the API docs see the original.

    Parameters
    ----------
    obj : function or class
        A function, a method, or a class (its ``__init__`` is wrapped in place; put this
        decorator above ``@dataclass``).

    Returns
    -------
    The same function (wrapped) or the same class.

    Examples
    --------
    >>> @suggest_keywords
    ... def clear(stock: float, release_rate: float) -> float:
    ...     return stock / release_rate
    >>> clear(132_000, release=1_000)
    Traceback (most recent call last):
    ...
    TypeError: clear() got an unexpected keyword argument 'release'; did you mean 'release_rate'?
    """
    if isinstance(obj, type):
        wrapped = _keyword_checker(vars(obj)["__init__"], obj.__name__)
        setattr(obj, "__init__", wrapped)  # noqa: B010 - mypy refuses a direct assignment
        return obj
    if not callable(obj):
        raise TypeError(f"suggest_keywords decorates a function or a class, got {describe(obj)}")
    qualname = str(getattr(obj, "__qualname__", type(obj).__name__))
    owner = f"{qualname.rpartition('<locals>.')[2]}()"
    result: _T = _keyword_checker(obj, owner)  # type: ignore[assignment]
    return result


def _keyword_checker(func: Callable[..., Any], owner: str) -> Callable[..., Any]:
    params = inspect.signature(func).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return func
    allowed = frozenset(
        p.name
        for p in params
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    )

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if kwargs and not allowed.issuperset(kwargs):
            check_keywords(kwargs, allowed - {"self"}, owner)
        return func(*args, **kwargs)

    return wrapper


def check_death_rate(
    value: object, name: str = "death_rate", *, allow_extreme: bool = False, how: str = ""
) -> float:
    """Validate a death rate [1/year]; one above 1 needs ``allow_extreme=True``.

    A death rate is a hazard per person per year: 0.03 is 3 %. A value above
    :data:`MAX_PLAUSIBLE_DEATH_RATE` (most of those held dying within a year) is almost always
    a percentage written as a number, so it is refused with the probable intended value,
    unless ``allow_extreme`` says it is meant.

    Parameters
    ----------
    value : object
        What the user passed.
    name : str, default "death_rate"
        The parameter's name, quoted in messages.
    allow_extreme : bool, default False
        Accept a death rate above 1 per person per year.
    how : str, default ""
        How the caller lets an extreme rate through, quoted in the message; by default
        ``"pass allow_extreme_death_rate=True"``.

    Examples
    --------
    >>> check_death_rate(0.03)
    0.03
    >>> check_death_rate(3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: death_rate=3 is a hazard of 3 per person per year (95 % die within a year); ...
    """
    number = check_number(value, name)
    if number > MAX_PLAUSIBLE_DEATH_RATE and not allow_extreme:
        raise ValueError(extreme_death_rate_message(number, name, how))
    return number


def extreme_death_rate_message(number: float, name: str = "death_rate", how: str = "") -> str:
    """The message for a death rate above 1 per person per year (see :func:`check_death_rate`)."""
    share = -math.expm1(-number)
    dying = "more than 99.9 %" if share >= 0.9995 else f"{100 * share:.0f} %"
    how = how or "pass allow_extreme_death_rate=True"
    if number <= 100:
        meant = f"did you mean {number / 100:g}, i.e. {number:g} %?"
    else:
        meant = "a death rate is per person per year, so 3 % is 0.03."
    return (
        f"{name}={number:g} is a hazard of {number:g} per person per year ({dying} die within a "
        f"year); {meant} To model such a hazard on purpose, {how}"
    )


def parse_percent(text: str, name: str) -> float | None:
    """Read ``"3%"`` or ``"2.5 %"`` as a fraction (0.03, 0.025); ``None`` if not a percentage.

    Examples
    --------
    >>> parse_percent("3%", "death_rate"), parse_percent("abc", "death_rate")
    (0.03, None)
    """
    body = text.strip()
    if not body.endswith("%"):
        return None
    number_text = body[:-1].strip().replace("_", "")
    try:
        number = float(number_text)
    except ValueError:
        raise ValueError(
            f"{name} must be a number or a percentage such as '3%', got {text!r}"
        ) from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite percentage such as '3%', got {text!r}")
    return number / 100
