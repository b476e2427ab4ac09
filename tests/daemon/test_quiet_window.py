"""A quiet cycle reads nothing once the overlap has passed, however many orders the daemon wrote before.

The change window starts ``overlap_seconds`` before the later of the cursor and the server's time of the last look
(``jobs.daemon.changes``). Anchored at the cursor alone it stayed at the last write anyone made: on a real Odoo 17
with 10,024 open orders, every quiet cycle after the first read 10,024 stamps (1.0–1.5 s) for as long as nobody wrote
anything. The sandbox's clock is the test's, so "ten minutes later" is exact.
"""

from __future__ import annotations

from datetime import timedelta

from odoo_urgency.jobs.daemon.changes import WINDOW_FROM
from odoo_urgency.sandbox import Sandbox
from tests.clock import Clock
from tests.daemon.conftest import make_sync


def order_rows_read(costs: dict) -> int:
    return sum(cost.records for label, cost in costs.items() if label == "sale.order.search_read")


def test_quiet_cycles_stop_reading_what_the_first_cycle_wrote_once_the_overlap_passed() -> None:
    clock = Clock()
    with Sandbox(demo=True, now=clock) as sb:
        sync = make_sync(sb)
        sync.clock = clock
        first = sync.run_cycle()
        assert first.writes > 0
        clock.advance(minutes=1)
        within = sync.run_cycle()  # its own writes of a minute ago are still in the overlap: read, not news
        assert within.writes == 0 and order_rows_read(within.costs) > 0
        clock.advance(minutes=10)
        for _ in range(2):  # the window starts at the end of the cycle before the last: it lags one cycle
            sync.run_cycle()
            clock.advance(minutes=1)
        quiet = sync.run_cycle()
        assert (quiet.rpc_calls, quiet.writes, order_rows_read(quiet.costs)) == (5, 0, 0)
        assert sync.lease.read().extra[WINDOW_FROM] == format_now(clock, minutes=-1)


def format_now(clock: Clock, **delta: float) -> str:
    return f"{clock.now + timedelta(**delta):%Y-%m-%d %H:%M:%S}"
