"""Small-number suppression for anything published as counts: consultation results
(docs/consultations-analysis.md) and the yearly report on concerns (docs/concerns.md). One
implementation, `suppress()`, for both; each caller says below what count a cell is small."""

from collections.abc import Hashable, Iterable

WITHHELD = "withheld"


def fewer_than(threshold: int) -> str:
    return f"fewer than {threshold}"


def suppress(
    values: dict[Hashable, int], lines: Iterable[list[Hashable]], *, threshold: int
) -> dict[Hashable, str]:
    """Which cells to withhold from publication, and why: "fewer than <threshold>" (primary)
    or WITHHELD (secondary). `lines` are groups of cells that add up, including their total.

    Primary: every count from 1 to threshold - 1. Secondary: while a line has any withheld cell
    and its withheld cells are fewer than two, or add up to less than twice the threshold, or
    are all small, withhold the smallest other non-zero cell of that line. Zero is never
    withheld.
    """
    # Secondary suppression goes on until the cells withheld in a line add up to at least
    # this, so that "total minus the rest" leaves a range wide enough to hide a small cell.
    withheld_sum_at_least = 2 * threshold
    small = fewer_than(threshold)
    lines = [list(line) for line in lines]
    withheld: dict[Hashable, str] = {
        key: small for key, value in values.items() if 0 < value < threshold
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
                and sum(values[key] for key in hidden) >= withheld_sum_at_least
                and any(values[key] >= threshold for key in hidden)
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
