"""CSRF protection for every form that changes something.

Each session holds a random token; every POST form carries it in a hidden ``csrf_token`` field
(templates write it with ``{{ csrf_field() }}``), any other body the ``X-CSRF-Token`` header, and a
request whose token is missing or wrong is refused before any route runs, whatever its content
type says (a page route reads its session cookie whatever the body is). Only the JSON API under
``/api/`` checks for itself, once it knows the caller: a bearer token is no cookie a browser sends
on its own, and a session there must send the header (``api_support.api_viewer``).
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
FIELD = "csrf_token"
API_PREFIX = "/api/"


class CsrfRefused(Exception):
    """A form without the token of this session: forged elsewhere, or older than the session."""


def token(request: Request) -> str:
    value = request.session.get("csrf")
    if not value:
        value = secrets.token_urlsafe(32)
        request.session["csrf"] = value
    return str(value)


def renew(request: Request) -> None:
    """A new token at login and logout, so a token seen before login is worthless after it."""
    request.session["csrf"] = secrets.token_urlsafe(32)


async def check_csrf(request: Request) -> None:
    if request.method in SAFE_METHODS or request.url.path.startswith(API_PREFIX):
        return
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in FORM_TYPES:
        sent = (await request.form()).get(FIELD)
    else:
        sent = request.headers.get("x-csrf-token")
    expected = request.session.get("csrf")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, str(expected)):
        raise CsrfRefused()
