"""Evidence files (佐证材料) uploaded with a report, kept as ``dutyloop.evidence_files`` keeps
every evidence file; a file it refuses is a form refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request

from domain.evidence import evidence_item
from dutyloop.evidence_files import CHUNK, MEDIA_TYPES, EvidenceRefused, Keeping, StoredFile, allowed_text, discard, resolve
from dutyloop.web.deps import business_today, system_of
from dutyloop.web.errors import FormRefused

__all__ = ["MEDIA_TYPES", "allowed_text", "report_with_evidence", "resolve", "run_with_files", "store"]


async def store(upload: UploadFile, data_dir: Path, limit: int, today: date) -> StoredFile:
    try:
        keeping = Keeping(upload.filename or "", data_dir, limit, today)
        try:
            while chunk := await upload.read(CHUNK):
                keeping.write(chunk)
            return await run_in_threadpool(keeping.finish)  # reads a zip directory: off the event loop
        finally:
            keeping.abandon()
    except EvidenceRefused as refused:
        raise FormRefused(refused.zh, refused.en) from None


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
