"""What a push message says: what, why, by when, what to do, for whom, and a link to the record in Odoo.

Rendered at the moment of sending from the alert's parts, not copied from the to-do: a message retried after an
outage says "overdue since 05:11 — ship now" if that is true by then (``policies.alerts.summary_of`` / ``by_when``).
A digest lists one line per alert with its link.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from odoo_urgency.policies import Alert, Rules, i18n
from odoo_urgency.policies.alerts import by_when, summary_of

_TAGS = re.compile(r"<[^>]+>")
#: The same key line as the to-do's note: whoever receives a message can find its to-do, and tests count them.
KEY_LINE = "odoo-urgency key:"


def record_link(base: str, model: str, res_id: int) -> str:
    """The record's form in the Odoo web client (``/web#`` links work from Odoo 16 to 19)."""
    return f"{base.rstrip('/')}/web#id={res_id}&model={model}&view_type=form"


def payload_of(alert: Alert, person: dict[str, Any]) -> dict[str, Any]:
    return {"alert": alert.model_dump(mode="json"), "person": person}


def _plain(text: str) -> str:
    return html.unescape(_TAGS.sub("", text))


def render(payload: dict[str, Any], rules: Rules, now: datetime, link_base: str) -> tuple[str, str]:
    """(title, body) of one message."""
    alert = Alert.model_validate(payload["alert"])
    person = payload.get("person") or {}
    language = rules.language
    # An alert made without parts (built directly as a note) is told by its note.
    lines = [*alert.what, alert.why, by_when(alert, rules, now), *alert.todo] if alert.what else [alert.note]
    roles = i18n.joined_roles(language, alert.roles or [alert.role])
    lines.append(i18n.text(language, "push.for", person=person.get("name") or f"#{alert.user_id}", roles=roles))
    lines.append(i18n.text(language, "push.link", url=record_link(link_base, alert.model, alert.res_id)))
    lines.append(f"{KEY_LINE} {' '.join(alert.all_keys())}")
    return summary_of(alert, rules, now), "\n".join(_plain(line) for line in lines if line)


def render_digest(payloads: list[dict[str, Any]], rules: Rules, now: datetime, link_base: str) -> tuple[str, str]:
    """(title, body) of one digest for one person."""
    language = rules.language
    person = payloads[0].get("person") or {}
    name = person.get("name") or person.get("login") or "?"
    title = i18n.text(language, "push.digest.title", count=len(payloads), person=name)
    lines = [i18n.text(language, "push.digest.intro")]
    for payload in payloads:
        alert = Alert.model_validate(payload["alert"])
        lines.append(f"- {summary_of(alert, rules, now)} — {record_link(link_base, alert.model, alert.res_id)} "
                     f"({KEY_LINE} {' '.join(alert.all_keys())})")
    return title, "\n".join(lines)
