"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``) loads it offline, lays it out and
paints it. Skipped where Chromium is not installed (``apt-get install chromium fonts-wqy-microhei``)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from jobs.report.render import render_html
from policies import Rules
from policies.assessment import assess
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
