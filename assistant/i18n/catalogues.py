"""The catalogues' maintenance, with Babel: update the translations, compile them, check them.

    uv run python -m assistant.i18n.catalogues update    # after editing locale/messages.pot
    uv run python -m assistant.i18n.catalogues compile   # after editing a translation (.po)
    uv run python -m assistant.i18n.catalogues check     # CI: in step, compiled, no errors

A maintainer's tool: Babel is a development dependency, never imported when the assistant runs
(it reads the compiled `.mo` files with `assistant.i18n.compiled`).
"""

from __future__ import annotations

import io
import string
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

LOCALE_DIR = Path(__file__).resolve().with_name("locale")
DOMAIN = "messages"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
PO_WIDTH = 76
"""Babel's (and pybabel's) line width, so `update` and `pybabel update` write the same file."""


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def write_catalogue(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=PO_WIDTH, no_location=True, include_previous=True)
    path.write_bytes(buffer.getvalue())


def translation_paths(locale_dir: Path = LOCALE_DIR) -> dict[str, Path]:
    """Every translation (`<lang>/LC_MESSAGES/messages.po`) by language."""
    found = sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return {path.parents[1].name: path for path in found}


def compiled_path(locale_dir: Path, lang: str) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def texts(message: Message) -> tuple[str, ...]:
    """A message's translated forms (one, or one per plural form)."""
    value = message.string
    return tuple(value) if isinstance(value, list | tuple) else (value or "",)


def sources(message: Message) -> tuple[str, ...]:
    """A message's English (singular, then plural)."""
    value = message.id
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def entries(catalog: Catalog) -> list[Message]:
    """The texts of a catalogue, without its header."""
    return [message for message in catalog if message.id]


def update(template: Catalog, translation: Catalog) -> Catalog:
    """`translation` brought in step with `template`, matching by key first.

    Babel's own fuzzy matching compares only the English, so a changed sentence could inherit
    another key's French; here a key whose English changed keeps its own French, marked fuzzy
    with the English it was translated from (`#| msgid`, shown by Poedit and Weblate as a diff).
    A new key arrives untranslated. Either way the French check fails until a translator looks.
    """
    previous: dict[str | None, list[str]] = {}
    by_key = {message.context: message for message in entries(translation)}
    for message in entries(template):
        old = by_key.get(message.context)
        if old is None or old.id == message.id:
            continue
        translation.delete(old.id, old.context)
        string = old.string if any(texts(old)) else ""
        translation.add(
            message.id,
            string,
            context=message.context,
            flags=set(old.flags) | {"fuzzy"},
            user_comments=old.user_comments,
        )
        previous[message.context] = list(old.previous_id or sources(old))
    translation.update(template, no_fuzzy_matching=True)
    for message in entries(translation):
        if message.context in previous and message.fuzzy:
            message.previous_id = previous[message.context]
    return translation


def english(template: Catalog) -> Catalog:
    """The template as the English catalogue: every text translated to itself."""
    catalog = Catalog(locale="en", domain=DOMAIN, project=template.project)
    catalog.version = template.version
    catalog.creation_date = template.creation_date
    catalog.revision_date = template.creation_date
    for message in entries(template):
        catalog.add(message.id, message.id, context=message.context)
    return catalog


def compile_bytes(catalog: Catalog) -> bytes:
    """The `.mo` of a catalogue, as `pybabel compile` writes it (fuzzy texts left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compiled_catalogues(locale_dir: Path = LOCALE_DIR) -> dict[Path, bytes]:
    """Every `.mo` the sources compile to: English from the template, then each translation."""
    template = read_catalogue(locale_dir / f"{DOMAIN}.pot")
    result = {compiled_path(locale_dir, "en"): compile_bytes(english(template))}
    for lang, path in translation_paths(locale_dir).items():
        result[compiled_path(locale_dir, lang)] = compile_bytes(read_catalogue(path, lang))
    return result


def write_compiled(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every catalogue of `locale_dir` in place (`compile`): the `.mo` files written."""
    written = []
    for path, data in compiled_catalogues(locale_dir).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def fields(text: str) -> set[str]:
    """The `{name}` placeholders of a text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def translation_problems(template: Catalog, translation: Catalog) -> list[str]:
    """What a translator still has to do: texts missing, fuzzy, or with other placeholders.

    Placeholders must be the English's: a French text that drops `{count}` shows a wrong
    sentence, one that adds a field the English lacks crashes the screen with KeyError.
    """
    translated = {message.context: message for message in entries(translation)}
    problems = []
    for message in entries(template):
        key = message.context
        found = translated.get(key)
        if found is None or found.id != message.id:
            problems.append(f"{key}: not in the translation (update it from the template)")
        elif found.fuzzy:
            problems.append(f"{key}: fuzzy (its English changed; check the French)")
        elif not all(text.strip() for text in texts(found)):
            problems.append(f"{key}: not translated")
        else:
            english_fields = set().union(*(fields(text) for text in sources(message)))
            for text in texts(found):
                if fields(text) - english_fields or (
                    len(sources(message)) == 1 and fields(text) != english_fields
                ):
                    problems.append(f"{key}: placeholders {sorted(fields(text))} differ")
    return problems


def template_problems(template: Catalog) -> list[str]:
    """Keys are what the code names: each text has one, once."""
    keys = [message.context for message in entries(template)]
    missing = [str(message.id) for message in entries(template) if not message.context]
    repeated = sorted({key for key in keys if key and keys.count(key) > 1})
    return [f"no key (msgctxt): {text}" for text in missing] + [
        f"key twice: {key}" for key in repeated
    ]


def check(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Everything CI refuses: a template without keys, a translation out of step with the
    template, failing Babel's checks or with a text missing, fuzzy or with other placeholders,
    a compiled `.mo` that is not what its source compiles to."""
    template = read_catalogue(locale_dir / f"{DOMAIN}.pot")
    problems = template_problems(template)
    wanted = {(message.context, message.id) for message in entries(template)}
    for lang, path in translation_paths(locale_dir).items():
        translation = read_catalogue(path, lang)
        have = {(message.context, message.id) for message in entries(translation)}
        if have != wanted:
            problems.append(f"{path}: not in step with the template: run `update`")
        problems += [
            f"{path}: {problem}" for problem in translation_problems(template, translation)
        ]
        for message, errors in translation.check():
            problems += [f"{path}:{message.lineno}: {error}" for error in errors]
    for path, data in compiled_catalogues(locale_dir).items():
        if not path.exists() or path.read_bytes() != data:
            problems.append(f"{path}: not compiled from its source: run `compile`")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    command = (list(sys.argv[1:] if argv is None else argv) or ["check"])[0]
    if command == "update":
        template = read_catalogue(TEMPLATE)
        for lang, path in translation_paths().items():
            write_catalogue(path, update(template, read_catalogue(path, lang)))
            print(f"updated {path}")
        return 0
    if command == "compile":
        for path in write_compiled():
            print(f"compiled {path}")
        return 0
    if command == "check":
        problems = check()
        report(problems)
        return 1 if problems else 0
    print(f"unknown command {command!r}: update, compile or check", file=sys.stderr)
    return 2


def report(problems: Iterable[str]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
