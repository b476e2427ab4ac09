"""``odoo-urgency check``: can the plugin work against this ERP, as this user?

Connects, authenticates, detects the schema and the user's rights, and prints one line per fact and one
line per problem. Exit 0 when everything the plugin needs is there: a model or field the plugin reads that this
server lacks is a problem here, not a daemon that fails on its second cycle. It says which wire protocol is used
and why, warns that XML-RPC and JSON-RPC are deprecated from Odoo 19 on, and warns of an API key that expires
soon (where the server records expiry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from odoo_urgency.connector import AccessError, OdooClient, OdooError, Schema, detect
from odoo_urgency.connector.records import ManufacturingOrder, Partner, Picking, Product, SaleOrder, SaleOrderLine, Team
from odoo_urgency.connector.schema import REQUIRED_APPS, STATE_MODEL, api_keys_expiring, survey
from odoo_urgency.jobs.admin.calendar_check import check_calendar
from odoo_urgency.jobs.admin.daemon_user import group_report
from odoo_urgency.jobs.admin.home import GROUP_NAME
from odoo_urgency.jobs.materials.explain import check_facts
from odoo_urgency.jobs.runtime.settings import Settings


@dataclass
class CheckReport:
    facts: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: what works but should not be so (rights the daemon does not need); the exit code ignores them
    #: What the daemon works around but a person should fix (an unreadable order, an archived assignee).
    warnings: list[str] = field(default_factory=list)
    schema: Schema | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def run_check(settings: Settings, client: OdooClient) -> CheckReport:
    """Errors reaching or logging into the ERP propagate (the CLI turns them into one line and an exit code);
    everything found after login is collected as facts and problems."""
    report = CheckReport()
    version = client.version()
    report.facts.append(("server", f"{settings.odoo.public_url} (Odoo {version.get('server_version', '?')})"))
    report.facts.append(("protocol", f"{client.protocol} ({client.protocol_reason})"))
    report.facts.append(("database", settings.odoo.database))
    uid = client.authenticate()
    report.facts.append(("user", f"{settings.odoo.login} (uid {uid})"))
    schema = detect(client)
    report.schema = schema
    if schema.major and schema.major < 16:
        report.problems.append(f"Odoo {schema.server_version} is not supported (16, 17, 18 and 19 are)")
    check_wire(report, settings, client, schema)
    check_fields(report, client, schema)
    for app in schema.missing_apps:
        report.problems.append(f"the {app} app is not installed in database {settings.odoo.database!r}")
    report.facts.append(("planned start field", f"mrp.production.{schema.mo_planned_start_field}"))
    mode = ("install mode (x_urgency fields present)" if schema.install_mode
            else "tag mode (run `odoo-urgency install` for fields and views)")
    report.facts.append(("mode", mode))
    if "mrp" not in schema.missing_apps:
        report.facts.append(("MO lock", lock_fact(schema)))
    report.facts.extend(check_facts(schema, settings.rules))
    for model, operations in schema.rights.items():
        granted = ", ".join(f"{op} {'yes' if ok else 'NO'}" for op, ok in operations.items())
        report.facts.append((f"rights on {model}", granted))
    for missing in schema.missing_rights():
        report.problems.append(f"user {settings.odoo.login!r} lacks the right to {missing}")
    check_routing(report, settings, client)
    check_calendar(report, settings, client)
    _check_privilege(settings, client, uid, schema, report)
    if not schema.missing_apps:
        check_readiness(settings, client, schema, report)
    return report


def lock_fact(schema: Schema) -> str:
    """Whether planners can lock an MO against re-planning (the field ``install`` adds; the planner reads it)."""
    if "x_urgency_locked" in schema.custom_fields.get("mrp.production", set()):
        return "mrp.production.x_urgency_locked: an MO a planner ticks is never moved by the plugin"
    return ("warning: mrp.production has no field x_urgency_locked, so planners cannot lock an MO against "
            "re-planning: run `odoo-urgency install`")


def _known_groups(client: OdooClient) -> dict[str, int] | None:
    """The routing groups install recorded in the daemon's home (None where there is none, or it is unreadable)."""
    from odoo_urgency.jobs.admin.installed import read_config
    from odoo_urgency.jobs.runtime.errors import JobError

    try:
        config = read_config(client)
    except (JobError, OdooError):
        return None
    return {str(k): int(v) for k, v in (config.get("group_ids") or {}).items()}


def check_routing(report: CheckReport, settings: Settings, client: OdooClient) -> None:
    """The routing table of this database: for each role, each source of its chain and whom it gives here; a role
    whose chain can run dry (no source beyond the record's own person names an active user) is a problem."""
    from odoo_urgency.jobs.daemon.people import read_directory
    from odoo_urgency.policies.routing.table import routing_table

    directory = read_directory(client, settings.rules, _known_groups(client))
    if directory is None:
        report.facts.append(("routing", f"user {settings.odoo.login!r} may not read users and groups: alerts go "
                                        "to the ids the records and settings name, unchecked"))
        return
    for row in routing_table(settings.rules, directory):
        steps = " → ".join(f"{source} [{found}]" for source, found in row.steps)
        report.facts.append((f"route {row.role}", steps))
        for warning in row.warnings:
            report.facts.append((f"route {row.role}", f"warning: {warning}"))
        if not row.routable:
            report.problems.append(
                f"alerts for the {row.role} cannot always be routed: when an order names nobody for it, no source "
                f"of rules.routing.{row.role} ({', '.join(row.steps[i][0] for i in range(len(row.steps)))}) names "
                "an active user in this database — configure a user id or add a group")


#: What the daemon reads on every cycle: each model and field must exist on the server.
READ_BY_THE_DAEMON = (SaleOrder, SaleOrderLine, ManufacturingOrder, Picking, Partner, Product, Team)
#: Warn this many days before an API key expires.
KEY_WARNING_DAYS = 14


def check_fields(report: CheckReport, client: OdooClient, schema: Schema) -> None:
    """One problem per model, and per field, the daemon reads that this server lacks."""
    # A missing app is already a problem of its own (not named again through its models).
    of_missing_apps = {REQUIRED_APPS[app] for app in schema.missing_apps}
    for model in survey(client, schema, READ_BY_THE_DAEMON):
        if model not in of_missing_apps:
            report.problems.append(f"this server has no model {model} (the plugin reads it)")
    for name in schema.missing_fields(READ_BY_THE_DAEMON):
        report.problems.append(f"this server has no field {name} (the plugin reads it)")
    links = ", ".join(f"{model}.{name}" for model, name in schema.link_fields.items()) or "origin only"
    report.facts.append(("order ↔ MO link", links))


def check_wire(report: CheckReport, settings: Settings, client: OdooClient, schema: Schema) -> None:
    """Deprecated endpoints on 19+, API keys about to expire."""
    if schema.major >= 19 and client.protocol in ("xmlrpc", "jsonrpc"):
        report.facts.append(("protocol", f"warning: {client.protocol} is deprecated on Odoo {schema.major} (removal "
                                         "announced): give the daemon's user an API key and use protocol auto or "
                                         "json2"))
    if settings.odoo.api_key_value():
        for name, expires in api_keys_expiring(client, KEY_WARNING_DAYS, datetime.now(UTC)):
            report.facts.append(("api key", f"warning: the API key {name!r} of {settings.odoo.login!r} expires on "
                                            f"{expires:%Y-%m-%d %H:%M} UTC: create a new one before then"))
def _check_privilege(settings: Settings, client: OdooClient, uid: int, schema: Schema, report: CheckReport) -> None:
    """The groups the user has, lacks and does not need; where the daemon keeps its state; record rules."""
    login = settings.odoo.login
    if schema.state_home:
        report.facts.append(("state", f"{STATE_MODEL} (its own model: writing it clears no cache)"))
    else:
        report.facts.append(("state", "ir.config_parameter (needs Administration/Settings; every write clears the "
                                      "ERP's caches): run `odoo-urgency install` as an administrator to move it"))
    groups = group_report(client, uid)
    for group in groups.has:
        report.facts.append(("group", f"{group.label} ({group.xml_id})"))
    for group in groups.lacks:
        report.problems.append(f"user {login!r} lacks {group.label} ({group.xml_id}): needed for {group.why}")
    for xml_id, why in groups.unneeded.items():
        report.warnings.append(f"user {login!r} has {xml_id}: {why}")
    if groups.own_documents_only:
        report.problems.append(f"user {login!r} sees its own sale orders only (Sales / User: Own Documents Only): "
                               "record rules hide the others, so the daemon would classify a part of the orders "
                               "silently; give it Sales / User: All Documents")
    if schema.state_home and not groups.in_daemon_group and not schema.missing_rights():
        report.facts.append(("group", f"not in {GROUP_NAME!r}, but the rights it needs come from elsewhere"))
    if schema.install_mode:
        report.facts.append(("overwrite check", overwrite_fact(client)))


def overwrite_fact(client: OdooClient) -> str:
    """Whether the daemon can see what one of its writes replaced (``jobs.daemon.overwrites``)."""
    try:
        client.search_count("mail.tracking.value", [("id", "=", 0)])
    except AccessError:
        return ("off: Odoo shows chatter tracking (mail.tracking.value) to administrators only, so a person's edit "
                "landing between the daemon's last look and its write is not put back; the look before each write "
                "remains the protection")
    return "on: the chatter tracking of x_urgency and x_urgency_deadline shows what each write replaced"


def check_readiness(settings: Settings, client: OdooClient, schema: Schema, report: CheckReport) -> None:
    """Can alerts reach people, and can every open order be read (``jobs.admin.readiness``)?"""
    from odoo_urgency.connector import AccessError
    from odoo_urgency.jobs.admin.readiness import open_order_findings, sender_problems

    try:
        report.problems.extend(sender_problems(client, settings))
        unreadable, archived = open_order_findings(client, schema, settings)
    except AccessError as exc:
        report.problems.append(f"cannot look at open orders and their assignees: {exc}")
        return
    report.warnings.extend(unreadable)
    report.warnings.extend(archived)
