"""Batched reads of what materials need: a bounded number of calls per batch of orders, whatever its size.

Per batch with special or urgent MOs (ids chunked by 1000): the MOs' open component moves (1), the components'
stock (1), open purchase lines of those components (1) and their orders (1) — both only with the purchase app —,
other incoming receipts of those components (1), and the vendor pricelists only when a draft RFQ is wanted for a
shortage (1). At most six; none in a batch without such MOs, so a quiet cycle stays at five calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from odoo_urgency.connector import Schema
from odoo_urgency.connector.records import ComponentMove, ComponentProduct, PurchaseLine, PurchaseOrder, VendorPrice

if TYPE_CHECKING:  # the daemon imports the materials step: at run time this reader needs nothing of it
    from odoo_urgency.jobs.daemon.reader import Reader

OPEN_MOVE_STATES = ["waiting", "confirmed", "partially_available", "assigned"]
#: Lines still bringing goods: RFQs (unconfirmed supply) and purchase orders, locked ones included.
OPEN_LINE_STATES = ["draft", "sent", "to approve", "purchase", "done"]


def chunks(ids: Sequence[int], size: int = 1000) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


@dataclass
class MaterialsData:
    moves: list[ComponentMove] = field(default_factory=list)
    products: dict[int, ComponentProduct] = field(default_factory=dict)
    lines: list[PurchaseLine] = field(default_factory=list)
    orders: dict[int, PurchaseOrder] = field(default_factory=dict)
    receipts: list[ComponentMove] = field(default_factory=list)


class MaterialsReader:
    def __init__(self, reader: Reader, schema: Schema) -> None:
        self.reader = reader
        self.schema = schema

    @property
    def purchase(self) -> bool:
        return self.schema.purchase_installed and self.schema.purchase_rights.get("purchase.order", {}).get("read", True)

    def read(self, mo_ids: Sequence[int]) -> MaterialsData:
        data = MaterialsData()
        for chunk in chunks(sorted(set(mo_ids))):
            domain = [("raw_material_production_id", "in", chunk), ("state", "in", OPEN_MOVE_STATES)]
            data.moves.extend(self.reader.records(ComponentMove, self.reader.search_rows(ComponentMove, domain)))
        product_ids = sorted({m.product_id.id for m in data.moves if m.product_id})
        if not product_ids:
            return data
        rows = self.reader.read_rows(ComponentProduct, product_ids)
        data.products = {p.id: p for p in self.reader.records(ComponentProduct, rows)}
        if self.purchase:
            lines = self._search(PurchaseLine, product_ids, [("state", "in", OPEN_LINE_STATES)])
            data.lines = [line for line in lines if line.open_quantity > 0 and line.order_id]
            order_ids = {line.order_id.id for line in data.lines if line.order_id}
            if order_ids:
                orders = self.reader.records(PurchaseOrder, self.reader.read_rows(PurchaseOrder, order_ids))
                data.orders = {o.id: o for o in orders}
        receipts: list[object] = [("state", "in", OPEN_MOVE_STATES), ("location_id.usage", "=", "supplier"),
                                  ("location_dest_id.usage", "=", "internal")]
        if "purchase_line_id" in self.schema.available_fields.get("stock.move", set()):
            receipts.append(("purchase_line_id", "=", False))  # those are counted through their PO lines
        data.receipts = self._search(ComponentMove, product_ids, receipts)
        return data

    def vendors(self, products: dict[int, ComponentProduct], product_ids: Sequence[int]) -> dict[int, list[VendorPrice]]:
        """Each product's vendor pricelist in the ERP's order (first = preferred): its own lines and its template's."""
        templates: dict[int, list[int]] = {}
        for product_id in product_ids:
            template = products[product_id].product_tmpl_id if product_id in products else None
            if template is not None:
                templates.setdefault(template.id, []).append(product_id)
        domain: list[object] = ["|", ("product_id", "in", sorted(product_ids)),
                                ("product_tmpl_id", "in", sorted(templates))]
        found: dict[int, list[VendorPrice]] = {}
        for price in self.reader.records(VendorPrice, self.reader.search_rows(VendorPrice, domain)):
            if price.product_id is not None:
                targets = [price.product_id.id] if price.product_id.id in product_ids else []
            else:
                targets = templates.get(price.product_tmpl_id.id, []) if price.product_tmpl_id else []
            for product_id in targets:
                found.setdefault(product_id, []).append(price)
        return found

    def _search(self, record: type[PurchaseLine] | type[ComponentMove], product_ids: Sequence[int],
                domain: list[object]) -> list:  # type: ignore[type-arg]
        out = []
        for chunk in chunks(list(product_ids)):
            rows = self.reader.search_rows(record, [("product_id", "in", chunk), *domain])
            out.extend(self.reader.records(record, rows))
        return out
