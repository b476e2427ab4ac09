"""Finding the ERP records the daemon needs by xml id or by meaning, never by display name alone.

* the activity type for alerts: ``odoo_urgency.activity_type_urgent`` (created by ``odoo-urgency install``),
  else Odoo's own To-Do, ``mail.mail_activity_data_todo`` (named "To Do" in 16 and "To-Do" in 17);
* the ``ir.model`` ids of the models activities attach to;
* tag mode: the crm.tag standing for each tier — ``odoo_urgency.tag_urgent`` / ``tag_special`` when installed,
  else a tag with the plugin's exact name, created when missing.
"""

from __future__ import annotations

from connector import AccessError, OdooClient
from jobs.daemon.writer import AlertTarget
from jobs.runtime.errors import EXIT_AUTH, JobError
from policies import Tier

MODULE = "odoo_urgency"
TIER_TAG_NAMES = {Tier.URGENT: "Urgent / 紧急", Tier.SPECIAL: "Special / 特殊"}
ALERT_MODELS = ("sale.order", "mrp.production", "stock.picking")


def resolve(client: OdooClient, *, install_mode: bool, create_missing: bool = True
            ) -> tuple[AlertTarget, dict[Tier, int]]:
    try:
        return _resolve(client, install_mode=install_mode, create_missing=create_missing)
    except AccessError as exc:
        raise JobError(f"user {client.settings.login!r} may not read what the daemon needs ({exc}); run it as a user "
                       "with Administration/Settings rights (`odoo-urgency check` lists what is missing)",
                       EXIT_AUTH) from None


def _resolve(client: OdooClient, *, install_mode: bool, create_missing: bool) -> tuple[AlertTarget, dict[Tier, int]]:
    rows = client.search_read("ir.model.data", [
        ("module", "in", [MODULE, "mail"]),
        ("name", "in", ["activity_type_urgent", "mail_activity_data_todo", "tag_urgent", "tag_special"]),
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
        wanted = {tier: xmlids.get(f"{MODULE}.tag_{tier.value}") for tier in TIER_TAG_NAMES}
        missing = [tier for tier, tag_id in wanted.items() if tag_id is None]
        if missing:
            names = {TIER_TAG_NAMES[tier]: tier for tier in missing}
            for row in client.search_read("crm.tag", [("name", "in", list(names))], ["name"], order="id"):
                wanted[names[row["name"]]] = wanted.get(names[row["name"]]) or int(row["id"])
        for tier, tag_id in wanted.items():
            if tag_id is None and create_missing:
                tag_id = client.create_one("crm.tag", {"name": TIER_TAG_NAMES[tier]})
            if tag_id is not None:
                tags[tier] = int(tag_id)
    return target, tags
