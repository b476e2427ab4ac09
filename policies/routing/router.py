"""Resolving a role to people for one order: the first source of the role's chain that names an active user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from odoo_urgency.connector.records import ManufacturingOrder, Picking, PurchaseOrder
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.context import OrderContext
from odoo_urgency.policies.routing.config import RECORD_SOURCES
from odoo_urgency.policies.routing.directory import Directory


@dataclass(frozen=True)
class Recipient:
    user_id: int
    #: The chain step that named them, e.g. "order.team_leader", "group:sales_team.group_sale_manager".
    source: str


def config_user(rules: Rules, source: str) -> int | None:
    """The user id a ``config.*`` source names (None when not configured)."""
    return {
        "config.manager": rules.escalation.manager_user_id,
        "config.director": rules.escalation.director_user_id,
        "config.planner": rules.production.planner_user_id,
        "config.logistics": rules.production.logistics_user_id,
        "config.purchasing": rules.routing.purchasing_user_id or rules.materials.purchasing_user_id,
    }[source]


@dataclass(frozen=True)
class _Records:
    """The records an alert is about, whose own people the chain may name."""

    mo: ManufacturingOrder | None = None
    picking: Picking | None = None
    purchase: PurchaseOrder | None = None


class Router:
    """``ctx``: the order whose people the record sources name. ``persons``: those people given directly, for an
    alert that has no order context (the capacity planner knows an MO's order only by name and salesperson);
    a record source it does not give names nobody, and the chain goes on."""

    def __init__(self, ctx: OrderContext | None, rules: Rules, directory: Directory | None, *,
                 persons: Mapping[str, int | None] | None = None) -> None:
        self.ctx = ctx
        self.rules = rules
        self.directory = directory
        self.persons = persons

    def resolve(self, role: str, *, mo: ManufacturingOrder | None = None, picking: Picking | None = None,
                purchase: PurchaseOrder | None = None) -> list[Recipient]:
        """The people who receive ``role``'s alert; [] when the whole chain is dry."""
        return self._chain(role, _Records(mo, picking, purchase), depth=0)

    def _chain(self, role: str, records: _Records, depth: int) -> list[Recipient]:
        for source in self.rules.routing.chain(role):
            if source.startswith("role:"):
                found = self._chain(source[5:], records, depth + 1) if depth < 8 else []
            else:
                found = [Recipient(uid, source) for uid in self._users(source, records) if self._usable(uid)]
            if found:
                return found
        return []

    def _usable(self, user_id: int) -> bool:
        return self.directory is None or self.directory.usable(user_id)

    def _users(self, source: str, records: _Records) -> list[int]:
        if self.persons is not None and source in RECORD_SOURCES:
            user_id = self.persons.get(source)
            return [user_id] if user_id else []
        if self.ctx is None:
            return self._shared_users(source)
        order, mo, picking = self.ctx.order, records.mo, records.picking
        if source == "order.salesperson":
            return [order.user_id.id] if order.user_id else []
        if source == "order.team_leader":
            team = self.ctx.team
            return [team.user_id.id] if team is not None and team.user_id else []
        if source == "mo.responsible":
            return [mo.user_id.id] if mo is not None and mo.user_id else []
        if source == "picking.responsible":
            return [picking.user_id.id] if picking is not None and picking.user_id else []
        if source == "purchase.buyer":
            purchase = records.purchase
            return [purchase.user_id.id] if purchase is not None and purchase.user_id else []
        return self._shared_users(source)

    def _shared_users(self, source: str) -> list[int]:
        """The sources that name the same people for every order: configured users, groups, logins."""
        if source.startswith("config."):
            user_id = config_user(self.rules, source)
            return [user_id] if user_id is not None else []
        if source.startswith("group:"):
            return sorted(self.directory.groups.get(source[6:], [])) if self.directory is not None else []
        if source.startswith("login:"):
            found = self.directory.by_login(source[6:]) if self.directory is not None else None
            return [found] if found is not None else []
        return []
