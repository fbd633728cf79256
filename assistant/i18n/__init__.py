"""The assistant's texts in English and French: gettext catalogues, and the language choice.

Where the texts are (`assistant/i18n/locale/`, shipped in the wheel):

- `messages.pot` — the template, and the source of the English. Each text has a stable key as
  `msgctxt` (what the code names: `t("sso.title", lang)`, `say(self, "sso.title")`) and its English
  as `msgid`; a count has `msgid_plural` too. A `#. Area:` comment says where it is shown.
- `fr/LC_MESSAGES/messages.po` — the French. Open it in Poedit, Weblate or Crowdin: they show
  the English as the source and the key as the context.
- `en/LC_MESSAGES/messages.mo`, `fr/LC_MESSAGES/messages.mo` — compiled, what the assistant
  reads (`assistant.i18n.compiled`); never edited by hand, rebuilt by `compile`.

A developer adds or rewords a text in `messages.pot` (next to the related keys), then:

    uv run python -m assistant.i18n.catalogues update   # carry the template into every .po
    # translate the new or fuzzy entries of fr/LC_MESSAGES/messages.po (Poedit, or an editor)
    uv run python -m assistant.i18n.catalogues compile  # rebuild the .mo files
    uv run python -m assistant.i18n.catalogues check    # what CI runs (.ci/run)

`update` is Babel's `pybabel update` matching by key first: when the English of a key changes,
its French is kept but marked *fuzzy* (`#, fuzzy`, with the old English in `#| msgid`), meaning
"translated from an older English: check it". A fuzzy text is not compiled, so the assistant
says the new English until a translator confirms or fixes the French and removes the flag; a
new key arrives untranslated (empty `msgstr`). `check` and `tests/assistant/test_i18n.py` fail on
both, and on a French text whose `{placeholders}` differ from the English.

Plural forms follow each catalogue's `Plural-Forms` header, written by Babel from CLDR: French
has three (`msgstr[0]` for 0 and 1, `msgstr[1]` for multiples of a million, `msgstr[2]` for the
rest). A new language: `uv run pybabel init -i assistant/i18n/locale/messages.pot -d
assistant/i18n/locale -l de`, translate, `compile`, and teach `translate.SUPPORTED` and
`detect_language` its code.
"""
