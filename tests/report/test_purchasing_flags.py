"""Purchasing assesses exactly the purchase lines the plugin flagged, read back from the ERP: the expedite alerts'
machine-readable line, on an open to-do or in the chatter of a done one (Odoo posts the note there).

Vendor "Acme Parts", buyer Mitchell Admin; T = the test's start:

| line | PO | flagged: needed by | received | judged | vendor penalty |
|---|---|---|---|---|---|
| A1 10 × 20 | PA (received now) | T − 10 h (to-do marked done) | now | 10 h late | 2 % × 1.25 (A3 late before it) × 200 = 5.00 |
| A2 5 × 10 | PB | T + 5 days (open to-do) | no | pending | — |
| A3 4 × 50 | PB | T − 48 h (same open to-do) | no | 48 h late | 5 % × 200 = 10.00 |
| A4 1 × 99 | PB | never flagged | — | left out | — |
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

sandbox = pytest.importorskip("sandbox")

from odoo_urgency.jobs import cli  # noqa: E402
from odoo_urgency.policies.flagged import Flag, flagged_note  # noqa: E402

FMT = "%Y-%m-%d %H:%M:%S"


def _po(env: Any, vendor: int, product: int, lines: list[tuple[float, float]]) -> tuple[int, list[int]]:
    po = env.model("purchase.order").create({
        "partner_id": vendor, "user_id": 2,
        "order_line": [(0, 0, {"product_id": product, "product_qty": qty, "price_unit": price, "name": "Part"})
                       for qty, price in lines]})
    env.model("purchase.order").button_confirm([po])
    return po, env.model("purchase.order.line").search([("order_id", "=", po)], order="id")


def _todo(env: Any, po: int, flags: list[Flag]) -> int:
    [model_id] = env.model("ir.model").search([("model", "=", "purchase.order")])
    return env.model("mail.activity").create({
        "res_model_id": model_id, "res_id": po, "user_id": 2, "summary": "Expedite",
        "note": "<p>Ask the vendor to expedite.</p>" + flagged_note(flags) + "<p>odoo-urgency key: expedite:x</p>",
        "date_deadline": datetime.now(UTC).date().isoformat()})


def test_purchasing_is_the_flagged_lines(monkeypatch, tmp_path) -> None:
    start = datetime.now(UTC).replace(second=0, microsecond=0)
    with sandbox.Sandbox(demo=True) as sb:
        env = sb.env
        vendor = env.model("res.partner").create({"name": "Acme Parts", "is_company": True})
        product = env.model("product.product").create({"name": "Part", "type": "product", "detailed_type": "product"})
        pa, [a1] = _po(env, vendor, product, [(10, 20.0)])
        pb, [a2, a3, _a4] = _po(env, vendor, product, [(5, 10.0), (4, 50.0), (1, 99.0)])
        done = _todo(env, pa, [Flag(a1, start - timedelta(hours=10), 1)])
        env.model("mail.activity").action_feedback([done], feedback="vendor ships tonight")
        _todo(env, pb, [Flag(a2, start + timedelta(days=5), 1), Flag(a3, start - timedelta(hours=48), 2)])
        [receipt] = env.model("stock.picking").search([("origin", "=", env.model("purchase.order").read(
            [pa], ["name"])[0]["name"])])
        env.model("stock.picking").button_validate([receipt])
        monkeypatch.chdir(tmp_path)
        for key, value in {"URL": sb.url, "DATABASE": sb.database, "LOGIN": "admin", "PASSWORD": "admin"}.items():
            monkeypatch.setenv(f"ODOO_URGENCY_{key}", value)
        monkeypatch.delenv("ODOO_URGENCY_CONFIG", raising=False)
        monkeypatch.delenv("ODOO_URGENCY_API_KEY", raising=False)
        today = start.date()
        assert cli.main(["report", "--since", (today - timedelta(days=7)).isoformat(), "--until",
                         (today + timedelta(days=8)).isoformat(), "--format", "json", "--output", "r.json"]) == 0
    [company] = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["companies"]
    section = next(s for s in company["departments"] if s["department"] == "purchasing")
    total = section["total"]
    assert (total["items"], total["on_time"], total["late"], total["pending"]) == (3, 0, 2, 1)
    assert total["lateness_p50_hours"] == pytest.approx(10, abs=0.1) and total["lateness_p90_hours"] == pytest.approx(
        48, abs=0.1)
    assert [(g["name"], g["items"]) for g in section["groups"]["vendor"]] == [("Acme Parts", 3)]
    assert [(g["name"], g["items"]) for g in section["groups"]["buyer"]] == [("Mitchell Admin", 3)]
    rows = sorted((r["base_amount"], r["late_history"], r["penalty"]) for r in company["penalties"]["rows"]
                  if r["party_kind"] == "vendor")
    assert rows == [(200.0, 0, 10.0), (200.0, 1, 5.0)]
    assert total["penalty"] == 15.0 and company["penalties"]["by_department"]["purchasing"] == 15.0


def test_the_materials_pass_flags_what_the_report_assesses(monkeypatch, tmp_path) -> None:
    """The demo's story end to end: the daemon's materials pass finds the MCU chips of S00001's MO on the late
    P00001 and asks its buyer to expedite; the alert's note flags that purchase line with the date the chips are
    needed; the buyer marks it done and the goods come in; the report judges exactly that line, from the ERP."""
    from odoo_urgency.policies.flagged import flags_in
    from tests.daemon.test_materials import material_alerts, story, sync_for

    with sandbox.Sandbox(demo=True) as sb:
        assert sync_for(sb).run_cycle().errors == 0
        s = story(sb)
        [expedite] = [a for key, a in material_alerts(sb).items() if key.startswith("expedite:")]
        [flag] = flags_in(expedite["note"])
        assert flag.line_id in s["po"]["order_line"] and flag.mo_id == s["mo"]["id"]
        sb.env.model("mail.activity").action_feedback([expedite["id"]], feedback="vendor ships today")
        [receipt] = sb.env.model("stock.picking").search([("origin", "=", "P00001"), ("state", "!=", "done")])
        sb.env.model("stock.picking").button_validate([receipt])
        monkeypatch.chdir(tmp_path)
        for key, value in {"URL": sb.url, "DATABASE": sb.database, "LOGIN": "admin", "PASSWORD": "admin"}.items():
            monkeypatch.setenv(f"ODOO_URGENCY_{key}", value)
        monkeypatch.delenv("ODOO_URGENCY_CONFIG", raising=False)
        monkeypatch.delenv("ODOO_URGENCY_API_KEY", raising=False)
        today = datetime.now(UTC).date()
        assert cli.main(["report", "--since", (today - timedelta(days=40)).isoformat(), "--until",
                         (today + timedelta(days=40)).isoformat(), "--format", "json", "--output", "r.json"]) == 0
        received = datetime.now(UTC)
    [company] = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["companies"]
    section = next(s for s in company["departments"] if s["department"] == "purchasing")
    total = section["total"]
    assert total["items"] == 1 and total["pending"] == 0  # the one flagged line, received
    assert (total["on_time"], total["late"]) == ((1, 0) if received <= flag.needed_by else (0, 1))
    assert [g["name"] for g in section["groups"]["buyer"]] == ["Purchasing Buyer"]
