"""Email over TLS with a login, both ways a server offers it — implicit TLS (``ssl``, port 465
style) and ``starttls`` — against an SMTP server on loopback with its own certificate, trusted
through ``DUTYLOOP_SMTP_CA_FILE``; no login or an untrusted certificate is a failed send
with the reason."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from notify_support import free_port

from notifications.channels import EmailChannel, Outgoing, SendFailed
from notifications.config import NotifyConfig

OUT = Outgoing(key="0123456789abcdef0123456789abcdef", address="w001@example.cn", recipient_name="陈干事",
               subject="【即将到期】任务“完成支部标准化建设自查”将于2025年5月20日到期", body="陈干事，您好：\n请抓紧办理。",
               markdown="")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(where / "key.pem"),
         "-out", str(where / "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return where


class Mailbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes, bool]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), envelope.content, bool(session.authenticated)))
        return "250 OK"


def _login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    return AuthResult(success=(data.login, data.password) == (b"dj@example.cn", b"pass-1"))


@pytest.fixture(params=["ssl", "starttls"])
def tls_server(request: pytest.FixtureRequest, certificate: Path) -> Iterator[tuple[str, int, Mailbox]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate / "cert.pem", certificate / "key.pem")
    box, port = Mailbox(), free_port()
    if request.param == "ssl":
        controller = Controller(box, hostname="127.0.0.1", port=port, ssl_context=context, authenticator=_login,
                                auth_require_tls=False, auth_required=True)
    else:
        controller = Controller(box, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                                authenticator=_login, auth_required=True)
    controller.start()
    yield request.param, port, box
    controller.stop()


def _channel(mode: str, port: int, certificate: Path | None, login: bool = True) -> EmailChannel:
    env = {"DUTYLOOP_SMTP_HOST": "127.0.0.1", "DUTYLOOP_SMTP_PORT": str(port), "DUTYLOOP_SMTP_TLS": mode,
           "DUTYLOOP_SMTP_FROM": "党建系统 <dj@example.cn>", "DUTYLOOP_SMTP_TIMEOUT": "5"}
    if login:
        env.update(DUTYLOOP_SMTP_USER="dj@example.cn", DUTYLOOP_SMTP_PASSWORD="pass-1")
    if certificate is not None:
        env["DUTYLOOP_SMTP_CA_FILE"] = str(certificate / "cert.pem")
    return EmailChannel(NotifyConfig.from_env(env).smtp)


@pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS: it is all TLS
def test_tls_and_login(tls_server: tuple[str, int, Mailbox], certificate: Path) -> None:
    mode, port, box = tls_server
    _channel(mode, port, certificate).send(OUT)
    ((rcpts, content, authenticated),) = box.received
    assert rcpts == ["w001@example.cn"] and authenticated
    assert b"Message-ID: <0123456789abcdef0123456789abcdef@dutyloop.notify>" in content

    with pytest.raises(SendFailed, match="Authentication required"):
        _channel(mode, port, certificate, login=False).send(OUT)
    with pytest.raises(SendFailed, match="CERTIFICATE_VERIFY_FAILED"):
        _channel(mode, port, None).send(OUT)
    assert len(box.received) == 1


def test_bad_smtp_settings_are_named() -> None:
    with pytest.raises(ValueError, match="DUTYLOOP_SMTP_TLS must be one of starttls, ssl, none"):
        NotifyConfig.from_env({"DUTYLOOP_SMTP_TLS": "tls1.3"})
    with pytest.raises(ValueError, match="DUTYLOOP_SMTP_FROM is required"):
        NotifyConfig.from_env({"DUTYLOOP_SMTP_HOST": "smtp.example.cn"})
    with pytest.raises(ValueError, match="DUTYLOOP_SMTP_PORT must be a number"):
        NotifyConfig.from_env({"DUTYLOOP_SMTP_PORT": "twenty-five"})
    with pytest.raises(ValueError, match="must be ASCII"):
        NotifyConfig.from_env({"DUTYLOOP_SMTP_PASSWORD": "密码"})
