"""Subprocess for test_crash: append forever, printing each acknowledged
submission as "<i> <id> <reference>" only after append() returned."""

import sys

from lis_data.feedback import open_store
from tests.feedback.conftest import submission

store = open_store(sys.argv[1])
print("ready", flush=True)
i = 0
while True:
    receipt = store.append(submission(i, submission_key=f"crash-{i:08d}"))
    print(i, receipt.id, receipt.reference, flush=True)
    i += 1
