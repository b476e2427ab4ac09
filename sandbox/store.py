"""The record store: one dict per model in memory, written through to SQLite.

Reads never touch SQLite: every record lives in ``tables[model][id]`` (a plain dict of
JSON-able values). Writes go to memory at once and are journaled; :meth:`Store.commit`
flushes the dirty records of the current call to SQLite in one transaction, and
:meth:`Store.rollback` puts back the values saved before the first change of each record
— so a failing RPC call leaves nothing behind, like a PostgreSQL transaction.

SQLite layout: one table per model (``id INTEGER PRIMARY KEY, data TEXT`` holding JSON)
plus ``_meta`` (key/value JSON: id counters and name sequences). ``path=None`` uses an
in-memory database (same code path, no file).
"""

from __future__ import annotations

import copy
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

Record = dict[str, Any]
_ABSENT = object()


def _table(model: str) -> str:
    return '"m_' + model.replace(".", "_") + '"'


class Store:
    """In-memory tables with a per-transaction undo journal and SQLite write-through."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = str(path) if path is not None else ":memory:"
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL" if path is not None else "PRAGMA journal_mode=MEMORY")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT)")
        self.lock = threading.RLock()
        self.tables: dict[str, dict[int, Record]] = {}
        self.meta: dict[str, Any] = {}
        self._undo: dict[tuple[str, int], Any] = {}
        self._meta_undo: dict[str, Any] = {}
        self._load()

    # -- loading -----------------------------------------------------------------------
    def _load(self) -> None:
        for key, value in self._db.execute("SELECT key, value FROM _meta"):
            self.meta[key] = json.loads(value)
        names = [
            r[0]
            for r in self._db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'm\\_%' ESCAPE '\\'"
            )
        ]
        for table in names:
            model = self.meta.get("tables", {}).get(table)
            if model is None:
                continue
            rows = self.tables.setdefault(model, {})
            for rid, data in self._db.execute(f'SELECT id, data FROM "{table}"'):
                rows[rid] = json.loads(data)

    @property
    def is_empty(self) -> bool:
        return not any(self.tables.values())

    # -- access --------------------------------------------------------------------------
    def table(self, model: str) -> dict[int, Record]:
        return self.tables.setdefault(model, {})

    def next_id(self, model: str) -> int:
        """Like a PostgreSQL sequence: ids are never reused, even after a rollback."""
        counters = self.meta.get("ids", {})
        current = max(counters.get(model, 0), max(self.table(model), default=0))
        self.set_meta("ids", {**counters, model: current + 1})
        return current + 1

    def bump_id(self, model: str, rid: int) -> None:
        counters = self.meta.get("ids", {})
        if counters.get(model, 0) < rid:
            self.set_meta("ids", {**counters, model: rid})

    def set_meta(self, key: str, value: Any) -> None:
        if key not in self._meta_undo:
            self._meta_undo[key] = copy.deepcopy(self.meta.get(key, _ABSENT))
        self.meta[key] = value

    def _remember(self, model: str, rid: int) -> None:
        key = (model, rid)
        if key not in self._undo:
            old = self.table(model).get(rid)
            self._undo[key] = _ABSENT if old is None else copy.deepcopy(old)

    def put(self, model: str, rid: int, record: Record) -> None:
        self._remember(model, rid)
        self.table(model)[rid] = record

    def touch(self, model: str, rid: int) -> Record:
        """The record, journaled for an in-place change."""
        self._remember(model, rid)
        return self.table(model)[rid]

    def delete(self, model: str, rid: int) -> None:
        self._remember(model, rid)
        self.table(model).pop(rid, None)

    # -- transactions --------------------------------------------------------------------
    def journal(self) -> dict[tuple[str, int], Any]:
        """The records the current transaction changed → their values before it (``None``: it created them)."""
        return {key: (None if old is _ABSENT else copy.deepcopy(old)) for key, old in self._undo.items()}

    def commit(self) -> None:
        if not self._undo and not self._meta_undo:
            return
        db = self._db
        db.execute("BEGIN")
        try:
            tables = dict(self.meta.get("tables", {}))
            for model in {m for m, _ in self._undo}:
                name = _table(model)
                if name.strip('"') not in tables:
                    tables[name.strip('"')] = model
                    self.meta["tables"] = tables
                    self._meta_undo.setdefault("tables", None)
                db.execute(f"CREATE TABLE IF NOT EXISTS {name} (id INTEGER PRIMARY KEY, data TEXT NOT NULL)")
            upserts: dict[str, list[tuple[int, str]]] = {}
            deletes: dict[str, list[tuple[int]]] = {}
            for model, rid in self._undo:
                rec = self.table(model).get(rid)
                if rec is None:
                    deletes.setdefault(model, []).append((rid,))
                else:
                    upserts.setdefault(model, []).append((rid, json.dumps(rec, ensure_ascii=False)))
            for model, rows in upserts.items():
                db.executemany(f"INSERT OR REPLACE INTO {_table(model)} (id, data) VALUES (?, ?)", rows)
            for model, keys in deletes.items():
                db.executemany(f"DELETE FROM {_table(model)} WHERE id = ?", keys)
            db.executemany(
                "INSERT OR REPLACE INTO _meta (key, value) VALUES (?, ?)",
                [(k, json.dumps(self.meta[k])) for k in self._meta_undo if k in self.meta],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._undo.clear()
        self._meta_undo.clear()

    def rollback(self) -> None:
        for (model, rid), old in self._undo.items():
            if old is _ABSENT:
                self.table(model).pop(rid, None)
            else:
                self.table(model)[rid] = old
        ids = self.meta.get("ids")  # id counters survive a rollback, like sequences
        for key, old in self._meta_undo.items():
            if old is _ABSENT or old is None:
                self.meta.pop(key, None)
            else:
                self.meta[key] = old
        if ids is not None:
            self.meta["ids"] = ids
            self._meta_undo = {"ids": None}
        else:
            self._meta_undo.clear()
        self._undo.clear()

    def close(self) -> None:
        self._db.close()
