"""Re-review (재검토) and extension (연장) of a certificate (certification.md §6).

Holders are reminded once, ``CERTIFICATION_REMINDER_MONTHS`` before expiry.
An extension is an ordinary application in a call, pre-filled from the
application that produced the certificate; it goes through the same review,
and on a certified announcement becomes an EXTENSION decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.access import AnyUser
from smartcity.accounts.models import User
from smartcity.certification.choices import ApplicationKind, ApplicationStatus, CallStatus
from smartcity.certification.domain.calls import accepts_submissions
from smartcity.certification.domain.versions import VersionDiff, diff_snapshots
from smartcity.certification.models import Application, Attachment, Call, Claim
from smartcity.certification.services.calls import timeline_of
from smartcity.certification.services.submission import snapshot_of
from smartcity.core.services import record_audit
from smartcity.frameworks.selectors import engine_framework
from smartcity.municipalities.selectors import size_class_for
from smartcity.notifications.services import notify
from smartcity.registry.domain.lifecycle import ExtensionWindow, add_months, extension_window
from smartcity.registry.models import Certificate
from smartcity.registry.selectors import holder_applicants, is_holder_applicant
from smartcity.registry.services import lifecycle_policy


class ExtensionRefused(Exception):
    """Why an extension cannot be started; ``code`` is for messages."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def window_of(certificate: Certificate) -> ExtensionWindow:
    return extension_window(
        certificate.valid_until,
        reminder_months=settings.CERTIFICATION_REMINDER_MONTHS,
        policy=lifecycle_policy(),
    )


def extension_problem(certificate: Certificate, today: dt.date) -> str:
    """Why this certificate cannot be extended now ("" when it can)."""
    if certificate.ended_by == "revoked":
        return "certificate_revoked"
    if certificate.ended_by in ("extended", "replaced"):
        return "certificate_superseded"
    if certificate.extension_number >= settings.CERTIFICATION_MAX_EXTENSIONS:
        return "too_many_extensions"
    if today > add_months(certificate.valid_until, lifecycle_policy().grace_months):
        return "certificate_lapsed"
    return ""


def can_start_extension(user: AnyUser, certificate: Certificate, today: dt.date) -> bool:
    """Show "연장 신청" to the holder's applicant while the window is open."""
    return (
        not extension_problem(certificate, today)
        and window_of(certificate).is_open(today)
        and is_holder_applicant(user, certificate.subject)
    )


def open_calls_for(certificate: Certificate, now: dt.datetime | None = None) -> list[Call]:
    """Calls of the certificate's track that accept submissions now."""
    now = now or timezone.now()
    calls = Call.objects.filter(track=certificate.kind, status=CallStatus.PUBLISHED).order_by(
        "-year", "pk"
    )
    return [c for c in calls if accepts_submissions(timeline_of(c), now)]


def source_application(certificate: Certificate) -> Application | None:
    """The application whose announcement issued this certificate (none for
    certificates imported from the record)."""
    return Application.objects.filter(decision_id=certificate.decision_id).first()


def start_extension(*, actor: User, certificate: Certificate, call: Call) -> Application:
    """The holder's applicant opens the re-review application in ``call``,
    pre-filled from the previous application: its claims copied, its
    documents kept by reference to the same stored files."""
    previous = source_application(certificate)
    holder = previous is not None and previous.organisation_id == actor.organisation_id
    if not (holder or is_holder_applicant(actor, certificate.subject)):
        raise PermissionDenied
    if actor.organisation is None:
        raise PermissionDenied
    now = timezone.now()
    problem = extension_problem(certificate, timezone.localdate())
    if problem:
        raise ExtensionRefused(problem)
    if call.track != certificate.kind:
        raise ExtensionRefused("track_differs")
    if not accepts_submissions(timeline_of(call), now):
        raise ExtensionRefused("call_not_open")
    municipality = (
        previous.municipality if previous is not None else certificate.subject.municipality
    )
    size_class = ""
    if municipality is not None:
        size_class = size_class_for(
            municipality.code, call_year=call.year, reference_date=call.population_reference_date
        ).size_class
    try:
        with transaction.atomic():
            application = Application.objects.create(
                kind=ApplicationKind.APPLICATION,
                track=call.track,
                status=ApplicationStatus.DRAFT,
                organisation=actor.organisation,
                municipality=municipality,
                service_name=previous.service_name if previous else "",
                framework=call.framework,
                call=call,
                size_class=size_class,
                title=_extension_title(certificate, call),
                area_km2=previous.area_km2 if previous else None,
                consortium_municipality=previous.consortium_municipality if previous else None,
                extends_certificate=certificate,
                previous_application=previous,
                created_by=actor,
            )
            copied = _copy_from(previous, application) if previous else (0, 0)
            record_audit(
                actor=actor,
                action="certification.extension_started",
                object_type="certification.application",
                object_id=application.pk,
                data={
                    "certificate": certificate.number,
                    "call": call.pk,
                    "previous_application": previous.pk if previous else None,
                    "claims_copied": copied[0],
                    "attachments_kept": copied[1],
                },
            )
    except IntegrityError as exc:
        raise ExtensionRefused("already_applied") from exc
    return application


def _extension_title(certificate: Certificate, call: Call) -> str:
    return f"{certificate.subject.name} {call.year} 인증 연장(재검토) 신청"[:200]


def _copy_from(previous: Application, application: Application) -> tuple[int, int]:
    """Copy the claims the call's framework still has, and point new
    attachment rows at the same stored files (nothing is duplicated on disk)."""
    codes = {i.code for i in engine_framework(application.framework).indicators}
    claims = [
        Claim(
            application=application,
            indicator_code=c.indicator_code,
            value=c.value,
            flag=c.flag,
            stage=c.stage,
            justification=c.justification,
            evidence_reference=c.evidence_reference,
            to_verify=c.to_verify,
        )
        for c in previous.claims.all()
        if c.indicator_code in codes
    ]
    Claim.objects.bulk_create(claims)
    attachments = [
        Attachment(
            application=application,
            kind=a.kind,
            file=a.file.name,
            original_name=a.original_name,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            uploaded_by=a.uploaded_by,
        )
        for a in previous.attachments.order_by("id")
    ]
    Attachment.objects.bulk_create(attachments)
    return len(claims), len(attachments)


def changes_since_previous(application: Application) -> VersionDiff | None:
    """What the extension application changed against the one it was
    pre-filled from (None when it has no previous application)."""
    previous = application.previous_application
    if previous is None:
        return None
    return diff_snapshots(snapshot_of(previous), snapshot_of(application))


# --- reminders --------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRun:
    certificates: tuple[Certificate, ...]
    notices: int


def expiring(today: dt.date) -> QuerySet[Certificate]:
    """Valid certificates that run out within the reminder window."""
    horizon = add_months(today, settings.CERTIFICATION_REMINDER_MONTHS)
    return (
        Certificate.objects.filter(
            valid_from__lte=today, valid_until__gte=today, valid_until__lte=horizon, ended_by=""
        )
        .select_related("subject")
        .order_by("valid_until", "number")
    )


def send_expiry_reminders(*, today: dt.date) -> ReminderRun:
    """Tell the holder's applicants of every certificate expiring within
    ``CERTIFICATION_REMINDER_MONTHS`` months; once per certificate and person,
    however often it runs."""
    certificates = tuple(expiring(today))
    notices = 0
    with transaction.atomic():
        for certificate in certificates:
            can_extend = certificate.extension_number < settings.CERTIFICATION_MAX_EXTENSIONS
            sent = notify(
                recipients=holder_applicants(certificate.subject),
                kind="certification.expiry_reminder",
                subject=_("인증서 %(number)s(%(subject)s)가 %(until)s에 만료됩니다"),
                body=(
                    _("인증을 이어가려면 공모 기간에 연장(재검토)을 신청하세요.")
                    if can_extend
                    else _("연장 횟수를 모두 사용했습니다. 계속 인증을 받으려면 신규로 신청하세요.")
                ),
                params={
                    "number": certificate.number,
                    "subject": certificate.subject.name,
                    "until": certificate.valid_until.isoformat(),
                },
                url=reverse("registry:certificate", args=[certificate.number]),
                dedupe_key=f"expiry:{certificate.number}",
            )
            notices += len(sent)
    return ReminderRun(certificates, notices)
