"""The payload linter: what in Entra's data will surprise the administrator later."""

from __future__ import annotations

from assistant.journey.linter import Severity, lint
from assistant.steeple.contract import GroupMapping, ReceivedGroup, ReceivedUser, SsoConfig


def group(
    gid: str, name: str, mapping: GroupMapping | None = None, nested: int = 0
) -> ReceivedGroup:
    return ReceivedGroup(
        id=gid, display_name=name, member_count=3, nested_group_count=nested, mapping=mapping
    )


def user(name: str, email: str | None, active: bool = True) -> ReceivedUser:
    return ReceivedUser(id=name, user_name=name, email=email, active=active)


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
