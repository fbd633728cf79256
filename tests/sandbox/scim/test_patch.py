"""Unit tests of the filter parser and PATCH engine (pure functions, no server: fast and many)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.scim.errors import ScimError
from sandbox.scim.filters import matches, parse_filter, simple_eq
from sandbox.scim.patch import apply_patch
from sandbox.scim.resources import group_from_body, user_from_body
from tests.support.scim import ENTERPRISE

USER: dict[str, Any] = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    "id": "2819c223",
    "externalId": "Bjensen",
    "userName": "bjensen@example.com",
    "name": {"givenName": "Barbara", "familyName": "Jensen"},
    "active": True,
    "emails": [
        {"value": "bjensen@example.com", "type": "work", "primary": True},
        {"value": "babs@jensen.org", "type": "home"},
    ],
    "meta": {"lastModified": "2011-05-13T04:42:34Z"},
    ENTERPRISE: {"department": "Tour Operations", "manager": {"value": "26118915"}},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('userName eq "BJENSEN@example.com"', True),
        ('externalId eq "bjensen"', False),  # caseExact
        ('name.familyName co "ens"', True),
        ('userName sw "bj" and userName ew ".com"', True),
        ('userName sw "x" or active eq true', True),
        ("title pr", False),
        ("emails pr", True),
        ('emails[type eq "work" and value co "@example.com"]', True),
        ('emails[type eq "other"]', False),
        ('emails co "jensen.org"', True),
        ('meta.lastModified gt "2011-05-13T04:42:34Z"', False),
        ('meta.lastModified ge "2011-05-13T04:42:34Z"', True),
        ('not (userName eq "bjensen@example.com")', False),
        ('userName ne "other"', True),
        (f'{ENTERPRISE}:department eq "tour operations"', True),
        (f'{ENTERPRISE}:manager.value eq "26118915"', True),
        ('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen@example.com"', True),
        ("active eq false", False),
        ('userName eq "a" or (name.givenName eq "Barbara" and active eq true)', True),
    ],
)
def test_filter_evaluation(text: str, expected: bool) -> None:
    assert matches(parse_filter(text), USER) is expected


def test_simple_eq_fast_path_recognises_only_the_plain_form() -> None:
    assert simple_eq('userName eq "a@b.c"') == ("userName", "a@b.c")
    assert simple_eq('displayName EQ "Say \\"hi\\""') == ("displayName", 'Say "hi"')
    assert simple_eq('userName eq "a" and active eq true') is None
    assert simple_eq('members[value eq "x"]') is None


@pytest.mark.parametrize("text", ['a eq "', "a eq", "(a pr", "a pr)", "a zz 1", "a eq b", ""])
def test_invalid_filters_raise_invalid_filter(text: str) -> None:
    with pytest.raises(ScimError) as raised:
        parse_filter(text)
    assert raised.value.status == 400 and raised.value.scim_type == "invalidFilter"


def patched(*operations: dict[str, Any]) -> dict[str, Any]:
    resource = copy.deepcopy(USER)
    result, _ = apply_patch(resource, {"Operations": list(operations)}, is_group=False)
    assert resource == USER, "the input document is never mutated"
    return result


def test_patch_filtered_remove_keeps_the_others() -> None:
    result = patched({"op": "Remove", "path": 'emails[type eq "home"]'})
    assert [e["type"] for e in result["emails"]] == ["work"]


def test_patch_replace_complex_merges_sub_attributes() -> None:
    result = patched({"op": "replace", "path": "name", "value": {"givenName": "Babs"}})
    assert result["name"] == {"givenName": "Babs", "familyName": "Jensen"}


def test_patch_whole_extension_by_urn() -> None:
    result = patched({"op": "add", "path": ENTERPRISE, "value": {"costCenter": "42"}})
    assert result[ENTERPRISE]["costCenter"] == "42"
    assert result[ENTERPRISE]["department"] == "Tour Operations"


def test_patch_case_insensitive_attribute_names_keep_existing_key() -> None:
    result = patched({"op": "Replace", "path": "USERNAME", "value": "b@example.com"})
    assert result["userName"] == "b@example.com"
    assert "USERNAME" not in result


def test_patch_adds_extension_schema_when_creating_it() -> None:
    resource = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "x"}
    result, _ = apply_patch(
        resource,
        {"Operations": [{"op": "add", "path": f"{ENTERPRISE}:department", "value": "D"}]},
        is_group=False,
    )
    assert result[ENTERPRISE] == {"department": "D"}
    assert ENTERPRISE in result["schemas"]


def test_group_member_operations_are_returned_in_order() -> None:
    _, member_ops = apply_patch(
        {"displayName": "G"},
        {
            "Operations": [
                {"op": "Add", "path": "members", "value": [{"value": "a"}, {"value": "b"}]},
                {"op": "Remove", "path": "members", "value": [{"value": "a"}]},
                {"op": "remove", "path": 'members[value eq "b"]'},
                {"op": "replace", "value": {"members": [{"value": "c"}]}},
            ]
        },
        is_group=True,
    )
    assert [(op.kind, op.ids) for op in member_ops] == [
        ("add", ["a", "b"]),
        ("remove", ["a"]),
        ("remove_matching", []),
        ("replace", ["c"]),
    ]


# --- Never a 500: arbitrary input either parses or raises a ScimError (a 4xx) -------------------


FILTER_ALPHABET = st.sampled_from(
    [
        "userName",
        "emails",
        "[",
        "]",
        "(",
        ")",
        '"a"',
        '"',
        " eq ",
        " and ",
        " or ",
        "not",
        " pr",
        ".",
        "value",
        "urn:x:y",
        ":",
        "1",
        "true",
        "null",
        " ",
        "\\",
        "co",
        "type",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
OPERATIONS = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "op": st.sampled_from(["add", "Replace", "REMOVE", "x", 1]),
            "path": st.one_of(st.none(), st.text(max_size=12), FILTER_ALPHABET, st.integers()),
            "value": JSON_VALUES,
        },
    ),
    max_size=4,
)


@pytest.mark.slow  # property-based
@settings(max_examples=300, deadline=None)
@given(st.lists(FILTER_ALPHABET, max_size=12).map("".join))
def test_any_filter_text_parses_or_is_a_scim_error(text: str) -> None:
    try:
        node = parse_filter(text)
    except ScimError as error:
        assert error.status == 400
    else:
        matches(node, USER)


@pytest.mark.slow  # property-based
@settings(max_examples=300, deadline=None)
@given(OPERATIONS, st.booleans())
def test_any_patch_applies_or_is_a_scim_error(operations: list[Any], is_group: bool) -> None:
    resource = {"displayName": "G"} if is_group else copy.deepcopy(USER)
    try:
        result, _ = apply_patch(resource, {"Operations": operations}, is_group=is_group)
        (group_from_body if is_group else user_from_body)(result)
    except ScimError as error:
        assert 400 <= error.status < 500


def test_odd_but_valid_shapes_do_not_crash() -> None:
    result = patched({"op": "remove", "path": "emails", "value": [{"value": {"nested": 1}}]})
    assert len(result["emails"]) == 2
    _, members, _ = group_from_body({"displayName": "G", "members": [{"Value": "abc"}]})
    assert members[0]["value"] == "abc"
