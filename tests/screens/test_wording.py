"""One wording: lines re-derived on every change, Reveal that becomes Hide, plurals, "and N more".

Each app talks HTTP to an in-process sandbox (with its simulated Entra tenant where the step
drives Entra), so what the screens say is checked against what the instance really holds.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from textual.widgets import Button, Input, Static

from assistant.steeple.contract import ENTRA_COMPLIANT_FLAG
from screens.steps.credentials import CredentialsStep
from screens.steps.entra import EntraStep
from screens.steps.sso import SsoStep
from screens.words import footer_words
from tests.screens.scenes import STEPS, build, reach
from tests.support.app import LoopbackTransport
from tests.support.pilot import settle, wait_for, wait_for_screen
from tests.support.probe import probe_scim


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


LABELLED = [
    "sso_blocked",
    "credentials_revealed",
    "sim_entra",
    "sim_assign",
    "sim_provision",
    "roles_mapped",
    "activate_preview",
    "done",
    "removal",
    "sim_removal",
    "deactivate",
]
"""Steps with each kind of button: the action bar's, tools by a field, a panel's own."""


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", LABELLED)
def test_button_keys_and_footer_say_the_same(name: str, lang: str, app_at: Any) -> None:
    """A button "Word (k)" means k is bound with that same word (the footer's, when it shows
    it); every button of the action bar has its key."""
    scene = STEPS[name]
    app = build(app_at, scene, lang)

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await reach(pilot, scene)
            screen = app.screen
            footer = {key: b.binding.description for key, b in screen.active_bindings.items()}
            wrong = []
            for button in screen.query(Button):
                if not all(getattr(node, "display", True) for node in button.ancestors_with_self):
                    continue  # hidden, or inside a hidden panel (Retry without an error)
                label = str(button.label).replace("\n", " ")  # a label broken on two lines
                match = re.fullmatch(r"(.+) \((.+)\)", label)
                if match is None:
                    if button.parent is not None and button.parent.id == "actions":
                        wrong.append(f"{label}: an action without its key")
                    continue
                word, key = match.groups()
                # "Quit (^q)", "More groups (+)": the keys as the footer and Textual name them
                key = {"+": "plus"}.get(key, key.replace("^", "ctrl+"))
                if footer.get(key) != footer_words(word):
                    wrong.append(f"{button.label!s} ≠ footer {key}: {footer.get(key)!r}")
            assert not wrong, wrong

    asyncio.run(drive())


# --- issue 23, point 5: the words cleaned up ------------------------------------------------------

ENTRA_CONTROLS = {
    "entra.test": "Test Connection",
    "entra.save": "Save",
    "provision.start": "Start provisioning",
    "provision.pause": "Stop provisioning",
    "ondemand.button": "Provision on demand",
    "assign.button": "Assign",
    "removal.stop": "Stop provisioning",
}
"""Buttons that press an Entra control for the admin, and the control's English name."""


def test_french_buttons_name_entra_controls_with_their_english_label() -> None:
    from assistant.i18n.translate import t

    for key, english in ENTRA_CONTROLS.items():
        french = t(key, "fr")
        assert french.endswith(f" ({english})"), (key, french)
        assert english in t(key, "en"), key


def screen_keys() -> set[str]:
    """The keys of the screens' area of the catalogue (`#. Area: screens` in messages.pot)."""
    from assistant.i18n import catalogues

    template = catalogues.read_catalogue(catalogues.TEMPLATE)
    return {
        str(message.context)
        for message in catalogues.entries(template)
        if any(comment.startswith("Area: screens") for comment in message.auto_comments)
    }


def test_no_screen_text_shows_backticks() -> None:
    """Markdown's backticks mean nothing on a terminal: the command is written as it is."""
    from assistant.i18n.translate import CATALOGUES

    screens = screen_keys()
    quoted = [
        key
        for lang in ("en", "fr")
        for key, entry in CATALOGUES.compiled(lang).entries.items()
        if key in screens and any("`" in text for text in entry.forms)
    ]
    assert not quoted, quoted


def test_installed_is_said_in_the_apps_language_not_the_instances(app_at: Any) -> None:
    """The instance answers in English; the step says it in French."""
    from assistant.i18n.translate import t
    from screens.modals.confirm import ConfirmModal
    from screens.steps.install import InstallStep

    app = app_at("none", "install", lang="fr")

    async def drive() -> str:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await wait_for_screen(pilot, InstallStep)
            await pilot.press("i")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
            done = screen.completed_io
            await pilot.press("y")
            await wait_for(pilot, lambda: screen.completed_io > done, "the install")
            return _text(screen.query_one("#status", Static))

    assert asyncio.run(drive()).strip() == t("install.installed", "fr")


def test_select_all_is_offered_only_where_there_is_a_list(app_at: Any) -> None:
    """Copy-paste path: no list, so no `a` (it used to do nothing, silently)."""
    from screens.steps.assign import AssignStep

    for sim in (False, True):
        app = app_at("tested", "assign", sim=sim)

        async def drive(app: Any = app) -> bool:
            async with app.run_test(size=(120, 40)) as pilot:
                screen = await wait_for_screen(pilot, AssignStep)
                return "a" in screen.active_bindings

        assert asyncio.run(drive()) is sim


def test_enter_in_the_token_field_tests_and_save_replaces_now_save(app_at: Any) -> None:
    """Enter in a field does what Test Connection under it does; once saved, the line that
    said "now Save" says it is saved."""
    from assistant.i18n.translate import t

    app = app_at("token", "entra", sim=True)
    app.revealed_secret = app.prepared.secret  # created on step 3 in this session: prefilled

    async def drive() -> tuple[str, str]:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await wait_for_screen(pilot, EntraStep)
            result = screen.query_one("#sim-result", Static)
            # where the sandbox really listens (the snapshots' public URL is a fixed fake one)
            real = f"{app.server.base_url}/scim/v2?{ENTRA_COMPLIANT_FLAG}"
            screen.query_one("#tenant-url", Input).value = real
            screen.query_one("#token").focus()
            await pilot.press("enter")
            await wait_for(pilot, lambda: bool(_text(result).strip()), "Entra's verdict")
            tested = _text(result)
            focused = app.focused.id if app.focused is not None else None
            done = screen.completed_io
            await pilot.click("#save")  # in the action bar, under the card
            await wait_for(pilot, lambda: screen.completed_io > done, "the save")
            assert focused == "save"  # a test that passed: Save is next, focused
            return tested, _text(result)

    tested, saved = asyncio.run(drive())
    assert "Save" in tested and "now Save" in tested
    assert "now Save" not in saved and saved.strip() == t("entra.saved", "en")
