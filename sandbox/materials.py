"""Business behaviour of the materials models: component moves, purchase orders, receipts, vendor pricelists.

What Odoo 17's ``stock``, ``mrp``, ``purchase`` and ``purchase_stock`` do *as far as the urgency plugin can see
it over RPC*:

- a product variant gets its template (``product.template``) when none is given; ``free_qty`` (on hand minus what
  moves have reserved) and ``incoming_qty`` (open receipts) are computed at read time;
- a component move of an MO (``raw_material_production_id``) goes from WH/Stock to Virtual Locations/Production;
  its ``forecast_availability`` / ``forecast_expected_date`` follow Odoo's meaning (the quantity that will be there,
  and when the receipt that completes it arrives; ``False`` when it is there now);
- ``purchase.order``: ``P00001`` names, ``date_planned`` is the earliest line's and writing it moves every line
  (Odoo's inverse), ``button_confirm`` makes it a purchase order and creates its receipt ``WH/IN/…`` with one move
  per line; moving a line's ``date_planned`` moves its open receipt moves; ``button_cancel`` cancels both;
- ``stock.picking.button_validate`` on a receipt receives everything open: the moves are done, the PO lines'
  ``qty_received`` and the products' on-hand quantity grow.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .faults import UserError
from .models import StockPicking
from .orm import DT_FORMAT, BaseModel, Env, api_multi
from .store import Record

#: ids of the standard locations in an Odoo 17 demo database
SUPPLIERS, CUSTOMERS, STOCK, PRODUCTION = 4, 5, 8, 15
LOCATIONS = (
    (SUPPLIERS, "Vendors", "Partners/Vendors", "supplier"),
    (CUSTOMERS, "Customers", "Partners/Customers", "customer"),
    (STOCK, "Stock", "WH/Stock", "internal"),
    (14, "Inventory adjustment", "Virtual Locations/Inventory adjustment", "inventory"),
    (PRODUCTION, "Production", "Virtual Locations/Production", "production"),
)
OPEN_MOVE = ("draft", "waiting", "confirmed", "partially_available", "assigned")
RESERVING = ("partially_available", "assigned")


def load_locations(env: Env) -> None:
    """The standard locations (part of every stock database)."""
    for rid, name, complete, usage in LOCATIONS:
        env.model("stock.location", 1).create({"id": rid, "name": name, "complete_name": complete, "usage": usage})


# -- computed at read time ----------------------------------------------------------------------------
def _moves_of(env: Env, product_id: int) -> list[Record]:
    table = env.store.table("stock.move")
    return [table[i] for i in env.index("stock.move", "product_id").get(product_id, ())]


def _usage(env: Env, location_id: int | None) -> str:
    return (env.store.table("stock.location").get(location_id or 0) or {}).get("usage") or ""


def _incoming(env: Env, product_id: int) -> list[Record]:
    """Open receipt moves of a product, earliest first."""
    moves = [
        m for m in _moves_of(env, product_id)
        if m.get("state") in OPEN_MOVE and m.get("state") != "draft" and _usage(env, m.get("location_id")) == "supplier"
    ]  # fmt: skip
    return sorted(moves, key=lambda m: (m.get("date") or "", m["id"]))


def free_qty(env: Env, product: Record) -> float:
    reserved = sum(
        float(m.get("quantity") or 0.0)
        for m in _moves_of(env, product["id"])
        if m.get("state") in RESERVING and _usage(env, m.get("location_id")) == "internal"
    )
    return round(float(product.get("qty_available") or 0.0) - reserved, 4)


def compute(env: Env, model: str, name: str, rec: Record) -> Any:
    """Value of a non-stored computed field of the materials models (``None``: not one of them)."""
    if model == "product.product" and name == "free_qty":
        return free_qty(env, rec)
    if model == "product.product" and name == "incoming_qty":
        return sum(float(m.get("product_uom_qty") or 0) - float(m.get("quantity") or 0) for m in _incoming(env, rec["id"]))
    if model == "purchase.order.line" and name == "state":
        # Odoo 19 made it a plain related field (not stored): the order's state, read through
        return (env.store.table("purchase.order").get(rec.get("order_id") or 0) or {}).get("state")
    if model == "mrp.production" and name == "components_availability":
        return components_availability(env, rec)
    if model == "stock.move" and name in ("forecast_availability", "forecast_expected_date"):
        availability, when = _forecast(env, rec)
        return availability if name == "forecast_availability" else when
    return None


def components_availability(env: Env, mo: Record) -> str | bool:
    """Odoo 17's MO component status: Available, Not Available, or "Exp <date>" of the last expected receipt."""
    if mo.get("state") in ("draft", "done", "cancel"):
        return False
    table = env.store.table("stock.move")
    moves = [table[i] for i in env.index("stock.move", "raw_material_production_id").get(mo["id"], ())]
    open_moves = [m for m in moves if m.get("state") not in ("done", "cancel")]
    forecasts = [(_forecast(env, m), float(m.get("product_uom_qty") or 0.0)) for m in open_moves]
    if any(available < demand for (available, _), demand in forecasts):
        return "Not Available"
    dates = [str(when) for (_, when), _ in forecasts if when]
    if dates:
        return f"Exp {datetime.strptime(max(dates), DT_FORMAT):%m/%d/%Y}"
    return "Available"


def _forecast(env: Env, move: Record) -> tuple[float, str | bool]:
    """Odoo's forecast for one move: the quantity that will be available, and the date it will be (False: now)."""
    demand = float(move.get("product_uom_qty") or 0.0)
    if move.get("state") in ("done", "cancel", "draft"):
        return 0.0, False
    if _usage(env, move.get("location_id")) != "internal":
        return demand, False  # a receipt consumes nothing: Odoo forecasts it whole
    product = env.store.table("product.product").get(move.get("product_id") or 0) or {}
    have = float(move.get("quantity") or 0.0) + max(free_qty(env, product), 0.0) if product else 0.0
    if have >= demand:
        return demand, False
    for receipt in _incoming(env, product.get("id") or 0):
        have += float(receipt.get("product_uom_qty") or 0.0) - float(receipt.get("quantity") or 0.0)
        if have >= demand:
            return demand, receipt.get("date") or False
    return -demand, False  # Odoo shows a negative forecast when nothing planned covers the move


def display_name(env: Env, model: str, rec: Record) -> str | None:
    """Odoo 17's name of a vendor pricelist line is its vendor's (``None``: not a materials model)."""
    if model == "product.supplierinfo":
        return (env.store.table("res.partner").get(rec.get("partner_id") or 0) or {}).get("name") or ""
    return None


# -- models ---------------------------------------------------------------------------------------------
class ProductProduct(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        defaults = {"purchase_ok": True} if "purchase_ok" in self._fields else {}
        return {k: v for k, v in defaults.items() if k not in vals}

    def _prepare_create(self, rec: Record) -> None:
        if not rec.get("product_tmpl_id"):
            template = {"name": rec.get("name") or "Product", "default_code": rec.get("default_code") or False}
            rec["product_tmpl_id"] = self._sudo("product.template").create(template)


class StockMove(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        raw = bool(vals.get("raw_material_production_id"))
        product = self.env.store.table("product.product").get(vals.get("product_id") or 0)
        defaults = {
            "state": "draft",
            "procure_method": "make_to_stock",
            "date": self._now(),
            "quantity": 0.0,
            "sequence": 10,
            "name": self.env.display_name("product.product", product) if product else "New",
            "location_id": STOCK if raw else SUPPLIERS,
            "location_dest_id": PRODUCTION if raw else STOCK,
        }
        return {k: v for k, v in defaults.items() if k not in vals}


class PurchaseOrder(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        defaults = {
            "state": "draft",
            "priority": "0",
            "company_id": 1,
            "currency_id": 1,
            "date_order": self._now(),
            "user_id": self.uid,
            "name": "New",
        }
        return {k: v for k, v in defaults.items() if k not in vals}

    def _prepare_create(self, rec: Record) -> None:
        if not rec.get("name") or rec.get("name") == "New":
            rec["name"] = self.env.next_sequence("purchase.order", "P")

    def _lines(self, rid: int) -> list[int]:
        return sorted(self.env.index("purchase.order.line", "order_id").get(rid, set()))

    def _after_write(self, ids: list[int], vals: dict[str, Any]) -> None:
        if {"state", "partner_id"} & set(vals):
            lines = self.env.store.table("purchase.order.line")
            for rid in ids:
                for lid in self._lines(rid):
                    if (lines[lid].get("state"), lines[lid].get("partner_id")) != (
                        self._table[rid].get("state"),
                        self._table[rid].get("partner_id"),
                    ):
                        line = self.env.store.touch("purchase.order.line", lid)
                        line["state"], line["partner_id"] = self._table[rid].get("state"), self._table[rid].get("partner_id")
        if vals.get("date_planned") and "order_line" not in vals:
            # Odoo's inverse: the order's expected arrival is given to every line (and so to their receipts)
            line_model = self._sudo("purchase.order.line")
            for rid in ids:
                if self._lines(rid):
                    line_model.write(self._lines(rid), {"date_planned": self._table[rid]["date_planned"]})

    def recompute_date_planned(self, rid: int) -> None:
        """The earliest line's expected arrival (Odoo's ``_compute_date_planned``)."""
        lines = self.env.store.table("purchase.order.line")
        dates = [lines[i]["date_planned"] for i in self._lines(rid) if lines[i].get("date_planned")]
        if dates and self._table[rid].get("date_planned") != min(dates):
            self.env.store.touch(self._name, rid)["date_planned"] = min(dates)

    @api_multi
    def button_confirm(self, ids: list[int]) -> bool:
        """RFQ → purchase order, with its receipt (one move per line, due on the line's expected arrival)."""
        self._check("write")
        self._existing(ids)
        for rid in ids:
            if self._table[rid].get("state") not in ("draft", "sent", "to approve"):
                continue
            self._write([rid], {"state": "purchase", "date_approve": self._now()})
            self._create_receipt(rid)
        return True

    def _create_receipt(self, rid: int) -> None:
        order = self._table[rid]
        lines = self.env.store.table("purchase.order.line")
        picking = self._sudo("stock.picking").create(
            {
                "picking_type_code": "incoming",
                "origin": order["name"],
                "partner_id": order.get("partner_id"),
                "scheduled_date": order.get("date_planned") or self._now(),
                "state": "assigned",
                "user_id": False,
            }
        )
        moves = self._sudo("stock.move")
        for lid in self._lines(rid):
            line = lines[lid]
            moves.create(
                {
                    "product_id": line["product_id"],
                    "product_uom_qty": float(line["product_qty"]) - float(line.get("qty_received") or 0.0),
                    "purchase_line_id": lid,
                    "picking_id": picking,
                    "origin": order["name"],
                    "date": line.get("date_planned") or self._now(),
                    "state": "assigned",
                    "location_id": SUPPLIERS,
                    "location_dest_id": STOCK,
                }
            )

    @api_multi
    def button_cancel(self, ids: list[int]) -> bool:
        self._check("write")
        self._existing(ids)
        moves = self._sudo("stock.move")
        for rid in ids:
            if self._table[rid].get("state") == "done":
                raise UserError("Unable to cancel this purchase order. You must first cancel the related vendor bills.")
            for lid in self._lines(rid):
                open_moves = [
                    m for m in self.env.index("stock.move", "purchase_line_id").get(lid, set())
                    if moves._table[m].get("state") in OPEN_MOVE
                ]  # fmt: skip
                if open_moves:
                    moves.write(open_moves, {"state": "cancel"})
        self._write(ids, {"state": "cancel"})
        return True


class PurchaseOrderLine(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        order = self.env.store.table("purchase.order").get(vals.get("order_id") or 0) or {}
        product = self.env.store.table("product.product").get(vals.get("product_id") or 0)
        delay = self._vendor_delay(order.get("partner_id"), product)
        planned = order.get("date_planned") or _shift(self._now(), days=delay)
        defaults = {
            "product_qty": 1.0,
            "qty_received": 0.0,
            "price_unit": 0.0,
            "sequence": 10,
            "date_planned": planned,
            "name": self.env.display_name("product.product", product) if product else "/",
        }
        return {k: v for k, v in defaults.items() if k not in vals}

    def _vendor_delay(self, partner_id: int | None, product: Record | None) -> int:
        """The vendor's lead time from its pricelist (the first matching line), as Odoo's line default does."""
        if not product:
            return 0
        for info in sorted(self.env.store.table("product.supplierinfo").values(), key=lambda i: i["id"]):
            if info.get("partner_id") == partner_id and matches(info, product):
                return int(info.get("delay") or 0)
        return 0

    def _prepare_create(self, rec: Record) -> None:
        order = self.env.store.table("purchase.order").get(rec.get("order_id") or 0) or {}
        rec["partner_id"], rec["state"] = order.get("partner_id"), order.get("state")

    def _orders(self, ids: list[int]) -> set[int]:
        return {self._table[i]["order_id"] for i in ids if i in self._table and self._table[i].get("order_id")}

    def _after_create(self, rid: int, vals: dict[str, Any]) -> None:
        self._after_write([rid], vals)

    def _after_write(self, ids: list[int], vals: dict[str, Any]) -> None:
        orders = PurchaseOrder(self.env, "purchase.order", 1, {}, True)
        for oid in self._orders(ids):
            orders.recompute_date_planned(oid)
        if "date_planned" in vals:
            moves = self._sudo("stock.move")
            for lid in ids:
                open_moves = [
                    m for m in self.env.index("stock.move", "purchase_line_id").get(lid, set())
                    if moves._table[m].get("state") in OPEN_MOVE
                ]  # fmt: skip
                if open_moves:
                    moves.write(open_moves, {"date": self._table[lid]["date_planned"]})


def matches(info: Record, product: Record) -> bool:
    """Whether a vendor pricelist line applies to a product variant (its own, or its template's for all variants)."""
    if info.get("product_id"):
        return bool(info["product_id"] == product["id"])
    return bool(info.get("product_tmpl_id")) and info.get("product_tmpl_id") == product.get("product_tmpl_id")


class Picking(StockPicking):
    """Transfers, with ``button_validate`` for receipts: everything open is received."""

    @api_multi
    def button_validate(self, ids: list[int]) -> bool:
        self._check("write")
        self._existing(ids)
        moves = self._sudo("stock.move")
        lines = self._sudo("purchase.order.line") if "purchase.order.line" in self.env.models else None
        products = self._sudo("product.product")
        for rid in ids:
            for mid in sorted(self.env.index("stock.move", "picking_id").get(rid, set())):
                move = moves._table[mid]
                if move.get("state") not in OPEN_MOVE:
                    continue
                qty = float(move.get("product_uom_qty") or 0.0)
                moves.write([mid], {"state": "done", "quantity": qty, "date": self._now()})
                if _usage(self.env, move.get("location_id")) == "supplier":
                    product = products._table[move["product_id"]]
                    products._write([product["id"]], {"qty_available": float(product.get("qty_available") or 0) + qty})
                    line_id = move.get("purchase_line_id")
                    if lines is not None and line_id in lines._table:
                        got = float(lines._table[line_id].get("qty_received") or 0.0) + qty
                        lines.write([line_id], {"qty_received": got})
            self._write([rid], {"state": "done", "date_done": self._now()})
        return True


def _shift(value: str, **delta: float) -> str:
    return (datetime.strptime(value, DT_FORMAT) + timedelta(**delta)).strftime(DT_FORMAT)


CLASSES: dict[str, type[BaseModel]] = {
    "product.product": ProductProduct,
    "stock.move": StockMove,
    "purchase.order": PurchaseOrder,
    "purchase.order.line": PurchaseOrderLine,
    "stock.picking": Picking,
}
