"""``report`` on a terminal (issue #11): it forced a 200-column width, so an 80-column terminal got 17 columns cut
into "Pen…" and wrapped "33.3\\n%". Now a table that does not fit becomes one paragraph per row, broken only
between figures; a default month with nothing in it says so and how to see the month so far."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from rich.console import Console
from rich.text import Text

from odoo_urgency.jobs.report.render import print_table
from odoo_urgency.policies import Rules
from odoo_urgency.policies.assessment import Assessment, assess
from tests.policies.assessment.test_departments import END, NOW, START, records


@pytest.fixture(scope="module")
def report() -> Assessment:
    return assess(records(), Rules(), period_start=START, period_end=END, now=NOW, trend_months=0,
                  period_label="2026-11")


def printed(report: Assessment, width: int) -> list[str]:
    buffer = io.StringIO()
    print_table(report, Console(file=buffer, width=width, color_system=None, force_terminal=True))
    return Text.from_ansi(buffer.getvalue()).plain.splitlines()


def test_at_80_columns_nothing_is_cut_and_no_figure_is_split(report: Assessment) -> None:
    lines = printed(report, 80)
    assert max(len(line) for line in lines) <= 80
    assert not any("…" in line or "┃" in line for line in lines)  # no truncated heading, no squeezed table
    text = "\n".join(lines)
    # every figure stays whole on its line: the heading and its value together
    assert re.search(r"On-time rate [\d.]+ %", text) and "Penalty 270.00" in text
    assert not re.search(r"(On|Late|Esc\.|P90|Median)\s*$", text, re.MULTILINE)


def test_a_wide_terminal_keeps_the_tables(report: Assessment) -> None:
    lines = printed(report, 220)
    assert any("┃ Department" in line for line in lines) and max(len(line) for line in lines) <= 220


def test_an_empty_default_month_says_why_and_how_to_see_this_month(monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from odoo_urgency.jobs.report import commands

    empty = assess(records(orders=[], pickings=[], mos=[], workorders=[], purchase_lines=[], receipts=[]), Rules(),
                   period_start=START, period_end=END, now=NOW, trend_months=0, period_label="2026-11")
    args = argparse.Namespace(month=None, since=None)
    commands._hint_if_empty(args, empty, datetime(2026, 12, 3, 10, 0, tzinfo=UTC), Rules().calendar.tz)
    assert capsys.readouterr().err.strip() == (
        "nothing was received or due in 2026-11 (the last complete month, the default); "
        "the month so far: odoo-urgency report --since 2026-12-01")
    commands._hint_if_empty(argparse.Namespace(month="2026-11", since=None), empty, NOW, Rules().calendar.tz)
    assert capsys.readouterr().err == ""  # a month the user asked for is what they asked for
