"""`steeple-assistant web [--sandbox|--url …] [--port N] [--no-browser]`: the wizard in a browser.

Serves on 127.0.0.1 only, prints the one-time address (and opens it in the browser unless
`--no-browser`), runs one wizard per browser session, and stops on Ctrl-C (or SIGTERM), asking
the running wizard to quit first. aiohttp and textual-serve are imported only when the command
runs, so `--help` and the other commands do not pay for them.

Exit codes: 0 stopped; 2 usage (both `--sandbox` and `--url`, an `http://` URL to another
machine, a port in use).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import webbrowser
from typing import TYPE_CHECKING

from assistant.cli.options import Options
from assistant.cli.problems import UsageProblem
from assistant.exit_codes import EXIT_OK, EXIT_USAGE
from assistant.i18n.translate import t
from assistant.web.command import wizard_options
from assistant.web.gate import WebGate

if TYPE_CHECKING:
    import socket

    from assistant.web.server import WebWindowServer


def run_web(options: Options, lang: str) -> int:
    """Check the options, bind 127.0.0.1, serve until Ctrl-C. A refusal is a `UsageProblem`
    (exit 2), said by the runner (`assistant/cli/runner.py`) like every command's."""
    refusal = _check_options(options, lang)
    if refusal is not None:
        raise UsageProblem(*refusal, EXIT_USAGE)
    from assistant.web.server import WebWindowServer, bind_loopback
    from assistant.web.session import wizard_argv

    try:
        listener = bind_loopback(options.port)
    except OSError as error:
        message = t("web.port", lang, port=options.port, reason=error.strerror or error)
        raise UsageProblem(message, t("web.port.fix", lang), EXIT_USAGE) from None

    gate = WebGate(port=listener.getsockname()[1])
    server = WebWindowServer(gate, wizard_argv(wizard_options(options)), lang=lang, say=_say)
    try:
        asyncio.run(_serve(server, listener, open_browser=not options.no_browser))
    except KeyboardInterrupt:  # Ctrl-C before the loop's own handler was in place
        _say(t("web.stopping", lang))
    return EXIT_OK


def _check_options(options: Options, lang: str) -> tuple[str, str] | None:
    """The same refusals as the TUI (message, fix), made before anything is served."""
    if options.sandbox and options.url:
        return t("web.both", lang), t("web.both.fix", lang)
    url = options.url
    if not url and not options.sandbox:
        from assistant.settings import load_settings

        url = load_settings().profile(options.profile).url
    if url:
        from assistant.steeple.client import InsecureUrlError, require_secure_url
        from assistant.text.safe import terminal_safe

        try:
            require_secure_url(url, allow_insecure_http=options.allow_insecure_http)
        except InsecureUrlError as refused:
            message, fix = refused.text(lang)
            return terminal_safe(message), fix
    return None


def _say(line: str) -> None:
    print(line, flush=True)


async def _serve(server: WebWindowServer, listener: socket.socket, *, open_browser: bool) -> None:
    lang = server.lang
    await server.start(listener)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: no handlers
            loop.add_signal_handler(signum, stop.set)
    _say(t("web.ready", lang, address=server.gate.address))
    _say(f"  {server.gate.one_time_url}")
    _say(t("web.stop", lang))
    if open_browser:  # a browser command may run until it is closed: never wait for it
        threading.Thread(
            target=_open_browser, args=(server.gate.one_time_url, lang), daemon=True
        ).start()
    try:
        await stop.wait()
    finally:
        _say(t("web.stopping", lang))
        await server.stop()


def _open_browser(url: str, lang: str) -> None:
    """Open `url` in the desktop's browser (or `$BROWSER`), and say whether it could.

    Without a display (an SSH session, a container) Python would start a console browser
    (lynx, w3m) in this very terminal, and it would spend the one-time secret: not done.
    """
    desktop = sys.platform in ("win32", "darwin") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
    )
    try:
        opened = desktop and webbrowser.open(url, new=2)
    except webbrowser.Error:
        opened = False
    _say(t("web.opened" if opened else "web.not_opened", lang))
