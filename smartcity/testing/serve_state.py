"""The state ``scripts/serve`` leaves, laid in a test database.

``scripts/serve`` migrates, runs ``smartcity demo load`` and
``smartcity operations demo --issue-key``, starts the camera simulator
(``smartcity cctv simulate``) and points the demo centres' cameras at it
(``smartcity cctv use-simulator``). ``lay_serve_state`` runs the same
commands, in the same order, on the test database (already migrated), with
the simulator the test started (``smartcity.testing.video.camera_simulator``).

The demo logins' password is ``DEMO_PASSWORD``, as ``scripts/serve`` prints it.
"""

from __future__ import annotations

import io

from django.core.management import call_command

#: The demo centres whose cameras ``scripts/serve`` points at the simulator.
SERVE_CENTRES = ("41280", "daejeon")
DEMO_PASSWORD = "smartcity-demo-2026"  # noqa: S105 - printed by scripts/serve on purpose


def lay_serve_state(*, simulator_base_url: str | None) -> str:
    """Run what ``scripts/serve`` runs before it serves; returns the output
    of ``smartcity operations demo --issue-key`` (the key shown once).
    ``simulator_base_url=None`` leaves the cameras as the demo lays them, for
    tests that play no video (``scripts/serve`` without ffmpeg does the same)."""
    import importlib

    from django.apps import apps

    from smartcity.operations.models import EventStatus
    from smartcity.operations.selectors.cameras import clear_camera_indexes

    # A transactional test database is flushed between tests: the event
    # model the migration seeds (codes, grades, statuses) goes with it.
    if not EventStatus.objects.exists():
        importlib.import_module("smartcity.operations.migrations.0002_event_model").seed(apps, None)
    clear_camera_indexes()  # camera ids repeat across transactional tests
    call_command("demo", "load", stdout=io.StringIO())
    shown = io.StringIO()
    call_command("operations", "demo", "--issue-key", stdout=shown, stderr=io.StringIO())
    for centre in SERVE_CENTRES if simulator_base_url else ():
        call_command(
            "cctv", "use-simulator", "--tenant", centre, "--base", simulator_base_url,
            stdout=io.StringIO(),
        )  # fmt: skip
    return shown.getvalue()
