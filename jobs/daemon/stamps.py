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
    from odoo_urgency.jobs.runtime.settings import Settings

log = structlog.get_logger("daemon")


Key = tuple[str, int]


def stamp(row: dict[str, Any]) -> str:
    author = row.get("write_uid")
    if isinstance(author, (list, tuple)):
        author = author[0] if author else None
    return f"{row.get('write_date')}|{author or ''}"


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


class Fingerprints:
    """What the daemon has seen: (model, id) → the stamp of the row it last decided on or wrote.

    A row whose stamp is the one remembered is not news. Kept in memory for the daemon's life, saved to the
    :class:`FingerprintCache` after each cycle, and pruned to the polling window so memory stays bounded.
    """

    def __init__(self, cache: FingerprintCache | None = None) -> None:
        self.cache = cache
        self.seen: dict[Key, Any] = cache.load() if cache else {}

    def is_news(self, model: str, row: dict[str, Any]) -> bool:
        return self.seen.get((model, int(row["id"]))) != stamp(row)

    def remember(self, key: Key, row: dict[str, Any]) -> None:
        self.seen[key] = stamp(row)

    def remember_value(self, key: Key, value: str) -> None:
        """A fingerprint of another kind (``value`` starts with a wire datetime, so pruning treats it alike)."""
        self.seen[key] = value

    def get(self, key: Key) -> Any:
        return self.seen.get(key)

    def forget(self, key: Key) -> None:
        self.seen.pop(key, None)

    def prune(self, horizon: str) -> None:
        """Forget stamps older than ``horizon`` (a wire datetime): those rows are read again only by a rescan,
        which decides every open order anyway."""
        stale = [key for key, value in self.seen.items() if not value or str(value).split("|")[0] < horizon]
        for key in stale:
            del self.seen[key]

    def save(self) -> None:
        if self.cache:
            self.cache.save(self.seen)
