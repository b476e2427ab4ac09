"""No password or API key appears in a repr, an exception message or a log line."""

from __future__ import annotations

import io
import json
import xmlrpc.client

import pytest
import responses
import structlog

from odoo_urgency.connector import OdooClient, OdooError
from odoo_urgency.connector.settings import ConnectionSettings
from odoo_urgency.jobs.runtime import logs

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


URL_SECRET = "pw-in-the-url-4711"


def test_a_password_inside_the_url_never_appears_in_messages() -> None:
    settings = ConnectionSettings(url=f"http://bot:{URL_SECRET}@127.0.0.1:9", retry_attempts=1, connect_timeout=1)
    client = OdooClient(settings)
    assert URL_SECRET not in repr(client)
    with pytest.raises(OdooError) as caught:
        client.version()
    assert URL_SECRET not in str(caught.value) and "127.0.0.1:9" in str(caught.value)
    assert URL_SECRET not in logs.scrub(f"see http://bot:{URL_SECRET}@erp.example.com/web")


@pytest.mark.parametrize("debug", ["", "1"])
def test_the_debug_traceback_is_scrubbed_too(tmp_path, debug: str) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")}
    env.update({"ODOO_URGENCY_URL": f"http://bot:{URL_SECRET}@127.0.0.1:9", "ODOO_URGENCY_PASSWORD": "x" * 8,
                "ODOO_URGENCY_LOGIN": "bot", "ODOO_URGENCY_DATABASE": "odoo",
                "ODOO_URGENCY_RETRY_ATTEMPTS": "1", "ODOO_URGENCY_DEBUG": debug,
                "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    result = subprocess.run([sys.executable, "-m", "odoo_urgency.jobs.cli", "once"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 4
    assert URL_SECRET not in result.stderr + result.stdout
    assert ("Traceback" in result.stderr) == bool(debug), result.stderr
