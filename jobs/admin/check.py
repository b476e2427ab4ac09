"""``odoo-urgency check``: can the plugin work against this ERP, as this user?

Connects, authenticates, detects the schema and the user's rights, and prints one line per fact and one
line per problem. Exit 0 when everything the plugin needs is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connector import OdooClient, Schema, detect
from jobs.runtime.settings import Settings


@dataclass
class CheckReport:
    facts: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    schema: Schema | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def run_check(settings: Settings, client: OdooClient) -> CheckReport:
    """Errors reaching or logging into the ERP propagate (the CLI turns them into one line and an exit code);
    everything found after login is collected as facts and problems."""
    report = CheckReport()
    version = client.version()
    report.facts.append(("server", f"{settings.odoo.url} (Odoo {version.get('server_version', '?')})"))
    report.facts.append(("protocol", settings.odoo.protocol))
    report.facts.append(("database", settings.odoo.database))
    uid = client.authenticate()
    report.facts.append(("user", f"{settings.odoo.login} (uid {uid})"))
    schema = detect(client)
    report.schema = schema
    if schema.major and schema.major < 16:
        report.problems.append(f"Odoo {schema.server_version} is not supported (16, 17, 18 and 19 are)")
    for app in schema.missing_apps:
        report.problems.append(f"the {app} app is not installed in database {settings.odoo.database!r}")
    report.facts.append(("planned start field", f"mrp.production.{schema.mo_planned_start_field}"))
    mode = ("install mode (x_urgency fields present)" if schema.install_mode
            else "tag mode (run `odoo-urgency install` for fields and views)")
    report.facts.append(("mode", mode))
    for model, operations in schema.rights.items():
        granted = ", ".join(f"{op} {'yes' if ok else 'NO'}" for op, ok in operations.items())
        report.facts.append((f"rights on {model}", granted))
    for missing in schema.missing_rights():
        report.problems.append(f"user {settings.odoo.login!r} lacks the right to {missing}")
    check_routing(report, settings, client)
    return report


def check_routing(report: CheckReport, settings: Settings, client: OdooClient) -> None:
    """The routing table of this database: for each role, each source of its chain and whom it gives here; a role
    whose chain can run dry (no source beyond the record's own person names an active user) is a problem."""
    from jobs.daemon.people import read_directory
    from policies.routing.table import routing_table

    directory = read_directory(client, settings.rules)
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
