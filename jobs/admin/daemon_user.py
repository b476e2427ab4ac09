"""The daemon's user: which groups it has, lacks, and has without needing them; and ``install --daemon-user``,
which creates that user (or checks an existing one) in the group "Urgency daemon".

Groups are asked with ``res.users.has_group`` (by xml id, resolved by the server), which any user may call about
itself: the daemon's user never needs ``ir.model.data`` to learn what it may do. Its signature changed: on 16 and 17
it is ``@api.model`` (``has_group(group_ext_id)``, always about the caller: ids passed over RPC land in
``group_ext_id``), from 18 a record method (``has_group([uid], group_ext_id)``). About another user on 16/17 (an
administrator's ``install --daemon-user``) the user's ``groups_id`` is matched against ``ir.model.data``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from odoo_urgency.connector import OdooClient, OdooError, UnknownNameError
from odoo_urgency.jobs.admin import home
from odoo_urgency.jobs.admin import views as spec
from odoo_urgency.jobs.runtime.errors import JobError

Out = Callable[[str], None]


@dataclass
class GroupReport:
    has: list[home.NeededGroup] = field(default_factory=list)
    lacks: list[home.NeededGroup] = field(default_factory=list)
    #: xml id → why the daemon does not need it
    unneeded: dict[str, str] = field(default_factory=dict)
    #: "own documents only": record rules hide the orders of other salespeople from this user
    own_documents_only: bool = False
    in_daemon_group: bool = False


def _app_installed(client: OdooClient, model: str | None) -> bool:
    if model is None:
        return True
    try:
        client.fields_get(model)
    except UnknownNameError:
        return False
    except OdooError:
        return True  # installed, but not readable by this user: the group report says why
    return True


def _membership(client: OdooClient, uid: int) -> Callable[[str], bool]:
    """``has(xml_id)`` for ``uid``, the way this server's ``has_group`` can answer it (see the module's doc)."""
    if client.major_version >= 18:
        return lambda xml_id: bool(client.call("res.users", "has_group", [uid], group_ext_id=xml_id))
    if uid == client.uid:
        return lambda xml_id: bool(client.call("res.users", "has_group", xml_id))
    users = client.read("res.users", [uid], [groups_field(client)])
    held = set(users[0].get(groups_field(client)) or []) if users else set()

    def has(xml_id: str) -> bool:
        module, _, name = xml_id.partition(".")
        rows = client.search_read("ir.model.data", [("module", "=", module), ("name", "=", name),
                                                    ("model", "=", "res.groups")], ["res_id"], limit=1)
        return bool(rows) and int(rows[0]["res_id"]) in held
    return has


def group_report(client: OdooClient, uid: int) -> GroupReport:
    """What ``uid`` holds of the groups the daemon needs, and of the powerful ones it should not hold."""
    has = _membership(client, uid)
    report = GroupReport()
    for group in home.NEEDED_GROUPS:
        if not _app_installed(client, group.app_model):
            continue
        (report.has if has(group.xml_id) else report.lacks).append(group)
    report.unneeded = {xml_id: why for xml_id, why in home.UNNEEDED_GROUPS.items() if has(xml_id)}
    report.own_documents_only = has(home.OWN_DOCUMENTS_GROUP) and not has(home.ALL_DOCUMENTS_GROUP)
    report.in_daemon_group = has(f"{spec.MODULE}.{home.GROUP_XML}")
    return report


def groups_field(client: OdooClient) -> str:
    """``groups_id`` (16-18) or ``group_ids`` (19)."""
    return "group_ids" if "group_ids" in client.fields_get("res.users") else "groups_id"


def ensure_daemon_user(client: OdooClient, login: str, *, dry_run: bool, out: Out = print,
                       email: str | None = None) -> GroupReport | None:
    """Create ``login`` in "Urgency daemon" (or add an existing user to it), then report its groups and print how
    to make its API key. Never removes a group a person gave the user: it says what the daemon does not need.

    ``email``: the user's address. Odoo refuses the activities a user without one creates for others ("configure
    the sender's email address"), so a daemon user without it cannot alert anyone: set on a new user, or on an
    existing one that has none (an address a person gave is never replaced); a warning when there is none."""
    group = client.search_read("ir.model.data", [("module", "=", spec.MODULE), ("name", "=", home.GROUP_XML)],
                               ["res_id"], limit=1)
    if not group:
        if dry_run:
            out(f"would create user {login!r} in group {home.GROUP_NAME!r} (created by this install)")
            return None
        raise JobError(f"the group {home.GROUP_NAME!r} is missing: run `odoo-urgency install` first")
    gid = int(group[0]["res_id"])
    rel = groups_field(client)
    users = client.search_read("res.users", [("login", "=", login)], ["name", "active", rel],
                               context={"active_test": False}, limit=1)
    if not users:
        if dry_run:
            out(f"would create user {login!r} in group {home.GROUP_NAME!r}")
            return None
        uid = client.create_one("res.users", {"name": f"{home.GROUP_NAME} ({login})", "login": login,
                                              rel: [(6, 0, [gid])], **({"email": email} if email else {})})
        out(f"created user {login!r} (uid {uid}) in group {home.GROUP_NAME!r}"
            + (f" with e-mail {email}" if email else ""))
    else:
        uid = int(users[0]["id"])
        if not users[0].get("active"):
            raise JobError(f"user {login!r} is archived: unarchive it in Settings > Users, then run install again")
        if gid in (users[0].get(rel) or []):
            out(f"user {login!r} (uid {uid}) is in group {home.GROUP_NAME!r}")
        elif dry_run:
            out(f"would add user {login!r} (uid {uid}) to group {home.GROUP_NAME!r}")
        else:
            client.write("res.users", [uid], {rel: [(4, gid)]})
            out(f"added user {login!r} (uid {uid}) to group {home.GROUP_NAME!r}")
    _ensure_email(client, uid, login, email, dry_run=dry_run, out=out)
    report = group_report(client, uid)
    for line in describe(report, login):
        out(line)
    for line in home.API_KEY_STEPS:
        out(line.format(login=login))
    return report


def _ensure_email(client: OdooClient, uid: int, login: str, email: str | None, *, dry_run: bool, out: Out) -> None:
    current = (client.read("res.users", [uid], ["email"]) or [{}])[0].get("email") or ""
    if current:
        if email and email != current:
            out(f"user {login!r} keeps its e-mail {current} (not replaced by {email})")
        return
    if not email:
        out(f"warning: user {login!r} has no e-mail address: Odoo refuses the alerts it creates for others; "
            "run install again with --email ADDRESS")
    elif dry_run:
        out(f"would set the e-mail of user {login!r} to {email}")
    else:
        client.write("res.users", [uid], {"email": email})
        out(f"set the e-mail of user {login!r} to {email}")


def describe(report: GroupReport, login: str) -> list[str]:
    """One line per group fact: what the user has, lacks, and has without the daemon needing it."""
    lines = [f"user {login!r} has {g.label} ({g.xml_id}): {g.why}" for g in report.has]
    lines += [f"user {login!r} LACKS {g.label} ({g.xml_id}): needed for {g.why}" for g in report.lacks]
    lines += [f"warning: user {login!r} has {xml_id}: {why}" for xml_id, why in report.unneeded.items()]
    if report.own_documents_only:
        lines.append(f"user {login!r} sees its own sale orders only (Sales / User: Own Documents Only): record rules "
                     "hide the others, so the daemon would classify a part of the orders; give it "
                     "Sales / User: All Documents")
    return lines
