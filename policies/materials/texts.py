"""The materials phrases, in English and Chinese (``rules.language``), kept beside the rules that use them."""

# ruff: noqa: E501  (one phrase per line reads better than wrapped halves)

from __future__ import annotations

from typing import Any

CATALOGUE: dict[str, dict[str, str]] = {
    "expedite.summary": {
        "en": "Expedite {po}: {product} needed by {needed}",
        "zh": "催交 {po}：{product} 需于 {needed} 到货",
    },
    "expedite.what": {
        "en": "{quantity} of {product} on {po} (vendor {vendor}) are needed by {needed} for MO {mo} of order {order}, but are expected {expected}: {late} h late.",
        "zh": "{po}（供应商 {vendor}）上的 {product} {quantity} 需于 {needed} 到货，供订单 {order} 的制造单 {mo} 使用，但预计到货 {expected}：延误 {late} 小时。",
    },
    "expedite.todo": {
        "en": "Ask the vendor to expedite, and agree on the material problem with them; update the expected arrival on the PO.",
        "zh": "请联系供应商加急，并与供应商就材料问题达成一致；在采购单上更新预计到货时间。",
    },
    "no_supply.summary": {
        "en": "No supply for {product} ({mo}, needed by {needed})",
        "zh": "{product} 无供应（制造单 {mo}，需于 {needed}）",
    },
    "no_supply.what": {
        "en": "MO {mo} of order {order} needs {needed_qty} of {product} by {needed}; stock and open purchases cover {covered}: {short} have no supply.",
        "zh": "订单 {order} 的制造单 {mo} 需于 {needed} 前领用 {product} {needed_qty}；库存与在途采购仅覆盖 {covered}：{short} 无任何供应。",
    },
    "no_supply.todo": {
        "en": "Buy it from a vendor who can deliver by the need date, and tell the planner.",
        "zh": "请向能在需求日期前交货的供应商采购，并通知计划员。",
    },
    "no_supply.rfq": {
        "en": "A draft request for quotation to {vendor} was prepared: check and confirm it yourself.",
        "zh": "已为供应商 {vendor} 准备询价单草稿：请核对后自行确认。",
    },
    "late.summary": {
        "en": "{order}: materials delay MO {mo}",
        "zh": "订单 {order}：物料导致制造单 {mo} 延误",
    },
    "late.what": {
        "en": "MO {mo} must finish by {finish_by} for the requested delivery, but its materials are ready only {ready}: the earliest possible finish is {finish}, {late} h late.",
        "zh": "为按要求交货，制造单 {mo} 须在 {finish_by} 前完工，但物料 {ready} 才齐：最早完工时间为 {finish}，延误 {late} 小时。",
    },
    "short.what": {
        "en": "MO {mo} must finish by {finish_by} for the requested delivery, but {short} of {product} have no supply at all: it cannot be made in time unless purchasing finds some.",
        "zh": "为按要求交货，制造单 {mo} 须在 {finish_by} 前完工，但 {product} 有 {short} 无任何供应：除非采购找到货源，否则无法按时完成。",
    },
    "late.todo": {
        "en": "Explain the situation to the customer now and agree on a new date or a partial delivery.",
        "zh": "请立即向客户说明情况，商定新的交期或分批交货。",
    },
    "why": {
        "en": "Why: the {tier} order {order} waits for it",
        "zh": "原因：{tier}订单 {order} 等待该物料",
    },
    "rfq.origin": {"en": "{mo} (urgency: no supply)", "zh": "{mo}（紧急订单：无供应）"},
    "status.available": {"en": "in stock", "zh": "有库存"},
    "status.on_time": {"en": "on order, in time", "zh": "在途，可按时到货"},
    "status.late": {"en": "on order, late", "zh": "在途，将延误"},
    "status.short": {"en": "no supply", "zh": "无供应"},
}


def text(language: str, key: str, **fields: Any) -> str:
    entry = CATALOGUE[key]
    return (entry.get(language) or entry["en"]).format(**fields)
