"""Carrying out plans in the ERP: few round trips, never over a user's edit, never the same alert twice.

The order of operations is what makes a crash at any point harmless:

1. *Re-read* the records about to be written, and their orders (one ``search_read`` per model), and drop the
   writes of any order whose records changed since they were read — a written field holds another value, or the
   row's stamp (``write_date`` and author) moved: a user edited it, and the next cycle decides again from the
   fresh state.
2. *Alerts*: look up the keys of live activities on the same records (one ``search_read``), create only the
   missing ones (one ``create`` with a list per batch). A crash after this step leaves activities whose keys the
   next run finds, so nothing is created twice; ``create`` itself is never retried blindly. A create whose answer
   was lost may still be committing in the ERP: its keys stay *in flight* (:mod:`jobs.daemon.guard`) and are not
   sent again until the ERP shows them or its request limit has passed.
3. *Look again* when step 2 took time (it created to-dos): the re-read of step 1 once more, right before the
   writes, so a person's edit made meanwhile is not overwritten — the window between the check and the write is
   the write call itself, not the whole batch.
4. *Writes and memo*: the values plus the updated memo (what the plugin wrote, the alert keys it created) — in
   install mode in the same call as the values; in tag mode saved first as an *intent* and confirmed after the
   writes (``jobs.daemon.memo``). Records that get the same values share one ``write``; records with values of their
   own (a deadline, a memo) go through ``load`` — Odoo's import method, which updates many records with
   different values in one call (``.id`` column, ``tz=UTC`` in the context so datetimes are taken as UTC).
   If ``load`` reports an error, the batch is written record by record, so one bad record (deleted, locked,
   refused, or a server error in a customisation) is skipped, logged and tried again next cycle while the rest
   go on. Only transport and concurrency errors end the cycle.

Every write batch (the creates of step 2, the writes of step 4) is preceded by the guard's fence: the lease is
still this daemon's, or nothing is written (:class:`jobs.daemon.guard.WriteGuard`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog

from odoo_urgency.connector import (
    AccessError,
    OdooClient,
    OdooError,
    Schema,
    TransportError,
    UnknownNameError,
)
from odoo_urgency.jobs.admin.installed import AlertTarget
from odoo_urgency.jobs.daemon.guard import WriteGuard
from odoo_urgency.jobs.daemon.memo import MemoStore
from odoo_urgency.jobs.daemon.overwrites import Overwrites
from odoo_urgency.jobs.daemon.stamps import stamp
from odoo_urgency.policies import Alert, OrderPlan
from odoo_urgency.policies.wire import same

log = structlog.get_logger("daemon")

KEY_LINE = "odoo-urgency key:"
_KEY_RE = re.compile(r"odoo-urgency key: ([^\s<]+)")


def is_record_error(exc: OdooError) -> bool:
    """An error that belongs to the record(s) of one call — anything but a transport or concurrency problem,
    which ends the cycle instead (the daemon backs off and resumes)."""
    return not exc.transient and not isinstance(exc, TransportError)


@dataclass
class ApplyResult:
    records_written: int = 0
    alerts_created: list[Alert] = field(default_factory=list)
    conflicts: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: (model, id) → the wire values now on the record (for the daemon's change fingerprints).
    written: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    #: Orders with a record that refused its write: decided again next cycle.
    failed_orders: set[int] = field(default_factory=set)
    #: Orders whose alerts wait for a create whose answer was lost: decided again next cycle.
    waiting_orders: set[int] = field(default_factory=set)


def alert_note(alert: Alert) -> str:
    """The note with one key line per key: an alert for one person in several roles stands for every role's key."""
    return alert.note + "".join(f"<p>{KEY_LINE} {key}</p>" for key in alert.all_keys())


def keys_in(note: Any) -> list[str]:
    return _KEY_RE.findall(note) if isinstance(note, str) else []



def one_per_follower(alerts: Sequence[Alert], size: int) -> list[list[Alert]]:
    """``create`` batches of at most ``size`` in which no person gets two activities on one record.

    Odoo 17's ``mail.activity.create`` subscribes each assignee to the record, and a batch holding two
    activities for one person on one record subscribes them twice in one go: "a partner cannot follow twice the
    same object", and the whole batch is refused (then sent one activity per call). A second activity for the
    same (record, person) waits for the next batch."""
    batches: list[tuple[list[Alert], set[tuple[str, int, int]]]] = []
    for alert in alerts:
        key = (alert.model, alert.res_id, alert.user_id)
        home = next((b for b in batches if len(b[0]) < size and key not in b[1]), None)
        if home is None:
            home = ([], set())
            batches.append(home)
        home[0].append(alert)
        home[1].add(key)
    return [batch for batch, _ in batches]


def _load_cell(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    return str(value)


class Applier:
    def __init__(self, client: OdooClient, schema: Schema, memo: MemoStore, target: AlertTarget, *,
                 batch_size: int = 500, use_load: bool = True,
                 seen_stamps: dict[tuple[str, int], str] | None = None,
                 before_create: Callable[[Sequence[Alert]], None] | None = None,
                 activity_email: bool = True, guard: WriteGuard | None = None,
                 overwrites: Overwrites | None = None) -> None:
        self.client = client
        #: After the writes: what they replaced, where Odoo tracks it (None: nothing tracked, e.g. tag mode).
        self.overwrites = overwrites
        #: (model, id) → the row as the last look before the writes read it.
        self._checked: dict[tuple[str, int], dict[str, Any]] = {}
        #: The fence before each write batch and the creates in flight (None: a job that holds no lease here).
        self.guard = guard
        #: False: create activities with ``mail_activity_quick_update``, so Odoo does not e-mail the assignee.
        self.activity_email = activity_email
        #: Called with the alerts about to be created, before ``create`` (push channels record their intent).
        self.before_create = before_create
        self.schema = schema
        self.memo = memo
        self.target = target
        self.batch_size = batch_size
        #: Odoo's ``load`` for records with values of their own; off for good once the server refuses it.
        self.use_load = use_load
        #: (model, id) → the stamp of the row the plans were made on (see ``jobs.daemon.stamps``).
        self.seen_stamps = seen_stamps or {}
        self._orders_of: defaultdict[tuple[str, int], set[int]] = defaultdict(set)
        #: Alert key → the orders whose plans want it (a refused alert sends them back for the next cycle).
        self._alert_orders: defaultdict[str, set[int]] = defaultdict(set)

    # -- 1. concurrency ----------------------------------------------------------------------------------

    def find_conflicts(self, plans: Sequence[OrderPlan]) -> set[int]:
        """Orders (ids) whose records changed since they were read: a written field no longer holds the value
        the plan was made on, the record is gone, or the order or record was written again since (its stamp —
        ``write_date`` and author — moved: a user ticked "set by hand", changed the delivery date, ...)."""
        checks: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
        expected: dict[tuple[str, int], dict[str, Any]] = {}
        for plan in plans:
            if not plan.writes:
                continue
            order_id = plan.decision.order_id
            checks["sale.order"][order_id].add(order_id)
            for write in plan.writes:
                checks[write.model][write.res_id].add(order_id)
                expected.setdefault((write.model, write.res_id), {}).update(write.expected)
        conflicts: set[int] = set()
        for model, records in checks.items():
            neutral = sorted({name for (m, _), values in expected.items() if m == model for name in values})
            real = {name: next(iter(self.schema.to_odoo_values(model, {name: 0}))) for name in neutral}
            fields = sorted({*real.values(), "write_date", "write_uid"})
            ids = sorted(records)
            current: dict[int, dict[str, Any]] = {}
            for start in range(0, len(ids), 5000):
                rows = self.client.search_read(model, [("id", "in", ids[start:start + 5000])], fields)
                current.update({int(row["id"]): row for row in rows})
            self._checked.update({(model, res_id): row for res_id, row in current.items()})
            for res_id, order_ids in records.items():
                row = current.get(res_id)
                seen = self.seen_stamps.get((model, res_id))
                changed = row is None or (seen is not None and stamp(row) != seen) or any(
                    not same(row.get(real[name]), value) for name, value in expected.get((model, res_id), {}).items())
                if changed:
                    if row is None:
                        log.warning("record_deleted_meanwhile", model=model, id=res_id)
                    conflicts.update(order_ids)
        return conflicts

    # -- 2. alerts ---------------------------------------------------------------------------------------

    def existing_alert_keys(self, alerts: Sequence[Alert]) -> set[str]:
        if not alerts:
            return set()
        by_model: dict[str, set[int]] = defaultdict(set)
        for alert in alerts:
            by_model[alert.model].add(alert.res_id)
        keys: set[str] = set()
        for model, ids in by_model.items():
            domain = [("res_model", "=", model), ("res_id", "in", sorted(ids)), ("note", "ilike", KEY_LINE)]
            for page in self.client.search_read_all("mail.activity", domain, ["note"]):
                for row in page:
                    keys.update(keys_in(row.get("note")))
        return keys

    def create_alerts(self, alerts: Sequence[Alert], result: ApplyResult) -> list[Alert]:
        if not alerts:
            return []
        alerts = [self._placed(alert) for alert in alerts]
        live = self.existing_alert_keys(alerts)
        fresh = self._to_create(alerts, live, result)
        if fresh and self.before_create is not None:
            self.before_create(fresh)
        created: list[Alert] = []
        for batch in one_per_follower(fresh, self.batch_size):
            self._create_batch(batch, created, result)
        if self.guard is not None:
            self.guard.batch_done()
        for alert in created:
            log.info("alert_created", key=alert.key, role=alert.role, user_id=alert.user_id, summary=alert.summary)
        # Alerts already live (created by a run that died before saving its memo) count as known from now on.
        for alert in [*(a for a in alerts if any(key in live for key in a.all_keys())), *created]:
            for key in alert.all_keys():
                self.memo.add_alert(alert.memo_model or alert.model, alert.memo_res_id or alert.res_id, key)
        return created

    def _to_create(self, alerts: Sequence[Alert], live: set[str], result: ApplyResult) -> list[Alert]:
        """The alerts to send: not live, not twice in this list, and not waiting for a create whose answer was
        lost (their orders come back next cycle, which looks again)."""
        if self.guard is not None:
            self.guard.found(live)
        missing = {key for alert in alerts for key in alert.all_keys() if key not in live}
        waiting = self.guard.waiting(missing) if self.guard is not None else set()
        fresh: list[Alert] = []
        seen: set[str] = set()
        for alert in alerts:
            keys = alert.all_keys()
            if any(key in waiting for key in keys) and not any(key in live for key in keys):
                result.waiting_orders.update(self._alert_orders.get(alert.key, ()))
                continue
            if not any(key in live or key in seen for key in keys):
                seen.update(keys)
                fresh.append(alert)
        if waiting:
            log.info("alerts_waiting_for_lost_create", count=len(waiting),
                     note="a create whose answer was lost may still commit; looked for again next cycle")
        return fresh

    def _create_batch(self, batch: list[Alert], created: list[Alert], result: ApplyResult) -> None:
        keys = [key for alert in batch for key in alert.all_keys()]
        if self.guard is not None:
            self.guard.sending(keys)  # the fence, and the keys in flight, in one write
        values = [self._activity_values(alert) for alert in batch]
        try:
            self._create(values)
            created.extend(batch)
        except OdooError as exc:
            if not is_record_error(exc):
                raise  # the answer may be lost with the activities created: never sent again blindly
            # Odoo creates a list in one transaction: nothing of the batch exists, so each may be sent alone.
            log.warning("alert_batch_refused", error=str(exc), count=len(batch))
            for alert, one in zip(batch, values, strict=True):
                try:
                    self._create(one)
                    created.append(alert)
                except OdooError as single:
                    if not is_record_error(single):
                        raise
                    result.errors.append(f"alert {alert.key}: {single}")
                    # Its order is decided again next cycle (the key is not remembered, so it is planned
                    # again): a refusal fixed in the ERP meanwhile costs one cycle, not the hourly rescan.
                    result.failed_orders.update(self._alert_orders.get(alert.key, ()))
                    log.error("alert_refused", key=alert.key, error=str(single))
        if self.guard is not None:
            self.guard.settle_keys(keys)  # answered (created or refused): nothing of it is in flight any more

    def _create(self, values: dict[str, Any] | list[dict[str, Any]]) -> None:
        """``mail.activity.create`` (never retried). Odoo's create e-mails each assignee other than the creating
        user (``action_notify``) unless the context holds ``mail_activity_quick_update``."""
        if self.activity_email:
            self.client.create("mail.activity", values)
        else:
            self.client.call("mail.activity", "create", values, idempotent=False,
                             context={"mail_activity_quick_update": True})

    def _placed(self, alert: Alert) -> Alert:
        """An alert on a model the install did not record (a purchase order, installed before the purchase app or
        before this version) goes on the record that remembers it (the MO) instead of failing."""
        if alert.model in self.target.model_ids or not alert.memo_model or alert.memo_res_id is None \
                or alert.memo_model not in self.target.model_ids:
            return alert
        log.warning("alert_moved", key=alert.key, model=alert.model, to=alert.memo_model,
                    note="run `odoo-urgency install` again to put such alerts on their own record")
        return alert.model_copy(update={"model": alert.memo_model, "res_id": alert.memo_res_id})

    def _activity_values(self, alert: Alert) -> dict[str, Any]:
        return {
            "res_model_id": self.target.model_ids[alert.model],
            "res_id": alert.res_id,
            "activity_type_id": self.target.activity_type_id,
            "summary": alert.summary,
            "note": alert_note(alert),
            "date_deadline": alert.date_deadline.isoformat(),
            "user_id": alert.user_id,
        }

    # -- 3. writes ---------------------------------------------------------------------------------------

    def _without_conflicts(self, plans: Sequence[OrderPlan], result: ApplyResult) -> list[OrderPlan]:
        """``plans`` less the orders whose records changed since they were read (counted in ``result``)."""
        if not any(plan.writes for plan in plans):
            return list(plans)
        conflicts = self.find_conflicts(plans)
        for plan in plans:
            if plan.decision.order_id in conflicts:
                log.info("order_changed_meanwhile", order=plan.decision.order_name,
                         note="a user edited it; decided again next cycle")
        result.conflicts = sorted(set(result.conflicts) | conflicts)
        return [plan for plan in plans if plan.decision.order_id not in conflicts]

    def apply(self, plans: Sequence[OrderPlan]) -> ApplyResult:
        result = ApplyResult()
        plans = self._without_conflicts(plans, result)
        alerts = [alert for plan in plans for alert in plan.alerts]
        for plan in plans:
            for alert in plan.alerts:
                self._alert_orders[alert.key].add(plan.decision.order_id)
        result.alerts_created = self.create_alerts(alerts, result)
        if result.alerts_created:
            # Creating the to-dos took time: look again right before the writes (a person may have edited meanwhile).
            plans = self._without_conflicts(plans, result)
        merged: dict[tuple[str, int], dict[str, Any]] = {}
        self._orders_of = defaultdict(set)
        for plan in plans:
            for write in plan.writes:
                self._orders_of[(write.model, write.res_id)].add(plan.decision.order_id)
                merged.setdefault((write.model, write.res_id), {}).update(write.values)
                if self.memo.install_mode:
                    self.memo.record_write(write.model, write.res_id, write.remembered)  # travels with the values
                else:
                    self.memo.intend(write.model, write.res_id, write.values)
                    if write.memo:  # notes (fields now a person's) hold whatever the writes do
                        self.memo.record_write(write.model, write.res_id, write.memo)
        if (merged or self.memo.dirty_records()) and self.guard is not None:
            self.guard.fence()  # the memo's intent and the values: one write batch, still ours or not written
        if not self.memo.install_mode:
            self.memo.flush()  # tag mode: the intent and the new alert keys are saved before any value is written
        for key in self.memo.dirty_records():
            merged.setdefault(key, {})
        values_by_record = {key: self.memo.with_memo_field(key, values) for key, values in merged.items()}
        values_by_record = {key: values for key, values in values_by_record.items() if values}
        self._write_all(values_by_record, result)
        if self.guard is not None:
            self.guard.batch_done()
        self.memo.flush()
        self._undo_overwrites(result)
        return result

    def _undo_overwrites(self, result: ApplyResult) -> None:
        """A person's edit that landed between the last look and the write: put back, and counted as a conflict
        (its order is decided again; the field is the person's from then on)."""
        if self.overwrites is None or not result.written:
            return
        written = {key: self.schema.to_odoo_values(key[0], values) for key, values in result.written.items()}
        for key in self.overwrites.restore(self.overwrites.find(written, self._checked), written):
            result.conflicts = sorted(set(result.conflicts) | self._orders_of.get(key, set()))

    def _write_all(self, values_by_record: dict[tuple[str, int], dict[str, Any]], result: ApplyResult) -> None:
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for (model, res_id), values in values_by_record.items():
            groups[(model, json.dumps(values, sort_keys=True, default=str))].append(res_id)
        singles: dict[str, list[int]] = defaultdict(list)
        for (model, frozen), ids in groups.items():
            values = json.loads(frozen)
            if len(ids) > 1 or not self.use_load or _has_commands(values):
                for start in range(0, len(ids), self.batch_size):
                    self._write_group(model, ids[start:start + self.batch_size], values, result)
            else:
                singles[model].extend(ids)
        for model, ids in singles.items():
            by_fields: dict[tuple[str, ...], list[int]] = defaultdict(list)
            for res_id in ids:
                by_fields[tuple(sorted(values_by_record[(model, res_id)]))].append(res_id)
            for names, same_fields in by_fields.items():
                for start in range(0, len(same_fields), self.batch_size):
                    batch = same_fields[start:start + self.batch_size]
                    self._load(model, list(names), {i: values_by_record[(model, i)] for i in batch}, result)

    def _write_group(self, model: str, ids: list[int], values: dict[str, Any], result: ApplyResult) -> None:
        odoo_values = self.schema.to_odoo_values(model, values)
        try:
            self.client.write(model, ids, odoo_values)
            self._written(model, ids, values, result)
            return
        except OdooError as exc:
            if not is_record_error(exc):
                raise
            if len(ids) == 1:
                self._record_error(model, ids[0], exc, result)
                return
            log.warning("group_write_refused", model=model, count=len(ids), error=str(exc))
        for res_id in ids:
            self._write_group(model, [res_id], values, result)

    def _load(self, model: str, names: list[str], rows: dict[int, dict[str, Any]], result: ApplyResult) -> None:
        odoo_names = [next(iter(self.schema.to_odoo_values(model, {name: None}))) for name in names]
        data = [[str(res_id), *(_load_cell(rows[res_id][name]) for name in names)] for res_id in rows]
        try:
            answer = self.client.call(model, "load", [".id", *odoo_names], data, idempotent=True,
                                      context={"tz": "UTC"})
            messages = answer.get("messages") if isinstance(answer, dict) else None
            failed = not isinstance(answer, dict) or not answer.get("ids") or any(
                m.get("type") == "error" for m in messages or [])
        except OdooError as exc:
            if not is_record_error(exc):
                raise
            if isinstance(exc, (UnknownNameError, AccessError)) and "load" in exc.message:
                log.warning("bulk_load_unavailable", model=model, error=str(exc), fallback="one write per record")
                self.use_load = False
            else:
                # One bad row fails the whole import (Odoo rolls it back): write one by one to find it.
                log.warning("bulk_load_refused", model=model, error=str(exc))
            failed = True
        if not failed:
            for res_id, values in rows.items():
                self._written(model, [res_id], values, result)
            return
        for res_id, values in rows.items():
            self._write_group(model, [res_id], values, result)

    def _written(self, model: str, ids: list[int], values: dict[str, Any], result: ApplyResult) -> None:
        result.records_written += len(ids)
        for res_id in ids:
            result.written[(model, res_id)] = values
            if not self.memo.install_mode:
                self.memo.confirm(model, res_id)

    def _record_error(self, model: str, res_id: int, exc: OdooError, result: ApplyResult) -> None:
        result.errors.append(f"{model}:{res_id}: {exc}")
        result.failed_orders.update(self._orders_of.get((model, res_id), ()))
        self.memo.forget_pending(model, res_id)
        log.error("write_refused", model=model, id=res_id, error=str(exc), kind=exc.__class__.__name__)


def _has_commands(values: dict[str, Any]) -> bool:
    return any(isinstance(value, list) and value and isinstance(value[0], (list, tuple)) for value in values.values())
