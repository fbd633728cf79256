"""Profiles (instance URL, language, last step seen) as TOML; the admin key only in the keyring.

The TOML file is safe to send to support: it never holds a key. The key comes from
`STEEPLE_API_KEY` (scripts, CI) or the OS keyring; when the only keyring backend is the fail or
null one, `keyring_available()` says so and the UI asks for the key each time, saying why.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
import tomli_w

log = logging.getLogger(__name__)

APP_NAME = "steeple-assistant"
CONFIG_DIR_ENV = "STEEPLE_ASSISTANT_CONFIG_DIR"
API_KEY_ENV = "STEEPLE_API_KEY"
SETTINGS_FILE = "settings.toml"
KEYRING_SERVICE = "steeple-assistant"
DEFAULT_PROFILE = "default"


@dataclass
class Profile:
    """One Steeple instance the person works with."""

    name: str
    url: str = ""
    lang: str | None = None
    last_step: str | None = None


@dataclass
class Settings:
    profiles: dict[str, Profile] = field(default_factory=dict)
    default_profile: str = DEFAULT_PROFILE
    lang: str | None = None

    def profile(self, name: str | None = None) -> Profile:
        """The named (or default) profile, created empty when missing."""
        key = name or self.default_profile
        if key not in self.profiles:
            self.profiles[key] = Profile(name=key)
        return self.profiles[key]


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def load_settings() -> Settings:
    """Read the settings; a missing or unreadable file gives defaults rather than a crash."""
    path = settings_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        log.warning("ignoring unreadable settings file %s", path)
        return Settings()
    settings = Settings(
        default_profile=str(data.get("default_profile", DEFAULT_PROFILE)),
        lang=_opt_str(data.get("lang")),
    )
    for name, raw in (data.get("profiles") or {}).items():
        if isinstance(raw, dict):
            settings.profiles[name] = Profile(
                name=name,
                url=str(raw.get("url", "")),
                lang=_opt_str(raw.get("lang")),
                last_step=_opt_str(raw.get("last_step")),
            )
    return settings


def save_settings(settings: Settings) -> Path:
    """Write the settings atomically (temp file + rename) so a crash never truncates them."""
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, object] = {"default_profile": settings.default_profile}
    if settings.lang:
        data["lang"] = settings.lang
    profiles: dict[str, dict[str, str]] = {}
    for name, profile in settings.profiles.items():
        entry = {"url": profile.url}
        if profile.lang:
            entry["lang"] = profile.lang
        if profile.last_step:
            entry["last_step"] = profile.last_step
        profiles[name] = entry
    data["profiles"] = profiles
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    tmp.replace(path)
    return path


def _opt_str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


# --- the admin API key ---------------------------------------------------------------------------


def keyring_available() -> bool:
    """False when keyring would only fail or drop the key (fail/null backends, no backend)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:
        return False
    names = {type(backend).__module__, type(backend).__name__}
    if isinstance(backend, fail.Keyring) or any("null" in n.lower() for n in names):
        return False
    chained = getattr(backend, "backends", None)
    return not (chained is not None and not chained)


def keyring_unavailable_reason(lang: str = "en") -> str:
    """Why the key will be asked again next time, in the admin's language."""
    from assistant.i18n.translate import t

    return t("error.no_keyring", lang)


def _account(profile: Profile) -> str:
    return profile.url or profile.name


def get_api_key(profile: Profile) -> str | None:
    """The key from `STEEPLE_API_KEY`, else from the keyring; None when neither has one."""
    from_env = os.environ.get(API_KEY_ENV)
    if from_env:
        return from_env
    if not keyring_available():
        return None
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, _account(profile))
    except Exception:
        log.warning("could not read the admin API key from the keyring")
        return None


def store_api_key(profile: Profile, api_key: str) -> bool:
    """Remember the key in the keyring; False (and nothing written anywhere) when impossible."""
    if not keyring_available():
        return False
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, _account(profile), api_key)
    except Exception:
        log.warning("could not store the admin API key in the keyring")
        return False
    return True
