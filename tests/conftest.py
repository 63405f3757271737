"""Shared test configuration: Hypothesis profiles.

``ci`` (the default, whatever the machine or ``CI``): derandomised and without the example
database, so that ``make test`` gives the same verdict on every run and every machine; a
failure it shows is reproduced by running the same test again.

``fuzz`` (``make fuzz``; ``HYPOTHESIS_PROFILE=fuzz``): fresh randomness and ten times more
examples (``AM_FUZZ_EXAMPLES``, default 1000, for tests that set no ``max_examples`` of their
own; a test's own setting is scaled by the same factor), to look for new failures. Whatever it
finds becomes a pinned test in ``tests/test_regressions.py``, so that ``make test`` checks it.
"""

from __future__ import annotations

import os

import matplotlib
import pytest
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

_BASE_EXAMPLES = 100  # Hypothesis's own default, the unit a test's max_examples is read in

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    derandomize=False,
    database=None,
    max_examples=int(os.environ.get("AM_FUZZ_EXAMPLES", "1000")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under ``fuzz``, scale the ``max_examples`` that tests set for themselves too."""
    if PROFILE != "fuzz":
        return
    factor = settings.default.max_examples / _BASE_EXAMPLES
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is None or own.max_examples == settings.default.max_examples:
            continue
        test._hypothesis_internal_use_settings = settings(  # type: ignore[union-attr]
            own, max_examples=max(1, round(own.max_examples * factor))
        )


# Scripts that regenerate stored reference values need tools the tests do not (mpmath): they
# are run by hand, not collected.
collect_ignore = ["reference/generate_passage_reference.py"]
