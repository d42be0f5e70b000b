"""The projector a facilitator drives, and the workshop set-up that goes with it: what both
feedback backends add to the store (a mixin of `store._SqlStore`; no streamlit).

The workshop's row holds what the projector shows: a slide (`SLIDES`) and the priority on screen,
with `state_seq`, a counter that grows on every change, so the projector's live fragment notices a
change by reading one row. Only the facilitator writes it: the facilitator view (PIN or staff
sign-in) and the facilitator's own projector, the one opened with the projector key from the
facilitator view (only a SHA-256 of the key is stored). An anonymous visit to the workshop page
reads it and writes nothing.

Also here: the address the room uses for this workshop (`public_url`, set by the facilitator),
staff reclaiming a workshop (a new PIN; the projector key revoked), and moderation of many
comments in one action.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import uuid
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from lis_data.feedback.polls import PollError, PollNotFound
from lis_data.feedback.workshop_pin import hash_pin
from lis_data.feedback.times import now as _now
from lis_data.feedback.workshop_store import DECISIONS, Workshop, _code

EVIDENCE, POLL, RESULTS, SHIFT, MATRIX, WALL = "evidence", "poll", "results", "shift", "matrix", "wall"
QUESTION = "question"  # the facilitator's own question: its options and count, its results, or a word cloud
#: The projector's slides, in the order the facilitator's buttons and the arrow keys go through them.
SLIDES: tuple[str, ...] = (EVIDENCE, POLL, RESULTS, SHIFT, MATRIX, WALL, QUESTION)
SLIDE_NAMES: dict[str, str] = {EVIDENCE: "Evidence and QR code", POLL: "Poll", RESULTS: "Results",
                               SHIFT: "Before → after", MATRIX: "Room against the evidence",
                               WALL: "Wall of comments", QUESTION: "Your question"}
PUBLIC_URL_MAX = 200
#: Most comments one bulk action moderates (a room's queue; the page shows at most this many).
BULK_MAX = 200


class PublicUrlError(ValueError):
    """An address for the room that cannot be used (the message says why)."""


def normalise_public_url(value: object) -> str | None:
    """The address a room's phones use (scheme://host[:port][/path], no trailing slash), or None
    for empty. PublicUrlError names what is wrong: only http(s), a host, no user name or password,
    no query or fragment, at most PUBLIC_URL_MAX characters, printable ASCII."""
    text = str(value or "").strip()
    if not text:
        return None
    if len(text) > PUBLIC_URL_MAX:
        raise PublicUrlError(f"at most {PUBLIC_URL_MAX} characters")
    if not text.isascii() or any(ord(c) < 33 or ord(c) == 127 for c in text):
        raise PublicUrlError("letters, digits and URL punctuation only, no spaces")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise PublicUrlError("it must start with http:// or https://")
    if not parts.hostname:
        raise PublicUrlError("it has no host name")
    if parts.username or parts.password or "@" in parts.netloc:
        raise PublicUrlError("no user name or password in the address")
    if parts.query or parts.fragment:
        raise PublicUrlError("no ?query or #fragment")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise PublicUrlError("the port is not a number from 1 to 65535") from None
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def is_loopback(url: str | None) -> bool:
    """True when the URL's host is this machine (localhost, 127.0.0.0/8, ::1): no phone reaches it."""
    host = (urlsplit(url or "").hostname or "").lower()
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _key_hash(key: str) -> str:
    # The key is 32 random bytes: a plain SHA-256 is enough (no password to stretch).
    return hashlib.sha256(("lis-projector:" + key).encode("utf-8")).hexdigest()


class ProjectorStoreMixin:
    """Projector state, the room's address, staff reclaim and bulk moderation (module docstring)."""

    def _update_workshop(self, code: str, assignments: str, params: list, bump: bool = False) -> Workshop:
        code = _code(code)
        sql = f"UPDATE workshops SET {assignments}, updated_at = ?"
        if bump:
            sql += ", state_seq = state_seq + 1"
        with self._write() as run:  # type: ignore[attr-defined]
            if not run(sql + " WHERE code = ? RETURNING code",
                       [*params, self._ts_param(_now()), code]):  # type: ignore[attr-defined]
                raise PollNotFound(f"No workshop {code}")
        found = self.workshop(code)  # type: ignore[attr-defined]
        assert found is not None
        return found

    def drive_projector(self, code: str, *, slide: str | None = None, priority: str | None = None,
                        indicators: Sequence[str] | None = None, vintage: str | None = None) -> Workshop:
        """Set what the projector shows: a slide, and/or the priority on screen (with its indicators
        and the data vintage, stored with every poll answer). For the facilitator only."""
        sets, params = [], []
        if slide is not None:
            if slide not in SLIDES:
                raise PollError(f"slide: one of {', '.join(SLIDES)}")
            sets.append("slide = ?")
            params.append(slide)
        if priority is not None:
            sets += ["screen_priority = ?", "screen_indicators = ?", "screen_vintage = ?"]
            import json

            params += [str(priority)[:100], json.dumps([str(i)[:100] for i in (indicators or ())][:50]),
                       str(vintage or "unknown")[:80]]
        if not sets:
            raise PollError("nothing to change: give a slide or a priority")
        return self._update_workshop(code, ", ".join(sets), params, bump=True)

    def new_projector_key(self, code: str) -> str:
        """A new key for the facilitator's projector link (the one before stops working)."""
        key = secrets.token_urlsafe(32)
        self._update_workshop(code, "projector_key_hash = ?", [_key_hash(key)])
        return key

    def projector_key_matches(self, code: str, key: object) -> bool:
        found = self.workshop(code)  # type: ignore[attr-defined]
        if found is None or not found.has_projector_key or not isinstance(key, str) or not 20 <= len(key) <= 100:
            return False
        with self._read() as run:  # type: ignore[attr-defined]
            stored = run("SELECT projector_key_hash FROM workshops WHERE code = ?", [found.code])[0][0]
        return bool(stored) and hmac.compare_digest(str(stored), _key_hash(key))

    def set_projector_origin(self, code: str, origin: str | None) -> None:
        """Where the facilitator's projector was opened (scheme://host:port): the facilitator is
        warned when it is a loopback address and no public address is set."""
        self._update_workshop(code, "projector_origin = ?", [None if origin is None else str(origin)[:200]])

    def set_public_url(self, code: str, url: object) -> Workshop:
        """The address the room uses for this workshop (PublicUrlError when unusable); empty clears it."""
        return self._update_workshop(code, "public_url = ?", [normalise_public_url(url)], bump=True)

    def reclaim_workshop(self, code: str, pin: str) -> Workshop:
        """Staff: give a workshop a new PIN (a code claimed by someone else, or a PIN forgotten). The
        facilitator's projector link stops working; comments, polls and answers are kept."""
        pin_hash = hash_pin(pin)
        return self._update_workshop(code, "pin_hash = ?, projector_key_hash = NULL, opened_by = ?",
                                     [pin_hash, "staff"], bump=True)

    def review_comments(self, code: str, feedback_ids: Iterable[object], decision: str, note: str = "") -> int:
        """Approve or reject many of a workshop's comments in one transaction. Ids that are not
        comments of this workshop are skipped. Returns how many were moderated."""
        if decision not in DECISIONS:
            raise ValueError(f"decision must be 'approved' or 'rejected', not {decision!r}")
        code = _code(code)
        wanted: list[uuid.UUID] = []
        for fid in feedback_ids:
            try:
                wanted.append(uuid.UUID(str(fid)))
            except ValueError:
                continue
        wanted = list(dict.fromkeys(wanted))[:BULK_MAX]
        if not wanted:
            return 0
        now = self._ts_param(_now())  # type: ignore[attr-defined]
        done = 0
        with self._write() as run:  # type: ignore[attr-defined]
            for fid in wanted:
                if run("SELECT 1 FROM feedback WHERE id = ? AND workshop_code = ?", [fid, code]):
                    run("INSERT INTO feedback_moderation (feedback_id, hidden, moderated_at, note, state) "
                        "VALUES (?, ?, ?, ?, ?)", [fid, decision == "rejected", now, (note or "")[:500], decision])
                    done += 1
        return done
