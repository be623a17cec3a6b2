"""Many rows in one INSERT statement, without building a model instance per row;
ids reserved before the rows are written; statements sent without waiting.

``QuerySet.bulk_create`` builds, prepares and (on PostgreSQL, through
``UNNEST``) array-encodes every value in Python; for intake's group commit
(ADR 0023) that was most of the cost of an event. This writes the rows as one
multi-row ``INSERT … VALUES … RETURNING id`` with each value prepared by its
field, the same way on SQLite and PostgreSQL. No signals, no ``auto_now``:
the caller gives every column it wants set.

For intake's group commit every round trip to PostgreSQL counts (ADR 0023):
:func:`pipeline` sends the statements in it without waiting for each one's
answer (psycopg's pipeline mode), so a group's inserts, its audit row and the
chain head's move are one round trip; :func:`reserve_ids` gives the ids the
rows will have before they are written, so nothing in between has to wait for
an ``INSERT … RETURNING``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from django.db import connection, models

CHUNK = 500
"""Rows per statement: well under SQLite's 32,766 and PostgreSQL's 65,535
parameters for wide tables."""


@contextlib.contextmanager
def pipeline() -> Iterator[None]:
    """On PostgreSQL, the statements of :func:`insert_rows` (``returning=False``),
    :func:`reserve_ids` and :func:`execute` in this block go out without waiting
    for each other's answers; the first result read, or the block's end, waits
    for all of them (one round trip). On SQLite (in-process) each runs at once.
    Errors come out as Django's (an ``IntegrityError`` at the block's end)."""
    connection.ensure_connection()
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with connection.connection.pipeline():
                yield
        else:
            yield


def execute(sql: str, params: Sequence[Any] = ()) -> Callable[[], list[tuple[Any, ...]]]:
    """Run ``sql`` (``%s`` placeholders) and return how to read its rows later:
    inside :func:`pipeline` on PostgreSQL, reading them is what waits."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        import psycopg

        cursor = psycopg.Cursor(connection.connection)
        with connection.wrap_database_errors:
            cursor.execute(sql, params)

        def fetch() -> list[tuple[Any, ...]]:
            with connection.wrap_database_errors:
                rows = cursor.fetchall() if cursor.description is not None else []
            cursor.close()
            return rows

        return fetch
    with connection.cursor() as django_cursor:
        django_cursor.execute(sql, params)
        rows = django_cursor.fetchall() if django_cursor.description is not None else []
    return lambda: rows


def fetch_later(queryset: models.QuerySet[Any]) -> Callable[[], list[tuple[Any, ...]]]:
    """A ``values_list`` query run through :func:`execute`, so that inside
    :func:`pipeline` it waits for nothing. Rows come as the database gives
    them, without the fields' converters: for text, integer and boolean
    columns, which need none."""
    sql, params = queryset.query.sql_with_params()
    return execute(sql, params)


def reserve_ids(model: type[models.Model], count: int) -> Callable[[], list[int]]:
    """The next ``count`` ids of ``model``'s table, to insert rows with (read
    them through the returned function). PostgreSQL: from the id sequence, so
    no other writer gets them. SQLite: by moving ``sqlite_sequence`` on, which
    takes the database's write lock (a concurrent writer that inserted first
    makes the insert fail on the primary key; the caller retries)."""
    if count <= 0:
        return lambda: []
    table = str(model._meta.db_table)
    assert model._meta.pk is not None
    pk = str(model._meta.pk.column)
    if connection.vendor == "postgresql":
        fetch = execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, count],
        )
        return lambda: [int(r[0]) for r in fetch()]
    quoted, quoted_pk = connection.ops.quote_name(table), connection.ops.quote_name(pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT %s, 0"
            " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
            [table, table],
        )
        cursor.execute(
            # Names quoted from the model's metadata; the count a parameter.
            f"UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max({quoted_pk}), 0)"  # noqa: S608
            f" FROM {quoted})) + %s WHERE name = %s RETURNING seq",
            [count, table],
        )
        last = int(cursor.fetchone()[0])
    ids = list(range(last - count + 1, last + 1))
    return lambda: ids


def insert_rows(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, returning: bool = True
) -> list[int]:
    """Insert ``rows`` (each: field attname → Python value, the same names in
    every row) into ``model``'s table and return their ids, in order; with
    ``returning=False`` (the rows carry their ids, e.g. from :func:`reserve_ids`)
    return nothing and, inside :func:`pipeline`, do not wait."""
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
        return _insert_unnest(table, columns, pk if returning else "", fields, prepare, rows)
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
    statement = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})"  # noqa: S608
    if pk:
        statement += f" RETURNING {pk}"
    params = []
    for prep, f in zip(prepare, fields, strict=True):
        if isinstance(f, models.JSONField):
            params.append([prep(row[f.attname], connection) for row in rows])
        else:
            # psycopg adapts str, int, Decimal, bool, aware datetimes and None
            # itself, exactly as these fields' preparation on PostgreSQL would.
            params.append([row[f.attname] for row in rows])
    if not pk:
        execute(statement, params)
        return []
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(statement, params)
        return [int(r[0]) for r in cursor.fetchall()]
