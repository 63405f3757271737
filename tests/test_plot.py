"""Tests of amnesty_model.plot: what each figure draws, read back from its artists.

Reference values come from the model's closed forms written out here (S0 / (r - a), and
ln(1 + μ S0 / (r - a)) / μ with deaths), or from the frames the tests pass in.
"""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.colors import LogNorm
from matplotlib.contour import ContourSet

import amnesty_model as am
from amnesty_model import plot
from amnesty_model.datasets import load_decree7_releases
from amnesty_model.fit import fit_constant, fit_piecewise
from amnesty_model.plot import (
    PALETTE,
    plot_bands,
    plot_cohort_fate,
    plot_fit,
    plot_phase_diagram,
    plot_projection,
    plot_tornado,
    style,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def no_show(monkeypatch):
    """Fail if anything calls plt.show()."""

    def refuse(*args, **kwargs):
        raise AssertionError("plt.show() was called")

    monkeypatch.setattr(plt, "show", refuse)


def lines_with(ax, gid):
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def texts_with(ax, gid):
    return [t for t in ax.texts if t.get_gid() == gid]


# -- import -----------------------------------------------------------------------------------
def test_importing_the_package_and_plot_module_does_not_import_matplotlib():
    code = (
        "import sys, amnesty_model, amnesty_model.plot; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# -- projections ------------------------------------------------------------------------------
def test_projection_draws_the_model_held_numbers_and_marks_132_years(no_show):
    p = am.Scenario(132_000, 1_000).project(step=1.0)
    ax = plot_projection(p)
    (line,) = lines_with(ax, "held")
    np.testing.assert_array_equal(line.get_xdata(), p.frame.index.to_numpy())
    np.testing.assert_array_equal(line.get_ydata(), p.frame["held"].to_numpy())
    # Closed form: S(t) = 132,000 - 1,000 t.
    np.testing.assert_allclose(line.get_ydata()[:133], 132_000 - 1_000 * np.arange(133.0))
    (marker,) = lines_with(ax, "clear")
    assert marker.get_xdata()[0] == 132.0  # 132,000 / 1,000
    assert marker.get_ydata()[0] == 0.0
    (label,) = texts_with(ax, "clear")
    assert label.get_text() == "clears in 132 years"
    assert not lines_with(ax, "never")
    assert "people" in ax.get_ylabel()
    assert "years" in ax.get_xlabel()
    assert ax.get_legend() is None  # one unnamed scenario: nothing to tell apart


def test_projection_respects_ax_and_method_plot_delegates():
    fig, ax = plt.subplots()
    p = am.Scenario(132_000, 1_000, name="report").project()
    assert plot_projection(p, ax=ax) is ax
    assert p.plot(ax=ax) is ax
    assert len(lines_with(ax, "held")) == 2
    assert len(fig.axes) == 1


def test_projection_rejects_an_ax_that_is_not_axes():
    p = am.Scenario(10, 1).project()
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None, got 'left'"):
        plot_projection(p, ax="left")


def test_several_projections_with_dates_and_a_never_clearing_one(no_show):
    base = am.Scenario(132_000, 1_000, start="2022-05-26", name="report")
    clears = base.project(horizon=150)
    never = base.with_(arrest_rate=1_200, name="arrests go on").project(horizon=150)
    ax = plot_projection([clears, never])
    held = lines_with(ax, "held")
    assert [line.get_label() for line in held] == ["report", "arrests go on"]
    assert held[0].get_color() != held[1].get_color()
    assert held[0].get_linestyle() != held[1].get_linestyle()
    # Dates: start + round(t × 365.25) days, computed here with datetime.
    start = dt.date(2022, 5, 26)
    expected = [
        np.datetime64(start + dt.timedelta(days=round(t * 365.25)), "D")
        for t in clears.frame.index
    ]
    np.testing.assert_array_equal(held[0].get_xdata(), np.array(expected))
    np.testing.assert_array_equal(held[1].get_ydata(), never.frame["held"].to_numpy())
    # 132 years of 365.25 days = 48,213 days after 26 May 2022.
    (marker,) = lines_with(ax, "clear")
    assert marker.get_xdata()[0] == np.datetime64(start + dt.timedelta(days=48_213), "D")
    (label,) = texts_with(ax, "clear")
    assert label.get_text() == "clears in 132 years (2154)"
    # Never: an arrow at the horizon (150 years), at the held count there: 132,000 + 200 × 150.
    (arrow,) = lines_with(ax, "never")
    assert arrow.get_ydata()[0] == pytest.approx(132_000 + 200 * 150)
    (never_label,) = texts_with(ax, "never")
    # Wrapped on two lines, so that it fits beside the end of the line.
    assert " ".join(never_label.get_text().split()) == (
        "never clears: arrests (1,200/yr) outpace releases (1,000/yr)"
    )
    assert ax.get_xlabel().startswith("date")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["report", "arrests go on"]


def test_projection_dates_true():
    p = am.Scenario(100, 10, start="2022-05-26").project()
    ax = plot_projection(p, dates=True)
    (marker,) = lines_with(ax, "clear")
    # 10 years of 365.25 days = 3,652.5 days, rounded half to even: 3,652 days.
    assert marker.get_xdata()[0] == np.datetime64("2022-05-26") + np.timedelta64(3652, "D")


def test_projection_dates_false_and_kwargs():
    p = am.Scenario(100, 10, start="2022-05-26").project(step=1.0)
    ax = plot_projection(p, dates=False, linewidth=3.5, label="mine")
    (line,) = lines_with(ax, "held")
    assert line.get_linewidth() == 3.5
    assert line.get_label() == "mine"
    np.testing.assert_array_equal(line.get_xdata(), p.frame.index.to_numpy())
    assert "years" in ax.get_xlabel()


def test_projection_clearing_after_the_horizon_says_so():
    p = am.Scenario(132_000, 1_000).project(horizon=50)
    ax = plot_projection(p)
    assert not lines_with(ax, "clear")
    (arrow,) = lines_with(ax, "never")
    assert arrow.get_xdata()[0] == 50.0
    assert arrow.get_ydata()[0] == pytest.approx(132_000 - 1_000 * 50)
    (label,) = texts_with(ax, "never")
    assert " ".join(label.get_text().split()) == "clears in 132 years, after the end of this plot"


def test_projection_proportional_marks_the_clear_level():
    # Proportional release, no arrests: S(t) = S0 e^(-ρ t) falls below 1 at ln(S0) / ρ.
    p = am.Scenario(1_000, am.Proportional(0.5)).project()
    ax = plot_projection(p, annotate=True)
    (marker,) = lines_with(ax, "clear")
    assert marker.get_xdata()[0] == pytest.approx(math.log(1_000) / 0.5)
    assert marker.get_ydata()[0] == pytest.approx(1.0)


def test_projection_one_year_and_no_annotation():
    ax = plot_projection(am.Scenario(10, 10).project())
    assert texts_with(ax, "clear")[0].get_text() == "clears in 1 year"
    ax = plot_projection(am.Scenario(10, 10).project(), annotate=False)
    assert not texts_with(ax, "clear") and not lines_with(ax, "clear")


def test_projection_never_without_reason_text_for_a_schedule():
    # Releases stop after year 1: 50 released, 50 left, never clears.
    s = am.Scenario(100, am.Schedule([0, 1], [50, 0]))
    ax = plot_projection(s.project(horizon=5))
    (label,) = texts_with(ax, "never")
    assert label.get_text().startswith("never clears: ")
    assert s.reason in " ".join(label.get_text().split())


def test_projection_dates_past_year_9999_fall_back_to_years():
    p = am.Scenario(132_000, 10, start="2022-05-26").project()  # 13,200 years
    ax = plot_projection(p)
    assert "years" in ax.get_xlabel()
    with pytest.raises(ValueError, match="past the year 9999"):
        plot_projection(p, dates=True)


def test_projection_bad_inputs():
    p = am.Scenario(100, 10).project()
    with pytest.raises(ValueError, match=r"dates=True needs a start date.*projection 0"):
        plot_projection(p, dates=True)
    with pytest.raises(TypeError, match="dates must be True, False or None, got 'yes'"):
        plot_projection(p, dates="yes")
    with pytest.raises(TypeError, match="must be a Projection or a list of Projections"):
        plot_projection(am.Scenario(100, 10))
    with pytest.raises(TypeError, match="must be a Projection or a list"):
        plot_projection("projection")
    with pytest.raises(TypeError, match=r"projection_or_list\[1\] must be a Projection"):
        plot_projection([p, 3])
    with pytest.raises(ValueError, match="at least one Projection, got none"):
        plot_projection([])
    with pytest.raises(ValueError, match="label applies to one projection, got 2"):
        plot_projection([p, p], label="x")


def test_projection_accepts_a_generator():
    scenarios = [am.Scenario(100, 10), am.Scenario(100, 20)]
    ax = plot_projection(s.project() for s in scenarios)
    assert len(lines_with(ax, "held")) == 2


# -- bands ------------------------------------------------------------------------------------
@pytest.fixture
def band_frame():
    years = pd.Index(np.linspace(0, 20, 21), name="years")
    median = 1_000 - 40 * years.to_numpy()
    return pd.DataFrame(
        {
            0.05: median - 200,
            0.25: median - 50,
            0.5: median,
            0.75: median + 50,
            0.95: median + 200,
        },
        index=years,
    )


def test_bands_draw_two_bands_and_the_median(band_frame, no_show):
    _fig, ax = plt.subplots()
    assert plot_bands(band_frame, ax=ax) is ax
    assert len(ax.collections) == 2
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), band_frame.index.to_numpy())
    np.testing.assert_array_equal(line.get_ydata(), band_frame[0.5].to_numpy())
    outer, inner = ax.collections
    for band, low, high in ((outer, 0.05, 0.95), (inner, 0.25, 0.75)):
        y = band.get_paths()[0].vertices[:, 1]
        assert y.min() == band_frame[low].min()
        assert y.max() == band_frame[high].max()
    assert inner.get_alpha() > outer.get_alpha()  # inner bands darker
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "90 % of the distribution: 5th–95th percentile",
        "50 % of the distribution: 25th–75th percentile",
        "median",
    ]
    assert "people" in ax.get_ylabel()
    assert "years" in ax.get_xlabel()


def test_bands_even_columns_string_labels_and_options(band_frame):
    frame = band_frame[[0.05, 0.95]].rename(columns=str)
    ax = plot_bands(frame, label="A", ylabel="years to clear")
    assert len(ax.collections) == 1 and not ax.get_lines()
    assert ax.get_ylabel() == "years to clear"
    # The name is the legend's title, said once, not repeated in every entry.
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "90 % of the distribution: 5th–95th percentile"
    ]
    assert legend.get_title().get_text() == "A"
    ax = plot_bands(band_frame[[0.05, 0.25, 0.95]])
    assert ax.get_lines()[0].get_label() == "25th percentile"


def test_bands_read_the_layout_of_simulation_quantile_bands():
    # A closed stock with no arrests: held = S0 - (releases so far), whatever the path, until
    # it clears; on the grid time 0 every path holds the whole stock.
    sim = am.simulate(
        am.Scenario(200, 20, start="2022-05-26"), paths=50, seed=4, grid=[0, 2, 5, 20]
    )
    frame = sim.quantile_bands()
    assert list(frame.columns) == ["date", "q0.05", "q0.25", "q0.5", "q0.75", "q0.95"]
    ax = plot_bands(frame)
    assert len(ax.collections) == 2
    (median,) = ax.get_lines()
    np.testing.assert_array_equal(median.get_xdata(), [0.0, 2.0, 5.0, 20.0])
    assert median.get_ydata()[0] == 200 and median.get_ydata()[-1] == 0
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "90 % of simulated paths (chance): 5th–95th percentile",
        "50 % of simulated paths (chance): 25th–75th percentile",
        "median",
    ]
    with pytest.raises(ValueError, match="at least one quantile column, got only"):
        plot_bands(frame[["date"]])


def test_bands_bad_inputs(band_frame):
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        plot_bands(band_frame.to_numpy())
    with pytest.raises(ValueError, match=r"quantiles between 0 and 1.*'low'"):
        plot_bands(band_frame.rename(columns={0.05: "low"}))
    with pytest.raises(ValueError, match=r"quantiles between 0 and 1, got column 5"):
        plot_bands(band_frame.rename(columns={0.05: 5}))
    with pytest.raises(ValueError, match="at least one row and one quantile column"):
        plot_bands(band_frame.iloc[:0])


# -- phase diagram ----------------------------------------------------------------------------
def mesh_of(ax):
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    return mesh


def test_phase_diagram_colours_are_the_closed_form_and_never_is_masked(no_show):
    release = np.linspace(0.0, 4_000.0, 41)
    arrest = np.linspace(0.0, 2_000.0, 21)
    ax = plot_phase_diagram(release, arrest, 132_000)
    mesh = mesh_of(ax)
    values = mesh.get_array()
    R, A = np.meshgrid(release, arrest)
    never = A >= R
    np.testing.assert_array_equal(np.ma.getmaskarray(values), never)
    # μ = 0: T = S0 / (r - a).
    np.testing.assert_allclose(values[~never], 132_000 / (R - A)[~never], rtol=1e-12)
    assert isinstance(mesh.norm, LogNorm)
    assert ax.get_xlabel() == "releases (people per year)"
    assert ax.get_ylabel() == "new arrests (people per year)"
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    np.testing.assert_array_equal(contours.levels, [50, 100, 250])  # 10 is below the range
    assert {t.get_text() for t in ax.texts} >= {"50 years", "100 years", "250 years"}
    colorbar_axes = [a for a in ax.figure.axes if a is not ax]
    assert colorbar_axes and "years to clear 132,000 held" in colorbar_axes[0].get_ylabel()


def test_phase_diagram_never_region_is_hatched_above_the_diagonal():
    ax = plot_phase_diagram([0.0, 1_000.0, 3_000.0], [0.0, 500.0, 2_000.0])
    (region,) = [c for c in ax.collections if c.get_label().startswith("never clears")]
    assert region.get_hatch() == "///"
    path = region.get_paths()[0]
    assert path.contains_point((200.0, 1_500.0))  # a > r: never
    assert not path.contains_point((2_500.0, 400.0))  # r > a: clears
    assert "never clears (arrests ≥ releases)" in [
        " ".join(t.get_text().split()) for t in ax.get_legend().get_texts()
    ]
    (boundary,) = lines_with(ax, "boundary")
    np.testing.assert_array_equal(boundary.get_xdata(), boundary.get_ydata())


def test_phase_diagram_with_deaths_points_and_given_axes():
    fig, ax = plt.subplots()
    release = np.array([500.0, 1_000.0, 2_000.0])
    arrest = np.array([0.0, 250.0])
    points = {"report": (1_000, 0), "far right": (1_900, 100)}
    out = plot_phase_diagram(
        release, arrest, 132_000, death_rate=0.02, ax=ax, points=points, colorbar=False
    )
    assert out is ax and len(fig.axes) == 1
    R, A = np.meshgrid(release, arrest)
    # μ > 0: T = ln(1 + μ S0 / (r - a)) / μ; 64.6 years for the report with 2 % deaths.
    expected = np.log1p(0.02 * 132_000 / (R - A)) / 0.02
    np.testing.assert_allclose(mesh_of(ax).get_array(), expected, rtol=1e-12)
    assert mesh_of(ax).get_array()[0, 1] == pytest.approx(64.6, abs=0.05)
    marks = lines_with(ax, "point")
    assert [(m.get_xdata()[0], m.get_ydata()[0]) for m in marks] == [(1_000, 0), (1_900, 100)]
    assert "report" in [t.get_text() for t in ax.texts]
    far = next(t for t in ax.texts if t.get_text() == "far right")
    fig.canvas.draw()  # labels are placed when drawn: inside the axes, off the other text
    renderer = fig.canvas.get_renderer()
    assert ax.get_window_extent(renderer).contains(*far.get_window_extent(renderer).p1)
    # Contour 50 years with deaths: r - a = μ S0 / expm1(μ 50); its label sits on that line.
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert list(contours.levels) == [50, 100]


def test_phase_diagram_all_never_and_a_flat_range():
    ax = plot_phase_diagram([0.0, 100.0], [200.0, 300.0])
    assert np.ma.getmaskarray(mesh_of(ax).get_array()).all()
    ax = plot_phase_diagram([1_000.0, 1_000.5], [0.0, 1e-9], 100.0, levels=())
    assert mesh_of(ax).norm.vmax > mesh_of(ax).norm.vmin


def test_phase_diagram_with_a_single_finite_cell():
    # Only r = 1,000, a = 500 clears: 132,000 / 500 = 264 years.
    ax = plot_phase_diagram([0.0, 1_000.0], [500.0, 2_000.0])
    values = mesh_of(ax).get_array()
    assert values.count() == 1 and values.max() == 264.0


def test_phase_diagram_saturates_colour_past_four_times_the_top_level():
    ax = plot_phase_diagram(np.linspace(0, 2_000, 21), np.linspace(0, 1_000, 11))
    assert mesh_of(ax).norm.vmax == 4 * 250


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"release_rates": [1.0]},
            ValueError,
            "release_rates must be a 1-D sequence of at least 2",
        ),
        ({"release_rates": "12"}, ValueError, "release_rates must be a 1-D sequence"),
        ({"arrest_rates": [[0.0, 1.0]]}, ValueError, "arrest_rates must be a 1-D sequence"),
        ({"release_rates": [-1.0, 1.0]}, ValueError, "finite rates >= 0"),
        ({"release_rates": [0.0, np.inf]}, ValueError, "finite rates >= 0"),
        ({"arrest_rates": [1.0, 0.0]}, ValueError, "arrest_rates must be strictly increasing"),
        ({"stock": 0}, ValueError, "stock must be a number > 0"),
        ({"stock": True}, ValueError, "stock must be a number > 0"),
        ({"levels": (10, -1)}, ValueError, "levels must be finite years > 0"),
        ({"points": [(1, 2)]}, TypeError, "points must be a mapping"),
        ({"points": {"x": (1,)}}, ValueError, r"points\['x'\] must be a pair"),
    ],
)
def test_phase_diagram_bad_inputs(kwargs, error, match):
    args = {"release_rates": [0.0, 1_000.0], "arrest_rates": [0.0, 500.0], **kwargs}
    with pytest.raises(error, match=match):
        plot_phase_diagram(**args)


# -- tornado ----------------------------------------------------------------------------------
@pytest.fixture
def tornado_table():
    # Base 132 years (132,000 / 1,000); each row varies one input (closed forms):
    # release 500 / 2,000 -> 264 / 66; stock 120,000 / 144,000 -> 120 / 144; arrests -> inf.
    return pd.DataFrame(
        {
            "input": ["release rate", "stock", "arrest rate"],
            "low": [264.0, 120.0, 132.0],
            "high": [66.0, 144.0, math.inf],
            "base": [132.0, 132.0, 132.0],
        }
    )


def test_tornado_bars_from_base_sorted_by_swing(tornado_table, no_show):
    _fig, ax = plt.subplots()
    assert plot_tornado(tornado_table, ax=ax) is ax
    assert len(ax.patches) == 6  # two bars per input
    names = [t.get_text() for t in ax.get_yticklabels()]
    # Swings: arrest rate inf (capped: 264 × 1.15 - 132 = 171.6), release 198, stock 24.
    assert names == ["stock", "arrest rate", "release rate"]
    low_bars, high_bars = ax.patches[:3], ax.patches[3:]
    assert [p.get_x() for p in low_bars] == [132.0] * 3
    assert [p.get_x() + p.get_width() for p in low_bars] == [120.0, 132.0, 264.0]
    ends = [p.get_x() + p.get_width() for p in high_bars]
    assert ends[0] == 144.0 and ends[2] == 66.0
    assert ends[1] == pytest.approx(264.0 * 1.15)  # "never" drawn to the cap
    texts = [t.get_text() for t in ax.texts]
    assert "never →" in texts and "base: 132" in texts and "66" in texts
    assert low_bars[0].get_hatch() != high_bars[0].get_hatch()
    assert ax.get_xlabel() == "years to clear (years of 365.25 days)"
    assert ax.get_lines()[0].get_gid() == "base"


def test_tornado_accepts_input_as_index_and_other_columns(tornado_table):
    table = tornado_table.set_index("input").assign(note="x")
    ax = plot_tornado(table, xlabel="years to clear (years)")
    assert ax.get_xlabel() == "years to clear (years)"
    assert len(ax.patches) == 6


def test_tornado_all_infinite_or_zero():
    table = pd.DataFrame({"input": ["a"], "low": [0.0], "high": [0.0], "base": [0.0]})
    ax = plot_tornado(table)
    assert [p.get_width() for p in ax.patches] == [0.0, 0.0]
    table = pd.DataFrame({"input": ["a"], "low": [math.inf], "high": [1.0], "base": [1.0]})
    ax = plot_tornado(table)
    assert ax.patches[0].get_x() + ax.patches[0].get_width() == pytest.approx(1.15)


def test_tornado_reads_the_table_of_am_tornado(no_show):
    # Uniform ranges: the 5th and 95th percentiles are 121,000 / 139,000 people and
    # 6,100 / 7,900 a year; medians 130,000 and 7,000. Closed form T = S0 / r:
    table = am.tornado((120_000, 140_000), (6_000, 8_000))
    ax = plot_tornado(table)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["stock\n121,000 – 139,000 people", "release rate\n6,100 – 7,900 a year"]
    low_bars, high_bars = ax.patches[:2], ax.patches[2:]
    base = 130_000 / 7_000
    assert [p.get_x() for p in ax.patches] == pytest.approx([base] * 4)
    ends_low = [p.get_x() + p.get_width() for p in low_bars]
    ends_high = [p.get_x() + p.get_width() for p in high_bars]
    assert ends_low == pytest.approx([121_000 / 7_000, 130_000 / 6_100])
    assert ends_high == pytest.approx([139_000 / 7_000, 130_000 / 7_900])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["input at its 5th percentile", "input at its 95th percentile"]
    assert "base (every input at its median): 18.6" in [t.get_text() for t in ax.texts]


def test_tornado_table_without_values_or_provenance_and_without_base():
    table = am.tornado((120_000, 140_000), (6_000, 8_000))
    bare = table[["years_low", "years_high"]].copy()
    bare.attrs = {"base_years": table.attrs["base_years"]}
    ax = plot_tornado(bare)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["stock", "release rate"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["input at its low value", "input at its high value"]
    bare.attrs = {}
    with pytest.raises(ValueError, match=r"no attrs\['base_years'\]"):
        plot_tornado(bare)


@pytest.mark.parametrize(
    ("q", "text"), [(0.01, "1st"), (0.02, "2nd"), (0.03, "3rd"), (0.11, "11th"), (0.9, "90th")]
)
def test_percentile_ordinals(q, text):
    assert plot._ordinal(q) == text


def test_tornado_bad_inputs(tornado_table):
    with pytest.raises(TypeError, match="table must be a pandas DataFrame"):
        plot_tornado({"input": ["a"]})
    with pytest.raises(ValueError, match=r"missing \['base'\]"):
        plot_tornado(tornado_table.drop(columns="base"))
    with pytest.raises(ValueError, match="at least one row"):
        plot_tornado(tornado_table.iloc[:0])
    with pytest.raises(ValueError, match="got NaN"):
        plot_tornado(tornado_table.assign(low=[1.0, np.nan, 2.0]))


# -- cohort fate ------------------------------------------------------------------------------
@pytest.fixture
def fate_frame():
    # FIFO, 100 held, 10 released a year, no deaths: released 10 t, held 100 - 10 t.
    years = np.linspace(0.0, 12.0, 13)
    released = np.minimum(10 * years, 100)
    return pd.DataFrame(
        {"released": released, "died": np.zeros_like(years), "held": 100 - released},
        index=pd.Index(years, name="years"),
    )


def test_cohort_fate_stacks_three_areas_to_the_cohort(fate_frame, no_show):
    _fig, ax = plt.subplots()
    assert plot_cohort_fate(fate_frame, ax=ax) is ax
    assert len(ax.collections) == 3
    top = ax.collections[2].get_paths()[0].vertices[:, 1]
    assert top.max() == 100.0  # the areas add up to the cohort at every time
    hatches = [c.get_hatch() for c in ax.collections]
    assert len(set(hatches)) == 3
    facecolors = [tuple(c.get_facecolor()[0][:3]) for c in ax.collections]
    assert len(set(facecolors)) == 3
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["still held", "died in custody", "released alive"]
    assert "people" in ax.get_ylabel()
    assert "years" in ax.get_xlabel()


def test_cohort_fate_accepts_long_names(fate_frame):
    frame = fate_frame.rename(
        columns={"released": "released_alive", "died": "died_in_custody", "held": "still_held"}
    )
    ax = plot_cohort_fate(frame, ylabel="share of the cohort")
    assert len(ax.collections) == 3 and ax.get_ylabel() == "share of the cohort"


def test_cohort_fate_reads_the_layout_of_am_cohort():
    # FIFO, 1,000 held, 100 released a year, 50 arrested, no deaths: the cohort is out at
    # S0 / r = 10 years whatever the arrests; its frame's "held" counts newcomers too, so the
    # cohort columns must be the ones drawn.
    p = am.cohort(am.Scenario(1_000, 100, arrest_rate=50), step=1.0, horizon=12.0)
    assert (p.frame["held"] > p.frame["cohort_held"]).iloc[1:].all()
    ax = plot_cohort_fate(p.frame)
    released, died, held = (c.get_paths()[0].vertices for c in ax.collections)

    def edges_at(vertices, year):  # bottom and top of an area at a grid year
        return sorted({float(y) for x, y in vertices if x == year})

    # Released alive by year t: r t = 100 t until 10 years, then all 1,000.
    assert edges_at(released, 5.0) == pytest.approx([0.0, 500.0])
    assert edges_at(released, 12.0) == pytest.approx([0.0, 1_000.0])
    assert edges_at(died, 5.0) == pytest.approx([500.0])  # no deaths: a zero-height layer
    assert edges_at(held, 5.0) == pytest.approx([500.0, 1_000.0])  # held 1,000 - 100 t
    assert held[:, 1].max() == pytest.approx(1_000.0)  # the stack stays at the cohort's size


def test_cohort_fate_bad_inputs(fate_frame):
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        plot_cohort_fate(fate_frame.to_numpy())
    with pytest.raises(ValueError, match=r"missing \['died'\]"):
        plot_cohort_fate(fate_frame.drop(columns="died"))


# -- style ------------------------------------------------------------------------------------
def test_style_applies_inside_and_restores_after():
    import matplotlib as mpl

    before = mpl.rcParams["axes.spines.top"]
    with style(**{"font.size": 13.0}):
        assert mpl.rcParams["axes.spines.top"] is False
        assert mpl.rcParams["font.size"] == 13.0
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][1] == PALETTE[1]
    assert mpl.rcParams["axes.spines.top"] == before


def test_style_keeps_interactive_mode_switched_on_inside_it():
    # Jupyter's inline backend turns interactive mode on when pyplot is first imported; if
    # that happens inside style(), later figures must still be shown.
    import matplotlib as mpl

    before = mpl.is_interactive()
    try:
        mpl.interactive(False)
        with style():
            mpl.interactive(True)
        assert mpl.is_interactive()
        with style():
            pass
        assert mpl.is_interactive()
    finally:
        mpl.interactive(before)


def test_public_names():
    assert set(plot.__all__) == {
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
    }


# -- rate fits (reported counts of Decree No. 7 releases, SNHR; datasets.load_decree7_releases)
@pytest.fixture
def series():
    return load_decree7_releases()


def test_fit_draws_counts_curve_and_band(series, no_show):
    f = fit_constant(series)
    _fig, ax = plt.subplots()
    assert plot_fit(f, ax=ax, band_points=5, color="C3") is ax
    curve, points = ax.lines[0], ax.lines[1]
    # The curve is the fitted Λ(t) = rate · t: its end is the fitted cumulative at day 104.
    y = np.asarray(curve.get_ydata())
    assert y[0] == 0
    assert y[-1] == pytest.approx(f.estimate("rate") * 104 / 365.25)
    assert curve.get_color() == "C3"
    # Fractional days are kept: the curve's dates rise smoothly over the 104 days (a date plus
    # a timedelta of 0.26 days would stay on the same day, and draw a staircase).
    x = np.asarray(curve.get_xdata(), dtype=float)
    assert (np.diff(x) > 0).all()
    assert x[0] == mdates.date2num(dt.date(2022, 4, 30)) and x[-1] - x[0] == pytest.approx(104)
    # The fitted points are the four with certain dates (the sources' counts).
    assert list(points.get_ydata()) == [476, 523, 539, 556]
    xs = mdates.num2date(np.asarray(points.get_xdata(), dtype=float))
    assert [x.date().isoformat() for x in xs][-1] == "2022-08-12"
    # The band at the last date is the Garwood interval times the span.
    top = ax.collections[0].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(f.interval("rate")[1] * 104 / 365.25)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "reported, date uncertain (not fitted)" in labels
    assert "95% band of the fitted mean (parameter uncertainty)" in labels
    assert ax.get_ylabel() == "people released, cumulative since 2022-04-30"
    assert ax.get_xlabel() == "date (2022)"  # the year once, not an offset label


def test_fit_without_band_and_with_placed_point(series):
    f = fit_piecewise(series, uncertain="high")
    ax = plot_fit(f, band=False)
    assert not ax.collections
    assert list(ax.lines[1].get_ydata()) == [476, 523, 539, 547, 556]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "reported, date uncertain (not fitted)" not in labels


def test_fit_bad_inputs(series):
    with pytest.raises(ValueError, match="band_points must be an integer >= 2"):
        plot_fit(fit_constant(series), band_points=1)
    with pytest.raises(TypeError, match="fit must be a rate fit .* got"):
        plot_fit(series)
