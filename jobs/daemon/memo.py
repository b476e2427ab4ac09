"""The plugin's memory of what it wrote (the binder): how a user's later change is told from the plugin's.

For every record the plugin touched, the memo holds the values it wrote (Odoo wire values, version-neutral
field names) and the keys of the alerts it created. The policies compare: a current value that differs from
the memo was changed by a user, and is left alone for good.

Where it lives, both in the ERP so the daemon can move hosts:

* install mode: in the record itself, field ``x_urgency_memo`` (JSON text), written in the same call as the
  values it describes — the memo can never disagree with the record because of a crash;
* tag mode (no custom fields): in the daemon's home (:mod:`jobs.daemon.home`: the record ``memo`` of
  ``x_urgency_state``, or ``ir.config_parameter`` ``odoo_urgency.memo`` where no state model was installed), one
  JSON object keyed ``"model:id"``, written once at the end of a batch.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import structlog

from odoo_urgency.connector import OdooClient
from odoo_urgency.jobs.daemon.home import MEMO, Home, ParamHome
from odoo_urgency.policies import OrderContext
from odoo_urgency.policies.memo import as_stored, with_alert, with_write
from odoo_urgency.policies.wire import holds

#: the memo's parameter where no state model was installed (``ParamHome``: ``odoo_urgency.`` + ``MEMO``)
MEMO_KEY = "odoo_urgency.memo"
MEMO_FIELD = "x_urgency_memo"
log = structlog.get_logger("daemon")

Key = tuple[str, int]


class MemoStore:
    def __init__(self, client: OdooClient, *, install_mode: bool, dry_run: bool = False,
                 home: Home | None = None) -> None:
        self.client = client
        self.home = home or ParamHome(client)
        self.install_mode = install_mode
        self.dry_run = dry_run
        self._param: dict[str, dict[str, Any]] = {}
        self._param_id: int | None = None
        self._bases: dict[Key, dict[str, Any]] = {}
        self._pending: dict[Key, dict[str, Any]] = {}

    # -- reading -----------------------------------------------------------------------------------------

    def load(self) -> None:
        """Tag mode: read the memo's record (one call). Install mode: nothing to read, records carry their memo."""
        if self.install_mode:
            return
        entry = self.home.read([MEMO]).get(MEMO)
        if entry is not None:
            self.load_row(entry.id, entry.value)

    def load_row(self, param_id: int, raw: str | None) -> None:
        """Tag mode: take the memo's record when the caller read it with the state (saves a call)."""
        self._param_id = param_id
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            log.warning("memo_unreadable", key=MEMO, home=self.home.where)
            data = {}
        data = data if isinstance(data, dict) else {}
        # An entry that is not an object (a hand-edited parameter) would stop every cycle at the contexts: drop
        # it alone. Forgetting what the plugin wrote there errs on the safe side: its values look like a user's.
        broken = sorted(key for key, entry in data.items() if not isinstance(entry, dict))
        if broken:
            log.warning("memo_entries_unreadable", key=MEMO_KEY, count=len(broken), entries=broken[:10])
        self._param = {key: entry for key, entry in data.items() if isinstance(entry, dict)}

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """The memo to hand to the policies (tag mode); install mode records carry their own."""
        return self._param if not self.install_mode else {}

    def register(self, contexts: list[OrderContext]) -> None:
        """Remember the memo each record came with: the base that new writes are merged into."""
        for ctx in contexts:
            self._bases[("sale.order", ctx.order.id)] = ctx.order.x_urgency_memo
            for mo in ctx.mos:
                self._bases[("mrp.production", mo.id)] = mo.x_urgency_memo
            for picking in ctx.pickings:
                self._bases[("stock.picking", picking.id)] = picking.x_urgency_memo

    def seed(self, key: Key, entry: dict[str, Any]) -> None:
        """Install mode: the memo a record was read with, when it was read outside an order's context."""
        self._bases[key] = dict(entry)

    def _base(self, key: Key) -> dict[str, Any]:
        if key in self._pending:
            return self._pending[key]
        if self.install_mode:
            return dict(self._bases.get(key) or {})
        return dict(self._param.get(f"{key[0]}:{key[1]}") or {})

    # -- changing ----------------------------------------------------------------------------------------

    def record_write(self, model: str, res_id: int, values: dict[str, Any]) -> None:
        self._pending[(model, res_id)] = with_write(self._base((model, res_id)), values)

    def add_alert(self, model: str, res_id: int, key: str) -> None:
        entry = self._base((model, res_id))
        updated = with_alert(entry, key)
        if updated != entry:
            self._pending[(model, res_id)] = updated

    def forget_pending(self, model: str, res_id: int) -> None:
        """A write failed: the memo must not claim values the record does not hold."""
        if self.install_mode:
            self._pending.pop((model, res_id), None)
            return
        entry = self._base((model, res_id))
        entry.pop("pending", None)
        self._pending[(model, res_id)] = entry

    # -- tag mode: intent first, so a crash between the writes and the memo cannot lose what the plugin set --

    def intend(self, model: str, res_id: int, values: dict[str, Any]) -> None:
        """Tag mode: note the values about to be written as *pending*, saved before the write itself. Whatever
        happens next, the next run can tell the plugin's values from a user's (see :meth:`resolve`)."""
        entry = self._base((model, res_id))
        pending = dict(entry.get("pending") or {})
        pending.update(as_stored(values))
        entry["pending"] = pending
        self._pending[(model, res_id)] = entry

    def confirm(self, model: str, res_id: int) -> None:
        """Tag mode: the write went through; the pending values are now what the plugin wrote."""
        entry = self._base((model, res_id))
        entry.update(entry.pop("pending", None) or {})
        self._pending[(model, res_id)] = entry

    def resolve(self, rows: dict[Key, dict[str, Any]], odoo_name: Callable[[str, str], str]) -> None:
        """Tag mode: settle values left pending by a run that stopped between saving its intent and confirming:
        the record holds them → the plugin wrote them; it does not → the write never happened.

        One write carries all of a record's values and succeeds or fails whole, and a plan writes only values the
        record did not hold: so if the record holds *any* of them, the write happened, and every value is the
        plugin's — one the record no longer holds was changed by a user since, and is left alone as such."""
        if self.install_mode:
            return
        for (model, res_id), row in rows.items():
            entry = self._param.get(f"{model}:{res_id}")
            if not entry or "pending" not in entry:
                continue
            pending = entry.pop("pending") or {}
            if any(holds(row.get(odoo_name(model, name)), value) for name, value in pending.items()):
                entry.update(pending)
            self._pending[(model, res_id)] = entry

    def dirty_records(self) -> list[Key]:
        return list(self._pending)

    def with_memo_field(self, key: Key, values: dict[str, Any]) -> dict[str, Any]:
        """Install mode: the values plus the memo field, written together."""
        if not self.install_mode or key not in self._pending:
            return values
        return {**values, MEMO_FIELD: json.dumps(self._pending[key], sort_keys=True, ensure_ascii=False)}

    def flush(self) -> None:
        """Tag mode: write the memo's record once with every pending entry. Install mode: already written."""
        if self.install_mode or not self._pending:
            # Install mode: the memo went out with the values; forget this batch's records (bounded memory).
            self._pending.clear()
            self._bases.clear()
            return
        for (model, res_id), entry in self._pending.items():
            self._param[f"{model}:{res_id}"] = entry
        self._pending.clear()
        if self.dry_run:
            return
        value = json.dumps(self._param, sort_keys=True, ensure_ascii=False)
        if self._param_id is None:
            self._param_id = self.home.create(MEMO, value)
        else:
            self.home.write(self._param_id, value)
