"""The texts in the admin's language (`t`, `tn`), and the language choice.

The texts are gettext catalogues beside this module (`locale/`, see `assistant/i18n/__init__.py`):
the code names a stable key, the catalogue holds its English and French. They are read from the
compiled `.mo` files on first use, not at import, and a missing translation falls back to English
instead of crashing a screen.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

from assistant.i18n.compiled import Compiled, Entry, read_mo

SUPPORTED = ("en", "fr")


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """`fr` when the locale is French, else `en`: the order POSIX gives the locale variables."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    if environ is None:
        try:
            current = locale.getlocale()[0] or ""
        except ValueError:  # pragma: no cover - odd platform locales
            current = ""
        if current.lower().startswith("fr"):
            return "fr"
    return "en"


def normalise_language(lang: str | None) -> str:
    """A supported language code; anything else (or None) becomes the detected language."""
    if lang and lang.lower()[:2] in SUPPORTED:
        return lang.lower()[:2]
    return detect_language()


LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
"""The compiled catalogues, package data: `locale/<lang>/LC_MESSAGES/messages.mo`."""


class Catalogues:
    """The compiled catalogues of one locale directory, each read the first time it is needed.

    English is the template compiled (every key, its English); a translation is used only for
    a key whose English is the one it was translated from, so a French text left behind by a
    change of the English falls back to the new English instead of saying the old thing.
    """

    def __init__(self, directory: str) -> None:
        self._directory = directory
        self._compiled: dict[str, Compiled] = {}

    def compiled(self, lang: str) -> Compiled:
        """The catalogue of `lang`; empty for a language without one (English is required)."""
        found = self._compiled.get(lang)
        if found is None:
            path = os.path.join(self._directory, lang, "LC_MESSAGES", "messages.mo")
            try:
                with open(path, "rb") as compiled:
                    found = read_mo(compiled.read())
            except FileNotFoundError:
                if lang == "en":
                    raise
                found = Compiled({}, "")
            self._compiled[lang] = found
        return found

    def known(self, key: str) -> bool:
        """Whether the catalogue has a text for `key`."""
        return key in self.compiled("en").entries

    def _entry(self, key: str, lang: str) -> tuple[Entry, Compiled] | None:
        english = self.compiled("en")
        entry = english.entries.get(key)
        if entry is None:
            return None
        if lang != "en":
            translations = self.compiled(lang)
            translated = translations.entries.get(key)
            if translated is not None and translated.source == entry.source:
                return translated, translations
        return entry, english

    def text(self, key: str, lang: str = "en", **values: object) -> str:
        """The text for `key` in `lang` (English when missing), `{name}` placeholders filled."""
        found = self._entry(key, lang)
        if found is None:
            return key
        text = found[0].forms[0]
        return text.format(**values) if values else text

    def plural(self, key: str, count: int, lang: str = "en", **values: object) -> str:
        """The form of `key` for `count` by the catalogue's own Plural-Forms, `{count}` filled."""
        found = self._entry(key, lang)
        if found is None:
            return key
        entry, catalogue = found
        forms = entry.forms
        return forms[min(catalogue.plural_index(count), len(forms) - 1)].format(
            count=count, **values
        )


CATALOGUES = Catalogues(LOCALE_DIR)


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text for `key` in `lang` (English when missing), with `{name}` placeholders filled."""
    return CATALOGUES.text(key, lang, **values)


def tn(key: str, count: int, lang: str = "en", **values: object) -> str:
    """The plural form of `key` for `count` ("1 group", "2 groups"), `{count}` filled in."""
    return CATALOGUES.plural(key, count, lang, **values)


def known(key: str) -> bool:
    """Whether `key` names a text of the catalogue (else the caller says something of its own)."""
    return CATALOGUES.known(key)
