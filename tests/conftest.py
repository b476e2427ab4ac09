"""Shared test fixtures: where the recorded real Odoo answers live."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog

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
