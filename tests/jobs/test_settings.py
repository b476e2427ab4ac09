"""settings.toml: the shipped file is the defaults, env overrides every key, a bad file is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from odoo_urgency.jobs.runtime.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_settings_file_is_exactly_the_defaults() -> None:
    assert load_settings(ROOT / "settings.toml", {}) == Settings()


def test_every_key_of_the_shipped_file_is_commented() -> None:
    lines = (ROOT / "settings.toml").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if "=" in line and not line.lstrip().startswith(("#", "{")):
            assert lines[index - 1].lstrip().startswith("#"), f"no comment above: {line}"


def test_connection_overrides_from_the_environment(tmp_path: Path) -> None:
    env = {"ODOO_URGENCY_URL": "https://erp.example.com/", "ODOO_URGENCY_DATABASE": "prod",
           "ODOO_URGENCY_LOGIN": "urgency-bot", "ODOO_URGENCY_PROTOCOL": "jsonrpc",
           "ODOO_URGENCY_API_KEY": "k3y-from-env", "ODOO_URGENCY_READ_TIMEOUT": "12.5",
           "ODOO_URGENCY_DAEMON__POLL_INTERVAL": "30", "ODOO_URGENCY_RULES__TIERS__URGENT": "4",
           "ODOO_URGENCY_RULES__CUSTOMERS__VIP_CATEGORIES": '["VIP", "Key account"]'}
    settings = load_settings(ROOT / "settings.toml", env)
    assert settings.odoo.url == "https://erp.example.com"
    assert (settings.odoo.database, settings.odoo.login, settings.odoo.protocol) == ("prod", "urgency-bot", "jsonrpc")
    assert settings.odoo.secret() == "k3y-from-env" and settings.odoo.read_timeout == 12.5
    assert settings.daemon.poll_interval == 30 and settings.rules.tiers.urgent == 4
    assert settings.rules.customers.vip_categories == ["VIP", "Key account"]


def test_config_path_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "prod.toml"
    path.write_text('[odoo]\ndatabase = "from-file"\n')
    assert load_settings(None, {"ODOO_URGENCY_CONFIG": str(path)}).odoo.database == "from-file"


def test_secrets_from_files(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("s3cret\n")
    path = tmp_path / "s.toml"
    path.write_text(f'[odoo]\npassword_file = "{secret}"\n')
    assert load_settings(path, {}).odoo.secret() == "s3cret"


@pytest.mark.parametrize("content, message", [
    ("[odoo\nurl = 1", "not valid TOML"),
    ('[daemon]\npol_interval = 5\n', "daemon.pol_interval: unknown key"),
    ('[odoo]\nprotocol = "soap"\n', "odoo.protocol: must be 'auto', 'xmlrpc', 'jsonrpc' or 'json2'"),
    ('[odoo]\nurl = "odoo.example.com"\n', "odoo.url: must start with http:// or https://"),
    ('[rules.tiers]\nurgent = -1\n', "rules.tiers.urgent"),
    ('[rules.tiers]\nurgent = 30\n', "rules.tiers"),
    ('[rules.calendar]\ntimezone = "Mars/Olympus"\n', "rules.calendar.timezone"),
    ('[odoo]\npassword_file = "/nonexistent/pw"\n', "cannot read /nonexistent/pw"),
])
def test_a_bad_settings_file_is_one_line_naming_the_key(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(content)
    with pytest.raises(SettingsError) as caught:
        load_settings(path, {})
    text = str(caught.value)
    assert "\n" not in text and text.startswith(str(path)) and message in text, text


def test_a_missing_settings_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="no such settings file"):
        load_settings(tmp_path / "nope.toml", {})
