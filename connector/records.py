"""Typed records: what the rules need of Odoo's rows, in Python's own terms.

Odoo sends ``False`` for every empty value, many2one as ``[id, "name"]`` and datetimes as naive UTC
strings. The policies should never see any of that, so every record here is built from a raw row by
pydantic validators that turn ``False`` into ``None`` (or ``[]`` for x2many), ``[id, name]`` into a
:class:`Ref`, and ``"YYYY-MM-DD HH:MM:SS"`` into an aware UTC :class:`datetime`. :func:`to_odoo` turns
Python values back into what Odoo accepts when writing.

Every value is parsed defensively: a row the rules cannot read (a date out of range such as year 1, which Odoo
sends as ``'1-01-01 00:00:00'``, a number that is text, a many2one that is not one) does not raise out of a batch.
:func:`parse_rows` returns the records it could build and one :class:`Unreadable` per row it could not, naming
the record, the field and the value in one line, so the caller skips that row and says so.

Each record class lists the Odoo field names it reads in ``odoo_fields()``, so the reader asks only for
what it needs. Version differences are resolved before a row gets here (see ``connector.schema``): the
manufacturing order's planned start is always ``planned_start``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"
ODOO_DATE = "%Y-%m-%d"
#: Dates before this year are refused: no order is received or due then, and Odoo writes such years without
#: their leading zeros ('1-01-01'), a sign the value was typed by mistake. The rules would compute nonsense
#: (a lead time of -2,000 years makes an order "urgent"), so the record is skipped and named instead.
MIN_YEAR = 1900
_DATE_TIME = re.compile(r"^(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


class Ref(BaseModel):
    """A many2one value: the id and the display name Odoo sent with it."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str = ""


def _in_range(moment: datetime) -> datetime:
    if moment.year < MIN_YEAR:
        raise ValueError(f"year {moment.year} is out of range (before {MIN_YEAR})")
    return moment


def parse_datetime(value: Any) -> datetime | None:
    """Odoo's naive UTC string (or a datetime) → aware UTC datetime; ``False``/``None`` → ``None``.
    Raises ``ValueError`` (one short sentence) for anything else, and for years before :data:`MIN_YEAR`."""
    if value is False or value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _in_range(value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    if isinstance(value, date):
        return _in_range(datetime(value.year, value.month, value.day, tzinfo=timezone.utc))
    if not isinstance(value, str):
        raise ValueError(f"not a date and time but {type(value).__name__}")
    try:
        return _in_range(datetime.strptime(value[:19], ODOO_DATETIME).replace(tzinfo=timezone.utc))
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(value)
        return _in_range(parsed.astimezone(timezone.utc) if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc))
    except ValueError:
        pass
    match = _DATE_TIME.match(value.strip())  # what Odoo sends for years below 1000: '1-01-01 00:00:00'
    if match is None:
        raise ValueError("not a date and time")
    parts = [int(part) if part else 0 for part in match.groups()]
    try:
        year, month, day, hour, minute, second = parts
        parsed = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
    except ValueError as exc:
        raise ValueError(f"not a date and time ({exc})") from None
    return _in_range(parsed)


def parse_date(value: Any) -> date | None:
    """Odoo's ``YYYY-MM-DD`` (or a date/datetime) → date; same refusals as :func:`parse_datetime`."""
    if value is False or value is None or value == "":
        return None
    if isinstance(value, str) and len(value.strip()) <= 10:
        value = value.strip() + " 00:00:00"
    moment = parse_datetime(value)
    return moment.date() if moment is not None else None


def parse_ref(value: Any) -> Ref | None:
    if value is False or value is None:
        return None
    if isinstance(value, Ref):
        return value
    if isinstance(value, int):
        return Ref(id=value)
    if isinstance(value, dict):
        return Ref(**value)
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], int) and not isinstance(value[0], bool):
        return Ref(id=value[0], name=str(value[1]) if len(value) > 1 and value[1] else "")
    raise ValueError("not a many2one value")


def format_datetime(value: datetime) -> str:
    """Aware datetime → Odoo's naive UTC string (naive input is taken as UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return value.strftime(ODOO_DATETIME)


def to_odoo(value: Any) -> Any:
    """A Python value → what Odoo accepts in ``write``/``create`` values."""
    if value is None:
        return False
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.strftime(ODOO_DATE)
    if isinstance(value, Ref):
        return value.id
    return value


class OdooRecord(BaseModel):
    """Base of every record: ``False`` → ``None`` before any field validation."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    _model: ClassVar[str] = ""
    #: Fields of the Odoo model this record reads (the ``fields`` argument of ``search_read``).
    _fields: ClassVar[tuple[str, ...]] = ()
    _datetimes: ClassVar[tuple[str, ...]] = ("create_date", "write_date")
    _refs: ClassVar[tuple[str, ...]] = ()
    _many: ClassVar[tuple[str, ...]] = ()

    id: int

    @classmethod
    def odoo_model(cls) -> str:
        return cls._model

    @classmethod
    def odoo_fields(cls) -> list[str]:
        return list(cls._fields)

    @model_validator(mode="before")
    @classmethod
    def _from_odoo(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        row = dict(data)
        for key, value in list(row.items()):
            try:
                if key in cls._many:
                    row[key] = _id_list(value)
                elif key in cls._refs:
                    row[key] = parse_ref(value)
                elif key in cls._datetimes:
                    row[key] = parse_datetime(value)
                elif value is False and cls.model_fields.get(key) is not None:
                    field = cls.model_fields[key]
                    if "bool" in str(field.annotation):
                        continue
                    if "None" in str(field.annotation) or field.is_required():
                        row[key] = None
                    else:
                        del row[key]  # empty where the record has a default ('' for a name): the default
            except ValueError as exc:
                # Name the field and the value: the one line a person needs to find and fix the record.
                raise FieldError(key, value, str(exc)) from None
        return row


class FieldError(ValueError):
    """One field's value that cannot be read, with what is wrong with it."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        super().__init__(f"{field} {_shown(value)}: {reason}")
        self.field, self.value, self.reason = field, value, reason


def _id_list(value: Any) -> list[int]:
    if not value:
        return []
    if isinstance(value, (list, tuple)) and all(isinstance(i, int) and not isinstance(i, bool) for i in value):
        return list(value)
    raise ValueError("not a list of ids")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


R = TypeVar("R", bound=OdooRecord)


@dataclass(frozen=True)
class Unreadable:
    """A row the rules cannot read: which record, which field, what is wrong with its value."""

    model: str
    id: int
    name: str
    field: str
    value: Any
    reason: str

    def line(self) -> str:
        who = f"{self.name} (id {self.id})" if self.name else f"id {self.id}"
        return f"{self.model} {who}: cannot read {self.field} {_shown(self.value)}: {self.reason}"


def _first_problem(error: ValidationError) -> tuple[str, Any, str]:
    """(field, value, reason) of a pydantic error, in a person's words."""
    first = error.errors(include_url=False)[0]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, FieldError):  # raised by OdooRecord._from_odoo
        return cause.field, cause.value, cause.reason
    field = ".".join(str(part) for part in first.get("loc") or ()) or "a value"
    return field, first.get("input"), str(first.get("msg", "invalid")).lower()


def parse_rows(record: type[R], rows: Iterable[dict[str, Any]]) -> tuple[list[R], list[Unreadable]]:
    """The records that could be built from ``rows``, and one :class:`Unreadable` per row that could not."""
    parsed: list[R] = []
    unreadable: list[Unreadable] = []
    for row in rows:
        try:
            parsed.append(record.model_validate(row))
        except ValidationError as exc:
            field, value, reason = _first_problem(exc)
            raw_id, raw_name = row.get("id"), row.get("name")
            unreadable.append(Unreadable(
                model=record.odoo_model(), id=raw_id if isinstance(raw_id, int) else 0,
                name=raw_name if isinstance(raw_name, str) else "", field=field, value=value, reason=reason))
    return parsed, unreadable


def _parse_memo(value: Any) -> dict[str, Any]:
    if not value:
        return {}
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


class PartnerCategory(OdooRecord):
    _model = "res.partner.category"
    _fields = ("name",)

    name: str = ""


class Partner(OdooRecord):
    _model = "res.partner"
    _fields = ("name", "category_id", "parent_id", "is_company", "user_id")
    _refs = ("parent_id", "user_id")
    _many = ("category_id",)

    name: str | None = None
    category_id: list[int] = Field(default_factory=list)
    parent_id: Ref | None = None
    is_company: bool = False
    user_id: Ref | None = None


class User(OdooRecord):
    _model = "res.users"
    _fields = ("name", "login", "tz")

    name: str | None = None
    login: str | None = None
    tz: str | None = None


class Team(OdooRecord):
    _model = "crm.team"
    _fields = ("name", "user_id", "member_ids")
    _refs = ("user_id",)
    _many = ("member_ids",)

    name: str = ""
    user_id: Ref | None = None
    member_ids: list[int] = Field(default_factory=list)


class Tag(OdooRecord):
    _model = "crm.tag"
    _fields = ("name",)

    name: str = ""


class Product(OdooRecord):
    _model = "product.product"
    _fields = ("name", "default_code", "qty_available", "virtual_available", "type", "sale_delay")

    name: str | None = None
    default_code: str | None = None
    qty_available: float = 0.0
    virtual_available: float = 0.0
    type: str | None = None
    sale_delay: float | None = None
    #: Manufacturing lead time in days (``produce_delay``), where the version exposes it.
    produce_delay: float | None = None


class SaleOrderLine(OdooRecord):
    _model = "sale.order.line"
    _fields = ("order_id", "product_id", "product_uom_qty", "qty_delivered", "price_subtotal", "customer_lead")
    _refs = ("order_id", "product_id")

    order_id: Ref | None = None
    product_id: Ref | None = None
    product_uom_qty: float = 0.0
    qty_delivered: float = 0.0
    price_subtotal: float = 0.0
    customer_lead: float = 0.0


class SaleOrder(OdooRecord):
    """A sale order. ``create_date`` is when it was received; ``date_order`` is the confirmation time once
    ``state`` is ``sale`` (Odoo overwrites it on confirmation)."""

    _model = "sale.order"
    _fields = (
        "name", "state", "create_date", "write_date", "date_order", "commitment_date", "partner_id", "user_id",
        "team_id", "company_id", "amount_total", "client_order_ref", "note", "tag_ids",
        "picking_ids", "mrp_production_ids",
    )
    _datetimes = ("create_date", "write_date", "date_order", "commitment_date", "x_urgency_deadline")
    _refs = ("partner_id", "user_id", "team_id", "company_id", "currency_id")
    _many = ("tag_ids", "order_line", "picking_ids", "mrp_production_ids")
    #: Custom fields read when the plugin is installed in the ERP (``odoo-urgency install``).
    custom_fields: ClassVar[tuple[str, ...]] = (
        "x_urgency", "x_urgency_deadline", "x_urgency_reason", "x_urgency_manual", "x_urgency_memo",
    )

    name: str = ""
    state: str = "draft"
    create_date: datetime | None = None
    write_date: datetime | None = None
    date_order: datetime | None = None
    commitment_date: datetime | None = None
    partner_id: Ref | None = None
    user_id: Ref | None = None
    team_id: Ref | None = None
    company_id: Ref | None = None
    amount_total: float = 0.0
    #: The order's currency, and ``currency_rate``: units of it per unit of the company's currency on the order
    #: date — the rate Odoo itself used for this order (stored on the order since Odoo 13). Read by the report.
    currency_id: Ref | None = None
    currency_rate: float | None = None
    client_order_ref: str | None = None
    note: str | None = None
    tag_ids: list[int] = Field(default_factory=list)
    order_line: list[int] = Field(default_factory=list)
    #: What ties the order to its MOs on this server: a procurement group (16–18) or stock references (19);
    #: the schema reads the version's field and fills this list of ids.
    links: list[int] = Field(default_factory=list)
    picking_ids: list[int] = Field(default_factory=list)
    mrp_production_ids: list[int] = Field(default_factory=list)
    x_urgency: str | None = None
    x_urgency_deadline: datetime | None = None
    x_urgency_reason: str | None = None
    x_urgency_manual: bool = False
    x_urgency_memo: dict[str, Any] = Field(default_factory=dict)

    _memo = field_validator("x_urgency_memo", mode="before")(classmethod(lambda cls, v: _parse_memo(v)))

    @property
    def received(self) -> datetime | None:
        return self.create_date


class ManufacturingOrder(OdooRecord):
    """A manufacturing order. ``planned_start`` is ``date_planned_start`` in Odoo 16 and ``date_start`` from 17:
    the reader renames it before validation."""

    _model = "mrp.production"
    _fields = (
        "name", "state", "priority", "origin", "product_id", "product_qty", "user_id", "date_deadline",
        "date_finished", "company_id", "write_date", "reservation_state",
        "components_availability", "workorder_ids",
    )
    _datetimes = ("create_date", "write_date", "planned_start", "date_finished", "date_deadline")
    _refs = ("product_id", "user_id", "company_id", "write_uid")
    _many = ("workorder_ids",)
    custom_fields: ClassVar[tuple[str, ...]] = ("x_urgency_memo", "x_urgency_locked")

    name: str = ""
    state: str = "draft"
    priority: str = "0"
    origin: str | None = None
    product_id: Ref | None = None
    product_qty: float = 0.0
    user_id: Ref | None = None
    planned_start: datetime | None = None
    date_finished: datetime | None = None
    date_deadline: datetime | None = None
    #: Same ids as :attr:`SaleOrder.links` for the orders it serves (procurement group or stock references).
    links: list[int] = Field(default_factory=list)
    company_id: Ref | None = None
    write_date: datetime | None = None
    #: Who wrote the record last (the daemon reads it with every row: who touched it since the plugin did).
    write_uid: Ref | None = None
    reservation_state: str | None = None
    components_availability: str | None = None
    #: Its work orders: when it has some, the capacity planner (``policies.planning``) plans it.
    workorder_ids: list[int] = Field(default_factory=list)
    x_urgency_memo: dict[str, Any] = Field(default_factory=dict)
    #: A planner's lock (installed field): no rule of the plugin moves this MO's dates.
    x_urgency_locked: bool = False

    _memo = field_validator("x_urgency_memo", mode="before")(classmethod(lambda cls, v: _parse_memo(v)))


class Picking(OdooRecord):
    """A transfer (``stock.picking``); the plugin cares about outgoing deliveries of sale orders."""

    _model = "stock.picking"
    _fields = (
        "name", "state", "priority", "origin", "sale_id", "scheduled_date", "date_deadline", "picking_type_code",
        "partner_id", "user_id", "write_date", "create_date",
    )
    _datetimes = ("create_date", "write_date", "scheduled_date", "date_deadline", "date_done")
    _refs = ("sale_id", "partner_id", "user_id", "picking_type_id", "company_id", "write_uid")
    custom_fields: ClassVar[tuple[str, ...]] = ("x_urgency_memo",)

    name: str = ""
    state: str = "draft"
    priority: str = "0"
    origin: str | None = None
    sale_id: Ref | None = None
    scheduled_date: datetime | None = None
    date_deadline: datetime | None = None
    date_done: datetime | None = None
    picking_type_code: str | None = None
    #: The operation type ("San Francisco: Delivery Orders": Odoo names it after its warehouse); the report reads it
    #: where the server has it.
    picking_type_id: Ref | None = None
    company_id: Ref | None = None
    partner_id: Ref | None = None
    user_id: Ref | None = None
    write_date: datetime | None = None
    #: Who wrote the record last (the daemon reads it with every row: who touched it since the plugin did).
    write_uid: Ref | None = None
    create_date: datetime | None = None
    x_urgency_memo: dict[str, Any] = Field(default_factory=dict)

    _memo = field_validator("x_urgency_memo", mode="before")(classmethod(lambda cls, v: _parse_memo(v)))


class Activity(OdooRecord):
    """A ``mail.activity``. Its ``date_deadline`` is a Date: hour-level deadlines live in the plugin."""

    _model = "mail.activity"
    _fields = ("res_model", "res_id", "activity_type_id", "summary", "note", "date_deadline", "user_id")
    _refs = ("activity_type_id", "user_id")

    res_model: str | None = None
    res_id: int = 0
    activity_type_id: Ref | None = None
    summary: str | None = None
    note: str | None = None
    date_deadline: date | None = None
    user_id: Ref | None = None

    _deadline = field_validator("date_deadline", mode="before")(classmethod(lambda cls, v: parse_date(v)))


# -- what the monthly assessment reads beyond the daemon ---------------------------------------------------------


class Currency(OdooRecord):
    _model = "res.currency"
    _fields = ("name", "rate")

    name: str = ""
    #: Today's rate against the reading user's company currency (a non-stored field in Odoo).
    rate: float | None = None


class Company(OdooRecord):
    _model = "res.company"
    _fields = ("name", "currency_id")
    _refs = ("currency_id",)

    name: str = ""
    currency_id: Ref | None = None


class WorkOrder(OdooRecord):
    """A work order: which work center an MO passes through (the assessment groups MOs by it)."""

    _model = "mrp.workorder"
    _fields = ("production_id", "workcenter_id", "state")
    _refs = ("production_id", "workcenter_id")

    production_id: Ref | None = None
    workcenter_id: Ref | None = None
    state: str | None = None


class PurchaseOrder(OdooRecord):
    _model = "purchase.order"
    _fields = ("name", "state", "priority", "origin", "partner_id", "user_id", "company_id", "currency_id",
               "currency_rate", "date_planned")
    _datetimes = ("create_date", "write_date", "date_planned")
    _refs = ("partner_id", "user_id", "company_id", "currency_id")

    name: str = ""
    state: str = "draft"
    priority: str = "0"
    origin: str | None = None
    partner_id: Ref | None = None
    user_id: Ref | None = None
    company_id: Ref | None = None
    currency_id: Ref | None = None
    #: Units of the PO's currency per unit of the company's currency, as Odoo stored it on the PO.
    currency_rate: float | None = None
    date_planned: datetime | None = None
    write_date: datetime | None = None
    #: What the plugin wrote on it (a late PO's priority), where ``install`` added the field (materials).
    custom_fields: ClassVar[tuple[str, ...]] = ("x_urgency_memo",)
    x_urgency_memo: dict[str, Any] = Field(default_factory=dict)

    _memo = field_validator("x_urgency_memo", mode="before")(classmethod(lambda cls, v: _parse_memo(v)))


class PurchaseLine(OdooRecord):
    _model = "purchase.order.line"
    _fields = ("order_id", "product_id", "product_qty", "qty_received", "price_unit", "date_planned", "partner_id",
               "state")
    _datetimes = ("create_date", "write_date", "date_planned")
    _refs = ("order_id", "product_id", "partner_id")

    order_id: Ref | None = None
    product_id: Ref | None = None
    product_qty: float = 0.0
    qty_received: float = 0.0
    price_unit: float = 0.0
    date_planned: datetime | None = None
    partner_id: Ref | None = None
    state: str | None = None
    write_date: datetime | None = None

    @property
    def open_quantity(self) -> float:
        """Ordered minus received: what is still to come (materials pegging)."""
        return max(self.product_qty - self.qty_received, 0.0)


class Receipt(OdooRecord):
    """A done stock move of a purchase line: when (``date``) goods came in for it."""

    _model = "stock.move"
    _fields = ("purchase_line_id", "state", "date", "quantity")
    _datetimes = ("date",)
    _refs = ("purchase_line_id",)

    purchase_line_id: Ref | None = None
    state: str | None = None
    date: datetime | None = None
    quantity: float = 0.0


# -- materials (issue 13): component moves, purchase orders and lines, vendor pricelists -----------------------
# Version differences are resolved before a row gets here (``connector.schema``): a move's reserved quantity is
# ``reserved`` whether the server calls it ``reserved_availability`` (Odoo 16) or ``quantity`` (17+), and fields a
# version lacks (``forecast_*``, ``free_qty``) are simply absent, so they keep their defaults.


class ComponentMove(OdooRecord):
    """A ``stock.move``: a component of an MO (``raw_material_production_id``) or an incoming receipt."""

    _model = "stock.move"
    _fields = (
        "product_id", "product_uom_qty", "reserved", "state", "date", "raw_material_production_id",
        "purchase_line_id", "picking_id", "forecast_availability", "forecast_expected_date",
    )
    _datetimes = ("date", "forecast_expected_date")
    _refs = ("product_id", "raw_material_production_id", "purchase_line_id", "picking_id")

    product_id: Ref | None = None
    product_uom_qty: float = 0.0
    reserved: float = 0.0
    state: str = "draft"
    date: datetime | None = None
    raw_material_production_id: Ref | None = None
    purchase_line_id: Ref | None = None
    picking_id: Ref | None = None
    forecast_availability: float | None = None
    forecast_expected_date: datetime | None = None


class ComponentProduct(OdooRecord):
    """A component's stock: on hand, and free to use (on hand minus what moves reserved) where the ERP says."""

    _model = "product.product"
    _fields = ("display_name", "default_code", "qty_available", "free_qty", "virtual_available", "product_tmpl_id")
    _refs = ("product_tmpl_id",)

    display_name: str | None = None
    default_code: str | None = None
    qty_available: float = 0.0
    free_qty: float | None = None
    virtual_available: float = 0.0
    product_tmpl_id: Ref | None = None


class VendorPrice(OdooRecord):
    """A line of a product's vendor pricelist (``product.supplierinfo``), in the ERP's order (first = preferred)."""

    _model = "product.supplierinfo"
    _fields = ("partner_id", "product_id", "product_tmpl_id", "min_qty", "price", "delay")
    _refs = ("partner_id", "product_id", "product_tmpl_id")

    partner_id: Ref | None = None
    product_id: Ref | None = None
    product_tmpl_id: Ref | None = None
    min_qty: float = 0.0
    price: float = 0.0
    delay: int = 0
