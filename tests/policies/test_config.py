"""The [rules] configuration: defaults, the shipped defaults.toml, and refusal of invalid settings."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from odoo_urgency.policies import Rules, Tier, describe_error

DEFAULTS = Path(__file__).resolve().parents[2] / "policies" / "defaults.toml"


def test_defaults_toml_equals_rules_defaults() -> None:
    data = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    assert Rules.model_validate(data["rules"]) == Rules()


def test_defaults_toml_comments_every_key() -> None:
    lines = DEFAULTS.read_text(encoding="utf-8").splitlines()
    for index, text in enumerate(lines):
        stripped = text.strip()
        if "=" in stripped and not stripped.startswith(("#", "{", "[", "]")):
            assert lines[index - 1].lstrip().startswith("#"), f"key without a comment: {stripped}"


def test_defaults_toml_names_every_field() -> None:
    data = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))["rules"]

    def walk(model: Any, table: dict[str, Any], path: str) -> None:
        for name in type(model).model_fields:
            assert name in table, f"{path}.{name} missing from defaults.toml"
            value = getattr(model, name)
            if isinstance(value, BaseModel) and isinstance(table[name], dict):
                walk(value, table[name], f"{path}.{name}")

    walk(Rules(), data, "rules")


def test_documented_defaults() -> None:
    """订单管理制度 第十条: 普通 24 小时, 特殊 12 小时, 紧急 2 小时."""
    rules = Rules()
    assert (rules.tiers.normal, rules.tiers.special, rules.tiers.urgent) == (24, 12, 2)
    assert (rules.lead_time.urgent_below_hours, rules.lead_time.special_below_hours) == (48, 120)
    assert "生产线紧急停机" in rules.keywords.line_stop_words
    assert "原料紧急缺货" in rules.keywords.material_shortage_words
    assert rules.customers.vip_categories == ["VIP"] and rules.customers.tier is Tier.SPECIAL
    assert rules.big_order.amount == 50000 and rules.big_order.tier is Tier.SPECIAL
    assert rules.production.priority_by_tier == {Tier.NORMAL: "0", Tier.SPECIAL: "0", Tier.URGENT: "1"}
    assert rules.alerts.on_tiers == [Tier.SPECIAL, Tier.URGENT]
    assert [(band.up_to_hours, band.rate) for band in rules.penalty.rates] == [(24, 0.02), (72, 0.05), (None, 0.10)]
    assert rules.escalation.manager_user_id is None and rules.production.planner_user_id is None


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("zero hours", {"tiers": {"urgent": 0}}, "rules.tiers.urgent: must be greater than 0"),
    ("negative hours", {"tiers": {"normal": -1}}, "rules.tiers.normal: must be greater than 0"),
    ("urgent above special", {"tiers": {"urgent": 13}}, "rules.tiers.urgent: must not exceed special"),
    ("special above normal", {"tiers": {"special": 30}}, "rules.tiers.special: must not exceed normal"),
    ("lead-time thresholds in the wrong order", {"lead_time": {"urgent_below_hours": 130}},
     "rules.lead_time.special_below_hours: must be greater than urgent_below_hours"),
    ("unknown tier", {"customers": {"tier": "critical"}}, "rules.customers.tier: must be 'normal', 'special'"),
    ("unknown tier in a list", {"alerts": {"on_tiers": ["urgent", "hot"]}}, "rules.alerts.on_tiers[1]: must be"),
    ("unknown tier as a key", {"production": {"priority_by_tier": {"hot": "1"}}},
     "rules.production.priority_by_tier.hot: must be"),
    ("bad priority", {"production": {"priority_by_tier": {"urgent": "2"}}},
     "rules.production.priority_by_tier.urgent: must be '0' or '1'"),
    ("bad time zone", {"calendar": {"timezone": "Mars/Olympus"}},
     "rules.calendar.timezone: unknown time zone 'Mars/Olympus'"),
    ("bad time of day", {"calendar": {"day_start": "8h"}}, "rules.calendar.day_start: must be a time HH:MM"),
    ("day ends before it starts", {"calendar": {"day_start": "18:00", "day_end": "08:00"}},
     "rules.calendar.day_end: must be later than day_start"),
    ("bad weekday", {"calendar": {"working_days": [0, 7]}}, "rules.calendar.working_days: days are 0"),
    ("unknown key at the top", {"tier": {}}, "rules.tier: unknown key"),
    ("unknown key in a table", {"tiers": {"urgnet": 1}}, "rules.tiers.urgnet: unknown key"),
    ("bad language", {"language": "fr"}, "rules.language: must be 'en' or 'zh'"),
    ("second level not above the first", {"escalation": {"second_level_multiple": 1}},
     "rules.escalation.second_level_multiple: must be greater than 1"),
    ("penalty bands not increasing", {"penalty": {"rates": [{"up_to_hours": 72, "rate": 0.02},
                                                            {"up_to_hours": 24, "rate": 0.05}]}},
     "rules.penalty.rates: up_to_hours must increase"),
    ("penalty rates decreasing", {"penalty": {"rates": [{"up_to_hours": 24, "rate": 0.05}, {"rate": 0.02}]}},
     "rules.penalty.rates: rates must not decrease"),
    ("open band not last", {"penalty": {"rates": [{"rate": 0.02}, {"up_to_hours": 24, "rate": 0.05}]}},
     "rules.penalty.rates: only the last band may be open-ended"),
    ("negative buffer", {"production": {"delivery_buffer_hours": -1}},
     "rules.production.delivery_buffer_hours: must be greater than or equal to 0"),
]


@pytest.mark.parametrize(("data", "message"), [(d, m) for _, d, m in INVALID], ids=[i for i, _, _ in INVALID])
def test_invalid_configuration_is_refused_naming_the_key(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Rules.model_validate(data)
    line = describe_error(caught.value)
    assert "\n" not in line
    assert line.startswith(message), line


def test_toml_spellings_of_none() -> None:
    """TOML has no null: 0 means "nobody" for user ids, inf (or no key) an open-ended penalty band."""
    rules = Rules.model_validate({
        "escalation": {"manager_user_id": 0, "director_user_id": 7},
        "penalty": {"rates": [{"up_to_hours": 10, "rate": 0.01}, {"up_to_hours": float("inf"), "rate": 0.1}]},
    })
    assert rules.escalation.manager_user_id is None and rules.escalation.director_user_id == 7
    assert rules.penalty.rates[-1].up_to_hours is None


def test_partial_priority_table_keeps_other_tiers() -> None:
    rules = Rules.model_validate({"production": {"priority_by_tier": {"special": "1"}}})
    assert rules.production.priority_by_tier == {Tier.NORMAL: "0", Tier.SPECIAL: "1", Tier.URGENT: "1"}


def test_valid_working_calendar() -> None:
    rules = Rules.model_validate({"calendar": {"mode": "working", "timezone": "Asia/Shanghai",
                                               "holidays": ["2026-10-01"], "working_days": [5, 0, 0]}})
    assert rules.calendar.working_days == [0, 5]
