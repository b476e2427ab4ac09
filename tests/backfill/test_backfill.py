"""The backfill writes what the daemon would have, resumes after an interruption, and dry-run changes nothing."""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from odoo_urgency.connector import ServerUnavailable
from odoo_urgency.jobs.backfill.run import CHECKPOINT_KEY, run_backfill
from odoo_urgency.sandbox import Sandbox
from odoo_urgency.sandbox.generate import generate
from tests.daemon.conftest import make_sync

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
KEY = re.compile(r"odoo-urgency key: (\S+?)</p>")


def args(**overrides: object) -> argparse.Namespace:
    values = {"since": "2026-10-01", "until": "2026-11-21", "all_open": False, "dry_run": False, "output": None,
              "alert_days": 7.0, "restart": False, "max_calls_per_second": None, "json": False}
    values.update(overrides)
    return argparse.Namespace(**values)


@pytest.fixture
def history() -> Iterator[Sandbox]:
    with Sandbox(now=lambda: NOW) as sb:
        generate(sb.env, 240, NOW, window_days=30)
        yield sb


def end_state(sb: Sandbox) -> dict[str, object]:
    """What users see: tier tags, MO and delivery priorities and dates, alert keys (ids are equal across runs)."""
    return {
        "orders": sb.env.search_read("sale.order", [], ["tag_ids"], order="id"),
        "mos": sb.env.search_read("mrp.production", [], ["priority", "date_start", "date_finished"], order="id"),
        "pickings": sb.env.search_read("stock.picking", [], ["priority", "scheduled_date"], order="id"),
        "alerts": sorted(k for a in sb.env.search_read("mail.activity", [], ["note"]) for k in KEY.findall(a["note"])),
    }


def fresh_history() -> Sandbox:
    sb = Sandbox(now=lambda: NOW).__enter__()
    generate(sb.env, 240, NOW, window_days=30)
    return sb


def test_backfill_writes_what_the_daemon_would_have(history: Sandbox) -> None:
    sync = make_sync(history, batch_size=50)
    sync.clock = lambda: NOW
    summary = run_backfill(sync, args(alert_days=-1))
    assert summary.errors == 0 and summary.writes > 50

    daemon_side = fresh_history()
    try:
        daemon = make_sync(daemon_side, batch_size=50, initial_lookback_days=60)
        daemon.clock = lambda: NOW
        daemon.run_cycle()
        assert end_state(history) == end_state(daemon_side)
    finally:
        daemon_side.__exit__(None, None, None)


def test_an_interrupted_backfill_resumes_to_the_same_end_state(history: Sandbox) -> None:
    sync = make_sync(history, batch_size=40)
    sync.clock = lambda: NOW
    # The ERP goes away for good during the third batch's writes: the command fails...
    calls = {"n": 0}

    def third_batch(service: str, model: str, method: str) -> bool:
        calls["n"] += method in ("load", "write") and model == "sale.order"
        return calls["n"] >= 3
    history.faults.fail_calls(third_batch, "http503", times=50)
    with pytest.raises(ServerUnavailable):
        run_backfill(sync, args())
    history.faults.reset()
    checkpoint = history.env.search_read("ir.config_parameter", [("key", "=", CHECKPOINT_KEY)], ["value"])
    assert checkpoint and '"finished": false' in checkpoint[0]["value"]
    # ...and the same command, run again, continues after the last batch done.
    resumed = make_sync(history, batch_size=40)
    resumed.clock = lambda: NOW
    run_backfill(resumed, args())

    uninterrupted = fresh_history()
    try:
        once = make_sync(uninterrupted, batch_size=40)
        once.clock = lambda: NOW
        run_backfill(once, args())
        assert end_state(history) == end_state(uninterrupted)
    finally:
        uninterrupted.__exit__(None, None, None)
    # Done is done: a third run changes nothing.
    again = make_sync(history, batch_size=40)
    assert run_backfill(again, args()).writes == 0


def test_dry_run_writes_a_plan_and_changes_nothing(history: Sandbox) -> None:
    before = end_state(history)
    out = io.StringIO()
    sync = make_sync(history)
    sync.clock = lambda: NOW
    summary = run_backfill(sync, args(dry_run=True), out=out)
    assert end_state(history) == before
    assert history.env.search_read("ir.config_parameter", [("key", "like", "odoo_urgency")], ["key"]) == []
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) > 0 and summary.writes > 0
    assert {"order", "tier", "reasons", "changes", "alerts"} <= set(rows[0])
    assert any("priority: '0' -> '1'" in row["changes"] for row in rows)


def test_old_situations_raise_no_alerts(history: Sandbox) -> None:
    sync = make_sync(history)
    sync.clock = lambda: NOW
    summary = run_backfill(sync, args(alert_days=0))
    assert summary.writes > 0 and summary.alerts == 0
    assert history.env.search_count("mail.activity", []) == 0


def test_rate_limit_paces_the_calls(history: Sandbox) -> None:
    sync = make_sync(history, batch_size=500)
    sync.clock = lambda: NOW
    sync.client.max_calls_per_second = 20.0
    started = datetime.now(UTC)
    summary = run_backfill(sync, args(dry_run=True))
    elapsed = (datetime.now(UTC) - started).total_seconds()
    assert elapsed >= (summary.rpc_calls - 1) / 20.0


def test_a_dry_run_is_the_real_runs_plan_byte_for_byte() -> None:
    """Tag mode on a database where the tier tags do not exist yet: the dry run used to leave the tag writes out
    (it could not create the tags). Two copies of the same data: the dry run's CSV is what the real run did."""
    dry_side, real_side = fresh_history(), fresh_history()
    try:
        planned, done = io.StringIO(), io.StringIO()
        dry = make_sync(dry_side, batch_size=50)
        dry.clock = lambda: NOW
        dry_summary = run_backfill(dry, args(dry_run=True, alert_days=-1), out=planned)
        real = make_sync(real_side, batch_size=50)
        real.clock = lambda: NOW
        real_summary = run_backfill(real, args(alert_days=-1), out=done)
        assert "+Urgent / 紧急" in planned.getvalue()
        assert planned.getvalue() == done.getvalue()
        assert (dry_summary.writes, dry_summary.alerts) == (real_summary.writes, real_summary.alerts)
        assert dry_side.env.search("crm.tag", [("name", "=", "Urgent / 紧急")]) == []   # the dry run created none
    finally:
        dry_side.__exit__(None, None, None)
        real_side.__exit__(None, None, None)


def test_since_and_until_are_days_in_the_calendars_zone() -> None:
    """``backfill --since`` used to read UTC days while ``report --since`` read the calendar's: one day typed
    in Shanghai meant two different ranges."""
    from zoneinfo import ZoneInfo

    from odoo_urgency.jobs.backfill.run import selection_domain

    domain, _ = selection_domain(args(since="2026-12-01", until="2026-12-02"), ZoneInfo("Asia/Shanghai"))
    assert ("create_date", ">=", "2026-11-30 16:00:00") in domain
    assert ("create_date", "<", "2026-12-01 16:00:00") in domain


def test_a_paced_backfill_says_what_it_does_before_its_first_call(history: Sandbox,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """At one call a second, the lease and the preparation took 13 s of silence before the progress bar."""
    sync = make_sync(history, batch_size=500)
    sync.clock = lambda: NOW
    sync.client.max_calls_per_second = 1.0
    seen_before_counting: list[str] = []
    count = sync.client.search_count

    def counting(*a: object, **kw: object) -> int:
        seen_before_counting.append(capsys.readouterr().err)
        sync.client.max_calls_per_second = None  # the rest of the run at full speed: the test is about the start
        return count(*a, **kw)  # type: ignore[arg-type]

    sync.client.search_count = counting  # type: ignore[method-assign]
    run_backfill(sync, args(dry_run=True), interactive=True)
    assert seen_before_counting and "backfill: preparing since=2026-10-01" in seen_before_counting[0]
    assert "paced at 1 call/s" in seen_before_counting[0]


def test_the_pace_holds_from_the_first_call_of_the_command(history: Sandbox, monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    """``backfill --max-calls-per-second`` through the command itself: the version, the login and the schema's
    look-ups came before the pace was set — on a real Odoo 9 calls started within one second at a limit of 5."""
    from odoo_urgency.connector import client as client_module
    from odoo_urgency.jobs.cli.app import main

    starts: list[float] = []
    make_transport = client_module.make_transport

    class Recording:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def call(self, *a: Any, **kw: Any) -> Any:
            starts.append(time.monotonic())
            return self.inner.call(*a, **kw)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

    monkeypatch.setattr(client_module, "make_transport", lambda settings: Recording(make_transport(settings)))
    for name, value in {"URL": history.url, "DATABASE": history.database, "LOGIN": "admin", "PASSWORD": "admin",
                        "CONFIG": os.devnull, "DAEMON__CACHE_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(f"ODOO_URGENCY_{name}", value)
    pace = 10.0
    assert main(["backfill", "--since", "2026-11-15", "--dry-run", "--max-calls-per-second", f"{pace:g}"]) == 0
    assert len(starts) > pace  # enough calls for a window to be full
    busiest = max(sum(1 for t in starts if first <= t < first + 1.0) for first in starts)
    assert busiest <= pace + 1  # the one that may start on the window's far edge
