"""What each round trip cost: calls, records and seconds per ``model.method`` — where a cycle's time goes.

The seconds are the round trip as the client sees it (the transport call, without the client's own pacing
wait): on loopback that is the server's time for the call. The records of a call are the ones it names or
returns — the ids of ``read``/``write``/``unlink``, the rows of ``create`` and ``load``, the rows a
``search_read`` answered — so "1,368 writes in 3 calls" and "one slow call on one record" read differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass
class CallCost:
    calls: int = 0
    records: int = 0
    seconds: float = 0.0

    def add(self, records: int, seconds: float) -> None:
        self.calls += 1
        self.records += records
        self.seconds += seconds


def records_of(method: str, args: Sequence[Any], result: Any) -> int:
    """How many records one ``execute_kw`` call concerned (see the module's doc); 0 when it names none."""
    if method in ("search_read", "search", "web_search_read") and isinstance(result, list):
        return len(result)
    if method == "load" and len(args) > 1 and isinstance(args[1], list):
        return len(args[1])
    if method == "create" and args:
        return len(args[0]) if isinstance(args[0], list) else 1
    first = args[0] if args else None
    if isinstance(first, list) and all(isinstance(i, int) and not isinstance(i, bool) for i in first):
        return len(first)
    return 0


def top_costs(costs: dict[str, CallCost], n: int = 8) -> list[dict[str, Any]]:
    """The ``n`` most expensive ``model.method`` by seconds: the rows ``once --json``, ``--profile`` and the
    benchmark print."""
    ranked = sorted(costs.items(), key=lambda item: item[1].seconds, reverse=True)[:n]
    return [{"call": label, "calls": cost.calls, "records": cost.records, "seconds": round(cost.seconds, 3)}
            for label, cost in ranked]


def since(now: dict[str, CallCost], before: dict[str, CallCost]) -> dict[str, CallCost]:
    """The costs added between two snapshots (``snapshot()`` of the stats)."""
    out: dict[str, CallCost] = {}
    for label, cost in now.items():
        old = before.get(label, CallCost())
        if cost.calls != old.calls:
            out[label] = CallCost(cost.calls - old.calls, cost.records - old.records, cost.seconds - old.seconds)
    return out
