"""Files only the account that runs DutyLoop may read: the SQLite database (every event, every
password hash, every token hash), the evidence people upload, and the key that signs sessions.
They are created 0600 in directories created 0700, whatever the umask says; a backup of the data
directory keeps those modes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """``path`` and each missing directory above it, created 0700 (existing ones are left as the
    administrator set them)."""
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
    return path


def private_file(path: Path) -> Path:
    """``path`` created empty and 0600 if it is missing (SQLite then gives its journal and WAL
    files the database's own mode); an existing file is left alone."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    return path


def open_private(path: Path, append: bool = False) -> IO[bytes]:
    """``path`` opened for writing bytes, created 0600 if it is missing (emptied unless ``append``)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    return os.fdopen(os.open(path, flags, FILE_MODE), "ab" if append else "wb")
