"""Working hours from settings as people in a factory keep them (issue #11): a lunch break (several spans a day),
make-up working days (调休) and holidays; mistakes in them are one line naming the key."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from odoo_urgency.policies import Rules, Tier
from odoo_urgency.policies.calendar import add_working_hours
from odoo_urgency.policies.config import CalendarConfig, describe_error
from odoo_urgency.policies.deadlines import processing_deadline

SHANGHAI = {"mode": "working", "timezone": "Asia/Shanghai"}


def local(value: datetime, calendar: CalendarConfig) -> str:
    return value.astimezone(calendar.tz).strftime("%a %Y-%m-%d %H:%M")


def test_a_lunch_break_is_not_working_time() -> None:
    calendar = CalendarConfig(**SHANGHAI, spans=["13:00-17:00", "08:00-12:00"])  # order given does not matter
    assert calendar.spans == ["08:00-12:00", "13:00-17:00"]
    # Monday 11:30 + 1 h: half an hour before lunch, half an hour after it
    assert local(add_working_hours(datetime(2026, 10, 12, 3, 30, tzinfo=UTC), 1, calendar), calendar) \
        == "Mon 2026-10-12 13:30"


def test_a_make_up_saturday_is_worked_and_a_holiday_is_not() -> None:
    calendar = CalendarConfig(**SHANGHAI, spans=["08:00-12:00", "13:00-17:00"],
                              holidays=[date(2026, 10, 8), date(2026, 10, 9)], workdays=[date(2026, 10, 10)])
    # Wednesday 2026-10-07 16:00 + 3 h: 1 h on Wednesday, Thursday and Friday are holidays, Saturday is worked
    received = datetime(2026, 10, 7, 8, 0, tzinfo=UTC)
    assert local(add_working_hours(received, 3, calendar), calendar) == "Sat 2026-10-10 10:00"
    without = CalendarConfig(**SHANGHAI, spans=["08:00-12:00", "13:00-17:00"],
                             holidays=[date(2026, 10, 8), date(2026, 10, 9)])
    assert local(add_working_hours(received, 3, without), without) == "Mon 2026-10-12 10:00"


def test_deadlines_follow_the_settings_calendar() -> None:
    rules = Rules.model_validate({"calendar": {**SHANGHAI, "spans": ["08:00-12:00", "13:00-17:00"],
                                               "workdays": ["2026-10-10"]}})
    deadline = processing_deadline(datetime(2026, 10, 9, 8, 0, tzinfo=UTC), Tier.SPECIAL, rules)  # Fri 16:00 + 12 h
    assert local(deadline, rules.calendar) == "Mon 2026-10-12 11:00"  # Fri 1 h, make-up Sat 8 h, Mon 3 h


@pytest.mark.parametrize(("table", "message"), [
    ({"spans": ["08:00-12:00", "11:00-17:00"]}, "rules.calendar.spans: spans overlap"),
    ({"spans": ["17:00-08:00"]}, "rules.calendar.spans: a span is"),
    ({"holidays": ["2026-10-10"], "workdays": ["2026-10-10"]},
     "rules.calendar.workdays: 2026-10-10 is both a holiday and a make-up working day"),
    ({"mode": "calendar", "source": "erp"}, 'rules.calendar.source: "erp" gives working hours'),
])
def test_calendar_mistakes_are_one_line_naming_the_key(table: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Rules.model_validate({"calendar": {**SHANGHAI, **table}})
    assert describe_error(caught.value, "rules").startswith(message)
