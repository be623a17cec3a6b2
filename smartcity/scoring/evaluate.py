"""Rule evaluation: one observation value → an exact share of the indicator's points.

Each function checks the value's type for its rule (a float, a string or a
bool where a number is due raises ``WrongValueTypeError``) and returns the
share with the trace entries that explain it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from smartcity.scoring.errors import (
    InvalidStageError,
    InvalidValueError,
    MissingContextError,
    WrongValueTypeError,
)
from smartcity.scoring.exact import exact_str
from smartcity.scoring.inputs import ObservationValue, ScoringContext
from smartcity.scoring.model import Indicator
from smartcity.scoring.results import TraceEntry, TraceValue
from smartcity.scoring.rules import (
    BandsRule,
    LinearRule,
    MaturityRule,
    NormalisedCountRule,
    YesNoRule,
)

_ONE = Fraction(1)
_ZERO = Fraction(0)


@dataclass(frozen=True)
class RuleOutcome:
    """The share (0..1) of the points a value earns, and why."""

    share: Fraction
    trace: tuple[TraceEntry, ...]


def evaluate(
    indicator: Indicator, value: ObservationValue, context: ScoringContext | None
) -> RuleOutcome:
    """Score ``value`` with ``indicator``'s rule. Raises ``ScoringInputError`` subclasses."""
    rule = indicator.rule
    code = indicator.code
    if isinstance(rule, YesNoRule):
        if not isinstance(value, bool):
            raise WrongValueTypeError(code, "expected_bool", type(value).__name__)
        entry = TraceEntry("indicator.yes_no", {"indicator": code, "answer": value})
        return RuleOutcome(_ONE if value else _ZERO, (entry,))
    if isinstance(rule, MaturityRule):
        if isinstance(value, bool) or not isinstance(value, int):
            raise WrongValueTypeError(code, "expected_stage", type(value).__name__)
        if not 1 <= value <= len(rule.stage_shares):
            raise InvalidStageError(code, "stage_out_of_range", str(value))
        share = Fraction(rule.stage_shares[value - 1])
        params: dict[str, TraceValue] = {
            "indicator": code,
            "stage": value,
            "share": exact_str(share),
        }
        return RuleOutcome(share, (TraceEntry("indicator.maturity_stage", params),))
    number = _number(code, value)
    if isinstance(rule, NormalisedCountRule):
        if number < 0:
            raise InvalidValueError(code, "negative_count", str(value))
        denominator = context_denominator(code, rule, context)
        normalised = number / denominator * Fraction(rule.scale)
        first = TraceEntry(
            "indicator.normalised",
            {
                "indicator": code,
                "raw": exact_str(number),
                "per": rule.per,
                "denominator": exact_str(denominator),
                "scale": exact_str(Fraction(rule.scale)),
                "normalised": exact_str(normalised),
            },
        )
        inner = _numeric(code, rule.rule, normalised)
        return RuleOutcome(inner.share, (first, *inner.trace))
    return _numeric(code, rule, number)


def _number(code: str, value: ObservationValue) -> Fraction:
    """A quantitative value as an exact Fraction (Decimal or int only, finite)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise WrongValueTypeError(code, "expected_decimal", type(value).__name__)
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidValueError(code, "value_not_finite", str(value))
    return Fraction(value)


def context_denominator(
    code: str, rule: NormalisedCountRule, context: ScoringContext | None
) -> Fraction:
    """The population or area the count is divided by; it must be known and positive."""
    raw = None
    if context is not None:
        raw = context.population if rule.per == "population" else context.area_km2
    if raw is None:
        raise MissingContextError(code, f"missing_{rule.per}")
    if raw <= 0:
        raise MissingContextError(code, f"{rule.per}_not_positive", str(raw))
    return Fraction(raw)


def _numeric(code: str, rule: BandsRule | LinearRule, value: Fraction) -> RuleOutcome:
    """Bands or linear scoring of an exact number."""
    higher = rule.direction == "higher_better"
    if isinstance(rule, BandsRule):
        return _bands(code, rule, value, higher)
    return _linear(code, rule, value, higher)


def _bands(code: str, rule: BandsRule, value: Fraction, higher: bool) -> RuleOutcome:
    """The largest share among the bands the value reaches (so better never earns less)."""
    best: tuple[Decimal, Decimal] | None = None
    for threshold, share in rule.bands:
        limit = Fraction(threshold)
        reached = value >= limit if higher else value <= limit
        if reached and (best is None or share > best[1]):
            best = (threshold, share)
    if best is None:
        params0: dict[str, TraceValue] = {"indicator": code, "value": exact_str(value)}
        entry = TraceEntry("indicator.below_lowest_band", params0)
        return RuleOutcome(_ZERO, (entry,))
    params: dict[str, TraceValue] = {
        "indicator": code,
        "value": exact_str(value),
        "threshold": str(best[0]),
        "share": str(best[1]),
    }
    return RuleOutcome(Fraction(best[1]), (TraceEntry("indicator.band_matched", params),))


def _linear(code: str, rule: LinearRule, value: Fraction, higher: bool) -> RuleOutcome:
    """0 at the floor, 1 at the target, clamped; a floor equal to the target is a step."""
    floor, target = Fraction(rule.floor), Fraction(rule.target)
    if floor == target:
        share = _ONE if (value >= target if higher else value <= target) else _ZERO
    else:
        share = min(max((value - floor) / (target - floor), _ZERO), _ONE)
    params: dict[str, TraceValue] = {
        "indicator": code,
        "value": exact_str(value),
        "floor": str(rule.floor),
        "target": str(rule.target),
        "share": exact_str(share),
    }
    return RuleOutcome(share, (TraceEntry("indicator.linear_scored", params),))
