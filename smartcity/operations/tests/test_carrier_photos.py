"""A vulnerable person's photo: sent by the carrier, shown to the centre and
the agencies the case was sent to for the life of the case, refused to
anyone else, and deleted — the file itself — when the case is purged."""

from __future__ import annotations

import base64
import datetime as dt
import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from smartcity.operations.models import CarrierCase
from smartcity.operations.services.carrier_photos import photo_directory, photo_path
from smartcity.operations.services.situations import purge_carrier_data
from smartcity.operations.tests.test_api_carrier import carrier_body, carrier_key, post  # noqa: F401
from smartcity.operations.tests.test_situations import (  # noqa: F401 - fixtures
    T0,
    _close,
    _report,
    wandering,
)

pytestmark = pytest.mark.django_db


def png(colour: str = "navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _private_data_dir(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def test_the_centre_and_the_alerted_agencies_see_the_photo_until_the_purge_deletes_it(  # type: ignore[no-untyped-def]
    wandering, platform_operator, police_officer, fire_officer, disaster_officer,  # noqa: F811
    police_officer_b, operator_b, clock, settings, django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    settings.OPERATIONS_CARRIER_RETENTION_HOURS = 72
    picture = png()
    case = _report(wandering, photo=picture)
    stored = photo_path(case.photo_file)
    assert stored is not None and stored.read_bytes() == picture
    assert stored.stat().st_mode & 0o077 == 0  # private to the product
    url = reverse("operations:carrier_photo", args=[wandering["incident"].pk])

    # The centre and the two alerted agencies (112, 119) see it; nobody else does.
    for user in (platform_operator, police_officer, fire_officer):
        response = signed_in(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == picture
        assert "no-store" in response["Cache-Control"]
    for outsider in (disaster_officer, police_officer_b, operator_b):
        assert signed_in(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page
    console = signed_in(police_officer).get(reverse("operations:agency")).content.decode()
    assert url in console

    # A new photo replaces the old one, whose file goes once the change commits.
    with django_capture_on_commit_callbacks(execute=True):
        case = _report(wandering, photo=png("maroon"))
    assert not stored.exists()
    stored = photo_path(case.photo_file)
    assert stored is not None and stored.exists()

    # Closed, and the retention ran out: the purge deletes the file itself.
    clock.set(T0 + dt.timedelta(hours=1))
    _close(wandering["incident"], platform_operator)
    clock.set(T0 + dt.timedelta(hours=73))
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_carrier_data() == 1
    case.refresh_from_db()
    assert case.photo_file == "" and case.purged_at is not None
    assert not stored.exists() and list(photo_directory().iterdir()) == []
    for user in (platform_operator, police_officer):
        assert signed_in(user).get(url).status_code == 404


def test_the_carrier_sends_the_photo_in_base64_and_bad_photos_are_refused_by_field(  # type: ignore[no-untyped-def]
    client, carrier_key, police_agency, fire_agency,  # noqa: F811
) -> None:  # fmt: skip
    sent = post(
        client, carrier_body(photo=base64.b64encode(png()).decode()), key=carrier_key, idem="p-1"
    )
    assert sent.status_code == 201, sent.content
    case = CarrierCase.objects.get(incident_id=sent.json()["id"])
    stored = photo_path(case.photo_file)
    assert stored is not None and stored.read_bytes() == png()

    for n, (photo, wording) in enumerate(
        [
            ("not base64 at all!", "JPEG 또는 PNG"),
            (base64.b64encode(b"GIF89a not a picture").decode(), "JPEG 또는 PNG"),
            (base64.b64encode(b"\x00" * 100).decode(), "JPEG 또는 PNG"),
        ]
    ):
        refused = post(
            client, carrier_body(external_id=f"WP-BAD-{n}", photo=photo), key=carrier_key,
            idem=f"bad-{n}",
        )  # fmt: skip
        assert refused.status_code == 422, refused.content
        (problem,) = refused.json()["detail"]
        assert problem["loc"][-1] == "photo" and wording in problem["msg"]
    assert len(list(photo_directory().iterdir())) == 1  # nothing stored for a refusal


def test_a_name_the_product_never_made_is_no_photo() -> None:
    for name in ("../../etc/passwd", "x.png", "0" * 32 + ".gif", "", "0" * 32):
        assert photo_path(name) is None
    assert photo_path("a" * 32 + ".png") is not None


def test_every_photo_view_and_every_refusal_is_on_the_audit_log_in_words(  # type: ignore[no-untyped-def]
    wandering, platform_operator, police_officer, disaster_officer, police_officer_b,  # noqa: F811
    ministry_officer, clock, settings, django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    from smartcity.core.models import AuditEvent

    case = _report(wandering, photo=png())
    incident = wandering["incident"]
    url = reverse("operations:carrier_photo", args=[incident.pk])
    viewed = AuditEvent.objects.filter(action="operations.carrier_photo_viewed")
    refused = AuditEvent.objects.filter(action="operations.carrier_photo_refused")

    # Each view by an authorised user is a row: who, which case, when.
    officer = signed_in(police_officer)
    for _ in range(2):
        assert officer.get(url).status_code == 200
    assert signed_in(platform_operator).get(url).status_code == 200
    assert [(e.actor_id, e.object_type, e.object_id, e.data) for e in viewed.order_by("pk")] == [
        (police_officer.pk, "operations.incident", str(incident.pk), {"case": case.pk}),
        (police_officer.pk, "operations.incident", str(incident.pk), {"case": case.pk}),
        (platform_operator.pk, "operations.incident", str(incident.pk), {"case": case.pk}),
    ]
    assert all(e.occurred_at is not None for e in viewed)
    assert not refused.exists()

    # An agency the case was not sent to, another centre's officer: refused
    # (the same 404 as no photo at all) and logged with why.
    for outsider in (disaster_officer, police_officer_b):
        assert signed_in(outsider).get(url).status_code == 404
    missing = reverse("operations:carrier_photo", args=[incident.pk + 999])
    assert officer.get(missing).status_code == 404
    for hostile in (10**30, 10**200):  # beyond any database id, longer than an object id
        assert officer.get(reverse("operations:carrier_photo", args=[hostile])).status_code == 404
    rows = [(e.actor_id, e.object_id, e.data) for e in refused.order_by("pk")]
    assert rows == [
        (disaster_officer.pk, str(incident.pk), {"case": case.pk, "reason": "not_allowed"}),
        (police_officer_b.pk, str(incident.pk), {"case": case.pk, "reason": "not_allowed"}),
        (police_officer.pk, str(incident.pk + 999), {"case": None, "reason": "no_photo"}),
        (police_officer.pk, "", {"case": None, "reason": "no_photo", "requested": str(10**30)}),
        (police_officer.pk, "", {"case": None, "reason": "no_photo",
                                 "requested": str(10**200)[:40]}),
    ]  # fmt: skip
    assert viewed.count() == 3  # a refusal is no view

    # The audit page says what happened, in words, linked to the incident.
    audit = signed_in(ministry_officer)
    page = audit.get(reverse("core:audit_log")).content.decode()
    page = page.partition('data-testid="audit-table"')[2]  # the rows, not the filter's choices
    assert page.count("취약계층 당사자 사진 열람 거부") == 5
    assert page.count("취약계층 당사자 사진 열람<") == 3
    assert "<code>operations.carrier_photo" not in page
    assert f'href="{reverse("operations:incident", args=[incident.pk])}"' in page
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(ministry_officer)
    page = english.get(reverse("core:audit_log")).content.decode().partition("audit-table")[2]
    assert "Vulnerable person&#x27;s photo viewed" in page
    assert "Vulnerable person&#x27;s photo view refused" in page

    # Once purged, the centre's own operator is refused too, and that is logged.
    clock.set(T0 + dt.timedelta(hours=1))
    _close(incident, platform_operator)
    clock.set(T0 + dt.timedelta(hours=settings.OPERATIONS_CARRIER_RETENTION_HOURS + 2))
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_carrier_data() == 1
    assert signed_in(platform_operator).get(url).status_code == 404
    last = refused.order_by("-pk").first()
    assert last is not None and last.actor_id == platform_operator.pk
    assert last.data == {"case": None, "reason": "no_photo"}
