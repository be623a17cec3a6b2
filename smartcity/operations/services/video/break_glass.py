"""Break-glass: an officer takes video of an incident the centre has not
shared yet, giving a justification; flagged in the access log and the
monthly review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from smartcity.core.services import record_audit
from smartcity.operations.choices import AccessStep, TimelineAction
from smartcity.operations.domain.video_rules import GrantFacts, ViewRefusal, decide_grant
from smartcity.operations.errors import VideoRefused
from smartcity.operations.models import Agency, AgencyLink, Incident, VideoGrant
from smartcity.operations.selectors.crime_rules import video_crime_table
from smartcity.operations.selectors.linkage import certified_until, officer_agency
from smartcity.operations.services.incidents import lock_incident, record_timeline
from smartcity.operations.services.video.grants import announce_grant, crime_data
from smartcity.operations.services.video.sessions import scene_camera_ids, session_seconds
from smartcity.operations.services.video_log import append_access_entry


def _break_glass_incident(
    agency: Agency, *, sender: str, external_id: str, incident_id: int | None
) -> tuple[Incident | None, str]:
    """The one incident of the agency's linked centres the officer named, or
    the refusal: ``not_found``, or ``incident_ambiguous`` when the number is
    not unique (two centres received the same 112 number), so the officer
    must name the incident by its id rather than get the wrong one."""
    linked = Incident.objects.select_related("status", "tenant", "event_type").filter(
        tenant_id__in=AgencyLink.objects.filter(agency=agency, stopped_at__isnull=True).values(
            "tenant_id"
        )
    )
    if incident_id is not None:
        found = list(linked.filter(pk=incident_id)[:1])
    else:
        number = external_id.strip()
        if not sender or not number:
            return None, ViewRefusal.NOT_FOUND
        # An occurrence number is the sender's: a 119 report may reuse a 112 number.
        found = list(linked.filter(sender=sender, external_id=number).order_by("id")[:2])
    if not found:
        return None, ViewRefusal.NOT_FOUND
    if len(found) > 1:
        return None, ViewRefusal.INCIDENT_AMBIGUOUS
    return found[0], ""


def break_glass_grant(
    *, officer: Any, justification: str, sender: str = "", external_id: str = "",
    incident_id: int | None = None, crime_type: str = "",
) -> VideoGrant:  # fmt: skip
    """An officer takes video of an incident the centre has not shared yet,
    giving a justification. The video rules still apply (police: the seven
    crime types; certified officers only). Recorded on the incident's
    timeline, in the access log (flagged) and in the monthly review.

    The incident is named unambiguously: by its sender (112, 119, ...) and
    that sender's occurrence number, or by its id. ``crime_type`` is the
    type the officer names (a code of the centre's crime-type table): it
    decides only when the 112 system sent no case type, and is then recorded
    as the officer's statement.
    """
    agency = officer_agency(officer)
    now = timezone.now()
    refusal: str = ""
    grant: VideoGrant | None = None
    incident: Incident | None = None
    with transaction.atomic():
        if agency is None:
            refusal = ViewRefusal.NOT_AN_OFFICER
        elif certified_until(officer, agency, now) is None:
            refusal = ViewRefusal.NOT_CERTIFIED
        else:
            incident, refusal = _break_glass_incident(
                agency, sender=sender, external_id=external_id, incident_id=incident_id
            )
        if not refusal and incident is not None and agency is not None:
            incident = lock_incident(incident.pk, incident.tenant)
            cameras = scene_camera_ids(incident)
            decision = decide_grant(
                GrantFacts(
                    agency_kind=agency.kind,
                    sender=incident.sender,
                    case_type=incident.case_type,
                    incident_final=incident.status.is_final,
                    camera_count=len(cameras),
                    break_glass=True,
                    justification=justification,
                    crimes=video_crime_table(),
                    stated_crime=crime_type,
                )
            )
            if decision.ground is None:
                refusal = str(decision.refusal)
            else:
                grant = VideoGrant.objects.create(
                    tenant=incident.tenant, incident=incident, agency=agency,
                    legal_ground=decision.ground.value, granted_by=officer,
                    granted_by_label=str(officer), break_glass=True,
                    justification=justification.strip(), created_at=now,
                    expires_at=now + dt.timedelta(seconds=session_seconds()),
                )  # fmt: skip
                grant.cameras.set(cameras)
                record_timeline(
                    incident, TimelineAction.VIDEO_BREAK_GLASS, actor=officer,
                    note=justification.strip(),
                    data={"grant": grant.pk, "agency": agency.name_ko, "cameras": len(cameras),
                          **crime_data(decision),
                          "crime_stated_by_officer": not incident.case_type.strip()},
                )  # fmt: skip
                announce_grant(grant, "grant")
        append_access_entry(
            step=AccessStep.BREAK_GLASS, granted=grant is not None, reason=refusal,
            officer=officer, agency=agency, tenant=incident.tenant if incident else None,
            incident_id=incident.pk if incident else None, grant=grant,
            legal_ground=grant.legal_ground if grant else "", break_glass=True,
            justification=justification.strip(), viewed_from=now if grant else None,
            viewed_until=grant.expires_at if grant else None,
        )  # fmt: skip
        record_audit(
            actor=officer,
            action="operations.video_break_glass",
            object_type="operations.videogrant",
            object_id=grant.pk if grant else "",
            data={"sender": sender, "external_id": external_id, "incident_id": incident_id,
                  "crime_type": crime_type, "refusal": refusal,
                  "agency": agency.code if agency else ""},
        )  # fmt: skip
    if grant is None:
        raise VideoRefused(refusal)
    return grant
