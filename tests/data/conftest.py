"""Fixtures for the indicator data layer tests.

* `source_a`: a writable copy of the hand-made upstream folder tests/fixtures/source-a/
  (four datasets covering both schema generations, the JSON metadata shapes,
  status codes, confidence intervals and gaps) and `fixture_catalogue`, the small
  catalogue that reads it (tests/fixtures/catalogue.toml).
* `fixture_store`: the store built from source-a, once per session.
* `shared_data` / `real_build`: the real upstream folder ../shared/data and one
  build of it into a temporary folder per session (skipped when absent).
* `make_full_source`: writes a synthetic upstream folder with every dataset the
  real catalogue reads, for the command line (which always uses the real catalogue).
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from lis_data.config import load_area, parse_catalogue
from lis_data.ingest.extract import build_extract
from lis_data.paths import PROJECT_ROOT
from lis_data.runtime.store import Store
from synthetic_source import write_full_source  # noqa: F401 -- tests/synthetic_source.py

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SOURCE_A = FIXTURES / "source-a"
SHARED = PROJECT_ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
NO_SHARED = f"{SHARED_DATA} is absent: the upstream ONS files are only beside the project on a developer or CI machine"


def read_fixture_catalogue(drop: tuple[str, ...] = ()):
    raw = tomllib.loads((FIXTURES / "catalogue.toml").read_text(encoding="utf-8"))
    raw["indicators"] = [i for i in raw["indicators"] if i["id"] not in drop]
    return parse_catalogue(raw, "tests/fixtures/catalogue.toml")


@pytest.fixture(scope="session")
def area():
    return load_area()


@pytest.fixture(scope="session")
def fixture_catalogue():
    return read_fixture_catalogue()


@pytest.fixture
def source_a(tmp_path) -> Path:
    """A writable copy of the hand-made upstream folder."""
    dst = tmp_path / "source-a"
    shutil.copytree(SOURCE_A, dst)
    return dst


@pytest.fixture(scope="session")
def fixture_extract(tmp_path_factory, area, fixture_catalogue) -> Path:
    out = tmp_path_factory.mktemp("fixture-extract") / "extract"
    build_extract(SOURCE_A, out, area, fixture_catalogue)
    return out


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory, fixture_extract):
    db = tmp_path_factory.mktemp("fixture-store") / "fixture.duckdb"
    s = Store.open(fixture_extract, db)
    yield s
    s.close()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "ons-els").is_dir():
        pytest.skip(NO_SHARED)
    return SHARED_DATA


@pytest.fixture(scope="session")
def real_build(tmp_path_factory, shared_data, area):
    """One full build of ../shared/data into a temporary folder (never over data/extract)."""
    from lis_data.config import load_catalogue

    out = tmp_path_factory.mktemp("real-build") / "extract"
    return build_extract(shared_data, out, area, load_catalogue())


@pytest.fixture
def make_full_source(area):
    def make(root: Path, catalogue=None) -> Path:
        from lis_data.config import load_catalogue

        return write_full_source(root, catalogue or load_catalogue(), area)
    return make
