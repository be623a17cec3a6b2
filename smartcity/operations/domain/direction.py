"""Reading the free-text viewing direction (촬영방면정보) of the CCTV standard data.

The field is free text, and a survey of four real files (about 49,000 rows,
3,381 distinct values) shows why the parser is conservative:

* 27 % blank; 43 % say "all round" in a dozen spellings (``360도전방면``,
  ``360도 전방향``, ``360``, ``360°``, ``360도다방면``, ``회전`` for a PTZ dome);
* 5 % give only a lens angle (``90도 정면``, ``60도 단방향``, ``120도``, ``130``,
  ``45°``) — a field of view without a bearing;
* 0.2 % give compass directions (``북,남``, ``동,서,남,북``, ``북동,남서``, ``븍,남``
  with a typo). Single-direction forms such as ``동측``, ``북서``, ``서→동``,
  ``남측방향`` and ``북동쪽`` (the platform reference's examples) are handled too,
  though these four files hardly use them;
* the rest are landmarks (``주택 앞 삼거리``), radii (``반경 2~3m``), or camera IDs
  (``방범-2023-대연-389-1``, ``부산-7-남구-0152``) — the ID strings contain
  ``남`` and ``동``, so a compass word only counts when the *whole* text is made
  of compass words; anything else is unknown rather than guessed.

Result conventions (the camera index relies on them):

* ``Direction(None, 360.0)`` — sees all round (bearing meaningless);
* ``Direction(b, f)`` — looks towards bearing ``b`` with field of view ``f``;
* ``Direction(None, f)`` with ``f < 360`` — lens angle known, bearing unknown;
* ``Direction(None, None)`` — unknown.

Several compass directions (``북,동``) become the smallest arc that contains
each direction ± ``default_fov/2``; when that arc is ambiguous (opposite
directions such as ``북,남``) the bearing is dropped and only the width kept,
because choosing a side would invent coverage the text does not state.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

DEFAULT_FOV_DEG = 90.0
"""Field of view assumed for a camera described only by a compass direction:
a typical fixed bullet camera with a 2.8–4 mm lens sees 80–100°."""


class Direction(NamedTuple):
    """Where a camera looks: bearing clockwise from north, and its angular width."""

    bearing_deg: float | None
    fov_deg: float | None


UNKNOWN = Direction(None, None)
OMNIDIRECTIONAL = Direction(None, 360.0)

_COMPASS: dict[str, float] = {
    "북": 0.0,
    "북북동": 22.5,
    "북동": 45.0,
    "동북": 45.0,
    "동북동": 67.5,
    "동": 90.0,
    "동남동": 112.5,
    "남동": 135.0,
    "동남": 135.0,
    "남남동": 157.5,
    "남": 180.0,
    "남남서": 202.5,
    "남서": 225.0,
    "서남": 225.0,
    "서남서": 247.5,
    "서": 270.0,
    "서북서": 292.5,
    "북서": 315.0,
    "서북": 315.0,
    "북북서": 337.5,
    "n": 0.0,
    "nne": 22.5,
    "ne": 45.0,
    "ene": 67.5,
    "e": 90.0,
    "ese": 112.5,
    "se": 135.0,
    "sse": 157.5,
    "s": 180.0,
    "ssw": 202.5,
    "sw": 225.0,
    "wsw": 247.5,
    "w": 270.0,
    "wnw": 292.5,
    "nw": 315.0,
    "nnw": 337.5,
    "north": 0.0,
    "east": 90.0,
    "south": 180.0,
    "west": 270.0,
    "北": 0.0,
    "東": 90.0,
    "南": 180.0,
    "西": 270.0,
}
"""Compass words and their bearings (8-point Korean plus the 16-point forms,
the reversed Korean orders 동북/동남/서남/서북, English and hanja)."""

_TYPOS = {"븍": "북"}  # seen in Seoul's 성동구 rows: "븍,남"

# An explicit angle: "360도", "90 도", "45°", "60度". Lens widths are written as
# integers or with one decimal; ranges ("30~150") are radii in metres, not angles.
_ANGLE = re.compile(r"(?<![\d.~\-])(\d{1,3}(?:\.\d+)?)\s*(?:도|°|度|deg)")
_BARE_NUMBER = re.compile(r"\d{1,3}(?:\.\d+)?")
_OMNI_WORDS = ("전방향", "전방면", "다방면", "전방위", "전방위각", "사방", "회전", "ptz", "全방향")
_SEPARATORS = re.compile(r"[,/·、;&+]|및|그리고")
_ARROWS = re.compile(r"→|->|=>|⇒|에서")
_BOTH_WAYS = re.compile(r"↔|<->|<=>")
_SUFFIXES = ("방향으로", "방향", "방면", "쪽으로", "쪽", "측", "향", "편")
_DIGITS_OR_ANGLE = re.compile(r"\d|도|°")


def parse_direction(text: str | None, *, default_fov_deg: float = DEFAULT_FOV_DEG) -> Direction:
    """Interpret a 촬영방면정보 value; never raises, returns :data:`UNKNOWN` when in doubt."""
    if not 0.0 < default_fov_deg <= 360.0:
        raise ValueError(f"default_fov_deg must be in (0, 360], got {default_fov_deg}")
    if text is None:
        return UNKNOWN
    norm = unicodedata.normalize("NFKC", text).strip().lower()
    for wrong, right in _TYPOS.items():
        norm = norm.replace(wrong, right)
    if not norm:
        return UNKNOWN
    angle = _explicit_angle(norm)
    if angle is not None and angle >= 360.0:
        return OMNIDIRECTIONAL
    compact = re.sub(r"\s+", "", _ANGLE.sub("", norm))
    bearings = _compass_bearings(compact)
    if bearings:
        return _arc_for(bearings, angle if angle is not None else default_fov_deg)
    if angle is not None:
        return Direction(None, angle)
    if any(word in compact for word in _OMNI_WORDS):
        return OMNIDIRECTIONAL
    return UNKNOWN


def _explicit_angle(norm: str) -> float | None:
    """The first angle in the text (``90도 정면`` → 90), or the whole text as a
    number (``130``, ``360``). Zero means "not entered" in Seoul's 중랑구 rows."""
    match = _ANGLE.search(norm)
    raw = match.group(1) if match else None
    if raw is None and _BARE_NUMBER.fullmatch(norm):
        raw = norm
    if raw is None:
        return None
    value = float(raw)
    if not 0.0 < value <= 360.0:
        return None
    return value


def _compass_bearings(compact: str) -> list[float]:
    """Bearings named by a text made only of compass words, else ``[]``.

    ``서→동`` names the target (east); ``동↔서`` and ``동,서`` both directions;
    ``동서남북`` (no separators) is split into single characters when it is not
    itself a compass word, so ``북동`` stays north-east.
    """
    if not compact or _DIGITS_OR_ANGLE.search(compact):
        return []
    if _BOTH_WAYS.search(compact):
        parts = _BOTH_WAYS.split(compact)
    else:
        hops = _ARROWS.split(compact)
        parts = [hops[-1]] if len(hops) > 1 else _SEPARATORS.split(compact)
    bearings: list[float] = []
    for part in parts:
        words = _compass_words(_strip_suffix(part))
        if words is None:
            return []
        bearings.extend(words)
    return bearings


def _strip_suffix(token: str) -> str:
    """``남측방향`` → ``남``: suffixes stack, so strip until none is left."""
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if token.endswith(suffix) and len(token) > len(suffix):
                token = token[: -len(suffix)]
                stripped = True
                break
    return token


def _compass_words(token: str) -> list[float] | None:
    if token.startswith("정") and token[1:] in _COMPASS:  # 정북 = due north
        token = token[1:]
    if token in _COMPASS:
        return [_COMPASS[token]]
    if token and all(ch in "동서남북" for ch in token):
        return [_COMPASS[ch] for ch in token]
    return None


def _arc_for(bearings: list[float], width_deg: float) -> Direction:
    """Smallest arc containing every ``bearing ± width/2``.

    The arc is the circle minus the largest gap between consecutive bearings;
    if two gaps tie for largest the side is ambiguous, so only the width is kept.
    """
    points = sorted(set(bearings))
    if len(points) == 1:
        return Direction(points[0], min(width_deg, 360.0))
    gaps = [((points[(i + 1) % len(points)] - points[i]) % 360.0, i) for i in range(len(points))]
    largest = max(gap for gap, _ in gaps)
    span = 360.0 - largest + width_deg
    if span >= 360.0:
        return OMNIDIRECTIONAL
    leaders = [i for gap, i in gaps if abs(gap - largest) < 1e-9]
    if len(leaders) > 1:
        return Direction(None, span)
    start = points[(leaders[0] + 1) % len(points)] - width_deg / 2.0
    return Direction((start + span / 2.0) % 360.0, span)
