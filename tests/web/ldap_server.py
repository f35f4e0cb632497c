"""A real OpenLDAP server for the directory sign-in tests: Debian's slapd on a free loopback port,
with its own configuration and mdb database in a temporary folder, loaded with ``slapadd``
before it starts.

Without slapd the tests skip, unless DUTYLOOP_REQUIRE_BROWSER=1 (CI) says every tool of the
end-to-end tests must be there (``browser_support.required_or_skip``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from browser_support import required_or_skip
from loopback import running

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
SUFFIX = "dc=example,dc=com"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory-admin"


@dataclass(frozen=True)
class DirectoryUser:
    uid: str
    password: str
    staff_no: str
    """Empty: an entry without the staff-number attribute."""

    @property
    def dn(self) -> str:
        return f"uid={self.uid},{PEOPLE}"


def _config(folder: Path) -> str:
    return "\n".join([
        *(f"include {SCHEMAS / name}.schema" for name in ("core", "cosine", "inetorgperson")),
        f"modulepath {MODULES}",
        "moduleload back_mdb",
        f"pidfile {folder / 'slapd.pid'}",
        "database mdb",
        f'suffix "{SUFFIX}"',
        f'rootdn "{ADMIN_DN}"',
        f"rootpw {ADMIN_PASSWORD}",
        f"directory {folder / 'data'}",
        "maxsize 10485760",
        "access to attrs=userPassword by self read by anonymous auth by * none",
        "access to * by users read by anonymous read",
        "",
    ])


def _ldif(users: list[DirectoryUser], groups: dict[str, list[DirectoryUser]]) -> str:
    blocks = [
        f"dn: {SUFFIX}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups",
    ]
    for user in users:
        lines = [f"dn: {user.dn}", "objectClass: inetOrgPerson", f"uid: {user.uid}", f"cn: {user.uid}",
                 f"sn: {user.uid}", f"userPassword: {user.password}"]
        if user.staff_no:
            lines.append(f"employeeNumber: {user.staff_no}")
        blocks.append("\n".join(lines))
    for name, members in groups.items():
        blocks.append("\n".join([f"dn: cn={name},{GROUPS}", "objectClass: groupOfNames", f"cn: {name}",
                                 *(f"member: {m.dn}" for m in members)]))
    return "\n\n".join(blocks) + "\n"


def group_dn(name: str) -> str:
    return f"cn={name},{GROUPS}"


@contextmanager
def slapd(folder: Path, port: int, users: list[DirectoryUser], groups: dict[str, list[DirectoryUser]]) -> Iterator[str]:
    """The running server's URL; stopped (and its folder left to pytest) on the way out."""
    if not SLAPD.exists() or not SLAPADD.exists():
        required_or_skip(f"the directory sign-in tests need Debian's OpenLDAP server at {SLAPD} (apt-get install slapd ldap-utils)")
    (folder / "data").mkdir(parents=True)
    config = folder / "slapd.conf"
    config.write_text(_config(folder), encoding="utf-8")
    data = folder / "directory.ldif"
    data.write_text(_ldif(users, groups), encoding="utf-8")
    subprocess.run([str(SLAPADD), "-f", str(config), "-l", str(data)], check=True, capture_output=True)
    url = f"ldap://127.0.0.1:{port}"
    with running("slapd", [str(SLAPD), "-f", str(config), "-h", f"{url}/", "-d", "0"], port, folder / "slapd.log"):
        yield url
