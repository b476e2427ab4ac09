"""Overtime the capacity planner asked for, read back from the ERP by the monthly report (production, per work
center): the planner's alerts are created as the daemon creates them (``alert_note``), one is marked done in Odoo
(its note then lives on in the chatter message Odoo posts), the others stay open; the report finds each MO's ask
once, whether it sits on an open activity or in the chatter, and whoever's alert (salesperson or planner) it is."""

from __future__ import annotations

import json
from typing import Any

import pytest

sandbox = pytest.importorskip("sandbox")

from odoo_urgency.jobs import cli  # noqa: E402
from odoo_urgency.jobs.daemon.writer import alert_note  # noqa: E402
from odoo_urgency.policies import Rules  # noqa: E402
from odoo_urgency.policies.planning.alerts import People, capacity_alerts  # noqa: E402
from odoo_urgency.policies.planning.asks import OVERTIME_LINE  # noqa: E402
from odoo_urgency.policies.planning.planner import plan_capacity  # noqa: E402
from tests.policies.test_planning_examples import LIMITS, LINE, NOW, Job, Tier, op, timedelta  # noqa: E402


def _schedule() -> tuple[list[Any], Any]:
    """The planner's own example of one line, two urgent MOs (ids 1 and 2, as the sandbox's demo MOs, on work
    center 1, "Assembly Line 1" there too) that cannot make their dues: both get overtime asked for."""
    later = Job(1, "WH/MO/00001", Tier.URGENT, NOW + timedelta(hours=30),
                (op(11, 480, NOW + timedelta(days=3), NOW + timedelta(days=3, hours=9)),))
    hopeless = Job(2, "WH/MO/00002", Tier.URGENT, NOW + timedelta(hours=6),
                   (op(21, 960, NOW + timedelta(hours=1), NOW + timedelta(hours=17)),))
    jobs = [later, hopeless]
    return jobs, plan_capacity(jobs, [LINE], NOW, LIMITS)


def test_the_report_reads_back_the_overtime_asked_for(monkeypatch, tmp_path) -> None:
    jobs, schedule = _schedule()
    asked = {job_id: sum(o.hours for o in shortfall.overtime) for job_id, shortfall in schedule.shortfalls.items()}
    assert set(asked) == {1, 2} and all(hours > 0 for hours in asked.values())
    people = {1: People("S00001", 6, 2), 2: People("S00008", 6, 2)}
    alerts = capacity_alerts(jobs, schedule, people, Rules(), set(), NOW)
    assert len(alerts) == 4 and all(OVERTIME_LINE in a.note for a in alerts)
    assert all(OVERTIME_LINE not in line for a in alerts for line in [*a.what, *a.todo])  # not in push messages

    with sandbox.Sandbox(demo=True) as sb:
        env = sb.env.model("mail.activity")
        [model_id] = sb.env.model("ir.model").search([("model", "=", "mrp.production")])
        ids = {(a.res_id, a.role): env.create({"res_model_id": model_id, "res_id": a.res_id, "user_id": a.user_id,
                                                "summary": a.summary, "note": alert_note(a),
                                                "date_deadline": a.date_deadline.isoformat()}) for a in alerts}
        # MO 1: the planner marks their to-do done (Odoo posts its note in the chatter), the salesperson's goes too.
        env.action_feedback([ids[(1, "planner")], ids[(1, "salesperson")]], feedback="asked the line for Saturday")
        assert sb.env.model("mail.activity").search([("res_id", "=", 1), ("res_model", "=", "mrp.production")]) == []
        monkeypatch.chdir(tmp_path)
        for key, value in {"URL": sb.url, "DATABASE": sb.database, "LOGIN": "admin", "PASSWORD": "admin"}.items():
            monkeypatch.setenv(f"ODOO_URGENCY_{key}", value)
        monkeypatch.delenv("ODOO_URGENCY_CONFIG", raising=False)
        monkeypatch.delenv("ODOO_URGENCY_API_KEY", raising=False)
        assert cli.main(["report", "--since", "2020-01-01", "--until", "2040-01-01", "--format", "json",
                         "--output", "r.json"]) == 0
        assert cli.main(["report", "--since", "2020-01-01", "--until", "2040-01-01", "--output", "r.txt",
                         "--format", "table"]) == 0
        assert cli.main(["report", "--since", "2020-01-01", "--until", "2040-01-01", "--output", "r.html",
                         "--format", "html"]) == 0
    [company] = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["companies"]
    production = next(s for s in company["departments"] if s["department"] == "production")
    total = round(asked[1] + asked[2], 2)
    assert (production["total"]["overtime_asked_hours"], production["total"]["overtime_asked_mos"]) == (total, 2)
    [line] = production["groups"]["work_center"]
    assert (line["name"], line["overtime_asked_hours"], line["overtime_asked_mos"]) == ("Assembly Line 1", total, 2)
    assert "Overtime asked h" in (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert "申请加班小时" in (tmp_path / "r.html").read_text(encoding="utf-8")
