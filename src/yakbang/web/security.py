"""What every response carries and every request must pass: CSP, size limits, CSRF.

- A strict Content-Security-Policy: only yakbang's own scripts and styles, no inline script,
  nothing from outside (the page works offline and cannot be made to call out).
- Bodies over 64 kB are refused before they are read.
- Forms carry a CSRF token that must match a cookie set on the page (double submit); JSON API
  calls must say `Content-Type: application/json`, which a page elsewhere cannot send to this
  origin without the browser asking first (and yakbang answers no cross-origin request).
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 64 * 1024
CSRF_COOKIE = "yakbang_csrf"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_ok(request: Request, sent: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and sent and hmac.compare_digest(cookie, sent))


class Guard:
    """Pure ASGI (no per-request task or body copy, unlike BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        length = headers.get("content-length")
        path: str = scope["path"]
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            await PlainTextResponse("request too large", status_code=413)(scope, receive, send)
            return
        kind = headers.get("content-type", "").split(";")[0].strip()
        if scope["method"] == "POST" and path.startswith("/api/") and kind != "application/json":
            await PlainTextResponse("send JSON (Content-Type: application/json)", status_code=415)(
                scope, receive, send)
            return
        extra = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                 (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
        if not path.startswith("/static/"):
            extra.append((b"cache-control", b"no-store"))  # advice is about a person

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k for k, _ in extra}
                message["headers"] = [h for h in message.get("headers", []) if h[0] not in names] + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)
