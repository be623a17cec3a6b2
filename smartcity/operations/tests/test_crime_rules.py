"""The crime types police may receive video for are data: seeded with the
seven, changed in the Django admin (audited), read by the grant rules."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.core.models import AuditEvent
from smartcity.operations.errors import VideoRefused
from smartcity.operations.models import VideoCrimeType, VideoCrimeVariant
from smartcity.operations.selectors.crime_rules import crime_type_choices, video_crime_table
from smartcity.operations.services.video.grants import grant_video
from smartcity.operations.tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_the_seven_types_with_their_ground_and_statutes() -> None:
    codes = list(VideoCrimeType.objects.values_list("code", flat=True))
    assert codes == ["murder", "robbery", "snatching", "theft", "kidnapping",
                     "sexual_violence", "domestic_violence"]  # fmt: skip
    assert set(VideoCrimeType.objects.values_list("legal_ground", flat=True)) == {"pipa_18_2_crime"}
    assert VideoCrimeVariant.objects.get(name="특수강도").law == "형법 제334조"
    found = video_crime_table().match("강도 미수")
    assert found is not None and (found.crime_type, found.ground) == ("robbery", "pipa_18_2_crime")
    assert [name for _code, name in crime_type_choices()][:2] == ["살인", "강도"]


def _grant(scene, agency, actor, case_type):  # type: ignore[no-untyped-def]
    incident = IncidentFactory(tenant=scene["incident"].tenant, case_type=case_type)
    return grant_video(
        tenant=incident.tenant, incident_id=incident.pk, agency_id=agency.pk,
        camera_ids=[c.pk for c in scene["cameras"]], actor=actor,
    )  # fmt: skip


def test_a_type_switched_off_gets_no_video_and_a_new_type_does_without_a_release(  # type: ignore[no-untyped-def]
    scene, police_agency, platform_operator
) -> None:
    VideoCrimeType.objects.filter(code="theft").update(is_active=False)
    with pytest.raises(VideoRefused) as refused:
        _grant(scene, police_agency, platform_operator, "절도")
    assert refused.value.code == "not_video_crime"
    stalking = VideoCrimeType.objects.create(
        code="stalking", name_ko="스토킹", legal_basis="스토킹범죄의 처벌 등에 관한 법률"
    )
    VideoCrimeVariant.objects.create(
        crime_type=stalking, name="스토킹범죄", law="스토킹처벌법 제18조"
    )
    grant = _grant(scene, police_agency, platform_operator, "스토킹 범죄")
    assert grant.legal_ground == "pipa_18_2_crime"
    timeline = grant.incident.timeline.filter(action="video_granted").get()
    assert (
        timeline.data["crime_type"] == "stalking" and timeline.data["law"] == "스토킹처벌법 제18조"
    )


def test_the_refusal_names_the_types_in_force(scene, police_agency, platform_operator) -> None:  # type: ignore[no-untyped-def]
    from smartcity.operations.messages import video_refusal_message

    VideoCrimeType.objects.filter(code="theft").update(is_active=False)
    message = video_refusal_message("not_video_crime")
    assert "강도" in message and "절도" not in message


def test_an_administrator_edits_a_type_in_the_django_admin_and_the_change_is_audited(  # type: ignore[no-untyped-def]
    django_user_model,
) -> None:
    admin = django_user_model.objects.create_superuser("rules_admin", "a@example.org", "x-x-x-x")
    client = Client()
    client.force_login(admin)
    robbery = VideoCrimeType.objects.get(code="robbery")
    url = reverse("admin:operations_videocrimetype_change", args=[robbery.pk])
    assert client.get(url).status_code == 200
    variants = list(robbery.variants.order_by("id"))
    form = {
        "code": "robbery", "name_ko": "강도", "name_en": "Robbery",
        "legal_ground": "pipa_18_2_crime", "legal_basis": "개정 협약(2027)", "position": "2",
        "is_active": "on",
        "variants-TOTAL_FORMS": str(len(variants) + 1),
        "variants-INITIAL_FORMS": str(len(variants)), "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, v in enumerate(variants):
        form.update({f"variants-{i}-id": str(v.pk), f"variants-{i}-crime_type": str(robbery.pk),
                     f"variants-{i}-name": v.name, f"variants-{i}-law": v.law})  # fmt: skip
    n = len(variants)
    form.update({f"variants-{n}-crime_type": str(robbery.pk), f"variants-{n}-name": "살인",
                 f"variants-{n}-law": "형법"})  # fmt: skip
    clash = client.post(url, form)  # "살인" already names murder: refused
    assert (
        clash.status_code == 200
        and "이미 다른 범죄 유형(살인)에 있습니다" in clash.content.decode()
    )
    form.update({f"variants-{n}-name": "편의점강도", f"variants-{n}-law": "형법 제333조"})
    assert client.post(url, form).status_code == 302
    assert video_crime_table().match("편의점 강도") is not None
    event = AuditEvent.objects.filter(action="operations.crime_type_changed").get()
    assert event.data["legal_basis"] == "개정 협약(2027)"
    assert ["편의점강도", "형법 제333조"] in event.data["variants"]
