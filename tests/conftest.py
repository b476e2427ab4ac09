"""Shared test fixtures: where the recorded real Odoo answers live."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from hypothesis import settings as hypothesis_settings

# CI runs the property tests with fixed examples and no example database, so a run is reproducible: a red CI is
# the code's doing, not the dice's. Developers keep hypothesis's random search (and its database) to find bugs.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "odoo-fixtures"


@pytest.fixture(scope="session")
def odoo_fixtures() -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(f"recorded Odoo answers not found at {FIXTURES}")
    return FIXTURES


@pytest.fixture(autouse=True)
def _fresh_logging() -> Iterator[None]:
    """A command run in-process binds its log output to the stream of that test; the next test starts clean."""
    yield
    structlog.reset_defaults()
