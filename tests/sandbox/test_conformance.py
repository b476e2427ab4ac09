"""The sandbox answers like the recorded Odoo 17: fields_get, faults and result shapes."""

from __future__ import annotations

import json
import re
import xmlrpc.client
from pathlib import Path
from typing import Any

import pytest

from odoo_urgency.sandbox import Sandbox

from .helpers import FIXTURES, post

pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"recorded Odoo 17 answers not found at {FIXTURES}")


def _files(kind: str) -> list[Path]:
    return sorted((FIXTURES / kind).glob("*.json")) if FIXTURES.is_dir() else []


# The models the sandbox serves, each held to the recorded Odoo 17 `fields_get`. A recorded model stays in
# NOT_YET_SERVED only until the issue named beside it makes the sandbox serve it; then it moves up.
SERVED = {
    "crm.tag", "crm.team", "ir.config_parameter", "ir.model", "ir.model.fields", "mail.activity",
    "mail.activity.type", "mrp.bom", "mrp.production", "mrp.routing.workcenter", "mrp.workcenter",
    "mrp.workorder", "product.product", "res.company", "res.partner", "res.partner.category", "res.users",
    "resource.calendar", "resource.calendar.attendance", "resource.calendar.leaves", "sale.order",
    "sale.order.line", "stock.picking", "stock.move", "purchase.order", "purchase.order.line",
    "product.supplierinfo", "mail.message", "discuss.channel", "res.currency",
}  # fmt: skip
# Served with the fields the plugin reads today; every field they serve matches, the rest come with the issue.
SERVED_IN_PART: dict[str, str] = {}
NOT_YET_SERVED: dict[str, str] = {}  # every recorded model is served now


def test_every_recorded_model_is_accounted_for(sb: Sandbox) -> None:
    """A new fixture model must be placed; a model the sandbox starts serving must move to SERVED."""
    recorded = {p.stem for p in _files("fields")}
    waiting = set(NOT_YET_SERVED) | set(SERVED_IN_PART)
    assert recorded - SERVED - waiting == set(), "recorded models neither served nor waiting for an issue"
    assert SERVED & waiting == set()
    now_served = {name for name in NOT_YET_SERVED if name in sb.env.models}
    assert now_served == set(), f"the sandbox serves {sorted(now_served)}: move them to SERVED"


@pytest.mark.parametrize("path", [p for p in _files("fields") if p.stem in SERVED | set(SERVED_IN_PART)], ids=lambda p: p.stem)
def test_fields_get_matches_odoo(sb: Sandbox, path: Path) -> None:
    recorded: dict[str, dict[str, Any]] = json.loads(path.read_text())
    ours = sb.env.model(path.stem).fields_get()
    for name, spec in recorded.items():
        if path.stem in SERVED_IN_PART and name not in ours:
            continue
        assert name in ours, f"{path.stem}.{name} missing"
        mine = ours[name]
        for key in ("type", "relation", "required", "readonly", "store", "string"):
            assert mine.get(key) == spec.get(key), f"{path.stem}.{name}.{key}: {mine.get(key)!r} != {spec.get(key)!r}"
        if "selection" in spec and not (name == "tz" or (path.stem, name) == ("mail.activity.type", "res_model")):
            assert mine["selection"] == spec["selection"], f"{path.stem}.{name} selection"


def _last_line(text: str) -> str:
    """The ``ExcName: message`` end of a traceback (paths and frames differ)."""
    lines = [line for line in text.rstrip("\n").split("\n")]
    for i in range(len(lines) - 1, -1, -1):
        if re.match(r"^[\w.]+(Error|Exception|Denied|Failure)\b.*?: ", lines[i]):
            return "\n".join(lines[i:])
    return lines[-1]


def _normalise(text: str) -> str:
    return re.sub(r"port \d+", "port N", text)


def _same_shape(ours: Any, theirs: Any) -> bool:
    """Same keys and kinds of values; ``False`` (Odoo's "empty") fits any kind."""
    if ours is False or theirs is False:
        return True
    if isinstance(theirs, dict):
        return (
            isinstance(ours, dict)
            and sorted(ours) == sorted(theirs)
            and all(_same_shape(ours[k], theirs[k]) for k in theirs)
        )
    if isinstance(theirs, list):
        return isinstance(ours, list) and (not ours or not theirs or _same_shape(ours[0], theirs[0]))
    return type(ours) is type(theirs)


@pytest.mark.parametrize("path", _files("xmlrpc"), ids=lambda p: p.stem)
def test_xmlrpc_replay(sb: Sandbox, path: Path) -> None:
    fixture = json.loads(path.read_text())
    status, body = post(sb.url + fixture["url"], fixture["request_body"].encode())
    assert status == fixture["status"]
    expected_text = fixture["response_body"]
    try:
        expected = xmlrpc.client.loads(expected_text)[0][0]
    except xmlrpc.client.Fault as fault:
        with pytest.raises(xmlrpc.client.Fault) as got:
            xmlrpc.client.loads(body.decode())
        assert got.value.faultCode == fault.faultCode
        if fault.faultCode == 1:
            assert _normalise(_last_line(got.value.faultString)) == _normalise(_last_line(fault.faultString))
        else:
            assert got.value.faultString == fault.faultString
        return
    ours = xmlrpc.client.loads(body.decode())[0][0]
    if path.stem == "common_version":
        assert ours == expected
    assert _same_shape(ours, expected), (ours, expected)


@pytest.mark.parametrize("path", _files("jsonrpc"), ids=lambda p: p.stem)
def test_jsonrpc_replay(sb: Sandbox, path: Path) -> None:
    fixture = json.loads(path.read_text())
    request_body = fixture["request_body"]
    raw = request_body if isinstance(request_body, str) else json.dumps(request_body)
    status, body = post(sb.url + fixture["url"], raw.encode(), "application/json")
    assert status == fixture["status"]
    expected = fixture["response_body"]
    expected = json.loads(expected) if isinstance(expected, str) else expected
    ours = json.loads(body)
    assert ours.get("id") == expected.get("id")
    if "error" in expected:
        assert "error" in ours, ours
        exp, got = expected["error"], ours["error"]
        assert (got["code"], got["message"]) == (exp["code"], exp["message"])
        assert sorted(got["data"]) == sorted(exp["data"])
        assert got["data"]["name"] == exp["data"]["name"]
        assert _normalise(got["data"]["message"]) == _normalise(exp["data"]["message"])
        assert [_normalise(a) for a in got["data"]["arguments"]] == [_normalise(a) for a in exp["data"]["arguments"]]
        assert _normalise(_last_line(got["data"]["debug"])) == _normalise(_last_line(exp["data"]["debug"]))
        return
    assert "error" not in ours, ours
    assert _same_shape(ours["result"], expected["result"]), (ours, expected)
