"""The API's documentation page, ``/docs`` (Swagger UI 5, to read and try every call), served
entirely from files installed with the package (fastapi-offline ships them): nothing is loaded
from the internet. (Its ReDoc always fetches a logo from a CDN, so it is not offered.) Swagger UI
sends the session's CSRF token on writes, so a logged-in person can try the API from the page;
programs use a personal token instead."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter
from starlette.responses import FileResponse, HTMLResponse, Response

router = APIRouter(include_in_schema=False)

ASSETS = Path(fastapi_offline.__file__).parent / "static"
OWN = Path(__file__).parent.parent / "api_docs.js"
FILES = {
    "swagger-ui.css": (ASSETS / "swagger-ui.css", "text/css"),
    "swagger-ui-bundle.js": (ASSETS / "swagger-ui-bundle.js", "text/javascript"),
    "favicon.png": (ASSETS / "favicon.png", "image/png"),
    "api_docs.js": (OWN, "text/javascript"),
}
# Swagger UI sets styles from script and shows inline images; everything else stays 'self'.
POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def _page(title: str, body: str, css: str = "") -> HTMLResponse:
    html = (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="icon" href="/api/docs/favicon.png">{css}</head><body>{body}</body></html>'
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": POLICY})


@router.get("/docs")
def swagger() -> Response:
    return _page(
        "DutyLoop API · Swagger UI",
        '<div id="swagger-ui"></div><script src="/api/docs/swagger-ui-bundle.js"></script><script src="/api/docs/api_docs.js"></script>',
        '<link rel="stylesheet" href="/api/docs/swagger-ui.css">',
    )


@router.get("/api/docs/{name}")
def asset(name: str) -> Response:
    if name not in FILES:
        return Response("Not Found", status_code=404, media_type="text/plain")
    path, media_type = FILES[name]
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})
