"""The key that signs session cookies, kept outside the database.

Whoever can read the database or one of its backups must not be able to sign a session cookie:
so the key is ``DUTYLOOP_SESSION_KEY`` when set (several servers on one PostgreSQL database share
it that way), else the file ``session.key`` in the data directory, made 0600 on first start and
read by every later process on that data directory. A signed cookie alone is not enough either:
it names a session that must still be open in ``web_sessions`` (see ``dutyloop/web/sessions.py``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from dutyloop.private_files import open_private, private_dir
from dutyloop.settings import Settings

FILE_NAME = "session.key"
MIN_LENGTH = 32


class SessionKeyError(ValueError):
    """The configured key is too short to sign anything safely."""


def session_key(settings: Settings) -> str:
    if settings.session_key:
        if len(settings.session_key) < MIN_LENGTH:
            raise SessionKeyError(f"DUTYLOOP_SESSION_KEY must be at least {MIN_LENGTH} characters")
        return settings.session_key
    path = private_dir(settings.data_dir) / FILE_NAME
    if not path.exists():
        _make(path)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_LENGTH:
        raise SessionKeyError(f"{path} holds no usable key ({MIN_LENGTH} characters or more); delete it to make a new one")
    return key


def _make(path: Path) -> None:
    """Written whole to a file of our own, then linked into place: of several processes starting
    at once, one key wins and nobody reads a half-written file."""
    draft = path.with_name(f".{FILE_NAME}.{secrets.token_hex(8)}")
    with open_private(draft) as out:
        out.write(secrets.token_urlsafe(48).encode("ascii"))
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
