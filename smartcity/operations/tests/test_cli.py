"""The command line: ``smartcity cctv import|stats``, ``incidents list``, ``operations``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from smartcity.operations.models import Camera
from smartcity.operations.tests.factories import IncidentFactory
from smartcity.testing.console import ConsoleScript


def cli(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "tenant", "expected"),
    [
        ("whatsmap_cctv_sample.csv", "11000",
         {"accepted": 1_762, "rejected": 1, "reasons": {"duplicate": 1}}),
        ("daejeon_cctv_standard_2026_cp949.csv", "30000",
         {"accepted": 7_787, "rejected": 1_250,
          "reasons": {"impossible_value": 2, "outside_area": 258, "placeholder_coordinates": 990}}),
    ],
)  # fmt: skip
def test_cctv_import_json_twice_reports_the_same_counts_and_no_change(  # type: ignore[no-untyped-def]
    shared_data, municipal_register, name, tenant, expected
) -> None:
    cli("operations", "add-tenant", tenant)
    path = str(shared_data / "data" / "cctv" / name)
    first = json.loads(cli("cctv", "import", path, "--tenant", tenant, "--format", "json"))
    assert {k: first[k] for k in ("accepted", "rejected", "reasons")} == expected
    assert first["created"] == expected["accepted"]
    second = json.loads(cli("cctv", "import", path, "--tenant", tenant, "--format", "json"))
    assert {k: second[k] for k in ("accepted", "rejected", "reasons")} == expected
    assert (second["created"], second["updated"], second["unchanged"]) == (
        0,
        0,
        expected["accepted"],
    )
    assert second["register_version"] == first["register_version"]
    assert Camera.objects.count() == expected["accepted"]
    text = cli("cctv", "import", path, "--tenant", tenant)
    assert f"{expected['accepted']} accepted" in text


@pytest.mark.django_db
def test_unknown_tenant_and_missing_file_are_errors(tenant_a, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="unknown tenant"):
        cli("cctv", "import", str(tmp_path / "x.csv"), "--tenant", "nope")
    with pytest.raises(CommandError, match="file not found"):
        cli("cctv", "import", str(tmp_path / "x.csv"), "--tenant", tenant_a.code)


@pytest.mark.django_db
def test_incidents_list_json_for_scripts(tenant_a, tenant_b) -> None:  # type: ignore[no-untyped-def]
    a = IncidentFactory(tenant=tenant_a, external_id="A-1")
    IncidentFactory(tenant=tenant_a, status_id="91")
    b = IncidentFactory(tenant=tenant_b)
    everything = json.loads(cli("incidents", "list", "--format", "json"))
    assert {r["id"] for r in everything} >= {a.pk, b.pk}
    mine = json.loads(
        cli("incidents", "list", "--tenant", tenant_a.code, "--open", "--format", "json")
    )
    assert [r["id"] for r in mine] == [a.pk]
    row = mine[0]
    assert (row["tenant"], row["event_type"], row["status"], row["external_id"]) == (
        tenant_a.code, "112UC001", "10", "A-1",
    )  # fmt: skip
    closed = json.loads(cli("incidents", "list", "--status", "91", "--format", "json"))
    assert [r["status"] for r in closed] == ["91"]


@pytest.mark.django_db
def test_issue_key_prints_a_key_that_works(tenant_a, client) -> None:  # type: ignore[no-untyped-def]
    issued = json.loads(cli("operations", "issue-key", "--tenant", tenant_a.code, "--source", "119",
                            "--name", "가람소방서 119"))  # fmt: skip
    response = client.get("/api/operations/event-types", headers={"X-Api-Key": issued["api_key"]})
    assert [t["code"] for t in response.json()] == ["119UC001"]


@pytest.mark.django_db
def test_demo_gives_the_demo_operator_a_board_once(municipal_register, event_model) -> None:  # type: ignore[no-untyped-def]
    from smartcity.operations.models import Incident

    cli("operations", "demo")
    cli("operations", "demo")  # idempotent: same keys, same reports
    # Three sample reports and three of the programme demo's traffic (demo_traffic).
    assert Incident.objects.filter(tenant__code="41280").count() == 6
    assert {i.event_type_id for i in Incident.objects.all()} == {"112UC001", "119UC001", "WPSSF110"}
    # Cameras around each sample incident (3 × 3), once, so the demo grant has
    # video to share, and the programme demo's four (demo_traffic).
    assert Camera.objects.filter(tenant__code="41280").count() == 9 + 4
    # The sample 112 report is a robbery (the Daejeon centre lays its own).
    assert Incident.objects.filter(
        tenant__code="41280", event_type_id="112UC001", case_type="강도"
    ).exists()


@pytest.mark.django_db
def test_demo_links_the_demo_police_room_and_certifies_its_officer(  # type: ignore[no-untyped-def]
    municipal_register, event_model
) -> None:
    from smartcity.accounts.choices import OrganisationKind, Role
    from smartcity.operations.models import Agency, OfficerCertification
    from smartcity.testing.factories import OrganisationFactory, UserFactory

    room = OrganisationFactory(
        name_ko="경기북부경찰청 112치안종합상황실", kind=OrganisationKind.POLICE
    )
    police = UserFactory(username="police", role=Role.AGENCY_OFFICER, organisation=room)
    cli("operations", "demo")
    cli("operations", "demo")
    agency = Agency.objects.get(organisation=room)
    assert [t.code for t in agency.tenants.all()] == ["41280"]
    assert OfficerCertification.objects.filter(officer=police, agency=agency).count() == 1


@pytest.mark.slow
def test_the_console_script_on_an_empty_database(shared_data, console: ConsoleScript) -> None:  # type: ignore[no-untyped-def]
    busan = str(shared_data / "data" / "cctv" / "busan_cctv_standard_2022.csv")
    assert console.run("operations", "add-tenant", "26000").returncode == 0
    # Dates after the import day are refused: the counts hold as of one day.
    as_of = ("--as-of", "2026-12-01")
    first = console.run("cctv", "import", busan, "--tenant", "26000", "--format", "json", *as_of)
    assert first.returncode == 0, first.stderr
    counts = json.loads(first.stdout)
    assert (counts["accepted"], counts["rejected"]) == (11_707, 4_030)
    assert counts["reasons"] == {
        "duplicate": 4_015, "impossible_value": 1, "out_of_korea": 3, "outside_area": 10,
        "placeholder_coordinates": 1,
    }  # fmt: skip
    second = json.loads(
        console.run("cctv", "import", busan, "--tenant", "26000", "--format", "json", *as_of).stdout
    )
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 11_707)
    stats = json.loads(console.run("cctv", "stats", "--tenant", "26000", "--format", "json").stdout)
    assert stats["sites"] == 11_707 and stats["register_version"] == 1
    listing = console.run("incidents", "list", "--format", "json")
    assert json.loads(listing.stdout) == []


@pytest.mark.django_db
def test_add_agency_makes_its_organisation_through_the_accounts_service() -> None:
    from smartcity.core.models import AuditEvent
    from smartcity.operations.models import Agency

    name = "경기북부경찰청 112치안종합상황실"
    cli("linkage", "add-agency", "gb-112", "--kind", "police", "--name", name)
    agency = Agency.objects.select_related("organisation").get(code="gb-112")
    assert (agency.organisation.name_ko, agency.organisation.kind) == (name, "police")
    created = AuditEvent.objects.get(action="accounts.organisation_created")
    assert created.object_id == str(agency.organisation.pk)
