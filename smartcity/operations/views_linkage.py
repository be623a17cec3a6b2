"""Pages of the linkage services.

Operators (centre side): grant video of an incident to a linked agency,
revoke it, read the video access log, export it, review it monthly.
Agency officers: their console (only their agency's grants), a grant's live
cameras through the video gateway, extension, the 112 dispatch mobile page,
and break-glass.

Every view loads its protected object through ``operations.access``; every
video attempt goes through ``services.video``, which logs it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from smartcity.operations.access import (
    access_agency,
    access_agency_grant,
    access_incident,
    access_operator_grant,
    access_operator_tenant,
)
from smartcity.operations.domain.access_review import month_bounds
from smartcity.operations.domain.carrier import mask_phone
from smartcity.operations.domain.video_rules import EscapeRoute
from smartcity.operations.errors import StateConflict, VideoRefused
from smartcity.operations.forms import EscapeRouteForm
from smartcity.operations.forms_linkage import BreakGlassForm, GrantForm, MonthForm, RevokeForm
from smartcity.operations.forms_situations import DisasterAreaForm
from smartcity.operations.messages import video_refusal_message
from smartcity.operations.models import Camera, DisasterArea, Incident, LayerKind
from smartcity.operations.selectors.cameras import nearest_cameras
from smartcity.operations.selectors.linkage import (
    CSV_HEADER,
    access_entries,
    agency_grants,
    csv_rows,
    grant_cameras,
    incident_grants,
    linked_agencies,
    review_for_month,
)
from smartcity.operations.selectors.situations import (
    agency_carrier_alerts,
    cameras_near_trail,
    carrier_case,
    incident_areas,
    nearest_layer_items,
    trail_of,
)
from smartcity.operations.services.situations import reveal_guardian_contact, share_disaster_area
from smartcity.operations.services.video import (
    break_glass_grant,
    extend_grant,
    grant_session,
    grant_video,
    open_stream,
    request_stream,
    revoke_grant,
    scene_radius_m,
)
from smartcity.operations.vms import video_source

# Refusals that end the officer's session on the page (the others concern one camera).
SESSION_ENDING = frozenset(
    {"expired", "revoked", "incident_closed", "not_certified", "not_found", "other_agency"}
)


def _status_for(code: str) -> int:
    if code in {"not_found", "other_agency", "not_an_officer"}:
        return 404  # another agency's id looks exactly like a missing one
    if code in {"expired", "revoked", "incident_closed"}:
        return 410
    return 403


# --- Centre side -----------------------------------------------------------------------------


def scene_camera_choices(incident: Incident, k: int = 10) -> list[tuple[int, str]]:
    hits = nearest_cameras(
        tenant=incident.tenant, lat=float(incident.latitude), lon=float(incident.longitude),
        k=k, radius_m=scene_radius_m(incident),
    )  # fmt: skip
    return [(hit.camera.pk, f"{hit.camera} · {hit.distance_m:.0f} m") for hit in hits]


def grant_context(
    incident: Incident, extra_cameras: list[Camera] | None = None,
    escape: EscapeRoute | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The incident page's video section (used by ``views.incident_detail``).

    With an escape route searched, its cameras are offered too, and the grant
    form carries the route so the service can check them against it.
    """
    choices = scene_camera_choices(incident)
    known = {pk for pk, _label in choices}
    for camera in extra_cameras or []:
        if camera.pk not in known:
            choices.append((camera.pk, f"{camera} · {_('도주 경로')}"))
    return {
        "grants": incident_grants(incident),
        "grant_form": GrantForm(agencies=linked_agencies(incident.tenant), cameras=choices),
        "grant_escape": escape,
        "revoke_form": RevokeForm(),
        "scene_radius_m": int(scene_radius_m(incident)),
        "now": timezone.now(),
        **situation_context(incident),
    }


DISASTER_SENDERS = frozenset({"disaster", "weather"})


def _disaster_rooms(incident: Incident) -> Any:
    return linked_agencies(incident.tenant).filter(kind="disaster_room")


def situation_context(incident: Incident) -> dict[str, Any]:
    """The incident page's disaster-area and vulnerable-person sections."""
    context: dict[str, Any] = {"is_disaster": incident.sender in DISASTER_SENDERS}
    if context["is_disaster"]:
        context["disaster_areas"] = incident_areas(incident)
        context["disaster_form"] = DisasterAreaForm(
            agencies=_disaster_rooms(incident),
            initial={"centre_lat": float(incident.latitude),
                     "centre_lon": float(incident.longitude)},
        )  # fmt: skip
    case = carrier_case(incident)
    context["carrier_case"] = case
    if case is not None:
        context["carrier_trail"] = trail_of(case)
        context["carrier_cameras"] = cameras_near_trail(incident, case)
        context["carrier_alerts"] = case.alerts.select_related("agency").order_by("sent_at")
        context["guardian_phone_masked"] = mask_phone(case.guardian_phone)
    return context


@login_required
@require_POST
@never_cache
def incident_guardian_contact(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Reveal a vulnerable person's guardian contact (audited); htmx swaps it
    into the page, a plain form post gets a small page of its own."""
    incident = access_incident(request.user, incident_id)
    try:
        case = reveal_guardian_contact(
            tenant=incident.tenant, incident_id=incident.pk, actor=request.user
        )
    except StateConflict:
        return HttpResponse(_("보호자 연락처가 없거나 이미 삭제되었습니다."), status=404)
    template = (
        "operations/partials/_guardian_contact.html"
        if getattr(request, "htmx", False)
        else "operations/guardian_contact.html"
    )
    return render(request, template, {"incident": incident, "carrier_case": case})


@login_required
@require_POST
def incident_disaster_area(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Share every camera in an area (or a warning's area) with a disaster room."""
    incident = access_incident(request.user, incident_id)
    form = DisasterAreaForm(request.POST, agencies=_disaster_rooms(incident))
    target = reverse("operations:incident", args=[incident.pk]) + "#disaster-area-heading"
    if not form.is_valid():
        errors = [str(e) for e in form.non_field_errors()]
        for error in errors or [_("재난안전상황실과 영역을 확인하세요.")]:
            messages.error(request, error)
        return redirect(target)
    try:
        area = share_disaster_area(
            tenant=incident.tenant, incident_id=incident.pk,
            agency_id=form.cleaned_data["agency"].pk, area=form.area,
            warning=form.cleaned_data["warning"], actor=request.user,
        )  # fmt: skip
    except (VideoRefused, StateConflict) as exc:
        if exc.code == "no_cameras":
            messages.error(request, _("영역 안에 이 센터의 CCTV가 없습니다."))
        else:
            messages.error(request, video_refusal_message(exc.code))
        return redirect(target)
    messages.success(
        request,
        _("영역 안의 CCTV %(count)s대의 영상을 %(agency)s에 제공했습니다.")
        % {"count": area.camera_count, "agency": form.cleaned_data["agency"].name_ko},
    )
    return redirect(target)


_MAX_ID_DIGITS = 18  # below 2**63: never overflows a database integer


def _posted_ids(values: list[str]) -> list[int]:
    """The posted camera ids that are whole numbers; anything else is left
    out, so the form refuses it as an unknown choice."""
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= _MAX_ID_DIGITS]


@login_required
@require_POST
def incident_grant(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Grant video of the chosen cameras. Which cameras may be granted is the
    service's decision (the scene's, the searched escape route's): a crafted
    post naming any other camera is refused there and logged."""
    incident = access_incident(request.user, incident_id)
    choices = [(pk, str(pk)) for pk in _posted_ids(request.POST.getlist("cameras"))]
    form = GrantForm(request.POST, agencies=linked_agencies(incident.tenant), cameras=choices)
    target = reverse("operations:incident", args=[incident.pk]) + "#video-heading"
    if not form.is_valid():
        messages.error(request, _("영상을 받을 기관과 CCTV를 고르세요."))
        return redirect(target)
    escape = None
    if "direction" in request.POST:
        route_form = EscapeRouteForm(request.POST)
        if not route_form.is_valid():
            messages.error(request, _("도주 경로(방향, 거리, 좌우 폭)가 올바르지 않습니다."))
            return redirect(target)
        escape = route_form.route()
    try:
        grant = grant_video(
            tenant=incident.tenant, incident_id=incident.pk,
            agency_id=form.cleaned_data["agency"].pk, camera_ids=form.cleaned_data["cameras"],
            actor=request.user, escape=escape,
        )  # fmt: skip
    except (VideoRefused, StateConflict) as exc:
        messages.error(request, video_refusal_message(exc.code, exc.params))
        return redirect(target)
    messages.success(
        request,
        _("%(agency)s에 CCTV %(count)s대의 영상을 제공했습니다.")
        % {"agency": grant.agency.name_ko, "count": grant.cameras.count()},
    )
    return redirect(target)


@login_required
@require_POST
def grant_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = access_operator_grant(request.user, grant_id)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    revoke_grant(tenant=grant.tenant, grant_id=grant.pk, actor=request.user, reason=reason)
    messages.success(request, _("영상 제공을 중단했습니다."))
    return redirect(reverse("operations:incident", args=[grant.incident_id]) + "#video-heading")


def _month(request: HttpRequest) -> tuple[MonthForm, str]:
    default = timezone.localtime().strftime("%Y-%m")
    form = MonthForm(request.GET or {"month": default})
    return form, form.cleaned_data["month"] if form.is_valid() else default


@login_required
def video_log(request: HttpRequest) -> HttpResponse:
    tenant = access_operator_tenant(request.user)
    form, month = _month(request)
    review = review_for_month(month, tenant=tenant)
    from_month = (
        access_entries(tenant=tenant).select_related("camera").defer("camera__stream_endpoint")
    )
    start, end = _bounds(month)
    entries = from_month.filter(at__gte=start, at__lt=end).order_by("-id")[:500]
    return render(
        request,
        "operations/video_log.html",
        {"tenant": tenant, "form": form, "month": month, "entries": entries, "review": review},
    )


def _bounds(month: str) -> tuple[Any, Any]:

    return month_bounds(month, timezone.get_current_timezone())


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def video_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The month's log as CSV (UTF-8 with BOM, so spreadsheet programs read Korean)."""
    tenant = access_operator_tenant(request.user)
    _form, month = _month(request)
    start, end = _bounds(month)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(CSV_HEADER)
        for row in csv_rows(access_entries(tenant=tenant, start=start, end=end)):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="video-access-{tenant.code}-{month}.csv"'
    )
    return response


@login_required
def video_review(request: HttpRequest) -> HttpResponse:
    tenant = access_operator_tenant(request.user)
    form, month = _month(request)
    return render(
        request,
        "operations/video_review.html",
        {"tenant": tenant, "form": form, "month": month,
         "review": review_for_month(month, tenant=tenant)},
    )  # fmt: skip


# --- Agency side -----------------------------------------------------------------------------


@login_required
def agency_console(request: HttpRequest) -> HttpResponse:
    agency = access_agency(request.user)
    now = timezone.now()
    grants = list(agency_grants(agency)[:200])
    rows = [(g, grant_session(g, now)) for g in grants]
    return render(
        request,
        "operations/agency_console.html",
        {"agency": agency, "active": [r for r in rows if r[1].remaining_s > 0],
         "past": [r for r in rows if r[1].remaining_s <= 0],
         "carrier_alerts": agency_carrier_alerts(agency)},
    )  # fmt: skip


def _console_context(request: HttpRequest, grant_id: int, radius_m: float | None) -> dict[str, Any]:
    grant = access_agency_grant(request.user, grant_id)
    cameras = grant_cameras(grant)
    if radius_m is not None:
        cameras = [row for row in cameras if row.distance_m <= radius_m]
    return {
        "agency": grant.agency,
        "grant": grant,
        "incident": grant.incident,
        "cameras": cameras,
        "session": grant_session(grant),
        "warning_s": int(settings.OPERATIONS_VIDEO_WARNING_SECONDS),
        "refresh_s": int(settings.OPERATIONS_VIDEO_REFRESH_SECONDS),
        "radius_m": int(radius_m) if radius_m is not None else None,
        "areas": DisasterArea.objects.filter(grant=grant).order_by("-created_at", "-id"),
        **fire_layers_context(grant),
    }


def fire_layers_context(grant: Any) -> dict[str, Any]:
    """The 119 console's layers: per layer, the nearest points to the scene.

    Every layer is listed, empty ones with a line saying so, so a crew can
    tell "none nearby" from "not shown"; order is what crews ask for first.
    """
    if grant.agency.kind != "fire":
        return {}
    incident = grant.incident
    lat, lon = float(incident.latitude), float(incident.longitude)
    radius = float(settings.OPERATIONS_FIRE_LAYER_RADIUS_M)
    layers = [
        {
            "kind": kind.value,
            "label": kind.label,
            "hits": nearest_layer_items(
                tenant=grant.tenant, layer=kind.value, lat=lat, lon=lon, radius_m=radius
            ),
        }
        for kind in LayerKind
    ]
    return {"layer_radius_m": int(radius), "fire_layers": layers}


@login_required
@never_cache
def agency_grant(request: HttpRequest, grant_id: int) -> HttpResponse:
    return render(
        request, "operations/agency_grant.html", _console_context(request, grant_id, None)
    )


@login_required
@never_cache
def agency_dispatch(request: HttpRequest, grant_id: int) -> HttpResponse:
    """The patrol car's page: the grant's cameras within the dispatch radius."""
    radius = float(settings.OPERATIONS_DISPATCH_RADIUS_M)
    return render(
        request, "operations/agency_dispatch.html", _console_context(request, grant_id, radius)
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def agency_extend(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = access_agency_grant(request.user, grant_id)
    try:
        grant = extend_grant(officer=request.user, grant_id=grant.pk)
    except VideoRefused as exc:
        message = video_refusal_message(exc.code)
        if _wants_json(request):
            status = _status_for(exc.code)
            return JsonResponse({"code": exc.code, "message": message}, status=status)
        messages.error(request, message)
        return redirect("operations:agency_grant", grant_id=grant.pk)
    session = grant_session(grant)
    if _wants_json(request):
        return JsonResponse({"remaining": session.remaining_s, "state": session.state.value})
    messages.success(request, _("영상 열람 시간을 연장했습니다."))
    return redirect("operations:agency_grant", grant_id=grant.pk)


@login_required
@require_POST
@never_cache
def stream_token(request: HttpRequest, grant_id: int, camera_id: int) -> JsonResponse:
    """A single-use, seconds-long URL for one frame of one camera.

    Not loaded through ``access_agency_grant``: the service judges (and logs)
    every attempt, including another agency's ids, which get the same 404.
    """
    try:
        ticket = request_stream(officer=request.user, grant_id=grant_id, camera_id=camera_id)
    except VideoRefused as exc:
        return JsonResponse(
            {"code": exc.code, "message": video_refusal_message(exc.code),
             "ends_session": exc.code in SESSION_ENDING},
            status=_status_for(exc.code),
        )  # fmt: skip
    return JsonResponse(
        {
            "url": reverse("operations:video_gateway", args=[ticket.token]),
            "remaining": ticket.session.remaining_s,
            "state": ticket.session.state.value,
        }
    )


@login_required
@never_cache
def video_gateway(request: HttpRequest, token: str) -> HttpResponse:
    """The only way video reaches a browser: token checked, attempt logged,
    frame fetched server-side from the VMS."""
    try:
        opened = open_stream(token=token, viewer=request.user)
    except VideoRefused as exc:
        return HttpResponse(
            video_refusal_message(exc.code), status=_status_for(exc.code),
            content_type="text/plain; charset=utf-8",
        )  # fmt: skip
    frame = video_source().frame(opened.camera, viewer=opened.viewer, at=timezone.now())
    response = HttpResponse(frame.body, content_type=frame.content_type)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
def agency_break_glass(request: HttpRequest) -> HttpResponse:
    agency = access_agency(request.user)
    form = BreakGlassForm(request.POST or None, agency_kind=agency.kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = break_glass_grant(
                officer=request.user, sender=data["sender"], external_id=data["external_id"],
                incident_id=data["incident_id"], justification=data["justification"],
            )  # fmt: skip
        except VideoRefused as exc:
            by_id = data["incident_id"] is not None
            if exc.code == "not_found":
                form.add_error(
                    "incident_id" if by_id else "external_id",
                    _("연계된 센터에 이 번호의 상황이 없습니다."),
                )
            elif exc.code == "incident_ambiguous":
                form.add_error("incident_id", video_refusal_message(exc.code))
            else:
                form.add_error(None, video_refusal_message(exc.code))
        else:
            messages.warning(request, _("긴급 열람을 기록했습니다. 센터와 월간 점검에 통보됩니다."))
            return redirect("operations:agency_grant", grant_id=grant.pk)
    return render(request, "operations/agency_break_glass.html", {"agency": agency, "form": form})
