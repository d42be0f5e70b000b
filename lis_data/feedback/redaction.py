"""Masking of credentials in URLs, connection strings and any text quoting them.

`redact(text)` replaces every secret it recognises with ``***`` and keeps the rest, so a
message still names the host, port, database and user it is about:

* every secret of a store URL this process was given (`remember_secrets`, called by
  `open_store` with the configured URL before anything can fail): the URL is parsed as libpq
  and psycopg parse it, and its password and credential parameters, as written and
  percent-decoded, are masked wherever they appear, whatever characters they hold (``#``,
  ``?``, a space, a quote, ``@``, ``%``...);
* the password of any URL's userinfo, found by parsing: the authority runs from ``://`` to the
  first ``/`` (or the end of the line), and the userinfo to the last ``@`` in it, so ``#``, ``?``,
  spaces and quotes in a password are masked with the rest:
  ``postgresql://user:se#c r?et@host`` -> ``user:***@host``;
* the value of any URL query parameter or libpq ``keyword=value`` pair whose name says it
  holds a credential or the path to one: names containing ``pass`` (password, passfile,
  sslpassword), ``secret``, ``token``, ``key`` (sslkey, api_key) or ``cert`` (sslcert,
  sslrootcert), quoted values included (``password='a b c'``); in a URL's query the value runs
  to the next ``&`` or space, ``#`` and quotes included;
* the same with the ``=`` percent-encoded (``password%3Dsecret`` inside ``options=``).

It works on whole messages too (an exception's text that quotes a URL), and is idempotent.
"""

from __future__ import annotations

import re
import threading
from urllib.parse import unquote

MASK = "***"

_SCHEME = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://")
# name=value or name = 'quoted value' where name says "credential"
_CREDENTIAL_NAME = r"[A-Za-z0-9_.-]*(?:pass|secret|token|key|cert|pwd)[A-Za-z0-9_.-]*"
_IS_CREDENTIAL = re.compile(rf"^{_CREDENTIAL_NAME}$", re.IGNORECASE)
_KEYWORD_VALUE = re.compile(
    rf"(?P<head>(?<![A-Za-z0-9_.-]){_CREDENTIAL_NAME}\s*(?:=|%3[Dd])\s*)"
    r"(?P<value>'(?:[^'\\]|\\.)*'?|\"(?:[^\"\\]|\\.)*\"?|[^\s&;#,'\"<>)\]}]*)",
    re.IGNORECASE,
)
# In a URL's query: name=value up to the next '&' or whitespace (libpq reads a value to '&'), and
# through any '&' that starts no parameter (no '=' before the next '&'): a raw '&' in a password.
_QUERY_VALUE = re.compile(rf"(?P<head>[?&]{_CREDENTIAL_NAME}=)(?P<value>[^&\s]*(?:&[^&=\s]*(?=[&\s'\"]|$))*)",
                          re.IGNORECASE)

#: Secrets parsed from the store URLs this process was given; masked wherever they appear.
_known: set[str] = set()
_known_lock = threading.Lock()
#: A remembered secret shorter than this is masked inside URLs only (a one-letter password would
#: otherwise mask that letter in every message).
MIN_REMEMBERED = 4


def _authority_end(text: str, start: int) -> int:
    ends = [i for i in (text.find("/", start), text.find("\n", start)) if i != -1]
    return min(ends) if ends else len(text)


def url_secrets(url: str) -> set[str]:
    """The secrets a URL holds, parsed as libpq parses a URI: the password of its userinfo and the
    values of its credential parameters (`password`, `sslpassword`, `passfile`, `sslkey`, ...),
    each as written and percent-decoded."""
    text = str(url).strip()
    found: set[str] = set()
    m = _SCHEME.match(text)
    if not m:
        return found
    start = m.end()
    end = _authority_end(text, start)
    authority = text[start:end]
    at = authority.rfind("@")
    if at != -1 and ":" in authority[:at]:
        found.add(authority[:at].split(":", 1)[1])
    query = text.partition("?")[2] if "?" in text[end:] or "?" in authority else ""
    parts = query.split("&")
    for i, part in enumerate(parts):
        name, eq, value = part.partition("=")
        if eq and value and _IS_CREDENTIAL.match(unquote(name)):
            for more in parts[i + 1:]:  # a raw '&' in the value: what follows, up to a parameter
                if "=" in more:
                    break
                value += "&" + more
            found.add(value)
    return {v for s in found for v in (s, unquote(s)) if v and v != MASK}


def remember_secrets(url: str | None) -> None:
    """Mask this URL's secrets in every later `redact`, wherever they appear."""
    if not url:
        return
    secrets = {s for s in url_secrets(url) if len(s) >= MIN_REMEMBERED}
    if secrets:
        with _known_lock:
            _known.update(secrets)


def remember_values(params: dict[str, object]) -> None:
    """Mask the credential values of a parsed connection (libpq's keywords: `password`,
    `sslpassword`, `passfile`, `sslkey`, ...) in every later `redact`."""
    secrets = {str(v) for k, v in params.items()
               if v and _IS_CREDENTIAL.match(str(k)) and len(str(v)) >= MIN_REMEMBERED and str(v) != MASK}
    if secrets:
        with _known_lock:
            _known.update(secrets)


def without_quoted(message: object) -> str:
    """A parser's message with what it quotes of its input left out: libpq quotes the fragment it
    could not parse, which may be part of a password."""
    return re.sub(r'"[^"]*"', "(…)", str(message))


def _mask_userinfo(text: str) -> str:
    out, pos = [], 0
    for m in _SCHEME.finditer(text):
        if m.start() < pos:
            continue
        start = m.end()
        authority = text[start:_authority_end(text, start)]
        at = authority.rfind("@")
        colon = authority.find(":", 0, at) if at != -1 else -1
        if colon == -1 or authority[colon + 1:at] == MASK:
            continue
        out += [text[pos:start + colon + 1], MASK]
        pos = start + at
    out.append(text[pos:])
    return "".join(out)


def redact(text: object) -> str:
    """`text` (a URL, a connection string or any message) with every credential masked."""
    if text is None:
        return ""
    out = str(text)
    with _known_lock:
        known = sorted(_known, key=len, reverse=True)
    for secret in known:
        out = out.replace(secret, MASK)
    out = _mask_userinfo(out)
    out = _QUERY_VALUE.sub(lambda m: m.group("head") + (MASK if m.group("value") else ""), out)
    return _KEYWORD_VALUE.sub(lambda m: m.group("head") + (MASK if m.group("value") else ""), out)


def redact_text(text: object) -> str:
    """Same as `redact`; the name for whole messages rather than URLs."""
    return redact(text)
