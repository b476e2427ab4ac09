"""Purchasing (紧急备货): were the purchase lines for urgent demand received by the time they were needed?

* **flagged lines**: lines of confirmed purchase orders (``purchase`` / ``done``) that serve special or urgent
  demand — the PO's origin (Odoo lists the source documents there: "WH/MO/00012, S00034") names such a sale order
  or an MO serving one — or whose PO carries the urgent priority (the star the plugin or a buyer sets);
* **needed by**: the earliest planned start of the MOs named in the origin (a component is needed when its MO
  starts), else the line's own ``date_planned`` (the receipt date agreed with the vendor);
* **received**: fully received lines (``qty_received ≥ product_qty``) at the latest done receipt move's ``date``,
  else the line's ``write_date`` where the receipts cannot be read;
* **per buyer** (the PO's purchaser) **and per vendor** (the source's supplier history).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from connector.records import ManufacturingOrder, PurchaseLine, PurchaseOrder, Receipt, SaleOrder
from policies.assessment.figures import Figures, Section, charged, count, group_by
from policies.assessment.judgment import Judgment, judge
from policies.tiers import Tier

CONFIRMED = ("purchase", "done")
NO_BUYER = "(no buyer)"
NO_VENDOR = "(no vendor)"


@dataclass(frozen=True)
class LineOutcome:
    line: PurchaseLine
    po: PurchaseOrder
    judgment: Judgment


@dataclass(frozen=True)
class Demand:
    """What purchasing serves: the special/urgent orders and the MOs serving them, by name."""

    orders: Mapping[str, SaleOrder]
    mos: Mapping[str, ManufacturingOrder]


def demand(orders: Sequence[SaleOrder], mos: Mapping[int, SaleOrder], all_mos: Sequence[ManufacturingOrder],
           tiers: Mapping[int, Tier]) -> Demand:
    """``mos``: MO id → the order it serves (:func:`policies.assessment.production.serving`)."""
    wanted = (Tier.SPECIAL, Tier.URGENT)
    return Demand(
        orders={o.name: o for o in orders if tiers.get(o.id) in wanted},
        mos={mo.name: mo for mo in all_mos if mo.id in mos and tiers.get(mos[mo.id].id) in wanted},
    )


def _sources(origin: str | None) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", origin or "") if part.strip()]


def needed_by(line: PurchaseLine, po: PurchaseOrder, known: Demand) -> datetime | None:
    starts = [known.mos[name].planned_start for name in _sources(po.origin) if name in known.mos]
    planned = [start for start in starts if start is not None]
    return min(planned) if planned else line.date_planned or po.date_planned


def received_at(line: PurchaseLine, receipts: Sequence[Receipt] | None) -> datetime | None:
    if line.product_qty <= 0 or line.qty_received < line.product_qty:
        return None
    if receipts is None:
        return line.write_date
    dates = [r.date for r in receipts if r.state == "done" and r.date is not None]
    return max(dates) if dates else line.write_date


def judge_lines(lines: Sequence[PurchaseLine], pos: Mapping[int, PurchaseOrder], known: Demand,
                receipts: Sequence[Receipt] | None, now: datetime) -> list[LineOutcome]:
    """``receipts`` None when stock moves cannot be read."""
    by_line: dict[int, list[Receipt]] = defaultdict(list)
    for receipt in receipts or ():
        if receipt.purchase_line_id:
            by_line[receipt.purchase_line_id.id].append(receipt)
    outcomes = []
    for line in lines:
        po = pos.get(line.order_id.id) if line.order_id else None
        if po is None or po.state not in CONFIRMED:
            continue
        flagged = po.priority == "1" or any(name in known.orders or name in known.mos for name in _sources(po.origin))
        due = needed_by(line, po, known) if flagged else None
        if due is None:
            continue
        done = received_at(line, by_line.get(line.id, []) if receipts is not None else None)
        outcomes.append(LineOutcome(line, po, judge(due, done, now)))
    return outcomes


def purchasing_section(outcomes: Sequence[LineOutcome], penalties: Mapping[int, float]) -> Section:
    """``penalties``: purchase line id → the vendor penalty estimated for it."""
    def _figures(kind: str, ident: int | None, name: str, members: Sequence[LineOutcome]) -> Figures:
        figures = count(Figures(kind=kind, id=ident, name=name), (o.judgment for o in members))
        figures.penalty = charged((o.line.id for o in members), penalties)
        return figures

    def buyer(o: LineOutcome) -> list[tuple[int, str]]:
        return [(o.po.user_id.id, o.po.user_id.name)] if o.po.user_id else []

    def vendor(o: LineOutcome) -> list[tuple[int, str]]:
        return [(o.po.partner_id.id, o.po.partner_id.name)] if o.po.partner_id else []

    return Section(
        department="purchasing", total=_figures("total", None, "Company total", outcomes),
        groups={"buyer": group_by("buyer", outcomes, buyer, NO_BUYER, _figures),
                "vendor": group_by("vendor", outcomes, vendor, NO_VENDOR, _figures)},
    )
