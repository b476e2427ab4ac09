"""An embedded Odoo-17-compatible ERP server for the demo and the end-to-end tests.

It speaks Odoo's external API (XML-RPC ``/xmlrpc/2/*``, JSON-RPC ``/jsonrpc``) as Odoo 17
does, for the models the urgency plugin uses, keeps real state in SQLite, evaluates domains
and fails the way Odoo fails. Standard library only. ``Sandbox(odoo_version=19)`` answers as
Odoo 19 instead (:mod:`~sandbox.odoo19`: its fields, stock references instead of procurement
groups; :mod:`~sandbox.json2`: the JSON-2 API with API keys).

Public API::

    from odoo_urgency.sandbox import Sandbox, serve
    with Sandbox(demo=True) as sb:        # sb.url, sb.database, sb.port, sb.env, sb.faults
        sb.env.create("sale.order", {...})
    serve(port=8069, data="erp.sqlite", database="odoo", demo=True)   # blocking, for the CLI

Modules: :mod:`~sandbox.schema` (fields), :mod:`~sandbox.store` (SQLite-backed records),
:mod:`~sandbox.domain` (domains), :mod:`~sandbox.orm` (model methods),
:mod:`~sandbox.models` (business behaviour), :mod:`~sandbox.rights`, :mod:`~sandbox.views`,
:mod:`~sandbox.faults` (errors, fault injection), :mod:`~sandbox.server` (HTTP),
:mod:`~sandbox.base_data` and :mod:`~sandbox.demo` (data).
"""

from __future__ import annotations

from . import demo
from .app import Sandbox, serve
from .faults import Faults
from .orm import Env

__all__ = ["Env", "Faults", "Sandbox", "demo", "serve"]
