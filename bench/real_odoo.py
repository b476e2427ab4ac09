"""Benchmark data on a real Odoo: generate tagged open sale orders over RPC, and take all of it away again.

Used by ``bench_sync.py --odoo-url``. What it creates, all removable:

* a customer category "VIP" (only when the database has none), 60 companies ``BENCH Customer NNN`` (``ref``
  ``BENCH``, every 12th in the VIP category);
* N sale orders with ``client_order_ref`` ``BENCH-NNNNN``, 1–3 lines each on the database's existing storable
  products, about 10 % with a ``commitment_date`` within 48 h, 15 % within 120 h, the rest later or none (85 % have
  one), the notes of ``sandbox/generate.py`` (rush words, line stop, material shortage), half owned by the demo
  salesperson; 40 % are confirmed; with ``mos`` three quarters of the confirmed ones get a draft MO (a product
  with a BoM; ``origin`` = the order, and the order's procurement group when it has one) — about 30 % of all
  orders, as in the sandbox.

How orders are confirmed (``confirm``): ``"state"`` (the default) writes ``state = sale`` and ``date_order`` on the
created quotations, so Odoo runs no stock rule: no deliveries, no procurement groups, and everything can be taken
away again. ``"action"`` calls Odoo's ``action_confirm``, so Odoo makes real deliveries (about 40 % of the orders)
and a procurement group per order; deliveries are cancelled and deleted afterwards, but procurement groups cannot
be deleted over the external API (no group has the unlink right on ``procurement.group``) and stay behind, empty;
``action_confirm`` also makes an analytic account for some orders, which an administrator without accounting rights
cannot delete either. For the same reason MOs are off by default: Odoo gives every MO created without a procurement
group a group of its own, which then stays behind. The defaults leave nothing behind.

``create_date`` cannot be set over RPC, so every order is received "now" (the sandbox spreads them over 20 days);
lead times are measured from now.

:func:`snapshot` records, before a run, what the workers may touch on the database's own records (tags and
customer reference of its sale orders, priority and dates of its MOs and deliveries) and the highest activity and
message ids; :func:`cleanup` cancels and deletes the benchmark's orders, MOs, deliveries, procurement groups and
partners, deletes every activity and chatter message created since the snapshot, deletes the tier tags and the
VIP category if the run created them, and writes the snapshot's values back.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr

from odoo_urgency.connector import ConnectionSettings, OdooClient
from odoo_urgency.connector.records import format_datetime

REF_PREFIX = "BENCH-"
PARTNER_REF = "BENCH"
BATCH = 200
NOTES = ["", "", "", "", "<p>Please deliver to gate 3.</p>", "<p>生产线紧急停机 — line stop at the customer</p>",
         "<p>原料紧急缺货</p>", "<p>RUSH order, ASAP</p>", "<p>加急</p>"]
TIER_TAG_NAMES = ("Urgent / 紧急", "Special / 特殊")
CHATTER_MODELS = ["sale.order", "mrp.production", "stock.picking", "res.partner"]


@dataclass
class Snapshot:
    max_activity: int
    max_message: int
    tag_ids: set[int]
    category_ids: set[int]
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    mos: dict[int, dict[str, Any]] = field(default_factory=dict)
    pickings: dict[int, dict[str, Any]] = field(default_factory=dict)


ORDER_FIELDS = ["tag_ids", "client_order_ref"]
MO_FIELDS = ["priority", "date_start", "date_finished"]
PICKING_FIELDS = ["priority", "scheduled_date"]


def _max_id(client: OdooClient, model: str) -> int:
    rows = client.search(model, [], order="id desc", limit=1)
    return int(rows[0]) if rows else 0


def snapshot(client: OdooClient) -> Snapshot:
    snap = Snapshot(max_activity=_max_id(client, "mail.activity"), max_message=_max_id(client, "mail.message"),
                    tag_ids=set(client.search("crm.tag", [])),
                    category_ids=set(client.search("res.partner.category", [], context={"active_test": False})))
    bench = [("client_order_ref", "not like", REF_PREFIX + "%")]
    snap.orders = {r["id"]: r for r in client.search_read("sale.order", ["|", ("client_order_ref", "=", False),
                                                                         *bench], ORDER_FIELDS)}
    snap.mos = {r["id"]: r for r in client.search_read("mrp.production", [], MO_FIELDS)}
    snap.pickings = {r["id"]: r for r in client.search_read("stock.picking", [], PICKING_FIELDS)}
    return snap


def _chunks(ids: Sequence[Any], size: int = BATCH) -> list[list[Any]]:
    return [list(ids[i:i + size]) for i in range(0, len(ids), size)]


def generate(client: OdooClient, n: int, *, seed: int = 7, salespeople: Sequence[int] = (2,),
             team_id: int | None = None, confirm_with: str = "state", mos: bool = False,
             out: Callable[[str], None] = print) -> dict[str, list[int]]:
    """Create ``n`` open orders (see the module text); returns the ids created per model."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    created: dict[str, list[int]] = {"res.partner.category": []}
    vip = client.search("res.partner.category", [("name", "=", "VIP")], limit=1)
    if vip:
        vip_id = int(vip[0])
    else:
        vip_id = client.create_one("res.partner.category", {"name": "VIP"})
        created["res.partner.category"].append(vip_id)
    partner_ids = client.create_many("res.partner", [
        {"name": f"BENCH Customer {i:03d}", "ref": PARTNER_REF, "is_company": True, "customer_rank": 1,
         **({"category_id": [(6, 0, [vip_id])]} if i % 12 == 0 else {})} for i in range(60)])
    created["res.partner"] = partner_ids
    products = client.search_read("product.product", [("detailed_type", "=", "product"), ("sale_ok", "=", True)],
                                  ["lst_price"], order="id")
    product_ids = [int(p["id"]) for p in products]
    boms = client.search_read("mrp.bom", [("type", "=", "normal")], ["product_tmpl_id"], order="id")
    bom_templates = sorted({b["product_tmpl_id"][0] for b in boms})
    mo_products = client.search("product.product", [("product_tmpl_id", "in", bom_templates)], order="id")
    if not product_ids:
        raise SystemExit("the database has no storable product to sell")

    values: list[dict[str, Any]] = []
    confirm: list[bool] = []
    for i in range(n):
        roll = rng.random()
        lead_hours = (rng.uniform(6, 47) if roll < 0.10 else rng.uniform(49, 119) if roll < 0.25
                      else rng.uniform(121, 24 * 40))
        confirm.append(rng.random() < 0.4)
        lines = [(0, 0, {"product_id": product_ids[rng.randrange(len(product_ids))],
                         "product_uom_qty": float(rng.randint(1, 20)),
                         "price_unit": float(rng.choice([12, 85, 450, 1200, 9000]))})
                 for _ in range(rng.randint(1, 3))]
        commitment = now + timedelta(hours=lead_hours)
        values.append({
            "partner_id": partner_ids[rng.randrange(len(partner_ids))],
            "user_id": salespeople[rng.randrange(len(salespeople))],
            **({"team_id": team_id} if team_id else {}),
            "client_order_ref": f"{REF_PREFIX}{i:05d}",
            "commitment_date": format_datetime(commitment) if rng.random() < 0.85 else False,
            "note": rng.choice(NOTES), "order_line": lines,
        })
    order_ids: list[int] = []
    for batch in _chunks(values):
        order_ids += client.create_many("sale.order", batch)
    created["sale.order"] = order_ids
    out(f"  created {len(order_ids)} sale orders")
    to_confirm = [oid for oid, yes in zip(order_ids, confirm, strict=True) if yes]
    if confirm_with == "action":
        for batch in _chunks(to_confirm, 100):
            client.call("sale.order", "action_confirm", batch)
        out(f"  confirmed {len(to_confirm)} of them with action_confirm (deliveries, procurement groups)")
    else:
        confirmed_at = format_datetime(now + timedelta(minutes=5))
        for batch in _chunks(to_confirm, 1000):
            client.write("sale.order", batch, {"state": "sale", "date_order": confirmed_at})
        out(f"  confirmed {len(to_confirm)} of them by writing state = sale (no stock rule: no deliveries)")
    mo_values = []
    if mos and mo_products:
        rows = {r["id"]: r for r in client.read("sale.order", to_confirm, ["name", "procurement_group_id"])}
        for oid in to_confirm:
            if rng.random() >= 0.75:
                continue
            start = now + timedelta(hours=rng.uniform(-12, 24 * 6))
            group = rows[oid]["procurement_group_id"]
            mo_values.append({"product_id": mo_products[rng.randrange(len(mo_products))],
                              "product_qty": float(rng.randint(1, 10)), "origin": rows[oid]["name"],
                              **({"procurement_group_id": group[0]} if group else {}),
                              "date_start": format_datetime(start),
                              "date_finished": format_datetime(start + timedelta(hours=rng.uniform(2, 30)))})
    mo_ids: list[int] = []
    for batch in _chunks(mo_values):
        mo_ids += client.create_many("mrp.production", batch)
    created["mrp.production"] = mo_ids
    created["stock.picking"] = client.search("stock.picking", [("sale_id", "in", order_ids)])
    out(f"  {len(mo_ids)} draft MOs, {len(created['stock.picking'])} deliveries")
    return created


def add_odoo_options(parser: argparse.ArgumentParser, db_help: str = "a database of your own") -> None:
    """The four options every benchmark against a real Odoo takes."""
    parser.add_argument("--odoo-url", required=True)
    parser.add_argument("--odoo-db", required=True, help=db_help)
    parser.add_argument("--odoo-login", default="admin")
    parser.add_argument("--odoo-password", default="admin")


def connection(args: argparse.Namespace, *, login: str | None = None, password: str | None = None,
               **settings: Any) -> ConnectionSettings:
    """The connection those options name (another user's with ``login`` and ``password``)."""
    return ConnectionSettings(url=args.odoo_url, database=args.odoo_db, login=login or args.odoo_login,
                              password=SecretStr(password or args.odoo_password), **settings)


def logged_in(settings: ConnectionSettings) -> OdooClient:
    """A client that asked the server's version and logged in."""
    client = OdooClient(settings)
    client.version()
    client.authenticate()
    return client


def ensure_open_orders(client: OdooClient, wanted: int, out: Callable[[str], None] = print) -> None:
    """At least ``wanted`` open BENCH- orders (confirmed by writing ``state``, no MOs): the missing ones are made,
    from a seed that goes on where the last run stopped."""
    import time

    have = client.search_count("sale.order", [("client_order_ref", "=like", REF_PREFIX + "%"),
                                              ("state", "in", ["draft", "sent", "sale"])])
    if have >= wanted:
        return
    started = time.perf_counter()
    generate(client, wanted - have, seed=have + 1, salespeople=[client.uid or 2], out=out)
    out(f"created {wanted - have} orders in {time.perf_counter() - started:.1f} s")


def bench_order_ids(client: OdooClient, known: Sequence[int] = ()) -> list[int]:
    found = set(client.search("sale.order", [("client_order_ref", "=like", REF_PREFIX + "%")]))
    partners = client.search("res.partner", [("ref", "=", PARTNER_REF)], context={"active_test": False})
    if partners:
        found |= set(client.search("sale.order", [("partner_id", "in", partners)]))
    if known:
        found |= set(client.search("sale.order", [("id", "in", list(known))]))
    return sorted(found)


def cleanup(client: OdooClient, snap: Snapshot | None, created: dict[str, list[int]] | None = None,
            out: Callable[[str], None] = print) -> None:
    """Delete what :func:`generate` and the workers created; write the snapshot's values back."""
    created = created or {}
    order_ids = bench_order_ids(client, created.get("sale.order", []))
    if order_ids:
        names = [r["name"] for r in client.read("sale.order", order_ids, ["name"])]
        mos = client.search("mrp.production", ["|", ("origin", "in", names),
                                               ("id", "in", created.get("mrp.production", []))])
        for batch in _chunks(mos):
            live = client.search("mrp.production", [("id", "in", batch), ("state", "not in", ["draft", "cancel"])])
            if live:
                client.call("mrp.production", "action_cancel", live)
            # Deleting an MO leaves its component and finished-product moves behind, cancelled.
            moves = client.search("stock.move", ["|", ("raw_material_production_id", "in", batch),
                                                 ("production_id", "in", batch)])
            client.unlink("mrp.production", batch)
            moves = client.search("stock.move", [("id", "in", moves)])
            if moves:
                client.unlink("stock.move", moves)
        pickings = client.search("stock.picking", [("sale_id", "in", order_ids)])
        groups = client.search("procurement.group", [("sale_id", "in", order_ids)])
        for batch in _chunks(order_ids):
            open_ids = client.search("sale.order", [("id", "in", batch), ("state", "not in", ["draft", "cancel"])])
            if open_ids:
                client.call("sale.order", "action_cancel", open_ids, context={"disable_cancel_warning": True})
            client.unlink("sale.order", batch)
        pickings = client.search("stock.picking", [("id", "in", pickings)])
        for batch in _chunks(pickings):
            live = client.search("stock.picking", [("id", "in", batch), ("state", "not in", ["draft", "cancel"])])
            if live:
                client.call("stock.picking", "action_cancel", live)
            client.unlink("stock.picking", batch)
        # procurement.group has no unlink right for anyone: the groups action_confirm made stay, empty.
        left = f", {len(groups)} empty procurement groups stay" if groups else ""
        out(f"  removed {len(order_ids)} orders, {len(mos)} MOs, {len(pickings)} deliveries{left}")
    partners = client.search("res.partner", [("ref", "=", PARTNER_REF)], context={"active_test": False})
    if partners:
        client.unlink("res.partner", partners)
    if snap is None:
        return
    activities = client.search("mail.activity", [("id", ">", snap.max_activity)], context={"active_test": False})
    if activities:
        client.unlink("mail.activity", activities)
    messages = client.search("mail.message", [("id", ">", snap.max_message), ("model", "in", CHATTER_MODELS)])
    for batch in _chunks(messages, 1000):
        client.unlink("mail.message", batch)
    new_tags = client.search("crm.tag", [("name", "in", list(TIER_TAG_NAMES)), ("id", "not in", sorted(snap.tag_ids))])
    if new_tags:
        client.unlink("crm.tag", new_tags)
    new_categories = [c for c in created.get("res.partner.category", []) if c not in snap.category_ids]
    if new_categories:
        client.unlink("res.partner.category", new_categories)
    restored = _restore(client, snap)
    out(f"  removed {len(activities)} activities, {len(messages)} messages, {len(new_tags)} tags, "
        f"{len(partners)} partners; restored {restored} fields of the database's own records")


def _restore(client: OdooClient, snap: Snapshot) -> int:
    count = 0
    for model, before, fields in (("sale.order", snap.orders, ORDER_FIELDS), ("mrp.production", snap.mos, MO_FIELDS),
                                  ("stock.picking", snap.pickings, PICKING_FIELDS)):
        if not before:
            continue
        for row in client.read(model, sorted(before), fields):
            old = before[row["id"]]
            changes = {}
            for name in fields:
                if row[name] != old[name]:
                    changes[name] = [(6, 0, old[name])] if name == "tag_ids" else old[name]
            if changes:
                client.write(model, [row["id"]], changes)
                count += len(changes)
    return count


def drop_parameters(client: OdooClient) -> int:
    params = client.search("ir.config_parameter", [("key", "=like", "odoo_urgency.%")])
    if params:
        client.unlink("ir.config_parameter", params)
    return len(params)
