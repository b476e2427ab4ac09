"""A row's stamp: when it was last written, and by whom — how the daemon tells news from what it has seen.

``write_date`` has whole seconds over the external API, so an edit in the same second as the daemon's own write
would look the same; its author (``write_uid``) does not. Give the daemon a user of its own, so that the author
always tells.
"""

from __future__ import annotations

from typing import Any


def stamp(row: dict[str, Any]) -> str:
    author = row.get("write_uid")
    if isinstance(author, (list, tuple)):
        author = author[0] if author else None
    return f"{row.get('write_date')}|{author or ''}"
