"""Signing in through the company's identity platform with OpenID Connect: the authorization
code flow with PKCE (Authlib's client), the ID token checked against the platform's published
keys (joserfc), and a configured claim naming the person's staff number.

What the flow must remember between leaving for the platform and coming back (state, nonce,
code verifier, the page first asked for) rides in the signed session cookie of this browser, so
a callback only completes the sign-in the same browser started.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from dutyloop.signin_settings import OidcSettings
from dutyloop.web.company_person import SignInRefusal

DISCOVERY = "/.well-known/openid-configuration"
PLATFORM_DOWN = ("公司身份平台暂时无法连接，请稍后再试。",
                 "The company identity platform cannot be reached right now; please try again later.", 503)
PLATFORM_REFUSED = ("公司身份平台未完成登录（已取消或被拒绝），请重新登录。",
                    "The company identity platform did not complete the sign-in (cancelled or refused); please try again.",
                    401)
STALE_REQUEST = ("登录请求已失效，请重新登录。", "This sign-in request is no longer valid; please sign in again.", 400)
BAD_TOKEN = ("公司身份平台返回的登录凭据无效，请重新登录。",
             "The company identity platform returned an invalid sign-in; please sign in again.", 401)
NO_STAFF_CLAIM = ("公司身份平台没有提供您的工号，请联系系统管理员。",
                  "The company identity platform did not give your staff number; please ask the administrator.", 403)


@dataclass(frozen=True)
class Pending:
    """A sign-in under way, kept in the session until the platform sends the browser back."""

    state: str
    nonce: str
    verifier: str
    next: str

    def to_session(self) -> dict[str, str]:
        return {"state": self.state, "nonce": self.nonce, "verifier": self.verifier, "next": self.next}

    @classmethod
    def from_session(cls, value: Any) -> Pending | None:
        if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in ("state", "nonce", "verifier", "next")):
            return None
        return cls(value["state"], value["nonce"], value["verifier"], value["next"])


class IdentityPlatform:
    def __init__(self, settings: OidcSettings) -> None:
        self.settings = settings

    def _get(self, url: str, client: OAuth2Session | None = None) -> dict[str, Any]:
        """A JSON object from the platform (with the access token when ``client`` holds one)."""
        try:
            response = (client.get if client else requests.get)(url, timeout=self.settings.timeout)
            response.raise_for_status()
            found = response.json()
        except (requests.RequestException, ValueError) as down:
            raise SignInRefusal(*PLATFORM_DOWN) from down
        if not isinstance(found, dict):
            raise SignInRefusal(*PLATFORM_DOWN)
        return found

    def _metadata(self) -> dict[str, Any]:
        """Asked at each sign-in, so a platform that moves its endpoints or rotates its keys is
        followed without a restart (a sign-in is rare enough for the two small requests)."""
        return self._get(self.settings.issuer + DISCOVERY)

    def _client(self, redirect_url: str) -> OAuth2Session:
        secret = self.settings.client_secret or None
        return OAuth2Session(
            self.settings.client_id, secret, scope=self.settings.scopes, redirect_uri=redirect_url,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic" if secret else "none",
        )

    def start(self, redirect_url: str, next_page: str) -> tuple[str, Pending]:
        """Where to send the browser, and what to remember until it comes back."""
        pending = Pending(secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48), next_page)
        endpoint = self._metadata()["authorization_endpoint"]
        url, _ = self._client(redirect_url).create_authorization_url(
            endpoint, state=pending.state, nonce=pending.nonce, code_verifier=pending.verifier,
        )
        return url, pending

    def finish(self, pending: Pending | None, redirect_url: str, params: dict[str, str]) -> str:
        """The staff number the platform vouches for, once the code is exchanged and the ID
        token checked (signature, issuer, audience, expiry, nonce)."""
        if pending is None or not secrets.compare_digest(params.get("state", ""), pending.state):
            raise SignInRefusal(*STALE_REQUEST)
        if params.get("error") or not params.get("code"):
            raise SignInRefusal(*PLATFORM_REFUSED)
        metadata = self._metadata()
        client = self._client(redirect_url)
        try:
            token = client.fetch_token(metadata["token_endpoint"], code=params["code"], code_verifier=pending.verifier,
                                       timeout=self.settings.timeout)
        except requests.RequestException as down:
            raise SignInRefusal(*PLATFORM_DOWN) from down
        except AuthlibBaseError as refused:
            raise SignInRefusal(*PLATFORM_REFUSED) from refused
        claims = self._checked_claims(str(token.get("id_token") or ""), metadata, pending.nonce)
        staff_no = claims.get(self.settings.staff_claim)
        if staff_no is None and metadata.get("userinfo_endpoint"):
            staff_no = self._userinfo(client, metadata["userinfo_endpoint"], claims["sub"]).get(self.settings.staff_claim)
        if not isinstance(staff_no, str | int) or not str(staff_no).strip():
            raise SignInRefusal(*NO_STAFF_CLAIM)
        return str(staff_no).strip()

    def _checked_claims(self, id_token: str, metadata: dict[str, Any], nonce: str) -> dict[str, Any]:
        if not id_token:
            raise SignInRefusal(*BAD_TOKEN)
        keys = KeySet.import_key_set(self._get(metadata["jwks_uri"]))  # type: ignore[arg-type]
        try:
            decoded = jwt.decode(id_token, keys, algorithms=metadata.get("id_token_signing_alg_values_supported") or ["RS256"])
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": self.settings.issuer},
                aud={"essential": True, "value": self.settings.client_id},
                nonce={"essential": True, "value": nonce},
                sub={"essential": True},
                exp={"essential": True},
            ).validate(decoded.claims)
        except (JoseError, ValueError) as invalid:
            raise SignInRefusal(*BAD_TOKEN) from invalid
        return dict(decoded.claims)

    def _userinfo(self, client: OAuth2Session, endpoint: str, subject: str) -> dict[str, Any]:
        """The claims the ID token does not carry (a platform that keeps profile claims for
        userinfo, as the OpenID specification's default says), for the same subject only."""
        found = self._get(endpoint, client)
        if found.get("sub") != subject:
            raise SignInRefusal(*BAD_TOKEN)
        return found
