"""Where things live on disk. Every path can be overridden by an environment variable, read once
with the other settings (lis_data.config.settings)."""

from __future__ import annotations

from pathlib import Path

from lis_data.config.settings import CONFIG_DIR, PROJECT_ROOT, current

__all__ = ["CONFIG_DIR", "PROJECT_ROOT", "config_dir", "data_dir", "extract_dir", "reference_dir", "store_path",
           "default_source_dir"]


def config_dir() -> Path:
    """The area config and the catalogue (area.toml, catalogue.toml): LIS_CONFIG_DIR."""
    return current().config_dir


def data_dir() -> Path:
    return current().data_dir


def extract_dir() -> Path:
    """The committed extract written by `python -m lis_data build`."""
    return current().extract_dir


def reference_dir() -> Path:
    """Facts the project writes down itself: towns, gateways, corridors."""
    return PROJECT_ROOT / "data" / "reference"


def store_path() -> Path:
    """The runtime DuckDB indicator database (not committed)."""
    return current().store_path


def default_source_dir() -> Path:
    """Upstream ONS files, beside the project."""
    return current().source_dir
