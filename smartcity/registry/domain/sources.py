"""How a decision's source is named: the record's sources follow a few
shapes (``2021 press release (001)``, ``2021년 보도자료``); each is read into
a kind and its parts so pages can name it in the reader's language. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PRESS_EN = re.compile(r"^(?P<year>\d{4}) press release(?: \((?P<number>[^)]+)\))?$", re.I)
_PRESS_KO = re.compile(r"^(?P<year>\d{4})년 (?:국토교통부 )?보도자료(?:\s*\((?P<number>[^)]+)\))?$")


@dataclass(frozen=True)
class Source:
    """``kind`` is ``press_release`` (with ``year`` and maybe ``number``) or
    ``other`` (``text`` is shown as written)."""

    kind: str
    text: str
    year: str = ""
    number: str = ""


def read_source(text: str) -> Source:
    cleaned = " ".join(text.split())
    for pattern in (_PRESS_EN, _PRESS_KO):
        match = pattern.match(cleaned)
        if match:
            return Source("press_release", cleaned, match["year"], match["number"] or "")
    return Source("other", cleaned)
