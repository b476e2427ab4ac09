"""Exactly once against an ERP that is slow and non-atomic (issue 19), with the sandbox's injected faults:

1. a create whose answer is lost, its commit visible only later, is never sent again — in the next cycle nor after
   a restart within seconds — and a later cycle removes the plugin's own duplicates by key, keeping the oldest;
2. a person's edit that lands while the daemon is busy between its check and its write is not overwritten;
3. a daemon whose lease was taken while it was working writes nothing more;
4. a restart on the same host takes over the lease of its own dead process at once.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from odoo_urgency.connector import ConnectionSettings, NetworkError, OdooClient, RequestTimeout
from odoo_urgency.jobs.admin.install import run_install
from odoo_urgency.jobs.daemon.home import ParamHome
from odoo_urgency.jobs.daemon.lease import DaemonState, LeaseLost, StateStore, default_holder
from odoo_urgency.jobs.runtime.errors import LeaseHeld
from odoo_urgency.jobs.runtime.settings import SettingsError, load_settings
from odoo_urgency.policies import Alert
from odoo_urgency.sandbox import Sandbox
from tests.clock import Clock
from tests.daemon.conftest import activities, make_settings, make_sync
from tests.daemon.test_resilience import CAPACITY_ALERTS, EXPECTED_ALERTS

KEY = re.compile(r"odoo-urgency key: (\S+?)</p>")
SALESPERSON = 6
#: a client that gives up after 1 s, as the campaign's daemon did after 2 s
IMPATIENT = {"read_timeout": 1.0, "retry_attempts": 2, "retry_max_seconds": 2}


def alert_keys(sb: Sandbox) -> Counter[str]:
    return Counter(k for a in activities(sb) for k in KEY.findall(a["note"] or ""))


def tier(sb: Sandbox, oid: int) -> str:
    return str(sb.env.read("sale.order", [oid], ["x_urgency"])[0]["x_urgency"])


def activity_create(service: str, model: str, method: str) -> bool:
    return model == "mail.activity" and method == "create"



# -- 1. a lost answer --------------------------------------------------------------------------------------

@pytest.mark.parametrize("restart", [False, True], ids=["next-cycle", "restart-within-seconds"])
def test_a_create_whose_answer_is_lost_before_its_commit_shows_is_not_sent_again(sb: Sandbox, restart: bool) -> None:
    sync = make_sync(sb, odoo=IMPATIENT)
    sync.prepare()
    # The ERP does the creates, answers after 2 s (the client gave up after 1 s) and commits after 3 s.
    sb.faults.commit_late(activity_create, seconds=3.0, answer_after=2.0)
    with pytest.raises(RequestTimeout):
        sync.run_cycle()
    assert not alert_keys(sb)                              # nothing to see yet: the transaction is still open
    again = make_sync(sb, odoo=IMPATIENT) if restart else sync   # SIGKILLed and restarted (same holder), or not
    again.run_cycle()                                      # before the commit shows
    time.sleep(3.2)
    summary = again.run_cycle()                            # after it
    keys = alert_keys(sb)
    assert max(keys.values()) == 1, keys
    assert sum(keys.values()) == EXPECTED_ALERTS
    assert summary.errors == 0


def test_a_lost_create_that_never_ran_is_sent_once_the_erp_cannot_still_be_running_it(sb: Sandbox) -> None:
    clock = Clock()
    sync = make_sync(sb, erp_request_limit_seconds=120)
    sync.clock = clock
    sync.prepare()
    sb.faults.fail_calls(activity_create, "drop")          # the connection broke before the ERP ran it
    with pytest.raises(NetworkError):
        sync.run_cycle()
    clock.advance(seconds=30)
    sync.run_cycle()                                       # the ERP might still be running it: not sent again
    assert sum(alert_keys(sb).values()) == CAPACITY_ALERTS  # only the capacity plan's alerts, sent normally
    clock.advance(seconds=100)                             # past the ERP's request limit: it never ran
    sync.run_cycle()
    keys = alert_keys(sb)
    assert max(keys.values()) == 1 and sum(keys.values()) == EXPECTED_ALERTS


def test_duplicates_that_slipped_through_are_removed_by_key_keeping_the_oldest(sb: Sandbox) -> None:
    sync = make_sync(sb, rescan_minutes=0.001)
    sync.run_cycle()
    originals = sb.env.search_read("mail.activity", [], ["res_model_id", "res_id", "activity_type_id", "summary",
                                                           "note", "date_deadline", "user_id"], order="id")
    copies = []
    for row in originals[:3]:
        values = {k: (v[0] if isinstance(v, list) else v) for k, v in row.items() if k != "id"}
        copies.append(sb.env.create("mail.activity", values))
    # a person's own activity that happens to quote a key is not the plugin's: left alone
    person = sb.env.create("mail.activity", {**{k: (v[0] if isinstance(v, list) else v)
                                                for k, v in originals[3].items() if k != "id"}}, uid=6)
    time.sleep(0.01)
    sync.run_cycle()                                       # a rescan cycle sweeps the plugin's duplicates
    left = {row["id"] for row in sb.env.search_read("mail.activity", [], ["id"])}
    assert {row["id"] for row in originals} <= left        # the oldest of each key is kept
    assert not set(copies) & left
    assert person in left


# -- 2. a person's edit in flight --------------------------------------------------------------------------

def test_a_person_s_edit_while_the_alerts_are_created_is_not_overwritten(sb: Sandbox) -> None:
    user_start = "2026-01-01 00:00:00"
    # The planner moves MO 1 by hand while the daemon is creating the batch's to-dos (after its first look).
    sb.faults.before(activity_create,
                     lambda: sb.env.write("mrp.production", [1], {"date_start": user_start}, uid=8))
    sync = make_sync(sb)
    first = sync.run_cycle()
    assert sb.env.read("mrp.production", [1], ["date_start"])[0]["date_start"] == user_start
    assert first.conflicts >= 1
    second = sync.run_cycle()                              # decided again from the fresh state
    assert second.errors == 0
    assert sb.env.read("mrp.production", [1], ["date_start"])[0]["date_start"] == user_start


def test_a_person_s_edit_landing_between_the_last_look_and_the_write_is_put_back(sb: Sandbox) -> None:
    """A tracked field (install marks the plugin's tier and deadline tracked): the daemon's write leaves the value it
    replaced in the chatter; it was a person's, so it is put back and the field is theirs from then on."""
    run_install(OdooClient(make_settings(sb).odoo), out=lambda *_: None)
    sync = make_sync(sb)
    sync.run_cycle()
    assert tier(sb, 4) == "normal"
    sb.env.write("sale.order", [4], {"client_order_ref": "RUSH please"}, uid=SALESPERSON)   # looks urgent now
    # The salesperson sets the tier by hand a moment before the daemon's write (after its last look) lands.
    sb.faults.before(lambda _s, model, method: model == "sale.order" and method in ("write", "load"),
                     lambda: sb.env.write("sale.order", [4], {"x_urgency": "special"}, uid=SALESPERSON))
    summary = sync.run_cycle()
    assert tier(sb, 4) == "special"                        # the person's value is back
    assert summary.conflicts >= 1
    for _ in range(2):
        sync.run_cycle()
        assert tier(sb, 4) == "special"                    # and the field is theirs from now on
    memo = json.loads(sb.env.read("sale.order", [4], ["x_urgency_memo"])[0]["x_urgency_memo"])
    assert "x_urgency" in memo.get("yielded", [])


# -- 3. the lease, fenced ----------------------------------------------------------------------------------

@pytest.mark.parametrize("skewed", [False, True], ids=["lease-ran-out", "taker-clock-ahead"])
def test_a_daemon_whose_lease_was_taken_mid_batch_writes_nothing_more(sb: Sandbox, skewed: bool) -> None:
    clock = Clock()
    taker_clock = Clock(clock.now) if skewed else clock
    slow = make_sync(sb, holder="slow:1", lease_seconds=60)
    other = make_sync(sb, holder="other:2", lease_seconds=60)
    slow.clock, other.clock = clock, taker_clock
    taken: list[bool] = []

    def stalls_then_another_takes_over(alerts: Sequence[Alert]) -> None:
        if not taken:
            taken.append(True)
            taker_clock.advance(minutes=2)                 # the slow one's lease ran out (by the taker's clock)
            other.run_cycle()                              # another daemon took it over and did the work

    slow.before_create = stalls_then_another_takes_over
    with pytest.raises(LeaseLost):
        slow.run_cycle()
    keys = alert_keys(sb)
    assert taken and max(keys.values()) == 1, keys         # the slow one created nothing after the takeover
    assert sum(keys.values()) == EXPECTED_ALERTS


def test_a_lease_shorter_than_a_safe_minimum_is_refused_in_one_line() -> None:
    with pytest.raises(SettingsError) as err:
        load_settings(None, environ={
            "ODOO_URGENCY_DAEMON__LEASE_SECONDS": "10", "ODOO_URGENCY_READ_TIMEOUT": "60"})
    message = str(err.value)
    assert "lease_seconds" in message and "\n" not in message


# -- 4. a restart blocked by its own dead self -------------------------------------------------------------

def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_restart_takes_over_the_lease_of_its_own_dead_process_at_once(sb: Sandbox) -> None:
    corpse = make_sync(sb, holder=f"{socket.gethostname()}:{_dead_pid()}")
    corpse.run_cycle()                                     # SIGKILLed with 180 s of lease left
    restarted = make_sync(sb, holder=default_holder())
    summary = restarted.run_cycle()
    assert summary.errors == 0
    state = restarted.lease.read()
    assert state.holder == default_holder()


def test_a_live_process_on_this_host_or_any_other_host_keeps_its_lease(sb: Sandbox) -> None:
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for holder in (f"{socket.gethostname()}:{alive.pid}", f"elsewhere:{_dead_pid()}"):
            first = make_sync(sb, holder=holder)
            first.run_cycle()
            with pytest.raises(LeaseHeld, match=re.escape(holder)):
                make_sync(sb, holder=default_holder()).run_cycle()
            first.release()
    finally:
        alive.kill()
        alive.wait()


# -- small flaws found on the way --------------------------------------------------------------------------

def test_a_refused_take_is_not_mistaken_for_another_daemon(sb: Sandbox) -> None:
    """The demo user may not create parameters: that is an access error, not "another daemon took the lease"."""
    from odoo_urgency.connector import AccessError
    client = OdooClient(ConnectionSettings(url=sb.url, database=sb.database, login="demo", password="demo"))
    store = StateStore(client, "a:1", 60, ParamHome(client))
    client.authenticate()
    with pytest.raises(AccessError):
        store.acquire(DaemonState(), datetime.now(UTC))


def test_release_ends_the_lease_at_the_injected_clock_s_now(sb: Sandbox) -> None:
    clock = Clock(datetime(2030, 1, 1, tzinfo=UTC))
    sync = make_sync(sb)
    sync.clock = clock
    sync.run_cycle()
    sync.release()
    assert sync.lease.read().expires == clock.now     # not the wall clock's now
