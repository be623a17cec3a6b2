"""Combining committee members' scores for one indicator.

How members' scores are combined is not published (certification.md §4 [A]):
the default is the mean, and a call may switch to a trimmed mean (drop one
highest and one lowest score) or the median. Member scores are Decimals; sums
and differences are taken in a context that cannot round (it raises instead),
and the one division is exact, as a Fraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import MAX_PREC, Context, Decimal, Inexact, Rounded
from fractions import Fraction

from smartcity.scoring.model import Aggregation

#: A trimmed mean drops one highest and one lowest score only from this many members on.
TRIM_MINIMUM_MEMBERS = 3

#: Decimal addition and subtraction that never round: any loss raises.
_EXACT = Context(prec=MAX_PREC, traps=[Inexact, Rounded])


def aggregate(method: Aggregation, points: Sequence[Decimal]) -> Fraction:
    """The committee's score from its members' ``points`` (at least one)."""
    ordered = sorted(points)
    if method == "median":
        middle, odd = divmod(len(ordered), 2)
        if odd:
            return Fraction(ordered[middle])
        return Fraction(_EXACT.add(ordered[middle - 1], ordered[middle])) / 2
    if trims(method, len(ordered)):
        ordered = ordered[1:-1]
    total = Decimal(0)
    for value in ordered:
        total = _EXACT.add(total, value)
    return Fraction(total) / len(ordered)


def trims(method: Aggregation, member_count: int) -> bool:
    """True when ``aggregate`` drops the extremes for this many members."""
    return method == "trimmed_mean" and member_count >= TRIM_MINIMUM_MEMBERS


def spread(points: Sequence[Decimal]) -> Decimal:
    """Highest minus lowest member score: the disagreement measure."""
    return _EXACT.subtract(max(points), min(points))
