"""One browser session: the wizard as a child process, spoken to with textual-serve's protocol.

textual-serve's `AppService` starts its command through a shell with the server's environment,
copies the child's standard error to the server's output as it is, and waits for ever on stop.
This subclass starts the wizard without a shell (an argument list: nothing to quote), in a
process session of its own (Ctrl-C in the terminal reaches only the server, which then asks the
wizard to quit, so `--sandbox` stops its sandbox and removes its temporary files), masks
secrets in what the wizard writes to standard error, closes the page's websocket when the wizard
ends however it ends, and kills a wizard that does not quit in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import sys
from asyncio.subprocess import Process
from collections.abc import Awaitable, Callable, Sequence

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from assistant.text.redact import redact
from assistant.text.safe import terminal_safe

log = logging.getLogger("steeple-assistant.web")

QUIT_TIMEOUT = 10.0
"""Seconds a wizard gets to quit (a sandbox stops with it) before it is killed."""


class WizardSession(AppService):
    """The wizard of one browser session."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        report_errors: Callable[[str], None],
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
        download_manager: DownloadManager,
    ) -> None:
        super().__init__(
            " ".join(argv),  # textual-serve's field; only `argv` is ever run
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=download_manager,
        )
        self.argv = tuple(argv)
        self.report_errors = report_errors
        """Receives what the wizard wrote to standard error, secrets masked, once it ends."""

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the wizard to quit and wait for it; kill it if it has not within `QUIT_TIMEOUT`.

        Killing only after a wait: a signal sent to a wizard that has just exited would reap it
        behind asyncio's child watcher (`Popen.send_signal` polls first).
        """
        process = self._process

        async def quit_and_wait() -> None:
            await AppService.stop(self)
            if process is not None:
                await process.wait()

        try:
            await asyncio.wait_for(quit_and_wait(), QUIT_TIMEOUT)
        except TimeoutError:
            log.warning("the wizard did not quit in %s s: killed", QUIT_TIMEOUT)
            if process is not None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()

    async def run(self) -> None:
        """textual-serve's packet loop (prelude, then `D`ata, `M`eta and `P`acked packets),
        with standard error kept and handed over masked instead of printed as it is."""
        assert self._process is not None
        stdout, stderr = self._process.stdout, self._process.stderr
        assert stdout is not None and stderr is not None
        errors = io.BytesIO()

        async def keep_stderr() -> None:
            while data := await stderr.read(4096):
                errors.write(data)

        stderr_task = asyncio.create_task(keep_stderr())
        handlers = {b"D": self.on_data, b"M": self.on_meta, b"P": self.on_packed}
        try:
            for _ in range(10):  # the prelude says a Textual app is at the other end
                line = await stdout.readline()
                if not line or line == b"__GANGLION__\n":
                    break
            while True:
                kind = await stdout.readexactly(1)
                size = int.from_bytes(await stdout.readexactly(4), "big")
                payload = await stdout.readexactly(size)
                handler = handlers.get(kind)
                if handler is not None:
                    await handler(payload)
        except (asyncio.IncompleteReadError, ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(stderr_task, 1.0)
        await self.remote_close()  # a wizard that ended without saying so leaves no open page
        if text := errors.getvalue().decode("utf-8", "replace").strip():
            known = (os.environ.get("STEEPLE_API_KEY"),)
            self.report_errors(terminal_safe(redact(text, known), newlines=True, tabs=True))


def wizard_argv(options: Sequence[str]) -> list[str]:
    """The wizard's command line: this Python running the CLI with the TUI's `options`."""
    return [sys.executable, "-m", "assistant.cli", *options]
