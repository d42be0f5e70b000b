"""The address a workshop room's phones use: for the QR code, the short join address and every
link the room sees.

In order: the address the facilitator set for this workshop (`workshops.public_url`), the
`public_url` setting (st.secrets, else the LIS_PUBLIC_URL environment variable), else the origin the
page was opened on. When none is set and the page (or the facilitator's projector) was opened on a
loopback address, no phone can reach the QR code's address: the facilitator view says so, with a
field to set it for the workshop; the projected page never does.
"""

from __future__ import annotations

import logging

from lis_data.feedback.projector_store import PublicUrlError, is_loopback, normalise_public_url

from . import app_settings
from .workshop_links import origin

log = logging.getLogger(__name__)


def configured() -> str | None:
    """The `public_url` setting, normalised; an unusable value is logged and ignored."""
    raw = app_settings.current().public_url or ""
    try:
        return normalise_public_url(raw)
    except PublicUrlError as exc:
        log.warning("The public_url setting is ignored: %s", exc)
        return None


def base_for(workshop, page_url: str | None) -> str | None:
    """The room's address for this workshop (None: not even the page's own origin is known)."""
    return (getattr(workshop, "public_url", None) or configured() or origin(page_url)
            or (getattr(workshop, "projector_origin", None)))


def unreachable(workshop, page_url: str | None) -> bool:
    """True when no address is set and the room would be sent to a loopback address: the page
    (the facilitator's) or the facilitator's projector was opened on one."""
    if getattr(workshop, "public_url", None) or configured():
        return False
    return is_loopback(page_url) or is_loopback(getattr(workshop, "projector_origin", None))
