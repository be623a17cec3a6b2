"""The programme CSV parsers and the five-service derivation, without the database."""

from __future__ import annotations

from pathlib import Path

from smartcity.operations.domain.five_services import (
    CHANNEL_ONLY,
    LINKED,
    NONE,
    TRAFFIC_ONLY,
    linked_count,
    service_links,
)
from smartcity.operations.domain.programme_csv import (
    ApplicantRow,
    ProgrammeRow,
    parse_applicants_csv,
    parse_programmes_csv,
)

DATA = Path(__file__).resolve().parents[1] / "demo_data"
APPLICANT_HEADER = "year,municipality_code,selected,national_subsidy_won,note\n"


def test_the_2018_call_parses_as_the_press_release_states_it() -> None:
    parsed = parse_programmes_csv((DATA / "platform_programmes.csv").read_bytes())
    assert parsed.errors == ()
    (row,) = parsed.rows
    assert isinstance(row, ProgrammeRow)
    assert (row.year, row.applicants_reported, row.selections_reported) == (2018, 33, 12)
    assert (row.budget_per_site_won, row.national_per_site_won) == (1_200_000_000, 600_000_000)
    assert (row.target_count, row.target_year) == (80, 2022)


def test_the_2018_selection_names_twelve_local_governments() -> None:
    parsed = parse_applicants_csv((DATA / "platform_applicants_2018.csv").read_bytes())
    assert parsed.errors == ()
    assert len(parsed.rows) == 12
    assert all(isinstance(r, ApplicantRow) and r.selected for r in parsed.rows)


def test_bad_rows_are_reported_with_their_line_and_column_and_good_rows_kept() -> None:
    text = (
        APPLICANT_HEADER
        + "2018,11000,선정,600000000,\n"  # line 2: fine
        + "2018,1100,선정,,\n"  # line 3: a four-digit code
        + "2018,11440,maybe,,\n"  # line 4: not a yes/no
        + "2018,11650,선정,-5,\n"  # line 5: a negative sum
        + "2018,11650,선정,99999999999999999999,\n"  # line 6: absurdly large
        + "18,11710,선정,,\n"  # line 7: a year out of range
        + "2018,11740,선정,,a\x00b\n"  # line 8: NUL
        + "2018,11740,선정,,a\x07b\n"  # line 9: a control character
        + "2018,11000,미선정,,\n"  # line 10: repeats line 2
    )
    parsed = parse_applicants_csv(text.encode())
    found = {(e.row, e.field, e.code) for e in parsed.errors}
    assert found == {
        (3, "municipality_code", "invalid_code"),
        (4, "selected", "invalid_choice"),
        (5, "national_subsidy_won", "invalid_number"),
        (6, "national_subsidy_won", "number_out_of_range"),
        (7, "year", "number_out_of_range"),
        (8, "note", "nul_character"),
        (9, "note", "control_character"),
        (10, "municipality_code", "duplicate_in_file"),
    }
    assert [r.municipality_code for r in parsed.rows] == ["11000"]


def test_a_file_without_the_required_columns_names_them() -> None:
    parsed = parse_programmes_csv("title_ko\n사업\n".encode())
    assert [(e.row, e.field, e.code) for e in parsed.errors] == [(1, "year", "missing_column")]
    assert parse_programmes_csv(b"").errors[0].code == "empty_file"
    assert parse_programmes_csv(b"\xff\xfe\xfa").errors[0].code == "undecodable_file"


def test_a_national_share_over_the_budget_is_refused() -> None:
    text = "year,title_ko,budget_per_site_won,national_per_site_won\n2018,사업,100,200\n"
    parsed = parse_programmes_csv(text.encode())
    assert [(e.row, e.code) for e in parsed.errors] == [(2, "national_over_budget")]


def test_a_service_is_linked_only_with_both_a_channel_and_traffic() -> None:
    links = service_links(
        agency_kinds={"police", "disaster_room"},
        intake_sources={"WP1"},
        incidents_by_type={"112UC001": 2, "119UC001": 1, "WPSSF110": 1},
    )
    states = {link.service.key: link.state for link in links}
    assert states == {
        "video_112": LINKED,  # police room + 112 video incidents
        "dispatch_112": CHANNEL_ONLY,  # police room, no dispatch incidents
        "dispatch_119": TRAFFIC_ONLY,  # a 119 incident but no fire room
        "disaster": CHANNEL_ONLY,
        "vulnerable": LINKED,  # the carrier's key + a vulnerable-person incident
    }
    assert linked_count(links) == 2
    assert all(
        link.state == NONE
        for link in service_links(agency_kinds=set(), intake_sources=set(), incidents_by_type={})
    )
