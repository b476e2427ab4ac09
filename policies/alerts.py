"""Building alerts: stable keys, who gets them, and their hour-level and day-level deadlines.

A key names the situation, not the moment (``breach1:sale.order:12``), so the same situation planned again gives
the same key and is filtered out against the keys already created. Keys that must alert again when the situation
gets worse carry what changed (the confirm alert carries the tier).
"""

from __future__ import annotations

from datetime import datetime

from policies.calendar import as_utc, to_local
from policies.config import Rules
from policies.plan import Alert


def alert_key(kind: str, model: str, res_id: int, *extra: object) -> str:
    return ":".join([kind, model, str(res_id), *(str(part) for part in extra)])


def make_alert(
    rules: Rules, *, key: str, kind: str, role: str, model: str, res_id: int, user_id: int,
    summary: str, note: str, due: datetime,
) -> Alert:
    due = as_utc(due)
    return Alert(
        key=key, kind=kind, role=role, model=model, res_id=res_id, user_id=user_id, summary=summary, note=note,
        due=due, date_deadline=to_local(due, rules.calendar).date(),
    )


class AlertBox:
    """Collects alerts, dropping those already known and those with no one to send them to."""

    def __init__(self, rules: Rules, known: set[str]) -> None:
        self.rules = rules
        self.known = known
        self.alerts: list[Alert] = []

    def wants(self, key: str) -> bool:
        return self.rules.alerts.enabled and key not in self.known and all(a.key != key for a in self.alerts)

    def add(self, alert: Alert) -> None:
        if self.wants(alert.key):
            self.alerts.append(alert)
