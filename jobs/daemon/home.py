"""Where the daemon keeps its records in the ERP: the state (which is also the lease), the tag-mode memo and the
backfill's resume point — each a JSON text under a key.

Two homes, chosen once at start (``Schema.state_home``):

* :class:`ModelHome` — the custom model ``x_urgency_state`` that ``odoo-urgency install`` creates
  (:mod:`jobs.admin.home`). Its writes clear no cache, and its rights are exactly those of the group "Urgency
  daemon", so the daemon runs without administrator rights. The records under keys are children of the ``config``
  record that install writes (``x_parent_id``).
* :class:`ParamHome` — ``ir.config_parameter`` keys ``odoo_urgency.<key>``, as before install moved them: needs
  Administration/Settings, and every write clears every worker's caches (``registry.clear_cache()``).

The lease is taken by :meth:`Home.replace`: of two daemons that read the same stale state, exactly one replaces it.
In the parameter home the referee is Odoo's unique key on the parameter (delete the stale row, create ours: the
second create fails). A custom model can have no unique constraint over the API, so the model home replaces the
stale record in **one** write on the ``config`` record: ``(1, stale, …)`` updates the stale record — which fails with
``MissingError`` when it is already gone, as Odoo's ``write`` of a deleted record does (``test_access_deleted_records``)
— then ``(2, stale)`` deletes it and ``(0, 0, …)`` creates ours, all in one transaction. Of two racing writes
PostgreSQL serializes the second behind the first (both update the same rows), Odoo replays it after the
first committed, and the replay finds the stale record gone: only one wins. Renewing writes our own record, which
fails the same way once another daemon replaced it: the holder stops (``LeaseLost``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from odoo_urgency.connector import MissingRecordError, OdooClient, OdooError, ValidationError
from odoo_urgency.connector.schema import STATE_MODEL
from odoo_urgency.jobs.runtime.errors import EXIT_USAGE, JobError, LeaseHeld

STATE = "state"
MEMO = "memo"
BACKFILL = "backfill"
PARAM_PREFIX = "odoo_urgency."


@dataclass(frozen=True)
class Entry:
    """One record of the home: its id and its JSON text."""

    id: int
    value: str | None
    #: the server's time of its last write (``write_date``), when read
    written: str | None = None


class Home(Protocol):
    #: what ``check``, logs and errors call it
    where: str

    def read(self, keys: list[str]) -> dict[str, Entry]:
        """The records under ``keys`` that exist, in one call."""

    def create(self, key: str, value: str) -> int:
        """A new record under ``key`` (never sent twice: the caller reconciles a lost answer)."""

    def write(self, entry_id: int, value: str) -> None:
        """Overwrite a record; ``MissingRecordError`` when it is gone."""

    def replace(self, stale: Entry | None, key: str, value: str) -> Entry:
        """Put ``value`` under ``key`` in place of ``stale`` — exactly once among racing daemons — else LeaseHeld."""


RACE = "another daemon took the lease on this database at the same moment"


class ParamHome:
    """``ir.config_parameter`` keys ``odoo_urgency.<key>`` (administrators only; each write clears all caches)."""

    where = "ir.config_parameter"

    def __init__(self, client: OdooClient) -> None:
        self.client = client

    def read(self, keys: list[str]) -> dict[str, Entry]:
        rows = self.client.search_read(self.where, [("key", "in", [PARAM_PREFIX + k for k in keys])],
                                       ["key", "value", "write_date"])
        return {str(row["key"]).removeprefix(PARAM_PREFIX): Entry(int(row["id"]), row["value"] or None,
                                                                  str(row.get("write_date") or "") or None)
                for row in rows}

    def create(self, key: str, value: str) -> int:
        return self.client.create_one(self.where, {"key": PARAM_PREFIX + key, "value": value})

    def write(self, entry_id: int, value: str) -> None:
        self.client.write(self.where, [entry_id], {"value": value})

    def replace(self, stale: Entry | None, key: str, value: str) -> Entry:
        if stale is not None:
            self.client.unlink(self.where, [stale.id])  # already gone (a racer deleted it too): no error
        attempts = self.client.settings.retry_attempts
        for attempt in range(1, attempts + 1):
            try:
                return Entry(self.create(key, value), value)
            except ValidationError as exc:
                if not _unique(exc):
                    raise
                raise LeaseHeld(RACE) from None  # the unique key refused our row: another one is there
            except OdooError as exc:
                if not exc.transient:
                    raise  # refused for another reason (rights, a server error): said as it is
                # The answer is lost, not necessarily the create: look before sending it again.
                found = self.read([key]).get(key)
                if found is not None and found.value == value:
                    return found
                if found is not None or attempt == attempts:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover


class ModelHome:
    """Records of ``x_urgency_state`` (the group "Urgency daemon"; writes clear no cache)."""

    where = STATE_MODEL

    def __init__(self, client: OdooClient) -> None:
        self.client = client
        self.config_id: int | None = None

    def read(self, keys: list[str]) -> dict[str, Entry]:
        rows = self.client.search_read(self.where, [("x_name", "in", keys)], ["x_name", "x_value", "x_parent_id", "write_date"],
                                       order="id")
        found: dict[str, Entry] = {}
        for row in rows:
            parent = row.get("x_parent_id")
            if parent and self.config_id is None:
                self.config_id = int(parent[0])
            found.setdefault(str(row["x_name"]), Entry(int(row["id"]), row.get("x_value") or None,
                                                        str(row.get("write_date") or "") or None))
        return found

    def _config(self) -> int:
        if self.config_id is None:
            rows = self.client.search(self.where, [("x_name", "=", "config")], limit=1)
            if not rows:
                raise JobError(f"the daemon's home {self.where} has no config record: run `odoo-urgency install` "
                               "as an administrator", EXIT_USAGE)
            self.config_id = int(rows[0])
        return self.config_id

    def create(self, key: str, value: str) -> int:
        return self.client.create_one(self.where, {"x_name": key, "x_value": value, "x_parent_id": self._config()})

    def write(self, entry_id: int, value: str) -> None:
        self.client.write(self.where, [entry_id], {"x_value": value})

    def replace(self, stale: Entry | None, key: str, value: str) -> Entry:
        if stale is None:
            raise JobError(f"the daemon's {key} record is missing from {self.where}: run `odoo-urgency install` as "
                           "an administrator to recreate it", EXIT_USAGE)
        commands = [(1, stale.id, {"x_value": value}), (2, stale.id, 0), (0, 0, {"x_name": key, "x_value": value})]
        try:
            self.client.write(self.where, [self._config()], {"x_child_ids": commands})
        except MissingRecordError:
            # Either a racer replaced it first, or our own write went through and only its answer was lost (the
            # client sent it again, and the replay found the stale record gone): the ERP says which.
            found = self.read([key]).get(key)
            if found is None or found.value != value:
                raise LeaseHeld(RACE) from None
            return found
        found = self.read([key]).get(key)
        if found is None or found.value != value:
            raise LeaseHeld(RACE)
        return found


def _unique(exc: ValidationError) -> bool:
    """Odoo's words for a violated unique constraint (``Key must be unique.``, or PostgreSQL's ``duplicate key``)."""
    text = str(exc).lower()
    return "unique" in text or "duplicate key" in text


def home_for(client: OdooClient, state_home: bool) -> Home:
    return ModelHome(client) if state_home else ParamHome(client)
