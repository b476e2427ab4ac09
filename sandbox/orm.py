"""The ORM: Odoo's model methods over the :class:`~sandbox.store.Store`.

:class:`Env` is the environment of one database: the model registry (base fields from
:mod:`sandbox.schema` plus the custom ``x_`` fields recorded in ``ir.model.fields``), the
server clock, authentication, and the transaction that wraps each RPC call. Every RPC call
and every direct call from tests (``sb.env.create(...)``) go through :meth:`Env.call`, so
both stamp ``write_date`` etc. the same way and both are all-or-nothing.

:class:`BaseModel` implements the generic methods (search, read, write, create, unlink,
fields_get, ...) with Odoo 17's signatures — arguments are bound to these Python signatures,
so a wrong keyword fails with the same ``TypeError`` Odoo would raise. Business models
subclass it in :mod:`sandbox.models`. Only methods marked :func:`api_model` /
:func:`api_multi` are callable over RPC; ``api_multi`` ones receive the record ids first.

Values in records are JSON-able: many2one → id or None, many2many → list of ids, dates and
datetimes → Odoo's naive-UTC strings. one2many values are not stored; they are found
through in-memory reverse indexes kept in step with every change (and dropped on rollback).
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import rights, tracking
from .domain import compile_domain, mentions_field
from .faults import (
    AccessDenied,
    MissingError,
    OdooError,
    ServerError,
    UserError,
    ValidationError,
    missing_error,
    value_error,
)
from .schema import MAGIC_FIELDS, X2MANY, Field, ModelInfo, build_models
from .store import Record, Store

DT_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"
LOG_ACCESS = ("create_date", "create_uid", "write_date", "write_uid")
_SKIP = object()
_ORDER_RE = re.compile(r"^\s*([\w.]+)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$", re.I)


def api_model(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a model-level method callable over RPC (Odoo's ``@api.model``)."""
    func._rpc = "model"  # type: ignore[attr-defined]
    return func


def api_multi(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a record-level method callable over RPC: its first argument is the ids."""
    func._rpc = "multi"  # type: ignore[attr-defined]
    return func


def format_datetime(moment: datetime) -> str:
    """Naive UTC ``YYYY-MM-DD HH:MM:SS``, the way Odoo stores and sends datetimes."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime(DT_FORMAT)


def required_error(description: str, model: str, field: Field, name: str) -> ValidationError:
    """Odoo 17's translation of a NOT NULL violation (``fault_validation_required_field``)."""
    return ValidationError(
        "The operation cannot be completed:\n"
        "- Create/update: a mandatory field is not set.\n"
        "- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n"
        f"Model: {description} ({model})\nField: {field.string} ({name})\n"
    )


class Env:
    """One database: registry, clock, credentials and the per-call transaction."""

    def __init__(
        self,
        store: Store,
        now: Callable[[], datetime] | None = None,
        database: str = "odoo",
        purchase: bool = True,
        odoo_version: int = 17,
    ) -> None:
        self.store = store
        self.database = database
        self.purchase = purchase
        #: The Odoo the sandbox plays: 17 (the default) or 19 (stock references, JSON-2).
        self.odoo_version = odoo_version
        self._now = now or (lambda: datetime.now(UTC))
        self._base = build_models(purchase, odoo_version)
        self.models: dict[str, ModelInfo] = {}
        self._indexes: dict[tuple[str, str], dict[int, set[int]]] = {}
        self._depth = 0
        self.call_time = format_datetime(self._now())
        self.uid = rights.ADMIN_ID
        self.refresh_schema()

    # -- clock -------------------------------------------------------------------------
    def now(self) -> datetime:
        """The server clock as a naive UTC datetime."""
        moment = self._now()
        return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment

    # -- registry ----------------------------------------------------------------------
    def refresh_schema(self) -> None:
        """Rebuild the registry: base fields plus the ``state='manual'`` rows of ir.model.fields."""
        from .models import custom_field  # local: models imports orm

        models = {name: ModelInfo(i.description, i.order, i.rec_name, dict(i.fields)) for name, i in self._base.items()}
        ir_model = self.store.table("ir.model")
        for rec in ir_model.values():
            # custom models (Odoo's ``_add_manual_models``): the magic columns plus their ``x_`` fields
            if rec.get("state") == "manual" and rec.get("model") and rec["model"] not in models:
                models[rec["model"]] = ModelInfo(rec.get("name") or rec["model"], "id", None, dict(MAGIC_FIELDS),
                                                 custom=True)
        selections: dict[int, list[Record]] = {}
        for sel in self.store.table("ir.model.fields.selection").values():
            selections.setdefault(sel.get("field_id") or 0, []).append(sel)
        for rec in self.store.table("ir.model.fields").values():
            if rec.get("state") != "manual":
                continue
            model = (ir_model.get(rec.get("model_id") or 0) or {}).get("model") or rec.get("model")
            if model in models:
                models[model].fields[rec["name"]] = custom_field(rec, selections.get(rec["id"], []))
        for info in models.values():
            if info.custom and "x_name" in info.fields:
                info.rec_name = "x_name"
        self.models = models

    def fields(self, model: str) -> dict[str, Field]:
        return self.models[model].fields

    def model(
        self, name: str, uid: int | None = None, context: dict[str, Any] | None = None, trusted: bool = True
    ) -> BaseModel:
        """A model bound to a user (default admin) — the object methods are called on."""
        from .models import model_class

        if name not in self.models:
            raise UserError(f"Object {name} doesn't exist")
        return model_class(name)(self, name, rights.ADMIN_ID if uid is None else uid, context or {}, trusted)

    # -- transactions ------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing unit (one per RPC call), serialised by the store lock."""
        with self.store.lock:
            outer = self._depth == 0
            if outer:
                self.call_time = format_datetime(self._now())
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self.store.rollback()
                    self._indexes.clear()
                    self.refresh_schema()
                raise
            self._depth -= 1
            if outer:
                self.store.commit()

    def run_unseen(self, seconds: float, func: Callable[[], Any]) -> Any:
        """Run ``func`` in one transaction whose changes other calls see only ``seconds`` later (the fault
        ``commit_late``): it is written through at once, then its records show their old values (or are absent)
        until a timer puts the new ones back, as a PostgreSQL transaction still open would."""
        with self.store.lock:
            with self.transaction():
                result = func()
                before = self.store.journal()
            after = {key: copy.deepcopy(self.store.table(key[0]).get(key[1])) for key in before}
            self._show(before)
        timer = threading.Timer(seconds, self._reveal, [after])
        timer.daemon = True
        timer.start()
        return result

    def _show(self, values: dict[tuple[str, int], Record | None]) -> None:
        for (model, rid), rec in values.items():
            if rec is None:
                self.store.table(model).pop(rid, None)
            else:
                self.store.table(model)[rid] = rec
        self._indexes.clear()

    def _reveal(self, values: dict[tuple[str, int], Record | None]) -> None:
        with self.store.lock:
            self._show(values)

    def call(
        self,
        uid: int,
        model: str,
        method: str,
        args: list[Any] | tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
        trusted: bool = False,
    ) -> Any:
        """Run one object method the way Odoo's ``execute_kw`` does, in its own transaction."""
        kwargs = dict(kwargs or {})
        context = kwargs.pop("context", None) or {}
        with self.transaction():
            recs = self.model(model, uid, context if isinstance(context, dict) else {}, trusted)
            if method.startswith("_"):
                raise rights.AccessError(f"Private methods (such as {method}) cannot be called remotely.")
            func = getattr(recs, method, None)
            kind = getattr(func, "_rpc", None)
            if func is None or kind is None:
                raise ServerError(
                    f"The method '{method}' does not exist on the model '{model}'", "builtins.AttributeError"
                )
            args = list(args)
            if kind == "multi":
                if not args:
                    raise ServerError(
                        f"{type(recs).__name__}.{method}() missing 1 required positional argument: 'ids'",
                        "builtins.TypeError",
                    )
                ids, args = args[0], args[1:]
                args = [_as_ids(ids), *args]
            try:
                inspect.signature(func).bind(*args, **kwargs)
            except TypeError as exc:
                raise ServerError(f"BaseModel.{method}() {exc}", "builtins.TypeError") from None
            return func(*args, **kwargs)

    # -- direct access for tests and the demo (same code paths as RPC, admin by default) ---
    def create(
        self,
        model: str,
        vals: dict[str, Any] | list[dict[str, Any]],
        uid: int = rights.ADMIN_ID,
        context: dict[str, Any] | None = None,
    ) -> Any:
        """Like RPC ``create``; trusted: ``id``/``create_date``/``write_date`` may be given (test data)."""
        return self.call(uid, model, "create", [vals], {"context": context or {}}, trusted=True)

    def write(self, model: str, ids: list[int] | int, vals: dict[str, Any], uid: int = rights.ADMIN_ID) -> bool:
        return bool(self.call(uid, model, "write", [ids, vals], trusted=True))

    def unlink(self, model: str, ids: list[int] | int, uid: int = rights.ADMIN_ID) -> bool:
        return bool(self.call(uid, model, "unlink", [ids], trusted=True))

    def read(
        self, model: str, ids: list[int] | int, fields: list[str] | None = None, uid: int = rights.ADMIN_ID
    ) -> list[dict[str, Any]]:
        return list(self.call(uid, model, "read", [ids, fields], trusted=True))

    def search(
        self, model: str, domain: list[Any] | None = None, uid: int = rights.ADMIN_ID, **kwargs: Any
    ) -> list[int]:
        return list(self.call(uid, model, "search", [domain or []], kwargs, trusted=True))

    def search_count(self, model: str, domain: list[Any] | None = None, uid: int = rights.ADMIN_ID) -> int:
        return int(self.call(uid, model, "search_count", [domain or []], trusted=True))

    def search_read(
        self,
        model: str,
        domain: list[Any] | None = None,
        fields: list[str] | None = None,
        uid: int = rights.ADMIN_ID,
        **kwargs: Any,
    ) -> list[dict[str, Any]]:
        return list(self.call(uid, model, "search_read", [domain or [], fields], kwargs, trusted=True))

    def fields_get(self, model: str, attributes: list[str] | None = None) -> dict[str, Any]:
        return dict(self.call(rights.ADMIN_ID, model, "fields_get", [], {"attributes": attributes}, trusted=True))

    # -- users -------------------------------------------------------------------------
    def user_group_ids(self, uid: int) -> set[int]:
        """The user's groups and every group they imply (Odoo keeps that closure in ``res_groups_users_rel``)."""
        user = self.store.table("res.users").get(uid)
        if not user:
            return set()
        groups = self.store.table("res.groups")
        todo = [g for g in user.get("groups_id") or [] if g in groups]
        found: set[int] = set()
        while todo:
            gid = todo.pop()
            if gid not in found and gid in groups:
                found.add(gid)
                todo.extend(groups[gid].get("implied_ids") or [])
        return found

    def group_xml_ids(self) -> dict[int, str]:
        """Group id → its xml id (the base groups carry theirs; the rest are found in ``ir.model.data``)."""
        groups = self.store.table("res.groups")
        names = {gid: rec["xml_id"] for gid, rec in groups.items() if rec.get("xml_id")}
        data = self.store.table("ir.model.data")
        by_model: dict[Any, set[int]] = self.index("ir.model.data", "model")
        for did in by_model.get("res.groups", set()):
            row = data[did]
            names.setdefault(int(row.get("res_id") or 0), f"{row.get('module')}.{row.get('name')}")
        return names

    def user_groups(self, uid: int) -> set[str]:
        names = self.group_xml_ids()
        return {names.get(gid, "") for gid in self.user_group_ids(uid)} - {""}

    def allowed(self, uid: int, model: str, operation: str) -> bool:
        """Odoo 17's ``ir.model.access.check``: the superuser may do anything; a custom model grants exactly what
        its ``ir.model.access`` rows say (no row: nobody, administrators included); the standard models follow
        :mod:`sandbox.rights`."""
        if uid == rights.SUPERUSER_ID:
            return True
        info = self.models.get(model)
        if info is None or not info.custom:
            return rights.allowed(self.user_groups(uid), uid, model, operation)
        return bool(self.access_groups(model, operation) & (self.user_group_ids(uid) | {0}))

    def access_groups(self, model: str, operation: str) -> set[int]:
        """The groups (0 for "every user") whose ``ir.model.access`` rows allow ``operation`` on ``model``."""
        model_ids = {rid for rid, rec in self.store.table("ir.model").items() if rec.get("model") == model}
        return {int(row.get("group_id") or 0) for row in self.store.table("ir.model.access").values()
                if row.get("model_id") in model_ids and row.get(f"perm_{operation}") and row.get("active", True)}

    def access_error(self, model: str, operation: str) -> OdooError:
        info = self.models[model]
        if not info.custom:
            return rights.access_error(model, info.description, operation)
        groups = self.store.table("res.groups")
        names = sorted(str(groups[g].get("full_name") or groups[g].get("name")) for g in
                       self.access_groups(model, operation) if g in groups)
        return rights.custom_access_error(model, info.description, operation, names)

    def rule_domain(self, uid: int, model: str) -> list[Any] | None:
        """The record rules that apply to ``uid`` on ``model`` (None: none restrict it)."""
        if uid == rights.SUPERUSER_ID:
            return None
        return rights.rule_domain(self.user_groups(uid), uid, model)

    def check_credentials(self, uid: Any, password: Any) -> bool:
        """Password or API key of an active user; OdooBot (no password) never logs in."""
        user = self.store.table("res.users").get(uid) if isinstance(uid, int) else None
        if not user or not user.get("active") or not isinstance(password, str) or not password:
            return False
        if user.get("password") and user.get("password") == password:
            return True
        return self.store.meta.get("api_keys", {}).get(password) == uid

    def authenticate(self, login: Any, password: Any) -> int | bool:
        for user in self.store.table("res.users").values():
            if user.get("login") == login and user.get("active"):
                return user["id"] if self.check_credentials(user["id"], password) else False
        return False

    def check_uid(self, uid: Any, password: Any) -> None:
        if not self.check_credentials(uid, password):
            raise AccessDenied()

    def add_api_key(self, uid: int, key: str) -> None:
        """Register an API key (usable instead of the password over RPC)."""
        with self.transaction():
            self.store.set_meta("api_keys", {**self.store.meta.get("api_keys", {}), key: uid})

    # -- sequences ---------------------------------------------------------------------
    def next_sequence(self, code: str, prefix: str, padding: int = 5) -> str:
        seqs = dict(self.store.meta.get("seq", {}))
        seqs[code] = seqs.get(code, 0) + 1
        self.store.set_meta("seq", seqs)
        return f"{prefix}{seqs[code]:0{padding}d}"

    # -- record access helpers (used by domains and reads) ------------------------------
    def index(self, model: str, field: str) -> dict[int, set[int]]:
        """Reverse index ``value of model.field → ids`` (built lazily, kept up to date)."""
        key = (model, field)
        idx = self._indexes.get(key)
        if idx is None:
            idx = {}
            for rid, rec in self.store.table(model).items():
                value = rec.get(field)
                if value:
                    idx.setdefault(value, set()).add(rid)
            self._indexes[key] = idx
        return idx

    def reindex(self, model: str, rid: int, old: Record | None, new: Record | None) -> None:
        for (m, f), idx in self._indexes.items():
            if m != model:
                continue
            before = old.get(f) if old else None
            after = new.get(f) if new else None
            if before == after and old is not None and new is not None:
                continue
            if before:
                idx.get(before, set()).discard(rid)
            if after:
                idx.setdefault(after, set()).add(rid)

    def x2many_ids(self, model: str, name: str, rec: Record) -> list[int]:
        field = self.fields(model)[name]
        if field.computed:
            from .models import compute

            return list(compute(self, model, name, rec) or [])
        if field.type == "many2many":
            return list(rec.get(name) or [])
        if not field.inverse or field.relation not in self.models:
            return []
        ids = self.index(field.relation, field.inverse).get(rec["id"], set())
        if field.relation == "mail.activity":
            table = self.store.table("mail.activity")
            return sorted(i for i in ids if table[i].get("res_model") == model)
        return sorted(ids)

    def value_getter(self, model: str, name: str) -> Callable[[Record], Any]:
        field = self.fields(model)[name]
        if field.computed and not field.store:
            from .models import compute

            return lambda rec: compute(self, model, name, rec)
        return lambda rec: rec.get(name)

    def display_name(self, model: str, rec: Record | None) -> str:
        from .models import display_name

        return display_name(self, model, rec) if rec else ""


def _as_ids(ids: Any) -> list[int]:
    if isinstance(ids, bool) or ids is None:
        return []
    if isinstance(ids, int):
        return [ids]
    return [int(i) for i in ids]


class BaseModel:
    """Generic Odoo 17 model methods, bound to a model name, a user and a context."""

    _defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, env: Env, name: str, uid: int, context: dict[str, Any], trusted: bool) -> None:
        self.env = env
        self._name = name
        self.uid = uid
        self.context = context
        self.trusted = trusted

    # -- helpers -------------------------------------------------------------------------
    @property
    def _fields(self) -> dict[str, Field]:
        return self.env.fields(self._name)

    @property
    def _info(self) -> ModelInfo:
        return self.env.models[self._name]

    @property
    def _table(self) -> dict[int, Record]:
        return self.env.store.table(self._name)

    def _check(self, operation: str) -> None:
        if not self.env.allowed(self.uid, self._name, operation):
            raise self.env.access_error(self._name, operation)

    def _check_rules(self, ids: list[int], operation: str) -> None:
        """Odoo's ``check_access_rule``: records that exist but that the user's record rules hide are refused."""
        domain = self.env.rule_domain(self.uid, self._name)
        if domain is None:
            return
        match = compile_domain(self.env, self._name, domain)
        if any(i in self._table and not match(self._table[i]) for i in ids):
            raise rights.rule_error(self._name, self._info.description, operation)

    def _existing(self, ids: list[int]) -> list[int]:
        missing = [i for i in ids if i not in self._table]
        if missing:
            raise missing_error(self._name, missing, self.uid)
        return ids

    def _sudo(self, model: str) -> BaseModel:
        return self.env.model(model, rights.SUPERUSER_ID, self.context, trusted=True)

    def _now(self) -> str:
        return self.env.call_time

    # -- model methods -------------------------------------------------------------------
    @api_model
    def check_access_rights(self, operation: str, raise_exception: bool = True) -> bool:
        if operation not in rights.ALL_OPS:
            raise value_error(f"Invalid access mode {operation!r}")
        ok = self.env.allowed(self.uid, self._name, operation)
        if not ok and raise_exception:
            raise self.env.access_error(self._name, operation)
        return ok

    @api_model
    def fields_get(self, allfields: list[str] | None = None, attributes: list[str] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, field in self._fields.items():
            if allfields and name not in allfields:
                continue
            desc = field.describe()
            if attributes:
                desc = {k: v for k, v in desc.items() if k in attributes}
            out[name] = desc
        return out

    @api_model
    def search(
        self, domain: list[Any], offset: int = 0, limit: int | None = None, order: str | None = None
    ) -> list[int]:
        self._check("read")
        return [r["id"] for r in self._search(domain, offset, limit, order)]

    @api_model
    def search_count(self, domain: list[Any], limit: int | None = None) -> int:
        self._check("read")
        return len(self._search(domain, 0, limit, "id"))

    @api_model
    def search_read(
        self,
        domain: list[Any] | None = None,
        fields: list[str] | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        load: str = "_classic_read",
    ) -> list[dict[str, Any]]:
        self._check("read")
        records = self._search(domain or [], offset, limit, order)
        return self._read_records(records, fields, load)

    @api_model
    def name_search(
        self, name: str = "", args: list[Any] | None = None, operator: str = "ilike", limit: int = 100
    ) -> list[list[Any]]:
        self._check("read")
        recs = self._search(args or [], 0, None, None)
        if name:
            from .domain import like_regex

            if operator in ("=", "!="):
                recs = [r for r in recs if (self.env.display_name(self._name, r) == name) == (operator == "=")]
            else:
                regex = like_regex(name, operator)
                negative = operator.startswith("not ")
                recs = [r for r in recs if bool(regex.match(self.env.display_name(self._name, r))) != negative]
        return [[r["id"], self.env.display_name(self._name, r)] for r in recs[:limit]]

    @api_model
    def default_get(self, fields_list: list[str]) -> dict[str, Any]:
        values = self._default_values({})
        return {k: v for k, v in values.items() if k in fields_list}

    @api_model
    def create(self, vals_list: dict[str, Any] | list[dict[str, Any]]) -> int | list[int]:
        self._check("create")
        if isinstance(vals_list, dict):
            return self._create_one(vals_list)
        return [self._create_one(vals) for vals in vals_list]

    @api_model
    def load(self, fields: list[str], data: list[list[Any]]) -> dict[str, Any]:
        """Odoo's import (``BaseModel.load``), in the form bulk writers use: a ``.id`` column naming existing
        records by database id, the other columns plain fields given as strings. Rows without ``.id`` create
        records. As in Odoo, values are converted from text (datetimes from the context's ``tz`` to UTC,
        selections by value or label), and any error rolls the whole import back: the answer is then
        ``{"ids": False, "messages": [...]}`` instead of a fault."""
        self._check("write")
        messages: list[dict[str, Any]] = []
        prepared: list[tuple[int | None, dict[str, Any]]] = []
        for index, row in enumerate(data):
            rid: int | None = None
            values: dict[str, Any] = {}
            for name, cell in zip(fields, row, strict=False):
                try:
                    if name == ".id":
                        rid = int(cell) if str(cell).strip() else None
                        if rid is not None and rid not in self._table:
                            raise ValueError(f"Unknown database identifier '{cell}'")
                        continue
                    if name not in self._fields:
                        # Odoo 17 does not report an unknown column as a message: the import itself fails.
                        raise ServerError(f"KeyError: {name!r}", "builtins.KeyError")
                    values[name] = self._from_text(name, cell)
                except (ValueError, TypeError) as exc:
                    messages.append({"type": "error", "message": str(exc), "record": index, "field": name,
                                     "rows": {"from": index, "to": index}})
            prepared.append((rid, values))
        if messages:
            return {"ids": False, "messages": messages, "nextrow": 0}
        ids: list[int] = []
        for rid, values in prepared:
            if rid is None:
                ids.append(self._create_one(values))
            else:
                self._write([rid], values)
                ids.append(rid)
        return {"ids": ids, "messages": [], "nextrow": 0}

    def _from_text(self, name: str, cell: Any) -> Any:
        """An import cell (text) → a write value, the way Odoo's ``ir.fields.converter`` reads it."""
        field = self._fields[name]
        text = "" if cell is None or cell is False else str(cell)
        if text == "":
            return False
        kind = field.type
        if kind == "boolean":
            return text.strip().lower() not in ("0", "false", "no", "off")
        if kind == "integer":
            return int(text)
        if kind in ("float", "monetary"):
            return float(text)
        if kind == "selection":
            for key, label in field.selection or ():
                if text in (key, label):
                    return key
            raise ValueError(f"Value '{text}' not found in selection field '{field.string}'")
        if kind == "datetime":
            try:
                moment = datetime.strptime(text[:19], DT_FORMAT if len(text) > 10 else DATE_FORMAT)
            except ValueError:
                raise ValueError(f"'{text}' does not seem to be a valid datetime for field '{field.string}'") from None
            tz = self.context.get("tz") or "UTC"
            try:
                zone = ZoneInfo(str(tz))
            except (ZoneInfoNotFoundError, ValueError):
                zone = ZoneInfo("UTC")
            return format_datetime(moment.replace(tzinfo=zone))
        if kind in X2MANY or kind == "many2one":
            raise ValueError(f"relational column {name!r} is not supported by this import")
        return text

    # -- record methods ------------------------------------------------------------------
    @api_multi
    def read(
        self, ids: list[int], fields: list[str] | None = None, load: str = "_classic_read"
    ) -> list[dict[str, Any]]:
        self._check("read")
        self._check_rules(ids, "read")
        records = [self._table[i] for i in ids if i in self._table]
        return self._read_records(records, fields, load)

    @api_multi
    def exists(self, ids: list[int]) -> list[int]:
        return [i for i in ids if i in self._table]

    @api_multi
    def write(self, ids: list[int], vals: dict[str, Any]) -> bool:
        self._check("write")
        for name in vals:
            if name not in self._fields:
                raise value_error(f"Invalid field {name!r} on model {self._name!r}")
        self._existing(ids)
        self._check_rules(ids, "write")
        self._write(ids, vals)
        return True

    @api_multi
    def unlink(self, ids: list[int]) -> bool:
        """As in Odoo: deleting a record that is already gone is a no-op (``test_access_deleted_records`` in Odoo's
        own ORM tests, "Re-deleting should be a no-op") — two clients may delete the same row; writing one fails."""
        self._check("unlink")
        ids = [i for i in ids if i in self._table]
        self._check_rules(ids, "unlink")
        self._before_unlink(ids)
        for rid in ids:
            if rid in self._table:
                self._delete(rid)
        return True

    # -- searching -----------------------------------------------------------------------
    def _search(
        self, domain: list[Any], offset: int = 0, limit: int | None = None, order: str | None = None
    ) -> list[Record]:
        if not isinstance(domain, list | tuple):
            raise value_error(f"Invalid domain {domain!r}")
        match = compile_domain(self.env, self._name, domain)
        rule = self.env.rule_domain(self.uid, self._name)
        if rule is not None:
            visible, wanted = compile_domain(self.env, self._name, rule), match

            def match(rec: Record) -> bool:
                return bool(visible(rec)) and bool(wanted(rec))

        active_filter = (
            "active" in self._fields and self.context.get("active_test", True) and not mentions_field(domain, "active")
        )
        records = [r for r in self._table.values() if (not active_filter or r.get("active", True)) and match(r)]
        records = self._sort(records, order or self._info.order, strict=bool(order))
        offset = int(offset or 0)
        if limit:
            return records[offset : offset + int(limit)]
        return records[offset:] if offset else records

    def _sort(self, records: list[Record], order: str, strict: bool) -> list[Record]:
        specs: list[tuple[Callable[[Record], Any], bool, bool]] = []
        for part in order.split(","):
            if not part.strip():
                continue
            m = _ORDER_RE.match(part)
            if not m:
                raise value_error(
                    f'Invalid "order" specified ({order}). A valid "order" specification is a comma-separated '
                    "list of valid field names (optionally followed by asc/desc for the direction)"
                )
            name, direction, nulls = m.group(1), (m.group(2) or "asc").lower(), (m.group(3) or "").lower()
            field = self._fields.get(name)
            if field is None or field.type in X2MANY:
                if strict and field is None:
                    raise value_error(f"Invalid field {name!r} on model {self._name!r}")
                continue
            desc = direction == "desc"
            nulls_first = nulls == "first" if nulls else desc
            specs.append((self._sort_key(name, field), desc, nulls_first))
        if not specs:
            return sorted(records, key=lambda r: r["id"])
        for key, desc, nulls_first in reversed(specs):

            def full_key(
                rec: Record, key: Callable[[Record], Any] = key, desc: bool = desc, nulls_first: bool = nulls_first
            ) -> tuple[int, Any]:
                value = key(rec)
                if value is None or value is False and not isinstance(value, bool):
                    return ((0 if nulls_first else 2) if not desc else (2 if nulls_first else 0), 0)
                return (1, value)

            records.sort(key=full_key, reverse=desc)
        return records

    def _sort_key(self, name: str, field: Field) -> Callable[[Record], Any]:
        if name == "id":
            return lambda r: r["id"]
        getter = self.env.value_getter(self._name, name)
        if field.type == "many2one":
            table = self.env.store.table(field.relation or "")
            return lambda r: (
                (self.env.display_name(field.relation or "", table.get(getter(r))) or None) if getter(r) else None
            )
        if field.type == "boolean":
            return lambda r: bool(getter(r))
        return lambda r: (
            None if getter(r) in (None, "") and field.type not in ("integer", "float", "monetary") else getter(r)
        )

    # -- reading -------------------------------------------------------------------------
    def _read_records(self, records: list[Record], fields: list[str] | None, load: str) -> list[dict[str, Any]]:
        names = list(fields) if fields else list(self._fields)
        for name in names:
            if name not in self._fields:
                raise value_error(f"Invalid field {name!r} on model {self._name!r}")
        if "id" not in names:
            names.insert(0, "id")
        readers = {name: self._reader(name, load) for name in names}
        return [{name: reader(rec) for name, reader in readers.items()} for rec in records]

    def _reader(self, name: str, load: str) -> Callable[[Record], Any]:
        field = self._fields[name]
        env = self.env
        if name == "id":
            return lambda r: r["id"]
        getter = env.value_getter(self._name, name)
        if field.type == "many2one":
            comodel = field.relation or ""
            table = env.store.table(comodel)

            def many2one(r: Record) -> Any:
                value = getter(r)
                if not value or value not in table:
                    return False
                return value if load == "_classic_write" else [value, env.display_name(comodel, table[value])]

            return many2one
        if field.type in X2MANY:
            return lambda r: env.x2many_ids(self._name, name, r)
        if field.type == "integer":
            return lambda r: getter(r) or 0
        if field.type in ("float", "monetary"):
            return lambda r: float(getter(r) or 0.0)
        if field.type == "boolean":
            return lambda r: bool(getter(r))
        if field.type == "many2one_reference":
            return lambda r: getter(r) or 0
        return lambda r: False if getter(r) is None or getter(r) == "" and field.type != "char" else getter(r)

    # -- writing -------------------------------------------------------------------------
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        """Defaults for fields missing from ``vals`` (subclasses add dynamic ones)."""
        return {k: v for k, v in self._defaults.items() if k not in vals}

    def _convert(self, name: str, value: Any) -> Any:
        """Value as written → value as stored; raises Odoo's errors for bad values."""
        field = self._fields[name]
        if field.computed or (name in ("id", "create_uid", "write_uid") and not self.trusted):
            return _SKIP
        if name in LOG_ACCESS and not self.trusted:
            return _SKIP
        kind = field.type
        if kind == "boolean":
            return bool(value)
        if kind == "integer":
            return int(value or 0)
        if kind in ("float", "monetary"):
            return float(value or 0.0)
        if kind == "many2one_reference":
            return int(value) if value else None
        if value is None or value is False:
            return None
        if kind in ("char", "text", "html"):
            return str(value)
        if kind == "selection":
            keys = {k for k, _ in field.selection or ()}
            if value not in keys and not (self._name == "mail.activity.type" and name == "res_model"):
                raise value_error(f"Wrong value for {self._name}.{name}: {value!r}")
            return value
        if kind == "date":
            return _parse_date(str(value))
        if kind == "datetime":
            return _parse_datetime(value)
        if kind == "many2one":
            rid = value[0] if isinstance(value, list | tuple) else value
            if not isinstance(rid, int) or isinstance(rid, bool):
                raise value_error(f"Wrong value for {self._name}.{name}: {value!r}")
            if field.relation in self.env.models and rid not in self.env.store.table(field.relation or ""):
                raise ValidationError(
                    "The operation cannot be completed: another model requires the record being deleted. "
                    "If possible, archive it instead.\n\n"
                    f"Model: {self._info.description} ({self._name}), Field: {field.string} ({name})"
                )
            return rid
        return value

    def _check_required(self, rec: Record, names: list[str] | None = None) -> None:
        for name in names if names is not None else list(self._fields):
            field = self._fields.get(name)
            if field is None or not field.required or field.type in X2MANY or (field.computed and not field.store):
                continue
            if rec.get(name) is None:
                raise required_error(self._info.description, self._name, field, name)

    def _create_one(self, vals: dict[str, Any]) -> int:
        if not isinstance(vals, dict):
            raise value_error(f"Invalid values {vals!r} for {self._name}.create()")
        for name in vals:
            if name not in self._fields:
                raise value_error(f"Invalid field {name!r} on model {self._name!r}")
        vals = {**self._default_values(vals), **vals}
        store = self.env.store
        forced = vals.get("id") if self.trusted and isinstance(vals.get("id"), int) else None
        if forced is not None:
            store.bump_id(self._name, forced)
        rid = forced or store.next_id(self._name)
        rec: Record = {"id": rid}
        converted, x2many = self._split({k: v for k, v in vals.items() if k != "id"})
        rec.update(converted)
        rec.setdefault("create_date", self._now())
        rec.setdefault(
            "write_date",
            rec["create_date"] if self.trusted and "create_date" in vals and "write_date" not in vals else self._now(),
        )
        rec.setdefault("create_uid", self.uid)
        rec.setdefault("write_uid", self.uid)
        if "active" in self._fields and rec.get("active") is None:
            rec["active"] = True
        self._prepare_create(rec)
        self._check_required(rec)
        store.put(self._name, rid, rec)
        self.env.reindex(self._name, rid, None, rec)
        for name, commands in x2many.items():
            self._apply_x2many(rid, name, commands)
        self._after_create(rid, vals)
        return rid

    def _split(self, vals: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Values as written → (stored values, x2many commands applied after the record exists)."""
        converted: dict[str, Any] = {}
        x2many: dict[str, Any] = {}
        for name, value in vals.items():
            field = self._fields[name]
            if field.type in X2MANY and not field.computed:
                x2many[name] = value
                continue
            result = self._convert(name, value)
            if result is not _SKIP:
                converted[name] = result
        return converted, x2many

    def _write(self, ids: list[int], vals: dict[str, Any]) -> None:
        """Write without the rights/unknown-field checks (internal use and after them)."""
        converted, x2many = self._split(vals)
        tracked = tracking.tracked_fields(self) if converted else {}
        for rid in ids:
            old = dict(self._table[rid])
            rec = self.env.store.touch(self._name, rid)
            rec.update(converted)
            if not (self.trusted and "write_date" in converted):
                rec["write_date"] = self._now()
            rec["write_uid"] = self.uid
            self._prepare_write(rec, old, converted)
            self._check_required(rec, list(converted))
            self.env.reindex(self._name, rid, old, rec)
            for name, commands in x2many.items():
                self._apply_x2many(rid, name, commands)
            if tracked:
                tracking.track(self, rid, old, rec, tracked)
        self._after_write(ids, vals)

    def _delete(self, rid: int) -> None:
        old = self._table.get(rid)
        self.env.store.delete(self._name, rid)
        self.env.reindex(self._name, rid, old, None)
        self._drop_many2many_links(rid)

    def _drop_many2many_links(self, rid: int) -> None:
        """As PostgreSQL's ON DELETE CASCADE on the relation tables: a deleted record leaves no many2many link."""
        for model in self.env.models:
            for name, field in self.env.fields(model).items():
                if field.type != "many2many" or field.relation != self._name or field.computed:
                    continue
                for other_id, record in list(self.env.store.table(model).items()):
                    if rid in (record.get(name) or []):
                        updated = self.env.store.touch(model, other_id)
                        updated[name] = [i for i in updated[name] if i != rid]

    def _apply_x2many(self, rid: int, name: str, commands: Any) -> None:
        """Odoo's x2many commands (0..6), or a plain list of ids (replace, Odoo 17)."""
        field = self._fields[name]
        comodel = self._sudo(field.relation or "") if field.relation in self.env.models else None
        if commands is False or commands is None:
            commands = [(5, 0, 0)]
        if not isinstance(commands, list | tuple):
            raise value_error(f"Wrong value for {self._name}.{name}: {commands!r}")
        if commands and all(isinstance(c, int) and not isinstance(c, bool) for c in commands):
            commands = [(6, 0, list(commands))]
        current = self.env.x2many_ids(self._name, name, self._table[rid])
        result = list(current)
        inverse_vals = self._inverse_values(name, rid)
        for command in commands:
            if not isinstance(command, list | tuple) or not command:
                raise value_error(f"Wrong value for {self._name}.{name}: {command!r}")
            code = command[0]
            arg1 = command[1] if len(command) > 1 else 0
            arg2: Any = command[2] if len(command) > 2 else 0
            if code == 0:
                if comodel is None:
                    continue
                new_vals = dict(arg2 or {})
                new_vals.update(inverse_vals)
                result.append(int(comodel.create(new_vals)))  # type: ignore[arg-type]  # one dict → one id
            elif code == 1 and comodel is not None:
                comodel.write([arg1], dict(arg2 or {}))
            elif code == 2:
                if comodel is not None and arg1 in comodel._table:
                    comodel.unlink([arg1])
                result = [i for i in result if i != arg1]
            elif code == 3:
                result = [i for i in result if i != arg1]
            elif code == 4:
                if arg1 not in result:
                    result.append(arg1)
            elif code == 5:
                result = []
            elif code == 6:
                result = [int(i) for i in (arg2 or [])]
            else:
                raise value_error(f"Wrong value for {self._name}.{name}: {command!r}")
        if field.type == "many2many":
            rec = self.env.store.touch(self._name, rid)
            seen: list[int] = []
            for i in result:
                if i not in seen:
                    seen.append(i)
            rec[name] = seen
        elif comodel is not None and field.inverse:
            for gone in set(current) - set(result):
                if gone in comodel._table:
                    inv = comodel._fields[field.inverse]
                    if inv.required or field.inverse == "res_id":
                        comodel.unlink([gone])
                    else:
                        comodel._write([gone], {field.inverse: False})
            for added in set(result) - set(current):
                if added in comodel._table:
                    comodel._write([added], inverse_vals)

    def _inverse_values(self, name: str, rid: int) -> dict[str, Any]:
        field = self._fields[name]
        if field.type != "one2many" or not field.inverse:
            return {}
        values: dict[str, Any] = {field.inverse: rid}
        if field.relation == "mail.activity":
            values["res_model_id"] = self.env.model("ir.model").search([("model", "=", self._name)], limit=1)[0]
        return values

    # -- hooks for business models -------------------------------------------------------
    def _prepare_create(self, rec: Record) -> None:
        """Fill derived values of a new record before the required check."""

    def _after_create(self, rid: int, vals: dict[str, Any]) -> None:
        """React to a created record (recompute dependents...)."""

    def _prepare_write(self, rec: Record, old: Record, vals: dict[str, Any]) -> None:
        """Adjust a record being written (``vals`` holds converted values)."""

    def _after_write(self, ids: list[int], vals: dict[str, Any]) -> None:
        """React to written records."""

    def _before_unlink(self, ids: list[int]) -> None:
        """Refuse or cascade before records are deleted."""


def _parse_date(value: str) -> str:
    try:
        return datetime.strptime(value[:10], DATE_FORMAT).strftime(DATE_FORMAT)
    except ValueError as exc:
        raise value_error(str(exc)) from None


def _parse_datetime(value: Any) -> str:
    if isinstance(value, datetime):
        return format_datetime(value)
    text = str(value)
    try:
        if len(text) == 10:
            return datetime.strptime(text, DATE_FORMAT).strftime(DT_FORMAT)
        return datetime.strptime(text[:19], DT_FORMAT).strftime(DT_FORMAT)
    except ValueError as exc:
        raise value_error(str(exc)) from None


__all__ = [
    "AccessDenied",
    "BaseModel",
    "Env",
    "MissingError",
    "OdooError",
    "api_model",
    "api_multi",
    "format_datetime",
]
