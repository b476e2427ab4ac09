"""A machine-readable line in an alert's note, for the ERP to tell back (``Draft.data``).

Sentences change with the language and leave out ids; so a note may also carry one line ``<label> item item …``
(e.g. ``odoo-urgency overtime: 3/2026-12-03/2.5``). The note lives on in Odoo — on the open activity and, once it is
marked done, in the chatter message Odoo posts with it — and the monthly report reads the line back from there.
:mod:`policies.planning.asks` and :mod:`policies.flagged` each define their label and item; the writing and finding
are here, once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["data_items", "data_paragraph"]


def data_paragraph(label: str, items: Iterable[str]) -> str:
    """``<p>label item item …</p>``; empty without items."""
    text = " ".join(items)
    return f"<p>{label} {text}</p>" if text else ""


def data_items(text: object, label: str, item: str) -> list[tuple[str, ...]]:
    """The capture groups of each item on the first ``label`` line of a note or message (none in other text).
    ``item`` is a regular expression whose groups are the item's parts."""
    if not isinstance(text, str):
        return []
    found = re.search(re.escape(label) + rf"((?:\s+{item})+)", text)
    return [tuple(parts) for parts in re.findall(item, found.group(1))] if found else []
