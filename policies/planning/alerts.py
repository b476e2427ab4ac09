"""对于无法完成的紧急订单，要立即向业务解释和通报生产状况: tell sales and the planner at once, with the numbers.

For every urgent MO the capacity plan leaves late: one alert to the salesperson of its order and one to the planner,
each role routed through its chain of ``[rules.routing]`` (the order's salesperson, the MO's responsible, then the
configured and group fallbacks; one activity when both are the same person), each with the plan's finish, the lateness, the
overtime per work center and day that would make it and the lower-tier MOs that would have to slip. The keys
(``capacity:mrp.production:<id>:<role>``) dedupe them like every other alert. The note also carries the overtime
asked for as one machine-readable line (:mod:`policies.planning.asks`), which the monthly report reads back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from odoo_urgency.policies import i18n
from odoo_urgency.policies.alerts import AlertBox, Draft, alert_key
from odoo_urgency.policies.calendar import as_utc
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.plan import Alert
from odoo_urgency.policies.planning.asks import overtime_note
from odoo_urgency.policies.planning.model import Job, Schedule, Shortfall
from odoo_urgency.policies.routing.directory import Directory

MO = "mrp.production"
ROLES = ("salesperson", "planner")


@dataclass(frozen=True)
class People:
    """Who hears about an MO: its order's name and salesperson, the MO's responsible."""

    order: str | None
    salesperson_id: int | None
    responsible_id: int | None


def shortfall_lines(shortfall: Shortfall, rules: Rules) -> list[str]:
    language = rules.language
    lines = []
    if shortfall.overtime:
        items = i18n.joined([f"{o.workcenter} {o.day:%m-%d} {i18n.hours(o.hours)} h" for o in shortfall.overtime])
        key = "alert.capacity.overtime" if shortfall.overtime_suffices else "alert.capacity.overtime_short"
        lines.append(i18n.text(language, key, items=items,
                               max=i18n.hours(rules.planning.max_overtime_hours_per_day)))
    if shortfall.slips and shortfall.slips_suffice:
        items = i18n.joined([f"{s.job} +{i18n.hours(s.hours)} h" for s in shortfall.slips])
        lines.append(i18n.text(language, "alert.capacity.slips", items=items))
    else:
        lines.append(i18n.text(language, "alert.capacity.no_slips"))
    return lines


def capacity_alerts(jobs: list[Job], schedule: Schedule, people: Mapping[int, People], rules: Rules,
                    known: set[str], now: datetime, *, directory: Directory | None = None) -> list[Alert]:
    """Routed like every alert (:class:`policies.alerts.AlertBox`): each role through its chain of
    ``[rules.routing]`` — an archived salesperson's alert goes on down the chain — and one activity per person
    when the salesperson and the planner are the same user."""
    if not rules.alerts.enabled:
        return []
    language, cal = rules.language, rules.calendar
    out: list[Alert] = []
    for job in jobs:
        shortfall, outcome, who = schedule.shortfalls.get(job.id), schedule.jobs.get(job.id), people.get(job.id)
        if shortfall is None or outcome is None or who is None or job.due is None:
            continue
        what = [i18n.text(language, "alert.capacity.what", mo=job.name, due=i18n.when(job.due, cal, language),
                          finish=i18n.when(outcome.finish, cal, language), late=i18n.hours(shortfall.late_hours)),
                *shortfall_lines(shortfall, rules)]
        headline = i18n.text(language, "alert.capacity.summary", mo=job.name, due=i18n.short_when(job.due, cal),
                             order=who.order or job.name)
        draft = Draft(kind="infeasible", situation=alert_key("capacity", MO, job.id), model=MO, res_id=job.id,
                      headline=headline, what=what, why="",
                      todo={role: i18n.text(language, f"alert.infeasible.todo.{role}") for role in ROLES},
                      due=as_utc(max(as_utc(now), as_utc(job.due))), tier=job.tier,
                      data=overtime_note(shortfall.overtime))  # read back by the monthly report (planning.asks)
        box = AlertBox(rules, known, ctx=None, now=now, directory=directory,
                       persons={"order.salesperson": who.salesperson_id, "mo.responsible": who.responsible_id})
        box.route(draft, {role: alert_key("capacity", MO, job.id, role) for role in ROLES})
        out.extend(alert for alert in box.alerts if not any(k in {a.key for a in out} for k in alert.all_keys()))
    return out
