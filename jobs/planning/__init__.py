"""The capacity planner's shell (找出剩余生产空间): read the factory, plan it, write it as Odoo plans, show it.

* :mod:`.factory` — the batched reads (work orders, MOs, their orders, work centers, calendars, leaves);
* :mod:`.apply` — writes work-order dates (Odoo moves their calendar slots) and MO dates with ``force_date``;
* :mod:`.run` — the capacity pass of a daemon cycle (plan, write, alerts);
* :mod:`.render` and :mod:`.commands` — ``odoo-urgency plan``: before → after per work center, table and Gantt.

The decisions themselves are pure: :mod:`policies.planning`.
"""

from odoo_urgency.jobs.planning.factory import Factory, FactoryReader
from odoo_urgency.jobs.planning.run import CapacityOutcome, CapacityPass, limits_of

__all__ = ["CapacityOutcome", "CapacityPass", "Factory", "FactoryReader", "limits_of"]
