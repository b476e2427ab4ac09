"""Shared test fixtures: where the recorded real Odoo answers live."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "odoo-fixtures"


@pytest.fixture(scope="session")
def odoo_fixtures() -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(f"recorded Odoo answers not found at {FIXTURES}")
    return FIXTURES
