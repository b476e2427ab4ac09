"""Materials for urgent demand in the daemon's cycle: batched reads, the pure plan, RFQ drafts, explanations.

After the rules planned a batch of orders, :class:`~jobs.materials.step.MaterialsStep` looks at the MOs of the
special and urgent ones: it reads their component moves, the components' stock, the open purchase lines and
orders and the other incoming receipts of those components — one call per model for the whole batch, never one
per product (:mod:`~jobs.materials.reader`) — pegs supply to needs and plans with :mod:`policies.materials`, and
files the resulting writes (a late PO's priority) and alerts under the orders' plans, so they go through the same
conflict check, alert dedupe and memo as everything else. Draft RFQs (off by default) are created just before the
batch is applied, and their keys remembered on the MO's memo. :mod:`~jobs.materials.explain` turns the verdict into
``explain`` lines and says in ``check`` what purchasing follow-up can do on this ERP.
"""

from odoo_urgency.jobs.materials.explain import check_facts, combined, describe, lines, section
from odoo_urgency.jobs.materials.reader import MaterialsData, MaterialsReader
from odoo_urgency.jobs.materials.step import MaterialsStep, OrderMaterials

__all__ = ["MaterialsData", "MaterialsReader", "MaterialsStep", "OrderMaterials", "check_facts", "combined",
           "describe", "lines", "section"]
