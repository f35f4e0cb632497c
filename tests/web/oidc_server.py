"""A real OpenID provider for the company sign-in tests: the npm package oidc-provider
(installed into tests/web/node_modules with the other npm test tools) run by node on a free
loopback port from ``oidc_provider.mjs``.

Without node or the package the tests skip, unless DUTYLOOP_REQUIRE_BROWSER=1 (CI) says they
must run (``browser_support.required_or_skip``).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from browser_support import required_or_skip
from loopback import running

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "oidc_provider.mjs"
PACKAGE = HERE / "node_modules" / "oidc-provider"
CLIENT_ID = "dutyloop"
CLIENT_SECRET = "dutyloop-test-client-secret"


@contextmanager
def oidc_provider(port: int, redirect_uris: list[str], accounts: dict[str, dict[str, Any]], log: Path) -> Iterator[str]:
    """The running provider's issuer URL; stopped on the way out."""
    node = shutil.which("node")
    if node is None or not PACKAGE.exists():
        required_or_skip(f"the OIDC sign-in tests need node and the npm package oidc-provider at {PACKAGE} "
                         "(npm install --prefix tests/web)")
    env = {**os.environ, "OIDC_PORT": str(port), "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
           "OIDC_REDIRECT_URIS": json.dumps(redirect_uris), "OIDC_ACCOUNTS": json.dumps(accounts)}
    with running("oidc-provider", [str(node), str(SCRIPT)], port, log, env=env, cwd=HERE):
        yield f"http://127.0.0.1:{port}"
