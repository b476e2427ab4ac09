"""``python -m jobs.cli`` runs the command line (the tests start the daemon this way)."""

import sys

from jobs.cli.app import main

sys.exit(main())
