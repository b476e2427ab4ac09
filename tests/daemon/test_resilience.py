"""Crashes, outages, concurrent users and a second daemon: nothing lost, nothing twice, nobody overwritten."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest

from odoo_urgency.connector import NetworkError
from odoo_urgency.jobs.daemon.reader import Reader
from odoo_urgency.jobs.daemon.service import Daemon
from odoo_urgency.jobs.runtime.errors import LeaseHeld
from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import activities, make_sync

KEY = re.compile(r"odoo-urgency key: (\S+?)</p>")
EXPECTED_ALERTS = 20  # 17 + 3 of the materials story (sandbox.demo_materials)
#: Of those, the capacity plan's: two late urgent MOs, each to sales and the planner (created after the orders').
CAPACITY_ALERTS = 4
#: S00001's materials alerts: its MO has a work order, so they come after the capacity pass (on its slot)
MATERIALS_ALERTS = 3


def alert_keys(sb: Sandbox) -> Counter[str]:
    return Counter(k for a in activities(sb) for k in KEY.findall(a["note"] or ""))


def test_lost_answer_to_create_then_restart_creates_no_duplicate(sb: Sandbox) -> None:
    sync = make_sync(sb)
    sync.prepare()
    # The activities are created but the answer never arrives, as if the daemon died right after sending.
    sb.faults.fail_calls(lambda service, model, method: model == "mail.activity" and method == "create", "drop_after")
    with pytest.raises(NetworkError):
        sync.run_cycle()
    # they exist (the first create's: the cycle stopped there, before a second batch — a second to-do for one
    # person on one record waits for the next create, as Odoo 17 refuses both in one — and before its capacity
    # pass and the materials after it)...
    assert 0 < sum(alert_keys(sb).values()) <= EXPECTED_ALERTS - CAPACITY_ALERTS - MATERIALS_ALERTS
    restarted = make_sync(sb, holder="test-daemon")               # ...and a restart does not create them again
    summary = restarted.run_cycle()
    keys = alert_keys(sb)
    assert max(keys.values()) == 1 and sum(keys.values()) == EXPECTED_ALERTS
    assert summary.errors == 0


def test_transient_failures_are_retried_within_the_cycle(sb: Sandbox) -> None:
    sync = make_sync(sb)
    sync.prepare()
    sb.faults.fail_call(2, "http503")
    sb.faults.fail_call(5, "conflict")
    sb.faults.fail_call(9, "drop")
    summary = sync.run_cycle()
    assert summary.errors == 0 and summary.alerts == EXPECTED_ALERTS


def test_an_outage_is_survived_and_the_daemon_resumes(sb: Sandbox) -> None:
    sync = make_sync(sb, poll_interval=0.05, max_backoff_seconds=0.2)
    sync.prepare()
    sb.stop()
    threading.Timer(0.6, sb.start).start()
    daemon = Daemon(sync, poll_interval=0.05, max_backoff=0.2)
    seen: list[int] = []
    daemon.run(max_cycles=40, on_cycle=lambda s: (seen.append(s.alerts), daemon.stop() if s.alerts else None))
    assert (daemon.metrics.registry.get_sample_value("odoo_urgency_errors_total", {"kind": "NetworkError"}) or 0) >= 1
    assert seen and seen[-1] == EXPECTED_ALERTS
    assert sum(alert_keys(sb).values()) == EXPECTED_ALERTS


def test_a_user_edit_between_read_and_write_is_not_overwritten(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Reader.contexts
    user_start = "2026-01-01 00:00:00"

    def read_then_user_edits(self: Reader, rows, memo):  # type: ignore[no-untyped-def]
        contexts = original(self, rows, memo)
        if not getattr(read_then_user_edits, "done", False):
            read_then_user_edits.done = True  # type: ignore[attr-defined]
            # The planner moves MO 1 by hand while the daemon is deciding.
            sb.env.write("mrp.production", [1], {"date_start": user_start}, uid=8)
        return contexts

    monkeypatch.setattr(Reader, "contexts", read_then_user_edits)
    sync = make_sync(sb)
    first = sync.run_cycle()
    assert first.conflicts == 1
    mo = sb.env.read("mrp.production", [1], ["date_start", "priority"])[0]
    assert mo["date_start"] == user_start                     # the user's value stands
    second = sync.run_cycle()                                 # decided again from the fresh state
    assert second.errors == 0
    mo = sb.env.read("mrp.production", [1], ["date_start", "priority"])[0]
    assert mo["date_start"] == user_start and mo["priority"] == "1"
    assert sum(alert_keys(sb).values()) == EXPECTED_ALERTS


def test_a_user_change_after_the_plugin_is_never_fought(sb: Sandbox) -> None:
    sync = make_sync(sb)
    sync.run_cycle()
    sb.env.write("mrp.production", [1], {"priority": "0"}, uid=8)   # the planner disagrees
    sb.env.write("stock.picking", [1], {"scheduled_date": "2026-12-24 09:00:00"}, uid=9)
    for _ in range(2):
        summary = sync.run_cycle()
        assert summary.writes == 0
    assert sb.env.read("mrp.production", [1], ["priority"])[0]["priority"] == "0"
    assert sb.env.read("stock.picking", [1], ["scheduled_date"])[0]["scheduled_date"] == "2026-12-24 09:00:00"


def test_a_record_deleted_mid_cycle_is_skipped_and_the_rest_goes_on(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Reader.contexts

    def read_then_delete(self: Reader, rows, memo):  # type: ignore[no-untyped-def]
        contexts = original(self, rows, memo)
        sb.env.unlink("stock.picking", [3])
        return contexts

    monkeypatch.setattr(Reader, "contexts", read_then_delete)
    summary = make_sync(sb).run_cycle()
    assert summary.errors == 0 and summary.conflicts == 1      # S00008 decided again next cycle
    assert sb.env.read("mrp.production", [1], ["priority"])[0]["priority"] == "1"   # S00001 went on


def test_two_daemons_on_one_database_only_one_acts(sb: Sandbox) -> None:
    first = make_sync(sb, holder="host-a:1")
    second = make_sync(sb, holder="host-b:2")
    first.run_cycle()
    with pytest.raises(LeaseHeld, match="host-a:1"):
        second.run_cycle()
    first.release()
    summary = second.run_cycle()
    assert summary.errors == 0
    assert sum(alert_keys(sb).values()) == EXPECTED_ALERTS


@pytest.mark.parametrize("kill_after", [0.4, 0.9, 1.6])
def test_sigkill_at_any_point_then_restart_loses_nothing_and_duplicates_nothing(kill_after: float, tmp_path) -> None:
    with Sandbox(demo=True) as sb:
        sb.faults.latency = 0.03
        env = {**os.environ, "ODOO_URGENCY_URL": sb.url, "ODOO_URGENCY_DATABASE": sb.database,
               "ODOO_URGENCY_LOGIN": "admin",
               "ODOO_URGENCY_PASSWORD": "admin", "ODOO_URGENCY_DAEMON__POLL_INTERVAL": "0.2",
               "ODOO_URGENCY_DAEMON__ERP_REQUEST_LIMIT_SECONDS": "1", "ODOO_URGENCY_DAEMON__BATCH_SIZE": "2",
               "ODOO_URGENCY_DAEMON__CACHE_DIR": str(tmp_path), "ODOO_URGENCY_CONFIG": str(tmp_path / "none.toml")}
        (tmp_path / "none.toml").write_text("")
        proc = subprocess.Popen([sys.executable, "-m", "odoo_urgency.jobs.cli", "run"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        # The restart takes the dead process's lease at once (same host, pid gone); a create the dead one may have
        # been about to send is waited for until the ERP's request limit (1 s here) has passed.
        time.sleep(1.1)
        sb.faults.latency = 0
        done = subprocess.run([sys.executable, "-m", "odoo_urgency.jobs.cli", "once", "--json"], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        keys = alert_keys(sb)
        assert max(keys.values()) == 1, keys
        assert sum(keys.values()) == EXPECTED_ALERTS


def test_sigterm_stops_the_daemon_cleanly_and_fast(tmp_path) -> None:
    with Sandbox(demo=True) as sb:
        env = {**os.environ, "ODOO_URGENCY_URL": sb.url, "ODOO_URGENCY_DATABASE": sb.database,
               "ODOO_URGENCY_LOGIN": "admin", "ODOO_URGENCY_PASSWORD": "admin",
               "ODOO_URGENCY_DAEMON__POLL_INTERVAL": "30", "ODOO_URGENCY_DAEMON__CACHE_DIR": str(tmp_path),
               "ODOO_URGENCY_CONFIG": str(tmp_path / "none.toml")}
        (tmp_path / "none.toml").write_text("")
        proc = subprocess.Popen([sys.executable, "-m", "odoo_urgency.jobs.cli", "run"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and sum(alert_keys(sb).values()) < EXPECTED_ALERTS:
            time.sleep(0.1)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
        assert proc.returncode == 0, err
        assert time.monotonic() - started < 10
        assert "daemon_stopped" in err
        state = sb.env.search_read("ir.config_parameter", [("key", "=", "odoo_urgency.state")], ["value"])
        assert '"cursor": "20' in state[0]["value"]             # the cursor was kept
