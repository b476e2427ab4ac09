"""Benchmark: the sync daemon against a naive one-record-at-a-time odoorpc script, on the same data.

    python bench/bench_sync.py --orders 1000 10000

For each N it generates N open sale orders (a realistic share of urgent and special ones, their MOs and
deliveries) into a sandbox SQLite file, then, each in its own process so memory is measured alone:

1. the daemon: a first full cycle, a cycle with no change, and a cycle after 1 % of the orders changed —
   wall time, RPC calls, and the process's peak memory (ru_maxrss);
2. the naive baseline on a fresh copy of the same data: a script as a user would write it with odoorpc,
   reading each order and its partner, lines, products, MOs and deliveries one call at a time, and writing
   each record and each activity with its own call (the same rules decide, so both do the same work);

and prints the numbers and the ratios. The sandbox ERP runs in a third process on loopback.

Against a real Odoo (sale, mrp and stock installed; the user an administrator), instead of the sandbox:

    python bench/bench_sync.py --odoo-url http://127.0.0.1:8069 --odoo-db urgency --orders 500

For each N it generates set A over RPC (see ``bench/real_odoo.py``: orders tagged ``client_order_ref``
``BENCH-…`` on new BENCH customers, 40 % confirmed; deliveries with ``--odoo-confirm action``, draft MOs with
``--odoo-mos``, both of which leave empty procurement groups behind), runs the naive baseline on it, removes
everything (orders, MOs, deliveries, partners, activities, messages, tier tags it created; the database's own
records get their values back), generates set B from the same seed, runs the daemon (``install`` first, then the three
cycles), and removes everything again, including the plugin (``uninstall``) and its ``odoo_urgency.*``
parameters. Both see the BENCH- orders plus the database's own open orders of the last 60 days.
``--odoo-cleanup`` only removes what an interrupted run left.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def generate(data: Path, n: int) -> None:
    from odoo_urgency.sandbox import Sandbox
    from odoo_urgency.sandbox.generate import generate as make

    with Sandbox(data=data) as sb:
        make(sb.env, n, window_days=20)


def start_sandbox(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sandbox", "--data", str(data), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, url
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("sandbox did not start")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# -- the daemon ----------------------------------------------------------------------------------------

def connection() -> dict[str, Any]:
    """How the workers log in: the sandbox's defaults, or what the parent passed in ``BENCH_CONNECTION``."""
    conn = {"database": "odoo", "login": "admin", "password": "admin", "demo_login": "demo",
            "demo_password": "demo", "real": False}
    conn.update(json.loads(os.environ.get("BENCH_CONNECTION", "{}")))
    return conn


def worker_daemon(url: str, mode: str, changed_share: float) -> dict[str, Any]:
    from pydantic import SecretStr

    from odoo_urgency.connector import ConnectionSettings, OdooClient, detect
    from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
    from odoo_urgency.jobs.runtime import logs
    from odoo_urgency.jobs.runtime.settings import DaemonSettings, Settings

    # As a service logs: JSON lines at info level (here to /dev/null, so the terminal stays readable).
    logs.configure("info", json_lines=True, stream=open(os.environ.get("BENCH_LOG") or os.devnull, "w"))  # noqa: SIM115

    conn = connection()
    settings = Settings(odoo=ConnectionSettings(url=url, database=conn["database"], login=conn["login"],
                                                password=SecretStr(conn["password"]), read_timeout=600),
                        daemon=DaemonSettings(initial_lookback_days=60))
    client = OdooClient(settings.odoo)
    client.authenticate()
    if mode == "install":
        from odoo_urgency.jobs.admin.install import run_install

        run_install(client, out=lambda *_: None)
        client.forget_fields()
    schema = detect(client, with_rights=False)
    sync = Synchronizer(client, schema, settings, holder="bench")
    sync.prepare()
    results: dict[str, Any] = {"mode": "install" if schema.install_mode else "tag"}
    capture = os.environ.get("BENCH_CAPTURE")
    if capture:
        captured = capture_mutations(client)
    for label in ("first_full", "no_change", "after_1pct_change"):
        if label == "after_1pct_change":
            # A salesperson (not the daemon's user) marks 1 % of the open orders as rush.
            salesperson = OdooClient(ConnectionSettings(url=url, database=conn["database"], login=conn["demo_login"],
                                                        password=SecretStr(conn["demo_password"])))
            if conn["real"]:
                change_bench_orders(client, salesperson, changed_share)
            else:
                ids = salesperson.search("sale.order", [("state", "in", ["draft", "sent"])], order="id")
                step = max(int(1 / changed_share), 1)
                for oid in ids[::step]:
                    salesperson.write("sale.order", [oid], {"client_order_ref": "RUSH 加急"})
            salesperson.close()
        calls = client.stats.calls
        started = time.perf_counter()
        summary = sync.run_cycle()
        results[label] = {"wall_s": round(time.perf_counter() - started, 3), "rpc_calls": client.stats.calls - calls,
                          "writes": summary.writes, "alerts": summary.alerts, "errors": summary.errors,
                          "orders": sum(summary.orders_by_tier.values()),
                          "top_costs": summary.as_json()["top_costs"][:6]}
        if capture and label == "first_full":
            Path(capture).write_text(json.dumps(captured, default=str), encoding="utf-8")
            captured.clear()
            capture = None
    results["peak_mb"] = round(peak_mb(), 1)
    return results


def capture_mutations(client: Any) -> list[dict[str, Any]]:
    """Record the ``write`` / ``load`` / ``create`` calls the client sends to the ERP's records (the floor replays
    them, merged, on a copy of the database: ``bench_floor.py``)."""
    from bench_floor import MUTATIONS, SKIPPED_MODELS

    captured: list[dict[str, Any]] = []
    original = client.call

    def call(model: str, method: str, *args: Any, idempotent: bool | None = None, **kwargs: Any) -> Any:
        if method in MUTATIONS and model not in SKIPPED_MODELS:
            captured.append({"model": model, "method": method, "args": list(args), "kwargs": kwargs})
        return original(model, method, *args, idempotent=idempotent, **kwargs)

    client.call = call
    return captured


def change_bench_orders(admin: Any, salesperson: Any, share: float) -> None:
    """On a real Odoo: the salesperson marks ``share`` of the open BENCH- quotations as rush — only their own
    (the demo user sees only its own documents), keeping the BENCH- prefix so the cleanup finds them, and never
    the database's own orders."""
    domain = [("state", "in", ["draft", "sent"]), ("client_order_ref", "=like", "BENCH-%")]
    wanted = max(round(admin.search_count("sale.order", domain) * share), 1)
    rows = salesperson.search_read("sale.order", domain, ["client_order_ref"], order="id")
    step = max(len(rows) // wanted, 1)
    for row in rows[::step][:wanted]:
        salesperson.write("sale.order", [row["id"]], {"client_order_ref": f"{row['client_order_ref']} RUSH 加急"})


# -- the naive baseline ------------------------------------------------------------------------------------

def worker_naive(url: str) -> dict[str, Any]:
    """One record at a time with odoorpc: what a user would write first."""
    from datetime import UTC, datetime, timedelta
    from urllib.parse import urlsplit

    import odoorpc

    from odoo_urgency.connector.records import (
        ManufacturingOrder,
        Partner,
        Picking,
        Product,
        SaleOrder,
        SaleOrderLine,
        Team,
        format_datetime,
    )
    from odoo_urgency.policies import OrderContext, Rules, Tier, plan_order

    parts = urlsplit(url)
    conn = connection()
    odoo = odoorpc.ODOO(parts.hostname, protocol="jsonrpc+ssl" if parts.scheme == "https" else "jsonrpc",
                        port=parts.port or (443 if parts.scheme == "https" else 80), timeout=600)
    odoo.login(conn["database"], conn["login"], conn["password"])
    calls = {"n": 0}
    original = odoo.json

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        return original(*args, **kwargs)

    odoo.json = counted  # type: ignore[method-assign]  # count round trips, as the daemon's client does
    rules = Rules()
    now = datetime.now(UTC)
    started = time.perf_counter()
    todo = odoo.env["mail.activity.type"].search([("name", "=", "To-Do")])[0]
    model_ids = {m["model"]: m["id"] for m in odoo.execute("ir.model", "search_read",
                 [("model", "in", ["sale.order", "mrp.production", "stock.picking"])], ["model"])}
    tags = {}
    for tier, name in ((Tier.URGENT, "Urgent / 紧急"), (Tier.SPECIAL, "Special / 特殊")):
        found = odoo.env["crm.tag"].search([("name", "=", name)])
        tags[tier] = found[0] if found else odoo.env["crm.tag"].create({"name": name})
    since = format_datetime(now - timedelta(days=60))
    order_ids = odoo.env["sale.order"].search([("state", "in", ["draft", "sent", "sale"]), ("create_date", ">=", since)])
    writes = alerts = 0
    for oid in order_ids:
        order = odoo.execute("sale.order", "read", [oid], list(SaleOrder.odoo_fields()))[0]
        partner = odoo.execute("res.partner", "read", [order["partner_id"][0]], list(Partner.odoo_fields()))[0]
        category_names = {c["id"]: c["name"] for c in odoo.execute("res.partner.category", "read",
                                                                   partner["category_id"], ["name"])}
        tag_names = {t["id"]: t["name"] for t in odoo.execute("crm.tag", "read", order["tag_ids"], ["name"])}
        team = odoo.execute("crm.team", "read", [order["team_id"][0]], list(Team.odoo_fields()))[0] if order["team_id"] else None
        line_ids = odoo.execute("sale.order.line", "search", [("order_id", "=", oid)])
        lines, products = [], {}
        for line_id in line_ids:
            line = odoo.execute("sale.order.line", "read", [line_id], list(SaleOrderLine.odoo_fields()))[0]
            lines.append(SaleOrderLine.model_validate(line))
            if line["product_id"]:
                product = odoo.execute("product.product", "read", [line["product_id"][0]], list(Product.odoo_fields()))[0]
                products[product["id"]] = Product.model_validate(product)
        mo_ids = odoo.execute("mrp.production", "search", [("origin", "=", order["name"])])
        mos = []
        for mo_id in mo_ids:
            row = odoo.execute("mrp.production", "read", [mo_id], [*ManufacturingOrder.odoo_fields(), "date_start"])[0]
            row["planned_start"] = row.pop("date_start")
            mos.append(ManufacturingOrder.model_validate(row))
        picking_ids = odoo.execute("stock.picking", "search", [("sale_id", "=", oid)])
        pickings = [Picking.model_validate(odoo.execute("stock.picking", "read", [pid], list(Picking.odoo_fields()))[0])
                    for pid in picking_ids]
        ctx = OrderContext(order=SaleOrder.model_validate(order), lines=lines, partner=Partner.model_validate(partner),
                           category_names=category_names, tag_names=tag_names, products=products,
                           team=Team.model_validate(team) if team else None, mos=mos, pickings=pickings,
                           install_mode=False, tier_tag_ids=tags)
        plan = plan_order(ctx, rules, now)
        for write in plan.writes:
            values = dict(write.values)
            if write.model == "mrp.production":
                values["date_start"] = values.pop("planned_start", None) or values.pop("date_start", None)
                values["date_finished"] = values.pop("planned_finished", None)
                values = {k: v for k, v in values.items() if v is not None}
            odoo.execute(write.model, "write", [write.res_id], values)
            writes += 1
        for alert in plan.alerts:
            odoo.execute("mail.activity", "create", {
                "res_model_id": model_ids[alert.model], "res_id": alert.res_id, "activity_type_id": todo,
                "summary": alert.summary, "note": alert.note, "date_deadline": alert.date_deadline.isoformat(),
                "user_id": alert.user_id})
            alerts += 1
    return {"first_full": {"wall_s": round(time.perf_counter() - started, 3), "rpc_calls": calls["n"],
                           "writes": writes, "alerts": alerts, "orders": len(order_ids)},
            "peak_mb": round(peak_mb(), 1)}


def run_worker(kind: str, url: str, mode: str, conn: dict[str, Any] | None = None) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}"}
    if conn is not None:
        conn = dict(conn)
        if conn.get("capture"):
            env["BENCH_CAPTURE"] = conn.pop("capture")
        env["BENCH_CONNECTION"] = json.dumps(conn)
    out = subprocess.run([sys.executable, __file__, "--worker", kind, "--url", url, "--mode", mode],
                         cwd=ROOT, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{kind} worker failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def bench(n: int, mode: str, skip_naive: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "erp.sqlite"
        started = time.perf_counter()
        generate(data, n)
        print(f"  generated {n} orders in {time.perf_counter() - started:.1f} s", flush=True)
        pristine = Path(tmp) / "pristine.sqlite"
        shutil.copy(data, pristine)
        ours = run_on_sandbox("daemon", data, mode)
        naive: dict[str, Any] | None = None
        if not skip_naive:
            shutil.copy(pristine, data)
            naive = run_on_sandbox("naive", data, mode)
    return {"orders": n, "daemon": ours, "naive": naive}


def run_on_sandbox(kind: str, data: Path, mode: str) -> dict[str, Any]:
    """One worker against a sandbox serving ``data`` in its own process, stopped afterwards."""
    proc, url = start_sandbox(data)
    try:
        return run_worker(kind, url, mode)
    finally:
        proc.terminate()
        proc.wait()


def real_client(url: str, conn: dict[str, Any]) -> Any:
    from pydantic import SecretStr

    from odoo_urgency.connector import ConnectionSettings, OdooClient

    client = OdooClient(ConnectionSettings(url=url, database=conn["database"], login=conn["login"],
                                           password=SecretStr(conn["password"]), read_timeout=600))
    client.authenticate()
    return client


def real_cleanup(url: str, conn: dict[str, Any], snap: Any, created: dict[str, list[int]] | None,
                 uninstall: bool) -> None:
    import real_odoo

    from odoo_urgency.jobs.admin.install import run_uninstall

    client = real_client(url, conn)
    try:
        real_odoo.cleanup(client, snap, created)
        if uninstall:
            lines: list[str] = []
            run_uninstall(client, confirm=lambda: True, out=lambda *a: lines.append(" ".join(map(str, a))))
            client.forget_fields()
            print(f"  uninstall: {lines[-1] if lines else 'done'}", flush=True)
        dropped = real_odoo.drop_parameters(client)
        if dropped:
            print(f"  removed {dropped} leftover odoo_urgency.* parameters", flush=True)
    finally:
        client.close()


def bench_real(url: str, conn: dict[str, Any], n: int, mode: str, skip_naive: bool, seed: int,
               confirm_with: str, mos: bool, master: str | None = None) -> dict[str, Any]:
    import real_odoo

    client = real_client(url, conn)
    demo = client.search("res.users", [("login", "=", conn["demo_login"])])
    salespeople = [client.uid, *demo[:1]]
    teams = client.search("crm.team", [], order="id", limit=1)
    if real_odoo.bench_order_ids(client):
        print("  removing BENCH- orders an earlier run left", flush=True)
        real_odoo.cleanup(client, None)
    snap = real_odoo.snapshot(client)
    client.close()

    def make() -> dict[str, list[int]]:
        client = real_client(url, conn)
        started = time.perf_counter()
        try:
            return real_odoo.generate(client, n, seed=seed, salespeople=salespeople,
                                      team_id=teams[0] if teams else None, confirm_with=confirm_with, mos=mos,
                                      out=lambda s: print(s, flush=True))
        finally:
            print(f"  generated {n} orders in {time.perf_counter() - started:.1f} s "
                  f"({client.stats.calls} RPC calls)", flush=True)
            client.close()

    naive: dict[str, Any] | None = None
    if not skip_naive:
        print("  set A, for the naive baseline:", flush=True)
        created: dict[str, list[int]] | None = None
        try:
            created = make()
            naive = run_worker("naive", url, mode, conn)
        finally:
            real_cleanup(url, conn, snap, created, uninstall=False)
    print("  set B (same seed), for the daemon:", flush=True)
    created = None
    floor: dict[str, Any] | None = None
    try:
        created = make()
        if master and mode == "install":
            floor = daemon_and_floor(url, conn, master)
            ours = floor.pop("daemon")
        else:
            ours = run_worker("daemon", url, mode, conn)
    finally:
        real_cleanup(url, conn, snap, created, uninstall=True)
    return {"orders": n, "daemon": ours, "naive": naive, "floor": floor}


def daemon_and_floor(url: str, conn: dict[str, Any], master: str) -> dict[str, Any]:
    """Install, copy the database (Odoo's own ``db.duplicate_database``), run the daemon capturing its writes,
    replay them merged on the copy (``bench_floor.py``), drop the copy."""
    import xmlrpc.client

    import bench_floor

    from odoo_urgency.jobs.admin.install import run_install

    client = real_client(url, conn)
    run_install(client, out=lambda *_: None)
    client.close()
    dbs = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/db", allow_none=True)
    copy = f"{conn['database']}_floor"
    dbs.duplicate_database(master, conn["database"], copy)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            calls = Path(tmp) / "calls.json"
            ours = run_worker("daemon", url, "install", {**conn, "capture": str(calls)})
            floor_client = real_client(url, {**conn, "database": copy})
            merged = bench_floor.merge(json.loads(calls.read_text(encoding="utf-8")))
            result = bench_floor.replay(floor_client, merged)
            floor_client.close()
    finally:
        dbs.drop(master, copy)
    return {"daemon": ours, **result}


def report(result: dict[str, Any]) -> None:
    ours, naive = result["daemon"], result["naive"]
    print(f"\nN = {result['orders']} orders (daemon in {ours['mode']} mode)")
    print(f"  {'':22} {'wall s':>9} {'RPC calls':>10} {'writes':>8} {'alerts':>8}")
    for label in ("first_full", "no_change", "after_1pct_change"):
        row = ours[label]
        print(f"  daemon {label:15} {row['wall_s']:>9.2f} {row['rpc_calls']:>10} {row['writes']:>8} {row['alerts']:>8}")
    errors = {label: ours[label]["errors"] for label in ("first_full", "no_change", "after_1pct_change")
              if ours[label].get("errors")}
    if errors:
        print(f"  daemon errors (records that failed): {errors}")
    print(f"  daemon peak memory: {ours['peak_mb']:.1f} MB")
    for row in ours["first_full"].get("top_costs") or []:
        print(f"    first cycle's cost: {row['call']:36} {row['calls']:>5} calls {row['records']:>6} records "
              f"{row['seconds']:>8.2f} s")
    floor = result.get("floor")
    if floor:
        first = ours["first_full"]
        print(f"  floor  {'same writes':15} {floor['wall_s']:>9.2f} {floor['rpc_calls']:>10} {floor['records']:>8}"
              f"   daemon / floor: {first['wall_s'] / max(floor['wall_s'], 1e-9):.2f}x")
        for row in floor.get("top_costs") or []:
            print(f"    floor's cost: {row['call']:42} {row['calls']:>5} calls {row['records']:>6} records "
                  f"{row['seconds']:>8.2f} s")
    if naive:
        row = naive["first_full"]
        print(f"  naive  {'first_full':15} {row['wall_s']:>9.2f} {row['rpc_calls']:>10} {row['writes']:>8} {row['alerts']:>8}")
        print(f"  naive peak memory: {naive['peak_mb']:.1f} MB")
        first = ours["first_full"]
        print(f"  ratios (naive / daemon, first full cycle): RPC calls {row['rpc_calls'] / max(first['rpc_calls'], 1):.1f}x, "
              f"wall time {row['wall_s'] / max(first['wall_s'], 1e-9):.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--mode", choices=["install", "tag"], default="install")
    parser.add_argument("--skip-naive", action="store_true", help="only the daemon (the baseline takes minutes at 10k)")
    parser.add_argument("--json", help="also write the results to this file")
    real = parser.add_argument_group("a real Odoo instead of the sandbox (it must have sale, mrp and stock)")
    real.add_argument("--odoo-url", help="e.g. http://127.0.0.1:8069; the run leaves the database as it found it")
    real.add_argument("--odoo-db", default="odoo", help="database (default: odoo)")
    real.add_argument("--odoo-login", default="admin", help="an administrator (default: admin)")
    real.add_argument("--odoo-password", default="admin", help="its password or API key (default: admin)")
    real.add_argument("--demo-login", default="demo",
                      help="the salesperson who changes 1 %% of the orders (default: demo)")
    real.add_argument("--demo-password", default="demo", help="(default: demo)")
    real.add_argument("--seed", type=int, default=7, help="of the generated orders (default: 7)")
    real.add_argument("--odoo-confirm", choices=["state", "action"], default="state",
                      help="confirm 40 %% of the orders by writing state (default; leaves nothing behind) or with "
                           "action_confirm (real deliveries, but empty procurement groups stay behind)")
    real.add_argument("--odoo-mos", action="store_true",
                      help="also draft MOs for 30 %% of the orders (each leaves an empty procurement group behind)")
    real.add_argument("--odoo-master-password",
                      help="the server's master password: the floor (bench_floor.py) is measured on a copy of set B "
                           "made with db.duplicate_database before the daemon's cycle, then dropped")
    real.add_argument("--odoo-cleanup", action="store_true",
                      help="only remove what an interrupted run left (BENCH- orders, plugin, parameters)")
    parser.add_argument("--worker", choices=["daemon", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = worker_daemon(args.url, args.mode, 0.01) if args.worker == "daemon" else worker_naive(args.url)
        print(json.dumps(result))
        return
    conn = None
    if args.odoo_url:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        conn = {"database": args.odoo_db, "login": args.odoo_login, "password": args.odoo_password,
                "demo_login": args.demo_login, "demo_password": args.demo_password, "real": True}
        if args.odoo_cleanup:
            real_cleanup(args.odoo_url, conn, None, None, uninstall=True)
            return
    results = []
    for n in args.orders:
        print(f"benchmarking {n} orders ...", flush=True)
        if conn is not None:
            result = bench_real(args.odoo_url, conn, n, args.mode, args.skip_naive, args.seed, args.odoo_confirm,
                                args.odoo_mos, args.odoo_master_password)
        else:
            result = bench(n, args.mode, args.skip_naive)
        report(result)
        results.append(result)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
