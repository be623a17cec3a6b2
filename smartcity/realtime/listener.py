"""A dedicated PostgreSQL connection that LISTENs for ``publish`` (used by the
hub's outbox reader and by the relay to wake up at commit)."""

from __future__ import annotations

import contextlib
import threading
import time

from django.db import connections

from smartcity.realtime.services import NOTIFY_CHANNEL


class PgListener:
    """An autocommit connection with ``LISTEN`` on the outbox channel."""

    def __init__(self) -> None:
        import psycopg

        wrapper = connections["default"]
        params = wrapper.get_connection_params()
        params.pop("cursor_factory", None)
        self._conn = psycopg.connect(**params, autocommit=True)
        self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def wait(self, stop: threading.Event, fallback_s: float) -> None:
        """Return on a notification, on ``stop``, or after ``fallback_s``."""
        deadline = time.monotonic() + fallback_s
        while not stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            # (Each generator is exhausted before the next starts: an open one
            # holds the connection's lock.)
            if list(self._conn.notifies(timeout=min(0.25, remaining), stop_after=1)):
                # Drain what is already queued: one poll reads every new row.
                list(self._conn.notifies(timeout=0.0))
                return

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a broken connection may fail
            self._conn.close()
