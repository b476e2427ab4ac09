"""The work orders' planned dates have other names in Odoo 16: the schema hides them (like the MO's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from odoo_urgency.connector.schema import Schema

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "odoo-fixtures"


def sixteen() -> Schema:
    return Schema(major=16, mo_planned_start_field="date_planned_start", mo_planned_finish_field="date_planned_finished",
                  wo_planned_start_field="date_planned_start", wo_planned_finish_field="date_planned_finished")


def test_sixteen_reads_and_writes_the_planned_fields() -> None:
    schema = sixteen()
    row = schema.to_record_row("mrp.workorder", {"id": 1, "date_planned_start": "2030-01-07 08:00:00",
                                                  "date_planned_finished": "2030-01-07 10:00:00",
                                                  "date_start": "2030-01-07 08:05:00"})
    assert (row["planned_start"], row["planned_finished"]) == ("2030-01-07 08:00:00", "2030-01-07 10:00:00")
    assert row["date_start"] == "2030-01-07 08:05:00"  # 16's actual start stays what it is
    values = schema.to_odoo_values("mrp.workorder", {"planned_start": "a", "planned_finished": "b"})
    assert values == {"date_planned_start": "a", "date_planned_finished": "b"}


def test_seventeen_and_later_use_date_start() -> None:
    schema = Schema(major=17)
    assert schema.planned_fields("mrp.workorder") == ("date_start", "date_finished")
    assert schema.to_odoo_values("mrp.workorder", {"planned_start": "a"}) == {"date_start": "a"}


@pytest.mark.parametrize("version", ["16", "17", "18", "19"])
def test_the_recorded_servers_have_the_fields_the_schema_names(version: str) -> None:
    path = FIXTURES / f"odoo-{version}" / "fields" / "mrp.workorder.json"
    if not path.is_file():
        pytest.skip(f"no recorded Odoo {version}")
    fields = json.loads(path.read_text())
    schema = sixteen() if "date_planned_start" in fields else Schema(major=int(version))
    assert set(schema.planned_fields("mrp.workorder")) <= set(fields)
    assert (version == "16") == ("date_planned_start" in fields)
