"""A first-come, first-served queue for building evidence packs in one process (no Streamlit).

A pack takes seconds of both cores (charts rendered by vl-convert, the PDF by WeasyPrint): twelve
built at once kept a 2-core host busy for minutes and slowed every page. `BuildQueue.turn()` lets
`slots` builds run at once and makes the rest wait in order; while one waits, its `on_wait`
callback is told how many builds are ahead of it (running and waiting), about once a `poll`
seconds, so the page can say so, and so that a page whose visitor has gone (Streamlit stops the
script at its next element call) leaves the queue. More than `max_waiting` waiting: `QueueFull`
at once, rather than an ever longer wait.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class QueueFull(Exception):
    """Too many builds are waiting already."""


class BuildQueue:
    def __init__(self, slots: int = 1, max_waiting: int = 20, poll: float = 1.0):
        if slots < 1 or max_waiting < 0 or poll <= 0:
            raise ValueError("a build queue needs slots >= 1, max_waiting >= 0 and poll > 0")
        self.slots, self.max_waiting, self.poll = int(slots), int(max_waiting), float(poll)
        self._cond = threading.Condition()
        self._waiting: list[object] = []
        self._running = 0

    def state(self) -> tuple[int, int]:
        """(builds running, builds waiting)."""
        with self._cond:
            return self._running, len(self._waiting)

    @contextmanager
    def turn(self, on_wait: Callable[[int], None] | None = None) -> Iterator[None]:
        """Wait for a slot (first come, first served), hold it for the `with` block, free it after.
        `on_wait(ahead)` is called while waiting: builds running plus those waiting in front."""
        ticket = object()
        with self._cond:
            if self._running < self.slots and not self._waiting:
                self._running += 1
                ticket = None
            elif len(self._waiting) >= self.max_waiting:
                raise QueueFull(f"{self._running} pack(s) being built and {len(self._waiting)} waiting")
            else:
                self._waiting.append(ticket)
        try:
            while ticket is not None:
                with self._cond:
                    place = self._waiting.index(ticket)
                    if place == 0 and self._running < self.slots:
                        self._waiting.pop(0)
                        self._running += 1
                        break
                    ahead = self._running + place
                if on_wait is not None:
                    on_wait(ahead)  # outside the lock: it may be slow, or raise to give up
                with self._cond:
                    if not (self._waiting and self._waiting[0] is ticket and self._running < self.slots):
                        self._cond.wait(self.poll)
        except BaseException:
            with self._cond:
                if ticket in self._waiting:
                    self._waiting.remove(ticket)
                    self._cond.notify_all()
            raise
        try:
            yield
        finally:
            with self._cond:
                self._running -= 1
                self._cond.notify_all()
