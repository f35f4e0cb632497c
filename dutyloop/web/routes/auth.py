"""Logging in and out, and choosing the language."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Form
from starlette.requests import Request
from starlette.responses import Response

from domain.errors import DomainError
from dutyloop.web import csrf
from dutyloop.web.deps import accounts_of, sessions_of, system_of
from dutyloop.web.i18n import COOKIE, LOCALES
from dutyloop.web.pages import redirect, render, safe_next

router = APIRouter(include_in_schema=False)

LOCALE_DAYS = 365


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=safe_next(next), staff_no="", failed=False)


@router.post("/login")
def login(request: Request, staff_no: str = Form(""), password: str = Form(""), next: str = Form("/")) -> Response:
    account = accounts_of(request).authenticate(staff_no, password) if staff_no.strip() and password else None
    if account is not None:
        try:
            system_of(request).app.person(UUID(account.person_id))
        except DomainError:
            account = None
    if account is None:
        return render(request, "login.html", status_code=401, next=safe_next(next), staff_no=staff_no, failed=True)
    request.session.clear()
    session_id = sessions_of(request).start(account.person_id)
    request.session.update(person_id=account.person_id, revision=account.revision, session=session_id)
    csrf.renew(request)
    return redirect(safe_next(next))


@router.post("/logout")
def logout(request: Request) -> Response:
    """Ends the session on the server: the cookie, wherever a copy of it is, logs nobody in."""
    session_id = request.session.get("session")
    if isinstance(session_id, str):
        sessions_of(request).end(session_id)
    request.session.clear()
    csrf.renew(request)
    return redirect("/login")


@router.post("/locale")
def choose_locale(request: Request, locale: str = Form(...), next: str = Form("/")) -> Response:
    response = redirect(safe_next(next))
    if locale in LOCALES:
        response.set_cookie(COOKIE, locale, max_age=LOCALE_DAYS * 86400, samesite="lax", httponly=True)
    return response
