"""Subprocess for the crash and cross-process tests: append forever, printing each
acknowledged submission as "<i> <id> <reference>" only after append() returned.

    python -m tests.feedback._crash_writer STORE_URL [KEY_PREFIX]
"""

import sys

from lis_data.feedback import open_store
from tests.feedback.conftest import submission

store = open_store(sys.argv[1])
prefix = sys.argv[2] if len(sys.argv) > 2 else "crash"
print("ready", flush=True)
i = 0
while True:
    receipt = store.append(submission(i, submission_key=f"{prefix}-{i:08d}"))
    print(i, receipt.id, receipt.reference, flush=True)
    i += 1
