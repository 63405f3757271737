r"""Uncertain inputs: the distribution of the time to clear, and which input matters most.

Each input of the time to clear (docs/methods.md §4) may be given as

* a plain number: known exactly;
* a ``(low, high)`` pair: uniform between the two ends;
* a frozen ``scipy.stats`` distribution, or any object with a ``ppf`` (quantile) method;
* for the release and arrest rates, a :class:`~amnesty_model.rates.RateEstimate`, which stands
  for its Jeffreys posterior (:meth:`RateEstimate.distribution`).

The uncertain inputs are taken as independent. A scrambled Sobol' sequence
(:class:`scipy.stats.qmc.Sobol`) gives well-spread points ``u`` in the unit cube, and each input
is ``F⁻¹(u)`` through its quantile function, so the sample of the answer converges faster than
plain Monte Carlo for smooth answers (quasi-Monte Carlo, Owen 1997).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import (
    FloatArray,
    check_choice,
    check_number,
    check_positive_int,
    check_probability,
    describe,
    suggest_keywords,
)
from .clear import time_to_clear
from .provenance import format_number, make_provenance
from .rates import RateEstimate

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "UncertainClearTime",
    "sensitivity",
    "sobol_sensitivity",
    "tornado",
    "uncertain_time_to_clear",
]

_QMC_METHOD = "quasi-Monte Carlo (scrambled Sobol, scipy.stats.qmc)"
_SOBOL_METHOD = "Sobol indices (scipy.stats.sobol_indices, Saltelli 2010 estimators)"
_TORNADO_METHOD = "one-at-a-time (tornado): each input at two quantiles, the others at medians"
_NAMES = ("stock", "release_rate", "arrest_rate", "death_rate")
_OUTPUTS = ("clearance_rate", "years")


# --------------------------------------------------------------------------------------------
# Reading inputs


@dataclass(frozen=True)
class _Input:
    """One input: a fixed number (``dist is None``) or a distribution with a ``ppf``."""

    name: str
    value: float
    dist: Any
    record: Any
    minimum: float = 0.0

    @property
    def uncertain(self) -> bool:
        return self.dist is not None

    def quantile(self, u: FloatArray) -> FloatArray:
        """Map probabilities ``u`` to values, checking they are finite and ``>= minimum``."""
        values = np.asarray(self.dist.ppf(u), dtype=np.float64)
        values = np.broadcast_to(values, u.shape)
        bad = ~np.isfinite(values) | (values < self.minimum)
        if bad.any():
            where = int(np.argmax(bad))
            allowed = "finite" if self.minimum == -math.inf else f"finite and >= {self.minimum:g}"
            hint = (
                "; use a distribution on [0, inf) (e.g. scipy.stats.lognorm, gamma or truncnorm)"
                if self.minimum == 0
                else ""
            )
            raise ValueError(
                f"{self.name} must be {allowed}, but its distribution gives "
                f"{float(values.flat[where])!r} at probability {u.flat[where]:.6g}{hint}"
            )
        return values


def _describe_distribution(dist: Any) -> Any:
    """Return a JSON-safe description of a frozen scipy.stats distribution (or a repr)."""
    family = getattr(getattr(dist, "dist", None), "name", None)
    if isinstance(family, str):
        return {
            "distribution": family,
            "args": list(getattr(dist, "args", ())),
            "kwds": dict(getattr(dist, "kwds", {})),
        }
    return {"distribution": type(dist).__name__, "repr": describe(dist)}


def _as_input(value: object, name: str, allow_rate: bool, minimum: float = 0.0) -> _Input:
    """Read a number, a (low, high) pair, a distribution or (for rates) a RateEstimate."""
    from scipy import stats

    allowed = (
        "a number, a (low, high) pair, a frozen scipy.stats distribution (an object with a ppf "
        "method)" + (" or a RateEstimate" if allow_rate else "")
    )
    if isinstance(value, RateEstimate):
        if not allow_rate:
            raise TypeError(
                f"{name} must be {allowed}, got a RateEstimate; a RateEstimate is a count per "
                f"year, which is not the unit of {name}"
            )
        record = {
            "distribution": "gamma (Jeffreys posterior of a Poisson count)",
            "count": value.count,
            "days": value.days,
            "rate_provenance": value.provenance.get("hash"),
        }
        return _Input(name, value.rate, value.distribution(), record)
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(
                f"{name} must be {allowed}, got a sequence of length {len(value)}: "
                f"{describe(value)}"
            )
        low = check_number(value[0], f"{name} (low end)", minimum=minimum)
        high = check_number(value[1], f"{name} (high end)", minimum=minimum)
        if low > high:
            raise ValueError(
                f"{name} must be a (low, high) pair with low <= high, got {describe(value)}"
            )
        if low == high:
            return _Input(name, low, None, low, minimum)
        dist = stats.uniform(loc=low, scale=high - low)
        record = {"distribution": "uniform", "interval": [low, high]}
        return _Input(name, (low + high) / 2, dist, record, minimum)
    ppf = getattr(value, "ppf", None)
    if callable(ppf):
        return _Input(name, math.nan, value, _describe_distribution(value), minimum)
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be {allowed}, got {describe(value)} ({type(value).__name__})"
        )
    number = check_number(value, name, minimum=minimum)
    return _Input(name, number, None, number, minimum)


def _read_inputs(
    stock: object, release_rate: object, arrest_rate: object, death_rate: object
) -> list[_Input]:
    return [
        _as_input(stock, "stock", allow_rate=False),
        _as_input(release_rate, "release_rate", allow_rate=True),
        _as_input(arrest_rate, "arrest_rate", allow_rate=True),
        _as_input(death_rate, "death_rate", allow_rate=False),
    ]


def _resolve_seed(seed: object) -> int:
    """Turn ``seed`` into an int seed that reproduces the computation, and is recorded.

    An int is used as given; ``None`` draws fresh entropy; a Generator draws a child seed from
    itself (so it advances, and the result is reproducible from the recorded int).
    """
    if seed is None:
        entropy: Any = np.random.SeedSequence().entropy
        return int(entropy)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**63))
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            "seed must be an int >= 0, a numpy.random.Generator or None, "
            f"got {describe(seed)} ({type(seed).__name__})"
        )
    if int(seed) < 0:
        raise ValueError(f"seed must be an int >= 0, a numpy.random.Generator or None, got {seed}")
    return int(seed)


def _check_power_of_two(n: object) -> int:
    number = check_positive_int(n, "n", minimum=2)
    if number & (number - 1):
        raise ValueError(
            f"n must be a power of 2 (the balance of Sobol' points needs it), got {number}; "
            f"try {1 << number.bit_length()}"
        )
    return number


def _records(inputs: Sequence[_Input]) -> dict[str, Any]:
    return {inp.name: inp.record for inp in inputs}


def _rate_sources(*values: object) -> list[str]:
    found: list[str] = []
    for value in values:
        if isinstance(value, RateEstimate):
            found.extend(value.provenance.get("sources", []))
    return found


# --------------------------------------------------------------------------------------------
# Distribution of the time to clear


def _quantiles(sample: FloatArray, levels: Sequence[float]) -> list[float]:
    """Sample quantiles by linear interpolation (numpy's default), letting ``inf`` through.

    ``np.quantile`` would compute ``inf - x`` or ``0 * inf`` when interpolating next to an
    infinite value; here a quantile next to ``inf`` is ``inf`` unless it falls exactly on a
    finite order statistic.
    """
    ordered = np.sort(sample)
    last = ordered.size - 1
    out: list[float] = []
    for q in levels:
        h = last * q
        lo = math.floor(h)
        hi = min(lo + 1, last)
        g = h - lo
        a, b = float(ordered[lo]), float(ordered[hi])
        if g == 0 or a == b:
            out.append(a)
        elif math.isinf(b):
            out.append(math.inf)
        else:
            out.append(a + g * (b - a))
    return out


@dataclass(frozen=True, repr=False, eq=False)
class UncertainClearTime:
    """The distribution of the time to clear implied by uncertain inputs.

    Attributes
    ----------
    years : numpy.ndarray
        The sample of times to clear [years], one per quasi-random point (read-only);
        ``inf`` where the stock never clears.
    inputs : dict of str to numpy.ndarray
        The matching sample of each input (``stock`` [people], ``release_rate`` and
        ``arrest_rate`` [people/year], ``death_rate`` [1/year]).
    quantiles : pandas.Series
        Quantiles of the time to clear [years], indexed by probability.
    p_never : float
        The share of the sample that never clears, an estimate of the probability of never.
    provenance : dict
        Inputs, method (with ``n`` and the seed), version and hash.
    """

    years: FloatArray
    inputs: dict[str, FloatArray]
    quantiles: pd.Series
    p_never: float
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        """The median time to clear [years]."""
        return _quantiles(self.years, [0.5])[0]

    @property
    def n(self) -> int:
        """The number of points in the sample."""
        return int(self.years.size)

    def to_frame(self) -> pd.DataFrame:
        """Return the sample as a DataFrame: one row per point, one column per input and ``years``.

        Examples
        --------
        >>> res = uncertain_time_to_clear(132_000, (6_731, 8_005), n=2**4, seed=1)
        >>> list(res.to_frame().columns)
        ['stock', 'release_rate', 'arrest_rate', 'death_rate', 'years']
        """
        import pandas as pd

        return pd.DataFrame({**self.inputs, "years": self.years})

    def cite(self) -> str:
        """Return a sentence to paste, with the figures, the method, the seed and the hash.

        Examples
        --------
        >>> res = uncertain_time_to_clear(132_000, (6_731, 8_005), n=2**12, seed=1)
        >>> print(res.cite())  # doctest: +ELLIPSIS
        Time to release 132,000 held: median 17.9 years (2.5–97.5 % quantiles 16.6–19.5 years; ...
        """
        p = self.provenance
        levels = [float(q) for q in self.quantiles.index]
        lo_q, hi_q = levels[0], levels[-1]
        lo, hi = float(self.quantiles.iloc[0]), float(self.quantiles.iloc[-1])
        record = p.get("inputs", {}).get("stock")
        if isinstance(record, dict) and "interval" in record:
            held = "–".join(format_number(float(v)) for v in record["interval"])
        elif isinstance(record, int | float):
            held = format_number(float(record))
        else:
            held = f"a median of {format_number(float(np.median(self.inputs['stock'])))}"
        levels_text = f"{100 * lo_q:g}–{100 * hi_q:g} % quantiles"
        if math.isinf(lo):
            spread = f"{levels_text}: never"
        elif math.isinf(hi):
            spread = f"{levels_text} {format_number(lo, 'years')} to never"
        else:
            spread = f"{levels_text} {format_number(lo)}–{format_number(hi, 'years')}"
        return (
            f"Time to release {held} held: median {format_number(self.median, 'years')} "
            f"({spread}; P(never) = {self.p_never:.3g}); "
            f"{p.get('method', _QMC_METHOD)}, n = {self.n:,}, seed {p.get('seed')} "
            f"(amnesty_model {p.get('version', '?')}, provenance {p.get('hash', '?')})."
        )

    def __repr__(self) -> str:
        lo, hi = float(self.quantiles.iloc[0]), float(self.quantiles.iloc[-1])
        top = format_number(hi, "years") if math.isfinite(hi) else "never"
        return (
            f"UncertainClearTime(median {format_number(self.median, 'years')}, "
            f"{format_number(lo)} to {top}, P(never) = {self.p_never:.3g}, n = {self.n:,})"
        )


def _sample_inputs(inputs: Sequence[_Input], n: int, seed: int) -> dict[str, FloatArray]:
    """Draw ``n`` scrambled-Sobol points and map them through each uncertain input's ppf."""
    from scipy.stats import qmc

    uncertain = [inp for inp in inputs if inp.uncertain]
    values = {inp.name: np.full(n, inp.value) for inp in inputs if not inp.uncertain}
    if uncertain:
        rng = np.random.default_rng(seed)
        u = qmc.Sobol(len(uncertain), scramble=True, rng=rng).random_base2(n.bit_length() - 1)
        for j, inp in enumerate(uncertain):
            values[inp.name] = inp.quantile(u[:, j])
    return {inp.name: values[inp.name] for inp in inputs}


@suggest_keywords
def uncertain_time_to_clear(
    stock: Any,
    release_rate: Any,
    arrest_rate: Any = 0.0,
    *,
    death_rate: Any = 0.0,
    n: int = 2**12,
    seed: int | np.random.Generator | None = None,
    quantiles: Sequence[float] = (0.025, 0.25, 0.5, 0.75, 0.975),
) -> UncertainClearTime:
    r"""Distribution of the time to clear when the inputs are uncertain.

    Parameters
    ----------
    stock : float or (float, float) or distribution
        People held at the start, ``S0`` [people].
    release_rate : float or (float, float) or distribution or RateEstimate
        People released per year, ``r`` [people/year].
    arrest_rate : float or (float, float) or distribution or RateEstimate, default 0.0
        People newly detained per year, ``a`` [people/year].
    death_rate : float or (float, float) or distribution, default 0.0
        Deaths in custody per person per year, ``μ`` [1/year].
    n : int, default 4096
        Number of quasi-random points; a power of 2 (the balance of Sobol' points needs it).
    seed : int, numpy.random.Generator or None, default None
        Seed of the scrambling. The int actually used is recorded in ``provenance['seed']``
        (drawn from fresh entropy for ``None``, or from the Generator), so every result can be
        reproduced.
    quantiles : sequence of float, default (0.025, 0.25, 0.5, 0.75, 0.975)
        Probabilities, each strictly between 0 and 1, at which to report the time to clear.

    Returns
    -------
    UncertainClearTime
        The sample of times to clear (``inf`` = never), the inputs' sample, ``quantiles``
        (a Series), ``p_never``, ``cite()`` and ``provenance``.

    Raises
    ------
    TypeError
        If an input is neither a number, a pair, nor an object with ``ppf``, or ``seed`` or
        ``n`` is of the wrong kind.
    ValueError
        If a pair is not ``(low, high)``, a distribution gives negative or infinite values,
        ``n`` is not a power of 2, or a quantile level is not in (0, 1).

    Notes
    -----
    With ``d`` uncertain inputs, the points :math:`u_i \in [0, 1)^d` of a scrambled Sobol'
    sequence [1]_ [2]_ are mapped to inputs :math:`x_{ij} = F_j^{-1}(u_{ij})` and to
    :math:`T_i = T(x_i)` by :func:`~amnesty_model.time_to_clear`. The inputs are independent.
    Quantiles of ``T`` are sample quantiles (linear interpolation) and the probability of never
    clearing is the share of infinite ``T_i``.

    With one uncertain input the quantiles are also known exactly, because ``T`` is monotone:
    the ``q``-quantile of ``T`` is ``T`` at the ``(1 - q)``-quantile of a rate that shortens it
    (release or death rate) and at the ``q``-quantile of one that lengthens it (stock, arrest
    rate); :func:`~amnesty_model.rates.time_to_clear_interval` uses this.

    References
    ----------
    .. [1] I. M. Sobol', "On the distribution of points in a cube and the approximate evaluation
       of integrals", USSR Comput. Math. Math. Phys. 7 (1967) 86-112,
       doi:10.1016/0041-5553(67)90144-9.
    .. [2] A. B. Owen, "Scrambled net variance for integrals of smooth functions", Annals of
       Statistics 25 (1997) 1541-1562, doi:10.1214/aos/1031594731.

    Examples
    --------
    The report's release rate, uncertain as its Jeffreys posterior, and arrests between 0 and
    500 a year:

    >>> from amnesty_model.rates import rate_from_count
    >>> from amnesty_model.uncertainty import uncertain_time_to_clear
    >>> est = rate_from_count(523, days=26)
    >>> res = uncertain_time_to_clear(132_000, est, (0, 500), seed=2022)
    >>> res.quantiles.round(1)
    0.025    16.9
    0.250    18.0
    0.500    18.6
    0.750    19.2
    0.975    20.6
    Name: years, dtype: float64

    If releases fall to between 100 and 1,000 a year while arrests continue at 100–500, the
    stock never clears in about 2/9 of cases (the probability that the release rate is below
    the arrest rate):

    >>> slow = uncertain_time_to_clear(132_000, (100, 1_000), (100, 500), seed=1)
    >>> slow
    UncertainClearTime(median 529 years, 172 to never, P(never) = 0.221, n = 4,096)
    """
    import pandas as pd

    inputs = _read_inputs(stock, release_rate, arrest_rate, death_rate)
    size = _check_power_of_two(n)
    seed_used = _resolve_seed(seed)
    given: object = quantiles
    if isinstance(given, str | bytes) or not isinstance(given, Sequence | np.ndarray):
        raise TypeError(
            f"quantiles must be a sequence of probabilities, got {describe(given)} "
            f"({type(given).__name__})"
        )
    if len(given) == 0:
        raise ValueError("quantiles must hold at least one probability, got an empty sequence")
    levels = sorted({check_probability(q, "quantiles") for q in given})
    sample = _sample_inputs(inputs, size, seed_used)
    years = np.asarray(
        time_to_clear(
            sample["stock"],
            sample["release_rate"],
            sample["arrest_rate"],
            death_rate=sample["death_rate"],
        ),
        dtype=np.float64,
    )
    years.setflags(write=False)
    for values in sample.values():
        values.setflags(write=False)
    p_never = float(np.mean(np.isinf(years)))
    q_series = pd.Series(_quantiles(years, levels), index=levels, name="years", dtype="float64")
    provenance = make_provenance(
        method=_QMC_METHOD,
        inputs=_records(inputs),
        sources=_rate_sources(release_rate, arrest_rate),
        seed=seed_used,
        n=size,
        quantiles=levels,
    )
    return UncertainClearTime(
        years=years, inputs=sample, quantiles=q_series, p_never=p_never, provenance=provenance
    )


# --------------------------------------------------------------------------------------------
# Global sensitivity (Sobol indices)


@suggest_keywords
def sobol_sensitivity(
    func: Callable[..., Any],
    inputs: Mapping[str, Any],
    *,
    n: int = 2**12,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    r"""First-order and total Sobol indices of any vectorised function of independent inputs.

    Parameters
    ----------
    func : callable
        Called with one keyword argument per input, each a 1-d float array of the same length
        ``m``, and returning ``m`` finite numbers.
    inputs : mapping of str to input
        Each input as a number (fixed), a ``(low, high)`` pair (uniform) or a frozen
        distribution with ``ppf``. At least one must be uncertain.
    n : int, default 4096
        Base sample size, a power of 2; ``func`` is evaluated at ``n·(d + 2)`` points for ``d``
        uncertain inputs.
    seed : int, numpy.random.Generator or None, default None
        Seed of the scrambled Sobol' points; the int used is recorded in the provenance.

    Returns
    -------
    pandas.DataFrame
        Indexed by the uncertain inputs' names, with columns ``first_order`` and
        ``total_order``; ``frame.attrs['provenance']`` holds the provenance record.

    Raises
    ------
    TypeError
        If ``func`` is not callable or an input is of the wrong kind.
    ValueError
        If no input is uncertain, ``n`` is not a power of 2, or ``func`` returns values of
        the wrong shape, non-finite values, or the same value everywhere.

    Notes
    -----
    For independent inputs the variance of :math:`Y = f(X_1, \dots, X_d)` splits into
    shares; the first-order index :math:`S_i = \mathrm{Var}(E[Y \mid X_i]) / \mathrm{Var}(Y)`
    is the share explained by :math:`X_i` alone, the total index
    :math:`S_{T_i} = E[\mathrm{Var}(Y \mid X_{\sim i})] / \mathrm{Var}(Y)` adds every interaction
    involving it [1]_. They are estimated with :func:`scipy.stats.sobol_indices` (estimators
    of Saltelli et al. 2010 [2]_); the error shrinks like ``1/n`` to ``1/sqrt(n)``, so small
    indices near 0 may come out slightly negative.

    References
    ----------
    .. [1] I. M. Sobol', "Global sensitivity indices for nonlinear mathematical models and
       their Monte Carlo estimates", Math. Comput. Simul. 55 (2001) 271-280,
       doi:10.1016/S0378-4754(00)00270-6.
    .. [2] A. Saltelli et al., "Variance based sensitivity analysis of model output. Design and
       estimator for the total sensitivity index", Comput. Phys. Commun. 181 (2010) 259-270,
       doi:10.1016/j.cpc.2009.09.018.

    Examples
    --------
    For ``Y = 2 X1 + X2`` with independent uniform inputs on [0, 1], the variance shares are
    4/5 and 1/5:

    >>> from amnesty_model.uncertainty import sobol_sensitivity
    >>> frame = sobol_sensitivity(lambda x1, x2: 2 * x1 + x2, {"x1": (0, 1), "x2": (0, 1)}, seed=1)
    >>> frame.round(3)
           first_order  total_order
    input
    x1             0.8          0.8
    x2             0.2          0.2
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {describe(func)} ({type(func).__name__})")
    if not isinstance(inputs, Mapping):
        raise TypeError(
            f"inputs must be a mapping of names to inputs, got {describe(inputs)} "
            f"({type(inputs).__name__})"
        )
    read = [
        _as_input(value, str(name), allow_rate=True, minimum=-math.inf)
        for name, value in inputs.items()
    ]
    frame = _sobol(func, read, n=n, seed=seed, extra={})
    return frame


#: Largest output a Sobol analysis accepts: its squares and sums must stay finite.
_MAX_SOBOL_OUTPUT = 1e150


def _sobol(
    func: Callable[..., Any],
    inputs: Sequence[_Input],
    *,
    n: object,
    seed: object,
    extra: Mapping[str, Any],
    sources: Sequence[str] = (),
) -> pd.DataFrame:
    import pandas as pd
    from scipy.stats import sobol_indices

    size = _check_power_of_two(n)
    seed_used = _resolve_seed(seed)
    uncertain = [inp for inp in inputs if inp.uncertain]
    if not uncertain:
        raise ValueError(
            "no input is uncertain: give at least one as a (low, high) pair or a distribution"
        )
    fixed = {inp.name: inp.value for inp in inputs if not inp.uncertain}
    seen = {"min": math.inf, "max": -math.inf}

    class _Checked:
        """A distribution wrapper whose ppf checks the values (names the input)."""

        def __init__(self, inp: _Input) -> None:
            self.inp = inp

        def ppf(self, u: Any) -> FloatArray:
            return self.inp.quantile(np.asarray(u, dtype=np.float64))

    def wrapped(x: FloatArray) -> FloatArray:
        m = x.shape[1]
        kwargs = {name: np.full(m, value) for name, value in fixed.items()}
        for j, inp in enumerate(uncertain):
            kwargs[inp.name] = x[j]
        kwargs = {inp.name: kwargs[inp.name] for inp in inputs}
        y = np.asarray(func(**kwargs), dtype=np.float64)
        if y.shape != (m,):
            raise ValueError(
                f"func must return one number per point, an array of shape ({m},), "
                f"got shape {y.shape}"
            )
        if not np.isfinite(y).all():
            bad = int(np.argmax(~np.isfinite(y)))
            point = {name: float(v[bad]) for name, v in kwargs.items()}
            raise ValueError(
                f"func returned {float(y[bad])!r} at {point}; Sobol indices need finite outputs "
                "(for the time to clear use the clearance rate or cap the years at a horizon)"
            )
        if np.abs(y).max(initial=0.0) > _MAX_SOBOL_OUTPUT:
            raise ValueError(
                f"func returned values up to {float(np.abs(y).max()):.3g}; Sobol indices need "
                f"outputs below {_MAX_SOBOL_OUTPUT:.0e} in size (their variance must be a "
                "float): rescale func's output"
            )
        seen["min"] = min(seen["min"], float(y.min()))
        seen["max"] = max(seen["max"], float(y.max()))
        # Two identical output rows: scipy (1.17) fails to assign into its squeezed result
        # when there is a single input and a single output; with two outputs it never
        # squeezes to a scalar. Row 0 is kept below.
        return np.stack([y, y])

    result = sobol_indices(
        func=wrapped,
        n=size,
        dists=[_Checked(inp) for inp in uncertain],
        rng=np.random.default_rng(seed_used),
    )
    if seen["min"] == seen["max"]:
        raise ValueError(
            f"the output is the same ({seen['min']!r}) at every point, so it has no variance "
            "to share out; widen the inputs or choose another output"
        )
    names = [inp.name for inp in uncertain]
    frame = pd.DataFrame(
        {
            "first_order": np.reshape(result.first_order, (2, -1))[0].astype(np.float64),
            "total_order": np.reshape(result.total_order, (2, -1))[0].astype(np.float64),
        },
        index=pd.Index(names, name="input"),
    )
    frame.attrs["provenance"] = make_provenance(
        method=_SOBOL_METHOD,
        inputs=_records(inputs),
        sources=sources,
        seed=seed_used,
        n=size,
        evaluations=size * (len(uncertain) + 2),
        **extra,
    )
    return frame


@suggest_keywords
def sensitivity(
    stock: Any,
    release_rate: Any,
    arrest_rate: Any = 0.0,
    *,
    death_rate: Any = 0.0,
    output: str = "clearance_rate",
    horizon: float | None = None,
    n: int = 2**12,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    r"""Which uncertain input drives the time to clear: Sobol indices.

    Parameters
    ----------
    stock, release_rate, arrest_rate, death_rate
        As in :func:`uncertain_time_to_clear`: numbers, ``(low, high)`` pairs, frozen
        distributions, or (rates) RateEstimates.
    output : {'clearance_rate', 'years'}, default 'clearance_rate'
        The quantity whose variance is shared out. ``'clearance_rate'`` is ``1/T`` [1/year],
        ``0`` when the stock never clears; ``'years'`` is ``T`` [years], capped at ``horizon``.
    horizon : float, optional
        With ``output='years'``, the cap on ``T`` [years], ``> 0``: ``min(T, horizon)``.
        Needed when some draws never clear.
    n : int, default 4096
        Base sample size, a power of 2.
    seed : int, numpy.random.Generator or None, default None
        Seed; the int used is recorded in ``attrs['provenance']``.

    Returns
    -------
    pandas.DataFrame
        Indexed by the uncertain inputs, with columns ``first_order`` and ``total_order``;
        ``attrs['provenance']`` holds the provenance record.

    Raises
    ------
    ValueError
        If no input is uncertain, ``output`` is unknown, an output is infinite (the stock never
        clears with ``output='years'`` and no horizon; an empty stock with
        ``output='clearance_rate'``), or the output does not vary.

    Notes
    -----
    Sobol indices need a finite variance, and ``T`` is infinite wherever arrests keep up with
    releases. The default output is therefore the clearance rate

    .. math:: R = 1/T \quad (R = 0 \text{ when } T = \infty),

    which for ``μ = 0`` is :math:`(r - a)^+ / S_0`, the net fraction of the stock released per
    year. It is finite whenever the stock is not empty. Variance shares are not invariant under
    a non-linear change of output, so the indices of ``R`` and of ``T`` differ; use
    ``output='years'`` (with a horizon when needed) for those of ``T`` itself. See
    :func:`sobol_sensitivity` for the estimator.

    Examples
    --------
    Is it the stock (130,000–134,000) or the release rate (6,731–8,005 a year) that matters?

    >>> from amnesty_model.uncertainty import sensitivity
    >>> sensitivity((130_000, 134_000), (6_731, 8_005), seed=1).round(2)
                  first_order  total_order
    input
    stock                0.03         0.03
    release_rate         0.97         0.97
    """
    choice = check_choice(output, "output", _OUTPUTS)
    cap: float | None = None
    if horizon is not None:
        if choice != "years":
            raise ValueError(
                f"horizon caps the years and only applies with output='years', got "
                f"output={choice!r} and horizon={describe(horizon)}"
            )
        cap = check_number(horizon, "horizon", strict=True)
    inputs = _read_inputs(stock, release_rate, arrest_rate, death_rate)

    def model(
        stock: FloatArray,
        release_rate: FloatArray,
        arrest_rate: FloatArray,
        death_rate: FloatArray,
    ) -> FloatArray:
        years = np.asarray(
            time_to_clear(stock, release_rate, arrest_rate, death_rate=death_rate),
            dtype=np.float64,
        )
        if choice == "years":
            return years if cap is None else np.minimum(years, cap)
        if (years == 0).any():
            raise ValueError(
                "the stock is 0 in some draws, where the clearance rate 1/T is infinite; "
                "use output='years', or a stock distribution that excludes 0"
            )
        rate = np.zeros_like(years)
        finite = np.isfinite(years)
        rate[finite] = 1.0 / years[finite]
        return rate

    return _sobol(
        model,
        inputs,
        n=n,
        seed=seed,
        extra={"output": choice, "horizon": cap},
        sources=_rate_sources(release_rate, arrest_rate),
    )


# --------------------------------------------------------------------------------------------
# One at a time


@suggest_keywords
def tornado(
    stock: Any,
    release_rate: Any,
    arrest_rate: Any = 0.0,
    *,
    death_rate: Any = 0.0,
    low: float = 0.05,
    high: float = 0.95,
) -> pd.DataFrame:
    r"""One-at-a-time sensitivity of the time to clear (the table behind a tornado chart).

    Parameters
    ----------
    stock, release_rate, arrest_rate, death_rate
        As in :func:`uncertain_time_to_clear`.
    low, high : float, default 0.05 and 0.95
        The quantiles at which each uncertain input is set in turn, ``0 < low < high < 1``.

    Returns
    -------
    pandas.DataFrame
        One row per uncertain input, sorted by ``swing`` (largest first), with columns
        ``value_low``, ``value_high`` (the input at its ``low`` and ``high`` quantiles),
        ``years_low``, ``years_high`` (the time to clear there, others at their medians
        [years]) and ``swing`` = ``|years_high - years_low|`` [years]. ``attrs`` holds
        ``base_years`` (every input at its median) and ``provenance``.

    Raises
    ------
    ValueError
        If ``low`` and ``high`` are not probabilities with ``low < high``, or an input is
        invalid (as in :func:`uncertain_time_to_clear`).

    Notes
    -----
    Each uncertain input :math:`X_j` is moved to :math:`F_j^{-1}(\text{low})` and
    :math:`F_j^{-1}(\text{high})` with every other input at its median. Because ``T`` is
    monotone in each input, ``years_low`` to ``years_high`` is the range of ``T`` while that
    input alone moves between the two quantiles. Unlike Sobol indices it ignores
    interactions, and it depends on the quantiles chosen. A swing is ``inf`` when one end
    never clears, and 0 when both never do.

    Examples
    --------
    >>> from amnesty_model.uncertainty import tornado
    >>> table = tornado((120_000, 140_000), (6_731, 8_005), (0, 500))
    >>> table.round(1)
                  value_low  value_high  years_low  years_high  swing
    input
    release_rate     6794.7      7941.3       19.9        16.9    3.0
    stock          121000.0    139000.0       17.0        19.5    2.5
    arrest_rate        25.0       475.0       17.7        18.9    1.2
    """
    import pandas as pd

    lo_q = check_probability(low, "low")
    hi_q = check_probability(high, "high")
    if lo_q >= hi_q:
        raise ValueError(f"low must be smaller than high, got low={lo_q!r} and high={hi_q!r}")
    inputs = _read_inputs(stock, release_rate, arrest_rate, death_rate)
    probes = np.array([lo_q, 0.5, hi_q])
    points = {
        inp.name: (inp.quantile(probes) if inp.uncertain else np.full(3, inp.value))
        for inp in inputs
    }
    medians = {name: float(values[1]) for name, values in points.items()}

    def years_at(**changes: float) -> float:
        args = {**medians, **changes}
        return float(
            time_to_clear(
                args["stock"],
                args["release_rate"],
                args["arrest_rate"],
                death_rate=args["death_rate"],
            )
        )

    rows = []
    for inp in inputs:
        if not inp.uncertain:
            continue
        v_lo, v_hi = float(points[inp.name][0]), float(points[inp.name][2])
        t_lo, t_hi = years_at(**{inp.name: v_lo}), years_at(**{inp.name: v_hi})
        swing = 0.0 if t_lo == t_hi else abs(t_hi - t_lo)
        rows.append((inp.name, v_lo, v_hi, t_lo, t_hi, swing))
    columns = ["value_low", "value_high", "years_low", "years_high", "swing"]
    frame = pd.DataFrame(
        [row[1:] for row in rows],
        index=pd.Index([row[0] for row in rows], name="input", dtype="object"),
        columns=columns,
        dtype="float64",
    )
    frame = frame.sort_values("swing", ascending=False, kind="stable")
    base = years_at()
    frame.attrs["base_years"] = base
    frame.attrs["provenance"] = make_provenance(
        method=_TORNADO_METHOD,
        inputs=_records(inputs),
        sources=_rate_sources(release_rate, arrest_rate),
        low=lo_q,
        high=hi_q,
        base_years=base,
    )
    return frame
