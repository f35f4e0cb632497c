"""A form the page sends in the background (``X-DutyLoop-Form: background``) is not sent after
its command's redirect by the browser's request object, which would follow it unseen and use up
the page's one-time notices; the redirect comes back as an answer naming where to go, and the page
goes there itself, so the result is shown by an ordinary GET that a reload does not repeat."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = b"x-dutyloop-form"
LOCATION = b"x-dutyloop-location"
REDIRECTS = (301, 302, 303, 307, 308)


class BackgroundForms:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or dict(scope.get("headers", [])).get(HEADER) != b"background":
            await self.app(scope, receive, send)
            return

        async def named(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in REDIRECTS:
                headers = [(LOCATION if name.lower() == b"location" else name, value) for name, value in message.get("headers", [])]
                message = {**message, "status": 200, "headers": headers}
            await send(message)

        await self.app(scope, receive, named)
