"""The ERP's people, for routing alerts (``policies.routing``): internal users, archived ones included, and the
members of the groups the routing chains name.

Read only when a cycle has orders to decide and the copy is older than ``REFRESH_SECONDS`` — never in a quiet
cycle, which stays at five calls. Two calls: ``ir.model.data`` for the groups' xml ids (skipped when no chain
names a group, or when ``odoo-urgency install`` recorded them in the daemon's home, which its user may read)
and ``res.users`` with ``active_test`` off (an archived user must be *known* to be archived, or a configured id
could not be told from a typo). The group field is ``groups_id`` up to Odoo 18 and ``group_ids``
from 19. A user who may not read these (least privilege) gets no directory: every user id is then taken as valid,
and ``odoo-urgency check`` says so.
"""

from __future__ import annotations

import time
from collections import defaultdict

import structlog

from odoo_urgency.connector import AccessError, OdooClient
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.routing import ROLES, Directory, Person

log = structlog.get_logger("daemon")

REFRESH_SECONDS = 600.0


def group_xmlids(rules: Rules) -> set[str]:
    return {source[6:] for role in ROLES for source in rules.routing.chain(role) if source.startswith("group:")}


def _groups(client: OdooClient, xmlids: set[str], known: dict[str, int] | None = None) -> dict[int, str]:
    """Group id → xml id for ``xmlids``: from ``known`` (what ``odoo-urgency install`` recorded in the daemon's home,
    for a daemon user who may not read ``ir.model.data``), the rest from ``ir.model.data``."""
    found_known = {gid: xmlid for xmlid, gid in (known or {}).items() if xmlid in xmlids}
    xmlids = xmlids - set(found_known.values())
    if not xmlids:
        return found_known
    if known is not None:
        try:
            return {**_groups(client, xmlids), **found_known}
        except AccessError:
            log.warning("routing_groups_unknown", groups=sorted(xmlids),
                        note="run `odoo-urgency install` again after naming new groups in rules.routing")
            return found_known
    pairs = [xmlid.split(".", 1) for xmlid in sorted(xmlids)]
    rows = client.search_read("ir.model.data", [
        ("model", "=", "res.groups"), ("module", "in", sorted({m for m, _ in pairs})),
        ("name", "in", sorted({n for _, n in pairs})),
    ], ["module", "name", "res_id"])
    found = {int(row["res_id"]): f"{row['module']}.{row['name']}" for row in rows}
    return {gid: xmlid for gid, xmlid in found.items() if xmlid in xmlids}


def read_directory(client: OdooClient, rules: Rules, known_groups: dict[str, int] | None = None) -> Directory | None:
    """The directory, or None when this user may not read users or groups."""
    try:
        groups = _groups(client, group_xmlids(rules), known_groups)
        fields = client.fields_get("res.users")
        group_field = "groups_id" if "groups_id" in fields else "group_ids" if "group_ids" in fields else None
        wanted = ["login", "name", "active", *(name for name in ("lang", group_field) if name and name in fields)]
        rows = client.search_read("res.users", [("share", "=", False)], wanted, context={"active_test": False})
    except AccessError as exc:
        log.warning("directory_unreadable", error=str(exc), note="alerts go to the ids the records name, unchecked")
        return None
    members: defaultdict[str, list[int]] = defaultdict(list)
    people: dict[int, Person] = {}
    for row in rows:
        uid = int(row["id"])
        people[uid] = Person(id=uid, login=row.get("login") or "", name=row.get("name") or "",
                             active=bool(row.get("active", True)), lang=row.get("lang") or "")
        for gid in (row.get(group_field) or []) if group_field else []:
            if gid in groups:
                members[groups[gid]].append(uid)
    return Directory(people=people, groups={xmlid: sorted(members.get(xmlid, [])) for xmlid in groups.values()})


class People:
    """A directory kept for ``REFRESH_SECONDS``."""

    def __init__(self, client: OdooClient, rules: Rules, refresh: float = REFRESH_SECONDS) -> None:
        self.client = client
        self.rules = rules
        self.refresh = refresh
        self._directory: Directory | None = None
        self._read_at: float | None = None
        #: group xml id → id, as install recorded them in the daemon's home (None: look them up by xml id)
        self.known_groups: dict[str, int] | None = None

    def current(self) -> Directory | None:
        """The directory last read, without reading (the push outbox asks during a cycle that read it)."""
        return self._directory

    def get(self) -> Directory | None:
        now = time.monotonic()
        if self._read_at is None or now - self._read_at >= self.refresh:
            self._directory = read_directory(self.client, self.rules, self.known_groups)
            self._read_at = now
        return self._directory
