"""Writes to the municipality register."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from smartcity.core.services import record_audit
from smartcity.municipalities.domain.register import LocalGovernment, PopulationRecord
from smartcity.municipalities.models import Municipality, PopulationCount


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def load_register(*, governments: Sequence[LocalGovernment], actor: Any = None) -> LoadResult:
    """Create or update every local government; idempotent."""
    result = LoadResult()
    with transaction.atomic():
        existing = {m.code: m for m in Municipality.objects.all()}
        # Parents first, so children can point at them.
        ordered = sorted(governments, key=lambda g: (g.parent_code is not None, g.code))
        for gov in ordered:
            values = {
                "name_ko": gov.name_ko,
                "full_name_ko": gov.full_name_ko,
                "name_en": gov.name_en or "",
                "type": str(gov.type),
                "parent": existing.get(gov.parent_code) if gov.parent_code else None,
            }
            current = existing.get(gov.code)
            if current is None:
                existing[gov.code] = Municipality.objects.create(code=gov.code, **values)
                result.created += 1
                continue
            changed = [k for k, v in values.items() if getattr(current, k) != v]
            if changed:
                for k in changed:
                    setattr(current, k, values[k])
                current.save(update_fields=changed)
                result.updated += 1
            else:
                result.unchanged += 1
        record_audit(
            actor=actor,
            action="municipalities.register_loaded",
            object_type="municipalities.municipality",
            data={"created": result.created, "updated": result.updated},
        )
    return result


def load_population(
    *, records: Iterable[PopulationRecord], actor: Any = None, source_label: str = ""
) -> LoadResult:
    """Upsert population counts by (municipality, reference date); idempotent.

    Records for codes that are not local governments are skipped and named.
    """
    result = LoadResult()
    with transaction.atomic():
        municipalities = {m.code: m for m in Municipality.objects.all()}
        existing = {(p.municipality_id, p.reference_date): p for p in PopulationCount.objects.all()}
        for record in records:
            municipality = municipalities.get(record.code)
            if municipality is None:
                result.skipped.append(record.code)
                continue
            current = existing.get((municipality.pk, record.reference_date))
            if current is None:
                PopulationCount.objects.create(
                    municipality=municipality,
                    reference_date=record.reference_date,
                    population=record.population,
                    source=record.source[:200],
                    basis=record.basis,
                )
                result.created += 1
            elif (current.population, current.source, current.basis) != (
                record.population,
                record.source[:200],
                record.basis,
            ):
                current.population = record.population
                current.source = record.source[:200]
                current.basis = record.basis
                current.save(update_fields=["population", "source", "basis"])
                result.updated += 1
            else:
                result.unchanged += 1
        record_audit(
            actor=actor,
            action="municipalities.population_loaded",
            object_type="municipalities.populationcount",
            data={
                "source": source_label,
                "created": result.created,
                "updated": result.updated,
                "skipped": len(result.skipped),
            },
        )
    return result
