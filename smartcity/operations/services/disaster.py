"""The disaster situation service (긴급재난상황 지원): an area's cameras shared
with a disaster room for the life of the situation."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.core.services import record_audit
from smartcity.operations.domain.areas import Area, Circle, PolygonArea
from smartcity.operations.domain.video_rules import AgencyKind, GrantRefusal
from smartcity.operations.errors import VideoRefused
from smartcity.operations.models import (
    DisasterArea,
    Incident,
    Tenant,
    VideoGrant,
)
from smartcity.operations.selectors.linkage import linked_agencies
from smartcity.operations.selectors.situations import area_camera_ids
from smartcity.operations.services.incidents import lock_incident
from smartcity.operations.services.video.grants import grant_video, record_grant_refusal


def share_disaster_area(
    *, tenant: Tenant, incident_id: int, agency_id: int, area: Area, actor: Any,
    warning: str = "",
) -> DisasterArea:  # fmt: skip
    """Share every camera of the centre inside ``area`` with a disaster room,
    as a video grant under the grant rules (disaster and weather incidents only).

    Raises ``VideoRefused``: ``agency_not_eligible`` for an agency that is not
    a disaster room (or an incident that is not a disaster/weather one),
    ``no_cameras`` for an area without cameras, ``agency_not_linked``.
    """
    refused: VideoRefused | None = None
    row: DisasterArea | None = None
    with transaction.atomic():
        incident = lock_incident(incident_id, tenant)
        agency = linked_agencies(tenant).filter(pk=agency_id).first()
        camera_ids = area_camera_ids(tenant, area)
        if agency is not None and agency.kind != AgencyKind.DISASTER_ROOM:
            record_grant_refusal(
                tenant=tenant, incident=incident, agency=agency, actor=actor,
                refusal=GrantRefusal.AGENCY_NOT_ELIGIBLE.value, agency_id=agency_id,
            )  # fmt: skip
            refused = VideoRefused(GrantRefusal.AGENCY_NOT_ELIGIBLE)
        else:
            try:
                grant = grant_video(
                    tenant=tenant, incident_id=incident.pk, agency_id=agency_id,
                    camera_ids=camera_ids, actor=actor, area=area,
                )  # fmt: skip
            except VideoRefused as exc:
                # grant_video logged the refusal in a savepoint that was
                # released: leave this block normally so it commits, raise after.
                refused = exc
            else:
                row = _record_area(tenant, incident, grant, area, camera_ids, warning, actor)
    if refused is not None or row is None:
        raise refused or VideoRefused(GrantRefusal.NO_CAMERAS)
    return row


def _record_area(
    tenant: Tenant, incident: Incident, grant: VideoGrant, area: Area, camera_ids: list[int],
    warning: str, actor: Any,
) -> DisasterArea:  # fmt: skip
    row = DisasterArea.objects.create(
        tenant=tenant,
        incident=incident,
        kind="circle" if isinstance(area, Circle) else "polygon",
        warning=warning.strip(),
        centre_lat=area.lat if isinstance(area, Circle) else None,
        centre_lon=area.lon if isinstance(area, Circle) else None,
        radius_m=area.radius_m if isinstance(area, Circle) else None,
        polygon=area.as_geojson() if isinstance(area, PolygonArea) else None,
        camera_count=len(camera_ids),
        grant=grant,
        created_by=actor if isinstance(actor, User) else None,
        created_at=timezone.now(),
    )
    record_audit(
        actor=actor,
        action="operations.disaster_area_shared",
        object_type="operations.disasterarea",
        object_id=row.pk,
        data={"incident": incident.pk, "agency": grant.agency.code, "kind": row.kind,
              "cameras": len(camera_ids), "grant": grant.pk, "warning": row.warning},
    )  # fmt: skip
    return row
