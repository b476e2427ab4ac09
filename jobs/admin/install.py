"""``odoo-urgency install`` / ``uninstall``: make urgency visible to ERP users, the way Odoo Studio customises
a database, over the external API.

``install`` creates (or upgrades) custom ``x_`` fields, view extensions of the standard sale views, an activity
type "Urgent order" and the tier tags, each with an ``ir.model.data`` row in the module ``odoo_urgency``, and
stores the plugin's version in ``ir.config_parameter`` ``odoo_urgency.installed_version``. It compares what
exists with what should exist: missing → create, different → write, equal → nothing, so a second run changes
nothing and a newer plugin version upgrades what changed.

``uninstall`` removes exactly the records found through ``ir.model.data`` module ``odoo_urgency``: first the
activities of its activity type, then the views, the fields (their values go with them), the activity type, the
tags, the ``ir.model.data`` rows and the ``odoo_urgency.*`` parameters.

A record that existed before the first install under the same name (a tag "Urgent", a field ``x_urgency`` added
by hand) is adopted, not created: its ``ir.model.data`` row is marked ``noupdate`` and neither install nor
uninstall ever changes or deletes the record itself.

What is installed is read in one place, :mod:`jobs.admin.installed`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from odoo_urgency.connector import AccessError, OdooClient, OdooError, UnknownNameError
from odoo_urgency.jobs.admin import views as spec
from odoo_urgency.jobs.admin.home_install import HomeInstaller
from odoo_urgency.jobs.admin.installed import XmlId, xml_rows
from odoo_urgency.jobs.admin.views import MODULE, PARAM_PREFIX, VERSION_PARAM
from odoo_urgency.jobs.runtime.errors import EXIT_AUTH, JobError
from odoo_urgency.jobs.runtime.version import plugin_version

Out = Callable[[str], None]

#: model → operations ``install`` needs (checked before any change)
INSTALL_RIGHTS: dict[str, tuple[str, ...]] = {
    "ir.model.fields": ("create", "write", "unlink"),
    "ir.ui.view": ("create", "write", "unlink"),
    "ir.model.data": ("create", "write", "unlink"),
    "mail.activity.type": ("create", "write", "unlink"),
    "crm.tag": ("create", "write", "unlink"),
    "ir.config_parameter": ("read", "create", "write", "unlink"),
    "ir.model": ("read", "create"),
    "ir.model.access": ("create", "write", "unlink"),
    "res.groups": ("create", "write"),
}
UNINSTALL_RIGHTS: dict[str, tuple[str, ...]] = {**INSTALL_RIGHTS, "mail.activity": ("unlink",)}


# -- rights --------------------------------------------------------------------------------------------------


def _has_right(client: OdooClient, model: str, operation: str) -> bool:
    try:
        return bool(client.call(model, "check_access_rights", operation, raise_exception=False))
    except UnknownNameError:
        try:  # Odoo 18+ prefers has_access; 19 may drop check_access_rights
            return bool(client.call(model, "has_access", operation))
        except OdooError:
            return False
    except AccessError:
        return False


def check_rights(client: OdooClient, needed: dict[str, tuple[str, ...]], command: str) -> None:
    """Raise :class:`JobError` (exit 3) naming every missing right, before anything is changed."""
    missing: list[str] = []
    for model, operations in needed.items():
        lacking = [op for op in operations if not _has_right(client, model, op)]
        if lacking:
            missing.append(f"{'/'.join(lacking)} on {model}")
    if missing:
        login = client.settings.login
        raise JobError(f"{command} needs an administrator: user {login!r} lacks the right to "
                       f"{'; '.join(missing)} (Settings → Users: give it Administration/Settings)", EXIT_AUTH)


# -- plans ---------------------------------------------------------------------------------------------------


@dataclass
class Step:
    """One record: what is done to it (``create``, ``update``, ``unchanged``, ``remove``, ``keep``) and how."""

    action: str
    kind: str
    label: str
    xml_name: str = ""
    detail: str = ""
    run: Callable[[], None] | None = None

    def line(self, dry_run: bool) -> str:
        verbs = {"create": ("created", "would create"), "update": ("updated", "would update"),
                 "remove": ("removed", "would remove"), "keep": ("kept", "would keep"),
                 "unchanged": ("unchanged", "unchanged"), "skip": ("skipped", "would skip")}
        verb = verbs[self.action][1 if dry_run else 0]
        xml = f" ({MODULE}.{self.xml_name})" if self.xml_name else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{verb} {self.kind} {self.label}{xml}{detail}"


def _canonical_arch(arch: str | bool | None) -> str:
    """Arch text without formatting differences (Odoo may store it re-indented)."""
    if not arch:
        return ""
    try:
        root = ET.fromstring(str(arch))
    except ET.ParseError:
        return str(arch).strip()
    for node in root.iter():
        node.text = (node.text or "").strip() or None
        node.tail = (node.tail or "").strip() or None
    return ET.tostring(root, encoding="unicode")


def _create(client: OdooClient, model: str, values: dict[str, Any]) -> int:
    new_id = client.create(model, values)
    assert isinstance(new_id, int)
    return new_id


def _m2o_id(value: Any) -> int | None:
    if isinstance(value, (list, tuple)) and value:
        return int(value[0])
    return int(value) if value else None


def _default_routing_groups() -> set[str]:
    from odoo_urgency.jobs.daemon.people import group_xmlids
    from odoo_urgency.policies.config import Rules

    return group_xmlids(Rules())


class Installer:
    """Plans and applies ``install`` against one database."""

    def __init__(self, client: OdooClient, *, language: str = "en", version: str | None = None,
                 routing_groups: set[str] | None = None) -> None:
        self.client = client
        #: xml ids of the groups the alert routing names (default rules when not given): recorded for the daemon,
        #: whose user may not look them up
        self.routing_groups = routing_groups if routing_groups is not None else _default_routing_groups()
        self.language = language
        self.version = version or plugin_version()
        self.xml: dict[str, XmlId] = {}

    # -- helpers ------------------------------------------------------------------------------------------

    def _known_fields(self, model: str) -> set[str]:
        try:
            return set(self.client.fields_get(model))
        except OdooError:
            return set()

    def _only_known(self, model: str, values: dict[str, Any]) -> dict[str, Any]:
        known = self._known_fields(model)
        return {k: v for k, v in values.items() if not known or k in known}

    def _bind_xml_id(self, name: str, model: str, res_id: int, *, noupdate: bool = False) -> None:
        current = self.xml.get(name)
        if current is None:
            xid = _create(self.client, "ir.model.data", {"module": MODULE, "name": name, "model": model,
                                                         "res_id": res_id, "noupdate": noupdate})
            self.xml[name] = XmlId(xid, name, model, res_id, noupdate)
        elif current.res_id != res_id or current.model != model or current.noupdate != noupdate:
            self.client.write("ir.model.data", [current.id], {"model": model, "res_id": res_id, "noupdate": noupdate})
            self.xml[name] = XmlId(current.id, name, model, res_id, noupdate)

    def _existing(self, model: str, xml_name: str) -> int | None:
        """The record behind our xml id, if the xml id exists and the record still does."""
        row = self.xml.get(xml_name)
        if row is None or row.model != model or not row.res_id:
            return None
        return row.res_id if self.client.search(model, [("id", "=", row.res_id)],
                                                context={"active_test": False}) else None

    # -- the plan -----------------------------------------------------------------------------------------

    def plan(self) -> list[Step]:
        self.xml = xml_rows(self.client)
        steps: list[Step] = []
        steps += self._plan_fields()
        steps += self._plan_views()
        steps.append(self._plan_activity_type())
        steps += self._plan_tags()
        steps.append(self._plan_version())
        steps += HomeInstaller(self).plan()
        return steps

    def _plan_fields(self) -> list[Step]:
        model_ids, existing, selection_rows = self._read_fields()
        steps: list[Step] = []
        for field_spec in spec.FIELDS:
            label = f"{field_spec.model}.{field_spec.name}"
            if field_spec.model not in model_ids:
                steps.append(Step("skip", "field", label, field_spec.xml_name,
                                  f"the model {field_spec.model} is not installed"))
                continue
            values = self._only_known("ir.model.fields", spec.field_values(field_spec, self.language))
            options = spec.selection_options(field_spec, self.language)
            row = existing.get((field_spec.model, field_spec.name))
            if row is None:
                steps.append(self._create_field_step(field_spec, label, model_ids[field_spec.model], values, options))
            else:
                steps.append(self._existing_field_step(field_spec, label, row, values, options,
                                                       selection_rows.get(int(row["id"]), [])))
        return steps

    def _read_fields(self) -> tuple[dict[str, int], dict[tuple[str, str], dict[str, Any]],
                                    dict[int, list[dict[str, Any]]]]:
        """The models' ids, the fields of the plugin's names that exist, and their selection options."""
        client = self.client
        models = sorted({f.model for f in spec.FIELDS})
        model_ids = {row["model"]: int(row["id"]) for row in
                     client.search_read("ir.model", [("model", "in", models)], ["model"])}
        if "sale.order" not in model_ids:
            raise JobError("the sale app is not installed in this database: install it before odoo-urgency")
        names = sorted({f.name for f in spec.FIELDS})
        wanted_keys = ["name", "model", "ttype", "field_description", "help", "copied", "state", "selection_ids",
                       "tracking"]
        keys = list(self._only_known("ir.model.fields", dict.fromkeys(wanted_keys)))
        existing = {(row["model"], row["name"]): row for row in client.search_read(
            "ir.model.fields", [("model", "in", models), ("name", "in", names)], keys)}
        selection_rows: dict[int, list[dict[str, Any]]] = {}
        selection_field_ids = [int(row["id"]) for row in existing.values() if row.get("ttype") == "selection"]
        if selection_field_ids:
            for option_row in client.search_read("ir.model.fields.selection",
                                                 [("field_id", "in", selection_field_ids)],
                                                 ["field_id", "value", "name", "sequence"], order="sequence, id"):
                selection_rows.setdefault(_m2o_id(option_row["field_id"]) or 0, []).append(option_row)
        return model_ids, existing, selection_rows

    def _existing_field_step(self, field_spec: spec.FieldSpec, label: str, row: dict[str, Any],
                             values: dict[str, Any], options: list[dict[str, Any]],
                             current_options: list[dict[str, Any]]) -> Step:
        fid = int(row["id"])
        if row.get("ttype") != field_spec.ttype:
            raise JobError(f"{label} already exists as a {row.get('ttype')} field, odoo-urgency needs a "
                           f"{field_spec.ttype}: rename or remove that field, then run install again")
        ours = self.xml.get(field_spec.xml_name)
        bound = ours is not None and ours.res_id == fid
        if not bound or (ours is not None and ours.noupdate):
            # a field of that name that install did not create: use it, never change or delete it
            present = {o["value"] for o in current_options}
            lacking = [o["value"] for o in options if o["value"] not in present]
            if lacking:
                raise JobError(f"{label} already exists (not created by odoo-urgency) without the options "
                               f"{', '.join(map(str, lacking))}: add them or remove the field, then run "
                               "install again")
            if bound:
                return Step("unchanged", "field", label, field_spec.xml_name)
            return Step("keep", "field", label, field_spec.xml_name, "existed before install, left as is",
                        run=self._binder(field_spec.xml_name, "ir.model.fields", fid, noupdate=True))
        diff = [k for k, v in values.items() if k not in ("name", "state", "ttype") and k in row and row[k] != v]
        commands = self._selection_commands(current_options, options)
        if commands:
            diff.append("selection")
        if not diff:
            return Step("unchanged", "field", label, field_spec.xml_name)
        update = {k: values[k] for k in diff if k != "selection"}
        if commands:
            update["selection_ids"] = commands
        return Step("update", "field", label, field_spec.xml_name, f"{', '.join(diff)} changed",
                    run=self._writer("ir.model.fields", fid, update))

    def _create_field_step(self, field_spec: spec.FieldSpec, label: str, model_id: int, values: dict[str, Any],
                           options: list[dict[str, Any]]) -> Step:
        create_values = dict(values, model_id=model_id)
        if options:
            create_values["selection_ids"] = [(0, 0, option) for option in options]

        def run() -> None:
            fid = _create(self.client, "ir.model.fields", create_values)
            self._bind_xml_id(field_spec.xml_name, "ir.model.fields", fid)
            self.client.forget_fields(field_spec.model)

        return Step("create", "field", label, field_spec.xml_name, field_spec.ttype, run=run)

    @staticmethod
    def _selection_commands(current: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> list[Any]:
        if not wanted:
            return []
        by_value = {row["value"]: row for row in current}
        commands: list[Any] = []
        for option in wanted:
            row = by_value.pop(option["value"], None)
            if row is None:
                commands.append((0, 0, option))
            elif row.get("name") != option["name"] or int(row.get("sequence") or 0) != option["sequence"]:
                commands.append((1, int(row["id"]), {"name": option["name"], "sequence": option["sequence"]}))
        commands += [(2, int(row["id"])) for row in by_value.values()]
        return commands

    def _plan_views(self) -> list[Step]:
        client = self.client
        views = spec.views(self.language)
        parent_names = sorted({p.split(".", 1)[1] for v in views for p in v.parents})
        parents = {f"{row['module']}.{row['name']}": int(row["res_id"]) for row in client.search_read(
            "ir.model.data", [("module", "=", "sale"), ("model", "=", "ir.ui.view"), ("name", "in", parent_names)],
            ["module", "name", "res_id"])}
        ours = {v.xml_name: self.xml[v.xml_name].res_id for v in views
                if v.xml_name in self.xml and self.xml[v.xml_name].model == "ir.ui.view"}
        current = {int(row["id"]): row for row in client.read(
            "ir.ui.view", sorted(set(ours.values())),
            ["name", "model", "inherit_id", "mode", "priority", "active", "arch_db"])} if ours else {}
        steps: list[Step] = []
        for view in views:
            parent_id = next((parents[p] for p in view.parents if p in parents), None)
            if parent_id is None:
                steps.append(Step("skip", "view", view.name, view.xml_name,
                                  f"none of the standard views {', '.join(view.parents)} is in this database"))
                continue
            values = {"name": view.name, "model": view.model, "inherit_id": parent_id, "mode": "extension",
                      "priority": view.priority, "active": True, "arch": view.arch}
            row = current.get(ours.get(view.xml_name, 0))
            if row is None:
                def run(view: spec.ViewSpec = view, values: dict[str, Any] = values) -> None:
                    vid = _create(self.client, "ir.ui.view", values)
                    self._bind_xml_id(view.xml_name, "ir.ui.view", vid)
                used = next(p for p in view.parents if p in parents)
                steps.append(Step("create", "view", view.name, view.xml_name, f"extends {used}", run=run))
                continue
            diff = []
            if _canonical_arch(row.get("arch_db")) != _canonical_arch(view.arch):
                diff.append("arch")
            if _m2o_id(row.get("inherit_id")) != parent_id:
                diff.append("inherit_id")
            for key in ("name", "model", "mode", "priority", "active"):
                if row.get(key) != values[key]:
                    diff.append(key)
            if not diff:
                steps.append(Step("unchanged", "view", view.name, view.xml_name))
                continue
            update = {("arch" if k == "arch" else k): values[k] for k in diff}
            steps.append(Step("update", "view", view.name, view.xml_name, f"{', '.join(diff)} changed",
                              run=self._writer("ir.ui.view", int(row["id"]), update)))
        return steps

    def _plan_activity_type(self) -> Step:
        values = self._only_known("mail.activity.type", spec.activity_type_values(self.language))
        label = repr(values["name"])
        xml_name = spec.ACTIVITY_TYPE_XML
        rid = self._existing("mail.activity.type", xml_name)
        if rid is None:
            def run() -> None:
                new_id = _create(self.client, "mail.activity.type", values)
                self._bind_xml_id(xml_name, "mail.activity.type", new_id)
            return Step("create", "activity type", label, xml_name, run=run)
        if self.xml[xml_name].noupdate:
            return Step("unchanged", "activity type", label, xml_name)
        row = self.client.read("mail.activity.type", [rid], [*values, "active"])[0]
        want = dict(values, active=True)
        diff = [k for k, v in want.items() if k in row and (row[k] or False) != (v or False)]
        if not diff:
            return Step("unchanged", "activity type", label, xml_name)
        return Step("update", "activity type", label, xml_name, f"{', '.join(diff)} changed",
                    run=self._writer("mail.activity.type", rid, {k: want[k] for k in diff}))

    def _plan_tags(self) -> list[Step]:
        steps: list[Step] = []
        for tier, xml_name in spec.TAG_XML.items():
            values = spec.tag_values(tier, self.language)
            label = repr(values["name"])
            rid = self._existing("crm.tag", xml_name)
            if rid is not None and self.xml[xml_name].noupdate:
                steps.append(Step("unchanged", "tag", label, xml_name))
                continue
            if rid is None:
                same_name = self.client.search("crm.tag", [("name", "=", values["name"])], limit=1)
                if same_name:
                    steps.append(Step("keep", "tag", label, xml_name, "existed before install, left as is",
                                      run=self._binder(xml_name, "crm.tag", int(same_name[0]), noupdate=True)))
                    continue

                def run(values: dict[str, Any] = values, xml_name: str = xml_name) -> None:
                    new_id = _create(self.client, "crm.tag", values)
                    self._bind_xml_id(xml_name, "crm.tag", new_id)
                steps.append(Step("create", "tag", label, xml_name, run=run))
                continue
            row = self.client.read("crm.tag", [rid], list(values))[0]
            diff = [k for k, v in values.items() if row.get(k) != v]
            if not diff:
                steps.append(Step("unchanged", "tag", label, xml_name))
            else:
                steps.append(Step("update", "tag", label, xml_name, f"{', '.join(diff)} changed",
                                  run=self._writer("crm.tag", rid, {k: values[k] for k in diff})))
        return steps

    def _plan_version(self) -> Step:
        rows = self.client.search_read("ir.config_parameter", [("key", "=", VERSION_PARAM)], ["value"], limit=1)
        label = f"{VERSION_PARAM} = {self.version}"
        if not rows:
            def create() -> None:
                _create(self.client, "ir.config_parameter", {"key": VERSION_PARAM, "value": self.version})
            return Step("create", "parameter", label, run=create)
        if rows[0]["value"] == self.version:
            return Step("unchanged", "parameter", label)
        return Step("update", "parameter", label, detail=f"was {rows[0]['value']}",
                    run=self._writer("ir.config_parameter", int(rows[0]["id"]), {"value": self.version}))

    def _writer(self, model: str, rid: int, values: dict[str, Any]) -> Callable[[], None]:
        def run() -> None:
            self.client.write(model, [rid], values)
            if model == "ir.model.fields":
                self.client.forget_fields()
        return run

    def _binder(self, name: str, model: str, rid: int, *, noupdate: bool) -> Callable[[], None]:
        return lambda: self._bind_xml_id(name, model, rid, noupdate=noupdate)


# -- uninstall ----------------------------------------------------------------------------------------------


class Uninstaller:
    def __init__(self, client: OdooClient) -> None:
        self.client = client

    def plan(self) -> list[Step]:
        client = self.client
        rows = xml_rows(client)
        steps: list[Step] = []
        by_model: dict[str, list[XmlId]] = {}
        for row in rows.values():
            by_model.setdefault(row.model, []).append(row)

        def alive(model: str, ids: Iterable[int]) -> set[int]:
            ids = sorted({i for i in ids if i})
            if not ids:
                return set()
            return set(client.search(model, [("id", "in", ids)], context={"active_test": False}))

        activity = rows.get(spec.ACTIVITY_TYPE_XML)
        if activity and not activity.noupdate and alive("mail.activity.type", [activity.res_id]):
            open_ids = client.search("mail.activity", [("activity_type_id", "=", activity.res_id)],
                                     context={"active_test": False})
            if open_ids:
                steps.append(Step("remove", "activities", f"{len(open_ids)} of type 'Urgent order'",
                                  run=self._unlinker("mail.activity", *open_ids)))

        order = [("ir.ui.view", "view"), ("ir.model.fields", "field"), ("mail.activity.type", "activity type"),
                 ("crm.tag", "tag"), ("ir.model", "model"), ("ir.model.access", "access"), ("res.groups", "group")]
        labels = {"ir.model.fields": ("model", "name"), "ir.ui.view": ("name",), "mail.activity.type": ("name",),
                  "crm.tag": ("name",), "ir.model.access": ("name",), "ir.model": ("model",), "res.groups": ("name",)}
        for model, kind in order:
            bound_rows = by_model.get(model, [])
            living = alive(model, (r.res_id for r in bound_rows))
            names: dict[int, str] = {}
            if living:
                for rec in client.read(model, sorted(living), list(labels[model])):
                    names[int(rec["id"])] = ".".join(str(rec[k]) for k in labels[model])
            for row in sorted(bound_rows, key=lambda r: r.id):
                label = names.get(row.res_id, f"#{row.res_id}")
                if row.res_id not in living:
                    steps.append(Step("remove", "xml id", f"{MODULE}.{row.name}", detail="its record is already gone",
                                      run=self._unlinker("ir.model.data", row.id)))
                elif row.noupdate:
                    steps.append(Step("keep", kind, label, row.name, "existed before install; only its xml id goes",
                                      run=self._unlinker("ir.model.data", row.id)))
                else:
                    run = self._model_remover(row.res_id) if model == "ir.model" else self._unlinker(model, row.res_id)
                    steps.append(Step("remove", kind, label, row.name, run=run))
        handled = set().union(*(set(by_model.get(m, [])) for m, _ in order)) if by_model else set()
        for row in rows.values():
            if row not in handled:
                steps.append(Step("remove", "xml id", f"{MODULE}.{row.name}", detail=f"{row.model} #{row.res_id}",
                                  run=self._unlinker("ir.model.data", row.id)))
        steps.append(Step("remove", "xml ids", f"of module {MODULE}", run=self._drop_remaining_xml_ids)
                     if rows else Step("unchanged", "xml ids", f"of module {MODULE}"))
        params = client.search_read("ir.config_parameter", [("key", "=like", PARAM_PREFIX + "%")], ["key"])
        for param in params:
            steps.append(Step("remove", "parameter", param["key"],
                              run=self._unlinker("ir.config_parameter", int(param["id"]))))
        return steps

    def _model_remover(self, model_id: int) -> Callable[[], None]:
        """A custom model goes with its fields, but Odoo 17 (``ir.model.fields._prepare_update``) refuses to drop a
        many2one while a manual one2many is its inverse — even in the same model, even when the whole model goes
        ("The field 'x_urgency_state.x_parent_id' cannot be removed because the field '…x_child_ids' depends on
        it"): its one2many fields go first."""
        def run() -> None:
            inverses = self.client.search("ir.model.fields", [("model_id", "=", model_id), ("ttype", "=", "one2many"),
                                                              ("state", "=", "manual")])
            if inverses:
                self.client.unlink("ir.model.fields", inverses)
            self.client.unlink("ir.model", [model_id])
        return run

    def _unlinker(self, model: str, *ids: int) -> Callable[[], None]:
        def run() -> None:
            self.client.unlink(model, list(ids))
            if model == "ir.model.fields":
                self.client.forget_fields()
        return run

    def _drop_remaining_xml_ids(self) -> None:
        """Odoo deletes a record's ``ir.model.data`` rows with it; remove what is left."""
        left = self.client.search("ir.model.data", [("module", "=", MODULE)])
        if left:
            self.client.unlink("ir.model.data", left)


# -- running -------------------------------------------------------------------------------------------------


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0
    skipped: int = 0
    cancelled: bool = False
    steps: list[Step] = field(default_factory=list)


def _count(steps: list[Step]) -> Result:
    result = Result(steps=steps)
    for step in steps:
        if step.action == "create":
            result.created += 1
        elif step.action == "update":
            result.updated += 1
        elif step.action == "unchanged":
            result.unchanged += 1
        elif step.action == "remove" and step.kind != "xml ids":
            result.removed += 1
        elif step.action == "keep":
            result.kept += 1
        elif step.action == "skip":
            result.skipped += 1
    return result


def _execute(steps: list[Step], *, dry_run: bool, out: Out) -> None:
    for step in steps:
        if step.action in ("unchanged",) or (step.kind == "xml ids" and step.action == "remove"):
            if not dry_run and step.run:
                step.run()
            continue
        if not dry_run and step.run is not None:
            step.run()
        out(step.line(dry_run))


def run_install(client: OdooClient, *, language: str = "en", dry_run: bool = False, version: str | None = None,
                out: Out = print, routing_groups: set[str] | None = None) -> Result:
    """Check rights, plan, apply (unless ``dry_run``), print one line per change and a summary."""
    check_rights(client, INSTALL_RIGHTS, "install")
    installer = Installer(client, language=language, version=version, routing_groups=routing_groups)
    steps = installer.plan()
    result = _count(steps)
    _execute(steps, dry_run=dry_run, out=out)
    summary = f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged"
    if result.kept:
        summary += f", {result.kept} kept as found"
    if result.skipped:
        summary += f", {result.skipped} skipped"
    out(f"dry run, nothing changed: {summary.replace('created', 'to create').replace('updated', 'to update')}"
        if dry_run else summary)
    return result


def run_uninstall(client: OdooClient, *, dry_run: bool = False, confirm: Callable[[], bool] | None = None,
                  out: Out = print) -> Result:
    """Check rights, plan, ask ``confirm`` (unless ``dry_run``), remove, print what was removed."""
    check_rights(client, UNINSTALL_RIGHTS, "uninstall")
    steps = Uninstaller(client).plan()
    result = _count(steps)
    database = client.settings.database
    if not result.removed and not result.kept:
        out(f"nothing to remove: odoo-urgency is not installed in database {database!r}")
        return result
    if not dry_run and confirm is not None and not confirm():
        out("uninstall cancelled: nothing was removed")
        result.cancelled = True
        return result
    _execute(steps, dry_run=dry_run, out=out)
    summary = f"{result.removed} removed" + (f", {result.kept} kept as found" if result.kept else "")
    out(f"dry run, nothing changed: {result.removed} to remove" if dry_run else summary)
    return result
