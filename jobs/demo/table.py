"""``odoo-urgency demo``: the whole product in one command, on the embedded sandbox ERP.

Starts the sandbox with its demo stories (a customer's line stopped, a raw-material shortage, a big VIP order,
ordinary orders, a forgotten quotation, an MO planned too late), installs the plugin's fields and views into
it, runs one sync cycle exactly as the daemon would against a real Odoo, and prints a before/after table.
``--serve`` then keeps the sandbox and the daemon running so a person can look around over XML-RPC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

from connector import OdooClient
from connector.records import parse_datetime
from jobs.daemon.summary import CycleSummary


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


def _short(value: Any) -> str:
    when = parse_datetime(value)
    return when.strftime("%m-%d %H:%M") if when else "-"


def snapshot(client: OdooClient, planned_start_field: str, install_mode: bool) -> dict[int, OrderView]:
    """What a person would see in the ERP, for every order: a handful of batched reads."""
    fields = ["name", "partner_id", "state", "tag_ids", "procurement_group_id"]
    if install_mode:
        fields += ["x_urgency", "x_urgency_deadline", "x_urgency_reason"]
    orders = client.search_read("sale.order", [], fields, order="id")
    tags = {t["id"]: t["name"] for t in client.search_read("crm.tag", [], ["name"])}
    users = {u["id"]: u["name"] for u in client.search_read("res.users", [], ["name"])}
    mos = client.search_read("mrp.production", [], ["name", "priority", planned_start_field, "procurement_group_id",
                                                    "origin"])
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
        group = row["procurement_group_id"][0] if row["procurement_group_id"] else None
        mo_ids: list[int] = []
        for mo in mos:
            if (group and mo["procurement_group_id"] and mo["procurement_group_id"][0] == group) or mo["origin"] == row["name"]:
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


def render(before: dict[int, OrderView], after: dict[int, OrderView], summary: CycleSummary, console: Console) -> None:
    table = Table(title="odoo-urgency: one sync cycle on the demo ERP (before → after)", show_lines=True,
                  expand=True)
    for column in ("Order", "Customer", "Tier / deadline", "Why", "Manufacturing order", "Delivery",
                   "Alerts created (to whom)"):
        table.add_column(column, overflow="fold")
    for order_id, new in after.items():
        old = before.get(order_id, new)
        tier = new.tier if old.tier == new.tier else f"{old.tier} → [bold]{new.tier}[/]"
        if new.deadline != "-":
            tier += f"\nby {new.deadline} UTC"
        mos = "\n".join(_arrow(o, n) for o, n in zip(old.mos, new.mos, strict=False)) or "-"
        deliveries = "\n".join(_arrow(o, n) for o, n in zip(old.deliveries, new.deliveries, strict=False)) or "-"
        fresh = [alert for alert in new.alerts if alert not in old.alerts]
        table.add_row(f"{new.name}\n({new.state})", new.customer, tier, new.reasons or "-", mos, deliveries,
                      "\n".join(fresh) or "-")
    console.print(table)
    tiers = ", ".join(f"{count} {tier}" for tier, count in summary.orders_by_tier.items())
    console.print(f"Cycle: {tiers}; {summary.writes} records written, {summary.alerts} alerts "
                  f"({summary.escalations} escalations), {summary.errors} errors, {summary.rpc_calls} RPC calls, "
                  f"{summary.duration_s:.2f} s.")


def _arrow(old: str, new: str) -> str:
    return new if old == new else f"{old}\n→ [bold]{new}[/]"
