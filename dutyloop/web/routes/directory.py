"""Signing in with the company directory's account and password (LDAP / Active Directory)."""

from __future__ import annotations

from fastapi import APIRouter, Form
from starlette.requests import Request
from starlette.responses import Response

from dutyloop.web.company_person import SignInRefusal, known_person
from dutyloop.web.deps import system_of
from dutyloop.web.directory_signin import Directory
from dutyloop.web.routes.auth import begin_company_session, login_form

router = APIRouter(include_in_schema=False)

NOT_CONFIGURED = ("本系统未配置公司目录登录。", "This site is not set up to sign in with the company directory.")


@router.post("/login/directory")
def directory_login(
    request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/"),
) -> Response:
    system = system_of(request)
    settings = system.settings.sign_in.ldap
    if settings is None:
        return login_form(request, next, 404, refusal=NOT_CONFIGURED)
    try:
        found = Directory(settings).sign_in(username, password)
        person_id = known_person(system, found.staff_no)
    except SignInRefusal as refused:
        return login_form(request, next, refused.status, username=username, refusal=refused.words)
    if found.roles:
        system.app.grant_directory_roles(person_id, found.roles)
    return begin_company_session(request, person_id, next)
