"""The output of the rules for one sale order: a decision (for the report and the audit trail), the writes to
make in the ERP, and the alerts (``mail.activity``) to create."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from odoo_urgency.policies.tiers import Tier


class Reason(BaseModel):
    """Why: ``code`` is machine-readable ("lead_time", "keyword", "line_stop", "material_shortage", "vip",
    "big_order", "manual", "none", "no_manager"); ``text`` is a short sentence in the configured language."""

    code: str
    text: str


class Decision(BaseModel):
    order_id: int
    order_name: str
    #: Effective tier (a manual tier wins).
    tier: Tier
    #: What the signals say.
    computed_tier: Tier
    #: The tier was fixed by a user.
    manual: bool
    reasons: list[Reason]
    received: datetime | None
    processing_deadline: datetime | None
    #: Confirmed: state in ("sale", "done"); processed_at = date_order (Odoo sets it on confirmation).
    processed: bool
    processed_at: datetime | None
    #: Processed after the deadline, or unprocessed and now past the deadline.
    breached: bool
    #: 0 none, 1 manager, 2 one level higher.
    escalation_level: int
    #: None when there is nothing to produce/deliver or no requested date.
    feasible: bool | None
    #: Why the order was left alone (cancelled, company not configured), else None.
    skipped: str | None = None


class RecordWrite(BaseModel):
    """One ``write`` on one record.

    ``values`` are Odoo wire values: ``"YYYY-MM-DD HH:MM:SS"`` UTC strings for datetimes, ``"0"``/``"1"``
    priorities, x2many commands for ``tag_ids`` (``[(4, id)]`` add, ``(3, id)`` remove). For ``mrp.production``
    the policies use version-neutral names that the daemon must rename before writing:

    * ``planned_start`` → ``date_planned_start`` (Odoo 16) / ``date_start`` (17+);
    * ``planned_finished`` → ``date_planned_finished`` (Odoo 16) / ``date_finished`` (17+). The planned finish moves
      with the start so that the MO keeps its duration (Odoo 16 would not recompute it).

    ``expected`` holds the current wire values of the same fields as read (with the same neutral names): the
    daemon re-reads and compares before writing; if they changed, a user edited the record and the daemon re-plans.
    After writing, the daemon stores ``values`` in the record's memo (neutral names), so that the next plan can
    tell the plugin's values from a user's.
    """

    model: str
    res_id: int
    values: dict[str, Any]
    expected: dict[str, Any]
    reason: str
    #: Notes for the record's memo only, written nowhere else (``{"yielded": [...]}``: fields now a person's).
    memo: dict[str, Any] = Field(default_factory=dict)

    @property
    def remembered(self) -> dict[str, Any]:
        """What the memo keeps of this write: the values written, and the notes."""
        return {**self.values, **self.memo}


class Alert(BaseModel):
    """One activity to create. ``key`` is stable (same situation → same key), e.g. ``confirm:sale.order:12:urgent``,
    ``breach1:sale.order:12``, ``breach2:sale.order:12``, ``mo_priority:mrp.production:5``,
    ``shortage:sale.order:12:7``, ``infeasible:mrp.production:5:salesperson``, ``infeasible:mrp.production:5:planner``,
    ``delivery:stock.picking:9``."""

    key: str
    #: confirm | breach | mo_priority | shortage | infeasible | delivery
    kind: str
    #: salesperson | planner | logistics | manager | director
    role: str
    model: str
    res_id: int
    user_id: int
    summary: str
    #: HTML-safe paragraphs (``<p>…</p>``, text escaped): what, why, by when, what to do.
    note: str
    #: Hour-level deadline (aware UTC).
    due: datetime
    #: The Date for mail.activity: ``due`` as a date in the configured time zone.
    date_deadline: date
    #: Every role this one activity is for: one person, one alert per situation, naming all their roles.
    roles: list[str] = Field(default_factory=list)
    #: Every key it stands for, ``key`` first (one per role; ``key@user`` when a role reaches several people).
    keys: list[str] = Field(default_factory=list)
    #: The situation, without role or person (``infeasible:mrp.production:5``).
    situation: str = ""
    tier: Tier | None = None
    #: The summary without its time: push channels render "by when" again at the moment they send.
    headline: str = ""
    #: What the deadline asks (confirm, ship, finish, act, deliver), None when the alert has no deadline phrase.
    action: str | None = None
    #: Plain sentences: what happened, why, what to do (the note is made of them).
    what: list[str] = Field(default_factory=list)
    why: str = ""
    todo: list[str] = Field(default_factory=list)
    #: The chain step that reached this person, per role ("team_leader ← group:sales_team.group_sale_manager").
    via: list[str] = Field(default_factory=list)
    #: Where the keys are remembered when not on the alert's own record (a purchase order may have no memo field:
    #: the MO that needs the supply keeps them).
    memo_model: str | None = None
    memo_res_id: int | None = None

    def all_keys(self) -> list[str]:
        return self.keys or [self.key]


class OrderPlan(BaseModel):
    decision: Decision
    #: Only what differs from what the ERP holds now.
    writes: list[RecordWrite] = Field(default_factory=list)
    #: Only alerts whose key is not already known.
    alerts: list[Alert] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.writes and not self.alerts
