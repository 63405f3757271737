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

_FLOAT_MAX = float(np.finfo(np.float64).max)
_FLOAT_MAX_LOG = math.log(_FLOAT_MAX)


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
    if isinstance(allow_extreme_death_rate, bool):
        fast = _vectorised(stock, release_rate, arrest_rate, death_rate, allow_extreme_death_rate)
        if fast is not None:
            return fast
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


def _scalar(S: float, r: float, a: float, mu: float, extreme: bool) -> float | None:
    """The answer for four Python numbers, as the general path gives it; ``None`` otherwise.

    ``None`` (the general path decides, and raises where it must) for any input that is not
    finite and ``>= 0``, a death rate above 1 without ``extreme``, or an answer that needs
    the general path's care: an overflow, or ``μ S/(r − a)`` beyond floats.
    """
    try:
        S, r, a, mu = float(S), float(r), float(a), float(mu)
    except OverflowError:
        return None
    if not (0.0 <= S < math.inf and 0.0 <= r < math.inf and 0.0 <= a < math.inf):
        return None
    if not (0.0 <= mu < math.inf and (extreme or mu <= MAX_PLAUSIBLE_DEATH_RATE)):
        return None
    if S == 0.0:
        return 0.0
    if not r > a:
        return math.inf
    base = S / (r - a)
    if mu == 0.0:
        return base if base < math.inf else None
    x = mu * base
    if not (base < math.inf and x < math.inf):
        return None
    if x == 0.0:
        return base
    return base * float(np.log1p(x) / x)  # numpy's log1p: the same digits as the array path


def _plain_array(value: object) -> FloatArray | None:
    """``value`` as a float64 array when it is a real ndarray or real number, else ``None``.

    Only the cases that need no further type check: a numpy array of floats or integers (not
    booleans), or a Python/numpy real number. Anything else (lists, Series, objects, dates,
    booleans) goes to the general path, whose messages name the offending input.
    """
    if type(value) is np.ndarray:
        kind = value.dtype.kind
        if kind == "f":
            return value if value.dtype == np.float64 else value.astype(np.float64)
        if kind in "iu":
            return value.astype(np.float64)
        return None
    if isinstance(value, float | int | np.floating | np.integer) and not isinstance(
        value, bool | np.bool_
    ):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float: the general path says so
            return None
        return np.asarray(number)
    return None


def _vectorised(
    stock: object, release: object, arrest: object, death: object, extreme: bool
) -> FloatArray | float | None:
    """Every input checked and the answer computed chunk by chunk, or ``None``.

    For float64 (or integer) arrays and real numbers, with at least one array. The work goes
    in chunks small enough to stay in cache: each chunk's inputs are checked and its answer
    computed while they are there, so memory is read once and written once (the bare
    ``S / (r − a)`` writes a temporary too). An overflow raises inside ``np.errstate`` and
    sends the call to the general path, as does any input that fails a check (the general
    path then raises with the complete message). Returns ``None`` whenever it cannot answer.
    """
    numbers = (stock, release, arrest, death)
    if all(type(value) is float or type(value) is int for value in numbers):
        return _scalar(*numbers, extreme)  # type: ignore[arg-type]
    arrays = []
    for value in numbers:
        array = _plain_array(value)
        if array is None:
            return None
        arrays.append(array)
    S, r, a, mu = arrays
    if not (S.ndim or r.ndim or a.ndim or mu.ndim):
        return None  # all scalars: the general path returns a float
    try:
        shape = np.broadcast_shapes(S.shape, r.shape, a.shape, mu.shape)
    except ValueError:
        return None
    if 0 in shape:
        return None
    size = math.prod(shape)
    flat = [_flat(array, shape, size) for array in (S, r, a, mu)]
    limit = math.inf if extreme else MAX_PLAUSIBLE_DEATH_RATE
    out = np.empty(size)
    tmp = np.empty((2, min(size, _CHUNK)))  # reused: a fresh 256 KiB array is a fresh mmap
    try:
        with np.errstate(divide="ignore", invalid="ignore", over="raise", under="ignore"):
            for start in range(0, size, _CHUNK):
                if not _chunk(out, tmp, flat, start, min(start + _CHUNK, size), limit):
                    return None
    except FloatingPointError:
        return None
    return out.reshape(shape)


# Elements per chunk of the vectorised path: the inputs, the output and two scratch arrays of a
# chunk (7 × 256 KiB) stay in a core's cache between the checks and the arithmetic.
_CHUNK = 1 << 16


def _flat(array: FloatArray, shape: tuple[int, ...], size: int) -> FloatArray:
    """A 1-d view of ``array`` broadcast to ``shape`` (a 1-element array stays 1 element)."""
    if array.size == 1:
        return array.reshape(1)
    if array.shape == shape and array.flags.c_contiguous:
        return array.reshape(size)
    return np.ascontiguousarray(np.broadcast_to(array, shape)).reshape(size)


def _chunk(  # noqa: PLR0917 (called once per chunk: positional for speed)
    out: FloatArray, tmp: FloatArray, flat: list[FloatArray], lo: int, hi: int, limit: float
) -> bool:
    """Check and compute elements ``lo:hi``; ``False`` if an input fails a check.

    Each input is checked with two reductions (a NaN fails both comparisons, a negative value
    the first, an infinite one the second). Then, with ``d = max(r − a, 0)``, ``S / d`` is the
    answer except for ``0 / 0`` (an empty stock that would not clear: NaN, which ``fmax``
    turns into 0) and signed zeros (``absolute``); ``S / 0 = inf`` is the answer for a stock
    that never clears. With deaths, ``T = (S/d)·ln(1 + x)/x``, ``x = μ S/d``: the ratio is NaN
    (``0/0``) where it must be 1, which ``fmin`` gives.
    """
    S, r, a, mu = (v if v.size == 1 else v[lo:hi] for v in flat)
    lows = [array.min() for array in (S, r, a)]
    if not all(low >= 0.0 for low in lows):  # NaN or negative
        return False
    if not (S.max() < math.inf and r.max() < math.inf and a.max() < math.inf):
        return False
    mu_low, mu_high = mu.min(), mu.max()
    if not (mu_low >= 0.0 and mu_high <= limit and mu_high < math.inf):
        return False
    o = out[lo:hi]
    np.subtract(r, a, out=o)
    np.maximum(o, 0.0, out=o)
    if lows[1] == 0.0:  # r = -0.0 and a = 0 give d = -0.0, and S / -0.0 = -inf
        np.absolute(o, out=o)
    np.divide(S, o, out=o)
    if not o.min() > 0.0:  # some empty stock (0 or NaN)
        np.fmax(o, 0.0, out=o)
        np.absolute(o, out=o)
    if mu_high > 0.0:
        some = np.flatnonzero(mu > 0.0) if mu.size > 1 else None
        if some is None or 2 * some.size > o.size:
            x, ratio = tmp[0, : hi - lo], tmp[1, : hi - lo]
            np.multiply(mu, o, out=x)
            _death_factor(x, ratio, o)
        else:  # the few scenarios with deaths only
            base = o[some]
            o[some] = _death_factor(mu[some] * base, np.empty_like(base), base)
    return True


def _death_factor(x: FloatArray, ratio: FloatArray, base: FloatArray) -> FloatArray:
    """``base·ln(1 + x)/x`` (``base`` where ``x = 0``), in place; ``x`` is overwritten."""
    # NaN (μ = 0, never clears) and inf to the largest float: log1p is several times slower
    # on them, and ln(1 + x)/x is then about 4e-306, which keeps T = inf.
    np.fmin(x, _FLOAT_MAX, out=x)
    np.log1p(x, out=ratio)
    np.divide(ratio, x, out=ratio)
    np.fmin(ratio, 1.0, out=ratio)  # NaN from 0/0 (no deaths, or an empty stock) to 1
    return np.multiply(base, ratio, out=base)


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
