"""Timeouts of the feedback store, from arguments or environment variables.

* ``LIS_FEEDBACK_STATEMENT_TIMEOUT`` (seconds, default 5): the longest a PostgreSQL statement may
  run, and the longest SQLite waits for another process's write to finish (busy timeout).
* ``LIS_FEEDBACK_LOCK_TIMEOUT`` (seconds, default 3): the longest a PostgreSQL statement waits
  for a lock (a table locked by someone else makes a submit fail after this, not hang).

* ``LIS_FEEDBACK_SQLITE_SYNCHRONOUS`` (``full``, the default, or ``normal``): when the embedded
  SQLite store fsyncs. ``full``: at every commit, so an acknowledged comment survives SIGKILL, a
  kernel crash and a power cut; appends are bounded by the disk's fsync rate. ``normal``: at
  checkpoints only; an acknowledged comment survives SIGKILL of any process but the last
  commits may be lost if the machine itself loses power. Only for disks whose fsync is slow.

A value that is not a number of seconds between 0.1 and 600 is refused with a message naming
the setting.
"""

from __future__ import annotations

import math
import os

from lis_data.feedback.errors import FeedbackStoreUnavailable

STATEMENT_TIMEOUT_ENV = "LIS_FEEDBACK_STATEMENT_TIMEOUT"
LOCK_TIMEOUT_ENV = "LIS_FEEDBACK_LOCK_TIMEOUT"
SQLITE_SYNCHRONOUS_ENV = "LIS_FEEDBACK_SQLITE_SYNCHRONOUS"
SQLITE_SYNCHRONOUS_CHOICES = ("full", "normal")
DEFAULT_STATEMENT_TIMEOUT = 5.0
DEFAULT_LOCK_TIMEOUT = 3.0
_MIN, _MAX = 0.1, 600.0


def seconds(name: str, value: object, env_var: str, default: float) -> float:
    """`value` if given, else the environment variable, else `default`, checked."""
    source = name
    if value is None or (isinstance(value, str) and not value.strip()):
        value = os.environ.get(env_var, "").strip()
        source = env_var
        if not value:
            return default
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not (_MIN <= number <= _MAX):
        raise FeedbackStoreUnavailable(
            f"Feedback store setting {source} must be a number of seconds between {_MIN:g} and {_MAX:g}, "
            f"not {str(value)[:40]!r}"
        )
    return number


def statement_timeout(value: object = None) -> float:
    return seconds("statement_timeout", value, STATEMENT_TIMEOUT_ENV, DEFAULT_STATEMENT_TIMEOUT)


def lock_timeout(value: object = None) -> float:
    return seconds("lock_timeout", value, LOCK_TIMEOUT_ENV, DEFAULT_LOCK_TIMEOUT)


def sqlite_synchronous(value: object = None) -> str:
    """``full`` (default) or ``normal``, from `value` or ``LIS_FEEDBACK_SQLITE_SYNCHRONOUS``."""
    source = "sqlite_synchronous"
    if value is None or not str(value).strip():
        value, source = os.environ.get(SQLITE_SYNCHRONOUS_ENV, "").strip() or "full", SQLITE_SYNCHRONOUS_ENV
    text = str(value).strip().lower()
    if text not in SQLITE_SYNCHRONOUS_CHOICES:
        raise FeedbackStoreUnavailable(
            f"Feedback store setting {source} must be 'full' or 'normal', not {str(value)[:40]!r}"
        )
    return text
