"""Bad claims and bad committee scores raise errors that name the indicator and the problem."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartcity.scoring import (
    DuplicateObservationError,
    DuplicateReviewError,
    InvalidMemberScoreError,
    Observation,
    Review,
    ScoringInputError,
    UnknownIndicatorError,
    score,
)
from smartcity.scoring.tests.builders import framework, ind

FW = framework(ind("a"), ind("b"))


def test_an_unknown_indicator_in_the_claims_is_refused() -> None:
    with pytest.raises(UnknownIndicatorError) as caught:
        score(FW, {"a": True, "zz": True})
    assert (caught.value.indicator_code, caught.value.problem) == ("zz", "unknown_indicator")
    assert str(caught.value) == "zz: unknown_indicator"


def test_two_claims_for_one_indicator_are_refused() -> None:
    with pytest.raises(DuplicateObservationError) as caught:
        score(FW, [Observation("a", True), Observation("a", False)])
    assert caught.value.problem == "duplicate_observation"


def test_claims_may_be_given_as_a_mapping_of_values_or_observations() -> None:
    claims = {"a": True, "b": Observation("b", True, "p. 4")}
    assert score(FW, claims).total == Decimal("20.00")


@pytest.mark.parametrize(
    ("review", "error", "problem"),
    [
        (Review("m1", "zz", Decimal(1)), UnknownIndicatorError, "unknown_indicator"),
        (Review("m1", "a", Decimal("-0.01")), InvalidMemberScoreError, "member_score_negative"),
        (Review("m1", "a", Decimal("10.01")), InvalidMemberScoreError, "member_score_above_points"),
        (Review("m1", "a", 5.0), InvalidMemberScoreError, "member_score_not_decimal"),  # type: ignore[arg-type]
        (Review("m1", "a", True), InvalidMemberScoreError, "member_score_not_decimal"),  # type: ignore[arg-type]
        (Review("m1", "a", Decimal("NaN")), InvalidMemberScoreError, "member_score_not_finite"),
    ],
)
def test_a_bad_member_score_is_refused_with_its_indicator_and_member(
    review: Review, error: type[ScoringInputError], problem: str
) -> None:
    with pytest.raises(error) as caught:
        score(FW, {}, [review])
    assert caught.value.problem == problem
    assert caught.value.indicator_code == review.indicator
    assert caught.value.detail == "m1"
    assert "(m1)" in str(caught.value)


def test_a_member_scoring_an_indicator_twice_is_refused() -> None:
    reviews = [Review("m1", "a", Decimal(1)), Review("m1", "a", Decimal(2))]
    with pytest.raises(DuplicateReviewError, match="duplicate_review"):
        score(FW, {}, reviews)


def test_member_scores_at_the_limits_and_as_integers_are_accepted() -> None:
    reviews = [Review("m1", "a", Decimal(0)), Review("m2", "a", 10)]  # type: ignore[arg-type]
    assert score(FW, {}, reviews).indicator("a").aggregated == Decimal("5.00")
