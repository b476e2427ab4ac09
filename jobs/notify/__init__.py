"""Push channels beside the Odoo to-do (issue 14): apprise for the channels, an SQLite outbox for delivery that
survives restarts and SIGKILL (intent before the to-do, settled after the send), digests instead of floods."""

from odoo_urgency.jobs.notify.channels import Channel, ChannelError, build_channels
from odoo_urgency.jobs.notify.notifier import Notifier
from odoo_urgency.jobs.notify.settings import ChannelSettings, NotifySettings

__all__ = ["Channel", "ChannelError", "ChannelSettings", "Notifier", "NotifySettings", "build_channels"]
