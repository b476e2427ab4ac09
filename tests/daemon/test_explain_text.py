"""What ``explain`` and ``once --dry-run`` tell a person (issue #11, findings 2, 3 and 5): every time in the
configured zone with the zone named, what the plugin wrote on the MOs and deliveries too, names found whatever
their case, and tier tags by name in a dry run."""

from __future__ import annotations

import re

import pytest

from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import make_sync


@pytest.fixture
def person(sb: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path):  # type: ignore[no-untyped-def]
    for key, value in {"URL": sb.url, "DATABASE": sb.database, "LOGIN": "admin", "PASSWORD": "admin",
                       "RULES__CALENDAR__TIMEZONE": "Asia/Shanghai", "DAEMON__CACHE_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(f"ODOO_URGENCY_{key}", value)
    monkeypatch.setenv("ODOO_URGENCY_CONFIG", "")
    monkeypatch.chdir(tmp_path)
    from odoo_urgency.jobs import cli

    return cli.main


def test_explain_speaks_the_configured_zone_and_shows_the_mo_it_moved(sb: Sandbox, person, capsys) -> None:
    sync = make_sync(sb)
    sync.run_cycle()
    sync.release()
    capsys.readouterr()
    assert person(["explain", "s00001"]) == 0           # a lower-case name is found
    out = capsys.readouterr().out
    assert "UTC" not in out
    assert re.search(r"processing deadline \d{4}-\d\d-\d\d \d\d:\d\d \(Asia/Shanghai\)", out), out
    assert re.search(r"the plugin wrote on WH/MO/\d+ \(mrp\.production:\d+\): .*priority", out), out


def test_a_dry_run_names_the_tier_tags_it_would_create(sb: Sandbox, person, capsys) -> None:
    assert person(["once", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "tag_ids: [] -> +Urgent / 紧急" in out
    assert "(Asia/Shanghai)" in out and " UTC)" not in out
    assert sb.env.search("crm.tag", [("name", "=", "Urgent / 紧急")]) == []


def test_chinese_reaches_the_terminal(sb: Sandbox, person, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ODOO_URGENCY_RULES__LANGUAGE", "zh")
    assert person(["once", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "原因：" in out and "试运行（未写入任何数据）" in out and "because" not in out
    assert person(["explain", "S00001"]) == 0
    out = capsys.readouterr().out
    assert "处理时限" in out and "尚未处理" in out and "received" not in out


def test_every_cli_phrase_has_both_languages() -> None:
    import string

    from odoo_urgency.jobs.runtime.phrases import PHRASES

    for key, entry in PHRASES.items():
        assert set(entry) == {"en", "zh"}, key
        names = [{name for _, name, _, _ in string.Formatter().parse(entry[lang]) if name} for lang in ("en", "zh")]
        assert names[0] == names[1], key
