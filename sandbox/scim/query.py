"""List queries: narrow by an indexed column when the filter allows it, then evaluate exactly.

Entra's queries are almost all `attr eq "value"` (possibly `and`-ed with a value path), so the
candidate set is found through an index and the full filter is evaluated on 0–1 rows; any other
filter falls back to a scan in insertion order, which is fine at sandbox scale.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.scim.filters import Compare, Logical, Node, matches
from sandbox.scim.identity import user_name_key


@dataclass(frozen=True)
class Page:
    total: int
    resources: list[dict[str, Any]]


def indexed_eq(node: Node, columns: dict[str, str]) -> tuple[str, str] | None:
    """(column, value) of an `attr eq "string"` on an indexed column that the filter requires."""
    if isinstance(node, Compare):
        path = node.path
        if (
            node.op == "eq"
            and path.urn is None
            and path.sub is None
            and isinstance(node.value, str)
            and path.name.casefold() in columns
        ):
            column = columns[path.name.casefold()]
            if column == "user_name_norm":  # the same key uniqueness uses
                value = user_name_key(node.value)
            else:
                value = node.value.casefold() if column.endswith("_norm") else node.value
            return column, value
        return None
    if isinstance(node, Logical) and node.op == "and":
        return indexed_eq(node.left, columns) or indexed_eq(node.right, columns)
    return None


def run_query(
    conn: sqlite3.Connection,
    *,
    table: str,
    select: str,
    columns: dict[str, str],
    node: Node | None,
    start_index: int,
    count: int,
    render: Callable[[sqlite3.Row], dict[str, Any]],
    enrich: Callable[[dict[str, Any]], None] | None = None,
) -> Page:
    """One page of `table` matching `node` (1-based `start_index`, at most `count` resources).

    `enrich` adds what the filter needs but the rendered row lacks (group members).
    """
    offset = start_index - 1
    if node is None:
        total = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        rows = conn.execute(f"{select} ORDER BY rowid LIMIT ? OFFSET ?", (count, offset))
        return Page(total, [render(row) for row in rows])
    narrowed = indexed_eq(node, columns)
    if narrowed is not None:
        column, value = narrowed
        rows = conn.execute(f"{select} WHERE {column} = ? ORDER BY rowid", (value,))
    else:
        rows = conn.execute(f"{select} ORDER BY rowid")
    hits: list[dict[str, Any]] = []
    for row in rows:
        resource = render(row)
        if enrich is not None:
            enrich(resource)
        if matches(node, resource):
            hits.append(resource)
    return Page(len(hits), hits[offset : offset + count])
