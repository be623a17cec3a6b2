"""The CSV record reader: file lines, and a problem in place of a crash or a
silently swallowed record."""

from __future__ import annotations

from smartcity.core.domain.csv_records import MAX_FIELD, CsvProblem, CsvRecord, read_csv


def records(
    text: str, *, delimiter: str = ",", max_field: int = MAX_FIELD
) -> list[CsvRecord | CsvProblem]:
    return list(read_csv(text, delimiter=delimiter, max_field=max_field))


def test_records_carry_the_line_they_start_on() -> None:
    text = 'a,b,c\r\n1,"two\nlines",3\r\n\r\n4,5,6'
    assert records(text) == [
        CsvRecord(1, ("a", "b", "c")),
        CsvRecord(2, ("1", "two\nlines", "3")),
        CsvRecord(4, ()),
        CsvRecord(5, ("4", "5", "6")),
    ]


def test_an_unterminated_quote_is_reported_and_the_following_lines_are_read() -> None:
    text = 'a,b,c\n1,"2,3\n4,5,6\n7,8,9\n'
    assert records(text) == [
        CsvRecord(1, ("a", "b", "c")),
        CsvProblem(2, 1, "unterminated_quote"),
        CsvRecord(3, ("4", "5", "6")),
        CsvRecord(4, ("7", "8", "9")),
    ]


def test_a_field_over_the_csv_module_limit_is_a_problem_not_an_exception() -> None:
    text = "a,b,c\n1," + "x" * 140_000 + ",3\n4,5,6\n"
    assert records(text) == [
        CsvRecord(1, ("a", "b", "c")),
        CsvProblem(2, 1, "field_too_long"),
        CsvRecord(3, ("4", "5", "6")),
    ]


def test_an_over_long_quoted_field_is_skipped_to_its_real_end() -> None:
    text = 'a,b,c\n1,2,"' + "123456789\n" * 14_000 + '"\n4,5,6\n'
    assert records(text)[1:] == [
        CsvProblem(2, 2, "field_too_long"),
        CsvRecord(14_003, ("4", "5", "6")),
    ]


def test_a_field_over_a_lower_limit_is_reported_with_its_column() -> None:
    assert records("a,b\n1,12345678901\n3,4\n", max_field=10) == [
        CsvRecord(1, ("a", "b")),
        CsvProblem(2, 1, "field_too_long"),
        CsvRecord(3, ("3", "4")),
    ]


def test_a_nul_character_is_a_problem_with_its_column() -> None:
    assert records("a,b\n1,x\x00y\n3,4\n")[1:] == [
        CsvProblem(2, 1, "nul_character"),
        CsvRecord(3, ("3", "4")),
    ]


def test_tab_separated_text_is_read_with_its_delimiter() -> None:
    assert records('a\tb\n"1\t2\n3\t4\n', delimiter="\t")[1:] == [
        CsvProblem(2, 0, "unterminated_quote"),
        CsvRecord(3, ("3", "4")),
    ]
