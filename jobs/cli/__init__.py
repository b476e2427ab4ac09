"""The command line: ``main`` (the ``odoo-urgency`` entry point) over one registry of sub-commands."""

from odoo_urgency.jobs.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
