"""Masking of credentials in URLs, connection strings and any text quoting them.

`redact(text)` replaces every secret it recognises with ``***`` and keeps the rest, so a
message still names the host, port, database and user it is about:

* the password of a URL's userinfo: ``postgresql://user:secret@host`` -> ``user:***@host``;
* the value of any URL query parameter or libpq ``keyword=value`` pair whose name says it
  holds a credential or the path to one: names containing ``pass`` (password, passfile,
  sslpassword), ``secret``, ``token``, ``key`` (sslkey, api_key) or ``cert`` (sslcert,
  sslrootcert), quoted values included (``password='a b c'``);
* the same with the ``=`` percent-encoded (``password%3Dsecret`` inside ``options=``).

It works on whole messages too (an exception's text that quotes a URL), and is idempotent.
"""

from __future__ import annotations

import re

MASK = "***"

# scheme://user:password@  (the password may contain '@' or ':'; it ends at the last '@'
# before the host, and never spans '/', whitespace or a quote)
_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\s'\"]*:)[^/?#\s'\"]*@")
# name=value or name = 'quoted value' where name says "credential"
_CREDENTIAL_NAME = r"[A-Za-z0-9_.-]*(?:pass|secret|token|key|cert|pwd)[A-Za-z0-9_.-]*"
_KEYWORD_VALUE = re.compile(
    rf"(?P<head>(?<![A-Za-z0-9_.-]){_CREDENTIAL_NAME}\s*(?:=|%3[Dd])\s*)"
    r"(?P<value>'(?:[^'\\]|\\.)*'?|\"(?:[^\"\\]|\\.)*\"?|[^\s&;#,'\"<>)\]}]*)",
    re.IGNORECASE,
)


def redact(text: object) -> str:
    """`text` (a URL, a connection string or any message) with every credential masked."""
    if text is None:
        return ""
    out = _USERINFO.sub(lambda m: m.group("head") + MASK + "@", str(text))
    return _KEYWORD_VALUE.sub(lambda m: m.group("head") + (MASK if m.group("value") else ""), out)


def redact_text(text: object) -> str:
    """Same as `redact`; the name for whole messages rather than URLs."""
    return redact(text)
