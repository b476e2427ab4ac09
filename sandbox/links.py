"""How a sale order is tied to its MOs and deliveries, as the Odoo the sandbox plays does it.

Odoo 17 puts the order, its MOs and its transfers in one procurement group (``procurement_group_id`` on the
order and the MO, ``group_id`` on the transfer). Odoo 19 has no procurement groups: a stock reference
(``stock.reference``) is linked from the order (``stock_reference_ids``) and the MO (``reference_ids``). The
business code and the data loaders call these helpers, never the field names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .orm import Env

#: model → its link field, per version.
FIELDS = {
    17: {"sale.order": "procurement_group_id", "mrp.production": "procurement_group_id", "stock.picking": "group_id"},
    19: {"sale.order": "stock_reference_ids", "mrp.production": "reference_ids"},
}


def _version(env: Env) -> int:
    return 19 if env.odoo_version >= 19 else 17


def link_model(env: Env) -> str:
    return "stock.reference" if _version(env) == 19 else "procurement.group"


def field(env: Env, model: str) -> str | None:
    return FIELDS[_version(env)].get(model)


def new_link_vals(env: Env, name: str, sale_id: int | None = None, partner_id: Any = None) -> dict[str, Any]:
    """Values of a new procurement group (17) or stock reference (19) named after the order."""
    if _version(env) == 19:
        return {"name": name}
    return {"name": name, **({"sale_id": sale_id} if sale_id else {}), **({"partner_id": partner_id} if partner_id else {})}


def vals(env: Env, model: str, link_id: int | None) -> dict[str, Any]:
    """The values that tie a record of ``model`` to ``link_id`` (empty where the model has no link here)."""
    name = field(env, model)
    if not name or not link_id:
        return {}
    return {name: [(6, 0, [link_id])]} if _version(env) == 19 else {name: link_id}


def link_of(env: Env, model: str, rec: dict[str, Any]) -> int | None:
    """The record's (first) link id, whatever its field's shape (many2one id or many2many ids)."""
    name = field(env, model)
    value = rec.get(name) if name else None
    if isinstance(value, list | tuple):
        return int(value[0]) if value else None
    return int(value) if value else None


def mos_of(env: Env, order: dict[str, Any]) -> set[int]:
    """The MOs sharing the order's link."""
    link = link_of(env, "sale.order", order)
    if not link:
        return set()
    if _version(env) == 17:
        return set(env.index("mrp.production", "procurement_group_id").get(link, ()))
    return {rid for rid, mo in env.store.table("mrp.production").items() if link_of(env, "mrp.production", mo) == link}
