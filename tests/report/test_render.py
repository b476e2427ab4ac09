"""Rendering: JSON sections with the same keys, CSV rows, a well-formed self-contained HTML page from the
templates with its charts, names escaped by the template engine, the CLI's period and --send validation."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from odoo_urgency.jobs.report.charts import trend_chart
from odoo_urgency.jobs.report.period import resolve_period
from odoo_urgency.jobs.report.render import render, render_csv, render_html, render_json
from odoo_urgency.jobs.runtime.errors import EXIT_USAGE, JobError
from odoo_urgency.policies import Rules
from odoo_urgency.policies.assessment import Assessment, assess, months_ending
from tests.policies.assessment.test_departments import END, NOW, START, records

XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
VOID = {"meta", "br", "hr", "img", "input", "link"}


@pytest.fixture(scope="module")
def report() -> Assessment:
    return assess(records(), Rules(), period_start=START, period_end=END, now=NOW, trend_months=6,
                  period_label="2026-11")


def test_json_has_one_section_per_department_with_the_shared_keys(report):
    data = json.loads(render_json(report))
    assert [c["company"] for c in data["companies"]] == ["San Francisco", "Shanghai"]
    shared = {"items", "on_time", "late", "pending", "on_time_rate", "lateness_p50_hours", "lateness_p90_hours",
              "penalty"}
    for company in data["companies"]:
        assert [s["department"] for s in company["departments"]] == ["sales", "production", "logistics",
                                                                     "purchasing"]
        for section in company["departments"]:
            for group in [section["total"], *(g for rows in section["groups"].values() for g in rows)]:
                assert shared <= set(group), (section["department"], group["name"])
    assert Assessment.model_validate(data).companies[0].penalties.total == 321.0


def test_csv_rows_per_company_department_and_group(report):
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert list(rows[0])[:8] == ["company", "currency", "department", "kind", "id", "name", "items", "on_time"]
    production = [(r["kind"], r["name"], r["items"], r["penalty"]) for r in rows
                  if r["company"] == "San Francisco" and r["department"] == "production"]
    assert production == [("work_center", "Assembly", "2", "20"), ("work_center", "Paint", "1", "20"),
                          ("work_center", "(no work center)", "1", "250"), ("total", "Company total", "3", "270")]
    sales = next(r for r in rows if r["company"] == "Shanghai" and r["department"] == "sales" and r["kind"] == "total")
    assert (sales["orders"], sales["breaches"], sales["pulled_earlier"]) == ("3", "2", "")


def test_table_renders(report):
    text = render(report, "table")
    assert "San Francisco (USD)" in text and "Shanghai (CNY)" in text
    assert "Production 生产" in text and "270.00" in text


class _Strict(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        """``<line/>``: opened and closed at once."""

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def test_html_is_well_formed_self_contained_with_charts(report):
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>")
    root = ET.fromstring(page.split("\n", 1)[1])
    assert root.tag == f"{XHTML}html"
    charts = root.findall(f".//{SVG}svg")
    assert len(charts) == 4  # a trend and a tier chart per company
    assert {c.get("class") for c in charts} == {"chart trend", "chart tiers"}
    parser = _Strict()
    parser.feed(page)
    assert parser.stack == []
    lowered = page.lower()
    assert "<script" not in lowered and "http://" not in lowered.replace("http://www.w3.org/", "")
    assert "https://" not in lowered
    assert "每月考核" in page and "Per work center" in page and "Wood Corner" in page


def test_html_escapes_names_from_the_erp():
    data = records()
    data.companies = {**data.companies, 1: data.companies[1].model_copy(update={"name": "<b>&Eve</b>"})}
    page = render_html(assess(data, Rules(), period_start=START, period_end=END, now=NOW, trend_months=2))
    assert "&lt;b&gt;&amp;Eve&lt;/b&gt;" in page and "<b>&Eve" not in page
    ET.fromstring(page.split("\n", 1)[1])


def test_trend_chart_geometry(report):
    chart = trend_chart(report.companies[0])
    assert [label for _, label in chart.x_labels] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
                                                      "2026-11"]
    purchasing = next(s for s in chart.series if s.name.startswith("Purchasing"))
    [segment] = purchasing.segments  # October 0 %, November 33 %: one line, earlier months are gaps
    assert [round(p.y, 1) for p in segment] == [round(chart.top + chart.plot_height, 1),
                                                round(chart.top + chart.plot_height * (2 / 3), 1)]


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
    period = resolve_period("2026-11", None, None, UTC_ZONE, NOW)
    assert (period.start, period.end, period.label, period.month) == (START, END, "2026-11", "2026-11")
    shanghai = resolve_period("2026-10", None, None, ZoneInfo("Asia/Shanghai"), NOW)
    assert shanghai.start == datetime(2026, 9, 30, 16, tzinfo=UTC)
    ranged = resolve_period(None, "2026-09-01", "2026-11-01", UTC_ZONE, NOW)
    assert (ranged.start, ranged.month) == (datetime(2026, 9, 1, tzinfo=UTC), None)
    default = resolve_period(None, None, None, UTC_ZONE, datetime(2027, 1, 15, tzinfo=UTC))
    assert default.label == "2026-12"
    assert [m for m, _, _ in months_ending(END, UTC_ZONE, 3)] == ["2026-09", "2026-10", "2026-11"]


@pytest.mark.parametrize(("argv", "message"), [
    (["report", "--month", "2026-13"], "--month: expected YYYY-MM (e.g. 2026-10), got '2026-13'"),
    (["report", "--since", "2026-09-01", "--send", "--to", "#board"],
     "--send reports a calendar month: use --month YYYY-MM (or no period)"),
    (["report", "--month", "2026-10", "--send"],
     "--send: no recipient (give --to #channel or a login, or set [report] recipients or "
     "[report] channels)"),
    (["report", "--month", "2026-10", "--to", "#board"], "--to needs --send"),
    (["report", "--month", "2026-10", "--send", "--to", "#"], "recipient '#': expected #channel or a user's login"),
])
def test_cli_usage_errors_are_one_line_exit_2(monkeypatch, tmp_path, capsys, argv, message):
    from odoo_urgency.jobs import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ODOO_URGENCY_CONFIG", raising=False)
    assert cli.main(argv) == EXIT_USAGE
    assert capsys.readouterr().err.strip() == f"odoo-urgency: {message}"


def test_times_a_person_reads_are_in_the_report_zone_and_name_it():
    rules = Rules.model_validate({"calendar": {"timezone": "Asia/Shanghai"}})
    shanghai = assess(records(), rules, period_start=START, period_end=END, now=NOW, trend_months=2)
    page = render_html(shanghai)
    judged = f"{NOW.astimezone(ZoneInfo('Asia/Shanghai')):%Y-%m-%d %H:%M} (Asia/Shanghai)"
    assert judged in page and "UTC" not in page
    assert "<th>Due (Asia/Shanghai)</th>" in page
    [penalty] = [r for c in shanghai.companies for r in c.penalties.rows][:1]
    assert f"<td>{penalty.due.astimezone(ZoneInfo('Asia/Shanghai')):%Y-%m-%d %H:%M}</td>" in page
    assert judged in render(shanghai, "table")


def test_chinese_text_carries_its_language(report):
    """A browser picks a CJK font by ``lang`` and a screen reader its voice: every element whose own text is
    Chinese sits in ``lang="zh-CN"`` (the page itself is ``en``)."""
    import re

    root = ET.fromstring(render_html(report).split("\n", 1)[1])
    untagged: list[str] = []

    def walk(element: ET.Element, lang: str) -> None:
        lang = element.get("lang", lang)
        own = (element.text or "") + "".join(child.tail or "" for child in element)
        if re.search(r"[\u4e00-\u9fff]", own) and lang != "zh-CN" and not re.search(r"[A-Za-z]{3}", own):
            untagged.append(f"{element.tag.split('}')[1]}: {own.strip()}")
        for child in element:
            walk(child, lang)

    walk(root, root.get("lang", ""))
    assert root.get("lang") == "en" and untagged == []
