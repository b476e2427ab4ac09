"""Health and metrics over HTTP on loopback: ``/healthz`` and ``/metrics`` (Prometheus text format).

``/healthz`` answers 200 while the last successful cycle is younger than three poll intervals, 503 otherwise,
with the age in the body — what a load balancer or systemd watchdog script needs. ``/metrics`` exposes the
counters of every cycle since the start.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jobs.daemon.summary import CycleSummary


class Metrics:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.cycles = 0
        self.last_success: float | None = None
        self.last_duration = 0.0
        self.duration_total = 0.0
        self.orders_by_tier: dict[str, int] = {}
        self.writes = 0
        self.alerts = 0
        self.escalations = 0
        self.rpc_calls = 0
        self.errors: Counter[str] = Counter()
        self.lease_waits = 0

    def record_cycle(self, summary: CycleSummary) -> None:
        with self.lock:
            self.cycles += 1
            self.last_success = time.time()
            self.last_duration = summary.duration_s
            self.duration_total += summary.duration_s
            self.orders_by_tier = dict(summary.orders_by_tier)
            self.writes += summary.writes
            self.alerts += summary.alerts
            self.escalations += summary.escalations
            self.rpc_calls += summary.rpc_calls
            if summary.errors:
                self.errors["record"] += summary.errors

    def record_error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] += 1

    def age(self) -> float | None:
        return None if self.last_success is None else time.time() - self.last_success

    def render(self) -> str:
        with self.lock:
            lines = [
                "# HELP odoo_urgency_cycles_total Successful sync cycles.",
                "# TYPE odoo_urgency_cycles_total counter",
                f"odoo_urgency_cycles_total {self.cycles}",
                "# HELP odoo_urgency_cycle_duration_seconds Duration of the last cycle.",
                "# TYPE odoo_urgency_cycle_duration_seconds gauge",
                f"odoo_urgency_cycle_duration_seconds {self.last_duration:.3f}",
                "# HELP odoo_urgency_cycle_duration_seconds_total Time spent in cycles.",
                "# TYPE odoo_urgency_cycle_duration_seconds_total counter",
                f"odoo_urgency_cycle_duration_seconds_total {self.duration_total:.3f}",
                "# HELP odoo_urgency_orders Orders seen in the last cycle, per tier.",
                "# TYPE odoo_urgency_orders gauge",
                *(f'odoo_urgency_orders{{tier="{tier}"}} {count}' for tier, count in sorted(self.orders_by_tier.items())),
                "# HELP odoo_urgency_writes_total Records written.",
                "# TYPE odoo_urgency_writes_total counter",
                f"odoo_urgency_writes_total {self.writes}",
                "# HELP odoo_urgency_alerts_total Alert activities created.",
                "# TYPE odoo_urgency_alerts_total counter",
                f"odoo_urgency_alerts_total {self.alerts}",
                "# HELP odoo_urgency_escalations_total Escalation activities created.",
                "# TYPE odoo_urgency_escalations_total counter",
                f"odoo_urgency_escalations_total {self.escalations}",
                "# HELP odoo_urgency_rpc_calls_total Round trips to the ERP.",
                "# TYPE odoo_urgency_rpc_calls_total counter",
                f"odoo_urgency_rpc_calls_total {self.rpc_calls}",
                "# HELP odoo_urgency_errors_total Errors by kind.",
                "# TYPE odoo_urgency_errors_total counter",
                *(f'odoo_urgency_errors_total{{kind="{kind}"}} {count}' for kind, count in sorted(self.errors.items())),
                "# HELP odoo_urgency_last_success_age_seconds Seconds since the last successful cycle.",
                "# TYPE odoo_urgency_last_success_age_seconds gauge",
                f"odoo_urgency_last_success_age_seconds {self.age() if self.age() is not None else -1:.1f}",
            ]
        return "\n".join(lines) + "\n"


class MetricsServer:
    """Serves ``/healthz`` and ``/metrics`` from a background thread."""

    def __init__(self, metrics: Metrics, host: str, port: int, poll_interval: float) -> None:
        self.metrics = metrics
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if self.path == "/metrics":
                    self._answer(200, owner.metrics.render(), "text/plain; version=0.0.4")
                elif self.path == "/healthz":
                    age = owner.metrics.age()
                    healthy = age is not None and age < 3 * poll_interval
                    text = "no successful cycle yet" if age is None else f"last successful cycle {age:.0f} s ago"
                    self._answer(200 if healthy else 503, text + "\n", "text/plain")
                else:
                    self._answer(404, "not found\n", "text/plain")

            def _answer(self, status: int, body: str, content_type: str) -> None:
                data = body.encode()
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
