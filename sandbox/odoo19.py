"""What changes when the sandbox answers as Odoo 19 (``Sandbox(odoo_version=19)``).

The field changes are copied from what a real Odoo 19 answered to ``fields_get`` (``odoo-fixtures/odoo-19/fields``,
compared with 17) for the models the sandbox serves; a conformance test holds the two together. ``None`` means
the field is gone in 19. Beyond the recorded subset, Odoo 19's source (``sale_stock``, ``mrp``, ``stock``)
replaces procurement groups with stock references: ``sale.order.stock_reference_ids`` and
``mrp.production.reference_ids`` (many2many to ``stock.reference``), and a storable product is a ``consu`` one
with ``is_storable``. The wire differences (JSON-2, ``/web/version``) live in :mod:`sandbox.json2`.
"""

# ruff: noqa: E501  (copied Odoo selections are kept on one line)

from __future__ import annotations

from typing import Any

VERSION_INFO_19: dict[str, Any] = {
    "server_version": "19.0-20251227",
    "server_version_info": [19, 0, 0, "final", 0, ""],
    "server_serie": "19.0",
    "protocol_version": 1,
}

# fmt: off
FIELD_CHANGES: dict[str, dict[str, dict[str, Any] | None]] = {
    'mail.message': {
        'message_type': {'selection': (('email', 'Incoming Email'), ('comment', 'Comment'), ('email_outgoing', 'Outgoing Email'), ('notification', 'System notification'), ('auto_comment', 'Automated Targeted Notification'), ('out_of_office', 'Out-of-office Message'), ('user_notification', 'User Specific Notification'), ('sms', 'SMS'), ('snailmail', 'Snailmail'))},
    },
    'mail.activity': {
        'res_model_id': {'required': False},
        'user_id': {'required': False},
    },
    'mrp.production': {
        'date_deadline': {'readonly': False},
        'procurement_group_id': None,
    },
    'mrp.routing.workcenter': {
        'time_cycle': {'string': 'Cycles'},
        'time_mode': {'selection': (('manual', 'Fixed'), ('auto', 'Computed'))},
    },
    'mrp.workcenter': {
        'default_capacity': None,
    },
    'mrp.workorder': {
        'state': {'selection': (('blocked', 'Blocked'), ('ready', 'To Do'), ('progress', 'In Progress'), ('done', 'Finished'), ('cancel', 'Cancelled'))},
    },
    'product.product': {
        'qty_available': {'readonly': False},
        'type': {'required': True, 'string': 'Product Type', 'selection': (('consu', 'Goods'), ('service', 'Service'), ('combo', 'Combo'))},
        'detailed_type': None,
    },
    'product.supplierinfo': {
        'delay': {'string': 'Lead Time'},
        'price': {'required': False, 'string': 'Unit Price'},
        'product_tmpl_id': {'required': True},
    },
    'purchase.order': {
        'origin': {'string': 'Source'},
        'state': {'selection': (('draft', 'RFQ'), ('sent', 'RFQ Sent'), ('to approve', 'To Approve'), ('purchase', 'Purchase Order'), ('cancel', 'Cancelled'))},
    },
    'purchase.order.line': {
        'state': {'store': False, 'selection': (('draft', 'RFQ'), ('sent', 'RFQ Sent'), ('to approve', 'To Approve'), ('purchase', 'Purchase Order'), ('cancel', 'Cancelled'))},
    },
    'res.partner.category': {
        'name': {'string': 'Name'},
    },
    'res.partner': {
        'team_id': None,
    },
    'resource.calendar.attendance': {
        'day_period': {'selection': (('morning', 'Morning'), ('lunch', 'Break'), ('afternoon', 'Afternoon'), ('full_day', 'Full Day'))},
        'date_from': None,
        'date_to': None,
        'resource_id': None,
    },
    'resource.calendar': {
        'hours_per_day': {'readonly': False},
    },
    'sale.order': {
        'procurement_group_id': None,
    },
    'stock.move': {
        'location_dest_id': {'string': 'Intermediate Location'},
        'state': {'selection': (('draft', 'New'), ('waiting', 'Waiting Another Move'), ('confirmed', 'Waiting'), ('partially_available', 'Partially Available'), ('assigned', 'Available'), ('done', 'Done'), ('cancel', 'Cancelled'))},
    },
    'stock.picking': {
        'sale_id': {'readonly': False},
    },
}
# fmt: on


#: Gone in 19, but the sandbox's capacity model (work center capacity, calendar validity) is written in 17's
#: terms and still stores them; the plugin never asks for them (``Schema.missing_fields`` would say so).
KEPT_INTERNALLY = {
    ("mrp.workcenter", "default_capacity"), ("resource.calendar.attendance", "date_from"),
    ("resource.calendar.attendance", "date_to"), ("resource.calendar.attendance", "resource_id"),
}


def apply(models: dict[str, Any]) -> dict[str, Any]:
    """Odoo 17's registry (``schema.build_models``) turned into Odoo 19's, in place."""
    from dataclasses import replace

    from .schema import Field, ModelInfo  # local: schema imports this module

    for model, changes in FIELD_CHANGES.items():
        changes = {name: change for name, change in changes.items() if (model, name) not in KEPT_INTERNALLY}
        if model not in models:
            continue
        fields = models[model].fields
        for name, change in changes.items():
            if change is None:
                fields.pop(name, None)
            elif name in fields:
                fields[name] = replace(fields[name], **change)
    # Procurement groups are gone; stock references tie orders, MOs and transfers together.
    models.pop("procurement.group", None)
    models["stock.picking"].fields.pop("group_id", None)
    models["stock.reference"] = ModelInfo("Reference between stock documents", "id desc", "name", {
        **{name: models["sale.order"].fields[name] for name in ("id", "display_name", "create_date", "create_uid",
                                                                 "write_date", "write_uid")},
        "name": Field("char", "Reference", required=True, readonly=True),
    })
    models["sale.order"].fields["stock_reference_ids"] = Field("many2many", "References", relation="stock.reference")
    models["mrp.production"].fields["reference_ids"] = Field("many2many", "References", relation="stock.reference")
    models["product.product"].fields["is_storable"] = Field("boolean", "Track Inventory")
    models["resource.calendar"].fields["flexible_hours"] = Field("boolean", "Flexible Hours")
    return models


def storable(odoo_version: int) -> dict[str, Any]:
    """A product whose stock is tracked: ``type='product'`` in 17, ``type='consu'`` + ``is_storable`` in 19."""
    return {"type": "consu", "is_storable": True} if odoo_version >= 19 else {"type": "product", "detailed_type": "product"}


def strip_gone(model: str, vals: dict[str, Any], odoo_version: int) -> dict[str, Any]:
    """``vals`` without the fields Odoo 19 dropped (demo data written for 17, e.g. a partner's ``team_id``)."""
    if odoo_version < 19:
        return vals
    gone = {name for name, change in FIELD_CHANGES.get(model, {}).items() if change is None}
    return {key: value for key, value in vals.items() if key not in gone}
