"""Who reviews which application: a deterministic, balanced plan. Pure: no Django.

Each application needs ``per_application`` reviewers from the committee of its
group (common members sit on every committee), none with a conflict of
interest, none above their load limit, nobody twice. The plan is built in two
passes:

1. greedy and balanced — the most constrained application first, each taking
   the least-loaded eligible members (ties by id);
2. repair — where the greedy pass left a place empty, augmenting paths move
   earlier choices to other members so the place can be filled. This is a
   maximum flow, so the plan fills every place that any valid assignment could.

Whatever stays empty is reported with a reason code.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable
from dataclasses import dataclass

NO_MEMBERS_IN_GROUP = "no_members_in_group"
CONFLICTS = "conflicts"
NOT_ENOUGH_MEMBERS = "not_enough_members"
LOAD_LIMIT_REACHED = "load_limit_reached"


@dataclass(frozen=True)
class PlanApplication:
    """An application to staff: its group and the members already reviewing it."""

    id: int
    group: str
    assigned: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PlanMember:
    """A member: the groups whose committee they sit on, whether they are a
    common member (on every committee), their current load and their limit."""

    id: int
    groups: frozenset[str]
    limit: int
    load: int = 0
    is_common: bool = False

    def sits_on(self, group: str) -> bool:
        return self.is_common or group in self.groups


@dataclass(frozen=True)
class Unfilled:
    """An application the plan could not staff fully: how many places are empty and why."""

    application: int
    missing: int
    reason: str


@dataclass(frozen=True)
class Plan:
    """New assignments as ``(application, member)`` pairs, sorted; the gaps; the
    resulting load of every member, by id."""

    assignments: tuple[tuple[int, int], ...]
    unfilled: tuple[Unfilled, ...]
    loads: tuple[tuple[int, int], ...]


def plan_assignments(
    applications: Iterable[PlanApplication],
    members: Iterable[PlanMember],
    conflicts: Collection[tuple[int, int]],
    per_application: int,
) -> Plan:
    """Plan the missing reviewers. ``conflicts`` holds ``(application, member)`` pairs."""
    apps = sorted(applications, key=lambda a: a.id)
    people = {m.id: m for m in sorted(members, key=lambda m: m.id)}
    blocked = set(conflicts)
    eligible: dict[int, list[int]] = {}
    need: dict[int, int] = {}
    for app in apps:
        eligible[app.id] = [
            m.id
            for m in people.values()
            if m.sits_on(app.group) and (app.id, m.id) not in blocked and m.id not in app.assigned
        ]
        need[app.id] = max(0, per_application - len(app.assigned))
    load = {m.id: m.load for m in people.values()}
    room = {m.id: max(0, m.limit - m.load) for m in people.values()}
    chosen: dict[int, set[int]] = {app.id: set() for app in apps}

    # 1. Greedy: the most constrained application first, the least-loaded members first.
    for app in sorted(apps, key=lambda a: (len(eligible[a.id]), a.id)):
        free = [m for m in eligible[app.id] if room[m] > 0]
        for member in sorted(free, key=lambda m: (load[m], m))[: need[app.id]]:
            _take(app.id, member, chosen, load, room)

    # 2. Repair: augmenting paths until no empty place can be reached.
    improved = True
    while improved:
        improved = False
        for app in apps:
            while len(chosen[app.id]) < need[app.id] and _augment(
                app.id, eligible, chosen, room, load
            ):
                improved = True

    unfilled = tuple(
        Unfilled(app.id, need[app.id] - len(chosen[app.id]), _reason(app, people, blocked, need))
        for app in apps
        if len(chosen[app.id]) < need[app.id]
    )
    pairs = tuple(sorted((a, m) for a, ms in chosen.items() for m in ms))
    return Plan(pairs, unfilled, tuple(sorted(load.items())))


def _take(
    app: int, member: int, chosen: dict[int, set[int]], load: dict[int, int], room: dict[int, int]
) -> None:
    chosen[app].add(member)
    load[member] += 1
    room[member] -= 1


def _augment(
    start: int,
    eligible: dict[int, list[int]],
    chosen: dict[int, set[int]],
    room: dict[int, int],
    load: dict[int, int],
) -> bool:
    """Find one augmenting path from application ``start`` (breadth first, by id)
    and apply it: every application on the path swaps one member for another."""
    holders: dict[int, list[int]] = {}
    for app, members in chosen.items():
        for member in members:
            holders.setdefault(member, []).append(app)
    # parent[member] = the application that reaches it; parent_app[app] = the member it frees.
    parent: dict[int, int] = {}
    parent_app: dict[int, int] = {}
    queue: deque[int] = deque([start])
    seen_apps = {start}
    end: int | None = None
    while queue and end is None:
        app = queue.popleft()
        for member in eligible[app]:
            if member in chosen[app] or member in parent:
                continue
            parent[member] = app
            if room[member] > 0:
                end = member
                break
            for other in sorted(holders.get(member, [])):
                if other not in seen_apps:
                    seen_apps.add(other)
                    parent_app[other] = member
                    queue.append(other)
    if end is None:
        return False
    member = end
    room[member] -= 1
    load[member] += 1
    while True:
        app = parent[member]
        chosen[app].add(member)
        if app == start:
            return True
        # ``app`` gives up the member that led here, which takes this member's place.
        freed = parent_app[app]
        chosen[app].discard(freed)
        member = freed


def _reason(
    app: PlanApplication,
    people: dict[int, PlanMember],
    blocked: set[tuple[int, int]],
    need: dict[int, int],
) -> str:
    on_group = [m for m in people.values() if m.sits_on(app.group) and m.id not in app.assigned]
    if not on_group and not app.assigned:
        return NO_MEMBERS_IN_GROUP
    free_of_conflict = [m for m in on_group if (app.id, m.id) not in blocked]
    if len(free_of_conflict) < need[app.id]:
        return CONFLICTS if len(on_group) >= need[app.id] else NOT_ENOUGH_MEMBERS
    return LOAD_LIMIT_REACHED
