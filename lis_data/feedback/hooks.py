"""What every part of the feedback store (comments: store.py; workshops and polls: workshop_store.py;
the hub: hub_store.py; the projector: projector_store.py) needs from its backend (sqlite_backend.py,
postgres_backend.py): one transaction to write in, one to read in, and timestamps in the form the
backend's columns take."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

Runner = Callable[..., list]  # run(sql, params=()) -> rows ("?" placeholders)


class BackendHooks:
    url: str

    def _write(self) -> AbstractContextManager[Runner]:  # pragma: no cover - supplied by the backend
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Runner]:  # pragma: no cover - supplied by the backend
        raise NotImplementedError

    def _ts_param(self, value: datetime) -> Any:
        """A UTC-aware datetime in the form the backend's column takes."""
        return value
