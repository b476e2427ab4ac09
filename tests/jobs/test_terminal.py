"""People-facing commands at a real terminal (a pseudo-terminal of 80 columns): results, not logs; no word
broken across lines; times in the configured zone (issue #11, findings 3 and 4)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from odoo_urgency.jobs.runtime.logs import level_for

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def at_terminal(args: list[str], tmp_path: Path, columns: int = 80, **env: str) -> str:
    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    base = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_") and k != "COLUMNS"}
    base.update({"ODOO_URGENCY_DAEMON__CACHE_DIR": str(tmp_path), "TERM": "xterm", **env})
    proc = subprocess.Popen([sys.executable, "-m", "odoo_urgency.jobs.cli", *args], stdin=secondary, stdout=secondary,
                            stderr=secondary, env=base, cwd=tmp_path, close_fds=True)
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    assert proc.wait(timeout=60) == 0
    return ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")).replace("\r\n", "\n")


def test_the_demo_at_80_columns_shows_results_without_logs_or_broken_words(tmp_path: Path) -> None:
    out = at_terminal(["demo"], tmp_path, ODOO_URGENCY_RULES__CALENDAR__TIMEZONE="Asia/Shanghai")
    first = out.lstrip().splitlines()[0]
    assert first.startswith("odoo-urgency: one sync cycle"), out[:500]   # no log lines before the results
    assert "times in" in out and "Asia/Shanghai" in out and " UTC" not in out
    words = " ".join(out.split())
    assert "requested delivery" in words and "WH/MO/00001" in out        # never "requeste│d", "WH/MO/000│01"
    assert max(len(line) for line in out.splitlines()) <= 80
    assert re.search(r"\((1 escalation|\d+ escalations)\)", words), words[-300:]   # "1 escalations" no more


def test_once_on_a_terminal_prints_its_summary_once(tmp_path: Path) -> None:
    from odoo_urgency.sandbox import Sandbox

    with Sandbox(demo=True) as sb:
        out = at_terminal(["once"], tmp_path, ODOO_URGENCY_URL=sb.url, ODOO_URGENCY_DATABASE=sb.database,
                          ODOO_URGENCY_LOGIN="admin", ODOO_URGENCY_PASSWORD="admin")
    assert out.count("writes ") == 1, out          # the summary, once: no "cycle" log line beside it
    assert "[info" not in out and out.strip().startswith("cycle:"), out


@pytest.mark.parametrize(("configured", "explicit", "for_a_person", "tty", "expected"), [
    ("info", None, True, True, "warning"),       # results, not logs, for a person at a terminal
    ("info", None, True, False, "info"),         # piped or in a journal: as configured
    ("info", None, False, True, "info"),         # a service (run) logs as configured
    ("error", None, True, True, "error"),        # never louder than configured
    ("info", "debug", True, True, "debug"),      # --log-level wins
])
def test_the_log_level_of_a_run(configured: str, explicit: str | None, for_a_person: bool, tty: bool,
                                expected: str) -> None:
    class Stream:
        def isatty(self) -> bool:
            return tty

    assert level_for(configured, explicit=explicit, for_a_person=for_a_person, stream=Stream()) == expected
