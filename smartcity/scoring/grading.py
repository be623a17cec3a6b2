"""Grades and the certification decision, on the rounded total.

Boundaries are inclusive: exactly 1,400.00 is grade 3 and certified, 1,399.99
is not (certification.md §4).
"""

from __future__ import annotations

from decimal import Decimal

from smartcity.scoring.model import Framework, GradeBand


def grade_band(framework: Framework, total: Decimal) -> GradeBand | None:
    """The best grade band whose minimum the total reaches; None below every band."""
    reached = [band for band in framework.grade_bands if total >= band.min_points]
    return min(reached, key=lambda band: band.grade, default=None)


def next_band(framework: Framework, current: GradeBand | None) -> GradeBand | None:
    """The band one grade better than ``current`` (the worst band when ungraded)."""
    if current is None:
        return max(framework.grade_bands, key=lambda band: band.grade, default=None)
    better = [band for band in framework.grade_bands if band.grade < current.grade]
    return max(better, key=lambda band: band.grade, default=None)


def is_certified(framework: Framework, total: Decimal) -> bool:
    """Certified when the rounded total reaches the threshold (inclusive)."""
    return total >= framework.certification_threshold
