"""``validate_framework``: everything that makes a framework unfit to score with.

Works on any Framework, built by hand, from the database or from a document.
Each ``FrameworkError`` names the code it concerns (indicator, item, area or
framework), a problem code and the document path of the offending value.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from smartcity.scoring.docreader import join
from smartcity.scoring.errors import FrameworkError
from smartcity.scoring.model import (
    AGGREGATIONS,
    FRAMEWORK_KINDS,
    ROUNDING_MODES,
    Framework,
    Indicator,
)
from smartcity.scoring.rules import (
    DIRECTIONS,
    NORMALISATIONS,
    RULE_CLASSES,
    STAGE_COUNT,
    BandsRule,
    LinearRule,
    MaturityRule,
    NormalisedCountRule,
    Rule,
)

_ZERO, _ONE = Decimal(0), Decimal(1)


def validate_framework(framework: Framework) -> list[FrameworkError]:
    """Every problem found, in document order (an empty list: fit to score)."""
    errors: list[FrameworkError] = []
    _settings(framework, errors)
    _grades(framework, errors)
    _structure(framework, errors)
    _totals(framework, errors)
    return errors


def _settings(framework: Framework, errors: list[FrameworkError]) -> None:
    """Kind, field, aggregation, rounding, disagreement spread, threshold."""
    code = framework.code
    if framework.kind not in FRAMEWORK_KINDS:
        errors.append(FrameworkError("kind", code, "unknown_kind", str(framework.kind)))
    if framework.kind == "service" and not framework.field:
        errors.append(FrameworkError("field", code, "service_without_field"))
    if framework.kind == "city" and framework.field is not None:
        errors.append(FrameworkError("field", code, "city_with_field", framework.field))
    if framework.aggregation not in AGGREGATIONS:
        errors.append(FrameworkError("aggregation", code, "unknown_aggregation"))
    if framework.rounding.places < 0:
        errors.append(FrameworkError("rounding.places", code, "negative_rounding_places"))
    if framework.rounding.mode not in ROUNDING_MODES:
        errors.append(FrameworkError("rounding.mode", code, "unknown_rounding_mode"))
    if not _ZERO <= framework.disagreement_spread <= _ONE:
        errors.append(FrameworkError("disagreement_spread", code, "spread_out_of_range"))
    if not _ZERO <= framework.certification_threshold <= framework.max_points:
        detail = f"max {framework.max_points}"
        errors.append(
            FrameworkError("certification_threshold", code, "threshold_out_of_range", detail)
        )


def _grades(framework: Framework, errors: list[FrameworkError]) -> None:
    """Grades numbered 1, 2, … with strictly descending minimums, none negative."""
    code = framework.code
    bands = framework.grade_bands
    if not bands:
        errors.append(FrameworkError("grade_bands", code, "no_grade_bands"))
    for index, band in enumerate(bands):
        path = join("grade_bands", index)
        if band.grade != index + 1:
            errors.append(FrameworkError(path, code, "grades_not_consecutive", str(band.grade)))
        if band.min_points < 0:
            errors.append(FrameworkError(path, code, "negative_min_points"))
        if index and band.min_points >= bands[index - 1].min_points:
            errors.append(FrameworkError(path, code, "grade_bands_not_descending"))


def _structure(framework: Framework, errors: list[FrameworkError]) -> None:
    """Codes unique across the framework, no empty areas or items, sound indicators."""
    seen: set[str] = set()

    def unique(code: str, path: str) -> None:
        if code in seen:
            errors.append(FrameworkError(path, code, "duplicate_code"))
        seen.add(code)

    if not framework.areas:
        errors.append(FrameworkError("areas", framework.code, "no_areas"))
    for a, area in enumerate(framework.areas):
        area_path = join("areas", a)
        unique(area.code, join(area_path, "code"))
        _names(area.code, area.name_ko, area.name_en, area_path, errors)
        if not area.items:
            errors.append(FrameworkError(join(area_path, "items"), area.code, "area_without_items"))
        for i, item in enumerate(area.items):
            item_path = join(join(area_path, "items"), i)
            unique(item.code, join(item_path, "code"))
            _names(item.code, item.name_ko, item.name_en, item_path, errors)
            if not item.indicators:
                problem = "item_without_indicators"
                errors.append(FrameworkError(join(item_path, "indicators"), item.code, problem))
            for n, indicator in enumerate(item.indicators):
                path = join(join(item_path, "indicators"), n)
                unique(indicator.code, join(path, "code"))
                _indicator(framework, indicator, path, errors)


def _names(code: str, name_ko: str, name_en: str, path: str, errors: list[FrameworkError]) -> None:
    """Korean first, English second: both names are required."""
    if not code:
        errors.append(FrameworkError(join(path, "code"), path, "missing_code"))
    if not name_ko.strip():
        errors.append(FrameworkError(join(path, "name_ko"), code, "missing_name_ko"))
    if not name_en.strip():
        errors.append(FrameworkError(join(path, "name_en"), code, "missing_name_en"))


def _indicator(
    framework: Framework, indicator: Indicator, path: str, errors: list[FrameworkError]
) -> None:
    """Names, points (non-negative, on the rounding grid) and the rule."""
    code = indicator.code
    _names(code, indicator.name_ko, indicator.name_en, path, errors)
    points = indicator.points
    if points < 0:
        errors.append(FrameworkError(join(path, "points"), code, "negative_points"))
    places = framework.rounding.places
    if places >= 0 and points != points.quantize(Decimal(1).scaleb(-places), rounding="ROUND_DOWN"):
        errors.append(FrameworkError(join(path, "points"), code, "points_finer_than_rounding"))
    _rule(indicator.rule, code, join(path, "rule"), errors)


def _rule(rule: Rule, code: str, path: str, errors: list[FrameworkError]) -> None:
    """Rule-specific checks; ``code`` is the indicator's."""
    if not isinstance(rule, RULE_CLASSES):
        errors.append(FrameworkError(join(path, "type"), code, "unknown_rule_type"))
    elif isinstance(rule, BandsRule):
        _bands(rule, code, path, errors)
    elif isinstance(rule, LinearRule):
        _linear(rule, code, path, errors)
    elif isinstance(rule, NormalisedCountRule):
        if rule.per not in NORMALISATIONS:
            errors.append(FrameworkError(join(path, "per"), code, "unknown_normalisation"))
        if rule.scale <= 0:
            errors.append(FrameworkError(join(path, "scale"), code, "scale_not_positive"))
        if isinstance(rule.rule, BandsRule | LinearRule):
            _rule(rule.rule, code, join(path, "rule"), errors)
        else:
            nested = join(join(path, "rule"), "type")
            errors.append(FrameworkError(nested, code, "unsupported_nested_rule"))
    elif isinstance(rule, MaturityRule):
        _maturity(rule, code, path, errors)


def _direction(direction: str, code: str, path: str, errors: list[FrameworkError]) -> bool:
    """True when the direction is known (else recorded)."""
    if direction in DIRECTIONS:
        return True
    errors.append(FrameworkError(join(path, "direction"), code, "unknown_direction", direction))
    return False


def _shares(
    shares: Sequence[Decimal], code: str, paths: Sequence[str], errors: list[FrameworkError]
) -> None:
    """Shares within [0, 1] that never decrease as the value gets better."""
    for index, (share, path) in enumerate(zip(shares, paths, strict=True)):
        if not _ZERO <= share <= _ONE:
            errors.append(FrameworkError(path, code, "share_out_of_range", str(share)))
        if index and share < shares[index - 1]:
            errors.append(FrameworkError(path, code, "shares_decreasing"))


def _bands(rule: BandsRule, code: str, path: str, errors: list[FrameworkError]) -> None:
    """Thresholds strictly ordered from worst to best; shares rising with them."""
    known = _direction(rule.direction, code, path, errors)
    if not rule.bands:
        errors.append(FrameworkError(join(path, "bands"), code, "bands_empty"))
    paths = [join(join(path, "bands"), index) for index in range(len(rule.bands))]
    ascending = rule.direction == "higher_better"
    for index in range(1, len(rule.bands)):
        before, after = rule.bands[index - 1][0], rule.bands[index][0]
        if before == after:
            errors.append(FrameworkError(paths[index], code, "bands_overlapping"))
        elif known and (after < before if ascending else after > before):
            errors.append(FrameworkError(paths[index], code, "bands_unordered"))
    _shares([share for _, share in rule.bands], code, paths, errors)


def _linear(rule: LinearRule, code: str, path: str, errors: list[FrameworkError]) -> None:
    """Floor and target distinct, and in the order the direction says."""
    known = _direction(rule.direction, code, path, errors)
    if rule.floor == rule.target:
        errors.append(FrameworkError(join(path, "target"), code, "linear_floor_equals_target"))
    elif known and (rule.target < rule.floor) == (rule.direction == "higher_better"):
        errors.append(FrameworkError(join(path, "target"), code, "linear_direction_mismatch"))


def _maturity(rule: MaturityRule, code: str, path: str, errors: list[FrameworkError]) -> None:
    """Five shares in [0, 1], never decreasing; five descriptors in each language."""
    if len(rule.stage_shares) != STAGE_COUNT:
        errors.append(FrameworkError(join(path, "stage_shares"), code, "stage_count"))
    share_paths = [join(join(path, "stage_shares"), i) for i in range(len(rule.stage_shares))]
    _shares(rule.stage_shares, code, share_paths, errors)
    for key, texts in (
        ("descriptors_ko", rule.descriptors_ko),
        ("descriptors_en", rule.descriptors_en),
    ):
        for index in range(max(STAGE_COUNT, len(texts))):
            text_path = join(join(path, key), index)
            if index >= STAGE_COUNT:
                errors.append(FrameworkError(text_path, code, "too_many_stage_descriptors"))
            elif index >= len(texts) or not texts[index].strip():
                errors.append(FrameworkError(text_path, code, "missing_stage_descriptor"))


def _totals(framework: Framework, errors: list[FrameworkError]) -> None:
    """Declared totals must equal the sums of the indicators' points."""
    indicators = framework.indicators
    qualitative = sum((i.points for i in indicators if i.qualitative), _ZERO)
    sums = (
        ("total_points", framework.total_points, framework.max_points, "total_mismatch"),
        (
            "quantitative_total",
            framework.quantitative_total,
            framework.max_points - qualitative,
            "quantitative_total_mismatch",
        ),
        (
            "qualitative_total",
            framework.qualitative_total,
            qualitative,
            "qualitative_total_mismatch",
        ),
    )
    for path, declared, actual, problem in sums:
        if declared is not None and declared != actual:
            detail = f"declared {declared}, indicators sum to {actual}"
            errors.append(FrameworkError(path, framework.code, problem, detail))
