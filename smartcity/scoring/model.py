"""The framework model: the engine's input, as immutable values.

A Django app maps its database rows to these; documents map to them through
``document.py``. Nothing here computes a score; the classes only describe a
framework (areas → items → indicators, grade bands, settings of the call).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Literal

from smartcity.scoring.rules import Rule, is_qualitative

FrameworkKind = Literal["city", "service"]
Aggregation = Literal["mean", "trimmed_mean", "median"]

FRAMEWORK_KINDS: tuple[FrameworkKind, ...] = ("city", "service")
AGGREGATIONS: tuple[Aggregation, ...] = ("mean", "trimmed_mean", "median")
ROUNDING_MODES: tuple[str, ...] = (
    "ROUND_HALF_UP",
    "ROUND_HALF_DOWN",
    "ROUND_HALF_EVEN",
    "ROUND_UP",
    "ROUND_DOWN",
    "ROUND_CEILING",
    "ROUND_FLOOR",
    "ROUND_05UP",
)


@dataclass(frozen=True)
class RoundingRule:
    """How reported figures are rounded: ``places`` decimals, ``mode`` as in ``decimal``.

    Applied once, at the end: the engine keeps exact values until it reports.
    """

    places: int = 2
    mode: str = "ROUND_HALF_UP"


@dataclass(frozen=True)
class GradeBand:
    """Grade ``grade`` (1 is best) starts at ``min_points`` (inclusive)."""

    grade: int
    min_points: Decimal


@dataclass(frozen=True)
class Indicator:
    """A detailed indicator (세부지표): its points, rule and the evidence it needs."""

    code: str
    name_ko: str
    name_en: str
    description_ko: str
    description_en: str
    points: Decimal
    evidence_required: str
    rule: Rule

    @property
    def qualitative(self) -> bool:
        """True for maturity indicators (정성지표)."""
        return is_qualitative(self.rule)


@dataclass(frozen=True)
class Item:
    """An evaluation item (평가항목) grouping indicators."""

    code: str
    name_ko: str
    name_en: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Area:
    """An area (분야), e.g. innovation (혁신성)."""

    code: str
    name_ko: str
    name_en: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Framework:
    """One versioned evaluation framework, as used by one call.

    ``reconstructed`` marks frameworks rebuilt from public examples rather than
    the official (unpublished) indicator list; the UI must say so. The declared
    totals are optional and only checked by ``validate_framework``.
    """

    code: str
    kind: FrameworkKind
    year: int
    field: str | None
    version: str
    areas: tuple[Area, ...]
    grade_bands: tuple[GradeBand, ...]
    certification_threshold: Decimal
    aggregation: Aggregation
    rounding: RoundingRule
    disagreement_spread: Decimal
    reconstructed: bool
    name_ko: str = ""
    name_en: str = ""
    total_points: Decimal | None = None
    quantitative_total: Decimal | None = None
    qualitative_total: Decimal | None = None

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in framework order (areas, then items)."""
        return tuple(ind for area in self.areas for item in area.items for ind in item.indicators)

    @cached_property
    def indicator_index(self) -> dict[str, Indicator]:
        """Indicators by code (the last one wins if codes repeat; validation flags that)."""
        return {ind.code: ind for ind in self.indicators}

    @cached_property
    def max_points(self) -> Decimal:
        """The sum of every indicator's points."""
        return sum((ind.points for ind in self.indicators), Decimal(0))
