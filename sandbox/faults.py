"""Odoo-shaped errors and per-server fault injection.

Errors: every failure the sandbox reports is an :class:`OdooError` carrying what both
wire protocols need — the XML-RPC ``faultCode`` (1 application error, 2 user/validation/
missing, 3 access denied, 4 access error), the JSON-RPC ``error.data.name`` (the exception
class path Odoo reports) and the message. Code-1 errors are *server errors*: over XML-RPC
Odoo sends the whole traceback as ``faultString``; we send a short, Odoo-looking traceback
that ends with the same ``ExcName: message`` line as the real one.

Fault injection (:class:`Faults`): tests arm it to make upcoming RPC calls fail the ways a
network and a busy PostgreSQL fail (503 from a proxy, a dropped connection before or after
the call ran, a serialization failure) or to slow every call down.

Real Odoo is also slow and non-atomic where the sandbox, whose calls commit at once under one lock, is not.
Two faults play that part (issue 19):

* ``answer_late``: the call runs and commits, and its answer leaves ``seconds`` later — a client whose read
  timeout is shorter loses the answer of a call that *did* happen (and finds its rows at once);
* ``commit_late``: the call runs, but what it changed stays invisible to every other call for ``seconds``
  (a transaction still open, or committed after the client gave up), while the answer leaves after
  ``answer_after`` seconds. With ``answer_after`` past the client's timeout, a look for the rows right after the
  lost answer finds nothing — and yet they appear later: the case that duplicated 239 to-dos on a real Odoo.

And a person acting at the worst moment: :meth:`Faults.before` runs a callback (e.g. a user's ``write``) just
before a matching call executes, after the client sent it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["http503", "drop", "drop_after", "conflict", "answer_late", "commit_late"]
FAULT_KINDS: tuple[str, ...] = ("http503", "drop", "drop_after", "conflict", "answer_late", "commit_late")

_TB_HEAD = (
    "Traceback (most recent call last):\n"
    '  File "/usr/lib/python3/dist-packages/odoo/addons/base/controllers/rpc.py", line 147, in xmlrpc_2\n'
    "    response = self._xmlrpc(service)\n"
    '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 391, in dispatch_rpc\n'
    "    return dispatch(method, params)\n"
    '  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 59, in execute_kw\n'
    "    return execute(db, uid, obj, method, *args, **kw or {})\n"
)


class OdooError(Exception):
    """Base of the errors the RPC layer turns into faults."""

    code: int = 2
    json_name: str = "odoo.exceptions.UserError"
    where: str = ""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def short_name(self) -> str:
        """Name as it appears on the last traceback line (``ValueError``, ``odoo.exceptions.X``)."""
        return self.json_name.removeprefix("builtins.")

    def traceback_text(self) -> str:
        """An Odoo-looking traceback ending in ``Name: message`` (the JSON ``debug``)."""
        where = self.where or '  File "/usr/lib/python3/dist-packages/odoo/models.py", line 1, in sandbox\n'
        return f"{_TB_HEAD}{where}{self.short_name}: {self.message}\n"

    def fault_string(self) -> str:
        """XML-RPC ``faultString``: the message, or the traceback for server errors."""
        return self.traceback_text() if self.code == 1 else self.message


class UserError(OdooError):
    code = 2
    json_name = "odoo.exceptions.UserError"


class ValidationError(OdooError):
    code = 2
    json_name = "odoo.exceptions.ValidationError"


class MissingError(OdooError):
    code = 2
    json_name = "odoo.exceptions.MissingError"


class AccessDenied(OdooError):
    code = 3
    json_name = "odoo.exceptions.AccessDenied"

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)


class AccessError(OdooError):
    code = 4
    json_name = "odoo.exceptions.AccessError"


class ServerError(OdooError):
    """A code-1 fault: a Python exception escaping Odoo (ValueError, TypeError...)."""

    code = 1

    def __init__(self, message: str, json_name: str = "builtins.ValueError", where: str = "") -> None:
        super().__init__(message)
        self.json_name = json_name
        self.where = where


def value_error(message: str) -> ServerError:
    return ServerError(message, "builtins.ValueError")


def bad_database(db: str) -> ServerError:
    """What Odoo answers when the database does not exist (psycopg2 cannot connect)."""
    return ServerError(
        f'connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "{db}" does not exist\n',
        "psycopg2.OperationalError",
        '  File "/usr/lib/python3/dist-packages/odoo/sql_db.py", line 681, in borrow\n    result = psycopg2.connect(\n',
    )


def serialization_failure() -> ServerError:
    """A PostgreSQL concurrent-update conflict (Odoo retries 5 times, then gives up)."""
    return ServerError(
        "could not serialize access due to concurrent update",
        "psycopg2.errors.SerializationFailure",
        '  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 133, in retrying\n    result = func()\n',
    )


def missing_error(model: str, ids: list[int], uid: int) -> MissingError:
    return MissingError(f"Record does not exist or has been deleted.\n(Record: {model}{tuple(ids)!r}, User: {uid})")


Predicate = Callable[[str, str, str], bool]


@dataclass
class _Armed:
    kind: str
    at: int | None = None  # absolute call number, or None for a predicate rule
    predicate: Predicate | None = None
    times: int = 1
    #: answer_late: how long the answer waits; commit_late: how long the changes stay invisible
    seconds: float = 0.0
    #: commit_late: how long the answer waits
    answer_after: float = 0.0
    action: Callable[[], None] | None = None


@dataclass(frozen=True)
class Injected:
    """What to do to one call: the fault's kind and its timings."""

    kind: str
    seconds: float = 0.0
    answer_after: float = 0.0


@dataclass
class Faults:
    """Fault injection and call accounting for one sandbox server.

    ``calls`` counts RPC requests received (injected failures included); ``log`` holds one
    ``(service, model, method)`` per request (model is ``""`` for the common service).
    """

    latency: float = 0.0
    calls: int = 0
    log: list[tuple[str, str, str]] = field(default_factory=list)
    _armed: list[_Armed] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_call(self, n: int, kind: FaultKind) -> None:
        """Make the n-th upcoming RPC call (1 = the next one) fail with ``kind``."""
        _check_kind(kind)
        if n < 1:
            raise ValueError("n counts from 1 (the next call)")
        with self._lock:
            self._armed.append(_Armed(kind, at=self.calls + n))

    def fail_calls(self, predicate: Predicate, kind: FaultKind, times: int = 1) -> None:
        """Fail the next ``times`` calls for which ``predicate(service, model, method)`` holds."""
        _check_kind(kind)
        with self._lock:
            self._armed.append(_Armed(kind, predicate=predicate, times=times))

    def answer_late(self, predicate: Predicate, seconds: float, times: int = 1) -> None:
        """The next ``times`` matching calls run and commit at once; their answers leave ``seconds`` later."""
        with self._lock:
            self._armed.append(_Armed("answer_late", predicate=predicate, times=times, seconds=seconds))

    def commit_late(self, predicate: Predicate, seconds: float, *, answer_after: float = 0.0, times: int = 1) -> None:
        """The next ``times`` matching calls run, but their changes become visible to other calls only ``seconds``
        after they ran; the answer leaves after ``answer_after`` seconds."""
        with self._lock:
            self._armed.append(_Armed("commit_late", predicate=predicate, times=times, seconds=seconds,
                                      answer_after=answer_after))

    def before(self, predicate: Predicate, action: Callable[[], None], times: int = 1) -> None:
        """Run ``action`` just before each of the next ``times`` matching calls executes (a person's edit that
        lands between the daemon's last look and its write)."""
        with self._lock:
            self._armed.append(_Armed("before", predicate=predicate, times=times, action=action))

    def reset(self) -> None:
        """Disarm everything, zero the latency and the counters."""
        with self._lock:
            self._armed.clear()
            self.latency = 0.0
            self.calls = 0
            self.log.clear()

    def on_call(self, service: str, model: str, method: str) -> str | None:
        """Account one incoming call; return the fault kind to inject, if any."""
        injected = self.injected(service, model, method)
        return injected.kind if injected else None

    def injected(self, service: str, model: str, method: str) -> Injected | None:
        """Account one incoming call; the fault to inject, if any (``before`` actions run here, unlocked)."""
        actions: list[Callable[[], None]] = []
        found: Injected | None = None
        with self._lock:
            self.calls += 1
            self.log.append((service, model, method))
            for rule in list(self._armed):
                if rule.at is not None and rule.at == self.calls and found is None:
                    self._armed.remove(rule)
                    found = Injected(rule.kind)
                elif rule.predicate is not None and rule.predicate(service, model, method):
                    if rule.kind != "before" and found is not None:
                        continue
                    rule.times -= 1
                    if rule.times <= 0:
                        self._armed.remove(rule)
                    if rule.kind == "before" and rule.action is not None:
                        actions.append(rule.action)
                    else:
                        found = Injected(rule.kind, rule.seconds, rule.answer_after)
            self._armed = [r for r in self._armed if r.at is None or r.at > self.calls]
        for action in actions:
            action()
        return found


def _check_kind(kind: str) -> None:
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
