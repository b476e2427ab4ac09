"""Showing a capacity plan: before → after per work center, as a terminal table and a self-contained HTML Gantt.

Rows are the work orders that touch the window (``now`` to ``now + days``), per work center in time order; times
are local to ``rules.calendar``. The HTML page has no external resources (inline CSS, no script): today's slot of
each work order as a thin grey bar, the plan's as a bar coloured by tier, and the late urgent MOs with what would
make them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from jinja2 import Environment, select_autoescape
from rich.console import Console
from rich.table import Table

from odoo_urgency.jobs.planning.factory import Factory
from odoo_urgency.policies import Rules, i18n
from odoo_urgency.policies.planning import Schedule
from odoo_urgency.policies.planning.alerts import shortfall_lines

TIER_COLOURS = {"urgent": "#d9534f", "special": "#f0ad4e", "normal": "#5b9bd5"}


@dataclass
class Row:
    center: str
    mo: str
    order: str
    tier: str
    operation: str
    before: tuple[datetime, datetime] | None
    after: tuple[datetime, datetime] | None
    change: str


def rows(factory: Factory, schedule: Schedule, now: datetime, days: float, workcenter: str | None) -> list[Row]:
    names = {c.id: c.name for c in factory.centers}
    until = now + timedelta(days=days)
    out = []
    for job in factory.jobs:
        outcome = schedule.jobs.get(job.id)
        for op in job.operations:
            placed = schedule.operations.get(op.id)
            before = (op.start, op.finish) if op.start and op.finish else None
            after = (placed.start, placed.finish) if placed else before
            center = names.get(placed.workcenter_id if placed else op.workcenter_id, f"#{op.workcenter_id}")
            spans = [s for s in (before, after) if s is not None]
            if (workcenter and center != workcenter) or not any(a < until and b > now for a, b in spans):
                continue
            late = f"late {i18n.hours(outcome.late_hours)} h" if outcome and outcome.late_hours > 0 else "on time"
            change = "locked" if job.locked else ("moved" if placed and placed.moved else "kept")
            out.append(Row(center, job.name, job.order_name or "-", job.tier.value, op.name, before, after,
                           f"{change}, {late}" if job.due else change))
    return sorted(out, key=lambda r: (r.center, r.after[0] if r.after else now, r.mo))


def _when(span: tuple[datetime, datetime] | None, rules: Rules) -> str:
    if span is None:
        return "-"
    return f"{i18n.short_when(span[0], rules.calendar)} → {i18n.short_when(span[1], rules.calendar)}"


def print_table(found: list[Row], schedule: Schedule, factory: Factory, rules: Rules, console: Console) -> None:
    table = Table(title=f"Capacity plan ({schedule.method}): before → after", show_lines=False)
    for column in ("Work center", "MO", "Order", "Tier", "Operation", "Before", "After", "Change"):
        table.add_column(column, overflow="fold")
    for row in found:
        after = _when(row.after, rules) if row.after != row.before else "="
        table.add_row(row.center, row.mo, row.order, row.tier, row.operation, _when(row.before, rules), after,
                      row.change)
    console.print(table)
    for mo_id, shortfall in sorted(schedule.shortfalls.items()):
        name = next((j.name for j in factory.jobs if j.id == mo_id), str(mo_id))
        console.print(f"[bold]{name}[/]: {i18n.hours(shortfall.late_hours)} h late. "
                      + " ".join(shortfall_lines(shortfall, rules)))


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Capacity plan</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222} h1{font-size:20px}
.wc{margin:18px 0} .wc h2{font-size:15px;margin:4px 0}
.lane{position:relative;height:{{ lane_height }}px;background:repeating-linear-gradient(90deg,#fafafa 0,#fafafa
 calc(100%/{{ days }} - 1px),#ddd calc(100%/{{ days }} - 1px),#ddd calc(100%/{{ days }}));border:1px solid #ccc}
.bar{position:absolute;height:14px;border-radius:3px;font-size:11px;color:#fff;overflow:hidden;white-space:nowrap}
.before{background:#bbb;height:5px}
.axis{display:flex;font-size:11px;color:#666} .axis span{flex:1}
.legend span{display:inline-block;margin-right:14px} .sw{width:12px;height:12px;display:inline-block;margin-right:4px}
li{margin:4px 0}
</style></head><body>
<h1>Capacity plan — {{ start }} to {{ end }} ({{ method }})</h1>
<p class="legend">{% for tier, colour in colours.items() %}<span><i class="sw" style="background:{{ colour }}"></i>
{{ tier }}</span>{% endfor %}<span><i class="sw" style="background:#bbb"></i>before</span></p>
<div class="axis">{% for day in day_labels %}<span>{{ day }}</span>{% endfor %}</div>
{% for center, bars in centers %}<div class="wc"><h2>{{ center }}</h2><div class="lane">
{% for bar in bars %}{% if bar.before %}<div class="bar before"
 style="left:{{ bar.before[0] }}%;width:{{ bar.before[1] }}%;top:{{ bar.top + 16 }}px"></div>{% endif %}
{% if bar.after %}<div class="bar" title="{{ bar.title }}"
 style="left:{{ bar.after[0] }}%;width:{{ bar.after[1] }}%;top:{{ bar.top }}px;background:{{ bar.colour }}">
{{ bar.label }}</div>{% endif %}
{% endfor %}</div></div>{% endfor %}
{% if late %}<h2>Urgent MOs the plan leaves late</h2><ul>{% for line in late %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}
</body></html>
"""


def _place(span: tuple[datetime, datetime] | None, now: datetime, days: float) -> tuple[float, float] | None:
    if span is None:
        return None
    total = days * 86400
    left = max(0.0, (span[0] - now).total_seconds() / total * 100)
    right = min(100.0, (span[1] - now).total_seconds() / total * 100)
    return (round(left, 3), round(max(right - left, 0.2), 3)) if right > 0 and left < 100 else None


def html(found: list[Row], schedule: Schedule, factory: Factory, rules: Rules, now: datetime, days: int) -> str:
    centers: dict[str, list[dict[str, object]]] = {}
    for row in found:
        bars = centers.setdefault(row.center, [])
        bars.append({"before": _place(row.before, now, days), "after": _place(row.after, now, days),
                     "top": 4 + (len(bars) % 3) * 24, "colour": TIER_COLOURS.get(row.tier, "#888"),
                     "label": f"{row.mo} {row.operation}",
                     "title": f"{row.mo} ({row.order}, {row.tier}) {row.operation}: {_when(row.after, rules)}; "
                              f"{row.change}"})
    names = {j.id: j.name for j in factory.jobs}
    late = [f"{names.get(mo_id, mo_id)}: {i18n.hours(s.late_hours)} h late. " + " ".join(shortfall_lines(s, rules))
            for mo_id, s in sorted(schedule.shortfalls.items())]
    labels = [i18n.short_when(now + timedelta(days=d), rules.calendar)[:5] for d in range(days)]
    template = Environment(autoescape=select_autoescape(default=True)).from_string(PAGE)
    return template.render(centers=sorted(centers.items()), late=late, method=schedule.method, colours=TIER_COLOURS,
                           start=i18n.short_when(now, rules.calendar), days=days, day_labels=labels,
                           end=i18n.short_when(now + timedelta(days=days), rules.calendar), lane_height=80)
