"""The assignment planner's invariants, over generated committees (no database)."""

from __future__ import annotations

import random
from collections import Counter
from functools import cache
from itertools import combinations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from smartcity.certification.evaluation.domain.assignment import (
    Plan,
    PlanApplication,
    PlanMember,
    plan_assignments,
)

GROUPS = ("large", "small_medium")


@st.composite
def instances(
    draw: st.DrawFn, max_apps: int = 4, max_members: int = 4
) -> tuple[list[PlanApplication], list[PlanMember], set[tuple[int, int]], int]:
    member_ids = list(range(1, draw(st.integers(0, max_members)) + 1))
    members = []
    for mid in member_ids:
        limit = draw(st.integers(0, 3))
        members.append(
            PlanMember(
                id=mid,
                groups=frozenset(draw(st.sets(st.sampled_from(GROUPS)))),
                limit=limit,
                load=draw(st.integers(0, limit + 1)),
                is_common=draw(st.booleans()),
            )
        )
    apps = [
        PlanApplication(
            id=100 + i,
            group=draw(st.sampled_from(GROUPS)),
            assigned=frozenset(draw(st.sets(st.sampled_from(member_ids), max_size=1)))
            if member_ids
            else frozenset(),
        )
        for i in range(draw(st.integers(0, max_apps)))
    ]
    pairs = [(a.id, m) for a in apps for m in member_ids]
    conflicts = draw(st.sets(st.sampled_from(pairs))) if pairs else set()
    return apps, members, conflicts, draw(st.integers(1, 3))


def need_of(app: PlanApplication, per: int) -> int:
    return max(0, per - len(app.assigned))


def eligible(app: PlanApplication, m: PlanMember, conflicts: set[tuple[int, int]]) -> bool:
    return m.sits_on(app.group) and (app.id, m.id) not in conflicts and m.id not in app.assigned


def best_possible(
    apps: list[PlanApplication],
    members: list[PlanMember],
    conflicts: set[tuple[int, int]],
    per: int,
) -> int:
    """The most places any valid assignment fills, by exhaustive search."""
    index = {m.id: i for i, m in enumerate(members)}

    @cache
    def go(position: int, room: tuple[int, ...]) -> int:
        if position == len(apps):
            return 0
        app = apps[position]
        pool = [m for m in members if eligible(app, m, conflicts) and room[index[m.id]] > 0]
        best = 0
        for size in range(min(need_of(app, per), len(pool)) + 1):
            for chosen in combinations(pool, size):
                left = list(room)
                for m in chosen:
                    left[index[m.id]] -= 1
                best = max(best, size + go(position + 1, tuple(left)))
        return best

    return go(0, tuple(max(0, m.limit - m.load) for m in members))


def greedy_trap() -> tuple[list[PlanApplication], list[PlanMember], set[tuple[int, int]], int]:
    """The most-constrained-first, least-loaded greedy pass gives 100 member 1,
    leaving 101 empty; only moving 100 to member 2 fills every place."""
    apps = [PlanApplication(100, "y")] + [PlanApplication(i, "x") for i in (101, 102, 103)]
    members = [
        PlanMember(1, frozenset(), limit=1, is_common=True),
        PlanMember(2, frozenset({"y"}), limit=1),
        PlanMember(3, frozenset({"x"}), limit=1),
        PlanMember(4, frozenset(), limit=1, is_common=True),
    ]
    return apps, members, {(102, 1), (103, 1), (103, 4), (100, 3), (101, 2)}, 1


PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(instances())
def test_a_plan_never_exceeds_a_limit_nor_assigns_a_conflicted_member_nor_twice(
    instance: tuple[list[PlanApplication], list[PlanMember], set[tuple[int, int]], int],
) -> None:
    apps, members, conflicts, per = instance
    plan = plan_assignments(apps, members, conflicts, per)
    by_app = {a.id: a for a in apps}
    by_member = {m.id: m for m in members}
    assert len(set(plan.assignments)) == len(plan.assignments)
    new_load = Counter(m for _a, m in plan.assignments)
    for mid, count in new_load.items():
        assert count <= max(0, by_member[mid].limit - by_member[mid].load)
    per_app = Counter(a for a, _m in plan.assignments)
    for app_id, member_id in plan.assignments:
        app, member = by_app[app_id], by_member[member_id]
        assert (app_id, member_id) not in conflicts
        assert member_id not in app.assigned
        assert member.sits_on(app.group)
    for app in apps:
        assert per_app[app.id] <= need_of(app, per)
    gaps = {u.application: u.missing for u in plan.unfilled}
    for app in apps:
        assert gaps.get(app.id, 0) == need_of(app, per) - per_app[app.id]


@PROPERTY
@given(instances())
@example(greedy_trap())
def test_a_plan_fills_every_place_any_valid_assignment_could(
    instance: tuple[list[PlanApplication], list[PlanMember], set[tuple[int, int]], int],
) -> None:
    apps, members, conflicts, per = instance
    plan = plan_assignments(apps, members, conflicts, per)
    assert len(plan.assignments) == best_possible(apps, members, conflicts, per)


@PROPERTY
@given(
    apps=st.integers(1, 12),
    members=st.integers(3, 9),
    per=st.integers(1, 3),
)
def test_with_enough_capacity_every_application_is_filled_and_loads_stay_balanced(
    apps: int, members: int, per: int
) -> None:
    limit = -(-apps * per // members)  # ceil: just enough capacity in total
    plan = plan_assignments(
        [PlanApplication(i, "large") for i in range(apps)],
        [PlanMember(100 + j, frozenset({"large"}), limit=limit) for j in range(members)],
        set(),
        per,
    )
    assert plan.unfilled == ()
    assert len(plan.assignments) == apps * per
    loads = [load for _m, load in plan.loads]
    assert max(loads) - min(loads) <= 1


@PROPERTY
@given(instances(), st.randoms(use_true_random=False))
def test_the_plan_does_not_depend_on_input_order(
    instance: tuple[list[PlanApplication], list[PlanMember], set[tuple[int, int]], int],
    rnd: random.Random,
) -> None:
    apps, members, conflicts, per = instance
    shuffled_apps, shuffled_members = apps[:], members[:]
    rnd.shuffle(shuffled_apps)
    rnd.shuffle(shuffled_members)
    assert plan_assignments(apps, members, conflicts, per) == plan_assignments(
        shuffled_apps, shuffled_members, conflicts, per
    )


def test_least_loaded_members_are_chosen_first_ties_by_id() -> None:
    members = [
        PlanMember(1, frozenset({"large"}), limit=6, load=2),
        PlanMember(2, frozenset({"large"}), limit=6, load=0),
        PlanMember(3, frozenset({"large"}), limit=6, load=0),
    ]
    plan = plan_assignments([PlanApplication(10, "large")], members, set(), 2)
    assert plan.assignments == ((10, 2), (10, 3))


def test_members_only_review_their_group_and_common_members_review_all() -> None:
    members = [
        PlanMember(1, frozenset({"large"}), limit=6),
        PlanMember(2, frozenset(), limit=6, is_common=True),
    ]
    plan = plan_assignments([PlanApplication(10, "small_medium")], members, set(), 2)
    assert plan.assignments == ((10, 2),)
    assert [(u.application, u.missing, u.reason) for u in plan.unfilled] == [
        (10, 1, "not_enough_members")
    ]


def test_repair_moves_an_earlier_choice_to_fill_a_later_place() -> None:
    plan = plan_assignments(*greedy_trap())
    assert plan.unfilled == ()
    assert plan.assignments == ((100, 2), (101, 1), (102, 4), (103, 3))


def test_gaps_say_why() -> None:
    def reason(plan: Plan) -> str:
        return plan.unfilled[0].reason

    nobody = plan_assignments([PlanApplication(1, "large")], [], set(), 1)
    assert reason(nobody) == "no_members_in_group"
    conflicted = plan_assignments(
        [PlanApplication(1, "large")], [PlanMember(5, frozenset({"large"}), limit=6)], {(1, 5)}, 1
    )
    assert reason(conflicted) == "conflicts"
    busy = plan_assignments(
        [PlanApplication(1, "large")],
        [PlanMember(5, frozenset({"large"}), limit=2, load=2)],
        set(),
        1,
    )
    assert reason(busy) == "load_limit_reached"


def test_places_already_taken_count_towards_the_target() -> None:
    members = [PlanMember(m, frozenset({"large"}), limit=6) for m in (1, 2, 3)]
    plan = plan_assignments([PlanApplication(1, "large", frozenset({1, 2}))], members, set(), 3)
    assert plan.assignments == ((1, 3),)
