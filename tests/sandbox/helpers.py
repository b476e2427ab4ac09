"""RPC helpers for the sandbox tests and where the recorded Odoo 17 answers live."""

from __future__ import annotations

import json
import xmlrpc.client
from pathlib import Path
from typing import Any
from urllib import request

from odoo_urgency.sandbox import Sandbox

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "odoo-fixtures" / "odoo-17"


def xml_object(sb: Sandbox) -> xmlrpc.client.ServerProxy:
    return xmlrpc.client.ServerProxy(f"{sb.url}/xmlrpc/2/object", allow_none=False)


def execute(
    sb: Sandbox, model: str, method: str, *args: Any, uid: int = 2, password: str = "admin", **kwargs: Any
) -> Any:
    return xml_object(sb).execute_kw(sb.database, uid, password, model, method, list(args), kwargs)


def post(url: str, body: bytes, content_type: str = "text/xml", timeout: float = 10) -> tuple[int, bytes]:
    req = request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except request.HTTPError as err:
        return err.code, err.read()


def jsonrpc(sb: Sandbox, service: str, method: str, *args: Any) -> dict[str, Any]:
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"service": service, "method": method, "args": list(args)},
        }
    ).encode()
    status, payload = post(f"{sb.url}/jsonrpc", body, "application/json")
    assert status == 200
    result: dict[str, Any] = json.loads(payload)
    return result
