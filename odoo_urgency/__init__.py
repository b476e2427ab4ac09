"""odoo-urgency: urgent-order rules for Odoo.

The installed import package. Its four parts are the repository's top-level folders — ``connector/`` (talking to
Odoo), ``policies/`` (pure rules), ``jobs/`` (daemon, backfill, report, CLI) and ``sandbox/`` (the embedded ERP) —
reached here through relative symbolic links, so the layout a reader sees stays the user's while what is installed
is one namespaced package (``odoo_urgency.jobs``, never a bare ``jobs`` beside everything else in site-packages).
Build tools follow the links: a wheel holds real files.

Import from the parts, e.g. ``from odoo_urgency.connector import OdooClient``; this module itself exports nothing.
"""
