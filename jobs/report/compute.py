"""From the ERP to the assessment: which range to read, then the pure judgment (:mod:`policies.assessment`).

The range read reaches back before the period by the penalty history window and, when a trend is asked for, to
the first trend month, so that the history factor and every month of the trend are judged from the same records.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from odoo_urgency.connector import OdooClient, Schema
from odoo_urgency.jobs.report.period import Period
from odoo_urgency.jobs.report.read import read_records
from odoo_urgency.policies import Rules
from odoo_urgency.policies.assessment import Assessment, assess, months_ending

TREND_MONTHS = 6


def fetch_start(period: Period, rules: Rules, trend_months: int) -> datetime:
    start = period.start - timedelta(days=rules.penalty.history_window_days)
    if trend_months > 0:
        start = min(start, months_ending(period.end, rules.calendar.tz, trend_months)[0][1])
    return start


def build_assessment(client: OdooClient, schema: Schema, rules: Rules, period: Period, now: datetime, *,
                     trend_months: int = TREND_MONTHS, page_size: int | None = None) -> Assessment:
    records = read_records(client, schema, rules, fetch_start(period, rules, trend_months), period.end, now,
                           page_size=page_size)
    return assess(records, rules, period_start=period.start, period_end=period.end, now=now,
                  period_label=period.label, trend_months=trend_months, install_mode=bool(schema.install_mode))
