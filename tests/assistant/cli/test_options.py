"""The command line becomes one typed `Options`, the only reader of argparse's result: what each
command and the TUI receive, given before or after the subcommand."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from assistant.cli.main import parse_options
from assistant.cli.options import Options, language
from assistant.entra.location import (
    ENV_AUTHORITY,
    ENV_CA_BUNDLE,
    ENV_CLIENT_ID,
    ENV_GRAPH_URL,
    ENV_TOKEN_CACHE,
)
from assistant.entra.options import ENTRA_ENV, EntraOptions
from assistant.settings import Profile, Settings, save_settings

ROOT = Path(__file__).resolve().parents[3]
GRAPH = "https://graph.example/v1.0"


def test_a_subcommand_s_options_are_typed_fields() -> None:
    options = parse_options(["--url", "https://acme.example", "explain", "ada@x.fr", "--json"])
    assert options == Options(
        command="explain", url="https://acme.example", email="ada@x.fr", json=True
    )
    assert options.app_name == "Steeple"  # the parser's default, kept


@pytest.mark.parametrize("where", ["before", "after"])
def test_entra_location_options_land_in_entra_options_wherever_given(where: str) -> None:
    entra = ["--graph-url", GRAPH, "--entra-authority", "https://login.example/t"]
    argv = [*entra, "remove", "--yes"] if where == "before" else ["remove", "--yes", *entra]
    options = parse_options(argv)
    assert options.entra == EntraOptions(authority="https://login.example/t", graph_url=GRAPH)
    assert options.yes and not options.dry_run and options.command == "remove"


def test_options_a_command_lacks_keep_their_defaults() -> None:
    options = parse_options(["rotate-token", "--timeout", "90", "--via-graph"])
    assert (options.timeout, options.via_graph, options.yes) == (90.0, True, False)
    assert parse_options(["entra", "setup", "--groups", "A", "B"]).groups == ("A", "B")
    assert parse_options(["activate", "--dry-run"]).action == "activate"
    assert parse_options([]) == Options()  # no subcommand: the TUI, with every default


def test_options_cannot_change_once_built() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_options(["status"]).json = True  # type: ignore[misc]


def test_entra_options_are_configured_by_an_option_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert ENTRA_ENV == (
        ENV_AUTHORITY,
        ENV_GRAPH_URL,
        ENV_CLIENT_ID,
        ENV_CA_BUNDLE,
        ENV_TOKEN_CACHE,
    )
    for name in ENTRA_ENV:
        monkeypatch.delenv(name, raising=False)
    assert not EntraOptions().configured()
    assert EntraOptions(graph_url=GRAPH).configured()
    assert EntraOptions(graph_url=GRAPH).settings().graph_url == GRAPH
    monkeypatch.setenv(ENV_GRAPH_URL, "https://graph.microsoft.us/v1.0")
    assert EntraOptions().configured()
    assert EntraOptions(graph_url=GRAPH).settings().graph_url == GRAPH  # the option wins


def test_language_is_the_option_then_the_profile_then_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STEEPLE_ASSISTANT_CONFIG_DIR", str(tmp_path))
    save_settings(Settings(profiles={"acme": Profile("acme", lang="fr")}, lang="en"))
    assert language(Options(profile="acme")) == "fr"
    assert language(Options(profile="acme", lang="en")) == "en"
    assert language(Options(profile="other")) == "en"


def _namespace_readers(path: Path) -> list[str]:
    """Functions of `path` taking an `argparse.Namespace` parameter."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for arg in node.args.args:
                if arg.annotation is not None and "Namespace" in ast.unparse(arg.annotation):
                    found.append(f"{path.relative_to(ROOT)}:{node.name}")
    return found


def test_no_namespace_travels_past_the_options_object() -> None:
    """Only `Options.from_namespace` reads argparse's result (the sandbox's own subcommands,
    in sandbox/, parse and read their own options)."""
    sources = [*ROOT.joinpath("assistant").rglob("*.py"), *ROOT.joinpath("screens").rglob("*.py")]
    readers = [found for path in sources for found in _namespace_readers(path)]
    assert readers == ["assistant/cli/options.py:from_namespace"]
