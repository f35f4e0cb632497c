"""What the tests that run a real server of another project (slapd, oidc-provider) share: a free
loopback port, and the server run until the tests are done, once it listens on it."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_SECONDS = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_listening(name: str, port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Back once ``port`` takes connections; a server that ends or stays deaf fails with its log."""
    deadline = time.monotonic() + START_SECONDS
    while process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not listen on port {port} within {START_SECONDS} s") from None
            time.sleep(0.05)
    raise RuntimeError(f"{name} ended at start: {log.read_text(errors='replace')}")


@contextmanager
def running(name: str, command: list[str], port: int, log: Path, env: dict[str, str] | None = None,
            cwd: Path | None = None) -> Iterator[None]:
    """The server started (its output to ``log``), listening, and stopped on the way out."""
    with log.open("wb") as written:
        process = subprocess.Popen(command, stdout=written, stderr=written, env=env, cwd=cwd)
    try:
        wait_listening(name, port, process, log)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)
