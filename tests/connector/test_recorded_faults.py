"""Replay what real Odoo 16/17/18/19 servers answered over XML-RPC and JSON-RPC (``responses``) and check the typed
errors (JSON-2's recorded answers: ``test_json2``)."""

from __future__ import annotations

import json
import xmlrpc.client
from pathlib import Path
from typing import Any

import pytest
import responses
from pydantic import SecretStr

from odoo_urgency.connector import (
    AccessError,
    AuthenticationError,
    DatabaseNotFound,
    MissingRecordError,
    OdooClient,
    OdooError,
    UnknownNameError,
    ValidationError,
)
from odoo_urgency.connector._transport import JsonRpcTransport, XmlRpcTransport
from odoo_urgency.connector.settings import ConnectionSettings

URL = "http://odoo.test"

EXPECTED: dict[str, type[OdooError]] = {
    "fault_access_denied_bad_password": AuthenticationError,
    "fault_access_error_demo_user": AccessError,
    "fault_bad_database": DatabaseNotFound,
    "fault_missing_record": MissingRecordError,
    "fault_private_method": AccessError,
    "fault_unknown_field_in_domain": UnknownNameError,
    "fault_unknown_method": UnknownNameError,
    "fault_unknown_model": UnknownNameError,
    "fault_validation_required_field": ValidationError,
    "fault_wrong_selection_value": ValidationError,
}

#: A phrase of Odoo's own message that must survive the mapping (Odoo 19 words some differently: either counts).
KEY_PHRASE: dict[str, str | tuple[str, ...]] = {
    "fault_access_denied_bad_password": "Access Denied",
    "fault_access_error_demo_user": "You are not allowed to access 'System Parameter'",
    "fault_bad_database": 'database "no_such_db" does not exist',
    "fault_missing_record": "Record does not exist or has been deleted",
    "fault_private_method": "Private methods (such as",
    "fault_unknown_field_in_domain": "Invalid field sale.order.no_such_field",
    "fault_unknown_method": "no_such_method' does not exist",
    "fault_unknown_model": "Object no.such.model doesn't exist",
    "fault_validation_required_field": ("a mandatory field is not set", "Activities have to be linked to records"),
    "fault_wrong_selection_value": "Wrong value for mrp.production.priority: '7'",
}


def _cases(root: Path, protocol: str) -> list[tuple[str, Path]]:
    return [(f"odoo-{v}/{p.stem}", p) for v in (16, 17, 18, 19)
            for p in sorted((root / f"odoo-{v}" / protocol).glob("fault_*.json"))]


def _settings(protocol: str) -> ConnectionSettings:
    return ConnectionSettings(url=URL, database="urgency", login="admin", password="admin", protocol=protocol)


def _xml_request(fixture: dict[str, Any]) -> tuple[str, str, list[Any]]:
    params, method = xmlrpc.client.loads(fixture["request_body"], use_builtin_types=True)
    return fixture["url"].rsplit("/", 1)[-1], method, list(params)


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_every_recorded_fault_maps_to_its_typed_error(odoo_fixtures: Path, protocol: str) -> None:
    cases = _cases(odoo_fixtures, protocol)
    assert len(cases) >= 40, "expected the recorded faults of Odoo 16, 17, 18 and 19"
    for case_id, path in cases:
        fixture = json.loads(path.read_text())
        transport = (XmlRpcTransport if protocol == "xmlrpc" else JsonRpcTransport)(_settings(protocol))
        if protocol == "xmlrpc":
            service, method, args = _xml_request(fixture)
            body = fixture["response_body"]
        else:
            params = fixture["request_body"]["params"]
            service, method, args = params["service"], params["method"], params["args"]
            body = json.dumps(fixture["response_body"])
        with responses.RequestsMock() as mock:
            mock.add(responses.POST, URL + fixture["url"], body=body, status=fixture["status"])
            with pytest.raises(OdooError) as caught:
                transport.call(service, method, args, label=f"{args[3]}.{args[4]}")
        expected = EXPECTED[path.stem]
        assert type(caught.value) is expected, f"{case_id}: got {type(caught.value).__name__}"
        phrases = KEY_PHRASE[path.stem]
        assert any(phrase in caught.value.message for phrase in ((phrases,) if isinstance(phrases, str) else phrases)), case_id
        assert "Traceback" not in caught.value.message, f"{case_id}: traceback kept"
        assert str(caught.value).startswith(f"{args[3]}.{args[4]}: "), case_id


def test_missing_record_error_knows_the_ids(odoo_fixtures: Path) -> None:
    fixture = json.loads((odoo_fixtures / "odoo-17/xmlrpc/fault_missing_record.json").read_text())
    client = OdooClient(_settings("xmlrpc"))
    client.uid = 2
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL + "/xmlrpc/2/object", body=fixture["response_body"])
        with pytest.raises(MissingRecordError) as caught:
            client.write("sale.order", [999999], {"note": "x"})
    assert caught.value.ids == [999999]


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_bad_password_at_login_is_an_authentication_error(odoo_fixtures: Path, protocol: str) -> None:
    fixture = json.loads((odoo_fixtures / f"odoo-17/{protocol}/common_authenticate_bad_password.json").read_text())
    body = fixture["response_body"] if protocol == "xmlrpc" else json.dumps(fixture["response_body"])
    client = OdooClient(_settings(protocol).model_copy(update={"password": None, "api_key": SecretStr("wrong")}))
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL + fixture["url"], body=body)
        with pytest.raises(AuthenticationError) as caught:
            client.authenticate()
    assert "wrong login, password or API key" in str(caught.value)
    assert "wrong" not in repr(client) and "wrong'" not in str(caught.value).split("API key")[-1]


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_recorded_successes_decode(odoo_fixtures: Path, protocol: str) -> None:
    client = OdooClient(_settings(protocol))
    for name, call in [
        ("common_authenticate_ok", lambda: client.authenticate()),
        ("search_count_sale_order", lambda: client.search_count("sale.order", [])),
        ("search_read_sale_order", lambda: client.search_read(
            "sale.order", [("state", "in", ["draft", "sent", "sale"])],
            ["name", "state", "create_date", "commitment_date", "partner_id", "user_id", "amount_total", "tag_ids"],
            limit=2, order="id")),
        ("write_mrp_priority_ok", lambda: client.write("mrp.production", [1], {"priority": "0"})),
    ]:
        fixture = json.loads((odoo_fixtures / f"odoo-17/{protocol}/{name}.json").read_text())
        body = fixture["response_body"] if protocol == "xmlrpc" else json.dumps(fixture["response_body"])
        with responses.RequestsMock() as mock:
            mock.add(responses.POST, URL + fixture["url"], body=body)
            result = call()
            sent = mock.calls[0].request.body
        if protocol == "xmlrpc":
            # What we send is what a real client sent (same method, same arguments).
            assert xmlrpc.client.loads(sent, use_builtin_types=True) == xmlrpc.client.loads(
                fixture["request_body"], use_builtin_types=True), name
        else:
            ours = json.loads(sent)["params"]
            theirs = fixture["request_body"]["params"]
            assert ours == json.loads(json.dumps(theirs)), name
        if name == "common_authenticate_ok":
            assert result == 2
        elif name == "search_count_sale_order":
            assert result == 24
        elif name == "search_read_sale_order":
            assert len(result) == 2 and result[0]["name"] == "S00001" and result[0]["partner_id"][1] == "Deco Addict"
        else:
            assert result is True


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_a_mapped_fault_keeps_its_cause(odoo_fixtures: Path, protocol: str) -> None:
    """The typed error is raised ``from`` what the wire said (issue 10: no ``from None``)."""
    fixture = json.loads((odoo_fixtures / f"odoo-19/{protocol}/fault_missing_record.json").read_text())
    body = fixture["response_body"] if protocol == "xmlrpc" else json.dumps(fixture["response_body"])
    client = OdooClient(_settings(protocol))
    client.uid = 2
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL + fixture["url"], body=body)
        with pytest.raises(MissingRecordError) as caught:
            client.write("sale.order", [999999], {"note": "x"})
    if protocol == "xmlrpc":
        assert isinstance(caught.value.__cause__, xmlrpc.client.Fault)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL + fixture["url"], body="<html>a proxy page</html>")
        with pytest.raises(OdooError) as garbled:
            client.write("sale.order", [999999], {"note": "x"})
    assert garbled.value.__cause__ is not None
