"""Health and metrics over HTTP on loopback: ``/healthz`` and ``/metrics`` (Prometheus text format).

``/healthz`` answers 200 while the last successful cycle is younger than three poll intervals, 503 otherwise,
with the age in the body — what a load balancer or systemd watchdog script needs. ``/metrics`` is rendered by the
official Prometheus client library: process and Python metrics, a histogram of cycle durations, counters of what
the cycles did, and push messages per channel and outcome.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

if TYPE_CHECKING:
    from odoo_urgency.jobs.daemon.summary import CycleSummary


class Metrics:
    """The daemon's metrics in a registry of their own (so tests and several daemons in one process never share
    counters), with the client library's process and Python collectors."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self.last_success: float | None = None
        self.lease_waits = 0
        #: Messages waiting in the push outbox (set by the notifier).
        self.push_waiting: Callable[[], int] = lambda: 0
        r = self.registry
        self.cycles = Counter("odoo_urgency_cycles", "Successful sync cycles.", registry=r)
        self.duration = Histogram("odoo_urgency_cycle_duration_seconds", "Duration of sync cycles.", registry=r,
                                  buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300))
        self.orders = Gauge("odoo_urgency_orders", "Orders decided in the last cycle, per tier.", ["tier"], registry=r)
        self.writes = Counter("odoo_urgency_writes", "Records written.", registry=r)
        self.alerts = Counter("odoo_urgency_alerts", "Alert activities created.", registry=r)
        self.escalations = Counter("odoo_urgency_escalations", "Escalation activities created.", registry=r)
        self.rpc_calls = Counter("odoo_urgency_rpc_calls", "Round trips to the ERP.", registry=r)
        self.errors = Counter("odoo_urgency_errors", "Errors by kind.", ["kind"], registry=r)
        self.push = Counter("odoo_urgency_push_messages", "Push messages per channel and outcome (sent one by one, "
                            "sent in a digest, failed and to be retried).", ["channel", "outcome"], registry=r)
        age = Gauge("odoo_urgency_last_success_age_seconds", "Seconds since the last successful cycle (-1: none yet).",
                    registry=r)
        age.set_function(self._age_or_none_yet)
        waiting = Gauge("odoo_urgency_push_waiting", "Push messages waiting for a retry or a digest.", registry=r)
        waiting.set_function(lambda: float(self.push_waiting()))

    def record_cycle(self, summary: CycleSummary) -> None:
        with self.lock:
            self.last_success = time.time()
        self.cycles.inc()
        self.duration.observe(summary.duration_s)
        for tier, count in summary.orders_by_tier.items():
            self.orders.labels(tier=tier).set(count)
        self.writes.inc(summary.writes)
        self.alerts.inc(summary.alerts)
        self.escalations.inc(summary.escalations)
        self.rpc_calls.inc(summary.rpc_calls)
        if summary.errors:
            self.errors.labels(kind="record").inc(summary.errors)

    def record_error(self, kind: str) -> None:
        self.errors.labels(kind=kind).inc()

    def record_push(self, channel: str, outcome: str, count: int) -> None:
        self.push.labels(channel=channel, outcome=outcome).inc(count)

    def _age_or_none_yet(self) -> float:
        age = self.age()
        return -1.0 if age is None else age

    def age(self) -> float | None:
        with self.lock:
            return None if self.last_success is None else time.time() - self.last_success

    def render(self) -> bytes:
        return generate_latest(self.registry)


class MetricsServer:
    """Serves ``/healthz`` and ``/metrics`` from a background thread."""

    def __init__(self, metrics: Metrics, host: str, port: int, poll_interval: float) -> None:
        self.metrics = metrics
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if self.path == "/metrics":
                    self._answer(200, owner.metrics.render(), CONTENT_TYPE_LATEST)
                elif self.path == "/healthz":
                    age = owner.metrics.age()
                    healthy = age is not None and age < 3 * poll_interval
                    text = "no successful cycle yet" if age is None else f"last successful cycle {age:.0f} s ago"
                    self._answer(200 if healthy else 503, text + "\n", "text/plain")
                else:
                    self._answer(404, "not found\n", "text/plain")

            def _answer(self, status: int, body: str | bytes, content_type: str) -> None:
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: object) -> None:
                return

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="metrics", daemon=True)

    def start(self) -> MetricsServer:
        self.thread.start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
