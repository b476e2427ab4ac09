"""A sandbox ERP with the demo stories, and a synchronizer pointed at it over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from odoo_urgency.connector import ConnectionSettings, OdooClient, detect
from odoo_urgency.jobs.daemon.stamps import FingerprintCache
from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
from odoo_urgency.jobs.runtime.settings import DaemonSettings, Settings
from odoo_urgency.sandbox import Sandbox
from odoo_urgency.sandbox.app import API_KEYS


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(demo=True) as sandbox:
        yield sandbox


@pytest.fixture(params=["xmlrpc", "jsonrpc", "json2"])
def protocol_sb(request: pytest.FixtureRequest) -> Iterator[tuple[str, Sandbox]]:
    """The demo sandbox and the protocol to reach it by: JSON-2 exists from Odoo 19, so that one is a 19."""
    with Sandbox(demo=True, odoo_version=19 if request.param == "json2" else 17) as sandbox:
        yield request.param, sandbox


def make_settings(sb: Sandbox, protocol: str = "xmlrpc", *, odoo: dict[str, object] | None = None,
                  **daemon: object) -> Settings:
    # JSON-2 takes an API key only (the 19 sandbox registers one per user); the others log in with the password.
    secret = {"api_key": SecretStr(API_KEYS[2])} if protocol == "json2" else {"password": SecretStr("admin")}
    connection: dict[str, object] = {"retry_attempts": 3, "retry_max_seconds": 5, **(odoo or {})}
    return Settings(
        odoo=ConnectionSettings(url=sb.url, database=sb.database, login="admin", **secret,  # type: ignore[arg-type]
                                protocol=protocol, **connection),  # type: ignore[arg-type]
        daemon=DaemonSettings(**daemon),  # type: ignore[arg-type]
    )


def make_sync(sb: Sandbox, *, holder: str = "test-daemon", cache: Path | None = None, protocol: str = "xmlrpc",
              odoo: dict[str, object] | None = None, **daemon: object) -> Synchronizer:
    settings = make_settings(sb, protocol, odoo=odoo, **daemon)
    client = OdooClient(settings.odoo, retry_base_wait=0.01)
    client.authenticate()
    schema = detect(client, with_rights=False)
    return Synchronizer(client, schema, settings, holder=holder, cache=FingerprintCache(cache) if cache else None)


def activities(sb: Sandbox) -> list[dict]:
    return sb.env.search_read("mail.activity", [], ["res_model", "res_id", "user_id", "summary", "note"])
