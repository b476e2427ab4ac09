"""``install --daemon-user LOGIN --email ADDRESS`` (#20): a daemon user without an e-mail address cannot alert
anyone (Odoo refuses the activities it creates for others), so install gives it one — and never replaces a
person's."""

from __future__ import annotations

from collections.abc import Callable

from odoo_urgency.connector import OdooClient
from odoo_urgency.jobs.admin.daemon_user import ensure_daemon_user
from odoo_urgency.jobs.admin.install import run_install


def quiet(_: str) -> None:
    pass


def email_of(admin: OdooClient, login: str) -> str:
    return admin.search_read("res.users", [("login", "=", login)], ["email"])[0].get("email") or ""


def test_a_new_daemon_user_gets_its_email(admin: OdooClient) -> None:
    run_install(admin, out=quiet)
    lines: list[str] = []
    ensure_daemon_user(admin, "urgency-bot", dry_run=False, out=lines.append, email="bot@example.com")
    assert email_of(admin, "urgency-bot") == "bot@example.com"
    assert any("with e-mail bot@example.com" in line for line in lines)


def test_without_email_install_warns_and_a_second_run_adds_it(admin: OdooClient) -> None:
    run_install(admin, out=quiet)
    lines: list[str] = []
    ensure_daemon_user(admin, "urgency-bot", dry_run=False, out=lines.append)
    assert any(line.startswith("warning: user 'urgency-bot' has no e-mail address") for line in lines)
    ensure_daemon_user(admin, "urgency-bot", dry_run=True, out=quiet, email="bot@example.com")
    assert email_of(admin, "urgency-bot") == ""  # a dry run changes nothing
    ensure_daemon_user(admin, "urgency-bot", dry_run=False, out=quiet, email="bot@example.com")
    assert email_of(admin, "urgency-bot") == "bot@example.com"


def test_a_persons_address_is_kept(admin: OdooClient) -> None:
    run_install(admin, out=quiet)
    ensure_daemon_user(admin, "urgency-bot", dry_run=False, out=quiet, email="it-team@example.com")
    lines: list[str] = []
    ensure_daemon_user(admin, "urgency-bot", dry_run=False, out=lines.append, email="other@example.com")
    assert email_of(admin, "urgency-bot") == "it-team@example.com"
    assert "user 'urgency-bot' keeps its e-mail it-team@example.com (not replaced by other@example.com)" in lines


def test_email_without_daemon_user_is_one_line(cli: Callable[..., int], capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli("install", "--email", "bot@example.com") == 2
    assert "--email is the daemon user's address: give it with --daemon-user LOGIN" in capsys.readouterr().err
