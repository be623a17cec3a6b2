"""Moves the wall clock of every Python process of a test run ahead.

``scripts/test`` puts this directory on ``PYTHONPATH`` when
``SMARTCITY_CLOCK_SHIFT`` is set (``+800d``: days ahead), so the test process,
its pytest-xdist workers and every Python process they start (the console
script, uvicorn nodes, provisioning) see the same shifted day. time-machine
moves ``time.time()``, ``datetime.now()`` and friends at the C level; the
monotonic clock, which timeouts and sleeps use, stays real. Processes that are
not Python (Chromium, PostgreSQL, nats-server) keep the real clock: the
product never asks them for the time. See docs/adr/0012.
"""

from __future__ import annotations

import os
import re

_shift = os.environ.get("SMARTCITY_CLOCK_SHIFT", "").strip()
if _shift:
    import datetime as _dt

    import time_machine as _time_machine

    _days = re.fullmatch(r"\+?(\d{1,5})d", _shift)
    if _days is None:
        raise SystemExit(f"SMARTCITY_CLOCK_SHIFT must be days ahead, like +800d (not {_shift!r})")
    _destination = _dt.datetime.now(_dt.UTC) + _dt.timedelta(days=int(_days[1]))
    _time_machine.travel(_destination, tick=True).start()
