"""Every shell command in README.md, CONTRIBUTING.md and docs/**/*.md is run, or checked, here.

`tests/docs/doc_blocks.py` reads the fenced ```sh blocks and sorts each command into one kind; a
command no rule covers fails `test_every_command_is_covered`. How each kind is checked:

- **run** — executed by bash, in order within its block (exports and variables carry over, as in
  the reader's terminal); it must end with the exit code its comment names (`(exit N)`, else 0),
  never with a traceback, and a `steeple-assistant … --json` prints one JSON value.
- **server** (`sandbox serve`) — started in the background, as the reader starts it "in one
  terminal". A fixed port in the doc is replaced by a free one (other people's servers run on
  this machine) and the rest of the block talks to that one; the admin key it prints stands for
  the doc's `adm_…`, and the `export` lines it prints are pasted, as the doc says. At the end of
  the block it gets Ctrl-C and must end promptly, with no traceback (exit 0, or the shell's 130).
- **web** — started (the same port rule); the one-time address it prints must open the wizard's
  page; then Ctrl-C ends it, as above.
- **tui** — started on a pseudo-terminal (120×40); it must paint its first screen (with
  `--sandbox`, the Install Azure AD step, the first one to act on); Ctrl+Q must close it, exit 0.
- **the outside world** — no test may use the network, so every command runs behind a proxy
  that goes nowhere (this machine excepted). A command that would reach a real instance or
  Microsoft (an address not on this machine, or an `entra` command without a sandbox's sign-in
  service) must then fail clearly: exit 0, or 2/3/4 with a fix in its output, never a traceback.
  The exit code its comment names is what a real instance would answer; it is not checked.
- **`entra signin` against a sandbox** — the code it prints is typed on the emulator's page, as
  the reader does in a browser; it must end signed in (exit 0).
- **ci** — the checks (`ruff`, `lint-imports`, `mypy`, `pytest` alone) must be lines of `.ci/run`,
  which CI runs on every change.
- **pytest** with arguments — collected (`--collect-only`, and without `--snapshot-update`, which
  would write): its paths and markers exist and it selects at least one test. Without a path
  (the whole suite, which CI runs), only its `-m` markers are checked against `pyproject.toml`.
- **bench** — `bench/NAME.py` must be a script `tests/bench/test_bench_scripts.py` runs.
- **pictures** — `docs/pictures/regenerate.py` must run `tests/docs/test_pictures.py`, which the
  suite runs.
- **tool** — `uv tool install` (and `uvx`) install the project offline, from uv's cache (no
  registry), into the test's own tool directory; `steeple-assistant` is then the installed one.
  Commands naming `.` (the clone) run in the repository's root, the others in a scratch folder.

Isolation: each block runs with its own HOME, XDG directories and assistant config directory,
the keyring's `fail` backend (nothing reaches the user's keyring), no display and `BROWSER=true`
(no browser opens), `LANG=C.UTF-8`, no controlling terminal (nothing asks the person running the
tests), and uv offline and without syncing, pointed at this project (`UV_PROJECT`). With a
sandbox's sign-in service, the Entra session goes to a file of the block's folder (what
`--token-cache` does on a machine without a secret store).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import pty
import re
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import httpx
import pytest

from tests.docs.doc_blocks import (
    OTHER_SHELL_FENCES,
    ROOT,
    Block,
    Command,
    Kind,
    all_blocks,
    ci_lines,
    kind,
    reaches_outside,
    strip_comment,
    synopsis_options,
)

BLOCKS = all_blocks()
SH_BLOCKS = [block for block in BLOCKS if block.commands]
EXECUTED = {Kind.RUN, Kind.SERVER, Kind.WEB, Kind.TUI, Kind.PYTEST, Kind.TOOL}
COMMAND_TIMEOUT = 240.0
START_TIMEOUT = 90.0
ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()=>][0-9A-Za-z]?"
)


def _commands() -> list[Command]:
    return [command for block in SH_BLOCKS for command in block.commands]


# --- Fast: every command has a rule, and the rules that need no process -------------------------


def test_the_docs_have_commands_in_every_audience_page() -> None:
    docs = {block.doc for block in SH_BLOCKS}
    for page in (
        "README.md",
        "CONTRIBUTING.md",
        "docs/admin-guide.md",
        "docs/entra.md",
        "docs/support.md",
        "docs/sandbox.md",
        "docs/developing.md",
    ):
        assert page in docs, f"{page} has no sh block: is it still collected?"


def test_every_command_is_covered() -> None:
    uncovered = [f"{c.where}: {c.text}" for c in _commands() if kind(c) is None]
    assert not uncovered, (
        "No rule of tests/docs/doc_blocks.py covers these doc commands (or they do not parse): "
        + "\n".join(uncovered)
    )


def test_commands_are_only_in_sh_blocks() -> None:
    """A command in a ```bash or an unmarked block would escape this test."""
    wrong = [b.where for b in BLOCKS if b.info in OTHER_SHELL_FENCES]
    for block in BLOCKS:
        has_commands = any(
            line.strip().startswith(("uv ", "steeple-assistant", "curl ")) for line in block.body
        )
        is_synopsis = bool(synopsis_options(block)) and "[" in " ".join(block.body)
        if block.info in ("", "text") and has_commands and not is_synopsis:
            wrong.append(block.where)
    assert not wrong, f"commands outside ```sh blocks (only synopses may be ```text): {wrong}"


def test_synopsis_options_exist() -> None:
    from assistant.cli.main import build_parser

    synopses = [(b, path, options) for b in BLOCKS for path, options in synopsis_options(b)]
    assert synopses, "the sandbox page's synopsis is no longer found"
    for block, path, options in synopses:
        help_text = io.StringIO()
        with contextlib.redirect_stdout(help_text), pytest.raises(SystemExit):
            build_parser().parse_args([*path, "--help"])
        for option in options:
            assert option in help_text.getvalue(), (
                f"{block.where}: {' '.join(path)} has no {option}"
            )


def test_ci_commands_are_what_ci_runs() -> None:
    for command in _commands():
        if kind(command) is Kind.CI:
            assert command.text in ci_lines(), f"{command.where}: `{command.text}` not in .ci/run"


def test_bench_commands_are_scripts_the_suite_runs() -> None:
    from tests.bench.test_bench_scripts import EXPECTED

    benches = [c for c in _commands() if kind(c) is Kind.BENCH]
    assert benches
    for command in benches:
        script = command.words()[3]
        assert (ROOT / script).is_file(), f"{command.where}: no {script}"
        assert Path(script).stem in EXPECTED, f"{command.where}: {script} is never run by a test"


def test_pictures_command_runs_the_pictures_test() -> None:
    for command in _commands():
        if kind(command) is Kind.PICTURES:
            source = (ROOT / command.words()[3]).read_text(encoding="utf-8")
            assert "tests/docs/test_pictures.py" in source, command.where


@pytest.mark.parametrize(
    ("line", "text", "comment"),
    [
        ("uv run x --json   # a note (exit 2)", "uv run x --json   ", "a note (exit 2)"),
        ("curl -H 'a # b' http://x # c", "curl -H 'a # b' http://x ", "c"),
        ('echo "#no" > f', 'echo "#no" > f', ""),
    ],
)
def test_comments_are_split_outside_quotes(line: str, text: str, comment: str) -> None:
    assert strip_comment(line) == (text, comment)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("uv run steeple-assistant --sandbox", Kind.TUI),
        ("uv run steeple-assistant --sandbox status --json", Kind.RUN),
        ("uv run steeple-assistant --sandbox statu", None),  # a typo does not parse
        ("uv run steeple-assistant status --no-such-option", None),
        ("uv run steeple-assistant sandbox serve --port 8700", Kind.SERVER),
        ("uv run steeple-assistant web --sandbox", Kind.WEB),
        ("uv run pytest", Kind.CI),
        ("uv run pytest -n 0 tests/docs", Kind.PYTEST),
        ("uv run python bench/startup.py", Kind.BENCH),
        ("rm -rf build", None),
    ],
)
def test_the_rules_refuse_what_they_do_not_know(text: str, expected: Kind | None) -> None:
    assert kind(Command("x.md", 1, text, "")) is expected


def test_an_address_outside_this_machine_is_the_outside_world() -> None:
    def outside(text: str, **env: str) -> bool:
        return reaches_outside(Command("x.md", 1, text, ""), env)

    assert outside("uv run steeple-assistant --url https://acme.steeple.com status")
    assert not outside("uv run steeple-assistant --url http://127.0.0.1:8700 status")
    assert outside("uv run steeple-assistant entra status")
    assert not outside("uv run steeple-assistant entra status", STEEPLE_ENTRA_AUTHORITY="x")
    assert not outside("uv run steeple-assistant --sandbox entra setup --yes")


# --- Slow: the commands, run ---------------------------------------------------------------------


@cache
def _uv_dirs() -> dict[str, str]:
    """uv's cache and Python installs, found before HOME is replaced (offline, they are all)."""
    dirs = {}
    for name, argv in (
        ("UV_CACHE_DIR", ["uv", "cache", "dir"]),
        ("UV_PYTHON_INSTALL_DIR", ["uv", "python", "dir"]),
    ):
        done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=60)
        dirs[name] = done.stdout.strip()
    return dirs


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class Terminal:
    """The reader's terminals for one block: its environment, its servers, what they printed."""

    def __init__(self, folder: Path) -> None:
        home, self.work = folder / "home", folder / "work"
        self.work.mkdir(parents=True)
        self.folder = folder
        nowhere = f"http://127.0.0.1:{_closed_port()}"
        kept = ("PATH", "USER", "LOGNAME", "SHELL", "TMPDIR")
        self.env = {name: value for name, value in os.environ.items() if name in kept}
        self.env.update(
            _uv_dirs(),
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_STATE_HOME=str(home / ".local" / "state"),
            STEEPLE_ASSISTANT_CONFIG_DIR=str(home / "steeple-assistant"),
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
            BROWSER="true",
            LANG="C.UTF-8",
            PYTHONUNBUFFERED="1",
            UV_PROJECT=str(ROOT),
            UV_OFFLINE="1",
            UV_NO_SYNC="1",
            UV_TOOL_DIR=str(folder / "uv-tools"),
            UV_TOOL_BIN_DIR=str(folder / "uv-bin"),
            HTTP_PROXY=nowhere,
            HTTPS_PROXY=nowhere,
            ALL_PROXY=nowhere,
            http_proxy=nowhere,
            https_proxy=nowhere,
            all_proxy=nowhere,
            NO_PROXY="127.0.0.1,localhost,::1",
            no_proxy="127.0.0.1,localhost,::1",
        )
        self.env["PATH"] = f"{folder / 'uv-bin'}{os.pathsep}{self.env.get('PATH', '')}"
        self.ports: dict[str, str] = {}
        self.admin_key: str | None = None
        self.servers: list[subprocess.Popen[str]] = []

    # the doc's placeholders, made this block's values
    def substitute(self, text: str) -> str:
        for doc_port, port in self.ports.items():
            text = re.sub(rf"(?<=[:\s]){doc_port}\b", port, text)
        if self.admin_key:
            text = text.replace("adm_…", self.admin_key)
        return text

    def cwd(self, command: Command) -> Path:
        return ROOT if "." in command.words() else self.work

    def check(self, command: Command) -> None:
        what = kind(command)
        assert what is not None, command.where
        text = self.substitute(command.text)
        if what is Kind.SERVER:
            self.start_server(command, text)
        elif what is Kind.WEB:
            self.run_web(command, text)
        elif what is Kind.TUI:
            self.run_tui(command, text)
        elif what is Kind.PYTEST:
            self.collect(command, text)
        elif what in (Kind.RUN, Kind.TOOL):
            self.run(command, text)

    def run(self, command: Command, text: str) -> None:
        args = command.assistant_args()
        if args is not None and args[:2] == ["entra", "signin"] and self.signs_in_to_sandbox():
            self.sign_in(command, text)
            return
        outside = reaches_outside(command, self.env)
        env_out = self.folder / "env.out"
        script = f"set -a\n{text}\n__rc=$?\nenv -0 > {env_out}\nexit $__rc\n"
        started = time.monotonic()
        done = subprocess.run(
            ["bash", "-c", script],
            cwd=self.cwd(command),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            check=False,
        )
        took = time.monotonic() - started
        seen = f"{command.where}: `{text}` exited {done.returncode} in {took:.1f} s\n"
        seen += f"--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
        assert "Traceback (most recent call last)" not in done.stdout + done.stderr, seen
        if outside:
            assert done.returncode in (0, 2, 3, 4), seen
            if done.returncode:
                assert re.search(r"\bfix\b", done.stdout + done.stderr, re.IGNORECASE), seen
        else:
            assert done.returncode == command.expected_exit, seen
        if args is not None and "--json" in args and not re.search(r"[|>]", text):
            json.loads(done.stdout)  # one JSON value, nothing else on stdout
        if env_out.exists():
            self.env = _read_env(env_out.read_bytes())

    def signs_in_to_sandbox(self) -> bool:
        return "STEEPLE_ENTRA_AUTHORITY" in self.env and "STEEPLE_ENTRA_CA_BUNDLE" in self.env

    def sign_in(self, command: Command, text: str) -> None:
        """`entra signin` against the sandbox: its code typed on `/devicelogin`, as people do."""
        process = subprocess.Popen(
            ["bash", "-c", text],
            cwd=self.work,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            shown = re.search(r"open (\S+) in a browser .* enter the code (\S+)\.", line)
            if shown:
                trusted = ssl.create_default_context(cafile=self.env["STEEPLE_ENTRA_CA_BUNDLE"])
                with httpx.Client(verify=trusted, timeout=10, trust_env=False) as browser:
                    page = browser.post(shown.group(1), data={"user_code": shown.group(2)})
                assert page.status_code == 200, page.text
                break
        rest, _ = process.communicate(timeout=COMMAND_TIMEOUT)
        output = "".join(lines) + rest
        assert process.returncode == command.expected_exit, f"{command.where}: {output}"

    def start_server(self, command: Command, text: str) -> None:
        doc_port = re.search(r"--port (\d+)", text)
        if doc_port:
            text = text.replace(doc_port.group(0), "--port 0")
        process, output = self._start(text, "Press Ctrl-C to stop.", command)
        port = re.search(r"Admin API:\s+http://127\.0\.0\.1:(\d+)/", output)
        key = re.search(r"Admin key:\s+(\S+)", output)
        assert port and key, f"{command.where}: {output}"
        if doc_port:
            self.ports[doc_port.group(1)] = port.group(1)
        self.admin_key = key.group(1)
        for name, value in re.findall(r"^\s*export (\w+)=(\S+)\s*$", output, re.MULTILINE):
            self.env[name] = value  # the lines the reader pastes, as the doc says
        if self.signs_in_to_sandbox():
            self.env["STEEPLE_ENTRA_TOKEN_CACHE"] = str(self.folder / "entra-session.json")

    def run_web(self, command: Command, text: str) -> None:
        text = re.sub(r"--port \d+", "--port 0", text)
        process, output = self._start(text, "secret=", command)
        address = re.search(r"http://127\.0\.0\.1:\d+/\?secret=[\w-]+", output)
        assert address, f"{command.where}: {output}"
        with httpx.Client(trust_env=False, timeout=20, follow_redirects=True) as browser:
            page = browser.get(address.group(0))
        assert page.status_code == 200, f"{command.where}: {page.status_code} {page.text[:500]}"
        self._stop(process, command)

    def run_tui(self, command: Command, text: str) -> None:
        args = command.assistant_args() or []
        wanted = (
            ("Install Azure AD",)
            if "--sandbox" in args
            else ("Steeple Provisioning Assistant", "Assistant d'approvisionnement Steeple")
        )
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        process = subprocess.Popen(
            ["bash", "-c", text],
            cwd=self.work,
            env={**self.env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"},
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
        )
        os.close(slave)
        screen = bytearray()
        reader = threading.Thread(target=_drain, args=(master, screen), daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not any(w in ESCAPES.sub("", screen.decode("utf-8", "replace")) for w in wanted):
                seen = ESCAPES.sub("", screen.decode("utf-8", "replace"))[-1500:]
                assert process.poll() is None, f"{command.where}: the TUI exited: {seen}"
                assert time.monotonic() < deadline, f"{command.where}: {wanted} never shown: {seen}"
                time.sleep(0.1)
            os.write(master, b"\x11")  # Ctrl+Q
            assert process.wait(timeout=30) == 0, command.where
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            os.close(master)

    def collect(self, command: Command, text: str) -> None:
        words = command.words()[3:]
        if not any((ROOT / word.split("::")[0]).exists() for word in words):
            # the whole suite, selected by markers: what CI runs, so only the markers are checked
            # here (collecting every test module takes longer than this whole page)
            for expression in _marker_expressions(words):
                for name in re.findall(r"[A-Za-z_]\w*", expression):
                    assert name in ("and", "or", "not") or name in _declared_markers(), (
                        f"{command.where}: marker {name!r} is not declared in pyproject.toml"
                    )
            return
        text = text.replace("--snapshot-update", "")
        done = subprocess.run(
            ["bash", "-c", f"{text} --collect-only -q -p no:cacheprovider -n 0"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            check=False,
        )
        # pytest exits 5 when nothing is selected, 4 on a path or option it does not know
        assert done.returncode == 0, f"{command.where}: {done.stdout[-2000:]}{done.stderr[-2000:]}"

    def _start(self, text: str, ready: str, command: Command) -> tuple[subprocess.Popen[str], str]:
        process = subprocess.Popen(
            ["bash", "-c", text],
            cwd=self.work,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self.servers.append(process)
        lines: list[str] = []
        threading.Thread(target=_collect_lines, args=(process, lines), daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while ready not in "".join(lines):
            assert process.poll() is None, f"{command.where}: exited: {''.join(lines)}"
            assert time.monotonic() < deadline, f"{command.where}: never ready: {''.join(lines)}"
            time.sleep(0.05)
        time.sleep(0.2)  # the lines printed with the ready line
        return process, "".join(lines)

    def _stop(self, process: subprocess.Popen[str], command: Command) -> None:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C, as the doc says
        try:
            code = process.wait(timeout=30)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.servers.remove(process)
        output = process.stdout.read() if process.stdout else ""
        # 0, or 130 (128 + SIGINT) where uv reports its child's Ctrl-C as a shell does
        assert code in (0, 130), f"{command.where}: Ctrl-C ended it with {code}"
        assert "Traceback (most recent call last)" not in output, f"{command.where}: {output}"

    def close(self, block: Block) -> None:
        for process in list(self.servers):
            self._stop(process, block.commands[0])


def _drain(master: int, screen: bytearray) -> None:
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            return
        if not chunk:
            return
        screen.extend(chunk)


def _collect_lines(process: subprocess.Popen[str], lines: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)


def _read_env(dump: bytes) -> dict[str, str]:
    env = {}
    for entry in dump.decode("utf-8", "surrogateescape").split("\0"):
        name, sep, value = entry.partition("=")
        if sep and name not in ("_", "SHLVL", "PWD", "OLDPWD", "__rc"):
            env[name] = value
    return env


def _marker_expressions(words: list[str]) -> list[str]:
    return [words[i + 1] for i, word in enumerate(words[:-1]) if word == "-m"]


@cache
def _declared_markers() -> frozenset[str]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = config["tool"]["pytest"]["ini_options"]["markers"]
    return frozenset(marker.split(":")[0].strip() for marker in markers)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("uv") is None:
        pytest.skip("uv is not on PATH: the docs' commands all start with it")
    opened = Terminal(tmp_path)
    yield opened
    for process in opened.servers:  # a failed block: its servers must not outlive it
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.slow  # runs the commands as processes
@pytest.mark.parametrize(
    "block",
    [b for b in SH_BLOCKS if any(kind(c) in EXECUTED for c in b.commands)],
    ids=lambda block: block.where,
)
def test_block_runs(block: Block, terminal: Terminal) -> None:
    for command in block.commands:
        terminal.check(command)
    terminal.close(block)
