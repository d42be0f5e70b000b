"""Start and stop what scripts/capacity.py and scripts/soak.py measure, all on loopback.

`app_server(...)`: one `streamlit run` process on a free port, its own indicator store in a temporary
folder, optional extra command-line settings; `proxy(...)`: nginx rendered from deploy/ in front of
given replicas. Both are context managers that stop only the processes they started.
`cpu_seconds(pid)` and `rss_mib(pid)` read /proc. Standard library only (plus the project's deploy/).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.wait_ready import wait_ready  # noqa: E402

#: Streamlit's own defaults for the settings the project tunes (.streamlit/config.toml), to measure
#: the project "untuned" side by side.
UNTUNED = ("--server.fileWatcherType", "auto", "--runner.postScriptGC", "true",
           "--server.enableWebsocketCompression", "false")
SHARED_ST_LOAD = ROOT.parent / "shared" / "tools" / "st_load.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, grace_s: float = 10) -> None:
    """Stop a process this module (or a test) started: SIGTERM, then SIGKILL after `grace_s` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@contextmanager
def app_server(script: str = "app.py", settings: tuple[str, ...] = (), env: dict | None = None,
               store_dir: Path | None = None, ready_path: str | None = "/ready"):
    """Yield {"url", "port", "pid", "log", "ready_s"} of a fresh server; wait for `ready_path` (or
    for Streamlit's health route when None). `ready_s`: seconds from launching the process to that
    path's first 200."""
    tmp = Path(tempfile.mkdtemp(prefix="lis-serve-"))
    port = free_port()
    full_env = {**os.environ, "LIS_STORE_PATH": str((store_dir or tmp) / "indicators.duckdb"),
                "LIS_FEEDBACK_URL": os.environ.get("LIS_FEEDBACK_URL") or f"sqlite://{tmp / 'feedback.sqlite'}",
                "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(env or {})}
    # The first-time set-up of the feedback store (the server opens it, never creates it).
    subprocess.run([sys.executable, "-m", "lis_data", "feedback", "init", "--url", full_env["LIS_FEEDBACK_URL"]],
                   cwd=ROOT, env=full_env, check=True, capture_output=True)
    log = open(tmp / "server.log", "w")
    launched = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.address", "127.0.0.1",
                             "--server.port", str(port), "--server.headless", "true", *settings],
                            cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        ok, reason = wait_ready(url + (ready_path or "/_stcore/health"), 180)
        if not ok or proc.poll() is not None:
            raise RuntimeError(f"{script} did not start ({reason}); log:\n{(tmp / 'server.log').read_text()[-3000:]}")
        yield {"url": url, "port": port, "pid": proc.pid, "log": tmp / "server.log",
               "ready_s": time.monotonic() - launched}
    finally:
        stop(proc, 15)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def proxy(replica_ports: list[int]):
    """nginx from deploy/ (rendered --standalone into a temporary folder) in front of the replicas."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        raise RuntimeError("nginx is not installed (Debian package nginx)")
    tmp = Path(tempfile.mkdtemp(prefix="lis-nginx-"))
    port = free_port()
    subprocess.run([sys.executable, str(ROOT / "deploy" / "render_nginx.py"), "--standalone", str(tmp),
                    "--server-name", "127.0.0.1", "--listen", f"127.0.0.1:{port}",
                    *(x for p in replica_ports for x in ("--replica", f"127.0.0.1:{p}"))],
                   check=True, capture_output=True)
    proc = subprocess.Popen([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "logs" / "error.log"),
                             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start: " + (tmp / "logs" / "error.log").read_text()[-2000:])
                time.sleep(0.2)
        yield {"url": url, "port": port, "pid": proc.pid}
    finally:
        stop(proc, 10)
        shutil.rmtree(tmp, ignore_errors=True)


#: The project's load generator (follows the page in view on reruns, as a browser does).
LOAD_SESSIONS = ROOT / "scripts" / "load_sessions.py"


def run_load(generator: Path | None, url: str, page: str, sessions: int, reruns: int, timeout_s: float = 120,
             duration_s: float = 600, think_s: float = 0.0, pid: int | None = None) -> dict:
    """One invocation of a load generator in its own process: scripts/load_sessions.py (None), or
    ../shared/tools/st_load.py (SHARED_ST_LOAD; its reruns of an st.navigation app run the default
    page, see load_sessions.py). Returns its JSON summary, without per-run records."""
    out = Path(tempfile.mkstemp(prefix="lis-load-", suffix=".json")[1])
    if generator is None or Path(generator) == LOAD_SESSIONS:
        cmd = [sys.executable, str(LOAD_SESSIONS), "--page", page]
    else:
        cmd = [sys.executable, str(generator), "--pages", page]
    cmd += ["--url", url, "--sessions", str(sessions), "--reruns", str(reruns), "--timeout", str(timeout_s),
            "--duration", str(duration_s), "--think", str(think_s), "--json", str(out)]
    if pid:
        cmd += ["--pid", str(pid)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    try:
        import json
        result = json.loads(out.read_text()) if out.stat().st_size else {}
    finally:
        out.unlink(missing_ok=True)
    result.pop("records", None)
    result["exit_status"] = done.returncode
    if done.returncode and not result:
        raise RuntimeError(f"load generator failed: {done.stderr[-2000:]}")
    return result
