"""Importing the Ministry's decisions file into the registry: every row or none."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from smartcity.core.services import record_audit
from smartcity.municipalities.models import Municipality
from smartcity.municipalities.selectors import register_code, size_class_for
from smartcity.registry.domain.decisions_csv import DecisionRow, RowError, parse_decisions_csv
from smartcity.registry.models import Decision, ImportBatch, Subject
from smartcity.registry.services.decisions import (
    RegistryRefused,
    city_subject,
    rebuild_certificates,
    record_decision,
    service_subject,
)


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    """Internal: undo the whole import when any row fails."""


_COMPARED = ("size_class", "field", "holder", "grade")


def import_decisions(
    *, data: bytes, file_name: str, actor: Any = None, dry_run: bool = False
) -> ImportResult:
    """Import a decisions file: every row or none.

    A row already in the registry with the same content is left alone, so
    importing the same file twice changes nothing. Every other problem is
    reported with its row and field, and nothing is written. With
    ``dry_run`` the import runs in full and is rolled back, so the counts
    (and every problem) are those a real import would have: the page's
    confirmation step shows them before anything is written.
    """
    parsed = parse_decisions_csv(data)
    result = ImportResult(errors=list(parsed.errors))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _import_rows(parsed.rows, result, data=data, file_name=file_name, actor=actor)
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        if result.errors:
            result.created = 0
        result.batch_id = None
    return result


def _import_rows(
    rows: tuple[DecisionRow, ...],
    result: ImportResult,
    *,
    data: bytes,
    file_name: str,
    actor: Any,
) -> None:
    codes = {register_code(r.subject_code) for r in rows if r.kind == "city"}
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    new_rows: list[tuple[DecisionRow, Subject]] = []
    for row in rows:
        code = register_code(row.subject_code) if row.kind == "city" else ""
        if row.kind == "city" and code not in municipalities:
            result.errors.append(
                RowError(
                    row.row, "subject_code", "unknown_municipality", {"value": row.subject_code}
                )
            )
            continue
        subject = _subject_of(row, municipalities.get(code))
        existing = Decision.objects.filter(
            subject=subject, decision=row.decision, decided_on=row.decided_on
        ).first()
        if existing is None:
            new_rows.append((row, subject))
            continue
        conflict = _conflict(row, existing)
        if conflict is not None:
            result.errors.append(conflict)
        else:
            result.unchanged += 1
    # Keep going after row errors: the lifecycle check below reports the rest
    # of the file's problems too, and the caller rolls everything back.

    batch = ImportBatch.objects.create(
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    by_subject: dict[int, list[tuple[DecisionRow, Decision]]] = defaultdict(list)
    for row, subject in new_rows:
        try:
            decision = record_decision(
                actor=actor,
                subject=subject,
                decision=row.decision,
                decided_on=row.decided_on,
                subject_code=row.subject_code,
                size_class=row.size_class or _derived_size_class(row),
                field=row.field,
                holder=row.holder,
                grade=row.grade,
                note=row.note,
                source=row.source,
                ground=row.ground,
                batch=batch,
            )
        except RegistryRefused as refused:
            # Two codes of one municipality (e.g. Sejong's 36110 and 36100)
            # in one file name the same decision twice.
            result.errors.append(RowError(row.row, "decision", refused.code, refused.params))
            continue
        by_subject[subject.pk].append((row, decision))

    row_of = {d.pk: r.row for pairs in by_subject.values() for r, d in pairs}
    for subject_id in by_subject:
        for error in rebuild_certificates(subject_id=subject_id):
            decision_id = int(error.decision_key)
            if decision_id in row_of:
                result.errors.append(
                    RowError(row_of[decision_id], "decision", error.code.value, error.params)
                )
    if result.errors:
        return
    result.created = len(new_rows)
    batch.created = result.created
    batch.unchanged = result.unchanged
    batch.save(update_fields=["created", "unchanged"])
    result.batch_id = batch.pk
    record_audit(
        actor=actor,
        action="registry.decisions_imported",
        object_type="registry.importbatch",
        object_id=batch.pk,
        data={
            "file_name": file_name,
            "sha256": batch.sha256,
            "created": result.created,
            "unchanged": result.unchanged,
        },
    )


def _subject_of(row: DecisionRow, municipality: Municipality | None) -> Subject:
    if row.kind == "city":
        assert municipality is not None
        # The name as the Ministry announced it (e.g. "고양시"); the register's
        # full name ("경기도 고양시") is on the municipality.
        return city_subject(
            municipality=municipality, name=row.subject or municipality.full_name_ko
        )
    subject = service_subject(name=row.subject, field=row.field, holder=row.holder)
    if row.holder and row.decision == "new" and subject.holder != row.holder:
        subject.holder = row.holder
        subject.save(update_fields=["holder"])
    return subject


def _conflict(row: DecisionRow, existing: Decision) -> RowError | None:
    for column in _COMPARED:
        value = getattr(row, column)
        current = getattr(existing, column)
        if value and current and value != current:
            return RowError(
                row.row,
                column,
                "conflicts_with_registry",
                {"column": column, "existing": current, "value": value},
            )
    return None


def _derived_size_class(row: DecisionRow) -> str:
    if row.kind != "city":
        return ""
    try:
        return size_class_for(row.subject_code, call_year=row.decided_on.year).size_class
    except LookupError:
        return ""
