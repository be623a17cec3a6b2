"""Prepare a database for a durability test, in one process (each ``smartcity``
command costs seconds of start-up): migrate, open 고양시 (41280) as a tenant,
issue a 112 intake key, and print ``{"api_key": ...}`` on stdout.

    DATABASE_URL=... .venv/bin/python tests/durability/provision.py
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("operations", "add-tenant", "41280", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "operations", "issue-key", "--tenant", "41280", "--source", "112",
        "--name", "durability 112", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    print(json.dumps({"api_key": json.loads(out.getvalue())["api_key"]}))


if __name__ == "__main__":
    main()
