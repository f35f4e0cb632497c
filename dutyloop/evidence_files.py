"""Evidence files (佐证材料) kept under the data directory: size-limited, type-checked by their
content (not only their name), and stored under a name we choose, so nothing a sender gives can
pick a path or be served back as a page, and only the account that runs DutyLoop may read
(0600 in directories 0700, ``dutyloop.private_files``). The web's uploads and the CLI's ``task done --file``
keep a file the same way; the evidence then records where it lies under the data directory, so
it stays when the original is moved or deleted."""

from __future__ import annotations

import os
import re
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dutyloop.private_files import open_private, private_dir

CHUNK = 64 * 1024
DEFAULT_LIMIT = 10 * 1024 * 1024

# Extension → how the file's first bytes must look.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}
OFFICE_PART = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
MEDIA_TYPES = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
STORED_NAME = re.compile(r"^evidence/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|jpg|jpeg|docx|xlsx|pptx)$")


class EvidenceRefused(Exception):
    """A file we do not keep (its type, its size, its content); the message names it."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def message(self, locale: str) -> str:
        return self.en if locale.lower().startswith("en") else self.zh


@dataclass(frozen=True)
class StoredFile:
    relative: str
    """Where it lies under the data directory; this is what the evidence records."""
    name: str
    """The name the person gave it, shown on the page, never used as a path."""
    path: Path


def allowed_text() -> str:
    return ", ".join(ext.lstrip(".") for ext in SIGNATURES)


class Keeping:
    """One file being kept: ``begin`` checks its name, ``write`` its size as it comes, ``finish``
    its content, and only then does it appear under its stored name; ``abandon`` leaves nothing."""

    def __init__(self, original: str, data_dir: Path, limit: int, today: date) -> None:
        self.original = Path(original).name.strip()
        self.extension = Path(self.original).suffix.lower()
        if self.extension not in SIGNATURES:
            raise EvidenceRefused(
                f"文件“{self.original}”的类型不受支持，请上传：{allowed_text()}",
                f"File “{self.original}” is of a type we do not keep; upload one of: {allowed_text()}",
            )
        self.data_dir, self.limit = data_dir, limit
        folder = data_dir / "evidence" / f"{today.year:04d}" / f"{today.month:02d}"
        private_dir(folder)
        stem = secrets.token_hex(16)
        self.target = folder / f"{stem}{self.extension}"
        self.partial = folder / f".{stem}.part"
        self.size = 0
        self._out = open_private(self.partial)

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise EvidenceRefused(
                f"文件“{self.original}”超过 {_size(self.limit)} 的上限",
                f"File “{self.original}” is larger than the limit of {_size(self.limit)}",
            )
        self._out.write(chunk)

    def finish(self) -> StoredFile:
        """Checks the content (an Office file's zip directory is read: the web calls this off its
        event loop), then gives the file its stored name."""
        self._out.close()
        if self.size == 0:
            raise EvidenceRefused(f"文件“{self.original}”是空的", f"File “{self.original}” is empty")
        _check_content(self.partial, self.extension, self.original)
        os.replace(self.partial, self.target)
        return StoredFile(relative=self.target.relative_to(self.data_dir).as_posix(), name=self.original, path=self.target)

    def abandon(self) -> None:
        """Whatever happened, no partial file stays (a finished one is the caller's to discard)."""
        self._out.close()
        self.partial.unlink(missing_ok=True)


def keep(original: str, chunks: Iterable[bytes], data_dir: Path, limit: int, today: date) -> StoredFile:
    keeping = Keeping(original, data_dir, limit, today)
    try:
        for chunk in chunks:
            keeping.write(chunk)
        return keeping.finish()
    finally:
        keeping.abandon()


def copy_in(source: Path, data_dir: Path, today: date, limit: int = DEFAULT_LIMIT) -> StoredFile:
    """A file named on the command line, kept like an upload."""
    with source.open("rb") as handle:
        return keep(source.name, iter(lambda: handle.read(CHUNK), b""), data_dir, limit, today)


def _check_content(path: Path, extension: str, original: str) -> None:
    with path.open("rb") as handle:
        head = handle.read(16)
    wrong = EvidenceRefused(
        f"文件“{original}”的内容与扩展名 {extension} 不符",
        f"The content of “{original}” is not a {extension} file",
    )
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        raise wrong
    if extension in OFFICE_PART:
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            raise wrong from None
        if "[Content_Types].xml" not in names or not any(n.startswith(OFFICE_PART[extension]) for n in names):
            raise wrong


def discard(files: list[StoredFile]) -> None:
    """Files of a report the domain refused: nothing recorded, so nothing kept."""
    for stored in files:
        stored.path.unlink(missing_ok=True)


def resolve(data_dir: Path, relative: str) -> Path | None:
    """The stored file an evidence record names, or None for anything that is not one of ours."""
    if not STORED_NAME.match(relative):
        return None
    path = data_dir / relative
    return path if path.is_file() else None


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):.1f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
