"""What ``odoo-urgency install`` puts into the ERP: the custom fields, the view extensions, the activity
type and the tier tags, as plain data (no I/O here; :mod:`jobs.admin.install` compares it with the ERP and applies it).

Every record has an xml id in the module :data:`MODULE`, so the daemon finds it by meaning and ``uninstall``
removes exactly what was installed.

The view extensions must apply to the standard sale views of Odoo 16, 17 and 18:

* 16 has two stand-alone lists (``view_order_tree``, ``view_quotation_tree``); 17 and 18 derive both (mode
  primary) from ``sale_order_tree``; 16 and 17 lists are ``<tree>``, 18's are ``<list>``. So the XPaths never name
  the root tag: they anchor on nodes every version has (``field[@name='partner_id']``,
  ``group[@name='order_details']``, ``filter[@name='my_sale_orders_filter']``, ``filter[@name='salesperson']``).
* Attributes that changed syntax between versions (``attrs`` in 16, expressions in 17+) are not used.
* The "Deadline passed" filter compares the datetime with the current UTC time the way Odoo's own filters do
  (``mrp``'s "Scheduled Date: Last 365 Days": ``datetime.datetime.now() ... .to_utc().strftime('%Y-%m-%d
  %H:%M:%S')``), evaluated by the web client when the filter is applied. Comparing a datetime with
  ``context_today()`` would be off by the user's time zone and, at a day's granularity, by up to a day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from odoo_urgency.policies.tiers import TIER_TAGS

MODULE = "odoo_urgency"
#: ``ir.config_parameter`` keys the plugin owns start with this (the installed version, the daemon's state).
PARAM_PREFIX = "odoo_urgency."
VERSION_PARAM = "odoo_urgency.installed_version"

TIERS = ("normal", "special", "urgent")

# -- texts, English and Chinese (``settings.rules.language``) ------------------------------------------------

TEXTS: dict[str, dict[str, str]] = {
    "tier.normal": {"en": "Normal", "zh": "普通"},
    "tier.special": {"en": "Special", "zh": "特殊"},
    "tier.urgent": {"en": "Urgent", "zh": "紧急"},
    "field.x_urgency": {"en": "Urgency", "zh": "紧急程度"},
    "field.x_urgency_deadline": {"en": "Processing deadline", "zh": "处理时限"},
    "field.x_urgency_reason": {"en": "Urgency reasons", "zh": "紧急原因"},
    "field.x_urgency_manual": {"en": "Urgency set by hand", "zh": "紧急程度手动设置"},
    "field.x_urgency_memo": {"en": "Urgency plugin memo", "zh": "紧急插件备忘"},
    "field.x_urgency_locked": {"en": "Locked against re-planning", "zh": "锁定计划（不重排）"},
    "filter.urgent": {"en": "Urgent", "zh": "紧急"},
    "filter.deadline_passed": {"en": "Deadline passed", "zh": "已超处理时限"},
    "groupby.urgency": {"en": "Urgency", "zh": "紧急程度"},
    "activity_type": {"en": "Urgent order", "zh": "紧急订单"},
    "activity_type.summary": {"en": "Urgent order: act before the deadline", "zh": "紧急订单：请在时限前处理"},
    "tag.urgent": {"en": "Urgent", "zh": "紧急"},
    "tag.special": {"en": "Special", "zh": "特殊"},
}

HELP: dict[str, str] = {
    "x_urgency": "Tier of the order (normal 24 h, special 12 h, urgent 2 h), set by the odoo-urgency plugin. "
                 "Change it by hand and the plugin keeps your choice.",
    "x_urgency_deadline": "When the order must have been processed (confirmed): received time plus the tier's hours.",
    "x_urgency_reason": "Why the plugin chose this tier.",
    "x_urgency_manual": "Set when a user chose the tier; the plugin then leaves the tier alone.",
    "x_urgency_memo": "Technical: JSON the odoo-urgency daemon keeps (the values it last wrote), so a later change "
                      "by a user wins. Do not edit.",
    "x_urgency_locked": "Tick it to keep this manufacturing order and its work orders where they are: the "
                        "odoo-urgency capacity planner then plans around it and never moves it.",
}


def text(key: str, language: str) -> str:
    entry = TEXTS[key]
    return entry.get(language) or entry["en"]


# -- fields --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    model: str
    name: str
    ttype: str
    #: the sale.order fields are required for install; the memo on mrp/stock is skipped when the app is absent
    required_app: bool = True
    #: tracked in the chatter (``ir.model.fields.tracking``): every change leaves its old value in
    #: ``mail.tracking.value``, which is how the daemon sees what one of its writes replaced (issue 19)
    tracked: bool = False

    @property
    def xml_name(self) -> str:
        return f"field_{self.model.replace('.', '_')}__{self.name}"


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("sale.order", "x_urgency", "selection", tracked=True),
    FieldSpec("sale.order", "x_urgency_deadline", "datetime", tracked=True),
    FieldSpec("sale.order", "x_urgency_reason", "text"),
    FieldSpec("sale.order", "x_urgency_manual", "boolean"),
    FieldSpec("sale.order", "x_urgency_memo", "text"),
    FieldSpec("mrp.production", "x_urgency_memo", "text", required_app=False),
    # a planner's lock: the capacity planner (and the lead-time rule) never move such an MO
    FieldSpec("mrp.production", "x_urgency_locked", "boolean", required_app=False),
    FieldSpec("stock.picking", "x_urgency_memo", "text", required_app=False),
    # a late PO's priority the plugin raised (so a buyer's later change wins); skipped without the purchase app
    FieldSpec("purchase.order", "x_urgency_memo", "text", required_app=False),
)


def field_values(spec: FieldSpec, language: str) -> dict[str, object]:
    """``ir.model.fields`` values (without ``model_id`` and the selection options)."""
    return {
        "name": spec.name,
        "ttype": spec.ttype,
        "field_description": text(f"field.{spec.name}", language),
        "help": HELP[spec.name],
        "state": "manual",
        # a duplicated order is a new order: copying the tier, the deadline or the memo would make the daemon
        # take the copy's values for its own (or for a user's)
        "copied": False,
        **({"tracking": 1} if spec.tracked else {}),
    }


def selection_options(spec: FieldSpec, language: str) -> list[dict[str, object]]:
    if spec.ttype != "selection":
        return []
    return [{"value": tier, "name": text(f"tier.{tier}", language), "sequence": index}
            for index, tier in enumerate(TIERS)]


# -- views ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewSpec:
    xml_name: str
    #: candidate parents by xml id, the first one found is used
    parents: tuple[str, ...]
    name: str
    arch: str
    priority: int = 90
    model: str = "sale.order"
    #: the XPaths of ``arch`` (for the tests against each version's standard views)
    anchors: tuple[str, ...] = field(default=())


BADGE = ('<field name="x_urgency" widget="badge" optional="show" '
         'decoration-danger="x_urgency == \'urgent\'" decoration-warning="x_urgency == \'special\'"/>')
DEADLINE_LIST = '<field name="x_urgency_deadline" optional="show"/>'

LIST_ANCHOR = "//field[@name='partner_id']"
FORM_ANCHOR = "//group[@name='order_details']"
FILTER_ANCHOR = "//filter[@name='my_sale_orders_filter']"
GROUPBY_ANCHOR = "//filter[@name='salesperson']"

#: unprocessed (quotation or sent) and the deadline before the current UTC time
DEADLINE_PASSED_DOMAIN = (
    "[('state', 'in', ('draft', 'sent')), ('x_urgency_deadline', '!=', False), "
    "('x_urgency_deadline', '<', datetime.datetime.now().to_utc().strftime('%Y-%m-%d %H:%M:%S'))]"
)


def _list_arch() -> str:
    return (f'<data>\n    <xpath expr="{LIST_ANCHOR}" position="after">\n        {BADGE}\n'
            f'        {DEADLINE_LIST}\n    </xpath>\n</data>')


def _form_arch() -> str:
    return (
        f'<data>\n    <xpath expr="{FORM_ANCHOR}" position="inside">\n'
        '        <field name="x_urgency" widget="selection_badge" '
        'decoration-danger="x_urgency == \'urgent\'" decoration-warning="x_urgency == \'special\'"/>\n'
        '        <field name="x_urgency_deadline"/>\n'
        '        <field name="x_urgency_manual"/>\n'
        '        <field name="x_urgency_reason"/>\n'
        '    </xpath>\n</data>'
    )


def _search_arch(language: str) -> str:
    return (
        f'<data>\n    <xpath expr="{FILTER_ANCHOR}" position="after">\n'
        '        <separator/>\n'
        f'        <filter string={quoteattr(text("filter.urgent", language))} name="x_urgency_urgent" '
        'domain="[(\'x_urgency\', \'=\', \'urgent\')]"/>\n'
        f'        <filter string={quoteattr(text("filter.deadline_passed", language))} '
        f'name="x_urgency_deadline_passed" domain={quoteattr(DEADLINE_PASSED_DOMAIN)}/>\n'
        '    </xpath>\n'
        f'    <xpath expr="{GROUPBY_ANCHOR}" position="after">\n'
        f'        <filter string={quoteattr(text("groupby.urgency", language))} name="x_urgency_groupby" '
        'domain="[]" context="{\'group_by\': \'x_urgency\'}"/>\n'
        '    </xpath>\n</data>'
    )


def views(language: str) -> tuple[ViewSpec, ...]:
    return (
        ViewSpec("view_quotation_tree_urgency",
                 ("sale.view_quotation_tree", "sale.view_quotation_tree_with_onboarding"),
                 "sale.order.list.quotation.urgency (odoo-urgency)", _list_arch(), anchors=(LIST_ANCHOR,)),
        ViewSpec("view_order_tree_urgency", ("sale.view_order_tree",),
                 "sale.order.list.urgency (odoo-urgency)", _list_arch(), anchors=(LIST_ANCHOR,)),
        ViewSpec("view_order_form_urgency", ("sale.view_order_form",),
                 "sale.order.form.urgency (odoo-urgency)", _form_arch(), anchors=(FORM_ANCHOR,)),
        ViewSpec("view_sales_order_filter_urgency", ("sale.view_sales_order_filter",),
                 "sale.order.search.urgency (odoo-urgency)", _search_arch(language),
                 anchors=(FILTER_ANCHOR, GROUPBY_ANCHOR)),
    )


# -- activity type and tags ----------------------------------------------------------------------------------

ACTIVITY_TYPE_XML = "activity_type_urgent"
TAG_XML = {tier.value: tag.xml_name for tier, tag in TIER_TAGS.items()}
TAG_COLOR = {tier.value: tag.color for tier, tag in TIER_TAGS.items()}


def activity_type_values(language: str) -> dict[str, object]:
    return {
        "name": text("activity_type", language),
        "summary": text("activity_type.summary", language),
        "res_model": False,  # any model: sale orders, manufacturing orders, deliveries
        "category": "default",
        "delay_count": 0,
        "icon": "fa-exclamation-triangle",
    }


def tag_values(tier: str, language: str) -> dict[str, object]:
    return {"name": text(f"tag.{tier}", language), "color": TAG_COLOR[tier]}
