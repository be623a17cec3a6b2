"""The platform's irreversible actions ask for confirmation first and say
what they did after (issue 13): stopping a video grant, handing an incident
over to another centre, closing an incident
(``testing.confirm.walk_confirmation``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.operations.models import Incident, VideoGrant
from smartcity.operations.tests.factories import IncidentFactory
from smartcity.testing.confirm import Irreversible, walk_confirmation

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_stopping_a_video_grant_is_confirmed_then_said(granted, platform_operator) -> None:  # type: ignore[no-untyped-def]
    page = walk_confirmation(
        Irreversible(
            "grant_revoke",
            signed_in(platform_operator),
            reverse("operations:grant_revoke", args=[granted.pk]),
            {"reason": "수사 종료"},
            lambda: VideoGrant.objects.get(pk=granted.pk).revoked_at is not None,
            "영상 제공을 중단했습니다",
        )
    )
    assert granted.agency.name_ko in page


def test_handing_an_incident_over_is_confirmed_then_said(  # type: ignore[no-untyped-def]
    platform_operator, tenant_a, tenant_b
) -> None:
    incident = IncidentFactory(tenant=tenant_a)
    walk_confirmation(
        Irreversible(
            "handover",
            signed_in(platform_operator),
            reverse("operations:incident_handover", args=[incident.pk]),
            {"to_tenant": str(tenant_b.pk), "reason": "관할 밖"},
            lambda: Incident.objects.get(pk=incident.pk).tenant_id == tenant_b.pk,
            f"상황 #{incident.pk}을(를)",
        )
    )


def test_closing_an_incident_is_confirmed_then_said(platform_operator, tenant_a) -> None:  # type: ignore[no-untyped-def]
    incident = IncidentFactory(tenant=tenant_a)
    page = walk_confirmation(
        Irreversible(
            "incident_close",
            signed_in(platform_operator),
            reverse("operations:incident_status", args=[incident.pk]),
            {"status": "91", "note": "현장 조치 완료"},
            lambda: Incident.objects.get(pk=incident.pk).status_id == "91",
            f"상황 #{incident.pk}을(를) 종료 처리했습니다",
        )
    )
    assert "영상 제공도 함께 끝났습니다" in page


def test_a_status_that_does_not_close_is_changed_without_a_confirmation(  # type: ignore[no-untyped-def]
    platform_operator, tenant_a
) -> None:
    incident = IncidentFactory(tenant=tenant_a)
    done = signed_in(platform_operator).post(
        reverse("operations:incident_status", args=[incident.pk]), {"status": "50"}, follow=True
    )
    assert "진행 상태를 바꾸었습니다" in done.content.decode()
    assert Incident.objects.get(pk=incident.pk).status_id == "50"
