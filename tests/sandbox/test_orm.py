"""Model behaviour: x2many commands, workflow, custom fields, views, rights, persistence."""

from __future__ import annotations

import xmlrpc.client
from datetime import datetime
from pathlib import Path

import pytest

from odoo_urgency.sandbox import Sandbox, views

from .helpers import execute, jsonrpc, xml_object


def test_create_list_and_x2many_commands(sb: Sandbox) -> None:
    so = sb.env.model("sale.order")
    ids = so.create(
        [{"partner_id": 15, "order_line": [(0, 0, {"product_id": 3, "product_uom_qty": 2})]}, {"partner_id": 16}]
    )
    assert isinstance(ids, list) and len(ids) == 2
    oid = ids[0]
    order = so.read([oid], ["name", "amount_total", "order_line", "user_id", "state"])[0]
    assert order["name"].startswith("S") and order["amount_total"] == 170.0 and order["state"] == "draft"
    line_id = order["order_line"][0]
    so.write([oid], {"order_line": [(1, line_id, {"product_uom_qty": 3}), (0, 0, {"product_id": 4, "price_unit": 10})]})
    assert so.read([oid], ["amount_total"])[0]["amount_total"] == 265.0
    so.write([oid], {"order_line": [(2, line_id, 0)]})
    assert so.read([oid], ["amount_total"])[0]["amount_total"] == 10.0
    tags = sb.env.model("crm.tag").search([])
    so.write([oid], {"tag_ids": [(4, tags[0], 0), (4, tags[1], 0)]})
    so.write([oid], {"tag_ids": [(3, tags[0], 0)]})
    assert so.read([oid], ["tag_ids"])[0]["tag_ids"] == [tags[1]]
    so.write([oid], {"tag_ids": [(6, 0, [tags[0], tags[2]])]})
    assert so.read([oid], ["tag_ids"])[0]["tag_ids"] == [tags[0], tags[2]]
    so.write([oid], {"tag_ids": [tags[1]]})  # Odoo 17: a plain list of ids replaces
    assert so.read([oid], ["tag_ids"])[0]["tag_ids"] == [tags[1]]
    so.write([oid], {"tag_ids": [(5, 0, 0)]})
    assert so.read([oid], ["tag_ids"])[0]["tag_ids"] == []


def test_action_confirm_overwrites_date_order() -> None:
    clock = [datetime(2025, 3, 1, 8, 0, 0)]
    with Sandbox(demo=True, now=lambda: clock[0]) as sb:
        quotation = execute(sb, "sale.order", "search_read", [("name", "=", "S00002")], fields=["date_order"])[0]
        assert quotation["date_order"] == "2025-03-01 07:00:00"
        clock[0] = datetime(2025, 3, 1, 9, 30, 0)
        assert execute(sb, "sale.order", "action_confirm", [quotation["id"]]) is True
        row = execute(
            sb,
            "sale.order",
            "read",
            [quotation["id"]],
            ["state", "date_order", "write_date", "create_date", "procurement_group_id", "picking_ids"],
        )[0]
        assert row["state"] == "sale" and row["date_order"] == "2025-03-01 09:30:00"
        assert row["write_date"] == "2025-03-01 09:30:00" and row["create_date"] == "2025-03-01 07:00:00"
        assert row["procurement_group_id"][1] == "S00002" and len(row["picking_ids"]) == 1
        with pytest.raises(xmlrpc.client.Fault) as err:
            execute(sb, "sale.order", "action_confirm", [9])
        assert err.value.faultCode == 2
        assert execute(sb, "sale.order", "action_cancel", [quotation["id"]]) is True


def test_errors_like_odoo(sb: Sandbox) -> None:
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "sale.order", "write", [1], {"no_such_field": 1})
    assert (
        err.value.faultCode == 1
        and "ValueError: Invalid field 'no_such_field' on model 'sale.order'" in err.value.faultString
    )
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "sale.order", "search", [], count=True)  # removed from search() in Odoo 17
    assert err.value.faultCode == 1 and "TypeError" in err.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "sale.order", "create", {"note": "no partner"})
    assert err.value.faultCode == 2 and "Field: Customer (partner_id)" in err.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "sale.order", "unlink", [6])
    assert err.value.faultCode == 2
    assert execute(sb, "sale.order", "read", [999999], ["name"]) == []
    # a failing call keeps nothing: the line created before the error is rolled back
    count = execute(sb, "sale.order.line", "search_count", [])
    with pytest.raises(xmlrpc.client.Fault):
        execute(
            sb,
            "sale.order",
            "create",
            [{"partner_id": 15, "order_line": [(0, 0, {"product_id": 3})]}, {"partner_id": 15, "state": "bogus"}],
        )
    assert execute(sb, "sale.order.line", "search_count", []) == count


def test_custom_fields(sb: Sandbox) -> None:
    model_id = execute(sb, "ir.model", "search", [("model", "=", "sale.order")])[0]
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(
            sb,
            "ir.model.fields",
            "create",
            {"name": "urgency", "model_id": model_id, "ttype": "char", "field_description": "Urgency"},
        )
    assert err.value.faultString == "Custom fields must have a name that starts with 'x_' !"
    fid = execute(
        sb,
        "ir.model.fields",
        "create",
        {
            "name": "x_urgency",
            "model_id": model_id,
            "ttype": "selection",
            "field_description": "Urgency",
            "selection_ids": [
                (0, 0, {"value": "normal", "name": "Normal", "sequence": 1}),
                (0, 0, {"value": "urgent", "name": "Urgent", "sequence": 2}),
            ],
        },
    )
    legacy = execute(
        sb,
        "ir.model.fields",
        "create",
        {
            "name": "x_tier",
            "model_id": model_id,
            "ttype": "selection",
            "field_description": "Tier",
            "selection": "[('a', 'A'), ('b', 'B')]",
        },
    )
    execute(
        sb,
        "ir.model.fields",
        "create",
        {"name": "x_urgency_deadline", "model_id": model_id, "ttype": "datetime", "field_description": "Deadline"},
    )
    meta = execute(sb, "sale.order", "fields_get", ["x_urgency", "x_tier"], ["type", "selection"])
    assert meta["x_urgency"]["selection"] == [["normal", "Normal"], ["urgent", "Urgent"]]
    assert meta["x_tier"]["selection"] == [["a", "A"], ["b", "B"]]
    assert execute(sb, "ir.model.fields", "read", [fid], ["state"])[0]["state"] == "manual"
    execute(sb, "sale.order", "write", [1, 2], {"x_urgency": "urgent", "x_urgency_deadline": "2030-01-01 10:00:00"})
    assert sorted(execute(sb, "sale.order", "search", [("x_urgency", "=", "urgent")])) == [1, 2]
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "sale.order", "write", [1], {"x_urgency": "panic"})
    assert "Wrong value for sale.order.x_urgency: 'panic'" in err.value.faultString
    execute(sb, "ir.model.fields", "unlink", [fid, legacy])
    assert "x_urgency" not in execute(sb, "sale.order", "fields_get", [], ["type"])
    assert "x_urgency" not in sb.store.table("sale.order")[1]


def test_view_inheritance_validation(sb: Sandbox) -> None:
    model_id = execute(sb, "ir.model", "search", [("model", "=", "sale.order")])[0]
    execute(
        sb,
        "ir.model.fields",
        "create",
        {"name": "x_urgency", "model_id": model_id, "ttype": "char", "field_description": "Urgency"},
    )
    parent = execute(sb, "ir.model.data", "check_object_reference", "sale", "view_quotation_tree")[1]
    good = execute(
        sb,
        "ir.ui.view",
        "create",
        {
            "name": "sale.order.tree.urgency",
            "model": "sale.order",
            "inherit_id": parent,
            "arch": '<xpath expr="//field[@name=\'partner_id\']" position="after"><field name="x_urgency"/></xpath>',
        },
    )
    assert "x_urgency" in execute(sb, "ir.ui.view", "read", [good], ["arch"])[0]["arch"]
    assert 'name="x_urgency"' in views.combined_arch(sb.env, parent)
    assert execute(sb, "ir.ui.view", "read", [good], ["mode", "type"])[0] == {
        "id": good,
        "mode": "extension",
        "type": "tree",
    }
    form = execute(sb, "ir.model.data", "check_object_reference", "sale", "view_order_form")[1]
    execute(
        sb,
        "ir.ui.view",
        "create",
        {
            "name": "form.urgency",
            "model": "sale.order",
            "inherit_id": form,
            "arch": '<group name="sale_shipping" position="inside"><field name="x_urgency"/></group>',
        },
    )
    for bad in (
        '<xpath expr="//field[@name=\'nope\']" position="after"><field name="x_urgency"/></xpath>',
        '<xpath expr="//field[@name=\'partner_id\']" position="after"><field name="x_missing"/></xpath>',
        '<xpath expr="//tree" position="inside"><field name="x_urgency"></xpath>',
    ):
        with pytest.raises(xmlrpc.client.Fault) as err:
            execute(
                sb, "ir.ui.view", "create", {"name": "bad", "model": "sale.order", "inherit_id": parent, "arch": bad}
            )
        assert err.value.faultCode == 2


def test_rights_of_demo_user(sb: Sandbox) -> None:
    def demo(model: str, method: str, *args: object, **kw: object) -> object:
        return execute(sb, model, method, *args, uid=6, password="demo", **kw)

    assert demo("sale.order", "write", [1], {"note": "checked"}) is True
    assert demo("mrp.production", "write", [1], {"priority": "1"}) is True
    assert demo(
        "mail.activity",
        "create",
        {
            "res_model_id": execute(sb, "ir.model", "search", [("model", "=", "sale.order")])[0],
            "res_id": 1,
            "summary": "call",
        },
    )
    assert demo("ir.config_parameter", "check_access_rights", "read", raise_exception=False) is False
    assert demo("sale.order", "check_access_rights", "write") is True
    assert demo("res.users", "has_group", "base.group_system") is False
    assert demo("res.users", "has_group", "base.group_user") is True
    assert execute(sb, "res.users", "has_group", "base.group_system") is True
    # as Odoo 17 (``@api.model``): ids bind to group_ext_id, so the record form fails as it does on a real 17
    with pytest.raises(xmlrpc.client.Fault, match="multiple values for argument"):
        demo("res.users", "has_group", [6], group_ext_id="base.group_user")
    for model, method, args, text in (
        ("ir.model.fields", "write", ([1], {"field_description": "x"}), "modify 'Fields' (ir.model.fields)"),
        ("ir.ui.view", "write", ([1], {"name": "x"}), "modify 'View' (ir.ui.view)"),
        ("mail.activity.type", "create", ({"name": "x"},), "create 'Activity Type' (mail.activity.type)"),
    ):
        with pytest.raises(xmlrpc.client.Fault) as err:
            demo(model, method, *args)
        assert err.value.faultCode == 4 and text in err.value.faultString
        group = "Access Rights" if model.startswith("ir.") else "Settings"
        assert f"\t- Administration/{group}" in err.value.faultString
    # As in a stock Odoo 17: internal users may not even read the technical models.
    with pytest.raises(xmlrpc.client.Fault, match="access 'Models' \\(ir.model\\)"):
        demo("ir.model", "search_read", [], ["model"])


def test_login_password_and_api_key(sb: Sandbox) -> None:
    common = xmlrpc.client.ServerProxy(f"{sb.url}/xmlrpc/2/common")
    assert common.authenticate("urgency", "demo", "demo", {}) == 6
    assert common.login("urgency", "admin", "wrong") is False
    assert common.authenticate("urgency", "__system__", "", {}) is False
    sb.env.add_api_key(6, "0123456789abcdef")
    assert common.authenticate("urgency", "demo", "0123456789abcdef", {}) == 6
    # Marc Demo is a salesperson with "own documents only": the record rule shows his orders and unassigned ones
    own = sb.env.search_count("sale.order", ["|", ("user_id", "=", 6), ("user_id", "=", False)])
    assert 0 < own < sb.env.search_count("sale.order")
    assert xml_object(sb).execute_kw("urgency", 6, "0123456789abcdef", "sale.order", "search_count", [[]]) == own
    with pytest.raises(xmlrpc.client.Fault) as err:
        xml_object(sb).execute_kw("urgency", 6, "nope", "sale.order", "search_count", [[]])
    assert err.value.faultCode == 3
    assert jsonrpc(sb, "object", "execute", "urgency", 2, "admin", "res.users", "context_get")["result"] == {
        "lang": "en_US",
        "tz": "Europe/Brussels",
        "uid": 2,
    }


def test_persistence_across_restart(tmp_path: Path) -> None:
    path = tmp_path / "erp.sqlite"
    with Sandbox(data=path, demo=True) as sb:
        model_id = execute(sb, "ir.model", "search", [("model", "=", "sale.order")])[0]
        execute(
            sb,
            "ir.model.fields",
            "create",
            {"name": "x_memo", "model_id": model_id, "ttype": "text", "field_description": "Memo"},
        )
        execute(sb, "sale.order", "write", [3], {"x_memo": '{"k": 1}', "note": "kept"})
        new_id = execute(sb, "sale.order", "create", {"partner_id": 15})
        before = execute(sb, "sale.order", "search_read", [], fields=["name", "write_date", "amount_total"], order="id")
    with Sandbox(data=path, demo=True) as sb:
        after = execute(sb, "sale.order", "search_read", [], fields=["name", "write_date", "amount_total"], order="id")
        assert after == before
        assert execute(sb, "sale.order", "read", [3], ["x_memo", "note"])[0]["x_memo"] == '{"k": 1}'
        assert execute(sb, "sale.order", "create", {"partner_id": 15}) == new_id + 1
        assert execute(sb, "sale.order", "read", [new_id + 1], ["name"])[0]["name"] == "S00011"


def test_env_helpers_stamp_like_rpc() -> None:
    clock = [datetime(2025, 5, 1, 12, 0, 0)]
    with Sandbox(now=lambda: clock[0]) as sb:
        oid = sb.env.create("sale.order", {"partner_id": 1, "create_date": "2025-04-30 08:00:00"}, uid=2)
        row = sb.env.search_read("sale.order", [("id", "=", oid)], ["create_date", "write_date", "name"])[0]
        assert row == {
            "id": oid,
            "create_date": "2025-04-30 08:00:00",
            "write_date": "2025-04-30 08:00:00",
            "name": "S00001",
        }
        clock[0] = datetime(2025, 5, 1, 13, 0, 0)
        assert sb.env.write("sale.order", [oid], {"note": "x"})
        assert sb.env.read("sale.order", oid, ["write_date"])[0]["write_date"] == "2025-05-01 13:00:00"
        assert sb.env.search_count("sale.order") == 1 and sb.env.search("sale.order") == [oid]
        # over RPC create_date is ignored, as in Odoo
        rpc_id = execute(sb, "sale.order", "create", {"partner_id": 1, "create_date": "2000-01-01 00:00:00"})
        assert sb.env.read("sale.order", rpc_id, ["create_date"])[0]["create_date"] == "2025-05-01 13:00:00"


def test_deleting_a_record_already_deleted_is_a_no_op_as_in_odoo(sb: Sandbox) -> None:
    # Odoo's own ORM test (test_access_deleted_records): "Re-deleting should be a no-op"; writing still fails.
    pid = execute(sb, "ir.config_parameter", "create", {"key": "x.gone", "value": "1"})
    assert execute(sb, "ir.config_parameter", "unlink", [pid]) is True
    assert execute(sb, "ir.config_parameter", "unlink", [pid]) is True
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "ir.config_parameter", "write", [pid], {"value": "2"})
    assert err.value.faultCode == 2 and "does not exist" in err.value.faultString
