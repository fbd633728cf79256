"""The wizard's three themes: dark (the default), light, and high contrast — and NO_COLOR.

Dark and light are Textual's own; high contrast is ours: pure black and white, with bright
accents that differ in lightness as well as hue, for a projector on a shared screen or weak
eyesight. With `NO_COLOR` set, Textual strips every colour (its driver's monochrome filter);
the app then starts in high contrast, whose states also differ by weight and reverse video, and
every state already reads by its mark (✓ ▶ ✗ ●). Ctrl+T goes from one theme to the next; the
palette's "Theme" lists them all.
"""

from __future__ import annotations

from textual.theme import Theme

DARK = "textual-dark"
LIGHT = "textual-light"
HIGH_CONTRAST = "steeple-high-contrast"
THEMES = (DARK, LIGHT, HIGH_CONTRAST)
"""In the order Ctrl+T goes through them."""

HIGH_CONTRAST_THEME = Theme(
    name=HIGH_CONTRAST,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FF00FF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#262626",
    boost="#333333",
    success="#00FF00",
    warning="#FFAA00",
    error="#FF4040",
    dark=True,
    variables={
        "text-muted": "#FFFFFF",
        "border": "#FFFFFF",
        "border-blurred": "#BBBBBB",
        "footer-background": "#000000",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "button-focus-text-style": "bold reverse",
        "block-cursor-text-style": "bold reverse",
        "input-cursor-text-style": "reverse",
        "scrollbar": "#FFFFFF",
        "scrollbar-background": "#000000",
    },
)


def next_theme(current: str) -> str:
    """The theme after `current` in `THEMES` (a theme picked from the palette starts over)."""
    if current not in THEMES:
        return THEMES[0]
    return THEMES[(THEMES.index(current) + 1) % len(THEMES)]
