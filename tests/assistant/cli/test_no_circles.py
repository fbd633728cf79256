"""No two modules of assistant/ import each other, directly or through others — imports inside
functions included (grimp reads them), since a late import still ties the two modules together.
Before the typed options and the one runner, eight pairs did (cli.main ↔ cli.rotate through
`_lang`, cli.entra ↔ cli.entra_setup ↔ cli.headless, cli.headless ↔ support.doctor…)."""

from __future__ import annotations

import grimp


def test_no_module_of_assistant_reaches_back_to_its_importer() -> None:
    graph = grimp.build_graph("assistant", exclude_type_checking_imports=True)
    circles = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith("assistant.")
        and graph.chain_exists(importer=imported, imported=module)
    )
    assert circles == []


def test_the_screens_never_import_the_command_line() -> None:
    graph = grimp.build_graph("screens", "assistant", exclude_type_checking_imports=True)
    into_cli = [
        (module, imported)
        for module in graph.find_children("screens") | graph.find_descendants("screens")
        for imported in graph.find_modules_directly_imported_by(module)
        if imported == "assistant.cli" or imported.startswith("assistant.cli.")
    ]
    assert into_cli == []
