"""The ``plot`` methods of result objects draw with the matching ``amnesty_model.plot`` function.

Reference values come from the model's closed forms (S0 / r for a closed stock) or from the
sources' counts (Decree No. 7 releases, SNHR, in ``datasets.load_decree7_releases``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import amnesty_model as am
from amnesty_model.datasets import load_decree7_releases


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_simulation_plot_draws_its_quantile_fan():
    sim = am.simulate(am.Scenario(200, 20, name="small"), paths=40, seed=2, grid=[0, 5, 10, 30])
    fig, ax = plt.subplots()
    assert sim.plot(ax=ax) is ax
    assert len(fig.axes) == 1
    assert len(ax.collections) == 2  # 5–95 and 25–75 bands
    (median,) = ax.get_lines()
    np.testing.assert_array_equal(median.get_xdata(), [0.0, 5.0, 10.0, 30.0])
    np.testing.assert_array_equal(median.get_ydata(), sim.quantile_bands()["q0.5"].to_numpy())
    # Held 200 at the start; 3 × S0 / r = 30 years is far past the clear time.
    assert median.get_ydata()[0] == 200 and median.get_ydata()[-1] == 0
    legend = ax.get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    # The scenario's name titles the legend once; the entries say what the bands cover.
    assert legend.get_title().get_text() == "small"
    assert labels == [
        "90 % of simulated paths (chance): 5th–95th percentile",
        "50 % of simulated paths (chance): 25th–75th percentile",
        "median",
    ]
    ax = sim.plot(label=None, ylabel="people held (people)")
    assert ax.get_ylabel() == "people held (people)"
    assert ax.get_legend().get_texts()[-1].get_text() == "median"


def test_cohort_projection_plot_draws_the_cohort_fate():
    # FIFO, no deaths: the cohort of 1,000 is out after S0 / r = 10 years, all released alive.
    p = am.cohort(am.Scenario(1_000, 100, arrest_rate=50), horizon=12.0, step=1.0)
    _fig, ax = plt.subplots()
    assert p.plot(ax=ax, ylabel="people of the cohort") is ax
    assert len(ax.collections) == 3
    released = ax.collections[0].get_paths()[0].vertices
    assert released[:, 1].max() == pytest.approx(1_000.0)
    assert ax.get_ylabel() == "people of the cohort"


def test_fit_plot_draws_counts_and_curve():
    fit = am.fit_constant(load_decree7_releases())
    _fig, ax = plt.subplots()

    def bands(ax):
        return [
            c for c in ax.collections if c.get_label().startswith("95% band of the fitted mean")
        ]

    assert fit.plot(ax=ax, band=False) is ax
    assert not bands(ax)
    assert list(ax.lines[1].get_ydata()) == [476, 523, 539, 556]
    ax = fit.plot(band_points=3)
    assert len(bands(ax)) == 1
