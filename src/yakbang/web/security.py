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
from collections.abc import Awaitable, Callable

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

MAX_BODY = 64 * 1024
CSRF_COOKIE = "yakbang_csrf"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_ok(request: Request, sent: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and sent and hmac.compare_digest(cookie, sent))


class Guard(BaseHTTPMiddleware):
    async def dispatch(self, request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return PlainTextResponse("request too large", status_code=413)
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        if request.method == "POST" and request.url.path.startswith("/api/") and kind != "application/json":
            return PlainTextResponse("send JSON (Content-Type: application/json)", status_code=415)
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"  # advice is about a person
        return response
