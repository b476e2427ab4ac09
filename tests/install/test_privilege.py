"""Least privilege at install: the daemon's home (``x_urgency_state``), its group, its user, the move of an older
version's state off ``ir.config_parameter``, and ``check`` telling what a user has, lacks and does not need."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from odoo_urgency.connector import AccessError, OdooClient
from odoo_urgency.jobs.admin import home
from odoo_urgency.jobs.admin.daemon_user import ensure_daemon_user, group_report
from odoo_urgency.jobs.admin.install import run_install
from odoo_urgency.jobs.runtime.connect import connect
from odoo_urgency.jobs.runtime.errors import EXIT_AUTH, EXIT_OK, EXIT_PROBLEMS, JobError
from odoo_urgency.sandbox import Sandbox

from .conftest import settings_for

BOT_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4"


def quiet(_: str) -> None:
    pass


def make_bot(sb: Sandbox, admin: OdooClient, lines: list[str] | None = None) -> OdooClient:
    """Install, create the daemon's user, give it an API key (as its owner would in Odoo), log in with it."""
    run_install(admin, out=quiet)
    # Odoo refuses activities for others from a user without an e-mail address (#20): install gives it one.
    ensure_daemon_user(admin, "urgency-bot", dry_run=False, out=(lines.append if lines is not None else quiet),
                       email="urgency-bot@example.com")
    uid = admin.search("res.users", [("login", "=", "urgency-bot")])[0]
    sb.env.add_api_key(uid, BOT_KEY)
    return connect(settings_for(sb, "urgency-bot", BOT_KEY))


def test_install_makes_the_home_its_group_and_the_config(admin: OdooClient) -> None:
    run_install(admin, out=quiet)
    rows = {r["x_name"]: r for r in admin.search_read(home.STATE_MODEL, [], ["x_name", "x_value", "x_parent_id"])}
    assert set(rows) == {"config", "state"}
    assert rows["state"]["x_parent_id"][0] == rows["config"]["id"]
    config = json.loads(rows["config"]["x_value"])
    xml = {r["name"]: r["res_id"] for r in admin.search_read("ir.model.data", [("module", "=", "odoo_urgency")],
                                                            ["name", "res_id"])}
    assert config["activity_type_id"] == xml["activity_type_urgent"]
    assert config["tag_ids"] == {"urgent": xml["tag_urgent"], "special": xml["tag_special"]}
    assert config["group_id"] == xml["group_daemon"]
    models = {r["model"]: r["id"] for r in admin.search_read("ir.model", [("model", "in", list(config["model_ids"]))],
                                                             ["model"])}
    assert config["model_ids"] == models and set(models) == {"sale.order", "mrp.production", "stock.picking", "purchase.order"}
    group = admin.read("res.groups", [xml["group_daemon"]], ["name", "implied_ids"])[0]
    needed = {r["name"]: r["res_id"] for r in admin.search_read(
        "ir.model.data", [("model", "=", "res.groups")], ["name", "res_id"])}
    assert group["name"] == "Urgency daemon"
    assert sorted(group["implied_ids"]) == sorted(needed[n] for n in (
        "group_user", "group_sale_salesman_all_leads", "group_mrp_user", "group_stock_user", "group_purchase_user"))
    access = admin.search_read("ir.model.access", [("model_id", "=", xml["model_x_urgency_state"])],
                               ["group_id", "perm_read", "perm_write", "perm_create", "perm_unlink"])
    assert sorted(a["group_id"][0] for a in access) == sorted([xml["group_daemon"], needed["group_system"]])


def test_upgrade_moves_the_state_off_ir_config_parameter(admin: OdooClient) -> None:
    state = {"cursor": "2030-01-01 10:00:00", "lease": {"holder": "old:1", "expires": "2030-01-01 10:02:00"}}
    for key, value in (("odoo_urgency.state", json.dumps(state)), ("odoo_urgency.memo", '{"sale.order:1": {}}'),
                       ("odoo_urgency.backfill", '{"x": 5}')):
        admin.create("ir.config_parameter", {"key": key, "value": value})
    lines: list[str] = []
    run_install(admin, out=lines.append)
    assert sum("moved off ir.config_parameter" in line for line in lines) == 3
    rows = {r["x_name"]: r for r in admin.search_read(home.STATE_MODEL, [], ["x_name", "x_value", "x_parent_id"])}
    assert json.loads(rows["state"]["x_value"]) == state  # the lease too: a new daemon waits for the old one
    assert rows["memo"]["x_value"] == '{"sale.order:1": {}}' and rows["backfill"]["x_value"] == '{"x": 5}'
    assert {rows[k]["x_parent_id"][0] for k in ("state", "memo", "backfill")} == {rows["config"]["id"]}
    assert not admin.search("ir.config_parameter", [("key", "in", list(home.LEGACY_PARAMS))])
    again: list[str] = []
    assert run_install(admin, out=again.append).created == 0 and not any("moved" in line for line in again)


def test_daemon_user_gets_exactly_its_groups_and_the_api_key_steps(sb: Sandbox, admin: OdooClient) -> None:
    lines: list[str] = []
    bot = make_bot(sb, admin, lines)
    assert any(line.startswith("created user 'urgency-bot'") for line in lines)
    assert any("New API Key" in line for line in lines)
    assert not any(line.startswith("warning") or "LACKS" in line for line in lines)
    report = group_report(bot, bot.uid or 0)
    assert not report.lacks and not report.unneeded and not report.own_documents_only and report.in_daemon_group
    # a second run only checks
    again: list[str] = []
    ensure_daemon_user(admin, "urgency-bot", dry_run=False, out=again.append)
    assert any("is in group 'Urgency daemon'" in line for line in again)
    assert len(admin.search("res.users", [("login", "=", "urgency-bot")])) == 1
    bot.close()


def test_the_daemon_user_cannot_install_nor_read_settings(sb: Sandbox, admin: OdooClient) -> None:
    bot = make_bot(sb, admin)
    with pytest.raises(JobError) as caught:
        run_install(bot, out=quiet)
    assert caught.value.code == EXIT_AUTH and "needs an administrator" in str(caught.value)
    for model in ("ir.config_parameter", "ir.model.data", "ir.model"):
        with pytest.raises(AccessError):
            bot.search_read(model, [], ["id"], limit=1)
    with pytest.raises(AccessError):
        bot.create("res.groups", {"name": "escalate"})
    with pytest.raises(AccessError):
        bot.write("res.users", [bot.uid or 0], {"groups_id": [(4, 2)]})
    # but its own home it may use
    assert {r["x_name"] for r in bot.search_read(home.STATE_MODEL, [], ["x_name"])} == {"config", "state"}
    bot.close()


def test_an_existing_administrator_is_added_and_warned(admin: OdooClient) -> None:
    run_install(admin, out=quiet)
    lines: list[str] = []
    report = ensure_daemon_user(admin, "admin", dry_run=False, out=lines.append)
    assert report is not None and "base.group_system" in report.unneeded
    assert any(line.startswith("added user 'admin'") for line in lines)
    assert ("warning: user 'admin' has base.group_system: this user can install modules and change any setting; "
            "the daemon does not need that") in lines


def test_check_as_the_daemon_user_and_as_a_salesperson(sb: Sandbox, admin: OdooClient, cli: Callable[..., int],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    make_bot(sb, admin).close()
    capsys.readouterr()
    assert cli("check", login="urgency-bot", password=BOT_KEY) == EXIT_OK
    captured = capsys.readouterr()
    assert "x_urgency_state" in captured.out and "Sales / User: All Documents" in captured.out
    assert re.search(r"^overwrite check +off: Odoo shows chatter tracking \(mail.tracking.value\) to administrators",
                     captured.out, re.M)
    assert captured.err == ""
    assert cli("check", login="demo") == EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert "lacks Sales / User: All Documents" in err and "sees its own sale orders only" in err
    assert "lacks the right to read on x_urgency_state" in err
    assert cli("check", login="admin") == EXIT_OK
    captured = capsys.readouterr()
    assert "warning: user 'admin' has base.group_system: this user can install modules" in captured.err
    assert re.search(r"^overwrite check +on: ", captured.out, re.M)


def test_dry_run_daemon_user_changes_nothing(admin: OdooClient, cli: Callable[..., int],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("install", "--dry-run", "--daemon-user", "urgency-bot") == EXIT_OK
    assert "would create user 'urgency-bot'" in capsys.readouterr().out
    assert not admin.search("res.users", [("login", "=", "urgency-bot")], context={"active_test": False})


def test_every_daemon_command_works_as_the_daemon_user(sb: Sandbox, admin: OdooClient, cli: Callable[..., int],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    make_bot(sb, admin).close()
    as_bot = {"login": "urgency-bot", "password": BOT_KEY}
    month = sb.env.now().strftime("%Y-%m")
    for argv in (("once", "--dry-run"), ("once",), ("explain", "S00001"), ("backfill", "--all-open", "--dry-run"),
                 ("backfill", "--all-open"), ("report", "--month", month)):
        capsys.readouterr()
        code = cli(*argv, **as_bot)
        captured = capsys.readouterr()
        assert code == EXIT_OK, (argv, captured.err[-1500:])
        assert BOT_KEY not in captured.out + captured.err
    # the backfill's resume point is in the home as well
    assert admin.search_count(home.STATE_MODEL, [("x_name", "=", "backfill")]) == 1
