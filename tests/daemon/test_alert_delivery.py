"""Alerts reach a person: refused ones are tried again next cycle, ``check`` tells why they would be refused,
and an archived assignee's alert goes to someone who can act on it."""

from __future__ import annotations

import re

from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import activities, make_sync

KEY = re.compile(r"odoo-urgency key: (\S+?)</p>")
from tests.daemon.test_resilience import EXPECTED_ALERTS  # noqa: E402 - one count for the demo stories


def keys(sb: Sandbox) -> list[str]:
    return [k for a in activities(sb) for k in KEY.findall(a["note"] or "")]


def test_alerts_refused_for_a_missing_sender_email_come_the_next_cycle(sb: Sandbox) -> None:
    admin_partner = sb.env.search_read("res.users", [("id", "=", 2)], ["partner_id"])[0]["partner_id"][0]
    sb.env.write("res.partner", [admin_partner], {"email": False})
    sync = make_sync(sb)
    refused = sync.run_cycle()
    # Odoo refuses every activity the daemon's user creates for someone else; its own ones go through.
    assert refused.errors > 0
    assert all(a["user_id"][0] == 2 for a in activities(sb))
    assert any("sender's email address" in message for message in refused.error_messages)

    sb.env.write("res.partner", [admin_partner], {"email": "bot@example.com"})   # the admin fixes the user
    fixed = sync.run_cycle()                                                     # well before the hourly rescan
    assert fixed.errors == 0
    found = keys(sb)
    assert len(found) == len(set(found)) == EXPECTED_ALERTS
    assert sync.run_cycle().alerts == 0


def test_check_says_when_the_daemon_user_cannot_send_alerts(sb: Sandbox, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.daemon.test_unreadable import _cli

    assert _cli(sb, tmp_path, "check").returncode == 0
    sb.env.write("res.partner", [3], {"email": False})                    # Mitchell Admin, the daemon's user
    result = _cli(sb, tmp_path, "check")
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith("problem:")]
    assert len(problems) == 1 and "no e-mail address" in problems[0] and "'admin'" in problems[0], result.stderr


def test_an_archived_salesperson_s_alert_goes_to_the_team_leader(sb: Sandbox, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.daemon.test_unreadable import _cli

    # S00008 (urgent) belongs to Marc Demo (user 6), who has left the company; the team leader is user 7.
    sb.env.write("res.users", [6], {"active": False})
    check = _cli(sb, tmp_path, "check")
    assert any("Marc Demo (id 6) is archived" in line for line in check.stderr.splitlines()
               if line.startswith("warning:")), check.stderr

    sync = make_sync(sb)
    summary = sync.run_cycle()
    assert summary.errors == 0
    by_key = {k: a for a in activities(sb) for k in KEY.findall(a["note"] or "")}
    confirm = by_key["confirm:sale.order:8:urgent"]
    assert confirm["user_id"][0] == 7
    routed = {k: a for k, a in by_key.items() if not k.startswith("capacity:")}  # the capacity planner's own
    assert all(a["user_id"][0] != 6 for a in routed.values()), {k: a["user_id"] for k, a in by_key.items()}
    assert sync.run_cycle().alerts == 0                                  # and only once
