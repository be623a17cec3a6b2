"""A centre administrator's set-up of the agencies linked to the centre and
of their officers (accounts, certification for video, deactivation).

The officer's account and organisation go through ``accounts.services`` (the
one writer of those tables); the certification through
``services.agencies.certify_officer``. Every change is audited.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.accounts.services import (
    create_organisation,
    create_user,
    set_display_name,
    set_user_active,
)
from smartcity.core.services import record_audit
from smartcity.operations.domain.video_rules import AgencyKind
from smartcity.operations.errors import StateConflict
from smartcity.operations.models import Agency, AgencyLink, Tenant
from smartcity.operations.selectors.setup import current_certification
from smartcity.operations.services.agencies import (
    certify_officer,
    create_agency,
    revoke_certification,
)


def add_centre_agency(
    *, tenant: Tenant, kind: str, name_ko: str, name_en: str = "", actor: Any = None
) -> Agency:
    """A new agency (its organisation too) linked to ``tenant``. An
    organisation of that name already registered is reused if it is of the
    same kind (``ValueError`` otherwise)."""
    agency_kind = AgencyKind(kind)
    with transaction.atomic():
        organisation = create_organisation(
            name_ko=name_ko, kind=agency_kind.value, name_en=name_en, actor=actor
        )
        existing = Agency.objects.filter(organisation=organisation).first()
        if existing is not None:
            existing.tenants.add(tenant)
            # Registered again here: a link this centre had stopped runs again.
            AgencyLink.objects.filter(agency=existing, tenant=tenant).update(
                stopped_at=None, stopped_by=None
            )
            record_audit(
                actor=actor, action="operations.agency_linked", object_type="operations.agency",
                object_id=existing.pk, data={"tenant": tenant.code},
            )  # fmt: skip
            return existing
        code = f"{tenant.code}-{agency_kind.value}-{secrets.token_hex(3)}"[:30]
        return create_agency(
            code=code, name_ko=name_ko, name_en=name_en, kind=agency_kind.value,
            organisation=organisation, tenants=[tenant], actor=actor,
        )  # fmt: skip


def change_agency(*, agency: Agency, name_ko: str, name_en: str, actor: Any = None) -> None:
    """Rename an agency as the console and the centre show it."""
    with transaction.atomic():
        before = {"name_ko": agency.name_ko, "name_en": agency.name_en}
        Agency.objects.filter(pk=agency.pk).update(name_ko=name_ko, name_en=name_en)
        agency.name_ko, agency.name_en = name_ko, name_en
        record_audit(
            actor=actor, action="operations.agency_changed", object_type="operations.agency",
            object_id=agency.pk, data={"before": before, "name_ko": name_ko, "name_en": name_en},
        )  # fmt: skip


def set_agency_active(*, agency: Agency, active: bool, actor: Any = None) -> None:
    """Stop an agency (no new video for it; the grants it holds run out) or
    let it receive video again."""
    with transaction.atomic():
        if (
            not Agency.objects.filter(pk=agency.pk)
            .exclude(is_active=active)
            .update(is_active=active)
        ):
            return
        agency.is_active = active
        record_audit(
            actor=actor,
            action="operations.agency_reactivated" if active else "operations.agency_deactivated",
            object_type="operations.agency", object_id=agency.pk, data={"code": agency.code},
        )  # fmt: skip


def set_agency_link_active(*, link: AgencyLink, active: bool, actor: Any = None) -> bool:
    """Stop the agency's link to this one centre (no new video from it; the
    grants it holds run out; every other centre's link untouched), or run it
    again. Returns whether anything changed."""
    with transaction.atomic():
        rows = AgencyLink.objects.filter(pk=link.pk, stopped_at__isnull=not active)
        now = timezone.now()
        if active:
            changed = rows.update(stopped_at=None, stopped_by=None)
        else:
            by = actor if getattr(actor, "is_authenticated", False) else None
            changed = rows.update(stopped_at=now, stopped_by=by)
        if not changed:
            return False
        link.stopped_at = None if active else now
        action = "operations.agency_link_restarted" if active else "operations.agency_link_stopped"
        record_audit(
            actor=actor,
            action=action,
            object_type="operations.agency", object_id=link.agency_id,
            data={"code": link.agency.code, "tenant": link.tenant.code},
        )  # fmt: skip
    return True


def expiry_of(day: dt.date) -> dt.datetime:
    """A certification valid through ``day`` ends at the next midnight, local time."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def add_officer(
    *, agency: Agency, username: str, password: str, display_name: str,
    certified_until: dt.date, actor: Any = None,
) -> User:  # fmt: skip
    """An officer's account in the agency's organisation, certified to
    receive video through ``certified_until``. The password passes Django's
    validators (``django.core.exceptions.ValidationError`` otherwise)."""
    if not agency.is_active:
        raise StateConflict("agency_inactive")
    with transaction.atomic():
        officer = create_user(
            username=username, password=password, role=Role.AGENCY_OFFICER,
            organisation=agency.organisation, display_name=display_name, actor=actor,
        )  # fmt: skip
        certify_officer(
            agency=agency, officer=officer, actor=actor, expires_at=expiry_of(certified_until)
        )
    return officer


def change_officer(
    *, agency: Agency, officer: User, display_name: str, certified_until: dt.date,
    actor: Any = None,
) -> None:  # fmt: skip
    """Rename an officer and set the certification's end: the current
    certification is withdrawn and a new one recorded (the old rows stay as
    the record of who was certified when). Unchanged dates write nothing."""
    with transaction.atomic():
        set_display_name(user=officer, display_name=display_name, actor=actor)
        current = current_certification(agency, officer)
        if current is not None and current.expires_at == expiry_of(certified_until):
            return
        revoke_certification(officer=officer, agency=agency, actor=actor)
        certify_officer(
            agency=agency, officer=officer, actor=actor, expires_at=expiry_of(certified_until)
        )


def set_officer_active(*, agency: Agency, officer: User, active: bool, actor: Any = None) -> None:
    """Stop an officer's account (and withdraw the certification at once), or
    let the account sign in again (certify it anew to give video back)."""
    with transaction.atomic():
        set_user_active(user=officer, active=active, actor=actor)
        if not active:
            revoke_certification(officer=officer, agency=agency, actor=actor)
