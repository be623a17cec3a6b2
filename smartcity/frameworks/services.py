"""Writes to the framework catalogue: import (YAML, JSON, Excel), publish, load shipped."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from smartcity.core.services import record_audit
from smartcity.frameworks.choices import CrosswalkRelation, FrameworkStatus, IndicatorType
from smartcity.frameworks.domain.limits import (
    DocumentTooDeep,
    LimitProblem,
    document_problems,
    framework_problems,
)
from smartcity.frameworks.domain.workbook import (
    CellError,
    WorkbookError,
    document_to_workbook,
    workbook_to_document,
)
from smartcity.frameworks.models import CrosswalkEntry, FrameworkIndicator, FrameworkVersion
from smartcity.scoring import (
    Framework,
    FrameworkDocumentError,
    crosswalk_2021_2023,
    framework_from_dict,
    framework_hash,
    framework_to_dict,
    shipped_frameworks,
)
from smartcity.scoring.rules import MaturityRule


@dataclass(frozen=True)
class ImportProblem:
    """One reason a framework document was refused: where and what."""

    location: str  # document path, or "sheet!row:column"
    subject: str  # indicator / item / area / framework code
    problem: str  # a stable code
    detail: str = ""


@dataclass
class FrameworkImportResult:
    framework: FrameworkVersion | None = None
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_framework_file(data: bytes, file_name: str = "") -> dict[str, Any]:
    """Bytes of a YAML, JSON or Excel framework document → the document dict.

    Raises ``WorkbookError`` or ``ValueError`` with a problem code.
    """
    if data[:2] == b"PK" or file_name.lower().endswith(".xlsx"):
        return workbook_to_document(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("not_utf8") from exc
    try:
        loaded = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"unparseable: {exc}") from exc
    except RecursionError as exc:
        # The parsers recurse once per level: refuse the document, not the process.
        raise DocumentTooDeep("nesting_too_deep") from exc
    if not isinstance(loaded, dict):
        raise ValueError("not_a_mapping")
    return loaded


def import_framework(
    *, data: bytes, file_name: str = "", actor: Any = None, publish: bool = False
) -> FrameworkImportResult:
    """Import a framework document as a draft (or replace a draft of the same code).

    Every problem is reported (path, indicator code, problem code); nothing is
    saved unless the whole document is valid. A published code is never changed.
    """
    result = FrameworkImportResult()
    try:
        document = parse_framework_file(data, file_name)
        limits = document_problems(document)
        if limits:
            result.problems = [_from_limit(p) for p in limits]
            return result
        engine_framework = framework_from_dict(document)
        limits = framework_problems(engine_framework)
        if limits:
            result.problems = [_from_limit(p, engine_framework.code) for p in limits]
            return result
    except DocumentTooDeep:
        result.problems = [ImportProblem("", "", "nesting_too_deep")]
        return result
    except WorkbookError as exc:
        result.problems = [_from_cell(e) for e in exc.errors]
        return result
    except FrameworkDocumentError as exc:
        result.problems = [
            ImportProblem(e.path, e.subject, e.problem, e.detail) for e in exc.errors
        ]
        return result
    except ValueError as exc:
        result.problems = [ImportProblem("", "", "unreadable_document", str(exc)[:300])]
        return result
    with transaction.atomic():
        existing = FrameworkVersion.objects.select_for_update().filter(code=engine_framework.code)
        current = existing.first()
        if current is not None and current.status == FrameworkStatus.PUBLISHED:
            result.problems = [
                ImportProblem("code", engine_framework.code, "already_published", current.code)
            ]
            return result
        result.framework = _save_version(current, engine_framework, actor)
        record_audit(
            actor=actor,
            action="frameworks.imported",
            object_type="frameworks.frameworkversion",
            object_id=result.framework.pk,
            data={"code": engine_framework.code, "file_name": file_name},
        )
        if publish:
            result.framework = publish_framework(framework=result.framework, actor=actor)
    return result


def _from_limit(problem: LimitProblem, subject: str = "") -> ImportProblem:
    return ImportProblem(problem.location, subject[:60], problem.problem, problem.detail)


def _from_cell(error: CellError) -> ImportProblem:
    location = f"{error.sheet}!{error.row}:{error.column}" if error.sheet else ""
    return ImportProblem(location, error.indicator, error.code, error.value)


def _save_version(current: FrameworkVersion | None, fw: Framework, actor: Any) -> FrameworkVersion:
    document = framework_to_dict(fw)
    total = sum((i.points for a in fw.areas for it in a.items for i in it.indicators), Decimal(0))
    values = {
        "kind": fw.kind,
        "year": fw.year,
        "field": fw.field or "",
        "version": fw.version,
        "name_ko": fw.name_ko or fw.code,
        "name_en": fw.name_en,
        "reconstructed": fw.reconstructed,
        "document": document,
        "total_points": total,
        "certification_threshold": fw.certification_threshold,
        "indicator_count": sum(len(it.indicators) for a in fw.areas for it in a.items),
    }
    if current is None:
        version = FrameworkVersion.objects.create(
            code=fw.code,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **values,
        )
    else:
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
        version = current
        version.indicators.all().delete()
    rows = []
    position = 0
    for area in fw.areas:
        for item in area.items:
            for indicator in item.indicators:
                position += 1
                maturity = isinstance(indicator.rule, MaturityRule)
                rows.append(
                    FrameworkIndicator(
                        framework=version,
                        code=indicator.code,
                        area_code=area.code,
                        area_name_ko=area.name_ko,
                        area_name_en=area.name_en,
                        item_code=item.code,
                        item_name_ko=item.name_ko,
                        item_name_en=item.name_en,
                        name_ko=indicator.name_ko,
                        name_en=indicator.name_en,
                        indicator_type=(
                            IndicatorType.MATURITY if maturity else IndicatorType.QUANTITATIVE
                        ),
                        rule_type=indicator.rule.rule_type,
                        points=indicator.points,
                        position=position,
                    )
                )
    FrameworkIndicator.objects.bulk_create(rows)
    return version


def publish_framework(*, framework: FrameworkVersion, actor: Any = None) -> FrameworkVersion:
    """Fix a draft: record its content hash; from now on it cannot change."""
    with transaction.atomic():
        locked = FrameworkVersion.objects.select_for_update().get(pk=framework.pk)
        if locked.status == FrameworkStatus.PUBLISHED:
            return locked
        locked.content_hash = framework_hash(framework_from_dict(locked.document))
        locked.status = FrameworkStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["content_hash", "status", "published_at"])
        record_audit(
            actor=actor,
            action="frameworks.published",
            object_type="frameworks.frameworkversion",
            object_id=locked.pk,
            data={"code": locked.code, "content_hash": locked.content_hash},
        )
    return locked


def load_shipped_frameworks(*, actor: Any = None) -> list[str]:
    """Create the shipped (reconstructed) frameworks and the 2021→2023 crosswalk
    if they are missing; returns the codes created."""
    created = []
    with transaction.atomic():
        for code, fw in shipped_frameworks().items():
            if FrameworkVersion.objects.filter(code=code).exists():
                continue
            version = _save_version(None, fw, actor)
            publish_framework(framework=version, actor=actor)
            created.append(code)
        _load_crosswalk()
    return created


def _load_crosswalk() -> None:
    crosswalk = crosswalk_2021_2023()
    source = FrameworkVersion.objects.filter(code=crosswalk.from_framework).first()
    target = FrameworkVersion.objects.filter(code=crosswalk.to_framework).first()
    if source is None or target is None:
        return
    if CrosswalkEntry.objects.filter(source=source, target=target).exists():
        return
    CrosswalkEntry.objects.bulk_create(
        CrosswalkEntry(
            source=source,
            target=target,
            source_code=entry.from_code or "",
            target_code=entry.to_code or "",
            relation=CrosswalkRelation(str(entry.status)),
            note=entry.note_ko,
        )
        for entry in crosswalk.entries
    )


def export_framework(framework: FrameworkVersion, fmt: str) -> bytes:
    """The framework document as ``json``, ``yaml`` or ``xlsx`` bytes."""
    document = framework.document
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2).encode()
    if fmt == "yaml":
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()
    if fmt == "xlsx":
        return document_to_workbook(document)
    raise ValueError(f"unknown format: {fmt}")
