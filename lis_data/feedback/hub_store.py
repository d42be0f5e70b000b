"""The LIS hub's tables in the feedback store: research library, events, published workshop records,
ideas (support, comments, moderation, responses) and sounding-board members. A mixin of
`store._SqlStore`, on both backends (migration 201); no streamlit.

* Research documents keep their PDF in the database (``research_files``), so every replica and the
  command line see the same library. Full-text search over title, summary, authors and the PDF's
  text uses the database's own search: SQLite FTS5 (``research_fts``, porter stemming) or
  PostgreSQL's ``plainto_tsquery`` (every word, no operators) over a generated ``tsvector`` column (English stemming).
  Either way a query is words; its punctuation never reaches the search syntax.
* Ideas are shown as soon as they are proposed (like sounding-board comments); staff moderate them
  (and their comments) with append-only rows in ``hub_moderation``: the latest row decides,
  "rejected" hides. Support is one row per idea and device (the SHA-256 of the device key, as
  polls), so a reload or a second click adds nothing. Staff responses are append-only too
  (``idea_responses``): the latest is the idea's status.
* Board members (name, email, organisation, priorities, consent) get a reference ``BM-XXXXXX``
  that `erase` accepts like a comment's.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime

import pandas as pd

from lis_data.feedback.errors import FeedbackNotFound
from lis_data.feedback.hooks import BackendHooks, Runner
from lis_data.feedback.times import now as _now, utc as _utc


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MEMBER_REFERENCE = re.compile(r"BM-[0-9A-HJKMNP-TV-Z]{6}")
SEARCH_LIMIT = 50
QUERY_MAX = 200
#: Columns of the board export, in order.
MEMBER_COLUMNS = ("reference", "name", "email", "organisation", "priorities", "consent", "joined_at")


def _short_ref(prefix: str, ident: uuid.UUID) -> str:
    value = ident.int >> (128 - 30)
    chars = []
    for _ in range(6):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return prefix + "".join(reversed(chars))


def _uuid(value: object, what: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise FeedbackNotFound(f"No {what} {str(value)[:40]!r}") from None


def search_words(query: object) -> list[str]:
    """The words of a search query (letters and digits, any script), at most 20."""
    text = str(query or "")[:QUERY_MAX]
    return re.findall(r"\w+", text, flags=re.UNICODE)[:20]


_RESEARCH_COLS = ("id, title, authors, published, summary, priorities, indicators, licence, link, file_name, "
                  "file_size, pages, added_by, added_at, withdrawn_at")
_LATEST_HUB_STATE = """
LEFT JOIN (
    SELECT target_id, state FROM (
        SELECT target_id, state, row_number() OVER (PARTITION BY target_id ORDER BY seq DESC) AS rn
        FROM hub_moderation WHERE target_kind = '{kind}'
    ) ranked WHERE rn = 1
) m ON m.target_id = {alias}.id
"""
_LATEST_RESPONSE = """
LEFT JOIN (
    SELECT idea_id, status, response, reason, responded_at FROM (
        SELECT idea_id, status, response, reason, responded_at,
               row_number() OVER (PARTITION BY idea_id ORDER BY seq DESC) AS rn
        FROM idea_responses
    ) ranked WHERE rn = 1
) r ON r.idea_id = i.id
"""
_IDEA_SELECT = (
    "SELECT i.id, i.reference, i.priority, i.title, i.description, i.indicators, i.created_at, "
    "(SELECT COUNT(*) FROM idea_supports s WHERE s.idea_id = i.id) AS supports, "
    "COALESCE(m.state, 'shown') AS state, COALESCE(r.status, 'new') AS status, r.response, r.reason, "
    "r.responded_at FROM ideas i " + _LATEST_HUB_STATE.format(kind="idea", alias="i") + _LATEST_RESPONSE
)


def _research(row):
    from lis_data.hub.models import Research

    published = row[3] if isinstance(row[3], date) else date.fromisoformat(str(row[3]))
    return Research(str(row[0]), row[1], row[2], published, row[4], tuple(json.loads(row[5])),
                    tuple(json.loads(row[6])), row[7], row[8], row[9], None if row[10] is None else int(row[10]),
                    None if row[11] is None else int(row[11]), row[12], _utc(row[13]), row[14] is not None)


def _idea(row):
    from lis_data.hub.models import Idea

    return Idea(str(row[0]), row[1], row[2], row[3], row[4], tuple(json.loads(row[5])), _utc(row[6]), int(row[7]),
                row[8], row[9], row[10], row[11], _utc(row[12]))


class HubStoreMixin(BackendHooks):
    """Research, events, workshop records, ideas and board members (see module docstring)."""

    url: str

    @property
    def _postgres(self) -> bool:
        return self.url.startswith(("postgresql:", "postgres:"))

    # -- research ------------------------------------------------------------------------------
    def add_research(self, item, pdf=None, content: bytes | None = None, file_name: str | None = None) -> str:
        """Store a checked document (`hub.validation.ResearchItem`), with its checked PDF
        (`hub.pdf_check.CheckedPdf` and the file's bytes) if uploaded. Returns its id."""
        if (pdf is None) != (content is None):
            raise ValueError("a PDF needs both its check result and its bytes")
        rid = str(uuid.uuid4())
        body = pdf.text if pdf is not None else ""
        name = None
        if content is not None:
            name = re.sub(r"[^\w.\- ]", "_", str(file_name or "document.pdf"))[:120] or "document.pdf"
        with self._write() as run:
            run(f"INSERT INTO research ({_RESEARCH_COLS.replace(', withdrawn_at', '')}, file_sha256, body_text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [rid, item.title, item.authors, item.published.isoformat(), item.summary,
                 json.dumps(list(item.priorities)), json.dumps(list(item.indicators)), item.licence, item.link,
                 name, None if pdf is None else pdf.size, None if pdf is None else pdf.pages, item.added_by,
                 self._ts_param(_now()), None if pdf is None else pdf.sha256, body])
            if content is not None:
                run("INSERT INTO research_files (research_id, content) VALUES (?, ?)", [rid, bytes(content)])
            if not self._postgres:
                run("INSERT INTO research_fts (research_id, title, summary, authors, body) VALUES (?, ?, ?, ?, ?)",
                    [rid, item.title, item.summary, item.authors, body])
        return rid

    def research(self, research_id: str):
        """One document (withdrawn ones too), or FeedbackNotFound."""
        rid = _uuid(research_id, "research document")
        with self._read() as run:
            rows = run(f"SELECT {_RESEARCH_COLS} FROM research WHERE id = ?", [rid])
        if not rows:
            raise FeedbackNotFound(f"No research document {rid}")
        return _research(rows[0])

    def research_file(self, research_id: str) -> tuple[str, bytes]:
        """(file name, PDF bytes) of a document that has a file and is not withdrawn."""
        rid = _uuid(research_id, "research document")
        with self._read() as run:
            rows = run("SELECT r.file_name, f.content FROM research r JOIN research_files f ON f.research_id = r.id "
                       "WHERE r.id = ? AND r.withdrawn_at IS NULL", [rid])
        if not rows:
            raise FeedbackNotFound(f"No file for research document {rid}")
        return rows[0][0], bytes(rows[0][1])

    def research_list(self, priority: str | None = None, indicator: str | None = None,
                      include_withdrawn: bool = False) -> list:
        """Documents, newest publication first; those concerning a priority or an indicator."""
        with self._read() as run:
            rows = run(f"SELECT {_RESEARCH_COLS} FROM research ORDER BY published DESC, added_at DESC")
        out = [_research(r) for r in rows]
        return [r for r in out
                if (include_withdrawn or not r.withdrawn)
                and (priority is None or priority in r.priorities)
                and (indicator is None or indicator in r.indicators)]

    def search_research(self, query: object, limit: int = SEARCH_LIMIT) -> list:
        """Documents whose title, summary, authors or PDF text hold every word of the query (stemmed),
        best match first. A query with no word finds nothing."""
        words = search_words(query)
        if not words:
            return []
        limit = max(1, min(int(limit), SEARCH_LIMIT))
        cols = ", ".join(f"r.{c.strip()}" for c in _RESEARCH_COLS.split(","))
        if self._postgres:
            sql = (f"SELECT {cols} FROM research r, plainto_tsquery('english', ?) q "
                   "WHERE r.search @@ q AND r.withdrawn_at IS NULL ORDER BY ts_rank(r.search, q) DESC, r.published DESC "
                   "LIMIT ?")
            params: list = [" ".join(words), limit]
        else:
            match = " ".join('"' + w.replace('"', "") + '"' for w in words)
            sql = (f"SELECT {cols} FROM research_fts x JOIN research r ON r.id = x.research_id "
                   "WHERE research_fts MATCH ? AND r.withdrawn_at IS NULL "
                   "ORDER BY bm25(research_fts, 0, 10.0, 5.0, 5.0, 1.0), r.published DESC LIMIT ?")
            params = [match, limit]
        with self._read() as run:
            rows = run(sql, params)
        return [_research(r) for r in rows]

    def withdraw_research(self, research_id: str) -> None:
        """Take a document out of the library (its row stays; its file is deleted)."""
        rid = _uuid(research_id, "research document")
        with self._write() as run:
            if not run("UPDATE research SET withdrawn_at = ? WHERE id = ? RETURNING id", [self._ts_param(_now()), rid]):
                raise FeedbackNotFound(f"No research document {rid}")
            run("DELETE FROM research_files WHERE research_id = ?", [rid])

    # -- events --------------------------------------------------------------------------------
    def add_event(self, item) -> str:
        """Store a checked event (`hub.validation.EventItem`). Returns its id."""
        eid = str(uuid.uuid4())
        with self._write() as run:
            run("INSERT INTO events (id, title, starts_at, ends_at, place, priority, description, workshop_code, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [eid, item.title, self._ts_param(item.starts_at), self._ts_param(item.ends_at), item.place,
                 item.priority, item.description, item.workshop_code, self._ts_param(_now())])
        return eid

    def cancel_event(self, event_id: str) -> None:
        eid = _uuid(event_id, "event")
        with self._write() as run:
            if not run("UPDATE events SET cancelled_at = ? WHERE id = ? RETURNING id", [self._ts_param(_now()), eid]):
                raise FeedbackNotFound(f"No event {eid}")

    def events(self) -> list:
        """Every event not cancelled, soonest first, with whether its workshop's record is public."""
        from lis_data.hub.models import Event

        with self._read() as run:
            rows = run("SELECT e.id, e.title, e.starts_at, e.ends_at, e.place, e.priority, e.description, "
                       "e.workshop_code, w.code FROM events e LEFT JOIN workshop_records w "
                       "ON w.code = e.workshop_code AND w.withdrawn_at IS NULL "
                       "WHERE e.cancelled_at IS NULL ORDER BY e.starts_at, e.id")
        return [Event(str(r[0]), r[1], _utc(r[2]), _utc(r[3]), r[4], r[5], r[6], r[7], r[8] is not None) for r in rows]

    # -- workshop records ----------------------------------------------------------------------
    def publish_record(self, code: str, actor: str) -> None:
        """Make a workshop's record public at /workshops/CODE (again, if it was withdrawn)."""
        from lis_data.feedback.validation import normalise_workshop_code

        norm = normalise_workshop_code(code)
        actor = " ".join(str(actor or "").split())[:200]
        if norm is None:
            raise FeedbackNotFound("workshop code: 3 to 40 letters, digits and hyphens")
        if not actor:
            raise ValueError("publishing a record needs the name of the person doing it")
        now = self._ts_param(_now())
        with self._write() as run:
            if not run("SELECT 1 FROM workshops WHERE code = ? UNION SELECT 1 FROM feedback WHERE workshop_code = ?",
                       [norm, norm]):
                raise FeedbackNotFound(f"No workshop {norm}: nothing to publish")
            run("DELETE FROM workshop_records WHERE code = ?", [norm])
            run("INSERT INTO workshop_records (code, published_at, published_by) VALUES (?, ?, ?)", [norm, now, actor])

    def withdraw_record(self, code: str) -> None:
        from lis_data.feedback.validation import normalise_workshop_code

        with self._write() as run:
            run("UPDATE workshop_records SET withdrawn_at = ? WHERE code = ?",
                [self._ts_param(_now()), normalise_workshop_code(code) or ""])

    def record_published(self, code: str) -> datetime | None:
        """When the workshop's record was made public, or None (not published, or withdrawn)."""
        from lis_data.feedback.validation import normalise_workshop_code

        norm = normalise_workshop_code(code)
        if norm is None:
            return None
        with self._read() as run:
            rows = run("SELECT published_at FROM workshop_records WHERE code = ? AND withdrawn_at IS NULL", [norm])
        return _utc(rows[0][0]) if rows else None

    def published_records(self) -> list[tuple[str, datetime]]:
        with self._read() as run:
            rows = run("SELECT code, published_at FROM workshop_records WHERE withdrawn_at IS NULL "
                       "ORDER BY published_at DESC")
        return [(r[0], _utc(r[1])) for r in rows]

    # -- ideas ---------------------------------------------------------------------------------
    def propose_idea(self, item, device: str | None = None):
        """Store a checked idea (`hub.validation.IdeaItem`); the same submission key again returns the
        first receipt (duplicate=True). `device` is a device hash (`polls.device_hash`)."""
        from lis_data import __version__
        from lis_data.hub.models import IdeaReceipt

        new = uuid.uuid4()
        ref = _short_ref("ID-", new)
        with self._write() as run:
            found = run("SELECT id, reference FROM ideas WHERE submission_key = ?", [item.submission_key])
            if found:
                return IdeaReceipt(str(found[0][0]), found[0][1], duplicate=True)
            inserted = run("INSERT INTO ideas (id, reference, priority, title, description, indicators, device, "
                           "submission_key, created_at, app_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT (submission_key) DO NOTHING RETURNING id",
                           [str(new), ref, item.priority, item.title, item.description,
                            json.dumps(list(item.indicators)), device, item.submission_key, self._ts_param(_now()),
                            __version__])
            if not inserted:
                found = run("SELECT id, reference FROM ideas WHERE submission_key = ?", [item.submission_key])
                return IdeaReceipt(str(found[0][0]), found[0][1], duplicate=True)
        return IdeaReceipt(str(new), ref)

    def idea(self, idea_id: str):
        """One idea (rejected ones too: the caller decides what to show), or FeedbackNotFound."""
        iid = _uuid(idea_id, "idea")
        with self._read() as run:
            rows = run(_IDEA_SELECT + " WHERE i.id = ?", [iid])
        if not rows:
            raise FeedbackNotFound(f"No idea {iid}")
        return _idea(rows[0])

    def ideas(self, priority: str | None = None, status: str | None = None, include_rejected: bool = False) -> list:
        """Ideas, newest first; rejected ones only when asked."""
        clauses, params = [], []
        if priority:
            clauses.append("i.priority = ?")
            params.append(priority)
        if status:
            clauses.append("COALESCE(r.status, 'new') = ?")
            params.append(status)
        if not include_rejected:
            clauses.append("COALESCE(m.state, 'shown') <> 'rejected'")
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        with self._read() as run:
            rows = run(_IDEA_SELECT + where + " ORDER BY i.created_at DESC, i.id", params)
        return [_idea(r) for r in rows]

    def support_idea(self, idea_id: str, device: str):
        """Add this device's support (once: a second call adds nothing). `device` is a device hash."""
        from lis_data.hub.models import SupportReceipt

        iid = _uuid(idea_id, "idea")
        if not isinstance(device, str) or not re.fullmatch(r"[0-9a-f]{64}", device):
            raise ValueError("device: a SHA-256 hex digest (polls.device_hash)")
        with self._write() as run:
            state = run("SELECT COALESCE(m.state, 'shown') FROM ideas i "
                        + _LATEST_HUB_STATE.format(kind="idea", alias="i") + " WHERE i.id = ?", [iid])
            if not state or state[0][0] == "rejected":
                raise FeedbackNotFound(f"No idea {iid}")
            added = bool(run("INSERT INTO idea_supports (idea_id, device, supported_at) VALUES (?, ?, ?) "
                             "ON CONFLICT (idea_id, device) DO NOTHING RETURNING idea_id",
                             [iid, device, self._ts_param(_now())]))
            count = int(run("SELECT COUNT(*) FROM idea_supports WHERE idea_id = ?", [iid])[0][0])
        return SupportReceipt(count, added)

    def has_supported(self, idea_id: str, device: str) -> bool:
        iid = _uuid(idea_id, "idea")
        with self._read() as run:
            return bool(run("SELECT 1 FROM idea_supports WHERE idea_id = ? AND device = ?", [iid, str(device)]))

    def comment_on_idea(self, idea_id: str, item) -> tuple[str, bool]:
        """Store a checked comment (`hub.validation.IdeaComment`): (id, duplicate)."""
        iid = _uuid(idea_id, "idea")
        cid = str(uuid.uuid4())
        with self._write() as run:
            if not run("SELECT 1 FROM ideas WHERE id = ?", [iid]):
                raise FeedbackNotFound(f"No idea {iid}")
            found = run("SELECT id FROM idea_comments WHERE submission_key = ?", [item.submission_key])
            if found:
                return str(found[0][0]), True
            run("INSERT INTO idea_comments (id, idea_id, comment, submission_key, created_at) VALUES (?, ?, ?, ?, ?)",
                [cid, iid, item.comment, item.submission_key, self._ts_param(_now())])
        return cid, False

    def idea_comments(self, idea_id: str | None = None, include_rejected: bool = False) -> list:
        """An idea's comments (every idea's: None), oldest first; rejected ones only when asked."""
        from lis_data.hub.models import IdeaCommentRow

        clauses, params = [], []
        if idea_id is not None:
            clauses.append("c.idea_id = ?")
            params.append(_uuid(idea_id, "idea"))
        if not include_rejected:
            clauses.append("COALESCE(m.state, 'shown') <> 'rejected'")
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        with self._read() as run:
            rows = run("SELECT c.id, c.idea_id, c.comment, c.created_at, COALESCE(m.state, 'shown') FROM idea_comments c "
                       + _LATEST_HUB_STATE.format(kind="idea_comment", alias="c") + where
                       + " ORDER BY c.created_at, c.id", params)
        return [IdeaCommentRow(str(r[0]), str(r[1]), r[2], _utc(r[3]), r[4]) for r in rows]

    def moderate_hub(self, kind: str, target_id: str, decision: str, actor: str, note: str = "") -> None:
        """Approve or reject an idea (kind "idea") or an idea's comment ("idea_comment")."""
        from lis_data.hub.validation import DECISIONS

        if kind not in ("idea", "idea_comment"):
            raise ValueError("kind: 'idea' or 'idea_comment'")
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
        actor = " ".join(str(actor or "").split())[:200]
        if not actor:
            raise ValueError("moderating needs the name of the person doing it")
        tid = _uuid(target_id, kind.replace("_", " "))
        table = "ideas" if kind == "idea" else "idea_comments"
        with self._write() as run:
            if not run(f"SELECT 1 FROM {table} WHERE id = ?", [tid]):
                raise FeedbackNotFound(f"No {kind.replace('_', ' ')} {tid}")
            run("INSERT INTO hub_moderation (target_kind, target_id, state, note, actor, moderated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", [kind, tid, decision, str(note or "")[:500], actor, self._ts_param(_now())])

    def respond_to_idea(self, idea_id: str, response) -> None:
        """Record staff's response and status (`hub.validation.IdeaResponse`); the latest counts."""
        iid = _uuid(idea_id, "idea")
        with self._write() as run:
            if not run("SELECT 1 FROM ideas WHERE id = ?", [iid]):
                raise FeedbackNotFound(f"No idea {iid}")
            run("INSERT INTO idea_responses (idea_id, status, response, reason, actor, responded_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [iid, response.status, response.response, response.reason, response.actor, self._ts_param(_now())])

    # -- sounding-board members ----------------------------------------------------------------
    def join_board(self, item) -> tuple[str, bool]:
        """Register a member (`hub.validation.MemberItem`): (reference, duplicate)."""
        new = uuid.uuid4()
        ref = _short_ref("BM-", new)
        with self._write() as run:
            found = run("SELECT reference FROM board_members WHERE submission_key = ?", [item.submission_key])
            if found:
                return found[0][0], True
            run("INSERT INTO board_members (id, reference, name, email, organisation, priorities, consent, "
                "submission_key, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [str(new), ref, item.name, item.email, item.organisation, json.dumps(list(item.priorities)),
                 bool(item.consent), item.submission_key, self._ts_param(_now())])
        return ref, False

    def board_members(self) -> pd.DataFrame:
        """Every member, oldest first (MEMBER_COLUMNS; priorities as a list)."""
        with self._read() as run:
            rows = run("SELECT reference, name, email, organisation, priorities, consent, joined_at "
                       "FROM board_members ORDER BY joined_at, id")
        return pd.DataFrame(
            {"reference": pd.Series([r[0] for r in rows], dtype="str"),
             "name": pd.Series([r[1] for r in rows], dtype=object),
             "email": pd.Series([r[2] for r in rows], dtype=object),
             "organisation": pd.Series([r[3] for r in rows], dtype=object),
             "priorities": pd.Series([json.loads(r[4]) for r in rows], dtype=object),
             "consent": pd.Series([bool(r[5]) for r in rows], dtype=bool),
             "joined_at": pd.Series([_utc(r[6]) for r in rows], dtype="datetime64[us, UTC]")},
            columns=list(MEMBER_COLUMNS))

    def export_board(self, bom: bool = True) -> bytes:
        """The members as CSV for a spreadsheet: as the feedback export (UTF-8 with a byte-order mark,
        CRLF, every cell a spreadsheet would run as a formula prefixed with ')."""
        import io

        from lis_data.feedback.cells import spreadsheet_safe

        df = self.board_members()
        out = df.copy()
        out["priorities"] = ["; ".join(p) for p in out["priorities"]]
        out["joined_at"] = [ts.isoformat() for ts in out["joined_at"]]
        out = out.astype(object).map(spreadsheet_safe)
        buf = io.BytesIO()
        out.to_csv(buf, index=False, encoding="utf-8-sig" if bom else "utf-8", lineterminator="\r\n")
        return buf.getvalue()

    def _erase_member(self, run: Runner, ref: str, scope: str) -> int:
        """Erase a board member by reference (inside `erase`'s transaction): rows erased."""
        n = len(run("SELECT id FROM board_members WHERE reference = ?", [ref]))
        if n == 0:
            raise FeedbackNotFound(f"No sounding-board member with reference {ref}")
        if scope == "personal":
            run("UPDATE board_members SET name = NULL, email = NULL, organisation = NULL, consent = FALSE "
                "WHERE reference = ?", [ref])
        else:
            run("DELETE FROM board_members WHERE reference = ?", [ref])
        return n
