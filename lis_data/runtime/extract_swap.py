"""Putting a freshly written extract in place of the old one, safe against a kill at any moment.

The extract (data/extract/) stays a real directory, committed in git, so that a clean clone
works on any system. A build writes the new extract beside it (data/.extract-XXXX/) and then:

* on Linux, exchanges the two directories in one atomic step (renameat2 with
  RENAME_EXCHANGE): data/extract is at every instant either the complete old extract or the
  complete new one; the old one, now under the temporary name, is then deleted;
* where the kernel or file system cannot exchange, falls back to two renames (extract ->
  extract.previous, new -> extract), leaving a moment with no data/extract.

Either way a build killed part-way leaves leftovers (data/.extract-*, data/extract.previous),
and in the fallback perhaps no data/extract at all. `recover()` repairs that: it puts
extract.previous back when the live extract is missing and deletes the leftovers. Every build
runs it first, and so does the indicator store when it opens (the app's first load).

Builds and recoveries hold an exclusive flock on the extract's parent directory for as long
as they touch these names, so a recovery never deletes the folder a running build is writing
(a killed build's lock goes with its process); the store holds it shared while it loads the
extract, so that it never reads half of the old extract and half of the new.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import logging
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_renameat2 = None


def temp_prefix(out_dir: Path) -> str:
    """The name prefix of the folder a build writes before the swap (data/.extract-XXXX)."""
    return f".{Path(out_dir).name}-"


def previous_path(out_dir: Path) -> Path:
    """Where the fallback swap keeps the old extract for a moment (data/extract.previous)."""
    out_dir = Path(out_dir)
    return out_dir.with_name(out_dir.name + ".previous")


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names of two paths in one atomic step; False where the system cannot."""
    global _renameat2
    if not sys.platform.startswith("linux"):
        return False
    if _renameat2 is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            fn = libc.renameat2
        except (OSError, AttributeError):
            _renameat2 = False
            return False
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        fn.restype = ctypes.c_int
        _renameat2 = fn
    if _renameat2 is False:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # this file system or kernel has no exchange: use the fallback
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _rename(src: Path, dst: Path) -> None:
    os.rename(src, dst)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Flush a freshly written folder's files and the folder itself to disk before it is swapped in."""
    for p in Path(folder).iterdir():
        if p.is_file():
            with p.open("rb") as fh:
                os.fsync(fh.fileno())
    _fsync_dir(folder)


@contextmanager
def extract_lock(out_dir: Path, blocking: bool = True, shared: bool = False):
    """A lock on the extract's parent folder: exclusive for builds and repairs, shared for readers
    that must not see a swap half-way through (the store while it loads the extract).
    Yields False when not blocking and busy."""
    parent = Path(out_dir).parent
    try:
        fd = os.open(parent, os.O_RDONLY)
    except PermissionError:
        if not shared:
            raise
        yield True  # a reader that may not open the folder: no build can write there either
        return
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    """Delete the old extract after the swap; a failure is left to the next recover()."""
    try:
        _remove(path)
    except OSError as exc:
        log.warning("could not delete %s after the swap (the next build or start removes it): %s", path.name, exc)


def swap_in(new_dir: Path, out_dir: Path) -> None:
    """Replace out_dir by new_dir (same parent folder). The caller holds extract_lock(out_dir)."""
    new_dir, out_dir = Path(new_dir), Path(out_dir)
    parent = out_dir.parent
    if not os.path.lexists(out_dir):
        _rename(new_dir, out_dir)
        _fsync_dir(parent)
        return
    if _exchange(new_dir, out_dir):
        # out_dir is the new extract; new_dir now holds the old one.
        _fsync_dir(parent)
        _remove_quietly(new_dir)
        return
    backup = previous_path(out_dir)
    _remove(backup)
    _rename(out_dir, backup)
    _rename(new_dir, out_dir)
    _fsync_dir(parent)
    _remove_quietly(backup)


def recover_locked(out_dir: Path) -> list[str]:
    """recover() for a caller that already holds extract_lock(out_dir)."""
    done: list[str] = []
    parent = out_dir.parent
    backup = previous_path(out_dir)
    if not os.path.lexists(out_dir) and backup.is_dir():
        _rename(backup, out_dir)
        _fsync_dir(parent)
        done.append(f"restored {out_dir.name} from {backup.name}")
    leftovers = sorted(parent.glob(temp_prefix(out_dir) + "*"))
    if os.path.lexists(backup):
        leftovers.append(backup)
    for p in leftovers:
        _remove(p)
        done.append(f"removed {p.name}")
    return done


def recover(out_dir: Path) -> list[str]:
    """Repair what a killed build left behind; return what was done (empty when nothing was).

    While a build holds the lock its folders are left alone, unless the live extract is
    missing: then this waits for the build to finish and repairs what is still needed.
    """
    out_dir = Path(out_dir)
    parent = out_dir.parent
    backup = previous_path(out_dir)
    if not parent.is_dir():
        return []
    if os.path.lexists(out_dir) and not os.path.lexists(backup) and not any(parent.glob(temp_prefix(out_dir) + "*")):
        return []  # the usual case: nothing to repair, no lock taken
    with extract_lock(out_dir, blocking=False) as got:
        if got:
            return recover_locked(out_dir)
    if os.path.lexists(out_dir):
        return []  # a build is under way and the live extract is there
    with extract_lock(out_dir, blocking=True):
        return recover_locked(out_dir)
