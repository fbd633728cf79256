"""The screens' side of the one catalogue (`assistant.i18n.translate`): texts in the app's language.

Screens never hold a sentence of their own; they name a catalogue key and the app's language
picks the English or French text. Binding descriptions are catalogue keys too, translated when
the screen (or widget) is built, so the footer speaks the same language as the buttons.

Screens say everything through `say` (and `say_n` for a count): with a node, in its app's
language; a function that builds text outside a widget is given the language and passes that.
The headless code calls `assistant.i18n.translate.t(key, lang)` directly.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from assistant.i18n.translate import known as known  # re-exported: screens import words only
from assistant.i18n.translate import t, tn

BUILT_IN_ACTIONS = {"command_palette": "key.palette"}
"""Textual's own bindings, described in English by Textual: their catalogue key."""


def lang_of(node: DOMNode | str) -> str:
    """The app's language, or English when `node` is not (yet) in a running app.

    A language code stands for itself: text built by a function given the language.
    """
    if isinstance(node, str):
        return node
    try:
        return str(getattr(node.app, "lang", "en"))
    except Exception:  # no active app (a widget built outside one, in a unit test)
        return "en"


def say(node: DOMNode | str, key: str, **values: object) -> str:
    """The text of `key` in the language of the app `node` belongs to (or in `node`, a code)."""
    return t(key, lang_of(node), **values)


def keyed(node: DOMNode, key: str, shortcut: str, **values: object) -> str:
    """A button's label: the words of `key` and the key that does the same, "Continue (n)".

    The footer describes that key with the same catalogue key, so both say the same words.
    """
    return f"{say(node, key, **values)} ({shortcut})"


def say_n(node: DOMNode | str, key: str, count: int, **values: object) -> str:
    """The plural form of `key` for `count`, in the app's language (or in `node`, a code)."""
    return tn(key, count, lang_of(node), **values)


def footer_words(words: str) -> str:
    """A button's words as the footer says them: without the English name of an Entra control
    that French labels carry in parentheses ("Démarrer l'approvisionnement (Start
    provisioning)" → "Démarrer l'approvisionnement"), so the footer fits 80 columns."""
    head, opening, rest = words.rpartition(" (")
    if opening and rest.endswith(")") and rest[:1].isupper() and head:
        return head
    return words


def localise_bindings(node: DOMNode, lang: str | None = None) -> None:
    """Replace each binding description that is a catalogue key by its text in `lang`."""
    lang = lang or lang_of(node)
    for key, bindings in node._bindings.key_to_bindings.items():
        translated = []
        for binding in bindings:
            text_key = binding.description
            if not known(text_key):
                text_key = BUILT_IN_ACTIONS.get(binding.action, "")
            if known(text_key):
                binding = replace(binding, description=footer_words(t(text_key, lang)))
            translated.append(binding)
        node._bindings.key_to_bindings[key] = translated


def describe_binding(node: DOMNode, key: str, text: str) -> None:
    """Describe `key` with `text` already in the app's language (a button's own words)."""
    bindings = node._bindings.key_to_bindings.get(key, [])
    node._bindings.key_to_bindings[key] = [replace(b, description=text) for b in bindings]


def relabel_binding(node: DOMNode, key: str, text_key: str) -> None:
    """Say what `key` does now (Reveal ↔ Hide), in the footer as on the button."""
    bindings = node._bindings.key_to_bindings.get(key, [])
    text = footer_words(say(node, text_key))
    node._bindings.key_to_bindings[key] = [replace(b, description=text) for b in bindings]
    node.refresh_bindings()
