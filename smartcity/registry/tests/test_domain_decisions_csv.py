"""Parsing a decisions CSV: every bad row is named with its line and field."""

from __future__ import annotations

import datetime as dt

from smartcity.registry.domain.decisions_csv import parse_decisions_csv

HEADER = "kind,subject,subject_code,size_class,decision,decided_on,field,holder,note,source\n"


def parse(body: str, header: str = HEADER, encoding: str = "utf-8"):  # type: ignore[no-untyped-def]
    return parse_decisions_csv((header + body).encode(encoding))


def test_a_good_city_row_is_parsed() -> None:
    result = parse("city,대구광역시,27000,large,new,2021-09-10,,,,2021 press release\n")
    assert result.errors == ()
    (row,) = result.rows
    assert (row.kind, row.subject_code, row.decided_on) == ("city", "27000", dt.date(2021, 9, 10))
    assert row.row == 2


def test_cp949_file_is_read_like_utf8() -> None:
    body = "city,대구광역시,27000,large,new,2021-09-10,,,,보도자료\n"
    assert parse(body, encoding="cp949").rows == parse(body).rows


def test_utf8_with_bom_is_read() -> None:
    data = ("\ufeff" + HEADER + "city,대구광역시,27000,large,new,2021-09-10,,,,\n").encode()
    assert parse_decisions_csv(data).errors == ()


def test_missing_column_is_reported_and_nothing_parsed() -> None:
    result = parse(
        "city,대구광역시,27000,new,2021-09-10,,,,\n",
        header="kind,subject,subject_code,decision,decided_on,field,holder,note,source\n",
    )
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (1, "size_class", "missing_column")
    ]
    assert result.rows == ()


def test_impossible_date_names_row_and_field() -> None:
    result = parse("city,대구광역시,27000,large,new,2021-02-30,,,,\n")
    assert [(e.row, e.field, e.code) for e in result.errors] == [(2, "decided_on", "invalid_date")]


def test_bad_choices_and_codes_are_each_reported() -> None:
    result = parse(
        "town,대구,27000,large,new,2021-09-10,,,,\n"
        "city,대구광역시,2700,large,new,2021-09-10,,,,\n"
        "city,대구광역시,27000,huge,renew,2021-09-10,,,,\n"
    )
    found = [(e.row, e.field, e.code) for e in result.errors]
    assert found == [
        (2, "kind", "invalid_choice"),
        (3, "subject_code", "invalid_code"),
        (4, "decision", "invalid_choice"),
        (4, "size_class", "invalid_choice"),
    ]


def test_same_decision_twice_in_one_file_points_at_the_first() -> None:
    result = parse(
        "city,대구광역시,27000,large,new,2021-09-10,,,,\n"
        "city,대구광역시,27000,large,new,2021-09-10,,,,\n"
    )
    (error,) = result.errors
    assert (error.row, error.code, error.params) == (3, "duplicate_in_file", {"first_row": "2"})


def test_service_rows_need_a_field_and_a_holder() -> None:
    result = parse("service,주차 서비스,,,new,2022-09-29,,,,\n")
    assert {(e.field, e.code) for e in result.errors} == {
        ("field", "required"),
        ("holder", "required"),
    }


def test_blank_lines_are_ignored_and_empty_file_is_an_error() -> None:
    assert parse("\n,,,,,,,,,\n").errors == ()
    assert [e.code for e in parse_decisions_csv(b"").errors] == ["empty_file"]


def test_undecodable_bytes_are_an_error() -> None:
    assert [e.code for e in parse_decisions_csv(b"\xff\xfe\x00\x81\x00").errors] == [
        "undecodable_file"
    ]


def test_row_with_more_cells_than_columns_is_rejected() -> None:
    result = parse("city,대구광역시,27000,large,new,2021-09-10,,,,,extra\n")
    assert [(e.row, e.code) for e in result.errors] == [(2, "too_many_cells")]


GOOD = "city,대구광역시,27000,large,new,2021-09-10,,,,\n"


def test_rows_are_numbered_by_file_line_after_a_multi_line_note() -> None:
    body = 'city,김해시,48250,large,new,2022-09-29,,,"two\nlines",\n' + (
        "city,없는시,9999,large,new,2021-09-10,,,,\n"
    )
    result = parse(body)
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (4, "subject_code", "invalid_code")
    ]
    assert result.rows[0].row == 2


def test_a_field_over_131072_characters_is_a_row_and_field_error() -> None:
    result = parse(GOOD + "city,대구광역시,27000,large,new,2022-09-10,,,," + "x" * 140_000 + "\n")
    assert [(e.row, e.field, e.code) for e in result.errors] == [(3, "source", "field_too_long")]


def test_an_unterminated_quote_is_reported_and_later_rows_are_still_checked() -> None:
    result = parse(
        'city,"대구광역시,27000,large,new,2021-09-10,,,,\n' + GOOD + "city,x,1,,new,x,,,,\n"
    )
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (2, "subject", "unterminated_quote"),
        (4, "decided_on", "invalid_date"),
        (4, "subject_code", "invalid_code"),
    ]


def test_a_nul_character_is_a_row_and_field_error() -> None:
    result = parse("city,대구\x00광역시,27000,large,new,2021-09-10,,,,\n")
    assert [(e.row, e.field, e.code) for e in result.errors] == [(2, "subject", "nul_character")]


def test_values_longer_than_their_column_are_row_and_field_errors() -> None:
    result = parse(
        "service," + "가" * 201 + ",,,new,2021-09-10,교통,기관,,\n"
        "service,서비스,12345678901,,new,2021-09-10,교통,기관,,\n"
    )
    assert [(e.row, e.field, e.code, e.params) for e in result.errors] == [
        (2, "subject", "too_long", {"max": "200"}),
        (3, "subject_code", "too_long", {"max": "10"}),
    ]


def test_a_decision_date_beyond_the_plausible_years_is_an_error() -> None:
    result = parse("city,대구광역시,27000,large,new,9999-12-31,,,,\n")
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (2, "decided_on", "date_out_of_range")
    ]


GRADED = HEADER.replace("source\n", "source,grade\n")


def test_an_optional_grade_is_read_and_a_bad_one_rejects_its_row() -> None:
    result = parse(
        "city,대구광역시,27000,large,new,2021-09-10,,,,보도자료,3\n"
        "city,대전광역시,30000,large,new,2021-09-10,,,,보도자료,2등급\n"
        "city,부천시,41190,large,new,2021-09-10,,,,보도자료,\n"
        "city,안양시,41170,large,new,2021-09-10,,,,보도자료,A\n"
        "city,서울특별시,11000,large,new,2021-09-10,,,,보도자료,6\n"
        "city,대구광역시,27000,large,revocation,2022-03-02,,,,보도자료,3\n",
        header=GRADED,
    )
    assert [r.grade for r in result.rows] == ["3", "2", ""]
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (5, "grade", "invalid_grade"),
        (6, "grade", "invalid_grade"),
        (7, "grade", "grade_on_revocation"),
    ]
