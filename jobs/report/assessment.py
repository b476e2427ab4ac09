"""``odoo-urgency report``: the monthly assessment of order handling (订单管理制度 第十八条: 每月考核).

For a month (``--month 2026-10``) or a range (``--since 2026-09-01 --until 2026-11-01``) of *received* orders
(``sale.order.create_date`` in ``[start, end)``; boundaries are midnights in ``rules.calendar.timezone``), per
salesperson and per sales team, plus a company total:

* ``orders`` and ``orders_normal`` / ``orders_special`` / ``orders_urgent``: non-cancelled orders received in the
  period (restricted to ``rules.companies`` when that list is set). The tier is, in install mode, the order's
  ``x_urgency`` when the plugin (or a user) set it — the tier people saw — else (and always in tag mode) the tier
  :func:`policies.classify` computes for the order as it is now;
* ``processed``: orders in state ``sale`` / ``done``; their processing time is ``date_order`` (Odoo overwrites it
  on confirmation) minus ``create_date`` (received), in hours, never negative;
* ``on_time``: processed at or before the processing deadline (:func:`policies.processing_deadline`);
* ``pending``: not processed and the deadline not reached yet at ``now`` — the outcome is still open;
* ``on_time_rate`` = ``on_time / (orders - pending)`` (``None`` when nothing is decided yet);
* ``median_hours``: the median of the processing times (the mean of the two middle values for an even count);
  ``p90_hours``: the 90th percentile by **nearest rank**: sorted ascending, the value at 1-based rank
  ``ceil(0.9 × n)``; both ``None`` without processed orders;
* ``breaches``: processed after the deadline, or not processed and ``now`` past the deadline
  (so ``orders = on_time + breaches + pending``);
* ``escalated_level1`` / ``escalated_level2``: the escalation level the order reached, judged from timestamps at
  ``t`` = the processing time (or ``now`` when unprocessed): level 2 when ``t`` is past
  :func:`policies.escalation_deadline` (received + tier hours × ``second_level_multiple``), else level 1 when past
  the deadline; each order counts once, at its highest level; 0 when escalation is switched off;
* ``urgent_deliveries``: urgent orders with a requested date (``commitment_date``) that have something to deliver;
  ``late_urgent_deliveries``: those delivered (the last outgoing ``stock.picking`` ``date_done``, all of them done;
  ``write_date`` where a server has no ``date_done``) after the requested date, or not delivered and ``now`` past
  it; a confirmed order without any outgoing transfer has nothing to deliver and is not counted;
* ``penalty``: the sum of :func:`policies.estimate_penalty` over the late urgent deliveries, the history being the
  number of *earlier* late urgent deliveries to the same customer (commercial partner) whose requested date lies in
  the ``penalty.history_window_days`` before this one (orders received in that window before the period are read
  for it too).

Everything is read in batches: the orders by keyset pages, then one read per related model in chunks of ids.
:func:`compute_report` is pure (records in, :class:`Report` out) and testable without an ERP.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from connector.records import Partner, PartnerCategory, Picking, SaleOrder, Tag, format_datetime
from jobs.runtime.errors import EXIT_USAGE, JobError
from policies import (
    OrderContext,
    Rules,
    Tier,
    classify,
    escalation_deadline,
    estimate_penalty,
    processing_deadline,
)
from policies.calendar import as_utc
from policies.states import ORDER_PROCESSED

PROCESSED_STATES = ORDER_PROCESSED
NO_SALESPERSON = "(no salesperson)"
NO_TEAM = "(no team)"
#: Ids per ``read`` / per ``in`` domain: keeps each request bounded whatever the month's volume.
CHUNK = 1000
TREND_MONTHS = 6
P90_DEFINITION = "nearest rank: the value at 1-based rank ceil(0.9 × n) of the sorted processing times"

ORDER_FIELDS = (
    "name", "state", "create_date", "date_order", "commitment_date", "partner_id", "user_id", "team_id",
    "company_id", "amount_total", "client_order_ref", "note", "tag_ids",
)
INSTALL_FIELDS = ("x_urgency", "x_urgency_manual")
#: ``date_done`` is when a transfer was validated; where a server lacks it, a done transfer's ``write_date`` stands in.
PICKING_FIELDS = ("sale_id", "state", "picking_type_code", "date_done", "write_date")


# -- the report model ---------------------------------------------------------------------------------------------


class GroupFigures(BaseModel):
    """The figures of one salesperson, one team, or the company."""

    kind: Literal["salesperson", "team", "total"]
    #: res.users / crm.team id; 0 for "none"; None for the total.
    id: int | None
    name: str
    orders: int = 0
    orders_normal: int = 0
    orders_special: int = 0
    orders_urgent: int = 0
    processed: int = 0
    on_time: int = 0
    pending: int = 0
    on_time_rate: float | None = None
    median_hours: float | None = None
    p90_hours: float | None = None
    breaches: int = 0
    escalated_level1: int = 0
    escalated_level2: int = 0
    urgent_deliveries: int = 0
    late_urgent_deliveries: int = 0
    penalty: float = 0.0


class LateDelivery(BaseModel):
    """One late urgent delivery and its penalty estimate."""

    order_id: int
    order_name: str
    customer: str
    salesperson: str
    team: str
    requested: datetime
    delivered_at: datetime | None
    delay_hours: float
    late_history: int
    rate: float
    history_factor: float
    penalty: float


class TrendPoint(BaseModel):
    month: str
    orders: int
    on_time_rate: float | None


class TrendSeries(BaseModel):
    """On-time rate of one team (or the company, ``team_id`` None) month by month."""

    team_id: int | None
    name: str
    points: list[TrendPoint]


class Report(BaseModel):
    title: str = "Monthly assessment of order handling"
    subtitle: str = "订单处理每月考核"
    period_label: str
    period_start: datetime
    period_end: datetime
    timezone: str
    generated_at: datetime
    install_mode: bool
    tier_hours: dict[str, float]
    p90_definition: str = P90_DEFINITION
    salespeople: list[GroupFigures]
    teams: list[GroupFigures]
    total: GroupFigures
    late_deliveries: list[LateDelivery] = Field(default_factory=list)
    #: The months of the trend (``YYYY-MM``), oldest first; empty when no trend was asked for.
    trend_months: list[str] = Field(default_factory=list)
    trend: list[TrendSeries] = Field(default_factory=list)


# -- periods ------------------------------------------------------------------------------------------------------

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    start: datetime  # aware UTC
    end: datetime  # aware UTC, exclusive
    label: str


def _local_midnight(year: int, month: int, day: int, tz: ZoneInfo) -> datetime:
    return datetime(year, month, day, tzinfo=tz).astimezone(UTC)


def month_start(year: int, month: int, tz: ZoneInfo) -> datetime:
    return _local_midnight(year, month, 1, tz)


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def parse_month(value: str, tz: ZoneInfo) -> Period:
    match = _MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1970:
        raise JobError(f"--month: expected YYYY-MM (e.g. 2026-10), got {value!r}", EXIT_USAGE)
    year, month = int(match.group(1)), int(match.group(2))
    next_year, next_month = add_months(year, month, 1)
    return Period(month_start(year, month, tz), month_start(next_year, next_month, tz), f"{year:04d}-{month:02d}")


def parse_day(value: str, flag: str, tz: ZoneInfo) -> datetime:
    text = value.strip()
    try:
        if len(text) == 10:
            parsed = datetime.strptime(text, "%Y-%m-%d")
        else:
            parsed = datetime.fromisoformat(text)
    except ValueError:
        raise JobError(f"{flag}: expected a date YYYY-MM-DD (or YYYY-MM-DDTHH:MM), got {value!r}",
                       EXIT_USAGE) from None
    if parsed.year < 1970:
        raise JobError(f"{flag}: {value!r} is before 1970", EXIT_USAGE)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)


def resolve_period(month: str | None, since: str | None, until: str | None, tz: ZoneInfo,
                   now: datetime) -> Period:
    """The period of the command line: ``--month``, or ``--since`` [``--until``, default now], or by default the
    last complete month. Raises :class:`JobError` (exit 2) on a bad or contradictory value."""
    if month and (since or until):
        raise JobError("give either --month or --since/--until, not both", EXIT_USAGE)
    if month:
        return parse_month(month, tz)
    if until and not since:
        raise JobError("--until needs --since", EXIT_USAGE)
    if since:
        start = parse_day(since, "--since", tz)
        end = parse_day(until, "--until", tz) if until else as_utc(now)
        if end <= start:
            raise JobError(f"--until ({until or 'now'}) must be after --since ({since})", EXIT_USAGE)
        label = f"{since} – {until}" if until else f"{since} – now"
        return Period(start, end, label)
    local = as_utc(now).astimezone(tz)
    year, month_no = add_months(local.year, local.month, -1)
    return parse_month(f"{year:04d}-{month_no:02d}", tz)


def trend_month_starts(period_end: datetime, tz: ZoneInfo, months: int) -> list[tuple[str, datetime, datetime]]:
    """The ``months`` calendar months ending with the one holding the period's last instant: (label, start, end)."""
    last = (as_utc(period_end) - timedelta(microseconds=1)).astimezone(tz)
    result = []
    for back in range(months - 1, -1, -1):
        year, month = add_months(last.year, last.month, -back)
        next_year, next_month = add_months(year, month, 1)
        result.append((f"{year:04d}-{month:02d}", month_start(year, month, tz), month_start(next_year, next_month, tz)))
    return result


# -- pure computation ---------------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    order: SaleOrder
    tier: Tier
    received: datetime
    processed: bool = False
    hours: float | None = None
    on_time: bool = False
    pending: bool = False
    breached: bool = False
    level: int = 0
    delivery_due: bool = False
    late: bool = False
    delivered_at: datetime | None = None
    penalty: LateDelivery | None = None


def nearest_rank(values: Sequence[float], percentile: float) -> float | None:
    """The ``percentile`` (0–100] by nearest rank: sorted ascending, the value at 1-based rank ceil(p/100 × n)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percentile / 100 * len(ordered)))
    return ordered[rank - 1]


def assign_tiers(orders: Iterable[SaleOrder], rules: Rules, now: datetime, *, partners: Mapping[int, Partner],
                 category_names: Mapping[int, str], tag_names: Mapping[int, str], install_mode: bool,
                 tier_tag_ids: Mapping[Tier, int] | None = None) -> dict[int, Tier]:
    """order id → the tier of the report: ``x_urgency`` in install mode when set, else :func:`policies.classify`."""
    tiers: dict[int, Tier] = {}
    tag_ids = dict(tier_tag_ids or {})
    for order in orders:
        shown = Tier.parse(order.x_urgency) if install_mode else None
        if shown is None and not install_mode and tag_ids:
            on_order = [tier for tier, tag in tag_ids.items() if tag in order.tag_ids]
            shown = max(on_order, key=lambda t: t.rank) if on_order else None
        if shown is None:
            partner = partners.get(order.partner_id.id) if order.partner_id else None
            parent = partners.get(partner.parent_id.id) if partner and partner.parent_id else None
            ctx = OrderContext(
                order=order, partner=partner, parent_partner=parent,
                category_names={c: category_names[c] for p in (partner, parent) if p is not None
                                for c in p.category_id if c in category_names},
                tag_names={t: tag_names[t] for t in order.tag_ids if t in tag_names},
                install_mode=install_mode, tier_tag_ids=tag_ids,
            )
            shown, _ = classify(ctx, rules, now)
        tiers[order.id] = shown
    return tiers


def _delivered_at(order: SaleOrder, pickings: Sequence[Picking]) -> tuple[bool, datetime | None]:
    """(has something to deliver, when the delivery completed or None when it did not)."""
    outgoing = [p for p in pickings if p.picking_type_code in (None, "outgoing") and p.state != "cancel"]
    if not outgoing:
        # A confirmed order without any delivery has nothing to ship (services); a quotation has not shipped yet.
        return order.state not in PROCESSED_STATES, None
    if any(p.state != "done" for p in outgoing):
        return True, None
    stamps = [p.date_done or p.write_date for p in outgoing]
    done = [as_utc(stamp) for stamp in stamps if stamp is not None]
    return True, max(done) if done else None


def _commercial_id(order: SaleOrder, partners: Mapping[int, Partner]) -> int:
    if order.partner_id is None:
        return 0
    partner = partners.get(order.partner_id.id)
    if partner is not None and partner.parent_id is not None:
        return partner.parent_id.id
    return order.partner_id.id


def _evaluate(order: SaleOrder, tier: Tier, rules: Rules, now: datetime) -> _Outcome:
    received = as_utc(order.create_date) if order.create_date else now
    outcome = _Outcome(order=order, tier=tier, received=received)
    deadline = processing_deadline(received, tier, rules)
    second = escalation_deadline(received, tier, rules)
    outcome.processed = order.state in PROCESSED_STATES
    if outcome.processed:
        done_at = as_utc(order.date_order) if order.date_order else received
        outcome.hours = max((done_at - received).total_seconds() / 3600, 0.0)
        outcome.on_time = done_at <= deadline
        outcome.breached = not outcome.on_time
        moment = done_at
    else:
        outcome.pending = now <= deadline
        outcome.breached = not outcome.pending
        moment = now
    if rules.escalation.enabled and outcome.breached:
        outcome.level = 2 if moment > second else 1
    return outcome


def _figures(kind: Literal["salesperson", "team", "total"], key: int | None, name: str,
             outcomes: Sequence[_Outcome]) -> GroupFigures:
    figures = GroupFigures(kind=kind, id=key, name=name)
    hours: list[float] = []
    for item in outcomes:
        figures.orders += 1
        setattr(figures, f"orders_{item.tier.value}", getattr(figures, f"orders_{item.tier.value}") + 1)
        figures.processed += item.processed
        figures.on_time += item.on_time
        figures.pending += item.pending
        figures.breaches += item.breached
        figures.escalated_level1 += item.level == 1
        figures.escalated_level2 += item.level == 2
        figures.urgent_deliveries += item.delivery_due
        figures.late_urgent_deliveries += item.late
        if item.penalty is not None:
            figures.penalty += item.penalty.penalty
        if item.hours is not None:
            hours.append(item.hours)
    figures.penalty = round(figures.penalty, 2)
    decided = figures.orders - figures.pending
    figures.on_time_rate = figures.on_time / decided if decided else None
    figures.median_hours = statistics.median(hours) if hours else None
    figures.p90_hours = nearest_rank(hours, 90)
    return figures


def _groups(kind: Literal["salesperson", "team"], outcomes: Sequence[_Outcome]) -> list[GroupFigures]:
    buckets: dict[int, list[_Outcome]] = defaultdict(list)
    names: dict[int, str] = {}
    for item in outcomes:
        ref = item.order.user_id if kind == "salesperson" else item.order.team_id
        key = ref.id if ref else 0
        buckets[key].append(item)
        names[key] = (ref.name or f"#{ref.id}") if ref else (NO_SALESPERSON if kind == "salesperson" else NO_TEAM)
    groups = [_figures(kind, key, names[key], items) for key, items in buckets.items()]
    return sorted(groups, key=lambda g: (g.id == 0, g.name.casefold(), g.id or 0))


def compute_report(
    orders: Sequence[SaleOrder],
    *,
    rules: Rules,
    period_start: datetime,
    period_end: datetime,
    now: datetime,
    partners: Mapping[int, Partner] | None = None,
    category_names: Mapping[int, str] | None = None,
    tag_names: Mapping[int, str] | None = None,
    pickings: Iterable[Picking] = (),
    install_mode: bool = True,
    tier_tag_ids: Mapping[Tier, int] | None = None,
    tiers: Mapping[int, Tier] | None = None,
    trend_months: int = 0,
    period_label: str | None = None,
) -> Report:
    """The report of the orders received in ``[period_start, period_end)``, judged at ``now``.

    ``orders`` may hold more than the period: orders received before it serve as the penalty history and the
    trend (``trend_months`` months ending with the period's last month). Cancelled orders and orders of companies
    outside ``rules.companies`` (when set) are ignored. ``pickings`` are the orders' transfers (any order; only
    outgoing, non-cancelled ones count). ``tiers`` may pass tiers already computed by :func:`assign_tiers`.
    """
    now = as_utc(now)
    period_start, period_end = as_utc(period_start), as_utc(period_end)
    partners = partners or {}
    tz = rules.calendar.tz
    kept = [o for o in orders if o.state != "cancel" and o.create_date is not None
            and (not rules.companies or (o.company_id is not None and o.company_id.id in rules.companies))]
    missing = [o for o in kept if tiers is None or o.id not in tiers]
    all_tiers = dict(tiers or {})
    if missing:
        all_tiers.update(assign_tiers(missing, rules, now, partners=partners, category_names=category_names or {},
                                      tag_names=tag_names or {}, install_mode=install_mode,
                                      tier_tag_ids=tier_tag_ids))
    by_order: dict[int, list[Picking]] = defaultdict(list)
    for picking in pickings:
        if picking.sale_id is not None:
            by_order[picking.sale_id.id].append(picking)

    outcomes = [_evaluate(o, all_tiers[o.id], rules, now) for o in kept]

    # Urgent deliveries against the requested date, over everything read (the history needs the earlier ones).
    late_by_customer: dict[int, list[datetime]] = defaultdict(list)
    for item in outcomes:
        order = item.order
        if item.tier is not Tier.URGENT or order.commitment_date is None:
            continue
        due, delivered = _delivered_at(order, by_order.get(order.id, []))
        if not due:
            continue
        requested = as_utc(order.commitment_date)
        item.delivery_due = True
        item.delivered_at = delivered
        item.late = delivered > requested if delivered is not None else now > requested
        if item.late:
            late_by_customer[_commercial_id(order, partners)].append(requested)

    window = timedelta(days=rules.penalty.history_window_days)
    in_period = [item for item in outcomes if period_start <= item.received < period_end]
    late_rows: list[LateDelivery] = []
    for item in in_period:
        if not item.late:
            continue
        order = item.order
        requested = as_utc(order.commitment_date)  # type: ignore[arg-type]
        history = sum(1 for other in late_by_customer[_commercial_id(order, partners)]
                      if requested - window <= other < requested)
        estimate = estimate_penalty(order, requested, item.delivered_at, now, item.tier, history, rules)
        if estimate is None:
            continue
        item.penalty = LateDelivery(
            order_id=order.id, order_name=order.name,
            customer=order.partner_id.name if order.partner_id else "",
            salesperson=order.user_id.name if order.user_id else NO_SALESPERSON,
            team=order.team_id.name if order.team_id else NO_TEAM,
            requested=requested, delivered_at=item.delivered_at, delay_hours=estimate.delay_hours,
            late_history=history, rate=estimate.rate, history_factor=estimate.history_factor,
            penalty=estimate.amount,
        )
        late_rows.append(item.penalty)

    report = Report(
        period_label=period_label or f"{period_start.astimezone(tz):%Y-%m-%d} – {period_end.astimezone(tz):%Y-%m-%d}",
        period_start=period_start, period_end=period_end, timezone=rules.calendar.timezone, generated_at=now,
        install_mode=install_mode, tier_hours={t.value: rules.tiers.hours(t) for t in Tier},
        salespeople=_groups("salesperson", in_period), teams=_groups("team", in_period),
        total=_figures("total", None, "Company total", in_period),
        late_deliveries=sorted(late_rows, key=lambda row: (row.requested, row.order_id)),
    )
    if trend_months > 0:
        months = trend_month_starts(period_end, tz, trend_months)
        report.trend_months = [label for label, _, _ in months]
        teams: dict[int | None, str] = {None: "Company"}
        buckets: dict[tuple[int | None, str], list[_Outcome]] = defaultdict(list)
        for item in outcomes:
            label = next((label for label, start, end in months if start <= item.received < end), None)
            if label is None:
                continue
            ref = item.order.team_id
            key = ref.id if ref else 0
            teams.setdefault(key, (ref.name or f"#{ref.id}") if ref else NO_TEAM)
            buckets[(key, label)].append(item)
            buckets[(None, label)].append(item)
        order_keys = sorted((k for k in teams if k is not None), key=lambda k: (k == 0, teams[k].casefold()))
        series_keys: list[int | None] = [None, *order_keys]
        for series_key in series_keys:
            points = []
            for label, _, _ in months:
                figures = _figures("total", None, "", buckets.get((series_key, label), []))
                points.append(TrendPoint(month=label, orders=figures.orders, on_time_rate=figures.on_time_rate))
            report.trend.append(TrendSeries(team_id=series_key, name=teams[series_key], points=points))
    return report


# -- reading the ERP in batches -----------------------------------------------------------------------------------


@dataclass
class ReportData:
    orders: list[SaleOrder] = field(default_factory=list)
    partners: dict[int, Partner] = field(default_factory=dict)
    category_names: dict[int, str] = field(default_factory=dict)
    tag_names: dict[int, str] = field(default_factory=dict)
    pickings: list[Picking] = field(default_factory=list)
    tiers: dict[int, Tier] = field(default_factory=dict)
    install_mode: bool = False


def _chunks(ids: Iterable[int], size: int = CHUNK) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for index in range(0, len(ordered), size):
        yield ordered[index:index + size]


def _available(fields: Iterable[str], available: set[str] | None) -> list[str]:
    return [name for name in fields if available is None or name in available]


def load_report_data(client, schema, start: datetime, end: datetime, rules: Rules, now: datetime, *,  # type: ignore[no-untyped-def]
                     page_size: int | None = None) -> ReportData:
    """Every record the report needs for orders received in ``[start, end)``, in a bounded number of calls:
    the orders by keyset pages, then one read per related model per chunk of ids (partners, their parents,
    partner categories, tags), and the transfers of the urgent orders with a requested date."""
    install_mode = bool(getattr(schema, "install_mode", False))
    available = getattr(schema, "available_fields", {}).get("sale.order")
    fields = _available([*ORDER_FIELDS, *(INSTALL_FIELDS if install_mode else ())], available)
    domain: list[object] = [("create_date", ">=", format_datetime(start)), ("create_date", "<", format_datetime(end)),
                            ("state", "!=", "cancel")]
    if rules.companies:
        domain.append(("company_id", "in", list(rules.companies)))
    data = ReportData(install_mode=install_mode)
    for page in client.search_read_all("sale.order", domain, fields, page_size=page_size):
        data.orders.extend(SaleOrder.model_validate(row) for row in page)

    def read(model: str, ids: Iterable[int], record_fields: Sequence[str]) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for chunk in _chunks(ids):
            rows.extend(client.read(model, chunk, list(record_fields)))
        return rows

    # Only the orders whose tier is not already on them need what classify reads.
    to_classify = [o for o in data.orders if not (install_mode and Tier.parse(o.x_urgency))]
    partner_ids = {o.partner_id.id for o in data.orders if o.partner_id}
    for row in read("res.partner", partner_ids, Partner.odoo_fields()):
        partner = Partner.model_validate(row)
        data.partners[partner.id] = partner
    parent_ids = {p.parent_id.id for p in data.partners.values() if p.parent_id} - set(data.partners)
    for row in read("res.partner", parent_ids, Partner.odoo_fields()):
        partner = Partner.model_validate(row)
        data.partners[partner.id] = partner
    if to_classify:
        category_ids = {c for p in data.partners.values() for c in p.category_id}
        for row in read("res.partner.category", category_ids, PartnerCategory.odoo_fields()):
            category = PartnerCategory.model_validate(row)
            data.category_names[category.id] = category.name
        tag_ids = {t for o in to_classify for t in o.tag_ids}
        for row in read("crm.tag", tag_ids, Tag.odoo_fields()):
            tag = Tag.model_validate(row)
            data.tag_names[tag.id] = tag.name
    data.tiers = assign_tiers(data.orders, rules, now, partners=data.partners, category_names=data.category_names,
                              tag_names=data.tag_names, install_mode=install_mode)

    # Transfers only for what the delivery figures look at: urgent orders with a requested date.
    wanted = [o.id for o in data.orders if o.commitment_date is not None and data.tiers.get(o.id) is Tier.URGENT]
    picking_available = getattr(schema, "available_fields", {}).get("stock.picking")
    picking_fields = _available(PICKING_FIELDS, picking_available)
    for chunk in _chunks(wanted):
        for page in client.search_read_all("stock.picking", [("sale_id", "in", chunk)], picking_fields,
                                           page_size=page_size):
            data.pickings.extend(Picking.model_validate(row) for row in page)
    return data


def build_report(client, schema, rules: Rules, period: Period, now: datetime, *, trend_months: int = 0,  # type: ignore[no-untyped-def]
                 page_size: int | None = None) -> Report:
    """Read (one range covering the period, the penalty history window and the trend months) and compute."""
    tz = rules.calendar.tz
    fetch_start = period.start - timedelta(days=rules.penalty.history_window_days)
    if trend_months > 0:
        fetch_start = min(fetch_start, trend_month_starts(period.end, tz, trend_months)[0][1])
    data = load_report_data(client, schema, fetch_start, period.end, rules, now, page_size=page_size)
    return compute_report(
        data.orders, rules=rules, period_start=period.start, period_end=period.end, now=now,
        partners=data.partners, category_names=data.category_names, tag_names=data.tag_names,
        pickings=data.pickings, install_mode=data.install_mode, tiers=data.tiers, trend_months=trend_months,
        period_label=period.label,
    )
