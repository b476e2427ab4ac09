"""The ``[notify]`` table: push channels beside the Odoo to-do, and how they deliver.

A channel is an apprise URL (WeCom / 企业微信 ``wecombot://``, DingTalk / 钉钉 ``dingtalk://``, Feishu / Lark / 飞书
``feishu://`` / ``lark://``, Slack, Microsoft Teams, e-mail ``mailto://`` / ``mailtos://``, generic ``json://`` and
``form://`` webhooks, …). These URLs hold tokens, so a channel gives its URL in exactly one of three ways — ``url``
(in the file or from ``ODOO_URGENCY_NOTIFY__CHANNELS``), ``url_env`` (the name of an environment variable) or
``url_file`` (a file holding it, e.g. a systemd credential) — and the URL is held as a secret: it never appears in
a log line, an exception or a repr. ``roles``, ``tiers``, ``language`` and ``users`` say whom a channel is for; an
omitted filter means all.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from odoo_urgency.policies import Tier
from odoo_urgency.policies.routing import ROLES


class ChannelSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: A name for logs and metrics (the URL itself is never shown); default "channel-<n>".
    name: str = ""
    url: SecretStr | None = None
    url_env: str = ""
    url_file: Path | None = None
    #: Alert roles this channel is for (salesperson, team_leader, manager, director, planner, logistics, purchasing).
    roles: list[str] = Field(default_factory=list)
    tiers: list[Tier] = Field(default_factory=list)
    #: Recipients' Odoo languages this channel is for ("zh" matches zh_CN and zh_TW, "en" en_US, …).
    language: list[str] = Field(default_factory=list)
    #: Recipients' Odoo logins this channel is for.
    users: list[str] = Field(default_factory=list)

    @field_validator("url_file", mode="before")
    @classmethod
    def _empty_path(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("language", mode="before")
    @classmethod
    def _one_language(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: list[str]) -> list[str]:
        unknown = [role for role in value if role not in ROLES]
        if unknown:
            raise ValueError(f"unknown role {unknown[0]!r} (roles: {', '.join(ROLES)})")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> ChannelSettings:
        given = [name for name, value in (("url", self.url), ("url_env", self.url_env), ("url_file", self.url_file))
                 if value]
        if len(given) != 1:
            raise ValueError("give exactly one of url, url_env or url_file")
        return self

    def secret_url(self, environ: dict[str, str] | None = None) -> str:
        """The URL, read now from where it is kept. Errors name the place, never the value."""
        environ = dict(os.environ) if environ is None else environ
        if self.url is not None:
            value = self.url.get_secret_value()
        elif self.url_env:
            value = environ.get(self.url_env, "")
            if not value:
                raise ValueError(f"environment variable {self.url_env} is not set")
        else:
            assert self.url_file is not None
            try:
                value = self.url_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ValueError(f"cannot read url_file {self.url_file}: {exc.strerror}") from None
        if "://" not in value:
            raise ValueError("the URL has no scheme (e.g. json://, mailto://, dingtalk://)")
        return value


class NotifySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: list[ChannelSettings] = Field(default_factory=list)
    #: Normal-tier alerts, repeated situations of one record, and what exceeds ``burst`` are folded into one
    #: digest per person and channel at most every this-many minutes.
    digest_minutes: float = Field(default=30.0, gt=0)
    #: Messages sent one by one to one person on one channel per digest interval; the rest wait for the digest.
    burst: int = Field(default=5, ge=1)
    #: First wait after a failed send; doubled at each failure up to retry_max_seconds.
    retry_base_seconds: float = Field(default=5.0, gt=0)
    retry_max_seconds: float = Field(default=900.0, gt=0)
    #: Seconds between two looks at the outbox by the sender (it never holds up a cycle).
    flush_seconds: float = Field(default=2.0, gt=0)
    #: The outbox (SQLite): what is to be sent and what was; empty = ``outbox.sqlite3`` in the cache folder.
    outbox: Path | None = None
    #: Base URL of record links in messages; empty = the [odoo] url.
    link_url: str = ""
    #: Let Odoo e-mail each activity's assignee as it does for any activity assigned to another user (true, Odoo's
    #: default), or create the to-dos quietly (false: the ``mail_activity_quick_update`` context) when push
    #: channels already tell people.
    odoo_activity_email: bool = True

    @field_validator("outbox", mode="before")
    @classmethod
    def _empty_outbox(cls, value: object) -> object:
        return None if value in ("", None) else value
