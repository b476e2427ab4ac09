"""A fresh demo sandbox (database "urgency", like the recorded fixtures) per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from odoo_urgency.sandbox import Sandbox


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(demo=True, database="urgency") as sandbox:
        yield sandbox
