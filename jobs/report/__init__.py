"""The monthly assessment (每月考核): reading the month's orders, the figures, rendering, the ``report`` command."""

from jobs.report.assessment import build_report, resolve_period

__all__ = ["build_report", "resolve_period"]
