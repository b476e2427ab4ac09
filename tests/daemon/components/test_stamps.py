"""Stamps and the fingerprint cache: how the daemon tells news from what it has seen, across restarts.

Contract (``jobs.daemon.stamps``): a stamp is ``write_date`` *and* author, so an edit in the same second as the
daemon's own write still shows; the cache file survives a restart, and a lost, corrupt or unwritable file costs
round trips, never correctness (and never an exception).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import SecretStr

from odoo_urgency.connector import ConnectionSettings, OdooClient
from odoo_urgency.jobs.daemon.stamps import FingerprintCache, Fingerprints, stamp
from odoo_urgency.jobs.runtime.settings import DaemonSettings, Settings
from odoo_urgency.sandbox import Sandbox


def test_a_stamp_tells_the_author_apart_within_the_same_second() -> None:
    daemon = {"id": 1, "write_date": "2030-01-01 08:00:00", "write_uid": [5, "Urgency daemon"]}
    user = {"id": 1, "write_date": "2030-01-01 08:00:00", "write_uid": [6, "Marc Demo"]}
    assert stamp(daemon) != stamp(user)
    assert stamp(daemon) == stamp({**daemon, "write_uid": 5}) == "2030-01-01 08:00:00|5"
    assert stamp({"id": 1, "write_date": "2030-01-01 08:00:00", "write_uid": False}) == "2030-01-01 08:00:00|"
    assert stamp(daemon) != stamp({**daemon, "write_date": "2030-01-01 08:00:01"})


def test_stamps_of_real_rows_move_when_a_user_writes(sb: Sandbox, client: OdooClient) -> None:
    fields = ["write_date", "write_uid"]
    before = stamp(client.read("sale.order", [4], fields)[0])
    assert stamp(client.read("sale.order", [4], fields)[0]) == before          # reading changes nothing
    sb.env.write("sale.order", [4], {"client_order_ref": "PO-1"}, uid=6)
    assert stamp(client.read("sale.order", [4], fields)[0]) != before


def test_the_fingerprints_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "fingerprints.json"
    seen = {("sale.order", 1): "2030-01-01 08:00:00|2", ("mrp.production", 12): "2030-01-01 08:00:05|6",
            ("stock.picking", 3): "2030-01-01 07:59:00|"}
    FingerprintCache(path).save(seen)                # creates the folder
    assert FingerprintCache(path).load() == seen     # a new process, the same file
    FingerprintCache(path).save({("sale.order", 1): "2030-01-01 09:00:00|2"})
    assert FingerprintCache(path).load() == {("sale.order", 1): "2030-01-01 09:00:00|2"}   # replaced, not merged
    assert [p.name for p in path.parent.iterdir()] == ["fingerprints.json"]                 # no temp file left


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2, 3]", '{"sale.order": "no id"}', '{"x:notanumber": 1}'])
def test_a_corrupt_cache_costs_nothing_but_itself(tmp_path: Path, content: str) -> None:
    path = tmp_path / "fingerprints.json"
    path.write_text(content, encoding="utf-8")
    cache = FingerprintCache(path)
    assert cache.load() == {}                        # everything looks new: decided again, nothing lost
    cache.save({("sale.order", 2): "2030-01-01 08:00:00|2"})
    assert cache.load() == {("sale.order", 2): "2030-01-01 08:00:00|2"}


def test_a_missing_or_unwritable_cache_is_only_a_warning(tmp_path: Path) -> None:
    assert FingerprintCache(tmp_path / "none.json").load() == {}
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    cache = FingerprintCache(blocker / "sub" / "fingerprints.json")   # its folder cannot be made
    cache.save({("sale.order", 1): "x"})                              # no exception
    assert cache.load() == {}


def test_each_database_has_a_cache_of_its_own(tmp_path: Path) -> None:
    def settings(url: str, database: str) -> Settings:
        odoo = ConnectionSettings(url=url, database=database, login="admin", password=SecretStr("x"))
        return Settings(odoo=odoo, daemon=DaemonSettings(cache_dir=tmp_path))

    one = FingerprintCache.for_settings(settings("https://erp.example.com", "prod"))
    assert one.path.parent == tmp_path
    assert one.path == FingerprintCache.for_settings(settings("https://erp.example.com", "prod")).path
    assert one.path != FingerprintCache.for_settings(settings("https://erp.example.com", "test")).path
    assert one.path != FingerprintCache.for_settings(settings("https://other.example.com", "prod")).path
    one.save({("sale.order", 1): "a|2"})
    assert json.loads(one.path.read_text(encoding="utf-8")) == {"sale.order:1": "a|2"}


def test_what_the_daemon_has_seen_is_not_news_until_someone_writes_again(
        sb: Sandbox, client: OdooClient, tmp_path: Path) -> None:
    fields = ["write_date", "write_uid"]
    seen = Fingerprints(FingerprintCache(tmp_path / "fp.json"))
    row = client.read("sale.order", [4], fields)[0]
    assert seen.is_news("sale.order", row)                            # never seen
    seen.remember(("sale.order", 4), row)
    assert not seen.is_news("sale.order", client.read("sale.order", [4], fields)[0])
    assert seen.is_news("mrp.production", {**row, "id": 4})           # the key is the model and the id
    sb.env.write("sale.order", [4], {"client_order_ref": "PO-2"}, uid=6)
    assert seen.is_news("sale.order", client.read("sale.order", [4], fields)[0])
    seen.save()
    again = Fingerprints(FingerprintCache(tmp_path / "fp.json"))      # after a restart
    assert not again.is_news("sale.order", row)
    again.forget(("sale.order", 4))
    assert again.is_news("sale.order", row)


def test_pruning_forgets_only_what_lies_before_the_window() -> None:
    seen = Fingerprints()
    seen.remember(("sale.order", 1), {"id": 1, "write_date": "2030-01-01 07:00:00", "write_uid": [2, "a"]})
    seen.remember(("sale.order", 2), {"id": 2, "write_date": "2030-01-01 08:00:00", "write_uid": [2, "a"]})
    seen.remember(("sale.order", 3), {"id": 3, "write_date": "2030-01-01 08:30:00", "write_uid": [6, "b"]})
    seen.prune("2030-01-01 08:00:00")
    assert sorted(seen.seen) == [("sale.order", 2), ("sale.order", 3)]
    seen.save()                                                       # without a cache: nothing to do, no error
