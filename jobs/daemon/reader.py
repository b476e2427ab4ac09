"""Reading from the ERP what the rules need, in as few round trips as possible (the adapter and mapper).

Two kinds of reads:

* *what changed*: rows of sale orders, manufacturing orders and deliveries whose ``write_date`` moved since the
  cursor, plus open orders whose processing deadline (or second-level deadline) fell since the last cycle —
  escalation happens without any change on the record;
* *the context* of a batch of orders: their lines, partners (and parent companies), categories, tags, teams,
  products, MOs and deliveries, each read with ONE call per model for the whole batch (ids chunked), never one
  call per order.

Rows become typed records here (``connector.records``) after the schema renamed version-specific fields. A row
that cannot be read (a date out of range, a value of the wrong type) never fails the batch: the order it belongs
to is left out of the batch's contexts — the rules never decide on a partial picture — and named in
:attr:`Batch.skipped` with one line; every other order goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from odoo_urgency.connector import OdooClient, Schema
from odoo_urgency.connector.records import (
    ManufacturingOrder,
    OdooRecord,
    Partner,
    Picking,
    Product,
    SaleOrder,
    SaleOrderLine,
    Team,
    Unreadable,
    format_datetime,
    parse_rows,
)
from odoo_urgency.policies import OrderContext, Rules, Tier
from odoo_urgency.policies.states import ORDER_OPEN, ORDER_UNPROCESSED

R = TypeVar("R", bound=OdooRecord)
CHUNK = 1000
STAMP_PAGE = 50000
STAMPED = ("sale.order", "mrp.production", "stock.picking")


@dataclass
class Batch:
    """The raw rows and typed records read for one batch of orders: the rows settle the memo and are
    fingerprinted, the records become the contexts."""

    orders: list[SaleOrder]
    #: (model, id) → the row as read: the orders, their MOs and their deliveries
    rows: dict[tuple[str, int], dict[str, Any]]
    lines: list[SaleOrderLine] = field(default_factory=list)
    partners: dict[int, Partner] = field(default_factory=dict)
    teams: dict[int, Team] = field(default_factory=dict)
    products: dict[int, Product] = field(default_factory=dict)
    mos: list[ManufacturingOrder] = field(default_factory=list)
    pickings: list[Picking] = field(default_factory=list)
    #: (model, id) → a row of this batch that could not be read; the orders depending on it are skipped.
    unreadable: dict[tuple[str, int], Unreadable] = field(default_factory=dict)
    #: One line per order left out of the contexts because of an unreadable row.
    skipped: list[str] = field(default_factory=list)
    #: Order id → the ids of its lines, from the raw rows (an unreadable line has no record).
    line_ids: dict[int, list[int]] = field(default_factory=dict)


def any_of(leaves: Sequence[list[Any]]) -> list[Any]:
    """One Odoo domain that matches any of ``leaves`` (each a domain): Odoo's prefix ``|`` notation."""
    domain: list[Any] = ["|"] * (len(leaves) - 1)
    for leaf in leaves:
        domain.extend(leaf)
    return domain


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


class Reader:
    def __init__(self, client: OdooClient, schema: Schema, rules: Rules, *, install_mode: bool,
                 tier_tag_ids: dict[Tier, int] | None = None) -> None:
        self.client = client
        self.schema = schema
        self.rules = rules
        self.install_mode = install_mode
        self.tier_tag_ids = tier_tag_ids or {}
        # Names of categories and tags barely change; caching them saves a call per batch for the daemon's life.
        self._category_names: dict[int, str] = {}
        self._tag_names: dict[int, str] = {}

    # -- typed reads -------------------------------------------------------------------------------------

    def fields(self, record: type[OdooRecord]) -> list[str]:
        fields = self.schema.fields_for(record)
        # Who wrote last, with when: together they tell a user's edit from the daemon's own (see jobs.daemon.synchronizer).
        return [*fields, "write_uid"] if record.odoo_model() in STAMPED and "write_uid" not in fields else fields

    def records(self, record: type[R], rows: Iterable[dict[str, Any]], batch: Batch | None = None) -> list[R]:
        """The rows as records; a row that cannot be read is left out and noted in ``batch.unreadable``."""
        model = record.odoo_model()
        parsed, unreadable = parse_rows(record, (self.schema.to_record_row(model, row) for row in rows))
        for bad in unreadable:  # named as in the ERP (date_start, not the records' planned_start)
            name = next(iter(self.schema.to_odoo_values(model, {bad.field: None})), bad.field)
            if batch is None:
                raise ValueError(replace(bad, field=name).line())
            batch.unreadable[(bad.model, bad.id)] = replace(bad, field=name)
        return parsed

    def search_rows(self, record: type[OdooRecord], domain: list[Any]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for page in self.client.search_read_all(record.odoo_model(), domain, self.fields(record)):
            rows.extend(page)
        return rows

    def read_rows(self, record: type[OdooRecord], ids: Iterable[int]) -> list[dict[str, Any]]:
        wanted = sorted(set(ids))
        rows: list[dict[str, Any]] = []
        for chunk in chunks(wanted):
            rows.extend(self.client.read(record.odoo_model(), chunk, self.fields(record)))
        return rows

    # -- what changed ------------------------------------------------------------------------------------

    def open_orders_domain(self, now: datetime, lookback_days: float) -> list[Any]:
        """A full look (first cycle, periodic rescan): every open order received in the look-back window."""
        since = now - timedelta(days=lookback_days)
        return [("state", "in", list(ORDER_OPEN)), ("create_date", ">=", format_datetime(since))]

    def stamps(self, model: str, domain: list[Any], fields: Sequence[str]) -> list[dict[str, Any]]:
        """Ids with their ``write_date`` (and a few small fields): the cheap first look of a cycle. Pages are
        large because the rows are small, so a quiet database costs one call per model."""
        rows: list[dict[str, Any]] = []
        for page in self.client.search_read_all(model, domain, ["write_date", "write_uid", *fields],
                                                page_size=STAMP_PAGE):
            rows.extend(page)
        return rows

    def due_window_domain(self, last_cycle: datetime, now: datetime) -> list[Any]:
        """Open orders whose deadline (or second-level deadline) fell in ``(last_cycle, now]``.

        Deadline = received + tier hours (× the second-level multiple), so the received times that matter lie in
        ``(last_cycle - span, now - span]`` for each tier and level. With working hours the span is longer than
        the hours; a slack of a few days covers nights, weekends and holidays (planning an order twice is
        harmless: only new alert keys become activities).
        """
        hours = self.rules.tiers
        multiple = self.rules.escalation.second_level_multiple
        slack = timedelta(days=4) if self.rules.calendar.mode == "working" else timedelta(0)
        windows: list[list[Any]] = []
        for tier_hours in sorted({hours.normal, hours.special, hours.urgent}):
            for factor in (1.0, multiple):
                span = timedelta(hours=tier_hours * factor)
                windows.append(["&", ("create_date", ">", format_datetime(last_cycle - span - slack)),
                                ("create_date", "<=", format_datetime(now - span))])
        return [("state", "in", list(ORDER_UNPROCESSED)), *any_of(windows)]

    def order_ids_for(self, mos: Sequence[dict[str, Any]], pickings: Sequence[dict[str, Any]]) -> list[int]:
        """The sale orders that changed MOs and deliveries serve: by the link the schema knows for this server
        (procurement group on 16–18, stock references on 19), by origin, or by the delivery's ``sale_id``."""
        links = {link for row in mos for link in self.schema.links_of("mrp.production", row)}
        origins = {row["origin"] for row in mos if row.get("origin")}
        sale_ids = {row["sale_id"][0] for row in pickings if row.get("sale_id")}
        origins |= {row["origin"] for row in pickings if row.get("origin") and not row.get("sale_id")}
        leaves = [leaf for leaf in (self.schema.linked_domain("sale.order", links),
                                    [("name", "in", sorted(origins))] if origins else []) if leaf]
        if not leaves:
            return sorted(sale_ids)
        found = self.client.search("sale.order", [("state", "!=", "cancel"), *any_of(leaves)], order="id")
        return sorted(set(found) | sale_ids)

    # -- contexts ----------------------------------------------------------------------------------------

    def read_batch(self, order_rows: Sequence[dict[str, Any]]) -> Batch:
        """Everything the rules need about a batch of orders, ONE call per related model (ids chunked)."""
        batch = Batch(orders=[], rows={("sale.order", int(row["id"])): row for row in order_rows})
        orders = batch.orders = self.records(SaleOrder, order_rows, batch)
        if not order_rows:
            return batch
        # MOs and deliveries are found from the raw rows, so those of an unreadable order are read (and
        # fingerprinted) too: they are not news next cycle.
        order_ids = [int(row["id"]) for row in order_rows]
        line_rows = self._search_in(SaleOrderLine, "order_id", order_ids)
        for row in line_rows:
            owner = row.get("order_id")
            if isinstance(owner, list) and owner:
                batch.line_ids.setdefault(owner[0], []).append(int(row["id"]))
        batch.lines = self.records(SaleOrderLine, line_rows, batch)
        partner_ids = {order.partner_id.id for order in orders if order.partner_id}
        batch.partners = {p.id: p for p in self.records(Partner, self.read_rows(Partner, partner_ids), batch)}
        parent_ids = {p.parent_id.id for p in batch.partners.values() if p.parent_id} - set(batch.partners)
        if parent_ids:
            batch.partners.update({p.id: p for p in self.records(Partner, self.read_rows(Partner, parent_ids), batch)})
        self._remember_names("res.partner.category", self._category_names,
                             {c for p in batch.partners.values() for c in p.category_id})
        self._remember_names("crm.tag", self._tag_names, {t for order in orders for t in order.tag_ids})
        team_ids = {order.team_id.id for order in orders if order.team_id}
        if team_ids:
            batch.teams = {t.id: t for t in self.records(Team, self.read_rows(Team, team_ids), batch)}
        product_ids = {line.product_id.id for line in batch.lines if line.product_id}
        if product_ids:
            batch.products = {p.id: p for p in self.records(Product, self.read_rows(Product, product_ids), batch)}
        mo_rows = self._mo_rows_for(orders, order_rows)
        picking_rows = self._search_in(Picking, "sale_id", order_ids)
        batch.rows.update({("mrp.production", int(r["id"])): r for r in mo_rows})
        batch.rows.update({("stock.picking", int(r["id"])): r for r in picking_rows})
        batch.mos = self.records(ManufacturingOrder, mo_rows, batch)
        batch.pickings = self.records(Picking, picking_rows, batch)
        return batch

    def contexts(self, batch: Batch, memo: dict[str, dict[str, Any]]) -> list[OrderContext]:
        """One context per order of the batch, with the memo as it stands *now* (settle it first)."""
        lines_by_order: dict[int, list[SaleOrderLine]] = {}
        for line in batch.lines:
            if line.order_id:
                lines_by_order.setdefault(line.order_id.id, []).append(line)
        pickings_by_order: dict[int, list[Picking]] = {}
        for picking in batch.pickings:
            if picking.sale_id:
                pickings_by_order.setdefault(picking.sale_id.id, []).append(picking)
        contexts = [self._context(batch, order, lines_by_order.get(order.id, []), pickings_by_order.get(order.id, []),
                                  memo) for order in batch.orders]
        batch.skipped = [bad.line() for (model, _), bad in batch.unreadable.items() if model == "sale.order"]
        return [ctx for ctx in contexts if not self._blocked(batch, ctx)] if batch.unreadable else contexts

    def _blocked(self, batch: Batch, ctx: OrderContext) -> bool:
        """Does a record this order's decision depends on fail to read? Then the order is skipped, named once."""
        order = ctx.order
        related = [("sale.order.line", i) for i in batch.line_ids.get(order.id, ())]
        related += [("res.partner", ref.id) for ref in (order.partner_id, ctx.partner.parent_id if ctx.partner else None)
                    if ref is not None]
        related += [("crm.team", order.team_id.id)] if order.team_id else []
        related += [("product.product", line.product_id.id) for line in ctx.lines if line.product_id]
        related += _unreadable_links(batch, order, self.schema)
        bad = [batch.unreadable[key] for key in related if key in batch.unreadable]
        if bad:
            batch.skipped.append(f"sale.order {order.name} (id {order.id}): skipped, it depends on {bad[0].line()}")
        return bool(bad)

    def _context(self, batch: Batch, order: SaleOrder, order_lines: list[SaleOrderLine], pickings: list[Picking],
                 memo: dict[str, dict[str, Any]]) -> OrderContext:
        partner = batch.partners.get(order.partner_id.id) if order.partner_id else None
        parent = batch.partners.get(partner.parent_id.id) if partner and partner.parent_id else None
        categories = set(partner.category_id if partner else []) | set(parent.category_id if parent else [])
        order_mos = [mo for mo in batch.mos if set(order.links) & set(mo.links) or (mo.origin and mo.origin == order.name)]
        return OrderContext(
            order=order, lines=order_lines, partner=partner, parent_partner=parent,
            category_names={c: self._category_names.get(c, "") for c in categories},
            tag_names={t: self._tag_names.get(t, "") for t in order.tag_ids},
            products={line.product_id.id: batch.products[line.product_id.id] for line in order_lines
                      if line.product_id and line.product_id.id in batch.products},
            team=batch.teams.get(order.team_id.id) if order.team_id else None,
            mos=order_mos, pickings=pickings,
            install_mode=self.install_mode, tier_tag_ids=self.tier_tag_ids,
            memo=_memo_subset(memo, order, order_mos, pickings),
            daemon_uid=self.client.uid,
        )

    def read_back(self, model: str, ids: Sequence[int], fields: Sequence[str]) -> list[dict[str, Any]]:
        """Rows as they are now (after the daemon's own writes), one call per 5,000 ids."""
        rows: list[dict[str, Any]] = []
        for chunk in chunks(sorted(ids), 5000):
            rows.extend(self.client.search_read(model, [("id", "in", chunk)], list(fields)))
        return rows

    def _search_in(self, record: type[OdooRecord], field: str, ids: Sequence[int]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for chunk in chunks(sorted(set(ids))):
            rows.extend(self.search_rows(record, [(field, "in", chunk)]))
        return rows

    def _mo_rows_for(self, orders: Sequence[SaleOrder], order_rows: Sequence[dict[str, Any]] = ()
                     ) -> list[dict[str, Any]]:
        """The MOs of these orders: sharing a link (the schema's field on this server) or naming one as origin —
        also those of an unreadable order (by its raw row), so they are fingerprinted and not news next cycle."""
        links = sorted({link for o in orders for link in o.links}
                       | {link for row in order_rows for link in self.schema.links_of("sale.order", row)})
        names = sorted({o.name for o in orders if o.name}
                       | {row["name"] for row in order_rows if isinstance(row.get("name"), str) and row["name"]})
        rows: list[dict[str, Any]] = []
        seen: set[int] = set()
        for start in range(0, max(len(links), len(names)), CHUNK):
            leaves = [leaf for leaf in (self.schema.linked_domain("mrp.production", links[start:start + CHUNK]),
                                        [("origin", "in", names[start:start + CHUNK])] if names[start:start + CHUNK]
                                        else []) if leaf]
            for row in self.search_rows(ManufacturingOrder, any_of(leaves)):
                if row["id"] not in seen:
                    seen.add(row["id"])
                    rows.append(row)
        return rows

    def _remember_names(self, model: str, cache: dict[int, str], ids: set[int]) -> None:
        missing = sorted(ids - set(cache))
        for chunk in chunks(missing):
            for row in self.client.read(model, chunk, ["name"]):
                cache[int(row["id"])] = str(row.get("name") or "")


def _unreadable_links(batch: Batch, order: SaleOrder, schema: Schema) -> list[tuple[str, int]]:
    """The unreadable MOs and deliveries serving ``order``, found through their raw rows (no record exists)."""
    found = []
    for (model, res_id), _bad in batch.unreadable.items():
        if model not in ("mrp.production", "stock.picking"):
            continue
        row = batch.rows.get((model, res_id)) or {}
        shared = set(schema.links_of(model, row)) & set(order.links) if model == "mrp.production" else set()
        if (_first_id(row.get("sale_id")) == order.id or (row.get("origin") and row.get("origin") == order.name)
                or shared):
            found.append((model, res_id))
    return found


def _first_id(value: Any) -> int | None:
    return value[0] if isinstance(value, list) and value and isinstance(value[0], int) else None


def _memo_subset(memo: dict[str, dict[str, Any]], order: SaleOrder, mos: Sequence[ManufacturingOrder],
                 pickings: Sequence[Picking]) -> dict[str, dict[str, Any]]:
    if not memo:
        return {}
    keys = [f"sale.order:{order.id}", *(f"mrp.production:{mo.id}" for mo in mos),
            *(f"stock.picking:{p.id}" for p in pickings)]
    return {key: memo[key] for key in keys if key in memo}
