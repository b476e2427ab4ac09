"""Demo story 8 — materials: an urgent order whose component sits on a late purchase order.

S00001 (line stop, urgent) is made by WH/MO/00001: 4 controller boards, each needing 4 MCU chips, 2 connector
cables and 1 housing. The components, as the MO's raw-material moves:

- **MCU-32** MCU chip STM32: 16 needed, none on hand; purchase order **P00001** (vendor Shenzhen Chip Supply
  深圳芯片供应, buyer "Purchasing Buyer", confirmed, receipt WH/IN/00001) brings 20 in 5 days — after the MO
  must start. Plugin: raise P00001's priority and ask the buyer to expedite, with the numbers.
- **CABLE-8** connector cable: 8 needed, 2 on hand, nothing on order; its vendor pricelist names Cable Co. 线缆公司
  (lead time 2 days). Plugin: tell purchasing (and, if enabled, draft an RFQ from Cable Co.).
- **HSG-1** housing: 4 needed, 40 on hand. Nothing to do.

A draft RFQ **P00002** (Cable Co., 50 housings in 10 days) is open supply nobody needs yet. The buyer is a new
user ``buyer`` (password ``buyer``), created after everyone else so the ids of the other stories do not move.
Loaded only when the database serves the purchase app for the orders; the component moves are there either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import odoo19
from .materials import PurchaseOrder
from .orm import Env


def load(env: Env, at: Callable[..., str], ids: dict[str, Any], create: Callable[[str, dict[str, Any]], int]) -> dict[str, Any]:
    """Create story 8 after the other stories; returns the ids worth knowing."""
    buyer = create("res.users", {"name": "Purchasing Buyer", "login": "buyer", "groups_id": [(6, 0, [1, 6])]})
    env.store.touch("res.users", buyer)["password"] = "buyer"
    ids["users"]["buyer"] = buyer

    def component(code: str, name: str, on_hand: float) -> int:
        vals = {"default_code": code, "name": name, "qty_available": on_hand, "virtual_available": on_hand,
                "lst_price": 0.0, **odoo19.storable(env.odoo_version)}  # fmt: skip
        return create("product.product", vals)

    chip = component("MCU-32", "MCU chip STM32 微控制器", 0.0)
    cable = component("CABLE-8", "Connector cable 连接线", 2.0)
    housing = component("HSG-1", "Controller housing 外壳", 40.0)
    mo = env.store.table("mrp.production")
    line_stop_mo = next(i for i in sorted(mo) if mo[i].get("origin") == "S00001")
    for product, quantity, reserved in ((chip, 16.0, 0.0), (cable, 8.0, 2.0), (housing, 4.0, 4.0)):
        state = "assigned" if reserved >= quantity else "partially_available" if reserved else "confirmed"
        create("stock.move", {"product_id": product, "product_uom_qty": quantity, "quantity": reserved,
                              "raw_material_production_id": line_stop_mo, "origin": "S00001", "state": state,
                              "date": mo[line_stop_mo]["date_start"]})  # fmt: skip
    out: dict[str, Any] = {"components": {"chip": chip, "cable": cable, "housing": housing}, "mo": line_stop_mo}
    if "purchase.order" not in env.models:
        return out
    chips = create("res.partner", {"name": "Shenzhen Chip Supply 深圳芯片供应", "is_company": True})
    cables = create("res.partner", {"name": "Cable Co. 线缆公司", "is_company": True})
    templates = env.store.table("product.product")
    create("product.supplierinfo", {"partner_id": chips, "product_tmpl_id": templates[chip]["product_tmpl_id"],
                                    "min_qty": 1.0, "price": 3.2, "delay": 5})  # fmt: skip
    create("product.supplierinfo", {"partner_id": cables, "product_tmpl_id": templates[cable]["product_tmpl_id"],
                                    "min_qty": 10.0, "price": 1.5, "delay": 2})  # fmt: skip
    late = create("purchase.order", {"partner_id": chips, "user_id": buyer, "date_order": at(days=-2),
                                     "order_line": [(0, 0, {"product_id": chip, "product_qty": 20.0, "price_unit": 3.2,
                                                            "date_planned": at(days=5)})]})  # fmt: skip
    PurchaseOrder(env, "purchase.order", 2, {}, True).button_confirm([late])
    rfq = create("purchase.order", {"partner_id": cables, "user_id": buyer,
                                    "order_line": [(0, 0, {"product_id": housing, "product_qty": 50.0,
                                                           "price_unit": 9.0, "date_planned": at(days=10)})]})  # fmt: skip
    out.update(late_po=late, rfq=rfq, vendors={"chips": chips, "cables": cables})
    return out
