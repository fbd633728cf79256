"""One wording: lines re-derived on every change, Reveal that becomes Hide, plurals, "and N more".

Each app talks HTTP to an in-process sandbox (with its simulated Entra tenant where the step
drives Entra), so what the screens say is checked against what the instance really holds.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from textual.widgets import Button, Static

from assistant.probe import probe_scim
from screens.steps.credentials import CredentialsStep
from screens.steps.done import DoneScreen
from screens.steps.entra import EntraStep
from screens.steps.removal import RemovalScreen
from screens.steps.roles import RolesStep
from screens.steps.sso import SsoStep
from screens.words import footer_words
from tests.support.app import LoopbackTransport
from tests.support.pilot import settle, wait_for, wait_for_screen


def _text(widget: Static) -> str:
    return str(widget.render())


def test_no_stale_cross_above_a_tick(app_at: Any) -> None:
    """Entra tests with a revoked token (401, a ✗ blocker), then with the new one: the journey's
    ✗ goes as soon as the polled line says ✓, and the sidebar ticks step 4."""
    app = app_at("token", "entra")
    old_secret = app.prepared.secret
    entra = LoopbackTransport(app.server.base_url)  # Entra's Test Connection, over HTTP

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await wait_for_screen(pilot, EntraStep)
            client = app.client
            old_tokens = (await client.list_tokens()).tokens
            created = await client.create_token()
            for token in old_tokens:
                await client.revoke_token(token.id)
            tenant_url = (await client.get_credentials()).tenant_url
            await probe_scim(tenant_url, old_secret, transport=entra)
            status = screen.query_one("#status", Static)
            await wait_for(pilot, lambda: status.has_class("bad"), "the refused test")
            app.advance("entra")  # re-opened: the journey now holds the stale-token blocker
            await wait_for(pilot, lambda: app.screen is not screen, "the step to re-open")
            screen = await wait_for_screen(pilot, EntraStep)
            blockers = screen.query_one("#blockers", Static)
            await wait_for(
                pilot, lambda: blockers.display and "✗" in _text(blockers), "the stale ✗"
            )
            await probe_scim(tenant_url, created.secret, transport=entra)
            status = screen.query_one("#status", Static)
            await wait_for(pilot, lambda: status.has_class("ok"), "the good test")
            await wait_for(pilot, lambda: not blockers.display, "the stale ✗ to go")
            await wait_for(
                pilot,
                lambda: "✓ 4." in "\n".join(_text(x) for x in screen.query("#sidebar Label")),
                "step 4 ticked in the sidebar",
            )

    asyncio.run(drive())


def test_reveal_toggles_to_hide_on_button_and_footer(app_at: Any) -> None:
    app = app_at("token", "credentials")
    app.revealed_secret = app.prepared.secret

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await wait_for_screen(pilot, CredentialsStep)
            button = screen.query_one("#reveal", Button)

            def footer_says(word: str) -> bool:
                return any(
                    b.description == word for b in screen._bindings.key_to_bindings.get("v", [])
                )

            assert str(button.label) == "Reveal (v)" and footer_says("Reveal")
            await pilot.press("v")
            await settle(pilot)
            assert str(button.label) == "Hide (v)" and footer_says("Hide")
            await pilot.press("v")
            await settle(pilot)
            assert str(button.label) == "Reveal (v)" and footer_says("Reveal")

    asyncio.run(drive())


def test_palette_in_french_follows_the_sidebar(app_at: Any) -> None:
    """Palette entries: the sidebar's titles in journey order, Textual's own entries translated."""
    app = app_at("none", "sso", lang="fr")

    async def drive() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, SsoStep)
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: app.screen.id == "--command-palette", "the palette")
            assert app.screen.query_one("CommandInput").placeholder == "Chercher une commande…"
            await pilot.press("escape")
            titles = [command.title for command in app.get_system_commands(app.screen)]
            assert "Thème" in titles and "Quitter" in titles and "Theme" not in titles
            assert "Revérifier" in titles and "Supprimer l'intégration" in titles
            steps = [title for title in titles if title.startswith("Aller à : ")]
            sidebar = [f"{label.number}. {label.title}" for label in app.journey.steps]
            assert steps[: len(sidebar)] == [f"Aller à : {title}" for title in sidebar]

    asyncio.run(drive())


LABELLED = {
    "sso": ("none", "sso", SsoStep, {}),
    "credentials": ("token", "credentials", CredentialsStep, {"revealed": True}),
    "roles": ("provisioned", "roles", RolesStep, {}),
    "removal": ("active", "removal", RemovalScreen, {}),
    "done": ("active", None, DoneScreen, {}),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", list(LABELLED))
def test_button_keys_and_footer_say_the_same(name: str, lang: str, app_at: Any) -> None:
    """A button "Word (k)" means the footer shows k with that same word, and k does it."""
    level, step, screen_type, options = LABELLED[name]
    app = app_at(level, step, lang=lang)
    if options.get("revealed"):
        app.revealed_secret = app.prepared.secret

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await wait_for_screen(pilot, screen_type)
            footer = {key: b.binding.description for key, b in screen.active_bindings.items()}
            wrong = []
            for button in screen.query(Button):
                if not all(getattr(node, "display", True) for node in button.ancestors_with_self):
                    continue  # hidden, or inside a hidden panel (Retry without an error)
                match = re.fullmatch(r"(.+) \((.+)\)", str(button.label))
                if match is None:
                    continue
                word, key = match.groups()
                key = key.replace("^", "ctrl+")  # "Quit (^q)": the footer's own way to write it
                if footer.get(key) != footer_words(word):
                    wrong.append(f"{button.label!s} ≠ footer {key}: {footer.get(key)!r}")
            assert not wrong, wrong

    asyncio.run(drive())
