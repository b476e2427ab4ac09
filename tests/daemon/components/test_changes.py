"""ChangeDetector: which orders a cycle must decide, from the cheapest look at the ERP, against the sandbox.

Its contract (``jobs.daemon.changes``): a rescan takes every open order; otherwise an order is decided when its
stamp is news, when one of its MOs or deliveries changed, or when one of its deadlines fell since the last
cycle; a quiet database costs one call per model; the cursor follows the server's ``write_date`` only.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from odoo_urgency.connector import OdooClient, Schema
from odoo_urgency.connector.records import format_datetime, parse_datetime
from odoo_urgency.jobs.daemon.changes import WINDOW_FROM, ChangeDetector
from odoo_urgency.jobs.daemon.lease import DaemonState
from odoo_urgency.jobs.daemon.reader import Reader
from odoo_urgency.jobs.daemon.stamps import Fingerprints
from odoo_urgency.jobs.runtime.settings import DaemonSettings, Settings
from odoo_urgency.sandbox import Sandbox

FIELDS = ["write_date", "write_uid"]


def setup(client: OdooClient, schema: Schema) -> tuple[ChangeDetector, Reader]:
    rules = Settings().rules
    return ChangeDetector(DaemonSettings(), rules, Fingerprints()), Reader(client, schema, rules, install_mode=False)


def seen_everything(sb: Sandbox, client: OdooClient, detector: ChangeDetector) -> DaemonState:
    """As after a cycle that decided every record: all stamps remembered, the cursor at the latest write."""
    latest = None
    for model in ("sale.order", "mrp.production", "stock.picking"):
        for row in client.search_read(model, [], FIELDS):
            detector.fingerprints.remember((model, row["id"]), row)
            written = parse_datetime(row["write_date"])
            latest = written if latest is None or (written and written > latest) else latest
    now = datetime.now(UTC).replace(microsecond=0)
    return DaemonState(cursor=latest, last_cycle=now)


def test_a_first_look_takes_every_open_order_and_sets_the_cursor(
        sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    detector, reader = setup(client, schema)
    state = DaemonState()
    now = datetime.now(UTC)
    assert detector.rescan_due(state, now)
    ids, cursor = detector.what_to_decide(reader, state, now, rescan=True)
    cancelled = set(sb.env.search("sale.order", [("state", "=", "cancel")]))
    assert ids and cancelled and not cancelled & set(ids)
    latest = max(row["write_date"] for row in sb.env.search_read("sale.order", [("id", "in", ids)], ["write_date"]))
    assert cursor == parse_datetime(latest)


def test_a_quiet_database_costs_one_call_per_model_and_decides_nothing(
        sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    detector, reader = setup(client, schema)
    state = seen_everything(sb, client, detector)
    before = Counter(client.stats.by_method)
    ids, cursor = detector.what_to_decide(reader, state, state.last_cycle + timedelta(seconds=30), rescan=False)
    assert ids == [] and cursor == state.cursor
    spent = Counter(client.stats.by_method) - before
    assert spent == Counter({"sale.order.search_read": 1, "mrp.production.search_read": 1,
                             "stock.picking.search_read": 1})


def test_an_edit_on_an_order_its_mo_or_its_delivery_brings_the_order(
        sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    detector, reader = setup(client, schema)
    state = seen_everything(sb, client, detector)
    sb.env.write("sale.order", [4], {"client_order_ref": "PO-4"}, uid=6)
    sb.env.write("mrp.production", [2], {"product_qty": 3.0}, uid=8)          # WH/MO/00002 serves S00008
    delivery = sb.env.search("stock.picking", [("sale_id", "=", 6)])[0]       # S00006's delivery
    sb.env.write("stock.picking", [delivery], {"scheduled_date": "2031-01-01 09:00:00"}, uid=9)
    ids, cursor = detector.what_to_decide(reader, state, state.last_cycle + timedelta(seconds=30), rescan=False)
    assert ids == [4, 6, 8]
    assert cursor is not None and state.cursor is not None and cursor >= state.cursor
    again, _ = detector.what_to_decide(reader, state, state.last_cycle + timedelta(seconds=60), rescan=False)
    assert 8 not in again and 6 not in again                  # the MO and delivery were remembered as seen


def test_an_order_whose_deadline_fell_since_the_last_cycle_is_decided_without_any_change(
        sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    detector, reader = setup(client, schema)
    state = seen_everything(sb, client, detector)
    received = parse_datetime(sb.env.read("sale.order", [7], ["create_date"])[0]["create_date"])
    assert received is not None
    deadline = received + timedelta(hours=24)                 # S00007 is normal: 24 h
    state.last_cycle = deadline - timedelta(minutes=1)
    ids, _ = detector.what_to_decide(reader, state, deadline + timedelta(minutes=1), rescan=False)
    assert 7 in ids
    state.last_cycle = deadline + timedelta(minutes=1)        # fell before the last cycle: already handled
    ids, _ = detector.what_to_decide(reader, state, deadline + timedelta(minutes=2), rescan=False)
    assert 7 not in ids


def test_a_rescan_is_due_at_first_and_then_every_rescan_minutes(client: OdooClient, schema: Schema) -> None:
    detector, _ = setup(client, schema)
    now = datetime(2030, 1, 1, 8, tzinfo=UTC)
    every = timedelta(minutes=detector.daemon.rescan_minutes)
    state = DaemonState(cursor=now, extra={"last_rescan": "2030-01-01 08:00:00"})
    assert detector.rescan_due(DaemonState(), now)
    assert not detector.rescan_due(state, now + every - timedelta(seconds=1))
    assert detector.rescan_due(state, now + every)


def test_the_window_moves_on_with_the_server_time_of_the_last_look_not_only_with_the_last_write(
        sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    """On a quiet database the cursor (the latest ``write_date`` seen) stops moving; a window anchored there would
    read every row written in the overlap before it, in every quiet cycle, for ever (10,000 rows on a real Odoo
    after a first cycle on 10,000 orders). The state's own stamp, kept as ``window_from``, moves it on."""
    detector, reader = setup(client, schema)
    sb.env.write("sale.order", [3, 5], {"note": "seen"}, uid=2)  # the last writes anyone made
    state = seen_everything(sb, client, detector)
    assert state.cursor is not None
    returned: Counter[str] = Counter()
    stamps = reader.stamps

    def counting(model: str, domain: list, fields: list[str]) -> list[dict]:
        rows = stamps(model, domain, fields)
        returned[model] += len(rows)
        return rows

    reader.stamps = counting  # type: ignore[method-assign]
    now = state.last_cycle + timedelta(seconds=30)
    detector.what_to_decide(reader, state, now, rescan=False)
    assert returned["sale.order"] == 2  # seen already, read again: written within the overlap before the cursor
    returned.clear()
    state.extra[WINDOW_FROM] = format_datetime(state.cursor + timedelta(minutes=10))  # the last look, 10 min later
    ids, cursor = detector.what_to_decide(reader, state, now, rescan=False)
    assert (ids, cursor, sum(returned.values())) == ([], state.cursor, 0)
    sb.env.write("sale.order", [4], {"client_order_ref": "PO-4"}, uid=6)  # still seen: written after that look
    state.extra[WINDOW_FROM] = format_datetime(datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1))
    assert detector.what_to_decide(reader, state, now, rescan=False)[0] == [4]
