"""Which progress-status changes are allowed (platform.md §4), as one pure rule.

The statuses themselves are data (``EventStatus`` rows); this module only
reads their flags through a frozen snapshot, so a centre can add a status
(say, a "dispatched" step between 40 and 50) without code:

* a status moves **forward** by ``sequence`` — never back to an earlier one;
* the **initial** status (``10`` occurred) is only for a new incident;
* a **final** status (``91`` closed, ``92`` auto-closed) ends all changes;
* setting the **same** status again is allowed only when it is repeatable
  (``40`` information changed can happen many times);
* each status says which **actor kinds** may set it: the sending agency's
  system (its socket messages 10/40, 10/50, 10/91), the operator, or the
  system (auto-close).

Refusals are codes; the service turns them into HTTP 409 or form errors, and
templates translate them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Refusal(StrEnum):
    NOT_ALLOWED_FOR_ACTOR = "not_allowed_for_actor"
    ALREADY_FINAL = "already_final"
    INITIAL_ONLY = "initial_only"
    NO_CHANGE = "no_change"
    BACKWARDS = "backwards"
    NOT_INITIAL = "not_initial"


@dataclass(frozen=True, slots=True)
class StatusFacts:
    """What the rule needs to know about one status row."""

    code: str
    sequence: int
    is_initial: bool = False
    is_final: bool = False
    is_repeatable: bool = False
    settable_by: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    refusal: Refusal | None = None


ALLOW = Decision(True)


def decide_status_change(current: StatusFacts, target: StatusFacts, actor: str) -> Decision:
    """May ``actor`` (``sender``, ``operator``, ``system``) move an incident
    from ``current`` to ``target``? The first rule that refuses wins."""
    if actor not in target.settable_by:
        return Decision(False, Refusal.NOT_ALLOWED_FOR_ACTOR)
    if current.is_final:
        return Decision(False, Refusal.ALREADY_FINAL)
    if target.is_initial:
        return Decision(False, Refusal.INITIAL_ONLY)
    if target.code == current.code:
        return ALLOW if target.is_repeatable else Decision(False, Refusal.NO_CHANGE)
    if target.sequence < current.sequence:
        return Decision(False, Refusal.BACKWARDS)
    return ALLOW


def decide_opening(target: StatusFacts, actor: str) -> Decision:
    """May ``actor`` open a new incident in ``target``? Only in an initial status."""
    if actor not in target.settable_by:
        return Decision(False, Refusal.NOT_ALLOWED_FOR_ACTOR)
    if not target.is_initial:
        return Decision(False, Refusal.NOT_INITIAL)
    return ALLOW


def allowed_targets(
    current: StatusFacts, statuses: Iterable[StatusFacts], actor: str
) -> list[StatusFacts]:
    """The statuses ``actor`` may choose next, in sequence order (for forms)."""
    return sorted(
        (s for s in statuses if decide_status_change(current, s, actor).allowed),
        key=lambda s: (s.sequence, s.code),
    )
