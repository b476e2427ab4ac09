"""Reporting to leadership (及时上报领导): the HTML report posted in Odoo Discuss, once per month and recipient.

A recipient is a Discuss channel (``#board-meetings``) or a user's login (``ceo``). For a channel the report is
posted in it; for a user it is posted on the user's contact with the user as recipient, which lands in their
Odoo inbox. Each post is ``message_post`` with a short HTML summary (company, each department's on-time rate and
penalty) and the page attached as ``assessment-YYYY-MM.html``.

**Once per month.** The summary carries a stable marker, ``odoo-urgency monthly report YYYY-MM``; before posting
to a recipient the ERP is searched for a message with that marker on the same thread, and a recipient that has
it is skipped. The memory is the ERP itself, so a second ``--send``, a daemon restart, or another host posts
nothing twice. ``message_post`` is never retried blindly (it is not idempotent): after a lost answer the next
attempt finds the marker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from jinja2 import Environment

from odoo_urgency.connector import OdooClient
from odoo_urgency.jobs.report.charts import DEPARTMENT_NAMES
from odoo_urgency.jobs.report.render import environment
from odoo_urgency.jobs.runtime.errors import EXIT_USAGE, JobError
from odoo_urgency.policies.assessment import Assessment


@dataclass(frozen=True)
class Recipient:
    label: str  # as configured: "#channel" or a login
    model: str  # the thread posted on: discuss.channel or res.partner
    res_id: int
    #: Partners notified (the user's own partner; none for a channel: its members follow it).
    partner_ids: tuple[int, ...] = ()


@dataclass
class SendResult:
    posted: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)


def marker(month: str) -> str:
    return f"odoo-urgency monthly report {month}"


def parse_recipients(values: Iterable[str]) -> list[str]:
    """Clean, validated recipient labels (``#channel`` or a login), in order, without duplicates."""
    labels: list[str] = []
    for value in values:
        label = value.strip()
        channel = label.startswith("#")
        name = label[1:].strip() if channel else label
        if not name or (not channel and any(ch.isspace() for ch in name)):
            raise JobError(f"recipient {value!r}: expected #channel or a user's login", EXIT_USAGE)
        label = f"#{name}" if channel else name
        if label not in labels:
            labels.append(label)
    return labels


def resolve(client: OdooClient, labels: Sequence[str]) -> list[Recipient]:
    """Each label's thread; an unknown channel or login is a usage error naming it (nothing is posted then)."""
    found: list[Recipient] = []
    for label in labels:
        if label.startswith("#"):
            ids = client.search("discuss.channel", [("name", "=", label[1:])], limit=1)
            if not ids:
                raise JobError(f"recipient {label}: no Discuss channel with that name", EXIT_USAGE)
            found.append(Recipient(label, "discuss.channel", ids[0]))
            continue
        rows = client.search_read("res.users", [("login", "=", label)], ["partner_id"], limit=1)
        if not rows or not rows[0].get("partner_id"):
            raise JobError(f"recipient {label}: no user with that login", EXIT_USAGE)
        partner = int(rows[0]["partner_id"][0])
        found.append(Recipient(label, "res.partner", partner, (partner,)))
    return found


def summary_html(assessment: Assessment, month: str, env: Environment | None = None) -> str:
    template = (env or environment()).get_template("summary.html.j2")
    return template.render(a=assessment, month=month, names=DEPARTMENT_NAMES, marker=marker(month))


def already_posted(client: OdooClient, recipient: Recipient, month: str) -> bool:
    domain = [("model", "=", recipient.model), ("res_id", "=", recipient.res_id), ("body", "ilike", marker(month))]
    return client.search_count("mail.message", domain) > 0


def send(client: OdooClient, assessment: Assessment, month: str, html: str, recipients: Sequence[Recipient]
         ) -> SendResult:
    """Post the report to every recipient that does not have this month's yet."""
    result = SendResult()
    body = summary_html(assessment, month)
    for recipient in recipients:
        if already_posted(client, recipient, month):
            result.already.append(recipient.label)
            continue
        client.call(recipient.model, "message_post", [recipient.res_id], idempotent=False, body=body,
                    body_is_html=True, message_type="comment", subtype_xmlid="mail.mt_comment",
                    partner_ids=list(recipient.partner_ids), attachments=[[f"assessment-{month}.html", html]])
        result.posted.append(recipient.label)
    return result


__all__ = ["Recipient", "SendResult", "marker", "parse_recipients", "resolve", "send", "summary_html"]
