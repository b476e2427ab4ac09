"""The README's "Using it with your Odoo" block, pasted line by line into one fresh bash against the sandbox.

Only what a person types in place of the README's placeholders changes: the server's URL and database, the API
keys (``...``), the virtual environment's folder. The administrator's key, and the daemon user's key that a person
makes in Odoo's web client after ``install --daemon-user`` printed how, are given by the sandbox at the moment the
README needs them. ``run`` gets Ctrl-C after a few seconds, as a person would stop it: the README says it exits 130.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from odoo_urgency.sandbox import Sandbox

README = Path(__file__).resolve().parents[2] / "README.md"
ADMIN_KEY = "5f0c2b7d9e1a3c5e7f9b1d3f5a7c9e1b3d5f7a9c"
BOT_KEY = "9c1d5e7a3b2f4d6e8a0c1e3f5a7b9d1f3e5a7c9e"
PAUSE = "read -r _typed_in_the_web_client"


def using_it_block() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Using it with your Odoo", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()


def as_typed(lines: list[str], sb: Sandbox) -> list[str]:
    """The block with a person's own values, each command followed by a marker with its exit status."""
    venv_bin = str(Path(sys.executable).parent)
    script, keys = [], iter([ADMIN_KEY, BOT_KEY])
    for line in lines:
        line = line.replace("$PWD/.venv/bin", venv_bin).replace("https://erp.example.com", sb.url)
        line = line.replace("ODOO_URGENCY_DATABASE=prod", f"ODOO_URGENCY_DATABASE={sb.database}")
        if "ODOO_URGENCY_API_KEY=..." in line:
            line = line.replace("ODOO_URGENCY_API_KEY=...", f"ODOO_URGENCY_API_KEY={next(keys)}")
        command = line.split("#", 1)[0].strip()
        if not command:
            continue
        if command == "odoo-urgency run":
            # Ctrl-C after a few cycles, as a person stops it
            line = "timeout --preserve-status -s INT 6 " + line
        script.append(line)
        if command.startswith("odoo-urgency"):
            script.append(f'echo "@@ {command} -> $?"')
        if "--daemon-user" in command:
            script.append(PAUSE)  # the person logs in as the daemon's user and makes its API key
    return script


def test_the_using_it_block_works_pasted_line_by_line(tmp_path: Path) -> None:
    with Sandbox(demo=True) as sb:
        admin = sb.env.search("res.users", [("login", "=", "admin")])[0]
        sb.env.add_api_key(admin, ADMIN_KEY)
        script = as_typed(using_it_block(), sb)
        assert PAUSE in script, "the block no longer creates the daemon's user"
        env = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")}
        env.update({"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
                    "ODOO_URGENCY_DAEMON__POLL_INTERVAL": "1"})
        (tmp_path / "pasted.sh").write_text("\n".join(script) + "\n")
        shell = subprocess.Popen(["bash", "pasted.sh"], cwd=tmp_path, env=env, stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 start_new_session=True)
        try:
            before = _until_daemon_user_made(shell)
            bot = sb.env.search("res.users", [("login", "=", "urgency-bot")])[0]
            sb.env.add_api_key(bot, BOT_KEY)
            rest, _ = shell.communicate("\n", timeout=240)
            out = before + rest
        finally:
            if shell.poll() is None:
                os.killpg(shell.pid, signal.SIGKILL)
        statuses = re.findall(r"^@@ (.+) -> (\d+)$", out, re.M)
        commands = [line.split("#", 1)[0].strip() for line in using_it_block()]
        expected = [c for c in commands if c.startswith("odoo-urgency")]
        assert [c for c, _ in statuses] == expected, out[-3000:]
        wrong = [(c, s) for c, s in statuses if s != ("130" if c == "odoo-urgency run" else "0")]
        assert wrong == [], out[-3000:]
        assert "created user 'urgency-bot'" in out
        state = sb.env.search_read("x_urgency_state", [("x_name", "=", "state")], ["x_value", "write_uid"], uid=1)
        assert state and state[0]["write_uid"][0] == bot  # the daemon ran as its own user


def _until_daemon_user_made(shell: subprocess.Popen[str]) -> str:
    """What the shell printed up to the end of ``install --daemon-user`` (where the person goes to the web client)."""
    assert shell.stdout is not None
    seen = []
    for line in shell.stdout:
        seen.append(line)
        if line.startswith("@@ ") and "--daemon-user" in line:
            return "".join(seen)
    raise AssertionError("the shell ended before install --daemon-user: " + "".join(seen)[-3000:])
