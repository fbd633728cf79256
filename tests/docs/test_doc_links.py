"""The docs' links lead somewhere: every relative link names a file of the repository, and every
`#anchor` a heading of that page (as GitHub makes anchors of headings)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs.doc_blocks import ROOT, doc_paths

LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(page: Path) -> set[str]:
    """GitHub's anchors: lower case, punctuation dropped but `-` and `_`, spaces made `-`."""
    found = set()
    in_fence = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if in_fence or not line.startswith("#"):
            continue
        title = line.lstrip("#").strip().lower()
        found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


def links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [target for target in LINK.findall(text) if not target.startswith(("http", "mailto"))]


@pytest.mark.parametrize("page", doc_paths(), ids=lambda page: page.relative_to(ROOT).as_posix())
def test_relative_links_and_anchors_resolve(page: Path) -> None:
    for target in links(page):
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.relative_to(ROOT)}: {target} names no file"
        if anchor:
            assert anchor in anchors(linked), f"{page.relative_to(ROOT)}: no heading for {target}"


def test_anchors_follow_github() -> None:
    page = ROOT / "docs" / "sandbox.md"
    assert "fidelity-what-microsoft-documents-and-where-the-choice-is-ours" in anchors(page)
