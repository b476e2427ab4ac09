"""The one place that finds the plugin's own records in the ERP, by xml id or by meaning, never by display name.

:func:`find_installed` reads everything install left (one ``search_read`` of the module's ``ir.model.data``);
:func:`resolve` finds what the daemon needs at start:

* the activity type for alerts: ``odoo_urgency.activity_type_urgent`` (created by ``odoo-urgency install``),
  else Odoo's own To-Do, ``mail.mail_activity_data_todo`` (named "To Do" in 16 and "To-Do" in 17);
* the ``ir.model`` ids of the models activities attach to;
* tag mode: the crm.tag standing for each tier — ``odoo_urgency.tag_urgent`` / ``tag_special`` when installed,
  else a tag with the plugin's exact name, created when missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from odoo_urgency.connector import AccessError, OdooClient
from odoo_urgency.connector.schema import STATE_MODEL
from odoo_urgency.jobs.admin import views as spec
from odoo_urgency.jobs.admin.views import VERSION_PARAM
from odoo_urgency.jobs.runtime.errors import EXIT_AUTH, JobError
from odoo_urgency.policies import Tier
from odoo_urgency.policies.tiers import TIER_TAGS


@dataclass(frozen=True)
class AlertTarget:
    """What the daemon's alerts attach to: the activity type, and the ``ir.model`` id of each model."""

    activity_type_id: int
    model_ids: dict[str, int]


MODULE = "odoo_urgency"
TIER_TAG_NAMES = {tier: tag.name for tier, tag in TIER_TAGS.items()}
ALERT_MODELS = ("sale.order", "mrp.production", "stock.picking", "purchase.order")  # the last with the purchase app


def resolve(client: OdooClient, *, install_mode: bool, create_missing: bool = True, state_home: bool = False
            ) -> tuple[AlertTarget, dict[Tier, int]]:
    """What the daemon needs at start. Once install made the daemon's home, from its ``config`` record (readable
    by the daemon's own user, who may not read ``ir.model.data`` nor ``ir.model``); else by xml id."""
    try:
        if state_home:
            return from_config(read_config(client))
        return _resolve(client, install_mode=install_mode, create_missing=create_missing)
    except AccessError as exc:
        hint = ("add it to the group 'Urgency daemon' (`odoo-urgency install --daemon-user LOGIN`)" if state_home
                else "run `odoo-urgency install` once as an administrator, then run the daemon as a user in the group "
                     "'Urgency daemon'")
        raise JobError(f"user {client.settings.login!r} may not read what the daemon needs ({exc}); {hint} "
                       "(`odoo-urgency check` lists what is missing)", EXIT_AUTH) from None


def read_config(client: OdooClient) -> dict[str, Any]:
    """The ``config`` record ``odoo-urgency install`` wrote into the daemon's home (one call)."""
    try:
        rows = client.search_read(STATE_MODEL, [("x_name", "=", "config")], ["x_value"], limit=1)
    except AccessError as exc:
        raise JobError(f"user {client.settings.login!r} may not read the daemon's home ({exc}); add it to the group "
                       "'Urgency daemon' (`odoo-urgency install --daemon-user LOGIN`, `odoo-urgency check` lists what "
                       "is missing)", EXIT_AUTH) from None
    try:
        config = json.loads(rows[0]["x_value"] or "{}") if rows else None
    except ValueError:
        config = None
    if not isinstance(config, dict) or not config.get("activity_type_id"):
        raise JobError(f"the daemon's home {STATE_MODEL} has no readable config record: run `odoo-urgency install` "
                       "as an administrator")
    return config


def from_config(config: dict[str, Any]) -> tuple[AlertTarget, dict[Tier, int]]:
    target = AlertTarget(activity_type_id=int(config["activity_type_id"]),
                         model_ids={str(k): int(v) for k, v in (config.get("model_ids") or {}).items()})
    tags = {Tier(tier): int(tag_id) for tier, tag_id in (config.get("tag_ids") or {}).items()
            if tier in {t.value for t in Tier}}
    return target, tags


def _resolve(client: OdooClient, *, install_mode: bool, create_missing: bool) -> tuple[AlertTarget, dict[Tier, int]]:
    rows = client.search_read("ir.model.data", [
        ("module", "in", [MODULE, "mail"]),
        ("name", "in", ["activity_type_urgent", "mail_activity_data_todo", *(t.xml_name for t in TIER_TAGS.values())]),
    ], ["module", "name", "res_id"])
    xmlids = {f"{row['module']}.{row['name']}": int(row["res_id"]) for row in rows}
    activity_type = xmlids.get(f"{MODULE}.activity_type_urgent") or xmlids.get("mail.mail_activity_data_todo")
    if not activity_type:
        raise JobError("no activity type for alerts: neither odoo_urgency.activity_type_urgent nor "
                       "mail.mail_activity_data_todo exists (run `odoo-urgency install`)")
    models = {row["model"]: int(row["id"]) for row in client.search_read(
        "ir.model", [("model", "in", list(ALERT_MODELS))], ["model"])}
    target = AlertTarget(activity_type_id=activity_type, model_ids=models)
    tags: dict[Tier, int] = {}
    if not install_mode:
        wanted = {tier: xmlids.get(f"{MODULE}.{tag.xml_name}") for tier, tag in TIER_TAGS.items()}
        missing = [tier for tier, tag_id in wanted.items() if tag_id is None]
        if missing:
            names = {TIER_TAG_NAMES[tier]: tier for tier in missing}
            for row in client.search_read("crm.tag", [("name", "in", list(names))], ["name"], order="id"):
                wanted[names[row["name"]]] = wanted.get(names[row["name"]]) or int(row["id"])
        for tier, tag_id in wanted.items():
            if tag_id is None:
                # A dry run creates nothing, yet must plan exactly what the real run will: it plans with a
                # placeholder id (negative, never sent to the ERP) for the tag the real run would create.
                tag_id = (client.create_one("crm.tag", {"name": TIER_TAG_NAMES[tier]}) if create_missing
                          else PLACEHOLDER_TAG_IDS[tier])
            tags[tier] = int(tag_id)
    return target, tags


#: Stand-ins for tier tags a dry run would create (see :func:`_resolve`).
PLACEHOLDER_TAG_IDS: dict[Tier, int] = {tier: -(index + 1) for index, tier in enumerate(TIER_TAGS)}


# -- what install left, in full (install, uninstall, check) ----------------------------------------------------


@dataclass(frozen=True)
class XmlId:
    id: int
    name: str
    model: str
    res_id: int
    noupdate: bool = False


@dataclass
class InstalledState:
    """What ``odoo-urgency install`` left in the ERP, as the daemon needs it at start."""

    #: the ``mail.activity.type`` "Urgent order", or None
    activity_type_id: int | None = None
    #: tier → ``crm.tag`` id, for ``"urgent"`` and ``"special"`` (missing keys: not installed)
    tag_ids: dict[str, int] = field(default_factory=dict)
    #: the plugin version that last ran install (None when not installed or not readable by this user)
    installed_version: str | None = None
    #: model → custom field names installed on it (``{"sale.order": {"x_urgency", ...}, ...}``)
    custom_fields: dict[str, set[str]] = field(default_factory=dict)
    #: xml id name (without the module) → the view extension's id
    view_ids: dict[str, int] = field(default_factory=dict)
    #: every ``ir.model.data`` row of the module, by name
    xml_ids: dict[str, XmlId] = field(default_factory=dict)

    @property
    def installed(self) -> bool:
        return bool(self.xml_ids)

    @property
    def fields_exist(self) -> bool:
        """True when every ``sale.order`` field the daemon writes was installed (install mode)."""
        wanted = {f.name for f in spec.FIELDS if f.model == "sale.order"}
        return wanted <= self.custom_fields.get("sale.order", set())


def xml_rows(client: OdooClient) -> dict[str, XmlId]:
    rows = client.search_read("ir.model.data", [("module", "=", MODULE)],
                              ["name", "model", "res_id", "noupdate"], order="id")
    return {row["name"]: XmlId(int(row["id"]), row["name"], row["model"], int(row["res_id"] or 0),
                               bool(row.get("noupdate"))) for row in rows}


def find_installed(client: OdooClient, *, with_version: bool = True) -> InstalledState:
    """What is installed, from the module's ``ir.model.data`` rows (one ``search_read``). The version lives in
    ``ir.config_parameter`` and costs one more call when ``with_version`` (skipped when nothing is installed;
    None when this user may not read parameters)."""
    rows = xml_rows(client)
    state = InstalledState(xml_ids=rows)
    activity = rows.get(spec.ACTIVITY_TYPE_XML)
    if activity and activity.model == "mail.activity.type":
        state.activity_type_id = activity.res_id
    for tier, name in spec.TAG_XML.items():
        if name in rows and rows[name].model == "crm.tag":
            state.tag_ids[tier] = rows[name].res_id
    for field_spec in spec.FIELDS:
        if field_spec.xml_name in rows:
            state.custom_fields.setdefault(field_spec.model, set()).add(field_spec.name)
    for view_spec in spec.views("en"):
        if view_spec.xml_name in rows:
            state.view_ids[view_spec.xml_name] = rows[view_spec.xml_name].res_id
    if with_version and rows:
        try:
            params = client.search_read("ir.config_parameter", [("key", "=", VERSION_PARAM)], ["value"], limit=1)
        except AccessError:
            params = []
        state.installed_version = params[0]["value"] if params else None
    return state
