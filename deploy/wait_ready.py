"""Wait until a replica's /ready answers 200 (systemd ExecStartPost, scripts, tests).

    python3 deploy/wait_ready.py --url http://127.0.0.1:8501/ready --timeout 120

Exit status 0 when ready, 1 with the last reason when the time is up. Standard library only.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request


def wait_ready(url: str, timeout_s: float) -> tuple[bool, str]:
    deadline = time.monotonic() + timeout_s
    last = "no answer"
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                if r.status == 200:
                    return True, "ready"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}: {exc.read(300).decode('utf-8', 'replace')}"
        except OSError as exc:
            last = f"no answer ({type(exc).__name__})"
        if time.monotonic() > deadline:
            return False, last
        time.sleep(1)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--timeout", type=float, default=120)
    a = p.parse_args(argv)
    ok, reason = wait_ready(a.url, a.timeout)
    if not ok:
        print(f"{a.url}: not ready after {a.timeout:g} s: {reason}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
