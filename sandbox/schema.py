"""Field definitions of the models the sandbox serves, as Odoo 17 declares them.

``FIXTURE_FIELDS`` is a copy of what a real Odoo 17 answered to ``fields_get`` for the
models the urgency plugin touches (``odoo-fixtures/odoo-17/fields``); a conformance test
compares the two, so edit it only to match Odoo. ``EXTRA_FIELDS`` adds what the plugin,
the demo or odoorpc need beyond the recorded subset (magic columns, ``active``, line
prices, the technical models ``ir.ui.view`` / ``ir.model.data`` ...), with Odoo 17's names
and types.

Sandbox-only attributes of a :class:`Field` (never sent over the wire):

- ``inverse``: for a one2many, the many2one on the comodel that points back;
- ``computed``: the value is derived by :mod:`sandbox.orm` (writes are ignored);
- ``searchable``: False for non-stored fields without a search method — Odoo 17 logs an
  error and ignores such a leaf (it matches everything), the sandbox does the same.
"""

# ruff: noqa: E501  (copied Odoo help texts / view archs are kept verbatim on one line)

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field, replace

Selection = tuple[tuple[str, str], ...]


def _timezones() -> Selection:
    try:
        names = sorted(zoneinfo.available_timezones())
    except Exception:  # pragma: no cover - platform without tz database
        names = ["UTC"]
    names = [n for n in names if n != "localtime" and not n.startswith("posix")]
    return tuple((n, n) for n in names or ["Europe/Brussels", "UTC"])


TZ_SELECTION: Selection = _timezones()


@dataclass(frozen=True)
class Field:
    """One field of a model: the ``fields_get`` attributes plus sandbox bookkeeping."""

    type: str
    string: str
    relation: str | None = None
    selection: Selection | None = None
    required: bool = False
    readonly: bool = False
    store: bool = True
    help: str | None = None
    inverse: str | None = None
    computed: bool = False
    searchable: bool = True
    manual: bool = False

    def describe(self) -> dict[str, object]:
        """The ``fields_get`` entry, with the keys a real Odoo 17 returns."""
        out: dict[str, object] = {
            "type": self.type,
            "string": self.string,
            "required": self.required,
            "readonly": self.readonly,
            "store": self.store,
        }
        if self.relation:
            out["relation"] = self.relation
        if self.selection is not None:
            out["selection"] = [list(pair) for pair in self.selection]
        if self.help:
            out["help"] = self.help
        return out


X2MANY = ("one2many", "many2many")
RELATIONAL = ("many2one", "one2many", "many2many")

# fmt: off
FIXTURE_FIELDS: dict[str, dict[str, Field]] = {
    'crm.tag': {
        'color': Field('integer', 'Color'),
        'name': Field('char', 'Tag Name', required=True),
    },
    'crm.team': {
        'member_ids': Field('many2many', 'Salespersons', relation='res.users', store=False, help='Users assigned to this team.'),
        'name': Field('char', 'Sales Team', required=True),
        'user_id': Field('many2one', 'Team Leader', relation='res.users'),
    },
    'ir.config_parameter': {
        'key': Field('char', 'Key', required=True),
        'value': Field('text', 'Value', required=True),
    },
    'ir.model.fields': {
        'field_description': Field('char', 'Field Label', required=True),
        'model': Field('char', 'Model Name', required=True, help='The technical name of the model this field belongs to'),
        'model_id': Field('many2one', 'Model', relation='ir.model', required=True, help='The model this field belongs to'),
        'name': Field('char', 'Field Name', required=True),
        'selection_ids': Field('one2many', 'Selection Options', relation='ir.model.fields.selection'),
        'state': Field('selection', 'Type', selection=(('manual', 'Custom Field'), ('base', 'Base Field'),), required=True, readonly=True),
        'ttype': Field('selection', 'Field Type', selection=(('binary', 'binary'), ('boolean', 'boolean'), ('char', 'char'), ('date', 'date'), ('datetime', 'datetime'), ('float', 'float'), ('html', 'html'), ('integer', 'integer'), ('json', 'json'), ('many2many', 'many2many'), ('many2one', 'many2one'), ('many2one_reference', 'many2one_reference'), ('monetary', 'monetary'), ('one2many', 'one2many'), ('properties', 'properties'), ('properties_definition', 'properties_definition'), ('reference', 'reference'), ('selection', 'selection'), ('text', 'text'),), required=True),
    },
    'ir.model': {
        'model': Field('char', 'Model', required=True),
        'name': Field('char', 'Model Description', required=True),
    },
    'mail.activity': {
        'activity_type_id': Field('many2one', 'Activity Type', relation='mail.activity.type'),
        'automated': Field('boolean', 'Automated activity', readonly=True, help='Indicates this activity has been created automatically and not by any user.'),
        'create_date': Field('datetime', 'Created on', readonly=True),
        'date_deadline': Field('date', 'Due Date', required=True),
        'note': Field('html', 'Note'),
        'res_id': Field('many2one_reference', 'Related Document ID'),
        'res_model': Field('char', 'Related Document Model', readonly=True),
        'res_model_id': Field('many2one', 'Document Model', relation='ir.model', required=True),
        'summary': Field('char', 'Summary'),
        'user_id': Field('many2one', 'Assigned to', relation='res.users', required=True),
    },
    'mail.activity.type': {
        'category': Field('selection', 'Action', selection=(('default', 'None'), ('upload_file', 'Upload Document'), ('phonecall', 'Phonecall'),), help='Actions may trigger specific behavior like opening calendar view or automatically mark as done when a document is uploaded'),
        'default_user_id': Field('many2one', 'Default User', relation='res.users'),
        'delay_count': Field('integer', 'Schedule', help='Number of days/week/month before executing the action. It allows to plan the action deadline.'),
        'name': Field('char', 'Name', required=True),
        'res_model': Field('selection', 'Model', selection=(('account.account', 'Account'), ('account.analytic.account', 'Analytic Account'), ('res.partner.bank', 'Bank Accounts'), ('mrp.bom', 'Bill of Material'), ('res.company', 'Companies'), ('res.partner', 'Contact'), ('discuss.channel', 'Discussion Channel'), ('mail.thread.cc', 'Email CC management'), ('mail.thread', 'Email Thread'), ('account.journal', 'Journal'), ('account.move', 'Journal Entry'), ('stock.lot', 'Lot/Serial'), ('mail.blacklist', 'Mail Blacklist'), ('mail.thread.blacklist', 'Mail Blacklist mixin'), ('mail.thread.main.attachment', 'Mail Main Attachment management'), ('account.payment', 'Payments'), ('phone.blacklist', 'Phone Blacklist'), ('mail.thread.phone', 'Phone Blacklist Mixin'), ('account.reconcile.model', 'Preset to create journal entries during a invoices and payments matching'), ('product.pricelist', 'Pricelist'), ('product.template', 'Product'), ('product.product', 'Product Variant'), ('mrp.production', 'Production Order'), ('sale.order', 'Sales Order'), ('crm.team', 'Sales Team'), ('crm.team.member', 'Sales Team Member'), ('stock.scrap', 'Scrap'), ('account.tax', 'Tax'), ('stock.picking', 'Transfer'), ('mrp.unbuild', 'Unbuild Order'),), help='Specify a model if the activity should be specific to a model and not available when managing activities for other models.'),
        'summary': Field('char', 'Default Summary'),
    },
    'mrp.production': {
        'company_id': Field('many2one', 'Company', relation='res.company', required=True),
        'components_availability': Field('char', 'Component Status', readonly=True, store=False, help="Latest component availability status for this MO. If green, then the MO's readiness status is ready, as per BOM configuration."),
        'create_date': Field('datetime', 'Created on', readonly=True),
        'date_deadline': Field('datetime', 'Deadline', readonly=True, help='Informative date allowing to define when the manufacturing order should be processed at the latest to fulfill delivery on time.'),
        'date_finished': Field('datetime', 'End', readonly=True, help='Date you expect to finish production or actual date you finished production.'),
        'date_start': Field('datetime', 'Start', required=True, help='Date you plan to start production or date you actually started production.'),
        'name': Field('char', 'Reference', readonly=True),
        'origin': Field('char', 'Source', help='Reference of the document that generated this production order request.'),
        'priority': Field('selection', 'Priority', selection=(('0', 'Normal'), ('1', 'Urgent'),), help='Components will be reserved first for the MO with the highest priorities.'),
        'procurement_group_id': Field('many2one', 'Procurement Group', relation='procurement.group'),
        'product_id': Field('many2one', 'Product', relation='product.product', required=True),
        'product_qty': Field('float', 'Quantity To Produce', required=True),
        'reservation_state': Field('selection', 'MO Readiness', selection=(('confirmed', 'Waiting'), ('assigned', 'Ready'), ('waiting', 'Waiting Another Operation'),), readonly=True, help='Manufacturing readiness for this MO, as per bill of material configuration:\n            * Ready: The material is available to start the production.\n            * Waiting: The material is not available to start the production.\n'),
        'state': Field('selection', 'State', selection=(('draft', 'Draft'), ('confirmed', 'Confirmed'), ('progress', 'In Progress'), ('to_close', 'To Close'), ('done', 'Done'), ('cancel', 'Cancelled'),), readonly=True, help=" * Draft: The MO is not confirmed yet.\n * Confirmed: The MO is confirmed, the stock rules and the reordering of the components are trigerred.\n * In Progress: The production has started (on the MO or on the WO).\n * To Close: The production is done, the MO has to be closed.\n * Done: The MO is closed, the stock moves are posted. \n * Cancelled: The MO has been cancelled, can't be confirmed anymore."),
        'user_id': Field('many2one', 'Responsible', relation='res.users'),
        'write_date': Field('datetime', 'Last Updated on', readonly=True),
    },
    'mrp.bom': {
        'bom_line_ids': Field('one2many', 'BoM Lines', relation='mrp.bom.line'),
        'days_to_prepare_mo': Field('integer', 'Days to prepare Manufacturing Order', help='Create and confirm Manufacturing Orders this many days in advance, to have enough time to replenish components or manufacture semi-finished products.\nNote that security lead times will also be considered when appropriate.'),
        'operation_ids': Field('one2many', 'Operations', relation='mrp.routing.workcenter'),
        'produce_delay': Field('integer', 'Manufacturing Lead Time', help='Average lead time in days to manufacture this product. In the case of multi-level BOM, the manufacturing lead times of the components will be added. In case the product is subcontracted, this can be used to determine the date at which components should be sent to the subcontractor.'),
        'product_id': Field('many2one', 'Product Variant', relation='product.product', help='If a product variant is defined the BOM is available only for this product.'),
        'product_qty': Field('float', 'Quantity', required=True, help='This should be the smallest quantity that this product can be produced in. If the BOM contains operations, make sure the work center capacity is accurate.'),
        'product_tmpl_id': Field('many2one', 'Product', relation='product.template', required=True),
        'type': Field('selection', 'BoM Type', selection=(('normal', 'Manufacture this product'), ('phantom', 'Kit'),), required=True),
    },
    'mrp.routing.workcenter': {
        'blocked_by_operation_ids': Field('many2many', 'Blocked By', relation='mrp.routing.workcenter', help='Operations that need to be completed before this operation can start.'),
        'bom_id': Field('many2one', 'Bill of Material', relation='mrp.bom', required=True),
        'name': Field('char', 'Operation', required=True),
        'sequence': Field('integer', 'Sequence', help='Gives the sequence order when displaying a list of routing Work Centers.'),
        'time_cycle': Field('float', 'Duration', readonly=True, store=False),
        'time_cycle_manual': Field('float', 'Manual Duration', help="Time in minutes:- In manual mode, time used- In automatic mode, supposed first time when there aren't any work orders yet"),
        'time_mode': Field('selection', 'Duration Computation', selection=(('auto', 'Compute based on tracked time'), ('manual', 'Set duration manually'),)),
        'workcenter_id': Field('many2one', 'Work Center', relation='mrp.workcenter', required=True),
    },
    'mrp.workcenter': {
        'active': Field('boolean', 'Active', help='If the active field is set to False, it will allow you to hide the resource record without removing it.'),
        'alternative_workcenter_ids': Field('many2many', 'Alternative Workcenters', relation='mrp.workcenter', help='Alternative workcenters that can be substituted to this one in order to dispatch production'),
        'company_id': Field('many2one', 'Company', relation='res.company'),
        'default_capacity': Field('float', 'Capacity', help='Default number of pieces (in product UoM) that can be produced in parallel (at the same time) at this work center. For example: the capacity is 5 and you need to produce 10 units, then the operation time listed on the BOM will be multiplied by two. However, note that both time before and after production will only be counted once.'),
        'name': Field('char', 'Work Center'),
        'oee_target': Field('float', 'OEE Target', help='Overall Effective Efficiency Target in percentage'),
        'resource_calendar_id': Field('many2one', 'Working Hours', relation='resource.calendar'),
        'time_efficiency': Field('float', 'Time Efficiency', help='This field is used to calculate the expected duration of a work order at this work center. For example, if a work order takes one hour and the efficiency factor is 100%, then the expected duration will be one hour. If the efficiency factor is 200%, however the expected duration will be 30 minutes.'),
        'time_start': Field('float', 'Setup Time'),
        'time_stop': Field('float', 'Cleanup Time'),
        'working_state': Field('selection', 'Workcenter Status', selection=(('normal', 'Normal'), ('blocked', 'Blocked'), ('done', 'In Progress'),), readonly=True),
    },
    'mrp.workorder': {
        'blocked_by_workorder_ids': Field('many2many', 'Blocked By', relation='mrp.workorder'),
        'create_date': Field('datetime', 'Created on', readonly=True),
        'date_finished': Field('datetime', 'End'),
        'date_start': Field('datetime', 'Start'),
        'duration': Field('float', 'Real Duration'),
        'duration_expected': Field('float', 'Expected Duration'),
        'is_planned': Field('boolean', 'Its Operations are Planned', readonly=True, store=False),
        'leave_id': Field('many2one', 'Leave', relation='resource.calendar.leaves', help='Slot into workcenter calendar once planned'),
        'name': Field('char', 'Work Order', required=True),
        'operation_id': Field('many2one', 'Operation', relation='mrp.routing.workcenter'),
        'production_date': Field('datetime', 'Production Date', readonly=True, help='Date you plan to start production or date you actually started production.'),
        'production_id': Field('many2one', 'Manufacturing Order', relation='mrp.production', required=True, readonly=True),
        'qty_production': Field('float', 'Original Production Quantity', readonly=True, store=False),
        'state': Field('selection', 'Status', selection=(('pending', 'Waiting for another WO'), ('waiting', 'Waiting for components'), ('ready', 'Ready'), ('progress', 'In Progress'), ('done', 'Finished'), ('cancel', 'Cancelled'),), readonly=True),
        'workcenter_id': Field('many2one', 'Work Center', relation='mrp.workcenter', required=True),
        'write_date': Field('datetime', 'Last Updated on', readonly=True),
    },
    'resource.calendar': {
        'attendance_ids': Field('one2many', 'Working Time', relation='resource.calendar.attendance'),
        'company_id': Field('many2one', 'Company', relation='res.company'),
        'hours_per_day': Field('float', 'Average Hour per Day', readonly=True, help='Average hours per day a resource is supposed to work with this calendar.'),
        'leave_ids': Field('one2many', 'Time Off', relation='resource.calendar.leaves'),
        'name': Field('char', 'Name', required=True),
        'two_weeks_calendar': Field('boolean', 'Calendar in 2 weeks mode'),
        'tz': Field('selection', 'Timezone', selection=TZ_SELECTION, required=True, help='This field is used in order to define in which timezone the resources will work.'),
    },
    'resource.calendar.attendance': {
        'calendar_id': Field('many2one', "Resource's Calendar", relation='resource.calendar', required=True),
        'date_from': Field('date', 'Starting Date'),
        'date_to': Field('date', 'End Date'),
        'day_period': Field('selection', 'Day Period', selection=(('morning', 'Morning'), ('lunch', 'Break'), ('afternoon', 'Afternoon'),), required=True),
        'dayofweek': Field('selection', 'Day of Week', selection=(('0', 'Monday'), ('1', 'Tuesday'), ('2', 'Wednesday'), ('3', 'Thursday'), ('4', 'Friday'), ('5', 'Saturday'), ('6', 'Sunday'),), required=True),
        'hour_from': Field('float', 'Work from', required=True, help='Start and End time of working.\nA specific value of 24:00 is interpreted as 23:59:59.999999.'),
        'hour_to': Field('float', 'Work to', required=True),
        'resource_id': Field('many2one', 'Resource', relation='resource.resource'),
        'week_type': Field('selection', 'Week Number', selection=(('1', 'Second'), ('0', 'First'),)),
    },
    'resource.calendar.leaves': {
        'calendar_id': Field('many2one', 'Working Hours', relation='resource.calendar'),
        'company_id': Field('many2one', 'Company', relation='res.company', readonly=True),
        'date_from': Field('datetime', 'Start Date', required=True),
        'date_to': Field('datetime', 'End Date', required=True),
        'name': Field('char', 'Reason'),
        'resource_id': Field('many2one', 'Resource', relation='resource.resource', help='If empty, this is a generic time off for the company. If a resource is set, the time off is only for this resource'),
        'time_type': Field('selection', 'Time Type', selection=(('leave', 'Time Off'), ('other', 'Other'),), help='Whether this should be computed as a time off or as work time (eg: formation)'),
    },
    'product.product': {
        'default_code': Field('char', 'Internal Reference'),
        'detailed_type': Field('selection', 'Product Type', selection=(('consu', 'Consumable'), ('service', 'Service'), ('product', 'Storable Product'),), required=True, store=False, help='A storable product is a product for which you manage stock. The Inventory app has to be installed.\nA consumable product is a product for which stock is not managed.\nA service is a non-material product you provide.'),
        'name': Field('char', 'Name', required=True, store=False),
        'qty_available': Field('float', 'Quantity On Hand', readonly=True, store=False, help="Current quantity of products.\nIn a context with a single Stock Location, this includes goods stored at this Location, or any of its children.\nIn a context with a single Warehouse, this includes goods stored in the Stock Location of this Warehouse, or any of its children.\nstored in the Stock Location of the Warehouse of this Shop, or any of its children.\nOtherwise, this includes goods stored in any Stock Location with 'internal' type."),
        'sale_delay': Field('integer', 'Customer Lead Time', store=False, help="Delivery lead time, in days. It's the number of days, promised to the customer, between the confirmation of the sales order and the delivery."),
        'type': Field('selection', 'Type', selection=(('consu', 'Consumable'), ('service', 'Service'), ('product', 'Storable Product'),), store=False),
        'virtual_available': Field('float', 'Forecasted Quantity', readonly=True, store=False, help="Forecast quantity (computed as Quantity On Hand - Outgoing + Incoming)\nIn a context with a single Stock Location, this includes goods stored in this location, or any of its children.\nIn a context with a single Warehouse, this includes goods stored in the Stock Location of this Warehouse, or any of its children.\nOtherwise, this includes goods stored in any Stock Location with 'internal' type."),
    },
    'res.partner.category': {
        'name': Field('char', 'Tag Name', required=True),
    },
    'res.partner': {
        'category_id': Field('many2many', 'Tags', relation='res.partner.category'),
        'is_company': Field('boolean', 'Is a Company', help='Check if the contact is a company, otherwise it is a person'),
        'name': Field('char', 'Name'),
        'parent_id': Field('many2one', 'Related Company', relation='res.partner'),
        'team_id': Field('many2one', 'Sales Team', relation='crm.team', help='If set, this Sales Team will be used for sales and assignments related to this partner'),
        'user_id': Field('many2one', 'Salesperson', relation='res.users', help='The internal user in charge of this contact.'),
    },
    'res.users': {
        'company_id': Field('many2one', 'Company', relation='res.company', required=True, help='The default company for this user.'),
        'login': Field('char', 'Login', required=True, help='Used to log into the system'),
        'name': Field('char', 'Name', store=False),
        'share': Field('boolean', 'Share User', readonly=True, help='External user with limited access, created only for the purpose of sharing data.'),
        'tz': Field('selection', 'Timezone', selection=TZ_SELECTION, store=False, help='When printing documents and exporting/importing data, time values are computed according to this timezone.\nIf the timezone is not set, UTC (Coordinated Universal Time) is used.\nAnywhere else, time values are computed according to the time offset of your web client.'),
    },
    'sale.order': {
        'activity_ids': Field('one2many', 'Activities', relation='mail.activity'),
        'amount_total': Field('monetary', 'Total', readonly=True),
        'client_order_ref': Field('char', 'Customer Reference'),
        'commitment_date': Field('datetime', 'Delivery Date', help='This is the delivery date promised to the customer. If set, the delivery order will be scheduled based on this date rather than product lead times.'),
        'company_id': Field('many2one', 'Company', relation='res.company', required=True),
        'create_date': Field('datetime', 'Creation Date', readonly=True),
        'currency_id': Field('many2one', 'Currency', relation='res.currency', readonly=True),
        'date_order': Field('datetime', 'Order Date', required=True, help='Creation date of draft/sent orders,\nConfirmation date of confirmed orders.'),
        'expected_date': Field('datetime', 'Expected Date', readonly=True, store=False, help='Delivery date you can promise to the customer, computed from the minimum lead time of the order lines in case of Service products. In case of shipping, the shipping policy of the order will be taken into account to either use the minimum or maximum lead time of the order lines.'),
        'mrp_production_ids': Field('many2many', 'Manufacturing orders associated with this sales order.', relation='mrp.production', readonly=True, store=False),
        'name': Field('char', 'Order Reference', required=True),
        'note': Field('html', 'Terms and conditions'),
        'partner_id': Field('many2one', 'Customer', relation='res.partner', required=True),
        'picking_ids': Field('one2many', 'Transfers', relation='stock.picking'),
        'procurement_group_id': Field('many2one', 'Procurement Group', relation='procurement.group'),
        'state': Field('selection', 'Status', selection=(('draft', 'Quotation'), ('sent', 'Quotation Sent'), ('sale', 'Sales Order'), ('cancel', 'Cancelled'),), readonly=True),
        'tag_ids': Field('many2many', 'Tags', relation='crm.tag'),
        'team_id': Field('many2one', 'Sales Team', relation='crm.team'),
        'user_id': Field('many2one', 'Salesperson', relation='res.users'),
        'write_date': Field('datetime', 'Last Updated on', readonly=True),
    },
    'sale.order.line': {
        'customer_lead': Field('float', 'Lead Time', required=True, help='Number of days between the order confirmation and the shipping of the products to the customer'),
        'move_ids': Field('one2many', 'Stock Moves', relation='stock.move'),
        'order_id': Field('many2one', 'Order Reference', relation='sale.order', required=True),
        'price_subtotal': Field('monetary', 'Subtotal', readonly=True),
        'product_id': Field('many2one', 'Product', relation='product.product'),
        'product_uom_qty': Field('float', 'Quantity', required=True),
        'qty_delivered': Field('float', 'Delivery Quantity'),
    },
    'stock.picking': {
        'create_date': Field('datetime', 'Created on', readonly=True),
        'date_deadline': Field('datetime', 'Deadline', readonly=True, help='Date Promise to the customer on the top level document (SO/PO)'),
        'name': Field('char', 'Reference', readonly=True),
        'origin': Field('char', 'Source Document', help='Reference of the document'),
        'partner_id': Field('many2one', 'Contact', relation='res.partner'),
        'picking_type_code': Field('selection', 'Type of Operation', selection=(('incoming', 'Receipt'), ('outgoing', 'Delivery'), ('internal', 'Internal Transfer'), ('mrp_operation', 'Manufacturing'),), readonly=True, store=False),
        'priority': Field('selection', 'Priority', selection=(('0', 'Normal'), ('1', 'Urgent'),), help='Products will be reserved first for the transfers with the highest priorities.'),
        'sale_id': Field('many2one', 'Sales Order', relation='sale.order', readonly=True),
        'scheduled_date': Field('datetime', 'Scheduled Date', help='Scheduled time for the first part of the shipment to be processed. Setting manually a value here would set it as expected date for all the stock moves.'),
        'state': Field('selection', 'Status', selection=(('draft', 'Draft'), ('waiting', 'Waiting Another Operation'), ('confirmed', 'Waiting'), ('assigned', 'Ready'), ('done', 'Done'), ('cancel', 'Cancelled'),), readonly=True, help=' * Draft: The transfer is not confirmed yet. Reservation doesn\'t apply.\n * Waiting another operation: This transfer is waiting for another operation before being ready.\n * Waiting: The transfer is waiting for the availability of some products.\n(a) The shipping policy is "As soon as possible": no product could be reserved.\n(b) The shipping policy is "When all products are ready": not all the products could be reserved.\n * Ready: The transfer is ready to be processed.\n(a) The shipping policy is "As soon as possible": at least one product has been reserved.\n(b) The shipping policy is "When all products are ready": all product have been reserved.\n * Done: The transfer has been processed.\n * Cancelled: The transfer has been cancelled.'),
        'user_id': Field('many2one', 'Responsible', relation='res.users'),
        'write_date': Field('datetime', 'Last Updated on', readonly=True),
    },
}
# fmt: on


def _f(type_: str, string: str, **kw: object) -> Field:
    return Field(type_, string, **kw)  # type: ignore[arg-type]


SEL_PRIORITY: Selection = (("0", "Normal"), ("1", "Urgent"))
TTYPES: Selection = tuple(
    (t, t)
    for t in (
        "binary",
        "boolean",
        "char",
        "date",
        "datetime",
        "float",
        "html",
        "integer",
        "json",
        "many2many",
        "many2one",
        "many2one_reference",
        "monetary",
        "one2many",
        "properties",
        "properties_definition",
        "reference",
        "selection",
        "text",
    )
)

#: fields every model has (Odoo's ``id``, ``display_name`` and log-access columns).
MAGIC_FIELDS: dict[str, Field] = {
    "id": _f("integer", "ID", readonly=True),
    "display_name": _f("char", "Display Name", readonly=True, store=False, computed=True),
    "create_date": _f("datetime", "Created on", readonly=True),
    "create_uid": _f("many2one", "Created by", relation="res.users", readonly=True),
    "write_date": _f("datetime", "Last Updated on", readonly=True),
    "write_uid": _f("many2one", "Last Updated by", relation="res.users", readonly=True),
}

EXTRA_FIELDS: dict[str, dict[str, Field]] = {
    "res.users": {
        "partner_id": _f("many2one", "Related Partner", relation="res.partner", required=True),
        "active": _f("boolean", "Active"),
        "email": _f("char", "Email", store=False, computed=True),  # related to partner_id.email (_inherits)
        "groups_id": _f("many2many", "Groups", relation="res.groups"),
        "sale_team_id": _f("many2one", "User Sales Team", relation="crm.team", store=False),
    },
    "res.partner": {
        "email": _f("char", "Email"),
        "active": _f("boolean", "Active"),
        "lang": _f(
            "selection", "Language", selection=(("en_US", "English (US)"), ("zh_CN", "Chinese (Simplified) / 简体中文"))
        ),
        "tz": _f("selection", "Timezone", selection=TZ_SELECTION),
        "city": _f("char", "City"),
    },
    "res.partner.category": {
        "color": _f("integer", "Color"),
        "active": _f("boolean", "Active"),
    },
    "crm.team": {
        "active": _f("boolean", "Active"),
        "company_id": _f("many2one", "Company", relation="res.company"),
    },
    "product.product": {
        "active": _f("boolean", "Active"),
        "lst_price": _f("float", "Sales Price"),
        "produce_delay": _f("float", "Manufacturing Lead Time", store=False),
    },
    "sale.order": {
        "order_line": _f("one2many", "Order Lines", relation="sale.order.line", inverse="order_id"),
        "origin": _f("char", "Source Document"),
    },
    "sale.order.line": {
        "name": _f("text", "Description", required=True),
        "price_unit": _f("float", "Unit Price", required=True),
        "sequence": _f("integer", "Sequence"),
        "state": _f(
            "selection",
            "Order Status",
            readonly=True,
            computed=True,
            selection=(
                ("draft", "Quotation"),
                ("sent", "Quotation Sent"),
                ("sale", "Sales Order"),
                ("cancel", "Cancelled"),
            ),
        ),
    },
    "mrp.production": {
        "duration_expected": _f("float", "Expected Duration", readonly=True),
        "bom_id": _f("many2one", "Bill of Material", relation="mrp.bom"),
        "workorder_ids": _f("one2many", "Work Orders", relation="mrp.workorder", inverse="production_id"),
        "is_planned": _f("boolean", "Its Operations are Planned", readonly=True, store=False, computed=True),
    },
    "mrp.workcenter": {
        "resource_id": _f("many2one", "Resource", relation="resource.resource", required=True),
        "sequence": _f("integer", "Sequence", required=True),
    },
    "mrp.workorder": {
        "sequence": _f("integer", "Sequence"),
    },
    "mrp.bom": {
        "code": _f("char", "Reference"),
        "active": _f("boolean", "Active"),
    },
    "mrp.bom.line": {
        "bom_id": _f("many2one", "Parent BoM", relation="mrp.bom", required=True),
        "product_id": _f("many2one", "Component", relation="product.product", required=True),
        "product_qty": _f("float", "Quantity", required=True),
    },
    "product.template": {
        "name": _f("char", "Name", required=True),
        "default_code": _f("char", "Internal Reference"),
    },
    "resource.resource": {
        "name": _f("char", "Name", required=True),
        "resource_type": _f("selection", "Type", required=True,
                            selection=(("user", "Human"), ("material", "Material"))),
        "calendar_id": _f("many2one", "Working Time", relation="resource.calendar"),
        "tz": _f("selection", "Timezone", required=True, selection=TZ_SELECTION),
        "active": _f("boolean", "Active"),
    },
    "resource.calendar": {
        "active": _f("boolean", "Active"),
    },
    "resource.calendar.attendance": {
        "name": _f("char", "Name", required=True),
        "display_type": _f("selection", "Display Type", selection=(("line_section", "Section"),)),
    },
    "stock.picking": {
        "scheduled_date": _f("datetime", "Scheduled Date"),
        "date_done": _f("datetime", "Date of Transfer", readonly=True),
        "group_id": _f("many2one", "Procurement Group", relation="procurement.group"),
    },
    "mail.activity": {
        "activity_type_id": _f("many2one", "Activity Type", relation="mail.activity.type"),
    },
    "mail.activity.type": {
        "active": _f("boolean", "Active"),
        "sequence": _f("integer", "Sequence"),
        "icon": _f("char", "Icon"),
    },
    "ir.model": {
        "info": _f("text", "Information"),
        "state": _f("selection", "Type", selection=(("manual", "Custom Object"), ("base", "Base Object"))),
        "field_id": _f("one2many", "Fields", relation="ir.model.fields", inverse="model_id", required=True),
    },
    "ir.model.fields": {
        "relation": _f("char", "Related Model", help="For relationship fields, the technical name of the target model"),
        "selection": _f(
            "char",
            "Selection Options (Deprecated)",
            help="List of options for a selection field, specified as a Python expression defining a list of (key, label) pairs. For example: [('blue','Blue'),('yellow','Yellow')]",
        ),
        "required": _f("boolean", "Required"),
        "readonly": _f("boolean", "Readonly"),
        "store": _f("boolean", "Stored"),
        "index": _f("boolean", "Indexed"),
        "copied": _f("boolean", "Copied"),
        "help": _f("text", "Field Help"),
        "relation_field": _f("char", "Relation Field"),
        "on_delete": _f(
            "selection",
            "On Delete",
            selection=(("cascade", "Cascade"), ("set null", "Set NULL"), ("restrict", "Restrict")),
        ),
        "tracking": _f("integer", "Enable Ordered Tracking"),
        "modules": _f("char", "In Apps", store=False, computed=True),
    },
    "ir.model.fields.selection": {
        "field_id": _f("many2one", "Field", relation="ir.model.fields", required=True),
        "value": _f("char", "Value", required=True),
        "name": _f("char", "Name", required=True),
        "sequence": _f("integer", "Sequence"),
    },
    "ir.ui.view": {
        "name": _f("char", "View Name", required=True),
        "model": _f("char", "Model"),
        "key": _f("char", "Key"),
        "priority": _f("integer", "Sequence", required=True),
        "type": _f(
            "selection",
            "View Type",
            selection=(
                ("tree", "Tree"),
                ("form", "Form"),
                ("graph", "Graph"),
                ("pivot", "Pivot"),
                ("calendar", "Calendar"),
                ("gantt", "Gantt"),
                ("kanban", "Kanban"),
                ("search", "Search"),
                ("qweb", "QWeb"),
                ("activity", "Activity"),
            ),
        ),
        "arch": _f("text", "View Architecture", store=False, computed=True),
        "arch_db": _f("text", "Arch Blob"),
        "inherit_id": _f("many2one", "Inherited View", relation="ir.ui.view"),
        "inherit_children_ids": _f(
            "one2many", "Views which inherit from this one", relation="ir.ui.view", inverse="inherit_id"
        ),
        "mode": _f(
            "selection",
            "View inheritance mode",
            required=True,
            selection=(("primary", "Base view"), ("extension", "Extension View")),
        ),
        "active": _f("boolean", "Active"),
        "model_data_id": _f("many2one", "Model Data", relation="ir.model.data", store=False, computed=True),
        "xml_id": _f("char", "External ID", store=False, computed=True),
    },
    "ir.model.data": {
        "name": _f("char", "External Identifier", required=True),
        "complete_name": _f("char", "Complete ID", store=False, computed=True),
        "model": _f("char", "Model Name", required=True),
        "module": _f("char", "Module", required=True),
        "res_id": _f("many2one_reference", "Record ID"),
        "noupdate": _f("boolean", "Non Updatable"),
    },
    "res.company": {
        "resource_calendar_id": _f("many2one", "Default Working Hours", relation="resource.calendar"),
        "name": _f("char", "Company Name", required=True),
        "partner_id": _f("many2one", "Partner", relation="res.partner", required=True),
        "currency_id": _f("many2one", "Currency", relation="res.currency", required=True),
    },
    "res.currency": {
        "name": _f("char", "Currency", required=True),
        "symbol": _f("char", "Symbol", required=True),
        "active": _f("boolean", "Active"),
    },
    "procurement.group": {
        "name": _f("char", "Reference", required=True),
        "partner_id": _f("many2one", "Partner", relation="res.partner"),
        "sale_id": _f("many2one", "Sale Order", relation="sale.order"),
    },
    "res.groups": {
        "name": _f("char", "Name", required=True),
        "full_name": _f("char", "Group Name"),
        "comment": _f("text", "Comment"),
        "implied_ids": _f("many2many", "Inherits", relation="res.groups",
                          help="Users of this group automatically inherit those groups"),
    },
    # Access rights (``base/models/ir_model.py``): one row grants its group (every user when empty) the
    # operations flagged on one model.
    "ir.model.access": {
        "name": _f("char", "Name", required=True),
        "active": _f("boolean", "Active"),
        "model_id": _f("many2one", "Model", relation="ir.model", required=True),
        "group_id": _f("many2one", "Group", relation="res.groups"),
        "perm_read": _f("boolean", "Read Access"),
        "perm_write": _f("boolean", "Write Access"),
        "perm_create": _f("boolean", "Create Access"),
        "perm_unlink": _f("boolean", "Delete Access"),
    },
}

#: sandbox-only adjustments of recorded fields (how the value is produced, not what Odoo says).
OVERRIDES: dict[tuple[str, str], dict[str, object]] = {
    ("sale.order", "amount_total"): {"computed": True},
    ("sale.order", "expected_date"): {"computed": True, "searchable": False},
    ("sale.order", "mrp_production_ids"): {"computed": True, "searchable": False},
    ("sale.order", "picking_ids"): {"inverse": "sale_id"},
    ("sale.order", "activity_ids"): {"inverse": "res_id"},
    ("sale.order.line", "price_subtotal"): {"computed": True},
    ("sale.order.line", "move_ids"): {"computed": True, "searchable": False},
    ("ir.model.fields", "selection_ids"): {"inverse": "field_id"},
    ("mrp.production", "components_availability"): {"computed": True, "searchable": False},
    ("mail.activity", "res_model"): {"computed": True},
    ("mrp.workorder", "is_planned"): {"computed": True, "searchable": False},
    ("mrp.workorder", "qty_production"): {"computed": True, "searchable": False},
    ("mrp.routing.workcenter", "time_cycle"): {"computed": True, "searchable": False},
    ("mrp.bom", "bom_line_ids"): {"inverse": "bom_id"},
    ("mrp.bom", "operation_ids"): {"inverse": "bom_id"},
    ("resource.calendar", "attendance_ids"): {"inverse": "calendar_id"},
    ("resource.calendar", "leave_ids"): {"inverse": "calendar_id"},
}


@dataclass
class ModelInfo:
    """Model-level facts: description (used in messages), default order, name field."""

    description: str
    order: str = "id"
    rec_name: str | None = "name"
    fields: dict[str, Field] = field(default_factory=dict)
    #: a custom model created over ``ir.model`` (``state='manual'``): its rights come from ``ir.model.access``
    custom: bool = False


MODEL_INFO: dict[str, ModelInfo] = {
    "res.users": ModelInfo("User", "name, login"),
    "res.partner": ModelInfo("Contact", "name, id desc"),
    "res.partner.category": ModelInfo("Partner Tags", "name"),
    "crm.team": ModelInfo("Sales Team", "create_date DESC, id DESC"),
    "crm.tag": ModelInfo("CRM Tag"),
    "product.product": ModelInfo("Product Variant", "default_code, name, id"),
    "sale.order": ModelInfo("Sales Order", "date_order desc, id desc"),
    "sale.order.line": ModelInfo("Sales Order Line", "order_id, sequence, id"),
    "mrp.production": ModelInfo("Production Order", "priority desc, date_start asc, id"),
    "stock.picking": ModelInfo("Transfer", "priority desc, scheduled_date asc, id desc"),
    "mail.activity": ModelInfo("Activity", "date_deadline ASC, id ASC", "summary"),
    "mail.activity.type": ModelInfo("Activity Type", "sequence, id"),
    "ir.model": ModelInfo("Models", "model"),
    "ir.model.fields": ModelInfo("Fields", "name", "field_description"),
    "ir.model.fields.selection": ModelInfo("Fields Selection", "sequence, id"),
    "ir.ui.view": ModelInfo("View", "priority,name,id"),
    "ir.model.data": ModelInfo("Model Data", "module, model, name"),
    "ir.config_parameter": ModelInfo("System Parameter", "key", "key"),
    "res.company": ModelInfo("Companies", "name"),
    "res.currency": ModelInfo("Currency", "active desc, name"),
    "procurement.group": ModelInfo("Procurement Group", "id desc"),
    "res.groups": ModelInfo("Access Groups", "name"),
    "mrp.workcenter": ModelInfo("Work Center", "sequence, id"),
    "mrp.workorder": ModelInfo("Work Order", "date_start, sequence, id"),
    "mrp.routing.workcenter": ModelInfo("Work Center Usage", "bom_id, sequence, id"),
    "mrp.bom": ModelInfo("Bill of Material", "id", "code"),
    "mrp.bom.line": ModelInfo("Bill of Material Line", "bom_id, id", None),
    "product.template": ModelInfo("Product", "name"),
    "resource.resource": ModelInfo("Resources", "id"),
    "resource.calendar": ModelInfo("Resource Working Time", "id"),
    "resource.calendar.attendance": ModelInfo("Work Detail", "week_type, dayofweek, hour_from"),
    "resource.calendar.leaves": ModelInfo("Resource Time Off Detail", "date_from"),
    "ir.model.access": ModelInfo("Model Access", "model_id,group_id,name,id"),
}


def build_models(purchase: bool = True, odoo_version: int = 17) -> dict[str, ModelInfo]:
    """Fresh model definitions (magic + extras + recorded fields + overrides), with the purchase app or not,
    as Odoo 17 declares them or (``odoo_version=19``) as Odoo 19 does (:mod:`sandbox.odoo19`)."""
    from . import materials_schema, reporting_schema, tracking  # local: they import Field and ModelInfo from here

    models: dict[str, ModelInfo] = {}
    for name, info in MODEL_INFO.items():
        fields_: dict[str, Field] = dict(MAGIC_FIELDS)
        fields_.update(EXTRA_FIELDS.get(name, {}))
        fields_.update(FIXTURE_FIELDS.get(name, {}))
        for (model, fname), changes in OVERRIDES.items():
            if model == name:
                fields_[fname] = replace(fields_[fname], **changes)  # type: ignore[arg-type]
        if name == "sale.order":
            fields_["create_date"] = replace(fields_["create_date"], string="Creation Date")
        fields_.update(materials_schema.fields_of(name, purchase))
        fields_.update(reporting_schema.fields_of(name))
        models[name] = ModelInfo(info.description, info.order, info.rec_name, fields_)
    for name, info in materials_schema.MODEL_INFO.items():
        if purchase or name not in materials_schema.PURCHASE_MODELS:
            fields_ = {**MAGIC_FIELDS, **materials_schema.fields_of(name, purchase), **reporting_schema.fields_of(name)}
            models[name] = ModelInfo(info.description, info.order, info.rec_name, fields_)
    for name, info in reporting_schema.MODEL_INFO.items():
        models[name] = ModelInfo(info.description, info.order, info.rec_name,
                                 {**MAGIC_FIELDS, **reporting_schema.fields_of(name)})
    for name, info in tracking.MODEL_INFO.items():
        models[name] = ModelInfo(info.description, info.order, info.rec_name, {**MAGIC_FIELDS, **tracking.FIELDS})
    if odoo_version >= 19:
        from . import odoo19

        odoo19.apply(models)
    return models
