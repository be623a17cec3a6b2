"""Scoring rules: how one indicator's observation becomes a share of its points.

A rule is a frozen dataclass; the union ``Rule`` is the tagged union the engine
dispatches on (``rule_type`` is the tag written in framework documents). Rules
hold data only; ``evaluate.py`` turns them into shares, ``steps.py`` into the
improvement steps the what-if analysis may choose from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Literal

Direction = Literal["higher_better", "lower_better"]
Normalisation = Literal["population", "area_km2"]

DIRECTIONS: tuple[Direction, ...] = ("higher_better", "lower_better")
NORMALISATIONS: tuple[Normalisation, ...] = ("population", "area_km2")

#: Stage k of 5 earns k/5 of the points by default (certification.md §3 [A]).
DEFAULT_STAGE_SHARES: tuple[Decimal, ...] = (
    Decimal("0.2"),
    Decimal("0.4"),
    Decimal("0.6"),
    Decimal("0.8"),
    Decimal("1"),
)
#: The five maturity stages (성숙도), in order; stage numbers are 1-based.
STAGE_NAMES_KO: tuple[str, ...] = ("착수", "일부요건 충족", "요건 충족", "발전", "최적화")
STAGE_NAMES_EN: tuple[str, ...] = (
    "initiation",
    "some requirements met",
    "requirements met",
    "advancing",
    "optimised",
)
STAGE_COUNT = 5


@dataclass(frozen=True)
class BandsRule:
    """Value thresholds mapped to a share (0..1) of the indicator's points.

    ``bands`` holds ``(threshold, share)`` pairs. For ``higher_better`` a value
    reaches a band when it is at least the threshold, for ``lower_better`` when
    it is at most the threshold; the value earns the largest share among the
    bands it reaches (0 if none), so a better value can never earn less.
    """

    direction: Direction
    bands: tuple[tuple[Decimal, Decimal], ...]
    rule_type: ClassVar[str] = "bands"


@dataclass(frozen=True)
class LinearRule:
    """0 points at ``floor``, full points at ``target``, linear in between, clamped.

    For ``lower_better`` the floor is the larger number (e.g. 30 minutes earns
    nothing, 5 minutes earns everything); ``direction`` states the intent so a
    framework whose floor and target are swapped by mistake is caught.
    """

    floor: Decimal
    target: Decimal
    direction: Direction
    rule_type: ClassVar[str] = "linear"


@dataclass(frozen=True)
class YesNoRule:
    """Full points for yes, none for no (e.g. a smart city ordinance adopted)."""

    rule_type: ClassVar[str] = "yes_no"


@dataclass(frozen=True)
class NormalisedCountRule:
    """A raw count divided by population or area, times ``scale``, then scored.

    Why: large and small cities must be comparable, so "patents" becomes
    "patents per 100,000 residents" (``per="population"``, ``scale=100000``).
    The population or area comes from the scoring context, not the framework.
    """

    per: Normalisation
    scale: Decimal
    rule: BandsRule | LinearRule
    rule_type: ClassVar[str] = "normalised_count"


@dataclass(frozen=True)
class MaturityRule:
    """Qualitative maturity (성숙도): stage 1..5 earns ``stage_shares[stage-1]``.

    The stage-to-points mapping is not published, so it is framework data with
    the k/5 default. Descriptors tell the applicant and the committee what each
    stage means for this indicator; they do not affect the score.
    """

    stage_shares: tuple[Decimal, ...] = DEFAULT_STAGE_SHARES
    descriptors_ko: tuple[str, ...] = ()
    descriptors_en: tuple[str, ...] = ()
    rule_type: ClassVar[str] = "maturity"


Rule = BandsRule | LinearRule | YesNoRule | NormalisedCountRule | MaturityRule
#: Every rule class, for ``isinstance`` checks on frameworks built by hand.
RULE_CLASSES: tuple[type, ...] = (
    BandsRule,
    LinearRule,
    YesNoRule,
    NormalisedCountRule,
    MaturityRule,
)


def is_qualitative(rule: Rule) -> bool:
    """Maturity indicators are the qualitative (정성) half; all others quantitative (정량)."""
    return isinstance(rule, MaturityRule)
