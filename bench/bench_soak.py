"""Soak benchmark: the daemon against a faulty network and a busy person, for a fixed number of cycles (issue 19).

    python bench/bench_soak.py [--cycles 30] [--orders 40] [--seed 19]

Loopback only. The embedded sandbox ERP (installed: tracked tier and deadline fields) serves generated orders; the
daemon reaches it through a proxy on 127.0.0.1 that, per request, answers 503, drops the connection before or after
forwarding (the answer lost, the call done), holds the answer past the client's 1 s read timeout, or delays it; the
ERP itself now and then commits a batch of to-dos seconds after the client gave up (``commit_late``). A simulated
person edits tiers and MO start dates (the fields the plugin writes) and customer references (which change
decisions) every quarter second, and the daemon "restarts" (a new process object, same holder) every 10 cycles.

After the cycles, faults and person stop, the daemon runs a few clean cycles, and the benchmark prints:

* ``lost``: what the daemon claims but the ERP lacks (alert keys in a memo without a to-do) plus what a final
  dry run over every open order would still do (work never done);
* ``duplicated``: to-dos beyond the first per alert key;
* ``overwritten``: fields a person set whose final value is not the person's last value.

All three should be 0.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import socket
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import structlog  # noqa: E402

from odoo_urgency.connector import OdooClient, OdooError, detect  # noqa: E402
from odoo_urgency.jobs.admin.install import run_install  # noqa: E402
from odoo_urgency.jobs.daemon.synchronizer import Synchronizer  # noqa: E402
from odoo_urgency.jobs.runtime.errors import LeaseHeld  # noqa: E402
from odoo_urgency.sandbox import Sandbox  # noqa: E402
from odoo_urgency.sandbox.generate import generate  # noqa: E402
from tests.daemon.conftest import make_settings  # noqa: E402

KEY = re.compile(r"odoo-urgency key: (\S+?)</p>")
READ_TIMEOUT = 1.0


class FaultyProxy(ThreadingHTTPServer):
    """A loopback HTTP proxy in front of the ERP that misbehaves on a share of the requests."""

    daemon_threads = True

    def __init__(self, target_port: int, seed: int) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.target_port = target_port
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.injected: Counter[str] = Counter()
        self.active = True

    def draw(self) -> str:
        with self.lock:
            if not self.active:
                return "pass"
            roll = self.random.random()
        fault = ("http503" if roll < 0.03 else "drop" if roll < 0.05 else "drop_after" if roll < 0.07 else
                 "answer_late" if roll < 0.09 else "delay" if roll < 0.19 else "pass")
        self.injected[fault] += 1
        return fault


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FaultyProxy

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fault = self.server.draw()
        if fault == "http503":
            self._answer(503, b"<html>503 Service Unavailable</html>", "text/html")
            return
        if fault == "drop":
            self._cut()
            return
        if fault == "delay":
            time.sleep(0.05 + 0.25 * random.random())
        conn = http.client.HTTPConnection("127.0.0.1", self.server.target_port, timeout=30)
        conn.request("POST", self.path, body, {"Content-Type": self.headers.get("Content-Type", "text/xml")})
        answer = conn.getresponse()
        payload = answer.read()
        conn.close()
        if fault == "drop_after":
            self._cut()
            return
        if fault == "answer_late":
            time.sleep(READ_TIMEOUT + 0.5)
        self._answer(answer.status, payload, answer.getheader("Content-Type") or "text/xml")

    def do_GET(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.target_port, timeout=30)
        conn.request("GET", self.path)
        answer = conn.getresponse()
        self._answer(answer.status, answer.read(), answer.getheader("Content-Type") or "application/json")

    def _answer(self, status: int, payload: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True

    def _cut(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Person(threading.Thread):
    """Someone working in the ERP: sets tiers by hand, moves MO starts, adds and removes rush words."""

    def __init__(self, sb: Sandbox, seed: int) -> None:
        super().__init__(daemon=True)
        self.sb = sb
        self.random = random.Random(seed)
        self.halt = threading.Event()
        #: (model, id, field) → the value this person set last
        self.owned: dict[tuple[str, int, str], Any] = {}
        self.edits = 0

    def run(self) -> None:
        env = self.sb.env
        orders = env.search("sale.order", [("state", "in", ["draft", "sent"])])
        mos = env.search("mrp.production", [("state", "in", ["draft", "confirmed"])])
        while not self.halt.wait(0.25):
            pick = self.random.random()
            try:
                if pick < 0.35 and orders:
                    oid, tier = self.random.choice(orders), self.random.choice(["normal", "special", "urgent"])
                    env.write("sale.order", [oid], {"x_urgency": tier}, uid=6)
                    self.owned[("sale.order", oid, "x_urgency")] = tier
                elif pick < 0.6 and mos:
                    mid = self.random.choice(mos)
                    start = f"2026-12-{self.random.randint(10, 28):02d} 0{self.random.randint(6, 9)}:00:00"
                    env.write("mrp.production", [mid], {"date_start": start}, uid=8)
                    self.owned[("mrp.production", mid, "date_start")] = start
                elif orders:
                    ref = self.random.choice(["RUSH 加急", "", "PO-1234"])
                    env.write("sale.order", [self.random.choice(orders)], {"client_order_ref": ref}, uid=6)
                self.edits += 1
            except Exception:  # noqa: BLE001 - a person's refused edit (e.g. a done MO) is their problem
                continue


def new_daemon(sb: Sandbox, proxy_port: int, **daemon: object) -> Synchronizer:
    settings = make_settings(sb, odoo={"read_timeout": READ_TIMEOUT, "retry_attempts": 3, "retry_max_seconds": 3},
                             lease_seconds=30, erp_request_limit_seconds=3, batch_size=10, **daemon)
    settings.odoo = settings.odoo.model_copy(update={"url": f"http://127.0.0.1:{proxy_port}"})
    client = OdooClient(settings.odoo, retry_base_wait=0.05)
    for _ in range(20):
        try:
            client.authenticate()
            return Synchronizer(client, detect(client, with_rights=False), settings, holder="soak:1")
        except OdooError:
            time.sleep(0.2)
    raise SystemExit("could not reach the ERP through the proxy")


def soak(cycles: int, orders: int, seed: int) -> dict[str, Any]:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(40))  # errors only
    rng = random.Random(seed)
    with Sandbox(demo=True) as sb:
        generate(sb.env, orders, seed=seed)
        run_install(OdooClient(make_settings(sb).odoo), out=lambda *_: None)
        proxy = FaultyProxy(sb.port, seed)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        person = Person(sb, seed)
        person.start()
        errors: Counter[str] = Counter()
        started = time.monotonic()
        sync = new_daemon(sb, proxy.server_address[1])
        for cycle in range(cycles):
            if cycle and cycle % 10 == 0:
                sync = new_daemon(sb, proxy.server_address[1])          # a restart within seconds
            if rng.random() < 0.3:
                sb.faults.commit_late(lambda _s, m, meth: (m, meth) == ("mail.activity", "create"), 2.0,
                                      answer_after=READ_TIMEOUT + 0.3)
            try:
                sync.run_cycle()
            except (OdooError, LeaseHeld) as exc:
                errors[type(exc).__name__] += 1
            time.sleep(0.2)
        person.halt.set()
        person.join()
        with proxy.lock:
            proxy.active = False
        sb.faults.reset()
        time.sleep(3.5)                                      # past the ERP's request limit (3 s here)
        for _ in range(3):
            sync.run_cycle()
        final = new_daemon(sb, proxy.server_address[1], rescan_minutes=0.001).run_cycle(dry_run=True)
        proxy.shutdown()
        return {"cycles": cycles, "orders": orders, "seconds": round(time.monotonic() - started, 1),
                "errors": dict(errors), "faults": {k: v for k, v in proxy.injected.items() if k != "pass"},
                "person_edits": person.edits, **count(sb, person, final.writes + final.alerts)}


def count(sb: Sandbox, person: Person, undone: int) -> dict[str, int]:
    live = Counter(k for a in sb.env.search_read("mail.activity", [], ["note"]) for k in KEY.findall(a["note"] or ""))
    remembered: set[str] = set()
    for model in ("sale.order", "mrp.production", "stock.picking"):
        for row in sb.env.search_read(model, [("x_urgency_memo", "!=", False)], ["x_urgency_memo"]):
            remembered.update(json.loads(row["x_urgency_memo"]).get("alerts") or [])
    overwritten = 0
    for (model, rid, name), value in person.owned.items():
        if sb.env.read(model, [rid], [name])[0][name] != value:
            overwritten += 1
    return {"alerts": len(live), "lost": len(remembered - set(live)) + undone,
            "duplicated": sum(n - 1 for n in live.values() if n > 1), "overwritten": overwritten}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=30)
    parser.add_argument("--orders", type=int, default=40)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    result = soak(args.cycles, args.orders, args.seed)
    for key in ("cycles", "orders", "seconds", "person_edits", "faults", "errors", "alerts"):
        print(f"{key:>13}: {result[key]}")
    print(f"{'lost':>13}: {result['lost']}\n{'duplicated':>13}: {result['duplicated']}\n"
          f"{'overwritten':>13}: {result['overwritten']}")


if __name__ == "__main__":
    main()
