"""Benchmark: the real-video gateway (ADR 0021), next to ffmpeg alone.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_video.py [--streams 1,4] [--window 10]

For each number of concurrent streams N, against the camera simulator (one
feed per camera, the same for both sides):

- **product**: N gateways started by the product's supervisor
  (``GatewaySupervisor.acquire``, as the token view does on a granted
  officer's first token) and read as a viewer does (``read_piece``, the next
  segment every second). *Grant to first frame* is from ``acquire`` to the
  first piece (init + a complete segment) in hand; the token checks before it
  take milliseconds and are not included.
- **ffmpeg alone**: the same ffmpeg command line started by ``subprocess``
  directly, no supervisor, no reader; *first frame* is from start to the
  first segment listed in its playlist.

CPU is measured from ``/proc/<pid>/stat`` (user + system) over the window
after all first frames, as a share of one core per stream; memory is each
ffmpeg's resident set (``VmRSS``). The supervisor's own cost is the Python
process's CPU over the same window (its reaper and the segment reads).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from smartcity.operations.domain.media_segments import complete_segments  # noqa: E402
from smartcity.operations.media.ffmpeg import ffmpeg_binary, gateway_command  # noqa: E402
from smartcity.operations.media.segments import read_piece  # noqa: E402
from smartcity.operations.media.simulator import CameraSimulator  # noqa: E402
from smartcity.operations.media.supervisor import GatewaySupervisor  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(pids: list[int], window: float, tick: callable | None = None) -> tuple[float, float]:  # type: ignore[valid-type]
    """(CPU % of one core per stream, mean RSS MiB per stream) over ``window``."""
    start = {pid: cpu_seconds(pid) for pid in pids}
    self_start = time.process_time()
    began = time.monotonic()
    while time.monotonic() - began < window:
        if tick:
            tick()
        time.sleep(0.2)
    elapsed = time.monotonic() - began
    used = [cpu_seconds(pid) - start[pid] for pid in pids]
    measure.self_cpu = (time.process_time() - self_start) / elapsed * 100  # type: ignore[attr-defined]
    return statistics.mean(used) / elapsed * 100, statistics.mean(rss_mib(p) for p in pids)


def run_product(sim: CameraSimulator, n: int, window: float, root: Path) -> dict[str, float]:
    supervisor = GatewaySupervisor(root / "product")
    ends = timezone.now() + dt.timedelta(hours=1)
    firsts, gateways = [], []
    for camera in range(n):
        began = time.monotonic()
        gateway = supervisor.acquire(
            camera_id=1000 + camera, viewer_id=1, source=sim.url(f"bench-p{camera}"),
            grant_id=1, tenant_id=1, ends_at=ends,
        )  # fmt: skip
        while (piece := read_piece(gateway, None, "")) is None:
            time.sleep(0.02)
        firsts.append(time.monotonic() - began)
        gateways.append([gateway, piece.sequence])

    def read_next() -> None:
        for entry in gateways:
            piece = read_piece(entry[0], entry[1], entry[0].generation)
            if piece is not None:
                entry[1] = piece.sequence
                entry[0].last_used = time.monotonic()

    try:
        cpu, rss = measure([g.pid for g, _ in gateways], window, read_next)
        return {"first": statistics.median(firsts), "cpu": cpu, "rss": rss,
                "self": measure.self_cpu}  # type: ignore[attr-defined]  # fmt: skip
    finally:
        supervisor.stop_all()


def run_alone(
    sim: CameraSimulator, binary: str, n: int, window: float, root: Path
) -> dict[str, float]:
    processes, firsts = [], []
    try:
        for camera in range(n):
            directory = root / f"alone{camera}"
            directory.mkdir()
            began = time.monotonic()
            process = subprocess.Popen(
                gateway_command(binary, sim.url(f"bench-a{camera}"), directory),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            processes.append(process)
            playlist = directory / "index.m3u8"
            while not (playlist.exists() and complete_segments(playlist.read_text())):
                time.sleep(0.02)
            firsts.append(time.monotonic() - began)
        cpu, rss = measure([p.pid for p in processes], window)
        return {"first": statistics.median(firsts), "cpu": cpu, "rss": rss, "self": 0.0}
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--streams", default="1,4", help="numbers of concurrent streams")
    parser.add_argument("--window", type=float, default=10.0, help="seconds of CPU measurement")
    args = parser.parse_args()
    binary = ffmpeg_binary()
    if binary is None:
        sys.exit("ffmpeg not found (scripts/bootstrap installs it)")
    sim = CameraSimulator(binary, "127.0.0.1", 0).start()
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 shared cores)")
    print(f"{'streams':>7} {'side':<13} {'first frame s':>13} {'CPU %/stream':>12} "
          f"{'RSS MiB/stream':>14} {'python CPU %':>12}")  # fmt: skip
    try:
        for n in (int(x) for x in args.streams.split(",")):
            with tempfile.TemporaryDirectory(prefix="bench-video-") as tmp:
                alone = run_alone(sim, binary, n, args.window, Path(tmp))
                time.sleep(LINGER)
                product = run_product(sim, n, args.window, Path(tmp))
                time.sleep(LINGER)
            for side, row in (("ffmpeg alone", alone), ("product", product)):
                print(f"{n:>7} {side:<13} {row['first']:>13.2f} {row['cpu']:>12.1f} "
                      f"{row['rss']:>14.1f} {row['self']:>12.1f}")  # fmt: skip
            first = product["first"] / alone["first"]
            cpu, rss = product["cpu"] / alone["cpu"], product["rss"] / alone["rss"]
            print(f"{n:>7} {'ratio':<13} {first:>13.2f} {cpu:>12.2f} {rss:>14.2f}")
    finally:
        sim.close()


LINGER = 6.0  # the simulator's feeds of the previous side stop (LINGER_S + 1)

if __name__ == "__main__":
    main()
