"""The improvement steps the what-if analysis may choose from, per indicator.

Why steps, not any value: advice must be concrete ("reach the next band",
"move from stage 2 to stage 3"), and an exact optimum needs a finite choice.
Steps are the achievable values strictly better than the current claim, in
order; reaching the k-th costs k steps of effort.

- bands: each better band threshold;
- linear: tenths of the way from floor to target;
- yes/no: yes;
- maturity: each higher stage;
- normalised counts: the nested rule's steps, turned back into whole counts
  for the applicant's population or area.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from smartcity.scoring.evaluate import context_denominator
from smartcity.scoring.inputs import ObservationValue, ScoringContext
from smartcity.scoring.model import Indicator
from smartcity.scoring.rules import (
    BandsRule,
    LinearRule,
    MaturityRule,
    NormalisedCountRule,
    YesNoRule,
)

#: A linear indicator moves in tenths of the floor → target range.
LINEAR_STEPS = 10


@dataclass(frozen=True)
class Option:
    """A value the applicant could reach, ``steps`` steps above the current one."""

    value: ObservationValue
    steps: int


def improvement_options(
    indicator: Indicator, current: ObservationValue | None, context: ScoringContext | None
) -> tuple[Option, ...]:
    """Every better achievable value for one indicator, nearest first.

    ``current`` is the value already claimed (None: no claim); it must already
    have passed ``evaluate`` (the engine scores before the what-if runs).
    """
    rule = indicator.rule
    if isinstance(rule, YesNoRule):
        values: list[ObservationValue] = [] if current is True else [True]
    elif isinstance(rule, MaturityRule):
        start = 0 if current is None else int(current)
        values = list(range(start + 1, len(rule.stage_shares) + 1))
    elif isinstance(rule, NormalisedCountRule):
        values = _counts(indicator, rule, _fraction(current), context)
    else:
        values = list(_better(rule, _candidates(rule), _fraction(current)))
    return tuple(Option(value, position) for position, value in enumerate(values, start=1))


def _fraction(value: ObservationValue | None) -> Fraction | None:
    """A quantitative claim as a Fraction (None stays None)."""
    return None if value is None else Fraction(value)


def _candidates(rule: BandsRule | LinearRule) -> list[Decimal]:
    """The rule's step values, unordered (bands) or from floor to target (linear)."""
    if isinstance(rule, BandsRule):
        return [threshold for threshold, _ in rule.bands]
    span = rule.target - rule.floor
    return [rule.floor + span * step / LINEAR_STEPS for step in range(1, LINEAR_STEPS + 1)]


def _better(
    rule: BandsRule | LinearRule, candidates: list[Decimal], current: Fraction | None
) -> list[Decimal]:
    """Distinct candidates strictly better than ``current``, nearest first."""
    higher = rule.direction == "higher_better"
    distinct = sorted(set(candidates), reverse=not higher)
    if current is None:
        return distinct
    return [c for c in distinct if (c > current if higher else c < current)]


def _counts(
    indicator: Indicator,
    rule: NormalisedCountRule,
    current: Fraction | None,
    context: ScoringContext | None,
) -> list[ObservationValue]:
    """Whole raw counts reaching each better normalised step, nearest first."""
    denominator = context_denominator(indicator.code, rule, context)
    higher = rule.rule.direction == "higher_better"
    counts: list[ObservationValue] = []
    for normalised in _better(rule.rule, _candidates(rule.rule), None):
        raw = Fraction(normalised) * denominator / Fraction(rule.scale)
        whole = -(-raw.numerator // raw.denominator) if higher else raw // 1
        improves = current is None or (whole > current if higher else whole < current)
        if whole >= 0 and improves and Decimal(whole) not in counts:
            counts.append(Decimal(whole))
    return counts
