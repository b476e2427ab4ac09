"""What this ERP looks like: version, installed apps, the field names that differ by version, the plugin's
custom fields, and the rights of the configured user.

Detected once at connect time, so the rest of the program asks ``schema.mo_planned_start_field`` or
``schema.linked_domain(...)`` instead of comparing version numbers: what decides is which fields this
server has (``fields_get``), not what its version number suggests. Apps are detected by their models'
``fields_get`` (``sale.order`` answers: sale is installed; "doesn't exist": it is not), which works for any
user — unlike ``ir.module.module`` or ``ir.model``, which Odoo 17 refuses to read to internal users.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from odoo_urgency.connector._exceptions import AccessError, OdooError, UnknownNameError
from odoo_urgency.connector.client import OdooClient
from odoo_urgency.connector.records import OdooRecord, parse_datetime

#: app → the model that shows it is installed.
REQUIRED_APPS = {"sale": "sale.order", "mrp": "mrp.production", "stock": "stock.picking"}

#: How a sale order reaches its manufacturing orders, per model, in order of preference. Odoo 16–18 put the
#: order and its MOs in one procurement group (``procurement_group_id``, many2one); Odoo 19 dropped procurement
#: groups for stock references (``sale.order.stock_reference_ids`` and ``mrp.production.reference_ids``,
#: many2many to ``stock.reference``, filled from the order line's procurement). Deliveries keep ``sale_id``.
LINK_FIELDS: dict[str, tuple[str, ...]] = {
    "sale.order": ("procurement_group_id", "stock_reference_ids"),
    "mrp.production": ("procurement_group_id", "reference_ids"),
}

#: purchase model → the operations purchasing follow-up needs (missing ones turn parts of it off, they do not
#: stop the plugin): reading POs and vendor pricelists, raising a PO's priority, drafting an RFQ.
PURCHASE_RIGHTS: dict[str, tuple[str, ...]] = {
    "purchase.order": ("read", "write", "create"),
    "purchase.order.line": ("read",),
    "product.supplierinfo": ("read",),
}

#: model → the operations the plugin performs on it.
NEEDED_RIGHTS: dict[str, tuple[str, ...]] = {
    "sale.order": ("read", "write"),
    "sale.order.line": ("read",),
    "mrp.production": ("read", "write"),
    "stock.picking": ("read", "write"),
    "res.partner": ("read",),
    "product.product": ("read",),
    "crm.team": ("read",),
    "crm.tag": ("read", "create"),
    "mail.activity": ("read", "create"),
    "ir.config_parameter": ("read", "write", "create"),
    "stock.move": ("read",),
}

#: the daemon's own model, created by ``odoo-urgency install``: where it is, the daemon keeps its state there
#: (and needs no right on ``ir.config_parameter``)
STATE_MODEL = "x_urgency_state"
STATE_RIGHTS = ("read", "write", "create")


@dataclass
class Schema:
    server_version: str = ""
    major: int = 0
    missing_apps: list[str] = field(default_factory=list)
    mo_planned_start_field: str = "date_start"
    mo_planned_finish_field: str = "date_finished"
    #: Work orders rename the same way: 16 ``date_planned_start`` / ``date_planned_finished``, 17+ ``date_start``
    #: / ``date_finished`` (in 16 ``date_start`` / ``date_finished`` are the actual times).
    wo_planned_start_field: str = "date_start"
    wo_planned_finish_field: str = "date_finished"
    #: Custom fields the plugin finds on each model (``odoo-urgency install`` creates them).
    custom_fields: dict[str, set[str]] = field(default_factory=dict)
    #: model → operation → allowed
    rights: dict[str, dict[str, bool]] = field(default_factory=dict)
    available_fields: dict[str, set[str]] = field(default_factory=dict)
    #: model → the field that links orders and MOs on this server (see :data:`LINK_FIELDS`); absent: none.
    link_fields: dict[str, str] = field(default_factory=dict)
    #: True when the daemon's state model exists (``odoo-urgency install`` of a version with least privilege); None
    #: until asked (``detect(with_rights=True)``, or the daemon with :func:`has_state_home`)
    state_home: bool | None = None
    #: A move's reserved quantity: ``reserved_availability`` in Odoo 16, ``quantity`` from 17.
    move_reserved_field: str = "quantity"
    #: The purchase app answers (``purchase.order`` exists).
    purchase_installed: bool = False
    #: purchase model → operation → allowed (only when the purchase app is installed and rights were checked).
    purchase_rights: dict[str, dict[str, bool]] = field(default_factory=dict)

    @property
    def install_mode(self) -> bool:
        """True when ``odoo-urgency install`` put the plugin's fields into the ERP."""
        return {"x_urgency", "x_urgency_deadline", "x_urgency_memo"} <= self.custom_fields.get("sale.order", set())

    def purchasing_followup(self) -> tuple[bool, list[str]]:
        """Whether purchase orders are read and followed up, and what is off and why (one line each)."""
        if not self.purchase_installed:
            return False, ["the purchase app is not installed: shortages are still found and reported, but no "
                           "purchase order is read, expedited or drafted"]
        denied = [f"{op} on {model}" for model, ops in self.purchase_rights.items() for op, ok in ops.items() if not ok]
        if any(d.startswith("read on purchase.order") for d in denied):
            return False, [f"the user may not read purchase orders ({', '.join(denied)}): purchasing follow-up is off"]
        notes = [f"the user lacks {d}" for d in denied]
        if "priority" not in self.available_fields.get("purchase.order", {"priority"}):
            notes.append("purchase.order has no priority field in this version: late POs get alerts only")
        elif self.install_mode and "x_urgency_memo" not in self.custom_fields.get("purchase.order", set()):
            notes.append("purchase orders have no x_urgency_memo yet (run `odoo-urgency install` again): late POs "
                         "get alerts, their priority is not raised")
        return True, notes

    def can_raise_po_priority(self) -> bool:
        """A late PO's priority can be raised, and remembered so a user's later change wins."""
        if not self.purchase_installed or "priority" not in self.available_fields.get("purchase.order", {"priority"}):
            return False
        if self.purchase_rights.get("purchase.order", {}).get("write") is False:
            return False
        return not self.install_mode or "x_urgency_memo" in self.custom_fields.get("purchase.order", set())

    def missing_rights(self) -> list[str]:
        return [f"{op} on {model}" for model, ops in self.rights.items() for op, ok in ops.items() if not ok]

    def fields_for(self, record: type[OdooRecord]) -> list[str]:
        """The fields to read for a record class on this server: its own (the planned start renamed to this
        version's name, the order ↔ MO link by this server's field), plus its custom fields where installed,
        minus any this server lacks (``missing_fields`` names those for ``check``)."""
        available = self.available_fields.get(record.odoo_model())
        return [name for name in self._wanted(record) if available is None or name in available]

    def missing_fields(self, records: Iterable[type[OdooRecord]]) -> list[str]:
        """``model.field`` for each field the plugin reads that this server lacks (models it has only)."""
        missing: list[str] = []
        for record in records:
            available = self.available_fields.get(record.odoo_model())
            if available is not None:
                missing += [f"{record.odoo_model()}.{name}" for name in self._wanted(record) if name not in available]
        return missing

    def _wanted(self, record: type[OdooRecord]) -> list[str]:
        model = record.odoo_model()
        wanted = record.odoo_fields()
        if model == "mrp.production":
            wanted = [name for name in wanted if name != "date_finished"]
            wanted += [self.mo_planned_start_field, self.mo_planned_finish_field]
        wanted += self.link_fields_of(model)
        if model == "stock.move":
            wanted = [self.move_reserved_field if name == "reserved" else name for name in wanted]
        return wanted + [name for name in getattr(record, "custom_fields", ()) if name in self.custom_fields.get(model, set())]

    # -- the order ↔ MO link -------------------------------------------------------------------------------

    def link_fields_of(self, model: str) -> list[str]:
        """The field to read on ``model`` for its order ↔ MO link (none on a server without one)."""
        return [self.link_fields[model]] if model in self.link_fields else []

    def links_of(self, model: str, row: dict[str, Any]) -> list[int]:
        """The link ids of a raw row: a procurement group's id (many2one ``[id, name]``) or the stock
        references' ids (many2many)."""
        value = row.get(self.link_fields.get(model, ""))
        if not isinstance(value, list) or not value:
            return []
        if isinstance(value[-1], str):  # many2one: [id, display name]
            return [int(value[0])]
        return sorted(int(item) for item in value)

    def linked_domain(self, model: str, link_ids: Iterable[int]) -> list[Any]:
        """A domain leaf for the rows of ``model`` sharing one of ``link_ids``; empty when this server has no
        link (or there are no ids): the caller then matches by ``origin`` alone."""
        ids = sorted(set(link_ids))
        field_name = self.link_fields.get(model)
        return [(field_name, "in", ids)] if field_name and ids else []

    def planned_fields(self, model: str) -> tuple[str, str]:
        """This version's (planned start, planned finish) field names of an MO or a work order."""
        if model == "mrp.workorder":
            return self.wo_planned_start_field, self.wo_planned_finish_field
        return self.mo_planned_start_field, self.mo_planned_finish_field

    def to_record_row(self, model: str, row: dict[str, Any]) -> dict[str, Any]:
        """Rename version-specific fields of a raw row to the records' neutral names (the order ↔ MO link
        becomes ``links``, a list of ids, whatever this server calls it)."""
        if model == "mrp.workorder":
            row = dict(row)
            for neutral, name in zip(("planned_start", "planned_finished"), self.planned_fields(model), strict=True):
                if name in row:
                    row[neutral] = row.pop(name)
            return row
        if model in self.link_fields:
            row = {**row, "links": self.links_of(model, row)}
            row.pop(self.link_fields[model], None)
        if model == "mrp.production":
            row = dict(row)
            if self.mo_planned_start_field in row:
                row["planned_start"] = row.pop(self.mo_planned_start_field)
            if self.mo_planned_finish_field in row:
                row["date_finished"] = row.pop(self.mo_planned_finish_field)
        if model == "stock.move" and self.move_reserved_field in row:
            row = dict(row)
            row["reserved"] = row.pop(self.move_reserved_field)
        return row

    def to_odoo_values(self, model: str, values: dict[str, Any]) -> dict[str, Any]:
        """Rename neutral field names in values to write to this version's names."""
        if model == "mrp.workorder":
            values = dict(values)
            for neutral, name in zip(("planned_start", "planned_finished"), self.planned_fields(model), strict=True):
                if neutral in values:
                    values[name] = values.pop(neutral)
            return values
        if model == "mrp.production":
            values = dict(values)
            if "planned_start" in values:
                values[self.mo_planned_start_field] = values.pop("planned_start")
            if "planned_finished" in values:
                values[self.mo_planned_finish_field] = values.pop("planned_finished")
        return values


def detect(client: OdooClient, *, with_rights: bool = True) -> Schema:
    """Ask the server what it is. Costs a handful of calls; done once per run."""
    info = client.server_version or client.version()
    schema = Schema(server_version=str(info.get("server_version", "")), major=client.major_version)
    present: set[str] = set()
    for model in ("sale.order", "mrp.production", "stock.picking", "product.product", "stock.move", "purchase.order"):
        try:
            fields = client.fields_get(model)
        except UnknownNameError:
            continue  # the app is not installed
        except AccessError:
            present.add(model)  # installed, but this user may not read it: check_rights says so
            continue
        present.add(model)
        schema.available_fields[model] = set(fields)
        schema.custom_fields[model] = {name for name in fields if name.startswith("x_urgency")}
    schema.missing_apps = [app for app, model in REQUIRED_APPS.items() if model not in present]
    mo_fields = schema.available_fields.get("mrp.production", set())
    for model, candidates in LINK_FIELDS.items():
        found = [name for name in candidates if name in schema.available_fields.get(model, set())]
        if found:
            schema.link_fields[model] = found[0]
    if "date_planned_start" in mo_fields:
        # Odoo 16: date_start / date_finished are the actual dates; the planned ones have their own fields.
        schema.mo_planned_start_field = "date_planned_start"
        schema.mo_planned_finish_field = "date_planned_finished"
        schema.wo_planned_start_field = "date_planned_start"
        schema.wo_planned_finish_field = "date_planned_finished"
    if "reserved_availability" in schema.available_fields.get("stock.move", set()):
        schema.move_reserved_field = "reserved_availability"  # Odoo 16; 17 renamed it `quantity`
    schema.purchase_installed = "purchase.order" in present
    if with_rights:
        schema.state_home = has_state_home(client)
        needed = dict(NEEDED_RIGHTS)
        if schema.state_home:
            del needed["ir.config_parameter"]
            needed[STATE_MODEL] = STATE_RIGHTS
        core = present | {m for m in needed if m not in REQUIRED_APPS.values()}
        schema.rights = check_rights(client, core - {"purchase.order"}, needed)
        if schema.purchase_installed:
            schema.purchase_rights = check_rights(client, set(PURCHASE_RIGHTS), PURCHASE_RIGHTS)
    return schema


def has_state_home(client: OdooClient) -> bool:
    """Whether ``odoo-urgency install`` made the daemon's own model (one ``fields_get``; asked by the daemon and
    ``check``, not by every job)."""
    try:
        client.fields_get(STATE_MODEL)
    except UnknownNameError:
        return False
    except AccessError:
        return True
    return True


def check_rights(client: OdooClient, models: set[str],
                 needed: dict[str, tuple[str, ...]] | None = None) -> dict[str, dict[str, bool]]:
    rights: dict[str, dict[str, bool]] = {}
    for model, operations in (NEEDED_RIGHTS if needed is None else needed).items():
        if model not in models:
            continue
        rights[model] = {}
        for operation in operations:
            rights[model][operation] = _has_right(client, model, operation)
    return rights


def _has_right(client: OdooClient, model: str, operation: str) -> bool:
    try:
        return bool(client.call(model, "check_access_rights", operation, raise_exception=False))
    except UnknownNameError:
        # Odoo 18+ prefers has_access; 19 may drop check_access_rights.
        try:
            return bool(client.call(model, "has_access", operation))
        except OdooError:
            return False
    except AccessError:
        return False


def survey(client: OdooClient, schema: Schema, records: Iterable[type[OdooRecord]]) -> list[str]:
    """Fill in the fields of every model ``records`` read (``detect`` asks only the apps' main models) and
    return the models this server lacks. One ``fields_get`` per model; for ``check``, not for every cycle."""
    missing: list[str] = []
    for model in sorted({record.odoo_model() for record in records} - set(schema.available_fields)):
        try:
            schema.available_fields[model] = set(client.fields_get(model))
        except UnknownNameError:
            missing.append(model)
        except AccessError:
            continue  # the rights check names it
    return missing


def api_keys_expiring(client: OdooClient, within_days: float, now: datetime) -> list[tuple[str, datetime]]:
    """The user's own API keys that expire within ``within_days`` (name, expiry), on servers that record an
    expiry (``res.users.apikeys.expiration_date``: Odoo 17+); empty where the version records none or the user
    may not read them. Odoo cannot say which of them is the key in use: every soon-expiring one is named."""
    try:
        if "expiration_date" not in client.fields_get("res.users.apikeys"):
            return []
        rows = client.search_read("res.users.apikeys", [("user_id", "=", client.uid),
                                                        ("expiration_date", "!=", False)], ["name", "expiration_date"])
    except OdooError:
        return []
    soon: list[tuple[str, datetime]] = []
    for row in rows:
        expires = parse_datetime(row.get("expiration_date"))
        if expires is not None and expires <= now + timedelta(days=within_days):
            soon.append((str(row.get("name") or "?"), expires))
    return soon
