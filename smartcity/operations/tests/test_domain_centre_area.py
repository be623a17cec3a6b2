"""Which centre a reported place belongs to: the pure rule."""

from __future__ import annotations

from smartcity.operations.domain.centre_area import (
    AREA_CODE_OUTSIDE_CENTRE,
    OUTSIDE_CENTRE,
    OutsidePolicy,
    PlaceFacts,
    Verdict,
    place_report,
)

GOYANG, PAJU, GIMPO, SEOUL, BUSAN = "41280", "41480", "41570", "11000", "26000"
OTHERS = {SEOUL: 2, BUSAN: 3}
ALL = {GOYANG, PAJU, GIMPO, SEOUL, BUSAN}


def facts(containing: set[str], area_code: str = "", judged: set[str] = ALL) -> PlaceFacts:
    return PlaceFacts([GOYANG, PAJU, GIMPO], judged, containing, OTHERS, area_code)


def test_a_point_in_any_member_is_the_centres_and_names_the_member() -> None:
    placed = place_report(facts({PAJU}), OutsidePolicy.REFUSE)
    assert (placed.verdict, placed.municipality, placed.target) == (Verdict.INSIDE, PAJU, None)


def test_within_the_tolerance_of_two_members_the_area_code_chooses() -> None:
    placed = place_report(facts({GOYANG, GIMPO}, area_code=GIMPO), OutsidePolicy.REFUSE)
    assert placed.municipality == GIMPO and not placed.area_code_disagrees


def test_coordinates_win_over_an_area_code_of_another_centre_and_the_clash_is_flagged() -> None:
    placed = place_report(facts({GOYANG}, area_code=SEOUL), OutsidePolicy.REFUSE)
    assert placed.verdict is Verdict.INSIDE and placed.area_code_disagrees


def test_outside_every_member_is_refused_by_default() -> None:
    placed = place_report(facts({BUSAN}), OutsidePolicy.REFUSE)
    assert (placed.verdict, placed.reason) == (Verdict.REFUSED, OUTSIDE_CENTRE)


def test_outside_is_routed_to_the_centre_serving_the_point_when_the_policy_says_so() -> None:
    placed = place_report(facts({BUSAN}), OutsidePolicy.ROUTE)
    assert (placed.verdict, placed.target, placed.municipality) == (Verdict.ROUTED, 3, BUSAN)
    assert placed.reason == OUTSIDE_CENTRE


def test_routing_with_no_centre_serving_the_point_refuses() -> None:
    placed = place_report(facts(set()), OutsidePolicy.ROUTE)
    assert placed.verdict is Verdict.REFUSED


def test_without_boundaries_an_area_code_of_another_centre_decides() -> None:
    unjudged = facts(set(), area_code=SEOUL, judged={SEOUL, BUSAN})
    assert place_report(unjudged, OutsidePolicy.REFUSE).reason == AREA_CODE_OUTSIDE_CENTRE
    routed = place_report(unjudged, OutsidePolicy.ROUTE)
    assert (routed.verdict, routed.target) == (Verdict.ROUTED, 2)


def test_with_nothing_to_judge_by_the_report_stays() -> None:
    placed = place_report(facts(set(), judged=set()), OutsidePolicy.REFUSE)
    assert placed.verdict is Verdict.INSIDE and placed.municipality == ""
    named = place_report(facts(set(), area_code=PAJU, judged=set()), OutsidePolicy.REFUSE)
    assert named.municipality == PAJU


def test_a_member_without_boundary_is_not_refused_unless_another_centre_holds_the_point() -> None:
    partial = {GOYANG, SEOUL, BUSAN}  # 파주, 김포 unjudged
    assert place_report(facts(set(), judged=partial), OutsidePolicy.REFUSE).verdict is (
        Verdict.INSIDE
    )
    elsewhere = place_report(facts({SEOUL}, judged=partial), OutsidePolicy.REFUSE)
    assert elsewhere.verdict is Verdict.REFUSED
