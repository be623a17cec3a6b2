"""Another web process, for the tests of what holds across processes.

``python -m smartcity.testing.gateway_child SOURCE`` sets Django up (the
database and data directory from the environment, as a uvicorn worker does)
and then answers lines on stdin with its own gateway supervisor — the one
``views.gateway`` uses:

    acquire CAMERA VIEWER CENTRE  →  started FFMPEG_PID DIRECTORY | busy | unavailable WHY
    stop                          →  stopped N

At the end of stdin it stops its gateways and exits.
"""

from __future__ import annotations

import datetime as dt
import os
import sys


def main(source: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from smartcity.operations.media.supervisor import (
        GatewayBusy,
        GatewayUnavailable,
        supervisor,
    )

    gateways = supervisor()
    print("ready", flush=True)
    for line in sys.stdin:
        verb, *args = line.split()
        if verb == "acquire":
            camera, viewer, centre = (int(a) for a in args)
            try:
                gateway = gateways.acquire(
                    camera_id=camera, viewer_id=viewer, source=source, grant_id=0,
                    tenant_id=centre, ends_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
                )  # fmt: skip
            except GatewayBusy:
                print("busy", flush=True)
            except GatewayUnavailable as exc:
                print("unavailable", exc, flush=True)
            else:
                print("started", gateway.pid, gateway.directory, flush=True)
        elif verb == "stop":
            running = len(gateways.running())
            gateways.stop_all()
            print("stopped", running, flush=True)
    gateways.stop_all()


if __name__ == "__main__":
    main(sys.argv[1])
