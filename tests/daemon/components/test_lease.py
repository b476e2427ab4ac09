"""StateStore: the daemon's state record in the ERP, which is also its lease, against the sandbox — in both homes
(``jobs.daemon.home``): ``ir.config_parameter`` as an administrator (before install), and the daemon's own model
``x_urgency_state`` as the daemon's user, who has no administrator rights (after install).

Its contract (``jobs.daemon.lease``): the record is the lease and the home is the referee — of two daemons racing
for a free or expired lease exactly one replacement succeeds (the parameter's unique key; one write of the config
record that updates, deletes and creates); a holder renews by writing its own record and stops (``LeaseLost``) when
it is gone; renewal is due once half the lease is gone; release ends the lease now and keeps the cursor. A call
whose answer was lost is looked up, never resent blindly.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from odoo_urgency.connector import AccessError, ConnectionSettings, OdooClient, TransportError
from odoo_urgency.jobs.admin.daemon_user import ensure_daemon_user
from odoo_urgency.jobs.admin.install import run_install
from odoo_urgency.jobs.daemon.home import ModelHome
from odoo_urgency.jobs.daemon.lease import STATE_KEY, DaemonState, LeaseLost, StateStore
from odoo_urgency.jobs.runtime.errors import LeaseHeld
from odoo_urgency.sandbox import Sandbox
from tests.daemon.components.conftest import ErpCalls, connect

HOME = "x_urgency_state"
BOT_KEY = "a" * 40

LEASE = 60.0
T0 = datetime(2030, 1, 1, 8, 0, tzinfo=UTC)


def installed(sb: Sandbox) -> bool:
    return HOME in sb.env.models


def state_rows(sb: Sandbox) -> list[dict]:
    if installed(sb):
        rows = sb.env.search_read(HOME, [("x_name", "=", "state")], ["x_value"], uid=1)
        return [{"id": row["id"], "value": row["x_value"]} for row in rows]
    return sb.env.search_read("ir.config_parameter", [("key", "=", STATE_KEY)], ["value"])


def store(sb: Sandbox, holder: str) -> StateStore:
    """A daemon on a connection of its own: the daemon's user on its own model once installed, else the admin."""
    if not installed(sb):
        return StateStore(connect(sb), holder, LEASE)
    settings = ConnectionSettings(url=sb.url, database=sb.database, login="urgency-bot", password=BOT_KEY,
                                  retry_attempts=3, retry_max_seconds=5)  # type: ignore[arg-type]
    client = OdooClient(settings, retry_base_wait=0.01)
    client.authenticate()
    return StateStore(client, holder, LEASE, ModelHome(client))


@pytest.fixture(params=["ir.config_parameter", HOME], autouse=True)
def where(request: pytest.FixtureRequest, sb: Sandbox) -> str:
    if request.param == HOME:
        with connect(sb) as admin:
            run_install(admin, out=lambda _: None)
            ensure_daemon_user(admin, "urgency-bot", dry_run=False, out=lambda _: None)
            sb.env.add_api_key(admin.search("res.users", [("login", "=", "urgency-bot")])[0], BOT_KEY)
    return str(request.param)


def holder_in_erp(sb: Sandbox) -> str | None:
    rows = state_rows(sb)
    assert len(rows) <= 1
    return (json.loads(rows[0]["value"] or "{}").get("lease") or {}).get("holder") if rows else None


@pytest.fixture
def stores(sb: Sandbox) -> tuple[StateStore, StateStore]:
    """Two daemons on two connections of their own, as on two hosts."""
    return store(sb, "host-a:1"), store(sb, "host-b:2")


def test_of_two_daemons_racing_for_a_free_lease_exactly_one_wins(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, b = stores
    seen_by_a, seen_by_b = a.read(), b.read()          # both look before either takes it
    assert seen_by_a.holder is None and seen_by_b.holder is None
    taken = a.hold(seen_by_a, T0)
    with pytest.raises(LeaseHeld):
        b.hold(seen_by_b, T0)
    assert holder_in_erp(sb) == "host-a:1" and taken.record_id is not None


def test_of_two_daemons_racing_for_an_expired_lease_exactly_one_wins(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, b = stores
    old = store(sb, "gone:3")
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
    assert (again.holder, again.record_id) == ("host-b:2", taken.record_id)
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
    a.release(a.read(), now)
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
    b.release(theirs, T0)
    assert erp_calls == [] and holder_in_erp(sb) == "host-a:1"


def taking_call(sb: Sandbox) -> tuple[str, str]:
    """The one call that takes a stale lease: a create under the unique key, or the write of the config record."""
    return (HOME, "write") if installed(sb) else ("ir.config_parameter", "create")


def test_a_take_whose_answer_was_lost_is_looked_up(
        sb: Sandbox, stores: tuple[StateStore, StateStore], erp_calls: ErpCalls) -> None:
    a, b = stores
    model, method = taking_call(sb)
    sb.faults.fail_calls(lambda _s, m, meth: (m, meth) == (model, method), "drop_after")
    taken = a.hold(a.read(), T0)
    # it did run; the answer was lost. A create is never sent again; the write may be (a write is idempotent for
    # the client), and then fails, the stale record being gone: either way the ERP is asked who holds the lease.
    assert len(erp_calls.of(model, method)) == (2 if installed(sb) else 1)
    assert taken.held_by("host-a:1", T0) and taken.record_id == state_rows(sb)[0]["id"]
    assert len(state_rows(sb)) == 1
    a.renew(taken, T0)                                  # and it is really ours
    with pytest.raises(LeaseHeld):
        b.hold(b.read(), T0)


def test_a_take_that_never_ran_is_sent_again(
        sb: Sandbox, stores: tuple[StateStore, StateStore], erp_calls: ErpCalls) -> None:
    a, _ = stores
    model, method = taking_call(sb)
    sb.faults.fail_calls(lambda _s, m, meth: (m, meth) == (model, method), "drop")
    taken = a.hold(a.read(), T0)
    assert len(erp_calls.of(model, method)) == 1       # the dropped one never reached the ERP
    assert taken.record_id == state_rows(sb)[0]["id"] and holder_in_erp(sb) == "host-a:1"


def test_an_unreachable_erp_is_not_mistaken_for_another_holder(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, _ = stores
    before = state_rows(sb)
    sb.faults.fail_calls(lambda _s, model, method: model == a.home.where, "drop", times=100)
    with pytest.raises(TransportError):
        a.hold(a.read() if installed(sb) else DaemonState(), T0)
    sb.faults.reset()
    assert state_rows(sb) == before and holder_in_erp(sb) is None


def test_an_unreadable_state_row_is_a_lease_anyone_may_take(sb: Sandbox) -> None:
    if installed(sb):
        sb.env.write(HOME, [state_rows(sb)[0]["id"]], {"x_value": "[1, 2"}, uid=1)
    else:
        sb.env.create("ir.config_parameter", {"key": STATE_KEY, "value": "[1, 2"})
    mine = store(sb, "host-a:1")
    state = mine.read()
    assert state.holder is None and state.record_id is not None
    mine.hold(state, T0)
    assert holder_in_erp(sb) == "host-a:1" and len(state_rows(sb)) == 1


@pytest.mark.parametrize("garbled", [{"cursor": "yesterday"}, {"last_cycle": [1]},
                                     {"lease": {"holder": "host-b:2", "expires": "soon"}}])
def test_a_garbled_datetime_in_the_state_costs_a_rescan_not_every_cycle(
        sb: Sandbox, client: OdooClient, garbled: dict) -> None:
    if installed(sb):
        pytest.skip("hand-edited in Settings > System Parameters: the parameter home")
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
    before, writes = a.client.stats.calls, a.client.stats.by_method.get(f"{a.home.where}.write", 0)
    a.keep(state, T0 + timedelta(seconds=LEASE / 2 - 1))
    assert a.client.stats.calls == before                      # plenty left: no call
    a.keep(state, T0 + timedelta(seconds=LEASE / 2 + 1))
    assert a.client.stats.by_method[f"{a.home.where}.write"] == writes + 1
    assert a.read().expires == T0 + timedelta(seconds=LEASE * 1.5 + 1)


def test_give_back_frees_the_lease_for_the_next_holder_at_once(
        sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    a, b = stores
    now = datetime.now(UTC).replace(microsecond=0)
    a.take(now)
    with pytest.raises(LeaseHeld):
        b.take(now)
    b.give_back(now)                                           # not b's: nothing changes
    assert holder_in_erp(sb) == "host-a:1"
    a.give_back(now)
    b.take(now + timedelta(seconds=1))
    assert holder_in_erp(sb) == "host-b:2"


def test_the_model_home_needs_no_administrator(sb: Sandbox, stores: tuple[StateStore, StateStore]) -> None:
    """As the daemon's user: no right on ir.config_parameter, and the lease works all the same."""
    if not installed(sb):
        pytest.skip("the parameter home is the administrator's")
    a, _ = stores
    with pytest.raises(AccessError):
        a.client.search_read("ir.config_parameter", [], ["key"], limit=1)
    a.hold(a.read(), T0)
    assert holder_in_erp(sb) == "host-a:1"
