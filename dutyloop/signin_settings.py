"""How staff sign in to the web: the company's directory (LDAP / Active Directory), its identity
platform (OpenID Connect), or DutyLoop's own passwords, read from the environment like the rest
of ``Settings``.

Neither company method configured means local passwords, as on a fresh installation; with one
configured, local passwords are off unless ``DUTYLOOP_LOCAL_PASSWORDS=1`` keeps them (for an
administrator's way in while the directory is down).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from domain.vocabulary import Role


@dataclass(frozen=True)
class LdapSettings:
    url: str
    """``ldap://host:389`` or ``ldaps://host:636``."""
    user_dn: str = ""
    """A template such as ``uid={username},ou=people,dc=example,dc=com``: the user binds at once."""
    search_base: str = ""
    """Without ``user_dn``: where the user's entry is searched for with ``search_filter``."""
    search_filter: str = "(uid={username})"
    bind_dn: str = ""
    """The service account that searches (Active Directory allows no anonymous search)."""
    bind_password: str = field(default="", repr=False)
    staff_attribute: str = "employeeNumber"
    """The directory attribute that holds the staff number (工号) DutyLoop knows the person by."""
    group_roles: tuple[tuple[str, Role], ...] = ()
    """Group DN → role: a member of the group is given the role at their own organisation."""
    timeout: int = 5
    """Seconds to wait for the directory (whole seconds: ldap3 sets them on the socket)."""


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str = field(default="", repr=False)
    """Empty for a public client (PKCE only)."""
    staff_claim: str = "employee_number"
    """The claim (of the ID token or, failing that, of userinfo) that holds the staff number."""
    scopes: str = "openid profile"
    redirect_url: str = ""
    """The callback address the platform knows; empty means this site's ``/login/oidc/callback``
    as the request reached it (set it behind a proxy that changes the host or scheme)."""
    timeout: float = 10.0


@dataclass(frozen=True)
class SignIn:
    ldap: LdapSettings | None = None
    oidc: OidcSettings | None = None
    keep_local: bool = False

    @property
    def local_passwords(self) -> bool:
        return self.keep_local or (self.ldap is None and self.oidc is None)


def _group_roles(text: str) -> tuple[tuple[str, Role], ...]:
    """``{"cn=党建管理员,ou=groups,dc=example,dc=com": "admin"}``: a JSON object, since DNs hold
    the ``=`` and ``,`` another notation would split on."""
    if not text.strip():
        return ()
    mapping = json.loads(text)
    if not isinstance(mapping, dict):
        raise TypeError("DUTYLOOP_LDAP_GROUP_ROLES must be a JSON object of group DN to role")
    return tuple((str(dn), Role(str(role))) for dn, role in mapping.items())


def _ldap(env: dict[str, str]) -> LdapSettings | None:
    url = env.get("DUTYLOOP_LDAP_URL", "").strip()
    if not url:
        return None
    user_dn, search_base = env.get("DUTYLOOP_LDAP_USER_DN", ""), env.get("DUTYLOOP_LDAP_SEARCH_BASE", "")
    if not user_dn and not search_base:
        raise ValueError("DUTYLOOP_LDAP_URL needs DUTYLOOP_LDAP_USER_DN or DUTYLOOP_LDAP_SEARCH_BASE")
    return LdapSettings(
        url=url, user_dn=user_dn, search_base=search_base,
        search_filter=env.get("DUTYLOOP_LDAP_SEARCH_FILTER") or LdapSettings.search_filter,
        bind_dn=env.get("DUTYLOOP_LDAP_BIND_DN", ""), bind_password=env.get("DUTYLOOP_LDAP_BIND_PASSWORD", ""),
        staff_attribute=env.get("DUTYLOOP_LDAP_STAFF_ATTRIBUTE") or LdapSettings.staff_attribute,
        group_roles=_group_roles(env.get("DUTYLOOP_LDAP_GROUP_ROLES", "")),
        timeout=int(env.get("DUTYLOOP_LDAP_TIMEOUT") or LdapSettings.timeout),
    )


def _oidc(env: dict[str, str]) -> OidcSettings | None:
    issuer = env.get("DUTYLOOP_OIDC_ISSUER", "").strip()
    if not issuer:
        return None
    if not env.get("DUTYLOOP_OIDC_CLIENT_ID"):
        raise ValueError("DUTYLOOP_OIDC_ISSUER needs DUTYLOOP_OIDC_CLIENT_ID")
    return OidcSettings(
        issuer=issuer.rstrip("/"), client_id=env["DUTYLOOP_OIDC_CLIENT_ID"],
        client_secret=env.get("DUTYLOOP_OIDC_CLIENT_SECRET", ""),
        staff_claim=env.get("DUTYLOOP_OIDC_STAFF_CLAIM") or OidcSettings.staff_claim,
        scopes=env.get("DUTYLOOP_OIDC_SCOPES") or OidcSettings.scopes,
        redirect_url=env.get("DUTYLOOP_OIDC_REDIRECT_URL", ""),
        timeout=float(env.get("DUTYLOOP_OIDC_TIMEOUT") or OidcSettings.timeout),
    )


def sign_in_from_env(env: dict[str, str]) -> SignIn:
    return SignIn(ldap=_ldap(env), oidc=_oidc(env), keep_local=env.get("DUTYLOOP_LOCAL_PASSWORDS") == "1")
