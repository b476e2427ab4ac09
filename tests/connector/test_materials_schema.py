"""Odoo 16-19 differences of the materials models, from the recorded ``fields_get`` of each version: the schema
names the reserved quantity and reads only fields the version has."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from odoo_urgency.connector import Schema
from odoo_urgency.connector.records import ComponentMove, ComponentProduct, PurchaseLine, PurchaseOrder, VendorPrice

VERSIONS = (16, 17, 18, 19)


def _fields(fixtures: Path, version: int, model: str) -> set[str]:
    return set(json.loads((fixtures / f"odoo-{version}" / "fields" / f"{model}.json").read_text()))


def _schema(fixtures: Path, version: int) -> Schema:
    """What ``connector.schema.detect`` makes of this version's answers."""
    schema = Schema(major=version, purchase_installed=True)
    for model in ("stock.move", "purchase.order", "purchase.order.line", "product.supplierinfo", "product.product"):
        schema.available_fields[model] = _fields(fixtures, version, model)
    if "reserved_availability" in schema.available_fields["stock.move"]:
        schema.move_reserved_field = "reserved_availability"
    return schema


@pytest.mark.parametrize("version", VERSIONS)
def test_reserved_quantity_and_forecast_fields_per_version(odoo_fixtures: Path, version: int) -> None:
    schema = _schema(odoo_fixtures, version)
    wanted = schema.fields_for(ComponentMove)
    assert ("reserved_availability" in wanted) == (version == 16)
    assert ("quantity" in wanted) == (version >= 17)
    assert {"forecast_availability", "forecast_expected_date", "raw_material_production_id"} <= set(wanted)
    row = {"id": 1, "product_id": [7, "Chip"], "product_uom_qty": 16.0, schema.move_reserved_field: 4.0,
           "state": "partially_available", "forecast_expected_date": "2026-12-08 07:00:00"}
    move = ComponentMove.model_validate(schema.to_record_row("stock.move", row))
    assert move.reserved == 4.0 and move.forecast_expected_date is not None


@pytest.mark.parametrize("version", VERSIONS)
def test_every_field_read_exists_in_the_version(odoo_fixtures: Path, version: int) -> None:
    schema = _schema(odoo_fixtures, version)
    for record in (ComponentMove, PurchaseLine, PurchaseOrder, VendorPrice):
        wanted = schema.fields_for(record)
        missing = set(wanted) - schema.available_fields[record.odoo_model()] - {"display_name", "x_urgency_memo"}
        assert missing == set(), (version, record.odoo_model(), missing)
    assert "priority" in schema.available_fields["purchase.order"]  # 16-19 all have it: a late PO can be raised
    assert schema.can_raise_po_priority()
    # free_qty is not in the recorded subset of product.product: the reader asks only for what the server has.
    product = set(schema.fields_for(ComponentProduct))
    assert "qty_available" in product and "free_qty" not in product


def test_purchase_states_differ_but_open_lines_are_found(odoo_fixtures: Path) -> None:
    """19 dropped the "done" (Locked) state of purchase orders; the reader asks for it anyway (an unknown value in
    an ``in`` leaf matches nothing), so one domain serves every version."""
    for version in VERSIONS:
        states = {key for key, _ in json.loads(
            (odoo_fixtures / f"odoo-{version}" / "fields" / "purchase.order.line.json").read_text())["state"]["selection"]}
        assert {"draft", "sent", "to approve", "purchase"} <= states
        assert ("done" in states) == (version < 19)


def test_purchasing_follow_up_off_without_the_app() -> None:
    on, why = Schema(purchase_installed=False).purchasing_followup()
    assert not on and "purchase app is not installed" in why[0]
    schema = Schema(purchase_installed=True, purchase_rights={"purchase.order": {"read": False, "write": False}})
    on, why = schema.purchasing_followup()
    assert not on and "may not read purchase orders" in why[0]
    schema = Schema(purchase_installed=True, custom_fields={"sale.order": {"x_urgency", "x_urgency_deadline",
                                                                            "x_urgency_memo"}})
    on, why = schema.purchasing_followup()
    assert on and "run `odoo-urgency install` again" in why[0] and not schema.can_raise_po_priority()
