"""Reads of the framework catalogue, and the engine's view of a stored version."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import QuerySet

from smartcity.frameworks.choices import FrameworkStatus
from smartcity.frameworks.models import FrameworkVersion
from smartcity.municipalities.models import Municipality
from smartcity.scoring import Framework, ScoringContext, framework_from_dict, shipped_frameworks


def published_frameworks() -> QuerySet[FrameworkVersion]:
    return FrameworkVersion.objects.filter(status=FrameworkStatus.PUBLISHED)


def visible_frameworks(*, include_drafts: bool) -> QuerySet[FrameworkVersion]:
    queryset = FrameworkVersion.objects.all()
    return queryset if include_drafts else queryset.filter(status=FrameworkStatus.PUBLISHED)


@lru_cache(maxsize=64)
def _engine_framework(pk: int, content_hash: str, document_key: str) -> Framework:
    version = FrameworkVersion.objects.get(pk=pk)
    return framework_from_dict(version.document)


def engine_framework(version: FrameworkVersion) -> Framework:
    """The scoring engine's Framework for a stored version (cached per content)."""
    if version.content_hash:
        return _engine_framework(version.pk, version.content_hash, "")
    return framework_from_dict(version.document)


def resolve_framework(code: str) -> Framework | None:
    """A framework by code: the stored published version, else a shipped one."""
    version = published_frameworks().filter(code=code).first()
    if version is not None:
        return engine_framework(version)
    return shipped_frameworks().get(code)


def register_context(applicant: str) -> ScoringContext | None:
    """For an applicant named by a municipality code: its latest population."""
    if not (len(applicant) == 5 and applicant.isdigit()):
        return None
    municipality = Municipality.objects.filter(code=applicant).first()
    if municipality is None:
        return None
    count = municipality.population_counts.order_by("-reference_date").first()
    return ScoringContext(population=count.population if count else None, area_km2=None)
