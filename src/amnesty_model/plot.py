"""Figures: projections, uncertainty bands, phase diagrams, tornado, cohort and rate-fit charts.

Every function draws on an existing :class:`matplotlib.axes.Axes` when given ``ax=`` (or on a
new figure otherwise), labels its axes with units, and returns the Axes; none calls
``plt.show()``. matplotlib is imported only inside the functions, so ``import amnesty_model``
(and ``import amnesty_model.plot``) does not import it; install it with the ``plot`` extra.

The figures share one restrained style (:data:`STYLE`, applied with :func:`style`) and the
Okabe–Ito palette (:data:`PALETTE`), with distinct line styles, markers and hatches so that
they stay readable in greyscale and for colour-blind readers.

Ready to publish: every plot function takes ``title=``, ``source=`` and ``note=`` (a note and
source line under the figure, under the legend); labels on the data are placed when the
figure is drawn, where they touch no other text, data line or marker, at any size; legends
hang under the x axis. :func:`save_figure` writes web (1,600 px) and print (180 mm, 300 dpi)
images; :func:`small_multiples` and :func:`shared_legend` make a row of panels with one
legend; :func:`add_legend` places the legend of lines you add yourself.

References
----------
M. Okabe and K. Ito, "Color Universal Design (CUD): how to make figures and presentations that
are friendly to colorblind people", J*Fly, 2002 (revised 2008).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import itertools
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
    "PRESETS",
    "STYLE",
    "add_legend",
    "jump_grid",
    "plot_bands",
    "plot_cohort_fate",
    "plot_fit",
    "plot_phase_diagram",
    "plot_projection",
    "plot_tornado",
    "save_figure",
    "shared_legend",
    "small_multiples",
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


def _style_axes(ax: Axes) -> None:
    """Give an Axes made outside :func:`style` the package's look (spines, grid)."""
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.set_axisbelow(True)
    ax.grid(True, color=STYLE["grid.color"], linewidth=STYLE["grid.linewidth"])


def save_figure(
    fig: Any,
    path: Any,
    *,
    preset: str = "web",
    **kwargs: Any,
) -> Any:
    """Write ``fig`` at a size and resolution ready for the web or for print.

    The figure is resized (its aspect kept) so that the saved image — trimmed to what is
    drawn, legend, note and source line included — is the preset's width, then restored.

    ======== ================================ ===================================
    preset   width                            resolution
    ======== ================================ ===================================
    "web"    8 in: 800 CSS pixels             200 dpi: 1,600 pixels (2x screens)
    "print"  180 mm (7.09 in): a journal page 300 dpi: about 2,126 pixels
    ======== ================================ ===================================

    Parameters
    ----------
    fig : matplotlib.figure.Figure or matplotlib.axes.Axes
        The figure (or any of its Axes).
    path : str or path-like
        Where to write; the format follows the suffix (``.png``, ``.pdf``, ``.svg``, ...).
    preset : {"web", "print"}, default "web"
        Size and resolution, as in the table (see :data:`PRESETS`).
    **kwargs
        Passed to :meth:`matplotlib.figure.Figure.savefig` (e.g. ``metadata``).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    TypeError
        If ``fig`` is not a Figure or Axes.
    ValueError
        If ``preset`` is unknown.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import matplotlib.pyplot as plt
    >>> from PIL import Image
    >>> from amnesty_model.plot import save_figure
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = save_figure(fig, pathlib.Path(tmp) / "f.png", preset="web")
    ...     with Image.open(out) as image:
    ...         width = image.size[0]
    >>> abs(width - 1_600) <= 4
    True
    >>> plt.close(fig)
    """
    _require_matplotlib()
    from pathlib import Path

    from matplotlib.axes import Axes as _Axes
    from matplotlib.figure import Figure

    if isinstance(fig, _Axes):
        fig = fig.figure
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure or Axes, got {describe(fig)}")
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {preset!r}")
    width, dpi = PRESETS[preset]
    out = Path(path)
    original = (float(fig.get_size_inches()[0]), float(fig.get_size_inches()[1]))
    try:
        aspect = original[1] / original[0]  # height / width
        size = width
        for _ in range(4):
            # The trimmed image is the figure minus fixed margins: step the figure's width by
            # the difference (text keeps its size in points).
            fig.set_size_inches(size, size * aspect)
            renderer = _renderer(fig)
            if renderer is None:
                break
            fig.draw_without_rendering()
            drawn = fig.get_tightbbox(renderer).width + 2 * 0.1  # savefig's pad_inches
            if abs(drawn - width) * dpi < 1.0:
                break
            size = max(size + (width - drawn), 1.0)
        with style():
            fig.savefig(out, dpi=dpi, bbox_inches="tight", pad_inches=0.1, **kwargs)
    finally:
        fig.set_size_inches(original)
    return out


def small_multiples(
    n: int,
    *,
    ncols: int | None = None,
    panel: tuple[float, float] = (3.4, 2.8),
    sharex: bool = False,
    sharey: bool = True,
) -> tuple[Any, list[Axes]]:
    """A figure of ``n`` panels in the package style, to finish with :func:`shared_legend`.

    Parameters
    ----------
    n : int
        Number of panels, ``>= 1``.
    ncols : int or None, default None
        Panels per row; by default all in one row up to 3, then rows of 3.
    panel : (float, float), default (3.4, 2.8)
        Size of one panel [inches].
    sharex, sharey : bool
        Share the x or y axis between panels (as :func:`matplotlib.pyplot.subplots`).

    Returns
    -------
    (matplotlib.figure.Figure, list of matplotlib.axes.Axes)
        The figure and its ``n`` Axes, row by row.

    Examples
    --------
    >>> import amnesty_model as am
    >>> from amnesty_model.plot import shared_legend, small_multiples
    >>> s = am.Scenario(1_000, 100, arrest_rate=50, death_rate=0.02)
    >>> fig, axes = small_multiples(2)
    >>> for ax, order in zip(axes, ("fifo", "lifo")):
    ...     _ = am.cohort(s, order).plot(ax=ax, title=order)
    >>> legend = shared_legend(fig, source="illustrative inputs")
    >>> [ax.get_legend() for ax in axes], len(legend.get_texts())
    ([None, None], 3)
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    _require_matplotlib()
    import matplotlib.pyplot as plt

    n = check_positive_int(n, "n")
    cols = min(n, 3) if ncols is None else check_positive_int(ncols, "ncols")
    rows = -(-n // cols)
    with style():
        fig, grid = plt.subplots(
            rows,
            cols,
            figsize=(panel[0] * cols, panel[1] * rows),
            sharex=sharex,
            sharey=sharey,
            squeeze=False,
            layout="constrained",
        )
    # Room between panels for the x tick labels that overhang their edges.
    engine: Any = fig.get_layout_engine()
    engine.set(wspace=0.08, hspace=0.08)
    axes = list(grid.ravel())
    for extra in axes[n:]:
        extra.remove()
    return fig, axes[:n]


def shared_legend(
    fig: Any,
    axes: Sequence[Axes] | None = None,
    *,
    title: str | None = None,
    source: str | None = None,
    note: str | None = None,
    ncols: int | None = None,
) -> Any:
    """One legend under all the panels of ``fig`` instead of one per panel.

    The legends of ``axes`` are removed; their entries, each label once, go into a single
    legend centred under the lowest panels, and ``note`` and ``source`` under it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure of small multiples (e.g. from :func:`small_multiples`).
    axes : sequence of Axes or None, default None
        The panels; by default every Axes of ``fig`` that has a legend or labelled artists.
    title : str or None, default None
        Title of the whole figure (above the panels).
    source, note : str or None, default None
        A source line and a note under the legend ("Source: " and "Note: " are added when
        missing).
    ncols : int or None, default None
        Columns of the legend; by default as many as fit the figure's width (at most 3).

    Returns
    -------
    matplotlib.legend.Legend or None
        The shared legend (None when no panel has a labelled artist).
    """
    _require_matplotlib()
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {describe(fig)}")
    panels = list(fig.axes if axes is None else axes)
    handles: list[Any] = []
    labels: list[str] = []
    below: list[Any] = []
    for ax in panels:
        legend = ax.get_legend()
        found = (
            (list(legend.legend_handles), [t.get_text() for t in legend.get_texts()])
            if legend is not None
            else ax.get_legend_handles_labels()
        )
        if legend is not None:
            legend.remove()
            _layout_artist(ax).legend_below = None
        spec = ax.get_subplotspec()
        if spec is not None and not spec.is_first_col():
            shares = ax.get_shared_y_axes().get_siblings(ax)
            if len(shares) > 1:  # the first column says it for the whole row
                ax.set_ylabel("")
        if found[0] or axes is not None:
            below.append(ax)
        for handle, label in zip(*found, strict=True):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    title = _check_text(title, "title")
    layout = _layout_artist(fig)
    layout.below_axes = below or panels
    if title is not None:
        fig.suptitle(title)
    renderer = _renderer(fig)
    width = None
    if renderer is not None and layout.below_axes:
        x0, x1, _ = layout.bottom(renderer, layout.below_axes)
        width = x1 - x0
    shared = _fit_legend(
        fig, layout.below_axes[0], handles, labels, title=None, ncols=ncols, width=width
    )
    layout.legend_below = shared
    _add_note(fig, layout, _check_text(note, "note"), _check_text(source, "source"))
    return shared


def jump_grid(scenario: Any, horizon: float, points: int = 401) -> Any:
    """Times [years] from 0 to ``horizon`` that draw a scenario's jumps exactly.

    ``points`` equally spaced times, plus each decree date (:class:`~amnesty_model.Decrees`)
    from both sides (``ε = horizon × 1e-6`` before it, and at it: after the release), so
    that a sawtooth is drawn with its teeth where they are instead of aliased by the grid.
    Pass it as ``simulate(..., grid=jump_grid(s, horizon))``.

    Parameters
    ----------
    scenario : Scenario
        The scenario (without decrees, the grid is just the equally spaced times).
    horizon : float
        Last time [years], ``> 0``.
    points : int, default 401
        Equally spaced times, ``>= 2``.

    Returns
    -------
    numpy.ndarray
        Sorted times [years].

    Examples
    --------
    >>> import amnesty_model as am
    >>> from amnesty_model.plot import jump_grid
    >>> jump_grid(am.Scenario(10, am.Decrees(5)), 2.0, points=3).round(6).tolist()
    [0.0, 0.999998, 1.0, 1.999998, 2.0]
    """
    _require_matplotlib()
    from .rules import Decrees

    horizon = check_number(horizon, "horizon", strict=True)
    points = check_positive_int(points, "points", minimum=2)
    grid = np.linspace(0.0, horizon, points)
    rule = getattr(scenario, "release_rate", None)
    if isinstance(rule, Decrees):
        pulses = rule.times(horizon)
        pulses = pulses[pulses > 0]
        eps = horizon * 1e-6
        grid = np.union1d(grid, np.concatenate([pulses - eps, pulses]))
        grid = grid[(grid >= 0) & (grid <= horizon)]
    return grid


def _new_axes(ax: Axes | None) -> Axes:
    """Return ``ax``, or the Axes of a new figure (created in the package style)."""
    if ax is not None:
        from matplotlib.axes import Axes as _Axes

        if not isinstance(ax, _Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None, got {describe(ax)}")
        _style_axes(ax)
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots()
    return new


def _thousands(ax: Axes, axis: str = "y") -> None:
    """Write the tick labels of ``axis`` with thousands separators (132,000)."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _pos: f"{value:,.10g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


# -- publishing: layout done at draw time -----------------------------------------------------
# Text that must not collide (labels on the data, a legend below the axes, a note and source
# line under everything, a wrapped title) is positioned when the figure is drawn, from the
# renderer's own measurements: what the reader sees is what was checked, at any size or dpi.

#: Width [inches] and dpi of the presets of :func:`save_figure`: ``"web"`` is 800 CSS pixels
#: drawn at twice that (1,600 px); ``"print"`` is 180 mm (a two-column journal page) at 300 dpi.
PRESETS: dict[str, tuple[float, float]] = {
    "web": (8.0, 200.0),
    "print": (180.0 / 25.4, 300.0),
}

_LAYOUT_GID = "amnesty_model.layout"
_NOTE_GID = "note"
# Points between the bottom of the x axis (tick labels and label) and the legend below it.
_BELOW_PAD = 6.0


def _renderer(fig: Any) -> Any:
    """The figure's renderer, or None for a canvas that has none before drawing."""
    get = getattr(fig.canvas, "get_renderer", None)
    if get is None:
        return None
    return get()


def _text_extent(text: Any, renderer: Any) -> Any:
    """Display bbox of the text alone (without an Annotation's arrow), with its box's pad."""
    from matplotlib.text import Annotation, Text

    if isinstance(text, Annotation):
        text.update_positions(renderer)
    bbox = Text.get_window_extent(text, renderer)
    patch = text.get_bbox_patch()
    if patch is not None:
        pad = 2.0 * renderer.points_to_pixels(1.0)
        bbox = bbox.expanded((bbox.width + 2 * pad) / max(bbox.width, 1e-9), 1.0)
        bbox = type(bbox).from_extents(bbox.x0, bbox.y0 - pad, bbox.x1, bbox.y1 + pad)
    return bbox


def _wrap(text: str, width_px: float, prop: Any, renderer: Any) -> str:
    """``text`` with line breaks so that no line is wider than ``width_px`` (words kept whole)."""
    if width_px <= 0:
        return text
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            w, _, _ = renderer.get_text_width_height_descent(trial, prop, ismath=False)
            if line and w > width_px:
                out.append(line)
                line = word
            else:
                line = trial
        out.append(line)
    return "\n".join(out)


class _Label:
    """A text drawn on the data whose position is picked, at draw time, among candidates."""

    def __init__(
        self,
        text: Any,
        candidates: Sequence[tuple[Any, float, float, str, str]],
        *,
        own: Sequence[Any] = (),
        leader_from: float = 12.0,
        line: Any = None,
        short: str | None = None,
        key: str | None = None,
    ) -> None:
        # Each candidate: (xy in data coordinates or None to keep, dx, dy [points], ha, va).
        # ``line``: the data line whose legend entry takes the text when no place is free.
        self.text = text
        self.candidates = list(candidates)
        self.own = tuple(own)
        self.leader_from = leader_from
        self.line = line
        self.entry: Any = None  # the legend text changed, and its text before
        self.entry_text = ""
        # Where no place is free: ``short`` is drawn instead, and ``key`` (saying what it
        # stands for) goes into the note under the figure.
        self.full = str(text.get_text())
        self.short = short
        self.key = key
        self.keyed = False


def _display_paths(ax: Axes, skip: Sequence[Any]) -> list[tuple[Any, Any]]:
    """(artist, display path) of every data line and line collection of ``ax``."""
    from matplotlib.collections import LineCollection
    from matplotlib.contour import ContourSet

    out: list[tuple[Any, Any]] = []
    for line in ax.get_lines():
        if not line.get_visible() or line in skip:
            continue
        path = line.get_transform().transform_path(line.get_path())
        out.append((line, path))
    for coll in ax.collections:
        if not coll.get_visible() or coll in skip:
            continue
        if (isinstance(coll, ContourSet) and not coll.filled) or isinstance(coll, LineCollection):
            transform = coll.get_transform()
            paths: list[Any] = list(coll.get_paths())
            for j, path in enumerate(paths):
                if np.shape(path.vertices)[0] > 1 and (coll, j) not in skip:
                    out.append((coll, transform.transform_path(path)))
    return out


def _line_hits(bbox: Any, line: Any, path: Any, renderer: Any) -> bool:
    """True when the line (or its markers) of ``path`` touches ``bbox``."""
    from matplotlib.lines import Line2D

    if isinstance(line, Line2D):
        if line.get_marker() not in (None, "None", "none", "", " "):
            half = renderer.points_to_pixels(line.get_markersize()) / 2
            v = path.vertices
            inside = (
                (v[:, 0] >= bbox.x0 - half)
                & (v[:, 0] <= bbox.x1 + half)
                & (v[:, 1] >= bbox.y0 - half)
                & (v[:, 1] <= bbox.y1 + half)
            )
            if inside.any():
                return True
        if line.get_linestyle() in ("None", "none", "", " ") or len(path.vertices) < 2:
            return False
    return bool(path.intersects_bbox(bbox, filled=False))


class _Layout:
    """Draw-time layout of one Axes (or Figure): labels, legend, title, note and source.

    Attached as an invisible artist drawn first, so that everything it moves is drawn (and
    measured by ``bbox_inches="tight"``) where it finally stands.
    """

    def __init__(self) -> None:
        self.labels: list[_Label] = []
        self.legend_below: Any = None
        self.title: Any = None
        self.title_text = ""
        self.note: Any = None
        self.note_text = ""
        self.below_axes: list[Any] = []  # for a figure: the axes the legend goes under

    # The part of the axes' bottom edge, tick labels and x label included.
    def bottom(self, renderer: Any, axes: Sequence[Any]) -> tuple[float, float, float]:
        x0 = min(a.get_window_extent(renderer).x0 for a in axes)
        x1 = max(a.get_window_extent(renderer).x1 for a in axes)
        y = math.inf
        for a in axes:
            y = min(y, a.get_window_extent(renderer).y0)
            box = a.xaxis.get_tightbbox(renderer)
            if box is not None and box.height > 0:
                y = min(y, box.y0)
        return x0, x1, y

    def run(self, renderer: Any, ax: Any, fig: Any) -> None:
        from matplotlib.transforms import IdentityTransform

        for a in [ax] if ax is not None else self.below_axes:
            _tidy_xaxis(a, renderer)
        axes = self.below_axes or [ax]
        x0, x1, y = self.bottom(renderer, axes)
        width = x1 - x0
        if self.title is not None:
            self.title.set_text(
                _wrap(self.title_text, width, self.title.get_fontproperties(), renderer)
            )
        if self.legend_below is not None and self.legend_below.get_visible():
            pad = renderer.points_to_pixels(_BELOW_PAD)
            self.legend_below.set_bbox_to_anchor(
                ((x0 + x1) / 2, y - pad), transform=IdentityTransform()
            )
        if self.labels and ax is not None:
            _place(ax, self.labels, renderer)
        if self.note is not None:
            keys = "; ".join(
                dict.fromkeys(label.key for label in self.labels if label.keyed and label.key)
            )
            text = "\n".join(part for part in (keys, self.note_text) if part)
            self.note.set_text(_wrap(text, width, self.note.get_fontproperties(), renderer))

    def note_anchor(self, renderer: Any) -> Any:
        """Display bbox whose lower-left corner the note and source line hang from."""
        from matplotlib.transforms import Bbox

        axes = self.below_axes or []
        ax = self.note.axes
        x0, x1, y = self.bottom(renderer, axes or [ax])
        legend = self.legend_below
        if legend is not None and legend.get_visible():
            y = min(y, legend.get_window_extent(renderer).y0)
        return Bbox.from_extents(x0, y, x1, y + 1.0)


@functools.cache
def _runner_class() -> Any:
    """The Artist class that runs a :class:`_Layout` when drawn (matplotlib imported lazily)."""
    from matplotlib.artist import Artist
    from matplotlib.transforms import Bbox

    class _Runner(Artist):  # drawn first (lowest zorder), invisible, outside the layout
        def __init__(self, layout: _Layout) -> None:
            super().__init__()
            self.layout = layout
            self.set_gid(_LAYOUT_GID)
            self.set_zorder(-1e9)
            self.set_in_layout(False)

        def draw(self, renderer: Any) -> None:
            if self.axes is not None:
                self.layout.run(renderer, self.axes, self.axes.figure)
            else:
                self.layout.run(renderer, None, self.figure)

        def get_window_extent(self, renderer: Any = None) -> Any:
            return Bbox.null()

    return _Runner


def _tidy_xaxis(ax: Axes, renderer: Any) -> None:
    """Tick labels that do not touch, and an x label wrapped to the axes' width."""
    _thin_xticks(ax, renderer)
    label = ax.xaxis.label
    if label.get_text():
        raw = label.get_text().replace("\n", " ")
        width = ax.get_window_extent(renderer).width
        label.set_text(_wrap(raw, width, label.get_fontproperties(), renderer))


def _thin_xticks(ax: Axes, renderer: Any) -> None:
    """Fewer x ticks until their labels no longer touch (e.g. dates on a narrow figure)."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import MaxNLocator

    locator = ax.xaxis.get_major_locator()
    for _ in range(8):
        ax.xaxis.get_tightbbox(renderer)  # brings the ticks up to date
        lo, hi = ax.get_window_extent(renderer).intervalx
        boxes = sorted(
            (
                t.get_window_extent(renderer)
                for t in ax.xaxis.get_majorticklabels()
                if t.get_visible() and t.get_text()
            ),
            key=lambda b: b.x0,
        )
        boxes = [b for b in boxes if lo - 1 <= (b.x0 + b.x1) / 2 <= hi + 1]
        gap = renderer.points_to_pixels(4.0)
        if all(b.x0 - a.x1 >= gap for a, b in itertools.pairwise(boxes)):
            return
        count = max(2, (2 * len(boxes)) // 3)
        if isinstance(locator, mdates.AutoDateLocator):
            locator.maxticks = dict.fromkeys(locator.maxticks, count)
            locator.minticks = min(locator.minticks, max(2, count - 2))
        elif isinstance(locator, MaxNLocator):
            locator.set_params(nbins=count)
        else:
            return


def _layout_artist(owner: Any) -> _Layout:
    """The :class:`_Layout` of an Axes or Figure, created (and attached) on first use."""
    for artist in owner.artists if hasattr(owner, "artists") else []:
        if artist.get_gid() == _LAYOUT_GID:
            found: _Layout = artist.layout
            return found

    layout = _Layout()
    owner.add_artist(_runner_class()(layout))
    return layout


def _place(ax: Axes, labels: Sequence[_Label], renderer: Any) -> None:
    """Put each label at its first candidate that touches no text, line, marker or edge.

    Greedy, in order: earlier labels are obstacles for later ones. A candidate that collides
    everywhere falls back to the one with the fewest collisions (texts weigh most).
    """
    from matplotlib.text import Text

    area = ax.get_window_extent(renderer)
    managed = {id(label.text) for label in labels}
    fixed = []
    for text in [*ax.texts, *ax.artists]:
        is_text = isinstance(text, Text) and text.get_visible() and bool(text.get_text())
        if is_text and id(text) not in managed:
            fixed.append(_text_extent(text, renderer))
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():
        box = legend.get_window_extent(renderer)
        if box.overlaps(area):
            fixed.append(box)
    placed: list[Any] = []
    for label in labels:
        label.text.set_visible(True)
        label.text.set_text(label.full)
        label.keyed = False
        if label.entry is not None:
            label.entry.set_text(label.entry_text)
            label.entry = None
    for label in labels:
        text = label.text
        paths = _display_paths(ax, label.own)
        best = _best_spot(label, area, [*fixed, *placed], paths, renderer)
        if best[0] >= 10 and label.short is not None and _legend_entry(ax, label.line) is None:
            text.set_text(label.short)
            label.keyed = label.key is not None
            best = _best_spot(label, area, [*fixed, *placed], paths, renderer)
        entry = _legend_entry(ax, label.line) if best[0] >= 10 else None
        if entry is not None:
            # Nowhere free (a crowded or small figure): say it in the line's legend entry.
            label.entry, label.entry_text = entry, entry.get_text()
            entry.set_text(f"{label.entry_text}: {' '.join(text.get_text().split())}")
            text.set_visible(False)
            continue
        xy, dx, dy, ha, va = label.candidates[best[1]]
        if xy is not None:
            text.xy = xy
        text.xyann = (dx, dy)
        text.set_ha(ha)
        text.set_va(va)
        if text.arrow_patch is not None:
            text.arrow_patch.set_visible(math.hypot(dx, dy) > label.leader_from)
        placed.append(_text_extent(text, renderer))


def _best_spot(
    label: _Label, area: Any, boxes: Sequence[Any], paths: Sequence[Any], renderer: Any
) -> tuple[float, int]:
    """(score, index) of the label's first candidate with score 0, else of the lowest."""
    text = label.text
    best: tuple[float, int] | None = None
    for k, (xy, dx, dy, ha, va) in enumerate(label.candidates):
        if xy is not None:
            text.xy = xy
        text.xyann = (dx, dy)
        text.set_ha(ha)
        text.set_va(va)
        box = _text_extent(text, renderer)
        score = 0.0
        if not (
            box.x0 >= area.x0 - 1
            and box.x1 <= area.x1 + 1
            and box.y0 >= area.y0 - 1
            and box.y1 <= area.y1 + 1
        ):
            score += 50.0
        score += 100.0 * sum(box.overlaps(other) for other in boxes)
        score += 10.0 * sum(_line_hits(box, a, p, renderer) for a, p in paths)
        if best is None or score < best[0]:
            best = (score, k)
        if score == 0:
            break
    assert best is not None
    return best


def _legend_entry(ax: Axes, line: Any) -> Any:
    """The legend text (of ``ax`` or of its figure's shared legend) naming ``line``."""
    if line is None:
        return None
    legends = [ax.get_legend(), *ax.figure.legends]
    for legend in legends:
        if legend is None:
            continue
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=False):
            shown = " ".join(text.get_text().split())
            name = " ".join(str(line.get_label()).split())
            if handle is not None and (shown == name or shown.startswith(name + ":")):
                return text
    return None


def _check_text(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string or None, got {describe(value)}")
    return value or None


def _publish(
    ax: Axes,
    *,
    title: str | None = None,
    source: str | None = None,
    note: str | None = None,
) -> None:
    """Add a wrapped title above ``ax`` and the note and source line under everything."""
    title = _check_text(title, "title")
    source = _check_text(source, "source")
    note = _check_text(note, "note")
    layout = _layout_artist(ax)
    if title is not None:
        ax.set_title(title)
        layout.title = ax.title
        layout.title_text = title
    _add_note(ax, layout, note, source)


def _note_text(note: str | None, source: str | None) -> str:
    parts = []
    if note:
        parts.append(note if note.lower().startswith("note") else f"Note: {note}")
    if source:
        parts.append(source if source.lower().startswith("source") else f"Source: {source}")
    return "\n".join(parts)


def _add_note(owner: Any, layout: _Layout, note: str | None, source: str | None) -> None:
    """The note and source line under ``owner`` (an Axes, or a Figure of small multiples)."""
    from matplotlib.text import Annotation

    text = _note_text(note, source)
    if layout.note is not None:
        layout.note.remove()
    options: dict[str, Any] = {
        "xy": (0.0, 0.0),
        "xycoords": layout.note_anchor,
        "xytext": (0.0, -_BELOW_PAD),
        "textcoords": "offset points",
        "ha": "left",
        "va": "top",
        "fontsize": 8.0,
        "color": "0.25",
        "annotation_clip": False,
    }
    if hasattr(owner, "annotate"):
        annotation = owner.annotate(text, **options)
    else:
        annotation = Annotation(text, **options)
        owner.add_artist(annotation)
    annotation.set_gid(_NOTE_GID)
    layout.note = annotation
    layout.note_text = text


def add_legend(
    ax: Axes,
    handles: Sequence[Any] | None = None,
    labels: Sequence[str] | None = None,
    *,
    title: str | None = None,
    ncols: int | None = None,
) -> Any:
    """Put the legend of ``ax`` below it, in as many columns as fit the axes' width.

    The legend hangs under the x axis (tick labels and label included), centred on the axes,
    wherever they end up when the figure is drawn; a note or source line (``note=``,
    ``source=`` of the plot functions) goes under it. Use it for lines you add to a figure of
    this module, so that the legend stays clear of the data.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The Axes whose legend to draw.
    handles, labels : sequence, optional
        As in :meth:`matplotlib.axes.Axes.legend`; by default every labelled artist of ``ax``.
    title : str or None, default None
        Legend title (e.g. the scenario the entries belong to).
    ncols : int or None, default None
        Columns; by default as many as fit the width of ``ax`` (at most 3).

    Returns
    -------
    matplotlib.legend.Legend

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from amnesty_model.plot import add_legend
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1], label="one"); _ = ax.plot([0, 1], [1, 0], label="two")
    >>> add_legend(ax).get_texts()[1].get_text()
    'two'
    >>> plt.close(fig)
    """
    _require_matplotlib()
    if handles is None or labels is None:
        found_handles, found_labels = ax.get_legend_handles_labels()
        handles = found_handles if handles is None else handles
        labels = found_labels if labels is None else labels
    handles, labels = list(handles), list(labels)
    legend = _fit_legend(ax, ax, handles, labels, title=title, ncols=ncols)
    _layout_artist(ax).legend_below = legend
    return legend


def _fit_legend(
    owner: Any,
    ax: Any,
    handles: list[Any],
    labels: list[str],
    *,
    title: str | None,
    ncols: int | None,
    width: float | None = None,
) -> Any:
    """A legend under ``ax`` with the most columns (<= 3) that fit ``width`` (default: ax's)."""
    options: dict[str, Any] = {
        "loc": "upper center",
        "bbox_to_anchor": (0.5, -0.14),
        "title": title,
        "handlelength": 2.6,
        "handleheight": 1.3,
        "frameon": False,
        "fontsize": 9.0,
        "title_fontsize": 9.0,
    }
    if not handles:
        return None
    with style():
        if ncols is not None:
            ncols = check_positive_int(ncols, "ncols")
            return owner.legend(handles, labels, ncols=ncols, **options)
        renderer = _renderer(ax.figure)
        if width is None:
            width = ax.get_window_extent(renderer).width if renderer is not None else math.inf
        legend: Any = None
        for n in range(min(3, len(handles)), 0, -1):
            if legend is not None:
                legend.remove()
            legend = owner.legend(handles, labels, ncols=n, **options)
            if renderer is None or legend.get_window_extent(renderer).width <= width:
                break
        if renderer is not None and legend.get_window_extent(renderer).width > width:
            # One column is still too wide: wrap the longest labels.
            legend.remove()
            chars = max(
                12,
                int(len(max(labels, key=len)) * width / legend.get_window_extent(renderer).width)
                - 4,
            )
            import textwrap

            labels = [textwrap.fill(text, chars) for text in labels]
            legend = owner.legend(handles, labels, ncols=1, **options)
        return legend


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
    title: str | None = None,
    source: str | None = None,
    note: str | None = None,
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
        Mark and label the clear time (or "never clears") of each projection. Labels are
        horizontal and placed, when the figure is drawn, where they touch no other text,
        line or marker (with a thin leader line when moved away from their marker).
    title : str or None, default None
        Title above the axes, wrapped to their width.
    source, note : str or None, default None
        A source line and a note under the figure (under the legend); "Source: " and
        "Note: " are added when missing.
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

    Decrees are drawn as exact steps, at their dates:

    >>> p = am.Scenario(3, am.Decrees(1)).project(horizon=3.5)
    >>> line = plot_projection(p).get_lines()[0]
    >>> [(round(float(t), 6), float(h)) for t, h in zip(line.get_xdata(), line.get_ydata())
    ...  if 0.9995 < t < 1.0005]
    [(0.999996, 3.0), (1.0, 2.0)]
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
        labels: list[_Label] = []
        for i, p in enumerate(items):
            times, held, teeth = _exact_path(p)
            start = p.scenario.start
            x = _as_dates(start, times) if use_dates and start is not None else times
            color = PALETTE[i % 6]
            line_kwargs: dict[str, Any] = {
                "color": color,
                "linestyle": LINESTYLES[i % len(LINESTYLES)],
                "label": p.scenario.name or f"scenario {i + 1}",
            }
            if teeth > 12:
                # Dashes on many small teeth merge into blobs: a solid line, told apart by
                # markers spaced evenly in time (and a thinner line, so the teeth show).
                marks = np.searchsorted(
                    times, np.linspace(times[0], times[-1], 9)[1:-1] + 0.01 * i * times[-1]
                )
                line_kwargs.update(
                    linestyle="-",
                    linewidth=1.1,
                    marker=_MARKERS[i % len(_MARKERS)],
                    markevery=sorted({int(k) for k in marks if k < times.size}),
                    markersize=5,
                    markerfacecolor="white",
                )
            line_kwargs.update(kwargs)
            named = named or bool(p.scenario.name) or "label" in kwargs
            (line,) = ax.plot(x, held, **line_kwargs)
            line.set_gid("held")
            if annotate:
                labels.append(_annotate_end(ax, p, i, use_dates, line))
        top = max(float(np.max(p.path.held)) for p in items)
        ax.set_ylim(0, top * 1.25 if top > 0 else 1.0)
        _layout_artist(ax).labels.extend(labels)
        ax.set_ylabel("people held")
        ax.set_xlabel(
            "date (calendar year)" if use_dates else "years from start (years of 365.25 days)"
        )
        _thousands(ax)
        if use_dates:
            _date_axis(ax)
        if named or len(items) > 1:
            # Below the axes: inside, it would cover the lines or their labels.
            add_legend(ax)
        _publish(ax, title=title, source=source, note=note)
    return ax


def _exact_path(p: Projection) -> tuple[Any, Any, int]:
    """Times and held of ``p``, with each decree drawn at its date from both sides.

    Returns ``(times, held, teeth)``, ``teeth`` the number of decrees drawn. The projection's
    grid samples a sawtooth at arbitrary phases (aliasing it); here the exact solution is
    evaluated just before each decree and at it (after the release) as well.
    """
    from .engine import solve_exact
    from .rules import Decrees

    times, held = p.path.times, p.path.held
    rule = p.scenario.release_rate
    if not isinstance(rule, Decrees) or p.path.method != "exact stepping" or times.size < 2:
        return times, held, 0
    end = float(times[-1])
    pulses = rule.times(end)
    pulses = pulses[pulses > 0]
    clear = p.clear_time
    if math.isfinite(clear):
        pulses = pulses[pulses <= clear]
    if pulses.size == 0 or pulses.size > 20_000:
        return times, held, 0
    eps = end * 1e-6
    grid = np.union1d(times, np.concatenate([pulses - eps, pulses]))
    grid = grid[(grid >= 0) & (grid <= end)]
    return grid, solve_exact(p.scenario, grid).held, int(pulses.size)


def _date_axis(ax: Axes) -> None:
    """Concise dates on the x axis, without the offset label (e.g. "2022-Aug") at its end."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
    formatter = mdates.ConciseDateFormatter(  # type: ignore[no-untyped-call]
        locator, offset_formats=["", "", "", "", "", ""]
    )
    formatter.zero_formats = ["", "%Y", "%b", "%d %b", "%H:%M", "%H:%M"]
    formatter.formats = ["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S.%f"]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)


def _annotate_end(ax: Axes, p: Projection, i: int, use_dates: bool, line: Any) -> _Label:
    """Mark the clear time of ``p``, or show that it never clears within the plot."""
    color = line.get_color()
    times, held = p.path.times, p.path.held
    start = p.scenario.start

    def xval(t: float) -> Any:
        return _as_dates(start, t) if use_dates and start is not None else t

    leader = {"arrowstyle": "-", "color": color, "linewidth": 0.7, "shrinkA": 0, "shrinkB": 2}
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
        # Horizontal text over the marker, raised (with a leader line) or moved aside until
        # it touches no other text or line: placed when the figure is drawn.
        label = ax.annotate(
            _clear_text(p),
            xy=(xval(clear), y),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8.5,
            color=color,
            bbox=_TEXT_BOX,
            arrowprops=leader,
            zorder=6,
        )
        label.set_gid("clear")
        candidates = [
            (None, dx, dy, ha, "bottom")
            for dy in (7, 18, 30, 44, 60, 78, 98, 120, 145, 172)
            for dx, ha in (
                (0, "center"),
                (-4, "right"),
                (4, "left"),
                (-40, "right"),
                (40, "left"),
                (-90, "right"),
                (90, "left"),
            )
        ]
        return _Label(label, candidates, own=(marker,), leader_from=10.0, line=line)
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
    import textwrap

    text = textwrap.fill(text, 34)
    # Above the end of the line, to its left (a rising line stays below the text), or below
    # it, or further along the line: placed when the figure is drawn.
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
        arrowprops=leader,
        zorder=6,
    )
    label.set_gid("never")
    candidates = [(None, -6, dy, "right", "bottom") for dy in (6, 16, 28, 42)]
    candidates += [(None, -6, -dy, "right", "top") for dy in (6, 16, 28, 42)]
    candidates += [
        (None, -dx, dy, "right", va)
        for dx in (40, 80, 120)
        for dy, va in ((10, "bottom"), (-10, "top"), (30, "bottom"), (-30, "top"))
    ]
    return _Label(label, candidates, own=(arrow,), leader_from=10.0, line=line)


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


def _band_label(covers: str, q_low: float, q_high: float) -> str:
    """'90 % of simulated paths (chance): 5th–95th percentile', or ``covers`` formatted."""
    span = f"{_ordinal(q_low)}–{_ordinal(q_high)} percentile"
    percent = _percent(q_high - q_low)
    if "{" in covers:
        return covers.format(percent=percent, low=_ordinal(q_low), high=_ordinal(q_high))
    return f"{percent} % of {covers}: {span}"


def plot_bands(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    color: str = PALETTE[1],
    ylabel: str = "people held",
    label: str | None = None,
    covers: str | None = None,
    title: str | None = None,
    source: str | None = None,
    note: str | None = None,
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
        Name of the quantity (e.g. a scenario's name): the legend's title, said once.
    covers : str or None, default None
        What the bands are bands of, for their legend entries ("90 % of <covers>:
        5th–95th percentile"); with ``{percent}``, ``{low}`` and ``{high}`` in it, the
        whole entry (e.g. ``"{percent} % interval of the rate"``). Default:
        ``"simulated paths (chance)"`` for the layout of
        :meth:`Simulation.quantile_bands <amnesty_model.Simulation.quantile_bands>` (columns
        named ``q0.05``, ...), else ``"the distribution"``.
    title : str or None, default None
        Title above the axes, wrapped to their width.
    source, note : str or None, default None
        A source line and a note under the legend.

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
    >>> [t.get_text() for t in ax.get_legend().get_texts()]  # doctest: +NORMALIZE_WHITESPACE
    ['90 % of simulated paths (chance): 5th–95th percentile',
     '50 % of simulated paths (chance): 25th–75th percentile', 'median']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    _require_matplotlib()
    columns = _quantile_columns(frame)
    years = np.asarray(frame.index, dtype=np.float64)
    n_bands = len(columns) // 2
    if covers is None:
        simulated = any(isinstance(c, str) and c.startswith("q") for _, c in columns)
        covers = "simulated paths (chance)" if simulated else "the distribution"
    elif not isinstance(covers, str):
        raise TypeError(f"covers must be a string or None, got {describe(covers)}")
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
                label=_band_label(covers, q_low, q_high),
            )
        if len(columns) % 2:
            q_mid, c_mid = columns[n_bands]
            name = "median" if q_mid == 0.5 else f"{_percent(q_mid)}th percentile"
            ax.plot(years, np.asarray(frame[c_mid], dtype=np.float64), color=color, label=name)
        ax.set_xlabel("years from start (years of 365.25 days)")
        ax.set_ylabel(ylabel)
        _thousands(ax)
        add_legend(ax, title=label or None)
        _publish(ax, title=title, source=source, note=note)
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
    title: str | None = None,
    source: str | None = None,
    note: str | None = None,
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
    title : str or None, default None
        Title above the axes, wrapped to their width.
    source, note : str or None, default None
        A source line and a note under the figure.

    Notes
    -----
    Contour and point labels are placed when the figure is drawn, where they touch no other
    text, line or marker: on their line, or beside it with a thin leader line when the lines
    run close together.

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
    labels: list[_Label] = []
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
                # μ = 0): its label goes on it at some height, or beside it with a leader.
                drawn = [i for i, path in enumerate(contours.get_paths()) if len(path) > 1]
                for i in drawn:
                    level = shown[i]
                    c = (
                        stock / level
                        if death_rate == 0
                        else stock * death_rate / math.expm1(death_rate * level)
                    )
                    a_lo = max(a_axis[0], r_axis[0] - c)
                    a_hi = min(a_axis[-1], r_axis[-1] - c)
                    if not a_hi > a_lo:
                        continue
                    spots = [
                        (a_lo + f * (a_hi - a_lo) + c, a_lo + f * (a_hi - a_lo))
                        for f in (0.6, 0.45, 0.75, 0.3, 0.88, 0.15)
                    ]
                    text = ax.annotate(
                        f"{level:,.0f} years",
                        xy=spots[0],
                        xytext=(0, 0),
                        textcoords="offset points",
                        ha="center",
                        va="center",
                        fontsize=8,
                        bbox=_TEXT_BOX,
                        arrowprops={"arrowstyle": "-", "linewidth": 0.6, "shrinkA": 0},
                        zorder=6,
                        gid="contour",
                    )
                    candidates = [(xy, 0.0, 0.0, "center", "center") for xy in spots]
                    candidates += [
                        (xy, dx, dy, "left", "center")
                        for dx in (14, 30, 50, 75)
                        for xy in spots
                        for dy in (0, -14)
                    ]
                    labels.append(
                        _Label(
                            text,
                            candidates,
                            own=((contours, i),),
                            leader_from=1.0,
                            short=f"{level:,.0f}",
                            key="numbers on the contour lines: years",
                        )
                    )
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
            label="never clears\n(arrests ≥ releases)",
        )
        ax.plot(x, x, color=_GREY_EDGE, linewidth=0.8, linestyle="--", gid="boundary")
        ax.set_xlim(r_axis[0], r_axis[-1])
        ax.set_ylim(a_axis[0], a_axis[-1])
        if points:
            labels = _mark_points(ax, points) + labels
        ax.set_xlabel("releases (people per year)")
        ax.set_ylabel("new arrests (people per year)")
        _thousands(ax, "x")
        _thousands(ax, "y")
        ax.grid(False)
        ax.legend(loc="upper left", frameon=True, framealpha=0.9)
        _layout_artist(ax).labels.extend(labels)
        _publish(ax, title=title, source=source, note=note)
    return ax


_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")


def _mark_points(ax: Axes, points: Mapping[str, tuple[float, float]]) -> list[_Label]:
    if not isinstance(points, Mapping):
        raise TypeError(
            f"points must be a mapping of label -> (release, arrest), got {describe(points)}"
        )
    labels = []
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
        text = ax.annotate(
            str(name),
            xy=(release, arrest),
            xytext=(7, 7),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=8.5,
            bbox=_TEXT_BOX,
            arrowprops={"arrowstyle": "-", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 4},
            zorder=6,
            annotation_clip=False,
        )
        text.set_gid("point")
        # Beside the marker, then further out in eight directions (with a leader line).
        candidates = []
        for d in (7, 20, 36, 56):
            for dx, dy, ha, va in (
                (d, d, "left", "bottom"),
                (-d, d, "right", "bottom"),
                (d, -d, "left", "top"),
                (-d, -d, "right", "top"),
                (0, d + 3, "center", "bottom"),
                (d + 3, 0, "left", "center"),
                (-d - 3, 0, "right", "center"),
                (0, -d - 3, "center", "top"),
            ):
                candidates.append((None, float(dx), float(dy), ha, va))
        # Far out in the free space, with a longer leader line.
        for dx in (90, 140, 200, -90, -140):
            for dy in (0, 24, 48, 72, -24):
                candidates.append(
                    (None, float(dx), float(dy), "left" if dx > 0 else "right", "center")
                )
        labels.append(
            _Label(
                text,
                candidates,
                own=(marker,),
                leader_from=12.0,
                short=str(i + 1),
                key=f"{i + 1}: {name}",
            )
        )
    return labels


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
    title: str | None = None,
    source: str | None = None,
    note: str | None = None,
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
    title : str or None, default None
        Title above the axes, wrapped to their width.
    source, note : str or None, default None
        A source line and a note under the legend. For the table of
        :func:`~amnesty_model.tornado`, the base line says that it is the answer with every
        input at its median (which can differ from a headline computed otherwise).

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
    base_text = "base"
    if isinstance(table, pd.DataFrame):
        if "base_years" in table.attrs:
            base_text = "base (every input at its median)"
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
            color=PALETTE[1],
            edgecolor="0.85",
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
                f"{base_text}: {format_number(float(value))}",
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
        # A free row above the widest bar for the base label.
        ax.set_ylim(-0.6, len(order) - 0.4 + 0.55)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
        _thousands(ax, "x")
        ax.margins(x=0.12)
        add_legend(ax)
        _publish(ax, title=title, source=source, note=note)
    return ax


# -- cohort fate ------------------------------------------------------------------------------
# Colours far apart in grey too (luminance about 157, 119 and 224 of 255), and hatches.
_FATE_COLUMNS = (
    ("released", "released_alive", "released alive", PALETTE[6], ""),
    ("died", "died_in_custody", "died in custody", PALETTE[2], "xx"),
    ("held", "still_held", "still held", "0.88", ".."),
)
# The layout of CohortProjection.frame (whose "held" counts newcomers too).
_COHORT_COLUMNS = ("cohort_released", "cohort_died", "cohort_held")


def plot_cohort_fate(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    ylabel: str = "people of the initial cohort",
    title: str | None = None,
    source: str | None = None,
    note: str | None = None,
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
    title : str or None, default None
        Title above the axes, wrapped to their width.
    source, note : str or None, default None
        A source line and a note under the legend.

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
        add_legend(ax, handles[::-1], labels[::-1])
        _publish(ax, title=title, source=source, note=note)
    return ax


# -- rate fits --------------------------------------------------------------------------------
def plot_fit(
    fit: RateFit,
    ax: Axes | None = None,
    *,
    band: bool = True,
    band_points: int = 12,
    title: str | None = None,
    source: str | None = None,
    note: str | None = None,
    **kwargs: Any,
) -> Axes:
    r"""Plot reported cumulative counts, the fitted curve and its pointwise band.

    The fitted curve is the expected cumulative count :math:`\Lambda(t)` of the fit (the
    fitted mean); the band, the interval of :math:`\Lambda(t)` from the uncertainty of the
    fitted parameters (profile-likelihood or exact intervals, at the fit's confidence),
    computed at ``band_points`` dates (spaced as :math:`(k/n)^2` of the span, so denser at
    the start where a burst changes fastest). Between them the band follows the fitted curve:
    the ratios of its bounds to :math:`\Lambda(t)` are interpolated (monotone cubic), so the
    band is smooth and exact at the dates computed. It is not a band of the counts: those
    also vary by chance around the mean.

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
        burst-decay fits, about 0.3 s).
    title : str or None, default None
        Title above the axes, wrapped to their width. Default: the series' name.
    source, note : str or None, default None
        A source line and a note under the legend.
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

    series, reported = fit.series, fit.source_series
    start = series.start
    # Matplotlib date numbers are days: fractional days stay exact (a date plus a timedelta
    # would drop them, and draw a fast burst as a staircase).
    day0 = float(num([start])[0])
    end_day = float(max(reported.days.max(), series.days.max()))
    days = np.linspace(0.0, end_day, 400)
    with style():
        ax = _new_axes(ax)
        line_kwargs: dict[str, Any] = {"color": PALETTE[1], "label": f"fitted mean: {fit.model}"}
        line_kwargs.update(kwargs)
        (line,) = ax.plot(day0 + days, fit.cumulative(days / DAYS_PER_YEAR), **line_kwargs)
        if band:
            from scipy.interpolate import PchipInterpolator

            # Denser at the start, where a burst changes fastest.
            band_days = end_day * (np.arange(1, band_points + 1) / band_points) ** 2
            mean = np.asarray(fit.cumulative(band_days / DAYS_PER_YEAR), dtype=np.float64)
            lows, highs = [], []
            for d in band_days:
                rate = fit.rate_during(0.0, d / DAYS_PER_YEAR)
                lows.append(rate.low * d / DAYS_PER_YEAR)
                highs.append(rate.high * d / DAYS_PER_YEAR)
            # Smooth between the dates computed: the bounds' ratios to the fitted mean vary
            # slowly, the mean itself is known everywhere.
            dense = np.union1d(days[days > 0], band_days)
            dense_mean = np.asarray(fit.cumulative(dense / DAYS_PER_YEAR), dtype=np.float64)
            safe = np.where(mean > 0, mean, 1.0)
            if band_points >= 3:
                ratio_low = PchipInterpolator(band_days, np.asarray(lows) / safe, extrapolate=True)
                ratio_high = PchipInterpolator(
                    band_days, np.asarray(highs) / safe, extrapolate=True
                )
                low_ratio = ratio_low(np.clip(dense, band_days[0], None))
                high_ratio = ratio_high(np.clip(dense, band_days[0], None))
            else:
                low_ratio = np.interp(dense, band_days, np.asarray(lows) / safe)
                high_ratio = np.interp(dense, band_days, np.asarray(highs) / safe)
            ax.fill_between(
                day0 + np.concatenate([[0.0], dense]),
                np.concatenate([[0.0], low_ratio * dense_mean]),
                np.concatenate([[0.0], high_ratio * dense_mean]),
                color=line.get_color(),
                alpha=0.2,
                linewidth=0,
                label=f"{fit.confidence:.0%} band of the fitted mean (parameter uncertainty)",
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
        for i in range(len(reported)):
            if not reported.uncertain[i] or placed:
                continue
            low, high, mid = reported.date_low[i], reported.date_high[i], reported.dates[i]
            ax.errorbar(
                num([mid]),
                [reported.counts[i]],
                xerr=[[(mid - low).days], [(high - mid).days]],
                fmt="o",
                mfc="white",
                color="0.45",
                capsize=3,
                label="reported, date uncertain (not fitted)",
            )
        _date_axis(ax)
        first = min(start, *reported.dates).year
        last = max(*series.dates, *reported.dates).year
        ax.set_xlabel(f"date ({first})" if first == last else f"date ({first}–{last})")
        ax.set_ylabel(f"people {series.what}, cumulative since {start.isoformat()}")
        ax.set_ylim(bottom=0)
        _thousands(ax)
        add_legend(ax)
        if title is None:
            title = series.name or f"{series.what} over time"
        _publish(ax, title=title, source=source, note=note)
    return ax
