"""The small-number suppression applied to everything published. The rules are in
docs/consultations-analysis.md; `core.suppression.suppress()` is their one implementation,
shared with the yearly report on concerns."""

from collections.abc import Hashable, Iterable

from core import suppression
from core.suppression import WITHHELD

# Counts from 1 to 4 are published as "fewer than 5".
SUPPRESSION_THRESHOLD = 5
# Secondary suppression goes on until the cells withheld in a line add up to at least this.
WITHHELD_SUM_AT_LEAST = 2 * SUPPRESSION_THRESHOLD
FEWER_THAN = suppression.fewer_than(SUPPRESSION_THRESHOLD)

__all__ = ["FEWER_THAN", "SUPPRESSION_THRESHOLD", "WITHHELD", "WITHHELD_SUM_AT_LEAST", "suppress"]


def suppress(values: dict[Hashable, int], lines: Iterable[list[Hashable]]) -> dict[Hashable, str]:
    """Which cells to withhold from publication, and why: FEWER_THAN (primary) or WITHHELD
    (secondary). `lines` are groups of cells that add up, including their total."""
    return suppression.suppress(values, lines, threshold=SUPPRESSION_THRESHOLD)
