"""Size classes (대도시 / 중소도시) as data-driven pure rules (certification.md §2).

The rule changed over time, so it belongs to a call year, not to the code:
in 2021 a special self-governing city or province was large whatever its
population; from 2024 population decides for them too (Sejong, about 390,000,
was certified as small/medium). Districts and counties are always
small/medium; otherwise ``population >= threshold`` (default 500,000) is large.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class SizeClass(StrEnum):
    LARGE = "large"
    SMALL_MEDIUM = "small_medium"


@dataclass(frozen=True)
class SizeClassRuleSpec:
    """One rule: which types are large or small whatever their population."""

    code: str
    first_call_year: int
    threshold: int
    always_large_types: frozenset[str]
    always_small_types: frozenset[str]


RULE_2021 = SizeClassRuleSpec(
    code="2021",
    first_call_year=2021,
    threshold=500_000,
    always_large_types=frozenset(
        {
            "special_city",
            "metropolitan_city",
            "special_self_governing_city",
            "special_self_governing_province",
            "province",
        }
    ),
    always_small_types=frozenset({"county", "autonomous_district"}),
)
RULE_2024 = SizeClassRuleSpec(
    code="2024",
    first_call_year=2024,
    threshold=500_000,
    always_large_types=frozenset({"special_city", "metropolitan_city", "province"}),
    always_small_types=frozenset({"county", "autonomous_district"}),
)
DEFAULT_RULES: tuple[SizeClassRuleSpec, ...] = (RULE_2021, RULE_2024)


class NoRuleForYear(LookupError):
    """No size-class rule applies to the call year."""


def rule_for_call_year(
    call_year: int, rules: Sequence[SizeClassRuleSpec] = DEFAULT_RULES
) -> SizeClassRuleSpec:
    """The rule in force for ``call_year``: the latest whose first year ≤ it.

    Years before the first rule (the 2019 pilot) use the earliest rule.
    """
    if not rules:
        raise NoRuleForYear(call_year)
    ordered = sorted(rules, key=lambda r: r.first_call_year)
    chosen = ordered[0]
    for rule in ordered:
        if rule.first_call_year <= call_year:
            chosen = rule
    return chosen


def size_class(lg_type: str, population: int | None, rule: SizeClassRuleSpec) -> SizeClass:
    """Classify one local government under ``rule``.

    ``population`` may be None only for types the rule decides without it.
    """
    if lg_type in rule.always_small_types:
        return SizeClass.SMALL_MEDIUM
    if lg_type in rule.always_large_types:
        return SizeClass.LARGE
    if population is None:
        raise ValueError(f"population needed to classify a {lg_type}")
    return SizeClass.LARGE if population >= rule.threshold else SizeClass.SMALL_MEDIUM
