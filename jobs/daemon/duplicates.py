"""The plugin's own duplicate to-dos, removed by key, keeping the oldest (issue 19).

Nothing should ever create an alert twice (keys looked up before creating, creates whose answer was lost kept in
flight until the ERP shows them: :mod:`jobs.daemon.guard`). Should one slip through all the same — an ERP that
committed a lost create later than its own request limit, a second daemon on a misconfigured lease — a later cycle
cleans up: among the activities the daemon's own user created that carry ``odoo-urgency key:`` lines, one whose
every key an older one already carries is a duplicate and is deleted. A person's activity is never touched, nor
one of the plugin's that a person already marked done (done activities are no longer ``mail.activity`` rows).

It runs in the rescan cycle (hourly) and in a cycle that found a lost create committed; a quiet cycle never pays it.
"""

from __future__ import annotations

import structlog

from odoo_urgency.connector import OdooClient, OdooError
from odoo_urgency.jobs.daemon.writer import KEY_LINE, keys_in

log = structlog.get_logger("daemon")


def duplicates(rows: list[dict[str, object]]) -> list[int]:
    """Ids of the activities (rows with ``id`` and ``note``) whose every key an older one carries."""
    seen: set[str] = set()
    extra: list[int] = []
    for row in sorted(rows, key=lambda r: int(str(r["id"]))):
        keys = keys_in(row.get("note"))
        if keys and all(key in seen for key in keys):
            extra.append(int(str(row["id"])))
        seen.update(keys)
    return extra


def sweep(client: OdooClient) -> int:
    """Delete the daemon's own duplicate to-dos in the ERP; how many. Failing to delete is logged, not fatal."""
    if client.uid is None:
        return 0
    domain = [("note", "ilike", KEY_LINE), ("create_uid", "=", client.uid)]
    rows = [row for page in client.search_read_all("mail.activity", domain, ["note"]) for row in page]
    extra = duplicates(rows)
    if not extra:
        return 0
    try:
        client.unlink("mail.activity", extra)
    except OdooError as exc:
        if exc.transient:
            raise
        log.warning("duplicates_not_removed", count=len(extra), error=str(exc))
        return 0
    log.warning("duplicate_alerts_removed", count=len(extra), ids=extra[:20], note="the oldest of each key is kept")
    return len(extra)
