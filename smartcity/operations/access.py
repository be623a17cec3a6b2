"""Who may see and do what in the integrated platform.

One rule: a platform operator (role ``platform_operator``) of an operations
centre (organisation kind ``operations_centre``) acts for the centre (tenant)
its organisation's local government runs, and sees that centre's rows only —
the incidents, cameras and situations of every local government the centre
serves (``CentreMembership``), and none of another centre's. Nobody else — not
the Ministry, not a superuser — reads a tenant's cameras or incidents through
the product; those are a local government's records under the Personal
Information Protection Act, not programme oversight data.

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

from smartcity.accounts.access import is_ministry
from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import User
from smartcity.operations.models import Agency, Camera, Incident, Tenant, VideoGrant
from smartcity.operations.selectors.linkage import officer_agency

AnyUser = User | AnonymousUser


def operator_tenant(user: AnyUser) -> Tenant | None:
    """The centre ``user`` operates for, or ``None``."""
    if not user.is_authenticated or not isinstance(user, User):
        return None
    if user.role != Role.PLATFORM_OPERATOR or not user.is_active:
        return None
    organisation = user.organisation
    if organisation is None or organisation.kind != OrganisationKind.OPERATIONS_CENTRE:
        return None
    if organisation.municipality_id is None:
        return None
    return Tenant.objects.filter(
        municipality_id=organisation.municipality_id, is_active=True
    ).first()


def can_use_operations(user: AnyUser) -> bool:
    return operator_tenant(user) is not None


def access_operator_tenant(user: AnyUser) -> Tenant:
    tenant = operator_tenant(user)
    if tenant is None:
        raise Http404
    return tenant


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


def can_import_programme(user: AnyUser) -> bool:
    """The platform programme's files are the Ministry's (ADR 0020)."""
    return is_ministry(user)
