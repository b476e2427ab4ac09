"""When to send a call again, with tenacity.

Only where a retry is safe: the error must be transient (network, timeout, HTTP 502/503/504, a
serialization conflict) AND the call idempotent (a read, or a write of absolute values). A ``create`` whose
answer was lost may have created the record, so it is never blindly sent again: the caller reconciles
(the daemon looks its alert keys up before creating again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import structlog
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, stop_after_delay
from tenacity.wait import wait_random_exponential

from odoo_urgency.connector._exceptions import OdooError

T = TypeVar("T")
log = structlog.get_logger("connector")

#: Methods that change nothing, or set absolute values, so sending them twice equals sending them once.
IDEMPOTENT_METHODS = frozenset({
    "version", "login", "authenticate", "search", "search_read", "search_count", "read", "fields_get",
    "name_search", "check_access_rights", "has_access", "has_group", "context_get", "write", "web_search_read",
    "read_group",
})


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, OdooError) and exc.transient


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    # info, not warning: a retry that succeeds is routine; one that does not ends in the caller's own error line
    log.info("rpc_retry", call=getattr(exc, "call", ""), attempt=state.attempt_number,
                error=str(exc), wait_s=round(state.next_action.sleep, 2) if state.next_action else None)


def run_with_retry(func: Callable[[], T], *, idempotent: bool, attempts: int, max_seconds: float,
                   base_wait: float = 0.2, max_wait: float = 10.0) -> T:
    """Run ``func``; if idempotent, retry transient errors with exponential backoff and full jitter."""
    if not idempotent or attempts <= 1:
        return func()
    retrying = Retrying(
        retry=retry_if_exception(_transient),
        stop=stop_after_attempt(attempts) | stop_after_delay(max_seconds),
        wait=wait_random_exponential(multiplier=base_wait, max=max_wait),
        before_sleep=_log_retry,
        reraise=True,
    )
    result: Any = retrying(func)
    return result  # type: ignore[no-any-return]
