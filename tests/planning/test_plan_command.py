"""``odoo-urgency plan`` and the capacity part of ``explain`` against the embedded sandbox ERP (Assembly Line 1)."""

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


def run(args: list[str], tmp_path: Path, erp: Sandbox) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")}
    env.update({"ODOO_URGENCY_URL": erp.url, "ODOO_URGENCY_DATABASE": erp.database, "ODOO_URGENCY_LOGIN": "admin",
                "ODOO_URGENCY_PASSWORD": "admin",
                "ODOO_URGENCY_DAEMON__CACHE_DIR": str(tmp_path), "COLUMNS": "200",
                "ODOO_URGENCY_RULES__PLANNING__SOLVER_SECONDS": "2"})
    return subprocess.run([sys.executable, "-m", "odoo_urgency.jobs.cli", *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)


def test_plan_shows_the_line_before_and_after_and_writes_a_gantt(erp: Sandbox, tmp_path: Path) -> None:
    before = erp.env.search_read("mrp.workorder", [], ["date_start", "date_finished"])
    page = tmp_path / "plan.html"
    result = run(["plan", "--workcenter", "Assembly Line 1", "--days", "10", "--html", str(page)], tmp_path, erp)
    assert result.returncode == 0, result.stderr
    for mo in ("WH/MO/00001", "WH/MO/00002", "WH/MO/00003"):
        assert mo in result.stdout
    assert "Capacity plan (cp-sat" in result.stdout
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "Assembly Line 1" in html and "<script" not in html
    assert "http" not in html.replace("http://127.0.0.1", "")  # self-contained: no external resources
    assert erp.env.search_read("mrp.workorder", [], ["date_start", "date_finished"]) == before  # writes nothing


def test_plan_refuses_an_unknown_work_center_in_one_line(erp: Sandbox, tmp_path: Path) -> None:
    result = run(["plan", "--workcenter", "Paint Shop"], tmp_path, erp)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "odoo-urgency: --workcenter: no work center named 'Paint Shop'" in result.stderr


def test_explain_shows_the_orders_part_of_the_schedule(erp: Sandbox, tmp_path: Path) -> None:
    result = run(["explain", "S00008"], tmp_path, erp)
    assert result.returncode == 0, result.stderr
    assert "capacity plan for WH/MO/00002" in result.stdout and "late by" in result.stdout
