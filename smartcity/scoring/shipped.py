"""The frameworks shipped as data, and the 2021 → 2023 city crosswalk.

Every shipped framework is ``reconstructed``: the official indicator lists are
not public (certification.md §3), so these are rebuilt from the public
examples, with the published structure and totals, for demonstration, tests
and as a template for importing the official framework.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal

from smartcity.scoring.document import framework_from_dict
from smartcity.scoring.errors import FrameworkError
from smartcity.scoring.model import Framework

SHIPPED_CODES = (
    "city-2021",
    "city-2023",
    "service-transport-2022",
    "service-environment-energy-2023",
)
_DATA = "frameworks_data"

CrosswalkStatus = Literal["mapped", "retired", "new"]


@dataclass(frozen=True)
class CrosswalkEntry:
    """A 2021 indicator mapped to a 2023 one, or retired; or a 2023 indicator that is new.

    Several 2021 indicators may map to one 2023 indicator (merged indicators).
    """

    status: CrosswalkStatus
    from_code: str | None
    to_code: str | None
    note_ko: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Crosswalk:
    """How the indicators of one framework correspond to another's."""

    from_framework: str
    to_framework: str
    entries: tuple[CrosswalkEntry, ...]

    def target_of(self, code: str) -> str | None:
        """The newer indicator an older one became (None: retired or unknown)."""
        return next((e.to_code for e in self.entries if e.from_code == code), None)

    def sources_of(self, code: str) -> tuple[str, ...]:
        """The older indicators a newer one continues (empty: new)."""
        return tuple(e.from_code for e in self.entries if e.to_code == code and e.from_code)


def _load(name: str) -> object:
    """A JSON document from the package's data folder."""
    text = resources.files("smartcity.scoring").joinpath(_DATA, name).read_text("utf-8")
    return json.loads(text)


@cache
def shipped_frameworks() -> MappingProxyType[str, Framework]:
    """Every shipped framework by code (loaded and validated once)."""
    return MappingProxyType(
        {code: framework_from_dict(_load(f"{code}.json")) for code in SHIPPED_CODES}
    )


def shipped_framework(code: str) -> Framework:
    """One shipped framework (KeyError for an unknown code)."""
    return shipped_frameworks()[code]


@cache
def crosswalk_2021_2023() -> Crosswalk:
    """The reconstructed city crosswalk from the 63 indicators of 2021 to the 53 of 2023."""
    document = _load("crosswalk-city-2021-2023.json")
    assert isinstance(document, dict)
    return Crosswalk(
        from_framework=document["from"],
        to_framework=document["to"],
        entries=tuple(
            CrosswalkEntry(
                status=entry["status"],
                from_code=entry.get("from"),
                to_code=entry.get("to"),
                note_ko=entry.get("note_ko", ""),
                note_en=entry.get("note_en", ""),
            )
            for entry in document["entries"]
        ),
    )


def crosswalk_problems(
    crosswalk: Crosswalk, source: Framework, target: Framework
) -> list[FrameworkError]:
    """Every way the crosswalk fails to account for each indicator exactly once."""
    old, new = source.indicator_index, target.indicator_index
    errors: list[FrameworkError] = []
    seen_old: dict[str, int] = {}
    seen_new: dict[str, list[str]] = {}
    for index, entry in enumerate(crosswalk.entries):
        path = f"entries[{index}]"
        expect_old = entry.status in ("mapped", "retired")
        expect_new = entry.status in ("mapped", "new")
        if (entry.from_code in old) != expect_old or (entry.to_code in new) != expect_new:
            errors.append(FrameworkError(path, str(entry.from_code or entry.to_code), "bad_entry"))
            continue
        if entry.from_code is not None:
            seen_old[entry.from_code] = seen_old.get(entry.from_code, 0) + 1
        if entry.to_code is not None:
            seen_new.setdefault(entry.to_code, []).append(entry.status)
    for code in old:
        if seen_old.get(code, 0) != 1:
            errors.append(FrameworkError(crosswalk.from_framework, code, "not_accounted_once"))
    for code in new:
        statuses = seen_new.get(code, [])
        if statuses != ["new"] and set(statuses) != {"mapped"}:
            errors.append(FrameworkError(crosswalk.to_framework, code, "not_accounted_once"))
    return errors
