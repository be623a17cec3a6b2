"""A reader for plain JSON/YAML data that records every problem with its path.

Why a recorder and not exceptions: an operating body importing the official
framework should see every problem of a document at once, each located
(``areas[1].items[0].indicators[3].rule.type``) and naming its indicator.
Readers return a placeholder after a problem so reading can go on.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from smartcity.scoring.errors import FrameworkError


def join(path: str, key: str | int) -> str:
    """``areas`` + 0 → ``areas[0]``; ``areas[0]`` + ``code`` → ``areas[0].code``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class DocumentReader:
    """Typed access to untyped data; problems accumulate in ``errors``."""

    def __init__(self) -> None:
        self.errors: list[FrameworkError] = []

    def fail(self, path: str, subject: str, problem: str, detail: str = "") -> None:
        """Record one problem."""
        self.errors.append(FrameworkError(path, subject, problem, detail))

    def mapping(
        self, value: object, path: str, subject: str, fields: Collection[str]
    ) -> Mapping[str, object]:
        """``value`` as an object with only the known ``fields`` (else an empty one)."""
        if not isinstance(value, Mapping):
            self.fail(path, subject, "expected_object", type(value).__name__)
            return _INVALID
        for key in value:
            if key not in fields:
                self.fail(join(path, str(key)), subject, "unknown_field")
        return value

    def sequence(
        self, data: Mapping[str, object], key: str, path: str, subject: str
    ) -> Sequence[object]:
        """A required list."""
        value = self._get(data, key, path, subject, None)
        if isinstance(value, list | tuple):
            return value
        self._wrong(value, join(path, key), subject, "expected_list")
        return ()

    def text(
        self,
        data: Mapping[str, object],
        key: str,
        path: str,
        subject: str,
        default: str | None = None,
    ) -> str:
        """A string; required unless a ``default`` is given."""
        value = self._get(data, key, path, subject, default)
        if isinstance(value, str):
            return value
        self._wrong(value, join(path, key), subject, "expected_string")
        return ""

    def optional_text(
        self, data: Mapping[str, object], key: str, path: str, subject: str
    ) -> str | None:
        """A string or null (absent means null)."""
        value = data.get(key)
        if value is None or isinstance(value, str):
            return value
        self.fail(join(path, key), subject, "expected_string", type(value).__name__)
        return None

    def choice(
        self,
        data: Mapping[str, object],
        key: str,
        path: str,
        subject: str,
        allowed: Sequence[str],
        default: str | None = None,
        problem: str = "unknown_value",
    ) -> str:
        """One of ``allowed`` (the first one is the placeholder after a problem)."""
        value = self.text(data, key, path, subject, default)
        if value in allowed:
            return value
        if value:
            self.fail(join(path, key), subject, problem, value)
        return allowed[0]

    def integer(
        self,
        data: Mapping[str, object],
        key: str,
        path: str,
        subject: str,
        default: int | None = None,
    ) -> int:
        """An integer (a bool is not one)."""
        value = self._get(data, key, path, subject, default)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self._wrong(value, join(path, key), subject, "expected_integer")
        return 0

    def boolean(
        self,
        data: Mapping[str, object],
        key: str,
        path: str,
        subject: str,
        default: bool | None = None,
    ) -> bool:
        """A true/false value."""
        value = self._get(data, key, path, subject, default)
        if isinstance(value, bool):
            return value
        self._wrong(value, join(path, key), subject, "expected_boolean")
        return False

    def decimal(
        self,
        data: Mapping[str, object],
        key: str,
        path: str,
        subject: str,
        default: str | None = None,
    ) -> Decimal:
        """A Decimal from a string ("12.5") or an integer; floats are refused."""
        value = self._get(data, key, path, subject, default)
        return self.parse_decimal(value, join(path, key), subject)

    def optional_decimal(
        self, data: Mapping[str, object], key: str, path: str, subject: str
    ) -> Decimal | None:
        """A Decimal or null (absent means null)."""
        value = data.get(key)
        return None if value is None else self.parse_decimal(value, join(path, key), subject)

    def parse_decimal(self, value: object, path: str, subject: str) -> Decimal:
        """Why no floats: 0.1 in binary is not 0.1, and scores must be exact."""
        if isinstance(value, str):
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                number = Decimal("NaN")
            if number.is_finite():
                return number
            self.fail(path, subject, "invalid_decimal", value)
        elif isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        elif isinstance(value, float):
            self.fail(path, subject, "float_not_allowed", repr(value))
        else:
            self._wrong(value, path, subject, "expected_decimal")
        return Decimal(0)

    def _wrong(self, value: object, path: str, subject: str, problem: str) -> None:
        """Record a wrong type, unless the value is absent (already recorded)."""
        if value is not _MISSING:
            self.fail(path, subject, problem, type(value).__name__)

    def _get(
        self, data: Mapping[str, object], key: str, path: str, subject: str, default: object
    ) -> object:
        """The value, the default when absent, or a missing marker (recorded)."""
        if key in data:
            return data[key]
        if default is not None:
            return default
        if data is not _INVALID:  # an entry that is not an object was reported once
            self.fail(join(path, key), subject, "missing")
        return _MISSING


#: Stands for an entry that is not an object (already recorded as ``expected_object``).
_INVALID: Mapping[str, object] = MappingProxyType({})
#: Marks a required value that is absent (already recorded as ``missing``).
_MISSING = object()
