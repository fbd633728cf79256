"""Foreign text made safe to show: in a terminal, in a Markdown report, in JSON on a terminal.

Every name the assistant displays comes from someone else (the customer's Entra directory, the
instance, whatever server answers), so it may hold escape sequences that drive the admin's
terminal (OSC 52 writes the clipboard, OSC 0 the window title), bidi overrides that reverse what
is read, zero-width characters that make two names look the same, or Markdown that restructures a
support report. Nothing here drops a character: each one that could act is written out in a
visible, inert form (`␛`, `\\u202e`), so the admin sees exactly what the directory holds.

No Textual or Rich import: the headless commands and the report use it as the screens do.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["json_terminal_safe", "markdown_safe", "terminal_safe", "visible_char"]

_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
"""C0 controls as their Unicode control pictures: ESC → ␛, BEL → ␇, LF → ␊."""

_ACTIVE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
"""Controls, format characters (bidi marks and overrides, zero-width joiners and spaces, tags),
line and paragraph separators, and lone surrogates (which cannot even be encoded for output)."""


def visible_char(char: str) -> str:
    """The inert, visible form of one character that must not reach a terminal as itself."""
    code = ord(char)
    if code in _C0_PICTURES:
        return _C0_PICTURES[code]
    if code == 0x7F:
        return "␡"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _is_active(char: str) -> bool:
    return unicodedata.category(char) in _ACTIVE_CATEGORIES


def terminal_safe(text: str, *, newlines: bool = False, tabs: bool = False) -> str:
    """`text` with every control, bidi and zero-width character written out visibly.

    `newlines` / `tabs` keep LF and TAB as themselves for callers whose output is multi-line
    (a modal body, the plain-text `doctor`); CR is always written out, as it lets a line
    overwrite itself.
    """
    if text.isprintable():  # the common case, accents and all: nothing to write out
        return text  # (a printable string holds no control, format or separator character)
    out: list[str] = []
    for char in text:
        if char == "\n" and newlines or char == "\t" and tabs:
            out.append(char)
        elif char.isprintable() or not _is_active(char):
            out.append(char)  # includes non-breaking and other spaces (Zs), private use, new emoji
        else:
            out.append(visible_char(char))
    return "".join(out)


_MD_SPECIAL_INLINE = re.compile(r"([\\`*_\[\]<>#|~&!$])")
"""Inside a line: emphasis, code, links, images, HTML, tables, strike-through, entities."""
_MD_LINE_START = re.compile(r"^(\s*\d*)([-+=>]|(?<=\d)[.)])")
"""What would start a list, a quote, a setext underline or an ordered list at a line start."""


def markdown_safe(text: str) -> str:
    """`text` as literal Markdown inline content: it can open no heading, link, table cell, list.

    Newlines are written out (`␊`) rather than kept: a value is one line of the report, whatever
    it holds. Autolinkable URLs stay as they are (they are what the instance reported).
    """
    flat = terminal_safe(text)
    escaped = _MD_SPECIAL_INLINE.sub(r"\\\1", flat)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped, count=1)


def json_terminal_safe(dumped: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with active characters as `\\uXXXX`.

    The data is unchanged — a JSON parser reads the same strings — but no C1 control, bidi
    override or lone surrogate reaches the terminal raw. (json already escapes C0 controls.)
    """
    if dumped.isascii():
        return dumped
    out: list[str] = []
    for char in dumped:
        if not char.isascii() and not char.isprintable() and _is_active(char):
            code = ord(char)
            if code > 0xFFFF:  # JSON escapes beyond the BMP as a surrogate pair
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)
