"""A new user's first hour (issue #11): exit codes and messages as the README says, safe defaults, the
conventions of Python tools. Each test reproduces a finding of that issue."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from odoo_urgency.jobs.runtime import logs
from odoo_urgency.jobs.runtime.settings import SettingsError, load_settings
from odoo_urgency.sandbox import Sandbox

from .test_cli_errors import one_line, run


def test_version(tmp_path: Path) -> None:
    result = run(["--version"], tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("odoo-urgency ")


def test_global_options_after_the_command(tmp_path: Path) -> None:
    result = run(["check", "--config", str(tmp_path / "missing.toml")], tmp_path)
    assert result.returncode == 2
    assert one_line(result) == f"odoo-urgency: settings error: {tmp_path / 'missing.toml'}: no such settings file"


def test_no_url_or_login_default_points_at_a_local_odoo(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, ODOO_URGENCY_DATABASE="", ODOO_URGENCY_LOGIN="", ODOO_URGENCY_PASSWORD="pw")
    assert result.returncode == 2
    line = one_line(result)
    assert "ODOO_URGENCY_URL" in line and "ODOO_URGENCY_DATABASE" in line and "ODOO_URGENCY_LOGIN" in line


def test_a_bad_environment_variable_is_blamed_not_the_file(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("[daemon]\npoll_interval = 30\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path / "settings.toml", {"ODOO_URGENCY_URL": "erp.example.com",
                                                   "ODOO_URGENCY_DAEMON__BATCH_SIZE": "10"})
    assert str(caught.value) == "ODOO_URGENCY_URL: must start with http:// or https://"
    with pytest.raises(SettingsError) as nested:
        load_settings(tmp_path / "settings.toml", {"ODOO_URGENCY_DAEMON__POLL_INTERVAL": "-1"})
    assert str(nested.value).startswith("ODOO_URGENCY_DAEMON__POLL_INTERVAL: ")


def test_a_password_in_the_settings_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('[odoo]\nurl = "http://erp"\npassword = "hunter2-secret"\n')
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path / "settings.toml", {})
    assert "odoo.password: a secret does not belong in the settings file" in str(caught.value)
    assert "hunter2-secret" not in str(caught.value)


def test_the_sandbox_does_not_take_a_real_odoos_port(tmp_path: Path) -> None:
    result = run(["sandbox", "--help"], tmp_path)
    assert "18069" in result.stdout and "default 8069" not in result.stdout


def test_sandbox_on_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(["sandbox", "--port", str(port)], tmp_path)
    assert result.returncode == 2
    assert one_line(result) == (f"odoo-urgency: --port {port}: the port is already in use (another sandbox or an "
                                "Odoo?); choose another with --port")


def test_sandbox_data_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = run(["sandbox", "--port", "0", "--data", str(tmp_path / "nope" / "erp.sqlite")], tmp_path)
    assert result.returncode == 2 and "does not exist" in one_line(result)


def _until(predicate, seconds: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_ctrl_c_on_run_exits_130(tmp_path: Path) -> None:
    with Sandbox(demo=True) as sb:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")}
        env.update({"ODOO_URGENCY_URL": sb.url, "ODOO_URGENCY_DATABASE": sb.database, "ODOO_URGENCY_LOGIN": "admin",
                    "ODOO_URGENCY_PASSWORD": "admin", "ODOO_URGENCY_DAEMON__POLL_INTERVAL": "30",
                    "ODOO_URGENCY_DAEMON__CACHE_DIR": str(tmp_path)})
        proc = subprocess.Popen([sys.executable, "-m", "odoo_urgency.jobs.cli", "run"], env=env, cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert _until(lambda: bool(sb.env.search("mail.activity", [])))   # the first cycle ran
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=15)
    assert proc.returncode == 130, err


def test_ctrl_c_on_the_sandbox_exits_130(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")}
    proc = subprocess.Popen([sys.executable, "-m", "odoo_urgency.jobs.cli", "sandbox", "--port", "0"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert "sandbox on" in proc.stdout.readline()
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=15)
    assert proc.returncode == 130


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_color_turns_the_log_colours_off(monkeypatch: pytest.MonkeyPatch) -> None:
    import structlog

    for no_color, coloured in (("", True), ("1", False)):
        monkeypatch.setenv("NO_COLOR", no_color)
        stream = _Terminal()
        logs.configure("info", json_lines=False, stream=stream)
        structlog.get_logger("t").info("hello", order="S00001")
        assert ("\x1b[" in stream.getvalue()) is coloured


def test_every_command_and_option_says_what_it_is() -> None:
    """``check --help`` printed no description; ``sandbox --database`` and ``explain --json`` had no help."""
    import argparse

    from odoo_urgency.jobs.cli.app import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    silent = [f"{name}: no description" for name, command in commands.items() if not command.description]
    silent += [f"{name} {'/'.join(action.option_strings) or action.dest}: no help"
               for name, command in commands.items() for action in command._actions if action.help is None]
    assert len(commands) >= 11 and silent == []
