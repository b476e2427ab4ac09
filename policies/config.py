"""The ``[rules]`` table of ``settings.toml`` as pydantic models.

Every model forbids unknown keys (a typo must not silently fall back to a default) and every field has the
documented default, so ``Rules()`` is the configuration of a fresh install and ``policies/defaults.toml``
spells the same values out. Cross-field checks (``urgent <= special <= normal`` and the like) are written as
*field* validators on the later field rather than model validators: that way pydantic's error location names
the offending key, and :func:`describe_error` can turn the first error into one line such as
``rules.tiers.urgent: must be greater than 0``.

TOML has no null, so optional user ids accept ``0`` for "nobody" and the open-ended last penalty band accepts
``inf`` (or an absent key) for "no upper bound"; both are normalised to ``None``.
"""

from __future__ import annotations

import math
import re
from datetime import date, time
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator

from odoo_urgency.policies.routing.config import RoutingConfig
from odoo_urgency.policies.tiers import Tier

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


def _optional_user(value: Any) -> Any:
    # TOML cannot say "none": 0 (never a valid Odoo id) stands for "nobody".
    return None if value in (0, False, "") else value


class TierHours(_Table):
    """Processing time limit per tier, in hours (订单管理制度 第十条: 24 / 12 / 2)."""

    normal: float = Field(default=24.0, gt=0)
    special: float = Field(default=12.0, gt=0)
    urgent: float = Field(default=2.0, gt=0)

    @field_validator("special")
    @classmethod
    def _special_le_normal(cls, value: float, info: ValidationInfo) -> float:
        normal = info.data.get("normal")
        if normal is not None and value > normal:
            raise ValueError(f"must not exceed normal ({normal:g} h)")
        return value

    @field_validator("urgent")
    @classmethod
    def _urgent_le_special(cls, value: float, info: ValidationInfo) -> float:
        special = info.data.get("special")
        if special is not None and value > special:
            raise ValueError(f"must not exceed special ({special:g} h)")
        return value

    def hours(self, tier: Tier) -> float:
        return float(getattr(self, tier.value))


class LeadTimeSignal(_Table):
    """Requested delivery (commitment_date) minus received time: the shorter, the more urgent."""

    enabled: bool = True
    urgent_below_hours: float = Field(default=48.0, gt=0)
    special_below_hours: float = Field(default=120.0, gt=0)

    @field_validator("special_below_hours")
    @classmethod
    def _special_above_urgent(cls, value: float, info: ValidationInfo) -> float:
        urgent = info.data.get("urgent_below_hours")
        if urgent is not None and value <= urgent:
            raise ValueError(f"must be greater than urgent_below_hours ({urgent:g})")
        return value


DEFAULT_URGENT_WORDS = ["urgent", "rush", "asap", "emergency", "加急", "紧急", "急单", "特急"]
DEFAULT_SPECIAL_WORDS = ["special", "priority", "expedite", "特殊", "优先"]
DEFAULT_LINE_STOP_WORDS = ["line stop", "line down", "production stop", "停线", "停机", "生产线紧急停机"]
DEFAULT_MATERIAL_SHORTAGE_WORDS = ["material shortage", "out of stock", "缺料", "缺货", "原料紧急缺货"]


class KeywordSignal(_Table):
    """Words in tag names, the customer reference and the note. Causes (紧急发货管理制度 第二章: 客户生产线的紧急停机、
    原料的紧急缺货) make an order urgent and are reported as such."""

    enabled: bool = True
    urgent_words: list[str] = Field(default_factory=lambda: list(DEFAULT_URGENT_WORDS))
    special_words: list[str] = Field(default_factory=lambda: list(DEFAULT_SPECIAL_WORDS))
    line_stop_words: list[str] = Field(default_factory=lambda: list(DEFAULT_LINE_STOP_WORDS))
    material_shortage_words: list[str] = Field(default_factory=lambda: list(DEFAULT_MATERIAL_SHORTAGE_WORDS))

    @field_validator("urgent_words", "special_words", "line_stop_words", "material_shortage_words")
    @classmethod
    def _no_blank_words(cls, value: list[str]) -> list[str]:
        if any(not word.strip() for word in value):
            raise ValueError("words must not be blank")
        return value


class CustomerSignal(_Table):
    """Important customers (重要客户订单): partner categories, on the partner or its parent company."""

    enabled: bool = True
    vip_categories: list[str] = Field(default_factory=lambda: ["VIP"])
    tier: Tier = Tier.SPECIAL


class BigOrderSignal(_Table):
    """Big orders (大单): amount_total at or above a threshold, in the order's currency."""

    enabled: bool = True
    amount: float = Field(default=50000.0, gt=0)
    tier: Tier = Tier.SPECIAL


class ShortageSignal(_Table):
    """Stock shortfall on a special or urgent order: an alert to the planner (确认是否有库存)."""

    enabled: bool = True


class CalendarConfig(_Table):
    """How deadlines count hours: plain calendar hours, or working hours of a weekly schedule."""

    mode: Literal["calendar", "working"] = "calendar"
    #: "settings": the schedule below; "erp": the company's working hours in the ERP (``resource.calendar`` of the
    #: daemon user's company, with its attendances and public holidays) — the calendar the planner also reads.
    source: Literal["settings", "erp"] = "settings"
    timezone: str = "UTC"
    working_days: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    day_start: str = "08:00"
    day_end: str = "18:00"
    #: Several spans a day ("08:00-12:00", "13:00-17:00" around lunch); when given, day_start/day_end are unused.
    spans: list[str] = Field(default_factory=list)
    holidays: list[date] = Field(default_factory=list)
    #: Make-up working days (调休): dates worked although their week day is not a working day.
    workdays: list[date] = Field(default_factory=list)
    #: The ERP's calendar once read (source "erp"): set by the jobs with :meth:`with_working_time`.
    _working: Any = PrivateAttr(default=None)

    def with_working_time(self, working: Any) -> CalendarConfig:
        """This configuration counting hours on ``working`` (a :class:`policies.planning.calendar.WorkingTime`)."""
        copy = self.model_copy()
        copy._working = working
        return copy

    @property
    def working(self) -> Any:
        return self._working

    @field_validator("source")
    @classmethod
    def _erp_counts_working_hours(cls, value: str, info: ValidationInfo) -> str:
        if value == "erp" and info.data.get("mode") != "working":
            raise ValueError('"erp" gives working hours: it needs mode = "working"')
        return value

    @field_validator("spans")
    @classmethod
    def _spans(cls, value: list[str]) -> list[str]:
        bounds = []
        for text in value:
            start, _, end = text.partition("-")
            if not (_HHMM.match(start.strip()) and _HHMM.match(end.strip())) or end.strip() <= start.strip():
                raise ValueError(f"a span is \"HH:MM-HH:MM\" with its end after its start, got {text!r}")
            bounds.append((start.strip(), end.strip()))
        bounds.sort()
        for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False):
            if start < end:
                raise ValueError(f"spans overlap: {end} is after {start}")
        return [f"{start}-{end}" for start, end in bounds]

    @field_validator("workdays")
    @classmethod
    def _workdays_not_holidays(cls, value: list[date], info: ValidationInfo) -> list[date]:
        both = sorted(set(value) & set(info.data.get("holidays") or ()))
        if both:
            raise ValueError(f"{both[0].isoformat()} is both a holiday and a make-up working day")
        return sorted(set(value))

    @property
    def day_spans(self) -> list[tuple[time, time]]:
        """The working spans of a working day, local time."""
        if self.spans:
            return [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in (s.split("-") for s in self.spans)]
        return [(self.start_time, self.end_time)]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("working_days")
    @classmethod
    def _weekdays(cls, value: list[int]) -> list[int]:
        if not value:
            raise ValueError("must name at least one day (Mon=0 … Sun=6)")
        if any(day < 0 or day > 6 for day in value):
            raise ValueError("days are 0 (Monday) to 6 (Sunday)")
        return sorted(set(value))

    @field_validator("day_start", "day_end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError(f"must be a time HH:MM, got {value!r}")
        return value

    @field_validator("day_end")
    @classmethod
    def _end_after_start(cls, value: str, info: ValidationInfo) -> str:
        start = info.data.get("day_start")
        if start is not None and value <= start:
            raise ValueError(f"must be later than day_start ({start})")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def start_time(self) -> time:
        return time.fromisoformat(self.day_start)

    @property
    def end_time(self) -> time:
        return time.fromisoformat(self.day_end)


class EscalationConfig(_Table):
    """及时上报领导: an unprocessed order past its deadline goes to the manager, later to the director."""

    enabled: bool = True
    second_level_multiple: float = Field(default=2.0, gt=1)
    manager_user_id: int | None = None
    director_user_id: int | None = None

    _users = field_validator("manager_user_id", "director_user_id", mode="before")(
        classmethod(lambda cls, v: _optional_user(v))
    )


def _default_priorities() -> dict[Tier, Literal["0", "1"]]:
    return {Tier.NORMAL: "0", Tier.SPECIAL: "0", Tier.URGENT: "1"}


class ProductionConfig(_Table):
    """生产计划的调整: MO priorities, reschedules, delivery buffers, and who plans and ships."""

    priority_by_tier: dict[Tier, Literal["0", "1"]] = Field(default_factory=_default_priorities)
    delivery_buffer_hours: float = Field(default=24.0, ge=0)
    transit_buffer_hours: float = Field(default=12.0, ge=0)
    default_duration_hours: float = Field(default=8.0, gt=0)
    planner_user_id: int | None = None
    logistics_user_id: int | None = None

    _users = field_validator("planner_user_id", "logistics_user_id", mode="before")(
        classmethod(lambda cls, v: _optional_user(v))
    )

    @field_validator("priority_by_tier")
    @classmethod
    def _fill_missing(cls, value: dict[Tier, Literal["0", "1"]]) -> dict[Tier, Literal["0", "1"]]:
        # A partial table only overrides the tiers it names.
        return {**_default_priorities(), **value}


class PlanningConfig(_Table):
    """找出剩余生产空间: finite-capacity planning of work orders (see ``policies.planning``)."""

    enabled: bool = True
    horizon_days: int = Field(default=28, ge=1, le=366)
    max_operations: int = Field(default=20000, ge=1)
    solver_operations: int = Field(default=1500, ge=1)
    solver_seconds: float = Field(default=10.0, gt=0)
    workers: int = Field(default=1, ge=1, le=64)
    max_overtime_hours_per_day: float = Field(default=4.0, ge=0, le=24)
    min_move_minutes: int = Field(default=30, ge=0, le=1440)


class AlertConfig(_Table):
    """Activities: ``enabled`` is the switch for every activity the plugin creates; ``on_tiers`` says which tiers
    get the salesperson's confirm alert (销售人员是紧急发货管理的第一责任人)."""

    enabled: bool = True
    on_tiers: list[Tier] = Field(default_factory=lambda: [Tier.SPECIAL, Tier.URGENT])


class PenaltyRate(_Table):
    """One band: a delay up to ``up_to_hours`` (None = beyond every other band) costs ``rate`` × order amount."""

    up_to_hours: float | None = Field(default=None, gt=0)
    rate: float = Field(ge=0, le=1)

    @field_validator("up_to_hours", mode="before")
    @classmethod
    def _inf_is_open(cls, value: Any) -> Any:
        # TOML has no null: `inf` (or leaving the key out) marks the open-ended last band.
        if isinstance(value, float) and math.isinf(value) and value > 0:
            return None
        return value


def _default_rates() -> list[PenaltyRate]:
    return [
        PenaltyRate(up_to_hours=24, rate=0.02),
        PenaltyRate(up_to_hours=72, rate=0.05),
        PenaltyRate(up_to_hours=None, rate=0.10),
    ]


class PenaltyConfig(_Table):
    """紧急备货单的罚款标准: the penalty grows with the delay and with the history of late deliveries."""

    rates: list[PenaltyRate] = Field(default_factory=_default_rates)
    cap_rate: float = Field(default=0.20, gt=0, le=1)
    history_window_days: int = Field(default=90, gt=0)
    history_step: float = Field(default=0.25, ge=0)
    history_max_factor: float = Field(default=2.0, ge=1)

    @field_validator("rates")
    @classmethod
    def _increasing(cls, value: list[PenaltyRate]) -> list[PenaltyRate]:
        if not value:
            raise ValueError("must have at least one band")
        for index, band in enumerate(value):
            if band.up_to_hours is None and index != len(value) - 1:
                raise ValueError(f"only the last band may be open-ended (band {index})")
            if index:
                before = value[index - 1]
                if band.up_to_hours is not None and before.up_to_hours is not None \
                        and band.up_to_hours <= before.up_to_hours:
                    raise ValueError(f"up_to_hours must increase (band {index})")
                if band.rate < before.rate:
                    raise ValueError(f"rates must not decrease (band {index})")
        return value


class MaterialsConfig(_Table):
    """Materials for special and urgent demand (追踪采购 §3.2.2, 库存检查): see ``policies.materials``."""

    enabled: bool = True
    #: The tiers whose MOs have their components examined.
    on_tiers: list[Tier] = Field(default_factory=lambda: [Tier.SPECIAL, Tier.URGENT])
    #: Who hears about shortages nothing covers, and about late POs without a buyer (None: the MO's responsible).
    purchasing_user_id: int | None = None
    #: Raise a late purchase order's priority to Urgent (where the ERP has the field).
    raise_po_priority: bool = True
    #: Draft one RFQ from the product's first vendor for a shortage nothing covers (never confirmed). Off by default.
    draft_rfq: bool = False

    _nobody = field_validator("purchasing_user_id", mode="before")(
        classmethod(lambda cls, v: _optional_user(v))
    )


class Rules(BaseModel):
    """The whole ``[rules]`` table."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    language: Literal["en", "zh"] = "en"
    companies: list[int] = Field(default_factory=list)
    tiers: TierHours = Field(default_factory=TierHours)
    lead_time: LeadTimeSignal = Field(default_factory=LeadTimeSignal)
    keywords: KeywordSignal = Field(default_factory=KeywordSignal)
    customers: CustomerSignal = Field(default_factory=CustomerSignal)
    big_order: BigOrderSignal = Field(default_factory=BigOrderSignal)
    shortage: ShortageSignal = Field(default_factory=ShortageSignal)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    escalation: EscalationConfig = Field(default_factory=EscalationConfig)
    production: ProductionConfig = Field(default_factory=ProductionConfig)
    planning: PlanningConfig = Field(default_factory=PlanningConfig)
    alerts: AlertConfig = Field(default_factory=AlertConfig)
    penalty: PenaltyConfig = Field(default_factory=PenaltyConfig)
    routing: RoutingConfig = Field(default_factory=RoutingConfig)
    materials: MaterialsConfig = Field(default_factory=MaterialsConfig)


_MESSAGE_REWRITES = (
    ("Value error, ", ""),
    ("Input should be ", "must be "),
    ("Extra inputs are not permitted", "unknown key"),
    ("Field required", "is required"),
)


def _location(loc: tuple[int | str, ...], root: str) -> str:
    text = root
    for part in loc:
        if part == "[key]":
            continue  # pydantic's marker for "the dict key itself was wrong": the key is already named
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def describe_error(exc: ValidationError, root: str = "rules") -> str:
    """The first error of ``exc`` as one line: ``rules.tiers.urgent: must be greater than 0``."""
    errors = exc.errors()
    if not errors:
        return f"{root}: invalid"
    first = errors[0]
    message = str(first.get("msg", "invalid"))
    for old, new in _MESSAGE_REWRITES:
        if message.startswith(old):
            message = new + message[len(old):]
    return f"{_location(tuple(first.get('loc', ())), root)}: {' '.join(message.split())}"
