"""Exit codes, and the one place that turns an exception into one line for a person.

| code | meaning |
|---|---|
| 0 | success |
| 1 | the job ran but found problems (``check``), or failed at run time |
| 2 | usage or settings error (the message names the key) |
| 3 | authentication failed or a right is missing |
| 4 | the ERP cannot be reached, is not an Odoo, or the database does not exist |
| 5 | another daemon holds the lease on this database |
| 130 | interrupted (Ctrl-C) |
"""

from __future__ import annotations

from odoo_urgency.connector import (
    AccessError,
    AuthenticationError,
    DatabaseNotFound,
    OdooError,
    TransportError,
)
from odoo_urgency.jobs.runtime.logs import scrub
from odoo_urgency.jobs.runtime.settings import SettingsError

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_UNREACHABLE = 4
EXIT_LEASE = 5
EXIT_INTERRUPTED = 130


class LeaseHeld(Exception):
    """Another daemon holds the lease on this database."""


class JobError(Exception):
    """A job-level failure already phrased for a person."""

    def __init__(self, message: str, code: int = EXIT_PROBLEMS) -> None:
        super().__init__(message)
        self.code = code


def explain(exc: BaseException) -> tuple[int, str]:
    """(exit code, one line) for an exception that ends a command."""
    if isinstance(exc, SettingsError):
        return EXIT_USAGE, f"settings error: {exc}"
    if isinstance(exc, JobError):
        return exc.code, scrub(str(exc))
    if isinstance(exc, LeaseHeld):
        return EXIT_LEASE, str(exc)
    if isinstance(exc, AuthenticationError):
        return EXIT_AUTH, f"authentication failed: {scrub(exc.message)}"
    if isinstance(exc, AccessError):
        return EXIT_AUTH, f"access denied: {scrub(str(exc))}"
    if isinstance(exc, DatabaseNotFound):
        return EXIT_UNREACHABLE, f"database not found: {scrub(exc.message.splitlines()[0])}"
    if isinstance(exc, TransportError):
        return EXIT_UNREACHABLE, f"ERP unreachable: {scrub(exc.message)}"
    if isinstance(exc, OdooError):
        return EXIT_PROBLEMS, f"ERP error: {scrub(str(exc))}"
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "interrupted"
    return EXIT_PROBLEMS, f"unexpected error: {exc.__class__.__name__}: {scrub(str(exc))}"
