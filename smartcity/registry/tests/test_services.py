"""Importing decisions: all or nothing, idempotent, every bad row named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from smartcity.core.models import AuditEvent
from smartcity.registry.models import Certificate, Decision, Subject
from smartcity.registry.selectors import certificates_valid_on, status_rows
from smartcity.registry.services import import_decisions
from smartcity.registry.tests.conftest import HEADER, csv_bytes

pytestmark = pytest.mark.django_db

DAEGU_2021 = "city,대구광역시,27000,large,new,2021-09-10,,,,2021 press release (001)"


@pytest.fixture
def history(shared_data, municipal_register) -> bytes:  # type: ignore[no-untyped-def]
    return (shared_data / "domain" / "certification_history.csv").read_bytes()


def test_seed_history_gives_31_valid_certifications_at_end_of_2025(history: bytes) -> None:
    result = import_decisions(data=history, file_name="certification_history.csv")
    assert result.ok, result.errors
    assert result.created == 56
    rows = status_rows(dt.date(2025, 12, 31))
    assert len(rows) == 31
    subjects = {r["subject"] for r in rows}
    assert "대전광역시" not in subjects
    assert {"고양시", "세종특별자치시", "스마트 자전거 지킴이 솔루션"} <= subjects  # 2024 new
    assert {"수원시", "여수시", "서울특별시 은평구"} <= subjects  # 2025 new
    by_subject = {r["subject"]: r for r in rows}
    assert by_subject["김해시"]["granted_by"] == "extension"
    assert by_subject["김해시"]["valid_from"] == "2024-09-29"
    assert by_subject["김해시"]["valid_until"] == "2026-11-24"
    assert by_subject["서울특별시"]["granted_by"] == "extension"
    assert by_subject["서울특별시"]["valid_from"] == "2025-11-24"


def test_importing_the_same_file_twice_changes_nothing(history: bytes) -> None:
    import_decisions(data=history, file_name="a.csv")
    before = (Decision.objects.count(), Certificate.objects.count(), Subject.objects.count())
    numbers = list(Certificate.objects.order_by("pk").values_list("number", flat=True))
    again = import_decisions(data=history, file_name="a.csv")
    assert again.ok
    assert (again.created, again.unchanged) == (0, 56)
    after = (Decision.objects.count(), Certificate.objects.count(), Subject.objects.count())
    assert before == after
    assert numbers == list(Certificate.objects.order_by("pk").values_list("number", flat=True))


def test_unknown_municipality_code_rejects_the_whole_file(municipal_register) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes(DAEGU_2021, "city,없는시,99999,large,new,2021-09-10,,,,")
    result = import_decisions(data=data, file_name="bad.csv")
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (3, "subject_code", "unknown_municipality")
    ]
    assert Decision.objects.count() == 0
    assert Subject.objects.count() == 0


def test_extension_with_no_prior_certification_is_refused(municipal_register) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes(DAEGU_2021, "city,김해시,48250,large,extension,2024-11-25,,,,")
    result = import_decisions(data=data, file_name="bad.csv")
    assert [(e.row, e.code) for e in result.errors] == [(3, "extension_without_certification")]
    assert Decision.objects.count() == 0
    assert Certificate.objects.count() == 0


def test_bad_rows_leave_existing_registry_untouched(municipal_register) -> None:  # type: ignore[no-untyped-def]
    first = csv_bytes(DAEGU_2021)
    assert import_decisions(data=first, file_name="first.csv").ok
    bad = csv_bytes(
        "city,대구광역시,27000,large,extension,2023-10-01,,,,",
        "city,대구광역시,27000,large,new,2021-02-30,,,,",
    )
    result = import_decisions(data=bad, file_name="bad.csv")
    assert [(e.row, e.field, e.code) for e in result.errors] == [(3, "decided_on", "invalid_date")]
    assert Decision.objects.count() == 1


def test_conflicting_duplicate_of_registered_decision_is_reported(municipal_register) -> None:  # type: ignore[no-untyped-def]
    first = csv_bytes(DAEGU_2021)
    import_decisions(data=first, file_name="first.csv")
    result = import_decisions(
        data=csv_bytes("city,대구광역시,27000,small_medium,new,2021-09-10,,,,"), file_name="x.csv"
    )
    (error,) = result.errors
    assert (error.row, error.field, error.code) == (2, "size_class", "conflicts_with_registry")


def test_revocation_ends_the_certificate_and_is_shown(municipal_register) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes(DAEGU_2021, "city,대구광역시,27000,large,revocation,2022-03-02,,,,")
    assert import_decisions(data=data, file_name="r.csv").ok
    certificate = Certificate.objects.get()
    assert certificate.valid_until == dt.date(2022, 3, 1)
    assert certificate.ended_by == "revoked"
    assert status_rows(dt.date(2022, 3, 2)) == []


def test_certificate_numbers_are_sequential_per_year_and_kind(history: bytes) -> None:
    import_decisions(data=history, file_name="h.csv")
    numbers_2021 = sorted(
        Certificate.objects.filter(decision__decided_on__year=2021).values_list("number", flat=True)
    )
    assert numbers_2021 == [f"2021-C-{n:04d}" for n in range(1, 9)]
    assert Certificate.objects.filter(number__startswith="2024-S-").count() == 4


def test_import_is_audited(municipal_register) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes(DAEGU_2021)
    import_decisions(data=data, file_name="first.csv")
    event = AuditEvent.objects.get(action="registry.decisions_imported")
    assert event.data["created"] == 1


# --- record_decision: the one write path (import, announcement, revocation) ---


def test_a_decision_on_its_own_issues_its_certificate_and_is_audited(
    municipal_register, ministry_officer
) -> None:  # type: ignore[no-untyped-def]
    from smartcity.municipalities.models import Municipality
    from smartcity.registry.services import city_subject, record_decision

    daegu = Municipality.objects.get(code="27000")
    subject = city_subject(municipality=daegu, name="대구광역시")
    assert city_subject(municipality=daegu, name="다른 이름") == subject  # made once
    decision = record_decision(
        actor=ministry_officer, subject=subject, decision="new", decided_on=dt.date(2021, 9, 10)
    )
    assert decision.source == "smartcity workflow"
    assert Certificate.objects.get(decision=decision).number == "2021-C-0001"
    event = AuditEvent.objects.get(action="registry.decision_recorded")
    assert (event.object_id, event.data["decision"]) == (str(decision.pk), "new")
    assert event.data["subject"] == "대구광역시"


def test_a_second_decision_of_the_day_or_one_the_lifecycle_refuses_writes_nothing(
    municipal_register, ministry_officer
) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from smartcity.registry.services import RegistryRefused, record_decision, service_subject

    subject = service_subject(name="스마트 주차 안내", field="transport", holder="(주)주차")
    day = dt.date(2024, 5, 1)
    record_decision(actor=ministry_officer, subject=subject, decision="new", decided_on=day)
    with pytest.raises(RegistryRefused, match="duplicate_decision"):
        record_decision(actor=ministry_officer, subject=subject, decision="new", decided_on=day)
    with pytest.raises(RegistryRefused, match="extension_same_day"), transaction.atomic():
        record_decision(
            actor=ministry_officer, subject=subject, decision="extension", decided_on=day
        )
    assert Decision.objects.filter(subject=subject).count() == 1
    assert AuditEvent.objects.filter(action="registry.decision_recorded").count() == 1


def test_one_decision_under_two_codes_of_a_municipality_is_a_row_error(municipal_register) -> None:  # type: ignore[no-untyped-def]
    # Sejong's announced and register codes name one municipality: the file
    # holds the same decision twice, which the registry refuses by row.
    data = csv_bytes(
        "city,세종특별자치시,36110,large,new,2021-09-10,,,,",
        "city,세종특별자치시,36000,large,new,2021-09-10,,,,",
    )
    result = import_decisions(data=data, file_name="sejong.csv")
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (3, "decision", "duplicate_decision")
    ]
    assert not Decision.objects.exists()


def test_status_query_is_one_narrow_query_equal_to_the_certificates_valid_that_day(
    history: bytes, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """The status query reads plain columns (issue 17) and gives, row for row,
    what the certificates valid that day say through their joined models."""
    assert import_decisions(data=history, file_name="certification_history.csv").ok
    for day in (dt.date(2021, 12, 31), dt.date(2024, 6, 30), dt.date(2025, 12, 31)):
        with django_assert_num_queries(1):
            rows = status_rows(day)
        expected = [
            {
                "kind": c.kind,
                "subject": c.subject.name,
                "subject_code": c.decision.subject_code
                or (c.subject.municipality.code if c.subject.municipality else ""),
                "size_class": c.size_class,
                "granted_by": c.granted_by,
                "valid_from": c.valid_from.isoformat(),
                "valid_until": c.valid_until.isoformat(),
                "certificate_number": c.number,
            }
            for c in certificates_valid_on(day).select_related("decision")
        ]
        assert rows == expected and rows
    sejong = next(r for r in status_rows(dt.date(2025, 12, 31)) if r["subject"] == "세종특별자치시")
    assert sejong["subject_code"] == "36110"  # as the decision's source gave it


def test_an_imported_grade_is_kept_shown_and_a_different_one_conflicts(
    municipal_register,
    client,  # type: ignore[no-untyped-def]
) -> None:
    graded = HEADER.replace("source\n", "source,grade\n")
    data = (graded + DAEGU_2021 + ",3\n").encode()
    assert import_decisions(data=data, file_name="graded.csv").ok
    certificate = Certificate.objects.get()
    assert certificate.decision.grade == "3"
    url = reverse("registry:certificate", args=[certificate.number])
    page = client.get(url).content.decode()
    assert 'data-grade="3"' in page and "3등급" in page
    again = import_decisions(data=(graded + DAEGU_2021 + ",2\n").encode(), file_name="x.csv")
    assert [(e.row, e.field, e.code) for e in again.errors] == [
        (2, "grade", "conflicts_with_registry")
    ]
    assert import_decisions(data=data, file_name="graded.csv").unchanged == 1


def test_the_migration_fills_the_copies_the_status_query_reads(history: bytes) -> None:
    """Certificates stored before the copies existed get them from the
    migration, and then answer the status query as rebuilt ones do."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    fill = importlib.import_module(
        "smartcity.registry.migrations.0004_certificate_subject_copies"
    ).fill
    assert import_decisions(data=history, file_name="certification_history.csv").ok
    day = dt.date(2025, 12, 31)
    rebuilt = status_rows(day)
    Certificate.objects.update(subject_name="", subject_code="")
    assert status_rows(day) != rebuilt
    fill(apps, SimpleNamespace(connection=connection))
    assert status_rows(day) == rebuilt
