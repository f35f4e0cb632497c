"""Evidence files (佐证材料) uploaded with a report: size-limited, type-checked by their content
(not only their name), and stored under the data directory under a name we choose, so nothing a
visitor sends can pick a path or be served back as a page."""

from __future__ import annotations

import os
import re
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request

from domain.evidence import evidence_item
from dutyloop.private_files import open_private, private_dir
from dutyloop.web.deps import business_today, system_of
from dutyloop.web.errors import FormRefused

CHUNK = 64 * 1024

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


@dataclass(frozen=True)
class StoredFile:
    relative: str
    """Where it lies under the data directory; this is what the evidence records."""
    name: str
    """The name the person gave it, shown on the page, never used as a path."""
    path: Path


def allowed_text() -> str:
    return ", ".join(ext.lstrip(".") for ext in SIGNATURES)


async def store(upload: UploadFile, data_dir: Path, limit: int, today: date) -> StoredFile:
    original = Path(upload.filename or "").name.strip()
    extension = Path(original).suffix.lower()
    if extension not in SIGNATURES:
        raise FormRefused(
            f"文件“{original}”的类型不受支持，请上传：{allowed_text()}",
            f"File “{original}” is of a type we do not keep; upload one of: {allowed_text()}",
        )
    folder = data_dir / "evidence" / f"{today.year:04d}" / f"{today.month:02d}"
    private_dir(folder)
    stem = secrets.token_hex(16)
    target = folder / f"{stem}{extension}"
    partial = folder / f".{stem}.part"
    size = 0
    try:
        with open_private(partial) as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FormRefused(
                        f"文件“{original}”超过 {_size(limit)} 的上限",
                        f"File “{original}” is larger than the limit of {_size(limit)}",
                    )
                out.write(chunk)
        if size == 0:
            raise FormRefused(f"文件“{original}”是空的", f"File “{original}” is empty")
        await run_in_threadpool(_check_content, partial, extension, original)  # reads a zip directory: off the event loop
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    relative = target.relative_to(data_dir).as_posix()
    return StoredFile(relative=relative, name=original, path=target)


def _check_content(path: Path, extension: str, original: str) -> None:
    with path.open("rb") as handle:
        head = handle.read(16)
    wrong = FormRefused(
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


async def report_with_evidence(
    request: Request, text: str, link: str, files: list[UploadFile], command: Callable[[list[dict[str, str]]], None]
) -> None:
    """A report from a form: its text, its link and its uploaded files as evidence."""
    evidence = []
    if text.strip():
        evidence.append(evidence_item("text", text))
    if link.strip():
        evidence.append(evidence_item("link", link))
    # A form with no file chosen still sends an empty file part.
    await run_with_files(request, evidence, [f for f in files if f.filename], command)


async def run_with_files(
    request: Request, evidence: list[dict[str, str]], files: list[UploadFile], command: Callable[[list[dict[str, str]]], None],
) -> None:
    """Store the files (under the data directory, within the site's size limit, filed by today's
    date), then run the report command with them added to the evidence; if anything refuses, the
    stored files go again (nothing recorded, nothing kept)."""
    data_dir, limit, today = system_of(request).settings.data_dir, request.app.state.options.max_upload_bytes, business_today(request)
    stored: list[StoredFile] = []
    try:
        for upload in files:
            stored.append(await store(upload, data_dir, limit, today))
        await run_in_threadpool(command, evidence + [evidence_item("file", f.relative, f.name) for f in stored])
    except BaseException:
        discard(stored)
        raise
