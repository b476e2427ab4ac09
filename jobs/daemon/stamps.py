"""A row's stamp: when it was last written, and by whom — how the daemon tells news from what it has seen.

``write_date`` has whole seconds over the external API, so an edit in the same second as the daemon's own write
would look the same; its author (``write_uid``) does not. Give the daemon a user of its own, so that the author
always tells.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

if TYPE_CHECKING:
    from jobs.runtime.settings import Settings

log = structlog.get_logger("daemon")


def stamp(row: dict[str, Any]) -> str:
    author = row.get("write_uid")
    if isinstance(author, (list, tuple)):
        author = author[0] if author else None
    return f"{row.get('write_date')}|{author or ''}"


IGNORED = ("write_date", "write_uid", "__last_update", "display_name")


def apply_values(row: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The row as Odoo will return it after ``values`` were written (x2many commands applied)."""
    updated = dict(row)
    for name, value in values.items():
        if isinstance(value, list) and value and isinstance(value[0], (list, tuple)):
            ids = list(updated.get(name) or [])
            for command in value:
                if command[0] == 4 and command[1] not in ids:
                    ids.append(command[1])
                elif command[0] == 3 and command[1] in ids:
                    ids.remove(command[1])
            updated[name] = ids
        else:
            updated[name] = value
    return updated


def same_row(actual: dict[str, Any], expected: dict[str, Any]) -> bool:
    for name, value in expected.items():
        if name in IGNORED:
            continue
        other = actual.get(name)
        if isinstance(value, list) and isinstance(other, list) and all(isinstance(v, int) for v in value + other):
            if sorted(value) != sorted(other):
                return False
        elif value != other and not (value in (None, False, "") and other in (None, False, "")):
            return False
    return True


class FingerprintCache:
    """A local file of the fingerprints: after a restart (or between ``once`` runs) rows the daemon already
    handled are not decided again. Only an optimisation: a lost or stale file costs round trips, never
    correctness, so it needs no place in the ERP."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_settings(cls, settings: Settings) -> FingerprintCache:
        folder = settings.daemon.cache_dir or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "odoo-urgency"
        name = hashlib.blake2b(f"{settings.odoo.url}|{settings.odoo.database}".encode(), digest_size=8).hexdigest()
        return cls(Path(folder) / f"fingerprints-{name}.json")

    def load(self) -> dict[tuple[str, int], Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):  # valid JSON, but not ours: as good as no file
                return {}
            return {(model, int(res_id)): str(value) for key, value in data.items()
                    for model, res_id in [key.rsplit(":", 1)]}
        except (OSError, ValueError):
            return {}

    def save(self, fingerprints: dict[tuple[str, int], Any]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({f"{m}:{i}": v for (m, i), v in fingerprints.items()}), encoding="utf-8")
            tmp.replace(self.path)
        except OSError as exc:
            log.warning("cache_not_saved", path=str(self.path), error=exc.strerror)
