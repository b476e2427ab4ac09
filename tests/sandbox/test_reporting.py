"""The sandbox serves what the monthly report needs as Odoo 17 does: rates, Discuss channels, posted messages."""

from __future__ import annotations

import base64
import xmlrpc.client

import pytest

from odoo_urgency.sandbox import Sandbox

from .helpers import execute


def _eur(sb: Sandbox, day: str = "2026-01-01", rate: float = 0.9) -> None:
    sb.env.model("res.currency").write([2], {"active": True})
    sb.env.model("res.currency.rate").create({"name": day, "rate": rate, "currency_id": 2})


def test_orders_store_the_rate_of_their_date(sb: Sandbox) -> None:
    _eur(sb)
    _eur(sb, "2026-06-01", 0.8)
    early = sb.env.model("sale.order").create({"partner_id": 1, "currency_id": 2, "date_order": "2026-03-01 10:00:00"})
    late = sb.env.model("sale.order").create({"partner_id": 1, "currency_id": 2, "date_order": "2026-07-01 10:00:00"})
    home = sb.env.model("sale.order").create({"partner_id": 1, "date_order": "2026-07-01 10:00:00"})
    rows = execute(sb, "sale.order", "read", [early, late, home], ["currency_rate"])
    assert [r["currency_rate"] for r in rows] == [0.9, 0.8, 1.0]
    # A later rate does not change what an order stored; moving the order's date does.
    _eur(sb, "2026-02-01", 0.7)
    execute(sb, "sale.order", "write", [late], {"date_order": "2026-02-15 00:00:00"})
    rows = execute(sb, "sale.order", "read", [early, late], ["currency_rate"])
    assert [r["currency_rate"] for r in rows] == [0.9, 0.7]
    assert execute(sb, "res.currency", "read", [2], ["rate"])[0]["rate"] == 0.8


def test_message_post_on_a_channel_with_an_attachment(sb: Sandbox) -> None:
    [channel] = execute(sb, "discuss.channel", "search", [("name", "=", "general")])
    message = execute(sb, "discuss.channel", "message_post", [channel], body="<p>Report</p>", body_is_html=True,
                      message_type="comment", subtype_xmlid="mail.mt_comment",
                      attachments=[["report-2026-11.html", "<html>月报</html>"]], uid=6, password="demo")
    assert isinstance(message, int)
    [row] = execute(sb, "mail.message", "read", [message],
                    ["body", "model", "res_id", "message_type", "author_id", "subtype_id", "attachment_ids"])
    assert (row["body"], row["model"], row["res_id"], row["message_type"]) == (
        "<p>Report</p>", "discuss.channel", channel, "comment")
    assert row["author_id"][1] == "Marc Demo" and row["subtype_id"][1] == "Discussions"
    [attachment] = execute(sb, "ir.attachment", "read", row["attachment_ids"], ["name", "datas", "res_model", "res_id"])
    assert base64.b64decode(attachment["datas"]).decode() == "<html>月报</html>"
    assert (attachment["res_model"], attachment["res_id"]) == ("discuss.channel", channel)
    found = execute(sb, "mail.message", "search_count", [("model", "=", "discuss.channel"), ("res_id", "=", channel),
                                                         ("body", "ilike", "Report")])
    assert found == 1


def test_plain_text_is_escaped_and_a_partner_is_notified(sb: Sandbox) -> None:
    message = execute(sb, "res.partner", "message_post", [7], body="a < b\nnext", partner_ids=[7])
    [row] = execute(sb, "mail.message", "read", [message], ["body", "partner_ids", "subtype_id"])
    assert row["body"] == "a &lt; b<br>next"
    assert row["partner_ids"] == [7] and row["subtype_id"][1] == "Note"


def test_message_post_needs_one_record(sb: Sandbox) -> None:
    with pytest.raises(xmlrpc.client.Fault, match="Expected singleton"):
        execute(sb, "res.partner", "message_post", [3, 7], body="x")


def test_transfers_have_operation_types_named_after_their_warehouse(sb: Sandbox) -> None:
    out = sb.env.model("stock.picking").create({"picking_type_code": "outgoing"})
    receipt = sb.env.model("stock.picking").create({"picking_type_id": 1})
    rows = execute(sb, "stock.picking", "read", [out, receipt], ["picking_type_id", "picking_type_code"])
    assert [(r["picking_type_id"], r["picking_type_code"]) for r in rows] == [
        ([2, "San Francisco: Delivery Orders"], "outgoing"), ([1, "San Francisco: Receipts"], "incoming")]
