"""Evidence pack tests: packs built once per module, read back with Poppler and pypdf."""

from __future__ import annotations

import shutil

import pytest

NO_POPPLER = "Poppler's pdftotext/pdftoppm are absent (apt-get install poppler-utils; .ci/run installs it)"


@pytest.fixture(scope="session")
def poppler():
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.skip(NO_POPPLER)
