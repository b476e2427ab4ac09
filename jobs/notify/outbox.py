"""The outbox: every push message's life, in SQLite, so delivery survives restarts and SIGKILL.

A row per (channel, alert key, person) — the alert's stable key, the same the Odoo to-do carries. Its states:

* ``pending`` — recorded *before* the to-do is created (the intent), waiting to be sent or retried;
* ``sending`` — marked, and committed, just before the send;
* ``sent`` — settled after the channel accepted it.

A process killed between send and settle leaves ``sending`` rows; the next start puts them back to ``pending``
and sends them again: at most one extra message, never a lost one. ``INSERT OR IGNORE`` on the unique key makes
recording the same intent twice harmless, so a situation planned again after a crash is still sent once.
Every write is one transaction, committed with ``synchronous=FULL``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    key TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    record TEXT NOT NULL,
    tier TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    digest INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try REAL NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    sent_at REAL,
    UNIQUE (channel, key, user_id)
);
CREATE INDEX IF NOT EXISTS messages_state ON messages (state, next_try);
"""


@dataclass
class Message:
    id: int
    channel: str
    key: str
    user_id: int
    record: str
    tier: str
    payload: dict[str, Any]
    attempts: int
    created: float


class Outbox:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> int:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.executemany(sql, list(rows))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return cursor.rowcount

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._db.execute(sql, args))

    def intend(self, rows: Iterable[tuple[str, str, int, str, str, dict[str, Any]]], now: float) -> int:
        """Record (channel, key, user_id, record, tier, payload) rows not recorded before; how many were new."""
        return self._write(
            "INSERT OR IGNORE INTO messages (channel, key, user_id, record, tier, payload, created, next_try) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((channel, key, user, record, tier, json.dumps(payload, ensure_ascii=False, default=str), now, now)
             for channel, key, user, record, tier, payload in rows))

    def recover(self) -> int:
        """Put messages a dead process was sending back in the queue (they are sent again: at most one extra)."""
        return self._write("UPDATE messages SET state = 'pending' WHERE state = 'sending'", [()])

    def due(self, now: float) -> list[Message]:
        rows = self._read("SELECT id, channel, key, user_id, record, tier, payload, attempts, created FROM messages "
                          "WHERE state = 'pending' AND next_try <= ? ORDER BY id", (now,))
        return [Message(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8]) for r in rows]

    def mark_sending(self, ids: list[int], digest: bool) -> None:
        self._write("UPDATE messages SET state = 'sending', digest = ? WHERE id = ?", ((int(digest), i) for i in ids))

    def settle(self, ids: list[int], now: float) -> None:
        self._write("UPDATE messages SET state = 'sent', sent_at = ? WHERE id = ?", ((now, i) for i in ids))

    def retry_later(self, ids: list[int], next_try: float) -> None:
        self._write("UPDATE messages SET state = 'pending', attempts = attempts + 1, next_try = ? WHERE id = ?",
                    ((next_try, i) for i in ids))

    def postpone(self, ids: list[int], next_try: float) -> None:
        self._write("UPDATE messages SET next_try = ? WHERE id = ?", ((next_try, i) for i in ids))

    def last_sent(self, channel: str, user_id: int, *, digest: bool) -> float | None:
        rows = self._read("SELECT MAX(sent_at) FROM messages WHERE channel = ? AND user_id = ? AND digest = ? "
                          "AND state = 'sent'", (channel, user_id, int(digest)))
        return rows[0][0] if rows and rows[0][0] is not None else None

    def singles_since(self, channel: str, user_id: int, since: float) -> tuple[int, set[str]]:
        """How many single messages went to this person on this channel since ``since``, and about which records."""
        rows = self._read("SELECT record FROM messages WHERE channel = ? AND user_id = ? AND digest = 0 "
                          "AND state = 'sent' AND sent_at >= ?", (channel, user_id, since))
        return len(rows), {row[0] for row in rows}

    def counts(self) -> dict[str, int]:
        return {state: count for state, count in self._read("SELECT state, COUNT(*) FROM messages GROUP BY state")}
