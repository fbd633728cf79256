"""The whole Entra side headless against a real `sandbox serve --with-entra` process (issue 19,
acceptance): `entra signin`, `--url … entra setup --yes`, `entra status`,
`rotate-token --via-graph --yes` and `explain`, each a command of its own.

The sandbox is a child process, as an admin runs it; `entra signin --device-code` runs in one
too (its code typed on the emulator's page, as the admin would), keeping the session in a
`--token-cache` file (no OS secret store runs here); the other commands run in the test's
process one after the other, finding the session through `STEEPLE_ENTRA_TOKEN_CACHE`. The
tenant has no Steeple app yet (`--no-sso`), so setup creates it and waits out its replication
(3 s), then everything else finds it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path

import httpx
import pytest

from assistant.cli.main import main
from tests.support.processes import start_serve
from tests.support.signin import device_code_sign_in
from tests.support.waiting import eventually

KEY = "adm_headless-journey-key-0123456789"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, err
    return code, out, err


@pytest.mark.slow  # a `sandbox serve` subprocess and a rotation that waits for Entra's cycle
def test_serve_signin_setup_status_rotate_explain(
    tmp_path: Path,
    memory_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    served = start_serve(
        tmp_path / "sandbox.sqlite3",
        KEY,
        "--with-entra",
        "--no-sso",
        "--entra-replication-delay",
        "3",
    )
    try:
        assert served.process.stdout is not None
        banner = "".join(served.output)
        while "Ctrl-C" not in banner:
            banner += served.process.stdout.readline()
        for name in ("STEEPLE_ENTRA_AUTHORITY", "STEEPLE_GRAPH_URL", "STEEPLE_ENTRA_CA_BUNDLE"):
            value = re.search(rf"export {name}=(\S+)", banner)
            assert value, banner
            monkeypatch.setenv(name, value.group(1).strip("'"))
        monkeypatch.setenv("STEEPLE_API_KEY", KEY)
        admin = httpx.Client(
            base_url=served.admin_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=10
        )
        assert admin.post("/integrations/azure-ad").status_code in (200, 201)

        cache = tmp_path / "entra-session.json"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
        env.update(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        env.pop("DISPLAY", None)
        env.pop("BROWSER", None)
        signed = device_code_sign_in(env, "--token-cache", str(cache))
        assert signed.returncode == 0, signed.stdout + signed.stderr
        monkeypatch.setenv("STEEPLE_ENTRA_TOKEN_CACHE", str(cache))
        code, out, err = run(capsys, "--url", served.base_url, "entra", "setup", "--yes", "--json")
        setup = json.loads(out)
        assert code == 0 and setup["result"]["started"] is True, out + err
        assert "Waiting for Entra to finish creating the app" in err

        code, out, _ = run(capsys, "entra", "status", "--json")
        status = json.loads(out)
        assert code == 0 and status["app"]["id"] == setup["result"]["app_id"], status
        assert status["job"]["credentials_saved"] is True

        asyncio.run(
            eventually(
                lambda: admin.get("/integrations/azure-ad/provisioning").json()["users_received"],
                lambda received: received > 0,
                "Entra's first cycle",
                seconds=120,
            )
        )

        code, out, err = run(
            capsys, "--url", served.base_url, "rotate-token", "--via-graph", "--yes", "--json"
        )
        assert code == 0, out + err

        email = admin.get("/integrations/azure-ad/scim-users", params={"limit": 1}).json()["items"][
            0
        ]["user_name"]
        code, out, _ = run(capsys, "--url", served.base_url, "explain", email, "--json")
        explained = json.loads(out)
        assert explained["graph"] is True and code in (0, 4), explained
        assert {link["id"] for link in explained["links"]} >= {"entra.exists", "entra.assigned"}
        admin.close()
    finally:
        served.stop()
