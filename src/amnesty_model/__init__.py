"""amnesty_model: how long it takes to release a population of detainees.

The headline names are imported here; everything else lives in one module per topic.
Time is in years of 365.25 days; rates are people per year; ``math.inf`` means "never".

Examples
--------
>>> import amnesty_model as am
>>> am.time_to_clear(stock=132_000, release_rate=1_000)
132.0
"""

from . import datasets
from ._time import DAYS_PER_YEAR
from ._version import __version__
from .article import cite_article, reproduce_article
from .clear import never_reason, time_to_clear
from .cohorts import (
    CohortProjection,
    CohortSimulation,
    DeathToll,
    StaySimulation,
    WaitingTime,
    cohort,
    deaths_before_release,
    illustrative_death_rows,
    simulate_cohort,
    simulate_stays,
    waiting_time,
)
from .fit import (
    BurstDecayFit,
    ConstantFit,
    PiecewiseFit,
    compare_fits,
    fit_burst_decay,
    fit_constant,
    fit_piecewise,
)
from .indicators import cepej_indicators
from .later_data import later_data_rows
from .montecarlo import Simulation, simulate
from .passage import FirstPassage, first_passage, first_passage_diffusion
from .rates import ClearTimeInterval, RateEstimate, rate_from_count, time_to_clear_interval
from .results import SavedResults, load_results, save_results
from .rules import Decrees, Geometric, Proportional, Schedule
from .scenario import Projection, Scenario, compare
from .scenario_file import dump_scenarios, load_scenarios
from .series import CountSeries
from .sources import Source, SourceRegistry, default_registry, load_sources
from .uncertainty import (
    UncertainClearTime,
    sensitivity,
    sobol_sensitivity,
    tornado,
    uncertain_time_to_clear,
)

__all__ = [
    "DAYS_PER_YEAR",
    "BurstDecayFit",
    "ClearTimeInterval",
    "CohortProjection",
    "CohortSimulation",
    "ConstantFit",
    "CountSeries",
    "DeathToll",
    "Decrees",
    "FirstPassage",
    "Geometric",
    "PiecewiseFit",
    "Projection",
    "Proportional",
    "RateEstimate",
    "SavedResults",
    "Scenario",
    "Schedule",
    "Simulation",
    "Source",
    "SourceRegistry",
    "StaySimulation",
    "UncertainClearTime",
    "WaitingTime",
    "__version__",
    "cepej_indicators",
    "cite_article",
    "cohort",
    "compare",
    "compare_fits",
    "datasets",
    "deaths_before_release",
    "default_registry",
    "dump_scenarios",
    "first_passage",
    "first_passage_diffusion",
    "fit_burst_decay",
    "fit_constant",
    "fit_piecewise",
    "illustrative_death_rows",
    "later_data_rows",
    "load_results",
    "load_scenarios",
    "load_sources",
    "never_reason",
    "rate_from_count",
    "reproduce_article",
    "save_results",
    "sensitivity",
    "simulate",
    "simulate_cohort",
    "simulate_stays",
    "sobol_sensitivity",
    "time_to_clear",
    "time_to_clear_interval",
    "tornado",
    "uncertain_time_to_clear",
    "waiting_time",
]
