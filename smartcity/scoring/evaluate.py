"""Rule evaluation: one observation value → an exact share of the indicator's points.

Each rule checks the value's type (a float, a string or a bool where a number
is due raises ``WrongValueTypeError``) and returns the share with the trace
entries that explain it.

Why compiled: a national round evaluates every rule thousands of times, so
``compile_rule`` turns a rule once into a scorer working on integer ratios
(numerator, denominator) instead of Fractions; the engine keeps one per
indicator. ``evaluate`` is the same scorer with the share as a Fraction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import gcd

from smartcity.scoring.errors import (
    InvalidStageError,
    InvalidValueError,
    MissingContextError,
    WrongValueTypeError,
)
from smartcity.scoring.exact import ratio_str
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

#: An exact non-negative-denominator ratio (numerator, denominator), in lowest terms.
Ratio = tuple[int, int]
#: A compiled rule: value and context → share as a ratio, and the trace explaining it.
#: With ``explain`` false the trace stays empty (the engine's fast pass for totals).
Scorer = Callable[
    [ObservationValue, ScoringContext | None, bool], tuple[int, int, tuple[TraceEntry, ...]]
]


@dataclass(frozen=True)
class RuleOutcome:
    """The share (0..1) of the points a value earns, and why."""

    share: Fraction
    trace: tuple[TraceEntry, ...]


def evaluate(
    indicator: Indicator, value: ObservationValue, context: ScoringContext | None
) -> RuleOutcome:
    """Score ``value`` with ``indicator``'s rule. Raises ``ScoringInputError`` subclasses."""
    numerator, denominator, trace = compile_rule(indicator)(value, context, True)
    return RuleOutcome(Fraction(numerator, denominator), trace)


def compile_rule(indicator: Indicator) -> Scorer:
    """``indicator``'s rule as a scorer over integer ratios (see the module docstring)."""
    rule = indicator.rule
    code = indicator.code
    if isinstance(rule, YesNoRule):
        return _yes_no(code)
    if isinstance(rule, MaturityRule):
        return _maturity(code, rule)
    if isinstance(rule, NormalisedCountRule):
        return _normalised(code, rule)
    inner = _numeric(code, rule)

    def numeric(value: ObservationValue, context: ScoringContext | None, explain: bool) -> _Scored:
        return inner(_number(code, value), explain)

    return numeric


_Scored = tuple[int, int, tuple[TraceEntry, ...]]


def _yes_no(code: str) -> Scorer:
    """Full share for yes, none for no."""

    def yes_no(value: ObservationValue, context: ScoringContext | None, explain: bool) -> _Scored:
        if not isinstance(value, bool):
            raise WrongValueTypeError(code, "expected_bool", type(value).__name__)
        if not explain:
            return (1 if value else 0), 1, ()
        entry = TraceEntry("indicator.yes_no", {"indicator": code, "answer": value})
        return (1 if value else 0), 1, (entry,)

    return yes_no


def _maturity(code: str, rule: MaturityRule) -> Scorer:
    """Stage k earns ``stage_shares[k-1]``; the shares and their text are prepared once."""
    shares = [share.as_integer_ratio() for share in rule.stage_shares]
    texts = [ratio_str(*share) for share in shares]
    count = len(shares)

    def maturity(value: ObservationValue, context: ScoringContext | None, explain: bool) -> _Scored:
        if isinstance(value, bool) or not isinstance(value, int):
            raise WrongValueTypeError(code, "expected_stage", type(value).__name__)
        if not 1 <= value <= count:
            raise InvalidStageError(code, "stage_out_of_range", str(value))
        numerator, denominator = shares[value - 1]
        if not explain:
            return numerator, denominator, ()
        params: dict[str, TraceValue] = {
            "indicator": code,
            "stage": value,
            "share": texts[value - 1],
        }
        return numerator, denominator, (TraceEntry("indicator.maturity_stage", params),)

    return maturity


def _normalised(code: str, rule: NormalisedCountRule) -> Scorer:
    """Divide the count by population or area, times the scale, then score it."""
    scale_n, scale_d = rule.scale.as_integer_ratio()
    scale_text = ratio_str(scale_n, scale_d)
    inner = _numeric(code, rule.rule)

    def normalised(
        value: ObservationValue, context: ScoringContext | None, explain: bool
    ) -> _Scored:
        number_n, number_d = _number(code, value)
        if number_n < 0:
            raise InvalidValueError(code, "negative_count", str(value))
        per_n, per_d = context_ratio(code, rule, context)
        numerator, denominator = _reduced(number_n * per_d * scale_n, number_d * per_n * scale_d)
        if not explain:
            return inner((numerator, denominator), False)
        first = TraceEntry(
            "indicator.normalised",
            {
                "indicator": code,
                "raw": ratio_str(number_n, number_d),
                "per": rule.per,
                "denominator": ratio_str(per_n, per_d),
                "scale": scale_text,
                "normalised": ratio_str(numerator, denominator),
            },
        )
        share_n, share_d, trace = inner((numerator, denominator), True)
        return share_n, share_d, (first, *trace)

    return normalised


def _reduced(numerator: int, denominator: int) -> Ratio:
    """A ratio in lowest terms with a positive denominator (denominator ≠ 0)."""
    common = gcd(numerator, denominator)
    if denominator < 0:
        common = -common
    return numerator // common, denominator // common


def _number(code: str, value: ObservationValue) -> Ratio:
    """A quantitative value as an exact ratio (Decimal or int only, finite)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise WrongValueTypeError(code, "expected_decimal", type(value).__name__)
    if isinstance(value, int):
        return int(value), 1
    if not value.is_finite():
        raise InvalidValueError(code, "value_not_finite", str(value))
    return value.as_integer_ratio()


def context_denominator(
    code: str, rule: NormalisedCountRule, context: ScoringContext | None
) -> Fraction:
    """The population or area the count is divided by; it must be known and positive."""
    return Fraction(*context_ratio(code, rule, context))


def context_ratio(code: str, rule: NormalisedCountRule, context: ScoringContext | None) -> Ratio:
    """``context_denominator`` as an integer ratio."""
    raw = None
    if context is not None:
        raw = context.population if rule.per == "population" else context.area_km2
    if raw is None:
        raise MissingContextError(code, f"missing_{rule.per}")
    if raw <= 0:
        raise MissingContextError(code, f"{rule.per}_not_positive", str(raw))
    return raw.as_integer_ratio()


def _numeric(code: str, rule: BandsRule | LinearRule) -> Callable[[Ratio, bool], _Scored]:
    """Bands or linear scoring of an exact number."""
    higher = rule.direction == "higher_better"
    if isinstance(rule, BandsRule):
        return _bands(code, rule, higher)
    return _linear(code, rule, higher)


def _bands(code: str, rule: BandsRule, higher: bool) -> Callable[[Ratio, bool], _Scored]:
    """The largest share among the bands the value reaches (so better never earns less)."""
    bands = [
        (threshold.as_integer_ratio(), share.as_integer_ratio(), str(threshold), str(share), share)
        for threshold, share in rule.bands
    ]

    def bands_share(value: Ratio, explain: bool) -> _Scored:
        value_n, value_d = value
        best = None
        for band in bands:
            (limit_n, limit_d), _, _, _, share = band
            # value ≥ limit, cross-multiplied (both denominators are positive).
            left, right = value_n * limit_d, limit_n * value_d
            reached = left >= right if higher else left <= right
            if reached and (best is None or share > best[4]):
                best = band
        if not explain:
            return (0, 1, ()) if best is None else (*best[1], ())
        if best is None:
            params0: dict[str, TraceValue] = {"indicator": code, "value": ratio_str(*value)}
            return 0, 1, (TraceEntry("indicator.below_lowest_band", params0),)
        params: dict[str, TraceValue] = {
            "indicator": code,
            "value": ratio_str(*value),
            "threshold": best[2],
            "share": best[3],
        }
        share_n, share_d = best[1]
        return share_n, share_d, (TraceEntry("indicator.band_matched", params),)

    return bands_share


def _linear(code: str, rule: LinearRule, higher: bool) -> Callable[[Ratio, bool], _Scored]:
    """0 at the floor, 1 at the target, clamped; a floor equal to the target is a step."""
    floor_n, floor_d = rule.floor.as_integer_ratio()
    target_n, target_d = rule.target.as_integer_ratio()
    floor_text, target_text = str(rule.floor), str(rule.target)
    # target − floor over one denominator: span_n / span_d.
    span_n, span_d = target_n * floor_d - floor_n * target_d, target_d * floor_d

    def linear(value: Ratio, explain: bool) -> _Scored:
        value_n, value_d = value
        if span_n == 0:
            left, right = value_n * target_d, target_n * value_d
            share_n = 1 if (left >= right if higher else left <= right) else 0
            share_d = 1
        else:
            # (value − floor) / (target − floor), as one ratio.
            share_n, share_d = _reduced(
                (value_n * floor_d - floor_n * value_d) * span_d, value_d * floor_d * span_n
            )
            if share_n < 0:
                share_n, share_d = 0, 1
            elif share_n > share_d:
                share_n, share_d = 1, 1
        if not explain:
            return share_n, share_d, ()
        params: dict[str, TraceValue] = {
            "indicator": code,
            "value": ratio_str(value_n, value_d),
            "floor": floor_text,
            "target": target_text,
            "share": ratio_str(share_n, share_d),
        }
        return share_n, share_d, (TraceEntry("indicator.linear_scored", params),)

    return linear
