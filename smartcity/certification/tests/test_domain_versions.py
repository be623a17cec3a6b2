"""``diff_snapshots``: what changed between two versions, without the database."""

from __future__ import annotations

from typing import Any

from smartcity.certification.domain.versions import FieldChange, diff_snapshots


def claim(code: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "indicator": code,
        "value": None,
        "flag": None,
        "stage": None,
        "evidence": "",
        "justification": "",
        "to_verify": False,
    }
    return {**base, **fields}


def snapshot(*claims: dict[str, Any], files: tuple[dict[str, str], ...] = (), area: Any = None):  # type: ignore[no-untyped-def]
    return {"claims": list(claims), "attachments": list(files), "area_km2": area}


PDF_A = {"kind": "evidence", "name": "부록1.pdf", "sha256": "a" * 64}
PDF_B = {"kind": "evidence", "name": "부록2.pdf", "sha256": "b" * 64}


def test_identical_snapshots_have_no_difference() -> None:
    s = snapshot(claim("1.1.1", value="12.0000"), files=(PDF_A,), area="605.20")
    diff = diff_snapshots(s, s)
    assert diff.empty and diff.claims == () and diff.indicators_touched == frozenset()


def test_a_changed_value_is_reported_field_by_field() -> None:
    before = snapshot(claim("1.1.1", value="12.0000", evidence="부록1.pdf 3쪽"))
    after = snapshot(claim("1.1.1", value="14.0000", evidence="부록1.pdf 3쪽", to_verify=True))
    (change,) = diff_snapshots(before, after).claims
    assert change.indicator == "1.1.1" and change.kind == "changed"
    assert change.fields == (
        FieldChange("value", "12.0000", "14.0000"),
        FieldChange("to_verify", False, True),
    )


def test_the_same_number_written_differently_is_no_change() -> None:
    before = snapshot(claim("1.1.1", value="12.5"), area="605.2")
    after = snapshot(claim("1.1.1", value="12.5000"), area="605.20")
    assert diff_snapshots(before, after).empty


def test_added_and_removed_claims_carry_what_they_say() -> None:
    before = snapshot(claim("1.1.1", value="3.0000"))
    after = snapshot(claim("2.1.1", stage=4, justification="통합플랫폼 운영"))
    removed, added = diff_snapshots(before, after).claims
    assert (removed.indicator, removed.kind) == ("1.1.1", "removed")
    assert removed.fields == (FieldChange("value", "3.0000", None),)
    assert (added.indicator, added.kind) == ("2.1.1", "added")
    assert added.fields == (
        FieldChange("stage", None, 4),
        FieldChange("justification", None, "통합플랫폼 운영"),
    )


def test_a_no_answer_is_an_answer_not_an_empty_claim() -> None:
    """``flag`` False ("아니오") used to count as blank, hiding the change."""
    before = snapshot()
    after = snapshot(claim("3.2.1", flag=False))
    (change,) = diff_snapshots(before, after).claims
    assert change.kind == "added" and change.fields == (FieldChange("flag", None, False),)
    (change,) = diff_snapshots(snapshot(claim("3.2.1", flag=True)), after).claims
    assert change.kind == "changed" and change.fields == (FieldChange("flag", True, False),)


def test_blank_claims_count_as_absent() -> None:
    before = snapshot(claim("1.1.1"))
    assert diff_snapshots(before, snapshot()).empty
    assert diff_snapshots(snapshot(), before).empty
    # An old snapshot without ``to_verify`` equals one where it is False.
    old = {"indicator": "1.1.1", "value": "1.0000"}
    assert diff_snapshots(snapshot(old), snapshot(claim("1.1.1", value="1"))).empty


def test_documents_are_compared_by_content_not_name() -> None:
    renamed = {**PDF_A, "name": "새이름.pdf"}
    diff = diff_snapshots(snapshot(files=(PDF_A,)), snapshot(files=(renamed, PDF_B)))
    assert diff.attachments_added == (PDF_B,)
    assert diff.attachments_removed == ()
    diff = diff_snapshots(snapshot(files=(PDF_A, PDF_B)), snapshot(files=(PDF_B,)))
    assert diff.attachments_removed == (PDF_A,) and diff.claims == ()


def test_the_same_file_as_another_kind_of_document_is_a_change() -> None:
    as_form = {**PDF_A, "kind": "application_form"}
    diff = diff_snapshots(snapshot(files=(PDF_A,)), snapshot(files=(as_form,)))
    assert diff.attachments_added == (as_form,) and diff.attachments_removed == (PDF_A,)


def test_area_change_is_reported() -> None:
    diff = diff_snapshots(snapshot(area=None), snapshot(area="605.20"))
    assert diff.area == FieldChange("area_km2", None, "605.20")
    assert not diff.empty


def test_claims_come_in_indicator_order_and_are_listed_as_touched() -> None:
    before = snapshot(claim("2.1.1", value="1"), claim("1.1.1", value="1"))
    after = snapshot(claim("1.1.1", value="2"), claim("2.1.1", value="3"))
    diff = diff_snapshots(before, after)
    assert [c.indicator for c in diff.claims] == ["1.1.1", "2.1.1"]
    assert diff.indicators_touched == frozenset({"1.1.1", "2.1.1"})
