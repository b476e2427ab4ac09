"""The monthly report through the push channels (issue 14's ``jobs.notify``), once per month and channel.

Beside the Discuss post (:mod:`jobs.report.send`), each channel named in ``[report] channels`` gets a short summary
— each company's departments with their on-time rates and the penalty total — with the link to the page attached
to the Discuss post (``/web/content/<attachment>``, for people who can log in to Odoo), and the page itself as a
file where the service takes files (e-mail, Slack, JSON webhooks; the others send the text alone).

**Once per month.** The message goes through the notify outbox under the key ``report:YYYY-MM`` (one row per
channel, ``INSERT OR IGNORE``): a second ``--send``, a daemon restart or the daemon's own monthly send records
nothing new, and the outbox's delivery rules hold — marked before the send, settled after, retried with backoff
while a channel is down (at most one extra message after a crash mid-send, never a lost one). The outbox lives on
the host that sent it: ``report --send`` and the daemon share it when they run on one host with one settings file
(the Discuss post, whose memory is the ERP, is once per month from anywhere).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from odoo_urgency.connector import OdooClient
from odoo_urgency.jobs.notify import ChannelError, Notifier
from odoo_urgency.jobs.report.charts import DEPARTMENT_NAMES
from odoo_urgency.jobs.report.render import fmt
from odoo_urgency.jobs.report.send import Recipient, marker
from odoo_urgency.jobs.runtime.errors import EXIT_USAGE, JobError
from odoo_urgency.policies.assessment import Assessment

if TYPE_CHECKING:
    from odoo_urgency.jobs.runtime.settings import Settings


@dataclass
class PushResult:
    recorded: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    #: "channel: why" for each send that failed this time (the message waits in the outbox for its retry).
    failures: list[str] = field(default_factory=list)


def notifier_of(settings: Settings) -> Notifier | None:
    """The push side for ``report --send``: the same outbox as the daemon's; None without report channels."""
    from odoo_urgency.jobs.notify.notifier import notifier_for

    if not settings.report.channels:
        return None
    try:
        return notifier_for(settings, lambda: None)
    except ChannelError as exc:
        raise JobError(str(exc), EXIT_USAGE) from None


def key_of(month: str) -> str:
    return f"report:{month}"


def page_link(client: OdooClient, recipients: Sequence[Recipient], month: str, base: str) -> str | None:
    """The page attached to this month's Discuss post (the first recipient's), or None without a post."""
    for recipient in recipients:
        rows = client.search_read("mail.message", [("model", "=", recipient.model), ("res_id", "=", recipient.res_id),
                                                   ("body", "ilike", marker(month))], ["attachment_ids"], limit=1)
        if rows and rows[0].get("attachment_ids"):
            return f"{base.rstrip('/')}/web/content/{rows[0]['attachment_ids'][0]}?download=true"
    return None


def summary_text(assessment: Assessment, month: str, link: str | None) -> tuple[str, str]:
    """(title, body) of the push message: plain text, one paragraph per company."""
    title = f"{assessment.title} {month} — {assessment.subtitle}"
    lines = []
    for company in assessment.companies:
        parts = [f"{DEPARTMENT_NAMES[s.department]} {fmt(s.total.on_time_rate, 'rate')} ({s.total.late} late)"
                 for s in company.departments if s.available]
        lines.append(f"{company.company} ({company.currency}): {'; '.join(parts)}. "
                     f"Penalty estimate {fmt(company.penalties.total, 'money')} {company.currency}.")
    lines.append(f"Report: {link}" if link else f"The report is attached (assessment-{month}.html).")
    lines.append(marker(month))
    return title, "\n".join(lines)


def push(notifier: Notifier, channels: Sequence[str], assessment: Assessment, month: str, html: str,
         link: str | None) -> PushResult:
    """Record the report's message on each channel that has not had this month's; the notifier sends it."""
    title, body = summary_text(assessment, month, link)
    payload: dict[str, Any] = {"kind": "report", "month": month, "title": title, "body": body, "html": html,
                               "file": f"assessment-{month}.html"}
    recorded, already = notifier.intend_once(channels, key_of(month), key_of(month), payload)
    return PushResult(recorded, already)


def push_now(notifier: Notifier, channels: Sequence[str], assessment: Assessment, month: str, html: str,
             link: str | None, timeout: float = 60.0) -> PushResult:
    """``report --send``: record, send what is due (this month's report, and anything a failed run left), stop."""
    try:
        result = push(notifier, channels, assessment, month, html, link)
        result.failures = notifier.drain(timeout=timeout).failures
    finally:
        notifier.stop()
    return result


__all__ = ["PushResult", "key_of", "notifier_of", "page_link", "push", "push_now", "summary_text"]
