"""Workshops, moderation before the projector and polls in the feedback store, on the embedded
SQLite default and on PostgreSQL: one answer counted per device per poll round (a second answer
replaces the first; every answer row is kept), retries stored once, threads and OS processes at
once, SIGKILL of a writer, rounds kept on reset, held comments off the projector until approved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

from lis_data.feedback import open_store
from lis_data.feedback import polls
from lis_data.feedback.workshop_pin import PinError

from .conftest import PRIORITIES, submission

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
CODE = "POLL-TEST-1"


def device_key(device: int, prefix: str = "dev") -> str:
    return f"{prefix}-device-{device:08d}-abcdef"


def answer_for(poll: polls.Poll, device: int, i: int, prefix: str = "dev", rating: int | None = None) -> polls.PollAnswer:
    """The i-th answer, from device `device` (rating cycles 1..5 unless given)."""
    kinds = {"rating": rating or (i % 5) + 1} if poll.is_rating else {"choices": [PRIORITIES[i % 9],
                                                                                PRIORITIES[(i + 1) % 9]]}
    return polls.validate_answer(poll, device_key=device_key(device, prefix), answer_key=f"{prefix}-{i:08d}",
                                 priority="housing", respondent_type=("business", "resident", "council")[device % 3],
                                 indicators=["gva-per-hour", "house-price-ratio"], data_vintage="abc123def456",
                                 priorities=PRIORITIES, **kinds)


def test_schema_has_the_workshop_migration(store):
    assert store.schema_version() >= 101


def test_one_answer_counted_per_device_and_every_answer_kept(store):
    poll = store.open_poll(CODE, "performance", "housing")
    receipts = [store.answer_poll(answer_for(poll, device=d, i=k * 30 + d)) for k in range(3) for d in range(30)]
    assert [r.replaced for r in receipts] == [False] * 30 + [True] * 60
    latest = store.latest_answers(poll.id)
    assert len(latest) == 30 and latest["device"].is_unique
    # the third answer of each device is the one that counts
    assert sorted(latest["answer_key"]) == sorted(f"dev-{60 + d:08d}" for d in range(30))
    assert len(store.poll_answers(CODE)) == 90  # append-only: the replaced answers are kept
    t = polls.tally(poll, latest.to_dict("records"))
    assert t.count == 30 == store.answer_count(poll.id)
    assert sum(n for _, n in t.distribution) == 30
    assert t.mean == pytest.approx(sum(((60 + d) % 5) + 1 for d in range(30)) / 30)
    row = store.poll_answers(CODE).iloc[0]
    assert (row["workshop_code"], row["poll_round"], row["priority"], row["data_vintage"]) == \
        (CODE, 1, "housing", "abc123def456")
    assert list(row["indicators"]) == ["gva-per-hour", "house-price-ratio"]
    assert row["device"] != device_key(0) and len(row["device"]) == 64, "only a hash of the device key is stored"


def test_the_same_answer_sent_twice_is_stored_once(store):
    poll = store.open_poll(CODE, "importance", "energy")
    a = answer_for(poll, device=1, i=1)
    first, again = store.answer_poll(a), store.answer_poll(a)
    assert not first.duplicate and again.duplicate
    assert len(store.poll_answers(CODE)) == 1


def test_top3_answers_and_validation(store):
    poll = store.open_poll(CODE, "top3", "housing")
    assert poll.subject == polls.ALL_PRIORITIES
    for d in range(4):
        store.answer_poll(answer_for(poll, device=d, i=d))
    t = polls.tally(poll, store.latest_answers(poll.id).to_dict("records"), PRIORITIES)
    assert t.count == 4 and sum(n for _, n in t.distribution) == 8
    with pytest.raises(polls.PollError, match="choices"):
        polls.validate_answer(poll, device_key=device_key(9), answer_key="k" * 10, priority="housing",
                              choices=PRIORITIES[:4], priorities=PRIORITIES)
    with pytest.raises(polls.PollError, match="rating"):
        polls.validate_answer(store.open_poll(CODE, "performance", "housing"), device_key=device_key(9),
                              answer_key="k" * 10, priority="housing", rating=6, priorities=PRIORITIES)
    with pytest.raises(polls.PollError, match="device key"):
        polls.validate_answer(poll, device_key="short", answer_key="k" * 10, priority="housing", choices=["energy"],
                              priorities=PRIORITIES)


def test_reset_opens_a_new_round_and_keeps_the_old_one(store):
    first = store.open_poll(CODE, "performance", "housing")
    for d in range(6):
        store.answer_poll(answer_for(first, device=d, i=d, rating=2))
    assert not store.poll(first.id).revealed
    assert store.reveal_poll(first.id).revealed
    second = store.open_poll(CODE, "performance", "housing")
    assert (second.round, store.poll(first.id).is_open) == (2, False)
    assert store.current_poll(CODE).id == second.id
    with pytest.raises(polls.PollClosed):
        store.answer_poll(answer_for(first, device=99, i=99))
    for d in range(6):
        store.answer_poll(answer_for(second, device=d, i=100 + d, rating=4))
    assert not second.revealed
    tallies = [polls.tally(p, store.latest_answers(p.id).to_dict("records")) for p in store.polls(CODE)]
    assert [(t.poll.round, t.count, t.mean) for t in tallies] == [(1, 6, 2.0), (2, 6, 4.0)]
    (s,) = polls.shifts(tallies)
    assert (s.before.mean, s.after.mean, s.change) == (2.0, 4.0, 2.0)
    # 6 devices in 3 respondent types: 2 each, under the group minimum of 5
    assert s.by_type == ()
    # a different priority starts at round 1
    assert store.open_poll(CODE, "performance", "energy").round == 1


def test_answers_from_many_threads_count_each_device_once(store):
    poll = store.open_poll(CODE, "performance", "housing")
    devices = 40

    def send(i):
        return store.answer_poll(answer_for(poll, device=i % devices, i=i))

    with ThreadPoolExecutor(8) as pool:
        receipts = list(pool.map(send, range(devices * 3)))
    assert not any(r.duplicate for r in receipts)
    assert sum(not r.replaced for r in receipts) == devices
    assert len(store.latest_answers(poll.id)) == devices == store.answer_count(poll.id)
    assert len(store.poll_answers(CODE)) == devices * 3


def _answer_many(url: str, poll_id: str, p: int, devices: int, per: int) -> list[str]:
    with open_store(url) as store:
        poll = store.poll(poll_id)
        keys = []
        for i in range(per):
            a = answer_for(poll, device=i % devices, i=p * per + i, prefix="shared")
            store.answer_poll(a)
            keys.append(a.answer_key)
            # the same answer again (a retry): stored once
            store.answer_poll(a)
        return keys


def test_answers_from_several_processes_count_each_device_once(store_url):
    with open_store(store_url) as store:
        poll = store.open_poll(CODE, "performance", "housing")
    processes, devices, per = 4, 25, 50
    with ProcessPoolExecutor(processes, mp_context=get_context("fork")) as pool:
        results = list(pool.map(_answer_many, [store_url] * processes, [poll.id] * processes, range(processes),
                                [devices] * processes, [per] * processes))
    acked = [k for r in results for k in r]
    with open_store(store_url) as store:
        rows = store.poll_answers(CODE)
        latest = store.latest_answers(poll.id)
    assert sorted(rows["answer_key"]) == sorted(acked), "every answer once, retries not doubled"
    assert len(latest) == devices and latest["device"].is_unique
    for device, group in rows.groupby("device"):
        assert latest.set_index("device").loc[device, "seq"] == group["seq"].max()


def test_sigkill_of_an_answering_process_keeps_every_acknowledged_answer(store_url):
    with open_store(store_url) as store:
        poll = store.open_poll(CODE, "performance", "housing")
    proc = subprocess.Popen([sys.executable, "-m", "tests.feedback._poll_writer", store_url, poll.id, "kill", "30"],
                            cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    acked: list[str] = []
    try:
        assert proc.stdout.readline().strip() == b"ready", proc.stderr.read1().decode()
        deadline = time.monotonic() + 30
        while len(acked) < 80 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, proc.stderr.read().decode()
            acked.append(line.split()[1].decode())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        acked += [ln.split()[1].decode() for ln in proc.stdout.read().splitlines(keepends=True) if ln.endswith(b"\n")]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL and len(acked) >= 80
    with open_store(store_url) as store:
        keys = list(store.poll_answers(CODE)["answer_key"])
        counted = store.answer_count(poll.id)
        # the store takes answers again after the kill
        store.answer_poll(answer_for(store.poll(poll.id), device=99, i=10**6, prefix="after"))
        assert store.answer_count(poll.id) == counted + 1
    assert set(acked) <= set(keys) and len(keys) == len(set(keys))
    assert len(keys) in (len(acked), len(acked) + 1)  # one committed but not yet acknowledged at most
    assert counted == 30


def test_held_comments_reach_the_projector_only_when_approved(store):
    held = store.append(submission(1, workshop_code=CODE))
    later = store.append(submission(3, workshop_code=CODE))
    assert store.holds_comments(CODE), "a workshop code never opened holds comments"
    assert store.projector_comments(CODE).empty
    assert store.comment_states(CODE)["held"] == 2
    store.review_comment(held.id, "approved")
    store.review_comment(later.id, "rejected", note="abusive")
    shown = store.projector_comments(CODE)
    assert list(shown["reference"]) == [held.reference]
    assert later.reference not in set(store.list()["reference"]), "rejected is hidden as before"
    assert later.reference in set(store.list(include_hidden=True)["reference"]), "and kept"
    assert store.comment_states(CODE) | {} == {"held": 0, "approved": 1, "rejected": 1, "hidden": 0, "shown": 0}


def test_hold_off_shows_comments_not_rejected(store):
    store.open_workshop(CODE, "pin-123456", hold_comments=False)
    r = store.append(submission(1, workshop_code=CODE))
    assert list(store.projector_comments(CODE)["reference"]) == [r.reference]
    store.set_hold_comments(CODE, True)
    assert store.projector_comments(CODE).empty


def test_workshop_pin_is_salted_checked_and_never_replaced_by_reopening(store):
    w, created = store.open_workshop(CODE.lower(), "correct horse")
    assert created and w.code == CODE and w.hold_comments and w.has_pin
    assert w.pin_hash.startswith("scrypt$") and "correct horse" not in w.pin_hash and "correct" not in repr(w)
    assert store.check_workshop_pin(CODE, "correct horse")
    assert not store.check_workshop_pin(CODE, "correct horsE")
    assert not store.check_workshop_pin("OTHER-CODE", "correct horse")
    again, created = store.open_workshop(CODE, "another pin")
    assert not created and again.pin_hash == w.pin_hash
    other, _ = store.open_workshop("OTHER-CODE", "correct horse")
    assert other.pin_hash != w.pin_hash, "salted"
    with pytest.raises(PinError):
        store.open_workshop("THIRD-CODE", "12345")
