"""One order the rules cannot read (a date out of range, a value of the wrong type) is skipped with one line
naming it and counted; every other order of the cycle is decided and written as usual."""

from __future__ import annotations

import re

import pytest

from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import activities, make_sync

KEY = re.compile(r"odoo-urgency key: (\S+?)</p>")


def keys(sb: Sandbox) -> set[str]:
    return {k for a in activities(sb) for k in KEY.findall(a["note"] or "")}


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_an_order_with_year_one_is_skipped_and_the_cycle_goes_on(sb: Sandbox, protocol: str) -> None:
    # S00004 is an ordinary order; a requested date in year 1 comes back as '1-01-01 00:00:00' from Odoo.
    sb.env.write("sale.order", [4], {"commitment_date": "0001-01-01 00:00:00"})
    sync = make_sync(sb, protocol=protocol)
    summary = sync.run_cycle()

    assert summary.unreadable == 1 and summary.errors == 1
    assert len(summary.error_messages) == 1
    line = summary.error_messages[0]
    assert "S00004" in line and "commitment_date" in line and "1-01-01" in line and "\n" not in line
    # The urgent orders beside it got their tier and their to-dos.
    assert summary.orders_by_tier["urgent"] == 3
    assert {"confirm:sale.order:1:urgent", "confirm:sale.order:8:urgent"} <= keys(sb)


def test_a_related_record_that_cannot_be_read_skips_only_its_order(sb: Sandbox) -> None:
    # The MO of S00001 (the line-stop story) planned in year 1: S00001 is not decided on a partial picture (its
    # MO would be left out, its priority not raised), the others are.
    sb.env.write("mrp.production", [1], {"date_start": "0001-01-01 00:00:00"})
    sync = make_sync(sb)
    summary = sync.run_cycle()

    assert summary.unreadable == 1
    line = summary.error_messages[0]
    assert "S00001" in line and "WH/MO/00001" in line and "date_start" in line, line
    found = keys(sb)
    assert not any(":sale.order:1:" in k for k in found)
    assert "confirm:sale.order:8:urgent" in found


def test_a_skipped_order_is_not_read_again_until_it_changes(sb: Sandbox) -> None:
    sb.env.write("sale.order", [4], {"commitment_date": "0001-01-01 00:00:00"})
    sync = make_sync(sb)
    sync.run_cycle()
    quiet = sync.run_cycle()
    assert quiet.unreadable == 0 and quiet.rpc_calls == 5
    sb.env.write("sale.order", [4], {"commitment_date": False}, uid=6)   # a person clears the date
    fixed = sync.run_cycle()
    assert fixed.unreadable == 0 and fixed.errors == 0


def _cli(sb: Sandbox, tmp_path, *args: str, **env: str):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    from pathlib import Path

    base = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")}
    base.update({"ODOO_URGENCY_URL": sb.url, "ODOO_URGENCY_DATABASE": sb.database, "ODOO_URGENCY_PASSWORD": "admin",
                 "ODOO_URGENCY_LOGIN": "admin",
                 "ODOO_URGENCY_DAEMON__CACHE_DIR": str(tmp_path), **env})
    root = Path(__file__).resolve().parents[2]
    return subprocess.run([sys.executable, "-m", "odoo_urgency.jobs.cli", *args], cwd=tmp_path,
                          env={**base, "PYTHONPATH": str(root)}, capture_output=True, text=True, timeout=60)


def test_check_and_explain_name_the_unreadable_order(sb: Sandbox, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sb.env.write("sale.order", [4], {"commitment_date": "0001-01-01 00:00:00"})
    check = _cli(sb, tmp_path, "check")
    warnings = [line for line in check.stderr.splitlines() if line.startswith("warning:")]
    assert any("S00004" in line and "commitment_date" in line for line in warnings), check.stderr
    assert "Traceback" not in check.stderr

    explain = _cli(sb, tmp_path, "explain", "S00004")
    assert explain.returncode == 1 and "Traceback" not in explain.stderr
    lines = [line for line in explain.stderr.splitlines() if line.startswith("odoo-urgency:")]
    assert len(lines) == 1 and "S00004" in lines[0] and "commitment_date '1-01-01 00:00:00'" in lines[0], lines
    ok = _cli(sb, tmp_path, "explain", "S00001")
    assert ok.returncode == 0, ok.stderr
