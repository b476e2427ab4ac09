"""Materials in the sandbox: component moves, purchase orders and their receipts, vendor pricelists, and an ERP
without the purchase app — each as seen over RPC, the way the plugin sees a real Odoo 17."""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import pytest

from odoo_urgency.sandbox import Sandbox

from .helpers import execute


def _story(sb: Sandbox) -> dict[str, Any]:
    found = sb.env.search_read("purchase.order", [("name", "=", "P00001")], ["id", "order_line", "user_id"])
    moves = sb.env.search_read("stock.move", [("raw_material_production_id", "!=", False)], ["product_id"])
    return {"po": found[0], "moves": moves}


def test_demo_story_late_purchase_order(sb: Sandbox) -> None:
    story = _story(sb)
    assert story["po"]["user_id"][1] == "Purchasing Buyer"
    moves = execute(
        sb, "stock.move", "search_read", [("raw_material_production_id.origin", "=", "S00001")],
        fields=["product_id", "product_uom_qty", "quantity", "state", "forecast_availability",
                "forecast_expected_date", "location_id", "location_dest_id"],
    )  # fmt: skip
    by_code = {m["product_id"][1].split("]")[0][1:]: m for m in moves}
    assert set(by_code) == {"MCU-32", "CABLE-8", "HSG-1"}
    chip, cable, housing = by_code["MCU-32"], by_code["CABLE-8"], by_code["HSG-1"]
    assert (chip["product_uom_qty"], chip["quantity"], chip["state"]) == (16.0, 0.0, "confirmed")
    line = execute(sb, "purchase.order.line", "read", story["po"]["order_line"], ["date_planned", "product_qty"])[0]
    assert chip["forecast_expected_date"] == line["date_planned"] and chip["forecast_availability"] == 16.0
    assert cable["forecast_availability"] == -8.0 and cable["forecast_expected_date"] is False
    assert housing["state"] == "assigned" and housing["forecast_expected_date"] is False
    assert chip["location_id"][1] == "WH/Stock" and chip["location_dest_id"][1] == "Virtual Locations/Production"


def test_confirm_creates_receipt_and_dates_follow_the_buyer(sb: Sandbox) -> None:
    chip = sb.env.search("product.product", [("default_code", "=", "MCU-32")])[0]
    vendor = sb.env.search("res.partner", [("name", "ilike", "Chip Supply")])[0]
    po = execute(
        sb,
        "purchase.order",
        "create",
        {"partner_id": vendor, "order_line": [(0, 0, {"product_id": chip, "product_qty": 5, "price_unit": 3.0})]},
    )
    line = execute(sb, "purchase.order", "read", [po], ["order_line", "date_planned", "state", "priority"])[0]
    assert line["state"] == "draft" and line["priority"] == "0"
    [line_row] = execute(sb, "purchase.order.line", "read", line["order_line"], ["state", "partner_id", "date_planned"])
    assert line_row["state"] == "draft" and line_row["partner_id"][0] == vendor
    assert line_row["date_planned"] == line["date_planned"]  # the vendor's 5-day lead time, from its pricelist
    execute(sb, "purchase.order", "button_confirm", [po])
    assert execute(sb, "purchase.order.line", "read", line["order_line"], ["state"])[0]["state"] == "purchase"
    moves = execute(
        sb, "stock.move", "search_read", [("purchase_line_id", "in", line["order_line"])], fields=["date", "state", "picking_id"]
    )
    assert len(moves) == 1 and moves[0]["state"] == "assigned" and moves[0]["picking_id"][1].startswith("WH/IN/")
    before = execute(sb, "product.product", "read", [chip], ["incoming_qty"])[0]["incoming_qty"]
    execute(sb, "purchase.order", "write", [po], {"date_planned": "2031-01-02 08:00:00"})
    assert (
        execute(sb, "purchase.order.line", "read", line["order_line"], ["date_planned"])[0]["date_planned"]
        == "2031-01-02 08:00:00"
    )
    assert execute(sb, "stock.move", "read", [moves[0]["id"]], ["date"])[0]["date"] == "2031-01-02 08:00:00"
    assert before >= 25.0  # P00001's 20 and these 5


def test_receiving_a_receipt_closes_the_shortage(sb: Sandbox) -> None:
    story = _story(sb)
    line_id = story["po"]["order_line"][0]
    [move] = execute(sb, "stock.move", "search_read", [("purchase_line_id", "=", line_id)], fields=["picking_id"])
    chip = sb.env.search("product.product", [("default_code", "=", "MCU-32")])[0]
    execute(sb, "stock.picking", "button_validate", [move["picking_id"][0]])
    assert execute(sb, "purchase.order.line", "read", [line_id], ["qty_received"])[0]["qty_received"] == 20.0
    product = execute(sb, "product.product", "read", [chip], ["qty_available", "free_qty", "incoming_qty"])[0]
    assert (product["qty_available"], product["free_qty"], product["incoming_qty"]) == (20.0, 20.0, 0.0)
    [raw] = execute(
        sb,
        "stock.move",
        "search_read",
        [("product_id", "=", chip), ("raw_material_production_id", "!=", False)],
        fields=["forecast_expected_date", "forecast_availability"],
    )
    assert raw["forecast_expected_date"] is False and raw["forecast_availability"] == 16.0


def test_cancel_cancels_the_open_receipt_moves(sb: Sandbox) -> None:
    story = _story(sb)
    execute(sb, "purchase.order", "button_cancel", [story["po"]["id"]])
    moves = execute(sb, "stock.move", "search_read", [("purchase_line_id", "in", story["po"]["order_line"])], fields=["state"])
    assert [m["state"] for m in moves] == ["cancel"]
    assert execute(sb, "purchase.order.line", "read", story["po"]["order_line"], ["state"])[0]["state"] == "cancel"


def test_vendor_pricelist_by_template(sb: Sandbox) -> None:
    cable = execute(sb, "product.product", "search_read", [("default_code", "=", "CABLE-8")], fields=["product_tmpl_id"])[0]
    infos = execute(
        sb,
        "product.supplierinfo",
        "search_read",
        [("product_tmpl_id", "=", cable["product_tmpl_id"][0])],
        fields=["partner_id", "delay", "min_qty", "product_id", "display_name"],
    )
    assert [(i["partner_id"][1], i["delay"], i["min_qty"], i["product_id"]) for i in infos] == [
        ("Cable Co. 线缆公司", 2, 10.0, False)
    ]
    assert infos[0]["display_name"] == "Cable Co. 线缆公司"


def test_without_the_purchase_app() -> None:
    with Sandbox(demo=True, purchase=False) as sb:
        for model in ("purchase.order", "purchase.order.line", "product.supplierinfo"):
            with pytest.raises(xmlrpc.client.Fault) as err:
                execute(sb, model, "fields_get", attributes=["type"])
            assert f"Object {model} doesn't exist" in err.value.faultString
        fields = execute(sb, "stock.move", "fields_get", attributes=["type"])
        assert "purchase_line_id" not in fields and "raw_material_production_id" in fields
        assert len(execute(sb, "stock.move", "search", [("raw_material_production_id", "!=", False)])) == 3
