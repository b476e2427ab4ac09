"""Purchasing (紧急备货): were the purchase lines the plugin flagged received by the time they were needed?

* **flagged lines**: exactly the purchase lines the materials pass asked a buyer to expedite — supply pegged to a
  special or urgent MO's component and expected after it is needed. The expedite alert's note carries them as one
  machine-readable line (:mod:`policies.flagged`), which the report reads back from the ERP (open activities, and
  the chatter messages of done ones); a cancelled purchase order's lines are left out;
* **needed by**: the need's date written in the flag (the MO's planned start: a component is needed when its MO
  starts) — the earliest, for a line flagged for several needs;
* **received**: fully received lines (``qty_received ≥ product_qty``) at the latest done receipt move's ``date``,
  else the line's ``write_date`` where the receipts cannot be read;
* **per buyer** (the PO's purchaser) **and per vendor** (the source's supplier history).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from odoo_urgency.connector.records import PurchaseLine, PurchaseOrder, Receipt
from odoo_urgency.policies.assessment.figures import Figures, Section, charged, count, group_by
from odoo_urgency.policies.assessment.judgment import Judgment, judge
from odoo_urgency.policies.flagged import Flag

NO_BUYER = "(no buyer)"
NO_VENDOR = "(no vendor)"


@dataclass(frozen=True)
class LineOutcome:
    line: PurchaseLine
    po: PurchaseOrder
    judgment: Judgment


def received_at(line: PurchaseLine, receipts: Sequence[Receipt] | None) -> datetime | None:
    if line.product_qty <= 0 or line.qty_received < line.product_qty:
        return None
    if receipts is None:
        return line.write_date
    dates = [r.date for r in receipts if r.state == "done" and r.date is not None]
    return max(dates) if dates else line.write_date


def judge_lines(lines: Sequence[PurchaseLine], pos: Mapping[int, PurchaseOrder], flags: Mapping[int, Flag],
                receipts: Sequence[Receipt] | None, now: datetime) -> list[LineOutcome]:
    """``flags``: line id → its (earliest) flag; ``receipts`` None when stock moves cannot be read."""
    by_line: dict[int, list[Receipt]] = defaultdict(list)
    for receipt in receipts or ():
        if receipt.purchase_line_id:
            by_line[receipt.purchase_line_id.id].append(receipt)
    outcomes = []
    for line in lines:
        flag = flags.get(line.id)
        po = pos.get(line.order_id.id) if line.order_id else None
        if flag is None or po is None or po.state == "cancel":
            continue
        done = received_at(line, by_line.get(line.id, []) if receipts is not None else None)
        outcomes.append(LineOutcome(line, po, judge(flag.needed_by, done, now)))
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
