"""The floor: the time Odoo itself needs for exactly the writes and activities of the daemon's first full cycle,
done in the fewest calls, and nothing else (no reads, no conflict checks, no state, no read-back).

    python bench/bench_floor.py --odoo-url http://127.0.0.1:8069 --odoo-db COPY --calls calls.json

``calls.json`` is what ``bench_sync.py`` captured while the daemon ran its first full cycle on a database whose
copy ``COPY`` is (taken before the cycle, so the ids are the same): every ``write``, ``load`` and ``create``
(activities) on the ERP's records, with its context. The floor merges them: one ``write`` per model and set of
values (all its ids), one ``load`` per model and columns (all its rows), one ``create`` per model (all activities),
each with the context the daemon used, so Odoo does the same work with nothing around it.
``bench_sync.py --odoo-master-password`` runs it for you on a copy of set B and prints it beside the daemon.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

#: Daemon bookkeeping, not the ERP's records: left out of the floor.
SKIPPED_MODELS = {"x_urgency_state", "ir.config_parameter"}
MUTATIONS = {"write", "load", "create"}


def merge(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The captured calls as the fewest calls that do the same (see the module's doc)."""
    writes: dict[str, dict[str, Any]] = {}
    loads: dict[str, dict[str, Any]] = {}
    creates: dict[str, dict[str, Any]] = {}
    for call in calls:
        model, method, args, kwargs = call["model"], call["method"], call["args"], call.get("kwargs") or {}
        context = json.dumps(kwargs.get("context") or {}, sort_keys=True)
        if method == "write":
            key = json.dumps([model, args[1], context], sort_keys=True, default=str)
            writes.setdefault(key, {"model": model, "method": "write", "args": [[], args[1]], "kwargs": kwargs})
            writes[key]["args"][0].extend(args[0])
        elif method == "load":
            key = json.dumps([model, args[0], context])
            loads.setdefault(key, {"model": model, "method": "load", "args": [args[0], []], "kwargs": kwargs})
            loads[key]["args"][1].extend(args[1])
        elif method == "create":
            key = json.dumps([model, context])
            creates.setdefault(key, {"model": model, "method": "create", "args": [[]], "kwargs": kwargs})
            creates[key]["args"][0].extend(args[0] if isinstance(args[0], list) else [args[0]])
    return [*creates.values(), *writes.values(), *loads.values()]


def replay(client: Any, merged: list[dict[str, Any]]) -> dict[str, Any]:
    """Send the merged calls; wall time, calls and records (what the floor row of the benchmark shows)."""
    started = time.perf_counter()
    records = 0
    for call in merged:
        client.call(call["model"], call["method"], *call["args"], idempotent=False, **call["kwargs"])
        records += len(call["args"][1] if call["method"] == "load" else call["args"][0])
    return {"wall_s": round(time.perf_counter() - started, 3), "rpc_calls": len(merged), "records": records,
            "top_costs": _top(client)}


def _top(client: Any) -> list[dict[str, Any]]:
    from odoo_urgency.connector.costs import top_costs

    return top_costs(client.stats.costs, n=6)


def main() -> None:
    import real_odoo

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    real_odoo.add_odoo_options(parser, "a copy of the database taken before the daemon's cycle")
    parser.add_argument("--calls", required=True, help="the calls bench_sync.py captured (JSON)")
    args = parser.parse_args()
    client = real_odoo.logged_in(real_odoo.connection(args, read_timeout=600))
    merged = merge(json.loads(Path(args.calls).read_text(encoding="utf-8")))
    print(json.dumps(replay(client, merged)))


if __name__ == "__main__":
    main()
