"""Who may see and do what in the integrated platform.

One rule: a platform operator (role ``platform_operator``) of an operations
centre (organisation kind ``operations_centre``) acts for the centre (tenant)
its organisation's local government runs, and sees that centre's rows only —
the incidents, cameras and situations of every local government the centre
serves (``CentreMembership``), and none of another centre's. Nobody else — not
the Ministry, not a superuser — reads a tenant's cameras or incidents through
the product; those are a local government's records under the Personal
Information Protection Act, not programme oversight data.

A centre administrator (role ``centre_admin``, same organisation rule) is an
operator of its centre too and the only one who sets it up: sending systems
and their keys, agencies and officers, the camera register, the 119 layers
(``access_admin_tenant`` and the ``access_setup_*`` functions). An ordinary
operator gets a 404 there, as does anyone of another centre.

Agency officers (police 112, fire 119, disaster rooms) see only the grants
made to their own agency (``access_agency_grant``); the agency is decided by
the account's organisation.

Views load protected objects only through ``access_*``. A refusal and a
missing object raise the same ``Http404``, so probing ids reveals nothing
about other tenants.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from smartcity.accounts.access import is_centre_admin, is_centre_staff, is_ministry
from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import User
from smartcity.operations.domain.stream_token import MAX_ID
from smartcity.operations.models import (
    Agency,
    AgencyLink,
    Camera,
    CameraImport,
    CarrierAlert,
    CarrierCase,
    Incident,
    IntakeClient,
    Tenant,
    VideoGrant,
)
from smartcity.operations.selectors.linkage import officer_agency

AnyUser = User | AnonymousUser


def operator_tenant(user: AnyUser) -> Tenant | None:
    """The centre ``user`` operates for, or ``None``."""
    if not user.is_authenticated or not isinstance(user, User):
        return None
    if not is_centre_staff(user) or user.organisation_id is None:
        return None
    # One query, not two (the organisation, then its centre): a thousand
    # boards reconnecting together each run it (issue 17). Both conditions
    # in one ``filter`` apply to the same organisation.
    return Tenant.objects.filter(
        is_active=True,
        municipality__organisations__pk=user.organisation_id,
        municipality__organisations__kind=OrganisationKind.OPERATIONS_CENTRE,
    ).first()


def can_use_operations(user: AnyUser) -> bool:
    return operator_tenant(user) is not None


def access_operator_tenant(user: AnyUser) -> Tenant:
    tenant = operator_tenant(user)
    if tenant is None:
        raise Http404
    return tenant


def admin_tenant(user: AnyUser) -> Tenant | None:
    """The centre ``user`` administers (set-up pages), or ``None``: a centre
    administrator's own centre, decided by their organisation like an
    operator's."""
    return operator_tenant(user) if is_centre_admin(user) else None


def access_admin_tenant(user: AnyUser) -> Tenant:
    tenant = admin_tenant(user)
    if tenant is None:
        raise Http404
    return tenant


def access_intake_client(user: AnyUser, client_id: int) -> IntakeClient:
    """A sending system of the administrator's own centre."""
    tenant = access_admin_tenant(user)
    client = IntakeClient.objects.filter(pk=client_id, tenant=tenant).first()
    if client is None:
        raise Http404
    return client


def access_setup_agency(user: AnyUser, agency_id: int) -> Agency:
    """An agency linked to the administrator's centre."""
    tenant = access_admin_tenant(user)
    agency = (
        Agency.objects.select_related("organisation").filter(pk=agency_id, tenants=tenant).first()
    )
    if agency is None:
        raise Http404
    return agency


def access_setup_agency_link(user: AnyUser, agency_id: int) -> AgencyLink:
    """The administrator's centre's link to an agency (running or stopped)."""
    tenant = access_admin_tenant(user)
    link = (
        AgencyLink.objects.select_related("agency__organisation", "tenant")
        .filter(agency_id=agency_id, tenant=tenant)
        .first()
    )
    if link is None:
        raise Http404
    return link


def access_setup_officer(user: AnyUser, agency_id: int, officer_id: int) -> tuple[Agency, User]:
    """An officer (agency-officer account) of an agency linked to the centre."""
    agency = access_setup_agency(user, agency_id)
    officer = User.objects.filter(
        pk=officer_id, organisation_id=agency.organisation_id, role=Role.AGENCY_OFFICER
    ).first()
    if officer is None:
        raise Http404
    return agency, officer


def access_camera_import(user: AnyUser, import_id: int) -> CameraImport:
    """A camera import of the administrator's centre."""
    tenant = access_admin_tenant(user)
    batch = CameraImport.objects.filter(pk=import_id, tenant=tenant).first()
    if batch is None:
        raise Http404
    return batch


def access_incident(user: AnyUser, incident_id: int) -> Incident:
    """An incident of the operator's tenant (with its vocabulary rows loaded)."""
    tenant = access_operator_tenant(user)
    incident = (
        Incident.objects.select_related("event_type", "grade", "status", "tenant")
        .filter(pk=incident_id, tenant=tenant)
        .first()
    )
    if incident is None:
        raise Http404
    return incident


def access_camera(user: AnyUser, camera_id: int) -> Camera:
    """A camera of the operator's tenant; the stream endpoint is not even loaded."""
    tenant = access_operator_tenant(user)
    camera = Camera.objects.defer("stream_endpoint").filter(pk=camera_id, tenant=tenant).first()
    if camera is None:
        raise Http404
    return camera


def access_agency(user: AnyUser) -> Agency:
    """The agency of an agency officer (112, 119, disaster room), or 404."""
    agency = officer_agency(user)
    if agency is None:
        raise Http404
    return agency


def access_agency_grant(user: AnyUser, grant_id: int) -> VideoGrant:
    """A grant to the officer's own agency — another agency's id is a 404,
    exactly like an id that does not exist."""
    agency = access_agency(user)
    grant = (
        VideoGrant.objects.select_related(
            "incident__event_type", "incident__status", "incident__grade", "agency", "tenant"
        )
        .filter(pk=grant_id, agency=agency)
        .first()
    )
    if grant is None:
        raise Http404
    return grant


def access_operator_grant(user: AnyUser, grant_id: int) -> VideoGrant:
    """A grant made by the operator's own centre."""
    tenant = access_operator_tenant(user)
    grant = (
        VideoGrant.objects.select_related("incident", "agency")
        .filter(pk=grant_id, tenant=tenant)
        .first()
    )
    if grant is None:
        raise Http404
    return grant


def access_carrier_photo(user: AnyUser, incident_id: int) -> CarrierCase:
    """A vulnerable person's stored photo, for the life of the case: to an
    operator of the case's centre, or an officer of an agency the case was
    sent to (``CarrierAlert``). Purged, missing or anyone else: 404."""
    if not 0 < incident_id <= MAX_ID:  # a number no database id can be
        raise Http404
    case = (
        CarrierCase.objects.select_related("incident")
        .filter(incident_id=incident_id, purged_at__isnull=True)
        .exclude(photo_file="")
        .first()
    )
    if case is None:
        raise Http404
    tenant = operator_tenant(user)
    if tenant is not None and case.incident.tenant_id == tenant.pk:
        return case
    agency = officer_agency(user)
    if agency is not None and CarrierAlert.objects.filter(case=case, agency=agency).exists():
        return case
    raise Http404


def can_import_programme(user: AnyUser) -> bool:
    """The platform programme's files are the Ministry's (ADR 0022)."""
    return is_ministry(user)
