"""amnesty_model: how long it takes to release a population of detainees.

The headline names are imported here; everything else lives in one module per topic.
Time is in years of 365.25 days; rates are people per year; ``math.inf`` means "never".

Examples
--------
>>> import amnesty_model as am
>>> am.time_to_clear(stock=132_000, release_rate=1_000)
132.0
"""

from ._time import DAYS_PER_YEAR
from ._version import __version__
from .clear import never_reason, time_to_clear
from .indicators import cepej_indicators
from .passage import FirstPassage, first_passage, first_passage_diffusion
from .rates import ClearTimeInterval, RateEstimate, rate_from_count, time_to_clear_interval
from .rules import Decrees, Geometric, Proportional, Schedule
from .scenario import Projection, Scenario, compare
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
    "ClearTimeInterval",
    "Decrees",
    "FirstPassage",
    "Geometric",
    "Projection",
    "Proportional",
    "RateEstimate",
    "Scenario",
    "Schedule",
    "Source",
    "SourceRegistry",
    "UncertainClearTime",
    "__version__",
    "cepej_indicators",
    "compare",
    "default_registry",
    "first_passage",
    "first_passage_diffusion",
    "load_sources",
    "never_reason",
    "rate_from_count",
    "sensitivity",
    "sobol_sensitivity",
    "time_to_clear",
    "time_to_clear_interval",
    "tornado",
    "uncertain_time_to_clear",
]
