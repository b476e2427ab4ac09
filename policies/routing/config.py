"""The ``[rules.routing]`` table: one fallback chain per role.

A source is one of

* ``order.salesperson``, ``order.team_leader``, ``mo.responsible``, ``picking.responsible``, ``purchase.buyer``
  — the person the ERP record names (differs per order; the last is a purchase order's buyer, for the materials
  alerts about it);
* ``config.manager``, ``config.director``, ``config.planner``, ``config.logistics``, ``config.purchasing`` — the
  user ids configured in ``[rules.escalation]``, ``[rules.production]`` and ``purchasing_user_id`` here (else
  ``[rules.materials] purchasing_user_id``);
* ``group:<xml id>`` — every active internal user of an Odoo group, e.g. ``group:sales_team.group_sale_manager``
  (Sales / Administrator);
* ``login:<login>`` — one user by login;
* ``role:<role>`` — that role's own chain (cycles are refused at start-up).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ROLES = ("salesperson", "team_leader", "manager", "director", "planner", "logistics", "purchasing")
RECORD_SOURCES = frozenset({"order.salesperson", "order.team_leader", "mo.responsible", "picking.responsible",
                            "purchase.buyer"})
CONFIG_SOURCES = frozenset({"config.manager", "config.director", "config.planner", "config.logistics",
                            "config.purchasing"})
PREFIXES = ("group:", "login:", "role:")

SALES_ADMINS = "group:sales_team.group_sale_manager"


def _chain(*sources: str) -> list[str]:
    return list(sources)


def source_problem(source: str) -> str | None:
    """Why ``source`` is not a source, or None."""
    if source in RECORD_SOURCES or source in CONFIG_SOURCES:
        return None
    for prefix in PREFIXES:
        if source.startswith(prefix):
            rest = source[len(prefix):]
            if prefix == "role:" and rest not in ROLES:
                return f"unknown role {rest!r} in {source!r} (roles: {', '.join(ROLES)})"
            if prefix == "group:" and "." not in rest:
                return f"{source!r} must name a group by its xml id, e.g. group:sales_team.group_sale_manager"
            return None if rest else f"{source!r} names nothing"
    return f"unknown source {source!r}"


class RoutingConfig(BaseModel):
    """Each role's chain. Defaults: the record's own person first, then configured people, then a group, then
    a person every order has (the salesperson) or the manager's chain."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    purchasing_user_id: int | None = None
    salesperson: list[str] = Field(default_factory=lambda: _chain("order.salesperson", "order.team_leader",
                                                                  "role:manager"))
    team_leader: list[str] = Field(default_factory=lambda: _chain("order.team_leader", "role:manager",
                                                                  "order.salesperson"))
    manager: list[str] = Field(default_factory=lambda: _chain("config.manager", SALES_ADMINS))
    director: list[str] = Field(default_factory=lambda: _chain("config.director", "role:manager"))
    planner: list[str] = Field(default_factory=lambda: _chain("mo.responsible", "config.planner",
                                                              "group:mrp.group_mrp_manager", "order.salesperson",
                                                              "role:manager"))
    logistics: list[str] = Field(default_factory=lambda: _chain("picking.responsible", "config.logistics",
                                                                "group:stock.group_stock_manager",
                                                                "order.salesperson", "role:manager"))
    purchasing: list[str] = Field(default_factory=lambda: _chain("purchase.buyer", "config.purchasing",
                                                                 "group:purchase.group_purchase_manager",
                                                                 "role:planner"))

    @field_validator("purchasing_user_id", mode="before")
    @classmethod
    def _nobody(cls, value: object) -> object:
        return None if value in (0, False, "") else value  # TOML has no null: 0 stands for "nobody"

    @field_validator(*ROLES)
    @classmethod
    def _sources(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("a chain needs at least one source")
        for source in value:
            problem = source_problem(source)
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _no_cycles(self) -> RoutingConfig:
        for role in ROLES:
            path = _cycle_from(self, role, ())
            if path:
                raise ValueError(f"role chains refer to each other in a circle: {' → '.join(path)}")
        return self

    def chain(self, role: str) -> list[str]:
        if role not in ROLES:
            raise KeyError(f"unknown role {role!r}")
        return list(getattr(self, role))


def _cycle_from(config: RoutingConfig, role: str, seen: tuple[str, ...]) -> tuple[str, ...]:
    if role in seen:
        return (*seen, role)
    for source in config.chain(role):
        if source.startswith("role:"):
            found = _cycle_from(config, source[5:], (*seen, role))
            if found:
                return found
    return ()


def chain_problems(config: RoutingConfig) -> list[str]:
    """Chains that can run dry on any database: every source names a person of the record."""
    problems = []
    for role in ROLES:
        if all(source in RECORD_SOURCES for source in config.chain(role)):
            problems.append(f"rules.routing.{role}: every source depends on the record; add a group or a user")
    return problems
