"""The figures every department shares, under the same keys in every section of the report.

``items`` assessed, of which ``on_time`` / ``late`` / ``pending`` (see :mod:`policies.assessment.judgment`),
``on_time_rate`` = on time / (items − pending), the lateness of the late items in hours at the 50th and 90th
percentiles by nearest rank (None when nothing is late), and the ``penalty`` estimate in the company's currency.
Departments add their own keys (sales: tiers and escalations; production: pulled earlier; logistics: the same
figures against the requested date) in subclasses; a department section lists groups of figures by its own
groupings (salesperson, team, work center, warehouse, operation type, buyer, vendor) and a total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from pydantic import BaseModel, Field, SerializeAsAny

from odoo_urgency.policies.assessment.judgment import Judgment, Status
from odoo_urgency.policies.assessment.stats import nearest_rank, rate

NONE_ID = 0


class Figures(BaseModel):
    #: The grouping: "salesperson", "team", "work_center", "warehouse", "operation_type", "buyer", "vendor", "total".
    kind: str
    #: The grouped record's id; 0 for "none"; None for the total.
    id: int | None
    name: str
    items: int = 0
    on_time: int = 0
    late: int = 0
    pending: int = 0
    on_time_rate: float | None = None
    lateness_p50_hours: float | None = None
    lateness_p90_hours: float | None = None
    penalty: float = 0.0


F = TypeVar("F", bound=Figures)


def count(figures: F, judgments: Iterable[Judgment]) -> F:
    """Fill the shared keys of ``figures`` from the judgments of its items."""
    lateness: list[float] = []
    for judgment in judgments:
        figures.items += 1
        if judgment.status is Status.ON_TIME:
            figures.on_time += 1
        elif judgment.status is Status.PENDING:
            figures.pending += 1
        else:
            figures.late += 1
            lateness.append(judgment.lateness_hours)
    figures.on_time_rate = rate(figures.on_time, figures.items - figures.pending)
    figures.lateness_p50_hours = nearest_rank(lateness, 50)
    figures.lateness_p90_hours = nearest_rank(lateness, 90)
    return figures


def charged(keys: Iterable[int], penalties: Mapping[int, float]) -> float:
    """The penalty charged to a group: the sum over its distinct documents (an order counts once however many of
    its MOs or deliveries the group holds)."""
    return round(sum(penalties.get(key, 0.0) for key in set(keys)), 2)


class Section(BaseModel):
    """One department of one company."""

    department: str
    #: False when the ERP lacks the app or model the department's figures come from; ``note`` says which.
    available: bool = True
    note: str | None = None
    total: SerializeAsAny[Figures]
    #: grouping → its groups, sorted by name ("none" last).
    groups: dict[str, list[SerializeAsAny[Figures]]] = Field(default_factory=dict)


T = TypeVar("T")


def group_by(kind: str, items: Sequence[T], keys: Callable[[T], Sequence[tuple[int, str]]], none_name: str,
             make: Callable[[str, int | None, str, Sequence[T]], F]) -> list[F]:
    """One figures object per key of the items, sorted by name with "none" last. ``keys(item)`` gives the
    (id, name) pairs an item counts under — several for an MO passing through several work centers, none for
    "none"; ``make(kind, id, name, items)`` computes one group's figures."""
    buckets: dict[int, list[T]] = defaultdict(list)
    names: dict[int, str] = {}
    for item in items:
        found = list(keys(item)) or [(NONE_ID, none_name)]
        for ident, name in dict(found).items():
            buckets[ident].append(item)
            names[ident] = name or f"#{ident}"
    groups = [make(kind, ident, names[ident], members) for ident, members in buckets.items()]
    return sorted(groups, key=lambda g: (g.id == NONE_ID, g.name.casefold(), g.id or 0))
