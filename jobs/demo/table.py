"""``odoo-urgency demo``: the whole product in one command, on the embedded sandbox ERP.

Starts the sandbox with its demo stories (a customer's line stopped, a raw-material shortage, a big VIP order,
ordinary orders, a forgotten quotation, an MO planned too late), installs the plugin's fields and views into
it, runs one sync cycle exactly as the daemon would against a real Odoo, and prints a before/after table.
``--serve`` then keeps the sandbox and the daemon running so a person can look around over XML-RPC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from odoo_urgency.connector import OdooClient, Schema
from odoo_urgency.connector.records import parse_datetime
from odoo_urgency.jobs.daemon.summary import CycleSummary
from odoo_urgency.policies.config import CalendarConfig
from odoo_urgency.policies.i18n import short_when


@dataclass
class OrderView:
    name: str
    customer: str
    state: str
    tier: str = "-"
    deadline: str = "-"
    reasons: str = ""
    mos: list[str] = field(default_factory=list)
    deliveries: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)


def _priority(value: str) -> str:
    return "URGENT" if value == "1" else "normal"


#: Below this many columns the before/after is one block per order rather than one wide table, so that no word is
#: ever broken across lines.
WIDE = 140


def snapshot(client: OdooClient, schema: Schema, calendar: CalendarConfig | None = None) -> dict[int, OrderView]:
    """What a person would see in the ERP, for every order: a handful of batched reads. Times are local to
    ``calendar``'s zone (UTC without one)."""
    calendar = calendar or CalendarConfig()
    planned_start_field, install_mode = schema.mo_planned_start_field, schema.install_mode

    def _short(value: Any) -> str:
        when = parse_datetime(value)
        return short_when(when, calendar) if when else "-"

    fields = ["name", "partner_id", "state", "tag_ids", *schema.link_fields_of("sale.order")]
    if install_mode:
        fields += ["x_urgency", "x_urgency_deadline", "x_urgency_reason"]
    orders = client.search_read("sale.order", [], fields, order="id")
    tags = {t["id"]: t["name"] for t in client.search_read("crm.tag", [], ["name"])}
    users = {u["id"]: u["name"] for u in client.search_read("res.users", [], ["name"])}
    mos = client.search_read("mrp.production", [], ["name", "priority", planned_start_field, "origin",
                                                    *schema.link_fields_of("mrp.production")])
    pickings = client.search_read("stock.picking", [("picking_type_code", "=", "outgoing")],
                                  ["name", "priority", "scheduled_date", "sale_id"])
    activities = client.search_read("mail.activity", [], ["res_model", "res_id", "user_id", "summary"])
    views: dict[int, OrderView] = {}
    for row in orders:
        view = OrderView(name=row["name"], customer=row["partner_id"][1] if row["partner_id"] else "-",
                         state=row["state"])
        if install_mode and row.get("x_urgency"):
            view.tier = row["x_urgency"]
            view.deadline = _short(row.get("x_urgency_deadline"))
            view.reasons = row.get("x_urgency_reason") or ""
        else:
            tier_tags = [tags.get(t, "") for t in row["tag_ids"] if "/" in tags.get(t, "")]
            view.tier = ", ".join(tier_tags) or "-"
        links = set(schema.links_of("sale.order", row))
        mo_ids: list[int] = []
        for mo in mos:
            if links & set(schema.links_of("mrp.production", mo)) or mo["origin"] == row["name"]:
                mo_ids.append(mo["id"])
                view.mos.append(f"{mo['name']} {_priority(mo['priority'])}, start {_short(mo[planned_start_field])}")
        picking_ids = [p["id"] for p in pickings if p["sale_id"] and p["sale_id"][0] == row["id"]]
        for picking in pickings:
            if picking["id"] in picking_ids:
                view.deliveries.append(f"{picking['name']} {_priority(picking['priority'])}, "
                                       f"ship {_short(picking['scheduled_date'])}")
        for activity in activities:
            on_order = activity["res_model"] == "sale.order" and activity["res_id"] == row["id"]
            on_mo = activity["res_model"] == "mrp.production" and activity["res_id"] in mo_ids
            on_picking = activity["res_model"] == "stock.picking" and activity["res_id"] in picking_ids
            if on_order or on_mo or on_picking:
                who = users.get(activity["user_id"][0], "?") if activity["user_id"] else "?"
                view.alerts.append(f"{who}: {activity['summary']}")
        views[row["id"]] = view
    return views


COLUMNS = ("Order", "Customer", "Tier / deadline", "Why", "Manufacturing order", "Delivery",
           "Alerts created (to whom)")


def _cells(old: OrderView, new: OrderView) -> tuple[str, ...]:
    tier = new.tier if old.tier == new.tier else f"{old.tier} → [bold]{new.tier}[/]"
    if new.deadline != "-":
        tier += f"\nby {new.deadline}"
    mos = "\n".join(_arrow(o, n) for o, n in zip(old.mos, new.mos, strict=False)) or "-"
    deliveries = "\n".join(_arrow(o, n) for o, n in zip(old.deliveries, new.deliveries, strict=False)) or "-"
    fresh = [alert for alert in new.alerts if alert not in old.alerts]
    return (f"{new.name} ({new.state})", new.customer, tier, new.reasons or "-", mos, deliveries,
            "\n".join(fresh) or "-")


def render(before: dict[int, OrderView], after: dict[int, OrderView], summary: CycleSummary, console: Console,
           zone: str = "UTC") -> None:
    title = f"odoo-urgency: one sync cycle on the demo ERP (before → after; times in {zone})"
    rows = [_cells(before.get(order_id, new), new) for order_id, new in after.items()]
    if console.width >= WIDE:
        table = Table(title=title, show_lines=True, expand=True)
        for column in COLUMNS:
            table.add_column(column)
        for cells in rows:
            table.add_row(*cells)
        console.print(table)
    else:
        console.print(f"[bold]{title}[/]")
        for cells in rows:
            block = Table(show_header=False, box=box.SIMPLE_HEAD, padding=(0, 1), expand=True)
            block.add_column(style="dim", no_wrap=True, min_width=max(len(c) for c in COLUMNS))
            block.add_column(ratio=1)
            for label, value in zip(COLUMNS[1:], cells[1:], strict=True):
                if value != "-":
                    block.add_row(label, value)
            console.print(f"\n[bold]{cells[0]}[/]")
            console.print(block)
    console.print(summary_line(summary))


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


def summary_line(summary: CycleSummary) -> str:
    tiers = ", ".join(f"{count} {tier}" for tier, count in summary.orders_by_tier.items())
    return (f"Cycle: {tiers}; {_count(summary.writes, 'record')} written, {_count(summary.alerts, 'alert')} "
            f"({_count(summary.escalations, 'escalation')}), {_count(summary.errors, 'error')}, "
            f"{summary.rpc_calls} RPC calls, {summary.duration_s:.2f} s.")


def _arrow(old: str, new: str) -> str:
    return new if old == new else f"{old}\n→ [bold]{new}[/]"
