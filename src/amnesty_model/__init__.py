"""amnesty_model: how long it takes to release a population of detainees.

The headline names are imported here; everything else lives in one module per topic.
Time is in years of 365.25 days; rates are people per year; ``math.inf`` means "never".

Examples
--------
>>> import amnesty_model as am
>>> am.time_to_clear(stock=132_000, release_rate=1_000)
132.0
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._time import DAYS_PER_YEAR
from ._version import __version__

if TYPE_CHECKING:  # the names below, for type checkers and IDEs; loaded lazily at run time
    from . import datasets, plot
    from .article import cite_article, reproduce_article
    from .birthdeath import ClearTimeDistribution, clear_time_distribution
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
    from .stockflow import StockFlowFit, fit_stock_flow
    from .uncertain import (
        ClearInterval,
        HowSure,
        Uncertain,
        UncertainProjection,
        UncertainRule,
        UncertainScenario,
        between,
        how_sure,
    )
    from .uncertainty import (
        UncertainClearTime,
        sensitivity,
        sobol_sensitivity,
        tornado,
        uncertain_time_to_clear,
    )

# Each public name and the module it lives in. A module is imported the first time one of its
# names is used, so `import amnesty_model` loads almost nothing (measured in benchmarks/).
_LAZY = {
    "datasets": "",
    "plot": "",
    "cite_article": "article",
    "reproduce_article": "article",
    "ClearTimeDistribution": "birthdeath",
    "clear_time_distribution": "birthdeath",
    "never_reason": "clear",
    "time_to_clear": "clear",
    "CohortProjection": "cohorts",
    "CohortSimulation": "cohorts",
    "DeathToll": "cohorts",
    "StaySimulation": "cohorts",
    "WaitingTime": "cohorts",
    "cohort": "cohorts",
    "deaths_before_release": "cohorts",
    "illustrative_death_rows": "cohorts",
    "simulate_cohort": "cohorts",
    "simulate_stays": "cohorts",
    "waiting_time": "cohorts",
    "BurstDecayFit": "fit",
    "ConstantFit": "fit",
    "PiecewiseFit": "fit",
    "compare_fits": "fit",
    "fit_burst_decay": "fit",
    "fit_constant": "fit",
    "fit_piecewise": "fit",
    "StockFlowFit": "stockflow",
    "fit_stock_flow": "stockflow",
    "cepej_indicators": "indicators",
    "later_data_rows": "later_data",
    "Simulation": "montecarlo",
    "simulate": "montecarlo",
    "FirstPassage": "passage",
    "first_passage": "passage",
    "first_passage_diffusion": "passage",
    "ClearTimeInterval": "rates",
    "RateEstimate": "rates",
    "rate_from_count": "rates",
    "time_to_clear_interval": "rates",
    "SavedResults": "results",
    "load_results": "results",
    "save_results": "results",
    "Decrees": "rules",
    "Geometric": "rules",
    "Proportional": "rules",
    "Schedule": "rules",
    "Projection": "scenario",
    "Scenario": "scenario",
    "compare": "scenario",
    "dump_scenarios": "scenario_file",
    "load_scenarios": "scenario_file",
    "CountSeries": "series",
    "Source": "sources",
    "SourceRegistry": "sources",
    "default_registry": "sources",
    "load_sources": "sources",
    "ClearInterval": "uncertain",
    "HowSure": "uncertain",
    "Uncertain": "uncertain",
    "UncertainProjection": "uncertain",
    "UncertainRule": "uncertain",
    "UncertainScenario": "uncertain",
    "between": "uncertain",
    "how_sure": "uncertain",
    "UncertainClearTime": "uncertainty",
    "sensitivity": "uncertainty",
    "sobol_sensitivity": "uncertainty",
    "tornado": "uncertainty",
    "uncertain_time_to_clear": "uncertainty",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'amnesty_model' has no attribute {name!r}")
    if module == "":
        value = importlib.import_module(f".{name}", __name__)
    else:
        value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "DAYS_PER_YEAR",
    "BurstDecayFit",
    "ClearInterval",
    "ClearTimeDistribution",
    "ClearTimeInterval",
    "CohortProjection",
    "CohortSimulation",
    "ConstantFit",
    "CountSeries",
    "DeathToll",
    "Decrees",
    "FirstPassage",
    "Geometric",
    "HowSure",
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
    "StockFlowFit",
    "Uncertain",
    "UncertainClearTime",
    "UncertainProjection",
    "UncertainRule",
    "UncertainScenario",
    "WaitingTime",
    "__version__",
    "between",
    "cepej_indicators",
    "cite_article",
    "clear_time_distribution",
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
    "fit_stock_flow",
    "how_sure",
    "illustrative_death_rows",
    "later_data_rows",
    "load_results",
    "load_scenarios",
    "load_sources",
    "never_reason",
    "plot",
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
