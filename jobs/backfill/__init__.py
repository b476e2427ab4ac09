"""History classified and written back through the daemon's own batch path; resumable and paced."""

from odoo_urgency.jobs.backfill.run import run_backfill

__all__ = ["run_backfill"]
