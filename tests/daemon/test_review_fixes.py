"""Edge cases a review found: long gaps, lease races, a poisoned record, working hours, interrupted cycles."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from odoo_urgency.jobs.daemon.lease import DaemonState, LeaseLost
from odoo_urgency.jobs.runtime.errors import LeaseHeld
from odoo_urgency.sandbox import Sandbox
from odoo_urgency.sandbox.faults import ServerError
from odoo_urgency.sandbox.orm import Env
from tests.clock import Clock
from tests.daemon.conftest import make_sync


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed(clock: Clock) -> Iterator[Sandbox]:
    with Sandbox(demo=True, now=clock) as sandbox:
        yield sandbox


def tags_of(sb: Sandbox, oid: int) -> list[str]:
    names = {t["id"]: t["name"] for t in sb.env.search_read("crm.tag", [], ["name"])}
    return [names[t] for t in sb.env.read("sale.order", [oid], ["tag_ids"])[0]["tag_ids"] if "/" in names[t]]


def test_a_change_early_in_a_long_gap_is_decided_when_the_daemon_returns(timed: Sandbox, clock: Clock) -> None:
    sync = make_sync(timed, rescan_minutes=24 * 60)
    sync.clock = clock
    sync.run_cycle()
    clock.advance(minutes=1)
    timed.env.write("sale.order", [4], {"client_order_ref": "RUSH 加急"}, uid=6)
    clock.advance(minutes=19)                      # the daemon was down (or the ERP unreachable) meanwhile
    summary = sync.run_cycle()
    assert summary.orders_by_tier["urgent"] == 1
    assert tags_of(timed, 4) == ["Urgent / 紧急"]


def test_only_one_of_two_racing_daemons_gets_the_lease(sb: Sandbox) -> None:
    first, second = make_sync(sb, holder="a:1"), make_sync(sb, holder="b:2")
    now = datetime.now(UTC)
    empty = DaemonState()                          # both read "no lease" before either wrote
    first.lease.acquire(empty, now)
    with pytest.raises(LeaseHeld):
        second.lease.acquire(empty, now)
    rows = sb.env.search_read("ir.config_parameter", [("key", "=", "odoo_urgency.state")], ["value"])
    assert len(rows) == 1 and '"holder": "a:1"' in rows[0]["value"]


def test_a_daemon_that_lost_its_lease_stops_writing(sb: Sandbox, clock: Clock) -> None:
    slow = make_sync(sb, holder="slow:1", lease_seconds=60)
    slow.clock = clock
    state = slow.lease.hold(slow.lease.read(), clock())
    clock.advance(minutes=2)                       # its lease ran out while it was busy
    other = make_sync(sb, holder="other:2", lease_seconds=60)
    other.clock = clock
    other.run_cycle()                              # takes over and does the work
    with pytest.raises(LeaseLost):
        slow.lease.keep(state, clock())                   # the slow one notices before its next batch


def test_one_poisoned_record_does_not_stop_the_others(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Env.call

    def call(self: Env, uid: int, model: str, method: str, args: Any = (), kwargs: Any = None, trusted: bool = False) -> Any:
        ids = args[0] if args and isinstance(args[0], list) else []
        rows = args[1] if method == "load" and len(args) > 1 else []
        if model == "sale.order" and ((method == "write" and 2 in ids) or any(row[0] == "2" for row in rows)):
            raise ServerError("KeyError: 'boom in a custom override'", "builtins.KeyError")
        return original(self, uid, model, method, args, kwargs, trusted)

    monkeypatch.setattr(Env, "call", call)
    sync = make_sync(sb)
    summary = sync.run_cycle()
    assert summary.errors == 1 and "sale.order:2" in summary.error_messages[0]
    assert tags_of(sb, 8) == ["Urgent / 紧急"]       # later orders were written
    again = sync.run_cycle()                        # and the cycle keeps running, retrying only the bad one
    assert again.errors == 1


def test_working_hours_keep_a_quiet_cycle_at_five_calls(clock: Clock) -> None:
    with Sandbox(demo=True, now=clock) as sb:
        sync = make_sync(sb)
        sync.settings.rules.calendar.mode = "working"
        sync.clock = clock
        sync.prepare()
        sync.run_cycle()
        clock.advance(minutes=1)
        quiet = sync.run_cycle()
        assert quiet.rpc_calls <= 5 and quiet.writes == 0


def test_an_interrupted_cycle_leaves_the_due_window_for_the_next(sb: Sandbox) -> None:
    sync = make_sync(sb, batch_size=2)
    calls = iter([False, True])
    summary = sync.run_cycle(stop=lambda: next(calls, True))
    assert 0 < sum(summary.orders_by_tier.values()) < 8
    state = sync.lease.read()
    assert state.cursor is None and state.last_cycle is None       # nothing moved on
    finished = sync.run_cycle()
    assert finished.alerts == 20 - summary.alerts


def memo_of(sb: Sandbox) -> dict[str, Any]:
    import json

    rows = sb.env.search_read("ir.config_parameter", [("key", "=", "odoo_urgency.memo")], ["value"])
    return json.loads(rows[0]["value"]) if rows else {}


def test_tag_mode_crash_before_the_writes_does_not_make_tags_look_manual(sb: Sandbox) -> None:
    from odoo_urgency.connector import ServerUnavailable

    sync = make_sync(sb)
    sync.prepare()
    # The intent is saved, then the ERP refuses every tag write until the daemon gives up.
    sb.faults.fail_calls(lambda service, model, method: model == "sale.order" and method == "write", "http503", times=9)
    with pytest.raises(ServerUnavailable):
        sync.run_cycle()
    assert "pending" in memo_of(sb)["sale.order:1"]
    sb.faults.reset()
    recovered = make_sync(sb).run_cycle()           # a restarted daemon
    assert recovered.errors == 0
    assert tags_of(sb, 1) == ["Urgent / 紧急"]
    entry = memo_of(sb)["sale.order:1"]
    assert "pending" not in entry and entry["tag_ids"][0][0] == 4


def test_tag_mode_crash_after_the_writes_keeps_them_the_plugins(sb: Sandbox) -> None:
    from odoo_urgency.connector import ServerUnavailable

    sync = make_sync(sb)
    sync.prepare()
    seen = {"n": 0}

    def second_memo_write(service: str, model: str, method: str) -> bool:
        if model == "sale.order" and method in ("write", "load"):
            seen["n"] += 1
        # the confirmation after the tag writes is lost (the fence and the intent before them went through)
        return seen["n"] >= 1 and model == "ir.config_parameter" and method == "write"
    sb.faults.fail_calls(second_memo_write, "http503", times=9)
    with pytest.raises(ServerUnavailable):
        sync.run_cycle()
    sb.faults.reset()
    assert tags_of(sb, 1) == ["Urgent / 紧急"]
    make_sync(sb).run_cycle()
    entry = memo_of(sb)["sale.order:1"]
    assert "pending" not in entry and [4, entry["tag_ids"][0][1]] in entry["tag_ids"]
    # The tag is the plugin's: when S00001 stops being urgent, the plugin takes it off again.
    sb.env.write("sale.order", [1], {"client_order_ref": False, "note": False, "commitment_date": False,
                                     "tag_ids": [(3, 2)]}, uid=6)   # no line stop, no date, no 加急 tag
    make_sync(sb).run_cycle()
    assert tags_of(sb, 1) == []


def test_an_order_with_missing_data_is_decided_or_skipped_alone(sb: Sandbox) -> None:
    # A quotation with nothing but a customer: no salesperson, team, lines, dates, tags or note.
    bare = sb.env.create("sale.order", {"partner_id": sb.env.search("res.partner", [], limit=1)[0]})
    assert isinstance(bare, int)
    summary = make_sync(sb).run_cycle()
    assert summary.errors == 0
    assert tags_of(sb, 1) == ["Urgent / 紧急"]                     # the others were decided as usual


def test_an_order_the_rules_cannot_decide_is_logged_and_the_rest_go_on(sb: Sandbox,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from odoo_urgency.jobs.daemon import synchronizer

    original = synchronizer.plan_order

    def plan(ctx: Any, rules: Any, now: Any) -> Any:
        if ctx.order.id == 3:
            raise ValueError("amount_total is not a number")
        return original(ctx, rules, now)

    monkeypatch.setattr(synchronizer, "plan_order", plan)
    summary = make_sync(sb).run_cycle()
    assert summary.errors == 1 and "S00003: cannot decide" in summary.error_messages[0]
    assert tags_of(sb, 1) == ["Urgent / 紧急"] and tags_of(sb, 3) == []


def test_tag_mode_memo_is_settled_before_the_rules_see_it(sb: Sandbox) -> None:
    """A crash between the tag write and the memo's confirmation leaves the memo *pending*. The very next cycle
    must settle it before the rules look: the tag is the plugin's, so when the order stops being urgent the
    same cycle takes the tag off (it used to treat its own tag as a user's for one cycle)."""
    from odoo_urgency.connector import ServerUnavailable

    sync = make_sync(sb)
    sync.prepare()
    tags_written = {"yes": False}

    def confirmation_after_tag_writes(service: str, model: str, method: str) -> bool:
        if model == "sale.order" and method in ("write", "load"):
            tags_written["yes"] = True
        return tags_written["yes"] and model == "ir.config_parameter" and method == "write"
    sb.faults.fail_calls(confirmation_after_tag_writes, "http503", times=9)
    with pytest.raises(ServerUnavailable):
        sync.run_cycle()
    sb.faults.reset()
    assert tags_of(sb, 1) == ["Urgent / 紧急"] and "pending" in memo_of(sb)["sale.order:1"]
    sb.env.write("sale.order", [1], {"client_order_ref": False, "note": False, "commitment_date": False,
                                     "tag_ids": [(3, 2)]}, uid=6)   # no line stop, no date, no 加急 tag
    restarted = make_sync(sb)
    restarted.prepare(dry_run=True)
    found = restarted.decide_one([("id", "=", 1)], datetime.now(UTC))
    assert found is not None and not found[1].decision.manual
    restarted.run_cycle()
    assert tags_of(sb, 1) == []
