"""Backups: create one, check one, restore one into an empty database.

``smartcity backup create|check|restore`` (docs/operations.md). A backup is one
``.tar.gz`` holding ``manifest.json`` (see ``core.domain.backup_manifest``), the
database payload and the uploaded documents (``MEDIA_ROOT``) under ``media/``.

* **SQLite**: the online backup API (``sqlite3.Connection.backup``) copies a
  consistent snapshot while the server keeps writing (WAL content included).
* **PostgreSQL**: ``pg_dump -Fc`` of a snapshot exported from a REPEATABLE READ
  transaction, in which the manifest's row counts and audit head are read too,
  so the manifest describes exactly what the dump holds.

``check`` needs no live data: it verifies every member's SHA-256, opens the
payload (``PRAGMA integrity_check``; ``pg_restore --list`` and a restore into a
scratch database), compares row counts with the manifest and verifies the
audit hash chain. ``restore`` writes only into an empty database (and an empty
media directory) and verifies the result the same way.

One module per step — ``create``, ``check``, ``restore`` — and one per
engine — ``sqlite``, ``postgresql`` — over the shared parts in ``base``.
"""
