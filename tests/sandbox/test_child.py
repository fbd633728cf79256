"""The `--sandbox` child answers its admin API first, then composes the simulated Microsoft side.

`python -m sandbox.child` says where its admin API listens as soon as it serves, builds the
tenant, its job and the Graph and login emulators while that API already answers, and says where
the emulators listen on a second line. These tests hold the parts of that promise that are not a
timing: the admin API answers before the Microsoft side exists, the Microsoft side still learns
what the admin API saved meanwhile, and the path to the first answer does not load it.
"""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer

ROOT = Path(__file__).resolve().parents[2]
ADMIN_KEY = "adm_child_test_key_0123456789"
AUTH = {"Authorization": f"Bearer {ADMIN_KEY}"}

pytestmark = pytest.mark.slow  # subprocesses


def _later_server(tmp_path: Path, **overrides: Any) -> SandboxServer:
    """A sandbox with Entra and Graph asked for, composed only when `compose_entra` is called."""
    options: dict[str, Any] = {
        "admin_key": ADMIN_KEY,
        "db_path": tmp_path / "steeple.db",
        "seed": "empty",
        "sso": False,
        "with_entra": True,
        "with_graph": True,
    }
    return SandboxServer(SandboxConfig(**{**options, **overrides}), entra_later=True).start()


def test_sso_saved_before_the_microsoft_side_is_composed_reaches_its_emulator(
    tmp_path: Path,
) -> None:
    server = _later_server(tmp_path)
    try:
        assert server.graph is None  # nothing of the Microsoft side yet...
        admin = server.admin_url
        assert httpx.get(admin + "/sso", headers=AUTH).json()["configured"] is False  # ...served
        saml = httpx.put(admin + "/sso", headers=AUTH, json={}).json()
        server.compose_entra()
        graph = server.graph
        assert graph is not None and Path(graph.ca_pem_path).exists()
        assert server.app.state.entra_host is graph.emulator.host
        names = [sp.service_principal_names for sp in graph.emulator.service_principals.values()]
        assert names == [[saml["saml_entity_id"]]]  # read when composed
        oidc = httpx.put(admin + "/sso", headers=AUTH, json={"protocol": "oidc"}).json()
        replies = [sp.reply_urls for sp in graph.emulator.service_principals.values()]
        assert [oidc["reply_url"]] in replies  # and told of each change after
    finally:
        server.stop()
    assert not Path(graph.ca_pem_path).exists()  # its shutdown ran, though added while serving


FIRST_ANSWER_IMPORTS = """
import json, sys, tempfile
from pathlib import Path
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer

config = SandboxConfig(admin_key="adm_" + "k" * 24, db_path=Path(tempfile.mkdtemp()) / "s.db",
                       with_entra=True, with_graph=True)
server = SandboxServer(config, entra_later=True).start()
heavy = ("h11", "httpx", "trustme", "cryptography", "sandbox.entra.job", "sandbox.graph.mount")
before = [name for name in heavy if name in sys.modules]
server.compose_entra()
after = [name for name in heavy if name in sys.modules]
server.stop()
print(json.dumps({"before": before, "after": after}))
"""


def test_the_first_answer_waits_for_nothing_of_the_microsoft_side() -> None:
    """Serving the admin API loads neither the emulators (trustme, cryptography), nor the
    tenant's SCIM client (httpx), nor h11: the child builds them after its first line."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_ANSWER_IMPORTS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded = json.loads(done.stdout.splitlines()[-1])
    assert loaded["before"] == []
    assert set(loaded["after"]) >= {"httpx", "trustme", "sandbox.entra.job", "sandbox.graph.mount"}


def _spawn_child(**overrides: Any) -> subprocess.Popen[bytes]:
    fields = {
        "admin_key": ADMIN_KEY,
        "db_path": None,
        "seed": "demo",
        "with_entra": True,
        "with_graph": True,
        **overrides,
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "sandbox.child"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdin is not None
    child.stdin.write(json.dumps(fields).encode() + b"\n")
    child.stdin.flush()
    return child


def _line(child: subprocess.Popen[bytes]) -> dict[str, Any]:
    assert child.stdout is not None
    answer: dict[str, Any] = json.loads(child.stdout.readline())
    return answer


def _stop(child: subprocess.Popen[bytes]) -> int:
    assert child.stdin is not None and child.stdout is not None
    child.stdin.close()
    code = child.wait(timeout=30)
    child.stdout.close()
    return code


def test_the_child_says_where_its_admin_api_is_then_where_its_emulators_are() -> None:
    child = _spawn_child()
    try:
        first = _line(child)
        assert set(first) == {"base_url", "db_path"}
        sso = httpx.get(first["base_url"] + "/api/admin/v1/sso", headers=AUTH)
        assert sso.status_code == 200  # answered whether or not the emulators serve yet
        graph = _line(child)["graph"]
        trust = ssl.create_default_context(cafile=graph["ca_pem_path"])
        discovery = httpx.get(
            graph["authority"] + "/v2.0/.well-known/openid-configuration", verify=trust
        )
        assert discovery.status_code == 200
        assert discovery.json()["issuer"].startswith("https://")
    finally:
        assert _stop(child) == 0
    assert not Path(first["db_path"]).parent.exists()
    assert not Path(graph["ca_pem_path"]).exists()


def test_a_child_whose_emulators_cannot_start_still_serves_its_admin_api() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        child = _spawn_child(graph_port=taken.getsockname()[1])
        try:
            first = _line(child)
            second = _line(child)
            assert second["graph"] is None and "Address already in use" in second["error"]
            sso = httpx.get(first["base_url"] + "/api/admin/v1/sso", headers=AUTH)
            assert sso.status_code == 200
        finally:
            assert _stop(child) == 0
