"""Many rows in one INSERT statement, without building a model instance per row.

``QuerySet.bulk_create`` builds, prepares and (on PostgreSQL, through
``UNNEST``) array-encodes every value in Python; for intake's group commit
(ADR 0023) that was most of the cost of an event. This writes the rows as one
multi-row ``INSERT … VALUES … RETURNING id`` with each value prepared by its
field, the same way on SQLite and PostgreSQL. No signals, no ``auto_now``:
the caller gives every column it wants set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models

CHUNK = 500
"""Rows per statement: well under SQLite's 32,766 and PostgreSQL's 65,535
parameters for wide tables."""


def insert_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert ``rows`` (each: field attname → Python value, the same names in
    every row) into ``model``'s table and return their ids, in order."""
    if not rows:
        return []
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in rows[0]]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    prepare = [f.get_db_prep_save for f in fields]
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = connection.ops.quote_name(meta.db_table)
    assert meta.pk is not None
    pk = connection.ops.quote_name(str(meta.pk.column))
    if connection.vendor == "postgresql":
        return _insert_unnest(table, columns, pk, fields, prepare, rows)
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            params: list[Any] = []
            for row in chunk:
                params.extend(
                    prep(row[f.attname], connection)
                    for prep, f in zip(prepare, fields, strict=True)
                )
            values = ", ".join([placeholder] * len(chunk))
            cursor.execute(
                # Names quoted from the model's metadata; every value a parameter.
                f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk}",  # noqa: S608
                params,
            )
            ids.extend(int(r[0]) for r in cursor.fetchall())
    return ids


def _insert_unnest(
    table: str, columns: str, pk: str, fields: list[Any], prepare: list[Any],
    rows: Sequence[Mapping[str, Any]],
) -> list[int]:  # fmt: skip
    """PostgreSQL: one array per column, sent in binary (``%b``), unnested into
    rows. The statement is short, so psycopg parses it once and caches it;
    Django's ``UNNEST`` (client-side binding, arrays as text) re-parses and
    escapes every value in Python."""
    import psycopg

    types = [str(f.db_type(connection)).split("(")[0] for f in fields]
    arrays = ", ".join(f"%b::{t}[]" for t in types)
    statement = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) RETURNING {pk}"  # noqa: S608
    params = []
    for prep, f in zip(prepare, fields, strict=True):
        if isinstance(f, models.JSONField):
            params.append([prep(row[f.attname], connection) for row in rows])
        else:
            # psycopg adapts str, int, Decimal, bool, aware datetimes and None
            # itself, exactly as these fields' preparation on PostgreSQL would.
            params.append([row[f.attname] for row in rows])
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(statement, params)
        return [int(r[0]) for r in cursor.fetchall()]
