"""grade_robustness(): how far the total is from the boundaries, given the committee's spread."""

from __future__ import annotations

from decimal import Decimal

from smartcity.scoring import Review, grade_robustness
from smartcity.scoring.tests.builders import framework, ind

D = Decimal
FW = framework(ind("a"), ind("b"), grades=("18", "14", "0"), threshold="14")


def test_a_split_committee_near_the_boundary_could_change_the_decision() -> None:
    committee = [Review("m1", "a", D(2)), Review("m2", "a", D(10))]
    report = grade_robustness(FW, {"b": True}, committee)
    assert (report.total, report.grade, report.certified) == (D("16.00"), 2, True)
    assert (report.low_total, report.high_total) == (D("12.00"), D("20.00"))
    assert (report.low_grade, report.high_grade) == (3, 1)
    assert (report.swing_down, report.swing_up) == (D("4.00"), D("4.00"))
    assert (report.margin_below, report.margin_above) == (D("2.00"), D("2.00"))
    assert report.grade_could_change
    assert report.certification_could_change


def test_a_unanimous_committee_leaves_the_grade_safe() -> None:
    committee = [Review("m1", "a", D(10)), Review("m2", "a", D(10))]
    report = grade_robustness(FW, {"b": True}, committee)
    assert (report.swing_down, report.swing_up) == (D("0.00"), D("0.00"))
    assert not report.grade_could_change
    assert not report.certification_could_change
    assert report.margin_above is None  # already the top grade


def test_a_grade_well_inside_its_band_cannot_change() -> None:
    committee = [Review("m1", "a", D(4)), Review("m2", "a", D(8))]
    report = grade_robustness(FW, {}, committee)
    assert (report.grade, report.low_grade, report.high_grade) == (3, 3, 3)
    assert not report.grade_could_change
    assert not report.certification_could_change


def test_the_highest_member_scores_alone_can_lift_an_uncertified_total() -> None:
    committee = [Review("m1", "a", D(0)), Review("m2", "a", D(6))]
    report = grade_robustness(FW, {"b": True}, committee)
    assert (report.grade, report.low_grade, report.high_grade) == (3, 3, 2)
    assert not report.certified
    assert report.certification_could_change


def test_an_ungraded_total_has_no_margin_below() -> None:
    fw = framework(ind("a"), grades=("5",), threshold="5")
    report = grade_robustness(fw, {"a": False})
    assert (report.grade, report.margin_below, report.margin_above) == (None, None, D("5.00"))
