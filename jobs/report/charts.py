"""The geometry of the report's charts; the SVG markup is in ``templates/charts.html.j2``.

Charts are inline SVG (no script, no external resource): the page stays readable offline and in a mail client.
Here only numbers are decided — where each point, bar, tick and legend entry goes — so the template stays a plain
drawing and the geometry can be tested without parsing markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from odoo_urgency.policies.assessment import CompanyAssessment, SalesFigures

SERIES_COLOURS = ("#222222", "#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2")
TIER_COLOURS = {"normal": "#4c78a8", "special": "#f2a541", "urgent": "#d64541"}
DEPARTMENT_NAMES = {"sales": "Sales 销售", "production": "Production 生产", "logistics": "Logistics 物流",
                    "purchasing": "Purchasing 采购"}


@dataclass
class Point:
    x: float
    y: float
    title: str


@dataclass
class Series:
    name: str
    colour: str
    segments: list[list[Point]] = field(default_factory=list)


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class Chart:
    title: str
    width: int
    height: int
    left: float
    top: float
    plot_width: float
    plot_height: float
    #: (y, label) of the horizontal grid lines.
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    #: (x, label) under the plot.
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    #: (colour, label) in the legend, right of the plot.
    legend: list[tuple[str, str]] = field(default_factory=list)
    empty: bool = False


def _frame(title: str, width: int = 640, height: int = 300, right: int = 170) -> Chart:
    left, top, bottom = 50, 30, 40
    return Chart(title, width, height, left, top, width - left - right, height - top - bottom)


def trend_chart(company: CompanyAssessment) -> Chart:
    """The on-time rate (0–100 %) of each department, month by month; a month without decided items is a gap."""
    chart = _frame("On-time rate per department, last months (各部门按时率趋势)")
    months = company.trend_months
    chart.y_ticks = [(chart.top + chart.plot_height * (1 - pct / 100), f"{pct} %") for pct in (0, 25, 50, 75, 100)]
    step = chart.plot_width / max(len(months) - 1, 1)

    def x_of(index: int) -> float:
        return chart.left + (step * index if len(months) > 1 else chart.plot_width / 2)

    chart.x_labels = [(x_of(i), month) for i, month in enumerate(months)]
    chart.empty = not months
    for number, trend in enumerate(company.trend):
        series = Series(DEPARTMENT_NAMES.get(trend.department, trend.department),
                        SERIES_COLOURS[number % len(SERIES_COLOURS)])
        segment: list[Point] = []
        for index, point in enumerate(trend.points):
            if point.on_time_rate is None:
                if segment:
                    series.segments.append(segment)
                segment = []
                continue
            y = chart.top + chart.plot_height * (1 - point.on_time_rate)
            segment.append(Point(x_of(index), y, f"{series.name} {point.month}: {point.on_time_rate * 100:.1f} % "
                                                 f"({point.items})"))
        if segment:
            series.segments.append(segment)
        chart.series.append(series)
        chart.legend.append((series.colour, series.name))
    return chart


def tier_chart(company: CompanyAssessment) -> Chart:
    """Stacked bars: orders per tier, for each sales team and the company."""
    chart = _frame("Orders per tier (各级别订单数)", right=110)
    sales = company.department("sales")
    groups: list[SalesFigures] = [*sales.groups.get("team", []), sales.total]  # type: ignore[list-item]
    highest = max((g.orders for g in groups), default=0) or 1
    slot = chart.plot_width / max(len(groups), 1)
    bar = min(slot * 0.6, 60)
    chart.y_ticks = [(chart.top, str(highest)), (chart.top + chart.plot_height, "0")]
    for index, group in enumerate(groups):
        x = chart.left + slot * index + (slot - bar) / 2
        base = chart.top + chart.plot_height
        for tier, colour in TIER_COLOURS.items():
            count = getattr(group, f"orders_{tier}")
            if count:
                height = chart.plot_height * count / highest
                base -= height
                chart.bars.append(Bar(x, base, bar, height, colour, f"{group.name}: {count} {tier}"))
        label = group.name if len(group.name) <= 16 else group.name[:15] + "…"
        chart.x_labels.append((x + bar / 2, label))
    chart.legend = [(colour, tier) for tier, colour in TIER_COLOURS.items()]
    chart.empty = not any(g.orders for g in groups)
    return chart
