"""The evidence-pack build queue (lis_data/pack/queue.py): at most `slots` builds at once, first come
first served, each waiter told how many are ahead, a full queue refused at once, and a waiter that
gives up leaving its place (issue 18: twelve packs at once kept both cores busy for minutes)."""

from __future__ import annotations

import threading
import time

import pytest

from lis_data.pack.queue import BuildQueue, QueueFull


def test_builds_take_turns_in_order_and_each_waiter_is_told_its_place():
    queue = BuildQueue(slots=1, max_waiting=20, poll=0.02)
    running, most, order, told = [0], [0], [], {}
    lock = threading.Lock()
    release = threading.Event()

    def build(i: int) -> None:
        with queue.turn(lambda ahead: told.setdefault(i, []).append(ahead)):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
                order.append(i)
            if i == 0:
                release.wait(5)
            else:
                time.sleep(0.01)
            with lock:
                running[0] -= 1

    threads = [threading.Thread(target=build, args=(0,))]
    threads[0].start()
    while queue.state() != (1, 0):
        time.sleep(0.005)
    for i in range(1, 12):  # arriving one after another behind the first
        threads.append(threading.Thread(target=build, args=(i,)))
        threads[-1].start()
        while queue.state()[1] < i:
            time.sleep(0.005)
    time.sleep(0.1)
    assert queue.state() == (1, 11)
    assert [told[i][-1] for i in range(1, 12)] == list(range(1, 12)), "1 ahead for the first waiter, 11 for the last"
    release.set()
    for t in threads:
        t.join(10)
    assert most[0] == 1 and order == list(range(12)), (most, order)
    assert queue.state() == (0, 0)
    # As the queue moved, each waiter was told a shrinking number ahead.
    assert all(seen == sorted(seen, reverse=True) for seen in told.values())


def test_two_slots_build_two_at_once():
    queue = BuildQueue(slots=2, poll=0.02)
    inside, most, lock = [0], [0], threading.Lock()

    def build() -> None:
        with queue.turn():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=build) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert most[0] == 2


def test_a_full_queue_refuses_at_once_and_a_waiter_who_leaves_frees_its_place():
    queue = BuildQueue(slots=1, max_waiting=1, poll=0.02)
    hold, left = threading.Event(), []

    def first() -> None:
        with queue.turn():
            hold.wait(5)

    def gives_up(ahead: int) -> None:
        left.append(ahead)
        raise KeyboardInterrupt  # as Streamlit stops the run of a visitor who has gone

    def second() -> None:
        with pytest.raises(KeyboardInterrupt), queue.turn(gives_up):
            pass

    a = threading.Thread(target=first)
    a.start()
    while queue.state() != (1, 0):
        time.sleep(0.005)
    waiter_done = threading.Event()

    def waits() -> None:
        with queue.turn(lambda ahead: None):
            pass
        waiter_done.set()

    b = threading.Thread(target=waits)
    b.start()
    while queue.state() != (1, 1):
        time.sleep(0.005)
    with pytest.raises(QueueFull):
        with queue.turn():
            pass
    hold.set()
    a.join(5)
    b.join(5)
    assert waiter_done.is_set() and queue.state() == (0, 0)
    # A waiter who gives up leaves no place behind.
    hold.clear()
    a = threading.Thread(target=first)
    a.start()
    while queue.state() != (1, 0):
        time.sleep(0.005)
    second()
    assert left == [1] and queue.state() == (1, 0)
    hold.set()
    a.join(5)
    assert queue.state() == (0, 0)
