"""Reading and writing published chain anchors (``audit anchor``,
``linkage anchor-log``): one JSON object per line, appended, so the file is
also the history of published heads. The newest line is the one checked."""

from __future__ import annotations

from pathlib import Path

from smartcity.core.domain.hash_chain import Anchor


class AnchorFileError(ValueError):
    """The anchor file cannot be read, or its newest line is not an anchor."""


def read_anchor(path: str, *, chain: str) -> Anchor:
    """The newest anchor in ``path``; it must be of ``chain``."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorFileError(
            f"cannot read the anchor file {path}: {exc} / 앵커 파일을 읽을 수 없습니다."
        ) from exc
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        raise AnchorFileError(f"the anchor file {path} is empty / 앵커 파일이 비어 있습니다.")
    number, line = numbered[-1]
    try:
        anchor = Anchor.from_json(line)
    except ValueError as exc:
        raise AnchorFileError(
            f"{path}, line {number}: {exc} / 앵커 파일 {number}번째 줄이 올바르지 않습니다."
        ) from exc
    if anchor.chain != chain:
        raise AnchorFileError(
            f"{path}, line {number}: an anchor of chain '{anchor.chain}', not '{chain}' "
            f"/ 다른 체인의 앵커입니다."
        )
    return anchor


def append_anchor(path: str, anchor: Anchor) -> None:
    with Path(path).open("a", encoding="utf-8") as out:
        out.write(anchor.to_json() + "\n")
