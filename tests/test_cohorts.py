"""Tests for amnesty_model.cohorts: whose release, in which order, and deaths in custody.

Reference values come from closed forms derived in the test comments (docs/methods.md §1–§2), from
``scipy.integrate.solve_ivp`` / ``quad`` written here independently of the module, from the
engine's solver of the whole stock, or from simulation within stated sampling error.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import quad, solve_ivp

import amnesty_model as am
from amnesty_model import Decrees, Proportional, Scenario, Schedule
from amnesty_model.cohorts import (
    ILLUSTRATIVE,
    CohortProjection,
    cohort,
    deaths_before_release,
    illustrative_death_rows,
    simulate_cohort,
    simulate_stays,
    waiting_time,
)

DISCIPLINES = ["fifo", "random", "lifo"]


# ---------------------------------------------------------------------------------------------
# an independent ODE for the random discipline (written here, not taken from the module)


def random_ode(S0, r, a, mu, times):
    """Solve dS = a − r − μS, dC = −rC/S − μC, dRel = rC/S, dDied = μC with solve_ivp."""

    def rhs(t, y):
        S, C = y[0], y[1]
        out = r * C / S
        return [a - r - mu * S, -out - mu * C, out, mu * C]

    sol = solve_ivp(
        rhs,
        (0.0, float(times[-1])),
        [S0, S0, 0.0, 0.0],
        method="DOP853",
        t_eval=times,
        rtol=1e-12,
        atol=1e-12 * S0,
    )
    assert sol.success
    return sol.y


# ---------------------------------------------------------------------------------------------
# FIFO


@pytest.mark.parametrize("arrests", [0.0, 500.0, 1_000.0, 5_000.0])
def test_fifo_cohort_time_is_stock_over_rate_without_deaths(arrests):
    # docs/methods.md §2: with μ = 0 today's cohort is out at S0 / r whatever the arrests.
    p = cohort(Scenario(132_000, 1_000, arrest_rate=arrests), "fifo")
    assert p.all_out_time == pytest.approx(132.0, rel=1e-12)
    assert p.half_out_time == pytest.approx(66.0, rel=1e-12)
    assert p.released_alive == pytest.approx(132_000, rel=1e-12)
    assert p.died_in_custody == 0.0
    assert p.still_held == 0.0


def test_fifo_closed_form_with_deaths():
    S0, r, a, mu = 5_000.0, 300.0, 400.0, 0.04
    p = cohort(Scenario(S0, r, arrest_rate=a, death_rate=mu), "fifo", step=0.25)
    # C(t) = C* + (S0 − C*) e^{−μt}, C* = −r/μ; T = ln(1 + μS0/r)/μ; released r·T.
    c_star = -r / mu
    T = math.log(1 + mu * S0 / r) / mu
    t = p.times
    expected = np.where(t < T, c_star + (S0 - c_star) * np.exp(-mu * t), 0.0)
    np.testing.assert_allclose(p.cohort_held, expected, rtol=1e-10, atol=1e-9 * S0)
    assert p.all_out_time == pytest.approx(T, rel=1e-12)
    assert p.released_alive == pytest.approx(r * T, rel=1e-12)
    assert p.died_in_custody == pytest.approx(S0 - r * T, rel=1e-10)
    # Half out: C = S0/2 at ln((r + μS0)/(r + μS0/2))/μ.
    assert p.half_out_time == pytest.approx(
        math.log((r + mu * S0) / (r + mu * S0 / 2)) / mu, rel=1e-12
    )
    # Newcomers only arrive and die while the cohort is served: N = a(1 − e^{−μt})/μ.
    before = t < T
    np.testing.assert_allclose(
        p.newcomers_held[before], a * -np.expm1(-mu * t[before]) / mu, rtol=1e-10
    )


def test_fifo_with_schedules_against_solve_ivp():
    # Release schedule and a death-rate table; the cohort obeys dC/dt = −r(t) − μ(t)C.
    rel = Schedule([0, 2, 5], [300, 100, 500])
    deaths = Schedule([0, 3], [0.02, 0.08])
    s = Scenario(2_000, rel, arrest_rate=Schedule([0, 1], [50, 400]))
    p = cohort(s, "fifo", death_schedule=deaths, step=0.1)

    def rhs(t, y):
        r = 300 if t < 2 else (100 if t < 5 else 500)
        mu = 0.02 if t < 3 else 0.08
        return [-r - mu * y[0], r, mu * y[0]]

    def hit(t, y):
        return y[0]

    hit.terminal = True
    sol = solve_ivp(
        rhs, (0, 50), [2_000, 0, 0], rtol=1e-12, atol=1e-9, events=hit, dense_output=True
    )
    T = float(sol.t_events[0][0])
    assert p.all_out_time == pytest.approx(T, rel=1e-8)
    assert p.died_in_custody == pytest.approx(sol.y[2, -1], rel=1e-8)
    inside = p.times < T
    np.testing.assert_allclose(
        p.cohort_held[inside], sol.sol(p.times[inside])[0], rtol=1e-7, atol=1e-6
    )
    assert "piecewise" in p.method


# ---------------------------------------------------------------------------------------------
# random


@pytest.mark.parametrize(
    ("S0", "r", "a", "mu", "horizon"),
    [
        (1_000.0, 100.0, 50.0, 0.03, 9.0),  # clears at ≈ 15.7 years
        (1_000.0, 100.0, 150.0, 0.03, 40.0),  # never clears
        (1_000.0, 100.0, 100.0, 0.05, 40.0),  # a = r
        (500.0, 40.0, 90.0, 0.0, 40.0),  # no deaths, power-law tail
        (500.0, 40.0, 0.0, 0.1, 8.0),  # no arrests: the cohort is everyone
    ],
)
def test_random_against_solve_ivp(S0, r, a, mu, horizon):
    p = cohort(Scenario(S0, r, arrest_rate=a, death_rate=mu), "random", horizon=horizon, step=0.5)
    S, C, released, died = random_ode(S0, r, a, mu, p.times)
    np.testing.assert_allclose(p.cohort_held, C, rtol=1e-8, atol=1e-8 * S0)
    np.testing.assert_allclose(p.cohort_died, died, rtol=1e-8, atol=1e-8 * S0)
    np.testing.assert_allclose(p.cohort_released, released, rtol=1e-8, atol=1e-8 * S0)
    np.testing.assert_allclose(p.cohort_held + p.newcomers_held, S, rtol=1e-9)


def test_random_closed_form_without_deaths():
    # μ = 0: C = S0 (S/S0)^{−r/(a−r)} with S = S0 + (a − r)t; a = r: C = S0 e^{−rt/S0}.
    S0, r = 800.0, 50.0
    for a in (20.0, 80.0):
        p = cohort(Scenario(S0, r, arrest_rate=a), "random", horizon=20.0, step=0.5)
        S = S0 + (a - r) * p.times
        np.testing.assert_allclose(p.cohort_held, S0 * (S / S0) ** (-r / (a - r)), rtol=1e-12)
        # Half out at S0 (2^{(a−r)/r} − 1)/(a − r).
        assert p.half_out_time == pytest.approx(S0 * (2 ** ((a - r) / r) - 1) / (a - r))
    p = cohort(Scenario(S0, r, arrest_rate=r), "random", horizon=20.0, step=0.5)
    np.testing.assert_allclose(p.cohort_held, S0 * np.exp(-r * p.times / S0), rtol=1e-12)
    assert p.half_out_time == pytest.approx(S0 * math.log(2) / r, rel=1e-12)
    assert p.all_out_time == math.inf
    assert p.released_alive == S0


def test_random_cohort_is_out_when_the_prisons_are():
    s = Scenario(1_000, 100, arrest_rate=50, death_rate=0.03)
    assert cohort(s, "random").all_out_time == pytest.approx(s.time_to_clear(), rel=1e-12)


def test_random_totals_in_the_limit_against_solve_ivp():
    # Never clears (a > r): integrate far enough that the cohort is gone (e^{−μat/(a−r)}).
    S0, r, a, mu = 1_000.0, 100.0, 150.0, 0.03
    p = cohort(Scenario(S0, r, arrest_rate=a, death_rate=mu), "random")
    _, C, released, died = random_ode(S0, r, a, mu, np.array([0.0, 2_000.0]))
    assert C[-1] < 1e-9
    assert p.died_in_custody == pytest.approx(died[-1], rel=1e-8)
    assert p.released_alive == pytest.approx(released[-1], rel=1e-8)


# ---------------------------------------------------------------------------------------------
# LIFO


def test_lifo_closed_forms():
    S0, mu = 2_000.0, 0.02
    # r > a: newcomers leave as they come; the cohort falls at (r − a) + μC.
    p = cohort(Scenario(S0, 150, arrest_rate=50, death_rate=mu), "lifo")
    net = 100.0
    T = math.log(1 + mu * S0 / net) / mu
    assert p.all_out_time == pytest.approx(T, rel=1e-12)
    assert p.released_alive == pytest.approx(net * T, rel=1e-12)
    assert p.died_in_custody == pytest.approx(S0 - net * T, rel=1e-10)
    assert np.all(p.newcomers_held == 0)
    # r ≤ a: the cohort only dies, C = S0 e^{−μt}.
    p = cohort(Scenario(S0, 150, arrest_rate=200, death_rate=mu), "lifo", step=1.0)
    np.testing.assert_allclose(p.cohort_held, S0 * np.exp(-mu * p.times), rtol=1e-12)
    assert p.half_out_time == pytest.approx(math.log(2) / mu, rel=1e-12)
    assert (p.released_alive, p.died_in_custody) == (0.0, pytest.approx(S0))
    # ... and without deaths it never moves.
    p = cohort(Scenario(S0, 150, arrest_rate=200), "lifo")
    assert p.half_out_time == p.all_out_time == math.inf
    assert p.still_held == S0


def test_lifo_newcomers_first_then_cohort():
    # Arrests outpace releases for 5 years (newcomers pile up), then releases exceed them:
    # the newcomers go first (N hits 0), only then does the cohort move.
    s = Scenario(1_000, Schedule([0, 5], [100, 400]), arrest_rate=200)
    p = cohort(s, "lifo", step=0.05)
    # N(5) = 100·5 = 500 newcomers; after 5 they fall at 400 − 200 = 200/yr → empty at 7.5.
    frame = p.frame
    assert frame.loc[5.0, "newcomers_held"] == pytest.approx(500.0)
    assert frame.loc[7.5, "newcomers_held"] == pytest.approx(0.0, abs=1e-9)
    assert frame.loc[7.5, "cohort_held"] == pytest.approx(1_000.0)
    # Then the cohort falls at 200/yr: out at 12.5, half out at 10.
    assert p.all_out_time == pytest.approx(12.5)
    assert p.half_out_time == pytest.approx(10.0)


# ---------------------------------------------------------------------------------------------
# every discipline: cohort + newcomers = held; conservation


SCENARIOS = [
    Scenario(1_000, 100, arrest_rate=50, death_rate=0.03),
    Scenario(1_000, 100, arrest_rate=150, death_rate=0.03),
    Scenario(132_000, 1_000, death_rate=0.02),
    Scenario(
        1_000,
        Schedule([0, 3, 10], [100, 40, 300]),
        arrest_rate=Schedule([0, 5], [80, 120]),
        death_rate=0.03,
    ),
    Scenario(300, Schedule([0, 4], [10, 90]), arrest_rate=Schedule([0, 2], [60, 20])),
]


@pytest.mark.parametrize("discipline", DISCIPLINES)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_cohort_plus_newcomers_is_held(scenario, discipline):
    p = cohort(scenario, discipline, horizon=30.0, step=0.5)
    held = scenario.project(horizon=30.0, step=0.5).frame["held"]
    frame = p.frame
    common = frame.index.intersection(held.index)
    assert len(common) >= 61
    np.testing.assert_allclose(
        frame.loc[common, "held"], held.loc[common], rtol=1e-9, atol=1e-9 * scenario.stock
    )
    # Along the way and at the end, the cohort is held, released or dead.
    total = frame["cohort_held"] + frame["cohort_released"] + frame["cohort_died"]
    np.testing.assert_allclose(total, scenario.stock, rtol=1e-9)
    assert p.released_alive + p.died_in_custody + p.still_held == pytest.approx(
        scenario.stock, rel=1e-9
    )
    assert np.all(np.diff(p.cohort_held) <= 1e-9 * scenario.stock)


@given(
    S0=st.floats(1.0, 1e5),
    r=st.one_of(st.just(0.0), st.floats(1e-3, 1e4)),
    a=st.one_of(st.just(0.0), st.floats(1e-3, 1e4)),
    mu=st.one_of(st.just(0.0), st.floats(1e-4, 0.5)),
    discipline=st.sampled_from(DISCIPLINES),
)
def test_conservation_in_the_limit(S0, r, a, mu, discipline):
    p = cohort(Scenario(S0, r, arrest_rate=a, death_rate=mu), discipline, horizon=1.0, step=1.0)
    assert p.released_alive >= -1e-9 * S0
    assert p.died_in_custody >= -1e-9 * S0
    assert p.released_alive + p.died_in_custody + p.still_held == pytest.approx(S0, rel=1e-9)
    assert p.half_out_time <= p.all_out_time


def test_disciplines_agree_without_arrests():
    s = Scenario(10_000, 300, death_rate=0.04)
    results = [cohort(s, d) for d in DISCIPLINES]
    for p in results[1:]:
        assert p.all_out_time == pytest.approx(results[0].all_out_time, rel=1e-10)
        assert p.died_in_custody == pytest.approx(results[0].died_in_custody, rel=1e-8)
        assert p.half_out_time == pytest.approx(results[0].half_out_time, rel=1e-8)


def test_empty_stock_and_no_releases():
    p = cohort(Scenario(0, 10, arrest_rate=5), "random")
    assert (p.half_out_time, p.all_out_time, p.released_alive, p.died_in_custody) == (0, 0, 0, 0)
    p = cohort(Scenario(100, 0, death_rate=0.1), "fifo")
    assert p.all_out_time == math.inf
    assert p.died_in_custody == pytest.approx(100.0)
    p = cohort(Scenario(100, 0), "random")
    assert p.still_held == 100.0
    assert p.half_out_time == math.inf


def test_death_schedule_constant_equals_death_rate():
    s = Scenario(5_000, 200, arrest_rate=100)
    for d in DISCIPLINES:
        p1 = cohort(s.with_(death_rate=0.03), d)
        p2 = cohort(s, d, death_schedule=Schedule.constant(0.03))
        assert p2.died_in_custody == pytest.approx(p1.died_in_custody, rel=1e-9)
        assert p2.all_out_time == pytest.approx(p1.all_out_time, rel=1e-9)


# ---------------------------------------------------------------------------------------------
# the report's numbers with an assumed death rate (docs/methods.md §1)


def test_illustrative_rows_match_model_md():
    rows = illustrative_death_rows()
    row = rows.set_index("death_rate").loc[0.02]
    # docs/methods.md §1: 132,000 held, 1,000 a year, 2 % die per year → 64.6 years, ≈ 64,600
    # released alive, ≈ 67,400 dead in custody.
    assert round(row["years_to_clear"], 1) == 64.6
    assert round(row["released_alive"], -2) == 64_600
    assert round(row["died_in_custody"], -2) == 67_400
    assert (rows["status"] == ILLUSTRATIVE).all()
    assert ILLUSTRATIVE == "illustrative, not a claim of the report"
    # 1 % and 5 %: T = ln(1 + 1.32)/0.01 and ln(1 + 6.6)/0.05.
    assert rows.set_index("death_rate").loc[0.01, "years_to_clear"] == pytest.approx(
        math.log(2.32) / 0.01
    )
    assert rows.set_index("death_rate").loc[0.05, "years_to_clear"] == pytest.approx(
        math.log(7.6) / 0.05
    )


def test_cite_and_provenance():
    p = cohort(Scenario(132_000, 1_000, death_rate=0.02, sources=("the-new-arab",)), "random")
    text = p.cite()
    assert "64.6 years" in text and "64,599" in text and "67,401" in text
    assert "random order" in text
    record = p.provenance
    assert json.loads(json.dumps(record)) == record
    assert record["inputs"]["discipline"] == "random"
    assert record["sources"] == ["the-new-arab"]
    assert "CohortProjection('random'" in repr(p)
    never = cohort(Scenario(100, 10, arrest_rate=20), "lifo").cite()
    assert "half are never out" in never and "never all out" in never and "held for ever" in never
    sched = cohort(Scenario(100, 10), "fifo", death_schedule=Schedule([0, 1], [0.0, 0.1]))
    assert "deaths in custody per schedule" in sched.cite()
    assert sched.provenance["inputs"]["death_schedule"]["rates"] == [0.0, 0.1]
    assert p.to_frame().equals(p.frame)
    assert isinstance(p, CohortProjection)


# ---------------------------------------------------------------------------------------------
# person-level simulation


@pytest.mark.parametrize("discipline", DISCIPLINES)
def test_simulation_agrees_with_the_fluid_model(discipline):
    # 200 people: the fluid model's totals should match the simulated means within sampling
    # error (4 standard errors) plus one person for discreteness (the fluid model is the
    # large-stock limit; at 200 people its bias is well under one person here).
    s = Scenario(200, 20, arrest_rate=10, death_rate=0.05)
    sim = simulate_cohort(s, discipline, paths=300, seed=7)
    p = cohort(s, discipline)
    se = sim.died.std(ddof=1) / math.sqrt(sim.paths)
    assert abs(sim.died.mean() - p.died_in_custody) < 4 * se + 1.0
    # Exact conservation on every path.
    assert np.all(sim.released + sim.died + sim.still_held == 200)
    assert np.all(sim.still_held == 0)
    assert np.all(np.isfinite(sim.all_out_time))
    assert np.median(sim.half_out_time) == pytest.approx(p.half_out_time, rel=0.1)


def test_simulation_fifo_without_deaths_is_gamma():
    # FIFO, μ = 0: the cohort is out after S0 releases of a Poisson(r) process: Gamma(S0, r),
    # mean S0/r, sd √S0/r, whatever the arrests.
    sim = simulate_cohort(Scenario(30, 10, arrest_rate=25), "fifo", paths=400, seed=11)
    assert np.all(sim.released == 30)
    se = math.sqrt(30) / 10 / math.sqrt(400)
    assert abs(sim.all_out_time.mean() - 3.0) < 4 * se


def test_simulation_with_horizon_and_seed():
    s = Scenario(50, 1, arrest_rate=2)
    sim = simulate_cohort(s, "lifo", paths=20, seed=np.random.default_rng(3), horizon=2.0)
    assert np.all(sim.released + sim.died + sim.still_held == 50)
    assert sim.seed is None
    assert np.isinf(sim.all_out_time).all()
    again = simulate_cohort(s, "lifo", paths=20, seed=5, horizon=2.0)
    same = simulate_cohort(s, "lifo", paths=20, seed=5, horizon=2.0)
    np.testing.assert_array_equal(again.released, same.released)
    record = again.provenance
    assert record["seed"] == 5 and record["paths"] == 20
    assert json.loads(json.dumps(record)) == record
    assert "seed 5" in again.cite() and "Monte Carlo" in again.cite()
    assert list(again.frame.columns) == [
        "released",
        "died",
        "still_held",
        "half_out_time",
        "all_out_time",
    ]
    assert again.to_frame().shape == (20, 5)
    assert "CohortSimulation('lifo'" in repr(again)
    empty = simulate_cohort(Scenario(0, 1), paths=3, seed=1)
    assert np.all(empty.all_out_time == 0)


def test_simulation_of_random_release_against_the_ode():
    # Random discipline, no deaths, a < r: every cohort member is released; the median
    # half-out time of the simulation approaches the fluid one, S0 (1 − 2^{−(r−a)/r})/(r − a).
    S0, r, a = 400, 40.0, 20.0
    sim = simulate_cohort(Scenario(S0, r, arrest_rate=a), "random", paths=200, seed=2)
    expected = S0 * (1 - 2 ** (-(r - a) / r)) / (r - a)
    assert np.all(sim.released == S0)
    assert np.median(sim.half_out_time) == pytest.approx(expected, rel=0.05)


# ---------------------------------------------------------------------------------------------
# waiting times and Little's law


@pytest.mark.parametrize("discipline", DISCIPLINES)
def test_littles_law_in_a_long_steady_state_simulation(discipline):
    # Arrests a = 1, releases r = 2 while anyone is held, no deaths: the number held is the
    # M/M/1 queue length, mean ρ/(1 − ρ) = 1 with ρ = 1/2, and the mean stay 1/(r − a) = 1
    # year under any discipline. Ten independent runs give the sampling error.
    seeds = np.random.SeedSequence(20220526).spawn(10)
    runs = [
        simulate_stays(
            Scenario(0, 2.0, arrest_rate=1.0),
            discipline,
            horizon=1_500.0,
            warmup=20.0,
            seed=np.random.default_rng(sd),
        )
        for sd in seeds
    ]
    held = np.array([run.mean_held for run in runs])
    stay = np.array([run.mean_stay for run in runs])
    ratio = np.array([run.little_ratio for run in runs])
    for values, expected in ((held, 1.0), (stay, 1.0), (ratio, 1.0)):
        se = values.std(ddof=1) / math.sqrt(values.size)
        assert abs(values.mean() - expected) < 4 * se + 1e-12
    # Little's law within each run: L = λ W up to the stays cut by the window's ends.
    np.testing.assert_allclose(ratio, 1.0, rtol=0.05)
    assert all(run.released.all() for run in runs)


def test_fluid_waiting_times_in_the_steady_state():
    # a = 300, r = 100, μ = 0.05: steady stock S̄ = (a − r)/μ = 4,000. Little's law: mean stay
    # S̄/a; the share leaving alive r/a; random: exponential with rate r/S̄ + μ.
    s = Scenario(10, 100, arrest_rate=300, death_rate=0.05)
    level = 4_000.0
    for d in DISCIPLINES:
        w = waiting_time(s, d, steady_state=True)
        assert w.level == pytest.approx(level)
        assert w.mean == pytest.approx(level / 300, rel=1e-12)
        assert w.p_released == pytest.approx(100 / 300, rel=1e-12)
    w = waiting_time(s, "random", steady_state=True)
    rate = 100 / level + 0.05
    np.testing.assert_allclose(w.sf([0.0, 3.0, 10.0]), np.exp(-rate * np.array([0, 3, 10])))
    assert w.median == pytest.approx(math.log(2) / rate)
    w = waiting_time(s, "fifo", steady_state=True)
    assert w.release_time == pytest.approx(math.log(3) / 0.05)
    # a = r, μ = 0: any stock is steady; FIFO and random both give mean S0/r.
    w = waiting_time(Scenario(500, 50, arrest_rate=50), "random", steady_state=True)
    assert w.mean == pytest.approx(10.0) and w.p_released == 1.0


def test_fluid_waiting_time_today():
    # FIFO: held until T = ln(1 + μS0/r)/μ if alive: sf = e^{−μt} before T.
    w = waiting_time(Scenario(132_000, 1_000, death_rate=0.02), "fifo")
    T = math.log(1 + 0.02 * 132) / 0.02
    assert w.release_time == pytest.approx(T)
    assert w.p_released == pytest.approx(math.exp(-0.02 * T))
    assert w.sf(T - 1e-9) == pytest.approx(math.exp(-0.02 * T))
    assert w.sf(T + 1e-9) == 0.0
    assert w.cdf(0.0) == 0.0
    assert w.mean == pytest.approx(quad(lambda t: math.exp(-0.02 * t), 0, T)[0])
    assert w.median == pytest.approx(math.log(2) / 0.02)
    # Random, μ = 0: mean stay ∫ C/S0 dt = S0/(2r − a) (a < 2r), checked by quadrature.
    s = Scenario(400, 40, arrest_rate=60)
    w = waiting_time(s, "random")
    tail = quad(lambda t: (1 + 20 * t / 400) ** (-2.0), 0, math.inf)[0]
    assert w.mean == pytest.approx(tail, rel=1e-8) and w.mean == pytest.approx(400 / 20)
    assert waiting_time(Scenario(400, 40, arrest_rate=80), "random").mean == math.inf
    # Random with deaths: mean = ∫ sf, by quadrature of the module's own sf is not
    # independent, so compare with the ODE cohort share instead.
    s = Scenario(1_000, 100, arrest_rate=150, death_rate=0.03)
    w = waiting_time(s, "random")
    _, C, released, _ = random_ode(1_000.0, 100.0, 150.0, 0.03, np.array([0.0, 5.0, 2_000.0]))
    assert w.sf(5.0) == pytest.approx(C[1] / 1_000, rel=1e-8)
    assert w.p_released == pytest.approx(released[-1] / 1_000, rel=1e-8)
    assert w.median == pytest.approx(cohort(s, "random").half_out_time, rel=1e-10)
    # LIFO (fluid): r ≥ a → out at once; a > r → a share r/a leaves at once, the rest dies.
    w = waiting_time(Scenario(100, 50, arrest_rate=20, death_rate=0.1), "lifo")
    assert (w.mean, w.median, w.p_released) == (0.0, 0.0, 1.0)
    w = waiting_time(Scenario(100, 10, arrest_rate=40, death_rate=0.1), "lifo")
    assert w.p_released == pytest.approx(0.25)
    assert w.mean == pytest.approx(0.75 / 0.1)
    assert w.median == pytest.approx(math.log(1.5) / 0.1)
    assert w.sf(1.0) == pytest.approx(0.75 * math.exp(-0.1))
    w = waiting_time(Scenario(100, 10, arrest_rate=40), "lifo")
    assert w.mean == w.median == math.inf
    # An empty prison: a person alone is released at once under random release.
    w = waiting_time(Scenario(0, 10), "random")
    assert w.mean == 0.0 and w.sf(1.0) == 0.0 and w.p_released == 1.0
    w = waiting_time(Scenario(0, 0, death_rate=0.5), "random")
    assert w.mean == pytest.approx(2.0) and w.p_released == 0.0
    assert w.sf(0.0) == 1.0


def test_waiting_time_cite_and_provenance():
    w = waiting_time(Scenario(500, 50, arrest_rate=50), "random", steady_state=True)
    assert "in the steady state" in w.cite() and "random order" in w.cite()
    record = w.provenance
    assert json.loads(json.dumps(record)) == record
    assert record["result"]["mean_years"] == pytest.approx(10.0)


# ---------------------------------------------------------------------------------------------
# deaths in custody


def test_deaths_before_release_everyone_closed_form():
    # Constant rates, clears at T: total deaths = S0 + (a − r)·T.
    s = Scenario(132_000, 1_000, arrest_rate=200, death_rate=0.02)
    toll = deaths_before_release(s, "lifo")
    T = s.time_to_clear()
    assert toll.everyone == pytest.approx(132_000 - 800 * T, rel=1e-9)
    assert toll.span == pytest.approx(T)
    assert toll.cohort == pytest.approx(cohort(s, "lifo").died_in_custody)
    assert toll.cohort_low == toll.cohort == toll.cohort_high
    # Never clears: deaths go on for ever, unless counted up to a horizon.
    never = Scenario(1_000, 100, arrest_rate=150, death_rate=0.03)
    assert deaths_before_release(never).everyone == math.inf
    capped = deaths_before_release(never, horizon=10.0)
    assert capped.span == 10.0
    assert capped.everyone == pytest.approx(never.project(horizon=10.0).frame["died"].iloc[-1])
    assert deaths_before_release(Scenario(1_000, 100), horizon=5.0).everyone == 0.0
    assert deaths_before_release(Scenario(0, 100)).everyone == 0.0


def test_deaths_before_release_intervals():
    s = Scenario(132_000, 1_000, arrest_rate=200, death_rate=0.02)
    toll = deaths_before_release(
        s, "random", release_rate=(800, 1_200), arrest_rate=(0, 400), death_rate=(0.01, 0.05)
    )
    low = cohort(Scenario(132_000, 1_200, arrest_rate=0, death_rate=0.01), "random")
    high = cohort(Scenario(132_000, 800, arrest_rate=400, death_rate=0.05), "random")
    assert toll.cohort_low == pytest.approx(low.died_in_custody, rel=1e-9)
    assert toll.cohort_high == pytest.approx(high.died_in_custody, rel=1e-9)
    assert toll.cohort_low < toll.cohort < toll.cohort_high
    assert toll.everyone_low < toll.everyone < toll.everyone_high
    assert "between" in toll.cite()
    record = toll.provenance
    assert json.loads(json.dumps(record)) == record
    assert record["inputs"]["ranges"]["death_rate"] == [0.01, 0.05]
    assert "die in custody before release" in deaths_before_release(s).cite()


@given(
    r=st.floats(100.0, 2_000.0),
    a=st.floats(0.0, 2_000.0),
    mu=st.floats(0.001, 0.2),
    discipline=st.sampled_from(DISCIPLINES),
)
def test_cohort_deaths_are_monotone_in_each_rate(r, a, mu, discipline):
    # The interval of deaths_before_release relies on this: more deaths with higher μ and a,
    # fewer with higher r (checked by finite steps in each direction).
    def died(r_, a_, mu_):
        return cohort(
            Scenario(5_000, r_, arrest_rate=a_, death_rate=mu_), discipline, horizon=1.0, step=1.0
        ).died_in_custody

    base = died(r, a, mu)
    tol = 1e-7 * 5_000
    assert died(r, a, mu * 1.1) >= base - tol
    assert died(r * 1.1, a, mu) <= base + tol
    assert died(r, a * 1.1 + 1.0, mu) >= base - tol


# ---------------------------------------------------------------------------------------------
# bad input


def test_bad_input():
    s = Scenario(100, 10)
    with pytest.raises(
        ValueError, match=r"discipline must be one of \['fifo', 'random', 'lifo'\]"
    ):
        cohort(s, "oldest")
    with pytest.raises(TypeError, match="scenario must be a Scenario, got 100"):
        cohort(100)  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match="release_rate must be a number or a Schedule, got Decrees"
    ):
        cohort(Scenario(100, Decrees(10)))
    with pytest.raises(TypeError, match="got Proportional"):
        cohort(Scenario(100, Proportional(0.1)), "random")
    with pytest.raises(TypeError, match="death_schedule must be a Schedule"):
        cohort(s, death_schedule=0.02)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="horizon must be a finite number > 0, got 0"):
        cohort(s, horizon=0)
    with pytest.raises(ValueError, match="step must be a finite number > 0, got -1"):
        cohort(s, step=-1)
    with pytest.raises(ValueError, match="at most 1,000,000 allowed"):
        cohort(s, horizon=100, step=1e-5)


def test_bad_input_simulation_and_waiting_times():
    s = Scenario(100, 10)
    with pytest.raises(TypeError, match="simulate_cohort needs constant rates"):
        simulate_cohort(Scenario(10, Schedule([0, 1], [1, 2])))
    with pytest.raises(ValueError, match=r"paths must be an integer >= 1, got 0"):
        simulate_cohort(s, paths=0)
    with pytest.raises(
        TypeError, match=r"seed must be an int, a numpy\.random\.Generator or None"
    ):
        simulate_cohort(s, seed="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"whole number of people held, got stock=10\.5"):
        simulate_cohort(Scenario(10.5, 1))
    with pytest.raises(ValueError, match="too large for a person-level simulation"):
        simulate_cohort(Scenario(2e6, 1))
    with pytest.raises(ValueError, match=r"do not exceed arrests.*give a horizon"):
        simulate_cohort(Scenario(10, 1, arrest_rate=1), "lifo")
    with pytest.raises(ValueError, match=r"are zero.*give a horizon"):
        simulate_cohort(Scenario(10, 0), "fifo")
    from amnesty_model.cohorts import _people_path

    with pytest.raises(ValueError, match="passed 100 events on one path"):
        _people_path(
            10, (100.0, 1.0, 0.0), "fifo", 1e9, np.random.default_rng(0),
            stop_when_out=True, max_events=100,
        )  # fmt: skip
    with pytest.raises(ValueError, match=r"warmup must be shorter than horizon \(10 years\)"):
        simulate_stays(s, horizon=10.0, warmup=10.0)
    with pytest.raises(TypeError, match="waiting_time needs constant rates"):
        waiting_time(Scenario(10, 1, arrest_rate=Schedule([0, 1], [1, 2])))
    with pytest.raises(ValueError, match="no steady state with these rates"):
        waiting_time(Scenario(10, 2, arrest_rate=1), steady_state=True)
    with pytest.raises(TypeError, match="steady_state must be True or False"):
        waiting_time(s, steady_state=1)  # type: ignore[arg-type]


def test_bad_input_deaths():
    s = Scenario(100, 10, death_rate=0.1)
    with pytest.raises(ValueError, match=r"death_rate must be \(low, high\) with low <= high"):
        deaths_before_release(s, death_rate=(0.2, 0.1))
    with pytest.raises(
        ValueError, match=r"release_rate must be a \(low, high\) pair, got 3 values"
    ):
        deaths_before_release(s, release_rate=(1, 2, 3))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"arrest_rate must be a \(low, high\) pair of numbers"):
        deaths_before_release(s, arrest_rate="1-2")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"death_rate\[0\] must be a finite number >= 0"):
        deaths_before_release(s, death_rate=(-1, 2))
    with pytest.raises(TypeError, match="release_rate given as a range needs a scenario"):
        deaths_before_release(Scenario(10, Schedule([0], [1])), release_rate=(1, 2))
    with pytest.raises(ValueError, match="horizon must be a finite number > 0"):
        deaths_before_release(s, horizon=-1)
    with pytest.raises(ValueError, match=r"death_rates\[1\] must be a finite number > 0, got 0"):
        illustrative_death_rows([0.01, 0])
    with pytest.raises(TypeError, match="death_rates must be a sequence of numbers"):
        illustrative_death_rows("0.02")  # type: ignore[arg-type]


def test_stay_simulation_properties():
    run = simulate_stays(Scenario(3, 0.0, death_rate=0.0), horizon=1.0, seed=0)
    assert math.isnan(run.mean_stay)
    assert run.mean_held == 3.0 and run.arrival_rate == 0.0


def test_edge_cases_of_the_exact_solutions():
    # Random release with a heavy hazard: after 700 e-foldings the cohort is 0 to the float.
    p = cohort(Scenario(100, 1, arrest_rate=5, death_rate=1.0), "random", horizon=800, step=100)
    assert p.cohort_held[-1] == 0.0 and p.cohort_held[0] == 100.0
    # A power-law tail with exponent r/(a − r) = 1/1999: half out after ~1e600 years → inf.
    assert cohort(Scenario(1, 0.001, arrest_rate=2), "random", horizon=1).half_out_time == math.inf
    # LIFO: newcomers pile up for 5 years, then arrests equal releases: without deaths the
    # newcomers are never gone and the cohort never moves; with deaths it only dies.
    rel = Schedule([0, 5], [100, 200])
    s = Scenario(1_000, rel, arrest_rate=200)
    p = cohort(s, "lifo", horizon=10)
    assert p.half_out_time == math.inf and p.still_held == 1_000
    p = cohort(s.with_(death_rate=0.1), "lifo", horizon=10)
    assert p.half_out_time == pytest.approx(math.log(2) / 0.1)
    assert p.died_in_custody == pytest.approx(1_000) and p.released_alive == 0


def test_short_reprs() -> None:
    s = am.Scenario(132_000, 1_000, death_rate=0.02)
    # FIFO with μ = 2 %: 132,000 − 1,000 · ln(1 + 2.64)/0.02 = 67,401 die in custody.
    assert repr(am.deaths_before_release(s)) == (
        "DeathToll('fifo', today's detainees: 67,401 (67,401–67,401), everyone: 67,401)"
    )
    assert repr(am.waiting_time(s, "fifo")).startswith("WaitingTime('fifo', mean ")


# -- waiting-time probabilities at any t, and an empty prison --------------------------------


@pytest.mark.parametrize("discipline", ["fifo", "random", "lifo"])
def test_waiting_time_before_the_arrest_and_nan(discipline: str) -> None:
    # Regression: under FIFO sf(−1) was e^{μ} = 1.0202 (cdf −0.0202); under 'random' sf(nan)
    # was 1.0. Before the arrest the person is held (sf 1, cdf 0); NaN is refused by name.
    w = am.waiting_time(am.Scenario(132_000, 1_000, death_rate=0.02), discipline)
    assert w.sf(-1.0) == 1.0 and w.cdf(-1.0) == 0.0
    assert w.sf(-math.inf) == 1.0 and w.sf(math.inf) == 0.0
    np.testing.assert_array_equal(w.sf([-5.0, -1e-300]), [1.0, 1.0])
    with pytest.raises(ValueError, match="t must be a number of years .* got NaN"):
        w.sf(math.nan)
    with pytest.raises(ValueError, match="t must be a number of years .* got NaN"):
        w.cdf([1.0, math.nan])
    with pytest.raises(TypeError, match="t must be a number of years or an array of them"):
        w.sf("1")


def test_waiting_time_fifo_matches_its_closed_form() -> None:
    # FIFO with μ = 0.02: held with probability e^{−μt} until T = ln(1 + μS/r)/μ, then out.
    w = am.waiting_time(am.Scenario(132_000, 1_000, death_rate=0.02), "fifo")
    T = math.log1p(0.02 * 132_000 / 1_000) / 0.02
    assert w.sf(10.0) == pytest.approx(math.exp(-0.2), rel=1e-12)
    assert w.sf(T + 1e-9) == 0.0


def test_waiting_time_in_an_empty_prison() -> None:
    # Regression: ZeroDivisionError. Alone in custody with releases at r > 0 a year, the
    # (fluid) release is immediate: out at once, alive.
    w = am.waiting_time(am.Scenario(0, 306, 0, 0.001), "random")
    assert (w.mean, w.median, w.p_released) == (0.0, 0.0, 1.0)
    assert w.sf(0.5) == 0.0
    # No releases: only death, at hazard μ.
    w = am.waiting_time(am.Scenario(0, 0, 0, 0.001), "random")
    assert w.p_released == 0.0 and w.mean == pytest.approx(1_000.0)


@pytest.mark.parametrize("discipline", ["fifo", "random", "lifo"])
def test_waiting_time_extreme_magnitudes_do_not_warn(discipline: str) -> None:
    # Regression: μ·t overflowed in numpy scalars (RuntimeWarning) at μ = 1e9, t = 1e308.
    extreme = {"allow_extreme_death_rate": True}
    for s in (
        am.Scenario(10, 1, death_rate=1e9, **extreme),
        am.Scenario(1e300, 1e300, 1e-300, 1e300, **extreme),
    ):
        values = am.waiting_time(s, discipline).sf([1e308, 1e300, 3.0, 1e-308])
        assert ((values >= 0) & (values <= 1)).all()


def test_simulate_cohort_refuses_runs_too_long_before_starting() -> None:
    # Regression: 1e7 arrests a year for the 10 years the FIFO cohort takes: 2e8 events one
    # by one in Python, with no check.
    with pytest.raises(ValueError, match=r"simulate_cohort would simulate about 2e\+08 events"):
        am.simulate_cohort(am.Scenario(10, 1.0, arrest_rate=1e7), paths=1, seed=1)
    with pytest.raises(ValueError, match=r"simulate_stays would simulate about 2e\+09 events"):
        am.simulate_stays(am.Scenario(10, 1.0, arrest_rate=1e7), horizon=100.0)
    with pytest.raises(TypeError, match="progress must be True, False or None"):
        am.simulate_cohort(am.Scenario(10, 1.0), paths=1, progress=1)  # type: ignore[arg-type]


def test_simulate_cohort_progress_is_display_only(capfd: pytest.CaptureFixture[str]) -> None:
    s = am.Scenario(30, 5.0, arrest_rate=2.0, death_rate=0.1)
    shown = am.simulate_cohort(s, "random", paths=20, seed=4, progress=True)
    assert "simulate_cohort" in capfd.readouterr().err
    quiet = am.simulate_cohort(s, "random", paths=20, seed=4, progress=False)
    assert capfd.readouterr().err == ""
    np.testing.assert_array_equal(shown.all_out_time, quiet.all_out_time)
