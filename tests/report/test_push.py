"""The monthly report through the push channels (``[report] channels``): a short summary with the link to the
page in Odoo and the page as a file, once per month and channel — a second ``--send``, a channel that was down, and
the daemon's own monthly send after the command did it, each send nothing twice and lose nothing."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

sandbox = pytest.importorskip("sandbox")

from odoo_urgency.jobs import cli  # noqa: E402
from odoo_urgency.jobs.report.push import notifier_of  # noqa: E402
from odoo_urgency.jobs.report.schedule import MonthlySender  # noqa: E402
from odoo_urgency.jobs.report.send import marker  # noqa: E402
from odoo_urgency.jobs.runtime.connect import connect_and_detect  # noqa: E402
from odoo_urgency.jobs.runtime.settings import Settings  # noqa: E402
from tests.notify import conftest as notify_fixtures  # noqa: E402
from tests.notify.conftest import HttpSink  # noqa: E402

MONTH = "2026-11"
#: The local webhook of the notify tests, under this module's name: it receives what the channel sends.
webhook = notify_fixtures.sink


@pytest.fixture()
def erp():
    with sandbox.Sandbox(demo=True) as sb:
        sb.env.model("discuss.channel").create({"name": "board-meetings"})
        yield sb


def _settings_file(tmp_path: Path, webhook: HttpSink, recipients: str = '["#board-meetings"]') -> None:
    (tmp_path / "settings.toml").write_text(
        f'[report]\nrecipients = {recipients}\nchannels = ["board"]\nsend_day = 3\ntrend_months = 2\n'
        f'[notify]\noutbox = "{tmp_path / "outbox.sqlite3"}"\nretry_base_seconds = 0.01\n'
        f'[[notify.channels]]\nname = "board"\nurl = "{webhook.url}"\n', encoding="utf-8")


@pytest.fixture()
def cli_env(erp, monkeypatch, tmp_path, webhook):
    monkeypatch.chdir(tmp_path)
    for key, value in {"URL": erp.url, "DATABASE": erp.database, "LOGIN": "admin", "PASSWORD": "admin"}.items():
        monkeypatch.setenv(f"ODOO_URGENCY_{key}", value)
    monkeypatch.delenv("ODOO_URGENCY_API_KEY", raising=False)
    monkeypatch.delenv("ODOO_URGENCY_CONFIG", raising=False)
    _settings_file(tmp_path, webhook)
    return erp


def _reports(webhook: HttpSink) -> list[dict[str, Any]]:
    return [m for m in webhook.messages if marker(MONTH) in m.get("message", "")]


def test_send_pushes_once_with_the_link_and_the_page(cli_env, webhook, capsys):
    argv = ["report", "--month", MONTH, "--send"]
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.strip() == f"report {MONTH}: posted to #board-meetings; pushed to board"
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.strip() == (f"report {MONTH}: posted to nobody; already posted to "
                                                "#board-meetings; pushed to no channel; already pushed to board")
    [message] = _reports(webhook)
    assert message["title"].startswith(f"Monthly assessment of order handling {MONTH}")
    assert "Sales 销售" in message["message"] and "Penalty estimate" in message["message"]
    [attachment_id] = cli_env.env.model("ir.attachment").search([("name", "=", f"assessment-{MONTH}.html")])
    assert f"{cli_env.url}/web/content/{attachment_id}?download=true" in message["message"]
    [page] = message["attachments"]
    assert page["filename"] == f"assessment-{MONTH}.html"
    assert "每月考核" in base64.b64decode(page["base64"]).decode("utf-8")


def test_a_channel_down_keeps_the_message_for_the_next_run(cli_env, webhook, capsys):
    webhook.down = True
    assert cli.main(["report", "--month", MONTH, "--send"]) == 1
    captured = capsys.readouterr()
    assert "pushed to board" in captured.out and "push failed: board:" in captured.err
    assert _reports(webhook) == [] and webhook.refused >= 1
    webhook.down = False
    assert cli.main(["report", "--month", MONTH, "--send"]) == 0  # recorded before: sent now, not recorded twice
    assert "already pushed to board" in capsys.readouterr().out
    assert len(_reports(webhook)) == 1
    assert cli.main(["report", "--month", MONTH, "--send"]) == 0
    assert len(_reports(webhook)) == 1


def test_push_only_without_odoo_recipients(cli_env, webhook, capsys, tmp_path):
    _settings_file(tmp_path, webhook, recipients="[]")
    assert cli.main(["report", "--month", MONTH, "--send"]) == 0
    assert capsys.readouterr().out.strip() == f"report {MONTH}: posted to nobody; pushed to board"
    [message] = _reports(webhook)
    assert f"The report is attached (assessment-{MONTH}.html)." in message["message"]


def test_an_unknown_report_channel_is_a_settings_error(cli_env, capsys, tmp_path):
    (tmp_path / "settings.toml").write_text('[report]\nchannels = ["board"]\n', encoding="utf-8")
    assert cli.main(["report", "--month", MONTH, "--send"]) == 2
    err = capsys.readouterr().err.strip()
    assert "report.channels: no [notify] channel named 'board'" in err and len(err.splitlines()) == 1


def test_the_daemon_pushes_once_even_after_the_command_did(cli_env, webhook, tmp_path, capsys):
    from odoo_urgency.jobs.runtime.settings import load_settings

    assert cli.main(["report", "--month", MONTH, "--send"]) == 0
    capsys.readouterr()
    settings: Settings = load_settings(tmp_path / "settings.toml")
    for _restart in range(2):  # the daemon's monthly send, in two processes: the ERP and the outbox remember
        client, schema = connect_and_detect(settings)
        notifier = notifier_of(settings)
        assert notifier is not None
        sender = MonthlySender(client, schema, settings, clock=lambda: datetime(2026, 12, 4, tzinfo=UTC),
                               notifier=notifier)
        sender.after_cycle()
        assert sender.done == MONTH
        notifier.drain(timeout=10)
        notifier.stop()
    assert len(_reports(webhook)) == 1
    # Next month the daemon posts and pushes by itself, once.
    client, schema = connect_and_detect(settings)
    notifier = notifier_of(settings)
    assert notifier is not None
    sender = MonthlySender(client, schema, settings, clock=lambda: datetime(2027, 1, 3, 9, tzinfo=UTC),
                           notifier=notifier)
    sender.after_cycle()
    sender.after_cycle()
    notifier.drain(timeout=10)
    notifier.stop()
    december = [m for m in webhook.messages if marker("2026-12") in m.get("message", "")]
    assert len(december) == 1 and json.dumps(december[0]).count("assessment-2026-12.html") >= 1
