"""Subprocess for the poll crash and cross-process tests: answer a poll for ever, printing each
acknowledged answer as "<i> <answer_key>" only after answer_poll() returned.

    python -m tests.feedback._poll_writer STORE_URL POLL_ID PREFIX DEVICES
"""

import sys

from lis_data.feedback import open_store
from tests.feedback.test_polls_store import answer_for

store = open_store(sys.argv[1])
poll = store.poll(sys.argv[2])
prefix, devices = sys.argv[3], int(sys.argv[4])
print("ready", flush=True)
i = 0
while True:
    answer = answer_for(poll, device=i % devices, i=i, prefix=prefix)
    store.answer_poll(answer)
    print(i, answer.answer_key, flush=True)
    i += 1
