"""How the group writer forms its groups (ADR 0023): a lone report is
committed at once; when senders are busy (the last group had company) the
writer waits a moment for more; a stop is honoured even during that wait.

What a group's commit stores is the batch and broker tests' concern
(``test_api_batch``, ``test_intake_broker``, the durability tests); here the
commit only records each group and answers its submissions, so the timing
of the grouping is all that is measured.
"""

from __future__ import annotations

import threading
import time

from smartcity.operations.intake_writer import GroupWriter, _Submission

WAIT_S = 2.0  # long enough that "waited" and "did not wait" cannot be confused


class RecordingWriter(GroupWriter):
    def __init__(self) -> None:
        super().__init__(max_events=500, max_wait_s=WAIT_S)
        self.recorded: list[list[str]] = []
        self.hold = threading.Event()
        self.hold.set()

    def _commit(self, group: list[_Submission]) -> None:
        self.hold.wait(10)
        self.recorded.append([item.api_key for item in group])
        for item in group:
            item.future.set_result([])


def busy_writer() -> RecordingWriter:
    """A writer whose last group had company: two submissions queued while
    the group before them was being committed."""
    writer = RecordingWriter()
    writer.hold.clear()  # the first group's commit is held ...
    first = writer.submit(api_key="x", events=[])
    while not writer._queue.empty():  # ... once the writer has taken it
        time.sleep(0.01)
    queued = [writer.submit(api_key=key, events=[]) for key in ("a", "b")]
    writer.hold.set()
    for future in (first, *queued):
        future.result(timeout=10)
    return writer


def test_a_lone_report_is_committed_without_waiting_for_company() -> None:
    writer = RecordingWriter()
    started = time.monotonic()
    writer.submit(api_key="a", events=[]).result(timeout=10)
    assert time.monotonic() - started < WAIT_S / 2
    assert writer.recorded == [["a"]]
    writer.stop()


def test_after_a_busy_group_the_writer_waits_for_company() -> None:
    writer = busy_writer()
    assert writer.recorded == [["x"], ["a", "b"]]  # the queued two, one group

    # Senders are busy: the next report waits for the one that follows it.
    alone = writer.submit(api_key="c", events=[])
    time.sleep(0.2)
    assert not alone.done()
    writer.submit(api_key="d", events=[]).result(timeout=10)
    assert alone.done() and writer.recorded[-1] == ["c", "d"]
    writer.stop()


def test_a_stop_during_the_wait_commits_the_group_and_ends_the_thread() -> None:
    writer = busy_writer()
    waiting = writer.submit(api_key="c", events=[])
    time.sleep(0.2)  # the writer is waiting for company
    thread = writer._thread
    started = time.monotonic()
    writer.stop()
    assert waiting.done() and writer.recorded[-1] == ["c"]
    assert thread is not None and not thread.is_alive()
    assert time.monotonic() - started < WAIT_S + 1
