"""Reads of the crime types police may receive video for (``VideoCrimeType``)."""

from __future__ import annotations

from django.db.models import Prefetch

from smartcity.operations.choices import LegalGroundChoice
from smartcity.operations.domain.crime_types import (
    CrimeTable,
    CrimeTableError,
    default_table,
    table_from_mapping,
)
from smartcity.operations.models import VideoCrimeType, VideoCrimeVariant


def active_crime_types() -> list[VideoCrimeType]:
    return list(VideoCrimeType.objects.filter(is_active=True).order_by("position", "code"))


def video_crime_table() -> CrimeTable:
    """The active rows as the table the grant rules read. No active row means
    no video for police at all; a broken row (a spelling two types claim)
    is refused rather than half-applied. With no rows at all (a database
    flushed after its migrations) the packaged seven apply."""
    if not VideoCrimeType.objects.exists():
        return default_table()
    types = (
        VideoCrimeType.objects.filter(is_active=True)
        .order_by("position", "code")
        .prefetch_related(Prefetch("variants", VideoCrimeVariant.objects.order_by("id")))
    )
    ground = LegalGroundChoice.CRIME_INVESTIGATION.value
    data = {
        "ground": ground,
        "types": [
            {"type": t.code, "name_ko": t.name_ko, "ground": t.legal_ground,
             "variants": [{"name": v.name, "law": v.law} for v in t.variants.all()]
             or [{"name": t.name_ko, "law": t.legal_basis}]}
            for t in types
        ],
    }  # fmt: skip
    try:
        return table_from_mapping(data, source="VideoCrimeType", require_all=False)
    except CrimeTableError:
        return CrimeTable(ground=ground, by_key={}, names={})


def crime_type_choices() -> list[tuple[str, str]]:
    """(code, name) of the types police may receive video for, in order."""
    return list(video_crime_table().names.items())
