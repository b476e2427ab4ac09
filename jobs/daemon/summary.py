"""What a cycle (or a backfill) did, counted: the one record the CLI, the metrics and the logs report from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from odoo_urgency.connector.costs import CallCost, top_costs
from odoo_urgency.policies import OrderPlan, Tier


def value_text(name: str, value: Any, tag_names: dict[int, str]) -> str:
    """A planned or current value for people: tier tags by name (``+Urgent / 紧急``), the rest as Python."""
    if name == "tag_ids" and isinstance(value, list):
        if value and all(isinstance(c, (list, tuple)) for c in value):
            return ", ".join(f"{'+' if c[0] == 4 else '-'}{tag_names.get(c[1], c[1])}" for c in value)
        return "[" + ", ".join(str(tag_names.get(c, c)) for c in value) + "]"
    return repr(value)


@dataclass
class CycleSummary:
    orders_by_tier: dict[str, int] = field(default_factory=lambda: {t.value: 0 for t in Tier})
    writes: int = 0
    alerts: int = 0
    escalations: int = 0
    #: Draft RFQs created for shortages nothing covers (``rules.materials.draft_rfq``).
    rfqs: int = 0
    errors: int = 0
    #: Orders skipped because a record they depend on cannot be read (each is also an error, with its line).
    unreadable: int = 0
    conflicts: int = 0
    rpc_calls: int = 0
    duration_s: float = 0.0
    dry_run: bool = False
    plans: list[OrderPlan] = field(default_factory=list)
    error_messages: list[str] = field(default_factory=list)
    #: Push channels after the cycle (``once``): sent, digests, failed, waiting.
    push: dict[str, int] | None = None
    #: What the cycle's round trips cost, per ``model.method`` (``connector.costs``).
    costs: dict[str, CallCost] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"orders_by_tier": self.orders_by_tier, "writes": self.writes, "alerts": self.alerts,
                "escalations": self.escalations, "rfqs": self.rfqs, "errors": self.errors,
                "unreadable": self.unreadable,
                "conflicts": self.conflicts,
                "rpc_calls": self.rpc_calls, "duration_s": round(self.duration_s, 3), "dry_run": self.dry_run,
                "top_costs": top_costs(self.costs)}

    def absorb(self, other: CycleSummary) -> None:
        """What the orders decided after the capacity pass did (their materials wait for its slots); their tiers
        were counted when they were first decided."""
        for name in ("writes", "alerts", "escalations", "rfqs", "errors", "unreadable", "conflicts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.error_messages.extend(other.error_messages)
        self.plans.extend(other.plans)

    def count_planned(self, plans: list[OrderPlan]) -> None:
        """A dry run's counts: what the plans would write and alert."""
        self.plans.extend(plan for plan in plans if not plan.is_empty())
        self.writes += sum(len(plan.writes) for plan in plans)
        self.alerts += sum(len(plan.alerts) for plan in plans)
        self.escalations += sum(1 for plan in plans for a in plan.alerts if a.kind == "breach")
