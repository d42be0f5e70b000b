"""A process-wide memo for the pages' pure, cached builders: one dictionary look-up per call.

Why not only st.cache_data / st.cache_resource: on every call, hit or miss, Streamlit hashes each
argument with its own hasher (blake2b over a walk of every value: about 0.1-0.3 ms for a tuple of
14 districts), and st.cache_data then unpickles a fresh copy of the result. A priority page makes
some 30 such calls per run, a quarter of its warm rerun. Here the arguments are plain hashable
values (strings, numbers, tuples), so Python's own hash finds the result.

Results are shared between sessions as they are: callers must treat them as read-only (they are
specs, tables and wording that pages only read). The memo lives as long as the process, as the
Streamlit caches it stands in front of do; ``clear()`` empties it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)


# Results kept across restarts (ui/view_store.py): `seed` fills _SEED with results
# saved by an earlier process for the same extract, configuration and code; `record` collects the
# results computed meanwhile, to be saved. Keys: (function name, args, sorted kwargs).
_SEED: dict[tuple, object] = {}
_RECORD: dict[tuple, object] | None = None
_MISS = object()
_CLEARS: list[Callable[[], None]] = []


def seed(results: dict[tuple, object]) -> None:
    _SEED.update(results)


def record(on: bool) -> dict[tuple, object]:
    """Start (on=True) or stop collecting results; returns what was collected (stopping)."""
    global _RECORD
    got = _RECORD or {}
    _RECORD = {} if on else None
    return got


def clear_all() -> None:
    """Empty every memo (and the seed): what they hold was computed from a store that is gone."""
    for clear in _CLEARS:
        clear()
    _SEED.clear()


def shared(maxsize: int = 4096) -> Callable[[F], F]:
    """Memoise a function of hashable arguments for the process (LRU, `maxsize` entries).
    An exception is not memoised: the next call tries again. A result seeded from an earlier process
    (`seed`) is returned as it is."""
    def wrap(fn: F) -> F:
        memo = functools.lru_cache(maxsize=maxsize)(fn)
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def call(*args, **kwargs):
            if _SEED or _RECORD is not None:
                key = (name, args, tuple(sorted(kwargs.items())))
                hit = _SEED.get(key, _MISS)
                if hit is not _MISS:
                    return hit
                result = memo(*args, **kwargs)
                if _RECORD is not None:
                    _RECORD[key] = result
                return result
            return memo(*args, **kwargs)

        def clear() -> None:
            memo.cache_clear()
            for key in [k for k in _SEED if k[0] == name]:
                del _SEED[key]
            inner_clear = getattr(fn, "clear", None)
            if inner_clear is not None:
                inner_clear()

        _CLEARS.append(clear)
        call.clear = clear  # type: ignore[attr-defined]
        call.cache_info = memo.cache_info  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]
    return wrap
