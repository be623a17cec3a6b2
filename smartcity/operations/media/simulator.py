"""The camera simulator: real live video for development, tests and the demo.

``GET /cameras/<name>.ts`` answers an endless MPEG-TS stream of ffmpeg's
test pattern with ``CAMERA <name>`` and the time drawn on it. One ffmpeg
per camera name runs while at least one client reads it (and a few seconds
after, so a reconnecting gateway finds it warm); every client gets the same
live bytes. Run by ``smartcity cctv simulate``; scripts/serve starts it and
points the demo cameras at it (``smartcity cctv use-simulator``).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from smartcity.operations.media.ffmpeg import simulator_command

log = logging.getLogger(__name__)

PATH = re.compile(r"\A/cameras/([A-Za-z0-9_-]{1,64})\.ts\Z")
CHUNK = 188 * 64  # whole MPEG-TS packets
LINGER_S = 5.0


class Feed:
    """One simulated camera: an ffmpeg and the queues of its readers."""

    def __init__(self, binary: str, name: str) -> None:
        self.name = name
        self.readers: set[queue.Queue[bytes | None]] = set()
        self.lock = threading.Lock()
        self.last_reader = time.monotonic()
        self.process = subprocess.Popen(
            simulator_command(binary, name),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        threading.Thread(target=self._pump, name=f"sim-{name}", daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        while True:
            data = self.process.stdout.read1(CHUNK)  # type: ignore[attr-defined]
            with self.lock:
                readers = list(self.readers)
            for reader in readers:
                # A slow reader loses bytes; the others do not wait for it.
                with contextlib.suppress(queue.Full):
                    reader.put_nowait(data or None)
            if not data:
                return

    def attach(self) -> queue.Queue[bytes | None]:
        reader: queue.Queue[bytes | None] = queue.Queue(maxsize=256)
        with self.lock:
            self.readers.add(reader)
        return reader

    def detach(self, reader: queue.Queue[bytes | None]) -> None:
        with self.lock:
            self.readers.discard(reader)
            self.last_reader = time.monotonic()

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.process.kill()


class CameraSimulator:
    """The HTTP server and its feeds (``serve_forever`` or ``start`` in a thread)."""

    def __init__(self, binary: str, host: str = "127.0.0.1", port: int = 8554) -> None:
        self.binary = binary
        self.feeds: dict[str, Feed] = {}
        self.lock = threading.Lock()
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                simulator.serve(self)

            def log_message(self, format: str, *args: object) -> None:
                log.debug("camera simulator: " + format, *args)

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None
        self._reaper_stop = threading.Event()
        threading.Thread(target=self._reap, name="sim-reaper", daemon=True).start()

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{int(port)}"

    def url(self, name: str) -> str:
        return f"{self.base_url}/cameras/{name}.ts"

    def feed(self, name: str) -> Feed:
        with self.lock:
            current = self.feeds.get(name)
            if current is None or not current.alive():
                current = self.feeds[name] = Feed(self.binary, name)
            return current

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        match = PATH.match(handler.path)
        if not match:
            handler.send_error(404)
            return
        feed = self.feed(match.group(1))
        reader = feed.attach()
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "video/mp2t")
            handler.send_header("Cache-Control", "no-store")
            handler.end_headers()
            while True:
                data = reader.get(timeout=10)
                if data is None:
                    return
                handler.wfile.write(data)
        except (OSError, queue.Empty):
            return  # the client went away, or the feed stalled
        finally:
            feed.detach(reader)

    def _reap(self) -> None:
        while not self._reaper_stop.wait(1.0):
            with self.lock:
                for name, feed in list(self.feeds.items()):
                    idle = not feed.readers and time.monotonic() - feed.last_reader > LINGER_S
                    if idle or not feed.alive():
                        feed.stop()
                        del self.feeds[name]

    def start(self) -> CameraSimulator:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._reaper_stop.set()
        self.server.shutdown()
        self.server.server_close()
        with self.lock:
            for feed in self.feeds.values():
                feed.stop()
            self.feeds.clear()
