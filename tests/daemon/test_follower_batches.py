"""Activity batches never hold two activities for one person on one record (Odoo 17 refuses such a batch:
"a partner cannot follow twice the same object", measured on a real 17 with bench/bench_activity_email.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from odoo_urgency.jobs.daemon.writer import one_per_follower
from odoo_urgency.policies import Alert


def _alert(key: str, res_id: int, user_id: int) -> Alert:
    return Alert(key=key, kind="confirm", role="salesperson", model="sale.order", res_id=res_id, user_id=user_id,
                 summary=key, note="<p>x</p>", due=datetime(2026, 12, 3, tzinfo=UTC), date_deadline=date(2026, 12, 3))


def test_a_second_activity_for_the_same_person_and_record_waits_for_the_next_batch() -> None:
    alerts = [_alert("a", 1, 7), _alert("b", 1, 7), _alert("c", 1, 8), _alert("d", 2, 7), _alert("e", 1, 7)]
    batches = one_per_follower(alerts, size=500)
    assert [[a.key for a in batch] for batch in batches] == [["a", "c", "d"], ["b"], ["e"]]
    for batch in batches:
        keys = [(a.model, a.res_id, a.user_id) for a in batch]
        assert len(keys) == len(set(keys))


def test_batches_keep_their_size_and_every_alert() -> None:
    alerts = [_alert(f"k{i}", i, 7) for i in range(1201)]
    batches = one_per_follower(alerts, size=500)
    assert [len(b) for b in batches] == [500, 500, 201]
    assert [a.key for b in batches for a in b] == [a.key for a in alerts]
