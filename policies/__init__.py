"""The rules of the source document as pure functions: records and ``now`` in, a plan out. No I/O.

``classify`` gives an order its urgency tier (普通 / 特殊 / 紧急) from configurable signals, ``processing_deadline``
its time limit (订单管理制度 第十条), and ``plan_order`` everything the daemon should do about it: the decision (for the
report and the audit trail), the writes (tier fields or tags, MO priorities and planned starts, delivery priorities
and dates) and the alerts (activities for sales, planning, logistics and management). ``estimate_penalty`` prices
a late urgent order (紧急备货单的罚款标准).

Design rules that hold everywhere:

* ``now`` is always a parameter; nothing reads the clock, the network or files.
* Never fight a user: a value that differs from what the plugin last wrote (the memo) was changed by a user and
  is never written again; a manual tier wins over the signals.
* Idempotent: only differences are written and only new alert keys are planned, so planning the state a plan
  produced yields an empty plan.
* Every text comes from :mod:`policies.i18n`, in English or Chinese per ``rules.language``.
"""

from odoo_urgency.policies.calendar import add_working_hours
from odoo_urgency.policies.classify import classify
from odoo_urgency.policies.config import (
    AlertConfig,
    BigOrderSignal,
    CalendarConfig,
    CustomerSignal,
    EscalationConfig,
    KeywordSignal,
    LeadTimeSignal,
    PenaltyConfig,
    PenaltyRate,
    ProductionConfig,
    Rules,
    ShortageSignal,
    TierHours,
    describe_error,
)
from odoo_urgency.policies.context import OrderContext
from odoo_urgency.policies.deadlines import escalation_deadline, processing_deadline
from odoo_urgency.policies.penalty import PenaltyEstimate, estimate_penalty
from odoo_urgency.policies.plan import Alert, Decision, OrderPlan, Reason, RecordWrite
from odoo_urgency.policies.planner import plan_order
from odoo_urgency.policies.tiers import Tier, highest

__all__ = [
    "AlertConfig", "Alert", "BigOrderSignal", "CalendarConfig", "CustomerSignal", "Decision", "EscalationConfig",
    "KeywordSignal", "LeadTimeSignal", "OrderContext", "OrderPlan", "PenaltyConfig", "PenaltyEstimate", "PenaltyRate",
    "ProductionConfig", "Reason", "RecordWrite", "Rules", "ShortageSignal", "Tier", "TierHours", "add_working_hours",
    "classify", "describe_error", "escalation_deadline", "estimate_penalty", "highest", "plan_order",
    "processing_deadline",
]
