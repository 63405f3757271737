"""Figures as an editor sees them: measured on the rendered image, not read from the code.

Every check draws the figure (``fig.canvas.draw()``) and asks the renderer where things are:
text boxes from ``get_window_extent(renderer)``, data lines as their paths in display
coordinates, and, for greyscale, the Agg pixel buffer converted to luminance
(ITU-R BT.601: Y = 0.299 R + 0.587 G + 0.114 B). The figures are the gallery's
(``docs/make_figures.py``), at the default size and at half width, plus crowded cases.
Rendering is at a modest dpi (72) to keep the tests fast.
"""

from __future__ import annotations

import datetime as dt
import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import LineCollection
from matplotlib.contour import ContourSet
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text

import amnesty_model as am
from amnesty_model import plot
from amnesty_model.datasets import load_decree7_releases

DPI = 72
START = "2022-05-26"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# -- measuring the rendered figure (independent of plot.py's own placement code) -------------
def _box(text, renderer):
    if isinstance(text, Annotation):
        text.update_positions(renderer)
    return Text.get_window_extent(text, renderer)


def _overlap(a, b, slack=0.5):
    """True when boxes a and b overlap by more than ``slack`` pixels both ways."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > slack and min(a.y1, b.y1) - max(a.y0, b.y0) > slack


def _segments_hit(box, xy):
    """True when a polyline (display coordinates, NaN-separated) crosses or enters ``box``."""
    xy = np.asarray(xy, dtype=float)
    if len(xy) < 2:
        return False
    # Sample each segment densely (1 px): independent of matplotlib's intersects_bbox.
    a, b = xy[:-1], xy[1:]
    ok = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
    a, b = a[ok], b[ok]
    if not len(a):
        return False
    # Quick reject: segments whose bounding box misses the text box.
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    near = (
        (hi[:, 0] >= box.x0) & (lo[:, 0] <= box.x1) & (hi[:, 1] >= box.y0) & (lo[:, 1] <= box.y1)
    )
    for p, q in zip(a[near], b[near], strict=True):
        n = int(np.ceil(np.hypot(*(q - p)))) + 2
        t = np.linspace(0.0, 1.0, n)[:, None]
        pts = p + t * (q - p)
        inside = (
            (pts[:, 0] > box.x0 + 0.5)
            & (pts[:, 0] < box.x1 - 0.5)
            & (pts[:, 1] > box.y0 + 0.5)
            & (pts[:, 1] < box.y1 - 0.5)
        )
        if inside.any():
            return True
    return False


def _data_lines(ax):
    """(artist, display polyline) for every drawn data line, marker run and contour of ax."""
    out = []
    for line in ax.get_lines():
        if not line.get_visible():
            continue
        xy = line.get_transform().transform(line.get_xydata())
        if line.get_linestyle() not in ("None", "none", "", " ") and len(xy) > 1:
            out.append((line, xy))
        if line.get_marker() not in ("None", "none", "", " ", None):
            every = line.get_markevery()
            pts = xy if every is None else xy[np.asarray(every, dtype=int)]
            for p in pts:  # a marker: a small square around its centre
                h = line.get_markersize() * DPI / 72 / 2
                out.append(
                    (
                        line,
                        np.array(
                            [p - h, p + np.array([h, -h]), p + h, p + np.array([-h, h]), p - h]
                        ),
                    )
                )
    for coll in ax.collections:
        if isinstance(coll, ContourSet | LineCollection) and coll.get_visible():
            for path in coll.get_paths():
                if len(path.vertices) > 1:
                    xy = coll.get_transform().transform(path.vertices)
                    out.append((coll, xy))
    return out


def _tick_labels(ax):
    """The tick labels drawn: visible, with text, at a tick inside the view."""
    labels = []
    for axis in (ax.xaxis, ax.yaxis):
        lo, hi = sorted(axis.get_view_interval())
        span = (hi - lo) * 1e-9
        for t, loc in zip(axis.get_majorticklabels(), axis.get_majorticklocs(), strict=False):
            if t.get_visible() and t.get_text() and lo - span <= loc <= hi + span:
                labels.append(t)
    return labels


def collisions(fig):
    """Every collision in ``fig`` as text: text on text, text on data lines, ticks on ticks."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    problems = []
    texts = []  # (owner axes or None, text)
    for ax in fig.axes:
        for t in [*ax.texts, ax.title, ax.xaxis.label, ax.yaxis.label]:
            if t.get_visible() and t.get_text():
                texts.append((ax, t))
        legend = ax.get_legend()
        if legend is not None:
            texts.append((ax, legend))
        texts += [(ax, t) for t in _tick_labels(ax)]
    for t in [*fig.texts, *fig.legends, *(a for a in fig.artists if isinstance(a, Text))]:
        if t.get_visible() and (not isinstance(t, Text) or t.get_text()):
            texts.append((None, t))

    def extent(t):
        return t.get_window_extent(renderer) if not isinstance(t, Text) else _box(t, renderer)

    boxes = [(ax, t, extent(t)) for ax, t in texts]
    for (_, t1, b1), (_, t2, b2) in itertools.combinations(boxes, 2):
        if _overlap(b1, b2):
            name1 = t1.get_text() if isinstance(t1, Text) else "legend"
            name2 = t2.get_text() if isinstance(t2, Text) else "legend"
            problems.append(f"text {name1!r} overlaps {name2!r}")
    # Text drawn on the data must not sit on a data line (its own contour excepted).
    for ax in fig.axes:
        lines = _data_lines(ax)
        for t in ax.texts:
            if not t.get_visible() or not t.get_text() or t.get_gid() == "note":
                continue
            box = _box(t, renderer)
            for artist, xy in lines:
                if t.get_gid() == "contour" and isinstance(artist, ContourSet):
                    # A contour label sits on its own line: check only the other levels.
                    level = float(t.get_text().split()[0].replace(",", ""))
                    index = list(artist.levels).index(level)
                    if np.array_equal(
                        xy, artist.get_transform().transform(artist.get_paths()[index].vertices)
                    ):
                        continue
                if _segments_hit(box, xy):
                    problems.append(f"text {t.get_text()!r} on a data line ({artist.get_label()})")
                    break
    return problems


# -- the figures -------------------------------------------------------------------------------
def _projection(ax=None, many=False):
    base = am.Scenario(132_000, 1_000, start=START, name="1,000 released a year, no arrests")
    scenarios = [
        base,
        base.with_(arrest_rate=500, name="arrests go on at 500 a year"),
        base.with_(arrest_rate=1_200, name="arrests at 1,200 a year"),
        base.with_(death_rate=0.02, name="no arrests, 2 % of those held die each year"),
    ]
    if many:  # close clear times
        scenarios += [
            base.with_(release_rate=rate, name=f"{rate:,} released a year")
            for rate in (1_050, 1_100, 1_150, 2_000)
        ]
    return plot.plot_projection(
        [s.project(horizon=300) for s in scenarios],
        ax=ax,
        title="People held, starting from 132,000 on 26 May 2022",
        note="rates held constant",
        source="SNHR, May 2022",
    )


def _decrees(ax=None):
    steady = am.Scenario(20_000, 1_500, arrest_rate=500, start=START, name="steady")
    pulses = steady.with_(release_rate=am.Decrees(1_500), name="a decree each year")
    return plot.plot_projection(
        [steady.project(horizon=25), pulses.project(horizon=25)], ax=ax, source="model"
    )


def _phase(ax=None, stock=132_000):
    points = {
        "report: 1,000 out, none in": (1_000, 0),
        "first 26 days' pace": (7_347, 0),
        "with arrests as to July": (1_000, 690),
        "close to the report": (1_100, 60),
    }
    return plot.plot_phase_diagram(
        np.linspace(0, 8_000, 81),
        np.linspace(0, 4_000, 81),
        stock,
        ax=ax,
        points=points,
        title=f"Years to clear {stock:,}",
        source="SNHR",
    )


def _bands(ax=None):
    sim = am.simulate(am.Scenario(300, 30, arrest_rate=20, name="300 held"), paths=200, seed=1)
    return sim.plot(ax=ax, title="A small centre", source="model", note="chance only")


def _tornado(ax=None):
    table = am.tornado((128_000, 136_000), (6_800, 7_900), (0, 500), death_rate=(0.0, 0.02))
    return plot.plot_tornado(table, ax=ax, title="One input at a time", note="base at medians")


def _cohort(ax=None):
    p = am.cohort(am.Scenario(132_000, 1_000, death_rate=0.02), "fifo", horizon=80.0)
    return plot.plot_cohort_fate(p.frame, ax=ax, title="Those held today", source="model")


@pytest.fixture(scope="module")
def constant_fit():
    return am.fit_constant(load_decree7_releases())


FIGURES = {
    "projection": _projection,
    "projection, many close scenarios": lambda ax=None: _projection(ax, many=True),
    "decrees": _decrees,
    "phase": _phase,
    "phase, 20,000 held": lambda ax=None: _phase(ax, 20_000),
    "bands": _bands,
    "tornado": _tornado,
    "cohort": _cohort,
}


def _draw(make, width):
    with plot.style(**{"figure.dpi": DPI}):
        fig, ax = plt.subplots(figsize=(width, width * 0.6))
    make(ax)
    return fig


@pytest.mark.parametrize("width", [7.0, 3.5], ids=["default width", "half width"])
@pytest.mark.parametrize("name", list(FIGURES))
def test_no_text_collides_with_text_lines_or_ticks(name, width):
    fig = _draw(FIGURES[name], width)
    assert collisions(fig) == []


@pytest.mark.parametrize("width", [7.0, 3.5], ids=["default width", "half width"])
def test_fit_figure_has_no_collisions(constant_fit, width):
    fig = _draw(lambda ax: plot.plot_fit(constant_fit, ax=ax, source="SNHR"), width)
    assert collisions(fig) == []


def test_the_checker_finds_a_collision():
    # The measuring code must be able to fail: two texts at one spot, a label on a line.
    fig, ax = plt.subplots(dpi=DPI)
    ax.plot([0, 1], [0, 1], label="line")
    ax.annotate("first label", xy=(0.5, 0.5))
    ax.annotate("second label", xy=(0.5, 0.5))
    problems = collisions(fig)
    assert any("overlaps" in p for p in problems)
    assert any("on a data line" in p for p in problems)


def test_a_figure_a_user_adds_text_to_stays_clear_of_the_legend():
    # The source line goes under the legend placed below the axes, wherever that ends up.
    ax = _projection()
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    (note,) = [t for t in ax.texts if t.get_gid() == "note"]
    box = _box(note, renderer)
    assert box.y1 <= legend.y0
    assert "Source: SNHR, May 2022" in note.get_text() and "Note: rates" in note.get_text()
    xlabel = ax.xaxis.get_tightbbox(renderer)
    assert legend.y1 <= xlabel.y0


def test_small_multiples_share_one_legend_without_collisions():
    s = am.Scenario(1_000, 100, arrest_rate=50, death_rate=0.02)
    fig, axes = plot.small_multiples(3, panel=(2.4, 2.2))
    for ax, order in zip(axes, ("fifo", "random", "lifo"), strict=True):
        am.cohort(s, order).plot(ax=ax, title=order)
    legend = plot.shared_legend(fig, title="Three orders", source="model", note="assumed")
    fig.set_dpi(DPI)
    assert all(ax.get_legend() is None for ax in axes)
    assert [t.get_text() for t in legend.get_texts()] == [
        "still held",
        "died in custody",
        "released alive",
    ]
    assert collisions(fig) == []
    renderer = fig.canvas.get_renderer()
    bottom = min(ax.xaxis.get_tightbbox(renderer).y0 for ax in axes)
    assert legend.get_window_extent(renderer).y1 <= bottom


# -- greyscale --------------------------------------------------------------------------------
def _grey(fig):
    """The figure as saved (trimmed, legend below included), as luminance 0..255.

    Returns the image (rows from the top) and the display coordinates of its top-left
    corner, to find an artist's pixels from its window extent.
    """
    import io

    from PIL import Image

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    tight = fig.get_tightbbox(renderer)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0)
    fig.canvas.draw()  # back to the figure's own layout, where the extents are read
    rgb = np.asarray(Image.open(buffer).convert("RGB"), dtype=float)
    grey = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    return grey, (tight.x0 * DPI, tight.y1 * DPI)


def _handle_signatures(fig, legend):
    """Per legend entry: mean luminance of its ink, dash runs, ink coverage, texture."""
    grey, (left, top) = _grey(fig)
    renderer = fig.canvas.get_renderer()
    out = []
    for handle in legend.legend_handles:
        box = handle.get_window_extent(renderer)
        if isinstance(handle, Line2D):
            # The handle line: its drawn x range, a band a few pixels around its y.
            (x0, x1), y = box.intervalx, (box.y0 + box.y1) / 2
            box = type(box).from_extents(x0, y - 3, x1, y + 3)
        r0, r1 = round(top - box.y1), round(top - box.y0)
        c0, c1 = round(box.x0 - left), round(box.x1 - left)
        patch = grey[max(r0, 0) : r1, max(c0, 0) : c1]
        assert patch.size, f"legend handle outside the saved image: {box}"
        ink = patch < 245
        mean = float(patch[ink].mean()) if ink.any() else 255.0
        column = (patch < 200).any(axis=0)  # where along x the handle has ink
        runs = int(np.count_nonzero(np.diff(column.astype(int)) == 1)) + int(column[0])
        out.append((mean, runs, float(column.mean()), float(patch.std())))
    return out


def _distinct(a, b):
    """Two handles tell apart in grey: luminance, dash pattern, coverage or texture."""
    return (
        abs(a[0] - b[0]) >= 25
        or abs(a[1] - b[1]) >= 2
        or abs(a[2] - b[2]) >= 0.15
        or abs(a[3] - b[3]) >= 15
    )


@pytest.mark.parametrize("name", ["projection", "decrees", "bands", "tornado", "cohort"])
def test_every_legend_entry_differs_in_greyscale(name):
    fig = _draw(FIGURES[name], 7.0)
    legend = fig.axes[0].get_legend()
    signatures = _handle_signatures(fig, legend)
    labels = [t.get_text() for t in legend.get_texts()]
    for (la, a), (lb, b) in itertools.combinations(zip(labels, signatures, strict=True), 2):
        assert _distinct(a, b), f"{la!r} and {lb!r} look alike in grey: {a} vs {b}"


def test_greyscale_check_can_fail():
    # Two legend entries of the same grey, solid, no hatch: the check must call them alike.
    fig, ax = plt.subplots(dpi=DPI)
    ax.fill_between([0, 1], [0, 0], [1, 1], color="#009E73", label="a")
    ax.fill_between([0, 1], [1, 1], [2, 2], color="#D55E00", label="b")
    legend = ax.legend()
    a, b = _handle_signatures(fig, legend)
    assert not _distinct(a, b)


# -- exact shapes -----------------------------------------------------------------------------
def test_decrees_are_drawn_at_their_dates_from_both_sides():
    # 10 held, a decree of 2 each year, no arrests: held is 10 - 2k on [k, k + 1), exactly.
    p = am.Scenario(10, am.Decrees(2)).project(horizon=5.5)
    ax = plot.plot_projection(p, annotate=False)
    (line,) = ax.get_lines()
    t, held = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    for k in range(1, 6):
        before = held[(t < k) & (t > k - 1e-3)]
        at = held[np.isclose(t, k, rtol=0, atol=1e-12)]
        assert before.size and np.all(before == 10 - 2 * (k - 1))
        assert at.size and np.all(at == 10 - 2 * k)


def test_decrees_over_80_years_have_one_tooth_a_year():
    # A decree of 1,000 a year, 500 arrests a year: between decrees held rises by exactly
    # 500 a year, and falls by 1,000 at each decree: one tooth per year, no aliasing.
    s = am.Scenario(132_000, am.Decrees(1_000), arrest_rate=500)
    ax = plot.plot_projection(s.project(horizon=80.0), annotate=False)
    (line,) = [ln for ln in ax.get_lines() if ln.get_gid() == "held"]
    y = np.asarray(line.get_ydata())
    drops = np.diff(y)
    assert np.count_nonzero(drops < -1) == 80  # decrees at t = 1, ..., 80
    # Each drop is read from just before the decree (t - ε) to just after it (t): the
    # decree's 1,000 less the 500 ε arrested in between, ε = 80 years × 1e-6.
    np.testing.assert_allclose(drops[drops < -1], -1_000.0 + 500 * 80e-6, atol=1e-6)
    # A solid line with markers (dashes on 80 teeth would merge into blobs).
    assert line.get_linestyle() == "-" and line.get_marker() not in (None, "None", "")


def test_jump_grid_holds_each_decree_from_both_sides():
    grid = plot.jump_grid(am.Scenario(100, am.Decrees(10, every=2.5)), 10.0, points=5)
    for k in (2.5, 5.0, 7.5, 10.0):
        assert k in grid and np.any((grid < k) & (grid > k - 1e-4))


def test_fit_band_is_smooth_and_named_for_the_fitted_mean(constant_fit):
    ax = plot.plot_fit(constant_fit, band_points=6)
    (band,) = [c for c in ax.collections if "band of the fitted mean" in c.get_label()]
    assert band.get_label() == "95% band of the fitted mean (parameter uncertainty)"
    vertices = band.get_paths()[0].vertices
    assert len(vertices) > 200  # evaluated densely, not a polygon through 6 points
    # For a constant rate the exact interval of Λ(t) = λ t is (λ_lo t, λ_hi t): a straight
    # line through the origin; the smoothed band must match it at every vertex.
    rate = constant_fit.rate_during(0.0, 0.1)
    day0 = ax.get_lines()[0].get_xdata()[0]
    years = (vertices[:, 0] - day0) / 365.25
    inner = years > 1e-3
    slope = vertices[inner, 1] / years[inner]
    on_low = np.isclose(slope, rate.low, rtol=1e-6)
    on_high = np.isclose(slope, rate.high, rtol=1e-6)
    assert np.all(on_low | on_high) and on_low.sum() > 100 and on_high.sum() > 100


def test_fit_date_axis_has_no_offset_label_and_names_the_year(constant_fit):
    ax = plot.plot_fit(constant_fit, band=False)
    ax.figure.canvas.draw()
    assert ax.xaxis.get_offset_text().get_text() == ""
    assert ax.get_xlabel() == "date (2022)"


# -- publishing hooks -------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(FIGURES))
def test_title_source_and_note_on_every_plot_function(name):
    fig = _draw(FIGURES[name], 7.0)
    ax = fig.axes[0]
    texts = " ".join(t.get_text() for t in ax.texts if t.get_gid() == "note")
    assert "Source:" in texts or "Note:" in texts


def test_publishing_arguments_are_checked():
    with pytest.raises(TypeError, match="title must be a string or None, got"):
        _cohort_call(title=3)
    with pytest.raises(TypeError, match="source must be a string"):
        _cohort_call(source=["x"])


def _cohort_call(**kwargs):
    frame = pd.DataFrame({"released": [0, 1], "died": [0, 0], "held": [1, 0]}, index=[0.0, 1.0])
    return plot.plot_cohort_fate(frame, **kwargs)


def test_long_titles_wrap_within_the_axes():
    title = "Those held today, oldest cases first: 1,000 released a year, 2 % dying a year"
    fig = _draw(lambda ax: plot.plot_cohort_fate(_frame(), ax=ax, title=title), 3.5)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    box = ax.title.get_window_extent(renderer)
    area = ax.get_window_extent(renderer)
    assert "\n" in ax.title.get_text()
    assert box.width <= area.width + 1
    assert ax.title.get_text().replace("\n", " ") == title


def _frame():
    return pd.DataFrame(
        {"released": [0, 40, 70], "died": [0, 10, 30], "held": [100, 50, 0]},
        index=pd.Index([0.0, 50.0, 100.0], name="years"),
    )


@pytest.mark.parametrize(("preset", "width"), [("web", 1_600), ("print", round(180 / 25.4 * 300))])
def test_save_figure_presets_give_the_documented_width(tmp_path, preset, width):
    from PIL import Image

    ax = plot.plot_cohort_fate(_frame(), title="A cohort", source="model")
    out = plot.save_figure(ax, tmp_path / "f.png", preset=preset)
    with Image.open(out) as image:
        assert abs(image.size[0] - width) <= 4
        assert round(image.info["dpi"][0]) == int(plot.PRESETS[preset][1])
    size = ax.figure.get_size_inches()
    assert tuple(size) == pytest.approx(tuple(plt.rcParams["figure.figsize"]), rel=0.3)


def test_save_figure_bad_inputs(tmp_path):
    with pytest.raises(ValueError, match="preset must be one of"):
        plot.save_figure(plt.figure(), tmp_path / "f.png", preset="poster")
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure or Axes"):
        plot.save_figure("figure", tmp_path / "f.png")


def test_style_applies_to_axes_the_user_creates():
    import matplotlib as mpl

    with plot.style():
        _fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
    assert not ax.spines["top"].get_visible()
    assert ax.get_lines()[0].get_color() == plot.PALETTE[0]
    assert mpl.rcParams["axes.spines.top"] == mpl.rcParamsDefault["axes.spines.top"]
    # Axes made without the style take it when drawn on by the package.
    plain = plt.figure().add_subplot()
    plot.plot_cohort_fate(_frame(), ax=plain)
    assert not plain.spines["top"].get_visible() and not plain.spines["right"].get_visible()


def test_dates_on_projection_axis_are_years_without_offset():
    p = am.Scenario(132_000, 1_000, start=START).project(horizon=150)
    ax = plot.plot_projection(p)
    ax.figure.canvas.draw()
    assert ax.xaxis.get_offset_text().get_text() == ""
    lo, hi = ax.get_xlim()
    labels = [
        t.get_text()
        for t, x in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
        if t.get_text() and lo <= x <= hi
    ]
    assert all(len(x) == 4 and x.isdigit() for x in labels), labels
    # The view starts at the start date less matplotlib's 5 % margin (7.5 of 150 years).
    assert int(labels[0]) >= dt.date(2022, 5, 26).year - 8


# -- a class of defect: labels over data, for any set of scenarios ------------------------------
@settings(max_examples=12, deadline=None)
@given(
    rates=st.lists(
        st.tuples(
            st.integers(min_value=200, max_value=3_000),  # releases a year
            st.integers(min_value=0, max_value=3_500),  # arrests a year
        ),
        min_size=1,
        max_size=6,
    ),
    width=st.sampled_from([3.5, 5.0, 7.0]),
)
def test_projection_labels_never_collide_for_any_scenarios(rates, width):
    # Close clear times, never-clearing lines, any width: the labels find a free place, move
    # into their legend entry, and never sit on text, a data line or a tick label.
    scenarios = [
        am.Scenario(100_000, r, arrest_rate=a, start=START, name=f"{r:,} out, {a:,} in")
        for r, a in rates
    ]
    fig = _draw(
        lambda ax: plot.plot_projection(
            [s.project(horizon=200) for s in scenarios], ax=ax, source="model"
        ),
        width,
    )
    assert collisions(fig) == []
    plt.close(fig)


# -- the committed gallery images ----------------------------------------------------------------
def test_gallery_images_are_at_web_and_print_size():
    # Web: 800 CSS px drawn at 2x; print: 180 mm at 300 dpi (about 2,126 px), with the dpi
    # recorded for layout programs. Written by docs/make_figures.py with save_figure.
    from pathlib import Path

    from PIL import Image

    images = Path(__file__).resolve().parents[1] / "docs" / "images"
    web = sorted(images.glob("*.png"))
    assert len(web) >= 10
    total = 0
    for path in web:
        printed = images / "print" / path.name
        with Image.open(path) as image:
            assert abs(image.size[0] - 1_600) <= 8, path.name
        with Image.open(printed) as image:
            assert abs(image.size[0] - 2_126) <= 8, printed.name
            assert round(image.info["dpi"][0]) == 300, printed.name
        total += path.stat().st_size + printed.stat().st_size
    assert total < 6_000_000
