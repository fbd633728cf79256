"""MSAL's real device-code flow, over TLS, against the login emulator; refusals decoded; the
session kept in a store (the in-memory keyring stands for the OS's), in a 0600 file when asked,
or nowhere — and then said.

The code is typed on the emulator's `/devicelogin` page, as a person's browser posts it; the
browser flow through a real Chromium is in test_signin_browser.py.
"""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from assistant.entra.session_store import FORMAT
from assistant.entra.signin import EntraSettings, EntraSignIn, SignInError
from sandbox.graph.mount import GraphEndpoints
from tests.support.memory_keyring import MemoryKeyring
from tests.support.signin import enter_code, sign_in


def _type_later(graph: GraphEndpoints, user_code: str, delay: float) -> threading.Timer:
    timer = threading.Timer(delay, enter_code, args=(graph, user_code))
    timer.start()
    return timer


def test_device_code_sign_in_end_to_end(
    graph: GraphEndpoints,
    entra_settings: EntraSettings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    signin = EntraSignIn(entra_settings)
    prompt, flow = signin.start()
    assert prompt.user_code in prompt.message and prompt.verification_uri in prompt.message
    assert prompt.verification_uri == graph.base_url + "/devicelogin"
    _type_later(graph, prompt.user_code, 1.2)  # typed a moment after it is shown
    username = signin.finish(flow)  # MSAL polls: authorization_pending, then the tokens
    assert username == graph.emulator.signed_in_user.user_principal_name  # type: ignore[union-attr]
    token = signin.token()
    assert token is not None and graph.emulator.token(token) is not None
    # The granted scopes are the delegated permissions asked for, nothing broader.
    assert graph.emulator.token(token).scopes == frozenset(  # type: ignore[union-attr]
        p.rsplit("/", 1)[1] for p in entra_settings.scopes
    )
    # The cache (with the refresh token) is in the keyring, and a new process finds it there.
    (entry,) = memory_keyring.store.values()
    refresh = next(iter(graph.emulator.refresh_tokens))
    assert refresh in entry
    assert EntraSignIn(entra_settings).username() == username
    assert not any(
        refresh in p.read_text(errors="ignore") for p in tmp_path.rglob("*") if p.is_file()
    )


def test_sign_out_forgets_the_session(
    signed_in: EntraSignIn, memory_keyring: MemoryKeyring
) -> None:
    (entry,) = memory_keyring.store.values()
    assert signed_in.settings.session_key in json.loads(entry)["sessions"]
    assert signed_in.sign_out() == 1
    assert memory_keyring.store == {}  # the last session: its entry goes, no token left behind
    assert signed_in.token() is None
    assert EntraSignIn(signed_in.settings).token() is None
    assert signed_in.sign_out() == 0


def test_a_code_nobody_types_expires_with_a_sentence_and_a_fix(
    graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    graph.emulator.login.device_code_lifetime = 3  # Entra gives 15 minutes
    signin = EntraSignIn(entra_settings, lang="fr")
    _, flow = signin.start()
    with pytest.raises(SignInError) as failed:
        signin.finish(flow)  # polls past its interval, never approved, then expired
    assert failed.value.code == "expired_token"
    assert "expiré" in failed.value.sentence and "15 minutes" in failed.value.fix
    assert graph.emulator.tokens == {}
    assert all(json.loads(v)["sessions"] == {} for v in memory_keyring.store.values())


def test_an_unknown_tenant_is_refused_with_a_fix(
    graph: GraphEndpoints, memory_keyring: MemoryKeyring
) -> None:
    settings = EntraSettings(
        authority=graph.base_url + "/not-our-tenant",
        graph_url=graph.graph_url,
        client_id="x",
        ca_bundle=graph.ca_pem_path,
    )
    with pytest.raises(SignInError) as failed:
        EntraSignIn(settings).start()
    assert "--entra-authority" in failed.value.fix


@pytest.mark.parametrize(
    ("policy", "value", "code", "english", "fix", "french"),
    [
        ("blocked_flows", {"device_code"}, "AADSTS53003", "Conditional", "browser", "navigateur"),
        ("require_compliant_device", True, "AADSTS53000", "compliant", "managed", "conforme"),
        ("admin_consent", False, "AADSTS65001", "permissions", "Grant admin", "Accorder"),
        ("public_client", False, "AADSTS7000218", "public client", "Allow public", "Autoriser"),
    ],
)
def test_a_locked_down_tenant_is_a_sentence_and_its_fix(
    policy: str,
    value: Any,
    code: str,
    english: str,
    fix: str,
    french: str,
    graph: GraphEndpoints,
    entra_settings: EntraSettings,
    memory_keyring: MemoryKeyring,
) -> None:
    """Conditional Access, consent and the app registration, as Entra refuses them."""
    setattr(graph.emulator.login.policy, policy, value)
    for lang in ("en", "fr"):
        with pytest.raises(SignInError) as failed:
            sign_in(EntraSignIn(entra_settings, lang=lang), graph)
        assert failed.value.code == code and code in failed.value.sentence
        said = failed.value.sentence + " " + failed.value.fix
        if lang == "en":
            assert english in failed.value.sentence and fix in failed.value.fix
        else:
            assert french in said and english not in failed.value.sentence
    assert graph.emulator.tokens == {}


class RogueProvider:
    """A sign-in service answering a device code whose page is `javascript:` (the emulator only
    gives https; this stands for a rogue one): MSAL's answer, as `initiate_device_flow` returns
    it."""

    def initiate_device_flow(self, scopes: list[str]) -> dict[str, Any]:
        return {
            "user_code": "ABC",
            "device_code": "x",
            "verification_uri": "javascript:alert(document.cookie)",
            "message": "Open javascript:alert(document.cookie)",
            "expires_at": 1e18,
        }


def test_a_page_that_is_not_https_is_never_shown(
    entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    signin = EntraSignIn(entra_settings)
    signin._app = RogueProvider()
    with pytest.raises(SignInError) as failed:
        signin.start()
    assert failed.value.code == "unsafe_uri" and "https" in failed.value.sentence


def test_a_non_persistent_sign_in_never_touches_the_keyring(
    graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    """The sandbox's throwaway session: in memory, even with a working keyring at hand."""
    memory_keyring.store[("steeple-assistant", "unrelated")] = "kept"
    signin = EntraSignIn(entra_settings, persistent=False)
    assert signin.place.kind == "memory" and not signin.place.lasts
    sign_in(signin, graph)
    assert signin.token() is not None
    assert memory_keyring.store == {("steeple-assistant", "unrelated"): "kept"}
    assert EntraSignIn(entra_settings).token() is None  # a persistent one finds nothing
    signin.sign_out()
    assert memory_keyring.store == {("steeple-assistant", "unrelated"): "kept"}


def test_without_a_secret_store_the_session_is_said_to_last_this_run_only(
    graph: GraphEndpoints,
    entra_settings: EntraSettings,
    memory_keyring: MemoryKeyring,
) -> None:
    """keyring's own fail backend stands for a machine without an OS keyring."""
    memory_keyring.unplug()
    signin = EntraSignIn(entra_settings)
    assert signin.place.kind == "unkept" and not signin.place.lasts
    assert "no secret store" in signin.place.describe("en")
    sign_in(signin, graph)
    assert signin.token() is not None  # this run keeps it in memory, and says so
    assert EntraSignIn(entra_settings).token() is None


def test_a_token_cache_file_is_0600_and_found_by_the_next_process(
    graph: GraphEndpoints,
    entra_settings: EntraSettings,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    memory_keyring.unplug()  # no secret store: the file is the way
    path = tmp_path / "sessions" / "entra.json"
    settings = EntraSettings(**{**entra_settings.__dict__, "token_cache": str(path)})
    signin = EntraSignIn(settings)
    assert signin.place.kind == "file" and signin.place.lasts
    assert str(path) in signin.place.describe("en")
    sign_in(signin, graph)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())
    assert stored["format"] == FORMAT and list(stored["sessions"]) == [settings.session_key]
    assert EntraSignIn(settings).token() is not None  # a new process finds it
    # Another client id is another session: none found under its key.
    other = EntraSettings(**{**settings.__dict__, "client_id": "another-client"})
    assert EntraSignIn(other).token() is None


def test_a_wider_token_cache_file_is_narrowed_and_a_foreign_one_left_alone(
    graph: GraphEndpoints, entra_settings: EntraSettings, tmp_path: Path
) -> None:
    wide = tmp_path / "wide.json"
    wide.write_text("")
    wide.chmod(0o644)
    settings = EntraSettings(**{**entra_settings.__dict__, "token_cache": str(wide)})
    sign_in(EntraSignIn(settings), graph)
    assert stat.S_IMODE(wide.stat().st_mode) == 0o600

    foreign = tmp_path / "msal_token_cache.json"  # another tool's cache, named by mistake
    foreign.write_text('{"AccessToken": {}, "RefreshToken": {"x": {"secret": "theirs"}}}')
    mistaken = EntraSettings(**{**entra_settings.__dict__, "token_cache": str(foreign)})
    with pytest.raises(SignInError) as refused:
        EntraSignIn(mistaken)
    assert refused.value.exit_code == 2 and "something other" in refused.value.sentence
    assert "theirs" in foreign.read_text()  # untouched
    with pytest.raises(SignInError) as folder:
        EntraSignIn(EntraSettings(**{**entra_settings.__dict__, "token_cache": str(tmp_path)}))
    assert "folder" in folder.value.sentence
