"""Benchmark: materials for urgent demand — the pure pegging, and what materials add to a daemon cycle.

    python bench/bench_materials.py --needs 10000 100000 --orders 1000

1. Pegging alone (``policies.materials.peg`` + ``plan_materials``): N needs over 200 components, N/2 supplies
   (stock, purchase lines, receipts); wall time, then peak traced memory in a second pass.
2. A daemon cycle over the sandbox ERP (in this process, on loopback): ``--orders`` generated orders
   (``sandbox.generate``), every MO given 3 component moves out of 30 components, a confirmed purchase order per
   component; the first full cycle and a quiet cycle with materials on and off — RPC calls and wall time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pydantic import SecretStr  # noqa: E402

from odoo_urgency.connector import ConnectionSettings, OdooClient, detect  # noqa: E402
from odoo_urgency.jobs.daemon.synchronizer import Synchronizer  # noqa: E402
from odoo_urgency.jobs.runtime.settings import Settings  # noqa: E402
from odoo_urgency.policies import Rules  # noqa: E402
from odoo_urgency.policies.config import MaterialsConfig  # noqa: E402
from odoo_urgency.policies.materials import MoSlot, Need, Purchasing, Supply, peg, plan_materials  # noqa: E402
from odoo_urgency.policies.tiers import Tier  # noqa: E402
from odoo_urgency.sandbox import Sandbox  # noqa: E402
from odoo_urgency.sandbox.generate import generate  # noqa: E402

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def bench_pegging(n: int) -> None:
    rng = random.Random(13)
    needs = [Need(move_id=i, product_id=rng.randint(1, 200), product="P", quantity=float(rng.randint(1, 50)),
                  reserved=float(rng.randint(0, 5)), needed_by=NOW + timedelta(hours=rng.uniform(0, 400)),
                  tier=rng.choice(list(Tier)), mo_id=i // 3, mo_name=f"MO{i // 3}") for i in range(n)]  # fmt: skip
    supplies = [Supply(key=f"s{i}", kind=rng.choice(["stock", "purchase", "receipt"]), product_id=rng.randint(1, 200),
                       quantity=float(rng.randint(1, 80)), expected=NOW + timedelta(hours=rng.uniform(0, 500)),
                       po_id=i) for i in range(n // 2)]  # fmt: skip
    slots = {need.mo_id: MoSlot(mo_id=need.mo_id, mo_name=need.mo_name, start=need.needed_by,
                                finish=need.needed_by + timedelta(hours=8)) for need in needs}  # fmt: skip
    started = time.perf_counter()
    coverages = peg(needs, supplies)
    pegged = time.perf_counter() - started
    plan_materials(coverages, slots, Purchasing(), Rules(), MaterialsConfig(), NOW, set())
    total = time.perf_counter() - started
    tracemalloc.start()  # a second pass for memory: tracing slows Python down several times
    plan_materials(peg(needs, supplies), slots, Purchasing(), Rules(), MaterialsConfig(), NOW, set())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"pegging  needs={n:>7,} supplies={n // 2:>7,}  peg {pegged:6.2f} s  peg+plan {total:6.2f} s  "
          f"peak {peak / 2**20:6.1f} MiB")


def _with_components(sb: Sandbox, orders: int) -> None:
    env = sb.env
    made = generate(env, orders, seed=7)
    rng = random.Random(5)
    vendor = int(env.create("res.partner", {"name": "Bench Vendor", "is_company": True}))
    parts = [int(env.create("product.product", {"name": f"Part {i}", "default_code": f"PART-{i}",
                                                "qty_available": float(rng.randint(0, 40)), "type": "product",
                                                "detailed_type": "product"})) for i in range(30)]  # fmt: skip
    moves = [{"product_id": rng.choice(parts), "product_uom_qty": float(rng.randint(1, 20)),
              "raw_material_production_id": mo, "state": "confirmed"}
             for mo in made["mrp.production"] for _ in range(3)]  # fmt: skip
    env.create("stock.move", moves)
    for part in parts:
        po = int(env.create("purchase.order", {"partner_id": vendor, "order_line": [(0, 0, {
            "product_id": part, "product_qty": 200.0, "price_unit": 1.0,
            "date_planned": (datetime.now(UTC) + timedelta(days=rng.randint(1, 9))).strftime("%Y-%m-%d %H:%M:%S")})]}))
        env.call(2, "purchase.order", "button_confirm", [[po]])


def bench_cycle(orders: int, materials: bool) -> None:
    with Sandbox() as sb:
        _with_components(sb, orders)
        settings = Settings(odoo=ConnectionSettings(url=sb.url, database=sb.database, login="admin",
                                                    password=SecretStr("admin")),  # type: ignore[call-arg]
                            rules=Rules(materials=MaterialsConfig(enabled=materials)))  # fmt: skip
        client = OdooClient(settings.odoo)
        client.authenticate()
        sync = Synchronizer(client, detect(client, with_rights=False), settings, holder="bench")
        sync.prepare()
        started = time.perf_counter()
        first = sync.run_cycle()
        wall = time.perf_counter() - started
        quiet = sync.run_cycle()
        label = "on " if materials else "off"
        print(f"cycle    orders={orders:>6,} materials {label}  first: {first.rpc_calls:4d} calls {wall:6.2f} s, "
              f"{first.alerts} alerts, {first.writes} writes  quiet: {quiet.rpc_calls} calls")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--needs", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--orders", type=int, nargs="*", default=[1000])
    args = parser.parse_args()
    for n in args.needs:
        bench_pegging(n)
    for orders in args.orders:
        for materials in (False, True):
            bench_cycle(orders, materials)


if __name__ == "__main__":
    main()
