r"""Arrest, release and death rates fitted jointly to dated stocks and cumulative flows.

Organisations report two kinds of figure: a **stock** (people held on a date) and **flows**
(cumulative arrests, releases, deaths since some date). They are tied by conservation,

.. math:: H(t) - H(t_0) = A(t) - R(t) - D(t)

(held, arrested, released, died, changes since :math:`t_0`). :func:`fit_stock_flow` fits
one set of rates to any combination of them.

Model. Time is cut at every report date and change point into elementary intervals
:math:`e`. In each, the arrests, releases and deaths :math:`Z_{f,e}` are counts with mean

- arrests :math:`\alpha_j\,|e|`, releases :math:`\rho_j\,|e|` [people/year × years];
- deaths :math:`\delta_j\,P_e` with :math:`P_e` the person-years held during :math:`e`
  (the reported stock interpolated linearly between its reports), so :math:`\delta` is a
  hazard per person per year — the ``death_rate`` of :class:`~amnesty_model.Scenario`;

with one rate per flow per segment between change points (``j``). Every reported figure is
a sum of these: a flow's increment between two consecutive reports sums that flow's
:math:`Z`, a stock's increment sums :math:`Z_A - Z_R - Z_D`. With the vector of increments
:math:`y = M Z` and the rates :math:`\theta`, :math:`E[y] = X\theta` is linear in the rates
and, with quasi-Poisson variance :math:`\mathrm{Var}(Z_{f,e}) = \phi\,E[Z_{f,e}]`,

.. math:: \mathrm{Var}(y) = \phi\,M\,\mathrm{diag}(E[Z])\,M^\top .

The rates solve the quasi-score equations :math:`X^\top V^{+}(y - X\theta) = 0` (iterated
generalised least squares, :math:`V^{+}` the pseudo-inverse: a stock that equals its flows
exactly adds no information, and what it disagrees by is reported by
:meth:`StockFlowFit.conservation`, not fitted). This is the Gaussian (quasi-likelihood) form
of the Poisson model: stock and flow reports that overlap in time are correlated and the
covariance says how, so no count is used twice.

Overdispersion. Reported counts are rarely Poisson: people are released in groups (a bus from
Sednaya, a plane from Guantánamo). If releases come in batches at Poisson times, the count
over any interval has variance :math:`E[S^2]/E[S]` times its mean (:math:`S` a batch's size):
exactly the quasi-Poisson form with :math:`\phi = E[S^2]/E[S]`. So a large single-date drop
of a stock is neither an error nor a separate event here: it is one batch, and the
dispersion :math:`\phi` absorbs it. ``dispersion="auto"`` chooses by the data: the Pearson
statistic :math:`X^2 = r^\top V_1^{+} r` (``V_1`` the variance at :math:`\phi = 1`) is
compared with :math:`\chi^2_{n-p}`; if Poisson variance is rejected at the 5 % level,
:math:`\hat\phi = X^2/(n-p)` scales every variance and intervals use Student's ``t`` with
``n - p`` degrees of freedom; otherwise :math:`\phi = 1` and normal quantiles.

Intervals are **Wald intervals on the log scale**:
:math:`\exp(\log\hat\theta \pm q\,\mathrm{se}(\hat\theta)/\hat\theta)`, with
:math:`\mathrm{Cov}(\hat\theta) = \hat\phi\,(X^\top V_1^{+} X)^{-1}`. A rate estimated at 0
(the constraint :math:`\theta \ge 0` active) has interval :math:`[0, q\,\mathrm{se}]` on
the natural scale.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._time import DAYS_PER_YEAR
from ._validation import (
    FloatArray,
    check_choice,
    check_date,
    check_number,
    describe,
    suggest_keywords,
)
from .series import MAX_COUNT, CountSeries

if TYPE_CHECKING:
    import pandas as pd

    from .scenario import Scenario

__all__ = ["FLOWS", "StockFlowFit", "fit_stock_flow"]

#: The flows of the model, in the order of :attr:`StockFlowFit.params`.
FLOWS = ("arrested", "released", "died")

_UNITS = {"arrested": "people/year", "released": "people/year", "died": "1/year per person"}
_DISPERSIONS = ("auto", "poisson", "quasi")
#: Level of the Pearson test that chooses quasi-Poisson over Poisson (``dispersion="auto"``).
DISPERSION_TEST_LEVEL = 0.05
#: Most report dates plus change points accepted (the covariance is a dense square matrix).
MAX_POINTS = 2_000
_MAX_ITERATIONS = 200


# ------------------------------------------------------------------------------------------------
# Inputs
# ------------------------------------------------------------------------------------------------
def _points(value: object, name: str) -> list[tuple[_dt.date, float]]:
    """Dated values of one input, sorted by date; refused by name when malformed."""
    if value is None:
        return []
    pairs: list[tuple[object, object]]
    if isinstance(value, CountSeries):
        data = value.resolve("exclude")
        pairs = [(data.start, 0), *zip(data.dates, data.counts, strict=True)]
    elif type(value).__name__ == "DataFrame":
        pairs = _frame_pairs(value, name)
    elif type(value).__name__ == "Series":
        pairs = list(zip(list(value.index), list(value.to_numpy()), strict=True))  # type: ignore[attr-defined]
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes):
        pairs = []
        for i, item in enumerate(value):
            if not (isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2):
                raise TypeError(f"{name}[{i}] must be a (date, count) pair, got {describe(item)}")
            pairs.append((item[0], item[1]))
    else:
        raise TypeError(
            f"{name} must be a CountSeries, a pandas Series indexed by date, a table of "
            f"observations (datasets.load_*), or (date, count) pairs, got {type(value).__name__}"
        )
    out: list[tuple[_dt.date, float]] = []
    for i, (when, count) in enumerate(pairs):
        day = check_date(when, f"{name} date [{i}]")
        if isinstance(count, bool | np.bool_) or not isinstance(count, numbers.Real):
            raise TypeError(
                f"{name}: the count on {day.isoformat()} must be a number of people, got "
                f"{describe(count)}"
            )
        try:
            number = float(count)
        except OverflowError:
            number = math.inf
        if not (math.isfinite(number) and 0 <= number <= MAX_COUNT):
            raise ValueError(
                f"{name}: the count on {day.isoformat()} must be a finite number >= 0 and at "
                f"most {MAX_COUNT:.0e}, got {describe(count)}"
            )
        out.append((day, number))
    out.sort(key=lambda p: p[0])
    for (d1, _), (d2, _) in itertools.pairwise(out):
        if d1 == d2:
            raise ValueError(
                f"{name} has two counts dated {d1.isoformat()}; keep one per date (a fit needs "
                "one figure per report)"
            )
    return out


def _frame_pairs(frame: Any, name: str) -> list[tuple[object, object]]:
    """(date, value) of a table of observations: the middle of each row's dates."""
    needed = {"date_start", "date_stop", "value"}
    if not needed <= set(frame.columns):
        raise ValueError(
            f"{name}: a table must have columns date_start, date_stop and value (as "
            f"datasets.load_* give), got {list(frame.columns)}"
        )
    if "series" in frame.columns and frame["series"].nunique() > 1:
        raise ValueError(
            f"{name}: the table holds several series {sorted(frame['series'].unique())}; "
            "select one"
        )
    if "date_precision" in frame.columns and (frame["date_precision"] == "range").any():
        raise ValueError(
            f"{name}: rows with date_precision 'range' are totals over a period, not dated "
            "counts; leave them out"
        )
    pairs: list[tuple[object, object]] = []
    for start, stop, value in zip(
        frame["date_start"], frame["date_stop"], frame["value"], strict=False
    ):
        middle = start + (stop - start) / 2
        pairs.append((middle.date(), value))
    return pairs


# ------------------------------------------------------------------------------------------------
# The fit
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Design:
    grid: FloatArray  # elementary interval edges [years since start]
    flows: tuple[str, ...]  # estimated flows
    W: dict[str, FloatArray]  # (E, segments): exposure of each elementary interval per segment
    M: FloatArray  # (n_obs, F * E)
    y: FloatArray
    rows: list[dict[str, Any]]  # description of each observation


@dataclass(frozen=True, repr=False)
class StockFlowFit:
    r"""Rates fitted jointly to stocks and flows (see :func:`fit_stock_flow`).

    Attributes
    ----------
    start, end : datetime.date
        The window fitted; times are years since ``start``.
    change_points : dict of str to tuple of datetime.date
        For each estimated flow, the dates at which its rate changes.
    estimated : tuple of str
        Flows whose rates are estimated (observed, or inferred from the stock).
    assumed_zero : tuple of str
        Flows neither observed nor inferred: taken as 0.
    dispersion : float
        :math:`\phi`, the variance-to-mean ratio used (1 for Poisson).
    dispersion_test : dict
        ``pearson`` (:math:`X^2`), ``df``, ``p_value`` (against Poisson), ``estimate``
        (:math:`X^2/df`), ``choice`` (``"poisson"`` or ``"quasi-poisson"``), ``how``.
    confidence : float
        Coverage of the intervals.
    """

    start: _dt.date
    end: _dt.date
    change_points: dict[str, tuple[_dt.date, ...]]
    estimated: tuple[str, ...]
    assumed_zero: tuple[str, ...]
    dispersion: float
    dispersion_test: dict[str, Any]
    confidence: float
    theta: FloatArray = field(repr=False)
    covariance: FloatArray = field(repr=False)
    at_boundary: tuple[bool, ...] = field(repr=False)
    quantile: float = field(repr=False)
    held_points: tuple[tuple[_dt.date, float], ...] = field(repr=False)
    flow_points: dict[str, tuple[tuple[_dt.date, float], ...]] = field(repr=False)
    _design: _Design = field(repr=False)
    name: str | None = None

    # -- parameters ----------------------------------------------------------------------------
    def n_segments(self, flow: str) -> int:
        """Number of segments of ``flow``'s rate (its change points + 1)."""
        return len(self.change_points.get(flow, ())) + 1

    def _offset(self, flow: str) -> int:
        return sum(self.n_segments(f) for f in self.estimated[: self.estimated.index(flow)])

    def _index(self, flow: str, segment: int) -> int:
        return self._offset(flow) + segment

    def _segment_dates(self, flow: str) -> list[tuple[_dt.date, _dt.date]]:
        edges = [self.start, *self.change_points.get(flow, ()), self.end]
        return list(itertools.pairwise(edges))

    def rate(self, flow: str, segment: int = -1) -> float:
        """Fitted rate of ``flow`` in ``segment`` (default the last: the rate from now on).

        Arrests and releases in people/year, deaths per person per year; 0 for a flow
        assumed to be 0.
        """
        flow = check_choice(flow, "flow", FLOWS)
        if flow not in self.estimated:
            return 0.0
        j = _segment(segment, self.n_segments(flow))
        return float(self.theta[self._index(flow, j)])

    def interval(self, flow: str, segment: int = -1) -> tuple[float, float]:
        """Interval of :meth:`rate` at :attr:`confidence` (Wald on the log scale)."""
        flow = check_choice(flow, "flow", FLOWS)
        if flow not in self.estimated:
            return 0.0, 0.0
        j = _segment(segment, self.n_segments(flow))
        return self._wald(self._index(flow, j))

    def _wald(self, i: int) -> tuple[float, float]:
        estimate = float(self.theta[i])
        se = math.sqrt(max(float(self.covariance[i, i]), 0.0))
        if self.at_boundary[i] or estimate <= 0:
            return 0.0, self.quantile * se
        spread = self.quantile * se / estimate
        return estimate * math.exp(-spread), estimate * math.exp(spread)

    @property
    def params(self) -> pd.DataFrame:
        """One row per flow and segment: estimate, low, high, se, unit, status, method."""
        import pandas as pd

        rows = []
        for flow in FLOWS:
            for j, (s, e) in enumerate(self._segment_dates(flow)):
                if flow in self.estimated:
                    i = self._index(flow, j)
                    low, high = self._wald(i)
                    se = math.sqrt(max(float(self.covariance[i, i]), 0.0))
                    status = "at 0 (bound)" if self.at_boundary[i] else "estimated"
                    method = (
                        "Wald, natural scale (at the bound 0)"
                        if self.at_boundary[i]
                        else "Wald on the log scale"
                    )
                    estimate = float(self.theta[i])
                else:
                    estimate, low, high, se = 0.0, 0.0, 0.0, 0.0
                    status, method = "assumed 0 (not observed)", "none"
                rows.append(
                    {
                        "flow": flow,
                        "segment": j + 1,
                        "from": s,
                        "to": e,
                        "estimate": estimate,
                        "low": low,
                        "high": high,
                        "se": se,
                        "unit": _UNITS[flow],
                        "status": status,
                        "method": method,
                    }
                )
        return pd.DataFrame(rows).set_index(["flow", "segment"])

    # -- diagnostics ---------------------------------------------------------------------------
    @property
    def residuals(self) -> pd.DataFrame:
        """Each reported increment: observed, fitted, Pearson residuals, batch flag.

        ``z_poisson`` is the residual under Poisson variance, ``z`` under the fitted
        dispersion. ``batch`` marks a stock drop (or flow jump) beyond 3 standard deviations
        under Poisson variance but within 3 under the fitted dispersion: a batch the
        dispersion absorbs (a fall of the stock, or a rise of a flow, larger than expected).
        """
        import pandas as pd

        d = self._design
        mean = d.M @ self._latent_mean()
        var = _latent_var(d.M, self._latent_mean())
        rows = []
        for i, row in enumerate(d.rows):
            sd1 = math.sqrt(max(float(var[i]), 0.0))
            resid = float(d.y[i] - mean[i])
            z1 = (
                resid / sd1
                if sd1 > 0
                else (0.0 if abs(resid) < 0.5 else math.copysign(math.inf, resid))
            )
            z = z1 / math.sqrt(self.dispersion)
            rows.append(
                {
                    **row,
                    "observed": float(d.y[i]),
                    "fitted": float(mean[i]),
                    "z_poisson": z1,
                    "z": z,
                    "batch": bool(
                        abs(z1) > 3
                        and abs(z) <= 3
                        and (resid < 0 if row["series"] == "held" else resid > 0)
                    ),
                }
            )
        return pd.DataFrame(rows)

    def _latent_mean(self) -> FloatArray:
        d = self._design
        parts = []
        for f in d.flows:
            k = self._offset(f)
            parts.append(d.W[f] @ self.theta[k : k + self.n_segments(f)])
        return np.concatenate(parts)

    def conservation(self, z: float = 3.0) -> pd.DataFrame:
        r"""Check :math:`A - R - D - (H - H_0) = 0` at each date the stock is reported.

        Changes are counted from the first stock report in the window. A flow reported on
        that date is taken as reported; otherwise its fitted expected change is used (or 0
        for a flow assumed 0), and the column ``how`` says which.

        Parameters
        ----------
        z : float, default 3.0
            A gap is flagged when it exceeds ``z`` standard deviations of what the fitted
            (not reported) parts may vary by (quasi-Poisson), or half a person when every
            part is reported.

        Returns
        -------
        pandas.DataFrame
            Columns ``date``, ``held_change``, ``arrested``, ``released``, ``died``
            (changes since the first stock report [people]), ``gap``
            (arrested − released − died − held_change), ``sd``, ``holds`` (bool), ``flag``
            (``""`` or "does not hold: a definitional break or an undercount") and ``how``.
        """
        import pandas as pd

        z = check_number(z, "z", strict=True)
        held = [(d, v) for d, v in self.held_points if self.start <= d <= self.end]
        if len(held) < 2:
            raise ValueError(
                "conservation needs at least two stock (held) reports in the window, got "
                f"{len(held)}"
            )
        t0 = held[0][0]
        latent = self._latent_mean()
        grid = self._design.grid
        n_e = grid.size - 1
        rows = []
        for day, value in held[1:]:
            parts: dict[str, float] = {}
            hows: list[str] = []
            var = 0.0
            for flow in FLOWS:
                observed = dict(self.flow_points.get(flow, ()))
                if t0 in observed and day in observed:
                    parts[flow] = observed[day] - observed[t0]
                    hows.append(f"{flow}: reported")
                elif flow in self.estimated:
                    k = self._design.flows.index(flow)
                    a, b = _years(t0, self.start), _years(day, self.start)
                    sel = (grid[:-1] >= a - 1e-12) & (grid[1:] <= b + 1e-12)
                    mu = latent[k * n_e : (k + 1) * n_e][sel]
                    parts[flow] = float(mu.sum())
                    var += self.dispersion * float(mu.sum())
                    hows.append(f"{flow}: fitted")
                else:
                    parts[flow] = 0.0
                    hows.append(f"{flow}: assumed 0")
            change = value - held[0][1]
            gap = parts["arrested"] - parts["released"] - parts["died"] - change
            sd = math.sqrt(var)
            holds = abs(gap) <= max(z * sd, 0.5)
            rows.append(
                {
                    "date": day,
                    "held_change": change,
                    **parts,
                    "gap": gap,
                    "sd": sd,
                    "holds": holds,
                    "flag": ""
                    if holds
                    else "does not hold: a definitional break or an undercount",
                    "how": "; ".join(hows),
                }
            )
        return pd.DataFrame(rows)

    # -- scenarios -----------------------------------------------------------------------------
    def _last_held(self, stock: float | None) -> tuple[float, _dt.date]:
        if stock is not None:
            return check_number(stock, "stock"), self.end
        if not self.held_points:
            raise ValueError(
                "stock must be given: the fit has no stock (held) report to start from"
            )
        day, value = max((p for p in self.held_points if p[0] <= self.end), key=lambda p: p[0])
        return value, day

    def to_scenario(self, stock: float | None = None, *, name: str | None = None) -> Scenario:
        """A :class:`~amnesty_model.Scenario` at the fitted rates of the last segment.

        Parameters
        ----------
        stock : float or None, default None
            People held at the start [people]. Default: the last stock report in the window
            (the scenario starts on its date); given, the scenario starts at the window's end.
        name : str or None
            Label of the scenario (default: the fit's name).

        Returns
        -------
        Scenario
            ``release_rate`` and ``arrest_rate`` [people/year], ``death_rate`` [1/year].
        """
        from .scenario import Scenario

        held, day = self._last_held(stock)
        return Scenario(
            stock=held,
            release_rate=self.rate("released"),
            arrest_rate=self.rate("arrested"),
            death_rate=self.rate("died"),
            start=day,
            name=name if name is not None else self.name,
        )

    def sample_rates(self, n: int, seed: int | None = None) -> FloatArray:
        r"""Rates of the last segment drawn from their estimated uncertainty.

        Log-rates are drawn from their asymptotic normal distribution,
        :math:`\log\theta \sim N(\log\hat\theta, J\,\mathrm{Cov}\,J)` with
        :math:`J = \mathrm{diag}(1/\hat\theta)` (the delta method; correlations kept). A rate
        at the bound 0 is drawn from a normal truncated at 0 on the natural scale; flows
        assumed 0 stay 0.

        Parameters
        ----------
        n : int
            Number of draws, 1 to 10,000,000.
        seed : int or None
            Seed of ``numpy.random.default_rng``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, 3)``: arrested, released [people/year], died [1/year], per draw.
        """
        from ._validation import check_positive_int

        n = check_positive_int(n, "n")
        if n > 10_000_000:
            raise ValueError(f"n must be at most 10,000,000 draws, got {n:,}")
        rng = np.random.default_rng(seed)
        theta = self.theta
        interior = np.array(
            [not b and t > 0 for b, t in zip(self.at_boundary, theta, strict=True)]
        )
        safe = np.where(interior, theta, 1.0)
        jac = np.diag(np.where(interior, 1.0 / safe, 1.0))
        cov = jac @ self.covariance @ jac
        cov = 0.5 * (cov + cov.T)
        centre = np.where(interior, np.log(safe), theta)
        draws = rng.multivariate_normal(centre, cov, size=n, method="eigh")
        values = np.where(interior, np.exp(draws), np.abs(draws))  # reflected at the bound
        out = np.zeros((n, 3))
        for c, flow in enumerate(FLOWS):
            if flow in self.estimated:
                out[:, c] = values[:, self._index(flow, self.n_segments(flow) - 1)]
        return out

    def sample_scenarios(
        self, n: int, seed: int | None = None, *, stock: float | None = None
    ) -> list[Scenario]:
        """Scenarios at rates drawn by :meth:`sample_rates` (for projections with bands)."""
        from .scenario import Scenario

        held, day = self._last_held(stock)
        rates = self.sample_rates(n, seed)
        return [
            Scenario(
                stock=held,
                arrest_rate=float(a),
                release_rate=float(r),
                death_rate=float(d),
                start=day,
                allow_extreme_death_rate=True,
            )
            for a, r, d in rates
        ]

    def held_bands(
        self,
        times: Any,
        n: int = 2000,
        seed: int | None = 0,
        *,
        quantiles: Sequence[float] = (0.025, 0.5, 0.975),
        stock: float | None = None,
    ) -> pd.DataFrame:
        r"""Quantile bands of the people held, carrying the rates' uncertainty.

        For each of ``n`` draws of the last segment's rates (:meth:`sample_rates`), the
        expected stock follows :math:`H' = \alpha - \rho - \delta H` from the last stock
        report: :math:`H(t) = H_\infty + (H_0 - H_\infty)e^{-\delta t}`,
        :math:`H_\infty = (\alpha - \rho)/\delta` (:math:`H_0 + (\alpha - \rho)t` when
        :math:`\delta = 0`), held at 0 once it gets there. Vectorised over draws and times.
        Only the rates' uncertainty is carried, not the randomness of the counts themselves.

        Parameters
        ----------
        times : array-like of float
            Years after the last stock report, ``>= 0``.
        n : int, default 2000
            Draws.
        seed : int or None, default 0
            Seed of the draws.
        quantiles : sequence of float
            In (0, 1).
        stock : float or None
            People held at ``t = 0`` (default the last stock report).

        Returns
        -------
        pandas.DataFrame
            Index ``years``; a column ``estimate`` (at the fitted rates) and one per quantile.

        Examples
        --------
        >>> fit = fit_stock_flow(held=[("2020-01-01", 1000), ("2021-01-01", 900),
        ...                            ("2022-01-01", 805)], infer="released")
        >>> bands = fit.held_bands([0.0, 1.0], n=500)
        >>> bands.loc[0.0].round().tolist()
        [805.0, 805.0, 805.0, 805.0]
        """
        import pandas as pd

        t = np.asarray(times, dtype=float)
        if t.ndim != 1 or not (np.isfinite(t) & (t >= 0)).all():
            raise ValueError(f"times must be a 1-d array of years >= 0, got {describe(times)}")
        qs = [check_number(q, "quantiles", strict=True) for q in quantiles]
        if not all(q < 1 for q in qs):
            raise ValueError(f"quantiles must be in (0, 1), got {list(quantiles)}")
        held, _ = self._last_held(stock)
        rates = self.sample_rates(n, seed)
        paths = _held_path(held, rates[:, 0:1], rates[:, 1:2], rates[:, 2:3], t[None, :])
        best = _held_path(held, self.rate("arrested"), self.rate("released"), self.rate("died"), t)
        frame = pd.DataFrame({"estimate": best}, index=pd.Index(t, name="years"))
        for q, values in zip(qs, np.quantile(paths, qs, axis=0), strict=True):
            frame[q] = values
        return frame

    def summary(self) -> str:
        """The rates from now on, in words."""
        parts = []
        for flow in FLOWS:
            if flow in self.estimated:
                low, high = self.interval(flow)
                unit = "/yr" if flow != "died" else " per person per year"
                parts.append(f"{flow} {self.rate(flow):,.4g}{unit} [{low:,.4g}, {high:,.4g}]")
        return "; ".join(parts)

    def __repr__(self) -> str:
        return f"StockFlowFit({self.summary()}; dispersion {self.dispersion:.3g})"


def _held_path(h0: float, a: Any, r: Any, d: Any, t: Any) -> FloatArray:
    a, r, d, t = (np.asarray(x, dtype=float) for x in (a, r, d, t))
    net = a - r
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        linear = h0 + net * t
        h_inf = np.divide(net, d, out=np.zeros(np.broadcast(net, d).shape), where=d > 0)
        decay = h_inf + (h0 - h_inf) * np.exp(-d * t)
    path = np.where(d > 0, decay, linear)
    result: FloatArray = np.maximum(path, 0.0)
    return result


def _segment(segment: object, count: int) -> int:
    if isinstance(segment, bool) or not isinstance(segment, numbers.Integral):
        raise TypeError(f"segment must be an integer, got {describe(segment)}")
    j = int(segment)
    if not -count <= j < count:
        raise ValueError(f"segment must be in {-count}..{count - 1}, got {j}")
    return j % count


def _years(day: _dt.date, start: _dt.date) -> float:
    return (day - start).days / DAYS_PER_YEAR


def _latent_var(M: FloatArray, mu: FloatArray) -> FloatArray:
    result: FloatArray = (M * M) @ mu
    return result


def _whiten(V: FloatArray) -> tuple[FloatArray, int]:
    """``L`` with ``L^T V L = I`` on the range of ``V`` (pseudo-inverse square root)."""
    values, vectors = np.linalg.eigh(0.5 * (V + V.T))
    top = float(values.max()) if values.size else 0.0
    keep = values > max(top, 1e-300) * 1e-10
    L: FloatArray = vectors[:, keep] / np.sqrt(values[keep])
    return L, int(keep.sum())


@suggest_keywords
def fit_stock_flow(
    held: object = None,
    arrested: object = None,
    released: object = None,
    died: object = None,
    *,
    start: object = None,
    end: object = None,
    change_points: Sequence[object] | dict[str, Sequence[object]] = (),
    infer: str | Sequence[str] | None = None,
    dispersion: str | float = "auto",
    confidence: float = 0.95,
    name: str | None = None,
) -> StockFlowFit:
    r"""Fit arrest, release and death rates to dated stocks and cumulative flows together.

    Parameters
    ----------
    held : optional
        People held (the stock) on dated reports [people].
    arrested, released, died : optional
        Cumulative counts of each flow [people], on any baseline (only differences between
        consecutive reports are used). A :class:`~amnesty_model.CountSeries` counts 0 at its
        start.
    start, end : date or str or None
        The window fitted (default: from the first to the last report given). Reports
        outside it are left out — fit only within one definition of a series.
    change_points : sequence of date or str, or dict of flow to such a sequence, default ()
        Dates inside the window at which every estimated rate may change (piecewise
        constant), or, as a dict (``{"released": ["2022-05-24"]}``), per flow. Each segment
        needs reports that separate it from its neighbours.
    infer : str or sequence of str or None
        Flows not reported whose rate is to be inferred from the stock's changes (e.g.
        ``"released"`` for a stock that only falls). Flows neither given nor inferred are
        taken as 0 (said in :attr:`StockFlowFit.assumed_zero`).
    dispersion : {"auto", "poisson", "quasi"} or float, default "auto"
        ``"auto"``: quasi-Poisson if the Pearson test rejects Poisson variance at 5 %, else
        Poisson; ``"quasi"``: always estimate :math:`\phi = X^2/(n-p)`; a number: that
        :math:`\phi` (``> 0``).
    confidence : float, default 0.95
        Coverage of the intervals, in [0.5, 1).
    name : str or None
        A label, passed to scenarios.

    Each input is a :class:`~amnesty_model.CountSeries`, a pandas Series indexed by date, one
    series of a ``datasets.load_*`` table (each row dated at the middle of the days it
    covers; period totals refused), or a sequence of ``(date, count)`` pairs.

    Returns
    -------
    StockFlowFit
        Rates per flow and segment with Wald intervals on the log scale
        (:attr:`~StockFlowFit.params`), the dispersion and its test, the conservation check
        (:meth:`~StockFlowFit.conservation`), scenarios (:meth:`~StockFlowFit.to_scenario`,
        :meth:`~StockFlowFit.sample_scenarios`) and bands (:meth:`~StockFlowFit.held_bands`).

    Raises
    ------
    ValueError
        If a rate cannot be estimated (no report informs it; the message names the flow and
        segment and what to add), a cumulative flow decreases, a death rate is asked for
        without a stock, or fewer increments than rates are given.

    Notes
    -----
    See the module's documentation for the model. Deaths are a hazard per person per year
    over the person-years held, which needs the stock: without a ``held`` report, ``died``
    cannot be fitted.

    Examples
    --------
    A stock that only falls (no arrivals), releases inferred from it:

    >>> fit = fit_stock_flow(held=[("2020-01-01", 1000), ("2021-01-01", 900),
    ...                            ("2022-01-01", 805)], infer="released")
    >>> round(fit.rate("released"), 1), fit.assumed_zero
    (97.5, ('arrested', 'died'))
    >>> fit.to_scenario().time_to_clear() > 8
    True
    """
    from ._validation import check_probability

    confidence = check_probability(confidence, "confidence")
    if not 0.5 <= confidence < 1:
        raise ValueError(f"confidence must be in [0.5, 1), got {describe(confidence)}")
    if isinstance(dispersion, str):
        dispersion_mode = check_choice(dispersion, "dispersion", _DISPERSIONS)
        fixed_phi = math.nan
    else:
        fixed_phi = check_number(dispersion, "dispersion", strict=True)
        dispersion_mode = "fixed"
    inputs = {"arrested": arrested, "released": released, "died": died}
    flow_pts = {f: _points(v, f) for f, v in inputs.items() if v is not None}
    held_pts = _points(held, "held")
    inferred: tuple[str, ...]
    if infer is None:
        inferred = ()
    elif isinstance(infer, str):
        inferred = (check_choice(infer, "infer", FLOWS),)
    else:
        inferred = tuple(check_choice(f, "infer", FLOWS) for f in infer)
    for f in inferred:
        if f in flow_pts:
            raise ValueError(f"infer={f!r}: {f} is reported; infer only flows not given")
    if inferred and not held_pts:
        raise ValueError(f"infer={infer!r} needs a stock (held) to infer from")
    all_dates = [d for pts in (*flow_pts.values(), held_pts) for d, _ in pts]
    if not all_dates:
        raise ValueError("give at least one of held, arrested, released, died")
    t_start = min(all_dates) if start is None else check_date(start, "start")
    t_end = max(all_dates) if end is None else check_date(end, "end")
    if not t_end > t_start:
        if start is None and end is None:
            raise ValueError(
                "no increment to fit: every report given is dated "
                f"{t_start.isoformat()}; each series needs at least two reports"
            )
        raise ValueError(
            f"end must be after start, got start={t_start.isoformat()}, end={t_end.isoformat()}"
        )

    def inside(pts: list[tuple[_dt.date, float]]) -> list[tuple[_dt.date, float]]:
        return [p for p in pts if t_start <= p[0] <= t_end]

    flow_pts = {f: inside(p) for f, p in flow_pts.items()}
    held_pts_w = inside(held_pts)
    for f, pts in flow_pts.items():
        for (d1, v1), (d2, v2) in itertools.pairwise(pts):
            if v2 < v1:
                raise ValueError(
                    f"{f}: a cumulative count must not decrease, got {v1:g} on "
                    f"{d1.isoformat()} then {v2:g} on {d2.isoformat()} (a change of definition? "
                    "fit only within one definition with start/end)"
                )
    estimated = tuple(f for f in FLOWS if f in flow_pts or f in inferred)
    if not estimated:
        raise ValueError(
            "no rate to estimate: give a flow (arrested, released, died) or infer one from "
            "the stock with infer="
        )
    if "died" in estimated and len(held_pts) < 1:
        raise ValueError(
            "died: the death rate is per person held, so a stock (held) report is needed"
        )
    assumed_zero = tuple(f for f in FLOWS if f not in estimated)
    cps_by_flow = _change_points(change_points, estimated, t_start, t_end)
    cps = tuple(sorted({c for v in cps_by_flow.values() for c in v}))
    # elementary grid
    dates = sorted(
        {t_start, t_end, *cps, *(d for pts in flow_pts.values() for d, _ in pts)}
        | {d for d, _ in held_pts_w}
    )
    if len(dates) > MAX_POINTS:
        raise ValueError(
            f"{len(dates)} report dates and change points; at most {MAX_POINTS:,} (the "
            "covariance is dense): shorten the window or thin the reports"
        )
    grid = np.array([_years(d, t_start) for d in dates])
    n_e = grid.size - 1
    lo, hi = grid[:-1], grid[1:]
    W: dict[str, FloatArray] = {}
    for f in estimated:
        seg_edges = np.array([0.0, *(_years(c, t_start) for c in cps_by_flow[f]), grid[-1]])
        overlap = np.clip(
            np.minimum(hi[:, None], seg_edges[None, 1:])
            - np.maximum(lo[:, None], seg_edges[None, :-1]),
            0.0,
            None,
        )
        if f == "died":
            W[f] = (
                overlap
                * _person_years(held_pts, t_start, lo, hi)[:, None]
                / np.where(hi - lo > 0, hi - lo, 1.0)[:, None]
            )
        else:
            W[f] = overlap
    # observation rows
    position = {d: i for i, d in enumerate(dates)}
    rows: list[dict[str, Any]] = []
    m_rows: list[FloatArray] = []
    ys: list[float] = []
    n_f = len(estimated)

    def add(series: str, pts: list[tuple[_dt.date, float]], signs: dict[str, float]) -> None:
        for (d1, v1), (d2, v2) in itertools.pairwise(pts):
            row = np.zeros(n_f * n_e)
            for f, sign in signs.items():
                if f in estimated:
                    k = estimated.index(f)
                    row[k * n_e + position[d1] : k * n_e + position[d2]] = sign
            m_rows.append(row)
            ys.append(v2 - v1)
            rows.append({"series": series, "from": d1, "to": d2})

    for f, pts in flow_pts.items():
        add(f, pts, {f: 1.0})
    add("held", held_pts_w, {"arrested": 1.0, "released": -1.0, "died": -1.0})
    if not m_rows:
        raise ValueError(
            "no increment to fit: each series needs at least two reports inside the window"
        )
    M = np.array(m_rows)
    y = np.array(ys)
    X = M @ _block_diag([W[f] for f in estimated])
    names = [
        f"{f} from {(t_start if j == 0 else cps_by_flow[f][j - 1]).isoformat()}"
        for f in estimated
        for j in range(len(cps_by_flow[f]) + 1)
    ]
    design = _Design(grid=grid, flows=estimated, W=W, M=M, y=y, rows=rows)
    theta, at_bound, L, rank = _solve(M, X, y, names, estimated, W)
    p_free = int((~at_bound).sum())
    Xw = L.T @ X
    rw = L.T @ (y - X @ theta)
    pearson = float(rw @ rw)
    df = rank - p_free
    from scipy.stats import chi2, norm, t

    if df > 0:
        p_value = float(chi2.sf(pearson, df))
        phi_hat = pearson / df
    else:
        p_value, phi_hat = math.nan, math.nan
    if dispersion_mode == "fixed":
        phi, choice = fixed_phi, "fixed"
    elif dispersion_mode == "poisson" or df <= 0:
        phi, choice = 1.0, "poisson"
    elif dispersion_mode == "quasi" or p_value < DISPERSION_TEST_LEVEL:
        phi, choice = phi_hat, "quasi-poisson"
    else:
        phi, choice = 1.0, "poisson"
    how = (
        "no degrees of freedom left to estimate a dispersion: Poisson assumed"
        if df <= 0 and dispersion_mode not in ("fixed",)
        else {
            "fixed": "given",
            "poisson": "Poisson (asked)"
            if dispersion_mode == "poisson"
            else f"Pearson test p = {p_value:.3g} >= {DISPERSION_TEST_LEVEL}",
            "quasi-poisson": f"Pearson X2/df = {phi_hat:.4g}"
            + (
                f" (Poisson rejected, p = {p_value:.3g})"
                if dispersion_mode == "auto"
                else " (asked)"
            ),
        }[choice]
    )
    free = ~at_bound
    info = Xw[:, free].T @ Xw[:, free]
    cov = np.zeros((theta.size, theta.size))
    cov[np.ix_(free, free)] = phi * np.linalg.inv(info)
    if at_bound.any():
        # Standard error at the bound: from the full information (as if free).
        full = np.linalg.pinv(Xw.T @ Xw)
        for i in np.flatnonzero(at_bound):
            cov[i, i] = phi * full[i, i]
    alpha = 1 - confidence
    quantile = float(
        t.ppf(1 - alpha / 2, df) if choice == "quasi-poisson" else norm.ppf(1 - alpha / 2)
    )
    return StockFlowFit(
        start=t_start,
        end=t_end,
        change_points=cps_by_flow,
        estimated=estimated,
        assumed_zero=assumed_zero,
        dispersion=float(phi),
        dispersion_test={
            "pearson": pearson,
            "df": df,
            "p_value": p_value,
            "estimate": phi_hat,
            "choice": choice,
            "how": how,
        },
        confidence=confidence,
        theta=theta,
        covariance=cov,
        at_boundary=tuple(bool(b) for b in at_bound),
        quantile=quantile,
        held_points=tuple(held_pts),
        flow_points={f: tuple(p) for f, p in flow_pts.items()},
        _design=design,
        name=name,
    )


def _change_points(
    value: object, flows: tuple[str, ...], start: _dt.date, end: _dt.date
) -> dict[str, tuple[_dt.date, ...]]:
    """Change points per estimated flow, checked: dates strictly inside the window."""
    if isinstance(value, dict):
        for key in value:
            if key not in flows:
                raise ValueError(
                    f"change_points: {key!r} is not an estimated flow; allowed: {list(flows)}"
                )
        given = {f: value.get(f, ()) for f in flows}
    elif isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise TypeError(
            f"change_points must be a sequence of dates or a dict of flow to dates, got "
            f"{describe(value)}"
        )
    else:
        items = list(value)
        given = dict.fromkeys(flows, items)
    out: dict[str, tuple[_dt.date, ...]] = {}
    for f, items in given.items():
        if isinstance(items, str | bytes) or not isinstance(items, Iterable):
            raise TypeError(f"change_points[{f!r}] must be a sequence of dates, got {items!r}")
        days = sorted(check_date(c, f"change_points[{f!r}]") for c in items)
        for c in days:
            if not start < c < end:
                raise ValueError(
                    f"change_points: {c.isoformat()} must be strictly inside the window "
                    f"{start.isoformat()}..{end.isoformat()}"
                )
        if len(set(days)) != len(days):
            raise ValueError(
                f"change_points must be distinct, got {[c.isoformat() for c in days]}"
            )
        out[f] = tuple(days)
    return out


def _block_diag(blocks: list[FloatArray]) -> FloatArray:
    rows = sum(b.shape[0] for b in blocks)
    cols = sum(b.shape[1] for b in blocks)
    out = np.zeros((rows, cols))
    r = c = 0
    for b in blocks:
        out[r : r + b.shape[0], c : c + b.shape[1]] = b
        r += b.shape[0]
        c += b.shape[1]
    return out


def _person_years(
    held: list[tuple[_dt.date, float]], start: _dt.date, lo: FloatArray, hi: FloatArray
) -> FloatArray:
    """Person-years held over each [lo, hi]: the stock interpolated linearly (flat outside)."""
    ts = np.array([_years(d, start) for d, _ in held])
    hs = np.array([v for _, v in held])
    result = np.zeros(lo.size)
    for i, (a, b) in enumerate(zip(lo, hi, strict=True)):
        if b <= a:
            continue
        xs = np.unique(np.concatenate([[a, b], ts[(ts > a) & (ts < b)]]))
        values = np.interp(xs, ts, hs)
        result[i] = float(np.sum((values[1:] + values[:-1]) / 2 * np.diff(xs)))
    return result


def _solve(  # noqa: PLR0917 - private, called once
    M: FloatArray,
    X: FloatArray,
    y: FloatArray,
    names: list[str],
    flows: tuple[str, ...],
    W: dict[str, FloatArray],
) -> tuple[FloatArray, Any, FloatArray, int]:
    """Iterated GLS for ``theta >= 0``; returns theta, the bound mask, whitening and rank."""
    p = X.shape[1]
    uninformed = [names[i] for i in range(p) if not np.any(X[:, i] != 0)]
    if uninformed:
        raise ValueError(
            f"no report informs the rate of {', '.join(uninformed)}: report that flow, or "
            "the stock with infer=, on both sides of that period (or drop a change point)"
        )
    # start: unweighted least squares, floored at a small positive rate
    theta = np.linalg.lstsq(X, y, rcond=None)[0]
    scale = max(float(np.abs(y).sum()) / max(float(np.abs(X).sum()), 1e-300), 1e-12)
    theta = np.where(theta > 0, theta, scale * 1e-3)
    at_bound = np.zeros(p, dtype=bool)
    L = np.eye(len(y))
    rank = len(y)
    for _ in range(_MAX_ITERATIONS):
        offsets = np.cumsum([0, *(W[f].shape[1] for f in flows)])
        mu = np.concatenate(
            [W[f] @ theta[offsets[k] : offsets[k + 1]] for k, f in enumerate(flows)]
        )
        mu = np.maximum(mu, 1e-9 * max(float(mu.max()), 1e-300))
        V = (M * mu) @ M.T
        L, rank = _whiten(V)
        Xw, yw = L.T @ X, L.T @ y
        free = ~at_bound
        if np.linalg.matrix_rank(Xw[:, free]) < int(free.sum()):
            _, sv, vt = np.linalg.svd(Xw[:, free])
            null = vt[np.sum(sv > sv.max() * 1e-10) :]
            tied = np.flatnonzero(np.abs(null).max(axis=0) > 1e-8)
            which = [n for n, f in zip(names, free, strict=True) if f]
            raise ValueError(
                "the reports cannot separate the rates of "
                f"{', '.join(which[i] for i in tied)}: only a combination of them is "
                "reported (e.g. one increment spans a change point, or two flows are "
                "inferred from one stock); drop that change point for that flow "
                "(change_points={flow: [...]}), report the flow, or infer fewer"
            )
        new = np.zeros(p)
        new[free] = np.linalg.lstsq(Xw[:, free], yw, rcond=None)[0]
        if (new < 0).any():
            at_bound |= new < 0
            new = np.maximum(new, 0.0)
            sub = ~at_bound
            new[:] = 0.0
            if sub.any():
                new[sub] = np.linalg.lstsq(Xw[:, sub], yw, rcond=None)[0]
                new = np.maximum(new, 0.0)
        change = float(np.max(np.abs(new - theta) / np.maximum(np.abs(theta), scale * 1e-9)))
        theta = new
        if change < 1e-10:
            break
    result: FloatArray = np.asarray(theta, dtype=np.float64)
    return result, at_bound, L, rank
