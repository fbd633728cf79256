"""Settings, i18n, redaction, advice, linter and cycle clock: pure and fast."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant import settings as settings_mod
from assistant.i18n.translate import detect_language, t
from assistant.journey.advice import community_coverage, normalise, suggest_mappings
from assistant.journey.cycle_clock import (
    cycle_line,
    describe_window,
    next_cycle,
    next_incremental_cycle,
)
from assistant.journey.linter import Severity, lint
from assistant.settings import (
    Profile,
    Settings,
    get_api_key,
    keyring_available,
    load_settings,
    save_settings,
    store_api_key,
)
from assistant.steeple.contract import (
    Community,
    GroupMapping,
    ProvisioningStatus,
    ReceivedGroup,
    ReceivedUser,
    SsoConfig,
)
from assistant.text.redact import redact
from tests.support.memory_keyring import MemoryKeyring

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SIEGE = Community(id="c1", name="Siège", admin_count=0)
LYON = Community(id="c2", name="Usine de Lyon", admin_count=1)


def group(
    gid: str, name: str, mapping: GroupMapping | None = None, nested: int = 0
) -> ReceivedGroup:
    return ReceivedGroup(
        id=gid, display_name=name, member_count=3, nested_group_count=nested, mapping=mapping
    )


def user(name: str, email: str | None, active: bool = True) -> ReceivedUser:
    return ReceivedUser(id=name, user_name=name, email=email, active=active)


# --- settings -----------------------------------------------------------------------------------


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


def test_key_from_env_and_no_keyring_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    profile = Profile("acme", "https://acme.steeple.com")
    monkeypatch.setenv("STEEPLE_API_KEY", "adm_from-env-123456")
    assert get_api_key(profile) == "adm_from-env-123456"
    monkeypatch.delenv("STEEPLE_API_KEY")
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert keyring_available() is False
        assert store_api_key(profile, "adm_never-stored-123456") is False
        assert get_api_key(profile) is None
    finally:
        keyring.set_keyring(previous)
    assert "keyring" in settings_mod.keyring_unavailable_reason()


def test_keyring_round_trip_with_a_real_backend(memory_keyring: MemoryKeyring) -> None:
    """An in-memory backend stands for the OS keyring (it is keyring's API, not ours)."""
    profile = Profile("acme", "https://acme.steeple.com")
    assert keyring_available()
    assert store_api_key(profile, "adm_kept-in-keyring-42")
    assert get_api_key(profile) == "adm_kept-in-keyring-42"


# --- i18n and redaction -------------------------------------------------------------------------


def test_language_detection() -> None:
    assert detect_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert detect_language({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR"}) == "en"
    assert detect_language({}) == "en"
    assert t("no.such.key") == "no.such.key"


def test_redaction_masks_known_and_secret_looking_strings() -> None:
    text = "GET /Users?token=abc123 Authorization: Bearer eyJhbGciOi.x stp_AbC123xyz9 adm_k3y-0000"
    clean = redact(text + " my-own-secret", ["my-own-secret"])
    for secret in ("abc123", "eyJhbGciOi", "stp_AbC123xyz9", "adm_k3y-0000", "my-own-secret"):
        assert secret not in clean


# --- advice -------------------------------------------------------------------------------------


def test_suggestions_follow_group_names() -> None:
    groups = [
        group("g1", "Steeple - Usine de Lyon - Admins"),
        group("g2", "Steeple - usine de lyon - Users"),
        group("g3", "Steeple - Siege - Utilisateurs"),
        group("g4", "Marketing"),
        group("g5", "Steeple - Siège - Users", GroupMapping(community_id="c1", role="user")),
    ]
    suggestions = {s.group_id: s for s in suggest_mappings(groups, [SIEGE, LYON])}
    assert set(suggestions) == {"g1", "g2", "g3"}
    assert (suggestions["g1"].community_id, suggestions["g1"].role) == ("c2", "admin")
    assert (suggestions["g2"].community_id, suggestions["g2"].role) == ("c2", "user")
    assert suggestions["g3"].community_name == "Siège"
    assert normalise("Usine-de  LYON") == "usine de lyon"


def test_coverage_flags_missing_groups_and_admins() -> None:
    groups = [
        group("g1", "A", GroupMapping(community_id="c1", role="user")),
        group("g2", "B", GroupMapping(community_id="c2", role="user")),
    ]
    coverage = {c.community_id: c for c in community_coverage(groups, [SIEGE, LYON])}
    assert coverage["c1"].flags == ("no_admins_group", "no_admin")
    assert coverage["c2"].flags == ("no_admins_group",)  # Lyon has a manual admin
    assert coverage["c1"].users_groups == 1


# --- linter -------------------------------------------------------------------------------------


def test_linter_findings() -> None:
    users = [
        user("jean@contoso.onmicrosoft.com", "jean@steeple-demo.fr"),
        user("marie@steeple-demo.fr", None),
        user("paul@steeple-demo.fr", "paul@steeple-demo.fr"),
        user("gone@contoso.onmicrosoft.com", None, active=False),
    ]
    groups = [
        group("g1", "Nested", GroupMapping(community_id="c1", role="user"), nested=2),
        group("g2", "Unmapped"),
    ]
    upn_sso = SsoConfig(configured=True, identifier_claim="userPrincipalName")
    findings = {f.code: f for f in lint(users, groups, upn_sso)}
    assert set(findings) == {
        "upn_onmicrosoft",
        "no_email",
        "identifier_mismatch",
        "nested_group",
        "unmapped_group",
    }
    assert findings["upn_onmicrosoft"].count == 1  # the inactive user is not counted
    assert findings["no_email"].severity is Severity.ERROR
    assert findings["no_email"].examples == ("marie@steeple-demo.fr",)
    assert findings["identifier_mismatch"].severity is Severity.WARNING
    assert findings["unmapped_group"].examples == ("Unmapped",)
    email_sso = SsoConfig(configured=True, identifier_claim="email")
    relaxed = {f.code: f for f in lint(users, groups, email_sso)}
    assert relaxed["identifier_mismatch"].severity is Severity.INFO
    assert lint([user("a@b.fr", "a@b.fr")], [], email_sso) == []
    assert findings["upn_onmicrosoft"].message.startswith("1 user has a userName")
    french = {f.code: f for f in lint(users, groups, upn_sso, "fr")}
    assert french["no_email"].message.startswith("1 utilisateur n'a pas d'e-mail")
    assert french["no_email"].fix.startswith("Renseignez l'attribut mail")


# --- cycle clock --------------------------------------------------------------------------------


def test_next_incremental_cycle_window() -> None:
    """One observed start: Entra's documented 25–40 min, counted from that start."""
    window = next_incremental_cycle([T0], now=T0 + timedelta(minutes=5))
    assert window is not None
    assert window.earliest == T0 + timedelta(minutes=25)
    assert window.latest == T0 + timedelta(minutes=40)
    assert not window.overdue and not window.learned
    assert describe_window(window, T0 + timedelta(minutes=5)) == "in 20–35 min"
    assert describe_window(window, T0 + timedelta(minutes=5), "fr") == "dans 20 à 35 min"
    late = next_incremental_cycle([T0], now=T0 + timedelta(minutes=41))
    assert late is not None and late.overdue and not late.stopped
    assert describe_window(late, T0 + timedelta(minutes=41)) == "any minute now (overdue)"
    assert next_incremental_cycle([], now=T0) is None


def test_the_interval_is_learnt_from_observed_gaps_of_any_length() -> None:
    starts = [T0 - timedelta(minutes=75), T0 - timedelta(minutes=45), T0]
    window = next_incremental_cycle(starts, now=T0 + timedelta(minutes=5))
    assert window is not None and window.learned
    assert window.earliest == T0 + timedelta(minutes=30)
    assert window.latest == T0 + timedelta(minutes=45)


def test_past_twice_the_window_entra_seems_stopped_not_overdue() -> None:
    status = ProvisioningStatus(
        sync_active=False,
        users_received=1,
        users_active=1,
        groups_received=0,
        requests_total=3,
        errors_total=0,
        cycle_starts=[T0],
    )
    assert next_cycle(status, T0 + timedelta(minutes=80)).stopped is False  # type: ignore[union-attr]
    later = T0 + timedelta(minutes=81)
    window = next_cycle(status, later)
    assert window is not None and window.stopped
    line = cycle_line(status, later)
    assert "overdue" not in line and "stopped" in line
    assert "Provisioning Status" in line and "quarantine" in line and "Token" in line
    assert "arrêté" in cycle_line(status, later, lang="fr")


def test_a_stop_under_a_minute_is_said_in_seconds() -> None:
    """Issue 23: compressed (simulated) cycles stop within a minute: "no cycle for 0 min" said
    nothing; seconds under a minute, minutes above."""
    starts = [T0, T0 + timedelta(seconds=10), T0 + timedelta(seconds=20)]
    status = ProvisioningStatus(
        sync_active=False,
        users_received=1,
        users_active=1,
        groups_received=0,
        requests_total=3,
        errors_total=0,
        cycle_starts=starts,
    )
    line = cycle_line(status, starts[-1] + timedelta(seconds=45))
    assert "no cycle for 45 s" in line and "0 min" not in line
    long_status = status.model_copy(update={"cycle_starts": [T0]})
    assert "no cycle for 81 min" in cycle_line(long_status, T0 + timedelta(minutes=81))


def test_the_first_request_is_not_a_cycle_start() -> None:
    """Counting from the first request (a Test Connection, usually) made the estimate wrong."""
    status = ProvisioningStatus(
        sync_active=False,
        users_received=1,
        users_active=1,
        groups_received=0,
        requests_total=3,
        errors_total=0,
        first_request_at=T0,
    )
    assert next_cycle(status, now=T0) is None


def test_compressed_cycles_are_estimated_from_observed_gaps() -> None:
    starts = [T0, T0 + timedelta(seconds=20), T0 + timedelta(seconds=41)]
    window = next_incremental_cycle(starts, now=starts[-1] + timedelta(seconds=5))
    assert window is not None
    assert window.earliest == starts[-1] + timedelta(seconds=20)
    assert window.latest == starts[-1] + timedelta(seconds=21)
    assert describe_window(window, starts[-1] + timedelta(seconds=5)) == "in 15–16 s"


def test_a_lone_test_connection_is_not_a_cycle() -> None:
    status = ProvisioningStatus(
        sync_active=False,
        users_received=0,
        users_active=0,
        groups_received=0,
        requests_total=1,
        errors_total=0,
        first_request_at=T0,
        last_test_connection_at=T0,
    )
    assert next_cycle(status, now=T0) is None
