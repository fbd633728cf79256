"""MSAL's real device-code flow, over TLS, against the login emulator; the cache in the keyring."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.entra.signin import EntraSettings, EntraSignIn, SignInError
from sandbox.graph.mount import GraphEndpoints
from tests.support.memory_keyring import MemoryKeyring


def test_device_code_sign_in_end_to_end(
    graph: GraphEndpoints,
    entra_settings: EntraSettings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    graph.emulator.approval_delay = 0.3  # the code is typed a moment after it is shown
    signin = EntraSignIn(entra_settings)
    prompt, flow = signin.start()
    assert prompt.user_code in prompt.message
    assert prompt.verification_uri.startswith(graph.base_url)
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
    assert memory_keyring.store
    assert signed_in.sign_out() == 1
    assert memory_keyring.store == {}
    assert signed_in.token() is None
    assert EntraSignIn(signed_in.settings).token() is None


def test_an_expired_code_is_a_sentence_and_a_fix(
    graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    graph.emulator.approval_delay = 3600.0  # nobody types the code
    signin = EntraSignIn(entra_settings)
    _, flow = signin.start()
    flow["expires_at"] = time.time()  # MSAL's documented way to stop polling early
    with pytest.raises(SignInError) as failed:
        signin.finish(flow)
    assert "not completed" in failed.value.sentence
    assert "entra signin" in failed.value.fix
    assert memory_keyring.store == {}


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


def test_without_a_keyring_the_session_lasts_this_run_only(
    graph: GraphEndpoints, entra_settings: EntraSettings, tmp_path: Path
) -> None:
    """keyring's own fail backend stands for a machine without an OS keyring."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        signin = EntraSignIn(entra_settings)
        _, flow = signin.start()
        signin.finish(flow)
        assert not signin.cache.persistent
        assert signin.token() is not None  # this run keeps it in memory
        assert EntraSignIn(entra_settings).token() is None  # the next one does not find it
    finally:
        keyring.set_keyring(previous)
    refresh = next(iter(graph.emulator.refresh_tokens))
    assert not any(
        refresh in p.read_text(errors="ignore") for p in tmp_path.rglob("*") if p.is_file()
    )


def test_a_non_persistent_sign_in_never_touches_the_keyring(
    graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    """The sandbox's throwaway session: in memory, even with a working keyring at hand."""
    memory_keyring.store[("steeple-assistant", "unrelated")] = "kept"
    signin = EntraSignIn(entra_settings, persistent=False)
    _, flow = signin.start()
    signin.finish(flow)
    assert signin.token() is not None
    assert memory_keyring.store == {("steeple-assistant", "unrelated"): "kept"}
    assert EntraSignIn(entra_settings).token() is None  # a persistent one finds nothing
    signin.sign_out()
    assert memory_keyring.store == {("steeple-assistant", "unrelated"): "kept"}
