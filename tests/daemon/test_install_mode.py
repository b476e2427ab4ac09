"""With the plugin installed in the ERP: the daemon fills the x_urgency fields, and a user's tier is final."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from odoo_urgency.connector import OdooClient
from odoo_urgency.jobs.admin.install import run_install
from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import make_settings, make_sync


@pytest.fixture
def installed(sb: Sandbox) -> Sandbox:
    client = OdooClient(make_settings(sb).odoo)
    run_install(client, out=lambda *_: None)
    return sb


def order(sb: Sandbox, oid: int) -> dict:
    return sb.env.read("sale.order", [oid], ["x_urgency", "x_urgency_deadline", "x_urgency_reason",
                                             "x_urgency_manual", "x_urgency_memo", "create_date"])[0]


def test_the_daemon_fills_the_fields_users_see(installed: Sandbox) -> None:
    sync = make_sync(installed)
    assert sync.mode == "install"
    summary = sync.run_cycle()
    assert summary.errors == 0
    s1 = order(installed, 1)
    assert s1["x_urgency"] == "urgent"
    assert "生产线紧急停机" in s1["x_urgency_reason"]
    # 订单管理制度 第十条: an urgent order is processed within 2 hours of receipt.
    from datetime import datetime, timedelta
    received = datetime.strptime(s1["create_date"], "%Y-%m-%d %H:%M:%S")
    assert s1["x_urgency_deadline"] == (received + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S")
    assert json.loads(s1["x_urgency_memo"])["x_urgency"] == "urgent"
    assert order(installed, 3)["x_urgency"] == "special" and order(installed, 4)["x_urgency"] == "normal"
    assert order(installed, 9)["x_urgency"] is False                  # cancelled: untouched
    mo_memo = json.loads(installed.env.read("mrp.production", [1], ["x_urgency_memo"])[0]["x_urgency_memo"])
    assert mo_memo["priority"] == "1" and "mo_priority:mrp.production:1" in mo_memo["alerts"]
    again = sync.run_cycle()
    assert (again.writes, again.alerts) == (0, 0) and again.rpc_calls <= 5


def test_a_tier_set_by_hand_is_never_overwritten(installed: Sandbox) -> None:
    sync = make_sync(installed)
    sync.run_cycle()
    # The salesperson knows better: S00001 is not that urgent after all, and says so.
    installed.env.write("sale.order", [1], {"x_urgency": "normal", "x_urgency_manual": True}, uid=6)
    # Another changes S00004's tier without ticking the box: still the user's value.
    installed.env.write("sale.order", [4], {"x_urgency": "special"}, uid=6)
    first = sync.run_cycle()
    # The two deadlines follow the users' tiers; S00001's MO and delivery, prioritised by the plugin for an
    # urgent order, go back to normal now that its salesperson says it is not urgent; S00004, now special,
    # gets its confirm-by alert.
    assert (first.errors, first.writes, first.alerts) == (0, 4, 1)
    assert installed.env.read("mrp.production", [1], ["priority"])[0]["priority"] == "0"
    assert installed.env.read("stock.picking", [1], ["priority"])[0]["priority"] == "0"
    s1, s4 = order(installed, 1), order(installed, 4)
    assert (s1["x_urgency"], s1["x_urgency_manual"], s4["x_urgency"]) == ("normal", True, "special")
    assert s1["x_urgency_deadline"] == _plus(s1["create_date"], 24)   # normal: 24 h, no longer the urgent 2 h
    assert s4["x_urgency_deadline"] == _plus(s4["create_date"], 12)   # special: 12 h
    for _ in range(2):
        again = sync.run_cycle()
        assert (again.writes, again.errors) == (0, 0)
    assert order(installed, 1)["x_urgency"] == "normal" and order(installed, 4)["x_urgency"] == "special"
    plans = {p.decision.order_id: p for p in sync.run_cycle(dry_run=True).plans}
    assert 1 not in plans and 4 not in plans                           # nothing left to do for either


def _plus(stamp: str, hours: float) -> str:
    from datetime import datetime, timedelta

    return (datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S") + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")


def test_explain_shows_tier_reasons_deadline_and_what_was_written(installed: Sandbox, capsys, monkeypatch,
                                                                  tmp_path) -> None:
    from odoo_urgency.jobs import cli

    sync = make_sync(installed)
    sync.run_cycle()
    sync.release()   # as `odoo-urgency once` does; a daemon would hold it
    capsys.readouterr()
    monkeypatch.setenv("ODOO_URGENCY_URL", installed.url)
    monkeypatch.setenv("ODOO_URGENCY_LOGIN", "admin")
    monkeypatch.setenv("ODOO_URGENCY_DATABASE", installed.database)
    monkeypatch.setenv("ODOO_URGENCY_PASSWORD", "admin")
    monkeypatch.setenv("ODOO_URGENCY_CONFIG", "")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["explain", "S00001", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tier"] == "urgent"
    # Defect 4 (issue 14): every time in a JSON output is ISO 8601 with an offset, the wire values it quotes too.
    times = [data["received"], data["processing_deadline"], data["plugin_wrote"]["x_urgency_deadline"]]
    assert all(datetime.fromisoformat(t).utcoffset() is not None for t in times), times
    assert any("生产线紧急停机" in reason for reason in data["reasons"])
    assert data["plugin_wrote"]["x_urgency"] == "urgent"
    assert data["would_write"] == [] and data["would_alert"] == []
    monkeypatch.setenv("ODOO_URGENCY_DAEMON__CACHE_DIR", str(tmp_path))
    assert cli.main(["once", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) >= {"orders_by_tier", "writes", "alerts", "escalations", "errors", "rpc_calls", "duration_s"}
    assert cli.main(["explain", "S99999"]) == 2
    assert "no sale order 'S99999'" in capsys.readouterr().err


def test_fields_removed_under_a_running_daemon_switch_it_to_tag_mode(installed: Sandbox) -> None:
    from odoo_urgency.jobs.admin.install import run_uninstall

    sync = make_sync(installed)        # it saw the fields at start
    assert sync.mode == "install"
    run_uninstall(OdooClient(make_settings(installed).odoo), confirm=lambda: True, out=lambda *_: None)
    summary = sync.run_cycle()         # reading them fails: it looks at the schema again and goes on
    assert summary.errors == 0 and sync.mode == "tag"
    tags = {t["id"]: t["name"] for t in installed.env.search_read("crm.tag", [], ["name"])}
    assert [tags[t] for t in installed.env.read("sale.order", [1], ["tag_ids"])[0]["tag_ids"] if "/" in tags[t]] \
        == ["Urgent / 紧急"]
