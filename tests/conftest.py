"""Test configuration: Hypothesis profiles and the path to the shared helpers.

Profiles are chosen with ``HYPOTHESIS_PROFILE`` (``dev``, ``ci`` or ``fuzz``); ``ci`` is the
default when ``CI`` is set, and ``.ci/run`` chooses it.

Tests that run against the clock or over real sockets (servers, peers, floods, races) are
marked ``realtime``: ``.ci/run`` runs the others on every CPU (pytest-xdist) and these alone,
one at a time, so that no other test's load decides whether a deadline is met.
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
# CI: as many examples as a developer's run, drawn the same way every time, so that a run
# that passes passes again and a failure is the same failure on every machine; the fuzz
# profile is the deep search.
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


#: Modules whose tests all run against the clock or over real sockets (see the module
#: docstring); elsewhere such a test is marked one by one.
_REALTIME_MODULES = frozenset(
    {
        "test_aio_cli",
        "test_aio_client_hostile",
        "test_aio_client_peers",
        "test_aio_download_files",
        "test_aio_loop",
        "test_aio_paths",
        "test_aio_peers",
        "test_aio_pump",
        "test_aio_races",
        "test_aio_server",
        "test_aio_server_defences",
        "test_aio_server_peers",
        "test_aio_server_soak",
        "test_cli_get",
        "test_fleet_load",
        "test_generate_peers",
        "test_inventory_serve",
        "test_provision_live",
        "test_provision_peers",
        "test_tftp_interop",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.stem in _REALTIME_MODULES:
            item.add_marker(pytest.mark.realtime)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``corpus`` (:func:`support.paths.needs_corpus`) whose files are not there
    is skipped, or fails where the corpus is required."""
    from support.paths import no_corpus

    mark = item.get_closest_marker("corpus")
    if mark is not None and not all(mark.args):
        no_corpus()
