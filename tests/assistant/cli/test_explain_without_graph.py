"""`explain EMAIL` from the command line without Graph (not signed in), against a real sandbox:
foreign text stays data (text output inert, JSON exact), bad input is a usage error, and no
secret is printed. The Graph half is `tests/assistant/cli/test_explain.py`."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from assistant.cli.main import main
from sandbox.hostile import GROUP_NAMES, HOSTILE_DOMAIN
from sandbox.server import SandboxServer
from tests.support.memory_keyring import MemoryKeyring
from tests.support.prepare import prepare


@pytest.fixture(autouse=True)
def empty_keyring(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    """No Entra sign-in cached: an empty in-memory keyring (no OS keyring runs here)."""
    return memory_keyring


@pytest.fixture
def hostile(
    start_sandbox: Callable[..., SandboxServer],
    admin_key: str,
    monkeypatch: pytest.MonkeyPatch,
) -> SandboxServer:
    import asyncio

    server = start_sandbox(seed="hostile")
    asyncio.run(prepare(server.base_url, admin_key, "mapped", hostile=True))
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)
    # A client nobody signed in with: no session is found, whatever the machine's store holds.
    monkeypatch.setenv("STEEPLE_ENTRA_CLIENT_ID", "00000000-0000-0000-0000-00000000dead")
    return server


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_hostile_names_are_inert_in_text_and_exact_in_json(
    hostile: SandboxServer, admin_key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # (Names with escape sequences never reach Steeple: it refuses control characters in them,
    # issue 20. Markup, bidi overrides and zero-width characters still do.)
    address = f"ada@{HOSTILE_DOMAIN}"
    code, out, err = run(capsys, "--url", hostile.base_url, "explain", address)
    assert code == 4 and "Traceback" not in out + err  # sync not active yet
    for active in ("\x1b", "\x9b", "\x9d", "\x07", "\x7f", "\u202e"):
        assert active not in out, repr(active)
    assert "Payroll \\u202etxt.exe" in out  # a group name's bidi override, written out
    assert admin_key not in out + err

    code, out, _ = run(capsys, "--url", hostile.base_url, "explain", address, "--json")
    body = json.loads(out)
    assert code == 4 and body["first_broken"] == "steeple.sync" and body["graph"] is False
    groups = next(link for link in body["links"] if link["id"] == "steeple.groups")
    named = [name for name in GROUP_NAMES if name in groups["sentence"]]
    assert named, groups["sentence"]  # the exact names, escapes and all, read back by a parser
    assert "\x1b" not in out and "\x9b" not in out  # on the terminal: JSON's own escapes
    assert admin_key not in out


def test_bad_input_is_a_usage_error_and_an_unknown_instance_exit_3(
    hostile: SandboxServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "--url", hostile.base_url, "explain", "  ", "--json")
    assert code == 2 and json.loads(out)["error"]["kind"] == "config"
    code, _, err = run(capsys, "--url", hostile.base_url, "explain")
    assert code == 2 and "EMAIL" in err
    for where in (
        ("--graph-url", "http://g.example/v1.0", "explain"),
        ("explain", "--graph-url", "http://g.example/v1.0"),
    ):
        argv = ("--url", hostile.base_url, *where, "a@b.example", "--json")
        code, out, _ = run(capsys, *argv)
        assert code == 2 and "https://" in json.loads(out)["error"]["message"], where
    monkeypatch.setenv("STEEPLE_GRAPH_URL", "http://graph.example/v1.0")
    code, out, _ = run(capsys, "--url", hostile.base_url, "explain", "a@b.example", "--json")
    assert code == 2 and "https://" in json.loads(out)["error"]["message"]
    monkeypatch.setenv("STEEPLE_API_KEY", "adm_PLANTED-bad-key-1234567")
    monkeypatch.delenv("STEEPLE_GRAPH_URL")
    code, out, _ = run(capsys, "--url", hostile.base_url, "explain", "a@b.example", "--json")
    assert code == 3 and json.loads(out)["error"]["kind"] == "unauthorized"


def test_not_installed_is_the_first_broken_link(
    start_sandbox: Callable[..., SandboxServer],
    admin_key: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = start_sandbox()
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)
    code, out, _ = run(capsys, "--url", server.base_url, "--lang", "fr", "explain", "x@y.example")
    assert code == 4
    assert "L'intégration Azure AD n'est pas installée" in out and "étape 2" in out
    assert "Non vérifié sans connexion à Entra" in out
