"""The push side of the daemon: records the intent of every new alert before its to-do is created, and sends
from the outbox in a thread of its own, so a slow or failing channel never holds up a cycle.

``Notifier.intend`` is the synchronizer's ``before_create`` hook: for each alert about to become an Odoo to-do,
one outbox row per channel that is for that person (``Channel.accepts``). ``start`` runs the sender every
``flush_seconds`` until ``stop``; ``flush`` sends once (``odoo-urgency once`` and the demo call it at the end).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

from odoo_urgency.jobs.notify.channels import Channel, build_channels
from odoo_urgency.jobs.notify.dispatcher import Dispatcher, FlushResult, ResultHook
from odoo_urgency.jobs.notify.message import payload_of
from odoo_urgency.jobs.notify.outbox import Outbox
from odoo_urgency.jobs.notify.settings import NotifySettings
from odoo_urgency.policies import Alert, Rules
from odoo_urgency.policies.routing import Directory

if TYPE_CHECKING:
    from odoo_urgency.jobs.runtime.settings import Settings

log = structlog.get_logger("notify")


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Notifier:
    def __init__(self, settings: NotifySettings, rules: Rules, outbox_path: Path, link_base: str, *,
                 channels: list[Channel] | None = None, directory: Callable[[], Directory | None] = lambda: None,
                 on_result: ResultHook | None = None, clock: Callable[[], datetime] = _utc_now) -> None:
        self.settings = settings
        self.channels = channels if channels is not None else build_channels(settings.channels)
        self.outbox = Outbox(outbox_path)
        self.directory = directory
        self.clock = clock
        self.totals: Counter[str] = Counter()
        hook = on_result

        def counted(channel: str, outcome: str, count: int) -> None:
            self.totals[outcome] += count
            if hook is not None:
                hook(channel, outcome, count)

        self.dispatcher = Dispatcher(self.outbox, self.channels, settings, rules, link_base, on_result=counted)
        recovered = self.outbox.recover()
        if recovered:
            log.warning("push_resend_after_crash", messages=recovered,
                        note="sent when the last process died: sent again (at most one extra each)")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._flush_lock = threading.Lock()

    def intend(self, alerts: Sequence[Alert]) -> None:
        """Record the messages of alerts about to be created (before ``create``: a crash after it loses none)."""
        if not self.channels:
            return
        directory = self.directory()
        rows = []
        for alert in alerts:
            person = directory.people.get(alert.user_id) if directory is not None else None
            who = {"id": alert.user_id, "login": person.login if person else "", "name": person.name if person else "",
                   "lang": person.lang if person else ""}
            for channel in self.channels:
                if channel.accepts(alert, person):
                    rows.append((channel.name, alert.key, alert.user_id, f"{alert.model}:{alert.res_id}",
                                 alert.tier.value if alert.tier else "", payload_of(alert, who)))
        if rows:
            new = self.outbox.intend(rows, self.clock().timestamp())
            log.info("push_intended", messages=new)

    def intend_once(self, channel_names: Sequence[str], key: str, record: str, payload: dict[str, Any]
                    ) -> tuple[list[str], list[str]]:
        """Record one message, not addressed to a person, on each named channel — once per (channel, key) for
        good: (channels recorded now, channels that had it already). The monthly report goes this way."""
        new: list[str] = []
        already: list[str] = []
        for name in channel_names:
            recorded = self.outbox.intend([(name, key, 0, record, "", payload)], self.clock().timestamp())
            (new if recorded else already).append(name)
        return new, already

    def flush(self) -> FlushResult:
        with self._flush_lock:
            return self.dispatcher.flush(self.clock())

    def drain(self, timeout: float) -> FlushResult:
        """Flush until nothing is due now or ``timeout`` seconds passed (``once``, the demo)."""
        total = FlushResult()
        end = time.monotonic() + timeout
        while True:
            result = self.flush()
            total.sent += result.sent
            total.digests += result.digests
            total.failed += result.failed
            total.failures += result.failures
            if result.failed or not self.outbox.due(self.clock().timestamp()) or time.monotonic() >= end:
                return total

    def _loop(self) -> None:
        while not self._stop.wait(self.settings.flush_seconds):
            try:
                self.flush()
            except Exception as exc:  # noqa: BLE001 - the sender must outlive any one bad flush
                log.error("push_flush_failed", error=f"{type(exc).__name__}")

    def start(self) -> Notifier:
        self._thread = threading.Thread(target=self._loop, name="odoo-urgency-notify", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.outbox.close()

    def pending(self) -> int:
        return self.outbox.counts().get("pending", 0)


def secret_parts(url: str) -> list[str]:
    """The URL and the parts of it that can be tokens (path segments, query values, user and password), for the
    log redactor: a service's error that quotes only the token is scrubbed too."""
    from urllib.parse import parse_qsl, urlsplit

    parts = [url, url.split("://", 1)[-1]]
    split = urlsplit(url)
    parts += [segment for segment in split.path.split("/") if len(segment) >= 8]
    parts += [value for _key, value in parse_qsl(split.query) if len(value) >= 8]
    parts += [value for value in (split.username, split.password) if value and len(value) >= 8]
    return parts


def notifier_for(settings: Settings, directory: Callable[[], Directory | None],
                 on_result: ResultHook | None = None) -> Notifier | None:
    """The daemon's notifier from the whole settings (None when no channel is configured); every URL is
    registered with the log redactor first."""
    from odoo_urgency.jobs.daemon.stamps import FingerprintCache
    from odoo_urgency.jobs.runtime import logs

    notify = settings.notify
    if not notify.channels:
        return None
    for channel in notify.channels:
        try:
            for part in secret_parts(channel.secret_url()):
                logs.register_secret(part)
        except ValueError:
            pass  # build_channels below says what is wrong, naming the channel
    channels = build_channels(notify.channels)
    outbox = notify.outbox or FingerprintCache.for_settings(settings).path.with_name(
        FingerprintCache.for_settings(settings).path.stem.replace("fingerprints", "outbox") + ".sqlite3")
    return Notifier(notify, settings.rules, outbox, notify.link_url or settings.odoo.url, channels=channels,
                    directory=directory, on_result=on_result)
