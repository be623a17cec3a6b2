"""The five safety-net linkage services (5대 안전망 연계 서비스, platform.md §2)
and whether a centre has linked each one — derived, never typed in.

A service counts as linked at a centre when both hold:

* its channel exists: a linked agency of the service's kind (police for the
  two 112 services, fire for 119, a disaster room for the disaster service)
  or, for the vulnerable-people service, which has no agency, an active intake
  key of the mobile carrier (``WP1``);
* it carried traffic: at least one incident of one of the service's event
  types was received by the centre.

A channel without traffic is "connected, unused"; traffic without a channel
(e.g. a 112 feed but no police room to give video to) is "traffic only".
Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    number: int
    key: str
    event_types: tuple[str, ...]
    agency_kind: str  # "" when the channel is an intake key
    intake_source: str  # the sender whose key is the channel (when no agency)


SERVICES: tuple[Service, ...] = (
    Service(1, "video_112", ("112UC001",), "police", ""),
    Service(2, "dispatch_112", ("112UC120", "112UC110"), "police", ""),
    Service(3, "dispatch_119", ("119UC001",), "fire", ""),
    Service(4, "disaster", ("DUCDP110", "APLEN110", "WESEN110"), "disaster_room", ""),
    Service(5, "vulnerable", ("WPSSF110",), "", "WP1"),
)

LINKED = "linked"
CHANNEL_ONLY = "channel_only"
TRAFFIC_ONLY = "traffic_only"
NONE = "none"


@dataclass(frozen=True)
class ServiceLink:
    service: Service
    channel: bool
    incidents: int

    @property
    def state(self) -> str:
        if self.channel and self.incidents:
            return LINKED
        if self.channel:
            return CHANNEL_ONLY
        if self.incidents:
            return TRAFFIC_ONLY
        return NONE

    @property
    def linked(self) -> bool:
        return self.state == LINKED


def service_links(
    *,
    agency_kinds: Set[str],
    intake_sources: Set[str],
    incidents_by_type: Mapping[str, int],
) -> list[ServiceLink]:
    """The five services at one centre, from the kinds of its linked active
    agencies, the senders of its active intake keys and its incident counts
    by event type."""
    out = []
    for s in SERVICES:
        channel = (
            s.agency_kind in agency_kinds if s.agency_kind else s.intake_source in intake_sources
        )
        count = sum(incidents_by_type.get(code, 0) for code in s.event_types)
        out.append(ServiceLink(s, channel, count))
    return out


def linked_count(links: list[ServiceLink]) -> int:
    return sum(1 for link in links if link.linked)
