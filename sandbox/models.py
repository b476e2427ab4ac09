"""Business behaviour of the served models: defaults, computed fields, workflow methods.

Each class mirrors what Odoo 17's own model does *as far as the urgency plugin can see it
over RPC*: name sequences (``S00001``, ``WH/MO/00001``, ``WH/OUT/00001``), stored computed
values (``amount_total``, ``price_subtotal``, ``mail.activity.res_model``), non-stored ones
computed at read time (``display_name``, ``mrp_production_ids``, ``expected_date``...),
``sale.order.action_confirm`` overwriting ``date_order``, custom ``x_`` fields that appear
in the registry as soon as their ``ir.model.fields`` row is created, and views whose
inheritance is checked against the parent arch.
"""

from __future__ import annotations

import ast
import html
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from . import links, rights, views
from .faults import UserError, ValidationError, missing_error, value_error
from .orm import DT_FORMAT, BaseModel, Env, api_model, api_multi
from .schema import Field
from .store import Record

CUSTOM_TTYPES = (
    "boolean",
    "char",
    "text",
    "html",
    "integer",
    "float",
    "monetary",
    "date",
    "datetime",
    "selection",
    "many2one",
    "many2many",
    "one2many",
)


def custom_field(rec: Record, selections: list[Record]) -> Field:
    """The registry entry of a custom (``state='manual'``) ``ir.model.fields`` row."""
    ttype = rec.get("ttype") or "char"
    selection: tuple[tuple[str, str], ...] | None = None
    if ttype == "selection":
        selection = tuple(
            (s["value"], s["name"]) for s in sorted(selections, key=lambda s: (s.get("sequence") or 0, s["id"]))
        )
    return Field(
        ttype,
        rec.get("field_description") or rec["name"],
        relation=rec.get("relation") or None if ttype in ("many2one", "many2many", "one2many") else None,
        inverse=rec.get("relation_field") or None if ttype == "one2many" else None,
        selection=selection,
        required=bool(rec.get("required")),
        readonly=bool(rec.get("readonly")),
        store=rec.get("store", True) is not False,
        help=rec.get("help") or None,
        manual=True,
    )


# -- display names and non-stored computed fields ---------------------------------------------
def display_name(env: Env, model: str, rec: Record) -> str:
    """``display_name`` as Odoo 17 computes it for the served models."""
    from . import materials, reporting  # local: they build on this module

    tables = env.store.tables
    special = materials.display_name(env, model, rec) or reporting.display_name(env, model, rec)
    if special is not None:
        return special
    if model == "product.product":
        code = rec.get("default_code")
        return f"[{code}] {rec.get('name') or ''}" if code else rec.get("name") or ""
    if model == "res.partner":
        parent = tables.get("res.partner", {}).get(rec.get("parent_id") or 0)
        if parent and not rec.get("is_company") and rec.get("name"):
            return f"{parent.get('name')}, {rec.get('name')}"
        return rec.get("name") or ""
    if model == "sale.order.line":
        order = tables.get("sale.order", {}).get(rec.get("order_id") or 0)
        first = (rec.get("name") or "").split("\n")[0]
        return f"{order.get('name')} - {first}" if order else first
    if model == "mail.activity":
        kind = tables.get("mail.activity.type", {}).get(rec.get("activity_type_id") or 0)
        return rec.get("summary") or (kind or {}).get("name") or ""
    if model == "ir.model.data":
        return f"{rec.get('module')}.{rec.get('name')}"
    if model == "mrp.workorder":
        production = tables.get("mrp.production", {}).get(rec.get("production_id") or 0) or {}
        product = tables.get("product.product", {}).get(production.get("product_id") or 0)
        label = f" - {display_name(env, 'product.product', product)}" if product else ""
        return f"{production.get('name') or ''}{label} - {rec.get('name') or ''}"
    if model == "mrp.bom":
        template = tables.get("product.template", {}).get(rec.get("product_tmpl_id") or 0) or {}
        code = template.get("default_code")
        label = f"[{code}] {template.get('name') or ''}" if code else template.get("name") or ""
        return f"{rec['code']}: {label}" if rec.get("code") else label
    info = env.models.get(model)
    rec_name = info.rec_name if info else "name"
    value = rec.get(rec_name) if rec_name else None
    return str(value) if value else f"{model},{rec['id']}"


def compute(env: Env, model: str, name: str, rec: Record) -> Any:
    """Value of a non-stored computed field."""
    if name == "display_name":
        return display_name(env, model, rec)
    tables = env.store.tables
    if model == "sale.order" and name == "mrp_production_ids":
        # Through the reverse indexes: a scan of every MO for every order would make reads quadratic.
        found = links.mos_of(env, rec)
        if rec.get("name"):
            found |= env.index("mrp.production", "origin").get(rec["name"], set())
        return sorted(found)
    if model == "sale.order" and name == "expected_date":
        lines = [tables["sale.order.line"][i] for i in env.index("sale.order.line", "order_id").get(rec["id"], ())]
        if not lines:
            return False
        start = env.now() if rec.get("state") in ("draft", "sent") else datetime.strptime(rec["date_order"], DT_FORMAT)
        lead = min(float(line.get("customer_lead") or 0.0) for line in lines)
        return (start + timedelta(days=lead)).strftime(DT_FORMAT)
    if model == "sale.order.line" and name == "state":
        return (tables.get("sale.order", {}).get(rec.get("order_id") or 0) or {}).get("state")
    if model == "sale.order.line" and name == "move_ids":
        return []
    if model == "res.users" and name == "email":  # related to the partner, as in Odoo (_inherits)
        return (tables.get("res.partner", {}).get(rec.get("partner_id") or 0) or {}).get("email") or False
    if model == "ir.ui.view" and name == "arch":
        return rec.get("arch_db")  # as in Odoo: the view's own arch; combined archs come from get_views
    if model == "ir.ui.view" and name in ("xml_id", "model_data_id"):
        for data in tables.get("ir.model.data", {}).values():
            if data.get("model") == "ir.ui.view" and data.get("res_id") == rec["id"]:
                return f"{data['module']}.{data['name']}" if name == "xml_id" else data["id"]
        return None
    if model == "mrp.workorder" and name == "is_planned":
        return bool(rec.get("leave_id"))
    if model == "mrp.production" and name == "is_planned":
        orders = [tables["mrp.workorder"][i] for i in env.index("mrp.workorder", "production_id").get(rec["id"], ())]
        return any(wo.get("leave_id") for wo in orders)
    if model == "mrp.workorder" and name == "qty_production":
        return float((tables.get("mrp.production", {}).get(rec.get("production_id") or 0) or {}).get("product_qty") or 0)
    if model == "mrp.routing.workcenter" and name == "time_cycle":
        return float(rec.get("time_cycle_manual") or 0.0)
    if model == "ir.model.data" and name == "complete_name":
        return f"{rec.get('module')}.{rec.get('name')}"
    if model == "ir.model.fields" and name == "modules":
        return "base" if rec.get("state") == "base" else None
    from . import materials, reporting  # local: they build on this module

    if model == "res.currency":
        return reporting.compute(env, model, name, rec)
    return materials.compute(env, model, name, rec)


def _moment(value: str) -> datetime:
    # Stored as Odoo sends it: strftime writes years below 1000 without leading zeros ('1-01-01 00:00:00').
    return datetime.strptime(value.zfill(19), DT_FORMAT)


def _shift(value: str, **delta: float) -> str:
    try:
        return (_moment(value) + timedelta(**delta)).strftime(DT_FORMAT)
    except OverflowError:
        return value  # year 1 minus an hour: Odoo's own arithmetic would fail too; keep the value


def _hours_between(start: str, end: str) -> float:
    return (_moment(end) - _moment(start)).total_seconds() / 3600


# -- sales ------------------------------------------------------------------------------------
class SaleOrder(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        defaults: dict[str, Any] = {
            "state": "draft",
            "company_id": 1,
            "currency_id": 1,
            "date_order": self._now(),
            "user_id": self.uid,
            "name": "New",
        }
        if "team_id" not in vals:
            user = vals.get("user_id", self.uid)
            teams = self.env.store.table("crm.team")
            team = next(
                (
                    t
                    for t in sorted(teams)
                    if user in (teams[t].get("member_ids") or []) or teams[t].get("user_id") == user
                ),
                None,
            )
            defaults["team_id"] = team or (min(teams) if teams else False)
        return {k: v for k, v in defaults.items() if k not in vals}

    def _prepare_create(self, rec: Record) -> None:
        if not rec.get("name") or rec.get("name") == "New":
            rec["name"] = self.env.next_sequence("sale.order", "S")
        rec.setdefault("amount_total", 0.0)

    def _before_unlink(self, ids: list[int]) -> None:
        for rid in ids:
            if self._table[rid].get("state") not in ("draft", "cancel"):
                raise UserError(
                    "You can not delete a sent quotation or a confirmed sales order. You must first cancel it."
                )
        lines = self._sudo("sale.order.line")
        activities = self._sudo("mail.activity")
        for rid in ids:
            line_ids = sorted(self.env.index("sale.order.line", "order_id").get(rid, set()))
            if line_ids:
                BaseModel.unlink(lines, line_ids)
            act_ids = self.env.x2many_ids("sale.order", "activity_ids", self._table[rid])
            if act_ids:
                activities.unlink(act_ids)

    def recompute_amounts(self, order_ids: set[int]) -> None:
        """``amount_total`` = Σ line ``price_subtotal`` (no taxes in the sandbox)."""
        lines = self.env.store.table("sale.order.line")
        index = self.env.index("sale.order.line", "order_id")
        for oid in order_ids:
            if oid not in self._table:
                continue
            total = round(sum(float(lines[i].get("price_subtotal") or 0.0) for i in index.get(oid, ())), 2)
            if self._table[oid].get("amount_total") != total:
                self.env.store.touch(self._name, oid)["amount_total"] = total

    @api_multi
    def action_confirm(self, ids: list[int]) -> bool:
        """Quotation → sales order; ``date_order`` becomes the confirmation time (as in Odoo)."""
        self._check("write")
        self._existing(ids)
        bad = [i for i in ids if self._table[i].get("state") not in ("draft", "sent")]
        if bad:
            states = sorted({dict(self._fields["state"].selection or ())[self._table[i]["state"]] for i in bad})
            raise UserError(f"It is not allowed to confirm an order in the following states: {', '.join(states)}")
        self._write(ids, {"state": "sale", "date_order": self._now()})
        groups = self._sudo(links.link_model(self.env))
        pickings = self._sudo("stock.picking")
        for rid in ids:
            order = self._table[rid]
            if not links.link_of(self.env, "sale.order", order):
                gid = groups.create(links.new_link_vals(self.env, order["name"], rid, order.get("partner_id")))
                self._write([rid], links.vals(self.env, "sale.order", gid))
            if not self.env.x2many_ids("sale.order", "picking_ids", order) and self.env.index(
                "sale.order.line", "order_id"
            ).get(rid):
                scheduled = order.get("commitment_date") or self._now()
                pickings.create(
                    {
                        "picking_type_code": "outgoing",
                        "origin": order["name"],
                        "sale_id": rid,
                        "partner_id": order.get("partner_id"),
                        **links.vals(self.env, "stock.picking", links.link_of(self.env, "sale.order", order)),
                        "scheduled_date": scheduled,
                        "date_deadline": order.get("commitment_date") or False,
                        "state": "confirmed",
                        "user_id": False,
                    }
                )
        return True

    @api_multi
    def action_cancel(self, ids: list[int]) -> bool:
        self._check("write")
        self._existing(ids)
        self._write(ids, {"state": "cancel"})
        pickings = self._sudo("stock.picking")
        for rid in ids:
            open_ids = [
                p
                for p in self.env.x2many_ids("sale.order", "picking_ids", self._table[rid])
                if pickings._table[p].get("state") not in ("done", "cancel")
            ]
            if open_ids:
                pickings._write(open_ids, {"state": "cancel"})
        return True

    @api_multi
    def action_draft(self, ids: list[int]) -> bool:
        self._check("write")
        self._existing(ids)
        self._write([i for i in ids if self._table[i].get("state") in ("cancel", "sent")], {"state": "draft"})
        return True


class SaleOrderLine(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        product = self.env.store.table("product.product").get(vals.get("product_id") or 0) or {}
        defaults = {
            "product_uom_qty": 1.0,
            "customer_lead": float(product.get("sale_delay") or 0.0),
            "price_unit": float(product.get("lst_price") or 0.0),
            "name": display_name(self.env, "product.product", product) if product else False,
            "qty_delivered": 0.0,
            "sequence": 10,
        }
        return {k: v for k, v in defaults.items() if k not in vals}

    def _prepare_create(self, rec: Record) -> None:
        rec["price_subtotal"] = round(float(rec.get("product_uom_qty") or 0.0) * float(rec.get("price_unit") or 0.0), 2)

    def _prepare_write(self, rec: Record, old: Record, vals: dict[str, Any]) -> None:
        self._prepare_create(rec)

    def _orders(self, ids: list[int]) -> set[int]:
        return {self._table[i]["order_id"] for i in ids if i in self._table and self._table[i].get("order_id")}

    def _after_create(self, rid: int, vals: dict[str, Any]) -> None:
        SaleOrder(self.env, "sale.order", rights.SUPERUSER_ID, {}, True).recompute_amounts(self._orders([rid]))

    def _after_write(self, ids: list[int], vals: dict[str, Any]) -> None:
        self._after_create(ids[0], vals) if len(ids) == 1 else SaleOrder(
            self.env, "sale.order", rights.SUPERUSER_ID, {}, True
        ).recompute_amounts(self._orders(ids))

    @api_multi
    def unlink(self, ids: list[int]) -> bool:
        orders = self._orders(ids)
        super().unlink(ids)
        SaleOrder(self.env, "sale.order", rights.SUPERUSER_ID, {}, True).recompute_amounts(orders)
        return True


# -- manufacturing and inventory ----------------------------------------------------------------
class MrpProduction(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        defaults = {
            "state": "draft",
            "priority": "0",
            "date_start": self._now(),
            "product_qty": 1.0,
            "company_id": 1,
            "user_id": self.uid,
            "reservation_state": "confirmed",
            "duration_expected": 60.0,
        }
        return {k: v for k, v in defaults.items() if k not in vals}

    def _prepare_create(self, rec: Record) -> None:
        if not rec.get("name") or rec.get("name") == "New":
            rec["name"] = self.env.next_sequence("mrp.production", "WH/MO/")
        if not rec.get("date_finished") and rec.get("date_start"):
            rec["date_finished"] = _shift(rec["date_start"], minutes=float(rec.get("duration_expected") or 60.0))
        if rec.get("date_finished") and rec.get("date_start"):
            rec["duration_expected"] = round(_hours_between(rec["date_start"], rec["date_finished"]) * 60, 2)
        if not links.link_of(self.env, "mrp.production", rec):
            link = self._sudo(links.link_model(self.env)).create(links.new_link_vals(self.env, rec["name"]))
            rec.update(links.vals(self.env, "mrp.production", link))

    def _prepare_write(self, rec: Record, old: Record, vals: dict[str, Any]) -> None:
        # Odoo 17 recomputes date_finished from the new start and the expected duration
        if "date_start" in vals and "date_finished" not in vals and rec.get("date_start"):
            rec["date_finished"] = _shift(rec["date_start"], minutes=float(rec.get("duration_expected") or 60.0))

    def _after_write(self, ids: list[int], vals: dict[str, Any]) -> None:
        # Odoo 16/17 ``write``: moving the start of a planned MO unplans it, unless the caller says the dates come
        # from planning (context ``force_date``, as ``_plan_workorders`` does).
        if "date_start" in vals and not self.context.get("force_date"):
            planned = [i for i in ids if compute(self.env, self._name, "is_planned", self._table[i])]
            if planned:
                self._unplan(planned)

    def _workorders(self, ids: list[int]) -> list[int]:
        index = self.env.index("mrp.workorder", "production_id")
        return sorted(w for i in ids for w in index.get(i, ()))

    def _unplan(self, ids: list[int]) -> None:
        workorders = self._sudo("mrp.workorder")
        table = workorders._table
        for wid in self._workorders(ids):
            if table[wid].get("date_start") or table[wid].get("date_finished"):
                workorders._write([wid], {"date_start": False, "date_finished": False})

    @api_multi
    def button_unplan(self, ids: list[int]) -> bool:
        """Odoo's "Unplan": drop every work order's slot; refused once work has started or finished."""
        self._check("write")
        self._existing(ids)
        states = {self.env.store.table("mrp.workorder")[w].get("state") for w in self._workorders(ids)}
        if "done" in states:
            raise UserError("Some work orders are already done, so you cannot unplan this manufacturing order.")
        if "progress" in states:
            raise UserError("Some work orders have already started, so you cannot unplan this manufacturing order.")
        self._unplan(ids)
        return True

    @api_multi
    def action_confirm(self, ids: list[int]) -> bool:
        self._check("write")
        self._existing(ids)
        self._write([i for i in ids if self._table[i].get("state") == "draft"], {"state": "confirmed"})
        return True


class MrpWorkorder(BaseModel):
    """Planned dates live in a ``resource.calendar.leaves`` slot (``leave_id``), as in Odoo 16–19.

    Writing ``date_start`` and ``date_finished`` together moves the slot (Odoo's ``_set_dates``: the Gantt view
    writes both in one call); a first date creates the slot on the work center's calendar; both set to False
    remove it (the Gantt's "unschedule").
    """

    def _after_create(self, rid: int, vals: dict[str, Any]) -> None:
        if vals.get("date_start"):
            self._sync_leaves([rid])

    def _after_write(self, ids: list[int], vals: dict[str, Any]) -> None:
        if "date_start" in vals or "date_finished" in vals:
            self._sync_leaves(ids)

    def _sync_leaves(self, ids: list[int]) -> None:
        leaves = self._sudo("resource.calendar.leaves")
        for rid in ids:
            wo = self._table[rid]
            start, finish, leave = wo.get("date_start"), wo.get("date_finished"), wo.get("leave_id")
            if leave and not start and not finish:
                self.env.store.touch(self._name, rid)["leave_id"] = None
                leaves._delete(leave)
            elif leave:
                if not start or not finish:
                    raise UserError("It is not possible to unplan one single Work Order. You should unplan the "
                                    "Manufacturing Order instead in order to unplan all the linked operations.")
                leaves._write([leave], {"date_from": start, "date_to": finish})
            elif start:
                if not finish:
                    finish = _shift(start, minutes=float(wo.get("duration_expected") or 60.0))
                    self.env.store.touch(self._name, rid)["date_finished"] = finish
                self.env.store.touch(self._name, rid)["leave_id"] = self._new_leave(wo, start, finish)

    def _new_leave(self, wo: Record, start: str, finish: str) -> int:
        center = self.env.store.table("mrp.workcenter").get(wo.get("workcenter_id") or 0) or {}
        leave = self._sudo("resource.calendar.leaves").create({
            "name": display_name(self.env, "mrp.workorder", wo), "calendar_id": center.get("resource_calendar_id"),
            "date_from": start, "date_to": finish, "resource_id": center.get("resource_id"), "time_type": "other",
        })
        assert isinstance(leave, int)
        return leave


class MrpWorkcenter(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        defaults = {"time_efficiency": 100.0, "default_capacity": 1.0, "oee_target": 90.0, "time_start": 0.0,
                    "time_stop": 0.0, "working_state": "normal", "company_id": 1, "sequence": 1}
        return {k: v for k, v in defaults.items() if k not in vals}

    def _prepare_create(self, rec: Record) -> None:
        # Odoo's resource.mixin: every work center is a material resource on its calendar.
        if not rec.get("resource_id"):
            calendar = self.env.store.table("resource.calendar").get(rec.get("resource_calendar_id") or 0) or {}
            rec["resource_id"] = self._sudo("resource.resource").create({
                "name": rec.get("name") or "", "resource_type": "material", "calendar_id": calendar.get("id"),
                "tz": calendar.get("tz") or "UTC",
            })


class ResourceCalendarLeaves(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in {"time_type": "leave", "company_id": 1}.items() if k not in vals}


class StockPicking(BaseModel):
    _PREFIX = {"outgoing": "WH/OUT/", "incoming": "WH/IN/", "internal": "WH/INT/", "mrp_operation": "WH/PC/"}

    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        defaults = {
            "state": "draft",
            "priority": "0",
            "scheduled_date": self._now(),
            "picking_type_code": "outgoing",
            "user_id": self.uid,
        }
        return {k: v for k, v in defaults.items() if k not in vals}

    def _prepare_create(self, rec: Record) -> None:
        if not rec.get("name") or rec.get("name") in ("New", "/"):
            code = rec.get("picking_type_code") or "outgoing"
            rec["name"] = self.env.next_sequence(f"stock.picking.{code}", self._PREFIX.get(code, "WH/OUT/"))


# -- activities ---------------------------------------------------------------------------------
class MailActivity(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        kind = self.env.store.table("mail.activity.type").get(vals.get("activity_type_id") or 4) or {}
        due = self.env.now() + timedelta(days=int(kind.get("delay_count") or 0))
        defaults = {
            "date_deadline": due.strftime("%Y-%m-%d"),
            "user_id": self.uid,
            "automated": False,
            "activity_type_id": 4 if 4 in self.env.store.table("mail.activity.type") else False,
        }
        return {k: v for k, v in defaults.items() if k not in vals}

    def _prepare_create(self, rec: Record) -> None:
        model = self.env.store.table("ir.model").get(rec.get("res_model_id") or 0)
        rec["res_model"] = model.get("model") if model else None
        if self.env.odoo_version >= 19 and not model:
            # 19 made res_model_id optional in fields_get; a constraint still refuses an activity on no document.
            raise ValidationError("The operation cannot be completed: Activities have to be linked to records with a "
                                  "not null res_id.")
        if rec.get("user_id") and rec["user_id"] != self.uid and self.uid != rights.SUPERUSER_ID:
            # Odoo 17 notifies the assignee (action_notify → message_notify), and _message_compute_author
            # refuses when the creating user has no e-mail address; the whole create is rolled back.
            user = self.env.store.table("res.users").get(self.uid) or {}
            partner = self.env.store.table("res.partner").get(user.get("partner_id") or 0) or {}
            if not partner.get("email"):
                raise UserError("Unable to send message, please configure the sender's email address.")

    def _prepare_write(self, rec: Record, old: Record, vals: dict[str, Any]) -> None:
        self._prepare_create(rec)

    @api_multi
    def action_feedback(self, ids: list[int], feedback: str = False, attachment_ids: list[int] | None = None) -> bool:  # type: ignore[assignment]
        """Mark done as Odoo 17 does: a message on the document (``mail.message_activity_done``: the summary, the
        activity's note and the feedback, by the user who marked it done), then the activity is deleted."""
        self._check("write")
        self._existing(ids)
        user = self.env.store.table("res.users").get(self.uid) or {}
        for rid in ids:
            activity = self._table[rid]
            body = (f"<div><p>{html.escape(activity.get('summary') or '')}</p>"
                    f"<div>{activity.get('note') or ''}</div>"
                    + (f"<div>{html.escape(str(feedback))}</div>" if feedback else "") + "</div>")
            self._sudo("mail.message").create({
                "model": activity.get("res_model"), "res_id": activity.get("res_id"), "body": body,
                "message_type": "notification", "subtype_id": 2, "author_id": user.get("partner_id") or False,
                "date": self._now(),
            })
            self._delete(rid)
        return True

    @api_multi
    def action_done(self, ids: list[int]) -> bool:
        return self.action_feedback(ids)


# -- users and configuration ----------------------------------------------------------------
class ResUsers(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        defaults = {"company_id": 1, "share": False, "tz": "Europe/Brussels"}
        return {k: v for k, v in defaults.items() if k not in vals}

    def _prepare_create(self, rec: Record) -> None:
        # ``email`` lives on the partner (res.users ``_inherits`` res.partner in Odoo): stored there, read through
        email = rec.pop("email", None)
        if not rec.get("partner_id"):
            rec["partner_id"] = self._sudo("res.partner").create({"name": rec.get("name") or rec.get("login"),
                                                                  "email": email or False})
        elif email:
            self._sudo("res.partner").write([rec["partner_id"]], {"email": email})
        if rec.get("groups_id") is None:
            groups = self.env.store.table("res.groups")
            rec["groups_id"] = [g for g, grp in groups.items() if grp.get("xml_id") == "base.group_user"]

    def _after_create(self, rid: int, vals: dict[str, Any]) -> None:
        super()._after_create(rid, vals)
        self._imply_groups([rid])

    def _after_write(self, ids: list[int], vals: dict[str, Any]) -> None:
        super()._after_write(ids, vals)
        if "groups_id" in vals:
            self._imply_groups(ids)

    def _imply_groups(self, ids: list[int]) -> None:
        """As Odoo 17's ``UsersImplied``: a user's ``groups_id`` holds every group its groups imply."""
        for rid in ids:
            closure = sorted(self.env.user_group_ids(rid))
            if closure != sorted(self._table[rid].get("groups_id") or []):
                self.env.store.touch(self._name, rid)["groups_id"] = closure

    @api_multi
    def write(self, ids: list[int], vals: dict[str, Any]) -> bool:
        """As Odoo 17: changing users needs Administration/Access Rights, except a user's own preferences."""
        if ids == [self.uid] and set(vals) <= rights.SELF_WRITEABLE_FIELDS:
            self._existing(ids)
            self._write(ids, vals)
            return True
        vals = dict(vals)
        email = vals.pop("email", None)
        super().write(ids, vals)
        if email is not None:  # on the partner, as Odoo's ``_inherits`` writes it
            partners = [r.get("partner_id") for r in (self._table.get(i) or {} for i in ids) if r.get("partner_id")]
            self._sudo("res.partner").write(partners, {"email": email})
        return True

    @property
    def has_group(self) -> Callable[..., bool]:
        """Odoo 17's ``has_group`` is ``@api.model`` (``has_group(group_ext_id)``, about the caller: ids given over
        RPC bind to ``group_ext_id`` and fail); from 18 it is a record method about the user in ``ids``."""
        return self._has_group_of_records if self.env.odoo_version >= 18 else self._has_group_of_caller

    @api_model
    def _has_group_of_caller(self, group_ext_id: str) -> bool:
        return self._has_group_of_records([self.uid], group_ext_id)

    @api_multi
    def _has_group_of_records(self, ids: list[int], group_ext_id: str) -> bool:
        if not isinstance(group_ext_id, str) or "." not in group_ext_id:
            raise value_error(f"External ID '{group_ext_id}' must be fully qualified")
        uid = ids[0] if ids else self.uid
        return group_ext_id in self.env.user_groups(uid)

    @api_model
    def context_get(self) -> dict[str, Any]:
        user = self._table.get(self.uid) or {}
        partner = self.env.store.table("res.partner").get(user.get("partner_id") or 0) or {}
        return {"lang": partner.get("lang") or "en_US", "tz": user.get("tz") or "Europe/Brussels", "uid": self.uid}


class IrConfigParameter(BaseModel):
    def _prepare_create(self, rec: Record) -> None:
        self._unique_key(rec)

    def _prepare_write(self, rec: Record, old: Record, vals: dict[str, Any]) -> None:
        if "key" in vals:
            self._unique_key(rec)

    def _unique_key(self, rec: Record) -> None:
        """Odoo's ``key_uniq`` SQL constraint: two parameters never share a key (the plugin's lease relies on it)."""
        for rid, other in self._table.items():
            if rid != rec.get("id") and other.get("key") == rec.get("key"):
                raise ValidationError("The operation cannot be completed: Key must be unique.")

    @api_model
    def get_param(self, key: str, default: Any = False) -> Any:
        self._check("read")
        for rec in self._table.values():
            if rec.get("key") == key:
                return rec.get("value")
        return default

    @api_model
    def set_param(self, key: str, value: Any) -> Any:
        self._check("write")
        for rid, rec in self._table.items():
            if rec.get("key") == key:
                old = rec.get("value")
                if value is False or value is None:
                    self._delete(rid)
                else:
                    self._write([rid], {"value": str(value)})
                return old if old is not None else False
        if value is not False and value is not None:
            self._create_one({"key": key, "value": str(value)})
        return False


class IrModelData(BaseModel):
    @api_model
    def check_object_reference(self, module: str, xml_id: str, raise_on_access_error: bool = False) -> list[Any]:
        for rec in self._table.values():
            if rec.get("module") == module and rec.get("name") == xml_id:
                return [rec["model"], rec["res_id"]]
        raise value_error(f"External ID not found in the system: {module}.{xml_id}")


def refuse_inverted_many2ones(env: Env, field_rows: list[Record]) -> None:
    """Odoo 17's ``ir.model.fields._prepare_update``: a custom many2one that a custom one2many inverts cannot be
    removed, not even together with that one2many (nor with its model): the one2many must go first."""
    fields = env.store.table("ir.model.fields")
    for rec in field_rows:
        if rec.get("ttype") != "many2one":
            continue
        for other in fields.values():
            if (other.get("ttype") == "one2many" and other.get("state") == "manual"
                    and other.get("relation") == rec.get("model") and other.get("relation_field") == rec.get("name")):
                raise UserError(f"The field '{rec.get('model')}.{rec.get('name')}' cannot be removed because the "
                                f"field '{other.get('model')}.{other.get('name')}' depends on it.")


class IrModel(BaseModel):
    """Custom models (Odoo's ``ir.model`` with ``state='manual'``): a ``x_`` name, a ``x_name`` field unless
    the fields are given (``_default_field_id``), and no access for anyone until ``ir.model.access`` rows say so."""

    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        defaults: dict[str, Any] = {"state": "manual"}
        if "field_id" not in vals:
            defaults["field_id"] = [(0, 0, {"name": "x_name", "field_description": "Name", "ttype": "char",
                                            "copied": True})]
        return {k: v for k, v in defaults.items() if k not in vals}

    def _prepare_create(self, rec: Record) -> None:
        if not self.trusted or rec.get("state") != "base":
            rec["state"] = "manual"
        if rec["state"] != "manual":
            return
        name = str(rec.get("model") or "")
        if not name.startswith("x_"):
            raise ValidationError("The model name must start with 'x_'.")
        if name in self.env.models or any(r.get("model") == name for r in self._table.values()):
            raise ValidationError("Each model must have a unique name.")

    def _after_create(self, rid: int, vals: dict[str, Any]) -> None:
        self.env.refresh_schema()

    def _before_unlink(self, ids: list[int]) -> None:
        for rid in ids:
            if self._table[rid].get("state") != "manual":
                raise UserError("Model 'Models' contains module data and cannot be removed.")
        fields = self.env.store.table("ir.model.fields")
        refuse_inverted_many2ones(self.env, [f for f in fields.values() if f.get("model_id") in ids])
        # as Odoo drops the table: the records, the fields and the access rows go with the model
        for rid in ids:
            model = str(self._table[rid]["model"])
            for oid in list(self.env.store.table(model)):
                self.env.store.delete(model, oid)
            for related, key in (("ir.model.fields", "model_id"), ("ir.model.access", "model_id")):
                table = self.env.store.table(related)
                for oid in [o for o, r in table.items() if r.get(key) == rid]:
                    self._sudo(related)._delete(oid)

    @api_multi
    def unlink(self, ids: list[int]) -> bool:
        super().unlink(ids)
        self.env.refresh_schema()
        return True


class IrModelFields(BaseModel):
    """Custom fields: creating a ``x_`` row adds the field to its model at once."""

    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        return {
            k: v for k, v in {"state": "manual", "store": True, "index": False, "copied": True}.items() if k not in vals
        }

    def _prepare_create(self, rec: Record) -> None:
        if not self.trusted or rec.get("state") != "base":
            rec["state"] = "manual"
        model = self.env.store.table("ir.model").get(rec.get("model_id") or 0)
        if model:
            rec["model"] = model["model"]
        if rec["state"] != "manual":
            return
        name = rec.get("name") or ""
        if not name.startswith("x_"):
            raise ValidationError("Custom fields must have a name that starts with 'x_' !")
        if model and model["model"] in self.env.models and name in self.env.fields(model["model"]):
            raise ValidationError(
                f"Field names must be unique per model.\nField {name!r} already exists on {model['model']!r}"
            )
        if rec.get("ttype") not in CUSTOM_TTYPES:
            raise value_error(f"Wrong value for ir.model.fields.ttype: {rec.get('ttype')!r}")
        if rec.get("ttype") in ("many2one", "many2many", "one2many"):
            if rec.get("relation") not in self.env.models:
                raise UserError(f"Model {rec.get('relation')} does not exist!")
        if rec.get("ttype") == "one2many":
            inverse = self.env.fields(rec["relation"]).get(rec.get("relation_field") or "")
            if inverse is None or inverse.type != "many2one":
                raise UserError(f"Many2one {rec.get('relation_field')} on model {rec.get('relation')} does not exist!")

    def _after_create(self, rid: int, vals: dict[str, Any]) -> None:
        rec = self._table[rid]
        if rec.get("state") != "manual":
            return
        legacy = rec.get("selection")
        if rec.get("ttype") == "selection" and legacy and not vals.get("selection_ids"):
            try:
                pairs = ast.literal_eval(legacy)
            except (ValueError, SyntaxError):
                raise ValidationError(
                    "The Selection Options expression is not a valid Pythonic expression."
                    f"Please provide an expression in the [('key','Label'), ...] format.\n{legacy}"
                ) from None
            selection = self._sudo("ir.model.fields.selection")
            for seq, (value, label) in enumerate(pairs):
                selection.create({"field_id": rid, "value": value, "name": label, "sequence": seq})
        self.env.refresh_schema()

    def _after_write(self, ids: list[int], vals: dict[str, Any]) -> None:
        self.env.refresh_schema()

    def _before_unlink(self, ids: list[int]) -> None:
        for rid in ids:
            rec = self._table[rid]
            if rec.get("state") != "manual":
                raise UserError("This column contains module data and cannot be removed!")
        refuse_inverted_many2ones(self.env, [self._table[rid] for rid in ids])
        selection = self._sudo("ir.model.fields.selection")
        for rid in ids:
            rec = self._table[rid]
            model, name = rec.get("model"), rec.get("name")
            for sid in sorted(self.env.index("ir.model.fields.selection", "field_id").get(rid, set())):
                selection._delete(sid)
            for oid, other in list(self.env.store.table(model or "").items()):
                if name in other:
                    self.env.store.touch(model or "", oid).pop(name, None)

    @api_multi
    def unlink(self, ids: list[int]) -> bool:
        super().unlink(ids)
        self.env.refresh_schema()
        return True


class IrModelFieldsSelection(BaseModel):
    def _after_create(self, rid: int, vals: dict[str, Any]) -> None:
        self.env.refresh_schema()

    def _after_write(self, ids: list[int], vals: dict[str, Any]) -> None:
        self.env.refresh_schema()

    @api_multi
    def unlink(self, ids: list[int]) -> bool:
        super().unlink(ids)
        self.env.refresh_schema()
        return True


class IrUiView(BaseModel):
    """Views: ``arch`` is stored as ``arch_db``; inheriting archs are checked on save."""

    def _create_one(self, vals: dict[str, Any]) -> int:
        return super()._create_one(self._arch_to_db(vals))

    @api_multi
    def write(self, ids: list[int], vals: dict[str, Any]) -> bool:
        return super().write(ids, self._arch_to_db(vals))

    @staticmethod
    def _arch_to_db(vals: dict[str, Any]) -> dict[str, Any]:
        vals = dict(vals)
        if "arch" in vals:
            vals["arch_db"] = vals.pop("arch")
        for alias in ("arch_base", "arch_fs"):
            vals.pop(alias, None)
        return vals

    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        parent = self._table.get(vals.get("inherit_id") or 0)
        defaults = {
            "active": True,
            "priority": 16,
            "mode": "extension" if vals.get("inherit_id") else "primary",
            "model": parent.get("model") if parent else False,
        }
        return {k: v for k, v in defaults.items() if k not in vals}

    def _prepare_create(self, rec: Record) -> None:
        parent = self._table.get(rec.get("inherit_id") or 0)
        if parent and not rec.get("type"):
            rec["type"] = parent.get("type")
        if not rec.get("type") and rec.get("arch_db"):
            rec["type"] = views.root_type(rec["arch_db"])
        if not rec.get("name"):
            rec["name"] = f"{rec.get('model') or 'view'}.{rec.get('type') or 'view'}"
        views.validate(self.env, rec)

    def _prepare_write(self, rec: Record, old: Record, vals: dict[str, Any]) -> None:
        if {"arch_db", "inherit_id", "active"} & set(vals):
            views.validate(self.env, rec)


_CLASSES: dict[str, type[BaseModel]] = {
    "sale.order": SaleOrder,
    "sale.order.line": SaleOrderLine,
    "mrp.production": MrpProduction,
    "stock.picking": StockPicking,
    "mrp.workorder": MrpWorkorder,
    "mrp.workcenter": MrpWorkcenter,
    "resource.calendar.leaves": ResourceCalendarLeaves,
    "mail.activity": MailActivity,
    "res.users": ResUsers,
    "ir.config_parameter": IrConfigParameter,
    "ir.model.data": IrModelData,
    "ir.model": IrModel,
    "ir.model.fields": IrModelFields,
    "ir.model.fields.selection": IrModelFieldsSelection,
    "ir.ui.view": IrUiView,
}


def model_class(name: str) -> type[BaseModel]:
    from . import materials, reporting  # local: they build on this module

    return reporting.wrap(name, materials.CLASSES.get(name) or _CLASSES.get(name, BaseModel))


__all__ = ["compute", "custom_field", "display_name", "missing_error", "model_class"]
