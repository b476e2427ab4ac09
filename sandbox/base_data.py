"""What a fresh Odoo 17 database with sale, mrp and stock installed already holds.

Company, currency, the three standard users (OdooBot uid 1, Mitchell Admin uid 2, Marc Demo
uid 6), access groups, the activity types (with their xml ids), ``ir.model`` and
``ir.model.fields`` rows for every served model and field (``state='base'``), the standard
sale views, the default sales team and a few system parameters. Loaded once, when the data
file is new; ids follow Odoo's demo database where the plugin or the fixtures rely on them.
"""

from __future__ import annotations

import uuid
from typing import Any

from . import materials, reporting, views
from .orm import Env

_MODULE = {
    "sale": "sale",
    "mrp": "mrp",
    "stock": "stock",
    "procurement": "stock",
    "mail": "mail",
    "crm": "sales_team",
    "product": "product",
    "purchase": "purchase",
    "resource": "resource",
}

#: Odoo's ``resource.resource_calendar_std``: Monday to Friday 08:00–12:00 and 13:00–17:00, lunch in between.
STANDARD_40H = [
    (day, hour_from, hour_to, period)
    for day in range(5)
    for hour_from, hour_to, period in ((8.0, 12.0, "morning"), (12.0, 13.0, "lunch"), (13.0, 17.0, "afternoon"))
]
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

GROUPS = [
    (1, "base.group_user", "Internal User", "User types/Internal User"),
    (2, "base.group_system", "Settings", "Administration/Settings"),
    (3, "sales_team.group_sale_salesman", "User: Own Documents Only", "Sales/User: Own Documents Only"),
    (4, "sales_team.group_sale_manager", "Administrator", "Sales/Administrator"),
    (5, "mrp.group_mrp_user", "User", "Manufacturing/User"),
    (6, "stock.group_stock_user", "User", "Inventory/User"),
    (7, "mrp.group_mrp_manager", "Administrator", "Manufacturing/Administrator"),
    (8, "stock.group_stock_manager", "Administrator", "Inventory/Administrator"),
    (9, "sales_team.group_sale_salesman_all_leads", "User: All Documents", "Sales/User: All Documents"),
    (10, "base.group_erp_manager", "Access Rights", "Administration/Access Rights"),
    (11, "base.group_no_one", "Technical Features", "Technical/Technical Features"),
    (12, "purchase.group_purchase_user", "User", "Purchase/User"),
    (13, "purchase.group_purchase_manager", "Administrator", "Purchase/Administrator"),
]
#: group → the groups it implies (Odoo's ``implied_ids``): a user holds the whole closure
IMPLIED = {2: [10], 3: [1], 4: [9], 5: [1], 6: [1], 7: [5], 8: [6], 9: [3], 10: [1], 12: [1], 13: [12]}
#: Marc Demo, as in Odoo's demo data: internal user, sales "own documents only", manufacturing and inventory user
INTERNAL = [1, 3, 5, 6]

ACTIVITY_TYPES = [
    (1, "mail_activity_data_email", "Email", "default", 0, "fa-envelope"),
    (2, "mail_activity_data_call", "Call", "phonecall", 2, "fa-phone"),
    (3, "mail_activity_data_meeting", "Meeting", "default", 0, "fa-users"),
    (4, "mail_activity_data_todo", "To-Do", "default", 5, "fa-check"),
    (5, "mail_activity_data_upload_document", "Upload Document", "upload_file", 5, "fa-upload"),
]


def module_of(model: str) -> str:
    return _MODULE.get(model.split(".")[0], "base")


def load(env: Env) -> None:
    """Seed the base records (admin rights, one transaction)."""
    with env.transaction():
        _load(env)


def _xmlid(env: Env, xmlid: str, model: str, res_id: int, noupdate: bool = False) -> None:
    module, name = xmlid.split(".", 1)
    env.model("ir.model.data", 1).create(
        {"module": module, "name": name, "model": model, "res_id": res_id, "noupdate": noupdate}
    )


def _create(env: Env, model: str, vals: dict[str, Any], xmlid: str | None = None) -> int:
    rid = env.model(model, 1).create(vals)
    assert isinstance(rid, int)
    if xmlid:
        _xmlid(env, xmlid, model, rid)
    return rid


def _load(env: Env) -> None:
    # technical registry rows first: ir.model / ir.model.fields describe every served model
    _create(env, "ir.model", {"id": 1, "model": "base", "name": "Base", "state": "base"})
    for model, info in sorted(env.models.items()):
        mid = _create(
            env,
            "ir.model",
            {"model": model, "name": info.description, "state": "base"},
            f"{module_of(model)}.model_{model.replace('.', '_')}",
        )
        for name, field in info.fields.items():
            env.model("ir.model.fields", 1).create(
                {
                    "name": name,
                    "model_id": mid,
                    "model": model,
                    "ttype": field.type,
                    "state": "base",
                    "field_description": field.string,
                    "relation": field.relation or False,
                    "required": field.required,
                    "readonly": field.readonly,
                    "store": field.store,
                    "help": field.help or False,
                }
            )
    materials.load_locations(env)
    for gid, xmlid, name, full in GROUPS:
        _create(env, "res.groups", {"id": gid, "name": name, "full_name": full}, xmlid)
        env.store.touch("res.groups", gid)["xml_id"] = xmlid  # not a field: a lookup key for rights
    for gid, implied in IMPLIED.items():
        env.model("res.groups", 1).write([gid], {"implied_ids": [(6, 0, implied)]})
    _create(env, "res.currency", {"id": 1, "name": "USD", "symbol": "$", "rounding": 0.01}, "base.USD")
    _create(env, "res.currency", {"id": 2, "name": "EUR", "symbol": "€", "active": False, "rounding": 0.01},
            "base.EUR")
    _create(
        env, "res.partner", {"id": 1, "name": "My Company (San Francisco)", "is_company": True}, "base.main_partner"
    )
    _create(
        env,
        "res.company",
        {"id": 1, "name": "My Company (San Francisco)", "partner_id": 1, "currency_id": 1},
        "base.main_company",
    )
    _standard_calendar(env)
    _create(env, "res.partner", {"id": 2, "name": "OdooBot", "active": False}, "base.partner_root")
    _create(
        env,
        "res.partner",
        {"id": 3, "name": "Mitchell Admin", "parent_id": False, "email": "admin@yourcompany.example.com"},
        "base.partner_admin",
    )
    _create(
        env, "res.partner", {"id": 7, "name": "Marc Demo", "email": "mark.brown23@example.com"}, "base.partner_demo"
    )
    users = [
        (1, "OdooBot", "__system__", None, 2, [1, 2], False, "base.user_root"),
        (2, "Mitchell Admin", "admin", "admin", 3, [g for g, *_ in GROUPS], True, "base.user_admin"),
        (6, "Marc Demo", "demo", "demo", 7, INTERNAL, True, "base.user_demo"),
    ]
    for uid, name, login, password, partner, groups, active, xmlid in users:
        _create(
            env,
            "res.users",
            {
                "id": uid,
                "name": name,
                "login": login,
                "partner_id": partner,
                "groups_id": [(6, 0, groups)],
                "active": active,
                "tz": "Europe/Brussels",
            },
            xmlid,
        )
        env.store.touch("res.users", uid)["password"] = password  # not a field: never readable
    _create(
        env, "crm.team", {"id": 1, "name": "Sales", "member_ids": [(6, 0, [2, 6])]}, "sales_team.team_sales_department"
    )
    reporting.load(env, _create)
    for aid, name, label, category, delay, icon in ACTIVITY_TYPES:
        _create(
            env,
            "mail.activity.type",
            {"id": aid, "name": label, "category": category, "delay_count": delay, "icon": icon, "sequence": aid},
            f"mail.{name}",
        )
    xmlids: dict[str, int] = {}
    for name, view_name, kind, priority, inherit, mode, arch in views.SALE_VIEWS:
        vid = _create(
            env,
            "ir.ui.view",
            {
                "name": view_name,
                "model": "sale.order",
                "type": kind,
                "priority": priority,
                "inherit_id": xmlids.get(inherit or "", False),
                "mode": mode,
                "arch": arch,
            },
            f"sale.{name}",
        )
        xmlids[f"sale.{name}"] = vid
    for key, value in (
        ("database.uuid", str(uuid.uuid4())),
        ("database.create_date", env.call_time),
        ("web.base.url", "http://127.0.0.1:8069"),
    ):
        _create(env, "ir.config_parameter", {"key": key, "value": value})


def _standard_calendar(env: Env) -> None:
    """The company's default working hours, as the ``resource`` module installs them (id 1)."""
    attendances = [
        (0, 0, {"name": f"{DAY_NAMES[day]} {period.title()}", "dayofweek": str(day), "hour_from": hour_from,
                "hour_to": hour_to, "day_period": period})
        for day, hour_from, hour_to, period in STANDARD_40H
    ]
    calendar = _create(
        env, "resource.calendar",
        {"id": 1, "name": "Standard 40 hours/week", "tz": "Europe/Brussels", "hours_per_day": 8.0, "company_id": 1,
         "two_weeks_calendar": False, "attendance_ids": attendances},
        "resource.resource_calendar_std",
    )
    env.model("res.company", 1).write([1], {"resource_calendar_id": calendar})
