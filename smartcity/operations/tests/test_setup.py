"""The centre set-up: sending systems and keys, agencies and officers — the
services (audited), the access rules (another centre's administrator and an
ordinary operator get 404) and the pages (confirmations, shown-once keys)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.core.models import AuditEvent
from smartcity.operations.errors import StateConflict
from smartcity.operations.models import Agency, IntakeClient, OfficerCertification
from smartcity.operations.selectors.intake import client_for_key
from smartcity.operations.selectors.setup import agency_officers
from smartcity.operations.services.agency_setup import (
    add_centre_agency,
    add_officer,
    change_officer,
    set_agency_active,
    set_officer_active,
)
from smartcity.operations.services.tenancy import (
    issue_intake_client,
    note_intake_key_used,
    revoke_intake_client,
    rotate_intake_client,
)
from smartcity.operations.tests.factories import report_body

pytestmark = pytest.mark.django_db
PASSWORD = "an-officer-password-2026"


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- services -------------------------------------------------------------------------


def test_rotating_a_key_ends_the_old_one_and_is_audited(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    client, old = issue_intake_client(tenant=tenant_a, name="112", source="112", actor=centre_admin)
    rotated, new = rotate_intake_client(client=client, actor=centre_admin)
    assert client_for_key(old) is None
    assert client_for_key(new) == rotated
    assert rotated.rotated_at is not None and rotated.pk == client.pk
    assert _actions()[-2:] == ["operations.intake_key_issued", "operations.intake_key_rotated"]


def test_a_revoked_key_is_refused_and_cannot_be_rotated(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    client, raw = issue_intake_client(tenant=tenant_a, name="119", source="119")
    revoke_intake_client(client=client, actor=centre_admin)
    revoke_intake_client(client=client, actor=centre_admin)  # twice: one audit row
    client.refresh_from_db()
    assert client_for_key(raw) is None and client.revoked_at is not None
    assert _actions().count("operations.intake_key_revoked") == 1
    with pytest.raises(StateConflict):
        rotate_intake_client(client=client)


def test_key_use_is_stamped_at_most_once_a_minute(tenant_a, clock) -> None:  # type: ignore[no-untyped-def]
    client, _raw = issue_intake_client(tenant=tenant_a, name="WP1", source="WP1")
    note_intake_key_used(client=client)
    first = IntakeClient.objects.get(pk=client.pk).last_used_at
    clock.set(clock.now + dt.timedelta(seconds=30))
    note_intake_key_used(client=IntakeClient.objects.get(pk=client.pk))
    assert IntakeClient.objects.get(pk=client.pk).last_used_at == first
    clock.set(clock.now + dt.timedelta(seconds=31))
    note_intake_key_used(client=IntakeClient.objects.get(pk=client.pk))
    assert IntakeClient.objects.get(pk=client.pk).last_used_at > first  # type: ignore[operator]


@pytest.mark.django_db(transaction=True)  # the group writer's connection must see the key
def test_the_api_stamps_the_keys_last_use(tenant_a) -> None:  # type: ignore[no-untyped-def]
    client, raw = issue_intake_client(tenant=tenant_a, name="112", source="112")
    response = Client().post(
        "/api/operations/incidents", report_body(), content_type="application/json",
        headers={"X-Api-Key": raw, "Idempotency-Key": "k1"},
    )  # fmt: skip
    assert response.status_code in (200, 201, 422)
    assert IntakeClient.objects.get(pk=client.pk).last_used_at is not None


def test_an_officer_is_created_certified_renamed_and_deactivated(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    agency = add_centre_agency(
        tenant=tenant_a, kind="fire", name_ko="가람소방서 119", actor=centre_admin
    )
    until = timezone.localdate() + dt.timedelta(days=10)
    officer = add_officer(
        agency=agency, username="fire1", password=PASSWORD, display_name="소방관",
        certified_until=until, actor=centre_admin,
    )  # fmt: skip
    [row] = agency_officers(agency)
    assert row.state == "expiring" and row.certification is not None
    assert timezone.localtime(row.certification.expires_at).date() == until + dt.timedelta(days=1)
    change_officer(
        agency=agency, officer=officer, display_name="김소방",
        certified_until=until + dt.timedelta(days=200), actor=centre_admin,
    )  # fmt: skip
    [row] = agency_officers(agency)
    assert row.state == "valid" and str(row.officer) == "김소방"
    assert OfficerCertification.objects.filter(officer=officer).count() == 2
    set_officer_active(agency=agency, officer=officer, active=False, actor=centre_admin)
    officer.refresh_from_db()
    assert not officer.is_active and agency_officers(agency)[0].state == "none"
    assert {"accounts.user_created", "operations.officer_certified", "accounts.user_renamed",
            "operations.officer_certification_revoked", "accounts.user_deactivated"} <= set(
        _actions()
    )  # fmt: skip


def test_an_inactive_agency_takes_no_new_officer(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    agency = add_centre_agency(tenant=tenant_a, kind="police", name_ko="가람경찰서 112")
    set_agency_active(agency=agency, active=False, actor=centre_admin)
    assert not Agency.objects.get(pk=agency.pk).is_active
    with pytest.raises(StateConflict):
        add_officer(
            agency=agency, username="p1", password=PASSWORD, display_name="경찰",
            certified_until=timezone.localdate() + dt.timedelta(days=30),
        )  # fmt: skip
    assert "operations.agency_deactivated" in _actions()


def test_an_expired_certification_is_flagged(tenant_a, centre_admin, clock) -> None:  # type: ignore[no-untyped-def]
    agency = add_centre_agency(tenant=tenant_a, kind="police", name_ko="가람경찰서 112")
    add_officer(
        agency=agency, username="p2", password=PASSWORD, display_name="경찰",
        certified_until=timezone.localdate() + dt.timedelta(days=3),
    )  # fmt: skip
    clock.set(clock.now + dt.timedelta(days=5))
    assert agency_officers(agency)[0].state == "expired"


# --- access ---------------------------------------------------------------------------

SETUP_PAGES = ["operations:setup", "operations:setup_keys", "operations:setup_agencies",
               "operations:setup_cameras", "operations:setup_layers"]  # fmt: skip


@pytest.mark.parametrize("page", SETUP_PAGES)
def test_only_the_centre_admin_reaches_the_set_up_pages(  # type: ignore[no-untyped-def]
    page, centre_admin, platform_operator, police_officer, ministry_officer
) -> None:
    url = reverse(page)
    assert _login(centre_admin).get(url).status_code == 200
    for user in (platform_operator, police_officer, ministry_officer):
        assert _login(user).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_another_centres_admin_gets_404_for_every_object(  # type: ignore[no-untyped-def]
    tenant_a, centre_admin, centre_admin_b
) -> None:
    client, _raw = issue_intake_client(tenant=tenant_a, name="112", source="112")
    agency = add_centre_agency(tenant=tenant_a, kind="police", name_ko="가람경찰서 112")
    officer = add_officer(
        agency=agency, username="p3", password=PASSWORD, display_name="경찰",
        certified_until=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    urls = [
        reverse("operations:setup_key_rotate", args=[client.pk]),
        reverse("operations:setup_key_revoke", args=[client.pk]),
        reverse("operations:setup_agency", args=[agency.pk]),
        reverse("operations:setup_agency_active", args=[agency.pk]),
        reverse("operations:setup_officer", args=[agency.pk, officer.pk]),
        reverse("operations:setup_officer_active", args=[agency.pk, officer.pk]),
    ]
    other = _login(centre_admin_b)
    for url in urls:
        assert other.get(url).status_code == 404, url
        assert other.post(url).status_code == 404, url
    assert IntakeClient.objects.get(pk=client.pk).is_active
    assert _login(centre_admin).get(urls[0]).status_code == 200


def test_an_operator_cannot_manage_keys(tenant_a, platform_operator) -> None:  # type: ignore[no-untyped-def]
    client, _raw = issue_intake_client(tenant=tenant_a, name="112", source="112")
    web = _login(platform_operator)
    assert (
        web.post(reverse("operations:setup_keys"), {"name": "x", "source": "112"}).status_code
        == 404
    )
    assert web.post(reverse("operations:setup_key_revoke", args=[client.pk])).status_code == 404
    assert IntakeClient.objects.filter(tenant=tenant_a).count() == 1


def test_the_admin_is_an_operator_of_its_centre_too(centre_admin) -> None:  # type: ignore[no-untyped-def]
    assert _login(centre_admin).get(reverse("operations:board")).status_code == 200


# --- pages ----------------------------------------------------------------------------


def test_a_key_is_shown_once_and_never_again(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    web = _login(centre_admin)
    response = web.post(reverse("operations:setup_keys"), {"name": "대전 112", "source": "112"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    raw = response.context["api_key"]
    assert raw in response.content.decode()
    assert client_for_key(raw) is not None
    listing = web.get(reverse("operations:setup_keys")).content.decode()
    assert raw not in listing and raw.split("_")[1] in listing


def test_revoking_asks_first_then_confirms(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    client, raw = issue_intake_client(tenant=tenant_a, name="112", source="112")
    web = _login(centre_admin)
    url = reverse("operations:setup_key_revoke", args=[client.pk])
    confirm = web.get(url)
    assert confirm.status_code == 200 and "키 폐기 확인" in confirm.content.decode()
    assert client_for_key(raw) is not None
    done = web.post(url, follow=True)
    assert "폐기했습니다" in done.content.decode()
    assert client_for_key(raw) is None


@pytest.mark.parametrize(
    ("name", "message"),
    [("112\x00room", "NUL"), ("a\x07b", "U+0007"), ("x" * 201, "200")],
)
def test_a_bad_name_is_refused_with_the_field(tenant_a, centre_admin, name, message) -> None:  # type: ignore[no-untyped-def]
    response = _login(centre_admin).post(
        reverse("operations:setup_keys"), {"name": name, "source": "112"}
    )
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    assert not IntakeClient.objects.exists()


@pytest.mark.parametrize("day", ["1900-01-01", "9999-12-31", "not-a-date"])
def test_an_extreme_certification_date_is_refused(tenant_a, centre_admin, day) -> None:  # type: ignore[no-untyped-def]
    agency = add_centre_agency(tenant=tenant_a, kind="police", name_ko="가람경찰서 112")
    response = _login(centre_admin).post(
        reverse("operations:setup_agency", args=[agency.pk]),
        {"form": "officer", "username": "p9", "display_name": "경찰", "password": PASSWORD,
         "certified_until": day},
    )  # fmt: skip
    assert response.status_code == 422
    assert "certified_until" in response.context["officer_form"].errors
    assert not User.objects.filter(username="p9").exists()


def test_deactivating_an_officer_asks_first(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    agency = add_centre_agency(tenant=tenant_a, kind="fire", name_ko="가람소방서 119")
    officer = add_officer(
        agency=agency, username="f5", password=PASSWORD, display_name="소방",
        certified_until=timezone.localdate() + dt.timedelta(days=60),
    )  # fmt: skip
    web = _login(centre_admin)
    url = reverse("operations:setup_officer_active", args=[agency.pk, officer.pk])
    assert "사용 중지 확인" in web.get(url).content.decode()
    assert User.objects.get(pk=officer.pk).is_active
    done = web.post(url, follow=True).content.decode()
    assert "사용을 중지하고" in done
    assert not User.objects.get(pk=officer.pk).is_active


def test_the_api_docs_say_how_a_sending_system_gets_a_key() -> None:
    schema = Client().get("/api/openapi.json").json()
    description = schema["info"]["description"]
    assert "(/operations/setup/keys/)" in description and "X-Api-Key" in description
    assert "(/)" in description  # and the way back to the site


def test_an_admin_adds_an_agency_and_an_officer_through_the_pages(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    web = _login(centre_admin)
    created = web.post(
        reverse("operations:setup_agencies"),
        {"kind": "fire", "name_ko": "가람소방서 119 상황실", "name_en": ""},
    )
    agency = Agency.objects.get(name_ko="가람소방서 119 상황실")
    assert created.status_code == 302 and agency.tenants.filter(pk=tenant_a.pk).exists()
    until = timezone.localdate() + dt.timedelta(days=7)
    url = reverse("operations:setup_agency", args=[agency.pk])
    added = web.post(url, {"form": "officer", "username": "fire7", "display_name": "박소방",
                           "password": PASSWORD, "certified_until": until.isoformat()})  # fmt: skip
    assert added.status_code == 302
    page = web.get(url).content.decode()
    assert "박소방" in page and "30일 안에 만료" in page  # the expiry warning
    renamed = web.post(url, {"form": "agency", "name_ko": "가람소방서 종합상황실", "name_en": "x"})
    assert renamed.status_code == 302
    assert Agency.objects.get(pk=agency.pk).name_ko == "가람소방서 종합상황실"
    assert "operations.agency_changed" in _actions()


def test_the_edit_form_shows_the_last_valid_day(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    agency = add_centre_agency(tenant=tenant_a, kind="police", name_ko="가람경찰서 112")
    until = timezone.localdate() + dt.timedelta(days=40)
    officer = add_officer(
        agency=agency, username="p40", password=PASSWORD, display_name="경찰",
        certified_until=until,
    )  # fmt: skip
    response = _login(centre_admin).get(
        reverse("operations:setup_officer", args=[agency.pk, officer.pk])
    )
    assert response.context["form"].initial["certified_until"] == until
