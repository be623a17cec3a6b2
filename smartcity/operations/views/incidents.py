"""Pages of the integrated platform: the live situation board, incidents, cameras.

Every view loads the operator's tenant or a protected object through
``operations.access``; anyone else gets the same 404 as for a missing page.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from smartcity.accounts.access import AnyUser
from smartcity.core.confirm import confirmation_page, is_confirmed
from smartcity.core.htmx import HtmxHttpRequest
from smartcity.municipalities.domain.boundaries import ATTRIBUTION_KO
from smartcity.operations.access import (
    access_camera,
    access_incident,
    access_operator_tenant,
    operator_tenant,
)
from smartcity.operations.choices import ActorKind
from smartcity.operations.domain.incident_workflow import allowed_targets
from smartcity.operations.errors import StateConflict
from smartcity.operations.forms import (
    CameraFilterForm,
    EscapeRouteForm,
    HandoverForm,
    IncidentFilterForm,
    NoteForm,
    StatusChangeForm,
)
from smartcity.operations.messages import refusal_message
from smartcity.operations.models import EventStatus, Incident, Tenant
from smartcity.operations.selectors.cameras import (
    board_cameras as board_cameras_query,
)
from smartcity.operations.selectors.cameras import (
    camera_list as camera_list_query,
)
from smartcity.operations.selectors.cameras import (
    camera_stats,
    cameras_along_bearing,
    nearest_cameras,
    scene_map,
)
from smartcity.operations.selectors.centres import centre_boundaries
from smartcity.operations.selectors.incidents import (
    IncidentFilter,
    all_statuses,
    board_item,
    board_snapshot,
    handover_targets,
    incident_timeline,
    legend,
    status_facts,
)
from smartcity.operations.selectors.incidents import (
    incident_list as incident_list_query,
)
from smartcity.operations.services.incidents import (
    acknowledge_incident,
    add_incident_note,
    change_incident_status,
    hand_over_incident,
)
from smartcity.operations.views.grants import grant_context
from smartcity.realtime.selectors import latest_event_id
from smartcity.realtime.sse import release_connections, resume_point, setup_slot, sse_response

NEARBY_K = 10
NEARBY_RADIUS_M = 500.0  # Chungnam's 112 dispatch service shows cameras within 500 m


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access_operator_tenant(request.user)
    return redirect("operations:board")


@login_required
def board(request: HttpRequest) -> HttpResponse:
    tenant = access_operator_tenant(request.user)
    return render(
        request,
        "operations/board.html",
        {
            "tenant": tenant,
            "incidents": board_snapshot(tenant),
            "after": latest_event_id(),
            "legend": legend(tenant),
            "attribution": ATTRIBUTION_KO,
            "server_now": timezone.now().isoformat(),
        },
    )


def board_channels(user: AnyUser) -> list[str] | None:
    """The channels of ``user``'s board stream, or ``None`` (no board)."""
    tenant = operator_tenant(user)
    return None if tenant is None else [tenant.channel]


async def board_stream(request: HttpRequest) -> StreamingHttpResponse:
    """The tenant's live events (SSE). Serve under ASGI (uvicorn), where
    ``config.asgi`` answers it beside Django's stack (``realtime.streams``);
    this view serves it to Django's own handlers and refuses what that
    does not accept."""
    async with setup_slot():
        user = await request.auser()
        channels = await sync_to_async(board_channels)(user)
        await sync_to_async(release_connections)()
    if channels is None:
        raise Http404
    return sse_response(channels, after=resume_point(request))


@login_required
def board_incidents(request: HttpRequest) -> JsonResponse:
    """The board's open incidents (reloaded after a ``reset`` event)."""
    tenant = access_operator_tenant(request.user)
    return JsonResponse({"incidents": board_snapshot(tenant), "after": latest_event_id()})


@login_required
@cache_control(private=True, max_age=3600)
def board_boundaries(request: HttpRequest) -> JsonResponse:
    tenant = access_operator_tenant(request.user)
    return JsonResponse(centre_boundaries(tenant))


@login_required
@cache_control(private=True, max_age=300)
def board_cameras(request: HttpRequest) -> JsonResponse:
    """The board's camera layer (loaded when the operator turns it on)."""
    tenant = access_operator_tenant(request.user)
    return JsonResponse({"cameras": board_cameras_query(tenant)})


@login_required
def incident_list(request: HtmxHttpRequest) -> HttpResponse:
    tenant = access_operator_tenant(request.user)
    form = IncidentFilterForm(request.GET or None)
    incident_filter = IncidentFilter()
    if form.is_valid():
        data = form.cleaned_data
        incident_filter = IncidentFilter(
            status=data["status"], event_type=data["event_type"], open_only=data["open"],
            query=data["q"],
        )  # fmt: skip
    page = Paginator(incident_list_query(tenant, incident_filter), 50).get_page(
        request.GET.get("page")
    )
    context = {"tenant": tenant, "form": form, "page": page}
    template = (
        "operations/partials/_incident_results.html"
        if request.htmx
        else "operations/incident_list.html"
    )
    return render(request, template, context)


def _detail_context(request: HttpRequest, incident: Incident) -> dict[str, object]:
    tenant = incident.tenant
    statuses = allowed_targets(
        status_facts(incident.status),
        [status_facts(s) for s in all_statuses()],
        ActorKind.OPERATOR,
    )
    lat, lon = float(incident.latitude), float(incident.longitude)
    escape_form = EscapeRouteForm(request.GET or None)
    escape = None
    route = None
    if escape_form.is_valid():
        route = escape_form.route()
        escape = cameras_along_bearing(
            tenant=tenant, lat=lat, lon=lon, bearing_deg=route.bearing_deg,
            length_m=route.length_m, corridor_m=route.corridor_m,
        )  # fmt: skip
    by_code = {s.code: s for s in EventStatus.objects.filter(code__in=[s.code for s in statuses])}
    escape_cameras = [hit.camera for hit in escape or []]
    nearby = nearest_cameras(tenant=tenant, lat=lat, lon=lon, k=NEARBY_K, radius_m=NEARBY_RADIUS_M)
    return {
        **grant_context(incident, escape_cameras, route),
        "tenant": tenant,
        "incident": incident,
        "timeline": incident_timeline(incident),
        "nearby": nearby,
        "scene_map": scene_map(incident, [(hit.camera, hit.distance_m) for hit in nearby]),
        "radius_m": int(NEARBY_RADIUS_M),
        "server_now": timezone.now().isoformat(),
        "status_form": StatusChangeForm(statuses=[by_code[s.code] for s in statuses]),
        "note_form": NoteForm(),
        "handover_form": HandoverForm(targets=handover_targets(tenant)),
        "escape_form": escape_form,
        "escape": escape,
    }


@login_required
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access_incident(request.user, incident_id)
    return render(request, "operations/incident_detail.html", _detail_context(request, incident))


def _refused(request: HttpRequest, exc: StateConflict, incident_id: int) -> HttpResponse:
    messages.error(request, refusal_message(exc.code))
    return redirect("operations:incident", incident_id=incident_id)


@login_required
@require_POST
def incident_status(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access_incident(request.user, incident_id)
    codes = list(EventStatus.objects.order_by("sequence"))
    form = StatusChangeForm(request.POST, statuses=codes)
    if not form.is_valid():
        messages.error(request, _("진행 상태를 고르세요."))
        return redirect("operations:incident", incident_id=incident.pk)
    target = next(s for s in codes if s.code == form.cleaned_data["status"])
    # Closing ends the incident and every video grant on it: confirmed first.
    # An incident already closed goes straight to the service, which refuses.
    closing = target.is_final and not incident.status.is_final
    if closing and not is_confirmed(request):
        return _confirm_close(request, incident, target, form.cleaned_data["note"])
    try:
        change_incident_status(
            incident_id=incident.pk, tenant=incident.tenant, actor=request.user,
            status_code=target.code, note=form.cleaned_data["note"],
        )  # fmt: skip
    except StateConflict as exc:
        return _refused(request, exc, incident.pk)
    if closing:
        messages.success(
            request,
            _("상황 #%(id)s을(를) %(status)s 처리했습니다. 영상 제공도 함께 끝났습니다.")
            % {"id": incident.pk, "status": target.name},
        )
    else:
        messages.success(request, _("진행 상태를 바꾸었습니다."))
    return redirect("operations:incident", incident_id=incident.pk)


def _confirm_close(
    request: HttpRequest, incident: Incident, target: EventStatus, note: str
) -> HttpResponse:
    """The confirmation page of closing an incident (a final status)."""
    return confirmation_page(
        request,
        title=_("상황 종료 확인"),
        consequences=[
            _("상황 #%(id)s을(를) %(status)s 상태로 바꿉니다. 종료한 상황은 다시 열 수 없습니다.")
            % {"id": incident.pk, "status": target.name},
            _("이 상황으로 제공 중인 영상은 모두 끊기고, 새로 제공할 수 없습니다."),
        ],
        facts=[
            (_("상황"), str(incident)),
            (_("현재 상태"), incident.status.name),
            (_("새 진행 상태"), f"{target.code} {target.name}"),
            (_("메모"), note or "—"),
        ],
        back_url=reverse("operations:incident", args=[incident.pk]),
        button=_("상황 종료 확정"),
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def incident_acknowledge(request: HttpRequest, incident_id: int) -> HttpResponse:
    """An operator takes the incident on (from the board by fetch, or the page)."""
    incident = access_incident(request.user, incident_id)
    try:
        incident = acknowledge_incident(
            incident_id=incident.pk, tenant=incident.tenant, actor=request.user
        )
    except StateConflict as exc:
        if _wants_json(request):
            body = {"code": exc.code, "message": refusal_message(exc.code)}
            return JsonResponse(body, status=409)
        return _refused(request, exc, incident.pk)
    if _wants_json(request):
        return JsonResponse({"incident": board_item(incident)})
    messages.success(request, _("상황을 확인했습니다."))
    return redirect("operations:incident", incident_id=incident.pk)


@login_required
@require_POST
def incident_note(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access_incident(request.user, incident_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("메모를 입력하세요."))
        return redirect("operations:incident", incident_id=incident.pk)
    try:
        add_incident_note(
            incident_id=incident.pk, tenant=incident.tenant, actor=request.user,
            note=form.cleaned_data["note"],
        )  # fmt: skip
    except StateConflict as exc:
        return _refused(request, exc, incident.pk)
    return redirect(reverse("operations:incident", args=[incident.pk]) + "#timeline")


@login_required
@require_POST
def incident_handover(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access_incident(request.user, incident_id)
    form = HandoverForm(request.POST, targets=handover_targets(incident.tenant))
    if not form.is_valid():
        messages.error(request, _("이관받을 센터를 고르세요."))
        return redirect("operations:incident", incident_id=incident.pk)
    target: Tenant = form.cleaned_data["to_tenant"]
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("상황 이관 확인"),
            consequences=[
                _("상황 #%(id)s을(를) %(centre)s(으)로 넘깁니다. 그 센터가 이어서 처리합니다.")
                % {"id": incident.pk, "centre": target.name_ko},
                _("이관한 뒤에는 이 센터에서 상황을 처리할 수 없습니다."),
            ],
            facts=[
                (_("상황"), str(incident)),
                (_("이관받을 센터"), target.name_ko),
                (_("이관 사유"), form.cleaned_data["reason"] or "—"),
            ],
            back_url=reverse("operations:incident", args=[incident.pk]),
            button=_("이관 확정"),
        )
    try:
        hand_over_incident(
            incident_id=incident.pk, tenant=incident.tenant, to_tenant=target,
            actor=request.user, reason=form.cleaned_data["reason"],
        )  # fmt: skip
    except StateConflict as exc:
        return _refused(request, exc, incident.pk)
    messages.success(
        request,
        _("상황 #%(id)s을(를) %(centre)s(으)로 이관했습니다.")
        % {"id": incident.pk, "centre": target.name_ko},
    )
    return redirect("operations:incidents")


@login_required
def camera_list(request: HttpRequest) -> HttpResponse:
    tenant = access_operator_tenant(request.user)
    form = CameraFilterForm(request.GET or None)
    purpose = query = ""
    if form.is_valid():
        purpose, query = form.cleaned_data["purpose"], form.cleaned_data["q"]
    page = Paginator(camera_list_query(tenant, purpose=purpose, query=query), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "operations/camera_list.html",
        {"tenant": tenant, "form": form, "page": page, "stats": camera_stats(tenant)},
    )


@login_required
def camera_detail(request: HttpRequest, camera_id: int) -> HttpResponse:
    camera = access_camera(request.user, camera_id)
    return render(request, "operations/camera_detail.html", {"camera": camera})
