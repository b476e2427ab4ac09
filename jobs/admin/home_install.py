"""``install``'s part for least privilege: the daemon's home (:mod:`jobs.admin.home`), its group and access rows,
the ``config`` record the daemon reads at run time, and the move of an older version's state out of
``ir.config_parameter``.

Each part is a :class:`~jobs.admin.install.Step` like the fields and views, planned against what exists, so a
second ``install`` changes nothing. What the steps need from records created earlier in the same run (the model,
the group, the activity type) is looked up when the step runs, not when it is planned.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from odoo_urgency.connector import OdooClient
from odoo_urgency.jobs.admin import home
from odoo_urgency.jobs.admin import views as spec
from odoo_urgency.jobs.admin.installed import ALERT_MODELS

if TYPE_CHECKING:
    from odoo_urgency.jobs.admin.install import Installer, Step


def xml_res_ids(client: OdooClient, xml_ids: list[str]) -> dict[str, int]:
    """Record ids behind fully qualified xml ids (administrators only: ``ir.model.data``)."""
    wanted = [x.split(".", 1) for x in xml_ids]
    rows = client.search_read("ir.model.data", [("module", "in", sorted({m for m, _ in wanted})),
                                                ("name", "in", sorted({n for _, n in wanted}))],
                              ["module", "name", "res_id"])
    found = {f"{row['module']}.{row['name']}": int(row["res_id"]) for row in rows}
    return {x: found[x] for x in xml_ids if x in found}


class HomeInstaller:
    """Plans the home's steps for one :class:`Installer` (it shares its client, xml ids and binder)."""

    def __init__(self, installer: Installer) -> None:
        self.installer = installer
        self.client = installer.client

    def plan(self) -> list[Step]:
        steps = [self._plan_model(), self._plan_group()]
        steps += self._plan_access()
        steps.append(self._plan_config())
        steps += self._plan_migration()
        return steps

    # -- the model ---------------------------------------------------------------------------------------

    def model_id(self) -> int | None:
        rows = self.client.search_read("ir.model", [("model", "=", home.STATE_MODEL)], ["id"], limit=1)
        return int(rows[0]["id"]) if rows else None

    def _plan_model(self) -> Step:
        from odoo_urgency.jobs.admin.install import Step

        label = home.STATE_MODEL
        mid = self.model_id()
        present: set[str] = set()
        if mid is not None:
            present = {row["name"] for row in self.client.search_read(
                "ir.model.fields", [("model_id", "=", mid), ("name", "in", [f.name for f in home.HOME_FIELDS])],
                ["name"])}
        missing = [f for f in home.HOME_FIELDS if f.name not in present]
        if mid is not None and not missing:
            return Step("unchanged", "model", label, home.STATE_MODEL_XML)

        def run() -> None:
            model_id = self.model_id()
            if model_id is None:
                model_id = self.client.create_one("ir.model", {"name": home.STATE_MODEL_NAME,
                                                               "model": home.STATE_MODEL, "state": "manual"})
                self.installer._bind_xml_id(home.STATE_MODEL_XML, "ir.model", model_id)
            for wanted in missing:
                values: dict[str, Any] = {"name": wanted.name, "model_id": model_id, "ttype": wanted.ttype,
                                          "field_description": wanted.label, "state": "manual"}
                if wanted.relation:
                    values["relation"] = wanted.relation
                if wanted.relation_field:
                    values["relation_field"] = wanted.relation_field
                if wanted.ttype == "many2one":
                    values["on_delete"] = "cascade"
                self.client.create("ir.model.fields", values)
            self.client.forget_fields(home.STATE_MODEL)

        if mid is None:
            return Step("create", "model", label, home.STATE_MODEL_XML,
                        "the daemon's state: writing it clears no cache, only its group may use it", run=run)
        return Step("update", "model", label, home.STATE_MODEL_XML,
                    f"adds {', '.join(f.name for f in missing)}", run=run)

    # -- the group and its access ------------------------------------------------------------------------

    def needed_group_ids(self) -> list[int]:
        ids = xml_res_ids(self.client, [g.xml_id for g in home.NEEDED_GROUPS])
        return sorted(ids.values())

    def _plan_group(self) -> Step:
        from odoo_urgency.jobs.admin.install import Step

        label = repr(home.GROUP_NAME)
        implied = self.needed_group_ids()
        values = {"name": home.GROUP_NAME, "comment": home.GROUP_COMMENT, "implied_ids": [(6, 0, implied)]}
        gid = self.installer._existing("res.groups", home.GROUP_XML)
        if gid is None:
            def run() -> None:
                new_id = self.client.create_one("res.groups", values)
                self.installer._bind_xml_id(home.GROUP_XML, "res.groups", new_id)
            return Step("create", "group", label, home.GROUP_XML, "implies exactly what the daemon needs", run=run)
        row = self.client.read("res.groups", [gid], ["name", "implied_ids"])[0]
        if row.get("name") == home.GROUP_NAME and sorted(row.get("implied_ids") or []) == implied:
            return Step("unchanged", "group", label, home.GROUP_XML)
        return Step("update", "group", label, home.GROUP_XML, "implied groups changed",
                    run=self.installer._writer("res.groups", gid, values))

    def _plan_access(self) -> list[Step]:
        from odoo_urgency.jobs.admin.install import Step

        steps: list[Step] = []
        for xml_name, group_xml in home.ACCESS_ROWS.items():
            if self.installer._existing("ir.model.access", xml_name) is not None:
                steps.append(Step("unchanged", "access", f"{home.STATE_MODEL} for {group_xml}", xml_name))
                continue
            steps.append(Step("create", "access", f"{home.STATE_MODEL} for {group_xml}", xml_name,
                              "read, write, create, delete", run=self._access_creator(xml_name, group_xml)))
        return steps

    def _access_creator(self, xml_name: str, group_xml: str) -> Callable[[], None]:
        def run() -> None:
            if group_xml == f"{spec.MODULE}.{home.GROUP_XML}":
                group_id = self.installer.xml[home.GROUP_XML].res_id
            else:
                group_id = xml_res_ids(self.client, [group_xml])[group_xml]
            rid = self.client.create_one("ir.model.access", {
                "name": xml_name, "model_id": self.model_id(), "group_id": group_id, "perm_read": True,
                "perm_write": True, "perm_create": True, "perm_unlink": True})
            # Odoo 16-17's ir.model.access.create clears the ACL cache *before* inserting, and its own rights
            # check then caches the rights without the new row in that worker: the model stays forbidden there
            # until the next clear. A write of the same row clears again once the row exists.
            self.client.write("ir.model.access", [rid], {"perm_read": True})
            self.installer._bind_xml_id(xml_name, "ir.model.access", rid)
        return run

    # -- what the daemon reads at run time ---------------------------------------------------------------

    def config_values(self) -> dict[str, Any]:
        """Everything the daemon would otherwise look up through ``ir.model.data`` / ``ir.model``."""
        xml = self.installer.xml
        models = {row["model"]: int(row["id"]) for row in self.client.search_read(
            "ir.model", [("model", "in", list(ALERT_MODELS))], ["model"])}
        todo = xml_res_ids(self.client, ["mail.mail_activity_data_todo"])
        activity = xml.get(spec.ACTIVITY_TYPE_XML)
        return {
            "version": self.installer.version,
            "activity_type_id": activity.res_id if activity else todo.get("mail.mail_activity_data_todo"),
            "model_ids": models,
            "tag_ids": {tier: xml[name].res_id for tier, name in spec.TAG_XML.items() if name in xml},
            "group_id": xml[home.GROUP_XML].res_id if home.GROUP_XML in xml else None,
            # the groups the alert routing names (rules.routing), so the daemon needs no ir.model.data for them
            "group_ids": xml_res_ids(self.client, sorted(self.installer.routing_groups)),
            # the plugin's fields Odoo tracks, so the daemon can see what one of its writes replaced
            "tracked_fields": self._tracked_fields(),
        }

    def _tracked_fields(self) -> dict[str, dict[str, int]]:
        wanted = [f for f in spec.FIELDS if f.tracked]
        rows = self.client.search_read("ir.model.fields", [("model", "in", sorted({f.model for f in wanted})),
                                                           ("name", "in", sorted({f.name for f in wanted}))],
                                       ["model", "name"])
        found: dict[str, dict[str, int]] = {}
        for row in rows:
            found.setdefault(str(row["model"]), {})[str(row["name"])] = int(row["id"])
        return found

    def _home_rows(self) -> dict[str, dict[str, Any]]:
        if self.model_id() is None:
            return {}
        rows = self.client.search_read(home.STATE_MODEL, [], ["x_name", "x_value", "x_parent_id"], order="id")
        found: dict[str, dict[str, Any]] = {}
        for row in rows:
            found.setdefault(str(row["x_name"]), row)
        return found

    def _plan_config(self) -> Step:
        from odoo_urgency.jobs.admin.install import Step

        rows = self._home_rows()
        config = rows.get(home.CONFIG_KEY)
        try:
            current = json.loads(config["x_value"]) if config and config.get("x_value") else None
        except ValueError:
            current = None
        if config is not None and home.STATE_KEY in rows and current == self._planned_config(current):
            return Step("unchanged", "state home", "config and state records")

        def run() -> None:
            value = json.dumps(self.config_values(), sort_keys=True)
            found = self._home_rows()
            anchor = found.get(home.CONFIG_KEY)
            if anchor is None:
                config_id = self.client.create_one(home.STATE_MODEL, {"x_name": home.CONFIG_KEY, "x_value": value})
            else:
                config_id = int(anchor["id"])
                self.client.write(home.STATE_MODEL, [config_id], {"x_value": value})
            if home.STATE_KEY not in found:
                self.client.create(home.STATE_MODEL, {"x_name": home.STATE_KEY, "x_value": "{}",
                                                      "x_parent_id": config_id})

        action = "create" if config is None else "update"
        return Step(action, "state home", "config and state records",
                    detail="what the daemon finds at run time, without ir.model.data", run=run)

    def _planned_config(self, current: dict[str, Any] | None) -> dict[str, Any] | None:
        """The config as it would be written now, when every record it names already exists (else None)."""
        if current is None or home.GROUP_XML not in self.installer.xml or self.model_id() is None:
            return None
        return self.config_values()

    # -- upgrade: the state of an older version ----------------------------------------------------------

    def _plan_migration(self) -> list[Step]:
        from odoo_urgency.jobs.admin.install import Step

        params = self.client.search_read("ir.config_parameter", [("key", "in", list(home.LEGACY_PARAMS))],
                                         ["key", "value"])
        steps: list[Step] = []
        for param in params:
            key = home.LEGACY_PARAMS[param["key"]]
            steps.append(Step("update", "state", f"{param['key']} -> {home.STATE_MODEL} {key!r}",
                              detail="moved off ir.config_parameter (whose writes clear every worker's caches)",
                              run=self._mover(int(param["id"]), key, str(param["value"] or ""))))
        return steps

    def _mover(self, param_id: int, key: str, value: str) -> Callable[[], None]:
        def run() -> None:
            found = self._home_rows()
            config_id = int(found[home.CONFIG_KEY]["id"])
            row = found.get(key)
            if row is None:
                self.client.create(home.STATE_MODEL, {"x_name": key, "x_value": value, "x_parent_id": config_id})
            elif not row.get("x_value") or row["x_value"] == "{}":
                # the empty state install just made: the older version's cursor and lease replace it
                self.client.write(home.STATE_MODEL, [int(row["id"])], {"x_value": value})
            # A daemon of the older version still running loses its lease with the parameter (its next renewal
            # finds the row gone) and stops; the new one finds the lease where the old one left it.
            self.client.unlink("ir.config_parameter", [param_id])
        return run
