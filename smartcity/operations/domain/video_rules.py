"""Who may see which video, on what legal ground, for how long (platform.md §3).

Pure rules of the linkage services: a grant of video to an agency for an
incident, and every later view under it, are decided here from plain facts;
the services load the facts, call these functions and record the outcome.

* Police (the 112 room) receive video **only for the seven violent crime
  types** of the 2015 agreement; the ground is the Personal Information
  Protection Act art. 18(2) (criminal investigation).
* Fire (the 119 room and crews) receive scene video for the incidents the 119
  system or a carrier (vulnerable person) reported; the ground is the urgent
  need for life, body or property of the same article.
* Disaster rooms receive video for disaster reports and weather warnings, under
  the disaster safety act (2025-07 amendment).
* Only **certified** officers view; a session lasts ``session_s`` (20 minutes
  by default), may be extended, warns ``warning_s`` before its end and expires
  on the server's clock — checked on every access, not only by a sweep.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

# CrimeType lives with the crime-type table; re-exported here for the rules' callers.
from smartcity.operations.domain.crime_types import CrimeMatch, CrimeTable, crime_match
from smartcity.operations.domain.crime_types import CrimeType as CrimeType

VIDEO_CRIME_TYPES: frozenset[CrimeType] = frozenset(CrimeType)


def crime_type_of(case_type: str) -> str | None:
    """The crime type named by a 112 case type (any variant in the table), or
    ``None`` if it is none of the seven."""
    found = crime_match(case_type)
    return found.crime_type if found else None


class AgencyKind(StrEnum):
    POLICE = "police"
    FIRE = "fire"
    DISASTER_ROOM = "disaster_room"


class LegalGround(StrEnum):
    CRIME_INVESTIGATION = "pipa_18_2_crime"
    URGENT_LIFE = "pipa_18_2_urgent"
    DISASTER_ACT = "disaster_safety_act"


# Which senders' incidents each non-police agency may receive video for.
_SOURCES_FOR: dict[AgencyKind, frozenset[str]] = {
    AgencyKind.FIRE: frozenset({"119", "WP1"}),
    AgencyKind.DISASTER_ROOM: frozenset({"disaster", "weather"}),
}
_GROUND_FOR: dict[AgencyKind, LegalGround] = {
    AgencyKind.POLICE: LegalGround.CRIME_INVESTIGATION,
    AgencyKind.FIRE: LegalGround.URGENT_LIFE,
    AgencyKind.DISASTER_ROOM: LegalGround.DISASTER_ACT,
}

MIN_JUSTIFICATION = 10
"""Characters a break-glass justification needs at least (a sentence, not "x")."""


class GrantRefusal(StrEnum):
    NOT_A_VIDEO_CRIME = "not_video_crime"
    AGENCY_NOT_ELIGIBLE = "agency_not_eligible"
    INCIDENT_CLOSED = "incident_closed"
    NO_CAMERAS = "no_cameras"
    JUSTIFICATION_REQUIRED = "justification_required"
    CAMERA_NOT_OFFERED = "camera_not_offered"
    ROUTE_OUT_OF_BOUNDS = "route_out_of_bounds"


# The escape route an operator may search from the scene (the incident page's
# form has the same bounds): its cameras are offered for a grant, nothing
# further. A 7 km "route" would otherwise offer half a city.
ESCAPE_LENGTH_M = (50.0, 5_000.0)
ESCAPE_CORRIDOR_M = (5.0, 300.0)


@dataclass(frozen=True)
class EscapeRoute:
    """A straight escape line from the scene: bearing (degrees from north),
    length and half-width of the corridor, in metres."""

    bearing_deg: float
    length_m: float = 1_000.0
    corridor_m: float = 50.0


def escape_route_refusal(route: EscapeRoute) -> GrantRefusal | None:
    """``None`` if the route is one the incident page could have searched."""
    values = (route.bearing_deg, route.length_m, route.corridor_m)
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
        return GrantRefusal.ROUTE_OUT_OF_BOUNDS
    if not 0 <= route.bearing_deg < 360:
        return GrantRefusal.ROUTE_OUT_OF_BOUNDS
    if not ESCAPE_LENGTH_M[0] <= route.length_m <= ESCAPE_LENGTH_M[1]:
        return GrantRefusal.ROUTE_OUT_OF_BOUNDS
    if not ESCAPE_CORRIDOR_M[0] <= route.corridor_m <= ESCAPE_CORRIDOR_M[1]:
        return GrantRefusal.ROUTE_OUT_OF_BOUNDS
    return None


@dataclass(frozen=True)
class GrantFacts:
    agency_kind: str
    sender: str
    case_type: str
    incident_final: bool
    camera_count: int
    break_glass: bool = False
    justification: str = ""
    cameras_not_offered: int = 0  # asked for, but not among the cameras the rules offer
    crimes: CrimeTable | None = None  # the centre's table (None: the packaged seven)
    stated_crime: str = ""  # break-glass: the type the officer names when 112 sent none


@dataclass(frozen=True)
class GrantDecision:
    ground: LegalGround | None
    refusal: GrantRefusal | None
    crime: CrimeMatch | None = None  # police: the variant the case type named

    @property
    def allowed(self) -> bool:
        return self.refusal is None


def decide_grant(facts: GrantFacts) -> GrantDecision:
    """May video of ``camera_count`` cameras be granted to this agency for this incident?

    Only cameras the rules offered (around the scene, along the searched
    escape route, inside a shared disaster area) may be granted: one camera
    outside them refuses the whole grant, so nothing is granted by accident.
    """
    try:
        kind = AgencyKind(facts.agency_kind)
    except ValueError:
        return GrantDecision(None, GrantRefusal.AGENCY_NOT_ELIGIBLE)
    if facts.incident_final:
        return GrantDecision(None, GrantRefusal.INCIDENT_CLOSED)
    crime = None
    ground = _GROUND_FOR[kind]
    if kind is AgencyKind.POLICE:
        # The 112 system's case type decides; only when it sent none may a
        # break-glass officer name the type (flagged for the monthly review).
        named = facts.case_type.strip() or (facts.stated_crime if facts.break_glass else "")
        crime = crime_match(named, facts.crimes)
        if crime is None:
            return GrantDecision(None, GrantRefusal.NOT_A_VIDEO_CRIME)
        try:
            ground = LegalGround(crime.ground or ground)
        except ValueError:
            return GrantDecision(None, GrantRefusal.NOT_A_VIDEO_CRIME)
    elif facts.sender not in _SOURCES_FOR[kind]:
        return GrantDecision(None, GrantRefusal.AGENCY_NOT_ELIGIBLE)
    if facts.break_glass and len(facts.justification.strip()) < MIN_JUSTIFICATION:
        return GrantDecision(None, GrantRefusal.JUSTIFICATION_REQUIRED)
    if facts.cameras_not_offered:
        return GrantDecision(None, GrantRefusal.CAMERA_NOT_OFFERED)
    if facts.camera_count < 1:
        return GrantDecision(None, GrantRefusal.NO_CAMERAS)
    return GrantDecision(ground, None, crime)


class ViewRefusal(StrEnum):
    NOT_AN_OFFICER = "not_an_officer"
    NOT_CERTIFIED = "not_certified"
    OTHER_AGENCY = "other_agency"
    NOT_FOUND = "not_found"
    INCIDENT_AMBIGUOUS = "incident_ambiguous"  # break-glass: the number names several
    CAMERA_NOT_GRANTED = "camera_not_granted"
    REVOKED = "revoked"
    INCIDENT_CLOSED = "incident_closed"
    EXPIRED = "expired"
    TOKEN_MALFORMED = "token_malformed"  # noqa: S105 - a refusal code
    TOKEN_FORGED = "token_forged"  # noqa: S105 - a refusal code
    TOKEN_EXPIRED = "token_expired"  # noqa: S105 - a refusal code
    TOKEN_REPLAYED = "token_replayed"  # noqa: S105 - a refusal code
    TOKEN_MISMATCH = "token_mismatch"  # noqa: S105 - a refusal code


@dataclass(frozen=True)
class ViewFacts:
    """One attempt to view a camera under a grant, on the server's clock."""

    now: dt.datetime
    officer_agency_id: int | None
    certified_until: dt.datetime | None
    grant_agency_id: int
    grant_expires_at: dt.datetime
    grant_revoked: bool
    incident_final: bool
    camera_in_grant: bool


def decide_view(facts: ViewFacts) -> ViewRefusal | None:
    """``None`` if the officer may see the camera now, else the first reason not to."""
    if facts.officer_agency_id is None:
        return ViewRefusal.NOT_AN_OFFICER
    if facts.officer_agency_id != facts.grant_agency_id:
        return ViewRefusal.OTHER_AGENCY
    if facts.certified_until is None or facts.certified_until <= facts.now:
        return ViewRefusal.NOT_CERTIFIED
    if facts.grant_revoked:
        return ViewRefusal.REVOKED
    if facts.incident_final:
        return ViewRefusal.INCIDENT_CLOSED
    if facts.grant_expires_at <= facts.now:
        return ViewRefusal.EXPIRED
    if not facts.camera_in_grant:
        return ViewRefusal.CAMERA_NOT_GRANTED
    return None


class SessionState(StrEnum):
    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Session:
    state: SessionState
    remaining_s: int


def session_of(now: dt.datetime, expires_at: dt.datetime, warning_s: int) -> Session:
    """The viewing session's state: active, in its last ``warning_s`` seconds, or over."""
    remaining = (expires_at - now).total_seconds()
    if remaining <= 0:
        return Session(SessionState.EXPIRED, 0)
    whole = int(remaining)
    state = SessionState.WARNING if remaining <= warning_s else SessionState.ACTIVE
    return Session(state, whole)


class ExtendRefusal(StrEnum):
    EXPIRED = "expired"
    TOO_MANY = "too_many_extensions"


def extended_expiry(
    *, now: dt.datetime, expires_at: dt.datetime, session_s: int, extensions: int,
    max_extensions: int,
) -> dt.datetime | ExtendRefusal:  # fmt: skip
    """A running session extended: a fresh ``session_s`` from now. An ended
    session cannot be revived (a new grant is needed), and extensions are capped."""
    if expires_at <= now:
        return ExtendRefusal.EXPIRED
    if extensions >= max_extensions:
        return ExtendRefusal.TOO_MANY
    return max(expires_at, now + dt.timedelta(seconds=session_s))


@dataclass(frozen=True)
class SessionEnd:
    """Why an officer's viewing ended and when it really did (not when the
    sweep noticed): ``revoked`` (the centre stopped it), ``incident_closed``,
    ``not_certified`` (the officer's certification ran out) or ``expired``."""

    cause: str
    at: dt.datetime


def session_end(
    *, now: dt.datetime, expires_at: dt.datetime, revoked_at: dt.datetime | None,
    incident_ended_at: dt.datetime | None, incident_final: bool,
    certified_until: dt.datetime | None,
) -> SessionEnd | None:  # fmt: skip
    """The earliest of the things that end a viewing, if one has happened by
    ``now``; ``None`` while the officer may still watch."""
    ends: list[SessionEnd] = []
    if revoked_at is not None:
        ends.append(SessionEnd(ViewRefusal.REVOKED.value, revoked_at))
    if incident_final:
        ends.append(SessionEnd(ViewRefusal.INCIDENT_CLOSED.value, incident_ended_at or now))
    if certified_until is None or certified_until <= now:
        at = certified_until if certified_until is not None else now
        ends.append(SessionEnd(ViewRefusal.NOT_CERTIFIED.value, at))
    if expires_at <= now:
        ends.append(SessionEnd(ViewRefusal.EXPIRED.value, expires_at))
    if not ends:
        return None
    return min(ends, key=lambda end: end.at)
