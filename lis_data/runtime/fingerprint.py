"""Checksums that decide when the runtime indicator store is rebuilt.

The store's tables are derived from the extract *and* from the configuration
(the catalogue gives each indicator's polarity, used for the ranks, and the
priorities; the area config marks the EM3 districts, their counties and the
English districts ranked against). The store fingerprint covers all three, so
editing lis_data/config/*.toml and restarting rebuilds the store.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from lis_data.config import AreaConfig, Catalogue


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def extract_fingerprint(extract_dir: Path) -> str:
    """A checksum over every file of the extract."""
    h = hashlib.sha256()
    for p in sorted(Path(extract_dir).iterdir()):
        if p.is_file():
            h.update(p.name.encode())
            h.update(sha256_file(p).encode())
    return h.hexdigest()


def config_fingerprint(area: AreaConfig, catalogue: Catalogue) -> str:
    """A checksum over the parsed area config and catalogue (the values the store uses,
    so a comment or a reformatting of the TOML files does not force a rebuild)."""
    h = hashlib.sha256()
    h.update(repr(area).encode())
    h.update(b"\0")
    h.update(repr(catalogue).encode())
    return h.hexdigest()


def store_fingerprint(extract_dir: Path, area: AreaConfig, catalogue: Catalogue) -> str:
    """What the store is built from: the extract and the configuration."""
    h = hashlib.sha256()
    h.update(b"extract:" + extract_fingerprint(extract_dir).encode())
    h.update(b"config:" + config_fingerprint(area, catalogue).encode())
    return h.hexdigest()
