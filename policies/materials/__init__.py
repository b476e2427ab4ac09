"""Materials for urgent demand (§3.2.2 追踪采购与供应商就材料问题达成一致): which manufacturing order waits for which
component, which supply covers it and when, and what purchasing must do about it. Pure: records and ``now`` in,
a plan out.

The steps, each its own module:

* :mod:`~policies.materials.needs` — the component needs of an MO: its open raw-material moves, each needed by the
  MO's start (the planned start read from the ERP, or a start passed in by the capacity planner);
* :mod:`~policies.materials.pegging` — supply pegged to needs: a move's own reservation first, then free stock,
  then incoming supply (confirmed purchase lines and receipts by expected date, then unconfirmed RFQ lines),
  handed out to needs in order of tier (urgent first), then need date, then move. Each unit of supply goes to one
  need only; what no supply covers is the shortage;
* :mod:`~policies.materials.verdicts` — per need: available, on time, late (supply after the need) or short (no
  supply); per MO: when its materials are ready and the earliest possible finish (the later of materials ready
  and its production slot, plus its duration);
* :mod:`~policies.materials.actions` — what to do: raise a late purchase order's priority (where the version has
  the field, never over a user's later change), ask its buyer to expedite with the numbers, tell purchasing about a
  shortage nothing covers, optionally draft one RFQ from the product's first vendor (never confirmed), and tell the
  salesperson when materials make the order late. Every alert and RFQ has a stable key, so a situation planned
  again yields nothing new.
"""

from odoo_urgency.policies.materials.actions import MaterialsPlan, MoSlot, Purchasing, RfqDraft, plan_materials
from odoo_urgency.policies.materials.config import MaterialsConfig
from odoo_urgency.policies.materials.needs import Need, component_needs
from odoo_urgency.policies.materials.pegging import Allocation, Coverage, Supply, peg
from odoo_urgency.policies.materials.verdicts import MoMaterials, Status, earliest_finish, summarize_mo

__all__ = [
    "Allocation", "Coverage", "MaterialsConfig", "MaterialsPlan", "MoMaterials", "MoSlot", "Need", "Purchasing",
    "RfqDraft", "Status", "Supply", "component_needs", "earliest_finish", "peg", "plan_materials", "summarize_mo",
]  # fmt: skip
