"""Redraw the README's pictures from the app itself: `uv run python docs/pictures/regenerate.py`.

Runs tests/docs/test_pictures.py with `STEEPLE_UPDATE_PICTURES=1` (the wizard on prepared
sandboxes, with the snapshot tests' frozen clock, theme and seeded data), then once more as CI
does, and writes a PNG of each picture into a temporary folder it prints (when `rsvg-convert` is
installed), so a person looks at them before they are committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TEST = ["-m", "pytest", "-n", "0", "-q", "-p", "no:cacheprovider", "tests/docs/test_pictures.py"]


def main() -> int:
    redraw = subprocess.call(
        [sys.executable, *TEST], cwd=ROOT, env={**os.environ, "STEEPLE_UPDATE_PICTURES": "1"}
    )
    if redraw:
        return redraw
    check = subprocess.call([sys.executable, *TEST], cwd=ROOT)  # what `uv run pytest` will do
    if check:
        return check
    converter = shutil.which("rsvg-convert")
    if converter:
        folder = Path(tempfile.mkdtemp(prefix="steeple-pictures-"))
        for svg in sorted(HERE.glob("*.svg")):
            subprocess.check_call([converter, "-o", str(folder / f"{svg.stem}.png"), str(svg)])
        print(f"Look at them: {folder}/*.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
