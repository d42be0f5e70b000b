"""Constants the running app needs, kept out of the build-time modules (extract, upstream).

Pages, the store and the build import these from here.
"""

from __future__ import annotations

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ATTRIBUTION = "Source: Office for National Statistics, licensed under the Open Government Licence v3.0"

# Status codes the ONS uses; any other non-empty status is kept as a free-text note.
STATUS_CODES = {
    "x": "not available",
    "u": "low reliability",
    "c": "confidential",
    "z": "not applicable",
}
