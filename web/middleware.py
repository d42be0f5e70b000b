"""ASGI middleware the dashboard's server runs in front of Streamlit's own handlers (plain ASGI, no
Streamlit script code). app.py passes `middleware()` to `st.App`.

* `PublicBackMsgFilter`: a websocket message asking the server to clear its caches
  (BackMsg `clear_cache`, Streamlit's "Clear cache" menu item) is dropped, from every session.
  Streamlit answers it by clearing `st.cache_data` and `st.cache_resource` for the whole process,
  every visitor's included, whatever `client.toolbarMode` hides in the menu; any visitor's script
  could send it. An operator clears the caches by restarting the process.
* `MissingStaticFile404`: a request under `/static/` for a file that Streamlit's frontend does not
  ship answers 404. Streamlit alone answers it with the app's index.html (its single-page
  fallback), which a proxy or browser could then keep as the missing file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.middleware import Middleware

LOG = logging.getLogger("lis_data.server")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WEBSOCKET_PATH = "/_stcore/stream"
#: BackMsg types no public session may send (the server answers them for every session at once).
REFUSED_BACKMSGS = frozenset({"clear_cache"})


def backmsg_type(data: bytes) -> str | None:
    """The type of a serialized BackMsg, or None when it does not parse (Streamlit closes such a
    connection itself)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    try:
        msg.ParseFromString(data)
    except Exception:  # noqa: BLE001 - DecodeError; left for Streamlit to refuse
        return None
    return msg.WhichOneof("type")


class PublicBackMsgFilter:
    """Drops the websocket messages in REFUSED_BACKMSGS before Streamlit reads them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket" or not scope.get("path", "").endswith(WEBSOCKET_PATH):
            await self.app(scope, receive, send)
            return

        async def filtered() -> Message:
            while True:
                message = await receive()
                data = message.get("bytes") if message.get("type") == "websocket.receive" else None
                if data:
                    kind = backmsg_type(data)
                    if kind in REFUSED_BACKMSGS:
                        LOG.warning("websocket message %r refused (not available to public sessions)", kind)
                        continue
                return message

        await self.app(scope, filtered, send)


def _static_dir() -> str:
    from streamlit import file_util

    return os.path.realpath(file_util.get_static_dir())


class MissingStaticFile404:
    """404 for `/static/<file>` when Streamlit's frontend has no such file."""

    PREFIX = "/static/"

    def __init__(self, app: ASGIApp, static_dir: str | None = None) -> None:
        self.app = app
        self._root = static_dir

    def _exists(self, path: str) -> bool:
        root = self._root = self._root or _static_dir()
        # Streamlit's static mount serves files of the frontend build under its root: "static/js/…".
        target = os.path.realpath(os.path.join(root, path.lstrip("/")))
        return target.startswith(root + os.sep) and os.path.isfile(target)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith(self.PREFIX) and not self._exists(path):
            body = b"Not Found\n"
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode()),
                                    (b"cache-control", b"no-store")]})
            await send({"type": "http.response.body",
                        "body": b"" if scope.get("method") == "HEAD" else body})
            return
        await self.app(scope, receive, send)


def middleware() -> list[Middleware]:
    return [Middleware(PublicBackMsgFilter), Middleware(MissingStaticFile404)]
