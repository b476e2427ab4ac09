"""Structured logging with structlog: a pipeline of small processors.

Human-readable lines on a terminal; JSON lines when stderr is not a TTY (a service's journal) or with
``--log-json``. A redaction processor sits last before rendering: it drops secret-named keys and replaces
any occurrence of the configured password or API key in any value, so no log line ever carries one, even
if some message quoted it by accident.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from odoo_urgency.connector.settings import hide_userinfo

_SECRET_KEYS = {"password", "api_key", "apikey", "secret", "token", "authorization"}


class Redactor:
    """A structlog processor that knows the secrets of this run: it drops secret-named keys and replaces any
    occurrence of a registered secret in any value. One per :func:`configure`, so a run never inherits another
    run's secrets (tests configure many)."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()

    def register(self, value: str) -> None:
        if value and len(value) >= 6:  # shorter ones are ordinary words (admin); scrubbing them garbles every line
            self.secrets.add(value)

    def scrub(self, text: str) -> str:
        text = hide_userinfo(text)  # a user:password@ written inside a URL, registered or not
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, "***")
        return text

    def __call__(self, _logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        for key in list(event):
            if key.lower() in _SECRET_KEYS:
                event[key] = "***"
            elif isinstance(event[key], str):
                event[key] = self.scrub(event[key])
            elif isinstance(event[key], BaseException):
                event[key] = self.scrub(str(event[key]))
        return event


_redactor = Redactor()


def register_secret(value: str) -> None:
    """Remember a secret so that the redaction processor can scrub it from every log line."""
    _redactor.register(value)


def scrub(text: str) -> str:
    """``text`` with every secret of this run replaced (for messages printed outside the log pipeline)."""
    return _redactor.scrub(text)


#: log levels, quietest last
LEVELS = ("debug", "info", "warning", "error")


def level_for(configured: str, *, explicit: str | None, for_a_person: bool, stream: Any = None) -> str:
    """The log level of this run: ``--log-level`` wins; a command whose output is for a person (``demo``,
    ``once``, ``explain``, ``report``, ``check``, ...) logs only warnings and errors on a terminal, so its results
    are not buried under log lines; a service (``run``, or any output to a file or journal) logs as configured."""
    if explicit:
        return explicit
    stream = stream or sys.stderr
    if for_a_person and getattr(stream, "isatty", lambda: False)():
        return max(configured, "warning", key=LEVELS.index)
    return configured


def configure(level: str = "info", json_lines: bool | None = None, stream: Any = None) -> None:
    """Set up the pipeline for this run (a new redactor: secrets are registered after configuring)."""
    global _redactor
    _redactor = Redactor()
    stream = stream or sys.stderr
    if json_lines is None:
        json_lines = not getattr(stream, "isatty", lambda: False)()
    # NO_COLOR (no-color.org): any non-empty value turns colours off
    colors = getattr(stream, "isatty", lambda: False)() and not os.environ.get("NO_COLOR")
    renderer: Any = (structlog.processors.JSONRenderer(ensure_ascii=False) if json_lines
                     else structlog.dev.ConsoleRenderer(colors=colors))
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _redactor,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level.upper(), logging.INFO)),
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        cache_logger_on_first_use=False,
    )
