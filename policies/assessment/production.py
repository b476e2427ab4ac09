"""Production: were the MOs serving special and urgent demand finished by the time they were needed?

* **serving**: an MO serves a sale order when it shares the order's procurement group or names the order as its
  origin (how Odoo links them, and how the daemon reads them); the order's report tier must be special or urgent;
  cancelled MOs are left out;
* **needed by**: :func:`policies.deadlines.finish_target` of the order's requested delivery (the date the plugin
  plans against), else the MO's own ``date_deadline`` (Odoo's, from the delivery it feeds); an MO with neither is
  not assessed;
* **finished**: a done MO's ``date_finished`` (Odoo sets it when the MO is marked done);
* **pulled earlier**: the plugin moved the planned start earlier (its memo holds ``planned_start``; install mode);
* **per work center**: from the MO's work orders; an MO counts under each work center it passes through;
* **overtime asked for**: the hours of overtime the capacity planner asked for to make an MO on time, per work
  center — read back from the ERP: the machine-readable line of the planner's alert (:mod:`policies.planning.asks`)
  on the MO's open activity or, once the activity is marked done, in the chatter message Odoo posts with its note.
  Counted in the month the MO was due, like its other figures; a work center's group holds the hours asked for on
  that work center (and counts the MOs that had overtime asked for there). The planner never plans work outside
  working hours itself: overtime exists only as this ask, so "hours planned outside the calendar" is always zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from odoo_urgency.connector.records import ManufacturingOrder, SaleOrder, WorkOrder
from odoo_urgency.policies.assessment.figures import Figures, Section, charged, count, group_by
from odoo_urgency.policies.assessment.judgment import Judgment, judge
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.deadlines import finish_target
from odoo_urgency.policies.planning.asks import OvertimeAsk, total_hours
from odoo_urgency.policies.tiers import Tier

NO_WORK_CENTER = "(no work center)"


@dataclass(frozen=True)
class MoOutcome:
    mo: ManufacturingOrder
    order: SaleOrder
    tier: Tier
    judgment: Judgment
    pulled_earlier: bool


def serving(orders: Sequence[SaleOrder], mos: Sequence[ManufacturingOrder]) -> dict[int, SaleOrder]:
    """MO id → the sale order it serves (by a shared link — procurement group or stock reference, whichever
    this Odoo has — else by origin = the order's name)."""
    by_link = {link: o for o in orders for link in o.links}
    by_name = {o.name: o for o in orders if o.name}
    found: dict[int, SaleOrder] = {}
    for mo in mos:
        order = next((by_link[link] for link in mo.links if link in by_link), None)
        order = order or (by_name.get(mo.origin) if mo.origin else None)
        if order is not None:
            found[mo.id] = order
    return found


def needed_by(mo: ManufacturingOrder, order: SaleOrder, rules: Rules) -> datetime | None:
    if order.commitment_date is not None:
        return finish_target(order.commitment_date, rules)
    return mo.date_deadline


def judge_mos(orders: Sequence[SaleOrder], mos: Sequence[ManufacturingOrder], tiers: Mapping[int, Tier],
              rules: Rules, now: datetime) -> list[MoOutcome]:
    links = serving(orders, mos)
    outcomes = []
    for mo in mos:
        order = links.get(mo.id)
        tier = tiers.get(order.id) if order is not None else None
        if order is None or tier not in (Tier.SPECIAL, Tier.URGENT) or mo.state == "cancel":
            continue
        due = needed_by(mo, order, rules)
        if due is None:
            continue
        done_at = mo.date_finished if mo.state == "done" else None
        outcomes.append(MoOutcome(mo, order, tier, judge(due, done_at, now), "planned_start" in mo.x_urgency_memo))
    return outcomes


class ProductionFigures(Figures):
    pulled_earlier: int = 0
    #: Hours of overtime the capacity planner asked for (on this work center, for a work center's group).
    overtime_asked_hours: float = 0.0
    #: MOs for which it asked for overtime (there).
    overtime_asked_mos: int = 0


def production_section(outcomes: Sequence[MoOutcome], workorders: Sequence[WorkOrder] | None,
                       penalties: Mapping[int, float],
                       overtime: Mapping[int, Sequence[OvertimeAsk]] | None = None) -> Section:
    """The section; ``workorders`` None when the ERP has no work orders (no per-work-center figures then);
    ``penalties``: order id → the penalty charged to production for it; ``overtime``: MO id → the planner's asks."""
    asks = overtime or {}

    def _figures(kind: str, ident: int | None, name: str, members: Sequence[MoOutcome]) -> ProductionFigures:
        figures = count(ProductionFigures(kind=kind, id=ident, name=name), (o.judgment for o in members))
        figures.pulled_earlier = sum(o.pulled_earlier for o in members)
        figures.penalty = charged((o.order.id for o in members), penalties)
        center = ident if kind == "work_center" else None
        hours = [total_hours(asks.get(o.mo.id, ()), center) for o in members]
        figures.overtime_asked_hours = round(sum(hours), 2)
        figures.overtime_asked_mos = sum(1 for h in hours if h > 0)
        return figures

    section = Section(department="production", total=_figures("total", None, "Company total", outcomes))
    if workorders is None:
        section.note = "work orders are not available: no figures per work center"
        return section
    centers: dict[int, dict[int, str]] = defaultdict(dict)
    for wo in workorders:
        if wo.production_id and wo.workcenter_id:
            centers[wo.production_id.id][wo.workcenter_id.id] = wo.workcenter_id.name
    for mo_id, mo_asks in asks.items():  # overtime asked for on a work center the MO's work orders left since
        for ask in mo_asks:
            centers[mo_id].setdefault(ask.workcenter_id, ask.workcenter or f"#{ask.workcenter_id}")
    section.groups["work_center"] = group_by(
        "work_center", outcomes, lambda o: sorted(centers.get(o.mo.id, {}).items()), NO_WORK_CENTER, _figures)
    return section
