"""No password or API key appears in a repr, an exception message or a log line."""

from __future__ import annotations

import io
import json
import xmlrpc.client

import pytest
import responses
import structlog

from connector import OdooClient, OdooError
from connector.settings import ConnectionSettings
from jobs.runtime import logs

SECRET = "hunter2-very-secret"
URL = "http://odoo.test"


def test_settings_and_client_reprs_hide_the_secret() -> None:
    settings = ConnectionSettings(url=URL, password=SECRET, api_key=SECRET + "-key")
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings)
    assert SECRET not in settings.model_dump_json()
    assert SECRET not in repr(OdooClient(settings))


def test_errors_do_not_quote_the_secret() -> None:
    client = OdooClient(ConnectionSettings(url=URL, password=SECRET, retry_attempts=1, protocol="xmlrpc"))
    client.uid = 2
    fault = xmlrpc.client.dumps(xmlrpc.client.Fault(3, "Access Denied"), methodresponse=True)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL + "/xmlrpc/2/object", body=fault)
        with pytest.raises(OdooError) as caught:
            client.search("sale.order", [])
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)


def test_log_lines_scrub_registered_secrets() -> None:
    stream = io.StringIO()
    logs.configure("info", json_lines=True, stream=stream)
    logs.register_secret(SECRET)
    log = structlog.get_logger("t")
    log.info("connecting", password=SECRET, detail=f"sent {SECRET} to server", api_key="abc")
    line = json.loads(stream.getvalue().strip())
    assert SECRET not in stream.getvalue()
    assert line["password"] == "***" and line["api_key"] == "***"
    assert line["detail"] == "sent *** to server"
