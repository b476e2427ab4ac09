"""The monthly report against a real Odoo 17: an urgent order confirmed (Odoo makes its delivery), an MO serving it
on a work center of its own, the planner's overtime ask marked done by a user (Odoo posts its note in the MO's
chatter) and a second ask still open; a purchase order whose two lines an expedite to-do flagged; then
``report --format json`` and ``report --send`` to a Discuss channel of its own, twice. Everything it creates is
removed at the end (orders through ``remove_test_orders``)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from odoo_urgency.connector import OdooClient, OdooError
from odoo_urgency.connector.records import format_datetime
from odoo_urgency.jobs.report.send import marker
from odoo_urgency.policies.flagged import Flag, flagged_note

from .conftest import new_ref, remove_test_orders

#: Hours asked for on the test's work center, on two days.
ASKED = ((2.5, 0), (1.5, 1))


@dataclass
class Made:
    ref: str
    ids: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    amount: float = 0.0


def _cleanup(admin: OdooClient, made: Made) -> None:
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("mail.activity", lambda: admin.unlink("mail.activity", admin.search(
            "mail.activity", [("res_model", "=", "mrp.production"), ("res_id", "=", made.ids.get("mo", 0))]))),
        ("mrp.production", lambda: admin.call("mrp.production", "action_cancel", [made.ids["mo"]], idempotent=False)),
        ("mrp.production unlink", lambda: admin.unlink("mrp.production", [made.ids["mo"]])),
        ("orders", lambda: remove_test_orders(admin)),
        ("mrp.workcenter", lambda: admin.write("mrp.workcenter", [made.ids["wc"]], {"active": False})),
        ("discuss.channel", lambda: admin.unlink("discuss.channel", [made.ids["channel"]])),
        ("purchase.order", lambda: admin.call("purchase.order", "button_cancel", [made.ids["po"]], idempotent=False)),
        ("purchase.order unlink", lambda: admin.unlink("purchase.order", [made.ids["po"]])),
        ("vendor", lambda: admin.write("res.partner", [made.ids["vendor"]], {"active": False})),
        ("res.partner", lambda: admin.write("res.partner", [made.ids["customer"]], {"active": False})),
    ]
    for _name, step in steps:
        try:
            step()
        except (OdooError, KeyError):
            pass  # a step whose record was never made (or is gone already)


def _make(admin: OdooClient, made: Made, now: datetime) -> None:
    ids = made.ids
    ids["customer"] = admin.create_one("res.partner", {"name": f"ITEST customer {made.ref}", "is_company": True})
    ids["wc"] = admin.create_one("mrp.workcenter", {"name": f"ITEST line {made.ref}"})
    [product] = admin.search_read("product.product", [("detailed_type", "=", "product"), ("sale_ok", "=", True)],
                                  ["uom_id"], limit=1)
    ids["product"] = product["id"]
    requested = now - timedelta(hours=6)
    ids["order"] = admin.create_one("sale.order", {
        "partner_id": ids["customer"], "client_order_ref": made.ref, "note": "Customer line down, please hurry",
        "commitment_date": format_datetime(requested),
        "order_line": [(0, 0, {"product_id": product["id"], "product_uom_qty": 1, "price_unit": 1000.0})]})
    admin.call("sale.order", "action_confirm", [ids["order"]], idempotent=False)
    [order] = admin.read("sale.order", [ids["order"]], ["name", "amount_total"])
    made.names["order"], made.amount = order["name"], order["amount_total"]
    ids["mo"] = admin.create_one("mrp.production", {"product_id": product["id"], "product_qty": 1,
                                                "product_uom_id": product["uom_id"][0], "origin": order["name"]})
    admin.create_one("mrp.workorder", {"name": "ITEST assembly", "production_id": ids["mo"], "workcenter_id": ids["wc"],
                                   "product_uom_id": product["uom_id"][0], "duration_expected": 60.0})
    [model_id] = admin.search("ir.model", [("model", "=", "mrp.production")])
    day = now.date()
    line = " ".join(f"{ids['wc']}/{(day + timedelta(days=offset)).isoformat()}/{hours:g}" for hours, offset in ASKED)
    note = (f"<p>Overtime that would make it: ITEST line.</p><p>odoo-urgency overtime: {line}</p>"
            f"<p>odoo-urgency key: capacity:mrp.production:{ids['mo']}:{{role}}</p>")
    activities = [admin.create_one("mail.activity", {
        "res_model_id": model_id, "res_id": ids["mo"], "user_id": admin.uid, "summary": f"ITEST {role}",
        "note": note.format(role=role), "date_deadline": day.isoformat()}) for role in ("planner", "salesperson")]
    admin.call("mail.activity", "action_feedback", [activities[0]], idempotent=False, feedback="asked the line")
    ids["channel"] = admin.create_one("discuss.channel", {"name": f"itest-board-{made.ref}"})
    _purchase(admin, made, product, now)


def _purchase(admin: OdooClient, made: Made, product: dict[str, Any], now: datetime) -> None:
    """A confirmed PO of a vendor of its own, two lines flagged in one expedite to-do (marked done): P1 needed
    10 h ago (not received: late), P2 needed in 5 days (pending)."""
    ids = made.ids
    ids["vendor"] = admin.create_one("res.partner", {"name": f"ITEST vendor {made.ref}", "is_company": True})
    ids["po"] = admin.create_one("purchase.order", {"partner_id": ids["vendor"], "origin": made.ref, "order_line": [
        (0, 0, {"product_id": product["id"], "product_qty": qty, "price_unit": price}) for qty, price in ((10, 20.0),
                                                                                                      (1, 5.0))]})
    admin.call("purchase.order", "button_confirm", [ids["po"]], idempotent=False)
    first, second = admin.search("purchase.order.line", [("order_id", "=", ids["po"])], order="id")
    [model_id] = admin.search("ir.model", [("model", "=", "purchase.order")])
    note = "<p>Ask the vendor to expedite.</p>" + flagged_note(
        [Flag(first, now - timedelta(hours=10), ids["mo"]), Flag(second, now + timedelta(days=5), ids["mo"])])
    todo = admin.create_one("mail.activity", {"res_model_id": model_id, "res_id": ids["po"], "user_id": admin.uid,
                                              "summary": "ITEST expedite", "note": note,
                                              "date_deadline": now.date().isoformat()})
    admin.call("mail.activity", "action_feedback", [todo], idempotent=False, feedback="vendor called")


@pytest.fixture(scope="module")
def made(admin: OdooClient) -> Iterator[Made]:
    state = Made(new_ref())
    try:
        _make(admin, state, datetime.now(UTC))
        yield state
    finally:
        _cleanup(admin, state)


def _month() -> str:
    return datetime.now(UTC).strftime("%Y-%m")


def test_the_report_reads_production_overtime_and_penalties(made: Made, cli: Callable[..., int],
                                                            tmp_path: Path) -> None:
    today = datetime.now(UTC).date()  # a range around now: the MO was due (requested − 24 h) perhaps last month
    assert cli("report", "--since", (today - timedelta(days=7)).isoformat(), "--until",
               (today + timedelta(days=1)).isoformat(), "--format", "json", "--output", str(tmp_path / "r.json")) == 0
    companies = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["companies"]
    company = next(c for c in companies if any(r["document"] == made.names["order"] for r in c["penalties"]["rows"]))
    production = next(s for s in company["departments"] if s["department"] == "production")
    [line] = [g for g in production["groups"]["work_center"] if g["id"] == made.ids["wc"]]
    assert (line["items"], line["late"], line["pending"]) == (1, 1, 0)
    # The done ask (in the chatter) and the open one carry the same line: counted once.
    assert (line["overtime_asked_hours"], line["overtime_asked_mos"]) == (sum(h for h, _ in ASKED), 1)
    [row] = [r for r in company["penalties"]["rows"] if r["document"] == made.names["order"]]
    # Requested 6 h ago, nothing shipped, its MO late: production's; 2 % (up to 24 h) of the order's total (taxes
    # included, as Odoo's amount_total: 1000 + the demo's 15 %), no earlier late delivery for this customer.
    total = made.amount
    assert (row["department"], row["base_amount"], row["late_history"], row["penalty"]) == (
        "production", total, 0, round(total * 0.02, 2))


def test_purchasing_is_the_flagged_lines(made: Made, cli: Callable[..., int], tmp_path: Path) -> None:
    today = datetime.now(UTC).date()
    assert cli("report", "--since", (today - timedelta(days=7)).isoformat(), "--until",
               (today + timedelta(days=8)).isoformat(), "--format", "json", "--output", str(tmp_path / "r.json")) == 0
    companies = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["companies"]
    vendors = [g for c in companies for s in c["departments"] if s["department"] == "purchasing"
               for g in s["groups"]["vendor"] if g["id"] == made.ids["vendor"]]
    assert [(g["items"], g["on_time"], g["late"], g["pending"]) for g in vendors] == [(2, 0, 1, 1)]
    rows = [r for c in companies for r in c["penalties"]["rows"] if r["party_id"] == made.ids["vendor"]]
    # 10 × 20 = 200, 10 h late: 2 %.
    assert [(r["department"], r["base_amount"], r["penalty"]) for r in rows] == [("purchasing", 200.0, 4.0)]


def test_send_posts_the_page_once_in_a_real_discuss_channel(made: Made, admin: OdooClient,
                                                            cli: Callable[..., int], capsys: Any) -> None:
    channel = f"#itest-board-{made.ref}"
    assert cli("report", "--month", _month(), "--send", "--to", channel) == 0
    assert capsys.readouterr().out.strip() == f"report {_month()}: posted to {channel}"
    assert cli("report", "--month", _month(), "--send", "--to", channel) == 0
    assert "already posted to" in capsys.readouterr().out
    [post] = admin.search_read("mail.message", [("model", "=", "discuss.channel"), ("res_id", "=", made.ids["channel"]),
                                                ("body", "ilike", marker(_month()))], ["attachment_ids", "body"])
    assert "Sales 销售" in post["body"]
    [attachment] = admin.read("ir.attachment", post["attachment_ids"], ["name", "datas"])
    assert attachment["name"] == f"assessment-{_month()}.html"
    assert "每月考核" in base64.b64decode(attachment["datas"]).decode("utf-8")
