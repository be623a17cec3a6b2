"""What the engine scores: the applicant's claims, the committee's scores, the context.

The checks here are the ones that need no rule (unknown codes, duplicates,
member scores out of range); value types are checked against the rule in
``evaluate.py``. Inputs are normalised into dictionaries keyed by indicator
code, which is why the order of observations and reviews never matters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from smartcity.scoring.errors import (
    DuplicateObservationError,
    UnknownIndicatorError,
)
from smartcity.scoring.model import Indicator

#: Decimal for quantitative rules, bool for yes/no, int stage 1–5 for maturity.
ObservationValue = Decimal | bool | int


@dataclass(frozen=True)
class Observation:
    """One claim of the applicant's evaluation proposal (평가제안서) or self-assessment.

    ``evidence`` references the supporting document (e.g. "부록 3, 12쪽"); an
    indicator that requires evidence and has none is flagged, not zeroed: the
    operating body asks for supplements (보완) rather than scoring zero.
    """

    indicator: str
    value: ObservationValue
    evidence: str | None = None


@dataclass(frozen=True)
class Review:
    """One committee member's score for one indicator, in points."""

    member: str
    indicator: str
    points: Decimal


@dataclass(frozen=True)
class ScoringContext:
    """Facts about the applicant that normalised counts divide by."""

    population: int | Decimal | None = None
    area_km2: Decimal | None = None


Observations = Mapping[str, Observation | Decimal | bool | int] | Iterable[Observation]


def index_observations(
    observations: Observations, index: Mapping[str, Indicator]
) -> dict[str, Observation]:
    """Observations by indicator code; unknown codes and duplicates raise.

    A mapping of code → value (or code → Observation) is accepted for
    convenience; an iterable of ``Observation`` is the general form.
    """
    if isinstance(observations, Mapping):
        items = [
            value if isinstance(value, Observation) else Observation(code, value)
            for code, value in observations.items()
        ]
    else:
        items = list(observations)
    result: dict[str, Observation] = {}
    for observation in items:
        code = observation.indicator
        if code not in index:
            raise UnknownIndicatorError(code, "unknown_indicator")
        if code in result:
            raise DuplicateObservationError(code, "duplicate_observation")
        result[code] = observation
    return result
