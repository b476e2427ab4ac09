"""What every command does first: settings, logs, exit codes and one-line errors, an authenticated client."""

from odoo_urgency.jobs.runtime.connect import connect, connect_and_detect, settings_from
from odoo_urgency.jobs.runtime.errors import JobError, LeaseHeld, explain
from odoo_urgency.jobs.runtime.settings import Settings, SettingsError, load_settings

__all__ = ["JobError", "LeaseHeld", "Settings", "SettingsError", "connect", "connect_and_detect", "explain",
           "load_settings", "settings_from"]
