"""One catalogue, two languages: no key without its French, no sentence outside the catalogue.

The first tests read `assistant.i18n.translate.TEXTS`; the last ones scan the source of `screens/`
(AST, no Textual import) for text a person reads — widget labels, footer bindings, notifications,
titles — written as a literal instead of a catalogue key, so the rule holds for the next change.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from assistant.i18n.translate import SUPPORTED, TEXTS, plural_key, t, tn

ROOT = Path(__file__).resolve().parents[3]
SCREENS = sorted((ROOT / "screens").rglob("*.py"))
SOURCES = SCREENS + sorted((ROOT / "assistant").rglob("*.py"))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_every_language() -> None:
    missing = [
        f"{key} [{lang}]"
        for key, entry in TEXTS.items()
        for lang in SUPPORTED
        if not (entry.get(lang) or "").strip()
    ]
    assert not missing, "texts missing a translation:\n" + "\n".join(missing)


def test_translations_take_the_same_placeholders() -> None:
    """A French text that drops `{count}` would show a wrong sentence; one that adds a field
    the English lacks would crash the screen with KeyError."""
    wrong = [
        f"{key}: en {sorted(_fields(entry['en']))} fr {sorted(_fields(entry['fr']))}"
        for key, entry in TEXTS.items()
        if _fields(entry.get("en", "")) != _fields(entry.get("fr", ""))
    ]
    assert not wrong, "\n".join(wrong)


def test_plurals_come_in_pairs_and_read_right() -> None:
    stems = {key.rsplit(".", 1)[0] for key in TEXTS if key.endswith((".one", ".other"))}
    unpaired = [s for s in stems if f"{s}.one" not in TEXTS or f"{s}.other" not in TEXTS]
    assert not unpaired
    assert tn("count.groups", 1) == "1 group"
    assert tn("count.groups", 2) == "2 groups"
    assert tn("count.groups", 0) == "0 groups"
    assert tn("count.groups", 0, "fr") == "0 groupe"  # French: 0 and 1 are singular
    assert plural_key("x", 2, "fr") == "x.other"


def test_a_missing_translation_falls_back_to_english() -> None:
    TEXTS["test.only_en"] = {"en": "Hello {name}"}
    try:
        assert t("test.only_en", "fr", name="Ada") == "Hello Ada"
    finally:
        del TEXTS["test.only_en"]


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
    if value in TEXTS or "://" in value:
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


def _used_keys(path: Path) -> list[tuple[int, str]]:
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
            if name in PLURAL_FUNCTIONS:
                used += [(node.lineno, f"{arg.value}.one"), (node.lineno, f"{arg.value}.other")]
            else:
                used.append((node.lineno, arg.value))
    return used


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_used_exists(path: Path) -> None:
    unknown = [f"{line}: {key}" for line, key in _used_keys(path) if key not in TEXTS]
    assert not unknown, f"{path.name}: keys not in the catalogue: {unknown}"


def test_every_screen_binding_is_a_key() -> None:
    """Footer labels are catalogue keys, translated when the screen is built."""
    wrong = []
    for path in SCREENS:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) == "Binding" and len(node.args) > 2:
                description = node.args[2]
                if isinstance(description, ast.Constant) and description.value not in TEXTS:
                    wrong.append(f"{path.name}:{node.lineno}: {description.value!r}")
    assert not wrong, wrong
