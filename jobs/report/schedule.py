"""The daemon reports to leadership by itself: from ``[report] send_day`` on, last month's report, once.

After each successful cycle the daemon asks :meth:`MonthlySender.after_cycle` whether a report is due: the local
day (``rules.calendar.timezone``) is on or after ``send_day`` and last month's report has not been handled by
this process. It then builds the report and posts it to ``[report] recipients`` through :func:`jobs.report.send.send`,
which skips every recipient that already has this month's message — the ERP remembers, so a restart (or a second
host) never posts twice — and records the summary for ``[report] channels`` in the daemon's push outbox
(:mod:`jobs.report.push`: once per month and channel; the daemon's sender thread sends it). A failure is logged
and retried after the next cycle; it never stops the daemon.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import structlog

from odoo_urgency.connector import OdooClient, OdooError, Schema
from odoo_urgency.jobs.notify import Notifier
from odoo_urgency.jobs.report.compute import build_assessment
from odoo_urgency.jobs.report.period import Period, last_complete_month
from odoo_urgency.jobs.report.push import page_link, push
from odoo_urgency.jobs.report.render import render_html
from odoo_urgency.jobs.report.send import SendResult, resolve, send
from odoo_urgency.jobs.runtime.errors import JobError
from odoo_urgency.jobs.runtime.settings import Settings

log = structlog.get_logger("report")


class MonthlySender:
    def __init__(self, client: OdooClient, schema: Schema, settings: Settings,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), notifier: Notifier | None = None) -> None:
        self.client = client
        #: The daemon's push side (None without channels): the report's channels go through its outbox.
        self.notifier = notifier
        self.schema = schema
        self.settings = settings
        self.clock = clock
        #: The month this process has handled (sent, or found sent everywhere).
        self.done: str | None = None

    def due(self, now: datetime) -> Period | None:
        config = self.settings.report
        if not config.send_day or not (config.recipients or config.channels):
            return None
        tz = self.settings.rules.calendar.tz
        if now.astimezone(tz).day < config.send_day:
            return None
        period = last_complete_month(now, tz)
        return None if period.month == self.done else period

    def run_once(self, now: datetime) -> SendResult | None:
        period = self.due(now)
        if period is None or period.month is None:
            return None
        recipients = resolve(self.client, [r.strip() for r in self.settings.report.recipients])
        assessment = build_assessment(self.client, self.schema, self.settings.rules, period, now,
                                      trend_months=self.settings.report.trend_months)
        html = render_html(assessment)
        result = send(self.client, assessment, period.month, html, recipients)
        pushed = None
        if self.notifier is not None and self.settings.report.channels:
            link = page_link(self.client, recipients, period.month,
                             self.settings.notify.link_url or self.settings.odoo.url)
            pushed = push(self.notifier, self.settings.report.channels, assessment, period.month, html, link)
        self.done = period.month
        log.info("report_sent", month=period.month, posted=result.posted, already=result.already,
                 pushed=pushed.recorded if pushed else [], already_pushed=pushed.already if pushed else [])
        return result

    def after_cycle(self, _summary: object = None) -> None:
        try:
            self.run_once(self.clock())
        except (OdooError, JobError) as exc:
            log.warning("report_not_sent", error=str(exc), retry="after the next cycle")
