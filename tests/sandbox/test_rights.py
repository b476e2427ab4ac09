"""Rights as Odoo 17 grants them: custom models over ``ir.model`` with their ``ir.model.access`` rows, groups and
what they imply, the sales record rule "own documents only", and deleted records (write fails, unlink does not)."""

from __future__ import annotations

import xmlrpc.client

import pytest

from odoo_urgency.sandbox import Sandbox

from .helpers import execute

DEMO = {"uid": 6, "password": "demo"}


def _custom_model(sb: Sandbox) -> int:
    return int(execute(sb, "ir.model", "create", {"name": "Urgency state", "model": "x_urgency_state"}))


def test_custom_model_gets_x_name_and_no_access_without_rows(sb: Sandbox) -> None:
    mid = _custom_model(sb)
    fields = execute(sb, "x_urgency_state", "fields_get", [], attributes=["type"])
    assert fields["x_name"] == {"type": "char"} and "create_date" in fields
    # no ir.model.access row: nobody may use it, administrators included (only the superuser)
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "x_urgency_state", "create", {"x_name": "a"})
    assert err.value.faultCode == 4 and "No group currently allows this operation." in err.value.faultString
    assert execute(sb, "x_urgency_state", "check_access_rights", "read", raise_exception=False) is False
    assert sb.env.model("x_urgency_state", 1).create({"x_name": "by the superuser"})
    execute(sb, "ir.model.access", "create", {"name": "admin", "model_id": mid, "group_id": 2, "perm_read": True,
                                              "perm_write": True, "perm_create": True, "perm_unlink": True})
    assert execute(sb, "x_urgency_state", "create", {"x_name": "b"})
    assert execute(sb, "x_urgency_state", "search_count", []) == 2


def test_model_names_must_start_with_x(sb: Sandbox) -> None:
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "ir.model", "create", {"name": "Bad", "model": "urgency.state"})
    assert "must start with 'x_'" in err.value.faultString


def test_a_new_group_implies_app_groups_and_grants_its_model(sb: Sandbox) -> None:
    mid = _custom_model(sb)
    gid = execute(sb, "res.groups", "create", {"name": "Urgency daemon", "implied_ids": [(6, 0, [1, 9, 5, 6])]})
    execute(sb, "ir.model.data", "create", {"module": "odoo_urgency", "name": "group_daemon", "model": "res.groups",
                                            "res_id": gid})
    execute(sb, "ir.model.access", "create", {"name": "daemon", "model_id": mid, "group_id": gid, "perm_read": True,
                                              "perm_write": True, "perm_create": True, "perm_unlink": True})
    uid = execute(sb, "res.users", "create", {"name": "Urgency bot", "login": "urgency-bot", "groups_id": [(6, 0, [gid])]})
    sb.env.add_api_key(uid, "k" * 40)
    bot = {"uid": uid, "password": "k" * 40}
    for group in ("odoo_urgency.group_daemon", "sales_team.group_sale_salesman_all_leads",
                  "sales_team.group_sale_salesman", "mrp.group_mrp_user", "base.group_user"):
        assert execute(sb, "res.users", "has_group", group, **bot) is True, group
    assert execute(sb, "res.users", "has_group", "base.group_system", **bot) is False
    assert execute(sb, "x_urgency_state", "create", {"x_name": "state"}, **bot)
    # all documents: the bot sees every order; Marc Demo (own documents only) may not touch its state
    assert execute(sb, "sale.order", "search_count", [], **bot) == sb.env.search_count("sale.order")
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "x_urgency_state", "search_read", [], ["x_name"], **DEMO)
    assert err.value.faultCode == 4 and "\t- Urgency daemon" in err.value.faultString
    # and the bot cannot administer: no custom fields, no parameters, no groups
    for model, values in (("ir.model.fields", {"name": "x_evil", "field_description": "Evil", "model_id": mid, "ttype": "char"}),
                          ("ir.config_parameter", {"key": "k", "value": "v"}), ("res.groups", {"name": "g"})):
        with pytest.raises(xmlrpc.client.Fault) as err:
            execute(sb, model, "create", values, **bot)
        assert err.value.faultCode == 4, model


def test_own_documents_only_hides_and_protects_other_orders(sb: Sandbox) -> None:
    others = sb.env.search("sale.order", [("user_id", "not in", [6, False])])
    assert others
    assert not set(execute(sb, "sale.order", "search", [], **DEMO)) & set(others)
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "sale.order", "write", [others[0]], {"note": "x"}, **DEMO)
    assert err.value.faultCode == 4 and "Due to security restrictions" in err.value.faultString
    with pytest.raises(xmlrpc.client.Fault):
        execute(sb, "sale.order", "read", [others[0]], ["name"], **DEMO)


def test_deleted_records_write_fails_unlink_does_not(sb: Sandbox) -> None:
    tag = execute(sb, "crm.tag", "create", {"name": "gone"})
    assert execute(sb, "crm.tag", "unlink", [tag])
    assert execute(sb, "crm.tag", "unlink", [tag])  # "Re-deleting should be a no-op"
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "crm.tag", "write", [tag], {"name": "back"})
    assert err.value.faultCode == 2 and "Record does not exist or has been deleted." in err.value.faultString


def test_custom_one2many_commands_replace_a_child_once(sb: Sandbox) -> None:
    """Update-then-delete of the same child in one write: the second such write finds it gone and fails whole."""
    mid = _custom_model(sb)
    execute(sb, "ir.model.fields", "create", {"name": "x_parent_id", "field_description": "Parent", "model_id": mid,
                                              "ttype": "many2one", "relation": "x_urgency_state", "on_delete": "cascade"})
    child_field = execute(sb, "ir.model.fields", "create", {
        "name": "x_child_ids", "field_description": "Children", "model_id": mid, "ttype": "one2many",
        "relation": "x_urgency_state", "relation_field": "x_parent_id"})
    execute(sb, "ir.model.access", "create", {"name": "admin", "model_id": mid, "group_id": 2, "perm_read": True,
                                              "perm_write": True, "perm_create": True, "perm_unlink": True})
    anchor = execute(sb, "x_urgency_state", "create", {"x_name": "config"})
    old = execute(sb, "x_urgency_state", "create", {"x_name": "state", "x_parent_id": anchor})
    replace = [(1, old, {"x_name": "retired"}), (2, old, 0), (0, 0, {"x_name": "state"})]
    assert execute(sb, "x_urgency_state", "write", [anchor], {"x_child_ids": replace})
    with pytest.raises(xmlrpc.client.Fault) as err:
        execute(sb, "x_urgency_state", "write", [anchor], {"x_child_ids": replace})
    assert err.value.faultCode == 2
    children = execute(sb, "x_urgency_state", "search_read", [("x_parent_id", "=", anchor)], ["x_name"])
    assert [c["x_name"] for c in children] == ["state"] and children[0]["id"] != old
    # as Odoo 17 (ir.model.fields._prepare_update): the many2one a custom one2many inverts blocks the model's removal
    with pytest.raises(xmlrpc.client.Fault, match="x_urgency_state.x_child_ids' depends on it"):
        execute(sb, "ir.model", "unlink", [mid])
    execute(sb, "ir.model.fields", "unlink", [child_field])
    execute(sb, "ir.model", "unlink", [mid])
    assert "x_urgency_state" not in sb.env.models
