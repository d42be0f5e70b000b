"""The project's Streamlit settings are production defaults, and Streamlit reads them as such."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "server.enableWebsocketCompression": True,
    "runner.postScriptGC": False,
    "client.showErrorDetails": "none",
    "server.headless": True,
}


def _effective(env_extra: dict | None = None) -> dict:
    """The settings `streamlit config show` reports from the project folder (the same command line
    as `streamlit run`, so STREAMLIT_* environment variables apply as they would on a server)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env.update(env_extra or {})
    out = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    section, values = "", {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line and not line.startswith("#") and " = " in line:
            name, value = line.split(" = ", 1)
            key = f"{section}.{name}"
            if key in PRODUCTION:
                values[key] = tomllib.loads(f"v = {value}")["v"]
    return values


def test_every_production_setting_has_a_reason():
    text = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for key in PRODUCTION:
        name = key.split(".")[1]
        (i,) = [n for n, line in enumerate(lines) if line.startswith(f"{name} =")]
        assert lines[i - 1].startswith("#") or name == "headless", f"{key} has no comment saying why"
    tomllib.loads(text)


def test_streamlit_runs_with_the_production_settings():
    hidden = {"runner.postScriptGC"}  # `config show` leaves hidden options out: read them directly
    assert _effective() == {k: v for k, v in PRODUCTION.items() if k not in hidden}
    code = ("from streamlit import config; config.get_config_options(force_reparse=True); "
            "print(config.get_option('runner.postScriptGC'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_the_development_switch_turns_the_watcher_back_on():
    dev = _effective({"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "auto", "STREAMLIT_SERVER_RUN_ON_SAVE": "true",
                      "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "full"})
    assert dev["server.fileWatcherType"] == "auto" and dev["server.runOnSave"] is True
    assert dev["client.showErrorDetails"] == "full"
