"""A session that lasts across processes on a machine without a keyring, as an admin's shell
runs them: `sandbox serve --with-entra` in one process, then `entra signin --device-code
--token-cache FILE`, `entra setup --yes`, `entra status`, `rotate-token --via-graph --yes` and
`explain`, each in its own process. keyring's fail backend stands for the missing keyring; the
device code is read from signin's output and typed on the emulator's `/devicelogin` page.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.entra.session_store import native_persistence
from tests.support.processes import PROCESS_ADMIN_KEY, ServeProcess, read_banner, start_serve
from tests.support.sandboxes import install
from tests.support.signin import CLI, device_code_sign_in

pytestmark = pytest.mark.slow  # a `sandbox serve` and one process per command


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[tuple[ServeProcess, dict[str, str]]]:
    if native_persistence(tmp_path / "probe.signal") is not None:
        pytest.skip("this machine has an OS secret store; these tests stand for one without")
    served = start_serve(tmp_path / "sandbox.db", PROCESS_ADMIN_KEY, "--with-entra")
    try:
        banner = "".join(served.output) + read_banner(served.process)
        found = {
            name: re.search(rf"export {name}=(\S+)", banner)
            for name in ("STEEPLE_ENTRA_AUTHORITY", "STEEPLE_GRAPH_URL", "STEEPLE_ENTRA_CA_BUNDLE")
        }
        assert all(found.values()), banner
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("STEEPLE_", "TEXTUAL")) and k not in ("DISPLAY", "BROWSER")
        }
        env.update({name: match.group(1) for name, match in found.items() if match})
        env.update(
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # no keyring on this machine
            STEEPLE_API_KEY=PROCESS_ADMIN_KEY,
            STEEPLE_ASSISTANT_CONFIG_DIR=str(tmp_path / "config"),
        )
        yield served, env
    finally:
        served.stop()


def run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        stdin=subprocess.DEVNULL,
    )


def test_without_a_keyring_signin_says_how_to_keep_the_session(
    serve: tuple[ServeProcess, dict[str, str]],
) -> None:
    _, env = serve
    done = run(env, "entra", "signin", "--device-code")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--token-cache" in done.stderr and "STEEPLE_ENTRA_TOKEN_CACHE" in done.stderr
    assert "enter the code" not in done.stdout  # nothing asked of the admin for nothing
    assert "Signed in" not in done.stdout + done.stderr


def test_signin_then_each_command_in_its_own_process(
    serve: tuple[ServeProcess, dict[str, str]], tmp_path: Path
) -> None:
    served, env = serve
    with httpx.Client(
        base_url=served.admin_url, headers={"Authorization": f"Bearer {PROCESS_ADMIN_KEY}"}
    ) as admin:
        install(admin)
    cache = tmp_path / "entra-session.json"
    signed = device_code_sign_in(env, "--token-cache", str(cache))
    assert signed.returncode == 0, signed.stdout + signed.stderr
    assert "Signed in as" in signed.stdout and f"the file {cache}" in signed.stdout
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    kept = {**env, "STEEPLE_ENTRA_TOKEN_CACHE": str(cache)}  # the other way to name it

    setup = run(
        env, "--url", served.base_url, "entra", "--token-cache", str(cache), "setup", "--yes"
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    status = run(kept, "entra", "status", "--json")
    body = json.loads(status.stdout)
    assert status.returncode in (0, 4) and body["job"] is not None, status.stdout
    assert body["app"]["display_name"] == "Steeple"
    rotated = run(
        env,
        "--url",
        served.base_url,
        "rotate-token",
        "--via-graph",
        "--yes",
        "--json",
        "--token-cache",
        str(cache),
        "--timeout",
        "120",
    )
    result = json.loads(rotated.stdout)
    assert rotated.returncode == 0 and result["outcome"] == "revoked", rotated.stdout
    explained = run(kept, "--url", served.base_url, "explain", "nobody@example.com", "--json")
    assert explained.returncode in (0, 4), explained.stdout + explained.stderr
    assert json.loads(explained.stdout)["graph"] is True  # Entra's side seen, not "?"
    for done in (signed, setup, status, rotated, explained):
        assert "Traceback" not in done.stdout + done.stderr
    signed_out = run(kept, "entra", "signout")
    assert signed_out.returncode == 0 and not cache.exists()  # no refresh token left behind
