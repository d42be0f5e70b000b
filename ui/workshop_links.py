"""The link and QR code a workshop audience uses to reach the sounding-board form.

Pure functions, no streamlit. The QR code is made locally (segno), so a workshop on a laptop and a
local network needs no internet.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit

import segno

FORM_PATH = "sounding-board"


def origin(url: str | None) -> str | None:
    """scheme://host[:port] of a URL, or None when it has no scheme and host."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def audience_base(configured: str | None, page_url: str | None) -> str | None:
    """The address the audience's phones use: the facilitator's configured address if it is a
    valid http(s) URL (path kept, e.g. a dashboard served under /em3), else this page's origin."""
    if configured:
        parts = urlsplit(configured.strip())
        if parts.scheme in ("http", "https") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    return origin(page_url)


def form_url(base: str, priority_id: str, workshop_code: str) -> str:
    """The sounding-board form, preselected to a priority and tagged with the workshop code."""
    return f"{base.rstrip('/')}/{FORM_PATH}?" + urlencode({"priority": priority_id, "workshop": workshop_code})


def qr_png(payload: str, scale: int = 10) -> bytes:
    """A QR code (error correction level M) as PNG bytes, dark on white with a quiet zone."""
    qr = segno.make(payload, error="m")
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=scale, border=4, dark="#000000", light="#FFFFFF")
    return buf.getvalue()


FACILITATOR_PATH = "facilitate"


def facilitator_url(base: str, workshop_code: str) -> str:
    """The facilitator's phone view of a workshop (PIN or staff sign-in)."""
    return f"{base.rstrip('/')}/{FACILITATOR_PATH}?" + urlencode({"code": workshop_code})


JOIN_PATH = "j"


def join_url(base: str, workshop_code: str) -> str:
    """The short join address of a workshop, /j/CODE: what the QR code encodes and the room types."""
    return f"{base.rstrip('/')}/{JOIN_PATH}/{workshop_code}"


def short_address(url: str) -> str:
    """An address as a person types it: without http(s):// (phones add it)."""
    return url.split("://", 1)[-1]


def projector_url(base: str, workshop_code: str, key: str) -> str:
    """The facilitator's projector: the workshop page with the projector key (the page removes the
    key from its address as soon as it has read it)."""
    return f"{base.rstrip('/')}/workshop?" + urlencode({"code": workshop_code, "key": key})
