"""Percentiles and rates as the report defines them (stated in the report itself, so readers can recompute).

* percentiles by **nearest rank**: sorted ascending, the value at 1-based rank ``ceil(p/100 × n)``;
* the median of processing times: the middle value, or the mean of the two middle values for an even count;
* a rate: ``on time / decided`` — pending items are not decided yet and count on neither side.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

P90_DEFINITION = "nearest rank: the value at 1-based rank ceil(0.9 × n) of the sorted values"


def nearest_rank(values: Sequence[float], percentile: float) -> float | None:
    """The ``percentile`` (0–100] by nearest rank; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percentile / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def rate(on_time: int, decided: int) -> float | None:
    return on_time / decided if decided else None
