"""Each round trip's cost is recorded per model.method: calls, the records it concerned, the seconds it took."""

from __future__ import annotations

import time
import xmlrpc.client

import responses

from odoo_urgency.connector import OdooClient
from odoo_urgency.connector.costs import CallCost, records_of, since, top_costs
from odoo_urgency.connector.settings import ConnectionSettings

URL = "http://odoo.test"
OBJECT = URL + "/xmlrpc/2/object"


def _ok(value: object) -> str:
    return xmlrpc.client.dumps((value,), methodresponse=True, allow_none=False)


def test_records_are_the_ids_named_or_the_rows_answered() -> None:
    assert records_of("write", [[1, 2, 3], {"priority": "1"}], True) == 3
    assert records_of("read", [[4, 5], ["name"]], [{}, {}]) == 2
    assert records_of("create", [[{"a": 1}, {"a": 2}]], [7, 8]) == 2
    assert records_of("create", [{"a": 1}], 7) == 1
    assert records_of("load", [[".id", "x"], [["1", "a"], ["2", "b"], ["3", "c"]]], {"ids": [1, 2, 3]}) == 3
    assert records_of("search_read", [[("id", ">", 0)]], [{"id": 1}] * 4) == 4
    assert records_of("fields_get", [], {}) == 0


def test_the_client_records_seconds_and_records_per_call() -> None:
    settings = ConnectionSettings(url=URL, database="db", login="admin", password="s3cret-pass", protocol="xmlrpc")
    client = OdooClient(settings)
    client.uid = 2

    def slow(_request: object) -> tuple[int, dict[str, str], str]:
        time.sleep(0.05)
        return 200, {}, _ok(True)

    with responses.RequestsMock() as mock:
        mock.add(responses.POST, OBJECT, body=_ok([{"id": 1}, {"id": 2}]))
        client.search_read("sale.order", [], ["name"])
        before = client.stats.snapshot()
        mock.add_callback(responses.POST, OBJECT, callback=slow)
        client.write("sale.order", [1, 2, 3], {"x_urgency": "urgent"})
    cycle = since(client.stats.snapshot(), before)
    assert set(cycle) == {"sale.order.write"}
    write = cycle["sale.order.write"]
    assert (write.calls, write.records) == (1, 3) and write.seconds >= 0.05
    assert client.stats.costs["sale.order.search_read"].records == 2
    top = top_costs(client.stats.costs, n=1)
    assert top == [{"call": "sale.order.write", "calls": 1, "records": 3, "seconds": round(write.seconds, 3)}]


def test_top_costs_rank_by_seconds() -> None:
    costs = {"a.read": CallCost(5, 50, 0.2), "b.write": CallCost(1, 900, 3.0), "c.create": CallCost(2, 700, 1.5)}
    assert [row["call"] for row in top_costs(costs, n=2)] == ["b.write", "c.create"]
