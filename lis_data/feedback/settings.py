"""Timeouts of the feedback store, from arguments or environment variables.

* ``LIS_FEEDBACK_STATEMENT_TIMEOUT`` (seconds, default 5): the longest a PostgreSQL statement may
  run, and the longest SQLite waits for another process's write to finish (busy timeout).
* ``LIS_FEEDBACK_LOCK_TIMEOUT`` (seconds, default 3): the longest a PostgreSQL statement waits
  for a lock (a table locked by someone else makes a submit fail after this, not hang).

A value that is not a number of seconds between 0.1 and 600 is refused with a message naming
the setting.
"""

from __future__ import annotations

import math
import os

from .errors import FeedbackStoreUnavailable

STATEMENT_TIMEOUT_ENV = "LIS_FEEDBACK_STATEMENT_TIMEOUT"
LOCK_TIMEOUT_ENV = "LIS_FEEDBACK_LOCK_TIMEOUT"
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
