"""The view extensions apply to the standard sale views of Odoo 16, 17 and 18.

``data/odoo-{16,17,18}/sale_order_views.xml`` are trimmed copies of each version's
``addons/sale/views/sale_order_views.xml`` (see ``data/README.md``). A small copy of Odoo's view inheritance
(first match of an XPath or of a shorthand spec; positions inside/after/before/replace/attributes; a primary
view applies its arch to its parent's combined arch; extensions apply to the view they inherit) combines them
the way the server does, so the tests check that every XPath of every extension finds its node in every version,
and that the fields and filters really end up in the lists, the form and the search views users open —
including the primary children (``view_quotation_tree_with_onboarding``, the quotation/order search views, 18's
``sale_order_list_upload``).
"""

from __future__ import annotations

import ast
import copy
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from odoo_urgency.jobs.admin import views as install_views

DATA = Path(__file__).parent / "data"
VERSIONS = ("16", "17", "18")


class Views:
    """The ``ir.ui.view`` records of one version's file, plus our extensions, combined like Odoo does."""

    def __init__(self, version: str, language: str = "en") -> None:
        root = ET.parse(DATA / f"odoo-{version}" / "sale_order_views.xml").getroot()
        self.records: dict[str, dict[str, object]] = {}
        for record in root.iter("record"):
            values: dict[str, object] = {}
            for fld in record.findall("field"):
                name = fld.get("name")
                if name == "arch":
                    values["arch"] = list(fld)[0] if len(fld) == 1 else _wrap(list(fld))
                elif name == "inherit_id":
                    values["inherit_id"] = "sale." + (fld.get("ref") or "").removeprefix("sale.")
                else:
                    values[name or ""] = fld.text
            self.records["sale." + (record.get("id") or "")] = values
        self.extensions: dict[str, list[ET.Element]] = {}
        for view in install_views.views(language):
            parent = next(p for p in view.parents if p in self.records)
            self.extensions.setdefault(parent, []).append(ET.fromstring(view.arch))

    def combined(self, xml_id: str, *, with_ours: bool = True) -> ET.Element:
        record = self.records[xml_id]
        arch = copy.deepcopy(record["arch"])
        assert isinstance(arch, ET.Element)
        if record.get("inherit_id") and record.get("mode") == "primary":
            root = apply(self.combined(str(record["inherit_id"]), with_ours=with_ours), arch, xml_id)
        else:
            root = arch
        for extension in self.extensions.get(xml_id, []) if with_ours else []:
            root = apply(root, copy.deepcopy(extension), f"extension of {xml_id}")
        return root


def _wrap(nodes: list[ET.Element]) -> ET.Element:
    data = ET.Element("data")
    data.extend(nodes)
    return data


def _expr(expr: str) -> str:
    """Odoo's lxml XPath from the document root → ElementTree's, from a wrapper around the root."""
    return "." + expr if expr.startswith("//") else expr


def locate(root: ET.Element, spec: ET.Element) -> ET.Element | None:
    wrapper = ET.Element("wrapper")
    wrapper.append(root)
    try:
        if spec.tag == "xpath":
            found = wrapper.findall(_expr(spec.get("expr") or ""))
            return found[0] if found else None
        want = {k: v for k, v in spec.attrib.items() if k != "position"}
        return next((n for n in wrapper.iter(spec.tag) if all(n.get(k) == v for k, v in want.items())), None)
    finally:
        wrapper.remove(root)


def apply(base: ET.Element, arch: ET.Element, where: str) -> ET.Element:
    root = base
    for spec in list(arch) if arch.tag == "data" else [arch]:
        if not isinstance(spec.tag, str):  # comments
            continue
        node = locate(root, spec)
        assert node is not None, f"{where}: {ET.tostring(spec, encoding='unicode')[:120]} matches nothing"
        position = spec.get("position", "inside")
        parents = {child: parent for parent in root.iter() for child in parent}
        children = [c for c in spec if isinstance(c.tag, str)]
        if position == "inside":
            node.extend(children)
        elif position == "attributes":
            for attribute in spec.findall("attribute"):
                node.set(attribute.get("name") or "", attribute.text or "")
        else:
            parent = parents[node]
            index = list(parent).index(node) + (1 if position == "after" else 0)
            if position == "replace":
                parent.remove(node)
            for offset, child in enumerate(children):
                parent.insert(index + offset, child)
    return root


def _fields(root: ET.Element, name: str) -> list[ET.Element]:
    return [node for node in root.iter("field") if node.get("name") == name]


def _filters(root: ET.Element) -> dict[str, ET.Element]:
    return {node.get("name") or "": node for node in root.iter("filter")}


# -- the files are what we think they are ------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_data_files_hold_each_versions_list_root(version: str) -> None:
    views = Views(version)
    base = "sale.view_order_tree" if version == "16" else "sale.sale_order_tree"
    root_tag = views.combined(base, with_ours=False).tag
    assert root_tag == ("list" if version == "18" else "tree")
    for xml_id in ("sale.view_order_tree", "sale.view_quotation_tree", "sale.view_quotation_tree_with_onboarding",
                   "sale.view_order_form", "sale.view_sales_order_filter"):
        assert xml_id in views.records, f"{xml_id} missing from the Odoo {version} copy"


# -- every XPath of every extension matches in every version ------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("view", install_views.views("en"), ids=lambda v: v.xml_name)
def test_each_xpath_matches_the_parent_arch(version: str, view: install_views.ViewSpec) -> None:
    views = Views(version)
    parent = next(p for p in view.parents if p in views.records)
    assert parent == view.parents[0], "the first-choice parent exists in every version"
    base = views.combined(parent, with_ours=False)
    extension = ET.fromstring(view.arch)
    assert extension.tag == "data"
    exprs = [spec.get("expr") for spec in extension]
    assert all(spec.tag == "xpath" for spec in extension)
    assert tuple(exprs) == view.anchors
    for spec in extension:
        expr = spec.get("expr") or ""
        assert "tree" not in expr and "list" not in expr, "never anchor on the list's root tag"
        wrapper = ET.Element("wrapper")
        wrapper.append(base)
        matches = wrapper.findall(_expr(expr))
        assert len(matches) >= 1, f"{expr} matches nothing in Odoo {version}'s {parent}"


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("xml_id", ["sale.view_order_tree", "sale.view_quotation_tree",
                                    "sale.view_quotation_tree_with_onboarding"])
def test_lists_show_the_badge_and_the_deadline_once(version: str, xml_id: str) -> None:
    root = Views(version).combined(xml_id)
    assert root.tag == ("list" if version == "18" else "tree")
    badges = _fields(root, "x_urgency")
    assert len(badges) == 1
    badge = badges[0]
    assert badge.get("widget") == "badge"
    assert badge.get("decoration-danger") == "x_urgency == 'urgent'"
    assert badge.get("decoration-warning") == "x_urgency == 'special'"
    assert len(_fields(root, "x_urgency_deadline")) == 1
    columns = [node.get("name") for node in root if node.tag == "field"]
    assert columns.index("x_urgency") == columns.index("partner_id") + 1


def test_eighteens_upload_list_inherits_the_columns() -> None:
    root = Views("18").combined("sale.sale_order_list_upload")
    assert len(_fields(root, "x_urgency")) == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_form_shows_tier_deadline_reason_and_manual_flag(version: str) -> None:
    root = Views(version).combined("sale.view_order_form")
    group = next(g for g in root.iter("group") if g.get("name") == "order_details")
    names = [node.get("name") for node in group if node.tag == "field"]
    for name in ("x_urgency", "x_urgency_deadline", "x_urgency_manual", "x_urgency_reason"):
        assert names.count(name) == 1
    assert "x_urgency_memo" not in {node.get("name") for node in root.iter("field")}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("xml_id", ["sale.view_sales_order_filter", "sale.sale_order_view_search_inherit_quotation",
                                    "sale.sale_order_view_search_inherit_sale"])
def test_search_views_have_the_filters_and_the_group_by(version: str, xml_id: str) -> None:
    root = Views(version).combined(xml_id)
    filters = _filters(root)
    urgent = filters["x_urgency_urgent"]
    assert urgent.get("string") == "Urgent"
    assert ast.literal_eval(urgent.get("domain") or "") == [("x_urgency", "=", "urgent")]
    passed = filters["x_urgency_deadline_passed"]
    assert passed.get("string") == "Deadline passed"
    assert "x_urgency_deadline" in (passed.get("domain") or "")
    group_by = filters["x_urgency_groupby"]
    assert group_by.get("context") == "{'group_by': 'x_urgency'}"
    group = next(g for g in root.iter("group"))
    assert group_by in list(group), "the group-by sits with the other group-bys"


def test_deadline_passed_domain_is_the_datetime_idiom_odoo_uses() -> None:
    """A Python expression the web client evaluates: unprocessed orders, deadline set and before now (UTC)."""
    domain = install_views.DEADLINE_PASSED_DOMAIN
    tree = ast.parse(domain, mode="eval")
    assert isinstance(tree.body, ast.List)
    leaves = [ast.unparse(element) for element in tree.body.elts]
    assert leaves[0] == "('state', 'in', ('draft', 'sent'))"
    assert leaves[1] == "('x_urgency_deadline', '!=', False)"
    assert leaves[2].startswith("('x_urgency_deadline', '<', datetime.datetime.now().to_utc().strftime(")
    assert "'%Y-%m-%d %H:%M:%S'" in leaves[2]
    assert "context_today" not in domain  # a date in the user's zone is not a UTC datetime


def test_chinese_labels() -> None:
    views = {v.xml_name: v for v in install_views.views("zh")}
    search = ET.fromstring(views["view_sales_order_filter_urgency"].arch)
    strings = {f.get("name"): f.get("string") for f in search.iter("filter")}
    assert strings == {"x_urgency_urgent": "紧急", "x_urgency_deadline_passed": "已超处理时限",
                       "x_urgency_groupby": "紧急程度"}
    options = install_views.selection_options(install_views.FIELDS[0], "zh")
    assert [(o["value"], o["name"]) for o in options] == [("normal", "普通"), ("special", "特殊"), ("urgent", "紧急")]
