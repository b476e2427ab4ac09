"""Odoo domain evaluation over in-memory records.

A domain is Odoo's prefix-notation list: operators ``'&'``, ``'|'``, ``'!'`` followed by
their operands, leaves ``(path, operator, value)``, and an implicit ``'&'`` between
top-level terms. :func:`compile_domain` turns it into a predicate on a record dict once
(validating every field name the way Odoo 17 does, with the same ``ValueError`` text), so a
search over many thousand records is a plain loop.

Semantics mirrored from Odoo 17's SQL translation:

- ``=`` / ``!=`` with ``False`` test for "not set" (NULL, and ``''`` for char/text);
- ``!=``, ``not in``, ``not like``, ``not ilike`` also match records where the field is
  not set (Odoo adds ``OR field IS NULL``);
- ordering operators never match an unset value (SQL ``NULL < x`` is not true);
- a dotted path through a many2one or x2many means "any related record matches"; a
  negative operator on an x2many path means "no related record matches the positive
  form" (Odoo 17's ``_anyfy_leaves``);
- on a relational field a string value is matched against the related display names;
- a date-only value compared with a datetime field is widened to the day's start/end;
- a leaf on a non-stored field without search support is ignored, like Odoo 17 does
  (it logs "Non-stored field ... cannot be searched." and uses a TRUE leaf).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .faults import value_error
from .schema import X2MANY, Field

if TYPE_CHECKING:
    from .orm import Env

Predicate = Callable[[dict[str, Any]], bool]

OPERATORS = frozenset(
    {
        "=",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "in",
        "not in",
        "like",
        "ilike",
        "=like",
        "=ilike",
        "not like",
        "not ilike",
        "=?",
        "child_of",
        "parent_of",
        "any",
        "not any",
    }
)
NEGATIVE = {"!=": "=", "not in": "in", "not like": "like", "not ilike": "ilike", "not any": "any"}
TRUE_LEAF = (1, "=", 1)
FALSE_LEAF = (0, "=", 1)


def _leaf_repr(leaf: Any) -> str:
    return repr(tuple(leaf)) if isinstance(leaf, list | tuple) else repr(leaf)


def _is_leaf(term: Any) -> bool:
    return isinstance(term, list | tuple) and len(term) == 3


def parse(domain: Iterable[Any]) -> Any:
    """Prefix list → tree: ``("&", a, b)``, ``("|", a, b)``, ``("!", a)`` or a leaf tuple."""
    terms = list(domain or [])
    pos = 0

    def term() -> Any:
        nonlocal pos
        if pos >= len(terms):
            raise value_error(f"Invalid domain {terms!r}")
        item = terms[pos]
        pos += 1
        if item in ("&", "|"):
            left = term()
            return (item, left, term())
        if item == "!":
            return ("!", term())
        if _is_leaf(item):
            return tuple(item)
        if item is True or item is False:  # Odoo 17 accepts bare booleans as TRUE/FALSE leaves
            return TRUE_LEAF if item else FALSE_LEAF
        raise value_error(f"Invalid leaf {item!r}")

    nodes = []
    while pos < len(terms):
        nodes.append(term())
    if not nodes:
        return TRUE_LEAF
    tree = nodes[-1]
    for node in reversed(nodes[:-1]):
        tree = ("&", node, tree)
    return tree


def compile_domain(env: Env, model: str, domain: Iterable[Any]) -> Predicate:
    """A predicate telling whether a record of ``model`` satisfies ``domain``."""
    return _compile(env, model, parse(domain))


def mentions_field(domain: Iterable[Any], name: str) -> bool:
    """True if some leaf's path starts with ``name`` (Odoo then skips the active_test filter)."""
    return any(_is_leaf(t) and str(t[0]).split(".")[0] == name for t in domain or [])


def _compile(env: Env, model: str, node: Any) -> Predicate:
    op = node[0]
    if op == "&" and len(node) == 3 and not _is_plain_leaf(node):
        a, b = _compile(env, model, node[1]), _compile(env, model, node[2])
        return lambda r: a(r) and b(r)
    if op == "|" and len(node) == 3 and not _is_plain_leaf(node):
        a, b = _compile(env, model, node[1]), _compile(env, model, node[2])
        return lambda r: a(r) or b(r)
    if op == "!" and len(node) == 2:
        a = _compile(env, model, node[1])
        return lambda r: not a(r)
    return _compile_leaf(env, model, node)


def _is_plain_leaf(node: tuple[Any, ...]) -> bool:
    # ("&", x, y) is an operator node; a leaf always has a string/int path and a string operator
    return isinstance(node[1], str) and node[1] in OPERATORS and not isinstance(node[2], tuple)


def _compile_leaf(env: Env, model: str, leaf: tuple[Any, ...]) -> Predicate:
    path, operator, value = leaf
    if leaf in (TRUE_LEAF, FALSE_LEAF) or (path in (0, 1) and operator == "=" and value == 1):
        result = path == 1
        return lambda r: result
    if not isinstance(operator, str) or operator.lower() not in OPERATORS:
        raise value_error(f"Invalid leaf {_leaf_repr(leaf)}")
    operator = operator.lower()
    if not isinstance(path, str):
        raise value_error(f"Invalid leaf {_leaf_repr(leaf)}")
    fields = env.fields(model)
    parts = path.split(".")
    name = parts[0]
    field = fields.get(name)
    if field is None:
        raise value_error(f"Invalid field {model}.{name} in leaf {_leaf_repr(leaf)}")
    if not field.searchable:
        return lambda r: True
    if len(parts) > 1:
        if not field.relation:
            raise value_error(f"Invalid field {model}.{path} in leaf {_leaf_repr(leaf)}")
        sub = _compile_leaf(env, field.relation, (".".join(parts[1:]), operator, value))
        return _through(env, model, name, field, sub, negate=False)
    if operator == "=?":
        if value is False or value is None:
            return lambda r: True
        operator = "="
    if operator in ("any", "not any"):
        if not field.relation:
            raise value_error(f"Invalid leaf {_leaf_repr(leaf)}")
        sub = compile_domain(env, field.relation, value if isinstance(value, list) else [])
        return _through(env, model, name, field, sub, negate=operator == "not any")
    if operator in ("child_of", "parent_of"):
        return _hierarchy(env, model, operator, value)
    if field.type == "many2one" or name == "id":
        return _many2one(env, model, name, field, operator, value)
    if field.type in X2MANY:
        return _x2many(env, model, name, field, operator, value)
    return _scalar(env, model, name, field, operator, value)


def _related_ids(env: Env, model: str, name: str, field: Field, rec: dict[str, Any]) -> list[int]:
    if field.type == "many2one":
        value = rec.get(name)
        return [value] if value else []
    return env.x2many_ids(model, name, rec)


def _through(env: Env, model: str, name: str, field: Field, sub: Predicate, negate: bool) -> Predicate:
    table = env.store.table(field.relation or "")

    def matches(rec: dict[str, Any]) -> bool:
        hit = any(sub(table[i]) for i in _related_ids(env, model, name, field, rec) if i in table)
        return not hit if negate else hit

    return matches


def like_regex(pattern: str, operator: str) -> re.Pattern[str]:
    """SQL LIKE pattern → regex; ``like``/``ilike`` wrap the value in ``%...%`` as Odoo does."""
    out = []
    escaped = False
    for ch in str(pattern):
        if escaped:
            out.append(re.escape(ch))
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        else:
            out.append(re.escape(ch))
    body = "".join(out)
    if operator in ("like", "ilike", "not like", "not ilike"):
        body = f".*{body}.*"
    flags = re.IGNORECASE | re.DOTALL if "ilike" in operator else re.DOTALL
    return re.compile(f"^{body}$", flags)


def _empty(field: Field, value: Any) -> bool:
    if value is None or value is False:
        return True
    return value == "" and field.type in ("char", "text", "html", "selection")


def _normalise(field: Field, value: Any, operator: str) -> Any:
    if field.type == "datetime" and isinstance(value, str) and len(value) == 10:
        return value + (" 23:59:59" if operator in (">", "<=") else " 00:00:00")
    if field.type in ("float", "monetary", "integer") and isinstance(value, bool) is False and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _scalar(env: Env, model: str, name: str, field: Field, operator: str, value: Any) -> Predicate:
    getter = env.value_getter(model, name)
    if operator in ("=", "!="):
        positive = operator == "="
        if value is False or value is None:
            if field.type == "boolean":
                return (lambda r: not getter(r)) if positive else (lambda r: bool(getter(r)))
            return (lambda r: _empty(field, getter(r))) if positive else (lambda r: not _empty(field, getter(r)))
        target = _normalise(field, value, operator)
        if field.type == "boolean":
            target = bool(target)
            return (lambda r: bool(getter(r)) == target) if positive else (lambda r: bool(getter(r)) != target)
        if positive:
            return lambda r: getter(r) == target
        return lambda r: _empty(field, getter(r)) or getter(r) != target
    if operator in ("in", "not in"):
        values = list(value) if isinstance(value, list | tuple) else [value]
        with_null = any(v is False or v is None for v in values)
        if field.type == "boolean":
            values = [bool(v) for v in values]
            with_null = with_null or False in values
        wanted = {_normalise(field, v, "=") for v in values if v is not False and v is not None}
        if operator == "in":
            return lambda r: (getter(r) in wanted) if not _empty(field, getter(r)) else with_null
        return lambda r: (getter(r) not in wanted) if not _empty(field, getter(r)) else not with_null
    if operator in ("<", "<=", ">", ">="):
        target = _normalise(field, value, operator)
        if target is False or target is None:
            return lambda r: False
        compare = {
            "<": lambda a: a < target,
            "<=": lambda a: a <= target,
            ">": lambda a: a > target,
            ">=": lambda a: a >= target,
        }[operator]

        def ordered(r: dict[str, Any]) -> bool:
            current = getter(r)
            if _empty(field, current) and field.type != "boolean":
                return False
            try:
                return bool(compare(current))
            except TypeError:
                return bool(compare(str(current))) if isinstance(target, str) else False

        return ordered
    # like family
    negative = operator.startswith("not ")
    if value is False or value is None:
        return (lambda r: not _empty(field, getter(r))) if not negative else (lambda r: _empty(field, getter(r)))
    regex = like_regex(str(value), operator)
    if negative:
        return lambda r: _empty(field, getter(r)) or not regex.match(str(getter(r)))
    return lambda r: not _empty(field, getter(r)) and bool(regex.match(str(getter(r))))


def _name_matches(env: Env, comodel: str, operator: str, value: Any) -> set[int]:
    """Ids of ``comodel`` records whose display name matches (positive operator)."""
    positive = NEGATIVE.get(operator, operator)
    if positive in ("like", "ilike", "=like", "=ilike"):
        regex = like_regex(str(value), positive)
        return {rid for rid, rec in env.store.table(comodel).items() if regex.match(env.display_name(comodel, rec))}
    values = set(value) if isinstance(value, list | tuple) else {value}
    return {rid for rid, rec in env.store.table(comodel).items() if env.display_name(comodel, rec) in values}


def _is_names(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list | tuple) and bool(value) and all(isinstance(v, str) for v in value)


def _many2one(env: Env, model: str, name: str, field: Field, operator: str, value: Any) -> Predicate:
    getter: Callable[[dict[str, Any]], Any] = (lambda r: r["id"]) if name == "id" else (lambda r: r.get(name) or None)
    comodel = field.relation or model
    negative = operator in NEGATIVE
    if _is_names(value) and name != "id":
        ids = _name_matches(env, comodel, operator, value)
        if negative:
            return lambda r: getter(r) is None or getter(r) not in ids
        return lambda r: getter(r) in ids
    if operator in ("like", "ilike", "=like", "=ilike", "not like", "not ilike"):
        return _scalar(env, model, name, field, operator, value)
    if operator in ("=", "!=", "in", "not in"):
        values = list(value) if isinstance(value, list | tuple) else [value]
        with_null = any(v is False or v is None for v in values)
        wanted = {int(v) for v in values if v is not False and v is not None}
        if negative:
            return lambda r: (getter(r) not in wanted) if getter(r) is not None else not with_null
        return lambda r: (getter(r) in wanted) if getter(r) is not None else with_null
    return _scalar(env, model, name, Field("integer", "ID"), operator, value)


def _x2many(env: Env, model: str, name: str, field: Field, operator: str, value: Any) -> Predicate:
    comodel = field.relation or ""
    negative = operator in NEGATIVE

    def ids(r: dict[str, Any]) -> list[int]:
        return env.x2many_ids(model, name, r)

    if value is False or value is None or value == []:
        if operator in ("=", "in"):
            return lambda r: not ids(r)
        if operator in ("!=", "not in"):
            return lambda r: bool(ids(r))
    if _is_names(value):
        wanted = _name_matches(env, comodel, operator, value)
    elif operator in ("<", "<=", ">", ">="):
        sub = _scalar(env, comodel, "id", Field("integer", "ID"), operator, value)
        table = env.store.table(comodel)
        wanted = {rid for rid, rec in table.items() if sub(rec)}
    else:
        values = list(value) if isinstance(value, list | tuple) else [value]
        wanted = {int(v) for v in values if v is not False and v is not None}
    if negative:
        return lambda r: not (set(ids(r)) & wanted)
    return lambda r: bool(set(ids(r)) & wanted)


def _hierarchy(env: Env, model: str, operator: str, value: Any) -> Predicate:
    roots = set(value) if isinstance(value, list | tuple) else {value}
    parent = "parent_id" if "parent_id" in env.fields(model) else ("inherit_id" if model == "ir.ui.view" else None)
    table = env.store.table(model)

    def chain(rid: int | None) -> list[int]:
        seen: list[int] = []
        while rid and rid not in seen and rid in table:
            seen.append(rid)
            rid = table[rid].get(parent) if parent else None
        return seen

    if operator == "child_of":
        return lambda r: bool(roots & set(chain(r["id"])))
    ancestors = {a for root in roots for a in chain(root)}
    return lambda r: r["id"] in ancestors
