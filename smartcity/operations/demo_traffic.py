"""Demo data of the platform programme (``smartcity operations demo``): the
2018 call from its press release, the demo centre's deployment, its 119 and
disaster rooms, a few cameras and real traffic through the services, so the
national page derives its coverage and figures from records, not from typing.

Never loaded in production (the command refuses).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from smartcity.accounts.choices import OrganisationKind
from smartcity.accounts.models import Organisation, User
from smartcity.accounts.services import create_organisation
from smartcity.operations.errors import VideoRefused
from smartcity.operations.models import (
    Agency,
    Incident,
    IntakeClient,
    PlatformDeployment,
    Tenant,
    VideoGrant,
)
from smartcity.operations.services.agencies import certify_officer, create_agency
from smartcity.operations.services.cctv import import_cctv
from smartcity.operations.services.intake import IncidentReport, receive_incident_report
from smartcity.operations.services.programme import (
    ProgrammeImport,
    import_programme_applicants,
    import_programmes,
    record_deployment,
)
from smartcity.operations.services.tenancy import issue_intake_client
from smartcity.operations.services.video.grants import grant_video
from smartcity.operations.services.video.sessions import offered_camera_ids
from smartcity.operations.services.video.viewing import record_frame

DATA = Path(__file__).resolve().parent / "demo_data"

# Cameras around the demo reports (고양시청, 주엽로, 중앙로), standard-data columns.
CAMERAS = (
    "관리번호,관리기관명,소재지도로명주소,설치목적구분,카메라대수,촬영방면정보,WGS84위도,WGS84경도\n"
    """DEMO-CAM-1,고양시청,경기도 고양시 덕양구 고양시청로 10,생활방범,1,360도,37.65845,126.83205
DEMO-CAM-2,고양시청,경기도 고양시 덕양구 고양시청로 12,생활방범,1,360도,37.65880,126.83150
DEMO-CAM-3,고양시청,경기도 고양시 일산서구 주엽로 1,생활방범,1,360도,37.67625,126.74905
DEMO-CAM-4,고양시청,경기도 고양시 일산서구 주엽로 3,교통단속,1,360도,37.67660,126.74860
"""
)


def load_programme_files(actor: object = None) -> tuple[ProgrammeImport, ProgrammeImport]:
    calls = DATA / "platform_programmes.csv"
    applicants = DATA / "platform_applicants_2018.csv"
    first = import_programmes(data=calls.read_bytes(), file_name=calls.name, actor=actor)
    second = import_programme_applicants(
        data=applicants.read_bytes(), file_name=applicants.name, actor=actor
    )
    return first, second


def _agency(tenant: Tenant, code: str, name: str, kind: str) -> Agency:
    organisation = Organisation.objects.filter(name_ko=name, kind=kind).first()
    if organisation is None:
        organisation = create_organisation(name_ko=name, kind=kind)
    return create_agency(code=code, name_ko=name, kind=kind, organisation=organisation,
                         tenants=[tenant])  # fmt: skip


def _report(tenant: Tenant, source: str, event_type: str, number: str, lat: str, lon: str,
            case_type: str = "") -> Incident:  # fmt: skip
    client = IntakeClient.objects.filter(tenant=tenant, name=f"데모 {source}").first()
    if client is None:
        client, _ = issue_intake_client(tenant=tenant, name=f"데모 {source}", source=source)
    report = IncidentReport(
        event_type=event_type, external_id=number, occurred_at=timezone.now(),
        latitude=Decimal(lat), longitude=Decimal(lon), case_type=case_type,
        address="경기도 고양시",
    )  # fmt: skip
    return receive_incident_report(
        client=client, idempotency_key=number, report=report, request_hash=number
    ).incident


def _watch(grant: VideoGrant, officer: User, delay_s: int) -> None:
    """Frames served to ``officer``: the first ``delay_s`` after the report arrived."""
    first = grant.incident.created_at + dt.timedelta(seconds=delay_s)
    camera_id = grant.cameras.order_by("pk").values_list("pk", flat=True).first()
    if camera_id is None:
        return
    for n in range(3):
        with transaction.atomic():
            record_frame(grant=grant, camera_id=camera_id,
                         officer=officer, agency=grant.agency,
                         now=first + dt.timedelta(seconds=n))  # fmt: skip


def lay_demo_traffic(*, tenant: Tenant, police: User | None, operator: User | None) -> str:
    """Idempotent: a second run adds nothing once the demo grants exist."""
    calls, applicants = load_programme_files(operator)
    if not calls.ok or not applicants.ok:
        return f"programme import refused: {calls.errors + applicants.errors}"
    if not PlatformDeployment.objects.filter(municipality=tenant.municipality).exists():
        record_deployment(
            municipality=tenant.municipality, tenant=tenant, since=timezone.localdate(),
            note="데모 센터(가상의 기록)", actor=operator,
        )  # fmt: skip
    if VideoGrant.objects.filter(tenant=tenant).exists():
        return "demo traffic: already there"
    import_cctv(tenant=tenant, data=CAMERAS.encode(), file_name="demo-cctv.csv", actor=operator)
    fire = _agency(tenant, "demo-119-gyeonggi", "경기도소방재난본부 119종합상황실",
                   OrganisationKind.FIRE)  # fmt: skip
    _agency(tenant, "demo-disaster-goyang", "고양시 재난안전상황실", OrganisationKind.DISASTER_ROOM)
    fire_officer = User.objects.filter(username="fire-goyang").first()
    robbery = _report(tenant, "112", "112UC001", "DEMO-112-2", "37.6584", "126.8320", "강도")
    blaze = _report(tenant, "119", "119UC001", "DEMO-119-2", "37.6762", "126.7490")
    noise = _report(tenant, "112", "112UC001", "DEMO-112-3", "37.6585", "126.8321", "소음")
    police_agency = Agency.objects.filter(kind="police", tenants=tenant).first()
    out = []
    if police_agency is not None and police is not None:
        grant = grant_video(tenant=tenant, incident_id=robbery.pk, agency_id=police_agency.pk,
                            camera_ids=_near(robbery), actor=operator)  # fmt: skip
        _watch(grant, police, 95)
        try:  # a noise complaint is not one of the seven crimes: refused, and logged
            grant_video(tenant=tenant, incident_id=noise.pk, agency_id=police_agency.pk,
                        camera_ids=_near(noise), actor=operator)  # fmt: skip
        except VideoRefused:
            out.append("1 refusal")
    grant = grant_video(tenant=tenant, incident_id=blaze.pk, agency_id=fire.pk,
                        camera_ids=_near(blaze), actor=operator)  # fmt: skip
    if fire_officer is not None:
        certify_officer(agency=fire, officer=fire_officer, note="demo")
        _watch(grant, fire_officer, 140)
    return "demo traffic: " + ", ".join([f"{VideoGrant.objects.filter(tenant=tenant).count()} "
                                         "grants", *out])  # fmt: skip


def _near(incident: Incident) -> list[int]:
    return sorted(offered_camera_ids(incident))[:2]
