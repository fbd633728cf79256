"""Foreign text as something a widget can only print: never markup, never terminal control.

Textual parses a plain `str` given to a Static, Label, DataTable cell, SelectionList or Select
prompt as content markup, so a group named `[/link] x` crashes the screen and
`[@click=app.quit]…` becomes an action. A `rich.text.Text` is taken literally; before that,
`assistant.text.safe` writes out the control, bidi and zero-width characters it holds.
"""

from __future__ import annotations

from rich.text import Text

from assistant.text.safe import terminal_safe

__all__ = ["one_line", "shown"]


def shown(text: object, *, multiline: bool = True, style: str = "") -> Text:
    """`text` as a literal `Text` for a widget; newlines kept only where the widget wraps lines.

    Use it for any string that holds data (names, e-mails, URLs, server messages) — including
    our own sentences that quote such data.
    """
    return Text(terminal_safe(str(text), newlines=multiline), style=style)


def one_line(text: object) -> str:
    """A foreign value to quote inside a longer line: its newlines written out, so a name
    cannot start a fake line of its own (the whole line still goes through `shown`)."""
    return terminal_safe(str(text))
