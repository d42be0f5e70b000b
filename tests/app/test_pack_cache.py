"""The pages' evidence-pack cache (ui/pack_button.py) never serves a comment that was
rejected or erased after the pack was built: the cache is keyed by the feedback store's change
counter (issue 18, moderation bypass)."""

from __future__ import annotations

import types

from lis_data import feedback
from lis_data.pack.content import _feedback
from ui import pack_button


def test_a_rejected_or_erased_comment_leaves_every_cached_pack(tmp_path, monkeypatch):
    url = f"sqlite://{tmp_path / 'feedback.sqlite'}"
    monkeypatch.setenv("LIS_FEEDBACK_URL", url)
    builds = []

    def fake_build(store, area_code, priorities, since, benchmark, feedback_url=None, area=None, catalogue=None):
        got = _feedback(feedback_url, "housing", None)  # what the real pack prints of the comments
        builds.append(area_code)
        return "\n".join(sorted(c.text for c in got.comments)).encode("utf-8")

    monkeypatch.setattr(pack_button, "build_pack", fake_build)
    monkeypatch.setattr(pack_button, "data", types.SimpleNamespace(store=lambda: None, area=lambda: None,
                                                                   catalogue=lambda: None,
                                                                   extract_fingerprint=lambda: "fixture"))
    pack_button._pack.clear()
    store = feedback.open_store(url)
    try:
        first = store.append(feedback.validate_submission(
            {"priority": "housing", "respondent_type": "resident", "comment": "First comment, shown in the pack.",
             "submission_key": "pack-cache-1"}, priorities=["housing"], places=[]))
        second = store.append(feedback.validate_submission(
            {"priority": "housing", "respondent_type": "resident", "comment": "Second comment, shown in the pack.",
             "submission_key": "pack-cache-2"}, priorities=["housing"], places=[]))
        area = "E07000217-cache-test"
        pdf = pack_button.pack_bytes(area, (), "england")
        assert b"First comment" in pdf and b"Second comment" in pdf
        assert pack_button.pack_bytes(area, (), "england") == pdf and len(builds) == 1, "cached"
        store.set_hidden(first.id, True)  # rejected / hidden by staff
        pdf = pack_button.pack_bytes(area, (), "england")
        assert b"First comment" not in pdf and b"Second comment" in pdf
        store.erase(second.reference, scope="all", actor="test")
        pdf = pack_button.pack_bytes(area, (), "england")
        assert b"Second comment" not in pdf
        assert len(builds) == 3
    finally:
        store.close()
        pack_button._pack.clear()
