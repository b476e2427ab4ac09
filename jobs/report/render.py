"""Rendering the monthly assessment: a rich table, CSV, JSON, and one self-contained HTML page.

The HTML page has inline CSS and inline SVG charts only (no script, no external resource) and is written as
well-formed XHTML-compatible markup (every element closed, every text escaped), so that it opens offline
anywhere and other tools can parse it as XML.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from html import escape

from jobs.report.assessment import GroupFigures, Report

TIERS = ("normal", "special", "urgent")
TIER_COLOURS = {"normal": "#4c78a8", "special": "#f2a541", "urgent": "#d64541"}
SERIES_COLOURS = ("#222222", "#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#9d755d",
                  "#ff9da6", "#bab0ac")

CSV_COLUMNS = (
    "group", "id", "name", "orders", "orders_normal", "orders_special", "orders_urgent", "processed", "on_time",
    "pending", "on_time_rate", "median_hours", "p90_hours", "breaches", "escalated_level1", "escalated_level2",
    "urgent_deliveries", "late_urgent_deliveries", "penalty",
)

#: (heading, Chinese subtitle, attribute, kind) of the table columns.
COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("Orders", "订单", "orders", "int"),
    ("Normal", "普通", "orders_normal", "int"),
    ("Special", "特殊", "orders_special", "int"),
    ("Urgent", "紧急", "orders_urgent", "int"),
    ("Processed", "已处理", "processed", "int"),
    ("On time", "按时", "on_time", "int"),
    ("Pending", "未到期", "pending", "int"),
    ("On-time rate", "按时率", "on_time_rate", "rate"),
    ("Median h", "中位数", "median_hours", "hours"),
    ("P90 h", "90分位", "p90_hours", "hours"),
    ("Breaches", "超时", "breaches", "int"),
    ("Esc. L1", "上报一级", "escalated_level1", "int"),
    ("Esc. L2", "上报二级", "escalated_level2", "int"),
    ("Urgent deliveries", "紧急发货", "urgent_deliveries", "int"),
    ("Late", "延误", "late_urgent_deliveries", "int"),
    ("Penalty", "罚款估算", "penalty", "money"),
)


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


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return value


# -- JSON / CSV ---------------------------------------------------------------------------------------------------


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def render_csv(report: Report) -> str:
    """One header, one row per salesperson, one per team, and the company total."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for group in [*report.salespeople, *report.teams, report.total]:
        row = group.model_dump()
        writer.writerow([group.kind if name == "group" else _csv_value(row[name]) for name in CSV_COLUMNS])
    return buffer.getvalue()


# -- terminal -----------------------------------------------------------------------------------------------------


def _rich_table(title: str, groups: Sequence[GroupFigures], total: GroupFigures):  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    table.add_column("Name\n名称", no_wrap=True)
    for heading, zh, _, _ in COLUMNS:
        table.add_column(f"{heading}\n{zh}", justify="right")
    for group in groups:
        table.add_row(group.name, *(fmt(getattr(group, attr), kind) for _, _, attr, kind in COLUMNS))
    table.add_section()
    table.add_row(total.name, *(fmt(getattr(total, attr), kind) for _, _, attr, kind in COLUMNS), style="bold")
    return table


def print_table(report: Report, console=None) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    if console is None:
        console = Console()
        if not console.is_terminal or console.width < 160:
            console = Console(width=200)  # sixteen columns of figures need the room; a pager or file takes it
    console.print(f"[bold]{report.title}[/bold] — {report.subtitle}")
    console.print(f"Orders received {report.period_label} ({report.timezone}), judged at "
                  f"{report.generated_at:%Y-%m-%d %H:%M} UTC; limits "
                  + ", ".join(f"{tier} {hours:g} h" for tier, hours in report.tier_hours.items()))
    console.print(_rich_table("Per salesperson 按销售员", report.salespeople, report.total))
    console.print(_rich_table("Per sales team 按销售团队", report.teams, report.total))
    if report.late_deliveries:
        from rich.table import Table

        late = Table(title="Late urgent deliveries 紧急发货延误", header_style="bold")
        for heading in ("Order", "Customer", "Salesperson", "Requested", "Delivered", "Delay h", "History",
                        "Penalty"):
            late.add_column(heading)
        for row in report.late_deliveries:
            late.add_row(row.order_name, row.customer, row.salesperson, f"{row.requested:%Y-%m-%d %H:%M}",
                         f"{row.delivered_at:%Y-%m-%d %H:%M}" if row.delivered_at else "not delivered",
                         f"{row.delay_hours:.1f}", str(row.late_history), fmt(row.penalty, "money"))
        console.print(late)
    console.print(f"P90 = {report.p90_definition}. On-time rate = on time / (orders − pending).")


# -- HTML ---------------------------------------------------------------------------------------------------------

CSS = """
body { font-family: -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem; color: #222; }
h1 { margin-bottom: 0; } h1 small { font-weight: normal; color: #666; font-size: 60%; }
.meta { color: #555; }
table { border-collapse: collapse; margin: 1rem 0 2rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; }
th { background: #f3f3f3; } th small { display: block; font-weight: normal; color: #777; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; background: #fafafa; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; }
svg text { font-size: 11px; fill: #333; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _html_table(title: str, zh: str, groups: Sequence[GroupFigures], total: GroupFigures) -> str:
    head = "".join(f"<th>{_e(h)}<small>{_e(z)}</small></th>" for h, z, _, _ in COLUMNS)
    rows = []
    for group, css in [*((g, "") for g in groups), (total, ' class="total"')]:
        cells = "".join(f'<td class="num">{_e(fmt(getattr(group, attr), kind))}</td>' for _, _, attr, kind in COLUMNS)
        rows.append(f"<tr{css}><td>{_e(group.name)}</td>{cells}</tr>")
    return (f"<h2>{_e(title)} <small>{_e(zh)}</small></h2>\n<table>\n<thead><tr><th>Name<small>名称</small></th>"
            f"{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>")


def trend_chart(report: Report, width: int = 640, height: int = 300) -> str:
    """A line chart: the on-time rate (0–100 %) of the company and of each team, month by month."""
    title = "On-time rate per team, last months (按时率趋势)"
    left, right, top, bottom = 50, 170, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    months = report.trend_months
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart trend" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
             f"<title>{_e(title)}</title>",
             f'<text x="{left}" y="18" font-weight="bold">{_e(title)}</text>']
    for pct in (0, 25, 50, 75, 100):
        y = top + plot_h - plot_h * pct / 100
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{pct} %</text>')
    step = plot_w / max(len(months) - 1, 1)

    def x_of(index: int) -> float:
        return left + (step * index if len(months) > 1 else plot_w / 2)

    for index, month in enumerate(months):
        parts.append(f'<text x="{x_of(index):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{_e(month)}</text>')
    if not months:
        parts.append(f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle">no data</text>')
    for number, series in enumerate(report.trend):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, point in enumerate(series.points):
            if point.on_time_rate is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            y = top + plot_h - plot_h * point.on_time_rate
            segment.append(f"{x_of(index):.1f},{y:.1f}")
            parts.append(f'<circle cx="{x_of(index):.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                         f"<title>{_e(series.name)} {_e(point.month)}: {point.on_time_rate * 100:.1f} % "
                         f"({point.orders} orders)</title></circle>")
        if segment:
            segments.append(segment)
        dash = ' stroke-dasharray="5,3"' if series.team_id is None else ""
        for points in segments:
            if len(points) > 1:
                parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} '
                             f'points="{" ".join(points)}"/>')
        legend_y = top + 14 * number
        parts.append(f'<rect x="{left + plot_w + 12}" y="{legend_y}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{left + plot_w + 27}" y="{legend_y + 9}">{_e(series.name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def tier_chart(report: Report, width: int = 640, height: int = 300) -> str:
    """Stacked bars: orders per tier, for each team and the company."""
    title = "Orders per tier (各级别订单数)"
    groups = [*report.teams, report.total]
    left, right, top, bottom = 50, 110, 30, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max((g.orders for g in groups), default=0) or 1
    slot = plot_w / max(len(groups), 1)
    bar = min(slot * 0.6, 60)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart tiers" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
             f"<title>{_e(title)}</title>",
             f'<text x="{left}" y="18" font-weight="bold">{_e(title)}</text>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999"/>',
             f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{highest}</text>',
             f'<text x="{left - 6}" y="{top + plot_h + 4}" text-anchor="end">0</text>']
    for index, group in enumerate(groups):
        x = left + slot * index + (slot - bar) / 2
        base = top + plot_h
        for tier in TIERS:
            count = getattr(group, f"orders_{tier}")
            if not count:
                continue
            h = plot_h * count / highest
            base -= h
            parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{TIER_COLOURS[tier]}"><title>{_e(group.name)}: {count} {tier}</title></rect>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{base - 4:.1f}" text-anchor="middle">{group.orders}</text>')
        label = group.name if len(group.name) <= 16 else group.name[:15] + "…"
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{_e(label)}</text>')
    for index, tier in enumerate(TIERS):
        y = top + 14 * index
        parts.append(f'<rect x="{left + plot_w + 12}" y="{y}" width="10" height="10" fill="{TIER_COLOURS[tier]}"/>')
        parts.append(f'<text x="{left + plot_w + 27}" y="{y + 9}">{tier}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def render_html(report: Report) -> str:
    limits = ", ".join(f"{_e(tier)} {hours:g} h" for tier, hours in report.tier_hours.items())
    late_rows = "\n".join(
        f"<tr><td>{_e(r.order_name)}</td><td>{_e(r.customer)}</td><td>{_e(r.salesperson)}</td>"
        f"<td>{r.requested:%Y-%m-%d %H:%M}</td>"
        f"<td>{_e(f'{r.delivered_at:%Y-%m-%d %H:%M}' if r.delivered_at else 'not delivered')}</td>"
        f'<td class="num">{r.delay_hours:.1f}</td><td class="num">{r.late_history}</td>'
        f'<td class="num">{_e(fmt(r.penalty, "money"))}</td></tr>'
        for r in report.late_deliveries)
    late = ("<h2>Late urgent deliveries <small>紧急发货延误</small></h2>\n<table>\n<thead><tr><th>Order</th>"
            "<th>Customer</th><th>Salesperson</th><th>Requested (UTC)</th><th>Delivered (UTC)</th><th>Delay h</th>"
            f"<th>Earlier late</th><th>Penalty</th></tr></thead>\n<tbody>\n{late_rows}\n</tbody>\n</table>"
            if report.late_deliveries else "<p>No late urgent delivery. 无紧急发货延误。</p>")
    return f"""<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<title>{_e(report.title)} {_e(report.period_label)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{_e(report.title)} <small>{_e(report.subtitle)}</small></h1>
<p class="meta">Orders received {_e(report.period_label)} ({_e(report.timezone)}); judged at
{report.generated_at:%Y-%m-%d %H:%M} UTC; processing limits {limits};
{"install mode (tiers from x_urgency)" if report.install_mode else "tag mode (tiers computed)"}.</p>
{_html_table("Per salesperson", "按销售员", report.salespeople, report.total)}
{_html_table("Per sales team", "按销售团队", report.teams, report.total)}
<h2>Charts <small>图表</small></h2>
<div class="charts">
{trend_chart(report)}
{tier_chart(report)}
</div>
{late}
<h2>Definitions <small>说明</small></h2>
<ul>
<li>Received = the order's creation; processed = its confirmation (state sale/done, date_order).</li>
<li>On-time rate = orders processed within the limit / (orders − pending), pending = unprocessed and not yet due.</li>
<li>Median and P90 of the processing time in hours; P90 by {_e(report.p90_definition)}.</li>
<li>Escalation: level 1 past the deadline, level 2 past the second-level deadline, judged at the processing
time (or now when unprocessed).</li>
<li>Late urgent delivery: the last outgoing transfer done after the requested date, or not delivered and past it;
penalty per the configured bands × history factor, capped.</li>
</ul>
</body>
</html>
"""


def render(report: Report, output_format: str) -> str:
    if output_format == "json":
        return render_json(report)
    if output_format == "csv":
        return render_csv(report)
    if output_format == "html":
        return render_html(report)
    if output_format == "table":
        from rich.console import Console

        console = Console(file=io.StringIO(), width=200, color_system=None)
        print_table(report, console)
        return console.file.getvalue()  # type: ignore[attr-defined]
    raise ValueError(f"unknown format {output_format!r}")
