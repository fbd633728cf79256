"""Case-insensitive SCIM endpoint names, as Microsoft's reference SCIM server matches them.

`GET /scim/v2/users` must answer like `/Users`: some SCIM clients (and hand-typed URLs during a
support session) lower-case the path, and RFC 7644 does not say endpoint names are
case-sensitive. Only the endpoint segment is folded; ids stay as sent. `location` and `meta`
are built from the canonical base URL, so the answer is the same whatever the spelling.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

CANONICAL_ENDPOINTS = {
    name.casefold(): name
    for name in ("Users", "Groups", "Schemas", "ResourceTypes", "ServiceProviderConfig")
}


def case_insensitive_endpoints(app: ASGIApp) -> ASGIApp:
    """Rewrite `/users/{id}`, `/SCHEMAS` … to their canonical spelling before routing.

    One `partition` and one dict lookup per request, no regex: the SCIM path has a CPU budget
    (bench/initial_cycle.py), and a canonical path is passed through untouched.
    """

    async def run(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            root: str = scope.get("root_path", "")
            path: str = scope["path"]
            if path.startswith(root):
                head, slash, tail = path[len(root) + 1 :].partition("/")
                canonical = CANONICAL_ENDPOINTS.get(head.casefold())
                if canonical is not None and canonical != head:
                    scope = {**scope, "path": f"{root}/{canonical}{slash}{tail}"}
        await app(scope, receive, send)

    return run
