"""The daemon's components one at a time, each driven against the sandbox ERP over real HTTP.

A component test builds the real component (memo, lease, writer, reader, fingerprint cache) with a real
:class:`OdooClient`, and checks what it does to the ERP and how many calls it costs. ``erp_calls`` sees every
object call as the sandbox receives it (model, method, arguments), for the assertions the client's counters
cannot make: which ids one ``write`` carried, what a ``load`` sent, whether the memo went out with the values.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr

from odoo_urgency.connector import ConnectionSettings, OdooClient, Schema, detect
from odoo_urgency.sandbox import Sandbox
from odoo_urgency.sandbox.orm import Env


@dataclass(frozen=True)
class ErpCall:
    model: str
    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


class ErpCalls(list[ErpCall]):
    """Object calls the sandbox ran, in order (cleared by the test before the step it watches)."""

    def of(self, model: str, method: str) -> list[ErpCall]:
        return [call for call in self if call.model == model and call.method == method]

    def methods(self) -> list[tuple[str, str]]:
        return [(call.model, call.method) for call in self]


def connect(sb: Sandbox, *, retry_attempts: int = 3) -> OdooClient:
    settings = ConnectionSettings(url=sb.url, database=sb.database, login="admin", password=SecretStr("admin"),
                                  retry_attempts=retry_attempts, retry_max_seconds=5)
    client = OdooClient(settings, retry_base_wait=0.01)
    client.authenticate()
    return client


@pytest.fixture
def client(sb: Sandbox) -> Iterator[OdooClient]:
    with connect(sb) as client:
        yield client


@pytest.fixture
def schema(client: OdooClient) -> Schema:
    return detect(client, with_rights=False)


@pytest.fixture
def erp_calls(monkeypatch: pytest.MonkeyPatch) -> ErpCalls:
    calls = ErpCalls()
    original = Env.call

    def spy(self: Env, uid: int, model: str, method: str, args: Any = (), kwargs: Any = None,
            trusted: bool = False) -> Any:
        calls.append(ErpCall(model, method, tuple(args), dict(kwargs or {})))
        return original(self, uid, model, method, args, kwargs, trusted)

    monkeypatch.setattr(Env, "call", spy)
    return calls


def odoo_name(schema: Schema) -> Any:
    """The memo's neutral field name → this server's name (``planned_start`` → ``date_start`` on 17)."""
    return lambda model, name: next(iter(schema.to_odoo_values(model, {name: 0})))
