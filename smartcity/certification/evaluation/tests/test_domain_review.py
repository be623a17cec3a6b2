"""A member's review, pure: completeness before submission, the confirmation's
summary, and where a claim's evidence line points (document and page)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartcity.certification.evaluation.domain.review import (
    DocumentRef,
    ScoreEntry,
    cite,
    cited_page,
    missing_from_review,
    summarise,
)

CODES = ("A1", "A2", "A3")


def test_a_review_is_complete_when_every_indicator_is_scored_or_abstained_with_a_reason() -> None:
    entries = {
        "A1": ScoreEntry(Decimal("3")),
        "A2": ScoreEntry(None, abstained=True, rationale="자료 없음"),
        "A3": ScoreEntry(Decimal("0")),
    }
    assert missing_from_review(CODES, entries) == ()


def test_missing_names_unscored_and_unreasoned_abstentions_in_order() -> None:
    entries = {
        "A2": ScoreEntry(None, abstained=True, rationale="  "),
        "A3": ScoreEntry(Decimal("1")),
    }
    assert missing_from_review(CODES, entries) == ("A1", "A2")


def test_three_of_fifty_three_scored_leaves_fifty_missing() -> None:
    codes = [f"I{n}" for n in range(53)]
    entries = {code: ScoreEntry(Decimal(1)) for code in codes[:3]}
    assert len(missing_from_review(codes, entries)) == 50


def test_the_summary_counts_scores_abstentions_and_departures() -> None:
    entries = {
        "A1": ScoreEntry(Decimal("3")),
        "A2": ScoreEntry(None, abstained=True, rationale="자료 없음"),
        "A3": ScoreEntry(Decimal("2.5"), rationale="과대 산정"),
    }
    summary = summarise(CODES, entries, {"A1": Decimal("3"), "A2": None, "A3": Decimal("4")})
    assert (summary.total, summary.scored, summary.abstained, summary.departures) == (3, 2, 1, 1)
    assert summary.points == Decimal("5.5")


@pytest.mark.parametrize(
    ("reference", "page"),
    [
        ("부록1.pdf 3쪽", 3),
        ("2028 평가제안서 p.7", 7),
        ("p.12", 12),
        ("제안서p.7", 7),
        ("page 4", 4),
        ("pp. 4-5", 4),
        ("부록 2, 10 페이지", 10),
        ("부록1.pdf", None),
        ("p.0", None),
        ("ｐ．９", 9),  # full-width, as typed with a Korean IME
    ],
)
def test_the_cited_page_is_read_from_the_evidence_line(reference: str, page: int | None) -> None:
    assert cited_page(reference) == page


DOCS = (
    DocumentRef(1, "신청서.pdf", "application_form", True),
    DocumentRef(2, "평가제안서_2026.pdf", "proposal", True),
    DocumentRef(3, "부록1.pdf", "evidence", True),
    DocumentRef(4, "부록10.pdf", "evidence", True),
    DocumentRef(5, "자체평가표.hwp", "self_evaluation", False),
    DocumentRef(6, "평가제안서_수정.pdf", "proposal", True),
)


def test_a_file_name_in_the_line_picks_that_document_the_most_specific_first() -> None:
    citation = cite("부록10.pdf 3쪽", DOCS, "number")
    assert citation is not None and citation.document == DOCS[3] and citation.page == 3
    citation = cite("부록1 5쪽", DOCS, "number")
    assert citation is not None and citation.document == DOCS[2] and citation.page == 5


def test_a_kind_named_in_the_line_picks_the_latest_document_of_that_kind() -> None:
    citation = cite("평가제안서 p.7", DOCS, "maturity")
    assert citation is not None and citation.document == DOCS[5] and citation.page == 7


def test_a_bare_page_cites_the_document_the_indicator_type_usually_cites() -> None:
    quantitative = cite("p.3", DOCS, "number")
    qualitative = cite("p.3", DOCS, "maturity")
    assert quantitative is not None and quantitative.document == DOCS[5]
    assert qualitative is not None and qualitative.document == DOCS[4]


def test_an_empty_line_cites_nothing_and_no_upload_leaves_the_page_alone() -> None:
    assert cite("  ", DOCS, "number") is None
    citation = cite("p.3", (), "number")
    assert citation is not None and citation.document is None and citation.page == 3
