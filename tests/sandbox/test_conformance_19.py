"""The sandbox in 19 mode answers like the recorded Odoo 19: fields_get of the models it serves, JSON-2's
statuses and error names, ``/web/version``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib import request
from urllib.error import HTTPError

import pytest

from odoo_urgency.sandbox import Sandbox
from odoo_urgency.sandbox.app import API_KEYS
from odoo_urgency.sandbox.odoo19 import KEPT_INTERNALLY

from .helpers import FIXTURES
from .test_conformance import SERVED, SERVED_IN_PART

FIXTURES_19 = FIXTURES.parent / "odoo-19"
pytestmark = pytest.mark.skipif(not FIXTURES_19.is_dir(), reason=f"recorded Odoo 19 answers not found at {FIXTURES_19}")


@pytest.fixture(scope="module")
def sb19() -> Iterator[Sandbox]:
    with Sandbox(demo=True, database="urgency19", odoo_version=19) as sandbox:
        yield sandbox


def _files(kind: str) -> list[Path]:
    return sorted((FIXTURES_19 / kind).glob("*.json")) if FIXTURES_19.is_dir() else []


@pytest.mark.parametrize("path", [p for p in _files("fields") if p.stem in SERVED | set(SERVED_IN_PART)],
                         ids=lambda p: p.stem)
def test_fields_get_matches_odoo_19(sb19: Sandbox, path: Path) -> None:
    recorded: dict[str, dict[str, Any]] = json.loads(path.read_text())
    ours = sb19.env.model(path.stem).fields_get()
    for name, spec in recorded.items():
        if path.stem in SERVED_IN_PART and name not in ours:
            continue
        assert name in ours, f"{path.stem}.{name} missing"
        for key in ("type", "relation", "required", "readonly", "store", "string"):
            assert ours[name].get(key) == spec.get(key), f"{path.stem}.{name}.{key}"
        if "selection" in spec and not (name == "tz" or (path.stem, name) == ("mail.activity.type", "res_model")):
            assert ours[name]["selection"] == spec["selection"], f"{path.stem}.{name} selection"
    seventeen = json.loads((FIXTURES / "fields" / path.name).read_text())
    gone = {name for name in seventeen if name not in recorded} - {f for m, f in KEPT_INTERNALLY if m == path.stem}
    assert gone.isdisjoint(ours), f"{path.stem}: served though gone in 19: {sorted(gone & set(ours))}"


def test_orders_and_mos_share_stock_references_not_procurement_groups(sb19: Sandbox) -> None:
    assert "procurement.group" not in sb19.env.models and "stock.reference" in sb19.env.models
    order = sb19.env.read("sale.order", [1], ["stock_reference_ids", "mrp_production_ids"])[0]
    mo = sb19.env.read("mrp.production", [1], ["reference_ids"])[0]
    assert order["stock_reference_ids"] and set(order["stock_reference_ids"]) == set(mo["reference_ids"])
    assert 1 in order["mrp_production_ids"]


def _json2(sb: Sandbox, fixture: dict[str, Any]) -> tuple[int, Any]:
    headers = dict(fixture["request_headers"])
    headers["Authorization"] = "bearer " + ("not-a-key" if "bad_key" in fixture.get("_name", "") else API_KEYS[2])
    req = request.Request(sb.url + fixture["url"], data=json.dumps(fixture["request_body"]).encode(), headers=headers)
    try:
        with request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except HTTPError as exc:
        body = exc.read()
        try:
            return exc.code, json.loads(body)
        except ValueError:
            return exc.code, body.decode()


@pytest.mark.parametrize("path", _files("json2"), ids=lambda p: p.stem)
def test_json2_answers_as_odoo_19(sb19: Sandbox, path: Path) -> None:
    fixture = {**json.loads(path.read_text()), "_name": path.stem}
    status, body = _json2(sb19, fixture)
    assert status == fixture["status"], (status, body)
    theirs = fixture["response_body"]
    if isinstance(theirs, dict) and "name" in theirs and "message" in theirs:
        assert body["name"] == theirs["name"], body
        assert set(body) >= {"name", "message", "arguments", "context", "debug"}
    elif isinstance(theirs, str):
        assert "No database is selected" in body
    elif path.stem.startswith("fields_get"):
        assert body == theirs
    else:
        assert type(body) is type(theirs)


def test_web_version_says_19(sb19: Sandbox) -> None:
    with request.urlopen(sb19.url + "/web/version", timeout=10) as resp:
        answer = json.loads(resp.read())
    assert answer["version_info"][0] == 19 and answer["version"] == "19.0"
