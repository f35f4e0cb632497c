"""Check a DutyLoop audit bundle, or a file of signed chain heads, on any machine.

This file needs only Python's standard library and the ``cryptography`` package: it is copied
into every bundle as ``verify.py`` and can be run there — ``python verify.py bundle.zip --key
public-key.pem`` — with no DutyLoop and no database. The installation uses the same
``chain_hash`` for its ledger, so what is checked here is exactly what the system wrote.

A bundle holds the events of its scope in full, each with the hash of the event before it in the
whole log and its own, and a manifest (every file's and every event line's SHA-256, the head of
the chain) signed with the installation's Ed25519 key. The check names what changed: the
manifest (the signature fails), a file, an event line changed, dropped or added, an event whose
bytes no longer give its hash, a broken link between neighbouring events.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import struct
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

GENESIS = bytes(32)
FORMAT = "dutyloop-audit-bundle/1"
HEAD_FORMAT = "dutyloop-head/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
EVENTS = "events.jsonl"
_TWO_LONGS = struct.Struct(">qq")
_ONE_LONG = struct.Struct(">q")


def chain_hash(
    previous: bytes,
    notification_id: int,
    originator_id: UUID | str,
    originator_version: int,
    topic: str,
    state: bytes,
    recorded_at: str,
) -> bytes:
    """SHA-256 over the previous hash and the event's fields, in one call: every command pays for
    it inside its transaction, and an import pays it once per event."""
    if isinstance(originator_id, UUID):
        uuid_bytes = originator_id.bytes
    elif len(originator_id) == 32:
        uuid_bytes = bytes.fromhex(originator_id)
    else:
        uuid_bytes = UUID(originator_id).bytes
    return hashlib.sha256(
        b"".join((
            previous, _TWO_LONGS.pack(notification_id, originator_version), uuid_bytes, topic.encode(),
            _ONE_LONG.pack(len(state)), state, recorded_at.encode(),
        ))
    ).digest()


def head_message(position: int, hash_hex: str, recorded_at: str, signed_at: str) -> bytes:
    """What a signed head's signature covers."""
    return f"{HEAD_FORMAT}|{position}|{hash_hex}|{recorded_at}|{signed_at}".encode()


def canonical(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def fingerprint(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return hashlib.sha256(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key / 不是 Ed25519 公钥")
    return key


def event_hash(event: dict[str, Any]) -> bytes:
    return chain_hash(
        bytes.fromhex(event["previous_hash"]), int(event["position"]), event["originator_id"],
        int(event["originator_version"]), event["topic"], event["state"].encode("utf-8"), event["recorded_at"],
    )


def head_problem(head: dict[str, Any], key: Ed25519PublicKey) -> str | None:
    """Why a signed head is not good (``None``: its signature holds)."""
    try:
        key.verify(base64.b64decode(head["signature"]),
                   head_message(int(head["position"]), head["hash"], head["recorded_at"], head["signed_at"]))
    except (InvalidSignature, KeyError, ValueError):
        return f"位置 {head.get('position')} 的链头签名无效 / the signature of the head at position {head.get('position')} is not valid"
    return None


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    events: int = 0

    @property
    def intact(self) -> bool:
        return not self.problems

    def problem(self, zh: str, en: str) -> None:
        self.problems.append(f"{zh} / {en}")


def verify_bundle(data: bytes, trusted_key: bytes | None = None) -> Report:
    """Every check, every problem named; the report is intact only if nothing is wrong."""
    report = Report()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        report.problem("不是有效的 zip 文件", "not a valid zip file")
        return report
    names = set(archive.namelist())
    for needed in (MANIFEST, SIGNATURE, "public_key.pem"):
        if needed not in names:
            report.problem(f"缺少 {needed}", f"{needed} is missing")
    if not report.intact:
        return report
    manifest_bytes = archive.read(MANIFEST)
    key = load_public_key(trusted_key or archive.read("public_key.pem"))
    if trusted_key is None:
        report.notes.append("签名按包内公钥核对：请另行核对公钥指纹 / checked against the key inside the bundle: "
                            f"compare its fingerprint {fingerprint(key)} with the installation's")
    elif archive.read("public_key.pem") != trusted_key:
        report.problem("包内公钥不是给定的公钥", "the bundle's public key is not the one given")
    try:
        key.verify(base64.b64decode(archive.read(SIGNATURE)), manifest_bytes)
    except (InvalidSignature, ValueError):
        report.problem("manifest.json 的签名无效：清单被改动，或不是该密钥签署",
                       "the signature of manifest.json is not valid: the manifest was changed or another key signed it")
    manifest = json.loads(manifest_bytes)
    if manifest.get("format") != FORMAT:
        report.problem(f"未知的格式 {manifest.get('format')}", f"unknown format {manifest.get('format')}")
        return report
    _check_files(archive, names, manifest, report)
    if EVENTS in names:
        _check_events(archive.read(EVENTS), manifest, report)
    return report


def _check_files(archive: zipfile.ZipFile, names: set[str], manifest: dict[str, Any], report: Report) -> None:
    listed = manifest["files"]
    for name, expected in sorted(listed.items()):
        if name not in names:
            report.problem(f"缺少文件 {name}", f"file {name} is missing")
            continue
        digest = hashlib.sha256(archive.read(name)).hexdigest()
        if digest != expected["sha256"]:
            report.problem(f"文件 {name} 与签名时不同", f"file {name} is not the one signed")
    for name in sorted(names - set(listed) - {MANIFEST, SIGNATURE}):
        report.problem(f"多出未签名的文件 {name}", f"file {name} was added and is not signed")


def _check_events(data: bytes, manifest: dict[str, Any], report: Report) -> None:
    signed = {int(p): digest for p, digest in manifest["events"]["lines"]}
    seen: dict[int, dict[str, Any]] = {}
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            event = json.loads(line)
            position = int(event["position"])
        except (ValueError, KeyError, TypeError):
            report.problem(f"events.jsonl 第 {number} 行无法读取", f"line {number} of events.jsonl cannot be read")
            continue
        if position not in signed:
            report.problem(f"位置 {position} 的事件（第 {number} 行）是添加的：签名时没有它",
                           f"the event at position {position} (line {number}) was added: it was not signed")
        elif hashlib.sha256(line).hexdigest() != signed[position]:
            report.problem(f"位置 {position} 的事件（第 {number} 行）被改动", f"the event at position {position} (line {number}) was changed")
        if position in seen:
            report.problem(f"位置 {position} 的事件出现两次", f"the event at position {position} appears twice")
        seen[position] = event
        try:
            if event_hash(event).hex() != event["hash"]:
                report.problem(f"位置 {position} 的事件内容与其哈希不符", f"the event at position {position} does not give its hash")
        except (KeyError, ValueError, TypeError):
            report.problem(f"位置 {position} 的事件缺少字段", f"the event at position {position} lacks fields")
    for position in sorted(set(signed) - set(seen)):
        report.problem(f"位置 {position} 的事件被删去", f"the event at position {position} was dropped")
    _check_links(seen, manifest, report)
    report.events = len(seen)


def _check_links(events: dict[int, dict[str, Any]], manifest: dict[str, Any], report: Report) -> None:
    """Neighbours in the log link by hash; the first event of the log starts from zero; the last
    one signed, if it is the head, ends in the head's hash."""
    for position, event in sorted(events.items()):
        before = events.get(position - 1)
        if before is not None and before.get("hash") != event.get("previous_hash"):
            report.problem(f"位置 {position - 1} 与 {position} 之间的链接断开", f"the link between positions {position - 1} and {position} is broken")
        if position == 1 and event.get("previous_hash") != GENESIS.hex():
            report.problem("第一条事件不是从链首开始", "the first event does not start the chain")
    head = manifest["head"]
    last = events.get(int(head["position"]))
    if last is not None and last.get("hash") != head["hash"]:
        report.problem(f"位置 {head['position']} 的事件与签名的链头不符", f"the event at position {head['position']} is not the signed head")


def check_heads(lines: Iterable[bytes], key: Ed25519PublicKey) -> tuple[list[dict[str, Any]], list[str]]:
    """The heads of a heads file whose signatures hold, and the problems of the others."""
    heads, problems = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            head = json.loads(line)
        except ValueError:
            problems.append(f"链头文件第 {number} 行无法读取 / line {number} of the heads file cannot be read")
            continue
        problem = head_problem(head, key)
        if problem:
            problems.append(problem)
        else:
            heads.append(head)
    return heads, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a DutyLoop audit bundle / 核验审计包")
    parser.add_argument("bundle")
    parser.add_argument("--key", help="the installation's public key (PEM) / 系统公钥文件")
    args = parser.parse_args(argv)
    with open(args.bundle, "rb") as handle:
        data = handle.read()
    trusted = None
    if args.key:
        with open(args.key, "rb") as handle:
            trusted = handle.read()
    report = verify_bundle(data, trusted)
    for note in report.notes:
        print(note)
    if report.intact:
        print(f"审计包完整：{report.events} 条事件，签名、哈希与链接均核对无误 / "
              f"bundle intact: {report.events} events, signature, hashes and links all check")
        return 0
    for problem in report.problems:
        print(problem)
    return 1


if __name__ == "__main__":
    sys.exit(main())
