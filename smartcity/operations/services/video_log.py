"""The video access log's one write path (append, chained) and its pruning."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.core.domain.hash_chain import GENESIS_HASH
from smartcity.core.services import append_chained, lock_chain_head, record_audit
from smartcity.operations.models import (
    Agency,
    Tenant,
    VideoAccessEntry,
    VideoAccessHead,
    VideoGrant,
    ViewingSession,
)
from smartcity.operations.selectors.linkage import PRUNED_ACTION, chain_fields

MIN_RETENTION_DAYS = 365
"""The log is kept at least a year, whatever the setting says."""


def append_access_entry(
    *, step: str, granted: bool, officer: Any = None, agency: Agency | None = None,
    tenant: Tenant | None = None, grant: VideoGrant | None = None, camera_id: int | None = None,
    incident_id: int | None = None, reason: str = "", legal_ground: str = "",
    viewed_from: dt.datetime | None = None, viewed_until: dt.datetime | None = None,
    break_glass: bool = False, justification: str = "", frames: int | None = None,
    last_frame_at: dt.datetime | None = None,
) -> VideoAccessEntry:  # fmt: skip
    """Append one entry, chained to the previous one, in the caller's transaction.

    Called last in a service's transaction: the head row stays locked from
    here until commit, which serialises writers exactly in chain order.
    """
    user = officer if isinstance(officer, User) and officer.is_authenticated else None
    now = timezone.now().replace(microsecond=0)

    def build() -> VideoAccessEntry:
        return VideoAccessEntry(
            at=now,
            tenant=tenant,
            officer=user,
            officer_label=user.get_username() if user else "",
            agency=agency,
            agency_label=agency.name_ko if agency else "",
            camera_id=camera_id,
            incident_id=incident_id,
            grant=grant,
            step=step,
            granted=granted,
            reason=reason,
            legal_ground=legal_ground,
            viewed_from=viewed_from.replace(microsecond=0) if viewed_from else None,
            viewed_until=viewed_until.replace(microsecond=0) if viewed_until else None,
            break_glass=break_glass,
            justification=justification,
            frames=frames,
            last_frame_at=last_frame_at.replace(microsecond=0) if last_frame_at else None,
        )

    return append_chained(
        head=VideoAccessHead, build=build, fields=chain_fields, anchor_hash=GENESIS_HASH
    )


def retention_days() -> int:
    days = int(settings.OPERATIONS_VIDEO_LOG_RETENTION_DAYS)
    if days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"OPERATIONS_VIDEO_LOG_RETENTION_DAYS must be at least {MIN_RETENTION_DAYS}, not {days}"
        )
    return days


def prune_access_log(*, now: dt.datetime | None = None) -> int:
    """Delete entries older than the retention period; returns how many.

    The chain stays verifiable: the head's anchor becomes the hash the first
    kept entry points to.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    with transaction.atomic():
        head = lock_chain_head(VideoAccessHead, anchor_hash=GENESIS_HASH)
        old = VideoAccessEntry.objects.filter(at__lt=cutoff)
        last_old = old.order_by("-id").values_list("id", flat=True).first()
        if last_old is None:
            return 0
        # Entries are appended in time order, so everything up to the newest
        # old entry goes (an id range keeps the chain contiguous).
        doomed = VideoAccessEntry.objects.filter(id__lte=last_old)
        # A session's row goes with the entries that opened or closed it.
        ViewingSession.objects.filter(
            Q(opened_entry_id__lte=last_old) | Q(closed_entry_id__lte=last_old)
        ).delete()
        first_kept = VideoAccessEntry.objects.filter(id__gt=last_old).order_by("id").first()
        anchor = first_kept.prev_hash if first_kept else head.last_hash
        count, _ = doomed.delete()
        VideoAccessHead.objects.filter(pk=1).update(anchor_hash=anchor, pruned_before=cutoff)
        record_audit(
            actor=None,
            actor_label="system",
            action=PRUNED_ACTION,
            object_type="operations.videoaccessentry",
            data={"deleted": count, "before": cutoff.isoformat(), "anchor": anchor},
        )
    return count
