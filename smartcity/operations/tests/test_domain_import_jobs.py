"""A background camera import as the page shows it: the bar over both
phases, and an import whose process is gone told from a running one."""

from __future__ import annotations

import datetime as dt

from smartcity.operations.domain.import_jobs import (
    GRACE,
    READ_SHARE,
    Owner,
    import_interrupted,
    import_percent,
    parse_owner,
)

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
STALE = dt.timedelta(minutes=2)
HERE = Owner("centre-1", 4242, 99)


def percent(state: str = "running", read: int = 0, written: int = 0, to_write: int = 0) -> int:
    return import_percent(state=state, read=read, read_total=1000, written=written,
                          to_write=to_write)  # fmt: skip


def test_reading_fills_the_first_share_and_writing_the_rest_up_to_99() -> None:
    assert percent("queued") == 0
    assert percent(read=500) == READ_SHARE // 2
    assert percent(read=1000) == READ_SHARE  # the whole file read: not 99 any more
    assert percent(read=1000, written=0, to_write=800) == READ_SHARE
    assert percent(read=1000, written=400, to_write=800) == READ_SHARE + (100 - READ_SHARE) // 2
    assert percent(read=1000, written=800, to_write=800) == 99  # committed only when done
    assert percent("done", read=1000, written=800, to_write=800) == 100


def test_the_bar_never_goes_back_or_past_99_while_running() -> None:
    seen = [percent(read=r) for r in range(0, 1001, 100)]
    seen += [percent(read=1000, written=w, to_write=2000) for w in range(0, 2001, 250)]
    assert seen == sorted(seen) and max(seen) == 99


def test_an_owner_label_reads_back_and_rubbish_is_no_owner() -> None:
    assert parse_owner(HERE.label()) == HERE
    assert parse_owner("host.example:with:colons:12:34") == Owner(
        "host.example:with:colons", 12, 34
    )
    for text in ("", "host", "host:12", "host:x:1", ":12:1"):
        assert parse_owner(text) is None


def interrupted(
    state: str = "running", owner: Owner | None = HERE, beat: dt.timedelta | None = STALE * 3,
    alive: bool | None = None,
) -> bool:  # fmt: skip
    return import_interrupted(
        state=state, owner=owner, heartbeat_at=None if beat is None else NOW - beat, now=NOW,
        this_host="centre-1", owner_alive=alive, stale_after=STALE,
    )  # fmt: skip


def test_on_its_own_host_the_process_table_decides_whatever_the_heartbeat() -> None:
    assert interrupted(alive=False, beat=dt.timedelta(seconds=30))
    # A long write on SQLite cannot beat: a live owner is never judged dead.
    assert not interrupted(alive=True, beat=STALE * 10)


def test_from_another_host_a_stale_heartbeat_decides() -> None:
    elsewhere = Owner("centre-2", 4242, 99)
    assert interrupted(owner=elsewhere, beat=STALE + dt.timedelta(seconds=1))
    assert not interrupted(owner=elsewhere, beat=STALE - dt.timedelta(seconds=1))


def test_a_fresh_row_finished_or_failed_import_is_never_interrupted() -> None:
    assert not interrupted(alive=False, beat=GRACE - dt.timedelta(seconds=1))
    for state in ("done", "failed"):
        assert not interrupted(state=state, alive=False)


def test_a_row_without_owner_or_heartbeat_left_running_is_interrupted() -> None:
    assert interrupted(owner=None, beat=None)
    assert interrupted(state="queued", owner=None, beat=STALE * 2)
