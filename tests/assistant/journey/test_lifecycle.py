"""`deactivate` / `activate` headless: preview first, `--yes` to apply, exit codes as documented
(docs/support.md).

Against a sandbox started in-process; Entra's side is played by a SCIM client speaking its
dialect (tests/support/scim.py), so the staged data arrives the way a cycle sends it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest

from assistant.cli.main import EXIT_BLOCKED, EXIT_OK, EXIT_USAGE, main
from sandbox.seed import SIEGE
from sandbox.server import SandboxServer
from tests.support.scim import ScimClient

INTEGRATION = "/integrations/azure-ad"


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch, admin_key: str) -> str:
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)
    return admin_key


@pytest.fixture
def admin(sandbox: SandboxServer, keyed: str) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=sandbox.admin_url, headers={"Authorization": f"Bearer {keyed}"}, timeout=10
    ) as client:
        yield client


def _active_with_two_people(sandbox: SandboxServer, admin: httpx.Client) -> tuple[ScimClient, str]:
    """Entra sent an existing employee and a newcomer, mapped to Siège, and the sync is active."""
    admin.post(INTEGRATION).raise_for_status()
    secret = admin.post(f"{INTEGRATION}/tokens").json()["secret"]
    scim = ScimClient(sandbox.scim_url, secret)
    chloe = scim.create_user("cmoreau@contoso.example", "chloe.moreau@steeple-demo.fr")
    zoe = scim.create_user("zoe@contoso.example", "zoe.faure@steeple-demo.fr")
    group = scim.create_group("Siège - Tous", [chloe, zoe])
    admin.put(
        f"{INTEGRATION}/groups/{group}/mapping", json={"community_id": SIEGE.id, "role": "user"}
    ).raise_for_status()
    admin.post(f"{INTEGRATION}/activate").raise_for_status()
    return scim, zoe


def _sso_accounts(admin: httpx.Client) -> set[str]:
    users = admin.get("/users", params={"limit": 1000}).json()["items"]
    return {u["email"] for u in users if u["auth_method"] == "sso" and u["status"] == "active"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_deactivate_needs_yes_then_switches_the_announced_people(
    sandbox: SandboxServer, admin: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    _active_with_two_people(sandbox, admin)
    url = sandbox.base_url
    code, out = run(capsys, "--url", url, "deactivate", "--json")
    data = json.loads(out)
    assert code == EXIT_USAGE and data["applied"] is False
    assert data["preview"]["users_switched_to_password"] == 2
    assert admin.get(INTEGRATION).json()["sync_active"] is True  # nothing changed

    code, out = run(capsys, "--url", url, "--lang", "en", "deactivate", "--dry-run")
    assert code == EXIT_OK
    assert "Back to e-mail + password" in out and ": 2" in out
    assert "Provisioning Status is Off" in out and "Never delete the enterprise app" in out

    code, out = run(capsys, "--url", url, "deactivate", "--yes", "--json")
    data = json.loads(out)
    assert code == EXIT_OK and data["applied"] is True
    assert data["result"]["users_switched_to_password"] == 2
    assert data["result"]["integration"]["sync_active"] is False
    assert _sso_accounts(admin) == set()

    code, out = run(capsys, "--url", url, "--lang", "en", "deactivate", "--yes")
    assert code == EXIT_OK and "nothing to deactivate" in out


def test_reactivation_shows_the_dry_run_with_who_entra_removed_meanwhile(
    sandbox: SandboxServer, admin: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    scim, zoe = _active_with_two_people(sandbox, admin)
    url = sandbox.base_url
    assert run(capsys, "--url", url, "deactivate", "--yes")[0] == EXIT_OK
    scim.set_active(zoe, False)  # disabled in Entra while the sync is off: received, not applied

    code, out = run(capsys, "--url", url, "--lang", "fr", "activate")
    assert code == EXIT_USAGE
    assert "Retirés (désattribués ou désactivés) : 1" in out
    assert "Rien n'a changé : ajoutez --yes" in out

    code, out = run(capsys, "--url", url, "activate", "--dry-run", "--json")
    preview = json.loads(out)["preview"]
    assert code == EXIT_OK and preview["removed"] == 1 and preview["linked_by_email"] == 1

    code, out = run(capsys, "--url", url, "activate", "--yes", "--json")
    result = json.loads(out)["result"]
    assert code == EXIT_OK
    assert (result["removed"], result["linked_by_email"]) == (1, 1)
    assert _sso_accounts(admin) == {"chloe.moreau@steeple-demo.fr"}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_dry_run_says_per_person_what_they_keep_and_who_stays_admin(
    lang: str, sandbox: SandboxServer, admin: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 23: Camille, made an administrator by hand and in no mapped group, is told she
    keeps her rights — not listed as "no access" — and is named among the admins kept."""
    admin.post(INTEGRATION).raise_for_status()
    secret = admin.post(f"{INTEGRATION}/tokens").json()["secret"]
    scim = ScimClient(sandbox.scim_url, secret)
    chloe = scim.create_user("cmoreau@contoso.example", "chloe.moreau@steeple-demo.fr")
    scim.create_user("cmartin@contoso.example", "camille.martin@steeple-demo.fr")
    group = scim.create_group("Siège - Tous", [chloe])
    admin.put(
        f"{INTEGRATION}/groups/{group}/mapping", json={"community_id": SIEGE.id, "role": "user"}
    ).raise_for_status()

    code, out = run(capsys, "--url", sandbox.base_url, "--lang", lang, "activate", "--dry-run")
    assert code == EXIT_OK
    words = {
        "en": (
            "Administrators who keep their admin rights",
            "camille.martin@steeple-demo.fr: Siège (by hand), Direction (by hand)",
            "camille.martin@steeple-demo.fr (existing account): keeps Siège (admin), Direction "
            "(admin), granted by hand; Entra's groups change nothing",
            "chloe.moreau@steeple-demo.fr (existing account): keeps Usine de Lyon (member), "
            "granted by hand; Entra's groups add Siège (member)",
            "In no mapped group, so no access: 0",
        ),
        "fr": (
            "Administrateurs qui gardent leurs droits d'administration",
            "camille.martin@steeple-demo.fr : Siège (à la main), Direction (à la main)",
            "camille.martin@steeple-demo.fr (compte existant) : garde Siège (admin), Direction "
            "(admin), accordés à la main ; les groupes d'Entra ne changent rien",
            "chloe.moreau@steeple-demo.fr (compte existant) : garde Usine de Lyon (membre), "
            "accordés à la main ; les groupes d'Entra ajoutent Siège (membre)",
            "Dans aucun groupe associé, donc sans accès : 0",
        ),
    }[lang]
    for line in words:
        assert line in out, line


def test_not_installed_is_a_blocking_step(
    start_sandbox: Callable[..., SandboxServer], keyed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server = start_sandbox()
    for action in ("deactivate", "activate"):
        code, out = run(capsys, "--url", server.base_url, action, "--yes", "--json")
        assert code == EXIT_BLOCKED
        assert "not installed" in json.loads(out)["error"]["message"]
