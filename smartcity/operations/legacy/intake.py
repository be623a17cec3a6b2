"""The adapter's write path: a decoded report message becomes an incident
through the product's intake services (never its own writes).

Called in a worker thread, outside any transaction: when it returns, the
incident (and a carrier's case) is committed, so the server may acknowledge.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from smartcity.operations.domain.carrier import TrailPoint
from smartcity.operations.domain.event_time import BadEventTime, check_not_in_future
from smartcity.operations.domain.legacy_dialect import Dialect, load_dialect
from smartcity.operations.domain.legacy_messages import (
    Message,
    idempotency_key,
)
from smartcity.operations.domain.legacy_peers import (
    PeersConfig,
    PeerSpec,
    load_peers,
    peer_from_flag,
)
from smartcity.operations.errors import (
    IdempotencyConflict,
    IntakeInvalid,
    OutsideCentre,
    StateConflict,
)
from smartcity.operations.models import IntakeClient
from smartcity.operations.services.intake import IncidentReport, receive_incident_report
from smartcity.operations.services.situations import CarrierDetails, receive_carrier_event

logger = logging.getLogger("smartcity.operations.legacy")


class LegacyConfigError(Exception):
    """The adapter cannot start with this configuration (the message says why)."""


@dataclass(frozen=True)
class LinkedPeer:
    """A peer entry bound to its intake client."""

    spec: PeerSpec
    client_id: int
    client_name: str

    @property
    def sender(self) -> str:
        return self.spec.sender

    @property
    def charset(self) -> str:
        return self.spec.charset

    @property
    def label(self) -> str:
        return self.spec.label


@dataclass(frozen=True)
class Answer:
    """What the peer is told: an outcome of the dialect's ``reply.results``."""

    outcome: str
    reason: str = ""
    reference: str = ""
    incident_id: int | None = None
    created: bool = False


def configured_dialect(path: str = "") -> Dialect:
    return load_dialect(path or getattr(settings, "OPERATIONS_LEGACY_DIALECT", "") or None)


def configured_peers(
    dialect: Dialect, *, path: str = "", flags: list[str] | None = None
) -> PeersConfig:
    """The peers file (``--peers`` or ``OPERATIONS_LEGACY_PEERS``) plus ``--peer`` flags."""
    source = path or getattr(settings, "OPERATIONS_LEGACY_PEERS", "")
    config = load_peers(source, dialect) if source else PeersConfig(())
    extra = tuple(peer_from_flag(flag, dialect) for flag in flags or [])
    return dataclasses.replace(config, peers=config.peers + extra)


def link_peers(config: PeersConfig, dialect: Dialect) -> dict[PeerSpec, LinkedPeer]:
    """Bind each peer to its active intake client (by key prefix or name) of its
    tenant; refuse to start on any that does not resolve."""
    linked: dict[PeerSpec, LinkedPeer] = {}
    for spec in config.peers:
        sender = dialect.senders[spec.sender]
        candidates = list(
            IntakeClient.objects.select_related("tenant")
            .filter(Q(tenant__code=spec.tenant) | Q(tenant__municipality__code=spec.tenant))
            .filter(Q(key_prefix=spec.client) | Q(name=spec.client), is_active=True)
        )
        if len(candidates) != 1:
            found = "no" if not candidates else f"{len(candidates)}"
            raise LegacyConfigError(
                f"peer {spec.label}: {found} active intake client {spec.client!r} in tenant "
                f"{spec.tenant} (smartcity operations issue-key --tenant {spec.tenant} "
                f"--source {sender.source} --name ...)"
            )
        client = candidates[0]
        if client.source != sender.source:
            raise LegacyConfigError(
                f"peer {spec.label}: client {client.name!r} sends as {client.source}, "
                f"the dialect's sender {spec.sender} as {sender.source}"
            )
        linked[spec] = LinkedPeer(spec, client.pk, client.name)
    return linked


def receive_legacy_report(*, peer: LinkedPeer, message: Message, dialect: Dialect) -> Answer:
    """Open or update the incident a report message describes, at most once per
    message (see ``idempotency_key``). Domain refusals become answers; database
    failures propagate (the server answers ``failed``)."""
    report = message.report
    assert report is not None, "only report messages reach intake"
    reference = report.external_id
    client = IntakeClient.objects.select_related("tenant").filter(pk=peer.client_id).first()
    if client is None or not client.is_active or not client.tenant.is_active:
        return Answer("refused", "client_inactive", reference)
    sender = dialect.senders[message.sender]
    try:
        check_not_in_future(report.occurred_at, timezone.now())
    except BadEventTime as exc:
        reason = "time_in_future" if str(exc) == "in_future" else "bad_time"
        return Answer("rejected", reason, reference)
    incident_report = IncidentReport(
        event_type=sender.event_type,
        status=message.spec.status,
        grade=report.grade,
        external_id=report.external_id,
        occurred_at=report.occurred_at,
        latitude=report.latitude,
        longitude=report.longitude,
        address=report.address[:300],
        detail=report.detail[:4000],
        case_type=report.case_type[:100],
        area_code=report.area_code[:20],
    )
    key, request_hash = idempotency_key(dialect, message)
    try:
        if report.carrier is not None:
            facts = report.carrier
            details = CarrierDetails(
                event_kind=facts.event_kind,
                positions=[
                    TrailPoint(float(report.latitude), float(report.longitude), report.occurred_at)
                ],
                photo_ref=facts.photo_ref,
                guardian_name=facts.guardian_name,
                guardian_phone=facts.guardian_phone,
            )
            outcome = receive_carrier_event(
                client=client, idempotency_key=key, report=incident_report, details=details,
                request_hash=request_hash,
            )  # fmt: skip
        else:
            outcome = receive_incident_report(
                client=client, idempotency_key=key, report=incident_report,
                request_hash=request_hash,
            )  # fmt: skip
    except OutsideCentre as exc:
        # Not this centre's place: refused (the peer must send it to the
        # centre that serves it); the intake service logged and audited it.
        return Answer("refused", exc.code, reference)
    except IntakeInvalid as exc:
        return Answer("rejected", exc.code, reference)
    except (StateConflict, IdempotencyConflict) as exc:
        return Answer("refused", exc.code, reference)
    incident = outcome.incident
    return Answer(
        "replayed" if outcome.replayed else "accepted",
        "",
        reference,
        incident_id=incident.pk,
        created=outcome.created and not outcome.replayed,
    )
