"""Unit tests of the SCIM filter parser (RFC 7644 §3.4.2.2): evaluation, the plain-equality fast
path, invalid filters as `invalidFilter`, and never a 500 whatever the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.scim.errors import ScimError
from sandbox.scim.filters import matches, parse_filter, simple_eq
from tests.support.scim import BJENSEN as USER
from tests.support.scim import ENTERPRISE, FILTER_PIECES


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


@pytest.mark.slow  # property-based
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FILTER_PIECES), max_size=12).map("".join))
def test_any_filter_text_parses_or_is_a_scim_error(text: str) -> None:
    try:
        node = parse_filter(text)
    except ScimError as error:
        assert error.status == 400
    else:
        matches(node, USER)
