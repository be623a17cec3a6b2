"""The incident page's video section: the operator grants video of chosen
cameras to a linked agency and revokes it. Which cameras may be granted is
the service's decision (``services.video.grants``), which logs refusals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.core.confirm import confirmation_page, is_confirmed
from smartcity.core.templatetags.smartcity import kst
from smartcity.operations.access import access_incident, access_operator_grant
from smartcity.operations.domain.video_rules import EscapeRoute
from smartcity.operations.errors import StateConflict, VideoRefused
from smartcity.operations.forms import EscapeRouteForm
from smartcity.operations.forms_linkage import GrantForm, RevokeForm
from smartcity.operations.messages import video_refusal_message
from smartcity.operations.models import Camera, Incident
from smartcity.operations.selectors.cameras import nearest_cameras
from smartcity.operations.selectors.linkage import incident_grants, linked_agencies
from smartcity.operations.services.video.grants import grant_video, revoke_grant
from smartcity.operations.services.video.sessions import scene_radius_m
from smartcity.operations.views.situations import situation_context


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
    back = reverse("operations:incident", args=[grant.incident_id]) + "#video-heading"
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("영상 제공 중단 확인"),
            consequences=[
                _("%(agency)s의 영상 열람을 지금 끝냅니다. 열려 있는 열람 화면도 닫힙니다.")
                % {"agency": grant.agency.name_ko},
                _("다시 보게 하려면 새로 영상을 제공해야 합니다."),
            ],
            facts=[
                (_("기관"), grant.agency.name_ko),
                (_("제공 일시"), kst(grant.created_at, "s")),
                (_("열람 종료 일시"), kst(grant.expires_at, "s")),
            ],
            back_url=back,
            button=_("영상 제공 중단 확정"),
        )
    revoke_grant(tenant=grant.tenant, grant_id=grant.pk, actor=request.user, reason=reason)
    messages.success(
        request,
        _("%(agency)s에 대한 영상 제공을 중단했습니다.") % {"agency": grant.agency.name_ko},
    )
    return redirect(back)
