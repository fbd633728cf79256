"""The wizard's action bar: Back · the step's actions · Continue, in the same place on every step.

It sits under the card, across the whole window, as a desktop wizard's button row does. Back is
at the left edge and Continue at the right, so a step that shows or hides its own actions never
moves them. On a narrow terminal (80 columns in French is the design case) a label that names an
Entra control — "Démarrer l'approvisionnement (Start provisioning) (s)" — breaks before its
English name instead of being cut, and every button may shrink to its words.
"""

from __future__ import annotations

from textual import events
from textual.containers import Horizontal
from textual.widgets import Button

BAR_PADDING = 2
BUTTON_GAP = 1
BUTTON_FRAME = 2
"""A button's label plus its one column of padding on each side."""


def one_line_width(label: str) -> int:
    return max((len(line) for line in label.splitlines()), default=0)


def broken_label(label: str) -> str:
    """`label` on two lines, before its last parenthesised part that is not the key hint.

    "Tester la connexion (Test Connection) (t)" → "Tester la connexion\\n(Test Connection) (t)";
    a label with no such part is returned as it is.
    """
    flat = label.replace("\n", " ")
    body, space, key = flat.rpartition(" (")
    searched = body if space and len(key) <= 8 and key.endswith(")") else flat
    cut = searched.rfind(" (")
    if cut <= 0:
        return flat
    return flat[:cut] + "\n" + flat[cut + 1 :]


class ActionBar(Horizontal):
    """A row of buttons; call `fit()` (done on resize) after changing which ones are shown."""

    DEFAULT_CSS = """
    ActionBar {
        height: auto; padding: 0 1; border-top: solid $panel;
        background: $panel-darken-1 30%;
    }
    ActionBar > Button { margin: 0 1 0 0; min-width: 8; height: auto; }
    ActionBar > #continue, ActionBar > #quit { dock: right; margin: 0; }
    """

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    def fit(self) -> None:
        """Break the Entra-named labels on two lines only when the row would not hold them.

        A broken label is the flat one with one space turned into a newline, so the flat label
        is always recoverable: steps relabel their buttons freely.
        """
        buttons = [button for button in self.query(Button) if button.display]
        flat = {button: str(button.label).replace("\n", " ") for button in buttons}
        width = self.size.width - BAR_PADDING
        needed = sum(one_line_width(label) + BUTTON_FRAME + BUTTON_GAP for label in flat.values())
        narrow = width > 0 and needed > width
        for button, label in flat.items():
            wanted = broken_label(label) if narrow else label
            if str(button.label) != wanted:
                button.label = wanted
                button.refresh(layout=True)  # a new label does not re-measure the button
