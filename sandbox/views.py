"""View architectures: the seeded sale views and Odoo's inheritance check.

The sale views are trimmed copies of Odoo 17's ``addons/sale/views/sale_order_views.xml``
(same xml ids, root tags, field names and ``name`` attributes of groups/pages/filters, so
an inheriting view written against real Odoo locates the same nodes here).

Inheritance uses ``xml.etree.ElementTree``: xpath expressions go through ElementTree's
limited XPath (``//tag[@attr='v']``, ``/form/sheet``, ``..`` work; functions such as
``contains()`` do not and are refused as invalid), and the shorthand specs
(``<field name="x" position="after">``) match the first node with the same tag and
attributes. A locator that matches nothing, malformed XML, or a ``<field>`` naming a field
the model lacks is refused with a ValidationError, as Odoo refuses such a view on save.
"""

# ruff: noqa: E501  (copied Odoo help texts / view archs are kept verbatim on one line)

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from .faults import ValidationError

if TYPE_CHECKING:
    from .orm import Env

#: (xml id name in module ``sale``, view name, type, priority, inherit xml id, mode, arch)
SALE_VIEWS: list[tuple[str, str, str, int, str | None, str, str]] = [
    (
        "view_order_tree",
        "sale.order.tree",
        "tree",
        2,
        None,
        "primary",
        """<tree string="Sales Orders" sample="1" decoration-info="invoice_status == 'to invoice'" decoration-muted="state == 'cancel'">
    <field name="currency_id" column_invisible="True"/>
    <field name="name" string="Number" readonly="1" decoration-bf="1"/>
    <field name="date_order" string="Order Date" widget="date" optional="show"/>
    <field name="commitment_date" optional="hide"/>
    <field name="expected_date" optional="hide"/>
    <field name="partner_id" readonly="1"/>
    <field name="user_id" optional="show" widget="many2one_avatar_user"/>
    <field name="activity_ids" widget="list_activity" optional="show"/>
    <field name="team_id" optional="hide"/>
    <field name="company_id" optional="show" readonly="1"/>
    <field name="amount_total" sum="Total Tax Included" widget="monetary" decoration-bf="1" optional="show"/>
    <field name="tag_ids" optional="hide" widget="many2many_tags" options="{'color_field': 'color'}"/>
    <field name="state" column_invisible="True"/>
</tree>""",
    ),
    (
        "view_quotation_tree",
        "sale.order.tree",
        "tree",
        4,
        None,
        "primary",
        """<tree string="Quotation" class="o_sale_order" sample="1" decoration-muted="state == 'cancel'">
    <field name="currency_id" column_invisible="True"/>
    <field name="name" string="Number" readonly="1" decoration-bf="1"/>
    <field name="create_date" string="Creation Date" widget="date" optional="show"/>
    <field name="commitment_date" widget="date" optional="hide"/>
    <field name="expected_date" widget="date" optional="hide"/>
    <field name="partner_id" readonly="1"/>
    <field name="user_id" widget="many2one_avatar_user" optional="show"/>
    <field name="activity_ids" widget="list_activity" optional="show"/>
    <field name="team_id" optional="hide"/>
    <field name="tag_ids" optional="hide" widget="many2many_tags" options="{'color_field': 'color'}"/>
    <field name="company_id" optional="show" readonly="1"/>
    <field name="amount_total" sum="Total Tax Included" widget="monetary" decoration-bf="1" optional="show"/>
    <field name="state" decoration-success="state == 'sale'" decoration-info="state == 'draft'" decoration-primary="state == 'sent'" widget="badge" optional="show"/>
</tree>""",
    ),
    (
        "view_quotation_tree_with_onboarding",
        "sale.order.tree",
        "tree",
        16,
        "sale.view_quotation_tree",
        "primary",
        """<xpath expr="//tree" position="attributes">
    <attribute name="js_class">sale_onboarding_list</attribute>
</xpath>""",
    ),
    (
        "view_order_form",
        "sale.order.form",
        "form",
        16,
        None,
        "primary",
        """<form string="Sales Order" class="o_sale_order">
    <header>
        <button name="action_confirm" id="action_confirm" data-hotkey="q" string="Confirm" class="btn-primary" type="object" invisible="state != 'sent'"/>
        <button name="action_confirm" data-hotkey="q" string="Confirm" type="object" invisible="state != 'draft'"/>
        <button name="action_cancel" type="object" string="Cancel" invisible="state not in ['draft', 'sent', 'sale'] or not id"/>
        <button name="action_draft" invisible="state != 'cancel'" type="object" string="Set to Quotation"/>
        <field name="state" widget="statusbar" statusbar_visible="draft,sent,sale"/>
    </header>
    <sheet>
        <div class="oe_button_box" name="button_box">
            <button name="action_view_delivery" type="object" class="oe_stat_button" icon="fa-truck" invisible="not picking_ids">
                <field name="picking_ids" invisible="1"/>
            </button>
        </div>
        <div class="oe_title">
            <h1><field name="name" readonly="1"/></h1>
        </div>
        <group name="sale_header">
            <group name="partner_details">
                <field name="partner_id" widget="res_partner_many2one" context="{'show_address': 1}"/>
            </group>
            <group name="order_details">
                <field name="date_order" nolabel="1" readonly="state in ['cancel', 'sale']"/>
                <field name="company_id" invisible="1"/>
                <field name="currency_id" invisible="1"/>
            </group>
        </group>
        <notebook>
            <page string="Order Lines" name="order_lines">
                <field name="order_line" widget="section_and_note_one2many" mode="tree,kanban">
                    <tree string="Sales Order Lines" editable="bottom">
                        <field name="sequence" widget="handle"/>
                        <field name="product_id"/>
                        <field name="name" widget="section_and_note_text" optional="show"/>
                        <field name="product_uom_qty"/>
                        <field name="qty_delivered" optional="show"/>
                        <field name="customer_lead" optional="hide"/>
                        <field name="price_unit"/>
                        <field name="price_subtotal" widget="monetary"/>
                    </tree>
                </field>
                <group name="note_group" col="6" class="mt-2 mt-md-0">
                    <group colspan="4">
                        <field colspan="2" name="note" nolabel="1" placeholder="Terms and conditions..."/>
                    </group>
                    <group class="oe_subtotal_footer oe_right" colspan="2" name="sale_total">
                        <field name="amount_total" widget="monetary"/>
                    </group>
                </group>
            </page>
            <page string="Other Info" name="other_information">
                <group>
                    <group name="sales_person" string="Sales">
                        <field name="user_id" widget="many2one_avatar_user"/>
                        <field name="team_id" options="{'no_create': True}"/>
                        <field name="company_id" options="{'no_create': True}"/>
                        <field name="client_order_ref"/>
                        <field name="tag_ids" widget="many2many_tags" options="{'color_field': 'color', 'no_create_edit': True}"/>
                    </group>
                    <group name="sale_shipping" string="Delivery">
                        <label for="commitment_date" string="Delivery Date"/>
                        <div name="commitment_date_div" class="o_row">
                            <field name="commitment_date" readonly="state == 'cancel'"/>
                            <span name="expected_date_span" class="text-muted">Expected: <field name="expected_date" class="oe_inline" widget="date"/></span>
                        </div>
                    </group>
                    <group string="Tracking" name="sale_reporting">
                        <group name="technical" colspan="2" class="mb-0">
                            <field name="origin"/>
                        </group>
                    </group>
                </group>
            </page>
        </notebook>
    </sheet>
    <div class="oe_chatter">
        <field name="activity_ids"/>
    </div>
</form>""",
    ),
    (
        "view_sales_order_filter",
        "sale.order.list.select",
        "search",
        16,
        None,
        "primary",
        """<search string="Search Sales Order">
    <field name="name" string="Order" filter_domain="['|', '|', ('name', 'ilike', self), ('client_order_ref', 'ilike', self), ('partner_id', 'child_of', [self])]"/>
    <field name="partner_id" operator="child_of"/>
    <field name="user_id"/>
    <field name="team_id" string="Sales Team"/>
    <field name="order_line" string="Product" filter_domain="[('order_line.product_id', 'ilike', self)]"/>
    <filter string="My Orders" domain="[('user_id', '=', uid)]" name="my_sale_orders_filter"/>
    <filter string="Quotations" name="draft" domain="[('state', 'in', ('draft', 'sent'))]"/>
    <filter string="Sales Orders" name="sales" domain="[('state', '=', 'sale')]"/>
    <separator/>
    <filter string="Order Date" name="order_date" date="date_order"/>
    <group expand="0" string="Group By">
        <filter string="Salesperson" name="salesperson" domain="[]" context="{'group_by': 'user_id'}"/>
        <filter name="customer" string="Customer" domain="[]" context="{'group_by': 'partner_id'}"/>
        <filter string="Order Date" name="order_month" domain="[]" context="{'group_by': 'date_order'}"/>
    </group>
</search>""",
    ),
]


def root_type(arch: str) -> str | None:
    try:
        tag = ET.fromstring(arch).tag
    except ET.ParseError:
        return None
    return {"list": "tree"}.get(tag, tag)


def _error(rec: dict[str, Any], detail: str, snippet: str = "") -> ValidationError:
    near = f"Error while validating view near:\n\n{snippet}\n\n" if snippet else "Error while validating view:\n\n"
    context = {
        "file": None,
        "line": 1,
        "name": rec.get("name"),
        "view": f"ir.ui.view({rec.get('id')},)",
        "view.model": rec.get("model"),
        "view.parent": f"ir.ui.view({rec.get('inherit_id')},)",
    }
    return ValidationError(f"{near}{detail}\n\nView error context:\n{context!r}")


def _parse(rec: dict[str, Any]) -> ET.Element:
    try:
        return ET.fromstring(rec.get("arch_db") or "")
    except ET.ParseError as exc:
        raise ValidationError(f"Invalid view {rec.get('name')!r} definition in {rec.get('model')!r}:\n{exc}") from None


def _spec_repr(spec: ET.Element) -> str:
    attrs = " ".join(f'{k}="{v}"' for k, v in spec.attrib.items() if k != "position")
    return f"<{spec.tag}{' ' + attrs if attrs else ''}>"


def _locate(root: ET.Element, spec: ET.Element) -> ET.Element | None:
    wrapper = ET.Element("wrapper")
    wrapper.append(root)
    try:
        if spec.tag == "xpath":
            expr = spec.get("expr") or ""
            if expr.startswith("/") and not expr.startswith("//"):
                expr = expr[1:]
            elif expr.startswith("//"):
                expr = "." + expr
            found = wrapper.findall(expr)
            return found[0] if found else None
        want = {k: v for k, v in spec.attrib.items() if k != "position"}
        for node in wrapper.iter(spec.tag):
            if all(node.get(k) == v for k, v in want.items()):
                return node
        return None
    except (SyntaxError, KeyError) as exc:
        raise ValueError(f"Invalid xpath {spec.get('expr')!r}: {exc}") from None
    finally:
        wrapper.remove(root)


def apply_specs(base: ET.Element, arch: ET.Element, rec: dict[str, Any]) -> ET.Element:
    """Apply an inheriting arch to ``base`` (in place; returns the possibly new root)."""
    specs = list(arch) if arch.tag == "data" else [arch]
    root = base
    for spec in specs:
        if spec.tag is ET.Comment:  # type: ignore[comparison-overlap]
            continue
        try:
            node = _locate(root, spec)
        except ValueError as exc:
            raise _error(rec, str(exc), ET.tostring(spec, encoding="unicode")) from None
        if node is None:
            raise _error(
                rec,
                f"Element '{_spec_repr(spec)}' cannot be located in parent view",
                ET.tostring(spec, encoding="unicode").strip(),
            )
        position = spec.get("position", "inside")
        parents = {child: parent for parent in root.iter() for child in parent}
        children = list(spec)
        if position == "inside":
            node.extend(children)
        elif position == "attributes":
            for attribute in spec.findall("attribute"):
                name = attribute.get("name") or ""
                if attribute.text:
                    node.set(name, attribute.text)
                else:
                    node.attrib.pop(name, None)
        elif position in ("after", "before", "replace"):
            parent = parents.get(node)
            if parent is None:
                if position == "replace" and children:
                    root = children[0]
                    continue
                raise _error(rec, f"Element '{_spec_repr(spec)}' cannot be located in parent view")
            index = list(parent).index(node) + (1 if position == "after" else 0)
            if position == "replace":
                parent.remove(node)
            for offset, child in enumerate(children):
                parent.insert(index + offset, child)
        else:
            raise _error(rec, f"Invalid position attribute: '{position}'")
    return root


def _root_view(env: Env, view_id: int) -> int:
    table = env.store.table("ir.ui.view")
    current = view_id
    while table[current].get("mode") == "extension" and table[current].get("inherit_id") in table:
        current = table[current]["inherit_id"]
    return current


def _combined(env: Env, view_id: int, skip: int | None) -> ET.Element:
    table = env.store.table("ir.ui.view")
    rec = table[view_id]
    if rec.get("inherit_id") in table and rec.get("mode") == "primary":
        root = apply_specs(_combined(env, rec["inherit_id"], skip), _parse(rec), rec)
    else:
        root = _parse(rec)
    return _apply_extensions(env, root, view_id, skip)


def _apply_extensions(env: Env, root: ET.Element, view_id: int, skip: int | None) -> ET.Element:
    table = env.store.table("ir.ui.view")
    children = sorted(
        (
            v
            for v in table.values()
            if v.get("inherit_id") == view_id
            and v.get("mode") == "extension"
            and v.get("active", True)
            and v["id"] != skip
        ),
        key=lambda v: (v.get("priority") or 16, v["id"]),
    )
    for child in children:
        root = apply_specs(root, _parse(child), child)
        root = _apply_extensions(env, root, child["id"], skip)
    return root


def combined_arch(env: Env, view_id: int) -> str:
    """The arch a client gets for a primary view: parents and active extensions applied."""
    return ET.tostring(_combined(env, view_id, None), encoding="unicode")


def _check_fields(env: Env, rec: dict[str, Any], arch: ET.Element) -> None:
    model = rec.get("model")
    if model not in env.models:
        return
    fields = env.fields(model)

    def walk(node: ET.Element, top: bool) -> None:
        for child in node:
            if child.tag == "field" and top and child.get("position") is None:
                name = child.get("name")
                if name and name not in fields:
                    raise _error(
                        rec,
                        f'Field "{name}" does not exist in model "{model}"',
                        ET.tostring(child, encoding="unicode").strip(),
                    )
                walk(child, False)  # sub-views of x2many fields describe the comodel
            elif child.tag != "attribute":
                walk(child, top)

    wrapper = ET.Element("wrapper")
    wrapper.append(arch)
    walk(wrapper, True)


def validate(env: Env, rec: dict[str, Any]) -> None:
    """Refuse a view whose arch is not well-formed or does not apply to its parent."""
    arch = _parse(rec)
    parent_id = rec.get("inherit_id")
    table = env.store.table("ir.ui.view")
    if parent_id and parent_id in table:
        if rec.get("mode") == "primary":
            base = _combined(env, parent_id, rec.get("id"))
        else:
            base = _combined(env, _root_view(env, parent_id), rec.get("id"))
        apply_specs(base, arch, rec)
    _check_fields(env, rec, arch)
