"""Business behaviour of what the monthly report needs: currency rates, Discuss channels, posted messages.

What Odoo 17's ``base``, ``mail``, ``sale`` and ``purchase`` do *as far as the report can see it over RPC*:

- ``res.currency.rate`` rows (a date, a rate per unit of the company's currency, optionally per company);
  ``res.currency.rate`` (the non-stored ``rate`` field) is the latest rate on or before today divided by the main
  company currency's own, as Odoo normalises it;
- ``sale.order`` / ``purchase.order`` store ``currency_rate``: the order currency's rate over the company
  currency's on the order date (``res.currency._get_conversion_rate``), recomputed when the currency, the company
  or the order date changes;
- ``message_post`` on Discuss channels and contacts (``mail.thread``): returns the new ``mail.message`` id (Odoo's
  ``@api.returns`` turns the record into its id over RPC); ``body`` is plain text and escaped unless
  ``body_is_html``; ``attachments`` as ``[(name, content)]`` become ``ir.attachment`` rows on the thread linked to
  the message; the subtype defaults to ``mail.mt_note``; the author is the calling user's partner;
- a Discuss channel is a ``channel`` unless said otherwise.
"""

from __future__ import annotations

import base64
import html
import mimetypes
from typing import Any

from .faults import value_error
from .orm import BaseModel, Env, api_multi
from .store import Record

SUBTYPES = ((1, "Discussions", "mail.mt_comment", False), (2, "Note", "mail.mt_note", True))
MAIN_COMPANY = 1
THREADS = frozenset({"discuss.channel", "res.partner"})
RATED = frozenset({"sale.order", "purchase.order"})
#: (id, name, code, sequence prefix, xml id) of the main warehouse's operation types
PICKING_TYPES = ((1, "Receipts", "incoming", "IN", "stock.picking_type_in"),
                 (2, "Delivery Orders", "outgoing", "OUT", "stock.picking_type_out"),
                 (3, "Internal Transfers", "internal", "INT", "stock.picking_type_internal"),
                 (4, "Manufacturing", "mrp_operation", "MO", "mrp.picking_type_manufacturing"))


def rate_on(env: Env, currency_id: int | None, company_id: int | None, day: str) -> float:
    """The currency's latest rate on or before ``day`` (``YYYY-MM-DD``), the company's own rows first; 1.0 without
    any (Odoo's default)."""
    rows = [
        r for r in env.store.table("res.currency.rate").values()
        if r.get("currency_id") == currency_id and str(r.get("name") or "") <= day
        and r.get("company_id") in (company_id, None)
    ]
    rows.sort(key=lambda r: (str(r.get("name")), r.get("company_id") is not None))
    return float(rows[-1].get("rate") or 1.0) if rows else 1.0


def conversion_rate(env: Env, company_id: int | None, currency_id: int | None, day: str) -> float:
    """Units of ``currency_id`` per unit of the company's currency on ``day``."""
    company = env.store.table("res.company").get(company_id or MAIN_COMPANY) or {}
    base = company.get("currency_id")
    if not currency_id or currency_id == base:
        return 1.0
    return rate_on(env, currency_id, company_id, day) / rate_on(env, base, company_id, day)


def compute(env: Env, model: str, name: str, rec: Record) -> Any:
    if model == "res.currency" and name == "rate":
        return conversion_rate(env, MAIN_COMPANY, rec["id"], env.now().strftime("%Y-%m-%d"))
    return None


def load(env: Env, _create: Any) -> None:
    """Base data: the message subtypes (with their xml ids) and the #general channel; ``_create(env, model, vals,
    xmlid)`` is base_data's record maker."""
    for sid, name, xmlid, internal in SUBTYPES:
        _create(env, "mail.message.subtype", {"id": sid, "name": name, "internal": internal}, xmlid)
    _create(env, "discuss.channel", {"id": 1, "name": "general", "channel_type": "channel"},
            "mail.channel_all_employees")
    _create(env, "stock.warehouse", {"id": 1, "name": "San Francisco", "code": "WH", "company_id": MAIN_COMPANY},
            "stock.warehouse0")
    for tid, name, code, prefix, xmlid in PICKING_TYPES:
        _create(env, "stock.picking.type", {"id": tid, "name": name, "code": code, "sequence_code": prefix,
                                            "warehouse_id": 1, "company_id": MAIN_COMPANY}, xmlid)


def display_name(env: Env, model: str, rec: Record) -> str | None:
    """``stock.picking.type`` is named after its warehouse, as in Odoo: "San Francisco: Delivery Orders"."""
    if model != "stock.picking.type":
        return None
    warehouse = env.store.table("stock.warehouse").get(rec.get("warehouse_id") or 0)
    return f"{warehouse['name']}: {rec.get('name')}" if warehouse else str(rec.get("name") or "")


class CurrencyRated(BaseModel):
    """Stores ``currency_rate`` on the order, as Odoo's ``_compute_currency_rate``."""

    def _rate(self, rec: Record) -> float:
        day = str(rec.get("date_order") or self._now())[:10]
        return conversion_rate(self.env, rec.get("company_id"), rec.get("currency_id"), day)

    def _prepare_create(self, rec: Record) -> None:
        super()._prepare_create(rec)
        rec["currency_rate"] = self._rate(rec)

    def _prepare_write(self, rec: Record, old: Record, vals: dict[str, Any]) -> None:
        super()._prepare_write(rec, old, vals)
        if {"currency_id", "company_id", "date_order"} & set(vals):
            rec["currency_rate"] = self._rate(rec)


class Thread(BaseModel):
    """``mail.thread``'s ``message_post``, the way an RPC client reaches it."""

    @api_multi
    def message_post(self, ids: list[int], *, body: str = "", subject: str | None = None,
                     message_type: str = "notification", email_from: str | None = None,
                     author_id: int | None = None, parent_id: int | bool = False, subtype_xmlid: str | None = None,
                     subtype_id: int | bool = False, partner_ids: list[int] | None = None,
                     attachments: list[Any] | None = None, attachment_ids: list[int] | None = None,
                     body_is_html: bool = False, **kwargs: Any) -> int:
        self._check("read")
        if len(ids) != 1:
            raise value_error(f"Expected singleton: {self._name}{tuple(ids)}")
        rid = self._existing(ids)[0]
        user = self.env.store.table("res.users").get(self.uid) or {}
        subtype = subtype_id or (2 if (subtype_xmlid or "mail.mt_note") == "mail.mt_note" else 1)
        message = self._sudo("mail.message").create({
            "model": self._name, "res_id": rid, "message_type": message_type, "subject": subject or False,
            "body": (body or "") if body_is_html else html.escape(body or "").replace("\n", "<br>"),
            "author_id": author_id or user.get("partner_id") or False, "subtype_id": subtype,
            "partner_ids": [(6, 0, list(partner_ids or []))], "date": self._now(),
        })
        created = [self._attachment(item, rid) for item in attachments or ()]
        linked = [*created, *(attachment_ids or [])]
        if linked:
            self._sudo("mail.message").write([message], {"attachment_ids": [(6, 0, linked)]})  # type: ignore[list-item]
        return message  # type: ignore[return-value]

    def _attachment(self, item: Any, res_id: int) -> int:
        if not isinstance(item, list | tuple) or len(item) not in (2, 3):
            raise value_error(f"Invalid attachment {item!r}: expected (name, content)")
        name, content = str(item[0]), item[1]
        if isinstance(content, str):
            raw = content.encode("utf-8")
        else:  # xmlrpc.client.Binary, or bytes from an in-process caller
            raw = bytes(content.data if hasattr(content, "data") else content or b"")
        return self._sudo("ir.attachment").create({  # type: ignore[return-value]
            "name": name, "datas": base64.b64encode(raw).decode("ascii"), "type": "binary",
            "res_model": self._name, "res_id": res_id,
        })


class Typed(BaseModel):
    """A transfer gets the operation type of its kind (the first of that code), and its kind from the type."""

    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        defaults = super()._default_values(vals)
        types = self.env.store.table("stock.picking.type")
        if "picking_type_id" in vals:
            kind = types.get(vals["picking_type_id"] or 0)
            if kind is not None and "picking_type_code" not in vals:
                defaults["picking_type_code"] = kind.get("code")
            return defaults
        code = vals.get("picking_type_code") or defaults.get("picking_type_code") or "outgoing"
        found = next((t for t in sorted(types) if types[t].get("code") == code), None)
        if found is not None:
            defaults["picking_type_id"] = found
        return defaults


class Attachment(BaseModel):
    def _prepare_create(self, rec: Record) -> None:
        data = rec.get("datas") or ""
        rec["file_size"] = len(base64.b64decode(data)) if data else 0
        rec["mimetype"] = mimetypes.guess_type(str(rec.get("name") or ""))[0] or "application/octet-stream"


class Channel(BaseModel):
    def _default_values(self, vals: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in {"channel_type": "channel", "active": True}.items() if k not in vals}


_WRAPPED: dict[tuple[str, type[BaseModel]], type[BaseModel]] = {}
_OWN: dict[str, type[BaseModel]] = {"ir.attachment": Attachment, "discuss.channel": Channel}


def wrap(name: str, base: type[BaseModel]) -> type[BaseModel]:
    """``base`` (the model's class from the other modules) with this module's behaviour mixed in."""
    base = _OWN.get(name, base) if base is BaseModel else base
    mixins = [m for m, models in ((Thread, THREADS), (CurrencyRated, RATED), (Typed, {"stock.picking"}))
              if name in models]
    if not mixins:
        return base
    key = (name, base)
    if key not in _WRAPPED:
        _WRAPPED[key] = type(base.__name__, (*mixins, base), {})
    return _WRAPPED[key]
