"""Test configuration: Hypothesis profiles and the path to the shared helpers.

Profiles are chosen with ``HYPOTHESIS_PROFILE`` (``dev``, ``ci`` or ``fuzz``); ``ci`` is the
default when ``CI`` is set.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The helpers in tests/support are imported as ``support``; the package under test is never put
# on the path from here, so that CI exercises the installed wheel.
sys.path.insert(0, str(Path(__file__).resolve().parent))

settings.register_profile(
    "dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``corpus`` (:func:`support.paths.needs_corpus`) whose files are not there
    is skipped, or fails where the corpus is required."""
    from support.paths import no_corpus

    mark = item.get_closest_marker("corpus")
    if mark is not None and not all(mark.args):
        no_corpus()
