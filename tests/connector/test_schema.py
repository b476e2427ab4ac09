"""The schema detects what each recorded server has (16–19) and hides the differences: the MO's planned
dates, and the order ↔ MO link (procurement groups until 18, stock references on 19)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from odoo_urgency.connector import Schema, UnknownNameError, detect
from odoo_urgency.connector.records import ManufacturingOrder, Picking, Product, SaleOrder


class RecordedServer:
    """Answers ``version`` and ``fields_get`` as the recorded Odoo did (the models its fixtures hold)."""

    def __init__(self, root: Path, version: int, *, drop: dict[str, set[str]] | None = None,
                 add: dict[str, dict[str, Any]] | None = None) -> None:
        self.root = root / f"odoo-{version}"
        self.server_version = json.loads((self.root / "version.json").read_text())
        self.major_version = int(self.server_version["server_version_info"][0])
        self.drop = drop or {}
        self.add = add or {}

    def version(self) -> dict[str, Any]:
        return self.server_version

    def fields_get(self, model: str) -> dict[str, Any]:
        path = self.root / "fields" / f"{model}.json"
        if not path.exists():
            raise UnknownNameError(f"Object {model} doesn't exist")
        fields = {k: v for k, v in json.loads(path.read_text()).items() if k not in self.drop.get(model, set())}
        return {**fields, **self.add.get(model, {})}


#: Odoo 19 keeps the link on stock references: fields its source declares (sale_stock, mrp), absent from the
#: recorded field lists, which hold the fields the plugin read before 19.
REFERENCES_19 = {
    "sale.order": {"stock_reference_ids": {"type": "many2many", "relation": "stock.reference"}},
    "mrp.production": {"reference_ids": {"type": "many2many", "relation": "stock.reference"}},
}


def _detect(root: Path, version: int, **kwargs: Any) -> Schema:
    return detect(RecordedServer(root, version, **kwargs), with_rights=False)  # type: ignore[arg-type]


@pytest.mark.parametrize("version, start, link", [
    (16, "date_planned_start", "procurement_group_id"),
    (17, "date_start", "procurement_group_id"),
    (18, "date_start", "procurement_group_id"),
])
def test_before_19_orders_and_mos_share_a_procurement_group(odoo_fixtures: Path, version: int, start: str,
                                                            link: str) -> None:
    schema = _detect(odoo_fixtures, version)
    assert schema.mo_planned_start_field == start
    assert schema.link_fields == {"sale.order": link, "mrp.production": link}
    assert link in schema.fields_for(SaleOrder) and link in schema.fields_for(ManufacturingOrder)
    row = schema.to_record_row("mrp.production", {"id": 4, link: [12, "S00012"], start: "2026-01-01 08:00:00"})
    assert ManufacturingOrder.model_validate(row).links == [12]
    assert schema.linked_domain("sale.order", {12, 3}) == [(link, "in", [3, 12])]


def test_on_19_the_link_is_the_stock_references(odoo_fixtures: Path) -> None:
    schema = _detect(odoo_fixtures, 19, add=REFERENCES_19)
    assert schema.link_fields == {"sale.order": "stock_reference_ids", "mrp.production": "reference_ids"}
    fields = schema.fields_for(SaleOrder)
    assert "procurement_group_id" not in fields and "stock_reference_ids" in fields
    assert "procurement_group_id" not in schema.fields_for(ManufacturingOrder)
    order = SaleOrder.model_validate(schema.to_record_row("sale.order", {"id": 1, "stock_reference_ids": [9, 4]}))
    assert order.links == [4, 9]
    assert schema.linked_domain("mrp.production", [4, 9]) == [("reference_ids", "in", [4, 9])]


def test_what_decides_is_the_fields_not_the_version_number(odoo_fixtures: Path) -> None:
    """A 19 whose fields answer without any link (stock references hidden from this user, say) reads no link
    field and matches MOs by origin; a 17 that lost its procurement group field does the same."""
    for version, drop in ((19, {}), (17, {"sale.order": {"procurement_group_id"},
                                          "mrp.production": {"procurement_group_id"}})):
        schema = _detect(odoo_fixtures, version, drop=drop)
        assert schema.link_fields == {}
        assert "procurement_group_id" not in schema.fields_for(SaleOrder)
        assert schema.linked_domain("sale.order", [1]) == []
        assert SaleOrder.model_validate(schema.to_record_row("sale.order", {"id": 1})).links == []


def test_no_version_lacks_a_field_the_plugin_reads_that_17_has(odoo_fixtures: Path) -> None:
    """The recorded field lists are subsets (what the plugin read when they were recorded): a field none of them
    holds shows up as missing on every version alike. A field only some version lacks is a version difference
    the schema must hide (19 dropped procurement_group_id: it must not be asked there)."""
    records = (SaleOrder, ManufacturingOrder, Picking, Product)
    reference = set(_detect(odoo_fixtures, 17).missing_fields(records))
    for version in (16, 18, 19):
        schema = _detect(odoo_fixtures, version, add=REFERENCES_19 if version == 19 else None)
        assert set(schema.missing_fields(records)) == reference, version


def test_a_field_the_server_lacks_is_named(odoo_fixtures: Path) -> None:
    schema = _detect(odoo_fixtures, 19, drop={"stock.picking": {"sale_id"}, "mrp.production": {"priority"}})
    unrecorded = set(_detect(odoo_fixtures, 19).missing_fields((SaleOrder, ManufacturingOrder, Picking)))
    missing = [name for name in schema.missing_fields((SaleOrder, ManufacturingOrder, Picking)) if name not in unrecorded]
    assert missing == ["mrp.production.priority", "stock.picking.sale_id"]
    assert "sale_id" not in schema.fields_for(Picking)
