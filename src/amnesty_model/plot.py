"""Figures: projections, uncertainty bands, phase diagrams, tornado, cohort and rate-fit charts.

Every function draws on an existing :class:`matplotlib.axes.Axes` when given ``ax=`` (or on a
new figure otherwise), labels its axes with units, and returns the Axes; none calls
``plt.show()``. matplotlib is imported only inside the functions, so ``import amnesty_model``
(and ``import amnesty_model.plot``) does not import it; install it with the ``plot`` extra.

The figures share one restrained style (:data:`STYLE`, applied with :func:`style`) and the
Okabe–Ito palette (:data:`PALETTE`), with distinct line styles and hatches so that they stay
readable in grayscale and for colour-blind readers.

References
----------
M. Okabe and K. Ito, "Color Universal Design (CUD): how to make figures and presentations that
are friendly to colorblind people", J*Fly, 2002 (revised 2008).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._time import DAYS_PER_YEAR
from ._validation import check_number, check_positive_int, describe
from .clear import _people, time_to_clear
from .provenance import format_number

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from .fit import RateFit
    from .scenario import Projection

__all__ = [
    "LINESTYLES",
    "PALETTE",
    "STYLE",
    "plot_bands",
    "plot_cohort_fate",
    "plot_fit",
    "plot_phase_diagram",
    "plot_projection",
    "plot_tornado",
    "style",
]

#: The Okabe–Ito palette, ordered for lines on white: black, blue, vermillion, bluish green,
#: orange, reddish purple, sky blue, yellow (yellow last: it is faint on white).
PALETTE: tuple[str, ...] = (
    "#000000",
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#E69F00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
)

#: Line styles paired with :data:`PALETTE`, so that lines differ without colour too.
LINESTYLES: tuple[Any, ...] = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))

#: matplotlib rcParams of the package's figures (applied by :func:`style`).
STYLE: dict[str, Any] = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 10.0,
    "axes.titlesize": 11.0,
    "axes.labelsize": 10.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "0.88",
    "grid.linewidth": 0.6,
    "lines.linewidth": 1.8,
    "legend.frameon": False,
    "legend.fontsize": 9.0,
    "hatch.linewidth": 0.6,
    "image.cmap": "viridis",
}

_GREY = "0.82"
# Sequential, colour-blind safe and monotone in lightness (ColorBrewer): light = soon.
_YEARS_CMAP = "YlGnBu"
# A white box behind labels drawn over lines, so that the text stays readable.
_TEXT_BOX = {
    "boxstyle": "square,pad=0.1",
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 0.85,
}
_GREY_EDGE = "0.45"


# What to install when matplotlib is missing (the ``plot`` extra).
_PLOT_EXTRA = 'pip install "amnesty_model[plot]"'


def _require_matplotlib() -> None:
    """Raise an ImportError that says what to install when matplotlib is missing.

    Called first by every public function here (and so by the ``.plot()`` methods, which call
    them), before any input is looked at: the reader learns what to install, not a
    ``ModuleNotFoundError`` from deep inside.
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "amnesty_model's figures need matplotlib, which is not installed; install the "
            f"plot extra: {_PLOT_EXTRA} (or pip install matplotlib)"
        ) from exc


@contextlib.contextmanager
def style(**overrides: Any) -> Iterator[None]:
    """Apply the package's figure style (:data:`STYLE` plus ``overrides``) inside a block.

    Parameters
    ----------
    **overrides
        rcParams to change, with dots written as in matplotlib, e.g.
        ``style(**{"font.size": 12})``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with style():
    ...     fig, ax = plt.subplots()
    >>> ax.spines["top"].get_visible()
    False
    >>> plt.close(fig)
    """
    _require_matplotlib()
    import matplotlib as mpl
    from cycler import cycler

    rc: Any = dict(STYLE)
    rc["axes.prop_cycle"] = cycler(color=list(PALETTE[:6])) + cycler(linestyle=list(LINESTYLES))
    rc.update(overrides)
    # Interactive mode is a session setting, not a style: Jupyter's inline backend turns it on
    # when pyplot is first imported, which may happen inside this block. Restoring it with the
    # rest of rcParams would stop later figures of the session from being shown.
    interactive = mpl.is_interactive()
    try:
        with mpl.rc_context(rc):
            try:
                yield
            finally:
                interactive = mpl.is_interactive()
    finally:
        mpl.interactive(interactive)


def _new_axes(ax: Axes | None) -> Axes:
    """Return ``ax``, or the Axes of a new figure (created in the package style)."""
    if ax is not None:
        from matplotlib.axes import Axes as _Axes

        if not isinstance(ax, _Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None, got {describe(ax)}")
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots()
    return new


def _thousands(ax: Axes, axis: str = "y") -> None:
    """Write the tick labels of ``axis`` with thousands separators (132,000)."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _pos: f"{value:,.10g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


# -- projections ------------------------------------------------------------------------------
def _projections(value: object) -> list[Projection]:
    from .scenario import Projection

    if isinstance(value, Projection):
        return [value]
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | Iterator):
        raise TypeError(
            "projection_or_list must be a Projection or a list of Projections "
            f"(from Scenario.project()), got {describe(value)}"
        )
    items = list(value)
    if not items:
        raise ValueError("projection_or_list must hold at least one Projection, got none")
    for i, item in enumerate(items):
        if not isinstance(item, Projection):
            raise TypeError(
                f"projection_or_list[{i}] must be a Projection (from Scenario.project()), "
                f"got {describe(item)}"
            )
    return items


def _as_dates(start: _dt.date, years: Any) -> Any:
    """Calendar days ``years`` model years after ``start`` (numpy ``datetime64[D]``)."""
    days = np.round(np.asarray(years, dtype=np.float64) * DAYS_PER_YEAR).astype(np.int64)
    return np.datetime64(start, "D") + days.astype("timedelta64[D]")


def _dates_fit(p: Projection) -> bool:
    """True when the projection's start and end dates fit matplotlib's calendar (year < 10000)."""
    start = p.scenario.start
    if start is None:
        return False
    end = float(p.path.times[-1])
    return start.year + end + 1 < 9999


def _use_dates(items: list[Projection], dates: bool | None) -> bool:
    if dates is None:
        return all(_dates_fit(p) for p in items)
    if not isinstance(dates, bool):
        raise TypeError(f"dates must be True, False or None, got {describe(dates)}")
    if dates:
        for i, p in enumerate(items):
            if p.scenario.start is None:
                raise ValueError(
                    f"dates=True needs a start date on every scenario; projection {i} "
                    f"({p.scenario.name or 'unnamed'}) has start=None"
                )
            if not _dates_fit(p):
                raise ValueError(
                    f"dates=True: projection {i} runs past the year 9999, which matplotlib "
                    "cannot draw as a date; use dates=False"
                )
    return dates


def _clear_text(p: Projection) -> str:
    years = p.clear_time
    text = f"clears in {format_number(years, 'years')}"
    if years == 1:
        text = "clears in 1 year"
    date = p.clear_date
    if date is not None:
        text += f" ({date.year})"
    return text


def plot_projection(
    projection_or_list: Projection | Sequence[Projection],
    ax: Axes | None = None,
    *,
    dates: bool | None = None,
    annotate: bool = True,
    **kwargs: Any,
) -> Axes:
    """Plot people held over time for one or several projections, with their clear times.

    Each projection is a line (colour and line style from :data:`PALETTE` and
    :data:`LINESTYLES`). Where the stock clears, a marker sits at the clear time with a label
    such as "clears in 132 years"; where it never clears, the line runs to the horizon and
    ends in an arrow labelled "never clears: " and the reason
    (:attr:`~amnesty_model.Projection.reason`).

    Parameters
    ----------
    projection_or_list : Projection or sequence of Projection
        From :meth:`amnesty_model.Scenario.project`.
    ax : matplotlib.axes.Axes or None, default None
        Where to draw; a new figure is created when None.
    dates : bool or None, default None
        Calendar dates on the x axis (``True``), years since the start (``False``), or dates
        when every scenario has a ``start`` and the plot ends before the year 9999 (``None``).
    annotate : bool, default True
        Mark and label the clear time (or "never clears") of each projection.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for every line (e.g. ``linewidth``); a
        ``label`` applies to a single projection only.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. Its lines have ``gid`` ``"held"`` (the trajectories),
        ``"clear"`` (clear-time markers) and ``"never"`` (never-clears arrows).

    Raises
    ------
    TypeError
        If ``projection_or_list`` holds something else than projections.
    ValueError
        If it is empty, or ``dates=True`` and a scenario has no start date.

    Examples
    --------
    >>> import amnesty_model as am
    >>> from amnesty_model.plot import plot_projection
    >>> base = am.Scenario(132_000, 1_000, name="report", start="2022-05-26")
    >>> ax = plot_projection([base.project(horizon=150),
    ...                       base.with_(arrest_rate=1_200, name="arrests").project(150)])
    >>> [line.get_label() for line in ax.get_lines() if line.get_gid() == "held"]
    ['report', 'arrests']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    _require_matplotlib()
    items = _projections(projection_or_list)
    if "label" in kwargs and len(items) > 1:
        raise ValueError(
            f"label applies to one projection, got {len(items)}; name the scenarios instead"
        )
    use_dates = _use_dates(items, dates)
    with style():
        ax = _new_axes(ax)
        named = False
        for i, p in enumerate(items):
            times = p.path.times
            held = p.path.held
            start = p.scenario.start
            x = _as_dates(start, times) if use_dates and start is not None else times
            color = PALETTE[i % 6]
            line_kwargs: dict[str, Any] = {
                "color": color,
                "linestyle": LINESTYLES[i % len(LINESTYLES)],
                "label": p.scenario.name or f"scenario {i + 1}",
            }
            line_kwargs.update(kwargs)
            named = named or bool(p.scenario.name) or "label" in kwargs
            (line,) = ax.plot(x, held, **line_kwargs)
            line.set_gid("held")
            if annotate:
                _annotate_end(ax, p, i, use_dates, line.get_color())
        top = max(float(np.max(p.path.held)) for p in items)
        ax.set_ylim(0, top * 1.18 if top > 0 else 1.0)
        ax.set_ylabel("people held")
        ax.set_xlabel(
            "date (calendar year)" if use_dates else "years from start (years of 365.25 days)"
        )
        _thousands(ax)
        if named or len(items) > 1:
            # Below the axes: inside, it would cover the lines or their labels.
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    return ax


def _annotate_end(ax: Axes, p: Projection, i: int, use_dates: bool, color: Any) -> None:
    """Mark the clear time of ``p``, or show that it never clears within the plot."""
    times, held = p.path.times, p.path.held
    start = p.scenario.start

    def xval(t: float) -> Any:
        return _as_dates(start, t) if use_dates and start is not None else t

    clear = p.clear_time
    if math.isfinite(clear) and clear <= times[-1]:
        y = float(np.interp(clear, times, held))
        (marker,) = ax.plot(
            [xval(clear)],
            [y],
            marker="o",
            markersize=6,
            markerfacecolor="white",
            markeredgecolor=color,
            markeredgewidth=1.6,
            linestyle="none",
            zorder=4,
        )
        marker.set_gid("clear")
        # Upright text standing on the marker: it crosses few other lines.
        label = ax.annotate(
            _clear_text(p),
            xy=(xval(clear), y),
            xytext=(0, 7),
            textcoords="offset points",
            rotation=90,
            ha="center",
            va="bottom",
            fontsize=8.5,
            color=color,
            bbox=_TEXT_BOX,
        )
        label.set_gid("clear")
        return
    end_t = float(times[-1])
    end_y = float(held[-1])
    (arrow,) = ax.plot(
        [xval(end_t)],
        [end_y],
        marker=">",
        markersize=7,
        color=color,
        linestyle="none",
        zorder=4,
    )
    arrow.set_gid("never")
    if math.isinf(clear):
        text = f"never clears: {p.reason}" if p.reason else "never clears"
    else:
        text = f"{_clear_text(p)}, after the end of this plot"
    # Above the end of the line, to its left: a rising line stays below the text.
    label = ax.annotate(
        text,
        xy=(xval(end_t), end_y),
        xytext=(-4, 6),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=8.5,
        color=color,
        bbox=_TEXT_BOX,
    )
    label.set_gid("never")


# -- uncertainty bands ------------------------------------------------------------------------
def _quantile_columns(frame: pd.DataFrame) -> list[tuple[float, Any]]:
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            "frame must be a pandas DataFrame indexed by years with one column per quantile, "
            f"got {describe(frame)}"
        )
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise ValueError(
            f"frame must have at least one row and one quantile column, got shape {frame.shape}"
        )
    quantiles = []
    for column in frame.columns:
        if column == "date":  # Simulation.quantile_bands adds the calendar date: not a band
            continue
        text = column[1:] if isinstance(column, str) and column.startswith("q") else column
        try:
            q = float(text)
        except (TypeError, ValueError):
            raise ValueError(
                f"frame's columns must be quantiles between 0 and 1 (e.g. 0.05, 0.5, 0.95, "
                f"or 'q0.05' as Simulation.quantile_bands names them), got column {column!r}"
            ) from None
        if not 0.0 <= q <= 1.0:
            raise ValueError(
                f"frame's columns must be quantiles between 0 and 1, got column {column!r}"
            )
        quantiles.append((q, column))
    if not quantiles:
        raise ValueError(
            f"frame must have at least one quantile column, got only {list(frame.columns)}"
        )
    return sorted(quantiles, key=lambda item: item[0])


def _percent(q: float) -> str:
    return f"{100 * q:.3g}"


def plot_bands(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    color: str = PALETTE[1],
    ylabel: str = "people held",
    label: str | None = None,
) -> Axes:
    """Plot an uncertainty fan: shaded bands between quantiles and the median line.

    Parameters
    ----------
    frame : pandas.DataFrame
        Indexed by years since the start [years], one column per quantile [people],
        labelled by the quantile as a number in ``[0, 1]`` (e.g. ``0.05, 0.25, 0.5, 0.75,
        0.95``; labels such as ``"0.05"`` or ``"q0.05"`` are accepted too): the layout of
        :meth:`Simulation.quantile_bands <amnesty_model.Simulation.quantile_bands>`, whose
        ``date`` column is ignored. Columns are paired from the outside in (lowest with
        highest, and so on); each pair is one band, the inner bands darker. A middle column
        left unpaired (the median) is drawn as a line.
    ax : matplotlib.axes.Axes or None, default None
        Where to draw; a new figure is created when None.
    color : str, default Okabe–Ito blue
        Colour of the bands and the line.
    ylabel : str, default "people held"
        Label of the y axis, with its unit.
    label : str or None, default None
        Name of the quantity for the legend (e.g. a scenario's name).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; bands are its ``collections`` (outermost first).

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If it is empty or a column is not a quantile in ``[0, 1]``.

    Examples
    --------
    >>> import pandas as pd
    >>> from amnesty_model.plot import plot_bands
    >>> years = pd.Index([0.0, 10.0, 20.0], name="years")
    >>> frame = pd.DataFrame({0.05: [100, 80, 50], 0.5: [100, 90, 70],
    ...                       0.95: [100, 95, 85]}, index=years)
    >>> ax = plot_bands(frame)
    >>> len(ax.collections), len(ax.get_lines())
    (1, 1)

    A Monte Carlo fan straight from :func:`~amnesty_model.simulate`:

    >>> import amnesty_model as am
    >>> sim = am.simulate(am.Scenario(1_000, 100, arrest_rate=50), paths=200, seed=1)
    >>> ax = plot_bands(sim.quantile_bands())
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['5–95th percentile', '25–75th percentile', 'median']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    _require_matplotlib()
    columns = _quantile_columns(frame)
    years = np.asarray(frame.index, dtype=np.float64)
    n_bands = len(columns) // 2
    prefix = f"{label}: " if label else ""
    with style():
        ax = _new_axes(ax)
        for k in range(n_bands):
            (q_low, c_low), (q_high, c_high) = columns[k], columns[-1 - k]
            alpha = 0.18 + 0.5 * (k + 1) / (n_bands + 1)
            ax.fill_between(
                years,
                np.asarray(frame[c_low], dtype=np.float64),
                np.asarray(frame[c_high], dtype=np.float64),
                color=color,
                alpha=alpha,
                linewidth=0,
                label=f"{prefix}{_percent(q_low)}–{_percent(q_high)}th percentile",
            )
        if len(columns) % 2:
            q_mid, c_mid = columns[n_bands]
            name = "median" if q_mid == 0.5 else f"{_percent(q_mid)}th percentile"
            ax.plot(
                years, np.asarray(frame[c_mid], dtype=np.float64), color=color, label=prefix + name
            )
        ax.set_xlabel("years from start (years of 365.25 days)")
        ax.set_ylabel(ylabel)
        _thousands(ax)
        ax.legend(loc="best")
    return ax


# -- phase diagram ----------------------------------------------------------------------------
def _grid_axis(values: object, name: str) -> Any:
    array = np.asarray(values, dtype=np.float64) if not isinstance(values, str) else None
    if array is None or array.ndim != 1 or array.size < 2:
        raise ValueError(
            f"{name} must be a 1-D sequence of at least 2 rates, got {describe(values)}"
        )
    if not np.isfinite(array).all() or (array < 0).any():
        raise ValueError(f"{name} must hold finite rates >= 0 (people per year), got {array!r}")
    if not (np.diff(array) > 0).all():
        raise ValueError(f"{name} must be strictly increasing, got {array!r}")
    return array


def plot_phase_diagram(
    release_rates: Any,
    arrest_rates: Any,
    stock: float = 132_000,
    *,
    death_rate: float = 0.0,
    ax: Axes | None = None,
    points: Mapping[str, tuple[float, float]] | None = None,
    levels: Sequence[float] = (10, 50, 100, 250),
    colorbar: bool = True,
) -> Axes:
    r"""Map the years to clear a stock over release rate × arrest rate.

    Colour is the time to clear on a log scale (:func:`~amnesty_model.time_to_clear`,
    evaluated on the grid at once); labelled contour lines mark ``levels``; the region where
    it never clears, arrests at least equal to releases (:math:`a \ge r`), is hatched grey
    whatever the death rate, bounded by the line :math:`a = r`.

    Parameters
    ----------
    release_rates : array_like
        Release rates of the grid [people/year], 1-D, increasing, ``>= 0``.
    arrest_rates : array_like
        Arrest rates of the grid [people/year], 1-D, increasing, ``>= 0``.
    stock : float, default 132,000
        People held at the start [people], ``> 0``. The default is the report's figure.
    death_rate : float, default 0.0
        Deaths in custody per person per year [1/year].
    ax : matplotlib.axes.Axes or None, default None
        Where to draw; a new figure is created when None.
    points : mapping of str to (float, float), optional
        Scenarios to mark: label → (release rate, arrest rate) [people/year].
    levels : sequence of float, default (10, 50, 100, 250)
        Years at which to draw labelled contour lines.
    colorbar : bool, default True
        Add a colour bar for the years (beside ``ax``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. Its first collection is the colour mesh: its array holds the years
        to clear (masked where the stock never clears).

    Raises
    ------
    ValueError
        If a grid is not 1-D and increasing with at least two finite rates ``>= 0``, or the
        stock is not positive.

    Examples
    --------
    >>> from amnesty_model.plot import plot_phase_diagram
    >>> ax = plot_phase_diagram([500, 1_000, 2_000], [0, 250, 500], points={"report": (1_000, 0)})
    >>> float(ax.collections[0].get_array()[0, 1])  # 132,000 / (1,000 - 0)
    132.0
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    _require_matplotlib()
    from matplotlib.colors import LogNorm

    r_axis = _grid_axis(release_rates, "release_rates")
    death_rate = check_number(death_rate, "death_rate")
    a_axis = _grid_axis(arrest_rates, "arrest_rates")
    if not isinstance(stock, int | float) or isinstance(stock, bool) or not stock > 0:
        raise ValueError(f"stock must be a number > 0 (people), got {describe(stock)}")
    level_list = sorted(float(v) for v in levels)
    if any(not (math.isfinite(v) and v > 0) for v in level_list):
        raise ValueError(f"levels must be finite years > 0, got {list(levels)!r}")
    R, A = np.meshgrid(r_axis, a_axis)
    years = np.asarray(time_to_clear(stock, R, A, death_rate=death_rate), dtype=np.float64)
    finite = np.isfinite(years)
    masked = np.ma.masked_array(years, mask=~finite)
    with style():
        ax = _new_axes(ax)
        if finite.any():
            low, high = float(years[finite].min()), float(years[finite].max())
            # Times near the boundary grow without bound; past 4x the longest contour
            # level the colour saturates (the colour bar's arrow says so).
            cap = max(4 * level_list[-1], low * 10) if level_list else high
            extend = "max" if high > cap else "neither"
            high = min(high, cap)
            if high <= low:
                high = low * 1.01
            mesh = ax.pcolormesh(
                R, A, masked, shading="nearest", norm=LogNorm(low, high), cmap=_YEARS_CMAP
            )
            shown = [v for v in level_list if low < v < float(years[finite].max())]
            if shown:
                contours = ax.contour(R, A, masked, levels=shown, colors="black", linewidths=0.8)
                # Each contour is the line r = a + c with c = μ S0 / expm1(μ L) (S0 / L when
                # μ = 0): label it where it crosses 60 % of the height, or mid-segment.
                spots = []
                a_mid = a_axis[0] + 0.6 * (a_axis[-1] - a_axis[0])
                for level in shown:
                    c = (
                        stock / level
                        if death_rate == 0
                        else stock * death_rate / math.expm1(death_rate * level)
                    )
                    a_lo = max(a_axis[0], r_axis[0] - c)
                    a_hi = min(a_axis[-1], r_axis[-1] - c)
                    a_spot = a_mid if a_lo <= a_mid <= a_hi else (a_lo + a_hi) / 2
                    spots.append((a_spot + c, a_spot))
                # A level can have no line on a coarse grid (its cells are masked).
                drawn = [i for i, path in enumerate(contours.get_paths()) if len(path) > 1]
                if drawn:
                    labels = ax.clabel(
                        contours,
                        [shown[i] for i in drawn],
                        fmt=lambda v: f"{v:,.0f} years",
                        fontsize=8,
                        manual=[spots[i] for i in drawn],
                    )
                    for text in labels:
                        text.set_bbox(_TEXT_BOX)
            if colorbar:
                from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

                bar = ax.figure.colorbar(mesh, ax=ax, extend=extend)
                bar.set_label(f"years to clear {_people(stock)} held (log scale)")
                ticks = [
                    m * 10.0**e
                    for e in range(-3, 12)
                    for m in (1, 2, 5)
                    if low <= m * 10.0**e <= high
                ]
                bar.ax.yaxis.set_major_locator(FixedLocator(ticks))
                bar.ax.yaxis.set_minor_locator(NullLocator())
                bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.4g}"))
        else:
            ax.pcolormesh(R, A, masked, shading="nearest")
        # Never clears where a >= r (any death rate): the part of the box above the diagonal,
        # a polygon whose lower edge min(max(r, a_min), a_max) bends only at a_min and a_max.
        x = np.union1d(r_axis[[0, -1]], np.clip(a_axis[[0, -1]], r_axis[0], r_axis[-1]))
        ax.fill_between(
            x,
            np.clip(x, a_axis[0], a_axis[-1]),
            a_axis[-1],
            facecolor=_GREY,
            edgecolor=_GREY_EDGE,
            hatch="///",
            linewidth=0.0,
            label="never clears (arrests ≥ releases)",
        )
        ax.plot(x, x, color=_GREY_EDGE, linewidth=0.8, linestyle="--", gid="boundary")
        ax.set_xlim(r_axis[0], r_axis[-1])
        ax.set_ylim(a_axis[0], a_axis[-1])
        if points:
            _mark_points(ax, points)
        ax.set_xlabel("releases (people per year)")
        ax.set_ylabel("new arrests (people per year)")
        _thousands(ax, "x")
        _thousands(ax, "y")
        ax.grid(False)
        ax.legend(loc="upper left", frameon=True, framealpha=0.9)
    return ax


_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")


def _mark_points(ax: Axes, points: Mapping[str, tuple[float, float]]) -> None:
    if not isinstance(points, Mapping):
        raise TypeError(
            f"points must be a mapping of label -> (release, arrest), got {describe(points)}"
        )
    for i, (name, value) in enumerate(points.items()):
        try:
            release, arrest = (float(v) for v in value)
        except (TypeError, ValueError):
            raise ValueError(
                f"points[{name!r}] must be a pair (release rate, arrest rate), got {value!r}"
            ) from None
        (marker,) = ax.plot(
            [release],
            [arrest],
            marker=_MARKERS[i % len(_MARKERS)],
            markersize=7,
            markerfacecolor="white",
            markeredgecolor="black",
            markeredgewidth=1.4,
            linestyle="none",
            zorder=5,
            clip_on=False,
        )
        marker.set_gid("point")
        # Labels of points in the right third of the plot go to their left.
        left, right = ax.get_xlim()
        flip = release > left + (right - left) * 2 / 3
        ax.annotate(
            str(name),
            xy=(release, arrest),
            xytext=(-7, 7) if flip else (7, 7),
            textcoords="offset points",
            ha="right" if flip else "left",
            fontsize=8.5,
            bbox=_TEXT_BOX,
            zorder=6,
        )


# -- tornado ----------------------------------------------------------------------------------
def _require_columns(frame: object, columns: Sequence[str], what: str) -> pd.DataFrame:
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {describe(frame)}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} must have the columns {list(columns)}; missing {missing} "
            f"(got {[str(c) for c in frame.columns]})"
        )
    if frame.shape[0] == 0:
        raise ValueError(f"{what} must have at least one row, got none")
    return frame


_TORNADO_UNITS = {
    "stock": "people",
    "release_rate": "a year",
    "arrest_rate": "a year",
    "death_rate": "per person a year",
}


def _ordinal(q: float) -> str:
    """5 → '5th', 0.5 → '50th' (percentiles), 1 → '1st', 2 → '2nd', 3 → '3rd'."""
    value = f"{100 * q:.3g}"
    ends = {"1": "st", "2": "nd", "3": "rd"}
    suffix = "th" if value.endswith(("11", "12", "13")) else ends.get(value[-1], "th")
    return value + suffix


def _tornado_input(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, str]]:
    """Turn the output of :func:`amnesty_model.tornado` into rows ``input, low, high, base``."""
    import pandas as pd

    base = frame.attrs.get("base_years")
    if base is None:
        raise ValueError(
            "table has years_low and years_high (the layout of amnesty_model.tornado) but "
            "no attrs['base_years']; pass the table tornado() returned, or columns input, "
            "low, high and base"
        )
    names = []
    for name, row in frame.iterrows():
        shown = str(name).replace("_", " ")
        if "value_low" in frame.columns and "value_high" in frame.columns:
            unit = _TORNADO_UNITS.get(str(name), "")
            low = format_number(float(row["value_low"]))
            high = format_number(float(row["value_high"]))
            shown += f"\n{low} – {high} {unit}".rstrip()
        names.append(shown)
    table = pd.DataFrame(
        {
            "input": names,
            "low": frame["years_low"].to_numpy(dtype=np.float64),
            "high": frame["years_high"].to_numpy(dtype=np.float64),
            "base": float(base),
        }
    )
    legend = ("input at its low value", "input at its high value")
    record = frame.attrs.get("provenance")
    if isinstance(record, Mapping) and "low" in record and "high" in record:
        legend = (
            f"input at its {_ordinal(float(record['low']))} percentile",
            f"input at its {_ordinal(float(record['high']))} percentile",
        )
    return table, legend


def plot_tornado(
    table: pd.DataFrame,
    ax: Axes | None = None,
    *,
    xlabel: str = "years to clear (years of 365.25 days)",
) -> Axes:
    """Plot a one-at-a-time sensitivity (tornado) chart.

    Each input is a row of two bars from the base answer: to the answer with that input at
    its low value, and at its high value, every other input at its base value. Rows are
    sorted by swing, the widest on top. An infinite answer ("never clears") is drawn up to
    the edge of the plot and labelled "never".

    Parameters
    ----------
    table : pandas.DataFrame
        Either the table :func:`amnesty_model.tornado` returns (indexed by ``input``, with
        ``years_low``, ``years_high``, optionally ``value_low`` and ``value_high`` — shown
        under each input's name — and ``attrs["base_years"]``), or one row per input with
        columns ``input`` (name shown, e.g. ``"release rate"``; it may be the index), ``low``
        and ``high`` (the answer with the input at its low or high value) and ``base`` (the
        answer at the base values) — answers in the unit of ``xlabel``. Other columns are
        ignored.
    ax : matplotlib.axes.Axes or None, default None
        Where to draw; a new figure is created when None.
    xlabel : str, default "years to clear (years of 365.25 days)"
        Label of the answer axis, with its unit.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: two bars (``patches``) per input, low first.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If a column is missing (or, for a tornado table, ``attrs["base_years"]``), the table
        is empty, or a value is NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> from amnesty_model.plot import plot_tornado
    >>> table = pd.DataFrame({"input": ["release rate", "stock"], "low": [264.0, 120.0],
    ...                       "high": [66.0, 144.0], "base": [132.0, 132.0]})
    >>> ax = plot_tornado(table)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['stock', 'release rate']

    Straight from :func:`~amnesty_model.tornado` (uniform ranges here):

    >>> import amnesty_model as am
    >>> ax = plot_tornado(am.tornado((120_000, 140_000), (6_000, 8_000), (0, 500)))
    >>> [t.get_text().splitlines()[0] for t in ax.get_yticklabels()]
    ['arrest rate', 'stock', 'release rate']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    _require_matplotlib()
    import pandas as pd

    legend = ("input at its low value", "input at its high value")
    if isinstance(table, pd.DataFrame):
        if {"years_low", "years_high"} <= set(table.columns) and not (
            {"low", "high"} & set(table.columns)
        ):
            table, legend = _tornado_input(table)
        elif "input" not in table.columns and table.index.name == "input":
            table = table.reset_index()
    frame = _require_columns(table, ("input", "low", "high", "base"), "table")
    values = frame[["low", "high", "base"]].to_numpy(dtype=np.float64)
    if np.isnan(values).any():
        raise ValueError("table's low, high and base must be numbers, got NaN")
    low, high, base = values[:, 0], values[:, 1], values[:, 2]
    finite = values[np.isfinite(values)]
    top = float(finite.max()) if finite.size else 1.0
    cap = top * 1.15 if top > 0 else 1.0
    low_drawn, high_drawn = np.minimum(low, cap), np.minimum(high, cap)
    swing = np.abs(high_drawn - low_drawn)
    order = np.argsort(swing, kind="stable")  # smallest first: drawn at the bottom
    names = [str(frame["input"].iloc[int(i)]) for i in order]
    with style():
        ax = _new_axes(ax)
        y = np.arange(len(order), dtype=np.float64)
        b = base[order]
        bars_low = ax.barh(
            y,
            low_drawn[order] - b,
            left=b,
            height=0.6,
            color=PALETTE[6],
            edgecolor="0.25",
            linewidth=0.6,
            hatch="..",
            label=legend[0],
        )
        bars_high = ax.barh(
            y,
            high_drawn[order] - b,
            left=b,
            height=0.6,
            color=PALETTE[4],
            edgecolor="0.25",
            linewidth=0.6,
            hatch="//",
            label=legend[1],
        )
        # The answer at the end of each bar ("never" where it is infinite).
        for bars, raw in ((bars_low, low[order]), (bars_high, high[order])):
            for patch, value, at in zip(bars.patches, raw, b, strict=True):
                end = at + patch.get_width()
                if end == at:
                    continue
                right = end > at
                ax.annotate(
                    "never →" if math.isinf(value) else format_number(float(value)),
                    xy=(end, patch.get_y() + patch.get_height() / 2),
                    xytext=(3 if right else -3, 0),
                    textcoords="offset points",
                    ha="left" if right else "right",
                    va="center",
                    fontsize=8.5,
                )
        for value in np.unique(b):
            ax.axvline(value, color="black", linewidth=1.0, gid="base")
            ax.annotate(
                f"base: {format_number(float(value))}",
                xy=(value, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(3, -2),
                textcoords="offset points",
                ha="left",
                va="top",
                fontsize=8.5,
                bbox=_TEXT_BOX,
            )
        ax.set_yticks(y, names)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
        _thousands(ax, "x")
        ax.margins(x=0.08)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    return ax


# -- cohort fate ------------------------------------------------------------------------------
_FATE_COLUMNS = (
    ("released", "released_alive", "released alive", PALETTE[3], ""),
    ("died", "died_in_custody", "died in custody", PALETTE[2], "x"),
    ("held", "still_held", "still held", PALETTE[6], ".."),
)
# The layout of CohortProjection.frame (whose "held" counts newcomers too).
_COHORT_COLUMNS = ("cohort_released", "cohort_died", "cohort_held")


def plot_cohort_fate(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    ylabel: str = "people of the initial cohort",
) -> Axes:
    """Plot what becomes of those held at the start: released alive, died in custody, held.

    Three stacked areas, bottom to top: released alive, died in custody, still held (each
    with its own colour and hatch, for grayscale). For a closed cohort they add up to the
    cohort's size at every time.

    Parameters
    ----------
    frame : pandas.DataFrame
        Indexed by years since the start [years], with columns ``released`` (released alive
        so far), ``died`` (died in custody so far) and ``held`` (still held) [people, or
        shares of the cohort]. The names ``released_alive``, ``died_in_custody`` and
        ``still_held`` are accepted too, and so is the layout of
        :attr:`CohortProjection.frame <amnesty_model.CohortProjection.frame>`
        (``cohort_released``, ``cohort_died``, ``cohort_held``: these win when present, since
        that frame's ``held`` counts the newcomers too). Other columns are ignored.
    ax : matplotlib.axes.Axes or None, default None
        Where to draw; a new figure is created when None.
    ylabel : str, default "people of the initial cohort"
        Label of the y axis, with its unit (e.g. "share of the initial cohort").

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; the three areas are its first three ``collections``.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If a column is missing or the frame is empty.

    Examples
    --------
    >>> import pandas as pd
    >>> from amnesty_model.plot import plot_cohort_fate
    >>> years = pd.Index([0.0, 50.0, 100.0], name="years")
    >>> frame = pd.DataFrame({"released": [0, 40, 70], "died": [0, 10, 30],
    ...                       "held": [100, 50, 0]}, index=years)
    >>> ax = plot_cohort_fate(frame)
    >>> len(ax.collections)
    3

    Straight from :func:`~amnesty_model.cohort`:

    >>> import amnesty_model as am
    >>> ax = plot_cohort_fate(am.cohort(am.Scenario(132_000, 1_000, death_rate=0.02)).frame)
    >>> round(ax.collections[2].get_paths()[0].vertices[:, 1].max())  # the whole cohort
    132000
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    _require_matplotlib()
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {describe(frame)}")
    if set(_COHORT_COLUMNS) <= set(frame.columns):
        columns = list(_COHORT_COLUMNS)
    else:
        columns = []
        for short, long, *_ in _FATE_COLUMNS:
            columns.append(long if short not in frame.columns and long in frame.columns else short)
    frame = _require_columns(frame, columns, "frame")
    years = np.asarray(frame.index, dtype=np.float64)
    with style():
        ax = _new_axes(ax)
        areas = ax.stackplot(
            years,
            *(np.asarray(frame[c], dtype=np.float64) for c in columns),
            labels=[label for _, _, label, _, _ in _FATE_COLUMNS],
            colors=[color for *_, color, _ in _FATE_COLUMNS],
            edgecolor="black",
            linewidth=0.5,
        )
        for area, (*_, hatch) in zip(areas, _FATE_COLUMNS, strict=True):
            area.set_hatch(hatch)
        ax.set_xlim(years[0], years[-1])
        ax.set_ylim(bottom=0)
        ax.set_xlabel("years from start (years of 365.25 days)")
        ax.set_ylabel(ylabel)
        _thousands(ax)
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(
            handles[::-1], labels[::-1], loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3
        )
    return ax


# -- rate fits --------------------------------------------------------------------------------
def plot_fit(
    fit: RateFit,
    ax: Axes | None = None,
    *,
    band: bool = True,
    band_points: int = 12,
    **kwargs: Any,
) -> Axes:
    r"""Plot reported cumulative counts, the fitted curve and its pointwise band.

    The fitted curve is the expected cumulative count :math:`\Lambda(t)` of the fit; the
    band, the interval of :math:`\Lambda(t)` at ``band_points`` dates (profile-likelihood
    or exact intervals, at the fit's confidence; spaced as :math:`(k/n)^2` of the span, so
    denser at the start where a burst changes fastest), joined by straight lines.

    Parameters
    ----------
    fit : RateFit
        A fit from :func:`~amnesty_model.fit_constant`, :func:`~amnesty_model.fit_piecewise`
        or :func:`~amnesty_model.fit_burst_decay`.
    ax : matplotlib.axes.Axes or None, default None
        Where to draw; a new figure is created when None.
    band : bool, default True
        Shade the interval of :math:`\Lambda(t)`.
    band_points : int, default 12
        Dates at which the band is computed, ``>= 2`` (each costs a profile search for
        burst-decay fits).
    **kwargs
        Passed to the fitted curve's :meth:`~matplotlib.axes.Axes.plot` (e.g. ``color``,
        ``label``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: its first line is the fitted curve, its second the points fitted
        (filled markers); points left out of the fit (an uncertain date) are hollow markers
        with a horizontal bar over their reported dates. The x axis is the calendar date, the
        y axis the cumulative count [people].

    Raises
    ------
    TypeError
        If ``fit`` is not a fit.
    ValueError
        If ``band_points < 2``.

    Examples
    --------
    >>> from amnesty_model.datasets import load_decree7_releases
    >>> from amnesty_model.fit import fit_piecewise
    >>> from amnesty_model.plot import plot_fit
    >>> ax = plot_fit(fit_piecewise(load_decree7_releases()), band_points=4)
    >>> [int(v) for v in ax.get_lines()[1].get_ydata()]  # the four counts of certain date
    [476, 523, 539, 556]
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    _require_matplotlib()
    import matplotlib.dates as mdates

    from .fit import RateFit

    if not isinstance(fit, RateFit):
        raise TypeError(
            "fit must be a rate fit (from fit_constant, fit_piecewise or fit_burst_decay), "
            f"got {describe(fit)}"
        )
    band_points = check_positive_int(band_points, "band_points", minimum=2)

    def num(values: Sequence[_dt.date]) -> Any:
        return mdates.date2num(list(values))  # type: ignore[no-untyped-call]

    series, source = fit.series, fit.source_series
    start = series.start
    # Matplotlib date numbers are days: fractional days stay exact (a date plus a timedelta
    # would drop them, and draw a fast burst as a staircase).
    day0 = float(num([start])[0])
    end_day = float(max(source.days.max(), series.days.max()))
    days = np.linspace(0.0, end_day, 400)
    with style():
        ax = _new_axes(ax)
        line_kwargs: dict[str, Any] = {"color": PALETTE[1], "label": f"fit: {fit.model}"}
        line_kwargs.update(kwargs)
        (line,) = ax.plot(day0 + days, fit.cumulative(days / DAYS_PER_YEAR), **line_kwargs)
        if band:
            # Denser at the start, where a burst changes fastest.
            band_days = end_day * (np.arange(1, band_points + 1) / band_points) ** 2
            lows, highs = [0.0], [0.0]
            for d in band_days:
                rate = fit.rate_during(0.0, d / DAYS_PER_YEAR)
                lows.append(rate.low * d / DAYS_PER_YEAR)
                highs.append(rate.high * d / DAYS_PER_YEAR)
            ax.fill_between(
                day0 + np.concatenate([[0.0], band_days]),
                lows,
                highs,
                color=line.get_color(),
                alpha=0.2,
                linewidth=0,
                label=f"{fit.confidence:.0%} interval",
            )
        ax.plot(
            num(series.dates),
            list(series.counts),
            "o",
            color=PALETTE[0],
            linestyle="none",
            label=f"reported ({len(series)} fitted)",
        )
        placed = fit.uncertain != "exclude"
        for i in range(len(source)):
            if not source.uncertain[i] or placed:
                continue
            low, high, mid = source.date_low[i], source.date_high[i], source.dates[i]
            ax.errorbar(
                num([mid]),
                [source.counts[i]],
                xerr=[[(mid - low).days], [(high - mid).days]],
                fmt="o",
                mfc="white",
                color="0.45",
                capsize=3,
                label="reported, date uncertain (not fitted)",
            )
        locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(formatter)
        ax.set_xlabel("date")
        ax.set_ylabel(f"people {series.what}, cumulative since {start.isoformat()}")
        ax.set_ylim(bottom=0)
        _thousands(ax)
        ax.set_title(series.name or f"{series.what} over time")
        ax.legend(loc="lower right")
    return ax
