"""Foreign text as a widget receives it: literal (no markup, no action), with control and bidi
characters written out, newlines kept only where the widget wraps lines."""

from __future__ import annotations

from rich.text import Text

from sandbox.hostile import GROUP_NAMES
from screens.foreign_text import one_line, shown


def test_markup_is_text_and_control_characters_are_written_out() -> None:
    text = shown("[@click=app.quit]Quit[/] \x1b[2J\u202etxt.exe")
    assert isinstance(text, Text) and not text.spans  # nothing styled, nothing clickable
    assert "[@click=app.quit]Quit[/]" in text.plain
    assert "\x1b" not in text.plain and "\u202e" not in text.plain


def test_newlines_only_where_the_widget_wraps() -> None:
    assert "\n" in shown("first\nsecond").plain
    assert "\n" not in shown("first\nsecond", multiline=False).plain
    assert "\n" not in one_line("Sales\nFake line")


def test_every_hostile_group_name_comes_out_printable() -> None:
    for name in GROUP_NAMES:
        plain = shown(name, multiline=False).plain
        assert plain.isprintable(), repr(plain)
