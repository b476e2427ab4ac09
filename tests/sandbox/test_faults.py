"""Injected faults: 503, dropped connections, lost answers, conflicts, latency, outages."""

from __future__ import annotations

import http.client
import socket
import time
import xmlrpc.client

import pytest

from sandbox import Sandbox

from .helpers import execute, jsonrpc, post


def _note(sb: Sandbox) -> str:
    return str(sb.env.model("sale.order").read([1], ["note"])[0]["note"])


def test_http503(sb: Sandbox) -> None:
    sb.faults.fail_call(1, "http503")
    with pytest.raises(xmlrpc.client.ProtocolError) as err:
        execute(sb, "sale.order", "write", [1], {"note": "lost"})
    assert err.value.errcode == 503
    assert _note(sb) != "lost"
    assert execute(sb, "sale.order", "write", [1], {"note": "ok"}) is True


def _raw_write(sb: Sandbox, note: str) -> None:
    """One POST, no client-side retry (xmlrpc.client silently retries a dropped request once)."""
    body = xmlrpc.client.dumps(("urgency", 2, "admin", "sale.order", "write", [[1], {"note": note}]), "execute_kw")
    post(f"{sb.url}/xmlrpc/2/object", body.encode())


def test_drop_before_and_after(sb: Sandbox) -> None:
    sb.faults.fail_call(2, "drop")
    assert execute(sb, "sale.order", "search_count", []) == 9
    with pytest.raises(OSError):
        _raw_write(sb, "never")
    assert _note(sb) != "never"
    sb.faults.fail_call(1, "drop_after")
    with pytest.raises(OSError):
        _raw_write(sb, "applied")
    assert _note(sb) == "applied"  # executed and committed, only the answer was lost


def test_stdlib_xmlrpc_retries_a_dropped_call(sb: Sandbox) -> None:
    """Worth knowing: xmlrpc.client re-sends once after RemoteDisconnected — a write may run twice."""
    sb.faults.fail_call(1, "drop_after")
    assert execute(sb, "sale.order", "write", [1], {"note": "twice"}) is True
    assert sb.faults.calls == 2


def test_conflict(sb: Sandbox) -> None:
    sb.faults.fail_call(1, "conflict")
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "sale.order", "write", [1], {"note": "conflict"})
    assert err.value.faultCode == 1
    assert err.value.faultString.rstrip().endswith(
        "psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update"
    )
    assert _note(sb) != "conflict"
    sb.faults.fail_calls(lambda service, model, method: method == "search_count", "conflict", times=2)
    answer = jsonrpc(sb, "object", "execute_kw", "urgency", 2, "admin", "sale.order", "search_count", [[]])
    assert answer["error"]["data"]["name"] == "psycopg2.errors.SerializationFailure"
    assert "error" in jsonrpc(sb, "object", "execute_kw", "urgency", 2, "admin", "sale.order", "search_count", [[]])
    assert jsonrpc(sb, "object", "execute_kw", "urgency", 2, "admin", "sale.order", "search_count", [[]])["result"] == 9


def test_latency_and_call_log(sb: Sandbox) -> None:
    sb.faults.reset()
    sb.faults.latency = 0.2
    started = time.monotonic()
    execute(sb, "sale.order", "search", [])
    assert time.monotonic() - started >= 0.2
    assert sb.faults.calls == 1 and sb.faults.log == [("object", "sale.order", "search")]
    sb.faults.reset()
    assert sb.faults.calls == 0 and sb.faults.latency == 0


def test_stop_start_keeps_port_and_state(sb: Sandbox) -> None:
    port = sb.port
    execute(sb, "sale.order", "write", [1], {"note": "before outage"})
    proxy = xmlrpc.client.ServerProxy(f"{sb.url}/xmlrpc/2/object")
    assert proxy.execute_kw("urgency", 2, "admin", "sale.order", "search_count", [[]]) == 9  # keep-alive
    sb.stop()
    with pytest.raises((ConnectionError, http.client.HTTPException, socket.error)):
        execute(sb, "sale.order", "search_count", [])
    sb.start()
    assert sb.port == port
    assert _note(sb) == "before outage"
    assert execute(sb, "sale.order", "read", [1], ["note"])[0]["note"] == "before outage"
