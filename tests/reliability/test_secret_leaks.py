"""One full journey with planted secrets (admin key, SCIM tokens), then a grep of everything it
produced: stdout/stderr, every log record at DEBUG, the DB file and its WAL, the config dir and
the report file. None may contain either secret."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import pytest

from assistant.cli.main import main
from assistant.journey.steps import load_journey
from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import GroupMapping
from sandbox.config import SandboxConfig
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import generate_tenant
from sandbox.server import SandboxServer

ADMIN_KEY = "adm_PLANTED-leak-admin-key-4d8e2a7c19"


async def journey(server: SandboxServer) -> list[str]:
    """Install → token → Entra Test Connection → assign → cycle → map → activate → rotate.

    Returns every SCIM secret the instance issued (all of them are then grepped for)."""
    async with SteepleClient(server.base_url, ADMIN_KEY, timeout=10.0) as steeple:
        await steeple.install_integration()
        token = await steeple.create_token()
        credentials = await steeple.get_credentials()
        tenant = generate_tenant(users=16, groups=4, seed=5)
        job = ProvisioningJob(
            tenant,
            tenant_url=credentials.tenant_url,
            token=token.secret,
            settings=JobSettings(seed=5, max_in_flight=2),
        )
        assert (await job.test_connection()).success
        job.assigned = list(tenant.groups)
        report = await job.run_cycle()
        assert report.failed == 0
        await load_journey(steeple)  # the journey reads Entra only through the Graph facade
        community = (await steeple.list_communities()).items[0]
        group = (await steeple.list_groups()).items[0]
        await steeple.set_mapping(group.id, GroupMapping(community_id=community.id, role="user"))
        await steeple.activation_preview()
        await steeple.activate()
        # Secrets presented where they do not belong must not be echoed or logged either.
        async with httpx.AsyncClient(base_url=credentials.scim_base_url) as http:
            await http.get("/Users", headers={"Authorization": f"Bearer {ADMIN_KEY}"})
            await http.get("/Users", headers={"Authorization": f"Bearer {token.secret}x"})
        async with httpx.AsyncClient(base_url=server.admin_url) as http:
            await http.get("/sso", headers={"Authorization": f"Bearer {token.secret}"})
            await http.get("/sso", headers={"Authorization": f"Bearer {ADMIN_KEY[:-1]}"})
        # Rotation: a second token, the first revoked; Entra keeps running on the new one.
        rotated = await steeple.create_token()
        await steeple.revoke_token(token.id)
        job.configure(credentials.tenant_url, rotated.secret)
        assert (await job.run_cycle()).failed == 0
        await load_journey(steeple)  # the journey reads Entra only through the Graph facade
        return [token.secret, rotated.secret]


def test_no_secret_in_any_output_log_or_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    config_dir = tmp_path / "config"
    monkeypatch.setenv("STEEPLE_ASSISTANT_CONFIG_DIR", str(config_dir))
    monkeypatch.setenv("STEEPLE_API_KEY", ADMIN_KEY)
    server = SandboxServer(SandboxConfig(admin_key=ADMIN_KEY, db_path=tmp_path / "steeple.db"))
    server.start()
    try:
        tokens = asyncio.run(journey(server))
        report_file = tmp_path / "report.md"
        assert main(["--url", server.base_url, "--profile", "acme", "status", "--json"]) in (0, 4)
        assert main(["--url", server.base_url, "--profile", "acme", "status"]) in (0, 4)
        assert main(["--url", server.base_url, "doctor", "--json"]) in (0, 4)
        assert main(["--url", server.base_url, "report", "--output", str(report_file)]) == 0
        assert main(["--url", server.base_url, "report", "--json"]) == 0
        live_files = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    finally:
        server.stop()
    stopped_files = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    captured = capsys.readouterr()

    secrets = [ADMIN_KEY, *tokens]
    names = {p.name for p in live_files}
    assert {"steeple.db", "report.md"} <= names and any(n.endswith("-wal") for n in names)
    assert any(p.is_relative_to(config_dir) for p in stopped_files)
    assert report_file.read_text().startswith("# Steeple provisioning diagnostics")
    assert caplog.records, "the journey should have logged something at DEBUG"
    log_text = "\n".join(
        f"{r.name} {r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records
    )
    texts = {"stdout": captured.out, "stderr": captured.err, "logs": log_text}
    for secret in secrets:
        for where, text in texts.items():
            assert secret not in text, f"secret found in {where}"
        for path, content in [*live_files.items(), *stopped_files.items()]:
            assert secret.encode() not in content, f"secret found in {path.name}"
    print(
        f"secret leaks: {len(secrets)} secrets, {len(caplog.records)} log records, "
        f"{len(set(live_files) | set(stopped_files))} files grepped"
    )
