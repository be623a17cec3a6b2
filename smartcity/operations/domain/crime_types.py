"""The seven violent crime types for police video, and the spellings 112 sends.

The 2015 agreement (platform.md §3) lets police receive CCTV video only for
seven violent crime types. 112 systems do not send those seven words: they
send the offence as charged — 특수강도, 강도미수, 강제추행. Which offence
belongs to which type is **data** (``vocabulary/video_crime_types.json``,
each variant with the statute that defines it), read and checked here, so a
new spelling is a reviewed change to one file. This packaged table seeds the
``VideoCrimeType`` rows a centre's administrator edits (a change of rule is a
data change); the rules read whichever table they are given. A case type
that is not in
the table is none of the seven: no prefix, suffix or substring matching, so
특수폭행 or 강도예비 never slip in because they look like a variant.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_TABLE = Path(__file__).resolve().parent.parent / "vocabulary" / "video_crime_types.json"


class CrimeType(StrEnum):
    """The seven violent crime types for which police may receive video."""

    MURDER = "murder"
    ROBBERY = "robbery"
    SNATCHING = "snatching"
    THEFT = "theft"
    KIDNAPPING = "kidnapping"
    SEXUAL_VIOLENCE = "sexual_violence"
    DOMESTIC_VIOLENCE = "domestic_violence"


@dataclass(frozen=True)
class CrimeMatch:
    """A case type recognised: its type (one of ``CrimeType`` in the packaged
    table; any code a centre's table adds), the variant's name, its statute
    and the legal ground video is provided on."""

    crime_type: str
    variant: str
    law: str
    ground: str = ""


class CrimeTableError(ValueError):
    """The crime-type table is not usable (the message says where)."""


# Spaces and punctuation a 112 operator may type inside a name.
_NOISE = re.compile(r"[\s·・•,./()\[\]\-_]+")


def normalise(case_type: str) -> str:
    """The matching key: NFKC (full-width letters), no spaces or punctuation, lower case."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", case_type)).lower()


@dataclass(frozen=True)
class CrimeTable:
    ground: str
    by_key: Mapping[str, CrimeMatch]
    names: Mapping[str, str] = field(default_factory=dict)
    """Each type's code → its Korean name, in the table's order."""

    def match(self, case_type: str) -> CrimeMatch | None:
        return self.by_key.get(normalise(case_type))


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CrimeTableError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _crime_code(value: str, where: str, *, require_all: bool) -> str:
    try:
        return CrimeType(value)
    except ValueError:
        if require_all or not re.fullmatch(r"[a-z0-9_-]+", value):
            raise CrimeTableError(f"{where}: unknown type {value!r}") from None
        return value


def table_from_mapping(data: Any, *, source: str = "table", require_all: bool = True) -> CrimeTable:
    """Check and index a table: every type present once, every variant with a
    statute, no spelling claimed by two types. The packaged table must hold
    exactly the seven (``require_all``); a centre's table (the database rows
    an administrator edits) may hold fewer or other types, each with its
    own ``ground``."""
    if not isinstance(data, Mapping) or not isinstance(data.get("types"), list):
        raise CrimeTableError(f"{source}: expected an object with a 'types' list")
    ground = _text(data, "ground", source)
    by_key: dict[str, CrimeMatch] = {}
    names: dict[str, str] = {}
    for number, row in enumerate(data["types"], start=1):
        where = f"{source}: types[{number}]"
        if not isinstance(row, Mapping):
            raise CrimeTableError(f"{where}: expected an object")
        crime = _crime_code(_text(row, "type", where), where, require_all=require_all)
        if crime in names:
            raise CrimeTableError(f"{where}: type {crime!r} listed twice")
        names[crime] = str(row.get("name_ko") or crime)
        own_ground = str(row.get("ground") or ground)
        variants = row.get("variants")
        if not isinstance(variants, list) or not variants:
            raise CrimeTableError(f"{where}: 'variants' must be a non-empty list")
        # The type's own code and name always name it ("robbery", "강도").
        pairs = [(crime, CrimeMatch(crime, crime, "", own_ground))]
        if row.get("name_ko"):
            pairs.append((names[crime], CrimeMatch(crime, names[crime], "", own_ground)))
        for index, variant in enumerate(variants, start=1):
            spot = f"{where}.variants[{index}]"
            if not isinstance(variant, Mapping):
                raise CrimeTableError(f"{spot}: expected an object")
            name = _text(variant, "name", spot)
            pairs.append((name, CrimeMatch(crime, name, _text(variant, "law", spot), own_ground)))
        for name, found in pairs:
            key = normalise(name)
            if not key:
                raise CrimeTableError(f"{where}: {name!r} is only punctuation")
            other = by_key.get(key)
            if other is not None and other.crime_type != crime:
                raise CrimeTableError(f"{where}: {name!r} already names {str(other.crime_type)!r}")
            if other is None or (not other.law and found.law):
                by_key[key] = found
    missing = sorted(c.value for c in CrimeType if c not in names)
    if require_all and missing:
        raise CrimeTableError(f"{source}: types missing: {', '.join(missing)}")
    return CrimeTable(ground=ground, by_key=by_key, names=names)


def load_table(path: Path) -> CrimeTable:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CrimeTableError(f"{path}: cannot read: {exc}") from exc
    return table_from_mapping(data, source=str(path))


@cache
def default_table() -> CrimeTable:
    """The packaged table, read once per process."""
    return load_table(DEFAULT_TABLE)


def crime_match(case_type: str, table: CrimeTable | None = None) -> CrimeMatch | None:
    """The variant a 112 case type names in ``table`` (the packaged seven by
    default), or ``None`` if it names none of the table's types."""
    return (table or default_table()).match(case_type)
