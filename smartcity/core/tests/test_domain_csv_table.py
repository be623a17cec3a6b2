"""The CSV table both importers read through: header, records, problems."""

from __future__ import annotations

from smartcity.core.domain.csv_table import RowError, read_table


def test_records_carry_their_file_line_and_every_header_column() -> None:
    data = "\ufeff\n a ,b,c\n1, 2\n\n,,\n4,5,6\n".encode()
    table = read_table(data, ("a", "b"))
    assert table.header == ("a", "b", "c") and table.errors == ()
    assert [(r.line, r.values) for r in table.records] == [
        (3, {"a": "1", "b": "2", "c": ""}),
        (6, {"a": "4", "b": "5", "c": "6"}),
    ]


def test_file_and_record_problems_are_named_not_raised() -> None:
    assert read_table(b"", ("a",)).errors == (RowError(0, "", "empty_file"),)
    assert read_table(b"\xff\xfe\x00\x81\x00", ("a",)).errors[0].code == "undecodable_file"
    missing = read_table(b"a,x\n1,2\n", ("a", "b", "c"))
    assert missing.records == () and [(e.row, e.field) for e in missing.errors] == [
        (1, "b"),
        (1, "c"),
    ]
    table = read_table("a,b\n1,2,3\n1,\x00\n5,6\n".encode("cp949"), ("a",))
    assert [(e.row, e.field, e.code) for e in table.errors] == [
        (2, "", "too_many_cells"),
        (3, "b", "nul_character"),
    ]
    assert [r.line for r in table.records] == [4] and table.encoding == "utf-8"
