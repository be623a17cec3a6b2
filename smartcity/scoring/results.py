"""What the engine returns: reported figures, exact values and a trace of codes.

Reported figures (``points``, ``total``) are Decimals rounded by the
framework's rule; ``exact`` keeps the unrounded Fraction so analytics and
re-checks never work from rounded numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Literal

from smartcity.scoring.inputs import ObservationValue

#: Where an indicator's points came from.
Source = Literal["committee", "proposal", "none"]

TraceValue = str | int | bool | None


@dataclass(frozen=True)
class TraceEntry:
    """One step of the explanation: a message ``code`` and its parameters.

    Codes (e.g. ``"indicator.band_matched"``) are translated by templates; the
    parameters are plain strings, numbers and booleans (exact values as text).
    """

    code: str
    params: dict[str, TraceValue] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's outcome.

    ``proposal_points`` is what the rule gives the applicant's claim (None when
    there is no claim); ``member_points`` are the committee's scores by member;
    ``aggregated`` is their combination (None without reviews). ``points`` is the
    reported figure: the committee's when it reviewed the indicator, else the
    proposal's.
    """

    code: str
    points: Decimal
    max_points: Decimal
    exact: Fraction
    source: Source
    value: ObservationValue | None
    proposal_points: Decimal | None
    member_points: tuple[tuple[str, Decimal], ...]
    aggregated: Decimal | None
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ItemResult:
    """An evaluation item's subtotal."""

    code: str
    points: Decimal
    max_points: Decimal
    exact: Fraction
    indicators: tuple[IndicatorResult, ...]


@dataclass(frozen=True)
class AreaResult:
    """An area's subtotal."""

    code: str
    points: Decimal
    max_points: Decimal
    exact: Fraction
    items: tuple[ItemResult, ...]


#: Builds a result's breakdown and explanation: (areas, trace).
Breakdown = Callable[[], tuple[tuple[AreaResult, ...], tuple["TraceEntry", ...]]]


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """A complete, reproducible score: stored with ``engine_version`` and ``framework_hash``.

    ``total`` is the exact total rounded once by the framework's rule; ``grade``
    and ``certified`` are decided on it (None grade: below every grade band).
    Subtotals are apportioned from it, so every reported table adds up.

    Why ``areas`` and ``trace`` are built on first read: a national round needs
    every applicant's total, grade and decision, but the per-indicator table and
    the explanation only for the applicants someone opens. ``breakdown`` builds
    both from the exact outcomes the total came from; they are the same whenever
    they are built, and two results are equal when all their figures are.
    """

    framework_code: str
    framework_hash: str
    engine_version: str
    total: Decimal
    max_total: Decimal
    exact_total: Fraction
    grade: int | None
    certified: bool
    breakdown: Breakdown = field(repr=False)

    @cached_property
    def _built(self) -> tuple[tuple[AreaResult, ...], tuple[TraceEntry, ...]]:
        return self.breakdown()

    @property
    def areas(self) -> tuple[AreaResult, ...]:
        """Area subtotals, each with its items and indicators."""
        return self._built[0]

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        """The explanation: message codes with their parameters, in order."""
        return self._built[1]

    def _key(self) -> tuple[object, ...]:
        """Everything a result reports (the trace's parameters included)."""
        return (
            self.framework_code,
            self.framework_hash,
            self.engine_version,
            self.total,
            self.max_total,
            self.exact_total,
            self.grade,
            self.certified,
            self.areas,
            tuple((entry.code, entry.params) for entry in self.trace),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScoreResult):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key()[:9])

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        """Every indicator result, in framework order."""
        return tuple(ind for area in self.areas for item in area.items for ind in item.indicators)

    def indicator(self, code: str) -> IndicatorResult:
        """The result for one indicator code (KeyError if the framework lacks it)."""
        for result in self.indicators:
            if result.code == code:
                return result
        raise KeyError(code)
