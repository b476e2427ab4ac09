"""What the command line says to a person, in the configured language (``rules.language``: ``en`` or ``zh``).

The texts written into the ERP live in :mod:`policies.i18n`; these are the shell's own words around them, so a
Chinese setup reads Chinese from the ERP to the terminal.
"""

from __future__ import annotations

from typing import Any

PHRASES: dict[str, dict[str, str]] = {
    "because": {"en": "because {reason}", "zh": "原因：{reason}"},
    "set_by_hand": {"en": " (set by hand)", "zh": "（人工设定）"},
    "left_alone": {"en": "left alone: {why}", "zh": "不处理：{why}"},
    "received": {"en": "received {received}, processing deadline {deadline}",
                 "zh": "接单 {received}，处理时限 {deadline}"},
    "processed_at": {"en": "processed at {when}", "zh": "已于 {when} 处理"},
    "not_processed": {"en": "not processed yet", "zh": "尚未处理"},
    "breached": {"en": "{state}; breached: {breached}; escalation level {level}",
                 "zh": "{state}；超时：{breached}；上报级别 {level}"},
    "feasible": {"en": "production/delivery feasible: {answer}", "zh": "生产/交付可按时完成：{answer}"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "NO": {"en": "NO", "zh": "否"},
    "wrote": {"en": "the plugin wrote: {values}", "zh": "插件已写入：{values}"},
    "wrote_on": {"en": "the plugin wrote on {name} ({record}): {values}", "zh": "插件已在 {name}（{record}）写入：{values}"},
    "nothing_yet": {"en": "nothing yet", "zh": "尚无"},
    "no_change": {"en": "it would change nothing now", "zh": "当前无需更改"},
    "would_write": {"en": "would write {record} {values} (now {now})", "zh": "将写入 {record} {values}（当前 {now}）"},
    "would_alert": {"en": "would alert the {role} (user {user}): {summary}", "zh": "将提醒{role}（用户 {user}）：{summary}"},
    "cycle": {"en": "cycle", "zh": "同步周期"},
    "dry_run": {"en": "dry run (nothing written)", "zh": "试运行（未写入任何数据）"},
    "summary": {"en": "{label}: orders {tiers}; writes {writes}; alerts {alerts}; escalations {escalations}; "
                      "errors {errors}; rpc calls {calls}; {seconds} s",
                "zh": "{label}：订单 {tiers}；写入 {writes}；提醒 {alerts}；上报 {escalations}；错误 {errors}；"
                      "RPC 调用 {calls}；{seconds} 秒"},
    "error": {"en": "error: {message}", "zh": "错误：{message}"},
    "deadline_of": {"en": "{order}: {tier} (deadline {deadline})", "zh": "{order}：{tier}（处理时限 {deadline}）"},
    "write": {"en": "write {record} {changes}", "zh": "写入 {record} {changes}"},
    "alert": {"en": "alert {role} (user {user}) on {record}: {summary}",
              "zh": "提醒{role}（用户 {user}）于 {record}：{summary}"},
}


def say(language: str, key: str, **fields: Any) -> str:
    """The phrase ``key`` in ``language`` (English when missing), with ``fields`` filled in."""
    entry = PHRASES[key]
    return (entry.get(language) or entry["en"]).format(**fields)


__all__ = ["PHRASES", "say"]
