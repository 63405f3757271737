"""Tests for plot_fit: read what was drawn back from the artists."""

from __future__ import annotations

import matplotlib
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pytest

from amnesty_model._plot_fit import plot_fit
from amnesty_model.datasets import load_decree7_releases
from amnesty_model.fit import fit_constant, fit_piecewise

matplotlib.use("Agg")


@pytest.fixture
def series():
    return load_decree7_releases()


def test_plot_draws_counts_curve_and_band(series):
    f = fit_constant(series)
    fig, ax = plt.subplots()
    try:
        out = plot_fit(f, ax=ax, band_points=5, color="C3")
        assert out is ax
        curve, points = ax.lines[0], ax.lines[1]
        # The curve is the fitted Λ(t) = rate · t: its end is the fitted cumulative at day 104.
        y = np.asarray(curve.get_ydata())
        assert y[0] == 0
        assert y[-1] == pytest.approx(f.estimate("rate") * 104 / 365.25)
        assert curve.get_color() == "C3"
        # The fitted points are the four with certain dates.
        assert list(points.get_ydata()) == [476, 523, 539, 556]
        xs = mdates.num2date(np.asarray(points.get_xdata(), dtype=float))
        assert [x.date().isoformat() for x in xs][-1] == "2022-08-12"
        # The band at the last date is the Garwood interval times the span.
        band = ax.collections[0]
        top = band.get_paths()[0].vertices[:, 1].max()
        assert top == pytest.approx(f.interval("rate")[1] * 104 / 365.25)
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert "reported, date uncertain (not fitted)" in labels
        assert "95% interval" in labels
    finally:
        plt.close(fig)


def test_plot_without_band_and_with_placed_point(series):
    f = fit_piecewise(series, uncertain="high")
    ax = plot_fit(f, band=False)
    try:
        assert not ax.collections
        assert list(ax.lines[1].get_ydata()) == [476, 523, 539, 547, 556]
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert "reported, date uncertain (not fitted)" not in labels
    finally:
        plt.close(ax.figure)


def test_plot_rejects_bad_band_points(series):
    with pytest.raises(ValueError, match="band_points must be an integer >= 2"):
        plot_fit(fit_constant(series), band_points=1)
