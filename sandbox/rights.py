"""Access rights, as an Odoo demo database grants them.

Two kinds of users matter to the plugin: administrators (``base.group_system``, e.g.
``admin`` uid 2; uid 1 OdooBot is the superuser) and internal users (``base.group_user``,
e.g. ``demo`` uid 6) who may read and write the business documents — sale orders, MOs,
pickings, activities, partners — but not the technical configuration. Refusals carry
Odoo 17's exact AccessError text (``fault_access_error_demo_user.json``).
"""

from __future__ import annotations

from .faults import AccessError

SUPERUSER_ID = 1
ADMIN_ID = 2

ALL_OPS = frozenset({"read", "write", "create", "unlink"})
CHANGE_OPS = frozenset({"write", "create", "unlink"})

#: model → operations reserved to Administration/Settings (base.group_system)
SYSTEM_ONLY: dict[str, frozenset[str]] = {
    "ir.config_parameter": ALL_OPS,
    # Real Odoo 17 refuses even reading the technical models to internal users (checked against a stock
    # 17.0 database): their access rules name "Administration/Access Rights".
    "ir.model": ALL_OPS,
    "ir.model.fields": ALL_OPS,
    "ir.model.fields.selection": ALL_OPS,
    "ir.ui.view": ALL_OPS,
    "ir.model.data": ALL_OPS,
    "mail.activity.type": CHANGE_OPS,
    "res.groups": CHANGE_OPS,
    "res.company": CHANGE_OPS,
    "res.currency": CHANGE_OPS,
    "res.users": frozenset({"create", "unlink"}),
    "sale.order": frozenset({"unlink"}),
    # Manufacturing configuration belongs to Manufacturing/Administrator in Odoo; planning (work order dates and
    # their calendar slots) is open to Manufacturing/User.
    "mrp.workcenter": CHANGE_OPS,
    "mrp.routing.workcenter": CHANGE_OPS,
    "mrp.bom": CHANGE_OPS,
    "mrp.bom.line": CHANGE_OPS,
    "product.template": CHANGE_OPS,
    "resource.resource": CHANGE_OPS,
    "resource.calendar": CHANGE_OPS,
    "resource.calendar.attendance": CHANGE_OPS,
}

#: models whose refusals name Administration/Access Rights rather than Administration/Settings
ACCESS_RIGHTS_MODELS = frozenset({"ir.model", "ir.model.fields", "ir.model.fields.selection", "ir.ui.view",
                                  "ir.model.data"})

_VERB = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}

#: group xml id → display path shown in AccessError messages
GROUP_NAMES = {
    "base.group_system": "Administration/Settings",
    "base.group_user": "User types/Internal User",
    "sales_team.group_sale_salesman": "Sales/User: Own Documents Only",
    "sales_team.group_sale_manager": "Sales/Administrator",
    "mrp.group_mrp_user": "Manufacturing/User",
    "stock.group_stock_user": "Inventory/User",
    "mrp.group_mrp_manager": "Manufacturing/Administrator",
    "stock.group_stock_manager": "Inventory/Administrator",
}


def access_error(model: str, description: str, operation: str) -> AccessError:
    """The AccessError Odoo 17 raises from ``check_access_rights``."""
    return AccessError(
        f"You are not allowed to {_VERB.get(operation, operation)} '{description}' ({model}) records.\n\n"
        "This operation is allowed for the following groups:\n"
        f"\t- {'Administration/Access Rights' if model in ACCESS_RIGHTS_MODELS else GROUP_NAMES['base.group_system']}\n\n"
        "Contact your administrator to request access if necessary."
    )


def allowed(groups: set[str], uid: int, model: str, operation: str) -> bool:
    """Whether a user holding ``groups`` may perform ``operation`` on ``model``."""
    if uid == SUPERUSER_ID or "base.group_system" in groups:
        return True
    if "base.group_user" not in groups:
        return False
    return operation not in SYSTEM_ONLY.get(model, frozenset())
