"""The agencies' pages (police 112, fire 119, disaster rooms): the console
of the officer's own agency's grants, a grant's live cameras, the 112
dispatch page, extension and break-glass."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from smartcity.operations.access import access_agency, access_agency_grant
from smartcity.operations.errors import VideoRefused
from smartcity.operations.forms_linkage import BreakGlassForm
from smartcity.operations.media.ffmpeg import CODEC
from smartcity.operations.messages import video_refusal_message
from smartcity.operations.models import DisasterArea, LayerKind
from smartcity.operations.selectors.cameras import scene_map
from smartcity.operations.selectors.crime_rules import crime_type_choices
from smartcity.operations.selectors.linkage import grant_cameras
from smartcity.operations.selectors.situations import agency_carrier_alerts, nearest_layer_items
from smartcity.operations.services.video.break_glass import break_glass_grant
from smartcity.operations.services.video.grants import extend_grant
from smartcity.operations.services.video.sessions import grant_end, grant_session
from smartcity.operations.views.agency_live import console_rows, grant_state
from smartcity.operations.views.gateway import refusal_status
from smartcity.operations.vms import video_backend
from smartcity.realtime.selectors import latest_event_id


@login_required
def agency_console(request: HttpRequest) -> HttpResponse:
    """The officer's grants, kept current by the agency's event stream."""
    agency = access_agency(request.user)
    return render(
        request,
        "operations/agency_console.html",
        {"agency": agency, "after": latest_event_id(),
         **console_rows(agency, request.user, timezone.now()),
         "carrier_alerts": agency_carrier_alerts(agency)},
    )  # fmt: skip


def _console_context(request: HttpRequest, grant_id: int, radius_m: float | None) -> dict[str, Any]:
    grant = access_agency_grant(request.user, grant_id)
    cameras = grant_cameras(grant)
    if radius_m is not None:
        cameras = [row for row in cameras if row.distance_m <= radius_m]
    now = timezone.now()
    return {
        "agency": grant.agency,
        "grant": grant,
        "incident": grant.incident,
        "cameras": cameras,
        "session": grant_session(grant, now),
        "state": grant_state(grant, grant_end(grant, request.user, now), now),
        "map_data": scene_map(grant.incident, [(row.camera, row.distance_m) for row in cameras]),
        "after": latest_event_id(),
        "warning_s": int(settings.OPERATIONS_VIDEO_WARNING_SECONDS),
        "refresh_s": int(settings.OPERATIONS_VIDEO_REFRESH_SECONDS),
        "video_backend": video_backend(),
        "video_codec": CODEC,
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
            status = refusal_status(exc.code)
            return JsonResponse({"code": exc.code, "message": message}, status=status)
        messages.error(request, message)
        return redirect("operations:agency_grant", grant_id=grant.pk)
    session = grant_session(grant)
    if _wants_json(request):
        return JsonResponse({"remaining": session.remaining_s, "state": session.state.value})
    messages.success(request, _("영상 열람 시간을 연장했습니다."))
    return redirect("operations:agency_grant", grant_id=grant.pk)


@login_required
def agency_break_glass(request: HttpRequest) -> HttpResponse:
    agency = access_agency(request.user)
    form = BreakGlassForm(
        request.POST or None, agency_kind=agency.kind, crime_types=crime_type_choices()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = break_glass_grant(
                officer=request.user, sender=data["sender"], external_id=data["external_id"],
                incident_id=data["incident_id"], justification=data["justification"],
                crime_type=data.get("crime_type") or "",
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
            elif exc.code == "justification_required":
                form.add_error("justification", video_refusal_message(exc.code))
            elif exc.code == "not_video_crime" and "crime_type" in form.fields:
                form.add_error("crime_type", video_refusal_message(exc.code))
            else:
                form.add_error(None, video_refusal_message(exc.code))
        else:
            messages.warning(request, _("긴급 열람을 기록했습니다. 센터와 월간 점검에 통보됩니다."))
            return redirect("operations:agency_grant", grant_id=grant.pk)
    return render(request, "operations/agency_break_glass.html", {"agency": agency, "form": form})
