"""The shared input checks: messages name the parameter, the value and what is allowed."""

from __future__ import annotations

import datetime as dt
import inspect
import math

import numpy as np
import pandas as pd
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


# -- misspelt keywords -------------------------------------------------------------------------


def test_suggest_keywords_on_a_function_keeps_signature_and_suggests() -> None:
    @v.suggest_keywords
    def clear(stock: float, release_rate: float, *, death_rate: float = 0.0) -> float:
        """Doc."""
        return stock / release_rate + death_rate

    assert clear(10, release_rate=2) == 5.0
    assert list(inspect.signature(clear).parameters) == ["stock", "release_rate", "death_rate"]
    assert clear.__doc__ == "Doc." and clear.__name__ == "clear"
    with pytest.raises(
        TypeError,
        match=r"^clear\(\) got an unexpected keyword argument 'release'; did you mean "
        r"'release_rate'\?$",
    ):
        clear(10, release=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"'death'; did you mean 'death_rate'\?"):
        clear(10, 2, death=0.1)  # type: ignore[call-arg]
    # Nothing close: the allowed names are listed.
    with pytest.raises(TypeError, match=r"'zzz'; allowed: death_rate, release_rate, stock$"):
        clear(10, 2, zzz=1)  # type: ignore[call-arg]


def test_suggest_keywords_on_a_class_and_with_var_keywords() -> None:
    @v.suggest_keywords
    class Box:
        def __init__(self, size: float) -> None:
            self.size = size

    assert Box(size=3).size == 3
    with pytest.raises(TypeError, match=r"^Box got an unexpected keyword argument 'sise'; did"):
        Box(sise=3)  # type: ignore[call-arg]

    @v.suggest_keywords
    def anything(**kwargs: float) -> int:
        return len(kwargs)

    assert anything(x=1, y=2) == 2  # **kwargs: left to the function
    with pytest.raises(TypeError, match="suggest_keywords decorates a function or a class"):
        v.suggest_keywords(3)


def test_check_keywords_for_var_keyword_functions() -> None:
    v.check_keywords({"stock": 1}, ["stock"], "f()")
    with pytest.raises(TypeError, match=r"^f\(\) got an unexpected keyword argument 'stok'; did"):
        v.check_keywords({"stok": 1}, ["stock"], "f()")


# -- death rates and percentages ---------------------------------------------------------------


def test_check_death_rate_names_the_probable_percentage() -> None:
    assert v.check_death_rate(1.0) == 1.0
    assert v.check_death_rate(3, allow_extreme=True) == 3.0
    # 1 − e^{−3} = 0.9502: 95 % die within a year.
    with pytest.raises(
        ValueError,
        match=r"^death_rate=3 is a hazard of 3 per person per year \(95 % die within a year\); "
        r"did you mean 0\.03, i\.e\. 3 %\? To model such a hazard on purpose, pass "
        r"allow_extreme_death_rate=True$",
    ):
        v.check_death_rate(3)
    with pytest.raises(ValueError, match=r"death_rate=30 .*\(more than 99\.9 % die .*mean 0\.3,"):
        v.check_death_rate(30)
    with pytest.raises(ValueError, match=r"death_rate=1e\+300 .* so 3 % is 0\.03\. To model"):
        v.check_death_rate(1e300)
    with pytest.raises(ValueError, match=r"mu=2 .*To model such a hazard on purpose, say so$"):
        v.check_death_rate(2, "mu", how="say so")
    with pytest.raises(ValueError, match="death_rate must be a finite number >= 0"):
        v.check_death_rate(-0.1)


def test_parse_percent() -> None:
    assert v.parse_percent("3%", "x") == 0.03
    assert v.parse_percent(" 2.5 % ", "x") == 0.025
    assert v.parse_percent("3", "x") is None
    with pytest.raises(ValueError, match=r"x must be a number or a percentage such as '3%', got"):
        v.parse_percent("a%", "x")
    with pytest.raises(ValueError, match=r"x must be a finite percentage"):
        v.parse_percent("inf%", "x")


@pytest.mark.parametrize(
    "value", [pd.NaT, np.datetime64("NaT"), pd.NA, math.nan, "NaT", " nan "], ids=repr
)
def test_check_date_refuses_missing_dates_by_name(value: object) -> None:
    with pytest.raises(ValueError, match=r"^start is a missing date \(.*\), not a date; give a "):
        v.check_date(value, "start")
