"""The small-number suppression applied to everything published. The rules are in
docs/consultations-analysis.md; `suppress()` is their one implementation."""

from collections.abc import Hashable, Iterable

# Counts from 1 to 4 are published as "fewer than 5".
SUPPRESSION_THRESHOLD = 5
# Secondary suppression goes on until the cells withheld in a line add up to at least this,
# so that "total minus the rest" leaves a range wide enough to hide a small cell.
WITHHELD_SUM_AT_LEAST = 2 * SUPPRESSION_THRESHOLD
FEWER_THAN = f"fewer than {SUPPRESSION_THRESHOLD}"
WITHHELD = "withheld"


def suppress(values: dict[Hashable, int], lines: Iterable[list[Hashable]]) -> dict[Hashable, str]:
    """Which cells to withhold from publication, and why: FEWER_THAN (primary) or WITHHELD
    (secondary). `lines` are groups of cells that add up, including their total.

    Primary: every count from 1 to 4. Secondary: while a line has any withheld cell and its
    withheld cells are fewer than two, or add up to less than WITHHELD_SUM_AT_LEAST, or are all
    small, withhold the smallest other non-zero cell of that line. Zero is never withheld.
    """
    lines = [list(line) for line in lines]
    withheld: dict[Hashable, str] = {
        key: FEWER_THAN for key, value in values.items() if 0 < value < SUPPRESSION_THRESHOLD
    }
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [key for key in line if key in withheld]
            if not hidden:
                continue
            enough = (
                len(hidden) >= 2
                and sum(values[key] for key in hidden) >= WITHHELD_SUM_AT_LEAST
                and any(values[key] >= SUPPRESSION_THRESHOLD for key in hidden)
            )
            if enough:
                continue
            candidates = [key for key in line if key not in withheld and values[key] > 0]
            if not candidates:
                continue
            smallest = min(candidates, key=lambda key: (values[key], line.index(key)))
            withheld[smallest] = WITHHELD
            changed = True
    return withheld
