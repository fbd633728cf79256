"""The served OpenAPI lists every endpoint; `sandbox serve` works as an operator runs it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.processes import read_banner
from tests.support.sandboxes import Instance
from tests.support.scim import INTEGRATION

CONSOLE_SCRIPT = Path(sys.executable).parent / "steeple-assistant"
"""The installed `steeple-assistant` entry point (what `uv run steeple-assistant` runs)."""

ENDPOINTS = {
    ("get", "/sso"): "SsoConfig",
    ("put", "/sso"): "SsoConfig",
    ("get", INTEGRATION): "IntegrationState",
    ("post", INTEGRATION): "InstallResult",
    ("delete", INTEGRATION): "RemovalResult",
    ("get", f"{INTEGRATION}/credentials"): "Credentials",
    ("post", f"{INTEGRATION}/tokens"): "CreatedToken",
    ("get", f"{INTEGRATION}/tokens"): "TokenList",
    ("delete", f"{INTEGRATION}/tokens/{{token_id}}"): None,
    ("get", f"{INTEGRATION}/provisioning"): "ProvisioningStatus",
    ("get", f"{INTEGRATION}/requests"): "RequestLogPage",
    ("get", f"{INTEGRATION}/groups"): "GroupPage",
    ("put", f"{INTEGRATION}/groups/{{group_id}}/mapping"): "ReceivedGroup",
    ("delete", f"{INTEGRATION}/groups/{{group_id}}/mapping"): None,
    ("get", f"{INTEGRATION}/scim-users"): "ReceivedUserPage",
    ("get", f"{INTEGRATION}/scim-users/{{scim_user_id}}"): "ReceivedUserDetail",
    ("get", "/communities"): "CommunityList",
    ("get", "/users"): "UserPage",
    ("get", f"{INTEGRATION}/activation-preview"): "ActivationPreview",
    ("post", f"{INTEGRATION}/activate"): "ActivationResult",
    ("get", f"{INTEGRATION}/deactivation-preview"): "DeactivationPreview",
    ("post", f"{INTEGRATION}/deactivate"): "DeactivationResult",
    ("get", f"{INTEGRATION}/removal-preview"): "RemovalPreview",
}


def test_openapi_lists_every_endpoint_with_its_model(demo: Instance) -> None:
    document = httpx.get(demo.server.admin_url + "/openapi.json").json()
    paths = document["paths"]
    for (method, path), model in ENDPOINTS.items():
        operation = paths["/api/admin/v1" + path][method]
        ok = next(code for code in operation["responses"] if code.startswith("2"))
        if model is None:
            assert ok == "204"
            continue
        schema = operation["responses"][ok]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("/" + model), (method, path)
        assert operation["responses"]["401"]["content"]["application/json"]["schema"][
            "$ref"
        ].endswith("/ApiError")
    listed = {(m, p) for p, ops in paths.items() for m in ops if p.startswith("/api/admin/v1")}
    assert listed == {(m, "/api/admin/v1" + p) for m, p in ENDPOINTS}
    assert "HTTPBearer" in document["components"]["securitySchemes"]


@pytest.mark.slow  # a `sandbox serve` subprocess
def test_sandbox_serve_prints_url_and_key_serves_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = dict(os.environ, STEEPLE_SANDBOX_ADMIN_KEY="adm_from-env-0123456789")
    process = subprocess.Popen(
        [
            str(CONSOLE_SCRIPT),
            "sandbox",
            "serve",
            "--port",
            "0",
            "--db",
            str(tmp_path / "served.db"),
            "--seed",
            "demo",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        text = read_banner(process)
        url = re.search(r"Admin API:\s+(\S+)", text)
        key = re.search(r"Admin key:\s+(\S+)", text)
        assert url and key, text
        assert key.group(1) == "adm_from-env-0123456789"
        response = httpx.get(
            url.group(1) + "/sso", headers={"Authorization": f"Bearer {key.group(1)}"}
        )
        assert response.status_code == 200
        assert response.json()["configured"] is True
        users = httpx.get(
            url.group(1) + "/users", headers={"Authorization": f"Bearer {key.group(1)}"}
        ).json()
        assert len(users["items"]) == 15
        # Issue 23: the suggested command runs through uv, with the key as the variable it came
        # from — which a shell expands to the very key printed above.
        command = next(
            line.strip() for line in text.splitlines() if "uv run steeple-assistant" in line
        )
        assignment, rest = command.split(" ", 1)
        assert assignment == 'STEEPLE_API_KEY="$STEEPLE_SANDBOX_ADMIN_KEY"'
        assert rest == f"uv run steeple-assistant --url {url.group(1).split('/api/')[0]}"
        expanded = subprocess.run(
            ["bash", "-c", f"{assignment} printenv STEEPLE_API_KEY"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert expanded.stdout.strip() == key.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Stopped." in out
    assert "Traceback" not in err
    assert (tmp_path / "served.db").exists()


@pytest.mark.slow  # a subprocess
def test_serve_refuses_a_busy_port_without_a_traceback(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "assistant.cli",
                "sandbox",
                "serve",
                "--port",
                str(port),
                "--db",
                ":memory:",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 3
    assert "Cannot listen" in result.stderr and "Traceback" not in result.stderr
