"""``dutyloop audit``: the evidence bundle for a 纪委 (export, verify) and the installation's
public key, which whoever checks a bundle or a heads file needs from a channel other than the
bundle itself. See docs/audit.md."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from dutyloop.audit import bundle
from dutyloop.audit.chainproof import fingerprint, verify_bundle
from dutyloop.audit.signing import heads_path, key_path, public_pem, signing_key
from dutyloop.cli.base import CliState, command, done, main, parse_date
from dutyloop.reports.headings import exporter
from projections import lookup
from projections.sentences import Names


@main.group("audit")
def audit_group() -> None:
    """Audit bundles verifiable without the system, and the key that signs them."""


@command(audit_group, "export")
@click.option("--org", help="Only this organisation's events and chains (default: all).")
@click.option("--from", "since", help="First business day (YYYY-MM-DD).")
@click.option("--to", "until", help="Last business day (YYYY-MM-DD).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path))
def audit_export(state: CliState, org: str | None, since: str | None, until: str | None, out: Path) -> None:
    """Write the scope's events, their hash-chain links, the reports and a signed manifest to a zip.

    \b
    dutyloop --as J001 audit export --org 变电运维室党支部 --from 2025-04-01 --to 2025-04-30 --out 审计包.zip
    """
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        org_id = lookup.resolve_org(conn, org) if org else None
        scope = bundle.Scope(org_id, Names(conn).org(org_id) if org_id else "",
                             parse_date(since, "from") if since else None, parse_date(until, "to") if until else None)
    day = scope.until or system.clock.now().astimezone(system.clock.tz).date()
    with tempfile.TemporaryDirectory(prefix="dutyloop-audit-") as work:
        written = bundle.export(system, scope, out, state.locale, exporter(system, state.settings.user, state.locale), day,
                                Path(work))
    done(state, "已写出审计包 {path}：{events} 条事件、{count} 个报表文件（{pdf}），链头第 {head} 号事件，已签名",
         "Wrote the audit bundle {path}: {events} events, {count} report files ({pdf}); chain head at event {head}, signed",
         path=str(out), events=written.events, count=len(written.reports), pdf=written.pdf, head=written.head,
         reports=written.reports)


@command(audit_group, "verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The installation's public key (PEM), obtained separately.")
def audit_verify(state: CliState, path: Path, key_file: Path | None) -> None:
    """Check a bundle's signature, every event's hash and the links; needs no database."""
    report = verify_bundle(path.read_bytes(), key_file.read_bytes() if key_file else None)
    for note in report.notes:
        click.echo(note)
    if report.intact:
        done(state, "审计包完整：{events} 条事件，签名、哈希与链接均核对无误",
             "The bundle is intact: {events} events; signature, hashes and links all check", events=report.events, intact=True)
        return
    for problem in report.problems:
        click.echo(problem, err=True)
    click.echo(state.zh("审计包不完整", "The bundle is not intact"), err=True)
    sys.exit(1)


@command(audit_group, "key")
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Write the public key (PEM) here.")
def audit_key(state: CliState, out: Path | None) -> None:
    """Print (or write) the installation's public key and its fingerprint; made on first use."""
    data_dir = state.settings.data_dir
    key = signing_key(data_dir)
    pem = public_pem(key)
    if out:
        out.write_bytes(pem)
    elif not state.as_json:
        click.echo(pem.decode().strip())
    done(state, "公钥指纹 {fingerprint}（私钥 {private}，链头记录 {heads}）",
         "Public key fingerprint {fingerprint} (private key {private}, heads file {heads})",
         fingerprint=fingerprint(key.public_key()), private=str(key_path(data_dir)), heads=str(heads_path(data_dir)),
         public_key=pem.decode())
