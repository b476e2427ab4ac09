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
    "res.currency.rate": CHANGE_OPS,
    "mail.message.subtype": CHANGE_OPS,
    # mail/security/ir.model.access.csv: only base.group_system has a row (checked on a real 17.0: the daemon's
    # user gets "You are not allowed to access 'Mail Tracking Value' (mail.tracking.value) records.")
    "mail.tracking.value": ALL_OPS,
    # write: Administration/Access Rights; a user may change a few of its own preferences (see ResUsers.write)
    "res.users": frozenset({"create", "write", "unlink"}),
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
    # (the urgency plugin's own technical needs: its install creates groups and access rows as an administrator)
    "ir.model.access": CHANGE_OPS,
}

#: models whose refusals name Administration/Access Rights rather than Administration/Settings
ACCESS_RIGHTS_MODELS = frozenset({"ir.model", "ir.model.fields", "ir.model.fields.selection", "ir.ui.view",
                                  "ir.model.data", "res.users", "res.groups", "ir.model.access"})

#: what a user may write on its own ``res.users`` record (Odoo's ``SELF_WRITEABLE_FIELDS``, the part served here)
SELF_WRITEABLE_FIELDS = frozenset({"tz", "email", "signature", "lang", "action_id", "notification_type"})

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
    "sales_team.group_sale_salesman_all_leads": "Sales/User: All Documents",
    "base.group_erp_manager": "Administration/Access Rights",
    "base.group_no_one": "Technical/Technical Features",
    "purchase.group_purchase_user": "Purchase/User",
    "purchase.group_purchase_manager": "Purchase/Administrator",
}

#: Sales' record rules (``sale/security/ir_rule.xml``): "Personal Orders" for "User: Own Documents Only",
#: lifted by "All Orders" for "User: All Documents" (implied by Sales/Administrator).
OWN_DOCUMENTS_GROUP = "sales_team.group_sale_salesman"
ALL_DOCUMENTS_GROUP = "sales_team.group_sale_salesman_all_leads"
PERSONAL_RULE_MODELS = {"sale.order": "user_id"}


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


def custom_access_error(model: str, description: str, operation: str, groups: list[str]) -> AccessError:
    """The AccessError of ``ir.model.access._make_access_error`` for a model whose rows name ``groups``."""
    allowed_for = ("This operation is allowed for the following groups:\n" + "\n".join(f"\t- {g}" for g in groups)
                   if groups else "No group currently allows this operation.")
    return AccessError(
        f"You are not allowed to {_VERB.get(operation, operation)} '{description}' ({model}) records.\n\n"
        f"{allowed_for}\n\nContact your administrator to request access if necessary."
    )


def rule_domain(groups: set[str], uid: int, model: str) -> list[object] | None:
    """The domain record rules restrict ``model`` to for a user holding ``groups`` (None: no restriction)."""
    field = PERSONAL_RULE_MODELS.get(model)
    if field is None or OWN_DOCUMENTS_GROUP not in groups or ALL_DOCUMENTS_GROUP in groups:
        return None
    return ["|", (field, "=", uid), (field, "=", False)]


def rule_error(model: str, description: str, operation: str) -> AccessError:
    """The AccessError of ``ir.rule._make_access_error`` (record rules hide or protect the records)."""
    return AccessError(
        f"Due to security restrictions, you are not allowed to {_VERB.get(operation, operation)} "
        f"'{description}' ({model}) records.\n\nContact your administrator to request access if necessary."
    )
