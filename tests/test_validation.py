"""The shared input checks: messages name the parameter, the value and what is allowed."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from amnesty_model import _validation as v


def test_check_number_bounds() -> None:
    assert v.check_number(np.float32(2.5), "x") == 2.5
    assert v.check_number(np.array(3), "x") == 3.0
    assert v.check_number(math.inf, "x", allow_inf=True) == math.inf
    with pytest.raises(ValueError, match=r"x must be a finite number > 0, got 0"):
        v.check_number(0, "x", strict=True)
    with pytest.raises(ValueError, match=r"x must be a number >= 0 \(inf allowed\), got -inf"):
        v.check_number(-math.inf, "x", allow_inf=True)
    with pytest.raises(TypeError, match=r"x must be .* got True \(bool\)"):
        v.check_number(True, "x")
    with pytest.raises(ValueError, match="too large for a float"):
        v.check_number(10**400, "x")


def test_broadcast_inputs_object_arrays() -> None:
    arrays, shape, scalar, index = v.broadcast_inputs([("x", [1, 2.5], 0.0, False, False)])
    assert shape == (2,) and not scalar and index is None
    with pytest.raises(TypeError, match=r"x must be .* got an element 'a' \(str\)"):
        v.broadcast_inputs([("x", np.array([1, "a"], dtype=object), 0.0, False, False)])
    with pytest.raises(ValueError, match=r"x must be a finite number > 0"):
        v.broadcast_inputs([("x", [1.0, 0.0], 0.0, True, False)])
    arrays, *_ = v.broadcast_inputs([("x", [1.0, math.inf], 0.0, False, True)])
    assert arrays[0][1] == math.inf
    with pytest.raises(ValueError, match="too large"):
        v.broadcast_inputs([("x", np.array([10**400], dtype=object), 0.0, False, False)])


def test_positive_int_probability_choice_date() -> None:
    assert v.check_positive_int(np.int64(5), "paths") == 5
    with pytest.raises(TypeError, match="paths must be an integer >= 1, got 2.5"):
        v.check_positive_int(2.5, "paths")
    with pytest.raises(ValueError, match="paths must be an integer >= 1, got 0"):
        v.check_positive_int(0, "paths")
    with pytest.raises(ValueError, match="confidence must be strictly between 0 and 1, got 1"):
        v.check_probability(1, "confidence")
    with pytest.raises(TypeError, match=r"kind must be one of \['a', 'b'\], got 1"):
        v.check_choice(1, "kind", ["a", "b"])
    with pytest.raises(ValueError, match=r"kind must be one of \['a', 'b'\], got 'c'"):
        v.check_choice("c", "kind", ["a", "b"])
    assert v.check_date(np.datetime64("2022-04-30T10:00"), "d") == dt.date(2022, 4, 30)


def test_describe_truncates() -> None:
    assert v.describe("x" * 100).endswith("...")
    assert len(v.describe(np.arange(1000))) <= 60
