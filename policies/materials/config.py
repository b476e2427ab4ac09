"""The ``[rules.materials]`` table lives with the other rule tables (``policies.config``); named here too."""

from odoo_urgency.policies.config import MaterialsConfig

__all__ = ["MaterialsConfig"]
