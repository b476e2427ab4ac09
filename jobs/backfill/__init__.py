"""History classified and written back through the daemon's own batch path; resumable and paced."""

from jobs.backfill.run import run_backfill

__all__ = ["run_backfill"]
