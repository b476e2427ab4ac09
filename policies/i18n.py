"""Every phrase the policies produce, in English and Chinese, in one small catalogue.

Texts end up in the ERP (``x_urgency_reason``, activity summaries and notes) and in the report, so they must
be short, concrete and stable: a text that depends on ``now`` would change on every cycle and make the plugin
rewrite ``x_urgency_reason`` forever. Templates use ``str.format`` fields; :func:`text` falls back to English for a
missing translation (a test checks there is none).
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from odoo_urgency.policies.calendar import to_local
from odoo_urgency.policies.config import CalendarConfig
from odoo_urgency.policies.tiers import Tier

CATALOGUE: dict[str, dict[str, str]] = {
    # tiers
    "tier.normal": {"en": "Normal", "zh": "普通"},
    "tier.special": {"en": "Special", "zh": "特殊"},
    "tier.urgent": {"en": "Urgent", "zh": "紧急"},
    # reasons (classification)
    "reason.lead_time.urgent": {
        "en": "requested delivery in {hours} h, under the {threshold} h urgent threshold",
        "zh": "要求交货时间 {hours} 小时，低于紧急阈值 {threshold} 小时",
    },
    "reason.lead_time.special": {
        "en": "requested delivery in {hours} h, under the {threshold} h special threshold",
        "zh": "要求交货时间 {hours} 小时，低于特殊阈值 {threshold} 小时",
    },
    "reason.keyword": {"en": "keyword \"{word}\" in {where}", "zh": "{where}中含关键词“{word}”"},
    "reason.line_stop": {
        "en": "customer production line stop (\"{word}\" in {where})",
        "zh": "客户生产线紧急停机（{where}中含“{word}”）",
    },
    "reason.material_shortage": {
        "en": "raw material shortage (\"{word}\" in {where})",
        "zh": "原料紧急缺货（{where}中含“{word}”）",
    },
    "where.tag": {"en": "tag \"{name}\"", "zh": "标签“{name}”"},
    "where.reference": {"en": "the customer reference", "zh": "客户参考号"},
    "where.note": {"en": "the order note", "zh": "订单备注"},
    "reason.vip": {
        "en": "customer {partner} is in category \"{category}\"",
        "zh": "客户 {partner} 属于“{category}”类别",
    },
    "reason.vip_parent": {
        "en": "parent company {partner} is in category \"{category}\"",
        "zh": "上级公司 {partner} 属于“{category}”类别",
    },
    "reason.big_order": {
        "en": "order amount {amount}, at or above the big-order threshold {threshold}",
        "zh": "订单金额 {amount}，不低于大单阈值 {threshold}",
    },
    "reason.none": {"en": "no urgency signal", "zh": "无紧急信号"},
    "reason.manual": {"en": "tier {tier} set by a user", "zh": "等级“{tier}”由用户手动设定"},
    "reason.manual_cleared": {
        "en": "the tier set by the plugin was changed by a user; the plugin leaves it alone",
        "zh": "插件设定的等级已被用户修改，插件不再更改",
    },
    "reason.no_manager": {
        "en": "deadline passed, but nobody to escalate to (no team leader, no manager configured)",
        "zh": "已超过处理时限，但无人可上报（销售团队无负责人，也未配置经理）",
    },
    "reason.no_director": {
        "en": "second-level deadline passed, but no director configured",
        "zh": "已超过二级上报时限，但未配置上级领导",
    },
    # write reasons
    "write.order": {
        "en": "{tier} order: processing deadline {deadline}",
        "zh": "{tier}订单：处理时限 {deadline}",
    },
    "write.priority_up": {
        "en": "{tier} order {order}: priority raised to urgent",
        "zh": "{tier}订单 {order}：优先级提升为紧急",
    },
    "write.priority_down": {
        "en": "order {order} is no longer urgent: priority set by the plugin back to normal",
        "zh": "订单 {order} 已不再紧急：将插件设定的优先级恢复为普通",
    },
    "write.mo_start": {
        "en": "planned start moved from {old} to {new} to finish by {target}",
        "zh": "计划开始时间由 {old} 提前至 {new}，以便在 {target} 前完工",
    },
    "write.picking_date": {
        "en": "scheduled date moved from {old} to {new} so that the goods arrive by {requested}",
        "zh": "计划发货时间由 {old} 提前至 {new}，以便在 {requested} 前送达",
    },
    # alerts
    "alert.confirm.summary": {"en": "{tier} order {order}", "zh": "{tier}订单 {order}"},
    "alert.confirm.what": {
        "en": "{tier} order {order} ({partner}) must be processed within its {hours} h processing limit.",
        "zh": "{tier}订单 {order}（{partner}）须在 {hours} 小时处理时限内处理完毕。",
    },
    "alert.confirm.todo": {
        "en": "Confirm quantity, items and delivery time with the customer now, then confirm the order; "
              "tell production and logistics.",
        "zh": "请立即与客户确认数量、品种和交货时间，然后确认订单，并通知生产和物流部门。",
    },
    "alert.breach1.summary": {
        "en": "Order {order} missed its processing deadline ({deadline})",
        "zh": "订单 {order} 已超过处理时限（{deadline}）",
    },
    "alert.breach1.what": {
        "en": "{tier} order {order} ({partner}) was not processed by {deadline} ({hours} h limit). "
              "Salesperson: {salesperson}.",
        "zh": "{tier}订单 {order}（{partner}）未在 {deadline} 前处理（时限 {hours} 小时）。销售人员：{salesperson}。",
    },
    "alert.breach1.todo": {
        "en": "Follow up with the salesperson and decide how to handle the order. It goes one level higher at {next}.",
        "zh": "请跟进销售人员并决定处理方案。若在 {next} 前仍未处理，将继续向上级上报。",
    },
    "alert.breach2.summary": {
        "en": "Order {order} still unprocessed: escalated",
        "zh": "订单 {order} 仍未处理：已向上级上报",
    },
    "alert.breach2.what": {
        "en": "{tier} order {order} ({partner}) is still unprocessed at {due}, long past its deadline {deadline}. "
              "Salesperson: {salesperson}.",
        "zh": "{tier}订单 {order}（{partner}）截至 {due} 仍未处理，已远超处理时限 {deadline}。"
              "销售人员：{salesperson}。",
    },
    "alert.breach2.todo": {
        "en": "Please decide on a solution with sales and production.",
        "zh": "请与销售和生产部门商定解决方案。",
    },
    "alert.mo_priority.summary": {
        "en": "MO {mo} prioritised for urgent order {order}",
        "zh": "制造单 {mo} 已为紧急订单 {order} 提升优先级",
    },
    "alert.mo_priority.what": {
        "en": "Manufacturing order {mo} serves urgent order {order} (requested delivery {requested}); "
              "its priority is urgent.",
        "zh": "制造单 {mo} 服务于紧急订单 {order}（要求交货 {requested}），优先级为紧急。",
    },
    "alert.mo_priority.todo": {
        "en": "Adjust the production plan (people, machines, materials) so that it finishes in time.",
        "zh": "请调整生产计划（人员、设备、物料），确保按时完工。",
    },
    "alert.shortage.summary": {
        "en": "Stock shortfall on {order}: {product}",
        "zh": "订单 {order} 库存不足：{product}",
    },
    "alert.shortage.what": {
        "en": "{tier} order {order} needs {ordered} of {product}; only {available} on hand.",
        "zh": "{tier}订单 {order} 需要 {product} {ordered}，现有库存仅 {available}。",
    },
    "alert.shortage.todo": {
        "en": "Check stock and adjust the production plan or purchasing; tell the salesperson.",
        "zh": "请核实库存并调整生产计划或采购，并通知销售人员。",
    },
    "alert.infeasible.summary": {
        "en": "{order} cannot be made in time (MO {mo})",
        "zh": "订单 {order} 无法按时完成（制造单 {mo}）",
    },
    "alert.infeasible.what": {
        "en": "MO {mo} needs {needed} h of production, but only {left} h remain before it must be finished "
              "({requested}: the requested delivery less the delivery buffer): even starting now it will be {late} h "
              "late.",
        "zh": "制造单 {mo} 需生产 {needed} 小时，距最晚完工时间 {requested}（要求交货时间减去交付缓冲）仅剩 {left} 小时："
              "即使立即开工也将延误 {late} 小时。",
    },
    "alert.infeasible.what.passed": {
        "en": "MO {mo} needs {needed} h of production, and the time it had to be finished by, {requested} (the "
              "requested delivery less the delivery buffer), has already passed: even starting now it will be {late} "
              "h late.",
        "zh": "制造单 {mo} 需生产 {needed} 小时，而最晚完工时间 {requested}（要求交货时间减去交付缓冲）已过："
              "即使立即开工也将延误 {late} 小时。",
    },
    "alert.infeasible.todo.salesperson": {
        "en": "Explain the situation to the customer now and agree on a new date or a partial delivery.",
        "zh": "请立即向客户说明情况，商定新的交期或分批交货。",
    },
    "alert.capacity.summary": {
        "en": "{mo} cannot finish by {due} on the work centers' capacity ({order})",
        "zh": "制造单 {mo} 按现有产能无法在 {due} 前完成（订单 {order}）",
    },
    "alert.capacity.what": {
        "en": "With every work center's working hours and the work already planned, the best plan finishes MO {mo} "
              "at {finish}, {late} h after {due} (the requested delivery less the delivery buffer).",
        "zh": "按各工作中心的工作时间和已排的生产，最佳计划下制造单 {mo} 在 {finish} 完成，"
              "比 {due}（要求交货时间减去交付缓冲）晚 {late} 小时。",
    },
    "alert.capacity.overtime": {
        "en": "Overtime that would make it: {items}.",
        "zh": "可赶上交期的加班：{items}。",
    },
    "alert.capacity.overtime_short": {
        "en": "Even with at most {max} h of overtime a day it would not make it: {items}.",
        "zh": "即使每天加班最多 {max} 小时也赶不上：{items}。",
    },
    "alert.capacity.slips": {
        "en": "Or these lower-tier MOs would have to slip: {items}.",
        "zh": "或需推迟以下较低等级的制造单：{items}。",
    },
    "alert.capacity.no_slips": {
        "en": "Moving lower-tier MOs later would not be enough.",
        "zh": "推迟较低等级的制造单也不足以赶上交期。",
    },
    "alert.infeasible.todo.planner": {
        "en": "Tell sales at once, and see whether overtime or re-planning can shorten the delay.",
        "zh": "请立即通知销售，并评估加班或调整计划能否缩短延误。",
    },
    "alert.delivery.summary": {
        "en": "Urgent delivery {picking} for {order}",
        "zh": "紧急发货 {picking}（订单 {order}）",
    },
    "alert.delivery.what": {
        "en": "Delivery {picking} of urgent order {order} ({partner}) has priority; requested delivery {requested}.",
        "zh": "紧急订单 {order}（{partner}）的发货单 {picking} 已设为优先；要求交货时间 {requested}。",
    },
    "alert.delivery.todo": {
        "en": "Arrange transport and route so that the goods arrive in time.",
        "zh": "请安排合适的运输方式和路线，确保货物按时送达。",
    },
    "alert.why": {"en": "Why: {reasons}.", "zh": "原因：{reasons}。"},
    "alert.by_when": {"en": "By when: {phrase}.", "zh": "时限：{phrase}。"},
    "alert.for_you": {"en": "For you as {roles}.", "zh": "您的角色：{roles}。"},
    "alert.for_you.via": {"en": "For you as {roles} (reached through {via}).", "zh": "您的角色：{roles}（经由 {via}）。"},
    "alert.as_role": {"en": "As {role}: {todo}", "zh": "作为{role}：{todo}"},
    "separator": {"en": ": ", "zh": "："},
    # push messages (jobs/notify)
    "push.for": {"en": "For {person}, as {roles}.", "zh": "接收人：{person}（{roles}）。"},
    "push.link": {"en": "Open in Odoo: {url}", "zh": "在 Odoo 中打开：{url}"},
    "push.digest.title": {"en": "odoo-urgency: {count} alerts for {person}", "zh": "odoo-urgency：{person} 的 {count} 条提醒"},
    "push.digest.intro": {
        "en": "Alerts since the last summary (normal-tier, repeated, or more than a burst at once):",
        "zh": "自上次汇总以来的提醒（普通等级、重复或同时过多的提醒）：",
    },
    "and": {"en": " and ", "zh": "、"},
    # deadlines, spoken relative to now: a deadline in the past is never shown as if it were ahead
    "due.confirm.ahead": {"en": "confirm by {due}", "zh": "请在 {due} 前确认"},
    "due.confirm.overdue": {"en": "overdue since {due} — confirm now", "zh": "已于 {due} 逾期——请立即确认"},
    "due.ship.ahead": {"en": "ship by {due}", "zh": "请在 {due} 前发运"},
    "due.ship.overdue": {"en": "overdue since {due} — ship now", "zh": "已于 {due} 逾期——请立即发运"},
    "due.finish.ahead": {"en": "finish by {due}", "zh": "请在 {due} 前完工"},
    "due.finish.overdue": {"en": "overdue since {due} — finish as soon as possible",
                           "zh": "已于 {due} 逾期——请尽快完工"},
    "due.act.ahead": {"en": "act by {due}", "zh": "请在 {due} 前处理"},
    "due.act.overdue": {"en": "overdue since {due} — act now", "zh": "已于 {due} 逾期——请立即处理"},
    "due.deliver.ahead": {"en": "requested delivery {due}", "zh": "要求交货时间 {due}"},
    "due.deliver.overdue": {"en": "the requested delivery {due} has passed — act now",
                            "zh": "要求交货时间 {due} 已过——请立即处理"},
    # roles (routing)
    "role.salesperson": {"en": "salesperson", "zh": "销售人员"},
    "role.team_leader": {"en": "sales team leader", "zh": "销售团队负责人"},
    "role.manager": {"en": "sales manager", "zh": "销售经理"},
    "role.director": {"en": "director", "zh": "上级领导"},
    "role.planner": {"en": "production planner", "zh": "生产计划员"},
    "role.logistics": {"en": "logistics", "zh": "物流"},
    "role.purchasing": {"en": "purchasing", "zh": "采购"},
    "reason.unrouted": {
        "en": "nobody to send the {role} alert to (its routing chain found no active user)",
        "zh": "无人接收{role}提醒（路由链中没有在职用户）",
    },
    "none": {"en": "none", "zh": "无"},
    "unknown": {"en": "unknown", "zh": "未知"},
    "no_date": {"en": "no date", "zh": "无日期"},
}


def text(language: str, key: str, **fields: Any) -> str:
    """The phrase ``key`` in ``language`` (English when missing), with ``fields`` filled in."""
    entry = CATALOGUE[key]
    template = entry.get(language) or entry["en"]
    return template.format(**fields)


def tier_name(language: str, tier: Tier) -> str:
    return text(language, f"tier.{tier.value}")


def hours(value: float) -> str:
    """``20`` → "20", ``2.5`` → "2.5", ``0.333`` → "0.3": one decimal at most."""
    rounded = round(value, 1)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


def amount(value: float) -> str:
    return f"{value:,.2f}"


def quantity(value: float) -> str:
    return f"{value:g}"


def when(value: datetime | None, calendar: CalendarConfig, language: str = "en") -> str:
    """A datetime for people: local time in the configured zone, to the minute, with the zone's name."""
    if value is None:
        return text(language, "no_date")
    local = to_local(value, calendar)
    return f"{local:%Y-%m-%d %H:%M} ({calendar.timezone})"


def short_when(value: datetime, calendar: CalendarConfig) -> str:
    """For summaries: local ``MM-DD HH:MM`` (the note carries the zone)."""
    return f"{to_local(value, calendar):%m-%d %H:%M}"


def due_phrase(language: str, action: str, due: datetime, now: datetime, calendar: CalendarConfig, *,
               short: bool = False) -> str:
    """"confirm by 12-03 05:27" while ``due`` is ahead, "overdue since 12-03 01:27 — confirm now" once it passed."""
    state = "overdue" if due < now else "ahead"
    shown = short_when(due, calendar) if short else when(due, calendar, language)
    return text(language, f"due.{action}.{state}", due=shown)


def role_name(language: str, role: str) -> str:
    return text(language, f"role.{role}")


def joined_roles(language: str, roles: list[str]) -> str:
    return text(language, "and").join(role_name(language, role) for role in roles)


def paragraphs(*lines: str) -> str:
    """Plain sentences as HTML-safe paragraphs for ``mail.activity.note`` (capitalised, ending with a full stop)."""
    out = []
    for line in lines:
        if not line:
            continue
        line = line[:1].upper() + line[1:]
        if not line.endswith((".", "。", "!", "?", "！", "？")):
            line += "。" if not line.isascii() and line[-1:] > "\u2e7f" else "."
        out.append(f"<p>{html.escape(line, quote=False)}</p>")
    return "".join(out)


def joined(items: list[str], language: str = "en") -> str:
    """Reasons in one line (``x_urgency_reason``, notes), with the language's own separator."""
    return ("；" if language == "zh" else "; ").join(items)
