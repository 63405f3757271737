r"""Closed-form time to clear a stock of detainees under constant rates.

The deterministic model (docs/methods.md §1) is

.. math::

    \frac{dS}{dt} = a - r\,[S > 0] - \mu S,

with ``S`` the number held, ``r`` releases per year, ``a`` arrests per year and ``μ`` the
death rate in custody per person per year. Its solution for constant rates gives the time
at which ``S`` first reaches zero in closed form.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._validation import (
    MAX_PLAUSIBLE_DEATH_RATE,
    FloatArray,
    broadcast_inputs,
    check_number,
    extreme_death_rate_message,
    suggest_keywords,
    wrap_like,
)

__all__ = ["never_reason", "time_to_clear"]

_FLOAT_MAX_LOG = math.log(np.finfo(np.float64).max)


def _log1p_ratio(x: FloatArray) -> FloatArray:
    """Return ``log1p(x) / x`` for ``x >= 0``, equal to 1 at ``x = 0`` (no division warning)."""
    out = np.ones_like(x)
    positive = x > 0
    xp = x[positive]
    out[positive] = np.log1p(xp) / xp
    return out


@suggest_keywords
def time_to_clear(
    stock: Any,
    release_rate: Any,
    arrest_rate: Any = 0.0,
    *,
    death_rate: Any = 0.0,
    allow_extreme_death_rate: bool = False,
) -> Any:
    r"""Years until the stock of detainees first reaches zero, for constant rates.

    Parameters
    ----------
    stock : float or array_like
        People held at the start, ``S0`` [people], ``>= 0``.
    release_rate : float or array_like
        People released per year, ``r`` [people/year], ``>= 0``.
    arrest_rate : float or array_like, default 0.0
        People newly detained per year, ``a`` [people/year], ``>= 0``. The default (no arrests)
        is the report's stated best case, not an estimate.
    death_rate : float or array_like, default 0.0
        Deaths in custody per person per year, ``μ`` [1/year], ``>= 0``: 3 % is ``0.03``.
        A value above 1 is refused as a probable percentage slip unless
        ``allow_extreme_death_rate`` is true.
    allow_extreme_death_rate : bool, default False
        Accept death rates above 1 per person per year (most of those held dying within a
        year), for a hazard that extreme on purpose.

    Returns
    -------
    float or numpy.ndarray or pandas.Series
        Years until no one is held: a ``float`` when every input is a scalar, an array of the
        broadcast shape otherwise (a Series aligned with the input when a Series is given).
        ``math.inf`` where the stock never clears; ``0.0`` for an empty stock.

    Raises
    ------
    TypeError
        If an input is not numeric (strings, ``None``, booleans), or for a misspelt keyword.
    ValueError
        If an input is negative, NaN or infinite, if a death rate is above 1 without
        ``allow_extreme_death_rate``, if the shapes do not broadcast, or if the answer is
        finite but larger than the largest float.

    See Also
    --------
    never_reason : why a stock never clears.
    Scenario.time_to_clear : the same question for a named, dated scenario and other release
        rules.

    Notes
    -----
    With no deaths (``μ = 0``) the stock falls at the net rate ``r - a``:

    .. math:: T = \frac{S_0}{r - a} \quad (r > a), \qquad T = \infty \quad (r \le a,\ S_0 > 0).

    With deaths (``μ > 0``), :math:`S(t) = S^* + (S_0 - S^*) e^{-\mu t}` with
    :math:`S^* = (a - r)/\mu`, which reaches zero when ``r > a`` at

    .. math:: T = \frac{\ln(1 + \mu S_0 / (r - a))}{\mu}
                = \frac{S_0}{r - a}\,\frac{\ln(1 + x)}{x}, \quad x = \frac{\mu S_0}{r - a}.

    The second form is evaluated, with ``log1p``, so that ``μ → 0`` converges smoothly to the
    first. Results below the smallest positive float round to ``0.0``.

    Examples
    --------
    The report's arithmetic: 132,000 held, 1,000 released a year, no new arrests.

    >>> import amnesty_model as am
    >>> am.time_to_clear(132_000, 1_000)
    132.0

    Arrests continuing at 500 a year double it; at 1,000 a year it never clears.

    >>> am.time_to_clear(132_000, 1_000, [0, 500, 1_000])
    array([132., 264.,  inf])

    With 2 % of those held dying each year, the prisons empty sooner, for the worst reason.

    >>> round(am.time_to_clear(132_000, 1_000, death_rate=0.02), 1)
    64.6
    """
    spec = [
        ("stock", stock, 0.0, False, False),
        ("release_rate", release_rate, 0.0, False, False),
        ("arrest_rate", arrest_rate, 0.0, False, False),
        ("death_rate", death_rate, 0.0, False, False),
    ]
    # Check signs and NaN first (one reduction per input). Infinite inputs are caught either by
    # the fast path's own check of its result or by the full check below.
    try:
        (S, r, a, mu), shape, scalar, index = broadcast_inputs(
            [(name, value, low, strict, True) for name, value, low, strict, _ in spec]
        )
    except ValueError:
        pass  # the full check below raises with the complete message
    else:
        if not mu.any():
            fast = _no_deaths(S, r, a, shape)
            if fast is not None:
                return wrap_like(fast, scalar, index, name="years_to_clear")
    (S, r, a, mu), shape, scalar, index = broadcast_inputs(spec)
    if not isinstance(allow_extreme_death_rate, bool):
        raise TypeError(
            f"allow_extreme_death_rate must be True or False, got {allow_extreme_death_rate!r}"
        )
    if not allow_extreme_death_rate and mu.size and mu.max() > MAX_PLAUSIBLE_DEATH_RATE:
        raise ValueError(
            extreme_death_rate_message(float(mu[mu > MAX_PLAUSIBLE_DEATH_RATE].flat[0]))
        )
    if not mu.any():
        return wrap_like(_fix_up(S, r, a, shape), scalar, index, name="years_to_clear")
    out = np.full(shape, np.inf)
    out[S == 0] = 0.0
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        net = r - a
        clears = (net > 0) & (S > 0)
        Sc, netc, muc = S[clears], net[clears], mu[clears]
        base = Sc / netc  # the no-death answer; may overflow for tiny net rates
        x = np.where(muc > 0, muc * base, 0.0)
        result = base * _log1p_ratio(np.where(np.isfinite(x), x, 0.0))
        # Where S0 / (r - a) or μ S0 / (r - a) overflow but μ > 0, work with logarithms:
        # ln(1 + x) = ln x + ln(1 + 1/x).
        hard = (~np.isfinite(base) | ~np.isfinite(x)) & (muc > 0)
        if hard.any():
            log_x = np.log(muc[hard]) + np.log(Sc[hard]) - np.log(netc[hard])
            log1p_x = np.where(
                log_x > _FLOAT_MAX_LOG / 2,
                log_x + np.log1p(np.exp(-np.minimum(log_x, _FLOAT_MAX_LOG))),
                np.log1p(np.exp(np.minimum(log_x, _FLOAT_MAX_LOG / 2))),
            )
            result[hard] = log1p_x / muc[hard]
    if not np.isfinite(result).all():
        raise ValueError(
            "the time to clear is finite but larger than the largest float "
            f"({np.finfo(np.float64).max:.3g} years) for at least one input; "
            "check the units of stock and release_rate"
        )
    out[clears] = result
    return wrap_like(out, scalar, index, name="years_to_clear")


def _no_deaths(
    S: FloatArray, r: FloatArray, a: FloatArray, shape: tuple[int, ...]
) -> FloatArray | None:
    """``S0 / (r − a)`` when every stock clears in finite time (μ = 0); else ``None``.

    The common case in one pass and two reductions: all results positive and finite. Any
    empty stock, ``r <= a``, overflow or infinite input fails that test (an infinite stock
    gives ``inf``, an infinite rate ``0``, ``-0`` or NaN), and the caller takes the slow path.
    """
    net = np.subtract(r, a, out=np.empty(shape))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.divide(S, net, out=net)  # reuses the memory of net: no further array
    if out.size and out.min() > 0 and out.max() < np.inf:
        return out
    return None


def _fix_up(S: FloatArray, r: FloatArray, a: FloatArray, shape: tuple[int, ...]) -> FloatArray:
    """``S0 / (r − a)`` with ``inf`` where ``r <= a`` and 0 for an empty stock (μ = 0)."""
    net = np.subtract(r, a, out=np.empty(shape))
    clears = (net > 0) & (S > 0)
    out = np.full(shape, np.inf)
    out[S == 0] = 0.0
    with np.errstate(over="ignore"):
        out[clears] = S[clears] / net[clears]
    if not np.isfinite(out[clears]).all():
        raise ValueError(
            "the time to clear is finite but larger than the largest float "
            f"({np.finfo(np.float64).max:.3g} years) for at least one input; "
            "check the units of stock and release_rate"
        )
    return out


def _people(value: float) -> str:
    """Format a count or rate for a sentence: 1,200, 7,347 (from 7,346.8), 2.25 or 0.5."""
    if math.isinf(value):  # a product beyond the floats (1e308 arrests a year × 1,000 years)
        return f"{value:,}"
    if (value == round(value) or abs(value) >= 100) and abs(value) < 1e15:
        return f"{value:,.0f}"
    return f"{value:,.3g}"


@suggest_keywords
def never_reason(
    stock: float,
    release_rate: float,
    arrest_rate: float = 0.0,
    *,
    death_rate: float = 0.0,
) -> str | None:
    """Say in plain words why a stock never clears under constant rates, or ``None`` if it does.

    Parameters
    ----------
    stock : float
        People held at the start [people].
    release_rate : float
        People released per year [people/year].
    arrest_rate : float, default 0.0
        People newly detained per year [people/year].
    death_rate : float, default 0.0
        Deaths in custody per person per year [1/year].

    Returns
    -------
    str or None
        The reason, or ``None`` when :func:`time_to_clear` is finite.

    Examples
    --------
    >>> never_reason(132_000, 1_000, 1_200)
    'arrests (1,200/yr) outpace releases (1,000/yr)'
    >>> never_reason(132_000, 0)
    'release rate is zero'
    >>> never_reason(132_000, 1_000) is None
    True
    """
    S = check_number(stock, "stock")
    r = check_number(release_rate, "release_rate")
    a = check_number(arrest_rate, "arrest_rate")
    mu = check_number(death_rate, "death_rate")
    if S == 0 or r > a:
        return None
    if r == 0 and a == 0:
        if mu > 0:
            return "release rate is zero: deaths in custody shrink the stock but never to zero"
        return "release rate is zero"
    if r == 0:
        return f"release rate is zero and arrests ({_people(a)}/yr) add to the stock"
    if r == a:
        text = f"arrests ({_people(a)}/yr) equal releases ({_people(r)}/yr)"
        if mu > 0:
            return text + ": deaths in custody shrink the stock but never to zero"
        return text + ": the stock never falls"
    text = f"arrests ({_people(a)}/yr) outpace releases ({_people(r)}/yr)"
    if mu > 0:
        with np.errstate(over="ignore"):
            level = float(np.float64(a - r) / np.float64(mu))
        if math.isfinite(level):
            return text + f": the stock settles near {_people(round(level))} held"
        return text + ": the stock grows almost without bound (deaths too rare to matter)"
    return text
