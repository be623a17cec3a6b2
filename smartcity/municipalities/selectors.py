"""Reads of the municipality register: population on a date, size class for a call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from smartcity.municipalities.domain.register import resolve_local_government_code
from smartcity.municipalities.domain.size_class import (
    SizeClassRuleSpec,
    rule_for_call_year,
    size_class,
)
from smartcity.municipalities.models import Municipality, PopulationCount, SizeClassRule


def register_code(code: str) -> str:
    """The register's code for ``code`` of any edition (36110 → 36000 for Sejong,
    42xxx → 51xxx for Gangwon); unknown codes are returned unchanged."""
    return resolve_local_government_code(code.strip()) or code.strip()


def rule_specs() -> list[SizeClassRuleSpec]:
    return [
        SizeClassRuleSpec(
            code=r.code,
            first_call_year=r.first_call_year,
            threshold=r.threshold,
            always_large_types=frozenset(r.always_large_types),
            always_small_types=frozenset(r.always_small_types),
        )
        for r in SizeClassRule.objects.all()
    ]


def population_reference_date(call_year: int) -> dt.date:
    """Default population reference date of a call: the end of the previous year."""
    return dt.date(call_year - 1, 12, 31)


def population_on(municipality: Municipality, day: dt.date) -> PopulationCount | None:
    """The population a size class reads on ``day``: the latest resident
    registration count (주민등록인구) on or before it; failing that the
    latest census count on or before it; failing both, the earliest count
    after it (resident registration first)."""
    counts = PopulationCount.objects.filter(municipality=municipality)
    resident = counts.filter(basis=PopulationCount.Basis.RESIDENT_REGISTRATION)
    for candidates in (resident, counts):
        before = candidates.filter(reference_date__lte=day).order_by("-reference_date").first()
        if before is not None:
            return before
    return resident.order_by("reference_date").first() or counts.order_by("reference_date").first()


@dataclass(frozen=True)
class SizeClassAnswer:
    size_class: str
    rule_code: str
    population: int | None
    population_date: dt.date | None


def size_class_for(
    code: str, *, call_year: int, reference_date: dt.date | None = None
) -> SizeClassAnswer:
    """The size class of municipality ``code`` in the call of ``call_year``,
    on the population at the call's ``reference_date`` (the call's
    ``population_reference_date``; by default the end of the previous year).

    Raises ``Municipality.DoesNotExist`` for an unknown code and ``LookupError``
    when the rule needs a population the register does not have.
    """
    municipality = Municipality.objects.get(code=register_code(code))
    rule = rule_for_call_year(call_year, rule_specs())
    count = population_on(municipality, reference_date or population_reference_date(call_year))
    population = count.population if count else None
    try:
        result = size_class(municipality.type, population, rule)
    except ValueError as exc:
        raise LookupError(f"no population for {code}") from exc
    return SizeClassAnswer(
        size_class=result.value,
        rule_code=rule.code,
        population=population,
        population_date=count.reference_date if count else None,
    )


def municipality_list(query: str = "") -> QuerySet[Municipality]:
    queryset = Municipality.objects.select_related("parent").order_by("code")
    if query:
        queryset = queryset.filter(full_name_ko__icontains=query)
    return queryset


# The call years whose size-class rules a municipality's page shows.
PAGE_CALL_YEARS = (2021, 2024)


@dataclass(frozen=True)
class MunicipalityFacts:
    """What the register knows of one municipality, as its page shows it."""

    municipality: Municipality
    population_counts: list[PopulationCount]
    # (call year, its size class; None where the register lacks the population)
    size_classes: list[tuple[int, SizeClassAnswer | None]]


def municipality_facts(code: str) -> MunicipalityFacts | None:
    """The register's facts about municipality ``code``; None if there is none."""
    municipality = Municipality.objects.select_related("parent").filter(code=code).first()
    if municipality is None:
        return None
    classes: list[tuple[int, SizeClassAnswer | None]] = []
    for year in PAGE_CALL_YEARS:
        try:
            classes.append((year, size_class_for(code, call_year=year)))
        except LookupError:
            classes.append((year, None))
    return MunicipalityFacts(
        municipality=municipality,
        population_counts=list(municipality.population_counts.order_by("-reference_date")),
        size_classes=classes,
    )
