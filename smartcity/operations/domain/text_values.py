"""Text fields as senders may send them.

No sending system has a reason to put a control character into an
occurrence number, an address or a name: NUL cannot even be stored by
PostgreSQL, a lone surrogate cannot be encoded at all, and the others break
logs, exports and screens. They are refused at the edge (API schemas, the
legacy codec) with the field and the position, so nothing later fails on them.
Free text (an incident's detail) may keep tabs and line breaks.
"""

from __future__ import annotations

import re

FREE_TEXT_WHITESPACE = "\t\n\r"

# Unicode category Cc (C0, DEL, C1) and Cs (surrogates: only reachable as
# lone ``\\udXXX`` escapes in JSON, and not encodable in UTF-8).
_CONTROL = "\x00-\x1f\x7f-\x9f\ud800-\udfff"
_STRICT = re.compile(f"[{_CONTROL}]")
_FREE_TEXT = re.compile(f"(?![{FREE_TEXT_WHITESPACE}])[{_CONTROL}]")


def first_control_character(text: str, *, free_text: bool = False) -> int | None:
    """The 0-based position of the first control character in ``text``, or
    ``None``; with ``free_text``, tabs and line breaks are allowed."""
    found = (_FREE_TEXT if free_text else _STRICT).search(text)
    return found.start() if found else None
