"""The platform programme's writes: importing calls and applicants (all or
nothing, audited, row errors with their file line) and recording deployments."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from smartcity.core.services import record_audit
from smartcity.municipalities.models import Municipality
from smartcity.municipalities.selectors import register_code
from smartcity.operations.domain.programme_csv import (
    ApplicantRow,
    ProgrammeRow,
    RowError,
    parse_applicants_csv,
    parse_programmes_csv,
)
from smartcity.operations.models import (
    PlatformDeployment,
    PlatformProgramme,
    ProgrammeApplicant,
    Tenant,
)


@dataclass
class ProgrammeImport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def _upsert(
    model: Any, lookup: dict[str, Any], values: dict[str, Any], out: ProgrammeImport
) -> None:
    existing = model.objects.select_for_update().filter(**lookup).first()
    if existing is None:
        model.objects.create(**lookup, **values)
        out.created += 1
    elif any(getattr(existing, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(existing, k, v)
        existing.save()
        out.updated += 1
    else:
        out.unchanged += 1


def _finish(out: ProgrammeImport, action: str, data: bytes, file_name: str, actor: Any) -> None:
    if out.errors:
        raise _Rollback
    record_audit(
        actor=actor, action=action, object_type="operations.platformprogramme",
        data={"file": file_name[:255], "sha256": hashlib.sha256(data).hexdigest(),
              "created": out.created, "updated": out.updated, "unchanged": out.unchanged},
    )  # fmt: skip


def import_programmes(*, data: bytes, file_name: str, actor: Any = None) -> ProgrammeImport:
    """Import the calls of a file (one per year): every row or none.
    Importing the same file twice changes nothing."""
    parsed = parse_programmes_csv(data)
    out = ProgrammeImport(errors=list(parsed.errors))
    if out.errors:
        return out
    try:
        with transaction.atomic():
            for row in parsed.rows:
                assert isinstance(row, ProgrammeRow)
                values = {k: getattr(row, k) for k in _PROGRAMME_FIELDS}
                _upsert(PlatformProgramme, {"year": row.year}, values, out)
            _finish(out, "operations.programmes_imported", data, file_name, actor)
    except _Rollback:
        out.created = out.updated = out.unchanged = 0
    return out


_PROGRAMME_FIELDS = (
    "title_ko", "title_en", "announced_on", "applicants_reported", "selections_reported",
    "budget_per_site_won", "national_per_site_won", "target_count", "target_year", "source",
)  # fmt: skip


def import_programme_applicants(
    *, data: bytes, file_name: str, actor: Any = None
) -> ProgrammeImport:
    """Import applicants and selections: every row or none. A row names a
    call by its year (imported before) and a local government by its code."""
    parsed = parse_applicants_csv(data)
    out = ProgrammeImport(errors=list(parsed.errors))
    if out.errors:
        return out
    rows = [r for r in parsed.rows if isinstance(r, ApplicantRow)]
    codes = {register_code(r.municipality_code) for r in rows}
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    programmes = {
        p.year: p for p in PlatformProgramme.objects.filter(year__in={r.year for r in rows})
    }
    try:
        with transaction.atomic():
            for row in rows:
                municipality = municipalities.get(register_code(row.municipality_code))
                programme = programmes.get(row.year)
                if programme is None:
                    out.errors.append(RowError(row.row, "year", "unknown_programme",
                                               {"value": str(row.year)}))  # fmt: skip
                if municipality is None:
                    out.errors.append(RowError(row.row, "municipality_code", "unknown_municipality",
                                               {"value": row.municipality_code}))  # fmt: skip
                if programme is None or municipality is None:
                    continue
                values = {
                    "selected": row.selected, "national_subsidy_won": row.national_subsidy_won,
                    "local_subsidy_won": row.local_subsidy_won, "source": row.source,
                    "note": row.note,
                }  # fmt: skip
                lookup = {"programme": programme, "municipality": municipality}
                _upsert(ProgrammeApplicant, lookup, values, out)
            _over_reported(programmes.values(), out)
            _finish(out, "operations.programme_applicants_imported", data, file_name, actor)
    except _Rollback:
        out.created = out.updated = out.unchanged = 0
    return out


def _over_reported(programmes: Any, out: ProgrammeImport) -> None:
    """More named applicants (or selections) than the call announced is a
    mistake in one of the two files."""
    for p in programmes:
        named = ProgrammeApplicant.objects.filter(programme=p)
        for count, reported, code in (
            (named.count(), p.applicants_reported, "more_applicants_than_reported"),
            (named.filter(selected=True).count(), p.selections_reported,
             "more_selections_than_reported"),
        ):  # fmt: skip
            if reported is not None and count > reported:
                out.errors.append(RowError(0, "", code, {"year": str(p.year),
                                  "count": str(count), "reported": str(reported)}))  # fmt: skip


class DeploymentRefused(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def record_deployment(
    *, municipality: Municipality, tenant: Tenant, since: dt.date,
    programme: PlatformProgramme | None = None, national_subsidy_won: int = 0,
    local_subsidy_won: int = 0, note: str = "", actor: Any = None,
) -> PlatformDeployment:  # fmt: skip
    """Record (or correct) that ``municipality`` runs the platform through
    ``tenant`` since ``since``. Refused (``DeploymentRefused``) when the
    centre does not serve it or a subsidy is negative or absurd."""
    if not tenant.memberships.filter(municipality=municipality).exists():
        raise DeploymentRefused("not_a_member")
    if not 0 <= national_subsidy_won <= 10**15 or not 0 <= local_subsidy_won <= 10**15:
        raise DeploymentRefused("subsidy_out_of_range")
    if not 2000 <= since.year <= 2100:
        raise DeploymentRefused("since_out_of_range")
    with transaction.atomic():
        deployment, created = PlatformDeployment.objects.select_for_update().update_or_create(
            municipality=municipality,
            defaults={
                "tenant": tenant, "since": since, "programme": programme,
                "national_subsidy_won": national_subsidy_won,
                "local_subsidy_won": local_subsidy_won, "note": note[:500],
            },
        )  # fmt: skip
        record_audit(
            actor=actor, action="operations.deployment_recorded",
            object_type="operations.platformdeployment", object_id=deployment.pk,
            data={"municipality": municipality.code, "tenant": tenant.code,
                  "since": since.isoformat(), "created": created,
                  "programme": programme.year if programme else None},
        )  # fmt: skip
    return deployment
