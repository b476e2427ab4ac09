"""StateStore: the daemon's state row in the ERP, which is also its lease, against the sandbox.

Its contract (``jobs.daemon.lease``): the row is the lease and Odoo's unique key on the parameter is the
referee — of two daemons racing for a free or expired lease exactly one create succeeds; a holder renews by
writing its own row and stops (``LeaseLost``) when the row is gone; renewal is due once half the lease is gone;
release ends the lease now and keeps the cursor. A ``create`` whose answer was lost is looked up, never resent
blindly.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from connector import OdooClient, TransportError
from jobs.daemon.lease import STATE_KEY, DaemonState, LeaseLost, StateStore
from jobs.runtime.errors import LeaseHeld
from sandbox import Sandbox
from tests.daemon.components.conftest import ErpCalls, connect

LEASE = 60.0
T0 = datetime(2030, 1, 1, 8, 0, tzinfo=UTC)


def state_rows(sb: Sandbox) -> list[dict]:
    return sb.env.search_read("ir.config_parameter", [("key", "=", STATE_KEY)], ["value"])


def holder_in_erp(sb: Sandbox) -> str | None:
    rows = state_rows(sb)
    assert len(rows) <= 1
    return json.loads(rows[0]["value"])["lease"]["holder"] if rows else None


@pytest.fixture
def stores(sb: Sandbox) -> tuple[StateStore, StateStore]:
    """Two daemons on two connections of their own, as on two hosts."""
    return StateStore(connect(sb), "host-a:1", LEASE), StateStore(connect(sb), "host-b:2", LEASE)


def test_of_two_daemons_racing_for_a_free_lease_exactly_one_wins(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, b = stores
    seen_by_a, seen_by_b = a.read(), b.read()          # both look before either takes it
    assert seen_by_a.param_id is None and seen_by_b.param_id is None
    taken = a.hold(seen_by_a, T0)
    with pytest.raises(LeaseHeld):
        b.hold(seen_by_b, T0)
    assert holder_in_erp(sb) == "host-a:1" and taken.param_id is not None


def test_of_two_daemons_racing_for_an_expired_lease_exactly_one_wins(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, b = stores
    old = StateStore(connect(sb), "gone:3", LEASE)
    old.hold(old.read(), T0)
    later = T0 + timedelta(seconds=LEASE + 1)           # the old holder died; its lease ran out
    seen_by_a, seen_by_b = a.read(), b.read()          # both see the same stale row
    a.hold(seen_by_a, later)
    with pytest.raises(LeaseHeld):
        b.hold(seen_by_b, later)
    assert holder_in_erp(sb) == "host-a:1"


def test_a_live_lease_of_another_daemon_is_refused_and_names_its_holder(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, b = stores
    a.hold(a.read(), T0)
    with pytest.raises(LeaseHeld, match=r"host-a:1.*2030-01-01 08:01:00"):
        b.hold(b.read(), T0 + timedelta(seconds=LEASE - 1))
    assert holder_in_erp(sb) == "host-a:1"
    b.hold(b.read(), T0 + timedelta(seconds=LEASE + 1))  # expired: taken over
    assert holder_in_erp(sb) == "host-b:2"


def test_a_takeover_keeps_the_cursor_and_the_rest_of_the_state(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, b = stores
    state = a.hold(a.read(), T0)
    state.cursor = datetime(2029, 12, 31, 23, 0, tzinfo=UTC)
    state.last_cycle = T0
    state.extra["last_rescan"] = "2030-01-01 07:00:00"
    a.renew(state, T0)
    taken = b.hold(b.read(), T0 + timedelta(seconds=LEASE + 1))
    again = b.read()
    assert (again.holder, again.param_id) == ("host-b:2", taken.param_id)
    assert again.cursor == state.cursor and again.last_cycle == T0
    assert again.extra == {"last_rescan": "2030-01-01 07:00:00"}


def test_a_holder_whose_lease_was_taken_stops_at_its_next_renewal(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, b = stores
    mine = a.hold(a.read(), T0)
    b.hold(b.read(), T0 + timedelta(seconds=LEASE + 1))  # a was too slow
    with pytest.raises(LeaseLost):
        a.renew(mine, T0 + timedelta(seconds=LEASE + 2))
    assert issubclass(LeaseLost, LeaseHeld)            # the service waits, as for any held lease
    assert holder_in_erp(sb) == "host-b:2"             # and the new holder's row is untouched


def test_holding_a_lease_already_held_costs_no_call(stores: tuple[StateStore, StateStore]) -> None:
    a, _ = stores
    state = a.hold(a.read(), T0)
    before = a.client.stats.calls
    assert a.hold(state, T0 + timedelta(seconds=LEASE / 2)) is state
    assert a.client.stats.calls == before


def test_renewal_is_due_only_once_half_the_lease_is_gone(sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, _ = stores
    state = a.hold(a.read(), T0)
    assert state.expires == T0 + timedelta(seconds=LEASE)
    assert not a.needs_renewal(state, T0)
    assert not a.needs_renewal(state, T0 + timedelta(seconds=LEASE / 2 - 1))
    assert a.needs_renewal(state, T0 + timedelta(seconds=LEASE / 2 + 1))
    assert a.needs_renewal(DaemonState(), T0)           # nothing known: renew
    a.renew(state, T0 + timedelta(seconds=LEASE / 2 + 1))
    assert state.expires == T0 + timedelta(seconds=LEASE * 1.5 + 1)
    assert a.read().expires == state.expires            # the ERP has it too
    assert not a.needs_renewal(state, T0 + timedelta(seconds=LEASE / 2 + 1))


def test_release_frees_the_lease_at_once_and_keeps_the_cursor(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, b = stores
    now = datetime.now(UTC).replace(microsecond=0)
    state = a.hold(a.read(), now)
    state.cursor = now - timedelta(minutes=5)
    a.renew(state, now)
    a.release(a.read())
    released = b.read()
    assert released.holder == "host-a:1" and released.cursor == state.cursor
    b.hold(released, now + timedelta(seconds=1))        # long before the lease would have run out
    assert holder_in_erp(sb) == "host-b:2"


def test_releasing_a_lease_held_by_another_changes_nothing(
        sb: Sandbox, stores: tuple[StateStore, StateStore], erp_calls: ErpCalls) -> None:
    a, b = stores
    a.hold(a.read(), T0)
    theirs = b.read()
    erp_calls.clear()
    b.release(theirs)
    assert erp_calls == [] and holder_in_erp(sb) == "host-a:1"


def test_a_create_whose_answer_was_lost_is_looked_up_not_sent_again(
        sb: Sandbox, stores: tuple[StateStore, StateStore], erp_calls: ErpCalls) -> None:
    a, _ = stores
    sb.faults.fail_calls(lambda _s, model, method: model == "ir.config_parameter" and method == "create", "drop_after")
    taken = a.hold(a.read(), T0)
    assert len(erp_calls.of("ir.config_parameter", "create")) == 1     # it did run; the answer was lost
    assert taken.held_by("host-a:1", T0) and taken.param_id == state_rows(sb)[0]["id"]


def test_a_create_that_never_ran_is_sent_again(
        sb: Sandbox, stores: tuple[StateStore, StateStore], erp_calls: ErpCalls) -> None:
    a, _ = stores
    sb.faults.fail_calls(lambda _s, model, method: model == "ir.config_parameter" and method == "create", "drop")
    taken = a.hold(a.read(), T0)
    assert len(erp_calls.of("ir.config_parameter", "create")) == 1     # the dropped one never reached the ERP
    assert taken.param_id == state_rows(sb)[0]["id"] and holder_in_erp(sb) == "host-a:1"


def test_an_unreachable_erp_is_not_mistaken_for_another_holder(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, _ = stores
    sb.faults.fail_calls(lambda _s, model, method: model == "ir.config_parameter", "drop", times=100)
    with pytest.raises(TransportError):
        a.hold(DaemonState(), T0)
    sb.faults.reset()
    assert state_rows(sb) == []


def test_an_unreadable_state_row_is_a_lease_anyone_may_take(sb: Sandbox, client: OdooClient) -> None:
    sb.env.create("ir.config_parameter", {"key": STATE_KEY, "value": "[1, 2"})
    store = StateStore(client, "host-a:1", LEASE)
    state = store.read()
    assert state.holder is None and state.param_id is not None
    store.hold(state, T0)
    assert holder_in_erp(sb) == "host-a:1" and len(state_rows(sb)) == 1


@pytest.mark.parametrize("garbled", [{"cursor": "yesterday"}, {"last_cycle": [1]},
                                     {"lease": {"holder": "host-b:2", "expires": "soon"}}])
def test_a_garbled_datetime_in_the_state_costs_a_rescan_not_every_cycle(
        sb: Sandbox, client: OdooClient, garbled: dict) -> None:
    # Hand-edited in Settings > System Parameters: before, reading the state raised ValueError in every cycle.
    good = {"cursor": "2030-01-01 07:00:00", "last_cycle": "2030-01-01 07:59:00", "last_rescan": "2030-01-01 07:00:00"}
    sb.env.create("ir.config_parameter", {"key": STATE_KEY, "value": json.dumps({**good, **garbled})})
    store = StateStore(client, "host-a:1", LEASE)
    state = store.read()
    name = next(iter(garbled))
    if name != "lease":
        assert getattr(state, name) is None                     # unknown: the daemon looks at everything again
    kept = {key for key in ("cursor", "last_cycle") if key not in garbled}
    assert all(getattr(state, key) is not None for key in kept) and state.extra == {"last_rescan": good["last_rescan"]}
    store.hold(state, T0)
    assert holder_in_erp(sb) == "host-a:1"


def test_keep_renews_only_when_half_the_lease_is_gone(stores: tuple[StateStore, StateStore]) -> None:
    a, _ = stores
    state = a.take(T0)
    before = a.client.stats.calls
    a.keep(state, T0 + timedelta(seconds=LEASE / 2 - 1))
    assert a.client.stats.calls == before                      # plenty left: no call
    a.keep(state, T0 + timedelta(seconds=LEASE / 2 + 1))
    assert a.client.stats.by_method["ir.config_parameter.write"] == 1
    assert a.read().expires == T0 + timedelta(seconds=LEASE * 1.5 + 1)


def test_give_back_frees_the_lease_for_the_next_holder_at_once(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, b = stores
    now = datetime.now(UTC).replace(microsecond=0)
    a.take(now)
    with pytest.raises(LeaseHeld):
        b.take(now)
    b.give_back()                                              # not b's: nothing changes
    assert holder_in_erp(sb) == "host-a:1"
    a.give_back()
    b.take(now + timedelta(seconds=1))
    assert holder_in_erp(sb) == "host-b:2"
