"""Who may write: the token rule, the login cookie, the upload size limit, the staff name.

With a token (``--token`` or ``GONGWEN_TOKEN``) every write — POST, PUT, PATCH, DELETE, pages
and ``/api/v1`` alike — needs it: API clients send ``Authorization: Bearer <token>``, browsers
log in once (``/login``) and carry an HttpOnly, SameSite=Strict cookie derived from the token.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote, unquote

from starlette.requests import Request

from gongwen.errors import RequestRejected

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Methods that change something and so need the token when one is set.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: The login cookie and the cookie with the staff member's name.
SESSION_COOKIE = "gongwen_session"
USER_COOKIE = "gongwen_user"
#: Writes allowed without the token (the login form itself).
OPEN_WRITES = frozenset({"/login"})
#: Name used for a save when the staff member gave none.
ANONYMOUS = "未署名"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1, localhost — addresses other machines cannot reach."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def session_value(token: str) -> str:
    """The login cookie's value: an HMAC of the token (the token itself never leaves)."""
    return hmac.new(token.encode("utf-8"), b"gongwen-session", hashlib.sha256).hexdigest()


def authorised(request: Request, token: str | None) -> bool:
    """True when no token is set, or the request carries it (header or login cookie)."""
    if not token:
        return True
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() == "bearer" and same_secret(given, token):
        return True
    cookie = request.cookies.get(SESSION_COOKIE, "")
    return bool(cookie) and same_secret(cookie, session_value(token))


def same_secret(given: str, secret: str) -> bool:
    """Constant-time comparison of any text (non-ASCII too)."""
    return hmac.compare_digest(given.strip().encode("utf-8"), secret.encode("utf-8"))


def user_of(request: Request) -> str:
    """The staff member's name as given on a page (cookie), or :data:`ANONYMOUS`."""
    name = unquote(request.cookies.get(USER_COOKIE, "")).strip()
    return name[:40] if name else ANONYMOUS


def user_cookie(name: str) -> str:
    """The cookie value for a staff member's name."""
    return quote(name.strip()[:40])


def safe_next(target: str | None) -> str:
    """A local path to return to after login (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def too_large_message(limit: int) -> str:
    """The Chinese message for a request body bigger than ``max_upload_bytes``."""
    return f"上传的内容超过大小限制（最大 {limit // (1024 * 1024)} MB），请拆分后再上传"


class UploadLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with a Chinese 413.

    A declared ``Content-Length`` over the limit is refused before reading; a body without one
    is counted as it arrives and refused once it passes the limit.
    """

    def __init__(self, app: ASGIApp, limit: int, page: Callable[[str, str, int], str]) -> None:
        self.app = app
        self.limit = limit
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith("/api/"):
            await self.app(scope, receive, send)  # the API has its own limit (JSON errors)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise RequestRejected(413, [("", too_large_message(self.limit))])
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except Exception:
            if seen <= self.limit or started:
                raise
            await self._refuse(scope, send)  # the form parser wrapped our 413: answer it here

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = too_large_message(self.limit)
        body = self.page("上传内容过大", message, 413).encode("utf-8")
        kind = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", kind),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
