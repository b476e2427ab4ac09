"""Loading settings.toml: file, then environment, then validation, with one-line errors.

Where the file is: ``--config``, else ``ODOO_URGENCY_CONFIG``, else ``./settings.toml`` if present, else the
built-in defaults. Every key can be overridden from the environment:

* the connection (``[odoo]``): ``ODOO_URGENCY_URL``, ``ODOO_URGENCY_DATABASE``, ``ODOO_URGENCY_LOGIN``,
  ``ODOO_URGENCY_PROTOCOL``, ``ODOO_URGENCY_PASSWORD``, ``ODOO_URGENCY_API_KEY``, and likewise
  ``ODOO_URGENCY_<KEY>`` for each other key of ``[odoo]``;
* any other key: ``ODOO_URGENCY_<TABLE>__<KEY>`` with ``__`` between nested tables, e.g.
  ``ODOO_URGENCY_DAEMON__POLL_INTERVAL=30`` or ``ODOO_URGENCY_RULES__TIERS__URGENT=4``.

Values from the environment are read as TOML literals when they parse as one (``30``, ``true``,
``["VIP"]``), else as plain strings. A broken file or value raises :class:`SettingsError` whose text is one
line naming the file, the key and what is wrong.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from odoo_urgency.connector.settings import ConnectionSettings
from odoo_urgency.jobs.notify.settings import NotifySettings
from odoo_urgency.policies.config import Rules, describe_error

ENV_PREFIX = "ODOO_URGENCY_"


class SettingsError(Exception):
    """A settings problem, already phrased as one line for a person."""


class DaemonSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    poll_interval: float = Field(default=60.0, gt=0)
    overlap_seconds: float = Field(default=300.0, ge=0)
    lease_seconds: float = Field(default=180.0, gt=0)
    batch_size: int = Field(default=500, ge=1, le=10000)
    holder: str = ""
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(default=0, ge=0, le=65535)
    max_backoff_seconds: float = Field(default=300.0, gt=0)
    initial_lookback_days: float = Field(default=30.0, gt=0)
    rescan_minutes: float = Field(default=60.0, gt=0)
    cache_dir: Path | None = None
    #: The ERP's own limit on one request (Odoo's ``limit_time_real``, 120 s by default): past it, a call whose
    #: answer was lost has either committed or been rolled back, so a create not found by then never happened.
    erp_request_limit_seconds: float = Field(default=120.0, gt=0)

    @field_validator("cache_dir", mode="before")
    @classmethod
    def _empty_path(cls, value: object) -> object:
        return None if value in ("", None) else value


class ReportSettings(BaseModel):
    """``[report]``: where the monthly assessment goes, and when the daemon sends it by itself."""

    model_config = ConfigDict(extra="forbid")

    #: Discuss channels as ``"#name"`` and users by login; ``report --send`` without ``--to`` posts to these.
    recipients: list[str] = Field(default_factory=list)
    #: Day of the month (1–28) from which the daemon sends the last month's report by itself; 0 = never.
    send_day: int = Field(default=0, ge=0, le=28)
    trend_months: int = Field(default=6, ge=0, le=36)
    #: Push channels (names of ``[notify] channels``) that also get the report: a short summary with the link to
    #: the page in Odoo, and the page itself where the service takes files; once per month and channel.
    channels: list[str] = Field(default_factory=list)

    @field_validator("recipients")
    @classmethod
    def _recipients(cls, value: list[str]) -> list[str]:
        for item in value:
            name = item.strip().removeprefix("#").strip()
            if not name or (not item.strip().startswith("#") and any(ch.isspace() for ch in name)):
                raise ValueError(f"{item!r} is neither #channel nor a login")
        return value


class LoggingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: Literal["debug", "info", "warning", "error"] = "info"
    json_lines: bool | None = None


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    odoo: ConnectionSettings = Field(default_factory=ConnectionSettings)
    daemon: DaemonSettings = Field(default_factory=DaemonSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    rules: Rules = Field(default_factory=Rules)
    notify: NotifySettings = Field(default_factory=NotifySettings)

    @model_validator(mode="after")
    def _report_channels(self) -> Settings:
        known = {channel.name or f"channel-{index}" for index, channel in enumerate(self.notify.channels, start=1)}
        unknown = [name for name in self.report.channels if name not in known]
        if unknown:
            raise ValueError(f"report.channels: no [notify] channel named {unknown[0]!r}"
                             f" (channels: {', '.join(sorted(known)) or 'none'})")
        return self


#: A lease renewed at a fence must outlive the longest call that follows it, this many times over.
LEASE_MARGIN = 2.0


def lease_floor(settings: Settings) -> float:
    """The shortest safe lease: ``LEASE_MARGIN`` × the longest one call may take before the client gives up
    (connect + read timeout). Shorter, a second daemon may take the lease while this one still writes."""
    return LEASE_MARGIN * (settings.odoo.connect_timeout + settings.odoo.read_timeout)


def _check_lease(settings: Settings, sources: Mapping[tuple[str, ...], str], label: str) -> None:
    floor = lease_floor(settings)
    if settings.daemon.lease_seconds < floor:
        where = sources.get(("daemon", "lease_seconds")) or label
        raise SettingsError(
            f"{where}: daemon.lease_seconds = {settings.daemon.lease_seconds:g} s is below the safe minimum {floor:g} s "
            f"({LEASE_MARGIN:g} × (odoo.connect_timeout + odoo.read_timeout)): another daemon could take the lease "
            "while this one still writes; raise it or lower the timeouts")


def find_config(explicit: str | os.PathLike[str] | None, environ: Mapping[str, str]) -> Path | None:
    if explicit:
        return Path(explicit)
    if environ.get(ENV_PREFIX + "CONFIG"):
        return Path(environ[ENV_PREFIX + "CONFIG"])
    local = Path("settings.toml")
    return local if local.is_file() else None


def _literal(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _env_overrides(environ: Mapping[str, str], sources: dict[tuple[str, ...], str] | None = None
                   ) -> dict[str, Any]:
    """The settings the environment sets, as nested tables; ``sources`` learns which variable set which key."""
    overrides: dict[str, Any] = {}
    sources = {} if sources is None else sources
    odoo_keys = set(ConnectionSettings.model_fields)
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name == ENV_PREFIX + "CONFIG":
            continue
        rest = name[len(ENV_PREFIX):].lower()
        if not rest:
            continue
        if "__" not in rest:
            if rest in odoo_keys:
                value: Any = raw if rest in ("password", "api_key", "url", "database", "login") else _literal(raw)
                overrides.setdefault("odoo", {})[rest] = value
                sources[("odoo", rest)] = name
            continue
        path = rest.split("__")
        node = overrides
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = _literal(raw)
        sources[tuple(path)] = name
    return overrides


#: Keys whose values are secrets: they come from the environment or a file, never from settings.toml.
SECRET_KEYS = ("password", "api_key")


def _refuse_secrets_in_file(data: Mapping[str, Any], label: str) -> None:
    odoo = data.get("odoo")
    for key in SECRET_KEYS:
        if isinstance(odoo, Mapping) and odoo.get(key):
            raise SettingsError(f"{label}: odoo.{key}: a secret does not belong in the settings file; set "
                                f"{ENV_PREFIX}{key.upper()} or {key}_file (a file readable only by the daemon)")


def _blame(exc: ValidationError, sources: Mapping[tuple[str, ...], str], label: str) -> str:
    """Name the environment variable when it set the offending key, else the file."""
    errors = exc.errors()
    location = tuple(str(part) for part in errors[0].get("loc", ())) if errors else ()
    for length in range(len(location), 0, -1):
        variable = sources.get(location[:length])
        if variable:
            message = describe_error(exc, root="").split(": ", 1)[-1]
            return f"{variable}: {message}"
    return f"{label}: {describe_error(exc, root='')}"


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_settings(path: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    config_path = find_config(path, environ)
    data: dict[str, Any] = {}
    label = str(config_path) if config_path else "settings"
    if config_path is not None:
        try:
            text = config_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SettingsError(f"{config_path}: no such settings file") from None
        except OSError as exc:
            raise SettingsError(f"{config_path}: cannot read: {exc.strerror}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{config_path}: not valid TOML: {exc}") from None
    _refuse_secrets_in_file(data, label)
    sources: dict[tuple[str, ...], str] = {}
    data = _merge(data, _env_overrides(environ, sources))
    try:
        settings = Settings.model_validate(data)
        settings.odoo.secret()  # a password_file that cannot be read is a settings error, said now
    except ValidationError as exc:
        raise SettingsError(_blame(exc, sources, label)) from None
    except ValueError as exc:
        raise SettingsError(f"{label}: odoo: {exc}") from None
    _check_lease(settings, sources, label)
    return settings
