"""The installation's signing key and the signed heads of its hash chain.

The key is an Ed25519 key kept as a PEM file readable by its owner only (0600) in the data
directory, made by ``dutyloop init`` or the first time something is signed. A signed head — the
ledger's last position, its hash and recorded time, signed — is printed on every monthly bulletin
and every export and appended to ``heads.jsonl`` beside the key, a file an administrator copies
away (mail it, print it, put it on another machine). Someone who can write the database can
rewrite events and ledger consistently, so that ``verify`` alone finds nothing; a head published
before the rewrite no longer matches the ledger at its position, which ``verify --against`` shows.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)
from sqlalchemy import Engine, text

from dutyloop.audit.chainproof import GENESIS, check_heads, fingerprint, head_message
from projections.ledger import LEDGER_TABLE, recorded_at_text

KEY_FILE = "audit-signing-key.pem"
HEADS_FILE = "heads.jsonl"


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_FILE


def heads_path(data_dir: Path) -> Path:
    return data_dir / HEADS_FILE


def signing_key(data_dir: Path) -> Ed25519PrivateKey:
    """The installation's key, made on first use: created exclusively with mode 0600, so two
    processes starting at once cannot end with two keys."""
    path = key_path(data_dir)
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "wb") as out:
                out.write(pem)
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 key")
    return key


def public_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


@dataclass(frozen=True)
class SignedHead:
    position: int
    hash: str
    recorded_at: str
    signed_at: str
    reason: str
    key: str
    """The signing key's fingerprint."""
    signature: str

    def line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    def printed(self, english: bool = False) -> str:
        """The head as a page or a sheet prints it, for a reader to copy or compare."""
        if english:
            return (f"Chain head at event {self.position}: {self.hash} (recorded {self.recorded_at}); "
                    f"signed {self.signed_at} with key {self.key}: {self.signature}")
        return (f"记录链头：第 {self.position} 号事件 {self.hash}（记录于 {self.recorded_at}）；"
                f"{self.signed_at} 以密钥 {self.key} 签名：{self.signature}")


def ledger_head(engine: Engine) -> tuple[int, str, str]:
    """(position, hash, recorded time) of the ledger's last row; (0, zeros, "") when empty."""
    with engine.connect() as conn:
        row = conn.execute(text(
            f"SELECT notification_id, recorded_at, hash FROM {LEDGER_TABLE} ORDER BY notification_id DESC LIMIT 1")).first()
    if row is None:
        return 0, GENESIS.hex(), ""
    moment = row.recorded_at if isinstance(row.recorded_at, str) else recorded_at_text(row.recorded_at)
    return int(row.notification_id), bytes(row.hash).hex(), moment


def sign_head(engine: Engine, data_dir: Path, reason: str, now: datetime) -> SignedHead:
    """Sign the chain's head as it stands and append it to the heads file."""
    key = signing_key(data_dir)
    position, digest, recorded_at = ledger_head(engine)
    signed_at = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    signature = base64.b64encode(key.sign(head_message(position, digest, recorded_at, signed_at))).decode()
    head = SignedHead(position, digest, recorded_at, signed_at, reason, fingerprint(key.public_key()), signature)
    with open(heads_path(data_dir), "a", encoding="utf-8") as out:
        out.write(head.line() + "\n")
    return head


@dataclass(frozen=True)
class HeadsVerdict:
    checked: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def against_heads(engine: Engine, heads_file: Path, public_key: Ed25519PublicKey) -> HeadsVerdict:
    """Each published head whose signature holds must be in the ledger as published: a rewrite
    of the events and ledger before its position, however consistent, changes its hash."""
    heads, problems = check_heads(heads_file.read_bytes().splitlines(), public_key)
    with engine.connect() as conn:
        for head in heads:
            position = int(head["position"])
            if position == 0:
                continue
            found = conn.execute(text(f"SELECT hash FROM {LEDGER_TABLE} WHERE notification_id = :n"), {"n": position}).scalar()
            if found is None:
                problems.append(f"第 {position} 号事件在 {head['signed_at']} 发布的链头中，但现已不在记录中 / "
                                f"event {position}, the head published {head['signed_at']}, is no longer recorded")
            elif bytes(found).hex() != head["hash"]:
                problems.append(f"第 {position} 号事件的链头与 {head['signed_at']} 发布的不符：此前的记录被改写 / "
                                f"the chain at event {position} is not the head published {head['signed_at']}: "
                                "the record up to it was rewritten")
    return HeadsVerdict(len(heads), problems)
