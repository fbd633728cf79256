"""One catalogue, two languages: no key without its French, no sentence outside the catalogue.

The texts are gettext catalogues (`assistant/i18n/locale/`: the template `messages.pot` holds each
key as msgctxt and its English as msgid, `fr/LC_MESSAGES/messages.po` the French). The first
tests read them with Babel, as a translator's tool does, and the compiled `.mo` files the
assistant reads; the last ones scan the source of `screens/` (AST, no Textual import) for text a
person reads — widget labels, footer bindings, notifications, titles — written as a literal
instead of a catalogue key, so the rule holds for the next change.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from assistant.i18n import catalogues
from assistant.i18n.translate import CATALOGUES, SUPPORTED, Catalogues, known, t, tn

ROOT = Path(__file__).resolve().parents[3]
SCREENS = sorted((ROOT / "screens").rglob("*.py"))
SOURCES = SCREENS + sorted((ROOT / "assistant").rglob("*.py"))
TEMPLATE = catalogues.read_catalogue(catalogues.TEMPLATE)
KEYS = {message.context: message for message in catalogues.entries(TEMPLATE)}
PLURAL_KEYS = {key for key, message in KEYS.items() if message.pluralizable}


def test_the_catalogues_are_in_step_and_compiled() -> None:
    """What `.ci/run` checks first: every key once, each translation updated from the template
    and passing Babel's checks, each `.mo` what its source compiles to."""
    assert not catalogues.check(), "\n".join(catalogues.check())


def test_every_supported_language_has_a_translation() -> None:
    assert set(catalogues.translation_paths()) == set(SUPPORTED) - {"en"}


@pytest.mark.parametrize("lang", sorted(set(SUPPORTED) - {"en"}))
def test_every_text_is_translated_not_fuzzy_with_the_same_placeholders(lang: str) -> None:
    """A French text that is missing, fuzzy (its English changed since it was translated) or
    with other placeholders than the English fails here: `update`, then translate."""
    path = catalogues.translation_paths()[lang]
    problems = catalogues.translation_problems(TEMPLATE, catalogues.read_catalogue(path, lang))
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", SUPPORTED)
def test_what_ships_takes_the_english_placeholders(lang: str) -> None:
    """The compiled catalogue the assistant reads: a French text that drops `{count}` would
    show a wrong sentence; one that adds a field the English lacks would crash with KeyError."""
    english = CATALOGUES.compiled("en").entries
    wrong = [
        f"{key}: {text!r}"
        for key, entry in CATALOGUES.compiled(lang).entries.items()
        for text in entry.forms
        if catalogues.fields(text) - set().union(*map(catalogues.fields, english[key].forms))
        or (
            len(entry.forms) == 1
            and catalogues.fields(text) != catalogues.fields(english[key].forms[0])
        )
    ]
    assert not wrong, "\n".join(wrong)
    assert set(CATALOGUES.compiled(lang).entries) == set(KEYS)


def _translation_of(template: Catalog) -> Catalog:
    path = catalogues.translation_paths()["fr"]
    return catalogues.update(template, catalogues.read_catalogue(path, "fr"))


def test_changed_english_makes_its_french_fuzzy_and_the_check_fail() -> None:
    """The translator's loop: the English of a key changes, `update` keeps that key's own French
    marked fuzzy with the English it translated, and the check names it until someone looks."""
    template = catalogues.read_catalogue(catalogues.TEMPLATE)
    changed = template.get("Check SSO", "sso.title")
    assert changed is not None
    template.delete(changed.id, changed.context)
    template.add("Check single sign-on", context="sso.title")
    template.add("A brand new sentence", context="test.new")

    translation = _translation_of(template)

    french = translation.get("Check single sign-on", "sso.title")
    assert french is not None and french.fuzzy
    assert french.string == "Vérifier le SSO"  # its own French, not a look-alike key's
    assert french.previous_id == ["Check SSO"]
    assert catalogues.translation_problems(template, translation) == [
        "sso.title: fuzzy (its English changed; check the French)",
        "test.new: not translated",
    ]


def test_unchanged_catalogues_update_to_themselves() -> None:
    translation = _translation_of(catalogues.read_catalogue(catalogues.TEMPLATE))
    assert not catalogues.translation_problems(TEMPLATE, translation)
    assert not any(message.fuzzy for message in catalogues.entries(translation))


def test_plurals_follow_the_catalogues_plural_forms() -> None:
    """The rule is each catalogue's Plural-Forms header (CLDR's, written by Babel), not ours."""
    assert tn("count.groups", 1) == "1 group"
    assert tn("count.groups", 2) == "2 groups"
    assert tn("count.groups", 0) == "0 groups"
    assert tn("count.groups", 0, "fr") == "0 groupe"  # French: 0 and 1 are singular
    assert tn("count.groups", 2, "fr") == "2 groupes"
    assert tn("count.groups", 1_000_000, "fr") == "1000000 groupes"  # CLDR's "many" form
    assert "count.groups" in PLURAL_KEYS
    assert t("count.groups") == "{count} group"  # a plural key read as a text: the singular


def _small_catalogues(directory: Path, french: dict[str, tuple[str, bool]]) -> Catalogues:
    """A catalogue of three keys compiled into `directory`, French as (text, fuzzy) by key."""
    template = Catalog(domain=catalogues.DOMAIN)
    for key in ("a.greet", "a.left", "a.stale"):
        template.add(f"Hello {{name}} ({key})", context=key)
    catalogues.write_catalogue(directory / f"{catalogues.DOMAIN}.pot", template)
    translation = Catalog(locale="fr", domain=catalogues.DOMAIN)
    for key, (text, fuzzy) in french.items():
        english = f"Hello {{name}} (was {key})" if key == "a.stale" else f"Hello {{name}} ({key})"
        translation.add(english, text, context=key, flags=["fuzzy"] if fuzzy else [])
    catalogues.write_catalogue(directory / "fr" / "LC_MESSAGES" / "messages.po", translation)
    catalogues.write_compiled(directory)
    return Catalogues(str(directory))


def test_a_missing_fuzzy_or_stale_translation_falls_back_to_english(tmp_path: Path) -> None:
    """What ships with a gap still speaks: fuzzy texts are not compiled, a French text for an
    English that changed since is not used, an unknown key is shown as itself."""
    found = _small_catalogues(
        tmp_path,
        {"a.greet": ("Bonjour {name}", False), "a.left": ("Salut {name}", True),
         "a.stale": ("Ancien {name}", False)},
    )  # fmt: skip
    assert found.text("a.greet", "fr", name="Ada") == "Bonjour Ada"
    assert found.text("a.left", "fr", name="Ada") == "Hello Ada (a.left)"
    assert found.text("a.stale", "fr", name="Ada") == "Hello Ada (a.stale)"
    assert found.text("a.greet", "de", name="Ada") == "Hello Ada (a.greet)"
    assert found.text("nope", "fr") == "nope"
    assert found.known("a.left") and not found.known("nope")


def test_the_compiled_reader_refuses_what_is_not_a_catalogue() -> None:
    from assistant.i18n.compiled import read_mo

    with pytest.raises(ValueError, match="not a compiled gettext catalogue"):
        read_mo(b"\x00" * 32)


def test_the_catalogues_are_not_read_at_import() -> None:
    """Start-up: importing `t` costs no catalogue; the first text reads English (and French
    only when asked). Measured against the old dict modules in the report of issue 21."""
    import subprocess
    import sys

    probe = (
        "import sys; from assistant.i18n.translate import CATALOGUES as C, t;"
        "before = sorted(C._compiled); t('sso.title', 'en'); middle = sorted(C._compiled);"
        "t('sso.title', 'fr'); print(before, middle, sorted(C._compiled),"
        "'babel' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.split() == ["[]", "['en']", "['en',", "'fr']", "False"]


SIDEBAR_TEXT_WIDTH = 21
"""The step sidebar is 24 columns: minus its padding (2) and its border (1)."""


@pytest.mark.parametrize("lang", SUPPORTED)
def test_step_titles_fit_the_sidebar_on_one_line(lang: str) -> None:
    from assistant.journey.steps import ORDER

    too_long = [
        line
        for number, step in enumerate(ORDER, start=1)
        if len(line := f"✓ {number}. {t(f'{step.value}.title', lang)}") > SIDEBAR_TEXT_WIDTH
    ]
    assert not too_long, too_long


# --- the source of the screens ---------------------------------------------------------------

KEY_FUNCTIONS = {"t": 0, "say": 1, "tn": 0, "say_n": 1, "relabel_binding": 2}
"""Catalogue look-ups and the position of their key argument."""
PLURAL_FUNCTIONS = {"tn", "say_n"}

SHOWN_CALLS = {
    "Static", "Label", "Button", "Text", "RadioButton", "SystemCommand", "notify", "update",
    "show_error", "confirm_then", "ConfirmModal", "TypedConfirmModal", "add_column",
    "add_columns", "add_row", "shown", "Input", "Select", "Checkbox", "Switch", "Tab",
}  # fmt: skip
"""Calls whose text arguments reach the screen."""
SHOWN_KEYWORDS = {
    "label", "placeholder", "prompt", "title", "description", "message", "help", "tooltip",
    "renderable", "content", "body",
}  # fmt: skip
SHOWN_ATTRIBUTES = {"border_title", "border_subtitle", "title", "sub_title", "label", "tooltip"}
KEY_HOLDERS = {"HEADING"}
"""Class attributes that hold a catalogue key (translated when shown)."""
NOT_TEXT = {"DEFAULT_CSS", "CSS", "CSS_PATH", "SCREENS", "COLUMNS", "BUILT_IN_ACTIONS"}

WORD = re.compile(r"[^\W\d_]{2,}")


def _is_prose(value: str) -> bool:
    """A literal a person would read: it has a word, and is neither a key nor a URL example."""
    if known(value) or "://" in value:
        return False
    return bool(WORD.search(value))


def _literal_prose(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _is_prose(node.value):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        if any(isinstance(p, str) and _is_prose(p) for p in parts):
            return "f" + repr("".join(str(p) for p in parts))
    return None


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def literal_texts(path: Path) -> list[str]:
    """Every user-visible literal in `path` that bypasses the catalogue, as `file:line: text`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    found: list[tuple[int, str]] = []

    def check(node: ast.AST | None, line: int) -> None:
        if node is not None and id(node) not in docstrings:
            prose = _literal_prose(node)
            if prose:
                found.append((line, prose))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name == "Binding":  # key and action are not text; the description is
                check(node.args[2] if len(node.args) > 2 else None, node.lineno)
                for keyword in node.keywords:
                    if keyword.arg == "description":
                        check(keyword.value, node.lineno)
            elif name in SHOWN_CALLS:
                for arg in node.args:
                    check(arg, node.lineno)
                for keyword in node.keywords:
                    if keyword.arg in SHOWN_KEYWORDS:
                        check(keyword.value, node.lineno)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                shown_attribute = isinstance(target, ast.Attribute) and (
                    target.attr in SHOWN_ATTRIBUTES
                )
                key_holder = isinstance(target, ast.Name) and target.id in KEY_HOLDERS
                if shown_attribute or key_holder:
                    check(node.value, node.lineno)
                elif (
                    isinstance(target, ast.Name)
                    and target.id.isupper()
                    and target.id not in NOT_TEXT
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)
                    and " " in node.value.value
                ):  # a module or class constant holding a sentence
                    check(node.value, node.lineno)
    rel = path.relative_to(ROOT)
    return [f"{rel}:{line}: {text!r}" for line, text in sorted(found)]


def test_the_scan_finds_literals() -> None:
    """The scan itself: each way a sentence used to reach the screen is caught."""
    sample = ROOT / "tests" / "assistant" / "_scan_sample.py"
    sample.write_text(
        "from textual.binding import Binding\n"
        "HOWTO = 'Open the portal and click Save.'\n"
        "class S:\n"
        "    HEADING = 'Remove the integration'\n"
        "    BINDINGS = [Binding('v', 'reveal', 'Reveal token')]\n"
        "    def f(self, n):\n"
        "        yield Button('Continue (n)', id='continue')\n"
        "        self.notify(f'Mapped {n} group(s).')\n"
        "        self.border_title = 'Dry run'\n"
        "        yield Button(say(self, 'common.continue'))\n"
        "        yield Input(placeholder='https://x.example')\n",
        encoding="utf-8",
    )
    try:
        found = literal_texts(sample)
    finally:
        sample.unlink()
    assert [line.split(":")[1] for line in found] == ["2", "4", "5", "7", "8", "9"], found


def test_no_screen_shows_a_literal_text() -> None:
    found = [line for path in SCREENS for line in literal_texts(path)]
    assert not found, "texts outside the catalogue (use say/t with a key):\n" + "\n".join(found)


def _used_keys(path: Path) -> list[tuple[int, str, bool]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    used = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        position = KEY_FUNCTIONS.get(name)
        if position is None or len(node.args) <= position:
            continue
        arg = node.args[position]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            used.append((node.lineno, arg.value, name in PLURAL_FUNCTIONS))
    return used


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_used_exists(path: Path) -> None:
    """A key the code names is in the template; one counted (`tn`, `say_n`) has plural forms."""
    unknown = [
        f"{line}: {key}"
        for line, key, counted in _used_keys(path)
        if key not in KEYS or (counted and key not in PLURAL_KEYS)
    ]
    assert not unknown, f"{path.name}: keys not in the catalogue: {unknown}"


def test_every_screen_binding_is_a_key() -> None:
    """Footer labels are catalogue keys, translated when the screen is built."""
    wrong = []
    for path in SCREENS:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) == "Binding" and len(node.args) > 2:
                description = node.args[2]
                if isinstance(description, ast.Constant) and not known(description.value):
                    wrong.append(f"{path.name}:{node.lineno}: {description.value!r}")
    assert not wrong, wrong


TRANSLATE_IMPORT = re.compile(r"from assistant\.i18n\.translate import .*\b(t|tn)\b")


def test_screens_speak_through_say_only() -> None:
    """One call style in screens: `say`/`say_n` (screens/words.py); `t(key, lang)` is the
    headless code's. A screen calling `t` directly would be a second way to say a thing."""
    direct = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in SCREENS
        if path.name != "words.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        and node.func.id in ("t", "tn")
    ]  # fmt: skip
    imports = [
        str(path.relative_to(ROOT))
        for path in SCREENS
        if path.name != "words.py" and TRANSLATE_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert not direct and not imports, (direct, imports)
