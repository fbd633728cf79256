"""`status`, `doctor`, `report` in-process (capsys) and once as a subprocess; no secret anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from assistant.cli.main import EXIT_BLOCKED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE, main
from assistant.steeple.client import SteepleClient
from sandbox.server import SandboxServer
from tests.support.servers import closed_port_url

ROOT = Path(__file__).resolve().parents[3]
STEP_KEYS = {"id", "number", "status", "title", "guidance", "blockers"}


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out)


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch, admin_key: str) -> str:
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)
    return admin_key


def test_status_json_shape(
    sandbox: SandboxServer, keyed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = run_json(capsys, "--url", sandbox.base_url, "--lang", "en", "status", "--json")
    assert code == EXIT_OK
    assert data["instance"] == sandbox.base_url
    assert data["current"] == "install" and data["complete"] is False and data["blocked"] is False
    steps = data["steps"]
    assert isinstance(steps, list) and len(steps) == 8
    assert all(set(step) == STEP_KEYS for step in steps)
    assert [s["status"] for s in steps][:2] == ["done", "current"]


def test_status_exit_4_when_a_step_blocks(
    start_sandbox: Callable[..., SandboxServer], keyed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server = start_sandbox(sso=False)
    code, data = run_json(capsys, "--url", server.base_url, "status", "--json")
    assert code == EXIT_BLOCKED
    assert data["current"] == "sso" and data["blocked"] is True
    code = main(["--url", server.base_url, "status"])
    text = capsys.readouterr().out
    assert code == EXIT_BLOCKED and "[!] 1." in text
    code, data = run_json(capsys, "--url", server.base_url, "doctor", "--json")
    assert code == EXIT_BLOCKED and data["ok"] is False
    assert {c["id"]: c["level"] for c in data["checks"]}["step.sso"] == "error"


def test_exit_3_bad_key_and_unreachable(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STEEPLE_API_KEY", "adm_PLANTED-bad-key-1234567")
    code, data = run_json(capsys, "--url", sandbox.base_url, "status", "--json")
    assert code == EXIT_UNREACHABLE
    assert data["error"]["kind"] == "unauthorized" and data["error"]["status"] == 401
    code, data = run_json(capsys, "--url", closed_port_url(), "doctor", "--json")
    assert code == EXIT_UNREACHABLE and data["error"]["kind"] == "unreachable"


def test_status_and_errors_in_french(
    sandbox: SandboxServer,
    admin_key: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--lang fr`: the plain-text frame, the step titles and a failure with its fix."""
    monkeypatch.setenv("STEEPLE_API_KEY", "adm_PLANTED-bad-key-1234567")
    assert main(["--url", sandbox.base_url, "--lang", "fr", "status"]) == EXIT_UNREACHABLE
    err = capsys.readouterr().err
    assert "Erreur : " in err and "n'a pas accepté la clé" in err and "Correction : " in err
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)
    assert main(["--url", sandbox.base_url, "--lang", "fr", "status"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"Instance Steeple : {sandbox.base_url}")
    assert "[>] 2. Installation" in out
    main(["--url", sandbox.base_url, "--lang", "fr", "doctor"])
    out = capsys.readouterr().out
    assert f"Connecté à {sandbox.base_url}" in out and "Suivant : Installation" in out
    main(["--url", sandbox.base_url, "--lang", "fr", "report"])
    out = capsys.readouterr().out
    assert out.startswith("# Diagnostic d'approvisionnement Steeple")
    assert "## Parcours" in out and "## Vérifications" in out


def test_exit_3_without_key_and_2_without_url(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = run_json(capsys, "--url", sandbox.base_url, "status", "--json")
    assert code == EXIT_UNREACHABLE and data["error"]["kind"] == "config"
    code, data = run_json(capsys, "status", "--json")
    assert code == EXIT_USAGE and "--url" in data["error"]["fix"]
    assert main(["status", "--no-such-flag"]) == EXIT_USAGE


async def test_doctor_json_shape(
    sandbox: SandboxServer, keyed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async with SteepleClient(sandbox.base_url, keyed) as steeple:
        await steeple.install_integration()
        await steeple.create_token()
    code, data = await _in_thread(capsys, "--url", sandbox.base_url, "doctor", "--json")
    assert code == EXIT_OK, [c for c in data["checks"] if c["level"] == "error"]
    assert data["ok"] is True
    checks = {c["id"]: c for c in data["checks"]}
    assert all(set(c) == {"id", "level", "message", "fix"} for c in data["checks"])
    assert checks["connection"]["level"] == "ok"
    assert checks["step.install"]["level"] == "ok"
    assert checks["step.entra"]["level"] == "info"
    assert checks["scim.tenant_url"]["level"] == "warning"  # loopback: Entra cannot reach it
    async with SteepleClient(sandbox.base_url, keyed) as steeple:
        assert (await steeple.get_provisioning()).requests_total == 0  # doctor only reads
    assert data["journey"]["current"] == "entra"


async def _in_thread(
    capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, dict[str, object]]:
    """`main` runs its own event loop; from an async test it must run off this loop's thread."""
    import asyncio

    code = await asyncio.to_thread(main, list(argv))
    return code, json.loads(capsys.readouterr().out)


async def test_report_never_contains_planted_secrets(
    sandbox: SandboxServer, keyed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with SteepleClient(sandbox.base_url, keyed) as steeple:
        await steeple.install_integration()
        token = await steeple.create_token()
        credentials = await steeple.get_credentials()
    async with httpx.AsyncClient() as http:  # plant the secrets where a careless report would look
        auth = {"Authorization": f"Bearer {token.secret}"}
        await http.get(
            f"{credentials.scim_base_url}/Users?filter=userName+eq+%22{keyed}%22", headers=auth
        )
        await http.get(f"{credentials.scim_base_url}/Users?token={token.secret}", headers=auth)
        await http.get(
            f"{credentials.scim_base_url}/Users", headers={"Authorization": f"Bearer {keyed}"}
        )
    output = tmp_path / "report.md"
    code, data = await _in_thread(
        capsys, "--url", sandbox.base_url, "report", "--output", str(output), "--json"
    )
    assert code == EXIT_OK
    markdown = output.read_text()
    assert markdown == data["markdown"]
    assert "# Steeple provisioning diagnostics" in markdown and "## Journey" in markdown
    assert f"…{token.hint}" in markdown or "[redacted]" in markdown
    for secret in (keyed, token.secret):
        assert secret not in markdown
        assert secret not in json.dumps(data)


def test_config_dir_never_holds_a_secret(
    sandbox: SandboxServer, keyed: str, isolated_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["status"], ["doctor", "--json"], ["report"]):
        main(["--url", sandbox.base_url, "--profile", "acme", *argv])
    capsys.readouterr()
    files = [p for p in isolated_config.rglob("*") if p.is_file()]
    assert files, "status should remember the profile"
    for path in files:
        assert keyed.encode() not in path.read_bytes()
    text = (isolated_config / "settings.toml").read_text()
    assert sandbox.base_url in text and "last_step" in text


@pytest.mark.slow  # a subprocess
def test_status_subprocess_with_sandbox_flag(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "STEEPLE_API_KEY"}
    env["STEEPLE_ASSISTANT_CONFIG_DIR"] = str(tmp_path / "cfg")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "--sandbox",
            "--lang",
            "fr",
            "status",
            "--json",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == EXIT_OK, result.stderr
    data = json.loads(result.stdout)
    assert data["current"] == "install" and data["lang"] == "fr"
    assert data["steps"][0]["title"] == "Vérifier le SSO"
    assert "adm_" not in result.stdout + result.stderr


@pytest.mark.slow  # a subprocess
def test_core_imports_leave_textual_out() -> None:
    code = (
        "import sys, assistant.steeple.client, assistant.journey.steps, assistant.cli.main, "
        "assistant.cli.headless, assistant.settings, assistant.support.report, "
        "assistant.support.doctor; "
        "sys.exit(1 if 'textual' in sys.modules else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr


async def test_doctor_reports_linter_findings_and_blocks_on_errors(
    sandbox: SandboxServer, keyed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.probe import probe_scim
    from tests.support.scim import scim_create_group, scim_create_user

    async with SteepleClient(sandbox.base_url, keyed) as steeple:
        await steeple.install_integration()
        token = await steeple.create_token()
        credentials = await steeple.get_credentials()
        assert (await probe_scim(credentials.tenant_url, token.secret)).ok
        scim = credentials.scim_base_url
        jean = await scim_create_user(
            scim, token.secret, "jean@contoso.onmicrosoft.com", "jean@steeple-demo.fr"
        )
        nomail = await scim_create_user(scim, token.secret, "nomail@steeple-demo.fr", None)
        await scim_create_group(scim, token.secret, "Steeple - Siège - Users", [jean, nomail])
    code, data = await _in_thread(capsys, "--url", sandbox.base_url, "doctor", "--json")
    levels = {c["id"]: c["level"] for c in data["checks"]}
    assert levels["lint.no_email"] == "error"
    assert levels["lint.upn_onmicrosoft"] == "warning"
    assert levels["lint.unmapped_group"] == "info"
    assert levels["cycle.next"] == "info"
    assert code == EXIT_BLOCKED and data["ok"] is False
    assert data["journey"]["current"] == "roles"


def test_version_is_the_installed_distributions(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    assert main(["--version"]) == EXIT_OK
    assert capsys.readouterr().out == f"steeple-assistant {version('steeple-assistant')}\n"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_key_no_header_can_carry_is_a_sentence_not_a_traceback(
    lang: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The docs once wrote `STEEPLE_API_KEY=… uv run …`: the typographic "…" pasted as a key made
    httpx raise UnicodeEncodeError. It is refused in words, before anything is sent: the URL is
    a closed port, so an attempt would have said "unreachable"."""
    from assistant.i18n.translate import t

    nowhere = closed_port_url()
    for key in ("…", "adm_clé-1234", "adm_key\x1b[2J"):
        monkeypatch.setenv("STEEPLE_API_KEY", key)
        code, data = run_json(capsys, "--lang", lang, "--url", nowhere, "status", "--json")
        error = data["error"]
        assert isinstance(error, dict), data
        assert code == EXIT_UNREACHABLE and error["kind"] == "unauthorized"
        assert error["message"] == t("error.key_unusable", lang)
        assert main(["--lang", lang, "--url", nowhere, "status"]) == EXIT_UNREACHABLE
        err = capsys.readouterr().err
        assert "Traceback" not in err and t("error.key_unusable.fix", lang) in err
        assert "\x1b" not in err
