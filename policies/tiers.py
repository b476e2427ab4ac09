"""The three urgency tiers of 订单管理制度 第十条 (普通 / 特殊 / 紧急), ordered by :attr:`Tier.rank`.

``Tier`` is a ``StrEnum`` (a ``str``) so that its values travel unchanged to Odoo (``x_urgency``) and TOML.
Compare tiers with :attr:`Tier.rank` (or :func:`highest`), never with ``<`` on the strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Tier(StrEnum):
    NORMAL = "normal"
    SPECIAL = "special"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: object) -> Tier | None:
        """A tier from a wire value (``"urgent"``), or None for anything else (``False``, ``""``, typos)."""
        if isinstance(value, Tier):
            return value
        try:
            return cls(str(value).strip().lower()) if value else None
        except ValueError:
            return None


_RANK = {Tier.NORMAL: 0, Tier.SPECIAL: 1, Tier.URGENT: 2}


def highest(tiers: Iterable[Tier], default: Tier = Tier.NORMAL) -> Tier:
    """The most urgent of ``tiers`` (``default`` when there is none)."""
    return max(tiers, key=lambda tier: tier.rank, default=default)


@dataclass(frozen=True)
class TierTag:
    """The ``crm.tag`` standing for a tier on a sale order (tag mode, and beside the fields in install mode)."""

    #: its xml id in module ``odoo_urgency`` (``odoo-urgency install`` creates it)
    xml_name: str
    #: the name the daemon gives the tag it creates itself when nothing was installed (both languages: one tag
    #: serves every user)
    name: str
    #: Odoo's colour index (1 red, 2 orange)
    color: int


#: The one list of tier tags; a normal order carries none.
TIER_TAGS: dict[Tier, TierTag] = {
    Tier.URGENT: TierTag("tag_urgent", "Urgent / 紧急", 1),
    Tier.SPECIAL: TierTag("tag_special", "Special / 特殊", 2),
}
