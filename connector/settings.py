"""Connection settings: the ``[odoo]`` table of settings.toml.

Secrets never need to be in the file: the password or API key comes from ``ODOO_URGENCY_PASSWORD`` /
``ODOO_URGENCY_API_KEY`` or from a file named by ``password_file`` / ``api_key_file`` (one line, e.g. a
systemd credential). They are held as :class:`pydantic.SecretStr`, so no repr or log line shows them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")


def hide_userinfo(text: str) -> str:
    """Any ``scheme://user:password@host`` in ``text`` → ``scheme://***@host``: a credential given inside a URL
    never reaches a message, a log line or a traceback."""
    return _USERINFO.sub(r"\1***@", text)


class ConnectionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # No defaults that point at a server: a forgotten variable must not aim the plugin at whatever Odoo runs
    # on this host. ``missing()`` names what a connection still needs.
    url: str = ""
    database: str = ""
    login: str = ""
    #: ``auto``: JSON-2 on Odoo 19+ when an API key is set, else XML-RPC (see ``connector._protocols``).
    protocol: Literal["auto", "xmlrpc", "jsonrpc", "json2"] = "auto"
    password: SecretStr | None = Field(default=None, repr=False)
    api_key: SecretStr | None = Field(default=None, repr=False)
    password_file: Path | None = None
    api_key_file: Path | None = None
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=60.0, gt=0)
    verify_tls: bool = True
    ca_bundle: Path | None = None
    retry_attempts: int = Field(default=5, ge=1, le=20)
    retry_max_seconds: float = Field(default=60.0, gt=0)
    page_size: int = Field(default=2000, ge=1, le=50000)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("password_file", "api_key_file", "ca_bundle", mode="before")
    @classmethod
    def _empty_path(cls, value: object) -> object:
        return None if value in ("", None) else value

    def missing(self) -> list[str]:
        """The keys a connection needs that are not set (``url``, ``database``, ``login``)."""
        return [name for name in ("url", "database", "login") if not getattr(self, name)]

    @property
    def public_url(self) -> str:
        """The URL as it may be shown: without any user or password written into it."""
        return hide_userinfo(self.url)

    def url_secret(self) -> str:
        """The password written inside the URL (``http://user:pw@host``), if any: scrubbed from every log line."""
        return urlsplit(self.url).password or ""

    def secret(self) -> str:
        """The credential to send: the API key when one is set, else the password. Empty when neither is."""
        return self.api_key_value() or _read_secret(self.password, self.password_file)

    def api_key_value(self) -> str:
        """The API key alone (JSON-2 accepts nothing else). Empty when none is set."""
        return _read_secret(self.api_key, self.api_key_file)


def _read_secret(direct: SecretStr | None, path: Path | None) -> str:
    if direct is not None and direct.get_secret_value():
        return direct.get_secret_value()
    if path is not None:
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ValueError(f"cannot read {path}: {exc.strerror}") from exc
    return ""
