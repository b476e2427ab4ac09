"""``check`` against Odoo 19 (the sandbox in 19 mode) and against a server that lacks what the plugin reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from odoo_urgency.connector.schema import api_keys_expiring
from odoo_urgency.sandbox import Sandbox
from odoo_urgency.sandbox.app import API_KEYS
from tests.jobs.test_cli_errors import one_line, run


@pytest.fixture(scope="module")
def erp19() -> Iterator[Sandbox]:
    with Sandbox(demo=True, odoo_version=19) as sb:
        yield sb


def test_auto_speaks_json2_to_19_with_an_api_key_and_says_why(erp19: Sandbox, tmp_path: Path) -> None:
    result = run(["check"], tmp_path, ODOO_URGENCY_URL=erp19.url, ODOO_URGENCY_API_KEY=API_KEYS[2])
    assert result.returncode == 0, result.stderr
    assert "json2 (auto: Odoo 19.0 and an API key, so JSON-2)" in result.stdout
    assert "sale.order.stock_reference_ids, mrp.production.reference_ids" in result.stdout
    assert "deprecated" not in result.stdout


@pytest.mark.parametrize("env, protocol", [
    ({"ODOO_URGENCY_PASSWORD": "admin"}, "xmlrpc (auto: Odoo 19.0 speaks JSON-2 but no API key is set"),
    ({"ODOO_URGENCY_PASSWORD": "admin", "ODOO_URGENCY_PROTOCOL": "jsonrpc"}, "jsonrpc (protocol = 'jsonrpc'"),
])
def test_xmlrpc_and_jsonrpc_on_19_are_warned_deprecated(erp19: Sandbox, tmp_path: Path, env: dict[str, str],
                                                        protocol: str) -> None:
    result = run(["check"], tmp_path, ODOO_URGENCY_URL=erp19.url, **env)
    assert result.returncode == 0, result.stderr
    assert protocol in result.stdout
    assert "is deprecated on Odoo 19" in result.stdout


def test_json2_without_an_api_key_is_one_line(erp19: Sandbox, tmp_path: Path) -> None:
    result = run(["check"], tmp_path, ODOO_URGENCY_URL=erp19.url, ODOO_URGENCY_PASSWORD="admin",
                 ODOO_URGENCY_PROTOCOL="json2")
    assert result.returncode == 3
    assert "protocol json2 needs an API key" in one_line(result)


def test_json2_against_17_is_one_line(tmp_path: Path) -> None:
    with Sandbox() as sb:
        result = run(["check"], tmp_path, ODOO_URGENCY_URL=sb.url, ODOO_URGENCY_API_KEY="k",
                     ODOO_URGENCY_PROTOCOL="json2")
    assert result.returncode != 0
    assert "not an Odoo 19+ server" in one_line(result)


def test_a_field_or_model_the_plugin_reads_but_the_server_lacks_is_a_problem_each(tmp_path: Path) -> None:
    with Sandbox() as sb:
        for registry in (sb.env._base, sb.env.models):
            registry["stock.picking"].fields.pop("sale_id")
            registry["mrp.production"].fields.pop("priority")
        sb.env._base.pop("crm.team")
        sb.env.models.pop("crm.team")
        result = run(["check"], tmp_path, ODOO_URGENCY_URL=sb.url, ODOO_URGENCY_PASSWORD="admin",
                     ODOO_URGENCY_PROTOCOL="xmlrpc")
    assert result.returncode == 1, result.stderr
    problems = [line for line in result.stderr.splitlines() if line.startswith("problem: this server has no")]
    assert problems == [
        "problem: this server has no model crm.team (the plugin reads it)",
        "problem: this server has no field mrp.production.priority (the plugin reads it)",
        "problem: this server has no field stock.picking.sale_id (the plugin reads it)",
    ], result.stderr


class KeysServer:
    """``res.users.apikeys`` as Odoo 17+ records it (or, ``expiry=False``, a version without expiry)."""

    uid = 2

    def __init__(self, rows: list[dict[str, Any]], expiry: bool = True) -> None:
        self.rows, self.expiry = rows, expiry

    def fields_get(self, model: str) -> dict[str, Any]:
        return {"name": {}, "user_id": {}, **({"expiration_date": {}} if self.expiry else {})}

    def search_read(self, model: str, domain: list[Any], fields: list[str]) -> list[dict[str, Any]]:
        assert ("user_id", "=", 2) in domain
        return self.rows


def test_api_keys_that_expire_soon_are_named() -> None:
    now = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    rows = [{"name": "daemon", "expiration_date": "2026-12-10 08:00:00"},
            {"name": "old laptop", "expiration_date": "2027-06-01 00:00:00"}]
    soon = api_keys_expiring(KeysServer(rows), 14, now)  # type: ignore[arg-type]
    assert soon == [("daemon", now + timedelta(days=7))]
    assert api_keys_expiring(KeysServer(rows, expiry=False), 14, now) == []  # type: ignore[arg-type]
