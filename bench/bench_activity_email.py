"""What the e-mail each new activity sends its assignee costs on a real Odoo (``[notify] odoo_activity_email``).

    python bench/bench_activity_email.py --odoo-url http://127.0.0.1:8069 --odoo-db PRIVATE_DB --activities 200

Odoo's ``mail.activity.create`` calls ``action_notify`` for every activity whose assignee is not the creating
user: it renders the assignment template and posts a message to the assignee (an inbox notification or a
``mail.mail`` in the outgoing queue), unless the context holds ``mail_activity_quick_update``. This creates
``--activities`` to-dos on the database's sale orders for another user in one ``create`` (as the daemon does),
first with the e-mail, then without, ``--rounds`` times each, deletes them, and prints the seconds per activity.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def one_round(client: Any, values: list[dict[str, Any]], email: bool) -> float:
    context = {} if email else {"mail_activity_quick_update": True}
    started = time.perf_counter()
    ids = client.call("mail.activity", "create", values, idempotent=False, context=context)
    seconds = time.perf_counter() - started
    client.unlink("mail.activity", ids)
    return seconds


def main() -> None:
    import real_odoo

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    real_odoo.add_odoo_options(parser)
    parser.add_argument("--assignee", default="demo", help="login of the user the to-dos are for (default: demo)")
    parser.add_argument("--activities", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    client = real_odoo.logged_in(real_odoo.connection(args, read_timeout=600))
    assignee = client.search("res.users", [("login", "=", args.assignee)])[0]
    # one activity per record (Odoo 17 refuses a create that subscribes one assignee twice to one record): on
    # partners made for the run and deleted after it
    records = client.create_many("res.partner", [{"name": f"BENCH activity target {i}", "ref": "BENCH"}
                                                 for i in range(args.activities)])
    model_id = client.search("ir.model", [("model", "=", "res.partner")])[0]
    todo = client.call("ir.model.data", "check_object_reference", "mail", "mail_activity_data_todo")[1]
    values = [{"res_model_id": model_id, "res_id": res_id, "activity_type_id": todo,
               "summary": f"bench {i}", "note": "<p>bench</p>", "user_id": assignee}
              for i, res_id in enumerate(records)]
    timings: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for email in (True, False):
            timings[email].append(one_round(client, values, email))
    client.unlink("res.partner", records)
    with_mail, without = statistics.median(timings[True]), statistics.median(timings[False])
    n = len(values)
    print(f"{n} activities in one create, median of {args.rounds}: with the e-mail {with_mail:.2f} s "
          f"({with_mail / n * 1000:.1f} ms each), without {without:.2f} s ({without / n * 1000:.1f} ms each); "
          f"the e-mail costs {(with_mail - without) / n * 1000:.1f} ms per activity")


if __name__ == "__main__":
    main()
