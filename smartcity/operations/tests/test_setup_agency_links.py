"""A centre stops an agency for itself alone: 가람경찰서's 112 room linked to
가람시's and 나래시's centres; 가람시's administrator stops it; 가람시 can
no longer grant it video, 나래시 still can, the agency and its officers are
untouched, and the confirmation said so, naming 나래시's centre."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.core.models import AuditEvent
from smartcity.operations.errors import VideoRefused
from smartcity.operations.models import Agency, AgencyLink
from smartcity.operations.selectors.linkage import linked_agencies
from smartcity.operations.services.agencies import link_agency
from smartcity.operations.services.agency_setup import set_agency_link_active
from smartcity.operations.services.video.grants import grant_video
from smartcity.operations.tests.factories import CameraFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def _login(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shared(police_agency, tenant_b):  # type: ignore[no-untyped-def]
    """가람경찰서's 112 room, linked to 나래시's centre too."""
    link_agency(agency=police_agency, tenant=tenant_b)
    return police_agency


def _grant(tenant, agency, operator):  # type: ignore[no-untyped-def]
    incident = IncidentFactory(tenant=tenant, case_type="강도")
    camera = CameraFactory(tenant=tenant, latitude=incident.latitude, longitude=incident.longitude)
    return grant_video(
        tenant=tenant, incident_id=incident.pk, agency_id=agency.pk, camera_ids=[camera.pk],
        actor=operator,
    )  # fmt: skip


def test_a_stopped_link_stops_this_centre_only(  # type: ignore[no-untyped-def]
    shared, tenant_a, tenant_b, centre_admin, platform_operator
) -> None:
    link = AgencyLink.objects.select_related("agency", "tenant").get(agency=shared, tenant=tenant_a)
    assert set_agency_link_active(link=link, active=False, actor=centre_admin)
    assert not set_agency_link_active(link=link, active=False, actor=centre_admin)  # once
    assert shared not in linked_agencies(tenant_a)
    assert shared in linked_agencies(tenant_b)
    assert Agency.objects.get(pk=shared.pk).is_active  # the agency itself runs on
    with pytest.raises(VideoRefused) as refused:
        _grant(tenant_a, shared, platform_operator)
    assert refused.value.code == "agency_not_linked"
    assert _grant(tenant_b, shared, None).agency_id == shared.pk  # 나래시 still grants it
    stopped = AuditEvent.objects.get(action="operations.agency_link_stopped")
    assert stopped.data == {"code": shared.code, "tenant": tenant_a.code}

    assert set_agency_link_active(link=link, active=True, actor=centre_admin)
    assert shared in linked_agencies(tenant_a)
    assert _grant(tenant_a, shared, platform_operator).agency_id == shared.pk
    assert AuditEvent.objects.filter(action="operations.agency_link_restarted").count() == 1


def test_the_confirmation_names_the_centres_that_keep_the_agency(  # type: ignore[no-untyped-def]
    shared, tenant_a, tenant_b, centre_admin, centre_admin_b
) -> None:
    web = _login(centre_admin)
    url = reverse("operations:setup_agency_active", args=[shared.pk])
    asked = web.get(url).content.decode()
    assert "이 센터의 영상 제공 중지 확인" in asked
    assert "다른 센터 1곳은 영향을 받지 않습니다" in asked and tenant_b.name_ko in asked
    assert AgencyLink.objects.get(agency=shared, tenant=tenant_a).stopped_at is None  # GET: nothing

    done = web.post(url, follow=True).content.decode()
    assert "다른 센터의 연계는 그대로입니다" in done and 'id="link-stopped"' in done
    assert AgencyLink.objects.get(agency=shared, tenant=tenant_a).stopped_by == centre_admin
    listing = web.get(reverse("operations:setup_agencies")).content.decode()
    assert "이 센터에서 중지" in listing
    # 나래시's administrator still sees the agency running, with no notice.
    other = _login(centre_admin_b)
    assert (
        "이 센터에서 중지" not in other.get(reverse("operations:setup_agencies")).content.decode()
    )
    page = other.get(reverse("operations:setup_agency", args=[shared.pk])).content.decode()
    assert 'id="link-stopped"' not in page and "이 센터의 영상 제공 중지" in page

    again = web.get(url).content.decode()
    assert "다시 시작 확인" in again
    web.post(url)
    assert AgencyLink.objects.get(agency=shared, tenant=tenant_a).stopped_at is None


def test_an_agency_of_one_centre_says_no_other_centre_is_affected(  # type: ignore[no-untyped-def]
    police_agency, centre_admin
) -> None:
    url = reverse("operations:setup_agency_active", args=[police_agency.pk])
    assert "연계된 다른 센터는 없습니다" in _login(centre_admin).get(url).content.decode()


def test_registering_a_stopped_agency_again_runs_its_link_again(  # type: ignore[no-untyped-def]
    shared, tenant_a, centre_admin
) -> None:
    link = AgencyLink.objects.select_related("agency", "tenant").get(agency=shared, tenant=tenant_a)
    set_agency_link_active(link=link, active=False, actor=centre_admin)
    _login(centre_admin).post(
        reverse("operations:setup_agencies"),
        {"kind": "police", "name_ko": shared.organisation.name_ko, "name_en": ""},
    )
    assert AgencyLink.objects.get(pk=link.pk).stopped_at is None


def test_break_glass_reaches_no_incident_of_a_centre_that_stopped_the_agency(  # type: ignore[no-untyped-def]
    shared, tenant_a, centre_admin, police_officer
) -> None:
    from smartcity.operations.services.video.break_glass import break_glass_grant

    incident = IncidentFactory(tenant=tenant_a, case_type="강도")
    CameraFactory(tenant=tenant_a, latitude=incident.latitude, longitude=incident.longitude)
    link = AgencyLink.objects.select_related("agency", "tenant").get(agency=shared, tenant=tenant_a)
    set_agency_link_active(link=link, active=False, actor=centre_admin)
    ask = {
        "officer": police_officer,
        "sender": incident.sender,
        "external_id": incident.external_id,
        "justification": "센터 응답 없음, 용의자 도주",
    }
    with pytest.raises(VideoRefused) as refused:
        break_glass_grant(**ask)
    assert refused.value.code == "not_found"
    set_agency_link_active(link=link, active=True, actor=centre_admin)
    assert break_glass_grant(**ask).incident == incident
