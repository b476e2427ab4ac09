"""The policies are pure: no clock, no network, no files (DESIGN.md: "No I/O")."""

from __future__ import annotations

import ast
import string
import subprocess
import sys
from pathlib import Path

import pytest

from odoo_urgency.policies import i18n

POLICIES = Path(__file__).resolve().parents[2] / "policies"
SOURCES = sorted(POLICIES.rglob("*.py"))  # subpackages (policies/assessment/) too
FORBIDDEN_MODULES = {"os", "socket", "time", "pathlib", "requests", "urllib", "http", "subprocess", "io", "random",
                     "jobs", "sandbox", "connector", "logging", "structlog", "tenacity", "threading", "sqlite3"}
#: The one part of the connector the rules may use: the record types (pure pydantic data classes).
ALLOWED = {"connector.records"}
FORBIDDEN_CALLS = {"now", "utcnow", "today", "open", "time", "print"}


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(POLICIES)) for p in SOURCES])
def test_module_does_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        for name in (name.removeprefix("odoo_urgency.") for name in names):
            if name in ALLOWED:
                continue
            assert name.split(".")[0] not in FORBIDDEN_MODULES and name not in FORBIDDEN_MODULES, name
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            assert called not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {called}()"


def test_every_phrase_has_both_languages() -> None:
    for key, entry in i18n.CATALOGUE.items():
        assert set(entry) == {"en", "zh"}, key
        fields_en = {name for _, name, _, _ in string.Formatter().parse(entry["en"]) if name}
        fields_zh = {name for _, name, _, _ in string.Formatter().parse(entry["zh"]) if name}
        assert fields_en == fields_zh, key


def test_importing_the_policies_loads_no_io_library() -> None:
    """Not even indirectly: ``connector.records`` must not pull in the HTTP stack through ``connector``."""
    code = ("import sys, odoo_urgency.policies, odoo_urgency.policies.planner\n"
            "loaded = sorted(m for m in ('requests', 'urllib3', 'structlog', 'tenacity', 'http.client',"
            " 'odoo_urgency.connector.client', 'odoo_urgency.connector._transport', 'odoo_urgency.jobs',"
            " 'odoo_urgency.sandbox') if m in sys.modules)\n"
            "print(','.join(loaded))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=POLICIES.parent)
    assert done.stdout.strip() == ""


def test_importing_the_policies_loads_no_solver() -> None:
    """OR-Tools (numpy, pandas, protobuf behind it) comes with the first plan, not with ``import policies``: the
    rules that never plan — every deadline goes through :mod:`policies.planning.calendar` — stay light."""
    code = ("import sys, odoo_urgency.policies, odoo_urgency.policies.planning, odoo_urgency.policies.planning.solver\n"
            "print(sorted(m for m in ('ortools', 'numpy', 'pandas', 'google.protobuf') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=POLICIES.parent)
    assert done.stdout.strip() == "[]"
