"""JSON-2, Odoo 19's external API: ``POST /json/2/<model>/<method>`` with named arguments.

Each request carries ``Authorization: bearer <API key>`` (a password is not accepted) and
``X-Odoo-Database``; the answer is the method's bare JSON result, or an HTTP error status with a JSON body
``{"name": "odoo.exceptions.AccessError", "message": ...}`` that ``_exceptions.from_json2_error`` maps onto the
same typed errors as the older protocols. There is no login step and no uid in the calls: the key is the user.

The rest of the connector speaks XML-RPC's call shape (``execute_kw(db, uid, secret, model, method, args,
kwargs)``), so this transport names the positional arguments. Odoo's JSON-2 controller binds the body to
the Python signature (``ids`` becomes the recordset, the rest keyword arguments): :data:`MODEL_METHODS`
(``@api.model`` methods, no ids) and :data:`RECORD_METHODS` (the first positional argument is the ids)
hold the names of the methods the plugin calls; any other method is called on records, with ids only.
"""

from __future__ import annotations

import json
from typing import Any

import requests

from odoo_urgency.connector._exceptions import AuthenticationError, ProtocolError, from_json2_error
from odoo_urgency.connector._transport import _HttpTransport
from odoo_urgency.connector.settings import ConnectionSettings

#: ``@api.model`` methods → the names of their positional parameters (Odoo 19 signatures).
MODEL_METHODS: dict[str, tuple[str, ...]] = {
    "search": ("domain", "offset", "limit", "order"),
    "search_read": ("domain", "fields", "offset", "limit", "order"),
    "search_count": ("domain", "limit"),
    "create": ("vals_list",),
    "fields_get": ("allfields", "attributes"),
    "check_access_rights": ("operation", "raise_exception"),
    "has_access": ("operation",),  # on the empty recordset: the model-level right, as the plugin asks it
    "load": ("fields", "data"),
    "name_search": ("name", "domain", "operator", "limit"),
    "get_views": ("views", "options"),
    "context_get": (),
}

#: Record methods → the names of their positional parameters after the ids.
RECORD_METHODS: dict[str, tuple[str, ...]] = {
    "read": ("fields", "load"),
    "write": ("vals",),
    "unlink": (),
}

NEEDS_KEY = ("protocol json2 needs an API key (a password is not accepted): set ODOO_URGENCY_API_KEY "
             "or api_key_file in [odoo]")


def named_arguments(model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The JSON-2 body for ``model.method(*args, **kwargs)``, and whether the answer is a one-element list
    to unwrap (``create`` of one dict: JSON-2's ``create`` takes and returns lists)."""
    label = f"{model}.{method}"
    body: dict[str, Any] = {}
    if method in MODEL_METHODS:
        names = MODEL_METHODS[method]
    else:
        names = RECORD_METHODS.get(method, ())
        if args:
            ids, args = args[0], args[1:]
            body["ids"] = [ids] if isinstance(ids, int) else list(ids)
    if len(args) > len(names):
        raise ProtocolError(f"JSON-2 needs named arguments: pass {method}'s arguments by name", call=label)
    body.update(zip(names, args, strict=False))
    body.update(kwargs)
    single = method == "create" and isinstance(body.get("vals_list"), dict)
    if single:
        body["vals_list"] = [body["vals_list"]]
    return body, single


class Json2Transport(_HttpTransport):
    """JSON-2 over the shared session. ``common.version`` is ``GET /web/version``; ``common.authenticate`` asks
    ``res.users.context_get`` for the key's uid (a bad key answers 401)."""

    def __init__(self, settings: ConnectionSettings, session: requests.Session | None = None) -> None:
        super().__init__(settings, session)
        self._key = settings.api_key_value()

    def call(self, service: str, method: str, args: list[Any], *, label: str) -> Any:
        if (service, method) == ("common", "version"):
            return self.version(label)
        if (service, method) == ("common", "authenticate"):
            context = self._rpc("res.users", "context_get", {}, label)
            return context.get("uid") if isinstance(context, dict) else None
        if (service, method) != ("object", "execute_kw") or len(args) < 6:
            raise ProtocolError(f"JSON-2 has no {service}.{method}", call=label)
        model, model_method, positional = str(args[3]), str(args[4]), list(args[5])
        keywords = dict(args[6]) if len(args) > 6 and args[6] else {}
        body, single = named_arguments(model, model_method, positional, keywords)
        result = self._rpc(model, model_method, body, label)
        return result[0] if single and isinstance(result, list) and result else result

    def version(self, label: str) -> dict[str, Any]:
        """``/web/version`` in the shape of XML-RPC's ``common.version`` (what the rest of the code reads)."""
        info = probe_version(self, label)
        if info is None:
            raise ProtocolError(f"{self._settings.public_url}/web/version did not answer: not an Odoo 19+ server", call=label)
        return info

    def _rpc(self, model: str, method: str, body: dict[str, Any], label: str) -> Any:
        if not self._key:
            raise AuthenticationError(NEEDS_KEY, call=label)
        headers = {"Content-Type": "application/json; charset=utf-8", "Authorization": f"bearer {self._key}",
                   "X-Odoo-Database": self._settings.database}
        response = self._request("POST", f"/json/2/{model}/{method}", label, data=json.dumps(body).encode("utf-8"),
                                 headers=headers)
        try:
            answer = response.json()
        except ValueError as exc:
            if response.status_code == 200:
                raise ProtocolError(f"the answer from {self._settings.public_url} is not JSON", call=label) from exc
            raise from_json2_error(response.status_code, response.text, label) from exc
        if response.status_code != 200:
            raise from_json2_error(response.status_code, answer, label)
        return answer


def probe_version(transport: _HttpTransport, label: str) -> dict[str, Any] | None:
    """``GET /web/version`` (Odoo 19: ``{"version_info": [19, 0, ...], "version": "19.0"}``) as XML-RPC's
    version dict; None when the server does not answer it (older Odoo, or not an Odoo)."""
    response = transport._request("GET", "/web/version", label)
    if response.status_code != 200:
        return None
    try:
        answer = response.json()
    except ValueError:
        return None
    if not isinstance(answer, dict) or not isinstance(answer.get("version_info"), list):
        return None
    info = answer["version_info"]
    return {"server_version": str(answer.get("version") or ""), "server_version_info": info,
            "server_serie": ".".join(str(part) for part in info[:2]), "protocol_version": 1}


__all__ = ["Json2Transport", "MODEL_METHODS", "RECORD_METHODS", "named_arguments", "probe_version"]
