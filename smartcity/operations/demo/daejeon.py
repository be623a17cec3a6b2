"""The demo's Daejeon metropolitan cloud centre: 대전광역시 runs it for its five
districts, with 300 real cameras of the national CCTV standard data
(``daejeon_cctv_2026.csv``, source and licence in ``README.md``), a 112
robbery carrying its crime type and a 119 rescue among those cameras, and a
police and a fire room whose certified officers already hold a grant of the
scene's video — so both journeys work from login to video at once.

Everything goes through the product's services, as an administrator and an
operator would do it; running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from smartcity.accounts.choices import OrganisationKind
from smartcity.accounts.models import User
from smartcity.operations.models import (
    Agency,
    Camera,
    Incident,
    IntakeClient,
    OfficerCertification,
    Tenant,
    VideoGrant,
)
from smartcity.operations.services.agencies import certify_officer, create_agency
from smartcity.operations.services.cctv import import_cctv
from smartcity.operations.services.intake import IncidentReport, receive_incident_report
from smartcity.operations.services.tenancy import create_centre, issue_intake_client
from smartcity.operations.services.video.grants import grant_video
from smartcity.operations.services.video.sessions import scene_camera_ids

CAMERAS = Path(__file__).resolve().parent / "daejeon_cctv_2026.csv"
SEAT = "30000"
DISTRICTS = ["30110", "30140", "30170", "30200", "30230"]
CODE = "daejeon"
SOURCE_KO = (
    "데모 센터의 CCTV 300곳: 공공데이터포털 전국CCTV표준데이터(대전광역시 5개 자치구, "
    "데이터 기준일 2022–2026)에서 고른 실제 설치 장소입니다."
)

# (sender, event type, occurrence number, case type, latitude, longitude, address)
REPORTS = [
    ("112", "112UC001", "DEMO-DJ-112-1", "강도", "36.32905", "127.42715",
     "대전광역시 중구 중앙로 160"),
    ("119", "119UC001", "DEMO-DJ-119-1", "", "36.35215", "127.36460",
     "대전광역시 서구 신갈마로209번길 65"),
]  # fmt: skip


@dataclass
class DaejeonDemo:
    tenant: Tenant
    cameras: int
    robbery: Incident
    fire: Incident
    grants: list[VideoGrant]


def lay_daejeon_centre(
    *, operator: User | None, police: User | None, fire: User | None
) -> DaejeonDemo:
    """The centre, its cameras, the two incidents, the agencies and grants."""
    tenant = create_centre(
        seat_code=SEAT, member_codes=DISTRICTS, code=CODE,
        name_ko="대전광역시 스마트도시 통합운영센터(클라우드)",
        name_en="Daejeon Metropolitan Smart City Cloud Centre",
    )  # fmt: skip
    if not Camera.objects.filter(tenant=tenant).exists():
        import_cctv(tenant=tenant, data=CAMERAS.read_bytes(), file_name=CAMERAS.name)
    now = timezone.now()
    incidents = []
    for n, (source, event_type, number, case, lat, lon, address) in enumerate(REPORTS):
        client = IntakeClient.objects.filter(tenant=tenant, name=f"데모 {source}").first()
        if client is None:
            client, _raw = issue_intake_client(tenant=tenant, name=f"데모 {source}", source=source)
        report = IncidentReport(
            event_type=event_type, external_id=number, address=address, case_type=case,
            occurred_at=now - dt.timedelta(minutes=5 * (n + 1)),
            latitude=Decimal(lat), longitude=Decimal(lon),
            detail="편의점 강도, 흉기 소지, 용의자 도주 중" if case else "건물 내 요구조자 신고",
        )  # fmt: skip
        outcome = receive_incident_report(
            client=client, idempotency_key=number, report=report, request_hash=number
        )
        incidents.append(outcome.incident)
    robbery, blaze = incidents
    grants = []
    for officer, kind, code, name, incident in (
        (
            police,
            OrganisationKind.POLICE,
            "demo-112-daejeon",
            "대전경찰청 112치안종합상황실",
            robbery,
        ),
        (fire, OrganisationKind.FIRE, "demo-119-daejeon", "대전소방본부 119종합상황실", blaze),
    ):
        if officer is None or officer.organisation is None:
            continue
        agency = create_agency(
            code=code, name_ko=name, kind=kind, organisation=officer.organisation,
            tenants=[tenant],
        )  # fmt: skip
        if not OfficerCertification.objects.filter(officer=officer, agency=agency).exists():
            certify_officer(agency=agency, officer=officer, note="demo")
        grants.extend(_grant(tenant, incident, agency, operator))
    return DaejeonDemo(tenant, Camera.objects.filter(tenant=tenant).count(), robbery, blaze, grants)


def _grant(
    tenant: Tenant, incident: Incident, agency: Agency, operator: User | None
) -> list[VideoGrant]:
    """A running grant of the scene's cameras, unless one is still open."""
    open_grant = VideoGrant.objects.filter(
        incident=incident, agency=agency, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if open_grant is not None:
        return [open_grant]
    cameras = scene_camera_ids(incident)[:4]
    if not cameras:
        return []
    return [
        grant_video(
            tenant=tenant,
            incident_id=incident.pk,
            agency_id=agency.pk,
            camera_ids=cameras,
            actor=operator,
        )
    ]
