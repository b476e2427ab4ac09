"""What every command does first: settings, logs, an authenticated client, the ERP's schema."""

from __future__ import annotations

import argparse

from odoo_urgency.connector import OdooClient, Schema, detect
from odoo_urgency.jobs.runtime import logs
from odoo_urgency.jobs.runtime.settings import ENV_PREFIX, Settings, SettingsError, load_settings


def settings_from(args: argparse.Namespace) -> Settings:
    """Load settings (``--config``), configure logs (``--log-json``, ``--log-level``), register the secret
    for redaction."""
    settings = load_settings(getattr(args, "config", None))
    json_lines = True if getattr(args, "log_json", False) else settings.logging.json_lines
    level = logs.level_for(settings.logging.level, explicit=getattr(args, "log_level", None),
                           for_a_person=getattr(args, "for_a_person", False) and not json_lines)
    logs.configure(level, json_lines)
    logs.register_secret(settings.odoo.secret())
    logs.register_secret(settings.odoo.url_secret())
    return settings


def client_for(settings: Settings, *, max_calls_per_second: float | None = None) -> OdooClient:
    """A client for the configured ERP; a connection setting left unset is a settings error, said at once. A pace
    applies from the first call: the version, the login and the schema's look-ups count too."""
    missing = settings.odoo.missing()
    if missing:
        names = " and ".join(f"{ENV_PREFIX}{name.upper()}" for name in missing)
        raise SettingsError(f"the ERP to connect to is not configured: set {names} (or {', '.join(missing)} in the "
                            "[odoo] table of settings.toml)")
    return OdooClient(settings.odoo, max_calls_per_second=max_calls_per_second)


def connect(settings: Settings, *, max_calls_per_second: float | None = None) -> OdooClient:
    """A client that has asked the server's version and logged in (errors propagate as typed errors)."""
    client = client_for(settings, max_calls_per_second=max_calls_per_second)
    try:
        client.version()
        client.authenticate()
    except BaseException:
        client.close()
        raise
    return client


def connect_and_detect(settings: Settings, *, with_rights: bool = False,
                       max_calls_per_second: float | None = None) -> tuple[OdooClient, Schema]:
    client = connect(settings, max_calls_per_second=max_calls_per_second)
    try:
        return client, detect(client, with_rights=with_rights)
    except BaseException:
        client.close()
        raise
