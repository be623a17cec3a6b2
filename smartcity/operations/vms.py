"""The port to the city's video management system (VMS), and a fake one.

The product never stores video. The gateway view asks a ``VideoSource`` for a
frame of a camera only after ``services.video.streams.open_stream`` accepted the
token; the camera's stream endpoint is read here, on the server, and never
sent to a browser.

``ffmpeg`` (the default) is real video: a gateway per (camera, viewer) pulls
the camera's stream and cuts it into segments (``operations.media``, ADR 0021);
the console plays them. ``fake``, chosen explicitly
(``SMARTCITY_VMS_BACKEND=fake``), is the fallback without ffmpeg: a PNG test
frame per camera — camera id, key, the server time and the viewer as a
watermark — refreshed by the console.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from smartcity.operations.models import Camera


@dataclass(frozen=True)
class Frame:
    content_type: str
    body: bytes


class VideoSource(Protocol):
    def frame(self, camera: Camera, *, viewer: str, at: dt.datetime) -> Frame: ...


class FakeVideoSource:
    """A generated PNG test card per camera (320×180, ASCII text only)."""

    size = (320, 180)

    def frame(self, camera: Camera, *, viewer: str, at: dt.datetime) -> Frame:
        shade = hashlib.sha256(str(camera.pk).encode()).digest()
        background = (20 + shade[0] % 60, 30 + shade[1] % 60, 50 + shade[2] % 80)
        image = Image.new("RGB", self.size, background)
        draw = ImageDraw.Draw(image)
        font = ImageFont.load_default(size=16)
        small = ImageFont.load_default(size=11)
        seconds = at.second
        # A moving bar, so a refreshed frame visibly differs.
        draw.rectangle([(seconds * 5) % 320, 150, (seconds * 5) % 320 + 40, 160], fill="#ffcc00")
        local = timezone.localtime(at)
        lines = [
            ("FAKE VMS - TEST FRAME", font),
            (f"camera #{camera.pk}  {camera.key[:24]}", font),
            (local.strftime("%Y-%m-%d %H:%M:%S %Z"), font),
            (f"viewer: {viewer}", small),
        ]
        y = 14
        for text, face in lines:
            draw.text((12, y), text, fill="white", font=face)
            y += 30
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return Frame("image/png", buffer.getvalue())


BACKENDS = ("ffmpeg", "fake")


def video_backend() -> str:
    """``ffmpeg`` (segments of real video) or ``fake`` (PNG test frames)."""
    backend = str(settings.OPERATIONS_VMS_BACKEND)
    if backend not in BACKENDS:
        raise ImproperlyConfigured(
            f"unknown SMARTCITY_VMS_BACKEND {backend!r} (known: {', '.join(BACKENDS)})"
        )
    return backend


def video_source() -> VideoSource:
    """The frame source of the ``fake`` backend."""
    if video_backend() != "fake":
        raise ImproperlyConfigured("frames come from the fake backend only")
    return FakeVideoSource()
