"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``) loads it offline, lays it out and
paints it. Skipped where Chromium is not installed (``apt-get install chromium fonts-wqy-microhei``)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from odoo_urgency.jobs.report.render import render_html
from odoo_urgency.policies import Rules
from odoo_urgency.policies.assessment import assess
from tests.policies.assessment.test_departments import END, NOW, START, records

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-extensions", "--disable-background-networking", "--window-size=1300,2400"]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "assessment.html"
    path.write_text(render_html(assess(records(), Rules(), period_start=START, period_end=END, now=NOW,
                                       trend_months=6)), encoding="utf-8")
    return path


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CHROMIUM or "chromium", *FLAGS, *args], capture_output=True, text=True, timeout=120)


def test_chromium_parses_the_page_into_the_expected_document(page: Path) -> None:
    done = _chromium("--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert dom.count("<svg") == 4 and dom.count("<polyline") == 1  # purchasing: October to November
    assert "San Francisco" in dom and "Shanghai" in dom and "每月考核" in dom
    assert "parsererror" not in dom  # an XHTML parse error would show as Chromium's error element


def test_chromium_paints_a_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    done = _chromium(f"--screenshot={shot}", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1300, 2400)
    assert len(data) > 50_000  # tables, charts and text painted, not a blank page


@pytest.fixture(scope="module")
def page_of_400_orders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of a month with 400 generated orders, their MOs and deliveries, after a daemon cycle."""
    from datetime import UTC, datetime, timedelta

    from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
    from odoo_urgency.jobs.report.compute import build_assessment
    from odoo_urgency.jobs.report.period import Period
    from odoo_urgency.jobs.runtime.connect import connect_and_detect
    from odoo_urgency.jobs.runtime.settings import Settings
    from odoo_urgency.sandbox import Sandbox
    from odoo_urgency.sandbox.generate import generate

    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    path = tmp_path_factory.mktemp("report400") / "assessment.html"
    with Sandbox(now=lambda: now) as sb:
        generate(sb.env, 400, now, window_days=25)
        settings = Settings.model_validate({"odoo": {"url": sb.url, "database": sb.database, "login": "admin",
                                                     "password": "admin"}})
        client, schema = connect_and_detect(settings)
        Synchronizer(client, schema, settings, clock=lambda: now).run_cycle()
        assessment = build_assessment(client, schema, settings.rules, Period(now - timedelta(days=30), now, "30 days"),
                                      now, trend_months=6)
        client.close()
    path.write_text(render_html(assessment), encoding="utf-8")
    return path


@pytest.mark.parametrize("width", [1280, 500])  # a laptop; a phone (Chromium's narrowest headless window)
def test_the_report_of_400_orders_reads_well_on_a_laptop_and_a_phone(page_of_400_orders: Path, tmp_path: Path,
                                                                      width: int) -> None:
    """Issue #11: at 1280 px the 17-column table clipped "Penalty", "33.3 %" wrapped, chart text was 11 px; on a
    phone the page was twice the screen's width."""
    import html
    import json
    import re

    probe = (Path(__file__).parent / "layout_probe.js").read_text(encoding="utf-8")
    probed = tmp_path / "probed.html"
    probed.write_text(page_of_400_orders.read_text(encoding="utf-8").replace(
        "</body>", f"<script>//<![CDATA[\n{probe}\n//]]></script></body>"), encoding="utf-8")
    done = subprocess.run([CHROMIUM or "chromium", *FLAGS[:-1], f"--window-size={width},2000", "--dump-dom",
                           probed.as_uri()], capture_output=True, text=True, timeout=120)
    found = re.search(r'data-layout="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    layout = json.loads(html.unescape(found.group(1)))
    assert layout["viewport"] <= width and layout["page"] <= layout["viewport"]
    assert layout["problems"] == []
