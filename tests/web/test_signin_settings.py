"""The sign-in methods read from the environment: local passwords unless a company method is
configured, and a configuration that cannot work refused at start with the variable named."""

from __future__ import annotations

import pytest

from domain.vocabulary import Role
from dutyloop.settings import Settings

LDAP = {"DUTYLOOP_LDAP_URL": "ldaps://ad.example.com", "DUTYLOOP_LDAP_SEARCH_BASE": "ou=staff,dc=example,dc=com"}


def test_local_passwords_unless_a_company_method_is_configured() -> None:
    assert Settings.from_env({}).sign_in.local_passwords
    assert not Settings.from_env(LDAP).sign_in.local_passwords
    assert Settings.from_env({**LDAP, "DUTYLOOP_LOCAL_PASSWORDS": "1"}).sign_in.local_passwords
    oidc = Settings.from_env({"DUTYLOOP_OIDC_ISSUER": "https://id.example.com/", "DUTYLOOP_OIDC_CLIENT_ID": "dutyloop"}).sign_in
    assert not oidc.local_passwords and oidc.oidc is not None and oidc.oidc.issuer == "https://id.example.com"


def test_directory_settings_and_group_roles() -> None:
    ldap = Settings.from_env({**LDAP, "DUTYLOOP_LDAP_SEARCH_FILTER": "(sAMAccountName={username})",
                              "DUTYLOOP_LDAP_GROUP_ROLES": '{"cn=党务,ou=groups,dc=example,dc=com": "party_worker"}',
                              "DUTYLOOP_LDAP_TIMEOUT": "3"}).sign_in.ldap
    assert ldap is not None and ldap.staff_attribute == "employeeNumber" and ldap.timeout == 3
    assert ldap.search_filter == "(sAMAccountName={username})"
    assert ldap.group_roles == (("cn=党务,ou=groups,dc=example,dc=com", Role.PARTY_WORKER),)


@pytest.mark.parametrize(("env", "named"), [
    ({"DUTYLOOP_LDAP_URL": "ldap://dir"}, "DUTYLOOP_LDAP_USER_DN"),
    ({**LDAP, "DUTYLOOP_LDAP_GROUP_ROLES": '["admin"]'}, "DUTYLOOP_LDAP_GROUP_ROLES"),
    ({"DUTYLOOP_OIDC_ISSUER": "https://id.example.com"}, "DUTYLOOP_OIDC_CLIENT_ID"),
])
def test_a_configuration_that_cannot_work_is_refused_at_start(env: dict[str, str], named: str) -> None:
    with pytest.raises((ValueError, TypeError), match=named):
        Settings.from_env(env)


def test_a_group_mapped_to_no_role_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="no_such_role"):
        Settings.from_env({**LDAP, "DUTYLOOP_LDAP_GROUP_ROLES": '{"cn=x": "no_such_role"}'})
