"""Amounts in the company's currency, at the rate Odoo used for the document (每个金额按公司币种).

Odoo stores on each sale and purchase order ``currency_rate``: units of the order's currency per unit of the
company's currency on the order's date. An amount in the company's currency is therefore ``amount / rate``.
Where a server does not send the stored rate and the currencies differ, today's rates of ``res.currency`` stand
in (``rate`` there is also per unit of the company's currency), and the conversion says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from odoo_urgency.connector.records import Ref


@dataclass(frozen=True)
class Converted:
    amount: float
    #: "same" (company currency), "order" (the document's stored rate), "today" (res.currency), "none" (unknown rate:
    #: the amount is taken as it is).
    source: str


def to_company(amount: float, currency: Ref | None, stored_rate: float | None, company_currency: Ref | None,
               today: Mapping[int, float]) -> Converted:
    """``amount`` (in ``currency``) in the company's currency."""
    if currency is None or company_currency is None or currency.id == company_currency.id:
        return Converted(round(amount, 2), "same")
    if stored_rate:
        return Converted(round(amount / stored_rate, 2), "order")
    mine, theirs = today.get(currency.id), today.get(company_currency.id)
    if mine and theirs:
        return Converted(round(amount * theirs / mine, 2), "today")
    return Converted(round(amount, 2), "none")
