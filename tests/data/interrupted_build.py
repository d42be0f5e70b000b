"""Run one build of the extract that stops at a chosen step of the swap, for tests/data/test_extract_swap.py.

    python tests/data/interrupted_build.py SOURCE OUT CATALOGUE STEP SIGNAL_FILE exchange|fallback

STEP names a call of lis_data.runtime.extract_swap's file primitives (or the flush before the swap):
"before-exchange-1", "after-rename-2", "mid-remove-1" (the first deletion, one file in) ... When the
build reaches it, this writes SIGNAL_FILE and sleeps, for the test to kill it with SIGKILL.
"fallback" makes the atomic exchange unavailable, as on a file system without it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lis_data.ingest import extract as extract_module
from lis_data.runtime import extract_swap as sw
from lis_data.config import load_area, load_catalogue  # noqa: E402


def main() -> None:
    source, out, catalogue, step, signal, mode = sys.argv[1:7]
    calls: dict[str, int] = {}

    def reached(tag: str) -> None:
        if tag == step:
            Path(signal).write_text(tag)
            time.sleep(300)

    def pausing(name: str, fn):
        def wrapper(*args):
            n = calls[name] = calls.get(name, 0) + 1
            reached(f"before-{name}-{n}")
            if name == "remove" and step == f"mid-remove-{n}" and Path(args[0]).is_dir():
                victim = sorted(p for p in Path(args[0]).iterdir() if p.is_file())[0]
                victim.unlink()  # part of the folder is gone when the kill comes
                reached(step)
            result = fn(*args)
            reached(f"after-{name}-{n}")
            return result
        return wrapper

    sw._rename = pausing("rename", sw._rename)
    sw._remove = pausing("remove", sw._remove)
    sw._exchange = pausing("exchange", sw._exchange if mode == "exchange" else (lambda a, b: False))
    extract_module.fsync_tree = pausing("fsync", extract_module.fsync_tree)
    extract_module.build_extract(Path(source), Path(out), load_area(), load_catalogue(Path(catalogue)))
    Path(signal).write_text("finished")


if __name__ == "__main__":
    main()
