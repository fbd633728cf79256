"""Unit tests of the PATCH engine (pure functions, no server: fast and many); the filter parser's
are `test_filters.py`."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.scim.errors import ScimError
from sandbox.scim.patch import apply_patch
from sandbox.scim.resources import group_from_body, user_from_body
from tests.support.scim import BJENSEN as USER
from tests.support.scim import ENTERPRISE, FILTER_PIECES


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
            "path": st.one_of(
                st.none(), st.text(max_size=12), st.sampled_from(FILTER_PIECES), st.integers()
            ),
            "value": JSON_VALUES,
        },
    ),
    max_size=4,
)


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
