"""``dutyloop audit export``: the events of a scope in full, with the hash-chain links that place
them in the whole log, the chain and board reports, and a manifest signed with the installation's
key — a zip file that ``chainproof`` checks on any machine.

Each event line carries the stored event exactly as the ledger hashed it (position, aggregate id
and version, topic, the stored JSON, the recorded time), the hash of the event before it in the
whole log and its own; beside them, for the reader, the actor as a person, the business date and
the event in words. The manifest lists every file's and every event line's SHA-256 and the head
of the chain at export, and is signed; the signed head is appended to the heads file too."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, select, text

from domain.vocabulary import label
from dutyloop.audit import chainproof
from dutyloop.audit.chainproof import EVENTS, FORMAT, GENESIS, MANIFEST, SIGNATURE, canonical, fingerprint
from dutyloop.audit.signing import public_pem, sign_head, signing_key
from dutyloop.reports import sheets as ledger
from dutyloop.wiring import System
from projections.batch import chunked
from projections.export import Heading, Sheet, headers, table, write_xlsx
from projections.ledger import LEDGER_TABLE, events_table, recorded_at_text
from projections.chain_queries import trail_at
from projections.sentences import Names, actor_text, row_sentence
from projections.tables import rectifications, trail


@dataclass(frozen=True)
class Scope:
    org_id: str | None = None
    org_name: str = ""
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Written:
    path: Path
    events: int
    reports: list[str]
    pdf: str
    """What became of the PDF, in words."""
    head: int


def _within(query: Any, scope: Scope, org: Any, day: Any) -> Any:
    """The query limited to the scope's organisation and business days."""
    if scope.org_id:
        query = query.where(org == scope.org_id)
    if scope.since:
        query = query.where(day >= scope.since.isoformat())
    if scope.until:
        query = query.where(day <= scope.until.isoformat())
    return query


def _positions(conn: Connection, scope: Scope) -> list[int]:
    query = _within(select(trail.c.notification_id), scope, trail.c.org_id, trail.c.business_date)
    return [int(r[0]) for r in conn.execute(query.order_by(trail.c.notification_id))]


def _stored(conn: Connection, positions: Sequence[int]) -> dict[int, Any]:
    table, column = events_table(conn.dialect.name)
    query = text(f"SELECT {column} AS nid, originator_id, originator_version, topic, state FROM {table} "
                 f"WHERE {column} IN :ids").bindparams(bindparam("ids", expanding=True))
    found: dict[int, Any] = {}
    for chunk in chunked(list(positions)):
        found.update((int(r.nid), r) for r in conn.execute(query, {"ids": list(chunk)}))
    return found


def _ledger(conn: Connection, positions: Sequence[int]) -> dict[int, tuple[str, bytes]]:
    wanted = sorted({p for p in positions} | {p - 1 for p in positions if p > 1})
    query = text(f"SELECT notification_id, recorded_at, hash FROM {LEDGER_TABLE} WHERE notification_id IN :ids").bindparams(
        bindparam("ids", expanding=True))
    found: dict[int, tuple[str, bytes]] = {}
    for chunk in chunked(wanted):
        for r in conn.execute(query, {"ids": list(chunk)}):
            moment = r.recorded_at if isinstance(r.recorded_at, str) else recorded_at_text(r.recorded_at)
            found[int(r.notification_id)] = (moment, bytes(r.hash))
    return found


def event_lines(conn: Connection, positions: Sequence[int], locale: str) -> list[bytes]:
    """One JSON line per event: what the ledger hashed, its links, and the record in words."""
    stored = _stored(conn, positions)
    links = _ledger(conn, positions)
    rows = {r["notification_id"]: r for r in trail_at(conn, positions)}
    names = Names(conn)
    lines = []
    for position in positions:
        event, (recorded_at, own) = stored[position], links[position]
        previous = links[position - 1][1] if position > 1 else GENESIS
        row = rows[position]
        lines.append(canonical({
            "position": position, "originator_id": str(event.originator_id).replace("-", ""),
            "originator_version": int(event.originator_version), "topic": event.topic,
            "state": bytes(event.state).decode("utf-8"), "recorded_at": recorded_at,
            "previous_hash": previous.hex(), "hash": own.hex(),
            "actor": row["actor"], "actor_text": actor_text(row, locale), "business_date": row["business_date"],
            "event": row["event_type"], "event_text": label(row["event_type"], locale),
            "details": row_sentence(row, names, locale),
        }))
    return lines


def _chain_ids(conn: Connection, scope: Scope) -> list[str]:
    """The rectifications opened within the scope, each the name of a chain report."""
    query = _within(select(rectifications.c.rectification_id), scope, rectifications.c.org_id, rectifications.c.opened_on)
    return [r[0] for r in conn.execute(query.order_by(rectifications.c.opened_on, rectifications.c.rectification_id))]


def english(locale: str) -> bool:
    return locale.lower().startswith("en")


def _report_section(heading: Heading, sheets: Sequence[Sheet], locale: str) -> str:
    """One report as a printable section: its heading, then each sheet as a table."""
    parts = [f"<h1>{html.escape(heading.title)}</h1>", *(f"<p>{html.escape(line)}</p>" for line in heading.lines)]
    for sheet in sheets:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in headers(sheet.columns, locale))
        body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
                       for row in table(sheet, locale))
        parts.append(f"<h2>{html.escape(sheet.title(locale))}</h2><table><tr>{head}</tr>{body}</table>")
    return f"<section>{''.join(parts)}</section>"


_PRINT_STYLE = (
    "@page{size:A4 landscape;margin:12mm}body{font-family:'Noto Sans CJK SC',sans-serif;font-size:9pt}"
    "section+section{break-before:page}table{border-collapse:collapse;width:100%}"
    "td,th{border:1px solid #999;padding:2px 4px;vertical-align:top}p{word-break:break-all}"
)


def _reports(system: System, conn: Connection, scope: Scope, day: date, locale: str, heading_lines: Sequence[str],
             work: Path) -> tuple[dict[str, bytes], str]:
    """The board and each chain of the scope as .xlsx, and all of them in one PDF where Chromium
    prints (one browser start, not one per chain: a hundred chains took ten minutes); and what
    became of the PDF, in words."""
    from dutyloop.reports.pdf import PdfUnavailable, html_to_pdf

    timezone = system.settings.timezone
    wanted = [ledger.board(conn, day, scope.org_id, locale)]
    wanted += [ledger.chain(conn, rect, day, locale, timezone) for rect in _chain_ids(conn, scope)]
    files: dict[str, bytes] = {}
    sections = []
    for index, (sheets, title) in enumerate(wanted):
        heading = Heading(title, heading_lines)
        name = "board" if index == 0 else f"chain-{title.rsplit(' ', 1)[-1]}"
        path = work / f"{name}.xlsx"
        write_xlsx(path, sheets, locale, title, heading)
        files[f"reports/{name}.xlsx"] = path.read_bytes()
        sections.append(_report_section(heading, sheets, locale))
    page = (f"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><style>{_PRINT_STYLE}</style>"
            f"<body>{''.join(sections)}</body></html>")
    try:
        files["reports/reports.pdf"] = html_to_pdf(page, work / "reports.pdf").read_bytes()
    except PdfUnavailable as error:
        return files, f"no PDF: {error}" if english(locale) else f"PDF 未生成：{error}"
    return files, ("PDF: reports/reports.pdf (the board and every chain)" if english(locale)
                   else "PDF 已生成：reports/reports.pdf（看板与每条整改链）")


README = """DutyLoop 审计包 / audit bundle

核验（无需 DutyLoop 与数据库，只需 Python 3.11+ 与 cryptography）：
    pip install cryptography
    python verify.py 本文件.zip --key 系统公钥.pem
公钥请从系统管理员处另行取得（dutyloop audit key --out 系统公钥.pem），并核对指纹；
不给 --key 时按包内 public_key.pem 核对，只能证明包未被改动，不能证明出自该系统。
events.jsonl 每行一条事件：position 为在全部记录中的位置，previous_hash/hash 为哈希链链接，
state 为系统存储并参与哈希的原文，其余字段（操作人、业务日期、详情）供阅读。
manifest.json 列出每个文件与每行事件的 SHA-256 及链头，manifest.sig 为其 Ed25519 签名。
"""


def export(system: System, scope: Scope, out: Path, locale: str, exporter: str, day: date, work: Path) -> Written:
    """Write the bundle to ``out``."""
    system.catch_up()
    key = signing_key(system.settings.data_dir)
    head = sign_head(system.engine, system.settings.data_dir, "audit export", system.clock.now())
    scope_text = (f"{scope.org_name or ('all organisations' if english(locale) else '全部组织')} · "
                  f"{scope.since or '…'} – {scope.until or '…'}")
    lines = [f"{'Scope' if english(locale) else '范围'}：{scope_text}；{'exported by' if english(locale) else '导出人'}：{exporter}",
             head.printed(english(locale))]
    with system.engine.connect() as conn:
        positions = [p for p in _positions(conn, scope) if p <= head.position]
        events = event_lines(conn, positions, locale)
        reports, pdf_note = _reports(system, conn, scope, day, locale, lines, work)
    events_bytes = b"".join(line + b"\n" for line in events)
    files: dict[str, bytes] = {
        EVENTS: events_bytes, "public_key.pem": public_pem(key), "README.txt": README.encode(),
        "verify.py": Path(chainproof.__file__).read_bytes(), "head.json": head.line().encode(), **reports,
    }
    manifest = {
        "format": FORMAT, "created_at": head.signed_at, "created_by": exporter, "key": fingerprint(key.public_key()),
        "scope": {"org_id": scope.org_id, "org": scope.org_name, "from": str(scope.since or ""), "to": str(scope.until or "")},
        "head": {"position": head.position, "hash": head.hash, "recorded_at": head.recorded_at, "signature": head.signature},
        "events": {"count": len(events),
                   "lines": [[p, hashlib.sha256(line).hexdigest()] for p, line in zip(positions, events, strict=True)]},
        "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)} for name, data in sorted(files.items())},
        "pdf": pdf_note,
    }
    manifest_bytes = canonical(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, base64.b64encode(key.sign(manifest_bytes)))
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    out.write_bytes(buffer.getvalue())
    return Written(out, len(events), sorted(reports), pdf_note, head.position)
