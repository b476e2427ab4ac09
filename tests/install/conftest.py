"""A fresh demo sandbox per test, clients for the administrator and the limited user, and a way to run the CLI
against the sandbox (settings from the environment, the install module registered)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from odoo_urgency.connector import ConnectionSettings, OdooClient
from odoo_urgency.jobs.runtime.connect import connect
from odoo_urgency.jobs.runtime.settings import Settings
from odoo_urgency.sandbox import Sandbox


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(demo=True, database="urgency") as sandbox:
        yield sandbox


def settings_for(sb: Sandbox, login: str = "admin", password: str = "admin", *,
                 protocol: str = "xmlrpc", language: str = "en") -> Settings:
    settings = Settings(odoo=ConnectionSettings(url=sb.url, database=sb.database, login=login, password=password,
                                                protocol=protocol, retry_attempts=1))
    if language != "en":
        settings.rules.language = language  # type: ignore[assignment]
    return settings


@pytest.fixture
def admin(sb: Sandbox) -> Iterator[OdooClient]:
    client = connect(settings_for(sb))
    yield client
    client.close()


@pytest.fixture
def demo_user(sb: Sandbox) -> Iterator[OdooClient]:
    client = connect(settings_for(sb, "demo", "demo"))
    yield client
    client.close()


@pytest.fixture
def cli(sb: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path) -> Callable[..., int]:  # type: ignore[no-untyped-def]
    """``cli("install", "--dry-run", login="demo")`` → exit code (output through capsys)."""
    from odoo_urgency.jobs import cli as cli_module

    monkeypatch.chdir(tmp_path)  # no ./settings.toml from the developer's directory
    for name in ("ODOO_URGENCY_CONFIG", "ODOO_URGENCY_API_KEY", "ODOO_URGENCY_PASSWORD_FILE"):
        monkeypatch.delenv(name, raising=False)

    def run(*argv: str, login: str = "admin", password: str | None = None) -> int:
        monkeypatch.setenv("ODOO_URGENCY_URL", sb.url)
        monkeypatch.setenv("ODOO_URGENCY_DATABASE", sb.database)
        monkeypatch.setenv("ODOO_URGENCY_LOGIN", login)
        monkeypatch.setenv("ODOO_URGENCY_PASSWORD", password or login)
        monkeypatch.setenv("ODOO_URGENCY_RETRY_ATTEMPTS", "1")
        return cli_module.main(list(argv))

    return run
