"""Structured logging with structlog: a pipeline of small processors.

Human-readable lines on a terminal; JSON lines when stderr is not a TTY (a service's journal) or with
``--log-json``. A redaction processor sits last before rendering: it drops secret-named keys and replaces
any occurrence of the configured password or API key in any value, so no log line ever carries one, even
if some message quoted it by accident.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

_SECRET_KEYS = {"password", "api_key", "apikey", "secret", "token", "authorization"}
_secrets: set[str] = set()


def register_secret(value: str) -> None:
    """Remember a secret so that the redaction processor can scrub it from every log line."""
    if value and len(value) >= 6:  # shorter ones are ordinary words (admin); scrubbing them garbles every line
        _secrets.add(value)


def scrub(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, "***")
    return text


def redact(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if key.lower() in _SECRET_KEYS:
            event[key] = "***"
        elif isinstance(event[key], str):
            event[key] = scrub(event[key])
        elif isinstance(event[key], BaseException):
            event[key] = scrub(str(event[key]))
    return event


def configure(level: str = "info", json_lines: bool | None = None, stream: Any = None) -> None:
    stream = stream or sys.stderr
    if json_lines is None:
        json_lines = not getattr(stream, "isatty", lambda: False)()
    renderer: Any = (structlog.processors.JSONRenderer(ensure_ascii=False) if json_lines
                     else structlog.dev.ConsoleRenderer(colors=getattr(stream, "isatty", lambda: False)()))
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level.upper(), logging.INFO)),
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        cache_logger_on_first_use=False,
    )
