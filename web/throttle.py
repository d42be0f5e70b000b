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

    def give_back(self, key: str) -> None:
        """Undo one `take` of `key` (its newest event): a reserved place that was not used."""
        with self._lock:
            events = self._events.get(key)
            if events:
                events.pop()
                if not events:
                    del self._events[key]

    def forget(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


def take_all(places: list[tuple[SlidingWindow, str]]) -> tuple[int, float] | None:
    """Take one place in each (window, key), or none: None when every one was taken; otherwise the
    places already taken are given back and (index of the full window, seconds to wait) returned.
    Each take is atomic, so no window ever holds more than its limit however many threads race; a
    racing thread may at worst be refused by a place that is given back a moment later."""
    taken: list[tuple[SlidingWindow, str]] = []
    for i, (win, key) in enumerate(places):
        seconds = win.take(key)
        if seconds > 0:
            for w, k in reversed(taken):
                w.give_back(k)
            return i, seconds
        taken.append((win, key))
    return None


def give_back_all(places: list[tuple[SlidingWindow, str]]) -> None:
    """Undo a successful `take_all` of the same places."""
    for win, key in reversed(places):
        win.give_back(key)


def minutes(seconds: float) -> int:
    """Whole minutes to tell a person (at least 1) for a wait of `seconds` > 0."""
    return max(1, math.ceil(seconds / 60))


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


@dataclass(frozen=True)
class AttemptLimit:
    """Guesses at a slow secret (a workshop PIN: scrypt, about 50 ms) limited per client address,
    per target (the workshop) and for the whole process, in sliding windows kept across sessions.

    `reserve` takes the attempt's place in all three windows BEFORE the secret is checked, so
    guesses sent at once cannot all pass a check made before any of them was counted; a right
    secret gives its place back (`release`), a wrong one keeps it. The per-target limit keeps one
    address's guesses from closing other targets; the per-process one is a high backstop on the
    hashing work, not a lock-out of every target by one attacker."""
    name: str
    per_address: int
    per_target: int
    per_process: int
    seconds: float

    SCOPES = ("address", "target", "process")

    def _places(self, address: str, target: str) -> list[tuple[SlidingWindow, str]]:
        return [(window(f"{self.name}-per-address", self.per_address, self.seconds), address),
                (window(f"{self.name}-per-target", self.per_target, self.seconds), target),
                (window(f"{self.name}-per-process", self.per_process, self.seconds), "")]

    def reserve(self, address: str, target: str) -> tuple[str, int] | None:
        """None: the attempt is counted and the secret may be checked now. Otherwise nothing is
        counted and (scope over its limit: "address", "target" or "process", whole minutes to wait)
        is returned."""
        refused = take_all(self._places(address, target))
        if refused is None:
            return None
        return self.SCOPES[refused[0]], minutes(refused[1])

    def release(self, address: str, target: str) -> None:
        """Give back a reserved attempt that is not to count (the secret was right, or could not be
        checked)."""
        give_back_all(self._places(address, target))
