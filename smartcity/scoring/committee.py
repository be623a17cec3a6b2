"""The committee's scores in point units: grouped by indicator, checked, combined.

How members' scores are combined is not published (certification.md §4 [A]):
the default is the mean, and a call may switch to a trimmed mean (drop one
highest and one lowest score) or the median. Member scores arrive as Decimals;
here they become whole point units (see ``plan``), so sums and spreads are
integer arithmetic and the one division, by the member count, leaves an
integer ratio. A score finer than the point unit (rare: the framework's
points and rounding are coarser) is kept as an exact Fraction of units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from math import gcd

from smartcity.scoring.errors import (
    DuplicateReviewError,
    InvalidMemberScoreError,
    UnknownIndicatorError,
)
from smartcity.scoring.evaluate import Ratio
from smartcity.scoring.inputs import Review
from smartcity.scoring.model import Aggregation
from smartcity.scoring.plan import Plan

#: A trimmed mean drops one highest and one lowest score only from this many members on.
TRIM_MINIMUM_MEMBERS = 3
#: Bound on the plan's cache of converted member scores (distinct values are few).
_CACHE_LIMIT = 4096

#: A member score in point units: whole, or an exact Fraction when finer than the unit.
Units = int | Fraction
#: Per indicator code: member → (member, the score as a Decimal, the score in point units).
Member = tuple[str, Decimal, Units]
Grouped = dict[str, dict[str, Member]]


def group_reviews(plan: Plan, reviews: Iterable[Review]) -> Grouped:
    """Reviews by indicator code and member; bad scores raise, in the reviews' order.

    Checks, per review: the indicator exists, the score is a finite Decimal
    (or int), not negative, not above the indicator's points, and the member
    has not scored the indicator already.
    """
    grouped: Grouped = {}
    by_code, cache = plan.by_code, plan.member_units
    maxima: dict[str, int] = {}
    # Reviews usually come indicator by indicator: the last one's group is kept at hand.
    last: str | None = None
    members: dict[str, Member] = {}
    top = 0
    for review in reviews:
        code, points, member = review.indicator, review.points, review.member
        if code != last:
            if code not in grouped:
                entry = by_code.get(code)
                if entry is None:
                    raise UnknownIndicatorError(code, "unknown_indicator", member)
                grouped[code], maxima[code] = {}, entry.points
            last, members, top = code, grouped[code], maxima[code]
        units: Units | None = cache.get(points) if type(points) is Decimal else None
        if units is None:
            units = _units(plan, code, review)
            points = Decimal(points)
        if units > top:
            raise InvalidMemberScoreError(code, "member_score_above_points", member)
        if member in members:
            raise DuplicateReviewError(code, "duplicate_review", member)
        members[member] = (member, points, units)
    return grouped


def _units(plan: Plan, code: str, review: Review) -> Units:
    """A score not seen before: check it, convert it, remember whole-unit Decimals."""
    points = review.points
    if isinstance(points, bool) or not isinstance(points, Decimal | int):
        raise InvalidMemberScoreError(code, "member_score_not_decimal", review.member)
    if isinstance(points, Decimal) and not points.is_finite():
        raise InvalidMemberScoreError(code, "member_score_not_finite", review.member)
    if points < 0:
        raise InvalidMemberScoreError(code, "member_score_negative", review.member)
    numerator, denominator = points.as_integer_ratio()
    whole, rest = divmod(numerator * plan.factor, denominator)
    if rest:
        return Fraction(numerator * plan.factor, denominator)
    if type(points) is Decimal:
        if len(plan.member_units) >= _CACHE_LIMIT:
            plan.member_units.clear()
        plan.member_units[points] = whole
    return whole


def aggregate(method: Aggregation, units: Sequence[Units]) -> Ratio:
    """The committee's score from its members' ``units`` (at least one), as a ratio."""
    if method == "median":
        ordered = sorted(units)
        middle, odd = divmod(len(ordered), 2)
        if odd:
            return ratio(ordered[middle], 1)
        return ratio(ordered[middle - 1] + ordered[middle], 2)
    if trims(method, len(units)):
        ordered = sorted(units)[1:-1]
        return ratio(sum(ordered), len(ordered))
    return ratio(sum(units), len(units))


def ratio(value: Units, count: int) -> Ratio:
    """``value / count`` in lowest terms (count > 0)."""
    if type(value) is int:
        numerator, denominator = value, count
    else:
        numerator, denominator = value.numerator, value.denominator * count
    common = gcd(numerator, denominator)
    return numerator // common, denominator // common


def trims(method: Aggregation, member_count: int) -> bool:
    """True when ``aggregate`` drops the extremes for this many members."""
    return method == "trimmed_mean" and member_count >= TRIM_MINIMUM_MEMBERS
