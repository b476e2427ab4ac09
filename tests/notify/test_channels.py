"""Channel settings, filters, the digest and retry rules, and secrets that never leak (issue 14)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from odoo_urgency.jobs import cli
from odoo_urgency.jobs.notify import ChannelError, ChannelSettings, NotifySettings, build_channels
from odoo_urgency.jobs.notify.channels import Channel
from odoo_urgency.jobs.notify.dispatcher import Dispatcher
from odoo_urgency.jobs.notify.message import payload_of
from odoo_urgency.jobs.notify.outbox import Outbox
from odoo_urgency.jobs.runtime import logs
from odoo_urgency.jobs.runtime.settings import SettingsError, load_settings
from odoo_urgency.policies import Alert, Rules, Tier
from odoo_urgency.policies.routing import Person
from odoo_urgency.sandbox import Sandbox

TOKEN = "tok-9f8e7d6c5b4a3210-SECRET"
NOW = datetime(2026, 12, 3, 3, 27, tzinfo=UTC)


def alert(key: str = "delivery:stock.picking:3", tier: Tier = Tier.URGENT, role: str = "logistics", user: int = 9,
          res_id: int = 3) -> Alert:
    return Alert(key=key, kind="delivery", role=role, roles=[role], keys=[key], model="stock.picking", res_id=res_id,
                 user_id=user, summary="s", note="n", due=NOW - timedelta(hours=2), date_deadline=NOW.date(),
                 tier=tier, headline="Urgent delivery WH/OUT/00003 for S00008", action="ship", what=["What."],
                 why="Why: rush.", todo=["Ship."])


def test_channels_from_the_environment_as_a_toml_literal(tmp_path: Path) -> None:
    env = {"ODOO_URGENCY_NOTIFY__CHANNELS": '[{url="json://127.0.0.1:9000/hook", roles=["salesperson","planner"], '
                                            'tiers=["urgent","special"]}]', "ODOO_URGENCY_CONFIG": ""}
    channel = load_settings(environ=env).notify.channels[0]
    assert channel.roles == ["salesperson", "planner"] and [t.value for t in channel.tiers] == ["urgent", "special"]
    assert channel.secret_url() == "json://127.0.0.1:9000/hook"


@pytest.mark.parametrize(("value", "message"), [
    ('[{roles=["salesperson"]}]', "give exactly one of url, url_env or url_file"),
    (f'[{{url="json://h/{TOKEN}", url_env="X"}}]', "give exactly one of url, url_env or url_file"),
    (f'[{{url="json://h/{TOKEN}", roles=["boss"]}}]', "unknown role 'boss'"),
    (f'[{{url="json://h/{TOKEN}", tiers=["very"]}}]', "must be 'normal', 'special' or 'urgent'"),
])
def test_bad_channel_settings_are_one_line_without_the_url(value: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(environ={"ODOO_URGENCY_NOTIFY__CHANNELS": value, "ODOO_URGENCY_CONFIG": ""})
    assert message in str(caught.value) and TOKEN not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_url_from_env_or_file_and_errors_name_the_place(tmp_path: Path) -> None:
    secret_file = tmp_path / "hook.url"
    secret_file.write_text(f"json://127.0.0.1:9/{TOKEN}\n")
    assert ChannelSettings(url_file=secret_file).secret_url() == f"json://127.0.0.1:9/{TOKEN}"
    assert ChannelSettings(url_env="HOOK").secret_url({"HOOK": "json://x/y"}) == "json://x/y"
    with pytest.raises(ChannelError, match=r"notify.channels\[0\] \(team\): environment variable HOOK is not set"):
        build_channels([ChannelSettings(name="team", url_env="HOOK")], environ={})
    with pytest.raises(ChannelError) as caught:
        build_channels([ChannelSettings(name="odd", url=f"nosuchservice://{TOKEN}")])  # type: ignore[arg-type]
    assert "apprise does not understand its URL" in str(caught.value) and TOKEN not in str(caught.value)


def test_no_url_or_token_in_a_repr() -> None:
    settings = ChannelSettings(url=f"json://127.0.0.1:9/hook/{TOKEN}")  # type: ignore[arg-type]
    channel = build_channels([settings])[0]
    everything = [repr(settings), str(settings), repr(channel), str(channel), repr(NotifySettings(channels=[settings])),
                  json.dumps(settings.model_dump(mode="json"))]
    assert not [text for text in everything if TOKEN in text]


def test_filters_roles_tiers_users_languages() -> None:
    def channel(**filters: object) -> Channel:
        return Channel("c", ChannelSettings(url="json://h/x", **filters), "json://h/x")  # type: ignore[arg-type]

    zh = Person(id=9, login="logistics", name="L", lang="zh_CN")
    assert channel().accepts(alert(), None)
    assert channel(roles=["logistics"]).accepts(alert(), zh) and not channel(roles=["planner"]).accepts(alert(), zh)
    assert not channel(tiers=["special"]).accepts(alert(), zh)
    assert channel(users=["logistics"]).accepts(alert(), zh) and not channel(users=["logistics"]).accepts(alert(), None)
    assert channel(language="zh").accepts(alert(), zh) and not channel(language=["en"]).accepts(alert(), zh)


class FakeChannel(Channel):
    def __init__(self, ok: bool = True) -> None:
        super().__init__("fake", ChannelSettings(url="json://h/x"), "json://h/x")  # type: ignore[arg-type]
        self.ok = ok
        self.sent: list[tuple[str, str]] = []

    def send(self, title: str, body: str) -> tuple[bool, str]:
        if not self.ok:
            return False, "down"
        self.sent.append((title, body))
        return True, ""


def dispatcher(tmp_path: Path, channel: FakeChannel, **settings: object) -> tuple[Dispatcher, Outbox]:
    outbox = Outbox(tmp_path / "o.sqlite3")
    return Dispatcher(outbox, [channel], NotifySettings(**settings), Rules(), "http://erp"), outbox  # type: ignore[arg-type]


def intend(outbox: Outbox, *alerts: Alert) -> None:
    outbox.intend([("fake", a.key, a.user_id, f"{a.model}:{a.res_id}", a.tier.value if a.tier else "",
                    payload_of(a, {"name": "Logistics Clerk"})) for a in alerts], NOW.timestamp())


def test_backoff_doubles_up_to_the_cap_and_then_delivers(tmp_path: Path) -> None:
    channel = FakeChannel(ok=False)
    flush, outbox = dispatcher(tmp_path, channel, retry_base_seconds=10, retry_max_seconds=35)
    intend(outbox, alert())
    now, waits = NOW, []
    for _ in range(4):
        assert flush.flush(now).failed == 1
        waits.append(outbox.due(now.timestamp() + 1000)[0].attempts)
        row = outbox._read("SELECT next_try FROM messages")[0][0]
        waits[-1] = round(row - now.timestamp())
        now = datetime.fromtimestamp(row, UTC)
    assert waits == [10, 20, 35, 35]
    assert flush.flush(now - timedelta(seconds=1)).failed == 0           # not due yet: nothing tried
    channel.ok = True
    assert flush.flush(now).sent == 1 and outbox.counts() == {"sent": 1}


def test_normal_tier_and_repeats_fold_into_one_digest_per_interval(tmp_path: Path) -> None:
    channel = FakeChannel()
    flush, outbox = dispatcher(tmp_path, channel, digest_minutes=30, burst=5)
    intend(outbox, alert("a:stock.picking:3"), alert("b:stock.picking:3"),            # same record: a repeat
           alert("c:stock.picking:4", tier=Tier.NORMAL, res_id=4))
    flush.flush(NOW)
    titles = [title for title, _ in channel.sent]
    assert len(titles) == 2 and "overdue since 12-03 01:27 — ship now" in titles[0]
    digest = channel.sent[1][1]
    assert "b:stock.picking:3" in digest and "c:stock.picking:4" in digest
    intend(outbox, alert("d:stock.picking:5", tier=Tier.NORMAL, res_id=5))
    flush.flush(NOW + timedelta(minutes=10))
    assert len(channel.sent) == 2                                    # the next digest waits for the interval
    flush.flush(NOW + timedelta(minutes=31))
    assert len(channel.sent) == 3 and "d:stock.picking:5" in channel.sent[2][1]


def test_chinese_message(tmp_path: Path) -> None:
    from odoo_urgency.jobs.notify.message import render

    title, body = render(payload_of(alert(), {"name": "物流"}), Rules(language="zh"), NOW, "http://erp")
    assert "已于 12-03 01:27 逾期——请立即发运" in title and "接收人：物流（物流）。" in body


def test_no_url_or_token_in_any_log_line_or_output(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A failing channel (nothing listens on port 9) is logged and counted, by name only."""
    with Sandbox(demo=True) as sb:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("ODOO_URGENCY_CONFIG", "")
        monkeypatch.setenv("ODOO_URGENCY_URL", sb.url)
        monkeypatch.setenv("ODOO_URGENCY_DATABASE", sb.database)
        monkeypatch.setenv("ODOO_URGENCY_LOGIN", "admin")
        monkeypatch.setenv("ODOO_URGENCY_PASSWORD", "admin")
        monkeypatch.setenv("ODOO_URGENCY_DAEMON__CACHE_DIR", str(tmp_path))
        monkeypatch.setenv("ODOO_URGENCY_NOTIFY__CHANNELS",
                           f'[{{name="team", url="json://127.0.0.1:9/hook/{TOKEN}?secret={TOKEN}"}}]')
        code = cli.main(["--log-level", "debug", "once"])
        out = capsys.readouterr()
    assert code == 0, out.err
    assert "push_failed" in out.err and "team" in out.err
    assert "push: 0 sent (0 digests), " in out.out and "failed" in out.out
    assert TOKEN not in out.out + out.err
    stream = io.StringIO()
    logs.configure("debug", json_lines=True, stream=stream)
    channel = build_channels([ChannelSettings(name="t", url=f"json://127.0.0.1:9/{TOKEN}")])[0]  # type: ignore[arg-type]
    ok, why = channel.send("title", "body")
    assert not ok and TOKEN not in why and TOKEN not in stream.getvalue()
