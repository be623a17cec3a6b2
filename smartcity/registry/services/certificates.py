"""Writes on issued certificates: revoking them and recording their bronze plates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.access import is_oversight
from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.core.services import record_audit
from smartcity.notifications.services import notify
from smartcity.registry.choices import DecisionType, RevocationGround
from smartcity.registry.domain.revocation import revocation_problem
from smartcity.registry.models import Certificate, Decision, PlateRecord
from smartcity.registry.selectors import holder_applicants
from smartcity.registry.services.decisions import RegistryRefused, record_decision


def can_revoke(user: Any) -> bool:
    """Revocation is the Minister's decision (Smart City Act art. 33)."""
    return isinstance(user, User) and user.is_active and user.role == Role.MINISTRY_OFFICER


def revoke_certificate(
    *,
    actor: User,
    certificate: Certificate,
    ground_kind: str,
    ground: str,
    effective_on: dt.date,
) -> Decision:
    """Revoke a running certificate with effect from ``effective_on`` (today,
    on the server's local date, or later): a REVOCATION decision dated that
    day with its legal ground and the reason written out, the subject's
    certificates rebuilt, an audit row, and a notice to the holder's
    applicants. Fraud obliges revocation, a shortfall allows it; either way
    the ground must be given."""
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
        problem = revocation_problem(
            effective_on=effective_on,
            today=today,
            valid_from=locked.valid_from,
            valid_until=locked.valid_until,
            ended_by=locked.ended_by,
        )
        if problem:
            raise RegistryRefused(
                problem, {"today": today.isoformat(), "until": locked.valid_until.isoformat()}
            )
        decision = record_decision(
            actor=actor,
            subject=locked.subject,
            decision=DecisionType.REVOCATION,
            decided_on=effective_on,
            size_class=locked.size_class,
            ground=ground.strip(),
            ground_kind=ground_kind,
        )
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
                "effective_on": effective_on.isoformat(),
                "decided_at": timezone.now().isoformat(),
            },
        )
        notify(
            recipients=holder_applicants(locked.subject),
            kind="registry.certificate_revoked",
            subject=_("인증서 %(number)s(%(subject)s)의 인증이 %(day)s부로 취소되었습니다"),
            body=ground.strip(),
            params={"number": locked.number, "subject": locked.subject.name, "day": effective_on},
            url=reverse("registry:certificate", args=[locked.number]),
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
