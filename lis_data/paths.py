"""Where things live on disk. Every path can be overridden by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = Path(__file__).resolve().parent / "config"


def config_dir() -> Path:
    """The area config and the catalogue (area.toml, catalogue.toml)."""
    return Path(os.environ.get("LIS_CONFIG_DIR", CONFIG_DIR))


def data_dir() -> Path:
    return Path(os.environ.get("LIS_DATA_DIR", PROJECT_ROOT / "data"))


def extract_dir() -> Path:
    """The committed extract written by `python -m lis_data build`."""
    return Path(os.environ.get("LIS_EXTRACT_DIR", data_dir() / "extract"))


def reference_dir() -> Path:
    """Facts the project writes down itself: towns, gateways, corridors."""
    return PROJECT_ROOT / "data" / "reference"


def store_path() -> Path:
    """The runtime DuckDB indicator database (not committed)."""
    return Path(os.environ.get("LIS_STORE_PATH", data_dir() / "indicators.duckdb"))


def default_source_dir() -> Path:
    """Upstream ONS files, beside the project."""
    return Path(os.environ.get("LIS_SOURCE_DIR", PROJECT_ROOT.parent / "shared" / "data"))
