"""A member's review: is it complete enough to submit, and where is the evidence
a claim cites? Pure: no Django.

Completeness: every indicator assigned to the member carries either points or
an explicit abstention with its reason. Submitting fixes the review, so a
review with 3 of 53 indicators scored must be refused, naming what is missing.

Citations: the applicant's 조견표 line (``evidence_reference``) is free text
such as ``부록1.pdf 3쪽``, ``2028 평가제안서 p.7`` or ``p.12``. It is read as a
document (by file name, else by the kind of document it names, else the
document the indicator's type usually cites) and a page number, so the
scoring page can open the PDF at that page (``#page=N``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ScoreEntry:
    """What a member has recorded for one indicator."""

    points: Decimal | None
    abstained: bool = False
    rationale: str = ""

    @property
    def complete(self) -> bool:
        if self.abstained:
            return bool(self.rationale.strip())
        return self.points is not None


def missing_from_review(codes: Iterable[str], entries: Mapping[str, ScoreEntry]) -> tuple[str, ...]:
    """The indicator codes (in the given order) with neither points nor a reasoned
    abstention: the review cannot be submitted while any is left."""
    return tuple(code for code in codes if code not in entries or not entries[code].complete)


@dataclass(frozen=True)
class ReviewSummary:
    """What the confirmation step tells the member before they submit."""

    total: int
    scored: int
    abstained: int
    departures: int
    points: Decimal


def summarise(
    codes: Sequence[str],
    entries: Mapping[str, ScoreEntry],
    proposals: Mapping[str, Decimal | None],
) -> ReviewSummary:
    """Counts for the confirmation: scored, abstained, departing from the proposal,
    and the member's own total."""
    scored = [entries[c] for c in codes if c in entries and entries[c].points is not None]
    departures = sum(
        1
        for c in codes
        if c in entries
        and entries[c].points is not None
        and proposals.get(c) is not None
        and entries[c].points != proposals[c]
    )
    return ReviewSummary(
        total=len(codes),
        scored=len(scored),
        abstained=sum(1 for c in codes if c in entries and entries[c].abstained),
        departures=departures,
        points=sum((e.points for e in scored if e.points is not None), Decimal(0)),
    )


# --- citations ----------------------------------------------------------------

#: Document kinds (``Attachment.Kind`` values) and the words that name them.
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("proposal", ("평가제안서", "제안서", "proposal")),
    ("self_evaluation", ("자체평가표", "자체평가", "self-evaluation", "self evaluation")),
    ("application_form", ("신청서", "application form")),
    ("evidence", ("증빙", "근거자료", "evidence")),
)
#: The document a claim cites when its line names none: the quantitative
#: proposal for numbers and yes/no, the self-evaluation sheet for maturity.
DEFAULT_KIND = {"number": "proposal", "yes_no": "proposal", "maturity": "self_evaluation"}

_PAGE = re.compile(
    r"(?:(?<![a-z])pp?\.?\s*(\d{1,5}))|(?:(?<![a-z])page\s*(\d{1,5}))"
    r"|(?:(\d{1,5})\s*(?:쪽|페이지|면))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DocumentRef:
    """An uploaded document as the citation rule sees it."""

    id: int
    name: str
    kind: str
    is_pdf: bool


@dataclass(frozen=True)
class Citation:
    """Where a claim's evidence is: the document (None when no upload matches)
    and the page (None when the line gives none)."""

    document: DocumentRef | None
    page: int | None


def cited_page(reference: str) -> int | None:
    """The first page number in a 조견표 line (``3쪽``, ``p.7``, ``page 12``)."""
    match = _PAGE.search(unicodedata.normalize("NFKC", reference))
    if match is None:
        return None
    page = int(next(g for g in match.groups() if g is not None))
    return page if page > 0 else None


def _stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


def cite(reference: str, documents: Sequence[DocumentRef], indicator_kind: str) -> Citation | None:
    """The document and page a claim's evidence line points to, or None for an
    empty line. The latest upload wins when several match (``documents`` in
    upload order)."""
    text = unicodedata.normalize("NFKC", reference).strip()
    if not text:
        return None
    lowered = text.casefold()
    page = cited_page(text)
    by_name = [
        d
        for d in documents
        if d.name and (d.name.casefold() in lowered or _stem(d.name).casefold() in lowered)
    ]
    if by_name:
        # The longest name is the most specific ("부록10" over "부록1").
        best = max(by_name, key=lambda d: (len(_stem(d.name)), d.id))
        return Citation(best, page)
    for kind, words in KIND_WORDS:
        if any(word in lowered for word in words):
            return Citation(_latest(documents, kind), page)
    return Citation(_latest(documents, DEFAULT_KIND.get(indicator_kind, "proposal")), page)


def _latest(documents: Sequence[DocumentRef], kind: str) -> DocumentRef | None:
    matching = [d for d in documents if d.kind == kind]
    return max(matching, key=lambda d: d.id) if matching else None
