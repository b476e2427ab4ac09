"""The input of the rules for one sale order: the records the daemon read, and what the plugin remembers.

The daemon builds an :class:`OrderContext` from ERP reads; the policies never read anything else. ``memo``
holds what the plugin wrote before (Odoo wire values, keyed ``"model:id"``), which is how a value changed by a
user is told apart from one the plugin set: a current value that differs from the memo was changed by a user,
and the plugin leaves it alone.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from odoo_urgency.connector.records import ManufacturingOrder, Partner, Picking, Product, SaleOrder, SaleOrderLine, Team
from odoo_urgency.policies.routing.directory import Directory
from odoo_urgency.policies.tiers import Tier


class OrderContext(BaseModel):
    order: SaleOrder
    lines: list[SaleOrderLine] = Field(default_factory=list)
    partner: Partner | None = None
    #: The partner's commercial parent, if any.
    parent_partner: Partner | None = None
    #: res.partner.category id → name (for the partner and its parent).
    category_names: dict[int, str] = Field(default_factory=dict)
    #: crm.tag id → name (for the order's tags).
    tag_names: dict[int, str] = Field(default_factory=dict)
    #: product.product id → product (availability).
    products: dict[int, Product] = Field(default_factory=dict)
    team: Team | None = None
    #: MOs serving this order (linked by procurement group or origin).
    mos: list[ManufacturingOrder] = Field(default_factory=list)
    #: Its transfers; only ``picking_type_code == "outgoing"`` are deliveries.
    pickings: list[Picking] = Field(default_factory=list)
    #: Custom ``x_`` fields exist (``odoo-urgency install`` ran); False = tag mode.
    install_mode: bool = True
    #: Tag mode: the crm.tag id that stands for each tier.
    tier_tag_ids: dict[Tier, int] = Field(default_factory=dict)
    #: ``"model:id"`` → {field: wire value the plugin wrote, "alerts": [alert keys created for that record]}.
    memo: dict[str, dict[str, Any]] = Field(default_factory=dict)
    #: Alert keys that already exist (memo + live activities): never planned again.
    sent_alerts: set[str] = Field(default_factory=set)
    #: The daemon's own user id: a record last written by anyone else was touched by a person since.
    daemon_uid: int | None = None
    #: Late urgent deliveries to the same customer in the penalty window (the history factor).
    late_urgent_deliveries: int = 0
    #: The ERP's people, for routing alerts (None: every user id is taken as valid).
    directory: Directory | None = None

    def memo_for(self, model: str, res_id: int, record_memo: dict[str, Any] | None = None) -> dict[str, Any]:
        """What the plugin wrote on one record: the record's own ``x_urgency_memo`` (install mode) overlaid with
        ``memo["model:id"]`` (tag mode, or what the daemon passes explicitly)."""
        return {**(record_memo or {}), **self.memo.get(f"{model}:{res_id}", {})}

    def known_alerts(self) -> set[str]:
        """Every alert key already created: ``sent_alerts`` plus the ``alerts`` lists of all memo entries (and of the
        records' own memos)."""
        keys = set(self.sent_alerts)
        memos: list[dict[str, Any]] = list(self.memo.values())
        memos.append(self.order.x_urgency_memo)
        memos.extend(mo.x_urgency_memo for mo in self.mos)
        memos.extend(picking.x_urgency_memo for picking in self.pickings)
        for entry in memos:
            alerts = entry.get("alerts") if isinstance(entry, dict) else None
            if isinstance(alerts, (list, tuple, set)):
                keys.update(str(key) for key in alerts)
        return keys
