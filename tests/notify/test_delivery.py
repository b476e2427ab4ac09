"""Push delivery end to end (issue 14): the daemon against the sandbox ERP, a local HTTP sink and a local SMTP
server receive exactly one message per situation over many cycles, restarts, a SIGKILL between send and settle,
and an outage followed by recovery."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
from odoo_urgency.jobs.notify import ChannelSettings, Notifier, NotifySettings
from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import activities, make_sync
from tests.notify.conftest import HttpSink, SmtpSink

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"odoo-urgency key: (\S+?)</p>")


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def todo_keys(sb: Sandbox) -> set[str]:
    """The alert keys of the Odoo to-dos: the situations the push channels must each tell once."""
    return {key for activity in activities(sb) for key in KEY.findall(activity["note"] or "")}


def attach(sync: Synchronizer, outbox: Path, clock: Clock, *urls: str | ChannelSettings, **notify: object
           ) -> Notifier:
    channels = [url if isinstance(url, ChannelSettings) else ChannelSettings(name=f"c{i}", url=url)
                for i, url in enumerate(urls)]
    settings = NotifySettings(channels=channels, **notify)  # type: ignore[arg-type]
    notifier = Notifier(settings, sync.settings.rules, outbox, "http://odoo.example.com", clock=clock,
                        directory=sync.people.current)
    sync.before_create = notifier.intend
    return notifier


def test_one_message_per_situation_over_many_cycles_and_a_restart(sb: Sandbox, sink: HttpSink, smtp: SmtpSink,
                                                                   tmp_path: Path) -> None:
    clock, outbox = Clock(), tmp_path / "outbox.sqlite3"
    # apprise paces e-mail (one per 5 s per server): the mail channel is for logistics and escalations only
    mail = ChannelSettings(name="mail", url=smtp.url, roles=["logistics", "team_leader"])  # type: ignore[arg-type]
    sync = make_sync(sb)
    notifier = attach(sync, outbox, clock, sink.url, mail)
    for _ in range(4):
        sync.run_cycle()
        notifier.drain(10)
        clock.advance(minutes=40)          # past the digest interval: folded alerts go out too
    notifier.stop()
    restarted = make_sync(sb)              # a new process: the same ERP, the same outbox
    again = attach(restarted, outbox, clock, sink.url, mail)
    for _ in range(3):
        restarted.run_cycle()
        again.drain(10)
        clock.advance(minutes=40)
    again.stop()
    situations = todo_keys(sb)
    assert len(situations) >= 15           # the order stories' alerts, and the capacity pass's
    by_mail = {"delivery:stock.picking:1", "delivery:stock.picking:3", "breach1:sale.order:7"}
    for received, expected in ((sink.keys(), situations), (smtp.keys(), by_mail)):
        assert set(received) == expected
        assert max(received.values()) == 1, received
    # digests happened (normal tier, repeated records), and they carry links to the records
    assert any("alerts for" in m["title"] for m in sink.messages)
    assert all("/web#id=" in m["message"] for m in sink.messages)


def test_a_message_says_what_why_by_when_what_to_do_and_links_the_record(sb: Sandbox, sink: HttpSink,
                                                                           tmp_path: Path) -> None:
    sync = make_sync(sb)
    notifier = attach(sync, tmp_path / "o.sqlite3", Clock(), sink.url)
    sync.run_cycle()
    notifier.drain(10)
    notifier.stop()
    delivery = next(m for m in sink.messages if "delivery:stock.picking:3" in m["message"])
    assert "overdue since" in delivery["title"] and "ship now" in delivery["title"]
    body = delivery["message"]
    assert "urgent order S00008" in body and "Why:" in body and "By when: overdue since" in body
    assert "Arrange transport" in body and "For Logistics Clerk, as logistics." in body
    assert "http://odoo.example.com/web#id=3&model=stock.picking&view_type=form" in body


def test_an_outage_loses_nothing_holds_up_no_cycle_and_floods_nobody(sb: Sandbox, sink: HttpSink,
                                                                     tmp_path: Path) -> None:
    clock = Clock()
    sync = make_sync(sb)
    notifier = attach(sync, tmp_path / "o.sqlite3", clock, sink.url, burst=2, retry_base_seconds=60)
    sink.down = True
    started = time.monotonic()
    sync.run_cycle()
    for _ in range(5):                     # hours of outage: every retry fails, backing off
        notifier.flush()
        clock.advance(hours=1)
    assert sink.refused >= 5 and not sink.messages
    assert notifier.totals["failed"] >= 5 and notifier.pending() > 0
    assert time.monotonic() - started < 30                  # the cycle went on meanwhile
    assert sync.run_cycle().errors == 0
    sink.down = False
    clock.advance(hours=1)
    notifier.drain(10)
    clock.advance(minutes=40)
    notifier.drain(10)
    notifier.stop()
    received = sink.keys()
    assert set(received) == todo_keys(sb) and max(received.values()) == 1
    # nobody is flooded: per person at most `burst` single messages, the rest in a digest
    singles = Counter(m["message"].split("For ")[-1].split(",")[0] for m in sink.messages
                      if "alerts for" not in m["title"])
    assert max(singles.values()) <= 2, singles
    assert sum(1 for m in sink.messages if "alerts for" in m["title"]) >= 1


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from odoo_urgency.jobs.notify import ChannelSettings, Notifier, NotifySettings
    from odoo_urgency.policies import Rules

    settings = NotifySettings(channels=[ChannelSettings(name="c0", url=sys.argv[2])])
    notifier = Notifier(settings, Rules(), Path(sys.argv[1]), "http://odoo.example.com")

    def die(ids, now):                      # the message went out; the process dies before settling it
        os.kill(os.getpid(), signal.SIGKILL)

    notifier.outbox.settle = die
    notifier.flush()
""")


def test_sigkill_between_send_and_settle_sends_at_most_one_extra_and_loses_nothing(
        sb: Sandbox, sink: HttpSink, tmp_path: Path) -> None:
    outbox = tmp_path / "o.sqlite3"
    sync = make_sync(sb)
    intender = attach(sync, outbox, Clock(), sink.url)
    sync.run_cycle()                       # the intents are recorded; nothing sent yet
    intender.stop()
    killed = subprocess.run([sys.executable, "-c", KILLER, str(outbox), sink.url], cwd=ROOT, timeout=120,
                            capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    assert len(sink.messages) == 1
    first = set(sink.keys())
    survivor = Notifier(NotifySettings(channels=[ChannelSettings(name="c0", url=sink.url)]), sync.settings.rules,
                        outbox, "http://odoo.example.com")
    assert survivor.drain(10).failed == 0
    survivor.stop()
    received = sink.keys()
    situations = todo_keys(sb)
    assert situations <= set(received)
    assert {key for key, count in received.items() if count == 2} == first   # exactly the one in flight, once more
    assert max(received.values()) <= 2


def test_the_demo_shows_the_pushed_messages(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")}
    result = subprocess.run([sys.executable, "-m", "odoo_urgency.jobs.cli", "demo"], cwd=tmp_path,
                            env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert re.search(r"Pushed messages: \d+ received by the demo's local webhook", result.stdout)
    assert "By when: confirm by" in result.stdout and "Open in Odoo: http://127.0.0.1:" in result.stdout
