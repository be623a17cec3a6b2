"""The sweep that ends expired grants and forgets old token nonces."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from smartcity.core.services import record_audit
from smartcity.operations.choices import TimelineAction
from smartcity.operations.media.supervisor import stop_grant_gateways
from smartcity.operations.models import StreamTokenUse, VideoGrant
from smartcity.operations.services.incidents import record_timeline
from smartcity.operations.services.video.grants import announce_grant
from smartcity.operations.services.video.sessions import grant_end
from smartcity.operations.services.video.viewing import close_grant_sessions, close_idle_sessions


def expire_grants(*, now: dt.datetime | None = None) -> int:
    """The sweep: stamp ``ended_at`` on grants whose session ran out or whose
    incident closed, close their viewing sessions at the real end time, close
    sessions left idle, and forget old token nonces. Access never waits for
    it: every view checks the clock itself."""
    now = now or timezone.now()
    due = list(
        VideoGrant.objects.filter(ended_at__isnull=True)
        .filter(Q(expires_at__lte=now) | Q(incident__status__is_final=True))
        .values_list("pk", flat=True)
    )
    ended = 0
    for grant_id in due:
        with transaction.atomic():
            grant = (
                VideoGrant.objects.select_for_update(of=("self",))
                .select_related("incident__status", "agency")
                .filter(pk=grant_id, ended_at__isnull=True)
                .first()
            )
            if grant is None:
                continue
            grant.ended_at = now
            grant.save(update_fields=["ended_at"])
            cause = "incident_closed" if grant.incident.status.is_final else "expired"
            end = grant_end(grant, None, now)
            if end is not None:
                close_grant_sessions(grant, end)
            record_timeline(
                grant.incident, TimelineAction.VIDEO_ENDED, label="system",
                data={"grant": grant.pk, "agency": grant.agency.name_ko, "cause": cause},
            )  # fmt: skip
            announce_grant(grant, "grant_ended")
            transaction.on_commit(partial(stop_grant_gateways, grant.pk))
            record_audit(
                actor=None,
                actor_label="system",
                action="operations.video_ended",
                object_type="operations.videogrant",
                object_id=grant.pk,
                data={"cause": cause},
            )
            ended += 1
    close_idle_sessions(now=now)
    cutoff = now - dt.timedelta(hours=1)
    StreamTokenUse.objects.filter(used_at__lt=cutoff).delete()
    return ended
