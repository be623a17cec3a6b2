"""The one write path for registry decisions and subjects: record a decision
(imported or made in this product), and rebuild the subject's certificates
from its decisions, numbering the new ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Length

from smartcity.core.services import record_audit
from smartcity.municipalities.models import Municipality
from smartcity.registry.domain import lifecycle as lc
from smartcity.registry.models import Certificate, Decision, ImportBatch, Subject

#: Where decisions made in this product (not imported) say they come from.
WORKFLOW_SOURCE = "smartcity workflow"


def lifecycle_policy() -> lc.LifecyclePolicy:
    """The lifecycle rules as configured (certification.md §6 defaults)."""
    return lc.LifecyclePolicy(
        validity_years=settings.CERTIFICATION_VALIDITY_YEARS,
        grace_months=settings.CERTIFICATION_EXTENSION_GRACE_MONTHS,
        max_extensions=settings.CERTIFICATION_MAX_EXTENSIONS,
    )


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


# --- subjects ---------------------------------------------------------------


def city_subject(*, municipality: Municipality, name: str) -> Subject:
    """The subject of a local government, made on its first decision with
    ``name`` (later decisions keep the name it was first given)."""
    subject, _created = Subject.objects.get_or_create(
        kind="city", municipality=municipality, defaults={"name": name}
    )
    return subject


def service_subject(*, name: str, field: str = "", holder: str = "") -> Subject:
    """The subject of a service, by its name, made on its first decision."""
    subject, _created = Subject.objects.get_or_create(
        kind="service", name=name, defaults={"field": field, "holder": holder}
    )
    return subject


# --- decisions --------------------------------------------------------------


def record_decision(
    *,
    actor: Any,
    subject: Subject,
    decision: str,
    decided_on: dt.date,
    subject_code: str = "",
    size_class: str = "",
    field: str = "",
    holder: str = "",
    grade: str = "",
    note: str = "",
    source: str = WORKFLOW_SOURCE,
    ground: str = "",
    ground_kind: str = "",
    batch: ImportBatch | None = None,
) -> Decision:
    """Add one decision to a subject's record (in the caller's transaction).

    A second decision of the same type for the same subject on the same day
    is refused (``duplicate_decision``). On its own, the decision rebuilds
    the subject's certificates at once, refuses what the lifecycle rules do
    not allow, and is audited. A decision of an import ``batch`` waits: the
    import rebuilds each subject once all its rows are in, reports errors by
    row, and audits the batch as a whole.
    """
    try:
        with transaction.atomic():
            row = Decision.objects.create(
                subject=subject,
                decision=decision,
                decided_on=decided_on,
                subject_code=subject_code,
                size_class=size_class,
                field=field,
                holder=holder,
                grade=grade,
                note=note,
                source=source,
                ground=ground,
                ground_kind=ground_kind,
                batch=batch,
            )
    except IntegrityError as exc:
        raise RegistryRefused("duplicate_decision") from exc
    if batch is not None:
        return row
    refuse_on_lifecycle_errors(rebuild_certificates(subject_id=subject.pk))
    record_audit(
        actor=actor,
        action="registry.decision_recorded",
        object_type="registry.decision",
        object_id=row.pk,
        data={
            "subject": subject.name,
            "kind": subject.kind,
            "decision": decision,
            "decided_on": decided_on.isoformat(),
            "source": source,
        },
    )
    return row


# --- certificates -----------------------------------------------------------


def rebuild_certificates(*, subject_id: int) -> tuple[lc.LifecycleError, ...]:
    """Recompute one subject's certificates from its decisions.

    Certificates keep their numbers; a period that no longer exists is an
    error the caller must roll back (it cannot happen for valid imports,
    because decisions are only ever added).
    """
    subject = (
        Subject.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .get(pk=subject_id)
    )
    decisions = list(subject.decisions.all())
    by_key = {str(d.pk): d for d in decisions}
    lifecycle = lc.compute_lifecycle(
        (lc.Decision(str(d.pk), lc.DecisionType(d.decision), d.decided_on) for d in decisions),
        lifecycle_policy(),
    )
    if lifecycle.errors:
        return lifecycle.errors
    existing = {c.decision_id: c for c in Certificate.objects.filter(subject=subject)}
    registered_code = subject.municipality.code if subject.municipality is not None else ""
    for period in lifecycle.periods:
        decision = by_key[period.decision_key]
        values = {
            "subject": subject,
            # Copies for the status query (it reads this table alone, issue 17).
            "subject_name": subject.name,
            "subject_code": decision.subject_code or registered_code,
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
