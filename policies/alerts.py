"""Building alerts: stable keys, routing to people, one alert per person per situation, texts true at ``now``.

A key names the situation, not the moment (``breach1:sale.order:12``), so the same situation planned again gives
the same key and is filtered out against the keys already created. Keys that must alert again when the situation
gets worse carry what changed (the confirm alert carries the tier).

The rules describe each alert once, as a :class:`Draft` for one or more roles (``{"salesperson": key, "planner":
key}``). The box routes each role through its fallback chain (:mod:`policies.routing`), then folds the drafts of
one situation by person: when the salesperson and the planner are the same user, that user gets one activity
naming both roles and carrying both keys — and none at all if any of those keys was created before. A role that
reaches several people (a group) gives each a key of their own, ``key@user_id``.

Deadlines are spoken relative to ``now``: a deadline already past reads "overdue since 01:27 — ship now", never
"ship by 01:27" (:func:`policies.i18n.due_phrase`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from odoo_urgency.connector.records import ManufacturingOrder, Picking, PurchaseOrder
from odoo_urgency.policies import i18n
from odoo_urgency.policies.calendar import as_utc, to_local
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.context import OrderContext
from odoo_urgency.policies.plan import Alert
from odoo_urgency.policies.routing.directory import Directory
from odoo_urgency.policies.routing.router import Router
from odoo_urgency.policies.tiers import Tier


def alert_key(kind: str, model: str, res_id: int, *extra: object) -> str:
    return ":".join([kind, model, str(res_id), *(str(part) for part in extra)])


@dataclass
class Draft:
    """One situation's alert before it is routed: the texts are the same for every recipient, but what to do
    may differ per role."""

    kind: str
    situation: str
    model: str
    res_id: int
    headline: str
    what: list[str]
    why: str
    todo: dict[str, str]
    due: datetime
    tier: Tier | None = None
    #: confirm | ship | finish | act | deliver (see ``policies.i18n.due_phrase``); None: no deadline phrase.
    action: str | None = None
    #: A machine-readable paragraph appended to the note (never pushed): what the monthly report reads back from
    #: the ERP, e.g. the purchase lines an expedite alert flags (``policies.flagged``).
    data: str = ""


@dataclass
class _Entry:
    draft: Draft
    user_id: int
    roles: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)


#: Kinds whose summary names the deadline too ("…: ship by 12-03 05:27").
SUMMARY_WITH_DUE = ("confirm", "delivery")


def summary_of(alert: Alert, rules: Rules, now: datetime) -> str:
    """The activity summary (or push title) at ``now``."""
    if alert.action is None or not alert.headline or alert.kind not in SUMMARY_WITH_DUE:
        return alert.headline or alert.summary
    phrase = i18n.due_phrase(rules.language, alert.action, alert.due, now, rules.calendar, short=True)
    return alert.headline + i18n.text(rules.language, "separator") + phrase


def by_when(alert: Alert, rules: Rules, now: datetime) -> str:
    """The "by when" sentence at ``now`` ("" for alerts without a deadline phrase)."""
    if alert.action is None:
        return ""
    phrase = i18n.due_phrase(rules.language, alert.action, alert.due, now, rules.calendar)
    return i18n.text(rules.language, "alert.by_when", phrase=phrase)


def note_of(alert: Alert, rules: Rules, now: datetime) -> str:
    """The activity note (HTML paragraphs): what, why, by when, what to do, for whom."""
    return i18n.paragraphs(*alert.what, alert.why, by_when(alert, rules, now), *alert.todo, for_whom(alert, rules))


def for_whom(alert: Alert, rules: Rules) -> str:
    language = rules.language
    roles = i18n.joined_roles(language, alert.roles)
    indirect = [step for step in alert.via if "←" in step]
    if indirect:
        return i18n.text(language, "alert.for_you.via", roles=roles, via="; ".join(indirect))
    return i18n.text(language, "alert.for_you", roles=roles)


class AlertBox:
    """Collects alerts, routed and folded by person; drops those already known and says which roles reached
    nobody."""

    def __init__(self, rules: Rules, known: set[str], *, ctx: OrderContext | None, now: datetime,
                 directory: Directory | None = None, persons: Mapping[str, int | None] | None = None) -> None:
        self.rules = rules
        self.known = known
        self.now = as_utc(now)
        self.router = Router(ctx, rules, ctx.directory if ctx is not None else directory, persons=persons)
        self._entries: dict[tuple[str, int], _Entry] = {}
        #: Roles whose whole chain found nobody, in the order met.
        self.unrouted: list[str] = []

    def route(self, draft: Draft, role_keys: dict[str, str], *, mo: ManufacturingOrder | None = None,
              picking: Picking | None = None, purchase: PurchaseOrder | None = None) -> None:
        if not self.rules.alerts.enabled:
            return
        for role, key in role_keys.items():
            recipients = self.router.resolve(role, mo=mo, picking=picking, purchase=purchase)
            if not recipients and role not in self.unrouted:
                self.unrouted.append(role)
            first = self.rules.routing.chain(role)[0]
            for recipient in recipients:
                entry = self._entries.setdefault((draft.situation, recipient.user_id),
                                                 _Entry(draft=draft, user_id=recipient.user_id))
                if role in entry.roles:
                    continue
                entry.roles.append(role)
                entry.keys.append(key if len(recipients) == 1 else f"{key}@{recipient.user_id}")
                entry.via.append(role if recipient.source == first else f"{role} ← {recipient.source}")

    @property
    def alerts(self) -> list[Alert]:
        out = []
        for entry in self._entries.values():
            if any(key in self.known for key in entry.keys):
                continue  # this person already has this situation, under one of their roles
            out.append(self._alert(entry))
        return out

    def _alert(self, entry: _Entry) -> Alert:
        draft = entry.draft
        language = self.rules.language
        todos = [draft.todo[role] for role in entry.roles if draft.todo.get(role)]
        if len(set(todos)) > 1:
            todos = [i18n.text(language, "alert.as_role", role=i18n.role_name(language, role), todo=draft.todo[role])
                     for role in entry.roles if draft.todo.get(role)]
        else:
            todos = todos[:1]
        due = as_utc(draft.due)
        alert = Alert(
            key=entry.keys[0], kind=draft.kind, role=entry.roles[0], model=draft.model, res_id=draft.res_id,
            user_id=entry.user_id, summary="", note="", due=due, date_deadline=to_local(due, self.rules.calendar).date(),
            roles=list(entry.roles), keys=list(entry.keys), situation=draft.situation, tier=draft.tier,
            headline=draft.headline, action=draft.action, what=list(draft.what), why=draft.why, todo=todos,
            via=list(entry.via),
        )
        summary = summary_of(alert, self.rules, self.now)
        return alert.model_copy(update={"summary": summary, "note": note_of(alert, self.rules, self.now) + draft.data})
