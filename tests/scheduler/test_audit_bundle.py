"""The audit bundle checked as a 纪委 would: in a separate process with no DutyLoop database and
only the verifier file, then tampered three ways — a changed byte, a dropped event, an added
one — and refused each time, naming what changed; and a rewrite of events and ledger consistent
enough for ``verify`` is caught against the heads published before it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from evidence_story import tell
from scheduler_support import Cli
from sqlalchemy import text

from domain.clock import ManualClock
from dutyloop.audit.chainproof import chain_hash
from dutyloop.wiring import System
from projections.ledger import events_table, recorded_at_text


OFFLINE = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(Path(__import__("cryptography").__file__).parents[1])}


def _offline(bundle: Path, key: Path, work: Path) -> subprocess.CompletedProcess[str]:
    """``python verify.py`` from the bundle itself, in an empty directory, without the site
    machinery (-S: the editable install of DutyLoop is not on the path; only the directory that
    holds ``cryptography`` is), no settings, no database."""
    verifier = work / "verify.py"
    verifier.write_bytes(zipfile.ZipFile(bundle).read("verify.py"))
    return subprocess.run([sys.executable, "-S", str(verifier), str(bundle), "--key", str(key)], cwd=work, env=OFFLINE,
                          capture_output=True, text=True, timeout=60, check=False)


def _rewritten(bundle: Path, out: Path, change: callable) -> Path:  # type: ignore[valid-type]
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item.filename, change(item.filename, data))
    return out


def test_the_bundle_verifies_offline_and_names_each_tampering(
    system: System, clock: ManualClock, cli: Cli, tmp_path: Path
) -> None:
    story = tell(system, clock)
    bundle, key = tmp_path / "审计包.zip", tmp_path / "公钥.pem"
    made = cli("--as", "J001", "--json", "audit", "export", "--org", "变电运维室党支部", "--from", "2025-04-01",
               "--to", "2025-04-30", "--out", str(bundle))
    assert made.exit_code == 0, made.output
    assert cli("audit", "key", "--out", str(key)).exit_code == 0
    names = set(zipfile.ZipFile(bundle).namelist())
    chain_report = f"reports/chain-{story.rectification.hex[:8]}"
    assert {"manifest.json", "manifest.sig", "events.jsonl", "verify.py", "reports/board.xlsx", f"{chain_report}.xlsx"} <= names
    lines = zipfile.ZipFile(bundle).read("events.jsonl").splitlines()
    events = [json.loads(line) for line in lines]
    assert json.loads(made.stdout)["events"] == len(events) > 10
    assert {e["actor_text"] for e in events} >= {"系统（定时提醒）", "赵书记（L001，党委书记）", "陈干事（W001，党务工作者）"}
    assert all(e["business_date"] and e["recorded_at"] and e["position"] for e in events)

    work = tmp_path / "offline"
    work.mkdir()
    proof = subprocess.run([sys.executable, "-S", "-c", "import cryptography; import dutyloop"], cwd=work,
                           capture_output=True, text=True, check=False, env=OFFLINE)
    assert "No module named 'dutyloop'" in proof.stderr
    intact = _offline(bundle, key, work)
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert f"审计包完整：{len(events)} 条事件" in intact.stdout

    plan = next(e for e in events if e["event"] == "RectificationPlanSubmitted")
    changed = _rewritten(bundle, tmp_path / "changed.zip", lambda name, data: data.replace(
        "逐项对照手册".encode("unicode_escape"), "随便".encode("unicode_escape")).replace(
        "逐项对照手册".encode(), "逐项对照规范".encode()) if name == "events.jsonl" else data)
    refused = _offline(changed, key, work)
    assert refused.returncode == 1
    assert f"位置 {plan['position']} 的事件（第 {events.index(plan) + 1} 行）被改动" in refused.stdout
    assert f"位置 {plan['position']} 的事件内容与其哈希不符" in refused.stdout
    assert "文件 events.jsonl 与签名时不同" in refused.stdout

    dropped_event = events[3]
    dropped = _rewritten(bundle, tmp_path / "dropped.zip", lambda name, data: b"\n".join(
        line for line in data.split(b"\n") if json.loads(line or b"{}").get("position") != dropped_event["position"]
    ) if name == "events.jsonl" else data)
    refused = _offline(dropped, key, work)
    assert refused.returncode == 1 and f"位置 {dropped_event['position']} 的事件被删去" in refused.stdout

    forged = {**events[-1], "position": events[-1]["position"] + 1000, "previous_hash": events[-1]["hash"]}
    forged["hash"] = chain_hash(bytes.fromhex(forged["previous_hash"]), forged["position"], forged["originator_id"],
                                forged["originator_version"], forged["topic"], forged["state"].encode(), forged["recorded_at"]).hex()
    added = _rewritten(bundle, tmp_path / "added.zip", lambda name, data: data + json.dumps(forged).encode() + b"\n"
                       if name == "events.jsonl" else data)
    refused = _offline(added, key, work)
    assert refused.returncode == 1
    assert f"位置 {forged['position']} 的事件（第 {len(events) + 1} 行）是添加的：签名时没有它" in refused.stdout

    resigned = _rewritten(bundle, tmp_path / "manifest.zip", lambda name, data: data.replace(b'"count":', b'"count": ')
                          if name == "manifest.json" else data)
    refused = _offline(resigned, key, work)
    assert refused.returncode == 1 and "manifest.json 的签名无效" in refused.stdout
    inside = cli("audit", "verify", str(changed), "--key", str(key))
    assert inside.exit_code == 1 and "被改动" in inside.stderr


def test_a_consistent_rewrite_is_caught_against_the_published_heads(
    system: System, clock: ManualClock, cli: Cli, tmp_path: Path
) -> None:
    tell(system, clock)
    assert cli("--as", "J001", "export", "board", "--out", str(tmp_path / "看板.xlsx")).exit_code == 0
    heads = tmp_path / "copied-away.jsonl"
    heads.write_bytes((system.settings.data_dir / "heads.jsonl").read_bytes())
    published = [json.loads(line) for line in heads.read_text().splitlines()]
    assert len(published) == 1 and published[0]["position"] == system.views.head()
    assert cli("verify", "--against", str(heads)).exit_code == 0

    engine = system.engine
    table, column = events_table(engine.dialect.name)
    with engine.begin() as conn:
        stored = conn.execute(text(f"SELECT {column} AS nid, originator_id, originator_version, topic, state FROM {table} "
                                   f"ORDER BY {column}")).all()
        ledger = {r.notification_id: r for r in conn.execute(text("SELECT notification_id, recorded_at, hash FROM event_ledger"))}
        target = next(r.nid for r in stored if "逐项对照手册".encode() in bytes(r.state))
        previous = bytes(ledger[target - 1].hash)
        for row in stored:
            if row.nid < target:
                continue
            state = bytes(row.state).replace("逐项对照手册".encode(), "早已完成".encode())
            moment = ledger[row.nid].recorded_at
            moment = moment if isinstance(moment, str) else recorded_at_text(moment)
            previous = chain_hash(previous, row.nid, str(row.originator_id), row.originator_version, row.topic, state, moment)
            conn.execute(text(f"UPDATE {table} SET state = :s WHERE {column} = :n"), {"s": state, "n": row.nid})
            conn.execute(text("UPDATE event_ledger SET hash = :h WHERE notification_id = :n"), {"h": previous, "n": row.nid})
    plain = cli("verify")
    assert plain.exit_code == 0, "a consistent rewrite passes the chain walk alone"
    caught = cli("verify", "--against", str(heads))
    assert caught.exit_code == 1
    assert f"第 {published[0]['position']} 号事件的链头与 {published[0]['signed_at']} 发布的不符" in caught.stderr
    tampered_head = tmp_path / "edited.jsonl"
    tampered_head.write_text(json.dumps({**published[0], "hash": "00" * 32}) + "\n")
    assert "签名无效" in cli("verify", "--against", str(tampered_head)).stderr
