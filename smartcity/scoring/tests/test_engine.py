"""score(): committee versus proposal, flags, rounding once, grades and certification."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest

from smartcity.scoring import (
    ENGINE_VERSION,
    Framework,
    LinearRule,
    Observation,
    Review,
    RoundingRule,
    framework_hash,
    score,
    shipped_framework,
)
from smartcity.scoring.tests.builders import MATURITY, framework, ind

D = Decimal


def committee_at(fw: Framework, share: Decimal, shortfall: str = "0") -> list[Review]:
    """One member giving every indicator ``share`` of its points, minus ``shortfall`` once."""
    reviews = [Review("m1", i.code, i.points * share) for i in fw.indicators]
    first = reviews[0]
    reviews[0] = Review("m1", first.indicator, first.points - D(shortfall))
    return reviews


@pytest.mark.parametrize("code", ["city-2021", "city-2023"])
def test_city_at_exactly_1400_is_grade_3_and_certified(code: str) -> None:
    fw = shipped_framework(code)
    result = score(fw, {}, committee_at(fw, D("0.7")))
    assert result.total == D("1400.00")
    assert (result.grade, result.certified) == (3, True)


@pytest.mark.parametrize("code", ["city-2021", "city-2023"])
def test_city_at_1399_99_is_grade_4_and_not_certified(code: str) -> None:
    fw = shipped_framework(code)
    result = score(fw, {}, committee_at(fw, D("0.7"), shortfall="0.01"))
    assert result.total == D("1399.99")
    assert (result.grade, result.certified) == (4, False)


@pytest.mark.parametrize("code", ["service-transport-2022", "service-environment-energy-2023"])
def test_service_at_70_is_certified_and_69_99_is_not(code: str) -> None:
    fw = shipped_framework(code)
    at = score(fw, {}, committee_at(fw, D("0.7")))
    below = score(fw, {}, committee_at(fw, D("0.7"), shortfall="0.01"))
    assert (at.total, at.certified, at.grade) == (D("70.00"), True, 3)
    assert (below.total, below.certified, below.grade) == (D("69.99"), False, 4)


@pytest.mark.parametrize(
    ("share", "grade"),
    # 0.8999975 × 2,000 = 1,799.995, which the framework's ROUND_HALF_UP reports as 1,800.00.
    [("0.9", 1), ("0.8999975", 1), ("0.8999974", 2), ("0.8", 2), ("0.6", 4), ("0.1", 5)],
)
def test_city_grade_bands_are_inclusive_at_their_minimum(share: str, grade: int) -> None:
    fw = shipped_framework("city-2023")
    assert score(fw, {}, committee_at(fw, D(share))).grade == grade


def test_a_total_below_every_band_has_no_grade() -> None:
    fw = framework(ind("a"), grades=("18", "5"))
    result = score(fw, {"a": False})
    assert result.grade is None
    assert result.trace[-2].code == "grade.below_all_bands"


def test_without_reviews_the_proposal_scores() -> None:
    fw = framework(ind("a"), ind("b", MATURITY))
    result = score(fw, {"a": True, "b": 4})
    assert result.total == D("18.00")
    assert result.indicator("b").source == "proposal"
    assert result.indicator("b").proposal_points == D("8.00")
    assert result.indicator("b").aggregated is None


def test_the_committee_overrides_the_proposal_and_the_difference_is_flagged() -> None:
    fw = framework(ind("a", MATURITY))
    result = score(fw, {"a": 5}, [Review("m1", "a", D(6)), Review("m2", "a", D(7))])
    a = result.indicator("a")
    assert (a.source, a.points, a.proposal_points, a.aggregated) == (
        "committee",
        D("6.50"),
        D("10.00"),
        D("6.50"),
    )
    assert a.member_points == (("m1", D(6)), ("m2", D(7)))
    assert "committee_differs" in a.flags
    assert any(t.code == "committee.differs_from_proposal" for t in result.trace)


def test_a_committee_agreeing_with_the_proposal_is_not_flagged() -> None:
    fw = framework(ind("a", MATURITY))
    result = score(fw, {"a": 3}, [Review("m1", "a", D(6))])
    assert result.indicator("a").flags == ()


def test_the_committee_can_score_an_indicator_without_a_claim() -> None:
    fw = framework(ind("a"))
    result = score(fw, {}, [Review("m1", "a", D(4))])
    a = result.indicator("a")
    assert (a.source, a.points, a.proposal_points) == ("committee", D("4.00"), None)
    assert "missing_observation" in a.flags


def test_a_missing_claim_scores_zero_and_says_so() -> None:
    result = score(framework(ind("a")), {})
    a = result.indicator("a")
    assert (a.points, a.source, a.value) == (D("0.00"), "none", None)
    assert result.trace[0].code == "indicator.missing_observation"


@pytest.mark.parametrize(
    ("aggregation", "members", "expected"),
    [
        ("mean", ["0", "6", "9", "10"], "6.25"),
        ("trimmed_mean", ["0", "6", "9", "10"], "7.50"),
        ("median", ["0", "6", "9", "10"], "7.50"),
        ("median", ["1", "2", "9"], "2.00"),
        ("trimmed_mean", ["2", "9"], "5.50"),
        ("mean", ["1", "1", "2"], "1.33"),
    ],
)
def test_members_scores_are_combined_by_the_frameworks_method(
    aggregation: str, members: list[str], expected: str
) -> None:
    fw = framework(ind("a"), aggregation=aggregation)
    reviews = [Review(f"m{n}", "a", D(p)) for n, p in enumerate(members)]
    result = score(fw, {"a": True}, reviews)
    assert result.indicator("a").aggregated == D(expected)
    aggregated = next(t for t in result.trace if t.code == "committee.aggregated")
    assert aggregated.params["trimmed"] is (aggregation == "trimmed_mean" and len(members) >= 3)


@pytest.mark.parametrize(("low", "flagged"), [("7", False), ("6.99", True)])
def test_a_spread_above_the_share_of_points_is_flagged(low: str, flagged: bool) -> None:
    fw = framework(ind("a"), spread="0.3")  # 30 % of 10 points: a spread of 3 is tolerated
    reviews = [Review("m1", "a", D(10)), Review("m2", "a", D(low))]
    result = score(fw, {"a": True}, reviews)
    assert ("disagreement" in result.indicator("a").flags) is flagged
    assert any(t.code == "committee.disagreement" for t in result.trace) is flagged


def test_missing_evidence_is_flagged_but_not_zeroed() -> None:
    fw = framework(ind("a", evidence="조례 사본"), ind("b", evidence="계획서"), ind("c"))
    claims = [Observation("a", True), Observation("b", True, "부록 2"), Observation("c", True)]
    result = score(fw, claims)
    assert result.indicator("a").flags == ("evidence_missing",)
    assert result.indicator("a").points == D("10.00")
    assert result.indicator("b").flags == ()
    assert result.indicator("c").flags == ()


def test_rounding_happens_once_on_the_total_and_the_parts_add_up() -> None:
    # Three indicators at 1/3 point each: rounding each first would report 0.99.
    fw = framework(ind("a", points="1"), ind("b", points="1"), ind("c", points="1"))
    reviews = [
        Review(m, code, D(p)) for code in "abc" for m, p in (("m1", 0), ("m2", 0), ("m3", 1))
    ]
    result = score(fw, {}, reviews)
    assert result.exact_total == 1
    assert result.total == D("1.00")
    assert [i.points for i in result.indicators] == [D("0.34"), D("0.33"), D("0.33")]
    assert [i.exact for i in result.indicators] == [Fraction(1, 3)] * 3


def test_rounding_follows_the_frameworks_rule() -> None:
    fw = framework(
        ind("a", LinearRule(D(0), D(3), "higher_better"), points="1"),
        rounding=RoundingRule(1, "ROUND_DOWN"),
    )
    assert score(fw, {"a": D(2)}).total == D("0.6")


def test_the_total_never_exceeds_the_maximum_even_with_points_finer_than_rounding() -> None:
    fw = framework(ind("a", points="0.005"), grades=("0",), threshold="0")
    result = score(fw, {"a": True})
    assert result.exact_total == Fraction(1, 200)
    assert result.total == D("0.00")


def test_results_carry_the_engine_version_and_framework_hash() -> None:
    fw = framework(ind("a"))
    result = score(fw, {"a": True})
    assert result.engine_version == ENGINE_VERSION
    assert result.framework_hash == framework_hash(fw)
    assert result.framework_code == "test"
    assert result.max_total == D(10)


def test_subtotals_are_reported_per_item_and_area() -> None:
    fw = framework(items=((ind("a"), ind("b")), (ind("c", MATURITY),)))
    result = score(fw, {"a": True, "c": 2})
    assert [i.points for i in result.areas[0].items] == [D("10.00"), D("4.00")]
    assert [i.max_points for i in result.areas[0].items] == [D(20), D(10)]
    assert result.areas[0].points == D("14.00")
    assert result.areas[0].max_points == D(30)


def test_the_trace_holds_codes_not_sentences() -> None:
    fw = shipped_framework("city-2023")
    claims = {i.code: 3 for i in fw.indicators if i.qualitative}
    result = score(fw, claims, [Review("m1", fw.indicators[0].code, D(0))])
    assert {t.code for t in result.trace} >= {"grade.assigned", "certification.decided"}
    assert all(re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", t.code) for t in result.trace)


def test_looking_up_an_unknown_indicator_result_raises_key_error() -> None:
    with pytest.raises(KeyError):
        score(framework(ind("a")), {}).indicator("zzz")
