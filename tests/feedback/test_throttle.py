"""Process-wide sliding windows and the client address rule (no streamlit)."""

from __future__ import annotations

import threading

import pytest

from web import throttle
from web.client_address import UNKNOWN, client_address, parse_hops


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_sliding_window_counts_per_key_and_frees_places_as_time_passes():
    clock = Clock()
    w = throttle.SlidingWindow(3, 60, clock=clock)
    for _ in range(3):
        assert w.take("a") == 0
    assert w.take("a") == pytest.approx(60)
    assert w.take("b") == 0, "another key has its own allowance"
    clock.now += 59.5
    assert w.wait("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert w.take("a") == 0 and w.count("a") == 1


def test_sliding_window_is_atomic_across_threads():
    w = throttle.SlidingWindow(50, 600)
    taken = []
    barrier = threading.Barrier(8)

    def worker():
        barrier.wait()
        for _ in range(20):
            if w.take("room") == 0:
                taken.append(1)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(taken) == 50


def test_memory_is_bounded_under_a_flood_of_made_up_keys(monkeypatch):
    monkeypatch.setattr(throttle, "MAX_KEYS", 100)
    w = throttle.SlidingWindow(1, 600)
    for i in range(1000):
        w.record(f"10.0.{i // 256}.{i % 256}")
    assert len(w._events) <= 100  # noqa: SLF001


def test_the_registry_gives_one_window_per_name_and_settings():
    throttle.reset_all()
    assert throttle.window("x", 3, 60) is throttle.window("x", 3, 60)
    assert throttle.window("x", 4, 60) is not throttle.window("x", 3, 60)
    throttle.reset_all()


@pytest.mark.parametrize("peer, headers, hops, expected", [
    ("203.0.113.9", {}, 0, "203.0.113.9"),
    (None, {}, 0, UNKNOWN),  # Streamlit: a connection from the same machine
    ("203.0.113.9", {"X-Forwarded-For": "1.1.1.1"}, 0, "203.0.113.9"),  # header not trusted
    (None, {"X-Forwarded-For": "6.6.6.6, 198.51.100.7"}, 1, "198.51.100.7"),  # the proxy's entry
    (None, {"X-Forwarded-For": "6.6.6.6, 198.51.100.7, 10.0.0.2"}, 2, "198.51.100.7"),
    (None, {"x-forwarded-for": "198.51.100.7:5555"}, 1, "198.51.100.7"),
    (None, {"X-Forwarded-For": "[2001:db8::1]:443"}, 1, "2001:db8::1"),
    (None, {"X-Forwarded-For": "not an address"}, 1, UNKNOWN),
    (None, {}, 1, UNKNOWN),
    ("garbage", {}, 0, UNKNOWN),
])
def test_client_address(peer, headers, hops, expected):
    assert client_address(peer, headers, hops) == expected


@pytest.mark.parametrize("value, expected", [(None, 0), ("2", 2), (1, 1), (True, 0), (-1, 0), ("x", 0), (99, 0)])
def test_parse_hops(value, expected):
    assert parse_hops(value) == expected


def test_failure_limit_per_address_and_per_process():
    throttle.reset_all()
    limit = throttle.FailureLimit("test-secret-failures", per_address=2, per_process=3, seconds=600)
    assert limit.minutes_to_wait("192.0.2.1") == 0
    assert limit.failed("192.0.2.1") == (1, 1)
    assert limit.failed("192.0.2.1") == (2, 2)
    assert limit.minutes_to_wait("192.0.2.1") == 10, "this address waits out the window"
    assert limit.minutes_to_wait("192.0.2.2") == 0, "another address may still try"
    limit.failed("192.0.2.2")
    assert limit.minutes_to_wait("192.0.2.3") == 10, "the process ceiling stops every address"
    throttle.reset_all()
    limit.failed("192.0.2.1")
    limit.succeeded("192.0.2.1")
    assert limit.failed("192.0.2.1") == (1, 2), "a success forgets the address's failures, not the process's"


def test_take_all_never_lets_a_burst_past_any_window_and_gives_back_on_refusal():
    """Threads racing for places in two windows: neither ever holds more than its limit, and a
    refusal by the second window leaves no place taken in the first (issue 18)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from web import throttle

    per_key = throttle.SlidingWindow(8, 600)
    overall = throttle.SlidingWindow(20, 600)
    start = threading.Barrier(60)

    def attempt(i: int) -> bool:
        start.wait()
        return throttle.take_all([(per_key, f"k{i % 3}"), (overall, "")]) is None

    with ThreadPoolExecutor(max_workers=60) as pool:
        taken = sum(pool.map(attempt, range(60)))
    assert taken == 20 and overall.count("") == 20
    assert sum(per_key.count(f"k{j}") for j in range(3)) == 20, "refused attempts gave their places back"
    assert all(per_key.count(f"k{j}") <= 8 for j in range(3))
    throttle.give_back_all([(per_key, "k0"), (overall, "")])
    assert overall.count("") == 19


def test_attempt_limit_counts_before_the_check_and_a_right_secret_is_not_counted():
    from web import throttle

    throttle.reset_all()
    limit = throttle.AttemptLimit("test-attempts", per_address=2, per_target=3, per_process=100, seconds=600)
    assert limit.reserve("a", "w1") is None
    limit.release("a", "w1")  # right: given back
    assert limit.reserve("a", "w1") is None and limit.reserve("a", "w1") is None  # two wrong
    assert limit.reserve("a", "w2")[0] == "address"
    assert limit.reserve("b", "w1") is None
    assert limit.reserve("c", "w1")[0] == "target", "three wrong at w1 close w1"
    assert limit.reserve("c", "w2") is None, "and only w1"
    throttle.reset_all()
