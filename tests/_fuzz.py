"""Shared strategies and checks for the fuzz suite (``tests/test_fuzz_*.py``).

The contract every public entry point must meet, for any input: it returns documented,
finite values (``math.inf`` only where "never" is the answer), or it raises ``ValueError`` or
``TypeError`` whose message names the offending parameter. Any other exception, any warning
(pytest turns them into errors) or a NaN where none is documented fails the test.

``COUNTS`` records how many inputs each entry point was tried with; set ``AM_FUZZ_COUNTS`` to
a file name to have the counts written there as JSON at the end of the session.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

COUNTS: Counter[str] = Counter()

REFUSED = object()  # what ``attempt`` returns when the input was refused properly

# Values that have broken numerical libraries before: every special float, huge and tiny
# numbers, integers too large for a float, the wrong types, and arrays or Series with odd
# shapes, contents and indexes.
ODD_VALUES: list[Any] = [
    math.nan,
    math.inf,
    -math.inf,
    -1.0,
    -0.0,
    0.0,
    5e-324,
    1e-300,
    1e-9,
    0.5,
    1.0,
    3,
    1e9,
    1e300,
    1.7976931348623157e308,
    10**400,
    -(10**400),
    2**63,
    True,
    False,
    "1",
    "",
    "abc",
    None,
    1 + 1j,
    Fraction(1, 3),
    np.float32(2.5),
    np.float16(1.0),
    np.int64(7),
    np.uint8(200),
    np.array(3.0),
    np.array(math.nan),
    dt.date(2022, 5, 26),
    [],
    [1.0, 2.0],
    [[1.0], [2.0, 3.0]],
    (5.0,),
    np.array([]),
    np.array([1.0, math.nan]),
    np.array([1.0, math.inf]),
    np.array([[1.0, 2.0], [3.0, 4.0]]),
    np.array([1, 2], dtype=object),
    np.array([1, "a"], dtype=object),
    np.array(["a", "b"]),
    np.array([True, False]),
    pd.Series([1.0, 2.0], index=["b", "a"]),
    pd.Series([1.0, 2.0], index=[5, 5]),
    pd.Series([], dtype=float),
    pd.Series(["x", "y"]),
    pd.Series([1.0, None]),
    {},
    {"a": 1.0},
]


def odd_values() -> st.SearchStrategy[Any]:
    """Any value a caller might pass for a number: the odd list, any float, any integer."""
    return st.one_of(
        st.sampled_from(ODD_VALUES),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**320), max_value=10**320),
        st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4),
    )


def reasonable() -> st.SearchStrategy[float]:
    """Valid non-negative numbers spanning many orders of magnitude, with the edges."""
    return st.one_of(
        st.sampled_from([0.0, 1e-9, 1e-3, 1.0, 2.0, 1e3, 1e6, 1e9]),
        st.floats(min_value=0.0, max_value=1e9, allow_nan=False, allow_infinity=False),
    )


def attempt(
    entry: str, fn: Callable[..., Any], *args: Any, names: Iterable[str], **kw: Any
) -> Any:
    """Call ``fn``; a ValueError/TypeError must name one of ``names``. Count the call."""
    COUNTS[entry] += 1
    if os.environ.get("AM_FUZZ_DEBUG"):  # show each call before it runs (to find a hang)
        owner = getattr(fn, "__self__", None)  # the scenario of a bound method, say
        print(entry, args, kw, "" if owner is None else f"on {owner!r}", flush=True)
    try:
        return fn(*args, **kw)
    except (ValueError, TypeError) as exc:
        message = str(exc)
        wanted = list(names)
        assert any(n in message for n in wanted), (  # noqa: PT017 - any of many entry points
            f"{entry}: {type(exc).__name__} message names none of {wanted}: {message!r}"
        )
        return REFUSED


def no_nan(value: Any, what: str = "result") -> None:
    """Fail if ``value`` (float, array, Series, DataFrame, mapping, sequence) holds a NaN."""
    if isinstance(value, bool) or value is None or isinstance(value, str | dt.date):
        return
    if isinstance(value, float | int | np.floating | np.integer):
        assert not math.isnan(float(value)), f"{what} is NaN"
        return
    if isinstance(value, pd.DataFrame):
        numeric = value.select_dtypes("number")
        assert not numeric.isna().to_numpy().any(), f"{what} holds NaN:\n{numeric}"
        return
    if isinstance(value, pd.Series):
        if value.dtype.kind in "fc":
            assert not value.isna().any(), f"{what} holds NaN: {value}"
        return
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            assert not np.isnan(value).any(), f"{what} holds NaN: {value}"
        return
    if isinstance(value, dict):
        for k, v in value.items():
            no_nan(v, f"{what}[{k!r}]")
        return
    if isinstance(value, list | tuple):
        for i, v in enumerate(value):
            no_nan(v, f"{what}[{i}]")


def is_json_safe(record: Any) -> bool:
    """True if ``record`` round-trips through strict JSON unchanged."""
    text = json.dumps(record, allow_nan=False, sort_keys=True)
    return bool(json.loads(text) == record)


def write_counts() -> None:
    """Write ``COUNTS`` to the file named by ``AM_FUZZ_COUNTS`` (merging earlier counts)."""
    target = os.environ.get("AM_FUZZ_COUNTS")
    if not target:
        return
    merged: dict[str, int] = {}
    if os.path.exists(target):
        with open(target, encoding="utf-8") as handle:
            merged = json.load(handle)
    for key, value in COUNTS.items():
        merged[key] = merged.get(key, 0) + value
    COUNTS.clear()
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(dict(sorted(merged.items())), handle, indent=1)
