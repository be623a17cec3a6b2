"""The ``smartcity`` console script: the project's management entry point.

Every Django command works through it (``smartcity migrate``), and the
product's own commands read like sentences (``smartcity registry status``).
It uses the embedded SQLite database unless ``DATABASE_URL`` is set.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    execute_from_command_line(["smartcity", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":  # pragma: no cover
    main()
