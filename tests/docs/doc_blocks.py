"""The shell commands of the docs, as `tests/docs/test_doc_commands.py` reads and sorts them.

A doc's commands are the lines of its fenced ```sh blocks: a `\\` at the end of a line continues
it, a line starting with `#` is a comment for the reader, and a trailing `# …` comment may say
`(exit N)`, the exit code the command must end with (0 otherwise). Each command is sorted into
one `Kind`, which says how the test checks it; a command that fits none fails the test.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHELL_FENCES = {"sh"}
"""The one fence the docs use for commands; `bash`, `shell`, `console` are refused (below)."""
OTHER_SHELL_FENCES = {"bash", "shell", "console", "zsh", "shell-session"}
EXIT_NOTE = re.compile(r"\(exit (\d+)\)")
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
SUBSTITUTION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=\$\((curl|uv run python) ")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class Kind(StrEnum):
    """How a command is checked (see the test module's docstring)."""

    RUN = "run"
    SERVER = "server"
    WEB = "web"
    TUI = "tui"
    CI = "ci"
    PYTEST = "pytest"
    BENCH = "bench"
    PICTURES = "pictures"
    TOOL = "tool"


@dataclass(frozen=True)
class Command:
    doc: str
    line: int
    text: str
    """The command as the shell gets it: continuations joined, the trailing comment removed."""
    comment: str

    @property
    def expected_exit(self) -> int:
        found = EXIT_NOTE.search(self.comment)
        return int(found.group(1)) if found else 0

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"

    def words(self) -> list[str]:
        """The first simple command's words, without leading `NAME=value` assignments."""
        words = []
        for word in shlex.split(self.text):
            if word in ("|", "&&", ";", ">", "||"):
                break
            words.append(word)
        while words and ASSIGNMENT.match(words[0]):
            words.pop(0)
        return words

    def assistant_args(self) -> list[str] | None:
        """The arguments of `steeple-assistant` (run by uv, uvx or as an installed tool)."""
        words = self.words()
        for head in (["uv", "run", "steeple-assistant"], ["steeple-assistant"]):
            if words[: len(head)] == head:
                return words[len(head) :]
        if words[:1] == ["uvx"] and "steeple-assistant" in words:
            return words[words.index("steeple-assistant") + 1 :]
        return None


@dataclass(frozen=True)
class Block:
    doc: str
    line: int
    info: str
    body: tuple[str, ...]
    commands: tuple[Command, ...]

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"


def doc_paths() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]


def blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, with its commands when it is an `sh` block."""
    doc = path.relative_to(ROOT).as_posix()
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        fence = lines[index].strip()
        if not fence.startswith("```"):
            index += 1
            continue
        info, start = fence[3:].strip(), index + 1
        end = start
        while end < len(lines) and not lines[end].strip().startswith("```"):
            end += 1
        body = tuple(lines[start:end])
        commands = tuple(split_commands(doc, start + 1, body)) if info in SHELL_FENCES else ()
        found.append(Block(doc, index + 1, info, body, commands))
        index = end + 1
    return found


def all_blocks() -> list[Block]:
    return [block for path in doc_paths() for block in blocks(path)]


def split_commands(doc: str, first_line: int, body: tuple[str, ...]) -> list[Command]:
    commands = []
    index = 0
    while index < len(body):
        line, number = body[index], first_line + index
        index += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        while line.endswith("\\") and index < len(body):
            line = line[:-1] + " " + body[index].strip()
            index += 1
        text, comment = strip_comment(line)
        commands.append(Command(doc, number, text.strip(), comment))
    return commands


def strip_comment(line: str) -> tuple[str, str]:
    """Split `cmd   # comment` outside quotes (a `#` after white space starts a comment)."""
    quote = ""
    for position, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (position == 0 or line[position - 1].isspace()):
            return line[:position], line[position + 1 :].strip()
    return line, ""


@cache
def ci_lines() -> frozenset[str]:
    return frozenset(
        line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    )


def kind(command: Command) -> Kind | None:
    """The one way `command` is checked, or None when no rule covers it."""
    words = command.words()
    if not words or SUBSTITUTION.match(command.text):
        return Kind.RUN  # only assignments: `URL="…"`, `TOKEN=$(curl … | …)`
    args = command.assistant_args()
    if args is not None:
        return _assistant_kind(args)
    if words[:2] == ["uv", "run"] and len(words) > 2:
        tool = words[2]
        if tool in ("ruff", "lint-imports", "mypy") or command.text == "uv run pytest":
            return Kind.CI
        if tool == "pytest":
            return Kind.PYTEST
        if tool == "python" and len(words) > 3:
            if words[3].startswith("bench/"):
                return Kind.BENCH
            if words[3] == "docs/pictures/regenerate.py":
                return Kind.PICTURES
            if words[3] in ("-m", "-c"):
                return Kind.RUN
        return None
    if words[:3] == ["uv", "tool", "install"]:
        return Kind.TOOL
    if words[0] in ("curl", "export", "echo"):
        return Kind.RUN
    return None


def _assistant_kind(args: list[str]) -> Kind | None:
    from assistant.cli.main import build_parser

    if args in (["--help"], ["--version"]):
        return Kind.RUN
    try:
        parsed = build_parser().parse_args(args)
    except SystemExit:
        return None  # does not parse: no rule can cover it
    # A subcommand sets `handler` (ours) or `func` (the sandbox's own); none opens the TUI.
    if getattr(parsed, "handler", None) is None and getattr(parsed, "func", None) is None:
        return Kind.TUI
    if parsed.command == "web":
        return Kind.WEB
    if parsed.command == "sandbox" and parsed.sandbox_command == "serve":
        return Kind.SERVER
    return Kind.RUN


def reaches_outside(command: Command, env: dict[str, str]) -> bool:
    """True when the command would talk to a real instance or to Microsoft: an address that is
    not this machine's, or an `entra` command with no sandbox sign-in service configured."""
    for url in re.findall(r"https?://([^/\s\"']+)", command.text):
        if not url.startswith(LOOPBACK_HOSTS):
            return True
    args = command.assistant_args() or []
    talks_to_entra = "entra" in args and "sandbox" not in args
    return talks_to_entra and "--sandbox" not in args and "STEEPLE_ENTRA_AUTHORITY" not in env


def synopsis_options(block: Block) -> list[tuple[list[str], list[str]]]:
    """In a ```text synopsis of `uv run steeple-assistant …`: (the subcommand path, its options)."""
    text = " ".join(line.rstrip("\\").strip() for line in block.body)
    if block.info != "text" or not text.startswith("uv run steeple-assistant "):
        return []
    words = text.split()[2:]
    path = []
    for word in words[1:]:
        if word.startswith(("[", "-")):
            break
        path.append(word)
    options = [w.strip("[]") for w in words if w.lstrip("[").startswith("--")]
    return [(path, options)]
