"""Rendering the assessment: JSON (the model as it is), CSV, a rich table, and one self-contained HTML page.

The HTML page comes from Jinja2 templates (``templates/report.html.j2``, charts in ``templates/charts.html.j2``)
with autoescaping on: every name from the ERP is escaped by the template engine, not by hand. The page has inline
CSS and inline SVG only (no script, no external resource) and is well-formed XHTML, so it opens offline anywhere,
as a Discuss attachment too, and other tools can parse it as XML.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined

from odoo_urgency.jobs.report.charts import DEPARTMENT_NAMES, tier_chart, trend_chart
from odoo_urgency.policies.assessment import Assessment, Figures
from odoo_urgency.policies.calendar import as_utc

Column = tuple[str, str, str, str]  # heading, Chinese subtitle, attribute, kind

SHARED: tuple[Column, ...] = (
    ("Items", "数量", "items", "int"),
    ("On time", "按时", "on_time", "int"),
    ("Late", "延误", "late", "int"),
    ("Pending", "未到期", "pending", "int"),
    ("On-time rate", "按时率", "on_time_rate", "rate"),
    ("Late p50 h", "延误中位", "lateness_p50_hours", "hours"),
    ("Late p90 h", "延误90分位", "lateness_p90_hours", "hours"),
    ("Penalty", "罚款估算", "penalty", "money"),
)
SALES: tuple[Column, ...] = (
    ("Orders", "订单", "orders", "int"), ("Normal", "普通", "orders_normal", "int"),
    ("Special", "特殊", "orders_special", "int"), ("Urgent", "紧急", "orders_urgent", "int"),
    ("Processed", "已处理", "processed", "int"), ("On time", "按时", "on_time", "int"),
    ("Pending", "未到期", "pending", "int"), ("On-time rate", "按时率", "on_time_rate", "rate"),
    ("Median h", "中位数", "median_hours", "hours"), ("P90 h", "90分位", "p90_hours", "hours"),
    ("Breaches", "超时", "breaches", "int"), ("Esc. L1", "上报一级", "escalated_level1", "int"),
    ("Esc. L2", "上报二级", "escalated_level2", "int"), ("Urgent deliveries", "紧急发货", "urgent_deliveries", "int"),
    ("Late", "延误", "late_urgent_deliveries", "int"), ("Penalty", "罚款估算", "penalty", "money"),
)
COLUMNS: dict[str, tuple[Column, ...]] = {
    "sales": SALES,
    "production": (*SHARED[:7], ("Pulled earlier", "提前", "pulled_earlier", "int"),
                   ("Overtime asked h", "申请加班小时", "overtime_asked_hours", "hours"),
                   ("MOs w/ overtime", "需加班制造单", "overtime_asked_mos", "int"), SHARED[7]),
    "logistics": (*SHARED[:7], ("Rate vs requested", "按客户要求", "on_time_rate_requested", "rate"),
                  ("Late vs requested", "晚于要求", "late_requested", "int"),
                  ("p90 h vs requested", "90分位", "lateness_requested_p90_hours", "hours"),
                  ("Pulled earlier", "提前", "pulled_earlier", "int"), SHARED[7]),
    "purchasing": SHARED,
}
GROUPINGS = {"salesperson": ("Per salesperson", "按销售员"), "team": ("Per sales team", "按销售团队"),
             "work_center": ("Per work center", "按工作中心"), "warehouse": ("Per warehouse", "按仓库"),
             "operation_type": ("Per operation type", "按作业类型"), "buyer": ("Per buyer", "按采购员"),
             "vendor": ("Per vendor", "按供应商")}


def fmt(value: object, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "rate":
        return f"{float(value) * 100:.1f} %"  # type: ignore[arg-type]
    if kind == "hours":
        return f"{float(value):.1f}"  # type: ignore[arg-type]
    if kind == "money":
        return f"{float(value):,.2f}"  # type: ignore[arg-type]
    return str(value)


def local(value: datetime, zone: str) -> str:
    """A moment for people: to the minute in the report's zone (the page names the zone once per table)."""
    return f"{as_utc(value).astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}"


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("odoo_urgency.jobs.report", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["fmt"] = fmt
    env.filters["local"] = local
    return env


def render_html(assessment: Assessment) -> str:
    return environment().get_template("report.html.j2").render(
        a=assessment, summary_columns=SHARED, department_columns=COLUMNS, grouping_names=GROUPINGS,
        department_names=DEPARTMENT_NAMES, trend_charts=[trend_chart(c) for c in assessment.companies],
        tier_charts=[tier_chart(c) for c in assessment.companies])


def render_json(assessment: Assessment) -> str:
    return assessment.model_dump_json(indent=2) + "\n"


def _rows(assessment: Assessment) -> list[dict[str, Any]]:
    rows = []
    for company in assessment.companies:
        for section in company.departments:
            groups: list[Figures] = [g for rows_ in section.groups.values() for g in rows_]
            for figures in [*groups, section.total] if section.available else []:
                rows.append({"company": company.company, "currency": company.currency,
                             "department": section.department, **figures.model_dump()})
    return rows


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return value


def render_csv(assessment: Assessment) -> str:
    """One row per group of every department of every company (and each total); the shared keys first, then
    the department's own keys (empty where they do not apply)."""
    rows = _rows(assessment)
    columns: dict[str, None] = dict.fromkeys(["company", "currency", "department", *Figures.model_fields])
    for row in rows:
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(name)) for name in columns])
    return buffer.getvalue()


def print_table(assessment: Assessment, console: Any = None) -> None:
    from rich.console import Console
    from rich.table import Table

    if console is None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=200)  # a pipe or a file: one wide table per grouping (a pager takes it)
    console.print(f"[bold]{assessment.title}[/bold] — {assessment.subtitle}")
    console.print(f"Period {assessment.period_label} ({assessment.timezone}), judged at "
                  f"{local(assessment.generated_at, assessment.timezone)} ({assessment.timezone})")
    for company in assessment.companies:
        table = Table(title=f"{company.company} ({company.currency})", header_style="bold")
        table.add_column("Department\n部门", no_wrap=True)
        for heading, zh, _, _ in SHARED:
            table.add_column(f"{heading}\n{zh}", justify="right")
        for section in company.departments:
            name = DEPARTMENT_NAMES[section.department]
            if not section.available:
                table.add_row(name, section.note or "", *[""] * (len(SHARED) - 1), style="dim")
                continue
            table.add_row(name, *(fmt(getattr(section.total, attr), kind) for _, _, attr, kind in SHARED))
        _print_fitting(console, table, [(DEPARTMENT_NAMES[s.department], s.total if s.available else None, s.note)
                                        for s in company.departments], SHARED)
        for section in company.departments:
            for grouping, groups in section.groups.items():
                _print_groups(console, f"{DEPARTMENT_NAMES[section.department]} — {GROUPINGS[grouping][0]}",
                              groups, section.total, COLUMNS[section.department])
    console.print(f"P90 = {assessment.p90_definition}. On-time rate = on time / (items − pending).")


def _print_groups(console: Any, title: str, groups: list[Figures], total: Figures,
                  columns: tuple[Column, ...]) -> None:
    from rich.table import Table

    table = Table(title=title, header_style="bold")
    table.add_column("Name\n名称", no_wrap=True)
    for heading, zh, _, _ in columns:
        table.add_column(f"{heading}\n{zh}", justify="right")
    for group in groups:
        table.add_row(group.name, *(fmt(getattr(group, attr, None), kind) for _, _, attr, kind in columns))
    table.add_section()
    table.add_row(total.name, *(fmt(getattr(total, attr, None), kind) for _, _, attr, kind in columns), style="bold")
    _print_fitting(console, table, [(g.name, g, None) for g in [*groups, total]], columns)


def _pack(head: str, entries: list[str], width: int) -> list[str]:
    """Entries joined by " · " into lines of at most ``width`` cells, broken only between entries."""
    from rich.cells import cell_len

    lines, current = [], head
    for entry in entries:
        piece = entry if current == head else f" · {entry}"
        if current != head and cell_len(current + piece) > width:
            lines.append(current)
            current, piece = "  ", entry
        current += piece
    return [*lines, current]


def _print_fitting(console: Any, table: Any, rows: list[tuple[str, Figures | None, str | None]],
                   columns: tuple[Column, ...]) -> None:
    """The table where it fits the terminal; else one paragraph per row ("Orders 400 · Late 66 · …") that wraps
    between figures, never inside a word or a number (an 80-column terminal got 17 columns broken mid-word)."""
    from rich.measure import Measurement
    from rich.text import Text

    natural = Measurement.get(console, console.options.update_width(10_000), table).maximum  # nothing cut or wrapped
    if natural <= console.width:
        console.print(table)
        return
    console.print(Text(str(table.title), style="italic"))
    for name, figures, note in rows:
        if figures is None:
            console.print(Text(f"{name}: {note or ''}", style="dim"))
            continue
        entries = [f"{heading} {fmt(getattr(figures, attr, None), kind)}" for heading, _, attr, kind in columns]
        for line in _pack(f"{name}: ", entries, console.width):
            console.print(line, no_wrap=True, overflow="fold", highlight=False, markup=False)
    console.print()


def render(assessment: Assessment, output_format: str) -> str:
    if output_format == "json":
        return render_json(assessment)
    if output_format == "csv":
        return render_csv(assessment)
    if output_format == "html":
        return render_html(assessment)
    if output_format == "table":
        from rich.console import Console

        buffer = io.StringIO()
        print_table(assessment, Console(file=buffer, width=200, color_system=None))
        return buffer.getvalue()
    raise ValueError(f"unknown format {output_format!r}")
