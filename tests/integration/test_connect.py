"""Connecting to a real Odoo: ``odoo-urgency check``, the typed errors, schema detection."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from odoo_urgency.connector import AuthenticationError, MissingRecordError, OdooClient, UnknownNameError, detect

from .conftest import Target, demo_client

PROTOCOLS = ("xmlrpc", "jsonrpc")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_check_succeeds(cli: Callable[..., int], capsys: pytest.CaptureFixture[str], protocol: str) -> None:
    code = cli("check", protocol=protocol)
    out, err = capsys.readouterr()
    assert code == 0, f"odoo-urgency check failed:\n{out}\n{err}"
    assert "ok: the plugin can work with this ERP" in out
    assert "(Odoo 17." in out
    assert "protocol" in out and protocol in out
    assert "mrp.production.date_start" in out
    assert "problem:" not in err


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_wrong_password_is_an_authentication_error(target: Target, protocol: str) -> None:
    with target.client(protocol, password="not-the-password") as client:
        with pytest.raises(AuthenticationError):
            client.authenticate()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_wrong_password_on_a_call_is_an_authentication_error(target: Target, admin: OdooClient,
                                                             protocol: str) -> None:
    """A daemon keeps its uid; a password changed meanwhile makes every execute_kw fail with AccessDenied."""
    with target.client(protocol, password="not-the-password") as client:
        client.uid = admin.uid
        with pytest.raises(AuthenticationError):
            client.search("res.partner", [], limit=1)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_unknown_model_is_an_unknown_name_error(target: Target, protocol: str) -> None:
    with target.client(protocol) as client:
        with pytest.raises(UnknownNameError) as caught:
            client.search("x_no_such.model", [])
    assert caught.value.call == "x_no_such.model.search"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_unknown_field_is_an_unknown_name_error(target: Target, protocol: str) -> None:
    with target.client(protocol) as client:
        with pytest.raises(UnknownNameError):
            client.search_read("sale.order", [("x_no_such_field", "=", 1)], ["name"], limit=1)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_writing_a_missing_record_is_a_missing_record_error(target: Target, protocol: str) -> None:
    missing_id = 987654321
    with target.client(protocol) as client:
        with pytest.raises(MissingRecordError) as caught:
            client.write("res.partner", [missing_id], {"comment": "odoo-urgency integration test"})
    assert caught.value.ids == [missing_id]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_schema_detection(target: Target, protocol: str) -> None:
    with target.client(protocol) as client:
        client.authenticate()
        schema = detect(client)
    assert schema.major == 17
    assert schema.server_version.startswith("17.")
    assert schema.missing_apps == []
    assert schema.mo_planned_start_field == "date_start"
    assert schema.mo_planned_finish_field == "date_finished"
    assert {"date_start", "date_finished", "priority"} <= schema.available_fields["mrp.production"]
    assert "commitment_date" in schema.available_fields["sale.order"]
    assert schema.missing_rights() == []          # the test user is an administrator


def test_check_tells_a_limited_user_which_rights_are_missing(target: Target, cli: Callable[..., int],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    user = demo_client(target)
    if user is None:
        pytest.skip("no demo user in this database")
    user.close()
    code = cli("check", login="demo")
    err = capsys.readouterr().err
    assert code == 1, err
    assert "lacks the right to read on ir.config_parameter" in err
