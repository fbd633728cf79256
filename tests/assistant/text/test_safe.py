"""`assistant.text.safe`: what a terminal, a Markdown report and JSON on a terminal receive."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from assistant.text.safe import json_terminal_safe, markdown_safe, terminal_safe
from sandbox.hostile import COMMUNITY_NAMES, GROUP_NAMES, PAYLOADS, PEOPLE

HOSTILE = [*GROUP_NAMES, *COMMUNITY_NAMES, *(p.display_name for p in PEOPLE)]
ACTIVE = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def active_chars(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in ACTIVE]


@pytest.mark.parametrize("name", HOSTILE)
def test_no_active_character_survives(name: str) -> None:
    shown = terminal_safe(name)
    assert active_chars(shown) == []
    assert not any(payload in shown for payload in PAYLOADS)


def test_visible_forms() -> None:
    assert terminal_safe("a\x1b]52;c;eA==\x07b") == "a␛]52;c;eA==␇b"
    assert terminal_safe("x\x9b31m") == "x\\x9b31m"
    assert terminal_safe("\u202eevil") == "\\u202eevil"
    assert terminal_safe("a\u200db\u200bc\ufeff") == "a\\u200db\\u200bc\\ufeff"
    assert terminal_safe("del\x7f") == "del␡"
    assert terminal_safe("cr\rlf\n") == "cr␍lf␊"
    assert terminal_safe("tag\U000e0041") == "tag\\U000e0041"
    assert terminal_safe("lone \ud800") == "lone \\ud800"
    assert terminal_safe("line\u2028para\u2029") == "line\\u2028para\\u2029"


def test_newlines_and_tabs_only_where_wanted() -> None:
    assert terminal_safe("a\nb\tc") == "a␊b␉c"
    assert terminal_safe("a\nb\tc", newlines=True) == "a\nb␉c"
    assert terminal_safe("a\nb\tc", newlines=True, tabs=True) == "a\nb\tc"
    assert terminal_safe("a\r\nb", newlines=True) == "a␍\nb"


def test_ordinary_text_is_unchanged() -> None:
    plain = ["Siège - Users", "Usine de Lyon", "Zoé é", "👩", "non\u00a0breaking", "日本語"]
    for text in plain:
        assert terminal_safe(text) == text
    assert terminal_safe("e\u0301") == "e\u0301"  # combining marks are letters, not controls


def _inline_tokens(markdown: str) -> list[str]:
    """Token types markdown-it (CommonMark + tables) produces for `markdown`."""
    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    kinds = []
    for token in parser.parse(markdown):
        kinds.append(token.type)
        kinds += [child.type for child in token.children or []]
    return kinds


@pytest.mark.parametrize("name", HOSTILE)
def test_markdown_safe_is_one_plain_list_item(name: str) -> None:
    """A hostile value in a list item stays one item of plain text: no heading, link, table..."""
    markdown = f"- group: {markdown_safe(name)}\n- next item\n"
    kinds = _inline_tokens(markdown)
    structural = {"bullet_list_open", "list_item_open", "paragraph_open", "inline", "text"}
    closing = {"bullet_list_close", "list_item_close", "paragraph_close"}
    assert set(kinds) <= structural | closing, kinds
    assert kinds.count("list_item_open") == 2
    assert "\n" not in markdown_safe(name)


def test_markdown_safe_escapes_structure() -> None:
    assert markdown_safe("a|b") == "a\\|b"
    assert markdown_safe("# title") == "\\# title"
    assert markdown_safe("[x](http://e)") == "\\[x\\](http://e)"
    assert markdown_safe("1. one") == "1\\. one"
    assert markdown_safe("- item") == "\\- item"
    assert markdown_safe("line\n# h") == "line␊\\# h"
    assert markdown_safe("`code`") == "\\`code\\`"


def test_markdown_table_cell_keeps_its_columns() -> None:
    row = f"| 1 | {markdown_safe('a | b | c')} | 200 |"
    table = "| # | name | status |\n|---|---|---|\n" + row + "\n"
    parser = MarkdownIt("commonmark").enable("table")
    cells = [t for t in parser.parse(table) if t.type == "td_open"]
    assert len(cells) == 3


def test_json_terminal_safe_keeps_the_data() -> None:
    data = {"name": "C1 \x9b31m \u202eevil é 👩\u200d👧 \x1b[31m", "emoji": "\U000e0041"}
    dumped = json.dumps(data, ensure_ascii=False)
    shown = json_terminal_safe(dumped)
    assert json.loads(shown) == data
    assert active_chars(shown) == []
    assert "é" in shown and "👩" in shown  # readable text stays readable


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_printable_text_is_returned_as_it_is_and_only_that(text: str) -> None:
    """The fast path (`str.isprintable()`, accents and all) agrees with the character-by-character
    rule: a printable string holds no character of an active category, and every other string
    has at least one written out or kept as a newline or tab."""
    active = [c for c in text if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Cs"}]
    if text.isprintable():
        assert not active and terminal_safe(text) is text
    for char in active:
        assert char not in terminal_safe(text, newlines=False, tabs=False)
