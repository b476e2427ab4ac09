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
    return report
