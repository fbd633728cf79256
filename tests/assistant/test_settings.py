"""Profiles as TOML without secrets, the admin key in the keyring or nowhere: pure and fast."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import settings as settings_mod
from assistant.settings import (
    Profile,
    Settings,
    get_api_key,
    keyring_available,
    load_settings,
    save_settings,
    store_api_key,
)
from tests.support.memory_keyring import MemoryKeyring


def test_settings_round_trip_without_secrets(isolated_config: Path) -> None:
    settings = Settings(lang="fr")
    settings.profile("acme").url = "https://acme.steeple.com"
    settings.profile("acme").last_step = "roles"
    path = save_settings(settings)
    assert path.parent == isolated_config
    loaded = load_settings()
    assert loaded.lang == "fr"
    assert loaded.profiles["acme"] == Profile("acme", "https://acme.steeple.com", None, "roles")


def test_unreadable_settings_give_defaults(isolated_config: Path) -> None:
    isolated_config.mkdir(parents=True)
    (isolated_config / "settings.toml").write_text("not = [valid")
    assert load_settings().profiles == {}


def test_key_from_env_and_no_keyring_fallback(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    profile = Profile("acme", "https://acme.steeple.com")
    monkeypatch.setenv("STEEPLE_API_KEY", "adm_from-env-123456")
    assert get_api_key(profile) == "adm_from-env-123456"
    monkeypatch.delenv("STEEPLE_API_KEY")
    memory_keyring.unplug()
    assert keyring_available() is False
    assert store_api_key(profile, "adm_never-stored-123456") is False
    assert get_api_key(profile) is None
    assert "keyring" in settings_mod.keyring_unavailable_reason()


def test_keyring_round_trip_with_a_real_backend(memory_keyring: MemoryKeyring) -> None:
    """An in-memory backend stands for the OS keyring (it is keyring's API, not ours)."""
    profile = Profile("acme", "https://acme.steeple.com")
    assert keyring_available()
    assert store_api_key(profile, "adm_kept-in-keyring-42")
    assert get_api_key(profile) == "adm_kept-in-keyring-42"
