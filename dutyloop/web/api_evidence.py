"""Evidence sent to the JSON API: text, links and files (base64 in the JSON body, so a program
sends one JSON request). Files pass the same checks as the pages' uploads (size, type by
content) and are removed again when the command is refused: nothing recorded, nothing kept."""

from __future__ import annotations

import base64
import binascii
import io
from collections.abc import Callable

from starlette.datastructures import UploadFile
from starlette.requests import Request

from domain.evidence import evidence_item
from dutyloop.web import uploads
from dutyloop.web.api_models import Evidence
from dutyloop.web.api_support import Refused


def _bytes(encoded: str, field: str, limit: int) -> bytes:
    if len(encoded) > (limit * 4) // 3 + 8:
        raise Refused(422, "invalid_input", f"{field}：文件超过 {limit // 1024} KB 的上限",
                      f"{field}: the file is larger than the limit of {limit // 1024} KB", [field])
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(422, "invalid_input", f"{field}不是有效的 base64 内容", f"{field} is not valid base64", [field]) from None


async def report_with_evidence(request: Request, evidence: Evidence, command: Callable[[list[dict[str, str]]], None]) -> None:
    items = []
    if evidence.text.strip():
        items.append(evidence_item("text", evidence.text))
    items += [evidence_item("link", link) for link in evidence.links if link.strip()]
    limit = request.app.state.options.max_upload_bytes
    contents = [_bytes(f.content_base64, f"evidence.files.{i}.content_base64", limit) for i, f in enumerate(evidence.files)]
    files = [UploadFile(io.BytesIO(content), filename=sent.name) for sent, content in zip(evidence.files, contents, strict=True)]
    await uploads.run_with_files(request, items, files, command)
