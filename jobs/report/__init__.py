"""The monthly assessment (每月考核) as a job: read the ERP, judge with :mod:`policies.assessment`, render, send.

* :mod:`~jobs.report.period` — the period of the command line;
* :mod:`~jobs.report.read` — the records of a range, in batches, defensively (apps that are not installed);
* :mod:`~jobs.report.compute` — which range to read, then :func:`policies.assessment.assess`;
* :mod:`~jobs.report.render` and :mod:`~jobs.report.charts` — JSON, CSV, table, and the HTML page from Jinja2
  templates (``templates/``) with inline SVG charts;
* :mod:`~jobs.report.send` — posting to Odoo Discuss once per month and recipient;
* :mod:`~jobs.report.schedule` — the daemon sending it by itself on ``[report] send_day``;
* :mod:`~jobs.report.commands` — ``odoo-urgency report``.
"""

from odoo_urgency.jobs.report.compute import build_assessment
from odoo_urgency.jobs.report.period import Period, resolve_period
from odoo_urgency.jobs.report.render import render_html
from odoo_urgency.jobs.report.schedule import MonthlySender

__all__ = ["MonthlySender", "Period", "build_assessment", "render_html", "resolve_period"]
