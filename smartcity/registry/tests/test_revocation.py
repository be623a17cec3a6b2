"""Revocation by the Ministry (Smart City Act art. 33) and bronze plates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.core.models import AuditEvent
from smartcity.notifications.models import Notification
from smartcity.registry.domain.lifecycle import LifecyclePolicy, extension_window
from smartcity.registry.models import Certificate, Decision, PlateRecord
from smartcity.registry.services import (
    RegistryRefused,
    record_plate,
    revoke_certificate,
)
from smartcity.registry.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_extension_window_opens_at_the_reminder_and_closes_after_the_grace() -> None:
    window = extension_window(
        dt.date(2026, 5, 31), reminder_months=3, policy=LifecyclePolicy(grace_months=6)
    )
    assert window.opens == dt.date(2026, 2, 28) and window.closes == dt.date(2026, 11, 30)
    assert not window.is_open(dt.date(2026, 2, 27)) and window.is_open(dt.date(2026, 2, 28))
    assert window.is_open(dt.date(2026, 11, 30)) and not window.is_open(dt.date(2026, 12, 1))


def test_verify_page_shows_valid_before_and_revoked_after(
    certificate: Certificate, ministry_officer: User, client: Client
) -> None:
    verify = reverse("registry:verify_number", args=[certificate.number])
    assert 'data-status="valid"' in client.get(verify).content.decode()

    response = login(ministry_officer).post(
        reverse("registry:revoke", args=[certificate.number]),
        {
            "ground_kind": "fraud",
            "ground": "증빙자료 위조 확인(감사 결과)",
            "effective_on": "2026-03-02",
            "confirmed": "yes",
        },
    )
    assert response.status_code == 302

    body = client.get(verify).content.decode()
    assert 'data-status="revoked"' in body and "취소됨" in body
    assert "2026-03-02" in body
    assert "거짓이나 부정한 방법으로 인증을 받은 경우(필수 취소)" in body
    assert "증빙자료 위조 확인(감사 결과)" in body
    for page in (reverse("registry:list"), reverse("registry:city", args=["90001"])):
        listing = client.get(page).content.decode()
        assert "취소됨" in listing and "2026-03-02" in listing
        assert "필수 취소" in listing


def test_revocation_is_a_decision_with_its_ground_audited_and_announced_to_the_holder(
    certificate: Certificate, ministry_officer: User, applicant_city_a: User, applicant_city_b
) -> None:  # type: ignore[no-untyped-def]
    decision = revoke_certificate(
        actor=ministry_officer,
        certificate=certificate,
        ground_kind="shortfall",
        ground="통합운영센터 운영 중단으로 인증 기준 미달",
        effective_on=dt.date(2026, 3, 2),
    )
    assert decision.decision == "revocation" and decision.decided_on == dt.date(2026, 3, 2)
    assert decision.ground_kind == "shortfall" and decision.source == "smartcity workflow"
    certificate.refresh_from_db()
    assert certificate.ended_by == "revoked" and certificate.ended_by_decision == decision
    assert certificate.valid_until == dt.date(2026, 3, 1)
    audit = AuditEvent.objects.get(action="registry.certificate_revoked")
    assert audit.data["ground_kind"] == "shortfall"
    notices = Notification.objects.filter(kind="registry.certificate_revoked")
    assert [n.recipient for n in notices] == [applicant_city_a]
    assert certificate.number in notices.get().subject


@pytest.mark.parametrize(
    "persona", ["operator_staff", "applicant_city_a", "committee_member", "platform_operator"]
)
def test_only_the_ministry_may_revoke(
    certificate: Certificate, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    url = reverse("registry:revoke", args=[certificate.number])
    assert login(user).get(url).status_code == 404
    response = login(user).post(url, {"ground_kind": "fraud", "ground": "x"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        revoke_certificate(
            actor=user,
            certificate=certificate,
            ground_kind="fraud",
            ground="x",
            effective_on=dt.date(2026, 3, 2),
        )
    assert not Decision.objects.filter(decision="revocation").exists()
    page = login(user).get(reverse("registry:certificate", args=[certificate.number]))
    assert url not in page.content.decode()


def test_anonymous_is_sent_to_log_in(certificate: Certificate, client: Client) -> None:
    response = client.post(
        reverse("registry:revoke", args=[certificate.number]),
        {"ground_kind": "fraud", "ground": "x"},
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Decision.objects.filter(decision="revocation").exists()


def test_ground_and_its_kind_are_required(certificate: Certificate, ministry_officer: User) -> None:
    url = reverse("registry:revoke", args=[certificate.number])
    data = {"effective_on": "2026-03-02", "confirmed": "yes"}
    response = login(ministry_officer).post(url, {"ground_kind": "fraud", "ground": " ", **data})
    assert response.status_code == 400
    response = login(ministry_officer).post(url, {"ground_kind": "other", "ground": "사유", **data})
    assert response.status_code == 400
    with pytest.raises(RegistryRefused, match="ground_required"):
        revoke_certificate(
            actor=ministry_officer,
            certificate=certificate,
            ground_kind="fraud",
            ground="  ",
            effective_on=dt.date(2026, 3, 2),
        )
    with pytest.raises(RegistryRefused, match="ground_kind_required"):
        revoke_certificate(
            actor=ministry_officer,
            certificate=certificate,
            ground_kind="",
            ground="사유",
            effective_on=dt.date(2026, 3, 2),
        )
    assert not Decision.objects.filter(decision="revocation").exists()


def test_a_revoked_certificate_cannot_be_revoked_again(
    certificate: Certificate, ministry_officer: User
) -> None:
    revoke_certificate(
        actor=ministry_officer,
        certificate=certificate,
        ground_kind="fraud",
        ground="허위",
        effective_on=dt.date(2026, 3, 2),
    )
    certificate.refresh_from_db()
    with pytest.raises(RegistryRefused, match="revocation_already_ended"):
        revoke_certificate(
            actor=ministry_officer,
            certificate=certificate,
            ground_kind="fraud",
            ground="허위",
            effective_on=dt.date(2026, 3, 2),
        )
    page = login(ministry_officer).get(reverse("registry:certificate", args=[certificate.number]))
    assert reverse("registry:revoke", args=[certificate.number]) not in page.content.decode()


def test_oversight_records_the_bronze_plate_on_the_certificate_page(
    certificate: Certificate, operator_staff: User, applicant_city_a: User, client: Client
) -> None:
    url = reverse("registry:certificate", args=[certificate.number])
    data = {
        "plate-made_on": "2025-07-15",
        "plate-inscription": "스마트도시 인증 가람시 2025",
        "plate-delivered_to": "가람시장",
    }
    assert login(applicant_city_a).post(url, data).status_code == 404
    assert "plate-inscription" not in client.get(url).content.decode()
    assert login(operator_staff).post(url, data).status_code == 302
    plate = PlateRecord.objects.get()
    assert plate.made_on == dt.date(2025, 7, 15) and plate.recorded_by == operator_staff
    assert AuditEvent.objects.filter(action="registry.plate_recorded").exists()
    assert "스마트도시 인증 가람시 2025" in client.get(url).content.decode()


def test_a_plate_needs_its_inscription(certificate: Certificate, operator_staff: User) -> None:
    with pytest.raises(RegistryRefused, match="inscription_required"):
        record_plate(
            actor=operator_staff,
            certificate=certificate,
            made_on=dt.date(2025, 7, 1),
            inscription=" ",
        )
    with pytest.raises(PermissionDenied):
        record_plate(
            actor=User(role="company_applicant"),
            certificate=certificate,
            made_on=dt.date(2025, 7, 1),
            inscription="x",
        )
