"""Signing in to the login emulator the way a person does: the user code typed on `/devicelogin`.

The emulator approves no device code by time, so a test that needs a session enters the code
on the page exactly as a browser's form posts it (`enter_code`); the browser tests drive a real
Chromium through the same page (tests/assistant/entra/test_browser.py).
"""

from __future__ import annotations

import re
import ssl
import subprocess
import sys
import threading
from typing import Any

import httpx

CLI = [sys.executable, "-m", "assistant.cli"]
"""The command line in a process of its own, as `steeple-assistant` runs it."""


def enter_code(endpoints: Any, user_code: str, action: str = "approve") -> httpx.Response:
    """Post `user_code` to the emulator's `/devicelogin` form (over its TLS, its CA trusted)."""
    with httpx.Client(verify=endpoints.tls.client_context(), timeout=10) as https:
        return https.post(
            endpoints.base_url + "/devicelogin", data={"user_code": user_code, "action": action}
        )


def sign_in(signin: Any, endpoints: Any) -> str:
    """The whole device-code sign-in of `signin` (an `EntraSignIn`): start, type, finish."""
    prompt, flow = signin.start()
    answer = enter_code(endpoints, prompt.user_code)
    assert answer.status_code == 200, answer.text
    username: str = signin.finish(flow)
    return username


class CodeTyper:
    """Stands for the admin at the browser while an in-process command waits: every device code
    the emulator issues is typed on `/devicelogin` (read from the emulator, as a person reads it
    off the terminal). Tests of separate processes read the code from the process's output."""

    def __init__(self, endpoints: Any) -> None:
        self.endpoints = endpoints
        self.typed: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="code-typer")

    def _run(self) -> None:
        seen: set[str] = set()
        while not self._stop.wait(0.05):
            try:
                issued = list(self.endpoints.emulator.device_codes.values())
            except RuntimeError:  # the server thread added one meanwhile: look again
                continue
            for code in issued:
                if code.device_code not in seen:
                    seen.add(code.device_code)
                    enter_code(self.endpoints, code.user_code)
                    self.typed.append(code.user_code)

    def __enter__(self) -> CodeTyper:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def device_code_sign_in(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    """`entra signin --device-code` in a process of its own (`argv` are `entra`'s options), its
    code read off the terminal and typed on the emulator's page as the admin would."""
    process = subprocess.Popen(
        [*CLI, "entra", *argv, "signin", "--device-code"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        typed = re.search(r"open (\S+) in a browser .* enter the code (\S+)\.", line)
        if typed:
            ca = ssl.create_default_context(cafile=env["STEEPLE_ENTRA_CA_BUNDLE"])
            with httpx.Client(verify=ca, timeout=10) as browser:
                page = browser.post(typed.group(1), data={"user_code": typed.group(2)})
            assert page.status_code == 200, page.text
            break
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, "".join(lines) + out, err)


class FixedPrompt:
    verification_uri = "https://microsoft.com/devicelogin"
    user_code = "GF7KQ2XWP"


class FixedPlace:
    """Where the session would be kept, fixed for the snapshot."""

    lasts = True

    def describe(self, lang: str) -> str:
        from assistant.entra.session_store import SessionPlace

        return SessionPlace("libsecret").describe(lang)


class WaitingSignIn:
    """A fixed page and code, so the snapshot is the same on every run (the emulator's code is
    random and its port changes); the real flow is tests/screens/modals/test_entra_signin.py.
    Waits until the modal
    expires the flow, as MSAL does."""

    place = FixedPlace()

    def start(self) -> tuple[FixedPrompt, dict[str, Any]]:
        return FixedPrompt(), {"expires_at": 1e18}

    def finish(self, flow: dict[str, Any]) -> str:
        import time

        for _ in range(600):
            if not flow["expires_at"]:
                break
            time.sleep(0.05)
        raise RuntimeError("cancelled")
