"""The gateway's live playlist, read without trusting it: which media
segments are complete, and which one a viewer gets next.

ffmpeg's HLS muxer (fragmented MP4) lists a segment in ``index.m3u8`` only
once it is written in full, so the playlist is the list of what may be
served. Names are checked against one pattern: nothing else on disk (the
init segment aside) is ever a segment. Pure: no Django, no file system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEGMENT_NAME = re.compile(r"\Aseg_(\d{1,9})\.m4s\Z")
INIT_NAME = "init.mp4"
MAX_PLAYLIST_CHARS = 64_000


@dataclass(frozen=True)
class Segment:
    sequence: int
    name: str
    duration_s: float


def complete_segments(playlist: str) -> list[Segment]:
    """The segments the playlist lists, in order; anything malformed is skipped."""
    found: list[Segment] = []
    duration = 0.0
    for raw in playlist[:MAX_PLAYLIST_CHARS].splitlines():
        line = raw.strip()
        if line.startswith("#EXTINF:"):
            try:
                duration = float(line[len("#EXTINF:") :].split(",", 1)[0])
            except ValueError:
                duration = 0.0
            continue
        match = SEGMENT_NAME.match(line)
        if match:
            found.append(Segment(int(match.group(1)), line, duration))
            duration = 0.0
    return found


def next_segment(segments: list[Segment], after: int | None) -> Segment | None:
    """What a viewer gets next.

    A viewer who has nothing yet (``after`` is ``None``) starts at the newest
    complete segment: live video, not the last minute. Otherwise the first
    segment after ``after``; when the viewer fell so far behind that its next
    one was already deleted, the oldest still listed (the player lays
    segments end to end, so a gap only skips time).
    """
    if not segments:
        return None
    if after is None:
        return segments[-1]
    for segment in segments:
        if segment.sequence > after:
            return segment
    return None


def parse_after(value: str | None) -> int | None:
    """The ``after`` query value: a small non-negative integer, else ``None``."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 9:
        return None
    return int(value)
