"""Signing in with the company's directory (LDAP / Active Directory): the person binds with
their own directory password, and their entry's staff number names the DutyLoop person.

DutyLoop never keeps that password; the directory alone judges it (its own lockout policy
included). Whom the directory knows but DutyLoop does not is refused, not created: people come
from the roster.
"""

from __future__ import annotations

from dataclasses import dataclass

from ldap3 import BASE, NONE, SUBTREE, Connection, Server
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from domain.vocabulary import Role
from dutyloop.signin_settings import LdapSettings
from dutyloop.web.company_person import SignInRefusal

DIRECTORY_DOWN = ("目录服务暂时无法连接，请稍后再试。",
                  "The company directory cannot be reached right now; please try again later.", 503)
WRONG_PASSWORD = ("公司账号或密码不正确。", "Wrong company account or password.", 401)
NO_STAFF_NUMBER = ("目录中您的账号没有登记工号，请联系系统管理员。",
                   "Your directory entry has no staff number; please ask the administrator.", 403)


@dataclass(frozen=True)


class DirectoryPerson:
    staff_no: str
    roles: tuple[Role, ...]
    """The roles of the configured groups the person is a member of."""


class Directory:
    def __init__(self, settings: LdapSettings) -> None:
        self.settings = settings
        self.server = Server(settings.url, connect_timeout=settings.timeout, get_info=NONE)

    def _connection(self, user: str | None, password: str | None) -> Connection:
        return Connection(self.server, user=user, password=password, receive_timeout=self.settings.timeout,
                          raise_exceptions=False, read_only=True)

    def sign_in(self, username: str, password: str) -> DirectoryPerson:
        """The person the directory vouches for. An empty password is refused before asking: LDAP
        takes a bind with a name and no password as an anonymous one, which always succeeds."""
        username = username.strip()
        if not username or not password:
            raise SignInRefusal(*WRONG_PASSWORD)
        try:
            dn = self._user_dn(username)
            conn = self._connection(dn, password)
            if not conn.bind():
                raise SignInRefusal(*WRONG_PASSWORD)
            try:
                return self._read(conn, dn)
            finally:
                conn.unbind()
        except LDAPException as down:
            raise SignInRefusal(*DIRECTORY_DOWN) from down

    def _user_dn(self, username: str) -> str:
        settings = self.settings
        if settings.user_dn:
            return settings.user_dn.format(username=escape_rdn(username))
        conn = self._connection(settings.bind_dn or None, settings.bind_password or None)
        if not conn.bind():
            raise SignInRefusal(*DIRECTORY_DOWN)
        try:
            conn.search(settings.search_base, settings.search_filter.format(username=escape_filter_chars(username)),
                        SUBTREE, attributes=[], size_limit=2)
            found = [entry["dn"] for entry in conn.response or [] if entry.get("type") == "searchResEntry"]
        finally:
            conn.unbind()
        if len(found) != 1:
            raise SignInRefusal(*WRONG_PASSWORD)
        return str(found[0])

    def _read(self, conn: Connection, dn: str) -> DirectoryPerson:
        attribute = self.settings.staff_attribute
        conn.search(dn, "(objectClass=*)", BASE, attributes=[attribute])
        entries = [e for e in conn.response or [] if e.get("type") == "searchResEntry"]
        values = entries[0]["attributes"].get(attribute) if entries else None
        staff_no = (values[0] if isinstance(values, list) and values else values) or ""
        if not str(staff_no).strip():
            raise SignInRefusal(*NO_STAFF_NUMBER)
        return DirectoryPerson(str(staff_no).strip(), self._roles(conn, dn))

    def _roles(self, conn: Connection, dn: str) -> tuple[Role, ...]:
        """Membership asked of each configured group (``member`` as in groupOfNames and Active
        Directory, ``uniqueMember`` as in groupOfUniqueNames), so no memberOf overlay is needed."""
        held = []
        member = escape_filter_chars(dn)
        for group_dn, role in self.settings.group_roles:
            conn.search(group_dn, f"(|(member={member})(uniqueMember={member}))", BASE, attributes=[])
            if any(e.get("type") == "searchResEntry" for e in conn.response or []):
                held.append(role)
        return tuple(dict.fromkeys(held))
