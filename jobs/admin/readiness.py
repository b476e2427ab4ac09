"""What ``check`` looks at beyond schema and rights: can the daemon's alerts reach people, and can it read every
open order?

* **The sender's e-mail.** Odoo notifies the assignee of every activity created for someone else, and refuses
  the whole ``create`` when the creating user has no e-mail address ("Unable to send message, please configure
  the sender's email address.", ``mail.thread._message_compute_author`` in Odoo 17). Without one, every alert of
  the daemon is refused: a problem.
* **Archived assignees.** Odoo accepts an activity for an archived user, who never sees it. The daemon sends
  such alerts to the next person of the role's routing chain (``policies.routing``); ``check`` names the archived
  users that open orders, their MOs and deliveries still point at, so someone reassigns them.
* **Unreadable orders.** An open order with a value the rules cannot read (a date in year 1, a value of the
  wrong type) is skipped by the daemon with one line; ``check`` lists them all, through the daemon's own reader.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from odoo_urgency.connector import OdooClient, Schema
from odoo_urgency.connector.records import SaleOrder
from odoo_urgency.jobs.daemon.reader import Reader, chunks
from odoo_urgency.jobs.runtime.settings import Settings

BATCH = 500


def sender_problems(client: OdooClient, settings: Settings) -> list[str]:
    """A problem when the daemon's own user has no e-mail address (Odoo then refuses every alert)."""
    rows = client.read("res.users", [client.uid or 0], ["name", "email"])
    if rows and not rows[0].get("email"):
        return [f"user {settings.odoo.login!r} has no e-mail address: Odoo refuses every activity it creates for "
                "someone else (\"configure the sender's email address\"); give the user an e-mail address "
                "(Settings > Users)"]
    return []


def open_order_findings(client: OdooClient, schema: Schema, settings: Settings) -> tuple[list[str], list[str]]:
    """(unreadable orders, archived assignees): one line each, from every open order the daemon looks at."""
    reader = Reader(client, schema, settings.rules, install_mode=schema.install_mode)
    domain = reader.open_orders_domain(datetime.now(timezone.utc), settings.daemon.initial_lookback_days)
    ids = [row["id"] for row in reader.stamps("sale.order", domain, [])]
    unreadable: list[str] = []
    assignees: Counter[int] = Counter()
    for batch in chunks(ids, BATCH):
        read = reader.read_batch(reader.read_rows(SaleOrder, batch))
        contexts = reader.contexts(read, {})
        unreadable.extend(f"{line}; the daemon skips this order until it is fixed" for line in read.skipped)
        for ctx in contexts:
            people = {ctx.order.user_id, ctx.team.user_id if ctx.team else None,
                      *(mo.user_id for mo in ctx.mos), *(p.user_id for p in ctx.pickings)}
            assignees.update(ref.id for ref in people if ref is not None)
    return unreadable, archived_lines(client, settings, assignees)


def archived_lines(client: OdooClient, settings: Settings, assignees: Counter[int]) -> list[str]:
    production, escalation = settings.rules.production, settings.rules.escalation
    configured = {"planner_user_id": production.planner_user_id, "logistics_user_id": production.logistics_user_id,
                  "manager_user_id": escalation.manager_user_id, "director_user_id": escalation.director_user_id}
    wanted = sorted(set(assignees) | {uid for uid in configured.values() if uid})
    archived: dict[int, str] = {}
    for chunk in chunks(wanted):
        rows = client.search_read("res.users", [("id", "in", chunk), ("active", "=", False)], ["name"],
                                  context={"active_test": False})
        archived.update({int(row["id"]): str(row.get("name") or "") for row in rows})
    lines = [f"user {name} (id {uid}) is archived and responsible on {assignees[uid]} open order(s) or their "
             "MOs/deliveries: their alerts go to the next person of the role's routing chain"
             for uid, name in sorted(archived.items()) if assignees[uid]]
    lines += [f"[rules] {key} = {uid} is an archived user ({archived[uid]}): alerts for that role go to the "
              "next person of its routing chain" for key, uid in configured.items() if uid in archived]
    return lines
