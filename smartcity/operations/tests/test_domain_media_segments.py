"""The gateway's playlist: only complete, well-named segments; live start."""

from __future__ import annotations

from smartcity.operations.domain.media_segments import (
    complete_segments,
    next_segment,
    parse_after,
)

PLAYLIST = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:1
#EXT-X-MEDIA-SEQUENCE:4
#EXT-X-MAP:URI="init.mp4"
#EXTINF:1.000000,
seg_4.m4s
#EXTINF:1.000000,
seg_5.m4s
#EXTINF:0.900000,
seg_6.m4s
"""


def test_the_playlist_lists_complete_segments_in_order() -> None:
    segments = complete_segments(PLAYLIST)
    assert [s.sequence for s in segments] == [4, 5, 6]
    assert segments[-1].duration_s == 0.9


def test_names_outside_the_pattern_are_never_segments() -> None:
    hostile = PLAYLIST + "#EXTINF:1,\n../../etc/passwd\n#EXTINF:1,\nseg_7.m4s.tmp\nseg_x.m4s\n"
    assert [s.name for s in complete_segments(hostile)] == ["seg_4.m4s", "seg_5.m4s", "seg_6.m4s"]


def test_a_new_viewer_starts_at_the_newest_segment() -> None:
    segments = complete_segments(PLAYLIST)
    start = next_segment(segments, None)
    assert start is not None and start.sequence == 6


def test_a_viewer_gets_the_next_one_or_nothing_yet() -> None:
    segments = complete_segments(PLAYLIST)
    following = next_segment(segments, 4)
    assert following is not None and following.sequence == 5
    assert next_segment(segments, 6) is None
    assert next_segment([], None) is None


def test_a_viewer_left_behind_skips_to_the_oldest_still_listed() -> None:
    behind = next_segment(complete_segments(PLAYLIST), 1)
    assert behind is not None and behind.sequence == 4


def test_after_is_a_small_number_or_nothing() -> None:
    assert parse_after("12") == 12
    for bad in (None, "", "-1", "1e3", "１２", "9" * 10, "3\x00"):
        assert parse_after(bad) is None
