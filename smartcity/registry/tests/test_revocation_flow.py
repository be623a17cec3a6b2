"""Revocation asks for its ground, an effective date and a confirmation; a
certificate that no longer holds says so on its verification page and its
PDF; an extended certificate links to the one that continues it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.core.models import AuditEvent
from smartcity.registry.models import Certificate, Decision
from smartcity.registry.services import RegistryRefused, import_decisions, revoke_certificate
from smartcity.registry.tests.conftest import csv_bytes, login

pytestmark = pytest.mark.django_db

KST = dt.timezone(dt.timedelta(hours=9))
GROUND = "증빙자료 위조 확인(감사 결과)"


def form(**extra: str) -> dict[str, str]:
    return {"ground_kind": "fraud", "ground": GROUND, "effective_on": "2026-03-02", **extra}


def test_the_form_asks_for_ground_reason_and_an_effective_date_defaulting_to_today(
    certificate: Certificate, ministry_officer: User
) -> None:
    body = (
        login(ministry_officer)
        .get(reverse("registry:revoke", args=[certificate.number]))
        .content.decode()
    )
    assert 'name="ground_kind"' in body and 'name="ground"' in body
    assert 'name="effective_on"' in body and 'value="2026-03-02"' in body


def test_sending_the_form_shows_what_will_happen_and_writes_nothing(
    certificate: Certificate, ministry_officer: User
) -> None:
    url = reverse("registry:revoke", args=[certificate.number])
    response = login(ministry_officer).post(url, form())
    assert response.status_code == 200
    body = response.content.decode()
    assert "인증 취소 확인" in body and "2026-03-02부로 취소됩니다" in body
    assert "인증 취소 확정" in body and 'name="confirmed" value="yes"' in body
    assert "신청 담당자 1명에게 알림" in body  # the persona of city A
    assert GROUND in body and "필수 취소" in body
    assert not Decision.objects.filter(decision="revocation").exists()
    assert not AuditEvent.objects.filter(action="registry.certificate_revoked").exists()


def test_edit_goes_back_to_the_form_with_what_was_typed(
    certificate: Certificate, ministry_officer: User
) -> None:
    url = reverse("registry:revoke", args=[certificate.number])
    response = login(ministry_officer).post(url, form(confirmed="yes", edit="1"))
    body = response.content.decode()
    assert response.status_code == 200 and "다음: 취소 내용 확인" in body and GROUND in body
    assert not Decision.objects.filter(decision="revocation").exists()


def test_confirming_revokes_says_so_and_is_audited(
    certificate: Certificate, ministry_officer: User
) -> None:
    url = reverse("registry:revoke", args=[certificate.number])
    client = login(ministry_officer)
    response = client.post(url, form(confirmed="yes"), follow=True)
    body = response.content.decode()
    assert "인증서 2025-C-0001의 인증을 2026-03-02부로 취소했습니다" in body
    assert 'id="standing"' in body and "부로 취소되었습니다" in body
    decision = Decision.objects.get(decision="revocation")
    assert decision.decided_on == dt.date(2026, 3, 2) and decision.ground == GROUND
    audit = AuditEvent.objects.get(action="registry.certificate_revoked")
    assert audit.actor_id == ministry_officer.pk
    assert audit.data["effective_on"] == "2026-03-02" and audit.data["ground_kind"] == "fraud"


@pytest.mark.parametrize(
    ("effective_on", "message"),
    [
        ("2026-03-01", "소급할 수 없습니다"),
        ("2027-06-01", "유효기간 종료일(2027-05-31) 뒤입니다"),
        ("", "필수 항목입니다"),
    ],
)
def test_an_effective_date_in_the_past_or_after_expiry_is_refused_on_the_form(
    certificate: Certificate, ministry_officer: User, effective_on: str, message: str
) -> None:
    url = reverse("registry:revoke", args=[certificate.number])
    for confirmed in ("", "yes"):
        response = login(ministry_officer).post(
            url, form(effective_on=effective_on, confirmed=confirmed)
        )
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Decision.objects.filter(decision="revocation").exists()


def test_the_service_refuses_a_date_in_the_past(
    certificate: Certificate, ministry_officer: User
) -> None:
    with pytest.raises(RegistryRefused, match="revocation_in_the_past"):
        revoke_certificate(
            actor=ministry_officer,
            certificate=certificate,
            ground_kind="fraud",
            ground=GROUND,
            effective_on=dt.date(2026, 3, 1),
        )


def test_a_revocation_dated_later_is_announced_then_takes_effect(
    certificate: Certificate, ministry_officer: User, client: Client, clock
) -> None:  # type: ignore[no-untyped-def]
    revoke_certificate(
        actor=ministry_officer,
        certificate=certificate,
        ground_kind="shortfall",
        ground="통합운영센터 운영 중단",
        effective_on=dt.date(2026, 4, 1),
    )
    certificate.refresh_from_db()
    assert certificate.valid_until == dt.date(2026, 3, 31)
    verify = reverse("registry:verify_number", args=[certificate.number])
    body = client.get(verify).content.decode()
    assert 'data-status="valid"' in body and "2026-04-01부로 취소됩니다(취소 예정)" in body
    # No second revocation of a certificate whose end is already set.
    page = login(ministry_officer).get(reverse("registry:certificate", args=[certificate.number]))
    assert reverse("registry:revoke", args=[certificate.number]) not in page.content.decode()
    with pytest.raises(RegistryRefused, match="revocation_already_ended"):
        revoke_certificate(
            actor=ministry_officer,
            certificate=certificate,
            ground_kind="fraud",
            ground="x",
            effective_on=dt.date(2026, 3, 10),
        )

    clock.set(dt.datetime(2026, 4, 1, 9, 0, tzinfo=KST))
    body = client.get(verify).content.decode()
    assert 'data-status="revoked"' in body and 'role="alert" id="standing"' in body
    assert "2026-04-01부로 취소되었습니다" in body and "통합운영센터 운영 중단" in body
    assert "인증 표시를 사용할 수 없습니다" in body


def test_a_lapsed_certificate_has_a_banner_and_no_valid_looking_download(
    certificate: Certificate, client: Client, clock
) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.datetime(2027, 6, 1, 10, 0, tzinfo=KST))
    body = client.get(reverse("registry:verify_number", args=[certificate.number])).content.decode()
    assert 'data-status="expired"' in body
    assert "2027-05-31에 유효기간이 끝났고 연장되지 않았습니다" in body
    assert "인증서 PDF 내려받기" not in body and "효력 없음 표시가 된 인증서 사본(PDF)" in body
    response = client.get(reverse("certificates:pdf", args=[certificate.number]))
    assert 'filename="certificate-2025-C-0001-expired.pdf"' in response["Content-Disposition"]


def test_an_extended_certificate_links_to_the_one_that_continues_it_and_back(
    municipal_register, client: Client, clock
) -> None:  # type: ignore[no-untyped-def]
    assert import_decisions(
        data=csv_bytes(
            "city,김해시,48250,large,new,2022-09-29,,,,2024 press release (000)",
            "city,김해시,48250,large,extension,2024-11-25,,,,2024 press release (000)",
        ),
        file_name="d.csv",
    ).ok
    clock.set(dt.datetime(2025, 6, 1, 10, 0, tzinfo=KST))
    old = Certificate.objects.get(granted_by="new")
    new = Certificate.objects.get(granted_by="extension")
    old_page = client.get(reverse("registry:verify_number", args=[old.number])).content.decode()
    new_url = reverse("registry:verify_number", args=[new.number])
    assert 'data-status="extended"' in old_page
    assert f'id="successor" href="{new_url}"' in old_page
    assert f'<a href="{new_url}">인증서 {new.number}</a>로 이어집니다' in old_page
    new_page = client.get(new_url).content.decode()
    old_url = reverse("registry:verify_number", args=[old.number])
    assert 'data-status="valid"' in new_page and f'id="predecessor" href="{old_url}"' in new_page
    assert "이 인증서로 연장됨" in new_page and 'id="standing"' not in new_page


# --- the PDF ------------------------------------------------------------------


@pytest.fixture
def pdftotext() -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext missing: scripts/bootstrap installs poppler-utils")
    return tool


def pdf_text(client: Client, number: str, tmp_path: Path, tool: str, lang: str = "ko") -> str:
    response = client.get(reverse("certificates:pdf", args=[number]), {"lang": lang})
    assert response.status_code == 200
    path = tmp_path / f"{number}-{lang}.pdf"
    path.write_bytes(response.content)
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Pages:           1" in pages, "the certificate stays on one page"
    # -raw: in content order, so the diagonal stamp is read too (one glyph a line).
    return subprocess.run([tool, "-raw", str(path), "-"], capture_output=True, text=True).stdout


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_revoked_certificate_pdf_is_stamped_revoked_in_korean_and_english(
    certificate: Certificate,
    ministry_officer: User,
    client: Client,
    tmp_path: Path,
    pdftotext: str,
    lang: str,
) -> None:
    valid = pdf_text(client, certificate.number, tmp_path, pdftotext, lang)
    assert "REVOKED" not in valid and "인증취소" not in squeezed(valid)
    revoke_certificate(
        actor=ministry_officer,
        certificate=certificate,
        ground_kind="fraud",
        ground=GROUND,
        effective_on=dt.date(2026, 3, 2),
    )
    text = pdf_text(client, certificate.number, tmp_path, pdftotext, lang)
    assert "인증취소" in squeezed(text)  # the stamp, in Korean
    assert text.count("REVOKED") == 2  # the stamp and the banner, in English
    assert "2026. 3. 2.부로 취소되어 효력이 없습니다" in text
    assert "revoked with effect from 2026-03-02" in text
    assert "거짓이나 부정한 방법" in text and "obtained by fraud" in text
    response = client.get(reverse("certificates:pdf", args=[certificate.number]), {"lang": lang})
    suffix = "-revoked-en" if lang == "en" else "-revoked"
    assert f"2025-C-0001{suffix}.pdf" in response["Content-Disposition"]


def test_a_lapsed_certificate_pdf_is_stamped_expired(
    certificate: Certificate, client: Client, tmp_path: Path, pdftotext: str, clock
) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.datetime(2027, 6, 1, 10, 0, tzinfo=KST))
    text = pdf_text(client, certificate.number, tmp_path, pdftotext)
    assert "효력상실" in squeezed(text) and text.count("EXPIRED") == 2
    assert "2027. 5. 31.에 유효기간이 끝나 효력이 없습니다" in text
