"""Video grants, sessions, stream tokens, the sweep and the access log, through
the services (the only write path) on the frozen server clock."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from smartcity.core.models import AuditEvent
from smartcity.operations.domain.video_rules import EscapeRoute
from smartcity.operations.errors import VideoRefused
from smartcity.operations.models import (
    IncidentEvent,
    VideoAccessEntry,
    VideoAccessHead,
    VideoGrant,
    ViewingSession,
)
from smartcity.operations.selectors.linkage import (
    certified_until,
    officer_agency,
    verify_access_log,
)
from smartcity.operations.services.agencies import certify_officer, revoke_certification
from smartcity.operations.services.video.break_glass import break_glass_grant
from smartcity.operations.services.video.expiry import expire_grants
from smartcity.operations.services.video.grants import extend_grant, grant_video, revoke_grant
from smartcity.operations.services.video.streams import open_stream, request_stream
from smartcity.operations.services.video_log import append_access_entry, prune_access_log
from smartcity.operations.tests.factories import CameraFactory, IncidentFactory

pytestmark = pytest.mark.django_db

REASON = "센터 운영자 응답 없음, 용의자 도주 중"


def _watch(officer, grant, camera) -> None:  # type: ignore[no-untyped-def]
    """One frame of one camera, as the console asks for it (token, then open)."""
    ticket = request_stream(officer=officer, grant_id=grant.pk, camera_id=camera.pk)
    open_stream(token=ticket.token, viewer=officer)


def test_officers_map_to_their_agency_and_certification_has_a_period(  # type: ignore[no-untyped-def]
    clock, police_agency, police_officer, platform_operator, fire_officer
) -> None:
    assert officer_agency(police_officer) == police_agency
    assert officer_agency(platform_operator) is None
    assert officer_agency(fire_officer) is None  # no agency registered for that room
    until = certified_until(police_officer, police_agency)
    assert until == clock.now + dt.timedelta(days=365)
    clock.set(until)
    assert certified_until(police_officer, police_agency) is None


def test_a_grant_to_the_police_for_a_robbery_opens_a_twenty_minute_session(  # type: ignore[no-untyped-def]
    clock, granted, scene, platform_operator
) -> None:
    assert granted.legal_ground == "pipa_18_2_crime"
    assert granted.expires_at == clock.now + dt.timedelta(minutes=20)
    assert set(granted.cameras.values_list("pk", flat=True)) == {c.pk for c in scene["cameras"]}
    event = IncidentEvent.objects.get(incident=scene["incident"], action="video_granted")
    assert event.actor == platform_operator and event.data["cameras"] == 3
    assert AuditEvent.objects.filter(action="operations.video_granted").count() == 1


@pytest.mark.parametrize("case_type", ["사기", "교통사고", ""])
def test_no_grant_to_the_police_for_a_type_outside_the_seven(  # type: ignore[no-untyped-def]
    case_type, scene, police_agency, platform_operator
) -> None:
    incident = IncidentFactory(tenant=scene["incident"].tenant, case_type=case_type)
    with pytest.raises(VideoRefused) as refused:
        grant_video(
            tenant=incident.tenant, incident_id=incident.pk, agency_id=police_agency.pk,
            camera_ids=[c.pk for c in scene["cameras"]], actor=platform_operator,
        )  # fmt: skip
    assert refused.value.code == "not_video_crime"
    assert not VideoGrant.objects.exists()


@pytest.mark.parametrize(
    ("case_type", "crime_type", "law"),
    [
        ("특수강도", "robbery", "형법 제334조"),
        ("강도미수", "robbery", "형법 제342조, 제333조"),
        ("강제추행", "sexual_violence", "형법 제298조"),
    ],
)
def test_the_police_get_video_for_the_variants_112_sends_with_the_statute_on_record(  # type: ignore[no-untyped-def]
    case_type, crime_type, law, scene, police_agency, platform_operator
) -> None:
    incident = IncidentFactory(tenant=scene["incident"].tenant, case_type=case_type)
    grant = grant_video(
        tenant=incident.tenant, incident_id=incident.pk, agency_id=police_agency.pk,
        camera_ids=[c.pk for c in scene["cameras"]], actor=platform_operator,
    )  # fmt: skip
    assert grant.legal_ground == "pipa_18_2_crime"
    event = IncidentEvent.objects.get(incident=incident, action="video_granted")
    assert (event.data["crime_type"], event.data["crime"], event.data["law"]) == (
        crime_type, case_type, law,
    )  # fmt: skip


def test_a_case_type_that_only_looks_like_a_variant_gets_no_video(  # type: ignore[no-untyped-def]
    scene, police_agency, platform_operator
) -> None:
    incident = IncidentFactory(tenant=scene["incident"].tenant, case_type="특수폭행")
    with pytest.raises(VideoRefused) as refused:
        grant_video(
            tenant=incident.tenant, incident_id=incident.pk, agency_id=police_agency.pk,
            camera_ids=[c.pk for c in scene["cameras"]], actor=platform_operator,
        )  # fmt: skip
    assert refused.value.code == "not_video_crime"
    assert not VideoGrant.objects.exists()


def test_a_centre_grants_only_its_own_cameras_to_agencies_linked_to_it(  # type: ignore[no-untyped-def]
    scene, police_agency, police_agency_b, platform_operator, tenant_b
) -> None:
    from smartcity.operations.tests.factories import CameraFactory

    incident = scene["incident"]
    with pytest.raises(VideoRefused) as refused:
        grant_video(
            tenant=incident.tenant, incident_id=incident.pk, agency_id=police_agency_b.pk,
            camera_ids=[scene["cameras"][0].pk], actor=platform_operator,
        )  # fmt: skip
    assert refused.value.code == "agency_not_linked"
    foreign = CameraFactory(tenant=tenant_b)
    with pytest.raises(VideoRefused) as refused:
        grant_video(
            tenant=incident.tenant, incident_id=incident.pk, agency_id=police_agency.pk,
            camera_ids=[foreign.pk], actor=platform_operator,
        )  # fmt: skip
    assert refused.value.code == "camera_not_offered"  # not the centre's: never offered


def test_a_grant_of_a_camera_the_rules_did_not_offer_is_refused_and_logged(  # type: ignore[no-untyped-def]
    scene, police_agency, platform_operator
) -> None:
    from smartcity.operations.tests.factories import CameraFactory

    incident = scene["incident"]
    far = CameraFactory(tenant=incident.tenant, latitude=Decimal("37.56840000"))  # 7.6 km north
    with pytest.raises(VideoRefused) as refused:
        grant_video(
            tenant=incident.tenant, incident_id=incident.pk, agency_id=police_agency.pk,
            camera_ids=[*(c.pk for c in scene["cameras"]), far.pk], actor=platform_operator,
        )  # fmt: skip
    assert refused.value.code == "camera_not_offered"
    assert refused.value.params == {"cameras": str(far.pk)}
    assert not VideoGrant.objects.exists()
    entry = VideoAccessEntry.objects.get()
    assert (entry.step, entry.granted, entry.reason) == ("grant", False, "camera_not_offered")
    assert (entry.camera, entry.incident, entry.agency) == (far, incident, police_agency)
    assert entry.officer == platform_operator and entry.tenant == incident.tenant
    audit = AuditEvent.objects.get(action="operations.video_grant_refused")
    assert audit.data["not_offered"] == [far.pk]
    assert verify_access_log() is None


def test_a_grant_refused_by_the_rules_is_logged_too(  # type: ignore[no-untyped-def]
    scene, police_agency, platform_operator
) -> None:
    incident = IncidentFactory(tenant=scene["incident"].tenant, case_type="사기")
    with pytest.raises(VideoRefused):
        grant_video(
            tenant=incident.tenant, incident_id=incident.pk, agency_id=police_agency.pk,
            camera_ids=[scene["cameras"][0].pk], actor=platform_operator,
        )  # fmt: skip
    entry = VideoAccessEntry.objects.get()
    assert (entry.step, entry.reason, entry.camera) == ("grant", "not_video_crime", None)


def test_escape_route_cameras_are_offered_only_along_the_searched_route(  # type: ignore[no-untyped-def]
    scene, police_agency, platform_operator
) -> None:
    from smartcity.operations.tests.factories import CameraFactory

    incident = scene["incident"]
    north = CameraFactory(tenant=incident.tenant, latitude=Decimal("37.51350000"))  # 1.5 km N
    ask = {"tenant": incident.tenant, "incident_id": incident.pk, "agency_id": police_agency.pk,
           "camera_ids": [north.pk], "actor": platform_operator}  # fmt: skip
    with pytest.raises(VideoRefused) as refused:
        grant_video(**ask)
    assert refused.value.code == "camera_not_offered"
    with pytest.raises(VideoRefused) as refused:
        grant_video(**ask, escape=EscapeRoute(bearing_deg=90, length_m=2_000))  # east, not north
    assert refused.value.code == "camera_not_offered"
    with pytest.raises(VideoRefused) as refused:
        grant_video(**ask, escape=EscapeRoute(bearing_deg=0, length_m=10_000, corridor_m=50))
    assert refused.value.code == "route_out_of_bounds"
    grant = grant_video(**ask, escape=EscapeRoute(bearing_deg=0, length_m=2_000))
    assert list(grant.cameras.values_list("pk", flat=True)) == [north.pk]
    reasons = VideoAccessEntry.objects.order_by("id").values_list("reason", flat=True)
    assert list(reasons) == ["camera_not_offered", "camera_not_offered", "route_out_of_bounds"]


def test_a_stream_token_opens_one_frame_once_and_the_viewing_session_is_logged(  # type: ignore[no-untyped-def]
    clock, granted, scene, police_officer
) -> None:
    camera = scene["cameras"][0]
    ticket = request_stream(officer=police_officer, grant_id=granted.pk, camera_id=camera.pk)
    assert ticket.session.remaining_s == 1200
    assert not VideoAccessEntry.objects.exists()  # a token is not a view
    opened = open_stream(token=ticket.token, viewer=police_officer)
    assert opened.camera == camera and opened.grant == granted
    (view,) = VideoAccessEntry.objects.order_by("id")
    assert (view.step, view.granted) == ("open", True)
    assert view.officer == police_officer and view.agency == granted.agency
    assert (view.camera, view.incident, view.grant) == (camera, scene["incident"], granted)
    assert view.legal_ground == "pipa_18_2_crime"
    assert (view.viewed_from, view.viewed_until) == (clock.now, granted.expires_at)
    assert verify_access_log() is None


def test_the_session_expires_on_the_server_clock_without_waiting_for_the_sweep(  # type: ignore[no-untyped-def]
    clock, granted, scene, police_officer
) -> None:
    camera = scene["cameras"][0]
    ticket = request_stream(officer=police_officer, grant_id=granted.pk, camera_id=camera.pk)
    clock.set(granted.expires_at)
    with pytest.raises(VideoRefused) as refused:
        open_stream(token=ticket.token, viewer=police_officer)
    assert refused.value.code == "token_expired"  # 30 s tokens; the grant is over too
    with pytest.raises(VideoRefused) as refused:
        request_stream(officer=police_officer, grant_id=granted.pk, camera_id=camera.pk)
    assert refused.value.code == "expired"
    last = VideoAccessEntry.objects.order_by("-id").first()
    assert last is not None and not last.granted and last.reason == "expired"
    assert VideoGrant.objects.get(pk=granted.pk).ended_at is None  # the sweep has not run


def test_the_sweep_ends_expired_grants_and_grants_of_closed_incidents_once(  # type: ignore[no-untyped-def]
    clock, granted, scene, police_agency, platform_operator
) -> None:
    other = IncidentFactory(tenant=scene["incident"].tenant, case_type="절도")
    second = grant_video(
        tenant=other.tenant, incident_id=other.pk, agency_id=police_agency.pk,
        camera_ids=[scene["cameras"][0].pk], actor=platform_operator,
    )  # fmt: skip
    assert expire_grants() == 0
    other.status_id = "91"
    other.save()
    assert expire_grants() == 1
    clock.set(granted.expires_at + dt.timedelta(seconds=1))
    assert expire_grants() == 1
    assert expire_grants() == 0
    causes = dict(
        IncidentEvent.objects.filter(action="video_ended").values_list("data__grant", "data__cause")
    )
    assert causes == {second.pk: "incident_closed", granted.pk: "expired"}


def test_an_officer_extends_a_running_session_up_to_the_limit(  # type: ignore[no-untyped-def]
    clock, settings, granted, police_officer
) -> None:
    settings.OPERATIONS_VIDEO_MAX_EXTENSIONS = 1
    clock.set(granted.expires_at - dt.timedelta(seconds=30))
    extended = extend_grant(officer=police_officer, grant_id=granted.pk)
    assert extended.expires_at == clock.now + dt.timedelta(minutes=20)
    with pytest.raises(VideoRefused) as refused:
        extend_grant(officer=police_officer, grant_id=granted.pk)
    assert refused.value.code == "too_many_extensions"
    clock.set(extended.expires_at)
    settings.OPERATIONS_VIDEO_MAX_EXTENSIONS = 5
    with pytest.raises(VideoRefused) as refused:
        extend_grant(officer=police_officer, grant_id=granted.pk)
    assert refused.value.code == "expired"


def test_a_refused_extension_is_logged_like_a_refused_grant(  # type: ignore[no-untyped-def]
    clock, settings, granted, police_officer, police_agency
) -> None:
    settings.OPERATIONS_VIDEO_MAX_EXTENSIONS = 0
    with pytest.raises(VideoRefused) as refused:
        extend_grant(officer=police_officer, grant_id=granted.pk)
    assert refused.value.code == "too_many_extensions"
    entry = VideoAccessEntry.objects.get(step="extend")
    assert (entry.granted, entry.reason, entry.grant) == (False, "too_many_extensions", granted)
    assert (entry.officer, entry.agency, entry.tenant) == (
        police_officer, police_agency, granted.tenant,
    )  # fmt: skip
    assert entry.incident_id == granted.incident_id and entry.camera is None
    audit = AuditEvent.objects.get(action="operations.video_extend_refused")
    assert audit.object_id == str(granted.pk)
    assert audit.data == {"agency": police_agency.code, "refusal": "too_many_extensions"}
    granted.refresh_from_db()
    assert granted.extensions == 0
    assert verify_access_log() is None


def test_an_extension_refused_to_another_agency_or_a_missing_grant_is_logged(  # type: ignore[no-untyped-def]
    granted, fire_officer, fire_agency, police_officer, police_agency
) -> None:
    with pytest.raises(VideoRefused) as refused:
        extend_grant(officer=fire_officer, grant_id=granted.pk)
    assert refused.value.code == "other_agency"
    with pytest.raises(VideoRefused) as refused:
        extend_grant(officer=police_officer, grant_id=granted.pk + 1000)
    assert refused.value.code == "not_found"
    entries = VideoAccessEntry.objects.filter(step="extend").order_by("id")
    assert [(e.reason, e.agency, e.grant) for e in entries] == [
        ("other_agency", fire_agency, granted),
        ("not_found", police_agency, None),
    ]
    assert AuditEvent.objects.filter(action="operations.video_extend_refused").count() == 2
    assert verify_access_log() is None


def test_the_centre_can_stop_a_grant_at_once(  # type: ignore[no-untyped-def]
    granted, scene, police_officer, platform_operator
) -> None:
    revoke_grant(tenant=granted.tenant, grant_id=granted.pk, actor=platform_operator)
    with pytest.raises(VideoRefused) as refused:
        request_stream(
            officer=police_officer, grant_id=granted.pk, camera_id=scene["cameras"][0].pk
        )
    assert refused.value.code == "revoked"


def test_a_revoked_certification_stops_video_at_the_next_access(  # type: ignore[no-untyped-def]
    granted, scene, police_officer, police_agency
) -> None:
    camera = scene["cameras"][0]
    request_stream(officer=police_officer, grant_id=granted.pk, camera_id=camera.pk)
    revoke_certification(officer=police_officer, agency=police_agency)
    with pytest.raises(VideoRefused) as refused:
        request_stream(officer=police_officer, grant_id=granted.pk, camera_id=camera.pk)
    assert refused.value.code == "not_certified"
    certify_officer(agency=police_agency, officer=police_officer, days=1)
    request_stream(officer=police_officer, grant_id=granted.pk, camera_id=camera.pk)


def test_break_glass_takes_the_scene_cameras_with_a_justification_on_record(  # type: ignore[no-untyped-def]
    clock, scene, police_agency, police_officer
) -> None:
    incident = scene["incident"]
    grant = break_glass_grant(
        officer=police_officer, sender="112", external_id=incident.external_id,
        justification=REASON,
    )  # fmt: skip
    assert grant.break_glass and grant.granted_by == police_officer
    assert grant.justification == REASON
    # The scene radius (500 m) takes the three near cameras, not the one 2 km away.
    assert set(grant.cameras.values_list("pk", flat=True)) == {c.pk for c in scene["cameras"]}
    event = IncidentEvent.objects.get(incident=incident, action="video_break_glass")
    assert event.note == REASON
    entry = VideoAccessEntry.objects.get(step="break_glass")
    assert entry.granted and entry.break_glass and entry.justification == REASON


def test_break_glass_finds_the_112_robbery_not_a_later_119_report_with_the_same_number(  # type: ignore[no-untyped-def]
    clock, scene, police_agency, police_officer
) -> None:
    robbery = scene["incident"]
    clock.set(clock.now + dt.timedelta(minutes=5))
    IncidentFactory(
        tenant=robbery.tenant, sender="119", event_type_id="119UC001",
        external_id=robbery.external_id, occurred_at=clock.now,
    )  # fmt: skip
    grant = break_glass_grant(
        officer=police_officer, sender="112", external_id=robbery.external_id,
        justification=REASON,
    )  # fmt: skip
    assert grant.incident == robbery
    entry = VideoAccessEntry.objects.get(step="break_glass")
    assert entry.granted and entry.incident == robbery


def test_break_glass_by_a_number_two_linked_centres_share_is_refused_as_ambiguous(  # type: ignore[no-untyped-def]
    scene, police_agency, police_officer, tenant_b
) -> None:
    robbery = scene["incident"]
    police_agency.tenants.add(tenant_b)
    other = IncidentFactory(tenant=tenant_b, case_type="강도", external_id=robbery.external_id)
    CameraFactory(tenant=tenant_b)
    with pytest.raises(VideoRefused) as refused:
        break_glass_grant(officer=police_officer, sender="112",
                          external_id=robbery.external_id, justification=REASON)  # fmt: skip
    assert refused.value.code == "incident_ambiguous"
    assert not VideoGrant.objects.exists()
    entry = VideoAccessEntry.objects.get(step="break_glass")
    assert (entry.granted, entry.reason, entry.incident) == (False, "incident_ambiguous", None)
    grant = break_glass_grant(officer=police_officer, incident_id=other.pk, justification=REASON)
    assert grant.incident == other


def test_break_glass_by_incident_id_stays_within_the_agencys_centres(  # type: ignore[no-untyped-def]
    scene, police_agency, police_officer, tenant_b
) -> None:
    foreign = IncidentFactory(tenant=tenant_b, case_type="강도")
    for ref in ({"incident_id": foreign.pk}, {"sender": "112", "external_id": foreign.external_id},
                {"sender": "", "external_id": scene["incident"].external_id}, {}):  # fmt: skip
        with pytest.raises(VideoRefused) as refused:
            break_glass_grant(officer=police_officer, justification=REASON, **ref)
        assert refused.value.code == "not_found"
    assert VideoAccessEntry.objects.filter(step="break_glass", reason="not_found").count() == 4


def test_break_glass_is_refused_and_logged_without_reason_certification_or_crime(  # type: ignore[no-untyped-def]
    scene, police_agency, police_officer
) -> None:
    incident = scene["incident"]
    with pytest.raises(VideoRefused) as refused:
        break_glass_grant(officer=police_officer, sender="112", external_id=incident.external_id,
                          justification="급해서")  # fmt: skip
    assert refused.value.code == "justification_required"
    with pytest.raises(VideoRefused) as refused:
        break_glass_grant(officer=police_officer, sender="112", external_id="NO-SUCH",
                          justification=REASON)  # fmt: skip
    assert refused.value.code == "not_found"
    fraud = IncidentFactory(tenant=incident.tenant, case_type="사기")
    with pytest.raises(VideoRefused) as refused:
        break_glass_grant(officer=police_officer, sender="112", external_id=fraud.external_id,
                          justification=REASON)  # fmt: skip
    assert refused.value.code == "not_video_crime"
    revoke_certification(officer=police_officer, agency=police_agency)
    with pytest.raises(VideoRefused) as refused:
        break_glass_grant(officer=police_officer, sender="112", external_id=incident.external_id,
                          justification=REASON)  # fmt: skip
    assert refused.value.code == "not_certified"
    assert not VideoGrant.objects.exists()
    reasons = list(VideoAccessEntry.objects.order_by("id").values_list("granted", "reason"))
    assert reasons == [
        (False, "justification_required"), (False, "not_found"), (False, "not_video_crime"),
        (False, "not_certified"),
    ]  # fmt: skip


def test_tampering_with_the_access_log_breaks_its_chain(  # type: ignore[no-untyped-def]
    granted, scene, police_officer
) -> None:
    for camera in scene["cameras"]:
        _watch(police_officer, granted, camera)
    assert verify_access_log() is None
    second = VideoAccessEntry.objects.order_by("id")[1]
    with connection.cursor() as cursor:  # behind the ORM's back
        cursor.execute(
            f"UPDATE {VideoAccessEntry._meta.db_table} SET officer_label = %s WHERE id = %s",  # noqa: S608
            ["someone_else", second.pk],
        )
    broken = verify_access_log()
    assert broken is not None and broken.row_id == second.pk


def test_deleting_the_newest_access_entries_is_named_by_verify_log(  # type: ignore[no-untyped-def]
    granted, scene, police_officer
) -> None:
    for camera in scene["cameras"]:
        _watch(police_officer, granted, camera)
    entries = list(VideoAccessEntry.objects.order_by("id"))
    with connection.cursor() as cursor:  # behind the ORM's back
        cursor.execute(f"DELETE FROM {ViewingSession._meta.db_table}")  # noqa: S608 - sessions point at entries
        cursor.execute(
            f"DELETE FROM {VideoAccessEntry._meta.db_table} WHERE id > %s",  # noqa: S608
            [entries[0].pk],
        )
    broken = verify_access_log()
    assert broken is not None and broken.reason == "rows_missing_at_end"
    assert (broken.row_id, broken.expected_last_id) == (entries[0].pk, entries[-1].pk)
    message = f"rows after #{entries[0].pk} are missing: the head points to row #{entries[-1].pk}"
    with pytest.raises(CommandError, match=message):
        call_command("linkage", "verify-log")


def test_a_rewound_access_log_is_caught_against_its_published_anchor(  # type: ignore[no-untyped-def]
    tmp_path, granted, scene, police_officer
) -> None:
    for camera in scene["cameras"]:
        _watch(police_officer, granted, camera)
    anchors = tmp_path / "access-anchors.jsonl"
    call_command("linkage", "anchor-log", "--output", str(anchors), stdout=io.StringIO())
    call_command("linkage", "verify-log", "--anchor", str(anchors), stdout=io.StringIO())
    first, *rest = VideoAccessEntry.objects.order_by("id")
    with connection.cursor() as cursor:  # entries and head rewound together
        cursor.execute(f"DELETE FROM {ViewingSession._meta.db_table}")  # noqa: S608 - sessions point at entries
        cursor.execute(
            f"DELETE FROM {VideoAccessEntry._meta.db_table} WHERE id > %s",  # noqa: S608
            [first.pk],
        )
        cursor.execute(
            f"UPDATE {VideoAccessHead._meta.db_table} SET last_hash = %s, last_id = %s",  # noqa: S608
            [first.hash, first.pk],
        )
    assert verify_access_log() is None
    with pytest.raises(CommandError, match=f"rows up to #{rest[-1].pk}, published in the anchor"):
        call_command("linkage", "verify-log", "--anchor", str(anchors))


def test_entries_deleted_from_the_front_with_a_moved_start_are_detected(  # type: ignore[no-untyped-def]
    granted, scene, police_officer
) -> None:
    for camera in scene["cameras"]:
        _watch(police_officer, granted, camera)
    first, second, *_ = VideoAccessEntry.objects.order_by("id")
    with connection.cursor() as cursor:  # a "pruning" the product never did
        cursor.execute(f"DELETE FROM {ViewingSession._meta.db_table}")  # noqa: S608 - sessions point at entries
        cursor.execute(
            f"DELETE FROM {VideoAccessEntry._meta.db_table} WHERE id = %s",  # noqa: S608
            [first.pk],
        )
        cursor.execute(
            f"UPDATE {VideoAccessHead._meta.db_table} SET anchor_hash = %s",  # noqa: S608
            [second.prev_hash],
        )
    broken = verify_access_log()
    assert broken is not None and broken.reason == "start_unrecorded"


def test_pruning_keeps_a_year_and_the_rest_of_the_chain_verifiable(  # type: ignore[no-untyped-def]
    clock, settings, granted, scene, police_officer
) -> None:
    camera = scene["cameras"][0]
    _watch(police_officer, granted, camera)
    clock.set(clock.now + dt.timedelta(days=200))
    certify_officer(agency=granted.agency, officer=police_officer)
    grant_b = VideoGrant.objects.get(pk=granted.pk)
    grant_b.expires_at = clock.now + dt.timedelta(minutes=5)  # test setup, not a service path
    grant_b.save()
    _watch(police_officer, granted, camera)  # the first session closes as idle, a new one opens
    settings.OPERATIONS_VIDEO_LOG_RETENTION_DAYS = 30
    with pytest.raises(ImproperlyConfigured):
        prune_access_log()
    settings.OPERATIONS_VIDEO_LOG_RETENTION_DAYS = 400
    assert prune_access_log() == 0
    clock.set(clock.now + dt.timedelta(days=250))
    assert prune_access_log() == 1
    assert list(VideoAccessEntry.objects.values_list("step", flat=True)) == ["close", "open"]
    assert VideoAccessHead.objects.get().anchor_hash != "0" * 64
    assert verify_access_log() is None


def test_fire_crews_get_video_of_119_incidents_but_not_of_a_112_robbery(  # type: ignore[no-untyped-def]
    scene, fire_agency, fire_officer, platform_operator
) -> None:
    tenant = scene["incident"].tenant
    cameras = [c.pk for c in scene["cameras"]]
    with pytest.raises(VideoRefused) as refused:
        grant_video(tenant=tenant, incident_id=scene["incident"].pk, agency_id=fire_agency.pk,
                    camera_ids=cameras, actor=platform_operator)  # fmt: skip
    assert refused.value.code == "agency_not_eligible"
    fire = IncidentFactory(tenant=tenant, event_type_id="119UC001", sender="119")
    grant = grant_video(tenant=tenant, incident_id=fire.pk, agency_id=fire_agency.pk,
                        camera_ids=cameras, actor=platform_operator)  # fmt: skip
    assert grant.legal_ground == "pipa_18_2_urgent"
    ticket = request_stream(officer=fire_officer, grant_id=grant.pk, camera_id=cameras[0])
    assert open_stream(token=ticket.token, viewer=fire_officer).camera.pk == cameras[0]


def test_the_migration_rekeys_the_access_log_from_its_pruning_start(  # type: ignore[no-untyped-def]
    clock, granted, scene, police_officer
) -> None:
    from django.apps import apps

    migration = importlib.import_module("smartcity.operations.migrations.0007_keyed_access_chain")
    camera = scene["cameras"][0]
    _watch(police_officer, granted, camera)
    clock.set(clock.now + dt.timedelta(days=500))
    # Entries as they were before closing entries existed (0007 rekeyed those).
    append_access_entry(step="request", granted=False, reason="expired", camera_id=camera.pk)
    assert prune_access_log() >= 1
    assert verify_access_log() is None
    migration.backwards(apps, None)  # as the unkeyed chain stored it
    assert verify_access_log() is not None
    migration.forwards(apps, None)
    assert verify_access_log() is None
