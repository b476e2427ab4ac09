"""The states of Odoo's documents that the rules and the shell both speak of: the one place they are listed.

Odoo 16 has one more sale order state, ``done`` ("Locked"): a processed order like ``sale``.
"""

from __future__ import annotations

#: A quotation nobody has confirmed yet: its processing clock is running.
ORDER_UNPROCESSED: tuple[str, ...] = ("draft", "sent")
#: Confirmed: processed (``date_order`` holds the confirmation time).
ORDER_PROCESSED: tuple[str, ...] = ("sale", "done")
#: Orders the daemon looks at: unprocessed quotations and confirmed orders still being made and shipped.
ORDER_OPEN: tuple[str, ...] = ("draft", "sent", "sale")
#: Manufacturing orders and transfers that are over: nothing to plan or alert about.
CLOSED: tuple[str, ...] = ("done", "cancel")
#: Manufacturing orders that have not started: their planned start may still move.
MO_UNSTARTED: tuple[str, ...] = ("draft", "confirmed")
