"""对于无法完成的紧急订单，要立即向业务解释和通报生产状况: tell sales and the planner at once, with the numbers.

For every urgent MO the capacity plan leaves late: one alert to the salesperson of its order and one to the planner
(the MO's responsible, else ``production.planner_user_id``), each with the plan's finish, the lateness, the
overtime per work center and day that would make it and the lower-tier MOs that would have to slip. The keys
(``capacity:mrp.production:<id>:<role>``) dedupe them like every other alert. The note also carries the overtime
asked for as one machine-readable line (:mod:`policies.planning.asks`), which the monthly report reads back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from policies import i18n
from policies.alerts import alert_key
from policies.calendar import as_utc, to_local
from policies.config import Rules
from policies.plan import Alert
from policies.planning.asks import overtime_note
from policies.planning.model import Job, Schedule, Shortfall

MO = "mrp.production"


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
                    known: set[str], now: datetime) -> list[Alert]:
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
        due = as_utc(max(as_utc(now), as_utc(job.due)))
        asked = overtime_note(shortfall.overtime)  # read back by the monthly report (policies.planning.asks)
        recipients = (("salesperson", who.salesperson_id),
                      ("planner", who.responsible_id or rules.production.planner_user_id))
        for role, user_id in recipients:
            key = alert_key("capacity", MO, job.id, role)
            if user_id is None or key in known or any(a.key == key for a in out):
                continue
            todo = [i18n.text(language, f"alert.infeasible.todo.{role}")]
            out.append(Alert(key=key, kind="infeasible", role=role, model=MO, res_id=job.id, user_id=user_id,
                             summary=headline, note=i18n.paragraphs(*what, *todo) + asked, due=due,
                             date_deadline=to_local(due, cal).date(), roles=[role], keys=[key],
                             situation=alert_key("capacity", MO, job.id), tier=job.tier, headline=headline,
                             what=what, todo=todo))
    return out
