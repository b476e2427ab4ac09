"""The plugin's version (``odoo-urgency --version``, and what ``install`` records in the ERP)."""

from __future__ import annotations

import tomllib
from pathlib import Path

__all__ = ["plugin_version"]


def plugin_version() -> str:
    """The distribution's version; from ``pyproject.toml`` when run from a source tree that is not installed."""
    from importlib import metadata

    try:
        return metadata.version("odoo-urgency")
    except metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0+unknown"
