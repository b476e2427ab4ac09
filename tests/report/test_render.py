"""Rendering: CSV rows, JSON round trip, a well-formed self-contained HTML page with its two charts, the CLI's
period validation."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from jobs.report.assessment import Report, compute_report, resolve_period, trend_month_starts
from jobs.report.render import CSV_COLUMNS, render, render_csv, render_html
from jobs.runtime.errors import EXIT_USAGE, JobError
from policies import Rules
from tests.report.test_compute import END, NOW, ORDERS, PARTNERS, PICKINGS, START

XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
VOID = {"meta", "br", "hr", "img", "input", "link"}


@pytest.fixture(scope="module")
def report() -> Report:
    return compute_report(ORDERS, rules=Rules(), period_start=START, period_end=END, now=NOW, partners=PARTNERS,
                          pickings=PICKINGS, trend_months=6, period_label="2026-10")


def test_csv_has_a_header_and_one_row_per_group_and_the_total(report):
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(r["group"], r["name"]) for r in rows] == [
        ("salesperson", "Alice"), ("salesperson", "Bob"), ("salesperson", "Carol"),
        ("salesperson", "(no salesperson)"), ("team", "Asia"), ("team", "Europe"), ("team", "(no team)"),
        ("total", "Company total"),
    ]
    total = rows[-1]
    assert (total["orders"], total["on_time"], total["breaches"], total["penalty"]) == ("10", "5", "4", "520")
    assert total["on_time_rate"] == "0.5556" and total["median_hours"] == "5"
    assert rows[3]["on_time_rate"] == ""  # undefined rate: empty cell


def test_json_is_the_report_model(report):
    data = json.loads(render(report, "json"))
    again = Report.model_validate(data)
    assert again == report
    assert data["total"]["orders"] == 10 and len(data["trend"]) == 4


def test_table_renders(report):
    text = render(report, "table")
    assert "Per salesperson" in text and "Company total" in text and "每月考核" in text


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()


def test_html_is_well_formed_self_contained_with_two_charts(report):
    page = render_html(report)
    balance = _Balance()
    balance.feed(page)
    assert not balance.errors and not balance.stack
    # XML-parseable as is (XHTML), once the HTML5 doctype line is dropped.
    root = ET.fromstring(page.split("\n", 1)[1])
    assert root.tag == f"{XHTML}html"
    charts = root.findall(f".//{SVG}svg")
    assert len(charts) == 2
    titles = [chart.find(f"{SVG}title").text for chart in charts]
    assert titles == ["On-time rate per team, last months (按时率趋势)", "Orders per tier (各级别订单数)"]
    trend, tiers = charts
    assert len(trend.findall(f"{SVG}polyline")) >= 1
    assert len(tiers.findall(f"{SVG}rect")) >= 3
    lowered = page.lower()
    assert "<script" not in lowered and "http://" not in lowered.replace("http://www.w3.org/", "")
    assert "https://" not in lowered
    assert "每月考核" in page and "Late urgent deliveries" in page


def test_html_escapes_names():
    rules = Rules()
    order = ORDERS[0].model_copy(update={"user_id": ORDERS[0].user_id.model_copy(update={"name": "<b>&Eve</b>"})})
    page = render_html(compute_report([order], rules=rules, period_start=START, period_end=END, now=NOW,
                                      trend_months=6))
    assert "&lt;b&gt;&amp;Eve&lt;/b&gt;" in page
    ET.fromstring(page.split("\n", 1)[1])


UTC_ZONE = ZoneInfo("UTC")


@pytest.mark.parametrize(("month", "since", "until"), [
    ("2026-13", None, None), ("26-10", None, None), ("october", None, None),
    ("2026-10", "2026-09-01", None), (None, None, "2026-11-01"), (None, "2026-11-01", "2026-09-01"),
    (None, "2026-02-30", None), (None, "yesterday", None),
])
def test_bad_periods_are_usage_errors(month, since, until):
    with pytest.raises(JobError) as caught:
        resolve_period(month, since, until, UTC_ZONE, NOW)
    assert caught.value.code == EXIT_USAGE
    assert "\n" not in str(caught.value)


def test_periods():
    period = resolve_period("2026-10", None, None, UTC_ZONE, NOW)
    assert (period.start, period.end, period.label) == (START, END, "2026-10")
    shanghai = resolve_period("2026-10", None, None, ZoneInfo("Asia/Shanghai"), NOW)
    assert shanghai.start == datetime(2026, 9, 30, 16, tzinfo=UTC)
    ranged = resolve_period(None, "2026-09-01", "2026-11-01", UTC_ZONE, NOW)
    assert (ranged.start, ranged.end) == (datetime(2026, 9, 1, tzinfo=UTC), END)
    default = resolve_period(None, None, None, UTC_ZONE, datetime(2027, 1, 15, tzinfo=UTC))
    assert default.label == "2026-12"
    months = trend_month_starts(END, UTC_ZONE, 6)
    assert [label for label, _, _ in months] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]


def test_cli_rejects_a_bad_month_with_exit_2(monkeypatch, tmp_path, capsys):
    from jobs import cli

    monkeypatch.chdir(tmp_path)
    assert cli.main(["report", "--month", "2026-13"]) == EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert err == "odoo-urgency: --month: expected YYYY-MM (e.g. 2026-10), got '2026-13'"
