"""The daemon's own home in the ERP and the rights of its user, as plain data (no I/O here).

Why a custom model and not ``ir.config_parameter`` (see ``docs/DESIGN.md``, "Where the daemon keeps its state"):

* every ``create`` / ``write`` / ``unlink`` of ``ir.config_parameter`` clears the whole registry cache of every
  worker (``registry.clear_cache()`` in Odoo 16/17/18, ``clear_cache('stable')`` in 19); a record of a custom model
  is an ordinary row: writing it invalidates nothing but that row;
* reading or writing parameters needs Administration/Settings; a custom model's rights are exactly its
  ``ir.model.access`` rows, so one dedicated group, "Urgency daemon", can be given this model and nothing more;
* ``ir.model.data`` (xml ids) and ``ir.model`` are closed to internal users in Odoo 17, so what the daemon must
  find at run time (the activity type, the tier tags, the ``ir.model`` ids activities point to) is written by
  ``install`` into the ``config`` record of this model, which the daemon's user may read.

The model ``x_urgency_state`` holds one record per key (``x_name``) with a JSON ``x_value``: ``config`` (written by
``install``), and as its children (``x_parent_id``) ``state`` (cursor, last cycle, the lease), ``memo`` (tag mode) and
``backfill`` (the resume point). The lease is the ``state`` record itself: see :mod:`jobs.daemon.lease`.
"""

from __future__ import annotations

from dataclasses import dataclass

STATE_MODEL = "x_urgency_state"
STATE_MODEL_XML = "model_x_urgency_state"
STATE_MODEL_NAME = "Urgency daemon state (odoo-urgency)"

#: record keys (``x_name``)
CONFIG_KEY = "config"
STATE_KEY = "state"
MEMO_KEY = "memo"
BACKFILL_KEY = "backfill"

#: the ``ir.config_parameter`` keys an older version kept, moved into the home by ``install``
LEGACY_PARAMS = {"odoo_urgency.state": STATE_KEY, "odoo_urgency.memo": MEMO_KEY, "odoo_urgency.backfill": BACKFILL_KEY}


@dataclass(frozen=True)
class HomeField:
    name: str
    ttype: str
    label: str
    relation: str | None = None
    relation_field: str | None = None


#: the fields beyond ``x_name`` (which Odoo gives every custom model); the one2many must come after its many2one
HOME_FIELDS: tuple[HomeField, ...] = (
    HomeField("x_value", "text", "Value (JSON)"),
    HomeField("x_parent_id", "many2one", "Config record", relation=STATE_MODEL),
    HomeField("x_child_ids", "one2many", "State records", relation=STATE_MODEL, relation_field="x_parent_id"),
)

GROUP_XML = "group_daemon"
GROUP_NAME = "Urgency daemon"
GROUP_COMMENT = ("The odoo-urgency daemon's user: reads and writes sale orders, manufacturing orders, deliveries and "
                 "activities, and keeps its own state. Give it to that user only.")

#: access rows on the home: the daemon's group, and administrators (install, upgrade, uninstall)
ACCESS_ROWS: dict[str, str] = {"access_x_urgency_state_daemon": f"odoo_urgency.{GROUP_XML}",
                               "access_x_urgency_state_admin": "base.group_system"}


@dataclass(frozen=True)
class NeededGroup:
    xml_id: str
    label: str
    why: str
    #: the model that shows the app is installed (None: always needed)
    app_model: str | None = None


#: the groups the daemon's work needs; "Urgency daemon" implies them, so its user gets exactly these
NEEDED_GROUPS: tuple[NeededGroup, ...] = (
    NeededGroup("base.group_user", "Internal User", "activities, partners, products"),
    NeededGroup("sales_team.group_sale_salesman_all_leads", "Sales / User: All Documents",
                "every open sale order, not only its own"),
    NeededGroup("mrp.group_mrp_user", "Manufacturing / User", "priority and planned start of manufacturing orders",
                "mrp.production"),
    NeededGroup("stock.group_stock_user", "Inventory / User", "priority and scheduled date of deliveries",
                "stock.picking"),
    NeededGroup("purchase.group_purchase_user", "Purchase / User", "purchase orders of urgent demand",
                "purchase.order"),
)

#: groups a daemon's user should not have: what each lets the holder of its API key do
UNNEEDED_GROUPS: dict[str, str] = {
    "base.group_system": "this user can install modules and change any setting; the daemon does not need that",
    "base.group_erp_manager": "this user can change access rights and any user's groups; the daemon does not need "
                              "that",
    "base.group_no_one": "this user has Technical Features; the daemon does not need them",
    "sales_team.group_sale_manager": "this user administers Sales (settings, deletions); the daemon does not need "
                                     "that",
    "mrp.group_mrp_manager": "this user administers Manufacturing; the daemon does not need that",
    "stock.group_stock_manager": "this user administers Inventory; the daemon does not need that",
    "purchase.group_purchase_manager": "this user administers Purchase; the daemon does not need that",
    "account.group_account_manager": "this user administers Accounting; the daemon does not need that",
}

#: "own documents only": record rules show such a user part of the orders
OWN_DOCUMENTS_GROUP = "sales_team.group_sale_salesman"
ALL_DOCUMENTS_GROUP = "sales_team.group_sale_salesman_all_leads"

API_KEY_STEPS = (
    "To give the daemon its API key (Odoo makes API keys only for the user who is logged in):",
    "  1. as an administrator: Settings > Users > {login} > Action > Change Password (a long random one);",
    "  2. log in as {login}: My Profile (or Preferences) > Account Security > New API Key, name it 'odoo-urgency';",
    "  3. put it in the daemon's environment file: ODOO_URGENCY_LOGIN={login} and ODOO_URGENCY_API_KEY=<the key>",
    "     (e.g. /etc/odoo-urgency/secrets.env, mode 0600); then `odoo-urgency check` as that user.",
)
