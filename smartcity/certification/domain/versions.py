"""What changed between two versions of an application (or between an
extension application and the application it was pre-filled from).

Works on the JSON snapshots ``services.submission.snapshot_of`` produces:
``{"claims": [{"indicator", "value", "flag", "stage", "evidence",
"justification", "to_verify", "not_applicable", "not_applicable_reason"}...],
"attachments": [{"kind", "name", "sha256", "size"}...],
"area_km2": str | None}``. Pure: the diff page, the supplement loop and the
extension form all show the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

CLAIM_FIELDS = (
    "value",
    "flag",
    "stage",
    "evidence",
    "justification",
    "to_verify",
    "not_applicable",
    "not_applicable_reason",
)
#: Marks whose absence (in older snapshots) and False mean the same.
MARKS = frozenset({"to_verify", "not_applicable"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ClaimChange:
    """``kind`` is ``added``, ``removed`` or ``changed``; ``fields`` lists each
    field that differs (for an added claim, what it says; for a removed one,
    what it said)."""

    indicator: str
    kind: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class VersionDiff:
    claims: tuple[ClaimChange, ...] = ()
    attachments_added: tuple[Mapping[str, Any], ...] = ()
    attachments_removed: tuple[Mapping[str, Any], ...] = ()
    area: FieldChange | None = None
    indicators_touched: frozenset[str] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not (self.claims or self.attachments_added or self.attachments_removed or self.area)


def _claims(snapshot: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(c["indicator"]): c for c in snapshot.get("claims", [])}


def _attachments(snapshot: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """Keyed by content (hash) and kind: renaming a file is not a change of evidence."""
    return {(str(a["sha256"]), str(a["kind"])): a for a in snapshot.get("attachments", [])}


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _empty(claim: Mapping[str, Any] | None) -> bool:
    """No answer at all. ``flag`` False is an answer ("no"); ``to_verify``
    False is only the default."""
    if claim is None:
        return True
    return not any(claim.get(m) for m in MARKS) and all(
        _blank(claim.get(f)) for f in CLAIM_FIELDS if f not in MARKS
    )


def _same(a: Any, b: Any) -> bool:
    """Equal, or the same number written differently ("12.5" and "12.5000")."""
    if a == b or (_blank(a) and _blank(b)):
        return True
    if isinstance(a, str) and isinstance(b, str):
        try:
            return Decimal(a) == Decimal(b)
        except InvalidOperation:
            return False
    return False


def _field_same(name: str, a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    x, y = (a or {}).get(name), (b or {}).get(name)
    if name in MARKS:  # absent and False both mean "not marked"
        return bool(x) == bool(y)
    return _same(x, y)


def diff_snapshots(before: Mapping[str, Any], after: Mapping[str, Any]) -> VersionDiff:
    """Every claim added, removed or changed (field by field, in indicator
    order), every document added or removed, and a change of area. An empty
    claim (all fields blank, not marked for verification) counts as absent;
    numbers are compared by value ("12.5" equals "12.5000")."""
    old, new = _claims(before), _claims(after)
    changes: list[ClaimChange] = []
    for code in sorted(set(old) | set(new)):
        a = None if _empty(old.get(code)) else old[code]
        b = None if _empty(new.get(code)) else new[code]
        if a is None and b is None:
            continue
        fields = tuple(
            FieldChange(f, (a or {}).get(f), (b or {}).get(f))
            for f in CLAIM_FIELDS
            if not _field_same(f, a, b)
        )
        if a is None:
            changes.append(ClaimChange(code, "added", fields))
        elif b is None:
            changes.append(ClaimChange(code, "removed", fields))
        elif fields:
            changes.append(ClaimChange(code, "changed", fields))
    old_files, new_files = _attachments(before), _attachments(after)
    area = None
    if not _same(before.get("area_km2"), after.get("area_km2")):
        area = FieldChange("area_km2", before.get("area_km2"), after.get("area_km2"))
    return VersionDiff(
        claims=tuple(changes),
        attachments_added=tuple(new_files[k] for k in new_files if k not in old_files),
        attachments_removed=tuple(old_files[k] for k in old_files if k not in new_files),
        area=area,
        indicators_touched=frozenset(c.indicator for c in changes),
    )
