"""Change detection: which orders a cycle must decide, from the cheapest possible look at the ERP.

A first look reads only ids, ``write_date`` and ``write_uid`` (and a few small fields) — one call per model on a
quiet database. An order is decided when:

* its stamp differs from the one the daemon last saw (it, or a user, changed it);
* one of its MOs or deliveries changed (found through the reader's links between them);
* one of its deadlines (any tier's, first or second level) fell since the last cycle — escalation happens
  without any change on the record;
* always, on a rescan (the first cycle, then every ``rescan_minutes``): time alone can change a plan;
* with materials on: one of its open MOs' components moved since the last cycle ended (a buyer moved a receipt's
  date, goods were received, stock was reserved) — asked in the same MO call, so a quiet cycle still costs five.
  An MO the overlap brings back anyway is news only if Odoo's component status changed ("Exp 12/08" →
  "Exp 12/05", "Not Available" → "Available"); else the hourly rescan sees it.

The window is the server's own clock: rows with ``write_date >= since - overlap``, because Odoo stamps
``write_date`` with the start of the writing transaction, so a row can commit "in the past". ``since`` is the later
of two server times, both at or before the last finished cycle's look: the cursor (the latest ``write_date`` it saw)
and ``window_from`` (when the daemon's state was last written before that look — its own ``write_date``, kept in
the state). The second lets a quiet database's window move on: with only the cursor, the window would stay anchored
at the last write anyone made, and every quiet cycle would read again every row written in the five minutes before
it (10,000 rows, 1 s, after a first cycle on 10,000 orders). The daemon's clock never moves this window, so a long
outage or a skewed clock loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from odoo_urgency.connector.records import format_datetime, parse_datetime
from odoo_urgency.jobs.daemon.lease import DaemonState
from odoo_urgency.jobs.daemon.reader import Reader
from odoo_urgency.jobs.daemon.stamps import Fingerprints
from odoo_urgency.jobs.runtime.settings import DaemonSettings
from odoo_urgency.policies import Rules, Tier, escalation_deadline, processing_deadline
from odoo_urgency.policies.states import CLOSED, ORDER_UNPROCESSED

#: the state's key for the server time the change window may start from (see the module text)
WINDOW_FROM = "window_from"
#: fingerprints of the MOs' component status (see :meth:`ChangeDetector.supply_moved`)
SUPPLY = "mrp.production#supply"


def supply_stamp(row: dict[str, Any]) -> str:
    """``write_date|component status``: the date first, so old entries are pruned like the others."""
    return f"{row.get('write_date')}|{row.get('components_availability') or ''}"


def max_stamp(cursor: datetime | None, rows: Iterable[dict[str, Any]]) -> datetime | None:
    """The cursor moved on to the latest ``write_date`` among ``rows``."""
    for row in rows:
        written = parse_datetime(row.get("write_date"))
        if written and (cursor is None or written > cursor):
            cursor = written
    return cursor


class ChangeDetector:
    def __init__(self, daemon: DaemonSettings, rules: Rules, fingerprints: Fingerprints) -> None:
        self.daemon = daemon
        self.rules = rules
        self.fingerprints = fingerprints
        #: The server's time when the last cycle ended (its lease renewal), read with the daemon's state.
        self.last_renewal: str | None = None

    def rescan_due(self, state: DaemonState, now: datetime) -> bool:
        """A full look at every open order now and then: time alone can make a plan change (an MO that was
        feasible no longer is, stock ran out) without any record changing."""
        if state.cursor is None:
            return True
        last = parse_datetime(state.extra.get("last_rescan"))
        return last is None or now - last >= timedelta(minutes=self.daemon.rescan_minutes)

    def what_to_decide(self, reader: Reader, state: DaemonState, now: datetime, rescan: bool
                       ) -> tuple[list[int], datetime | None]:
        """The ids of the orders to decide this cycle, and the new cursor."""
        if rescan:
            rows = reader.stamps("sale.order", reader.open_orders_domain(now, self.daemon.initial_lookback_days), [])
            cursor = max_stamp(state.cursor, rows)
            if cursor is not None:
                self._see_recent_work(reader, cursor)
            return [row["id"] for row in rows], cursor
        assert state.cursor is not None
        since = state.cursor
        window_from = parse_datetime(state.extra.get(WINDOW_FROM))
        if window_from is not None and window_from > since:
            since = window_from
        changed = self._changed_since(since)
        order_domain: list[Any] = changed
        if state.last_cycle is not None:
            order_domain = ["|", *changed, "&", *reader.due_window_domain(state.last_cycle, now)]
        orders = reader.stamps("sale.order", order_domain, ["create_date", "state"])
        mos, pickings = self._work_stamps(reader, self._mo_domain(changed), changed)
        since_text = changed[0][2]
        # Rows that only the due window brought (not written since) are decided when a deadline really fell.
        ids = [row["id"] for row in orders
               if (str(row.get("write_date") or "") >= since_text and self.fingerprints.is_news("sale.order", row))
               or (state.last_cycle is not None and self.is_due(row, state.last_cycle, now))]
        ids = self._with_orders_of_changed_work(reader, ids, mos, pickings, since_text)
        return ids, max_stamp(state.cursor, [*orders, *mos, *pickings])

    def _mo_domain(self, changed: list[Any]) -> list[Any]:
        """Changed open MOs, and with materials on, open MOs whose components moved since the last cycle ended."""
        open_mos: list[Any] = [("state", "not in", list(CLOSED))]
        if not self.rules.materials.enabled or self.last_renewal is None:
            return [*changed, *open_mos]
        moved = ("move_raw_ids.product_id.stock_move_ids.write_date", ">", self.last_renewal)
        return [*open_mos, "|", *changed, moved]

    def _mo_fields(self, reader: Reader) -> list[str]:
        fields = [*reader.schema.link_fields_of("mrp.production"), "origin"]
        return [*fields, "components_availability"] if self.rules.materials.enabled else fields

    def supply_moved(self, row: dict[str, Any], since: str) -> bool:
        """An MO its own stamp does not make news, whose components moved: it came back only through the
        components branch (written before the overlap), or Odoo's component status changed since the daemon
        last decided it. First sight only records the status."""
        if "components_availability" not in row:
            return False
        key = (SUPPLY, int(row["id"]))
        before = self.fingerprints.get(key)
        self.fingerprints.remember_value(key, supply_stamp(row))
        if str(row.get("write_date") or "") < since:
            return True
        return before is not None and str(before).split("|", 1)[1:] != supply_stamp(row).split("|", 1)[1:]

    def remember_supply(self, rows: dict[tuple[str, int], dict[str, Any]]) -> None:
        """The component status of the MOs just decided (their rows carry it)."""
        for (model, res_id), row in rows.items():
            if model == "mrp.production" and "components_availability" in row:
                self.fingerprints.remember_value((SUPPLY, res_id), supply_stamp(row))

    def _changed_since(self, cursor: datetime) -> list[Any]:
        return [("write_date", ">=", format_datetime(cursor - timedelta(seconds=self.daemon.overlap_seconds)))]

    def _work_stamps(self, reader: Reader, mo_domain: list[Any], changed: list[Any]
                     ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The stamps of open MOs (``mo_domain``) and of open deliveries written in the window (one call each)."""
        mos = reader.stamps("mrp.production", mo_domain, self._mo_fields(reader))
        pickings = reader.stamps("stock.picking", [*changed, ("picking_type_code", "=", "outgoing"),
                                                   ("state", "not in", list(CLOSED))], ["sale_id", "origin"])
        return mos, pickings

    def _see_recent_work(self, reader: Reader, cursor: datetime) -> None:
        """A rescan decides every open order, so the MOs and deliveries in the next cycle's window (written up to
        ``overlap_seconds`` before the new cursor) are not news then: they are stamped now, before the orders are
        read, so anything written after this look still is. Without it, the cycle after a rescan looks up the
        orders of whatever was written just before it (serving an open order or not): one call more."""
        changed = self._changed_since(cursor)
        mos, pickings = self._work_stamps(reader, [*changed, ("state", "not in", list(CLOSED))], changed)
        for model, rows in (("mrp.production", mos), ("stock.picking", pickings)):
            for row in rows:
                self.fingerprints.remember((model, int(row["id"])), row)


    def _with_orders_of_changed_work(self, reader: Reader, ids: list[int], mos: list[dict[str, Any]],
                                     pickings: list[dict[str, Any]], since: str) -> list[int]:
        news_mos = [row for row in mos
                    if self.fingerprints.is_news("mrp.production", row) or self.supply_moved(row, since)]
        news_pickings = [row for row in pickings if self.fingerprints.is_news("stock.picking", row)]
        if not news_mos and not news_pickings:
            return ids
        # An MO or delivery that serves no open order (a reordering rule's MO, a cancelled order's) is seen
        # now; its orders, if any, are decided and stamp it again with what they read.
        for model, rows in (("mrp.production", news_mos), ("stock.picking", news_pickings)):
            for row in rows:
                self.fingerprints.remember((model, int(row["id"])), row)
        return sorted(set(ids) | set(reader.order_ids_for(news_mos, news_pickings)))

    def is_due(self, row: dict[str, Any], last_cycle: datetime, now: datetime) -> bool:
        """Did a deadline of this open order (any tier's, first or second level) fall in (last_cycle, now]?
        Exact, with the policies' own deadline functions, so working hours cost nothing extra."""
        received = parse_datetime(row.get("create_date"))
        if received is None or row.get("state") not in ORDER_UNPROCESSED:
            return False
        for tier in Tier:
            for deadline in (processing_deadline(received, tier, self.rules),
                             escalation_deadline(received, tier, self.rules)):
                if last_cycle < deadline <= now:
                    return True
        return False
