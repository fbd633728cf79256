"""The language choice: the environment's locale, English by default; an unknown key is shown as
itself rather than failing."""

from __future__ import annotations

from assistant.i18n.translate import detect_language, t


def test_language_detection() -> None:
    assert detect_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert detect_language({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR"}) == "en"
    assert detect_language({}) == "en"
    assert t("no.such.key") == "no.such.key"
