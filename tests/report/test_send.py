"""Reporting to leadership over the sandbox ERP: ``report --send`` posts the page to Discuss channels and users,
once per month and recipient — a second send, a restart of the daemon or another host posts nothing twice."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import pytest

sandbox = pytest.importorskip("sandbox")

from odoo_urgency.jobs import cli  # noqa: E402
from odoo_urgency.jobs.report.schedule import MonthlySender  # noqa: E402
from odoo_urgency.jobs.report.send import marker  # noqa: E402
from odoo_urgency.jobs.runtime.connect import connect_and_detect  # noqa: E402
from odoo_urgency.jobs.runtime.settings import Settings  # noqa: E402

MONTH = datetime.now(UTC).strftime("%Y-%m")


@pytest.fixture()
def erp():
    with sandbox.Sandbox(demo=True) as sb:
        sb.env.model("discuss.channel").create({"name": "board-meetings"})
        yield sb


@pytest.fixture()
def cli_env(erp, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for key, value in {"URL": erp.url, "DATABASE": erp.database, "LOGIN": "admin", "PASSWORD": "admin"}.items():
        monkeypatch.setenv(f"ODOO_URGENCY_{key}", value)
    monkeypatch.delenv("ODOO_URGENCY_API_KEY", raising=False)
    monkeypatch.delenv("ODOO_URGENCY_CONFIG", raising=False)
    return erp


def _posts(sb: Any, model: str, res_id: int, month: str = MONTH) -> list[dict[str, Any]]:
    return sb.env.model("mail.message").search_read(
        [("model", "=", model), ("res_id", "=", res_id), ("body", "ilike", marker(month))],
        ["body", "attachment_ids", "partner_ids", "message_type", "author_id"])


def _board(sb: Any) -> int:
    return sb.env.model("discuss.channel").search([("name", "=", "board-meetings")])[0]


def test_sending_twice_in_a_month_posts_once(cli_env, capsys):
    sb = cli_env
    argv = ["report", "--month", MONTH, "--send", "--to", "#board-meetings", "--to", "demo"]
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.strip() == f"report {MONTH}: posted to #board-meetings, demo"
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.strip() == f"report {MONTH}: posted to nobody; already posted to #board-meetings, demo"

    [post] = _posts(sb, "discuss.channel", _board(sb))
    assert post["message_type"] == "comment" and "Sales 销售" in post["body"]
    [attachment] = sb.env.model("ir.attachment").read(post["attachment_ids"], ["name", "datas"])
    assert attachment["name"] == f"assessment-{MONTH}.html"
    page = base64.b64decode(attachment["datas"]).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "每月考核" in page
    [to_demo] = _posts(sb, "res.partner", 7)  # Marc Demo's contact, Marc Demo notified
    assert to_demo["partner_ids"] == [7]


def test_recipients_from_settings_and_unknown_ones(cli_env, capsys, tmp_path):
    sb = cli_env
    (tmp_path / "settings.toml").write_text('[report]\nrecipients = ["#board-meetings"]\n', encoding="utf-8")
    assert cli.main(["report", "--month", MONTH, "--send"]) == 0
    assert len(_posts(sb, "discuss.channel", _board(sb))) == 1
    capsys.readouterr()
    assert cli.main(["report", "--month", MONTH, "--send", "--to", "#nowhere", "--to", "demo"]) == 2
    assert capsys.readouterr().err.strip() == "odoo-urgency: recipient #nowhere: no Discuss channel with that name"
    assert _posts(sb, "res.partner", 7) == []  # nothing posted to anyone when a recipient is wrong


def _sender(sb: Any, clock: datetime) -> MonthlySender:
    settings = Settings.model_validate({
        "odoo": {"url": sb.url, "database": sb.database, "login": "admin", "password": "admin"},
        "report": {"recipients": ["#board-meetings"], "send_day": 3, "trend_months": 2},
    })
    client, schema = connect_and_detect(settings)
    return MonthlySender(client, schema, settings, clock=lambda: clock)


def test_the_daemon_sends_once_per_month_across_restarts(erp):
    board = _board(erp)
    early = _sender(erp, datetime(2026, 12, 2, 12, tzinfo=UTC))
    early.after_cycle()
    assert _posts(erp, "discuss.channel", board, "2026-11") == []  # before the configured day

    on_day = _sender(erp, datetime(2026, 12, 3, 0, 30, tzinfo=UTC))
    on_day.after_cycle()
    on_day.after_cycle()  # every cycle asks; one post
    assert len(_posts(erp, "discuss.channel", board, "2026-11")) == 1
    assert on_day.done == "2026-11"

    restarted = _sender(erp, datetime(2026, 12, 20, tzinfo=UTC))  # a new process: memory only in the ERP
    result = restarted.run_once(datetime(2026, 12, 20, tzinfo=UTC))
    assert result is not None and (result.posted, result.already) == ([], ["#board-meetings"])
    assert len(_posts(erp, "discuss.channel", board, "2026-11")) == 1

    next_month = _sender(erp, datetime(2027, 1, 3, 9, tzinfo=UTC))
    next_month.after_cycle()
    assert len(_posts(erp, "discuss.channel", board, "2026-12")) == 1


def test_a_failure_to_send_does_not_stop_the_daemon(erp):
    sender = _sender(erp, datetime(2026, 12, 5, tzinfo=UTC))
    sender.settings.report.recipients = ["#gone"]
    sender.after_cycle()  # logged, not raised
    assert sender.done is None  # tried again after the next cycle


def test_without_the_purchase_app_purchasing_is_said_unavailable(monkeypatch, tmp_path, capsys):
    import json

    with sandbox.Sandbox(demo=True, purchase=False) as sb:
        monkeypatch.chdir(tmp_path)
        for key, value in {"URL": sb.url, "DATABASE": sb.database, "LOGIN": "admin", "PASSWORD": "admin"}.items():
            monkeypatch.setenv(f"ODOO_URGENCY_{key}", value)
        monkeypatch.delenv("ODOO_URGENCY_CONFIG", raising=False)
        assert cli.main(["report", "--month", MONTH, "--format", "json"]) == 0
    [company] = json.loads(capsys.readouterr().out)["companies"]
    sections = {s["department"]: s for s in company["departments"]}
    assert sections["purchasing"]["available"] is False
    assert sections["purchasing"]["note"] == "the purchase app is not installed"
    assert sections["production"]["available"] and sections["production"]["groups"]["work_center"] is not None
