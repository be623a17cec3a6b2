"""Small hand-built frameworks for tests: one area, one item unless told otherwise."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, settings

from smartcity.scoring import (
    Area,
    Framework,
    GradeBand,
    Indicator,
    Item,
    MaturityRule,
    RoundingRule,
    Rule,
    YesNoRule,
)

#: Deterministic, database-free hypothesis settings: the same examples every run,
#: so coverage and failures reproduce, and nothing is written to the checkout.
PROPERTY = settings(
    database=None,
    derandomize=True,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

MATURITY = MaturityRule(
    descriptors_ko=("착수", "일부요건 충족", "요건 충족", "발전", "최적화"),
    descriptors_en=("initiation", "some", "met", "advancing", "optimised"),
)


def ind(
    code: str,
    rule: Rule | None = None,
    points: str | Decimal = "10",
    evidence: str = "",
) -> Indicator:
    """An indicator with bilingual names (yes/no unless told otherwise)."""
    return Indicator(
        code=code,
        name_ko=f"지표 {code}",
        name_en=f"Indicator {code}",
        description_ko="",
        description_en="",
        points=Decimal(points),
        evidence_required=evidence,
        rule=YesNoRule() if rule is None else rule,
    )


def framework(
    *indicators: Indicator,
    items: tuple[tuple[Indicator, ...], ...] | None = None,
    grades: tuple[str, ...] = ("18", "16", "14", "12", "0"),
    threshold: str = "14",
    aggregation: str = "mean",
    rounding: RoundingRule | None = None,
    spread: str = "0.3",
    kind: str = "city",
    field: str | None = None,
) -> Framework:
    """A framework holding ``indicators`` in one item (or ``items``, one area)."""
    groups = items if items is not None else (indicators,)
    return Framework(
        code="test",
        kind=kind,  # type: ignore[arg-type]
        year=2024,
        field=field,
        version="1",
        areas=(
            Area(
                "A",
                "분야",
                "Area",
                tuple(Item(f"I{n}", "항목", "Item", group) for n, group in enumerate(groups)),
            ),
        ),
        grade_bands=tuple(
            GradeBand(grade, Decimal(minimum)) for grade, minimum in enumerate(grades, start=1)
        ),
        certification_threshold=Decimal(threshold),
        aggregation=aggregation,  # type: ignore[arg-type]
        rounding=rounding or RoundingRule(),
        disagreement_spread=Decimal(spread),
        reconstructed=False,
    )
