"""Odoo 19's JSON-2 API, as the sandbox serves it in 19 mode (``Sandbox(odoo_version=19)``).

``POST /json/2/<model>/<method>`` with ``Authorization: bearer <API key>`` and ``X-Odoo-Database``; the body
holds named arguments (``ids`` for record methods, ``context``, the rest bound to the method's signature); the
answer is the bare JSON result, or an HTTP error status with ``{"name", "message", "arguments", "context",
"debug"}`` as Odoo 19's ``rpc/controllers/json2.py`` sends (401 bad key, 403 access, 404 unknown model or
method or missing record, 422 user/validation error or bad arguments, 500 anything else). An unknown database
is the HTML 404 page of a server that found no database. ``GET /web/version`` says the version.
"""

from __future__ import annotations

import json
from typing import Any

from .faults import OdooError, ServerError
from .orm import Env

#: Odoo exception → HTTP status of its JSON-2 answer (werkzeug's for the controller's own errors).
STATUS = {
    "werkzeug.exceptions.Unauthorized": 401,
    "odoo.exceptions.AccessDenied": 401,
    "odoo.exceptions.AccessError": 403,
    "werkzeug.exceptions.NotFound": 404,
    "odoo.exceptions.MissingError": 404,
    "werkzeug.exceptions.UnprocessableEntity": 422,
    "odoo.exceptions.UserError": 422,
    "odoo.exceptions.ValidationError": 422,
}

NO_DATABASE = (b"<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected "
               b"and the requested URL was not found in the server-wide controllers.</p>\n")


class Json2Error(ServerError):
    """An error JSON-2's controller raises itself (werkzeug's NotFound, Unauthorized, UnprocessableEntity)."""


def version_body(env: Env, version_info: dict[str, Any]) -> bytes:
    return json.dumps({"version_info": version_info["server_version_info"],
                       "version": version_info["server_serie"]}).encode()


def user_of(env: Env, authorization: str) -> int:
    """The uid whose API key is in the ``Authorization: bearer`` header."""
    scheme, _, key = authorization.partition(" ")
    uid = env.store.meta.get("api_keys", {}).get(key.strip()) if scheme.lower() == "bearer" else None
    user = env.store.table("res.users").get(uid) if isinstance(uid, int) else None
    if not user or not user.get("active"):
        raise Json2Error("Invalid apikey", "werkzeug.exceptions.Unauthorized")
    return int(uid)  # type: ignore[arg-type]


def call(env: Env, uid: int, model: str, method: str, body: bytes) -> Any:
    """Run ``model.method`` with the named arguments of ``body``, as Odoo 19's ``web_json_2_rpc``."""
    try:
        params = json.loads(body or b"{}")
    except ValueError as exc:
        raise Json2Error(f"Invalid JSON data: {exc}", "werkzeug.exceptions.BadRequest") from exc
    if not isinstance(params, dict):
        raise Json2Error("the body must be a JSON object of named arguments", "werkzeug.exceptions.UnprocessableEntity")
    if model not in env.models:
        raise Json2Error(f"the model {model!r} does not exist", "werkzeug.exceptions.NotFound")
    if method.startswith("_"):
        from .rights import AccessError

        raise AccessError(f"Private methods (such as '{model}.{method}') cannot be called remotely.")
    recs = env.model(model, uid)
    kind = getattr(getattr(recs, method, None), "_rpc", None)
    if kind is None:
        raise Json2Error(f"The method '{model}.{method}' does not exist", "werkzeug.exceptions.NotFound")
    ids = params.pop("ids", None) or []
    if kind != "multi" and ids:
        raise Json2Error(f"cannot call {model}.{method} with ids", "werkzeug.exceptions.UnprocessableEntity")
    args = [list(ids)] if kind == "multi" else []
    try:
        return env.call(uid, model, method, args, params)
    except ServerError as exc:
        if exc.json_name == "builtins.TypeError":  # the arguments do not bind to the signature
            raise Json2Error(exc.message, "werkzeug.exceptions.UnprocessableEntity") from exc
        raise


def error_answer(err: OdooError) -> tuple[int, bytes]:
    body = {"name": err.json_name, "message": err.message, "arguments": [err.message], "context": {},
            "debug": err.traceback_text()}
    return STATUS.get(err.json_name, 500), json.dumps(body, ensure_ascii=False).encode()
