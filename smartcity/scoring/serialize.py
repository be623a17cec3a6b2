"""Results as plain JSON-able data: for storage, exports and golden files.

Decimals become strings, Fractions their exact text ("11/3"), so nothing is
lost and nothing goes through binary floating point.
"""

from __future__ import annotations

from decimal import Decimal

from smartcity.scoring.exact import exact_str
from smartcity.scoring.inputs import ObservationValue
from smartcity.scoring.results import IndicatorResult, ScoreResult


def score_result_to_dict(result: ScoreResult) -> dict[str, object]:
    """A ScoreResult as a document (the trace included)."""
    return {
        "framework_code": result.framework_code,
        "framework_hash": result.framework_hash,
        "engine_version": result.engine_version,
        "total": str(result.total),
        "max_total": str(result.max_total),
        "exact_total": exact_str(result.exact_total),
        "grade": result.grade,
        "certified": result.certified,
        "areas": [
            {
                "code": area.code,
                "points": str(area.points),
                "max_points": str(area.max_points),
                "exact": exact_str(area.exact),
                "items": [
                    {
                        "code": item.code,
                        "points": str(item.points),
                        "max_points": str(item.max_points),
                        "exact": exact_str(item.exact),
                        "indicators": [_indicator(i) for i in item.indicators],
                    }
                    for item in area.items
                ],
            }
            for area in result.areas
        ],
        "trace": [{"code": entry.code, "params": dict(entry.params)} for entry in result.trace],
    }


def value_to_json(value: ObservationValue | None) -> str | bool | int | None:
    """An observation value for JSON: Decimals as strings, stages and yes/no as is."""
    return str(value) if isinstance(value, Decimal) else value


def _indicator(result: IndicatorResult) -> dict[str, object]:
    """One indicator result as a document."""
    return {
        "code": result.code,
        "points": str(result.points),
        "max_points": str(result.max_points),
        "exact": exact_str(result.exact),
        "source": result.source,
        "value": value_to_json(result.value),
        "proposal_points": None if result.proposal_points is None else str(result.proposal_points),
        "member_points": [[member, str(points)] for member, points in result.member_points],
        "aggregated": None if result.aggregated is None else str(result.aggregated),
        "flags": list(result.flags),
    }
