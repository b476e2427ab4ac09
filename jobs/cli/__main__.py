"""``python -m odoo_urgency.jobs.cli`` runs the command line (the tests start the daemon this way)."""

import sys

from odoo_urgency.jobs.cli.app import main

sys.exit(main())
