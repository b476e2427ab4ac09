"""/healthz and /metrics over loopback HTTP."""

from __future__ import annotations

import urllib.error
import urllib.request

from odoo_urgency.jobs.daemon.metrics import Metrics, MetricsServer
from odoo_urgency.jobs.daemon.service import Daemon
from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import make_sync


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_health_and_metrics_follow_the_cycles(sb: Sandbox) -> None:
    metrics = Metrics()
    server = MetricsServer(metrics, "127.0.0.1", 0, poll_interval=60).start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        status, body = get(base + "/healthz")
        assert status == 503 and "no successful cycle yet" in body
        daemon = Daemon(make_sync(sb), poll_interval=0.01, max_backoff=0.1, metrics=metrics)
        daemon.run(max_cycles=2)
        status, body = get(base + "/healthz")
        assert status == 200 and "last successful cycle" in body
        status, text = get(base + "/metrics")
        assert status == 200
        values = {line.split(" ")[0]: float(line.split(" ")[1]) for line in text.splitlines()
                  if line and not line.startswith("#")}
        assert values["odoo_urgency_cycles_total"] == 2
        assert values["odoo_urgency_alerts_total"] == 20  # 17 + the materials story
        assert values["odoo_urgency_escalations_total"] == 1
        assert values['odoo_urgency_orders{tier="urgent"}'] == 0      # the second cycle saw no news
        assert values["odoo_urgency_rpc_calls_total"] > 0
        # the official client library: a histogram of cycle durations, process and Python metrics
        assert values["odoo_urgency_cycle_duration_seconds_count"] == 2
        assert values['odoo_urgency_cycle_duration_seconds_bucket{le="+Inf"}'] == 2
        assert "process_resident_memory_bytes" in values and "python_info" in text
        metrics.record_push("team-chat", "failed", 2)
        again = get(base + "/metrics")[1]
        assert 'odoo_urgency_push_messages_total{channel="team-chat",outcome="failed"} 2.0' in again
        assert get(base + "/nope")[0] == 404
    finally:
        server.close()
