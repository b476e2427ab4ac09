"""The routing table of a database, for ``odoo-urgency check``: for each role, who receives its alerts and from
where, and whether the chain can run dry.

Record sources (``order.salesperson`` …) differ per order, so the table names them; the first source that does
not depend on a record and names an active user is the chain's *floor*. A role without a floor is a problem:
an order without its own person for that role would get nobody.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.routing.config import RECORD_SOURCES, ROLES
from odoo_urgency.policies.routing.directory import Directory
from odoo_urgency.policies.routing.router import config_user


class RouteRow(BaseModel):
    role: str
    #: Each source of the chain with what it gives in this database.
    steps: list[tuple[str, str]] = Field(default_factory=list)
    #: Who receives the role's alerts when no record names anyone (empty: nobody — a problem).
    floor: list[int] = Field(default_factory=list)
    floor_source: str | None = None
    #: Configured people who are archived or unknown (skipped).
    warnings: list[str] = Field(default_factory=list)

    @property
    def routable(self) -> bool:
        return bool(self.floor)


def _source_people(source: str, rules: Rules, directory: Directory) -> list[int]:
    if source.startswith("config."):
        user_id = config_user(rules, source)
        return [user_id] if user_id is not None else []
    if source.startswith("group:"):
        return sorted(directory.groups.get(source[6:], []))
    if source.startswith("login:"):
        found = directory.by_login(source[6:])
        return [found] if found is not None else []
    return []


def _describe(source: str, people: list[int], usable: list[int], directory: Directory) -> str:
    if source in RECORD_SOURCES:
        return "per order"
    if source.startswith("group:") and source[6:] not in directory.groups:
        return "group not found in this database"
    if not people:
        return "not configured" if source.startswith("config.") else "nobody"
    if not usable:
        return "only archived or unknown users: " + ", ".join(directory.label(uid) for uid in people)
    return ", ".join(directory.label(uid) for uid in usable)


def _row(role: str, rules: Rules, directory: Directory, depth: int = 0) -> RouteRow:
    row = RouteRow(role=role)
    for source in rules.routing.chain(role):
        if source.startswith("role:"):
            inner = _row(source[5:], rules, directory, depth + 1) if depth < 8 else RouteRow(role=source[5:])
            text = ", ".join(directory.label(uid) for uid in inner.floor) if inner.floor else "nobody"
            row.steps.append((source, f"{text} (via {inner.floor_source})" if inner.floor else text))
            if not row.floor and inner.floor:
                row.floor, row.floor_source = inner.floor, f"{source} → {inner.floor_source}"
            continue
        people = _source_people(source, rules, directory)
        usable = [uid for uid in people if directory.usable(uid)]
        if source.startswith(("config.", "login:")) and people and not usable:
            row.warnings.append(f"{source} names {directory.label(people[0])}, who is archived or not an "
                                "internal user: skipped")
        row.steps.append((source, _describe(source, people, usable, directory)))
        if not row.floor and usable:
            row.floor, row.floor_source = usable, source
    return row


def routing_table(rules: Rules, directory: Directory) -> list[RouteRow]:
    return [_row(role, rules, directory) for role in ROLES]
