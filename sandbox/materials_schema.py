"""Field definitions of the materials models the sandbox serves: component moves, purchasing, vendor pricelists.

Kept apart from :mod:`sandbox.schema` so the purchase app can be left out (``Sandbox(purchase=False)``: the ERP
then answers "Object purchase.order doesn't exist" like an Odoo without the app) and so the capacity models can
grow beside them without touching the same lines. ``FIXTURE_FIELDS`` is a copy of what a real Odoo 17 answered to
``fields_get`` (``odoo-fixtures/odoo-17/fields``), held to it by the conformance test; ``EXTRA_FIELDS`` adds
what the plugin or the demo need beyond the recorded subset, with Odoo 17's names and types.
"""

# ruff: noqa: E501  (copied Odoo help texts are kept verbatim on one line)

from __future__ import annotations

from .schema import Field, ModelInfo

#: models that exist only with the purchase app (purchase, purchase_stock)
PURCHASE_MODELS = frozenset({"purchase.order", "purchase.order.line", "product.supplierinfo"})
#: fields other models gain from the purchase app (purchase_stock, purchase)
PURCHASE_FIELDS = frozenset({("stock.move", "purchase_line_id"), ("product.product", "purchase_ok")})

# fmt: off
FIXTURE_FIELDS: dict[str, dict[str, Field]] = {
    'stock.move': {
        'date': Field('datetime', 'Date Scheduled', required=True, help='Scheduled date until move is done, then date of actual move processing'),
        'date_deadline': Field('datetime', 'Deadline', readonly=True, help='Date Promise to the customer on the top level document (SO/PO)'),
        'forecast_availability': Field('float', 'Forecast Availability', readonly=True, store=False),
        'forecast_expected_date': Field('datetime', 'Forecasted Expected date', readonly=True, store=False),
        'location_dest_id': Field('many2one', 'Destination Location', relation='stock.location', required=True, help='Location where the system will stock the finished products.'),
        'location_id': Field('many2one', 'Source Location', relation='stock.location', required=True, help='Sets a location if you produce at a fixed location. This can be a partner location if you subcontract the manufacturing operations.'),
        'picking_id': Field('many2one', 'Transfer', relation='stock.picking'),
        'procure_method': Field('selection', 'Supply Method', selection=(('make_to_stock', 'Default: Take From Stock'), ('make_to_order', 'Advanced: Apply Procurement Rules'), ), required=True, help='By default, the system will take from the stock in the source location and passively wait for availability. The other possibility allows you to directly create a procurement on the source location (and thus ignore its current stock) to gather products. If we want to chain moves and have this one to wait for the previous, this second option should be chosen.'),
        'product_id': Field('many2one', 'Product', relation='product.product', required=True),
        'product_uom_qty': Field('float', 'Demand', required=True, help='This is the quantity of product that is planned to be moved.Lowering this quantity does not generate a backorder.Changing this quantity on assigned moves affects the product reservation, and should be done with care.'),
        'production_id': Field('many2one', 'Production Order for finished products', relation='mrp.production'),
        'purchase_line_id': Field('many2one', 'Purchase Order Line', relation='purchase.order.line', readonly=True),
        'quantity': Field('float', 'Quantity'),
        'raw_material_production_id': Field('many2one', 'Production Order for components', relation='mrp.production'),
        'state': Field('selection', 'Status', selection=(('draft', 'New'), ('waiting', 'Waiting Another Move'), ('confirmed', 'Waiting Availability'), ('partially_available', 'Partially Available'), ('assigned', 'Available'), ('done', 'Done'), ('cancel', 'Cancelled'), ), readonly=True, help="* New: The stock move is created but not confirmed.\n* Waiting Another Move: A linked stock move should be done before this one.\n* Waiting Availability: The stock move is confirmed but the product can't be reserved.\n* Available: The product of the stock move is reserved.\n* Done: The product has been transferred and the transfer has been confirmed."),
    },
    'purchase.order': {
        'company_id': Field('many2one', 'Company', relation='res.company', required=True),
        'create_date': Field('datetime', 'Created on', readonly=True),
        'date_approve': Field('datetime', 'Confirmation Date', readonly=True),
        'date_order': Field('datetime', 'Order Deadline', required=True, help='Depicts the date within which the Quotation should be confirmed and converted into a purchase order.'),
        'date_planned': Field('datetime', 'Expected Arrival', help='Delivery date promised by vendor. This date is used to determine expected arrival of products.'),
        'name': Field('char', 'Order Reference', required=True),
        'order_line': Field('one2many', 'Order Lines', relation='purchase.order.line'),
        'origin': Field('char', 'Source Document', help='Reference of the document that generated this purchase order request (e.g. a sales order)'),
        'partner_id': Field('many2one', 'Vendor', relation='res.partner', required=True, help='You can find a vendor by its Name, TIN, Email or Internal Reference.'),
        'priority': Field('selection', 'Priority', selection=(('0', 'Normal'), ('1', 'Urgent'), )),
        'state': Field('selection', 'Status', selection=(('draft', 'RFQ'), ('sent', 'RFQ Sent'), ('to approve', 'To Approve'), ('purchase', 'Purchase Order'), ('done', 'Locked'), ('cancel', 'Cancelled'), ), readonly=True),
        'user_id': Field('many2one', 'Buyer', relation='res.users'),
        'write_date': Field('datetime', 'Last Updated on', readonly=True),
    },
    'purchase.order.line': {
        'date_planned': Field('datetime', 'Expected Arrival', help="Delivery date expected from vendor. This date respectively defaults to vendor pricelist lead time then today's date."),
        'move_dest_ids': Field('many2many', 'Downstream moves alt', relation='stock.move'),
        'order_id': Field('many2one', 'Order Reference', relation='purchase.order', required=True),
        'partner_id': Field('many2one', 'Partner', relation='res.partner', readonly=True, help='You can find a vendor by its Name, TIN, Email or Internal Reference.'),
        'price_unit': Field('float', 'Unit Price', required=True),
        'product_id': Field('many2one', 'Product', relation='product.product'),
        'product_qty': Field('float', 'Quantity', required=True),
        'qty_received': Field('float', 'Received Qty'),
        'state': Field('selection', 'Status', selection=(('draft', 'RFQ'), ('sent', 'RFQ Sent'), ('to approve', 'To Approve'), ('purchase', 'Purchase Order'), ('done', 'Locked'), ('cancel', 'Cancelled'), ), readonly=True),
    },
    'product.supplierinfo': {
        'delay': Field('integer', 'Delivery Lead Time', required=True, help='Lead time in days between the confirmation of the purchase order and the receipt of the products in your warehouse. Used by the scheduler for automatic computation of the purchase order planning.'),
        'min_qty': Field('float', 'Quantity', required=True, help='The quantity to purchase from this vendor to benefit from the price, expressed in the vendor Product Unit of Measure if not any, in the default unit of measure of the product otherwise.'),
        'partner_id': Field('many2one', 'Vendor', relation='res.partner', required=True),
        'price': Field('float', 'Price', required=True, help='The price to purchase a product'),
        'product_id': Field('many2one', 'Product Variant', relation='product.product', help='If not set, the vendor price will apply to all variants of this product.'),
        'product_tmpl_id': Field('many2one', 'Product Template', relation='product.template'),
    },
}
# fmt: on


def _f(type_: str, string: str, **kw: object) -> Field:
    return Field(type_, string, **kw)  # type: ignore[arg-type]


EXTRA_FIELDS: dict[str, dict[str, Field]] = {
    "stock.move": {
        "name": _f("char", "Description", required=True),
        "origin": _f("char", "Source Document"),
        "sequence": _f("integer", "Sequence"),
    },
    "stock.location": {
        "name": _f("char", "Location Name", required=True),
        "complete_name": _f("char", "Full Location Name"),
        "usage": _f(
            "selection",
            "Location Type",
            required=True,
            selection=(
                ("supplier", "Vendor Location"),
                ("view", "View"),
                ("internal", "Internal Location"),
                ("customer", "Customer Location"),
                ("inventory", "Inventory Loss"),
                ("production", "Production"),
                ("transit", "Transit Location"),
            ),
        ),
        "active": _f("boolean", "Active"),
    },
    "product.template": {
        "name": _f("char", "Name", required=True),
        "default_code": _f("char", "Internal Reference"),
        "active": _f("boolean", "Active"),
        "seller_ids": _f("one2many", "Vendors", relation="product.supplierinfo", inverse="product_tmpl_id"),
    },
    "product.product": {
        "product_tmpl_id": _f("many2one", "Product Template", relation="product.template", required=True),
        "free_qty": _f("float", "Free To Use Quantity ", readonly=True, store=False, computed=True, searchable=False),
        "incoming_qty": _f("float", "Incoming", readonly=True, store=False, computed=True, searchable=False),
        "purchase_ok": _f("boolean", "Can be Purchased"),
        "stock_move_ids": _f("one2many", "Stock Move", relation="stock.move", inverse="product_id"),
    },
    "mrp.production": {
        "move_raw_ids": _f("one2many", "Components", relation="stock.move", inverse="raw_material_production_id"),
    },
    "purchase.order": {
        "notes": _f("html", "Terms and Conditions"),
        "currency_id": _f("many2one", "Currency", relation="res.currency", required=True),
    },
    "purchase.order.line": {
        "name": _f("text", "Description", required=True),
        "sequence": _f("integer", "Sequence"),
        "move_ids": _f("one2many", "Reservation", relation="stock.move", inverse="purchase_line_id", readonly=True),
    },
    "product.supplierinfo": {
        "sequence": _f("integer", "Sequence"),
        "product_name": _f("char", "Vendor Product Name"),
        "product_code": _f("char", "Vendor Product Code"),
    },
}

#: sandbox-only adjustments of recorded fields (how the value is produced, not what Odoo says).
OVERRIDES: dict[tuple[str, str], dict[str, object]] = {
    ("stock.move", "forecast_availability"): {"computed": True, "searchable": False},
    ("stock.move", "forecast_expected_date"): {"computed": True, "searchable": False},
    ("purchase.order", "order_line"): {"inverse": "order_id"},
    ("purchase.order.line", "partner_id"): {"computed": True},
    ("purchase.order.line", "state"): {"computed": True},
}

MODEL_INFO: dict[str, ModelInfo] = {
    "stock.move": ModelInfo("Stock Move", "sequence, id", "name"),
    "stock.location": ModelInfo("Inventory Locations", "complete_name, id", "complete_name"),
    "product.template": ModelInfo("Product", "name, id"),
    "purchase.order": ModelInfo("Purchase Order", "priority desc, id desc"),
    "purchase.order.line": ModelInfo("Purchase Order Line", "order_id, sequence, id"),
    "product.supplierinfo": ModelInfo("Supplier Pricelist", "sequence, min_qty DESC, price, id", None),
}


def fields_of(model: str, purchase: bool) -> dict[str, Field]:
    """The materials fields of ``model`` (extras, then recorded ones), without the purchase app's if it is off."""
    out = dict(EXTRA_FIELDS.get(model, {}))
    out.update(FIXTURE_FIELDS.get(model, {}))
    for (name, fname), changes in OVERRIDES.items():
        if name == model:
            out[fname] = Field(**{**out[fname].__dict__, **changes})  # type: ignore[arg-type]
    if not purchase:
        out = {k: v for k, v in out.items() if (model, k) not in PURCHASE_FIELDS}
        if model == "product.template":
            out.pop("seller_ids", None)
    return out
