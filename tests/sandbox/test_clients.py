"""Third-party clients (odoorpc), the CLI entry point, and the 10,000-order benchmark size."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import odoorpc  # type: ignore[import-untyped]

from odoo_urgency.sandbox import Sandbox

REPO = Path(__file__).resolve().parents[2]


def test_odoorpc(sb: Sandbox) -> None:
    odoo = odoorpc.ODOO("127.0.0.1", protocol="jsonrpc", port=sb.port)
    assert odoo.version == "17.0-20240709"
    odoo.login("urgency", "admin", "admin")
    assert odoo.env.uid == 2 and "sale.order" in odoo.env
    orders = odoo.env["sale.order"]
    ids = orders.search([("state", "=", "draft")])
    order = orders.browse(ids[0])
    assert order.name.startswith("S") and order.partner_id.name
    order.note = "set by odoorpc"
    assert sb.env.model("sale.order").read([ids[0]], ["note"])[0]["note"] == "set by odoorpc"
    assert [line.product_id.default_code for line in order.order_line]


def test_python_m_sandbox_starts_and_stops_on_sigterm(tmp_path: Path) -> None:
    # How fast it starts is the benchmarks' business (house rule: no timed tests); that it starts and stops is this.
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--demo", "--port", "0", "--data", str(tmp_path / "d.sqlite")],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line and "admin/admin" in line, line
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0


def test_ten_thousand_orders() -> None:
    with Sandbox() as sb:
        vals = [
            {
                "partner_id": 1,
                "client_order_ref": f"REF{i}",
                "commitment_date": f"2030-01-{i % 28 + 1:02d} 10:00:00",
                "order_line": [(0, 0, {"name": "item", "product_uom_qty": 2, "price_unit": 5.0})],
            }
            for i in range(10_000)
        ]
        ids = sb.env.model("sale.order").create(vals)
        assert len(ids) == 10_000
        rows = sb.env.model("sale.order").search_read(
            [("state", "in", ["draft", "sent"]), ("commitment_date", "<", "2030-01-15 00:00:00")],
            [
                "name",
                "create_date",
                "commitment_date",
                "partner_id",
                "user_id",
                "amount_total",
                "tag_ids",
                "picking_ids",
                "mrp_production_ids",
                "write_date",
            ],
            order="write_date desc, id",
        )
        assert len(rows) > 4000 and rows[0]["amount_total"] == 10.0
