"""Child process of `startup.py`: start an app headless, record when its first screen is ready.

`python bench/_startup_probe.py hello|assistant|url|floor OUT.json [URL]`. Times are
`time.time()` so the parent (which noted the time just before spawning) can compute cold start,
imports included. The probe notes first paint (the first screen composed and refreshed) and, for
the assistant (`--sandbox`, or `--url URL` with the key in `STEEPLE_API_KEY`), when the first
journey step (past the loading screen) is on screen and when the first *actionable* step is
painted: its data loaded (`completed_io`) and a control focused. Then it exits. `floor` is the
least an app on this stack does before such a step (see `floor`).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _children_rss_mib() -> float:
    """Resident memory of this process's children (`--sandbox`'s sandbox child), so the
    memory a start costs is not hidden by moving it to another process."""
    import os

    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) != os.getpid():
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024


def _actionable(app: Any) -> bool:
    """The step on screen has its data and a control has focus: the admin can act on it."""
    screen = app.screen
    loaded = getattr(screen, "completed_io", 0) >= 1 or not getattr(screen, "LOADS", True)
    return loaded and app.focused is not None


def _install_probe(out: Path, wait_for_step: bool) -> None:
    """Patch `App.run` to go headless and `App._ready` to note first paint (then step, exit)."""
    from textual.app import App

    marks: dict[str, Any] = {}
    original_run = App.run
    original_ready = App._ready

    def run_headless(self: App[Any], *args: Any, **kwargs: Any) -> Any:
        kwargs["headless"] = True
        kwargs.setdefault("size", (120, 40))
        return original_run(self, *args, **kwargs)

    def finish(app: App[Any]) -> None:
        out.write_text(json.dumps(marks))
        app.exit()

    async def ready(self: App[Any]) -> None:
        await original_ready(self)

        def first_paint() -> None:
            marks["first_paint"] = time.time()
            marks["first_paint_rss_mib"] = _peak_rss_mib()
            marks["first_screen"] = type(self.screen).__name__
            if not wait_for_step:
                finish(self)
                return

            def check_step() -> None:
                screen = self.screen
                name = type(screen).__name__
                if not getattr(screen, "is_mounted", True):
                    return
                if "first_step" not in marks and name.endswith("Step"):
                    marks["first_step"] = time.time()
                    marks["first_step_rss_mib"] = _peak_rss_mib()
                    marks["step_screen"] = name
                if name != "LoadingScreen" and _actionable(self):
                    timer.stop()

                    def painted() -> None:
                        marks["actionable"] = time.time()
                        marks["actionable_screen"] = name
                        marks["children_rss_mib"] = _children_rss_mib()
                        marks.setdefault("first_step", marks["actionable"])
                        marks.setdefault("first_step_rss_mib", _peak_rss_mib())
                        marks.setdefault("step_screen", name)
                        finish(self)

                    self.call_after_refresh(painted)

            timer = self.set_interval(0.002, check_step)

        self.call_after_refresh(first_paint)

    App.run = run_headless  # type: ignore[method-assign]
    App._ready = ready  # type: ignore[method-assign]


def hello() -> int:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class HelloApp(App[None]):
        """The smallest baseline (no Header/Footer, which cost more than they show)."""

        def compose(self) -> ComposeResult:
            yield Static("Hello, world")

    HelloApp().run()
    return 0


def floor(url: str) -> int:
    """The least any app on this stack does before a step it can act on: a hello-world that
    imports httpx and pydantic, GETs the instance's SSO state once with the admin key, validates
    it into a pydantic model and shows it, focused. With the assistant's own start-up savings
    (no httpx CLI, no CA bundle for plain http), so it is the floor, not a straw man."""
    import os
    import ssl

    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]  # as assistant.cli does
    import httpx
    from pydantic import BaseModel, ConfigDict
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Sso(BaseModel):
        model_config = ConfigDict(extra="ignore")
        configured: bool = False

    class FloorApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("…")

        async def on_mount(self) -> None:
            headers = {"Authorization": f"Bearer {os.environ['STEEPLE_API_KEY']}"}
            verify = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            async with httpx.AsyncClient(base_url=url, headers=headers, verify=verify) as client:
                answer = await client.get("/api/admin/v1/sso")
            shown = self.query_one(Static)
            shown.update(repr(Sso.model_validate_json(answer.content)))
            shown.can_focus = True
            shown.focus()
            self.screen.completed_io = 1  # type: ignore[attr-defined]  # what `_actionable` reads

    FloorApp().run()
    return 0


def assistant(url: str | None) -> int:
    """`--sandbox`, or `--url URL` (the admin key in `STEEPLE_API_KEY`, as the admin guide says)."""
    from assistant.cli.main import main

    return main(["--url", url] if url else ["--sandbox"])


if __name__ == "__main__":
    kind, out_path = sys.argv[1], Path(sys.argv[2])
    _install_probe(out_path, wait_for_step=kind != "hello")
    if kind == "hello":
        sys.exit(hello())
    if kind == "floor":
        sys.exit(floor(sys.argv[3]))
    sys.exit(assistant(sys.argv[3] if kind == "url" else None))
