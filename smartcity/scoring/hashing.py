"""The framework's content hash, stored with every score.

Why: a stored score must be reproducible, so it records which framework
content produced it. The hash covers everything that changes a score (codes,
points, rules, grade bands, threshold, aggregation, rounding, disagreement
spread) and nothing that does not (names, descriptions, evidence text, stage
descriptors, the framework's own code, year and version labels). Decimals are
written canonically ("1000.00" and "1E+3" hash alike), keys are sorted, so the
hash is stable across runs, machines and dictionary orderings.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from smartcity.scoring.exact import decimal_str
from smartcity.scoring.model import Framework, Indicator
from smartcity.scoring.rules import (
    BandsRule,
    LinearRule,
    MaturityRule,
    NormalisedCountRule,
    Rule,
)

JsonValue = str | int | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


@lru_cache(maxsize=64)
def framework_hash(framework: Framework) -> str:
    """sha256 (hex) of a canonical JSON of the scoring-relevant content."""
    document = json.dumps(
        scoring_content(framework), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def scoring_content(framework: Framework) -> dict[str, JsonValue]:
    """The part of a framework that affects scores, as canonical JSON-able data."""
    return {
        "aggregation": framework.aggregation,
        "rounding": {"places": framework.rounding.places, "mode": framework.rounding.mode},
        "disagreement_spread": decimal_str(framework.disagreement_spread),
        "certification_threshold": decimal_str(framework.certification_threshold),
        "grade_bands": [
            {"grade": band.grade, "min_points": decimal_str(band.min_points)}
            for band in framework.grade_bands
        ],
        "areas": [
            {
                "code": area.code,
                "items": [
                    {"code": item.code, "indicators": [_indicator(i) for i in item.indicators]}
                    for item in area.items
                ],
            }
            for area in framework.areas
        ],
    }


def _indicator(indicator: Indicator) -> dict[str, JsonValue]:
    """An indicator's code, points and rule; its names and texts do not score."""
    return {
        "code": indicator.code,
        "points": decimal_str(indicator.points),
        "rule": _rule(indicator.rule),
    }


def _rule(rule: Rule) -> dict[str, JsonValue]:
    """A rule's scoring parameters (a yes/no rule has none beyond its type)."""
    content: dict[str, JsonValue] = {"type": rule.rule_type}
    if isinstance(rule, BandsRule):
        content["direction"] = rule.direction
        content["bands"] = [[decimal_str(t), decimal_str(s)] for t, s in rule.bands]
    elif isinstance(rule, LinearRule):
        content["direction"] = rule.direction
        content["floor"] = decimal_str(rule.floor)
        content["target"] = decimal_str(rule.target)
    elif isinstance(rule, NormalisedCountRule):
        content["per"] = rule.per
        content["scale"] = decimal_str(rule.scale)
        content["rule"] = _rule(rule.rule)
    elif isinstance(rule, MaturityRule):
        content["stage_shares"] = [decimal_str(s) for s in rule.stage_shares]
    return content
