"""Generated order history for benchmarks and tests: many orders with a realistic mix of urgency.

``generate(env, n, now)`` creates ``n`` sale orders received over a window before ``now`` (deterministic for a
seed): about 10 % with a requested delivery within two days (urgent by lead time), 15 % within five days
(special), some with stated causes or rush words, some from VIP customers or above the big-order amount, the
rest ordinary. About 30 % have a manufacturing order (shared procurement group) and about half an outgoing
delivery; 40 % are already confirmed. Everything is created through ``env.create`` with lists, in a few
transactions, so 10,000 orders take seconds.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from . import links, odoo19
from .orm import Env, format_datetime

NOTES = ["", "", "", "", "<p>Please deliver to gate 3.</p>", "<p>生产线紧急停机 — line stop at the customer</p>",
         "<p>原料紧急缺货</p>", "<p>RUSH order, ASAP</p>", "<p>加急</p>"]


def _ensure_category(env: Env, name: str) -> int:
    found = env.search("res.partner.category", [("name", "=", name)])
    return found[0] if found else int(env.create("res.partner.category", {"name": name}))  # type: ignore[arg-type]


def generate(env: Env, n: int, now: datetime | None = None, *, seed: int = 7, window_days: float = 20.0,
             partners: int = 60, products: int = 25) -> dict[str, Any]:
    """Create ``n`` orders (with lines, MOs, deliveries); returns the ids created per model."""
    rng = random.Random(seed)
    now = now or env.now()
    if now.tzinfo is not None:
        now = now.astimezone(UTC).replace(tzinfo=None)
    vip = _ensure_category(env, "VIP")
    regular = _ensure_category(env, "Regular")
    partner_ids = env.create("res.partner", [
        {"name": f"Customer {i:03d}", "is_company": True, "category_id": [(6, 0, [vip if i % 12 == 0 else regular])]}
        for i in range(partners)])
    product_ids = env.create("product.product", [
        {"name": f"Product {i:02d}", "default_code": f"P{i:02d}", "lst_price": float(rng.choice([12, 85, 450, 1200])),
         "qty_available": 0.0 if i % 9 == 0 else float(rng.randint(5, 500)), "virtual_available": 0.0,
         **odoo19.storable(env.odoo_version)} for i in range(products)])
    assert isinstance(partner_ids, list) and isinstance(product_ids, list)
    orders: list[dict[str, Any]] = []
    for _ in range(n):
        received = now - timedelta(hours=rng.uniform(0.2, window_days * 24))
        roll = rng.random()
        lead_hours = (rng.uniform(6, 47) if roll < 0.10 else rng.uniform(49, 119) if roll < 0.25
                      else rng.uniform(121, 24 * 40))
        confirmed = rng.random() < 0.4
        lines = [(0, 0, {"product_id": rng.choice(product_ids), "product_uom_qty": float(rng.randint(1, 20)),
                         "price_unit": float(rng.choice([12, 85, 450, 1200, 9000]))})
                 for _ in range(rng.randint(1, 3))]
        orders.append({
            "partner_id": rng.choice(partner_ids), "user_id": 2, "team_id": 1,
            "create_date": format_datetime(received),
            "date_order": format_datetime(received + timedelta(hours=rng.uniform(0.5, 30)) if confirmed else received),
            "state": "sale" if confirmed else "draft",
            "commitment_date": format_datetime(received + timedelta(hours=lead_hours)) if rng.random() < 0.85 else False,
            "note": rng.choice(NOTES), "order_line": lines,
        })
    order_ids = env.create("sale.order", orders)
    assert isinstance(order_ids, list)
    names = {r["id"]: r["name"] for r in env.read("sale.order", order_ids, ["name", "commitment_date"])}
    groups_wanted = [oid for oid in order_ids if rng.random() < 0.30]
    group_ids = env.create(links.link_model(env), [links.new_link_vals(env, names[oid]) for oid in groups_wanted])
    assert isinstance(group_ids, list)
    if groups_wanted:
        for oid, gid in zip(groups_wanted, group_ids, strict=True):
            env.write("sale.order", [oid], links.vals(env, "sale.order", gid))
    mos = []
    for oid, gid in zip(groups_wanted, group_ids, strict=True):
        start = now + timedelta(hours=rng.uniform(-12, 24 * 6))
        mos.append({"product_id": rng.choice(product_ids), "product_qty": float(rng.randint(1, 10)),
                    "origin": names[oid], **links.vals(env, "mrp.production", gid), "state": "confirmed",
                    "date_start": format_datetime(start),
                    "date_finished": format_datetime(start + timedelta(hours=rng.uniform(2, 30)))})
    mo_ids = env.create("mrp.production", mos) if mos else []
    pickings = [{"picking_type_code": "outgoing", "origin": names[oid], "sale_id": oid, "state": "confirmed",
                 "scheduled_date": format_datetime(now + timedelta(hours=rng.uniform(-6, 24 * 10)))}
                for oid in order_ids if rng.random() < 0.5]
    picking_ids = env.create("stock.picking", pickings) if pickings else []
    return {"sale.order": order_ids, "mrp.production": mo_ids, "stock.picking": picking_ids,
            "res.partner": partner_ids, "product.product": product_ids}

