"""The monthly assessment of every department (每月考核), as pure rules: records and ``now`` in, figures out.

The source asks the order management department to assess each month how every department handled orders and to
report it to leadership; late urgent stock-up is penalised by delay and history (紧急备货单的罚款标准). This
package holds every judgment of that report; ``jobs.report`` only reads the records and renders the result.

* :mod:`~policies.assessment.judgment` — the one on-time rule (done by due; pending while not yet due);
* :mod:`~policies.assessment.sales`, :mod:`~.production`, :mod:`~.logistics`, :mod:`~.purchasing` — what each
  department is judged on, and its groupings;
* :mod:`~policies.assessment.penalties` — penalty estimates per department and per customer / vendor, priced by
  :func:`policies.penalty.penalty_for` with the history factor;
* :mod:`~policies.assessment.money` — amounts in the company's currency at the rate Odoo stored on the document;
* :mod:`~policies.assessment.assess` — one section per company, the period and the trend.
"""

from odoo_urgency.policies.assessment.assess import Assessment, CompanyAssessment, Records, TrendPoint, TrendSeries, assess
from odoo_urgency.policies.assessment.figures import Figures, Section
from odoo_urgency.policies.assessment.judgment import Judgment, Status, judge
from odoo_urgency.policies.assessment.penalties import Penalties, PenaltyRow
from odoo_urgency.policies.assessment.periods import add_months, month, months_ending
from odoo_urgency.policies.assessment.sales import Classifying, SalesFigures, report_tier, report_tiers
from odoo_urgency.policies.assessment.stats import median, nearest_rank

__all__ = [
    "Assessment", "Classifying", "CompanyAssessment", "Figures", "Judgment", "Penalties", "PenaltyRow", "Records",
    "SalesFigures", "Section", "Status", "TrendPoint", "TrendSeries", "add_months", "assess", "judge", "median",
    "month", "months_ending", "nearest_rank", "report_tier", "report_tiers",
]
