"""Sliding-window limits shared by every session of a process (no streamlit here).

A `SlidingWindow` counts events per key (a client address, or one key for the whole process)
over the last `window` seconds, behind a lock, so every thread of the server sees the same
counts: a reload or a new browser session does not reset them. A restart of the process does.

`window(name, limit, seconds)` returns the process's one `SlidingWindow` for that name and those
settings (a change of settings starts a fresh count). Used by the sounding board (comments per
address and per process) and the staff sign-in (failed passwords per address and per process).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

#: Keys kept at most per window; the stalest key is dropped beyond it, so a flood of made-up
#: addresses cannot grow memory without bound.
MAX_KEYS = 50_000


class SlidingWindow:
    """At most `limit` events per key in any `seconds`-long span."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic):
        if limit < 1 or seconds <= 0:
            raise ValueError("a sliding window needs limit >= 1 and seconds > 0")
        self.limit = int(limit)
        self.seconds = float(seconds)
        self._clock = clock
        self._lock = threading.Lock()
        self._events: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            return deque()
        while events and now - events[0] >= self.seconds:
            events.popleft()
        if not events:
            del self._events[key]
        return events

    def wait(self, key: str) -> float:
        """Seconds until `key` may have another event (0: it may now)."""
        with self._lock:
            now = self._clock()
            events = self._recent(key, now)
            if len(events) < self.limit:
                return 0.0
            return max(0.0, events[0] + self.seconds - now)

    def count(self, key: str) -> int:
        """Events of `key` in the window."""
        with self._lock:
            return len(self._recent(key, self._clock()))

    def _add(self, key: str, events: deque[float], now: float) -> int:
        if key not in self._events:
            if len(self._events) >= MAX_KEYS:
                stalest = min(self._events, key=lambda k: self._events[k][-1])
                del self._events[stalest]
            self._events[key] = events
        events.append(now)
        return len(events)

    def record(self, key: str) -> int:
        """Count one event for `key`; returns how many it now has in the window."""
        with self._lock:
            now = self._clock()
            return self._add(key, self._recent(key, now), now)

    def take(self, key: str) -> float:
        """Record an event if `key` is under its limit and return 0; otherwise record nothing and
        return the seconds to wait. Atomic: two threads cannot both take the last place."""
        with self._lock:
            now = self._clock()
            events = self._recent(key, now)
            if len(events) >= self.limit:
                return max(0.0, events[0] + self.seconds - now)
            self._add(key, events, now)
            return 0.0

    def forget(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


_registry: dict[tuple[str, int, float], SlidingWindow] = {}
_registry_lock = threading.Lock()


def window(name: str, limit: int, seconds: float) -> SlidingWindow:
    """The process-wide window called `name` with these settings."""
    key = (name, int(limit), float(seconds))
    with _registry_lock:
        found = _registry.get(key)
        if found is None:
            found = _registry[key] = SlidingWindow(limit, seconds)
        return found


def reset_all() -> None:
    """Forget every window (tests)."""
    with _registry_lock:
        _registry.clear()


@dataclass(frozen=True)
class FailureLimit:
    """Wrong secrets (the staff password, a workshop PIN) limited per client address and for the
    whole process, in a sliding window kept across sessions and reloads. While either is over its
    limit, no secret is checked at all, not even the right one."""
    name: str
    per_address: int
    per_process: int
    seconds: float

    def _windows(self) -> tuple[SlidingWindow, SlidingWindow]:
        return (window(f"{self.name}-per-address", self.per_address, self.seconds),
                window(f"{self.name}-per-process", self.per_process, self.seconds))

    def minutes_to_wait(self, address: str) -> int:
        """0 when a secret may be checked now; otherwise the whole minutes until one may."""
        per_address, per_process = self._windows()
        wait = max(per_address.wait(address), per_process.wait(""))
        return max(1, math.ceil(wait / 60)) if wait > 0 else 0

    def failed(self, address: str) -> tuple[int, int]:
        """Count a wrong secret; returns the failures from this address and in all, in the window."""
        per_address, per_process = self._windows()
        return per_address.record(address), per_process.record("")

    def succeeded(self, address: str) -> None:
        self._windows()[0].forget(address)
