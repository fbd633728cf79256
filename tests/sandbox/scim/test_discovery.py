"""/Schemas and /ResourceTypes as RFC 7643 writes them (§8.7.1 schemas, §8.6 resource types).

The reference is the RFC's own JSON as scim2-server ships it (a dev dependency), not a copy
kept here: the comparison covers names, descriptions and every attribute characteristic a
client acts on. Attribute descriptions are prose that scim2-models shortens from the RFC; no
client reads them, so they are left out of the comparison.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import httpx
import pytest

from tests.support.scim import ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA

# RFC 7643 §7: the value a characteristic has when a schema leaves it out.
DEFAULTS = {"required": False, "caseExact": False, "uniqueness": "none", "multiValued": False}
CHARACTERISTICS = (
    "type",
    "multiValued",
    "required",
    "caseExact",
    "mutability",
    "returned",
    "uniqueness",
    "canonicalValues",
    "referenceTypes",
)


def _rfc(name: str) -> list[dict[str, Any]]:
    text = (files("scim2_server") / "resources" / name).read_text(encoding="utf-8")
    documents: list[dict[str, Any]] = json.loads(text)
    return documents


def _characteristics(attribute: dict[str, Any]) -> dict[str, Any]:
    """What a client acts on, with RFC 7643 §7 defaults filled in so absent == default."""
    shown = {key: attribute.get(key, DEFAULTS.get(key)) for key in CHARACTERISTICS}
    shown["subAttributes"] = {
        sub["name"]: _characteristics(sub) for sub in attribute.get("subAttributes") or []
    }
    return shown


def _listed(scim: httpx.Client, path: str) -> dict[str, dict[str, Any]]:
    response = scim.get(path)
    assert response.status_code == 200
    body = response.json()
    assert body["totalResults"] == len(body["Resources"])
    return {document["id"]: document for document in body["Resources"]}


@pytest.mark.parametrize("schema_id", [USER_SCHEMA, ENTERPRISE, GROUP_SCHEMA])
def test_schema_is_the_one_rfc_7643_publishes(scim: httpx.Client, schema_id: str) -> None:
    expected = next(s for s in _rfc("default-schemas.json") if s["id"] == schema_id)
    served = _listed(scim, "/Schemas")[schema_id]
    assert (served["name"], served["description"]) == (expected["name"], expected["description"])
    assert [a["name"] for a in served["attributes"]] == [a["name"] for a in expected["attributes"]]
    for mine, theirs in zip(served["attributes"], expected["attributes"], strict=True):
        assert _characteristics(mine) == _characteristics(theirs), mine["name"]
    assert served["meta"] == {
        "resourceType": "Schema",
        "location": f"{str(scim.base_url).rstrip('/')}/Schemas/{schema_id}",
    }
    assert scim.get(f"/Schemas/{schema_id}").json() == served


def test_schema_descriptions_are_the_rfc_s(scim: httpx.Client) -> None:
    """Microsoft's reference validator compares these strings (RFC 7643 §8.7.1)."""
    served = _listed(scim, "/Schemas")
    assert served[USER_SCHEMA]["description"] == "User Account"
    assert served[GROUP_SCHEMA]["description"] == "Group"
    assert served[ENTERPRISE]["description"] == "Enterprise User"


def test_attribute_descriptions_are_single_line_prose(scim: httpx.Client) -> None:
    for schema in _listed(scim, "/Schemas").values():
        for attribute in schema["attributes"]:
            for item in [attribute, *(attribute.get("subAttributes") or [])]:
                description = item.get("description", "")
                assert description == " ".join(description.split()), item["name"]


def test_resource_types_are_the_ones_rfc_7643_publishes(scim: httpx.Client) -> None:
    served = _listed(scim, "/ResourceTypes")
    expected = {document["id"]: document for document in _rfc("default-resource-types.json")}
    assert set(served) == set(expected) == {"User", "Group"}
    for type_id, document in served.items():
        assert {k: v for k, v in document.items() if k != "meta"} == expected[type_id]
        assert document["meta"]["location"].endswith(f"/scim/v2/ResourceTypes/{type_id}")
        assert scim.get(f"/ResourceTypes/{type_id}").json() == document
    assert served["User"]["description"] == "User Account"
    assert served["User"]["schemaExtensions"] == [{"schema": ENTERPRISE, "required": False}]


BOOT_WITHOUT_SCIM2_MODELS = """
import sys
from pathlib import Path
from sandbox.app import create_app
from sandbox.config import SandboxConfig
create_app(SandboxConfig(admin_key="adm_boot-check", db_path=Path(sys.argv[1]), seed="demo"))
print("scim2_models" in sys.modules)
"""


def test_the_sandbox_builds_discovery_documents_on_first_request_not_at_boot(
    tmp_path: Any,
) -> None:
    """Importing scim2-models was most of `--sandbox`'s boot; the documents it builds are only
    needed when a client (Entra's Test Connection) asks for them (bench/startup.py)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", BOOT_WITHOUT_SCIM2_MODELS, str(tmp_path / "boot.db")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"
