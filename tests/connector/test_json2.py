"""JSON-2 (Odoo 19): every recorded answer replayed with ``responses``; what we send is what a real client sent;
the faults map to the same typed errors as over XML-RPC; retries, the API key and ``auto`` as documented."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
from pydantic import SecretStr

from odoo_urgency.connector import (
    AccessError,
    AuthenticationError,
    DatabaseNotFound,
    MissingRecordError,
    NetworkError,
    OdooClient,
    OdooError,
    ServerUnavailable,
    UnknownNameError,
    ValidationError,
)
from odoo_urgency.connector.settings import ConnectionSettings

URL = "http://odoo.test"
KEY = "0123456789abcdef-json2-key"


def _client(database: str = "urgency19", **update: Any) -> OdooClient:
    settings = ConnectionSettings(url=URL, database=database, login="admin", api_key=SecretStr(KEY),
                                  protocol="json2", retry_attempts=3, retry_max_seconds=5)
    client = OdooClient(settings.model_copy(update=update), retry_base_wait=0.001)
    client.uid = 2
    return client


#: fixture → (what the plugin calls, the typed error, a phrase of Odoo's message that must survive).
FAULTS: dict[str, tuple[Callable[[OdooClient], Any], type[OdooError], str]] = {
    "fault_bad_key": (lambda c: c.search_count("sale.order", []), AuthenticationError, "Invalid apikey"),
    "fault_bad_database": (lambda c: c.search_count("sale.order", []), DatabaseNotFound, "does not exist"),
    "fault_missing_record": (lambda c: c.write("sale.order", [999999], {"note": "x"}), MissingRecordError,
                             "Record does not exist or has been deleted"),
    "fault_private_method": (lambda c: c.call("sale.order", "_compute_amounts", [1]), AccessError,
                             "Private methods (such as"),
    "fault_unknown_field_in_domain": (lambda c: c.search("sale.order", [["no_such_field", "=", 1]]),
                                      UnknownNameError, "Invalid field sale.order.no_such_field"),
    "fault_unknown_method": (lambda c: c.call("sale.order", "no_such_method", []), UnknownNameError,
                             "no_such_method' does not exist"),
    "fault_unknown_model": (lambda c: c.search("no.such.model", []), UnknownNameError,
                            "the model 'no.such.model' does not exist"),
    "fault_validation_required_field": (lambda c: c.create("mail.activity", [{"res_id": 1, "summary": "no model"}]),
                                        ValidationError, "Activities have to be linked to records"),
    "fault_wrong_selection_value": (lambda c: c.write("mrp.production", [1], {"priority": "7"}), ValidationError,
                                    "Wrong value for mrp.production.priority: '7'"),
}

SUCCESSES: dict[str, tuple[Callable[[OdooClient], Any], Any]] = {
    "search_count_sale_order": (lambda c: c.search_count("sale.order", []), 24),
    "write_mrp_priority_ok": (lambda c: c.write("mrp.production", [1], {"priority": "0"}), True),
    "read_mrp_production": (lambda c: c.read("mrp.production", [1], ["name", "priority"]),
                            [{"id": 1, "name": "WH/MO/00001", "priority": "0"}]),
    "fields_get_sale_order": (lambda c: c.call("sale.order", "fields_get", ["name", "state"],
                                               attributes=["type", "selection"])["state"]["type"], "selection"),
    "search_read_sale_order": (lambda c: [row["name"] for row in c.search_read(
        "sale.order", [["state", "in", ["draft", "sent", "sale"]]],
        ["name", "state", "create_date", "commitment_date", "partner_id", "user_id", "amount_total", "tag_ids"],
        limit=2, order="id")], ["S00001", "S00002"]),
}


def _load(odoo_fixtures: Path, name: str) -> dict[str, Any]:
    return json.loads((odoo_fixtures / "odoo-19" / "json2" / f"{name}.json").read_text())


def _replay(mock: responses.RequestsMock, fixture: dict[str, Any]) -> None:
    body = fixture["response_body"]
    mock.add(responses.POST, URL + fixture["url"], status=fixture["status"],
             body=body if isinstance(body, str) else json.dumps(body),
             content_type=fixture["response_headers"].get("Content-Type", "application/json"))


def _assert_sent_as_recorded(request: Any, fixture: dict[str, Any]) -> None:
    assert json.loads(request.body) == fixture["request_body"]
    for header in ("X-Odoo-Database", "Content-Type"):
        assert request.headers[header] == fixture["request_headers"][header], header
    assert request.headers["Authorization"] == f"bearer {KEY}"


def test_every_recorded_json2_answer_is_replayed(odoo_fixtures: Path) -> None:
    recorded = {path.stem for path in (odoo_fixtures / "odoo-19" / "json2").glob("*.json")}
    assert recorded == set(FAULTS) | set(SUCCESSES), "a recorded JSON-2 case without a test (or the reverse)"


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_recorded_json2_fault_maps_to_its_typed_error(odoo_fixtures: Path, name: str) -> None:
    fixture = _load(odoo_fixtures, name)
    call, expected, phrase = FAULTS[name]
    client = _client(database=fixture["request_headers"]["X-Odoo-Database"])
    with responses.RequestsMock() as mock:
        _replay(mock, fixture)
        with pytest.raises(OdooError) as caught:
            call(client)
        _assert_sent_as_recorded(mock.calls[0].request, fixture)
        assert len(mock.calls) == 1, "an application error is never retried"
    assert type(caught.value) is expected, f"got {type(caught.value).__name__}"
    assert phrase in caught.value.message
    assert "Traceback" not in caught.value.message
    label = fixture["url"].removeprefix("/json/2/").replace("/", ".")
    assert str(caught.value).startswith(f"{label}: ") and "\n" not in str(caught.value)
    assert KEY not in str(caught.value) and KEY not in repr(caught.value)


@pytest.mark.parametrize("name", sorted(SUCCESSES))
def test_recorded_json2_success_decodes(odoo_fixtures: Path, name: str) -> None:
    fixture = _load(odoo_fixtures, name)
    call, expected = SUCCESSES[name]
    client = _client()
    with responses.RequestsMock() as mock:
        _replay(mock, fixture)
        assert call(client) == expected
        _assert_sent_as_recorded(mock.calls[0].request, fixture)


def test_missing_record_ids_over_json2(odoo_fixtures: Path) -> None:
    with responses.RequestsMock() as mock:
        _replay(mock, _load(odoo_fixtures, "fault_missing_record"))
        with pytest.raises(MissingRecordError) as caught:
            _client().write("sale.order", [999999], {"note": "x"})
    assert caught.value.ids == [999999]


def test_create_of_one_dict_sends_a_list_and_returns_the_id() -> None:
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL + "/json/2/crm.tag/create", json=[41])
        assert _client().create("crm.tag", {"name": "urgent"}) == 41
        assert json.loads(mock.calls[0].request.body) == {"vals_list": [{"name": "urgent"}]}


def test_login_is_the_keys_user_and_a_bad_key_one_line(odoo_fixtures: Path) -> None:
    client = _client()
    client.uid = None
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL + "/json/2/res.users/context_get", json={"lang": "en_US", "tz": False, "uid": 7})
        assert client.authenticate() == 7
    bad = _load(odoo_fixtures, "fault_bad_key")
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL + "/json/2/res.users/context_get", status=401, json=bad["response_body"])
        with pytest.raises(AuthenticationError, match="Invalid apikey"):
            _client().authenticate()


@pytest.mark.parametrize("settings", [{"api_key": None}, {"api_key": None, "password": SecretStr("pw")}])
def test_json2_without_an_api_key_says_so_in_one_line(settings: dict[str, Any]) -> None:
    client = _client(**settings)
    client.uid = None
    with responses.RequestsMock(), pytest.raises(AuthenticationError) as caught:
        client.search_count("sale.order", [])
    assert str(caught.value) == ("common.authenticate: protocol json2 needs an API key (a password is not accepted): "
                                 "set ODOO_URGENCY_API_KEY or api_key_file in [odoo]")


@pytest.mark.parametrize("first", [
    {"status": 503, "body": "busy"},
    {"body": requests.exceptions.ConnectionError("Connection refused")},
    {"status": 500, "json": {"name": "psycopg2.errors.SerializationFailure",
                             "message": "could not serialize access due to concurrent update"}},
])
def test_reads_and_absolute_writes_are_retried_creates_are_not(first: dict[str, Any]) -> None:
    client = _client()
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL + "/json/2/sale.order/search_read", **first)
        mock.add(responses.POST, URL + "/json/2/sale.order/search_read", json=[{"id": 1}])
        assert client.search_read("sale.order", [], ["name"]) == [{"id": 1}]
        mock.add(responses.POST, URL + "/json/2/sale.order/write", **first)
        mock.add(responses.POST, URL + "/json/2/sale.order/write", json=True)
        assert client.write("sale.order", [1], {"note": "x"}) is True
        mock.add(responses.POST, URL + "/json/2/mail.activity/create", **first)
        with pytest.raises(OdooError) as caught:
            client.create("mail.activity", [{"summary": "x"}])
        assert caught.value.transient
        assert len(mock.calls) == 5


def test_errors_keep_their_cause() -> None:
    client = _client(retry_attempts=1)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL + "/json/2/sale.order/search", body=requests.exceptions.ConnectionError("refused"))
        with pytest.raises(NetworkError) as caught:
            client.search("sale.order", [])
        mock.add(responses.POST, URL + "/json/2/sale.order/search", status=502, body="bad gateway")
        with pytest.raises(ServerUnavailable):
            client.search("sale.order", [])
    assert isinstance(caught.value.__cause__, requests.exceptions.ConnectionError)
    assert not caught.value.__suppress_context__ or caught.value.__cause__ is not None


def test_a_positional_argument_json2_cannot_name_is_refused_before_sending() -> None:
    with responses.RequestsMock(), pytest.raises(OdooError, match="JSON-2 needs named arguments"):
        _client().call("sale.order", "action_confirm", [1], "surprise")


# -- auto --------------------------------------------------------------------------------------------------

VERSION_19 = {"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}


@pytest.mark.parametrize("answer, key, protocol, because", [
    ({"json": VERSION_19}, True, "json2", "Odoo 19.0 and an API key"),
    ({"json": VERSION_19}, False, "xmlrpc", "no API key is set"),
    ({"json": {"version_info": [18, 0, 0, "final", 0, ""], "version": "18.0"}}, True, "xmlrpc", "Odoo 18.0 has no JSON-2"),
    ({"status": 404, "body": "<html>not found</html>"}, True, "xmlrpc", "does not answer /web/version"),
])
def test_auto_chooses_json2_only_on_19_with_a_key(answer: dict[str, Any], key: bool, protocol: str,
                                                  because: str) -> None:
    settings = ConnectionSettings(url=URL, database="db", login="admin", password=SecretStr("pw"),
                                  api_key=SecretStr(KEY) if key else None, retry_attempts=1)
    assert settings.protocol == "auto"
    client = OdooClient(settings)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, URL + "/web/version", **answer)
        mock.add(responses.POST, URL + "/json/2/res.users/context_get", json={"uid": 2})
        mock.add(responses.POST, URL + "/xmlrpc/2/common", body=(
            "<?xml version='1.0'?><methodResponse><params><param><value><int>2</int></value></param></params>"
            "</methodResponse>"))
        assert client.authenticate() == 2
        sent = [call.request.url.removeprefix(URL) for call in mock.calls]
    assert client.protocol == protocol and because in client.protocol_reason
    assert sent[0] == "/web/version"
    assert sent[1] == ("/json/2/res.users/context_get" if protocol == "json2" else "/xmlrpc/2/common")
