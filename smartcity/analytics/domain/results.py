"""Committee results as analytics sees them: rows of parts (areas and
indicators), each a share of its maximum.

Pure and exact: shares are :class:`~fractions.Fraction` (points ÷ maximum)
until they are shown, so no binary floating point decides a rank. Areas are
compared by their share of the maximum, never by raw points, because the
frameworks of different years give an area different maxima.

The statistics over these rows live beside this module, one per aggregate:
``distributions`` (per area and indicator), ``peers`` (percentile ranks) and
``trends`` (across framework versions, improvers).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property


@dataclass(frozen=True)
class Part:
    """Points of one area or indicator out of its maximum."""

    code: str
    points: Decimal
    max_points: Decimal

    @cached_property
    def share(self) -> Fraction:
        if self.max_points <= 0:
            return Fraction(0)
        return Fraction(self.points) / Fraction(self.max_points)


@dataclass(frozen=True)
class ResultRow:
    """One committee result (an application's consensus) as analytics sees it."""

    application_id: int
    year: int
    municipality_code: str
    name: str
    size_class: str
    framework_code: str
    total: Decimal
    max_total: Decimal
    grade: str
    certified: bool
    areas: tuple[Part, ...]
    indicators: tuple[Part, ...]

    @cached_property
    def share(self) -> Fraction:
        return Part("total", self.total, self.max_total).share

    @cached_property
    def _areas(self) -> dict[str, Part]:
        return {a.code: a for a in self.areas}

    @cached_property
    def _indicators(self) -> dict[str, Part]:
        return {i.code: i for i in self.indicators}

    def area(self, code: str) -> Part | None:
        return self._areas.get(code)

    def indicator(self, code: str) -> Part | None:
        return self._indicators.get(code)


def percent(value: Fraction) -> Decimal:
    """A share as a percentage with one decimal, rounded half-even once."""
    scaled = value * 1000
    return Decimal(round(scaled)) / 10
