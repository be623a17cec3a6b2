from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.operations.domain.text_values import first_control_character


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("가람로 1", None),
        ("a\x00b", 1),
        ("\x1b[2J", 0),
        ("abc\x7f", 3),
        ("x\u0085", 1),  # C1 next line
        ("x\ud800", 1),  # a lone surrogate
        ("줄\n바꿈", 1),
        ("탭\t", 1),
    ],
)
def test_the_first_control_character_is_found(text: str, position: int | None) -> None:
    assert first_control_character(text) == position


def test_free_text_keeps_tabs_and_line_breaks_only() -> None:
    assert first_control_character("1층\r\n2층\t대피", free_text=True) is None
    assert first_control_character("1층\n\x00", free_text=True) == 3


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs"))))
def test_text_without_control_characters_passes(text: str) -> None:
    assert first_control_character(text) is None
