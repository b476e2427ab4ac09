"""Sending what the outbox holds: one message per situation and person, digests instead of floods, retries with
backoff, and a down channel never holding anything else up.

Per channel and person, on each flush:

* an urgent or special alert about a record this person was not messaged about in the last digest interval goes
  out on its own, up to ``burst`` such messages per interval;
* everything else — normal-tier alerts, repeated situations of one record, what exceeds the burst (a channel back
  after hours of outage) — is folded into one digest, sent at most once per ``digest_minutes``.

A monthly report (payload kind ``report``) is sent on its own, as rendered when it was recorded, with its page
attached where the service takes files; it counts towards no burst.

Each send is marked ``sending`` in the outbox before and settled after (``jobs.notify.outbox``). A failed send is
retried after ``retry_base_seconds × 2^attempts`` (at most ``retry_max_seconds``), and the channel is left alone
for the rest of that flush: its other messages wait, the other channels go on.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import structlog

from odoo_urgency.jobs.notify.channels import Channel
from odoo_urgency.jobs.notify.message import render, render_digest
from odoo_urgency.jobs.notify.outbox import Message, Outbox
from odoo_urgency.jobs.notify.settings import NotifySettings
from odoo_urgency.policies import Rules

log = structlog.get_logger("notify")

#: (channel, outcome, messages): outcome is "sent", "digest" or "failed".
ResultHook = Callable[[str, str, int], None]
IMMEDIATE_TIERS = ("urgent", "special")
#: The payload kind of a monthly report (``jobs.report.push``): sent as it is, on its own.
REPORT = "report"


@dataclass
class FlushResult:
    sent: int = 0
    digests: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)


class Dispatcher:
    def __init__(self, outbox: Outbox, channels: list[Channel], settings: NotifySettings, rules: Rules,
                 link_base: str, *, on_result: ResultHook | None = None) -> None:
        self.outbox = outbox
        self.channels = {channel.name: channel for channel in channels}
        self.settings = settings
        self.rules = rules
        self.link_base = link_base
        self.on_result = on_result or (lambda _channel, _outcome, _count: None)

    def backoff(self, attempts: int) -> float:
        return float(min(self.settings.retry_max_seconds, self.settings.retry_base_seconds * 2 ** min(attempts, 20)))

    def flush(self, now: datetime) -> FlushResult:
        result = FlushResult()
        ts = now.timestamp()
        groups: defaultdict[tuple[str, int], list[Message]] = defaultdict(list)
        reports: list[Message] = []
        for message in self.outbox.due(ts):
            if message.payload.get("kind") == REPORT:
                reports.append(message)
            else:
                groups[(message.channel, message.user_id)].append(message)
        down: set[str] = set()
        for message in reports:
            channel = self.channels.get(message.channel)
            if channel is not None and message.channel not in down and not self._report(channel, message, now,
                                                                                         result):
                down.add(message.channel)
        for (name, user_id), messages in groups.items():
            channel = self.channels.get(name)
            if channel is None or name in down:
                continue  # a channel no longer configured keeps its messages; a down one waits for its retry
            if not self._person(channel, user_id, messages, now, result):
                down.add(name)
        return result

    def _person(self, channel: Channel, user_id: int, messages: list[Message], now: datetime,
                result: FlushResult) -> bool:
        """Send one person's due messages on one channel; False when the channel failed."""
        ts = now.timestamp()
        interval = self.settings.digest_minutes * 60
        count, records = self.outbox.singles_since(channel.name, user_id, ts - interval)
        singles: list[Message] = []
        folded: list[Message] = []
        for message in messages:
            if message.tier in IMMEDIATE_TIERS and message.record not in records and count < self.settings.burst:
                singles.append(message)
                records.add(message.record)
                count += 1
            else:
                folded.append(message)
        for message in singles:
            title, body = render(message.payload, self.rules, now, self.link_base)
            if not self._send(channel, [message], title, body, now, digest=False, result=result):
                return False
        if folded:
            last = self.outbox.last_sent(channel.name, user_id, digest=True)
            if last is not None and ts - last < interval:
                self.outbox.postpone([m.id for m in folded], last + interval)
                return True
            title, body = render_digest([m.payload for m in folded], self.rules, now, self.link_base)
            return self._send(channel, folded, title, body, now, digest=True, result=result)
        return True

    def _report(self, channel: Channel, message: Message, now: datetime, result: FlushResult) -> bool:
        """A monthly report (``jobs.report.push``): on its own, never folded or held back by the burst, with its
        page as a file where the service takes files."""
        payload = message.payload
        with tempfile.TemporaryDirectory(prefix="odoo-urgency-report-") as folder:
            attach = None
            if payload.get("html"):
                path = Path(folder) / str(payload.get("file") or "assessment.html")
                path.write_text(str(payload["html"]), encoding="utf-8")
                attach = str(path)
            return self._send(channel, [message], str(payload.get("title", "")), str(payload.get("body", "")), now,
                              digest=False, result=result, attach=attach)

    def _send(self, channel: Channel, messages: list[Message], title: str, body: str, now: datetime, *,
              digest: bool, result: FlushResult, attach: str | None = None) -> bool:
        ids = [m.id for m in messages]
        self.outbox.mark_sending(ids, digest)          # the intent to send, committed before the send
        delivered, why = channel.send(title, body, attach) if attach else channel.send(title, body)
        if delivered:
            self.outbox.settle(ids, now.timestamp())   # settled after: a crash in between resends once
            if digest:
                result.digests += 1
            result.sent += len(ids)
            self.on_result(channel.name, "digest" if digest else "sent", len(ids))
            log.info("push_sent", channel=channel.name, keys=[m.key for m in messages], user_id=messages[0].user_id,
                     digest=digest)
            return True
        attempts = max(m.attempts for m in messages)
        wait = self.backoff(attempts)
        self.outbox.retry_later(ids, now.timestamp() + wait)
        result.failed += len(ids)
        result.failures.append(f"{channel.name}: {why}")
        self.on_result(channel.name, "failed", len(ids))
        log.warning("push_failed", channel=channel.name, error=why, messages=len(ids), attempts=attempts + 1,
                    retry_in_s=round(wait, 1))
        return False
