"""Writes to the certification registry: importing decisions, rebuilding
certificates, revoking them and recording their bronze plates."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.access import is_oversight
from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.core.services import record_audit
from smartcity.municipalities.models import Municipality
from smartcity.municipalities.selectors import register_code, size_class_for
from smartcity.notifications.services import notify
from smartcity.registry.choices import DecisionType, RevocationGround
from smartcity.registry.domain import lifecycle as lc
from smartcity.registry.domain.decisions_csv import DecisionRow, RowError, parse_decisions_csv
from smartcity.registry.models import Certificate, Decision, ImportBatch, PlateRecord, Subject
from smartcity.registry.selectors import certificate_status_on, holder_applicants


def lifecycle_policy() -> lc.LifecyclePolicy:
    """The lifecycle rules as configured (certification.md §6 defaults)."""
    return lc.LifecyclePolicy(
        validity_years=settings.CERTIFICATION_VALIDITY_YEARS,
        grace_months=settings.CERTIFICATION_EXTENSION_GRACE_MONTHS,
        max_extensions=settings.CERTIFICATION_MAX_EXTENSIONS,
    )


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    """Internal: undo the whole import when any row fails."""


_COMPARED = ("size_class", "field", "holder")


def import_decisions(*, data: bytes, file_name: str, actor: Any = None) -> ImportResult:
    """Import a decisions file: every row or none.

    A row already in the registry with the same content is left alone, so
    importing the same file twice changes nothing. Every other problem is
    reported with its row and field, and nothing is written.
    """
    parsed = parse_decisions_csv(data)
    result = ImportResult(errors=list(parsed.errors))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _import_rows(parsed.rows, result, data=data, file_name=file_name, actor=actor)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = 0
        result.batch_id = None
    return result


def _import_rows(
    rows: tuple[DecisionRow, ...],
    result: ImportResult,
    *,
    data: bytes,
    file_name: str,
    actor: Any,
) -> None:
    codes = {register_code(r.subject_code) for r in rows if r.kind == "city"}
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    new_rows: list[tuple[DecisionRow, Subject]] = []
    for row in rows:
        code = register_code(row.subject_code) if row.kind == "city" else ""
        if row.kind == "city" and code not in municipalities:
            result.errors.append(
                RowError(
                    row.row, "subject_code", "unknown_municipality", {"value": row.subject_code}
                )
            )
            continue
        subject = _get_or_create_subject(row, municipalities.get(code))
        existing = Decision.objects.filter(
            subject=subject, decision=row.decision, decided_on=row.decided_on
        ).first()
        if existing is None:
            new_rows.append((row, subject))
            continue
        conflict = _conflict(row, existing)
        if conflict is not None:
            result.errors.append(conflict)
        else:
            result.unchanged += 1
    # Keep going after row errors: the lifecycle check below reports the rest
    # of the file's problems too, and the caller rolls everything back.

    batch = ImportBatch.objects.create(
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    by_subject: dict[int, list[tuple[DecisionRow, Decision]]] = defaultdict(list)
    for row, subject in new_rows:
        decision = Decision.objects.create(
            subject=subject,
            decision=row.decision,
            decided_on=row.decided_on,
            subject_code=row.subject_code,
            size_class=row.size_class or _derived_size_class(row),
            field=row.field,
            holder=row.holder,
            note=row.note,
            source=row.source,
            ground=row.ground,
            batch=batch,
        )
        by_subject[subject.pk].append((row, decision))

    row_of = {d.pk: r.row for pairs in by_subject.values() for r, d in pairs}
    for subject_id in by_subject:
        for error in rebuild_certificates(subject_id=subject_id):
            decision_id = int(error.decision_key)
            if decision_id in row_of:
                result.errors.append(
                    RowError(row_of[decision_id], "decision", error.code.value, error.params)
                )
    if result.errors:
        return
    result.created = len(new_rows)
    batch.created = result.created
    batch.unchanged = result.unchanged
    batch.save(update_fields=["created", "unchanged"])
    result.batch_id = batch.pk
    record_audit(
        actor=actor,
        action="registry.decisions_imported",
        object_type="registry.importbatch",
        object_id=batch.pk,
        data={
            "file_name": file_name,
            "sha256": batch.sha256,
            "created": result.created,
            "unchanged": result.unchanged,
        },
    )


def _get_or_create_subject(row: DecisionRow, municipality: Municipality | None) -> Subject:
    if row.kind == "city":
        assert municipality is not None
        subject, _ = Subject.objects.get_or_create(
            kind="city",
            municipality=municipality,
            # The name as the Ministry announced it (e.g. "고양시"); the register's
            # full name ("경기도 고양시") is on the municipality.
            defaults={"name": row.subject or municipality.full_name_ko},
        )
        return subject
    subject, created = Subject.objects.get_or_create(
        kind="service", name=row.subject, defaults={"field": row.field, "holder": row.holder}
    )
    if not created and row.holder and row.decision == "new" and subject.holder != row.holder:
        subject.holder = row.holder
        subject.save(update_fields=["holder"])
    return subject


def _conflict(row: DecisionRow, existing: Decision) -> RowError | None:
    for column in _COMPARED:
        value = getattr(row, column)
        current = getattr(existing, column)
        if value and current and value != current:
            return RowError(
                row.row,
                column,
                "conflicts_with_registry",
                {"column": column, "existing": current, "value": value},
            )
    return None


def _derived_size_class(row: DecisionRow) -> str:
    if row.kind != "city":
        return ""
    try:
        return size_class_for(row.subject_code, call_year=row.decided_on.year).size_class
    except LookupError:
        return ""


def rebuild_certificates(*, subject_id: int) -> tuple[lc.LifecycleError, ...]:
    """Recompute one subject's certificates from its decisions.

    Certificates keep their numbers; a period that no longer exists is an
    error the caller must roll back (it cannot happen for valid imports,
    because decisions are only ever added).
    """
    subject = Subject.objects.select_for_update().get(pk=subject_id)
    decisions = list(subject.decisions.all())
    by_key = {str(d.pk): d for d in decisions}
    lifecycle = lc.compute_lifecycle(
        (lc.Decision(str(d.pk), lc.DecisionType(d.decision), d.decided_on) for d in decisions),
        lifecycle_policy(),
    )
    if lifecycle.errors:
        return lifecycle.errors
    existing = {c.decision_id: c for c in Certificate.objects.filter(subject=subject)}
    for period in lifecycle.periods:
        decision = by_key[period.decision_key]
        values = {
            "subject": subject,
            "kind": subject.kind,
            "size_class": decision.size_class,
            "granted_by": period.granted_by.value,
            "valid_from": period.valid_from,
            "nominal_until": period.nominal_until,
            "valid_until": period.valid_until,
            "ended_by": period.ended_by.value if period.ended_by else "",
            "ended_by_decision": by_key[period.ended_by_key] if period.ended_by_key else None,
            "extension_number": period.extension_number,
        }
        certificate = existing.get(decision.pk)
        if certificate is None:
            Certificate.objects.create(
                decision=decision, number=_next_number(subject.kind, decision.decided_on), **values
            )
        else:
            for name, value in values.items():
                setattr(certificate, name, value)
            certificate.save()
    return ()


def _next_number(kind: str, decided_on: dt.date) -> str:
    """Numbers read ``2021-C-0001`` (C city, S service), in order of issue per year.

    The sequence is four digits wide and grows to five and more past 9,999
    (``2021-C-10000``), so the last number is the longest one, then the
    greatest: text order alone would put ``9999`` after ``10000``."""
    prefix = f"{decided_on.year}-{'C' if kind == 'city' else 'S'}-"
    last = (
        Certificate.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


#: Where decisions made in this product (not imported) say they come from.
WORKFLOW_SOURCE = "smartcity workflow"


class RegistryRefused(Exception):
    """A registry write the rules do not allow; ``code`` is for messages
    (``registry.messages.error_message``), ``params`` fill it in."""

    def __init__(self, code: str, params: dict[str, str] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params = params or {}


def refuse_on_lifecycle_errors(errors: tuple[lc.LifecycleError, ...]) -> None:
    """Raise the first lifecycle error (inside a transaction: it rolls back)."""
    if errors:
        raise RegistryRefused(errors[0].code.value, dict(errors[0].params))


def can_revoke(user: Any) -> bool:
    """Revocation is the Minister's decision (Smart City Act art. 33)."""
    return isinstance(user, User) and user.is_active and user.role == Role.MINISTRY_OFFICER


def revoke_certificate(
    *, actor: User, certificate: Certificate, ground_kind: str, ground: str
) -> Decision:
    """Revoke a valid certificate from today (server clock, local date):
    a REVOCATION decision with its legal ground and the reason written out,
    the subject's certificates rebuilt, an audit row, and a notice to the
    holder's applicants. Fraud obliges revocation, a shortfall allows it;
    either way the ground must be given."""
    if not can_revoke(actor):
        raise PermissionDenied
    if ground_kind not in RevocationGround.values:
        raise RegistryRefused("ground_kind_required")
    if not ground.strip():
        raise RegistryRefused("ground_required")
    today = timezone.localdate()
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update().select_related("subject").get(pk=certificate.pk)
        )
        if certificate_status_on(locked, today) != "valid":
            raise RegistryRefused("revocation_without_valid_certification")
        if Decision.objects.filter(
            subject=locked.subject, decision=DecisionType.REVOCATION, decided_on=today
        ).exists():
            raise RegistryRefused("duplicate_decision")
        decision = Decision.objects.create(
            subject=locked.subject,
            decision=DecisionType.REVOCATION,
            decided_on=today,
            size_class=locked.size_class,
            source=WORKFLOW_SOURCE,
            ground=ground.strip(),
            ground_kind=ground_kind,
        )
        refuse_on_lifecycle_errors(rebuild_certificates(subject_id=locked.subject_id))
        record_audit(
            actor=actor,
            action="registry.certificate_revoked",
            object_type="registry.certificate",
            object_id=locked.pk,
            data={
                "number": locked.number,
                "decision": decision.pk,
                "ground_kind": ground_kind,
                "ground": ground.strip(),
                "decided_on": today.isoformat(),
            },
        )
        notify(
            recipients=holder_applicants(locked.subject),
            kind="registry.certificate_revoked",
            subject=_("인증서 %(number)s(%(subject)s)의 인증이 %(day)s부로 취소되었습니다"),
            body=ground.strip(),
            params={"number": locked.number, "subject": locked.subject.name, "day": today},
            url=f"/registry/certificates/{locked.number}/",
        )
    return decision


def record_plate(
    *,
    actor: User,
    certificate: Certificate,
    made_on: dt.date,
    inscription: str,
    delivered_to: str = "",
) -> PlateRecord:
    """Record the bronze plate (동판) made for a certificate (oversight only)."""
    if not is_oversight(actor):
        raise PermissionDenied
    if not inscription.strip():
        raise RegistryRefused("inscription_required")
    with transaction.atomic():
        plate = PlateRecord.objects.create(
            certificate=certificate,
            made_on=made_on,
            inscription=inscription.strip(),
            delivered_to=delivered_to.strip(),
            recorded_at=timezone.now(),
            recorded_by=actor,
        )
        record_audit(
            actor=actor,
            action="registry.plate_recorded",
            object_type="registry.certificate",
            object_id=certificate.pk,
            data={
                "number": certificate.number,
                "made_on": made_on.isoformat(),
                "inscription": plate.inscription,
                "delivered_to": plate.delivered_to,
            },
        )
    return plate
