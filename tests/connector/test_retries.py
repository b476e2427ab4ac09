"""Retries happen exactly where they are safe, and nowhere else."""

from __future__ import annotations

import xmlrpc.client

import pytest
import requests
import responses
import structlog

from odoo_urgency.connector import (
    AccessError,
    ConcurrencyError,
    NetworkError,
    OdooClient,
    RequestTimeout,
    ServerUnavailable,
)
from odoo_urgency.connector.settings import ConnectionSettings

URL = "http://odoo.test"
OBJECT = URL + "/xmlrpc/2/object"
CONFLICT = ("Traceback (most recent call last):\n  File \"x.py\", line 1, in f\n"
            "psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update\n")


def _ok(value: object) -> str:
    return xmlrpc.client.dumps((value,), methodresponse=True, allow_none=False)


def _fault(code: int, text: str) -> str:
    return xmlrpc.client.dumps(xmlrpc.client.Fault(code, text), methodresponse=True)


def _client(attempts: int = 4) -> OdooClient:
    settings = ConnectionSettings(url=URL, database="db", login="admin", password="s3cret-pass", protocol="xmlrpc",
                                  retry_attempts=attempts, retry_max_seconds=5)
    client = OdooClient(settings, retry_base_wait=0.001)
    client.uid = 2
    return client


@pytest.mark.parametrize("first", [
    {"status": 503, "body": "busy"},
    {"status": 502, "body": "bad gateway"},
    {"status": 504, "body": "timeout"},
    {"body": requests.exceptions.ConnectionError("Connection refused")},
    {"body": requests.exceptions.ReadTimeout("read timed out")},
    {"body": _fault(1, CONFLICT)},
])
def test_reads_and_writes_are_retried_after_transient_errors(first: dict) -> None:
    client = _client()
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, OBJECT, **first)
        mock.add(responses.POST, OBJECT, body=_ok([{"id": 1}]))
        assert client.search_read("sale.order", [], ["name"]) == [{"id": 1}]
        mock.add(responses.POST, OBJECT, **first)
        mock.add(responses.POST, OBJECT, body=_ok(True))
        assert client.write("sale.order", [1], {"x_urgency": "urgent"}) is True
    assert client.stats.calls == 4
    assert client.stats.by_method["sale.order.search_read"] == 2


@pytest.mark.parametrize("failure, error", [
    ({"status": 503, "body": "busy"}, ServerUnavailable),
    ({"body": requests.exceptions.ConnectionError("Connection reset")}, NetworkError),
    ({"body": requests.exceptions.ReadTimeout("read timed out")}, RequestTimeout),
    ({"body": _fault(1, CONFLICT)}, ConcurrencyError),
])
def test_create_is_never_retried(failure: dict, error: type[Exception]) -> None:
    client = _client()
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, OBJECT, **failure)
        with pytest.raises(error):
            client.create("mail.activity", [{"summary": "x"}])
        assert len(mock.calls) == 1


def test_application_errors_are_not_retried() -> None:
    client = _client()
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, OBJECT, body=_fault(4, "You are not allowed to access 'Sales Order'"))
        with pytest.raises(AccessError):
            client.search_read("sale.order", [], ["name"])
        assert len(mock.calls) == 1


def test_retries_are_bounded_and_logged() -> None:
    client = _client(attempts=3)
    with structlog.testing.capture_logs() as logs, responses.RequestsMock() as mock:
        for _ in range(3):
            mock.add(responses.POST, OBJECT, status=503, body="busy")
        with pytest.raises(ServerUnavailable):
            client.search_count("sale.order", [])
        assert len(mock.calls) == 3
    retries = [entry for entry in logs if entry["event"] == "rpc_retry"]
    assert [entry["attempt"] for entry in retries] == [1, 2]
    assert all(entry["call"] == "sale.order.search_count" for entry in retries)


def test_a_business_method_is_retried_only_when_declared_idempotent() -> None:
    client = _client()
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, OBJECT, status=503, body="busy")
        with pytest.raises(ServerUnavailable):
            client.call("sale.order", "action_confirm", [1])
        mock.add(responses.POST, OBJECT, status=503, body="busy")
        mock.add(responses.POST, OBJECT, body=_ok(True))
        assert client.call("sale.order", "action_confirm", [1], idempotent=True) is True


def test_unreachable_host_is_a_network_error_with_one_clear_line() -> None:
    settings = ConnectionSettings(url="http://127.0.0.1:9", password="pw", retry_attempts=1, connect_timeout=1)
    client = OdooClient(settings)
    with pytest.raises(NetworkError) as caught:
        client.version()
    assert str(caught.value) == "common.version: cannot reach http://127.0.0.1:9: connection refused"


def test_a_non_odoo_answer_is_a_protocol_error() -> None:
    from odoo_urgency.connector import ProtocolError

    client = _client()
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL + "/xmlrpc/2/common", body="<html>hello</html>")
        with pytest.raises(ProtocolError):
            client.version()
        mock.add(responses.POST, URL + "/xmlrpc/2/common", status=404, body="nope")
        with pytest.raises(ProtocolError, match="not an Odoo server"):
            client.version()


def test_a_server_that_is_not_an_odoo_is_said_so_at_once() -> None:
    """Issue #11: a URL that is not an Odoo answered HTTP 501 and ended as "ERP error" (exit 1)."""
    from odoo_urgency.connector import ProtocolError

    client = _client()
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, OBJECT, body="<html>Unsupported method</html>", status=501)
        with pytest.raises(ProtocolError, match="not an Odoo server"):
            client.search("sale.order", [])
        assert len(mock.calls) == 1


def test_a_failed_tls_handshake_is_not_retried() -> None:
    """Issue #11: https:// to a plain-HTTP port was retried four times and ended in a urllib3 message."""
    from odoo_urgency.connector import ProtocolError

    client = _client()
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, OBJECT, body=requests.exceptions.SSLError("[SSL] wrong version number (_ssl.c:1000)"))
        with pytest.raises(ProtocolError, match=r"TLS handshake .* failed \(wrong version number\)"):
            client.search("sale.order", [])
        assert len(mock.calls) == 1
