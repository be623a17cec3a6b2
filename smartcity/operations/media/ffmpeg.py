"""The ffmpeg command lines, in one place.

The gateway transcodes whatever the camera sends to H.264 constrained
baseline in fragmented MP4 (HLS muxer, one-second segments, a key frame at
each), which Debian's Chromium decodes through Media Source Extensions
(ADR 0021). The simulator draws ffmpeg's test pattern with the camera id and
the time and sends it as MPEG-TS.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from django.conf import settings

CODEC = 'video/mp4; codecs="avc1.42C01E"'
"""What the console's player asks the browser for (H.264 constrained baseline 3.0)."""

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
SIMULATED_NAME = re.compile(r"\A[A-Za-z0-9_-]{1,64}\Z")


def ffmpeg_binary() -> str | None:
    """The ffmpeg to run (``SMARTCITY_FFMPEG``, else the one on PATH), or ``None``."""
    configured = str(getattr(settings, "OPERATIONS_FFMPEG", "") or "")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("ffmpeg")


def gateway_command(binary: str, source: str, directory: Path) -> list[str]:
    """Pull ``source`` and write ``directory/index.m3u8``, ``init.mp4`` and
    ``seg_N.m4s`` (the last few only: the muxer deletes older ones)."""
    fps = int(settings.OPERATIONS_VIDEO_GATEWAY_FPS)
    width = int(settings.OPERATIONS_VIDEO_GATEWAY_WIDTH)
    network = []
    if source.startswith("rtsp://"):
        network = ["-rtsp_transport", "tcp", "-timeout", "5000000"]
    elif source.startswith(("http://", "https://")):
        network = ["-rw_timeout", "5000000"]
    return [
        binary, "-hide_banner", "-nostdin", "-loglevel", "error",
        "-fflags", "nobuffer", "-probesize", "131072", "-analyzeduration", "500000",
        *network, "-i", source,
        "-map", "0:v:0", "-an", "-sn", "-dn", "-map_metadata", "-1",
        "-vf", f"fps={fps},scale={width}:-2",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
        "-profile:v", "baseline", "-level", "3.0", "-pix_fmt", "yuv420p",
        "-g", str(fps), "-keyint_min", str(fps), "-sc_threshold", "0",
        "-f", "hls", "-hls_time", "1", "-hls_list_size", "6",
        "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
        "-hls_segment_filename", str(directory / "seg_%d.m4s"),
        "-hls_flags", "delete_segments+independent_segments+temp_file",
        str(directory / "index.m3u8"),
    ]  # fmt: skip


def simulator_command(binary: str, name: str, *, fps: int = 15, size: str = "640x360") -> list[str]:
    """A live test pattern for camera ``name`` (checked: letters, digits, - and _)
    with its name and the time, as MPEG-TS on stdout."""
    if not SIMULATED_NAME.match(name):
        raise ValueError(f"camera name must match {SIMULATED_NAME.pattern}: {name!r}")
    font = f"fontfile={FONT}:" if Path(FONT).exists() else ""
    text = (
        f"drawtext={font}text='CAMERA {name}  %{{localtime}}':x=16:y=16:fontsize=24:"
        "fontcolor=white:box=1:boxcolor=black@0.6"
    )
    return [
        binary, "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}",
        "-vf", text, "-c:v", "mpeg2video", "-q:v", "6", "-g", str(fps), "-bf", "0",
        "-f", "mpegts", "pipe:1",
    ]  # fmt: skip
