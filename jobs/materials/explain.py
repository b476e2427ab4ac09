"""What people read about materials: the ``explain`` section of an order and the ``check`` facts of an ERP."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from odoo_urgency.connector import Schema
from odoo_urgency.policies import Rules, i18n
from odoo_urgency.policies.config import CalendarConfig
from odoo_urgency.policies.materials.verdicts import arrival, late_by, status

if TYPE_CHECKING:
    from odoo_urgency.jobs.materials.step import OrderMaterials


def _iso(value: datetime | None) -> datetime | None:
    """Times stay datetimes: ``--json`` writes ISO 8601, the text speaks the configured zone."""
    return value


def describe(found: OrderMaterials | None) -> list[dict[str, Any]]:
    """Per MO of the order: its slot, when its materials are ready, the earliest finish, and each component."""
    if found is None or found.plan is None:
        return []
    out = []
    for slot in found.slots:
        mo = found.plan.mos.get(slot.mo_id)
        if mo is None:
            continue
        feasible = None if slot.finish_by is None else (mo.earliest_finish is not None
                                                        and mo.earliest_finish <= slot.finish_by)  # fmt: skip
        out.append({
            "mo": slot.mo_name, "status": mo.status.value, "slot_start": _iso(slot.start),
            "slot_finish": _iso(slot.finish), "materials_ready": _iso(mo.ready_at),
            "earliest_finish": _iso(mo.earliest_finish), "finish_by": _iso(slot.finish_by), "feasible": feasible,
            "components": [{
                "product": c.need.product, "needed": c.need.quantity, "needed_by": _iso(c.need.needed_by),
                "reserved": c.reserved, "short": c.short, "status": status(c).value,
                "arrives": _iso(arrival(c)), "late_hours": round(late_by(c).total_seconds() / 3600, 1),
                "supply": [{"kind": a.supply.kind, "quantity": a.quantity, "purchase_order": a.supply.po_name,
                            "expected": _iso(a.supply.expected), "confirmed": a.supply.confirmed}
                           for a in c.allocations],
            } for c in mo.coverages],
        })  # fmt: skip
    return out


def combined(production: bool | None, materials: list[dict[str, Any]], capacity: bool | None = None) -> bool | None:
    """Feasible only if the production rules, the capacity plan and every MO's materials say so (None: nothing to
    judge). Each MO's materials verdict already starts from its slot on the capacity plan, where it has one."""
    verdicts = [production, capacity, *(mo["feasible"] for mo in materials)]
    judged = [v for v in verdicts if v is not None]
    return all(judged) if judged else None


def section(found: OrderMaterials | None, production: bool | None, capacity: list[dict[str, Any]] | None = None
            ) -> dict[str, Any]:
    """The ``explain --json`` keys: ``materials`` per MO and ``combined_feasible`` (``capacity``: the order's part
    of the capacity plan, whose late MOs make it infeasible too)."""
    materials = describe(found)
    on_capacity = all(item["late_hours"] <= 0 for item in capacity) if capacity else None
    return {"materials": materials, "combined_feasible": combined(production, materials, on_capacity)}


def lines(materials: list[dict[str, Any]], combined_feasible: bool | None, calendar: CalendarConfig) -> list[str]:
    """The text lines of ``explain`` (each ends with a newline), times in the configured zone, the combined
    verdict last."""
    out = []

    def at(value: datetime | None, missing: str = "-") -> str:
        return i18n.when(value, calendar) if value else missing

    for mo in materials:
        verdict = {None: "no requested date", True: "in time", False: "TOO LATE"}[mo["feasible"]]
        out.append(f"  materials of {mo['mo']}: {mo['status']}; ready {at(mo['materials_ready'], 'never (no supply)')}; "
                   f"slot {at(mo['slot_start'])} → {at(mo['slot_finish'])}; earliest possible finish "
                   f"{at(mo['earliest_finish'], 'unknown')} (finish by {at(mo['finish_by'])}): {verdict}")
        for c in mo["components"]:
            supply = ", ".join(f"{s['quantity']:g} from {s['purchase_order'] or s['kind']}"
                               + (f" expected {at(s['expected'])}" if s["expected"] else "") for s in c["supply"])
            short = f", {c['short']:g} WITHOUT SUPPLY" if c["short"] else ""
            late = f", {c['late_hours']:g} h late" if c["status"] == "late" else ""
            out.append(f"    {c['product']}: {c['needed']:g} needed by {at(c['needed_by'])}; reserved {c['reserved']:g}"
                       f"{'; ' + supply if supply else ''}{short} — {c['status']}{late}")
    if materials and combined_feasible is not None:
        out.append("  combined verdict (production rules, capacity plan and materials): "
                   + ("feasible" if combined_feasible else "NOT feasible: tell the customer now"))
    return [line + "\n" for line in out]


def check_facts(schema: Schema, rules: Rules) -> list[tuple[str, str]]:
    """``check``: whether purchasing follow-up runs on this ERP, and what of it is off and why."""
    config = rules.materials
    if not config.enabled:
        return [("materials", "off (rules.materials.enabled = false)")]
    facts = [("materials", f"components of {', '.join(t.value for t in config.on_tiers)} orders' MOs, reserved "
                           f"quantity from stock.move.{schema.move_reserved_field}")]
    on, notes = schema.purchasing_followup()
    facts.append(("purchasing follow-up", "on" if on else "OFF"))
    facts.extend(("purchasing follow-up", note) for note in notes)
    if on:
        facts.append(("draft RFQs", "on (never confirmed by the plugin)" if config.draft_rfq
                      else "off (rules.materials.draft_rfq = false)"))
    return facts
