"""Chatter tracking: Odoo's ``mail.tracking.value`` for the fields a model tracks.

In Odoo a field declared ``tracking=True`` (or a custom field whose ``ir.model.fields.tracking`` is set) on a
``mail.thread`` model leaves, on every write that changes it, one ``mail.message`` (``message_type``
``notification``, the writing user's partner as author, in the same transaction) with one ``mail.tracking.value``
per changed field: the field (``field_id``), the old and the new value in the column of its type
(``old_value_char`` / ``_text`` / ``_datetime`` / ``_integer`` / ``_float``; a selection by its *label* in
``old_value_char``, as Odoo 17's ``_create_tracking_values`` stores it). The plugin reads them after its own
writes to see what each write replaced (issue 19). Served here for the custom fields that ask for it; the
standard fields the plugin writes on MOs and transfers are not tracked in Odoo 17, and are not here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .schema import Field, ModelInfo

if TYPE_CHECKING:
    from .orm import BaseModel

MODEL = "mail.tracking.value"
#: the mail.thread models whose custom fields may be tracked
THREADS = frozenset({"sale.order", "mrp.production", "stock.picking", "purchase.order"})
_COLUMN = {"integer": "integer", "float": "float", "monetary": "float", "char": "char", "text": "text",
           "datetime": "datetime", "date": "datetime", "boolean": "integer", "selection": "char", "html": "text"}


def _f(type_: str, string: str, **kw: object) -> Field:
    return Field(type_, string, **kw)  # type: ignore[arg-type]


FIELDS: dict[str, Field] = {
    "field_id": _f("many2one", "Field", relation="ir.model.fields", readonly=True),
    "mail_message_id": _f("many2one", "Message ID", relation="mail.message", required=True),
    "currency_id": _f("many2one", "Currency", relation="res.currency", readonly=True),
    **{f"{age}_value_{kind}": _f(kind, f"{age.title()} Value {kind.title()}", readonly=True)
       for age in ("old", "new") for kind in ("integer", "float", "char", "text", "datetime")},
}
MODEL_INFO = {MODEL: ModelInfo("Mail Tracking Value", "id DESC", "field_id", {})}


def tracked_fields(model: BaseModel) -> dict[str, int]:
    """Field name → its ``ir.model.fields`` id, for the custom fields of ``model`` that ask to be tracked."""
    if model._name not in THREADS:
        return {}
    rows = model.env.store.table("ir.model.fields").values()
    return {str(row["name"]): int(row["id"]) for row in rows
            if row.get("model") == model._name and row.get("tracking") and row.get("state") == "manual"}


def _as_tracked(field: Field, value: Any) -> Any:
    if field.type == "selection":
        return dict(field.selection or ()).get(value, value) if value else ""
    if field.type == "boolean":
        return int(bool(value))
    return value if value not in (None, "") else False


def track(model: BaseModel, rid: int, old: dict[str, Any], new: dict[str, Any], tracked: dict[str, int]) -> None:
    """Record the changes of the tracked fields of one written record, as Odoo's ``_message_track`` does."""
    changed = [name for name in tracked if name in new and old.get(name) != new.get(name)]
    if not changed:
        return
    user = model.env.store.table("res.users").get(model.uid) or {}
    message = model._sudo("mail.message").create({
        "model": model._name, "res_id": rid, "message_type": "notification", "body": "",
        "author_id": user.get("partner_id"), "date": model._now(),
    })
    for name in changed:
        field = model._fields[name]
        column = _COLUMN.get(field.type, "char")
        model._sudo(MODEL).create({
            "field_id": tracked[name], "mail_message_id": message,
            f"old_value_{column}": _as_tracked(field, old.get(name)),
            f"new_value_{column}": _as_tracked(field, new.get(name)),
        })
