"""Which centre a reported place belongs to (pure: no Django, no geometry).

An incident lands on a centre's board only if its place lies in one of the
local governments the centre serves. The caller measures the facts — which
local governments' areas (widened by the tolerance) contain the reported
point, which of them have a boundary at all, and the local government the
sender's area code names — and :func:`place_report` decides:

* the coordinates are the evidence when the receiving centre's members have
  boundaries: inside one of them, the report is the centre's;
* outside, or when no member can be judged and the area code names a local
  government another centre serves, the report is *outside the centre*: it
  is routed to the centre serving the place when the installation's policy
  says so and one does, refused otherwise;
* when nothing can be judged (no boundary for any member, no area code that
  names another centre's local government) the report is the centre's: the
  importer of cameras follows the same rule.

When the coordinates put the report inside the centre but the area code
names another centre's local government, the coordinates win (they are the
precise fact; an area code is often the caller's district, not the
scene's) and the disagreement is reported for the log.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass


class OutsidePolicy(enum.StrEnum):
    """What happens to a report outside the receiving centre's local governments."""

    REFUSE = "refuse"
    ROUTE = "route"


class Verdict(enum.StrEnum):
    INSIDE = "inside"
    ROUTED = "routed"
    REFUSED = "refused"


OUTSIDE_CENTRE = "outside_centre"
"""Refusal: the coordinates lie outside every local government the centre serves."""
AREA_CODE_OUTSIDE_CENTRE = "area_code_outside_centre"
"""Refusal: the area code names a local government another centre serves."""


@dataclass(frozen=True)
class PlaceFacts:
    """What was measured about one reported place.

    ``members``: the receiving centre's local governments (codes), in order.
    ``judged``: the local governments (of any centre) whose boundary is known.
    ``containing``: those of ``judged`` whose area contains the point.
    ``served_by``: local government code → the centre serving it now, for
    every centre of the installation other than the receiving one.
    ``area_code``: the local government the sender's area code names ("" if
    none or unreadable).
    """

    members: Sequence[str]
    judged: Collection[str]
    containing: Collection[str]
    served_by: Mapping[str, int]
    area_code: str = ""


@dataclass(frozen=True)
class Placement:
    verdict: Verdict
    municipality: str = ""
    """The local government the report is placed in ("" when unknown)."""
    target: int | None = None
    """The centre a routed report goes to."""
    reason: str = ""
    """Why the report is outside the centre (a refusal code), also when routed."""
    area_code_disagrees: bool = False


def place_report(facts: PlaceFacts, policy: OutsidePolicy) -> Placement:
    """Decide whether a report is the receiving centre's, routed, or refused."""
    members = list(facts.members)
    judged_members = [code for code in members if code in facts.judged]
    inside = [code for code in judged_members if code in facts.containing]
    if inside:
        where = facts.area_code if facts.area_code in inside else inside[0]
        disagrees = bool(facts.area_code) and facts.area_code in facts.served_by
        return Placement(Verdict.INSIDE, where, area_code_disagrees=disagrees)
    elsewhere = [code for code in facts.containing if code in facts.served_by]
    if facts.area_code in elsewhere:
        elsewhere.remove(facts.area_code)
        elsewhere.insert(0, facts.area_code)
    # Outside by the coordinates: every member judged and none contains the
    # point, or some judged and another centre's local government contains it
    # (a member without a boundary cannot then be where the point is).
    if judged_members and (len(judged_members) == len(members) or elsewhere):
        reason = OUTSIDE_CENTRE
        candidates = elsewhere
    elif facts.area_code in facts.served_by:
        reason = AREA_CODE_OUTSIDE_CENTRE
        candidates = [facts.area_code]
    else:
        # Nothing to judge by: no member has a boundary and the area code
        # names no other centre's local government.
        where = facts.area_code if facts.area_code in members else ""
        if not where and len(members) == 1:
            where = members[0]
        return Placement(Verdict.INSIDE, where)
    if policy is OutsidePolicy.ROUTE and candidates:
        code = candidates[0]
        return Placement(Verdict.ROUTED, code, target=facts.served_by[code], reason=reason)
    return Placement(Verdict.REFUSED, reason=reason)
