"""The daemon as its own user, without administrator rights, after ``odoo-urgency install --daemon-user``: the
stories hold, the state and the lease live in ``x_urgency_state``, nothing is written to ``ir.config_parameter``
(whose writes clear every worker's caches), the quiet cycle costs five calls, and the API key never shows."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from odoo_urgency.connector import ConnectionSettings, OdooClient, detect
from odoo_urgency.jobs.admin.daemon_user import ensure_daemon_user
from odoo_urgency.jobs.admin.install import run_install
from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
from odoo_urgency.jobs.runtime.errors import LeaseHeld
from odoo_urgency.jobs.runtime.settings import DaemonSettings, Settings
from odoo_urgency.sandbox import Sandbox
from odoo_urgency.sandbox.orm import Env
from tests.daemon.conftest import activities, make_settings

BOT = "urgency-bot"
KEY = "9c1d5e7a3b2f4d6e8a0c1e3f5a7b9d1f3e5a7c9e"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bot(sb: Sandbox) -> Sandbox:
    with OdooClient(make_settings(sb).odoo) as admin:
        run_install(admin, out=lambda _: None)
        ensure_daemon_user(admin, BOT, dry_run=False, out=lambda _: None)
        bot_id = admin.search("res.users", [("login", "=", BOT)])[0]
        # Odoo refuses activities for others from a user without an e-mail address (#20): the README's setup
        # gives the daemon's user one, as an administrator would.
        partner = admin.read("res.users", [bot_id], ["partner_id"])[0]["partner_id"][0]
        admin.write("res.partner", [partner], {"email": "urgency-bot@example.com"})
        sb.env.add_api_key(bot_id, KEY)
    return sb


def bot_sync(sb: Sandbox, holder: str = "bot-daemon") -> Synchronizer:
    settings = Settings(odoo=ConnectionSettings(url=sb.url, database=sb.database, login=BOT,
                                                api_key=SecretStr(KEY), retry_attempts=3),  # type: ignore[arg-type]
                        daemon=DaemonSettings())
    client = OdooClient(settings.odoo, retry_base_wait=0.01)
    client.authenticate()
    return Synchronizer(client, detect(client, with_rights=False), settings, holder=holder)


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every changing call the ERP ran: (model, method)."""
    seen: list[tuple[str, str]] = []
    original = Env.call

    def spy(self: Env, uid: int, model: str, method: str, args: Any = (), kwargs: Any = None,
            trusted: bool = False) -> Any:
        if method in ("create", "write", "unlink", "set_param", "load"):
            seen.append((model, method))
        return original(self, uid, model, method, args, kwargs, trusted)

    monkeypatch.setattr(Env, "call", spy)
    return seen


def test_the_stories_hold_as_the_daemon_user(bot: Sandbox, writes: list[tuple[str, str]]) -> None:
    sync = bot_sync(bot)
    assert sync.schema.state_home and sync.home.where == "x_urgency_state" and sync.mode == "install"
    first = sync.run_cycle()
    assert first.errors == 0 and first.alerts > 0 and first.writes > 0
    # Odoo lets only administrators read mail.tracking.value: the overwrite check went off, the cycle went on
    assert sync.tracked == {}
    order = bot.env.read("sale.order", [1], ["x_urgency", "x_urgency_reason"])[0]
    assert order["x_urgency"] == "urgent" and "生产线紧急停机" in order["x_urgency_reason"]
    assert any(a["res_model"] == "sale.order" and a["res_id"] == 1 for a in activities(bot))
    quiet = sync.run_cycle()
    assert (quiet.writes, quiet.alerts, quiet.errors) == (0, 0, 0)
    assert quiet.rpc_calls == 5
    # the state and the lease in the daemon's own model; not one write to ir.config_parameter
    state = bot.env.search_read("x_urgency_state", [("x_name", "=", "state")], ["x_value"], uid=1)
    assert len(state) == 1 and json.loads(state[0]["x_value"])["lease"]["holder"] == "bot-daemon"
    assert not [w for w in writes if w[0] == "ir.config_parameter"]
    assert ("x_urgency_state", "write") in writes
    assert not bot.env.search("ir.config_parameter", [("key", "in", ["odoo_urgency.state", "odoo_urgency.memo"])])
    sync.release()


def test_two_daemon_processes_of_that_user_never_act_at_once(bot: Sandbox) -> None:
    first, second = bot_sync(bot, "host-a:1"), bot_sync(bot, "host-b:2")
    first.run_cycle()
    with pytest.raises(LeaseHeld, match="host-a:1"):
        second.run_cycle()
    first.release()
    assert second.run_cycle().errors == 0


def test_tag_mode_memo_and_backfill_checkpoint_live_in_the_home_too(bot: Sandbox) -> None:
    """A database whose fields were removed by hand (tag mode) but whose home remains keeps the memo there."""
    sync = bot_sync(bot)
    sync.install_mode = False
    sync.run_cycle()
    memo = bot.env.search_read("x_urgency_state", [("x_name", "=", "memo")], ["x_value", "x_parent_id"], uid=1)
    assert len(memo) == 1 and json.loads(memo[0]["x_value"])


@pytest.fixture
def daemon_env(bot: Sandbox, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")}
    env.update({"ODOO_URGENCY_URL": bot.url, "ODOO_URGENCY_DATABASE": bot.database, "ODOO_URGENCY_LOGIN": BOT,
                "ODOO_URGENCY_API_KEY": KEY, "ODOO_URGENCY_DAEMON__POLL_INTERVAL": "0.5",
                "ODOO_URGENCY_DAEMON__CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)})
    yield env


def cycles_done(sb: Sandbox) -> bool:
    rows = sb.env.search_read("x_urgency_state", [("x_name", "=", "state")], ["x_value"], uid=1)
    return bool(rows) and bool(json.loads(rows[0]["x_value"] or "{}").get("last_cycle"))


def test_the_api_key_stays_out_of_logs_and_the_process_title(bot: Sandbox, daemon_env: dict[str, str],
                                                             tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "odoo_urgency.jobs.cli", "--log-json", "run"], env=daemon_env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    titles = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and not cycles_done(bot):
            titles.append(Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode(errors="replace"))
            time.sleep(0.2)
        time.sleep(1.0)  # a quiet cycle or two more
        titles.append(Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode(errors="replace"))
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err[-2000:]
    assert cycles_done(bot) and '"event": "cycle"' in out + err
    for text in (*titles, out, err):
        assert KEY not in text


def test_a_wrong_api_key_is_refused_without_quoting_it(daemon_env: dict[str, str], tmp_path: Path) -> None:
    wrong = "0000111122223333444455556666777788889999"
    env = dict(daemon_env, ODOO_URGENCY_API_KEY=wrong)
    done = subprocess.run([sys.executable, "-m", "odoo_urgency.jobs.cli", "once"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 3 and wrong not in done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
