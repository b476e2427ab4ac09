"""Bad input from the command line: one clear line on stderr, a meaningful exit code, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from odoo_urgency.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def erp() -> Iterator[Sandbox]:
    with Sandbox(demo=True) as sb:
        yield sb


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")}
    base.update({"ODOO_URGENCY_DATABASE": "odoo", "ODOO_URGENCY_LOGIN": "admin",
                 "ODOO_URGENCY_RETRY_ATTEMPTS": "2", "ODOO_URGENCY_RETRY_MAX_SECONDS": "2",
                 "ODOO_URGENCY_DAEMON__CACHE_DIR": str(tmp_path), **env})
    return subprocess.run([sys.executable, "-m", "odoo_urgency.jobs.cli", *args], cwd=tmp_path, env=base, capture_output=True,
                          text=True, timeout=60)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("odoo-urgency:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    return lines[0]


def test_check_succeeds_over_both_protocols(erp: Sandbox, tmp_path: Path) -> None:
    for protocol in ("xmlrpc", "jsonrpc"):
        result = run(["check"], tmp_path, ODOO_URGENCY_URL=erp.url, ODOO_URGENCY_PASSWORD="admin",
                     ODOO_URGENCY_PROTOCOL=protocol)
        assert result.returncode == 0, result.stderr
        assert "ok: the plugin can work with this ERP" in result.stdout
        assert "Odoo 17.0" in result.stdout and "mrp.production.date_start" in result.stdout


def test_wrong_password(erp: Sandbox, tmp_path: Path) -> None:
    result = run(["check"], tmp_path, ODOO_URGENCY_URL=erp.url, ODOO_URGENCY_PASSWORD="wrong-password")
    assert result.returncode == 3
    assert "authentication failed" in one_line(result)
    assert "wrong-password" not in result.stderr + result.stdout


def test_api_key_login(erp: Sandbox, tmp_path: Path) -> None:
    erp.env.add_api_key(2, "0123456789abcdef-api-key")
    result = run(["check"], tmp_path, ODOO_URGENCY_URL=erp.url, ODOO_URGENCY_API_KEY="0123456789abcdef-api-key")
    assert result.returncode == 0, result.stderr


def test_no_password_at_all(erp: Sandbox, tmp_path: Path) -> None:
    result = run(["check"], tmp_path, ODOO_URGENCY_URL=erp.url)
    assert result.returncode == 3 and "ODOO_URGENCY_PASSWORD" in one_line(result)


def test_unreachable_erp(tmp_path: Path) -> None:
    result = run(["once"], tmp_path, ODOO_URGENCY_URL="http://127.0.0.1:9", ODOO_URGENCY_PASSWORD="pw")
    assert result.returncode == 4
    assert one_line(result) == "odoo-urgency: ERP unreachable: cannot reach http://127.0.0.1:9: connection refused"


def test_wrong_database(erp: Sandbox, tmp_path: Path) -> None:
    result = run(["check"], tmp_path, ODOO_URGENCY_URL=erp.url, ODOO_URGENCY_PASSWORD="admin",
                 ODOO_URGENCY_DATABASE="nope")
    assert result.returncode == 4 and 'database "nope" does not exist' in one_line(result)


def test_broken_settings_file(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("[daemon]\npoll_interval = -5\n")
    result = run(["once"], tmp_path)
    assert result.returncode == 2
    assert one_line(result).startswith("odoo-urgency: settings error: settings.toml: daemon.poll_interval:")


def test_limited_user_is_told_which_rights_are_missing(erp: Sandbox, tmp_path: Path) -> None:
    result = run(["check"], tmp_path, ODOO_URGENCY_URL=erp.url, ODOO_URGENCY_LOGIN="demo",
                 ODOO_URGENCY_PASSWORD="demo")
    assert result.returncode == 1
    assert "lacks the right to read on ir.config_parameter" in result.stderr


def test_no_command_prints_help(tmp_path: Path) -> None:
    result = run([], tmp_path)
    assert result.returncode == 2 and "COMMAND" in result.stdout


def test_check_prints_the_routing_table_and_fails_where_a_role_cannot_be_routed(erp: Sandbox, tmp_path: Path) -> None:
    """Defect 1 (issue 14): `check` said "ok" while a breach had nobody to go to."""
    env = {"ODOO_URGENCY_URL": erp.url, "ODOO_URGENCY_PASSWORD": "admin"}
    fine = run(["check"], tmp_path, **env)
    assert fine.returncode == 0, fine.stderr
    assert "route team_leader" in fine.stdout
    assert "route manager" in fine.stdout and "group:sales_team.group_sale_manager [Mitchell Admin (admin)" in fine.stdout
    dry = run(["check"], tmp_path, **env, ODOO_URGENCY_RULES__ROUTING__MANAGER='["config.manager"]',
              ODOO_URGENCY_RULES__ROUTING__TEAM_LEADER='["order.team_leader", "role:manager"]')
    assert dry.returncode == 1
    assert "alerts for the team_leader cannot always be routed" in dry.stderr
    assert "alerts for the manager cannot always be routed" in dry.stderr
    assert "ok: the plugin" not in dry.stdout
