"""The fan-out benchmark's baseline: SSE broadcast in bare ASGI, no Django, no database.

``GET /stream`` holds an event stream open; ``POST /publish`` puts its body,
as one SSE frame, on every open stream's queue and answers 204. Served by the
same uvicorn as the product, it is the floor that uvicorn, HTTP and asyncio
set for delivering one update to many subscribers on this machine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
HEADERS = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]
CONNECTED = b"retry: 3000\n: connected\n\n"

subscribers: set[asyncio.Queue[bytes]] = set()


async def app(
    scope: Scope,
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] != "http":
        return
    if scope["path"] == "/publish":
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        frame = b"event: incident\ndata: " + body + b"\n\n"
        for queue in subscribers:
            queue.put_nowait(frame)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    subscribers.add(queue)
    try:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream"),
                    (b"cache-control", b"no-cache"),
                ],
            }
        )
        await send(
            {
                "type": "http.response.body",
                "body": b"retry: 3000\n: connected\n\n",
                "more_body": True,
            }
        )
        while True:
            await send({"type": "http.response.body", "body": await queue.get(), "more_body": True})
    finally:
        subscribers.discard(queue)
