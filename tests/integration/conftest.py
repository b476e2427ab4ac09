"""Integration tests against a REAL Odoo (17 with sale_management, mrp and stock, demo data).

Skipped unless all of these are set::

    ODOO_URGENCY_TEST_URL=http://127.0.0.1:8069
    ODOO_URGENCY_TEST_DB=urgency
    ODOO_URGENCY_TEST_USER=admin
    ODOO_URGENCY_TEST_PASSWORD=admin

The user must be an administrator (install/uninstall need it). The suite changes the database (it installs and
uninstalls the plugin, creates and deletes a few sale orders) and cleans up after itself, so it can run again;
point it at a throw-away database only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog
from pydantic import SecretStr

from odoo_urgency.connector import ConnectionSettings, OdooClient, OdooError, detect
from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
from odoo_urgency.jobs.runtime.settings import DaemonSettings, Settings

ENV_NAMES = ("ODOO_URGENCY_TEST_URL", "ODOO_URGENCY_TEST_DB", "ODOO_URGENCY_TEST_USER", "ODOO_URGENCY_TEST_PASSWORD")
#: ``client_order_ref`` prefix of the sale orders the suite creates (found again for clean-up).
ORDER_REF_PREFIX = "ITEST-"
PLUGIN_MODULE = "odoo_urgency"
PARAM_PREFIX = "odoo_urgency."


class Target:
    """Where the real Odoo is, from the ``ODOO_URGENCY_TEST_*`` variables."""

    def __init__(self, url: str, database: str, login: str, password: str) -> None:
        self.url, self.database, self.login, self.password = url.rstrip("/"), database, login, password

    def connection(self, protocol: str = "xmlrpc", *, password: str | None = None) -> ConnectionSettings:
        return ConnectionSettings(url=self.url, database=self.database, login=self.login,
                                  password=SecretStr(self.password if password is None else password),
                                  protocol=protocol, retry_attempts=2, retry_max_seconds=10,  # type: ignore[arg-type]
                                  read_timeout=120)

    def client(self, protocol: str = "xmlrpc", *, password: str | None = None) -> OdooClient:
        return OdooClient(self.connection(protocol, password=password), retry_base_wait=0.05)

    def settings(self, protocol: str = "xmlrpc", **daemon: Any) -> Settings:
        return Settings(odoo=self.connection(protocol), daemon=DaemonSettings(**daemon))


def _missing_env() -> list[str]:
    return [name for name in ENV_NAMES if not os.environ.get(name)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = _missing_env()
    if not missing:
        return
    marker = pytest.mark.skip(reason=f"integration tests against a real Odoo: set {', '.join(missing)} "
                                     "(see tests/integration/conftest.py)")
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(marker)


@pytest.fixture(scope="session")
def target() -> Target:
    missing = _missing_env()
    if missing:
        pytest.skip(f"integration tests against a real Odoo: set {', '.join(missing)}")
    return Target(os.environ["ODOO_URGENCY_TEST_URL"], os.environ["ODOO_URGENCY_TEST_DB"],
                  os.environ["ODOO_URGENCY_TEST_USER"], os.environ["ODOO_URGENCY_TEST_PASSWORD"])


@pytest.fixture(scope="session")
def admin(target: Target) -> Iterator[OdooClient]:
    client = target.client()
    try:
        client.version()
        client.authenticate()
    except OdooError as exc:
        pytest.fail(f"cannot log in to the test Odoo at {target.url} ({target.database}): {exc}")
    yield client
    client.close()


@pytest.fixture
def cli(target: Target, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable[..., int]]:
    """``cli("check", protocol="jsonrpc")`` → the exit code of ``odoo-urgency check`` (output through capsys).

    The connection comes from ``ODOO_URGENCY_*`` variables; ``ODOO_URGENCY_CONFIG`` names an empty file, so no
    developer's settings.toml leaks in; the fingerprint cache goes to a temporary folder."""
    from odoo_urgency.jobs import cli as cli_module

    config = tmp_path / "settings.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("ODOO_URGENCY_") and not name.startswith("ODOO_URGENCY_TEST_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ODOO_URGENCY_CONFIG", str(config))
    monkeypatch.setenv("ODOO_URGENCY_URL", target.url)
    monkeypatch.setenv("ODOO_URGENCY_DATABASE", target.database)
    monkeypatch.setenv("ODOO_URGENCY_LOGIN", target.login)
    monkeypatch.setenv("ODOO_URGENCY_PASSWORD", target.password)
    monkeypatch.setenv("ODOO_URGENCY_RETRY_ATTEMPTS", "2")
    monkeypatch.setenv("ODOO_URGENCY_DAEMON__CACHE_DIR", str(tmp_path / "cache"))

    def run(*argv: str, protocol: str = "xmlrpc", login: str | None = None, password: str | None = None) -> int:
        monkeypatch.setenv("ODOO_URGENCY_PROTOCOL", protocol)
        monkeypatch.setenv("ODOO_URGENCY_LOGIN", login or target.login)
        monkeypatch.setenv("ODOO_URGENCY_PASSWORD", password or (login if login else target.password))
        return cli_module.main(list(argv))

    yield run  # type: ignore[misc]
    # the CLI pointed structlog at this test's captured stderr: do not let later tests log into a closed file
    structlog.reset_defaults()


def make_sync(target: Target, *, protocol: str = "xmlrpc", holder: str = "integration-test",
              **daemon: Any) -> Synchronizer:
    """A synchronizer the way the daemon builds one (as tests/daemon/conftest.py does), without a cache file."""
    settings = target.settings(protocol, **daemon)
    client = OdooClient(settings.odoo, retry_base_wait=0.05)
    client.version()
    client.authenticate()
    schema = detect(client, with_rights=False)
    return Synchronizer(client, schema, settings, holder=holder)


# -- clean-up ------------------------------------------------------------------------------------------------


def demo_client(target: Target, protocol: str = "xmlrpc") -> OdooClient | None:
    """The demo database's internal user ``demo`` (password ``demo``, Sales/User), or None when it cannot log in."""
    settings = target.connection(protocol).model_copy(update={"login": "demo", "password": SecretStr("demo")})
    client = OdooClient(settings, retry_base_wait=0.05)
    try:
        client.authenticate()
    except OdooError:
        client.close()
        return None
    return client


def plugin_installed(client: OdooClient) -> bool:
    return bool(client.search("ir.model.data", [("module", "=", PLUGIN_MODULE)], limit=1))


def remove_test_orders(client: OdooClient) -> None:
    ids = client.search("sale.order", [("client_order_ref", "=like", ORDER_REF_PREFIX + "%")],
                        context={"active_test": False})
    if not ids:
        return
    activity_ids = client.search("mail.activity", [("res_model", "=", "sale.order"), ("res_id", "in", ids)],
                                 context={"active_test": False})
    client.unlink("mail.activity", activity_ids)
    states = {row["id"]: row["state"] for row in client.read("sale.order", ids, ["state"])}
    confirmed = [i for i, state in states.items() if state not in ("draft", "sent", "cancel")]
    if confirmed:
        # without the key, Odoo 17 answers a non-draft order's cancel with its wizard (one order only)
        client.call("sale.order", "action_cancel", confirmed, idempotent=False,
                    context={"disable_cancel_warning": True})
    client.unlink("sale.order", ids)


def remove_plugin(client: OdooClient) -> None:
    """Whatever an earlier (perhaps crashed) run left: the plugin's records and its ``odoo_urgency.*``
    parameters (the daemon's state and lease among them)."""
    from odoo_urgency.jobs.admin.install import run_uninstall

    if plugin_installed(client):
        run_uninstall(client, out=lambda _line: None)
    params = client.search("ir.config_parameter", [("key", "=like", PARAM_PREFIX + "%")])
    client.unlink("ir.config_parameter", params)
    client.forget_fields()


def new_ref() -> str:
    return f"{ORDER_REF_PREFIX}{uuid.uuid4().hex[:10]}"
