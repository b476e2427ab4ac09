"""The imperative shell: every job that does I/O, one package each.

``runtime`` (settings, logs, errors, connecting) serves all of them; ``daemon`` is the sync daemon; ``admin``
installs and checks; ``report`` is the monthly assessment; ``backfill`` classifies history; ``demo`` starts the
embedded sandbox; ``cli`` is the ``odoo-urgency`` command line. See ``docs/DESIGN.md``.
"""
