"""Which client a request comes from, for limits and logs (no streamlit here).

`client_address(peer, headers, trusted_proxy_hops)`:

* ``trusted_proxy_hops = 0`` (the default): the address of the connection itself (Streamlit's
  ``st.context.ip_address``). X-Forwarded-For is ignored: any visitor can write it.
* ``trusted_proxy_hops = n > 0``: the app runs behind n reverse proxies that each append the
  address they received the request from to X-Forwarded-For; the client is the n-th address
  from the right. Addresses to its left were written by the client and are not trusted.

When no address can be told (Streamlit gives None for a connection from the same machine, which
is also what a reverse proxy on the same host looks like, or the header is missing or malformed),
the result is `UNKNOWN`: every such visitor shares one allowance. Behind a proxy, set the hops so
that visitors are told apart.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

UNKNOWN = "unknown"


def _valid(address: str) -> str | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # [v6]:port
        address = address[1:address.index("]")]
    elif address.count(":") == 1:  # v4:port
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _header(headers: Mapping[str, str] | None, name: str) -> list[str]:
    if not headers:
        return []
    values: list[str] = []
    getall = getattr(headers, "get_all", None)
    if callable(getall):
        values = list(getall(name))
    else:
        for key, value in headers.items():
            if key.lower() == name.lower():
                values.append(value)
    return values


def client_address(peer: str | None, headers: Mapping[str, str] | None = None, trusted_proxy_hops: int = 0) -> str:
    """The client's address as text (normalised), or `UNKNOWN`."""
    if trusted_proxy_hops <= 0:
        return (_valid(peer) if peer else None) or UNKNOWN
    forwarded = [part for value in _header(headers, "X-Forwarded-For") for part in value.split(",")]
    if len(forwarded) < trusted_proxy_hops:
        return UNKNOWN
    return _valid(forwarded[-trusted_proxy_hops]) or UNKNOWN


def parse_hops(value: object) -> int:
    """The `trusted_proxy_hops` setting as a count (0 when absent or invalid)."""
    if isinstance(value, bool):
        return 0
    try:
        hops = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0
    return hops if 0 <= hops <= 10 else 0
