"""Who receives an alert: each role's fallback chain, resolved against the ERP's people.

An alert is planned for a *role* (salesperson, sales team leader, manager, director, planner, logistics,
purchasing). Each role has a chain of *sources* (``settings.toml`` ``[rules.routing]``), tried in order; the first
source that gives at least one active internal user receives the alert. The chains end in people who exist in any
database (the Sales / Administrator group, the salesperson), so an alert is never dropped because a team has no
leader; ``odoo-urgency check`` prints the table for a database and fails where a chain can still run dry.
"""

# Only the leaves here: ``policies.config`` imports the routing table's model, and the router and the table import
# ``policies.config`` (import them as ``policies.routing.router`` / ``policies.routing.table``).
from odoo_urgency.policies.routing.config import RECORD_SOURCES, ROLES, RoutingConfig, chain_problems
from odoo_urgency.policies.routing.directory import Directory, Person

__all__ = ["RECORD_SOURCES", "ROLES", "Directory", "Person", "RoutingConfig", "chain_problems"]
