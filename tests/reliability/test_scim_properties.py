"""Property-based SCIM tests over real HTTP: PATCH and filters agree with a plain in-memory model;
invalid operations and filters get RFC 7644 §3.12 errors and change nothing.

The model below is written from RFC 7644 and Entra's documented request shapes, independently of
`sandbox/scim/patch.py` and `filters.py` — it does not call them.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.scim import ENTERPRISE, PATCH_SCHEMA, entra_user, scim_patch

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
EXAMPLES = 60
_serial = itertools.count()

text = st.text(
    alphabet=st.sampled_from("abcdefXYZ éÉßø-_. 0123456789"), min_size=1, max_size=12
).filter(lambda s: s.strip() != "")

pytestmark = pytest.mark.slow  # property-based, over real HTTP

# --- PATCH: operations and their meaning in the model --------------------------------------

Op = tuple[str, dict[str, Any]]


def model_apply(model: dict[str, Any], op: dict[str, Any]) -> None:
    """The meaning of each generated operation on a plain dict of the attributes we track."""
    kind, path, value = op["op"].casefold(), op.get("path"), op.get("value")
    if path is None:  # path-less replace/add: each key as if it were a path
        for key, item in value.items():
            model_apply(model, {"op": kind, "path": key, "value": item})
        return
    if path == 'emails[type eq "work"].value':
        model["work_email"] = value
    elif path.startswith(ENTERPRISE + ":"):
        model["department"] = None if kind == "remove" else value
    elif path == "name.givenName":
        model["givenName"] = value
    elif kind == "remove":
        model[path] = None
    else:
        model[path] = value


def observed(user: dict[str, Any]) -> dict[str, Any]:
    """The same attributes read back from a SCIM user document."""
    work = [e.get("value") for e in user.get("emails", []) if e.get("type") == "work"]
    return {
        "displayName": user.get("displayName"),
        "title": user.get("title"),
        "active": user.get("active", True),
        "givenName": (user.get("name") or {}).get("givenName"),
        "work_email": work[0] if work else None,
        "department": (user.get(ENTERPRISE) or {}).get("department"),
    }


def op_of(kind: str, path: str | None, value: Any = None) -> dict[str, Any]:
    op: dict[str, Any] = {"op": kind}
    if path is not None:
        op["path"] = path
    if kind != "remove":
        op["value"] = value
    return op


cases = st.sampled_from(["replace", "Replace", "add", "Add"])
valid_ops = st.one_of(
    st.builds(op_of, cases, st.just("displayName"), text),
    st.builds(op_of, cases, st.just("title"), text),
    st.builds(op_of, st.sampled_from(["remove", "Remove"]), st.sampled_from(["title"])),
    st.builds(op_of, cases, st.just("active"), st.booleans()),
    st.builds(op_of, cases, st.just("name.givenName"), text),
    st.builds(
        op_of, cases, st.just('emails[type eq "work"].value'), text.map(lambda s: s + "@x.io")
    ),
    st.builds(op_of, cases, st.just(f"{ENTERPRISE}:department"), text),
    st.builds(op_of, st.just("remove"), st.just(f"{ENTERPRISE}:department")),
    st.builds(
        lambda name, active: op_of("replace", None, {"displayName": name, "active": active}),
        text,
        st.booleans(),
    ),
)

invalid_bodies = st.one_of(
    st.just({"schemas": [PATCH_SCHEMA]}),  # no Operations
    st.just({"schemas": [PATCH_SCHEMA], "Operations": []}),
    st.just({"schemas": [PATCH_SCHEMA], "Operations": "replace"}),
    st.just([]),
    st.builds(
        lambda bad, good: {"schemas": [PATCH_SCHEMA], "Operations": [good, bad]},
        st.one_of(
            st.builds(
                op_of, st.sampled_from(["frobnicate", "", "delete", "move"]), st.just("title"), text
            ),
            st.just({"op": "remove"}),  # remove without a path
            st.just({"op": "replace", "value": "not an object"}),
            st.builds(
                op_of,
                st.just("replace"),
                st.sampled_from(
                    ["emails[type eq]", 'emails[type eq "work"', "name..givenName", "emails[", "]"]
                ),
                text,
            ),
            st.builds(
                op_of, st.just("replace"), st.just("userName"), st.sampled_from(["", "   ", 7])
            ),
            st.builds(
                op_of, st.just("replace"), st.just("active"), st.sampled_from(["maybe", 3, []])
            ),
            st.just(["op", "replace"]),
        ),
        valid_ops,  # a valid operation before the bad one must not be applied either
    ),
)


def new_user(scim: httpx.Client) -> dict[str, Any]:
    body = entra_user(f"p{next(_serial)}@contoso.com", title="Clerk")
    created = scim.post("/Users", json=body)
    assert created.status_code == 201, created.text
    return created.json()


def assert_scim_error(answer: httpx.Response) -> None:
    assert 400 <= answer.status_code < 500, answer.text
    body = answer.json()
    assert body["schemas"] == [ERROR_SCHEMA]
    assert body["status"] == str(answer.status_code)
    assert isinstance(body.get("detail"), str)


@settings(settings.get_profile("reliability"), max_examples=EXAMPLES)
@given(operations=st.lists(valid_ops, min_size=1, max_size=5))
def test_valid_patches_equal_the_model(
    scim: httpx.Client, operations: list[dict[str, Any]]
) -> None:
    user = new_user(scim)
    model = observed(user)
    expected = copy.deepcopy(model)
    for op in operations:
        model_apply(expected, op)
    answer = scim_patch(scim, "Users", user["id"], *operations)
    assert answer.status_code == 200, answer.text
    assert observed(answer.json()) == expected
    stored = scim.get(f"/Users/{user['id']}").json()
    assert observed(stored) == expected
    assert stored["userName"] == user["userName"]


@settings(settings.get_profile("reliability"), max_examples=EXAMPLES)
@given(body=invalid_bodies)
def test_invalid_patches_are_rfc_errors_and_change_nothing(scim: httpx.Client, body: Any) -> None:
    user = new_user(scim)
    before = scim.get(f"/Users/{user['id']}").json()
    assert_scim_error(scim.patch(f"/Users/{user['id']}", json=body))
    after = scim.get(f"/Users/{user['id']}").json()
    assert after == before  # same document, same meta.version


# --- Filters ---------------------------------------------------------------------------------

PEOPLE = [
    {"userName": f"{n}@contoso.com", "displayName": d, "title": t, "active": a}
    for n, d, t, a in [
        ("alice", "Alice Martin", "Engineer", True),
        ("bob", "Bob Stone", None, False),
        ("chloe", "Chloé Dubois", "Manager", True),
        ("dan", "dan o'hara", "engineer", True),
        ("eve", "Eve", None, True),
        ("fred", "Frédéric Ax", "Sales Lead", False),
        ("gus", "GUS", "Engineer II", True),
        ("hana", "Hana Ståhl", "manager", False),
    ]
]
STRING_ATTRS = ["userName", "displayName", "title"]
STRING_OPS = ["eq", "ne", "co", "sw", "ew"]
fragments = st.sampled_from(
    [
        "alice",
        "ALICE@contoso.com",
        "bob@contoso.com",
        "Engineer",
        "engineer",
        "man",
        "é",
        "É",
        "Sales",
        "@contoso.com",
        "x",
        "Stone",
        "GUS",
        "a",
        "",
    ]
)


def model_compare(actual: Any, op: str, expected: Any) -> bool:
    if op == "pr":
        return actual is not None and actual != ""
    if isinstance(expected, bool) or isinstance(actual, bool):
        if actual is None:
            return op == "ne"
        return (actual == expected) if op == "eq" else (actual != expected)
    if actual is None:
        return op == "ne"
    a, e = str(actual).casefold(), str(expected).casefold()  # caseExact false (RFC 7643)
    return {
        "eq": a == e,
        "ne": a != e,
        "co": e in a,
        "sw": a.startswith(e),
        "ew": a.endswith(e),
    }[op]


@st.composite
def filters(draw: st.DrawFn, depth: int = 0) -> tuple[str, Any]:
    """(filter text, predicate over a PEOPLE entry)."""
    kind = draw(
        st.sampled_from(["cmp", "cmp", "pr", "bool"] + (["and", "or", "not"] if depth < 3 else []))
    )
    if kind == "cmp":
        attr, op, value = (
            draw(st.sampled_from(STRING_ATTRS)),
            draw(st.sampled_from(STRING_OPS)),
            draw(fragments),
        )
        text_ = f'{attr} {op} "{value}"'
        return text_, lambda p: model_compare(p[attr], op, value)
    if kind == "pr":
        attr = draw(st.sampled_from(STRING_ATTRS))
        return f"{attr} pr", lambda p: model_compare(p[attr], "pr", None)
    if kind == "bool":
        op, value = draw(st.sampled_from(["eq", "ne"])), draw(st.booleans())
        return f"active {op} {str(value).lower()}", lambda p: model_compare(p["active"], op, value)
    left_text, left = draw(filters(depth + 1))
    if kind == "not":
        return f"not ({left_text})", lambda p: not left(p)
    right_text, right = draw(filters(depth + 1))
    if kind == "and":
        return f"({left_text}) and ({right_text})", lambda p: left(p) and right(p)
    return f"({left_text}) or {right_text}", lambda p: left(p) or right(p)


def seed_people(scim: httpx.Client) -> None:
    for person in PEOPLE:
        body = entra_user(
            person["userName"], displayName=person["displayName"], active=person["active"]
        )
        if person["title"] is not None:
            body["title"] = person["title"]
        assert scim.post("/Users", json=body).status_code == 201


@settings(settings.get_profile("reliability"), max_examples=EXAMPLES + 20)
@given(case=filters())
def test_filters_select_what_the_model_selects(scim: httpx.Client, case: tuple[str, Any]) -> None:
    if scim.get("/Users", params={"count": "0"}).json()["totalResults"] == 0:
        seed_people(scim)
    text_, predicate = case
    answer = scim.get("/Users", params={"filter": text_, "attributes": "userName"})
    assert answer.status_code == 200, (text_, answer.text)
    got = {u["userName"] for u in answer.json()["Resources"]}
    assert got == {p["userName"] for p in PEOPLE if predicate(p)}, text_


bad_filters = st.one_of(
    st.sampled_from(
        [
            "userName eq",
            'userName "x"',
            'userName zz "x"',
            '(userName eq "x"',
            'userName eq "x")',
            'userName eq "x" and',
            'and userName eq "x"',
            'not userName eq "x"',
            'emails[type eq "w"',
            'userName eq "unterminated',
            "userName eq x y",
            '"x" eq userName',
            "userName eq @@",
            'name.. eq "x"',
            " ",
            'userName eq "x" or or userName eq "y"',
        ]
    ),
    st.builds(
        lambda t, junk: t + junk,
        st.just('userName eq "a"'),
        st.sampled_from([" )", " ]", " (", " pr"]),
    ),
)


@settings(settings.get_profile("reliability"), max_examples=30)
@given(text_=bad_filters)
def test_invalid_filters_are_invalid_filter_errors(scim: httpx.Client, text_: str) -> None:
    answer = scim.get("/Users", params={"filter": text_})
    assert_scim_error(answer)
    assert answer.status_code == 400
    assert answer.json()["scimType"] == "invalidFilter", text_
