"""The evidence pack on a page: "Prepare" builds it in turn with other visitors' packs (one at a time
per process), tells the person waiting how many are ahead, then offers the download (issue 18)."""

from __future__ import annotations

import threading
import time

import pytest
from page_helpers import assert_clean, run_page

from ui import pack_button

WOKING = "E07000217"


@pytest.fixture
def fake_builds(monkeypatch):
    built = []

    def fake_build(store, area_code, priorities, since, benchmark, **kw):
        built.append((area_code, tuple(priorities), benchmark))
        return b"%PDF-1.7 fake pack for " + area_code.encode()

    monkeypatch.setattr(pack_button, "build_pack", fake_build)
    pack_button._pack.clear()
    pack_button._built.clear()
    yield built
    pack_button._pack.clear()
    pack_button._built.clear()


def _prepare(at):
    [button] = [b for b in at.button if b.label == pack_button.PREPARE]
    return button.click().run()


def _downloads(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_prepare_builds_the_pack_then_offers_the_download(fake_builds):
    at = run_page("profile", {"d": WOKING})
    assert_clean(at)
    assert pack_button.DOWNLOAD not in _downloads(at) and not fake_builds, "nothing built before asked"
    _prepare(at)
    assert_clean(at)
    assert pack_button.DOWNLOAD in _downloads(at)
    assert fake_builds == [(WOKING, (), "england")]


def test_a_visitor_waits_in_turn_and_is_told_how_many_packs_are_ahead(fake_builds, monkeypatch):
    told = []
    real = pack_button._waiting_text
    monkeypatch.setattr(pack_button, "_waiting_text", lambda ahead: told.append(ahead) or real(ahead))
    at = run_page("profile", {"d": WOKING})
    assert_clean(at)
    busy, release = threading.Event(), threading.Event()

    def someone_else_building() -> None:
        with pack_button.QUEUE.turn():
            busy.set()
            release.wait(30)

    other = threading.Thread(target=someone_else_building)
    other.start()
    busy.wait(10)
    done = threading.Thread(target=_prepare, args=(at,))
    done.start()
    deadline = time.monotonic() + 30
    while not told and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not fake_builds, "not built while another pack holds the only slot"
    release.set()
    other.join(10)
    done.join(60)
    assert told and set(told) == {1}, told
    assert_clean(at)
    assert pack_button.DOWNLOAD in _downloads(at) and len(fake_builds) == 1
    assert pack_button.QUEUE.state() == (0, 0)
