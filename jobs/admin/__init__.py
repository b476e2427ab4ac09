"""Administration: ``install`` / ``uninstall`` (fields, views, activity type, tags), ``check``, and
``installed``, the one place that finds the plugin's own records in the ERP."""

from odoo_urgency.jobs.admin.check import run_check
from odoo_urgency.jobs.admin.install import run_install, run_uninstall
from odoo_urgency.jobs.admin.installed import find_installed, resolve

__all__ = ["find_installed", "resolve", "run_check", "run_install", "run_uninstall"]
