"""SCIM filter expressions (RFC 7644 §3.4.2.2): parse once, evaluate against stored JSON resources.

Why our own small parser rather than `scim2-filter-parser`: that library's useful output is a SQL
transpilation against a fixed attribute → column map, but our resources are stored as the JSON
Entra sent (only a few attributes have columns), so we need evaluation against a document, and
the same AST must also serve PATCH value paths (`emails[type eq "work"].value`,
`members[value eq "…"]`). A recursive-descent parser over a regex tokenizer is ~200 lines,
has no per-call setup cost, and lets the hot Entra form `attr eq "value"` be recognised by a
single regex (`simple_eq`) and answered from an indexed column.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from sandbox.scim.errors import ScimError, invalid_filter
from sandbox.scim.identity import user_name_key
from sandbox.strict_input import has_lone_surrogate

USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_URNS = {USER_URN.casefold(), GROUP_URN.casefold()}

COMPARE_OPS = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"}
# Attributes whose string comparisons are case-sensitive (RFC 7643 caseExact: true).
CASE_EXACT = {"id", "externalid", "$ref", "version"}
MAX_FILTER_LENGTH = 4096
# Entra sends one `eq`; a generous cap on operators bounds the per-row evaluation cost.
MAX_FILTER_OPERATORS = 64
_OPERATOR_WORDS = COMPARE_OPS | {"pr", "and", "or", "not"}

_TOKEN = re.compile(
    r"""\s*(?:(?P<lp>\()|(?P<rp>\))|(?P<lb>\[)|(?P<rb>\])|(?P<str>"(?:[^"\\]|\\.)*")|"""
    r"""(?P<word>[^\s()\[\]"]+))"""
)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_SIMPLE_EQ = re.compile(r'^\s*([A-Za-z][\w$.:-]*)\s+[eE][qQ]\s+"((?:[^"\\]|\\.)*)"\s*$')


@dataclass(frozen=True)
class AttrPath:
    """`[urn:]name[.sub]`; `urn` is None for core attributes."""

    urn: str | None
    name: str
    sub: str | None = None


@dataclass(frozen=True)
class Compare:
    path: AttrPath
    op: str
    value: Any


@dataclass(frozen=True)
class Present:
    path: AttrPath


@dataclass(frozen=True)
class ValuePath:
    """`name[filter]` in a filter: true when some element of the multi-valued attribute matches."""

    path: AttrPath
    inner: Node


@dataclass(frozen=True)
class Logical:
    op: str  # "and" | "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Not:
    inner: Node


Node = Compare | Present | ValuePath | Logical | Not


def parse_attr_path(text: str) -> AttrPath:
    """Split `urn:…:User:manager.value` / `name.givenName` / `userName` into an AttrPath."""
    urn: str | None = None
    rest = text
    if text[:4].casefold() == "urn:":
        head, sep, tail = text.rpartition(":")
        if not sep or not tail:
            raise invalid_filter(f"invalid attribute path {text[:80]!r}")
        urn, rest = head, tail
        if urn.casefold() in CORE_URNS:
            urn = None
    parts = rest.split(".")
    if len(parts) > 2 or not all(re.fullmatch(r"\$?[A-Za-z][\w-]*", p) for p in parts):
        raise invalid_filter(f"invalid attribute path {text[:80]!r}")
    return AttrPath(urn, parts[0], parts[1] if len(parts) == 2 else None)


def simple_eq(text: str) -> tuple[str, str] | None:
    """The hot Entra form `attr eq "value"` → (attr, value), or None for anything else."""
    match = _SIMPLE_EQ.match(text)
    if match is None:
        return None
    raw = match.group(2)
    if "\\" not in raw:
        return match.group(1), raw
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return None  # a bad escape (`\x`): the full parser refuses it as invalidFilter
    return None if has_lone_surrogate(value) else (match.group(1), value)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise invalid_filter(f"unexpected character at position {pos}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
        operators = sum(
            1 for k, t in self.tokens if k == "word" and t.casefold() in _OPERATOR_WORDS
        )
        if operators > MAX_FILTER_OPERATORS:
            raise invalid_filter(f"filter too complex (over {MAX_FILTER_OPERATORS} operators)")
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise invalid_filter("unexpected end of filter")
        self.pos += 1
        return token

    def peek_word(self) -> str | None:
        token = self.peek()
        return token[1].casefold() if token and token[0] == "word" else None

    def parse(self) -> Node:
        node = self.parse_or()
        if self.peek() is not None:
            raise invalid_filter(f"unexpected {self.peek()[1][:40]!r}")  # type: ignore[index]
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.peek_word() == "or":
            self.take()
            node = Logical("or", node, self.parse_and())
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.peek_word() == "and":
            self.take()
            node = Logical("and", node, self.parse_not())
        return node

    def parse_not(self) -> Node:
        if self.peek_word() == "not":
            self.take()
            return Not(self.parse_group())
        return self.parse_atom()

    def parse_group(self) -> Node:
        if self.take()[0] != "lp":
            raise invalid_filter("expected '(' after 'not'")
        node = self.parse_or()
        if self.take()[0] != "rp":
            raise invalid_filter("expected ')'")
        return node

    def parse_atom(self) -> Node:
        token = self.peek()
        if token is not None and token[0] == "lp":
            return self.parse_group()
        kind, text = self.take()
        if kind != "word":
            raise invalid_filter(f"expected an attribute, got {text[:40]!r}")
        path = parse_attr_path(text)
        if self.peek() is not None and self.peek()[0] == "lb":  # type: ignore[index]
            self.take()
            inner = self.parse_or()
            if self.take()[0] != "rb":
                raise invalid_filter("expected ']'")
            return ValuePath(path, inner)
        op = self.peek_word()
        if op == "pr":
            self.take()
            return Present(path)
        if op not in COMPARE_OPS:
            raise invalid_filter(f"unknown operator {op!r}" if op else "expected an operator")
        self.take()
        return Compare(path, op, self.parse_value())

    def parse_value(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            try:
                value = json.loads(text)
            except ValueError as exc:
                raise invalid_filter("invalid string literal") from exc
            if has_lone_surrogate(value):
                raise invalid_filter("a string literal holds a lone UTF-16 surrogate")
            return value
        if kind == "word":
            lowered = text.casefold()
            if lowered in ("true", "false"):
                return lowered == "true"
            if lowered == "null":
                return None
            if _NUMBER.fullmatch(text):  # JSON numbers only: not NaN, Infinity, {} or []
                try:
                    number = json.loads(text)
                except ValueError:  # more digits than Python converts
                    number = math.inf
                if not (isinstance(number, float) and not math.isfinite(number)):
                    return number
        raise invalid_filter(f"invalid comparison value {text[:40]!r}")


def parse_filter(text: str) -> Node:
    """Parse a filter or raise a 400 `invalidFilter` ScimError."""
    if len(text) > MAX_FILTER_LENGTH:
        raise invalid_filter("filter too long")
    if not text.strip():
        raise invalid_filter("empty filter")
    try:
        return _Parser(text).parse()
    except ScimError:
        raise
    except RecursionError as exc:
        raise invalid_filter("filter nested too deeply") from exc


def get_ci(obj: Any, key: str) -> Any:
    """Case-insensitive attribute lookup (SCIM attribute names are case-insensitive)."""
    if not isinstance(obj, dict):
        return None
    if key in obj:
        return obj[key]
    folded = key.casefold()
    for existing, value in obj.items():
        if existing.casefold() == folded:
            return value
    return None


def values_at(resource: dict[str, Any], path: AttrPath) -> list[Any]:
    """Every value `path` designates in `resource` (multi-valued attributes flattened)."""
    container: Any = resource if path.urn is None else get_ci(resource, path.urn)
    value = get_ci(container, path.name)
    items = value if isinstance(value, list) else [value]
    out: list[Any] = []
    for item in items:
        if item is None:
            continue
        if path.sub is not None:
            sub = get_ci(item, path.sub)
            if sub is not None:
                out.extend(sub if isinstance(sub, list) else [sub])
        elif isinstance(item, dict) and path.name.casefold() not in ("name", "meta", "manager"):
            # A complex multi-valued attribute without sub-attribute compares its "value".
            sub = get_ci(item, "value")
            if sub is not None:
                out.append(sub)
        else:
            out.append(item)
    return out


def _compare(actual: Any, op: str, expected: Any, case_exact: bool) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool) or expected is None:
        if op == "eq":
            return bool(actual == expected)
        if op == "ne":
            return bool(actual != expected)
        return False
    if isinstance(actual, str) and isinstance(expected, str):
        if not case_exact:
            actual, expected = actual.casefold(), expected.casefold()
    elif not (isinstance(actual, int | float) and isinstance(expected, int | float)):
        return op == "ne"
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if op in ("co", "sw", "ew"):
        if not isinstance(actual, str):
            return False
        if op == "co":
            return expected in actual
        return actual.startswith(expected) if op == "sw" else actual.endswith(expected)
    if op == "gt":
        return bool(actual > expected)
    if op == "ge":
        return bool(actual >= expected)
    if op == "lt":
        return bool(actual < expected)
    return bool(actual <= expected)


def matches(node: Node, resource: dict[str, Any]) -> bool:
    """Evaluate a parsed filter against one (rendered) resource."""
    if isinstance(node, Logical):
        if node.op == "and":
            return matches(node.left, resource) and matches(node.right, resource)
        return matches(node.left, resource) or matches(node.right, resource)
    if isinstance(node, Not):
        return not matches(node.inner, resource)
    if isinstance(node, Present):
        return any(v not in ("", [], {}) for v in values_at(resource, node.path))
    if isinstance(node, ValuePath):
        container: Any = resource if node.path.urn is None else get_ci(resource, node.path.urn)
        elements = get_ci(container, node.path.name)
        if not isinstance(elements, list):
            elements = [elements] if isinstance(elements, dict) else []
        return any(isinstance(e, dict) and matches(node.inner, e) for e in elements)
    actual_values = values_at(resource, node.path)
    if _is_user_name_equality(node):  # the key userName is unique by, so lookups agree
        key = user_name_key(node.value)
        hit = any(isinstance(v, str) and user_name_key(v) == key for v in actual_values)
        return hit if node.op == "eq" else not hit
    case_exact = (node.path.sub or node.path.name).casefold() in CASE_EXACT
    if node.op == "ne":
        return not any(_compare(v, "eq", node.value, case_exact) for v in actual_values)
    return any(_compare(v, node.op, node.value, case_exact) for v in actual_values)


def _is_user_name_equality(node: Compare) -> bool:
    path = node.path
    return (
        node.op in ("eq", "ne")
        and isinstance(node.value, str)
        and path.urn is None
        and path.sub is None
        and path.name.casefold() == "username"
    )


def mentions(node: Node, attribute: str) -> bool:
    """Whether the filter reads top-level `attribute` (to load group members only if needed)."""
    folded = attribute.casefold()
    if isinstance(node, Logical):
        return mentions(node.left, attribute) or mentions(node.right, attribute)
    if isinstance(node, Not):
        return mentions(node.inner, attribute)
    return node.path.urn is None and node.path.name.casefold() == folded
