"""Reading what the assessment judges, in batches: the sale orders of a range and everything serving them.

One keyset-paged read for the orders received in ``[start, end)``, then one read per related model per chunk of
ids: partners (and parents), categories and tags (only for orders whose tier must be computed), the transfers of
urgent orders, the MOs of special and urgent orders (by the link the schema knows, or origin) and their work
orders, the overtime the capacity planner asked for them (its alerts' machine-readable line, on open activities
and in the chatter messages of done ones: two searches, and the work centers' names), the purchase lines the
materials pass flagged since the range's start (read back the same way) with their orders and done receipt moves,
the companies and the currencies. A model the ERP does not have (an app not installed: "doesn't exist") leaves its
records ``None`` and says why in ``Records.notes``; the fields read are those the server has (Odoo 16–19 differ).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from odoo_urgency.connector import AccessError, OdooClient, Schema, UnknownNameError
from odoo_urgency.connector.records import (
    Company,
    Currency,
    ManufacturingOrder,
    OdooRecord,
    Partner,
    PartnerCategory,
    Picking,
    PurchaseLine,
    PurchaseOrder,
    Receipt,
    SaleOrder,
    Tag,
    WorkOrder,
    format_datetime,
)
from odoo_urgency.policies import Rules, Tier
from odoo_urgency.policies.assessment import Classifying, Records, report_tiers
from odoo_urgency.policies.flagged import FLAGGED_LINE, Flag, earliest, flags_in
from odoo_urgency.policies.planning.asks import OVERTIME_LINE, OvertimeAsk, overtime_in

#: Ids per ``read`` / per ``in`` domain: keeps each request bounded whatever the month's volume.
CHUNK = 1000
ORDER_FIELDS = (
    "name", "state", "create_date", "date_order", "commitment_date", "partner_id", "user_id", "team_id",
    "company_id", "amount_total", "currency_id", "currency_rate", "client_order_ref", "note", "tag_ids",
)
INSTALL_FIELDS = ("x_urgency", "x_urgency_manual")
PICKING_FIELDS = ("name", "sale_id", "state", "picking_type_code", "picking_type_id", "scheduled_date", "date_done",
                  "write_date", "company_id", "x_urgency_memo")
MO_FIELDS = ("name", "state", "origin", "date_deadline", "date_finished", "company_id", "x_urgency_memo")
#: Models whose readable fields depend on the version, the plugin's install or another app (purchase_stock ...).
VARYING = frozenset({"sale.order", "stock.picking", "mrp.production", "mrp.workorder", "purchase.order",
                     "purchase.order.line", "stock.move"})
R = TypeVar("R", bound=OdooRecord)


def chunks(ids: Iterable[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    ordered = sorted(set(ids))
    for index in range(0, len(ordered), size):
        yield ordered[index:index + size]


class Reader:
    """Reads for one assessment; ``fields_of`` asks the server once per model which fields it has."""

    def __init__(self, client: OdooClient, schema: Schema, *, page_size: int | None = None) -> None:
        self.client = client
        self.schema = schema
        self.page_size = page_size
        self._fields: dict[str, set[str] | None] = {}

    def fields_of(self, model: str) -> set[str] | None:
        """The model's fields, or None when the ERP does not have the model (its app is not installed)."""
        if model not in self._fields:
            try:
                self._fields[model] = set(self.client.fields_get(model))
            except (UnknownNameError, AccessError):  # not installed, or not this user's to read
                self._fields[model] = None
        return self._fields[model]

    def wanted(self, model: str, names: Iterable[str]) -> list[str]:
        """The fields of ``names`` this server has; asked only of the models whose fields differ between versions,
        installs and apps (the others have had these fields in every version: no call needed)."""
        if model not in VARYING:
            return list(names)
        have = self.fields_of(model) or set()
        return [name for name in names if name in have]

    def search(self, record: type[R], domain: list[Any], names: Sequence[str]) -> list[R]:
        model = record.odoo_model()
        rows: list[R] = []
        for page in self.client.search_read_all(model, domain, self.wanted(model, names), page_size=self.page_size):
            rows.extend(record.model_validate(self.schema.to_record_row(model, row)) for row in page)
        return rows

    def search_in(self, record: type[R], field: str, values: Iterable[Any], names: Sequence[str],
                  extra: Sequence[Any] = ()) -> list[R]:
        found: list[R] = []
        for chunk in chunks(values):
            found.extend(self.search(record, [(field, "in", chunk), *extra], names))
        return found

    def read(self, record: type[R], ids: Iterable[int], names: Sequence[str]) -> list[R]:
        model = record.odoo_model()
        found: list[R] = []
        for chunk in chunks(ids):
            found.extend(record.model_validate(row) for row in self.client.read(model, chunk,
                                                                                 self.wanted(model, names)))
        return found


def _orders(reader: Reader, rules: Rules, start: datetime, end: datetime, install_mode: bool) -> list[SaleOrder]:
    domain: list[Any] = [("create_date", ">=", format_datetime(start)), ("create_date", "<", format_datetime(end)),
                         ("state", "!=", "cancel")]
    if rules.companies:
        domain.append(("company_id", "in", list(rules.companies)))
    links = reader.schema.link_fields_of("sale.order")  # procurement group (16–18) or stock references (19)
    return reader.search(SaleOrder, domain, [*ORDER_FIELDS, *links, *(INSTALL_FIELDS if install_mode else ())])


def _classifying(reader: Reader, orders: Sequence[SaleOrder], install_mode: bool) -> Classifying:
    """What classify needs for the orders that carry no tier (partners are read for every order: the penalty
    history goes by commercial partner)."""
    partners = {p.id: p for p in reader.read(Partner, {o.partner_id.id for o in orders if o.partner_id},
                                             Partner.odoo_fields())}
    parents = {p.parent_id.id for p in partners.values() if p.parent_id} - set(partners)
    partners.update({p.id: p for p in reader.read(Partner, parents, Partner.odoo_fields())})
    unknown = [o for o in orders if not (install_mode and Tier.parse(o.x_urgency))]
    categories: dict[int, str] = {}
    tags: dict[int, str] = {}
    if unknown:
        ids = {c for p in partners.values() for c in p.category_id}
        categories = {c.id: c.name for c in reader.read(PartnerCategory, ids, PartnerCategory.odoo_fields())}
        tags = {t.id: t.name for t in reader.read(Tag, {t for o in unknown for t in o.tag_ids}, Tag.odoo_fields())}
    return Classifying(partners=partners, category_names=categories, tag_names=tags, install_mode=install_mode,
                       tier_tag_ids={})


def _production(reader: Reader, orders: Sequence[SaleOrder], tiers: dict[int, Tier]
                ) -> tuple[list[ManufacturingOrder] | None, list[WorkOrder] | None]:
    if reader.fields_of("mrp.production") is None:
        return None, None
    served = [o for o in orders if tiers.get(o.id) in (Tier.SPECIAL, Tier.URGENT)]
    link_field = reader.schema.link_fields_of("mrp.production")
    names = [*MO_FIELDS, reader.schema.mo_planned_start_field, *link_field]
    mos = reader.search_in(ManufacturingOrder, link_field[0], {link for o in served for link in o.links},
                           names) if link_field else []
    known = {mo.id for mo in mos}
    mos += [mo for mo in reader.search_in(ManufacturingOrder, "origin", {o.name for o in served}, names)
            if mo.id not in known]
    if reader.fields_of("mrp.workorder") is None:
        return mos, None
    return mos, reader.search_in(WorkOrder, "production_id", {mo.id for mo in mos}, WorkOrder.odoo_fields())


def _overtime(reader: Reader, mos: Sequence[ManufacturingOrder]) -> dict[int, list[OvertimeAsk]]:
    """MO id → the overtime the planner asked for it: from its open activities, else from the chatter message
    Odoo posted when one was marked done (the same note). The salesperson's and the planner's alerts carry the same
    line: one per MO is taken, the earliest."""
    ids = [mo.id for mo in mos]
    found: dict[int, list[OvertimeAsk]] = {}
    sources = (("mail.activity", "res_model", "note"), ("mail.message", "model", "body"))
    for model, model_field, text in sources:
        for chunk in chunks(ids):
            domain = [(model_field, "=", "mrp.production"), ("res_id", "in", chunk), (text, "ilike", OVERTIME_LINE)]
            for row in sorted(reader.client.search_read(model, domain, ["res_id", text]), key=lambda r: r["id"]):
                asks = overtime_in(row.get(text))
                if asks:
                    found.setdefault(int(row["res_id"]), asks)
    centers = {ask.workcenter_id for asks in found.values() for ask in asks}
    names = {int(r["id"]): r.get("name") or "" for chunk in chunks(centers)
             for r in reader.client.read("mrp.workcenter", chunk, ["name"])}
    return {mo_id: [OvertimeAsk(a.workcenter_id, a.day, a.hours, names.get(a.workcenter_id, "")) for a in asks]
            for mo_id, asks in found.items()}


def _flags(reader: Reader, start: datetime) -> list[Flag]:
    """The purchase lines the materials pass flagged since ``start``: the line its expedite alerts carry, on open
    activities and in the chatter messages Odoo posted when one was marked done (on the PO, or on the MO where
    the ERP had no purchase model then)."""
    models = ["purchase.order", "mrp.production"]
    found: list[Flag] = []
    for model, model_field, text, stamp in (("mail.activity", "res_model", "note", "create_date"),
                                            ("mail.message", "model", "body", "date")):
        domain = [(model_field, "in", models), (stamp, ">=", format_datetime(start)), (text, "ilike", FLAGGED_LINE)]
        for page in reader.client.search_read_all(model, domain, [text], page_size=reader.page_size):
            found.extend(flag for row in page for flag in flags_in(row.get(text)))
    return found


def _purchasing(reader: Reader, start: datetime, records: Records) -> None:
    if reader.fields_of("purchase.order") is None or reader.fields_of("purchase.order.line") is None:
        records.notes = {**records.notes, "purchasing": "the purchase app is not installed"}
        return
    records.flags = earliest(_flags(reader, start))
    fields = [*PurchaseLine.odoo_fields(), "write_date"]
    records.purchase_lines = reader.search_in(PurchaseLine, "id", records.flags, fields)
    pos = reader.search_in(PurchaseOrder, "id", {line.order_id.id for line in records.purchase_lines
                                                 if line.order_id}, PurchaseOrder.odoo_fields())
    records.purchase_orders = {po.id: po for po in pos}
    if records.purchase_lines and "purchase_line_id" in (reader.fields_of("stock.move") or set()):
        records.receipts = reader.search_in(Receipt, "purchase_line_id", {line.id for line in records.purchase_lines},
                                            Receipt.odoo_fields(), [("state", "=", "done")])


def _money(reader: Reader, records: Records) -> None:
    companies = reader.search(Company, [], Company.odoo_fields())
    records.companies = {c.id: c for c in companies}
    currencies: list[Currency] = []
    for page in reader.client.search_read_all("res.currency", [], reader.wanted("res.currency", ("name", "rate")),
                                              context={"active_test": False}):
        currencies.extend(Currency.model_validate(row) for row in page)
    records.currency_rates = {c.id: c.rate for c in currencies if c.rate}
    records.currency_names = {c.id: c.name for c in currencies}


def read_records(client: OdooClient, schema: Schema, rules: Rules, start: datetime, end: datetime, now: datetime,
                 *, page_size: int | None = None) -> Records:
    """Every record the assessment of orders received in ``[start, end)`` needs."""
    reader = Reader(client, schema, page_size=page_size)
    install_mode = bool(schema.install_mode)
    orders = _orders(reader, rules, start, end, install_mode)
    known = _classifying(reader, orders, install_mode)
    tiers = report_tiers(orders, rules, now, known)
    urgent = [o.id for o in orders if tiers[o.id] is Tier.URGENT]
    pickings = reader.search_in(Picking, "sale_id", urgent, PICKING_FIELDS)
    mos, workorders = _production(reader, orders, tiers)
    records = Records(orders=orders, tiers=tiers, partners=dict(known.partners), pickings=pickings, mos=mos,
                      workorders=workorders, overtime=_overtime(reader, mos or []))
    if mos is None:
        records.notes = {"production": "the manufacturing app (mrp) is not installed"}
    _purchasing(reader, start, records)
    _money(reader, records)
    return records
