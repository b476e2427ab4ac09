"""Injected faults: 503, dropped connections, lost answers, conflicts, latency, outages."""

from __future__ import annotations

import http.client
import socket
import time
import xmlrpc.client

import pytest

from odoo_urgency.sandbox import Sandbox

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


def _creates_tags(service: str, model: str, method: str) -> bool:
    return model == "crm.tag" and method == "create"


def _timed_out_create(sb: Sandbox, name: str, timeout: float) -> None:
    body = xmlrpc.client.dumps(("urgency", 2, "admin", "crm.tag", "create", [{"name": name}]), "execute_kw")
    with pytest.raises(OSError):  # socket.timeout is an OSError
        post(f"{sb.url}/xmlrpc/2/object", body.encode(), timeout=timeout)


def _tags(sb: Sandbox, name: str) -> int:
    return sb.env.search_count("crm.tag", [("name", "=", name)])


def test_answer_late_runs_and_commits_at_once_and_answers_later(sb: Sandbox) -> None:
    sb.faults.answer_late(_creates_tags, 1.0)
    started = time.monotonic()
    _timed_out_create(sb, "late answer", timeout=0.3)
    assert time.monotonic() - started < 0.9
    assert _tags(sb, "late answer") == 1                  # done, though the client never heard of it
    assert execute(sb, "crm.tag", "search_count", [("name", "=", "late answer")]) == 1


def test_commit_late_hides_the_changes_from_other_calls_until_later(sb: Sandbox) -> None:
    sb.faults.commit_late(_creates_tags, 1.0, answer_after=0.5)
    _timed_out_create(sb, "late commit", timeout=0.2)
    assert _tags(sb, "late commit") == 0                  # another call does not see the open transaction
    time.sleep(1.1)
    assert _tags(sb, "late commit") == 1                  # ... until it commits
    assert execute(sb, "crm.tag", "create", {"name": "after"}) > 0   # ids stay unique: the sequence moved on


def test_commit_late_with_a_prompt_answer_answers_ids_nobody_else_sees_yet(sb: Sandbox) -> None:
    sb.faults.commit_late(_creates_tags, 0.6)
    tag_id = execute(sb, "crm.tag", "create", {"name": "seen later"})
    assert execute(sb, "crm.tag", "search", [("id", "=", tag_id)]) == []
    time.sleep(0.7)
    assert execute(sb, "crm.tag", "search", [("id", "=", tag_id)]) == [tag_id]


def test_before_runs_a_person_s_edit_just_before_the_call_executes(sb: Sandbox) -> None:
    sb.faults.before(lambda service, model, method: method == "write",
                     lambda: sb.env.write("sale.order", [1], {"client_order_ref": "the person's"}, uid=6))
    execute(sb, "sale.order", "write", [1], {"note": "the daemon's"})
    row = sb.env.read("sale.order", [1], ["note", "client_order_ref", "write_uid"])[0]
    assert row["client_order_ref"] == "the person's" and row["note"] == "the daemon's"
    assert row["write_uid"][0] == 2                        # the daemon wrote last
    execute(sb, "sale.order", "write", [1], {"note": "again"})  # the action ran once
    assert sb.env.read("sale.order", [1], ["client_order_ref"])[0]["client_order_ref"] == "the person's"
