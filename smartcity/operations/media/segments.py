"""Reading a gateway's segments for one viewer (the token view's side).

The viewer says which segment it has (``after``) and of which gateway run
(``generation``: a restarted ffmpeg starts a new one, with its own init
segment). A viewer that is new, or whose gateway was restarted, gets the init
segment followed by the newest complete media segment; afterwards the next
one. The player lays them end to end (MSE ``sequence`` mode).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from smartcity.operations.domain.media_segments import (
    INIT_NAME,
    complete_segments,
    next_segment,
)
from smartcity.operations.media.supervisor import Gateway, GatewayUnavailable

POLL_S = 0.1


@dataclass(frozen=True)
class Piece:
    sequence: int
    generation: str
    body: bytes


def read_piece(gateway: Gateway, after: int | None, generation: str) -> Piece | None:
    """The viewer's next piece if ffmpeg has written it, else ``None``."""
    fresh = generation != gateway.generation
    start = None if fresh else after
    try:
        playlist = (gateway.directory / "index.m3u8").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return None
    segment = next_segment(complete_segments(playlist), start)
    if segment is None:
        return None
    try:
        body = (gateway.directory / segment.name).read_bytes()
        if start is None:
            body = (gateway.directory / INIT_NAME).read_bytes() + body
    except FileNotFoundError:
        return None  # deleted under us: the next poll reads the new playlist
    return Piece(segment.sequence, gateway.generation, body)


async def wait_for_piece(
    gateway: Gateway, after: int | None, generation: str, *, timeout_s: float
) -> Piece | None:
    """``read_piece`` until one is there or ``timeout_s`` passed (``None``).
    Raises ``GatewayUnavailable`` when ffmpeg exits meanwhile."""
    deadline = time.monotonic() + timeout_s
    while True:
        gateway.last_used = time.monotonic()  # a viewer waiting is no idle gateway
        piece = await asyncio.to_thread(read_piece, gateway, after, generation)
        if piece is not None:
            return piece
        if not gateway.alive():
            raise GatewayUnavailable("stream_failed")
        if time.monotonic() >= deadline:
            return None
        await asyncio.sleep(POLL_S)
