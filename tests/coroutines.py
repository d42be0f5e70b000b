"""Run a coroutine from a test, whatever ran before it on the same worker."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_coroutine(coro):
    """Run `coro` to completion on a fresh thread with a loop of its own: a sync Playwright test run
    earlier on the same xdist worker leaves an event loop in the main thread, where asyncio.run()
    refuses to start another."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
