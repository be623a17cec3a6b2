"""The ``smartcity`` console script: the project's management entry point.

Every Django command works through it (``smartcity migrate``), and the
product's own commands read like sentences (``smartcity registry status``).
It uses the embedded SQLite database unless ``DATABASE_URL`` is set.
"""

from __future__ import annotations

import os
import sys

from django.db import DatabaseError


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    try:
        execute_from_command_line(["smartcity", *(sys.argv[1:] if argv is None else argv)])
    except DatabaseError as error:
        # A command run before `smartcity migrate` (or after an upgrade that
        # brought new migrations) meets a missing table: say what to do
        # instead of a traceback.
        if not _migrations_pending():
            raise
        sys.stderr.write(_unmigrated_message() + f"\n({type(error).__name__}: {error})\n")
        raise SystemExit(2) from None


def _migrations_pending() -> bool:
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return True


def _unmigrated_message() -> str:
    from django.utils.translation import gettext

    return gettext(
        "데이터베이스가 아직 준비되지 않았습니다. 먼저 `smartcity migrate`를 실행하세요."
    )


if __name__ == "__main__":  # pragma: no cover
    main()
