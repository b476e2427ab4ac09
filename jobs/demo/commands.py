"""Sub-commands that start the embedded sandbox ERP: ``demo`` and ``sandbox``.

The only product code that imports :mod:`sandbox` (to start it); everything else talks to it over HTTP.
"""

from __future__ import annotations

import argparse
import errno
import signal
import tempfile
from contextlib import closing
from pathlib import Path

from pydantic import SecretStr
from rich.console import Console

from odoo_urgency.connector import ConnectionSettings, OdooClient, detect
from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
from odoo_urgency.jobs.demo.sink import DemoSink
from odoo_urgency.jobs.demo.table import WIDE, render, snapshot
from odoo_urgency.jobs.notify import ChannelSettings, NotifySettings
from odoo_urgency.jobs.notify.notifier import notifier_for
from odoo_urgency.jobs.runtime.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, JobError
from odoo_urgency.jobs.runtime.settings import Settings

#: The sandbox's default port: beside, never on, a real Odoo's 8069.
SANDBOX_PORT = 18069


def cmd_sandbox(args: argparse.Namespace) -> int:
    from odoo_urgency import sandbox

    _check_data_path(args.data)
    try:
        stopped_by = sandbox.serve(port=args.port, data=args.data, database=args.database, demo=args.demo,
                                   odoo_version=args.odoo_version,
                                   purchase=not args.without_purchase)
    except OSError as exc:
        raise _port_error(args.port, exc) from exc
    return EXIT_INTERRUPTED if stopped_by == signal.SIGINT else EXIT_OK


def _check_data_path(data: str | None) -> None:
    """A ``--data`` file must be creatable: its folder exists."""
    if data and not Path(data).expanduser().resolve().parent.is_dir():
        raise JobError(f"--data {data}: the folder {Path(data).parent} does not exist", EXIT_USAGE)


def _port_error(port: int, exc: OSError) -> JobError:
    if exc.errno == errno.EADDRINUSE:
        return JobError(f"--port {port}: the port is already in use (another sandbox or an Odoo?); "
                        "choose another with --port", EXIT_USAGE)
    return JobError(f"cannot start the sandbox on port {port}: {exc.strerror or exc}", EXIT_PROBLEMS)


def cmd_demo(args: argparse.Namespace) -> int:
    from odoo_urgency.jobs.runtime.connect import settings_from
    from odoo_urgency.sandbox import Sandbox

    base = settings_from(args)
    _check_data_path(args.data)
    console = Console()
    if not console.is_terminal:
        console = Console(width=WIDE)  # piped into a file or a pager: one wide table reads best
    try:
        sandbox = Sandbox(demo=True, data=args.data, port=args.port).start()
    except OSError as exc:
        raise _port_error(args.port, exc) from exc
    code = EXIT_OK
    with closing(sandbox) as sb, DemoSink() as sink, \
            tempfile.TemporaryDirectory(prefix="odoo-urgency-demo-") as scratch:
        settings = Settings(odoo=ConnectionSettings(url=sb.url, database=sb.database, login="admin",
                                                       password=SecretStr("admin")),
                            daemon=base.daemon.model_copy(update={"cache_dir": None}), logging=base.logging,
                            rules=base.rules, notify=_demo_notify(base, sink, Path(scratch)))
        client = OdooClient(settings.odoo)
        client.authenticate()
        if not args.tags_only:
            _install(client, settings)
        schema = detect(client, with_rights=False)
        calendar = settings.rules.calendar
        before = snapshot(client, schema, calendar)
        sync = Synchronizer(client, schema, settings, holder="odoo-urgency-demo")
        notifier = notifier_for(settings, sync.people.current)
        assert notifier is not None  # the demo always has a channel: yours, or its own local webhook
        sync.before_create = notifier.intend
        summary = sync.run_cycle()
        after = snapshot(client, schema, calendar)
        render(before, after, summary, console, calendar.timezone)
        notifier.drain(timeout=30)
        if not base.notify.channels:
            sink.show(console)
        if args.serve:
            console.print(f"\nThe sandbox ERP is at {sb.url} (database {sb.database!r}; admin/admin, demo/demo).\n"
                          f"Try, in another terminal:\n"
                          f"  ODOO_URGENCY_URL={sb.url} ODOO_URGENCY_DATABASE={sb.database} ODOO_URGENCY_LOGIN=admin "
                          "ODOO_URGENCY_PASSWORD=admin "
                          f"odoo-urgency explain S00001\n"
                          "The daemon keeps running here (a cycle every poll_interval seconds); Ctrl-C stops both.")
            from odoo_urgency.jobs.daemon.service import Daemon

            daemon = Daemon(sync, poll_interval=settings.daemon.poll_interval,
                            max_backoff=settings.daemon.max_backoff_seconds)
            daemon.install_signal_handlers()
            notifier.start()
            daemon.run()
            code = EXIT_INTERRUPTED if daemon.interrupted else EXIT_OK
        else:
            console.print("Run `odoo-urgency demo --serve` to keep the sandbox and the daemon running.")
        notifier.stop()
        client.close()
    return code


def _demo_notify(base: Settings, sink: DemoSink, scratch: Path) -> NotifySettings:
    """Your [notify] channels if you configured some, else the demo's local webhook; a throw-away outbox."""
    channels = base.notify.channels or [ChannelSettings(name="demo-webhook", url=SecretStr(sink.url))]
    return base.notify.model_copy(update={"channels": channels, "outbox": scratch / "outbox.sqlite3"})


def _install(client: OdooClient, settings: Settings) -> None:
    try:
        from odoo_urgency.jobs.admin import install
    except ImportError:  # the install job is optional for the demo: tag mode works without it
        return
    install.run_install(client, language=settings.rules.language, out=lambda *_: None)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    demo = sub.add_parser("demo", help="start the sandbox ERP with demo data, run one cycle, show before/after")
    demo.add_argument("--serve", action="store_true", help="keep the sandbox and the daemon running afterwards")
    demo.add_argument("--port", type=int, default=0, help="sandbox port (default: any free port)")
    demo.add_argument("--data", help="SQLite file for the sandbox (default: in memory)")
    demo.add_argument("--tags-only", action="store_true", help="skip the install: tags and activities only")
    demo.set_defaults(handler=cmd_demo)

    sandbox_cmd = sub.add_parser("sandbox", help="serve the embedded Odoo-compatible sandbox ERP")
    sandbox_cmd.add_argument("--port", type=int, default=SANDBOX_PORT,
                             help=f"port on 127.0.0.1 (default {SANDBOX_PORT}: not a real Odoo's 8069)")
    sandbox_cmd.add_argument("--data", help="SQLite file that keeps the state (default: in memory)")
    sandbox_cmd.add_argument("--database", default="odoo",
                             help="the database name clients log in to (default: odoo)")
    sandbox_cmd.add_argument("--demo", action="store_true", help="load the demo stories")
    sandbox_cmd.add_argument("--odoo-version", type=int, choices=(17, 19), default=17,
                             help="answer as Odoo 17 (default) or as Odoo 19 (stock references, JSON-2 with an API key)")
    sandbox_cmd.add_argument("--without-purchase", action="store_true", help="an ERP without the purchase app")
    sandbox_cmd.set_defaults(handler=cmd_sandbox)
