"""Entra's two PATCH dialects, and the documented variants where Microsoft's pages disagree.

Compliant = the tenant URL carries `?aadOptscim062020`; legacy = without it, and always for
provision on demand ("this feature flag currently doesn't work with on-demand provisioning").
Shapes: learn.microsoft.com/entra/identity/app-provisioning/
application-provisioning-config-problem-scim-compatibility (both dialects, side by side) and
…/use-scim-to-provision-users-and-groups (legacy request examples).

Two legacy shapes are documented twice, differently: a disable's value is the string "False" on
the compatibility page and a boolean on the SCIM page; a member removal carries `"$ref": null` on
the SCIM page and not on the compatibility page. A job picks one of each from its seed
(`Variants.from_seed`), so a seeded run repeats and a test can name the variant it checks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from sandbox.entra.mappings import MANAGER, differences


@dataclass(frozen=True)
class Variants:
    """Which documented legacy shape this job sends where the documentation shows two."""

    legacy_active_string: bool = True
    """Disable/enable as "False"/"True" (compatibility page) rather than a boolean (SCIM page)."""
    legacy_remove_ref_null: bool = False
    """Member removal items carry `"$ref": null` (SCIM page) or not (compatibility page)."""

    @classmethod
    def from_seed(cls, seed: int | None) -> Variants:
        if seed is None:
            return cls()
        rng = random.Random(f"variants-{seed}")
        return cls(
            legacy_active_string=rng.random() < 0.5, legacy_remove_ref_null=rng.random() < 0.5
        )

    @classmethod
    def all(cls) -> list[Variants]:
        """Every combination, for tests that must hold for each documented form."""
        return [cls(a, r) for a in (True, False) for r in (True, False)]


@dataclass(frozen=True)
class Dialect:
    """The PATCH operations one job sends."""

    compliant: bool
    variants: Variants = Variants()

    def _legacy_active(self, value: bool) -> Any:
        if self.variants.legacy_active_string:
            return "True" if value else "False"
        return value

    def user_operations(
        self, current: dict[str, Any], desired: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The operations that bring `current` to `desired`; nothing is ever removed."""
        added, replaced = differences(current, desired)
        if not self.compliant:
            ops: list[dict[str, Any]] = []
            for op, changes in (("Add", added), ("Replace", replaced)):
                for key, value in changes.items():
                    value = self._legacy_active(value) if key == "active" else value
                    ops.append({"op": op, "path": key, "value": value})
            return ops
        # Compliant: each new attribute is an `add` with a path; `active` and filtered paths are
        # `replace`s with a path; the other replaced attributes fold into one path-less value,
        # listed after the filtered ones as in the documented example.
        ops = [{"op": "add", "path": k, "value": v} for k, v in added.items()]
        folded = {}
        for key, value in replaced.items():
            if key == "active" or "[" in key or key == MANAGER:
                ops.append({"op": "replace", "path": key, "value": value})
            else:
                folded[key] = value
        if folded:
            ops.append({"op": "replace", "value": folded})
        return ops

    def active_operations(self, active: bool) -> list[dict[str, Any]]:
        """Disable/enable only: how Entra soft-deletes on the target."""
        if self.compliant:
            return [{"op": "replace", "path": "active", "value": active}]
        return [{"op": "Replace", "path": "active", "value": self._legacy_active(active)}]

    def member_add_operations(self, scim_ids: list[str]) -> list[dict[str, Any]]:
        if self.compliant:
            return [{"op": "add", "path": "members", "value": [{"value": i} for i in scim_ids]}]
        # Legacy Entra really sends "$ref": null here (SCIM page, "Update Group [Add Members]").
        value = [{"$ref": None, "value": i} for i in scim_ids]
        return [{"op": "Add", "path": "members", "value": value}]

    def member_remove_operations(self, scim_ids: list[str]) -> list[dict[str, Any]]:
        if self.compliant:
            return [{"op": "remove", "path": f'members[value eq "{i}"]'} for i in scim_ids]
        if self.variants.legacy_remove_ref_null:
            value = [{"$ref": None, "value": i} for i in scim_ids]
        else:
            value = [{"value": i} for i in scim_ids]
        return [{"op": "Remove", "path": "members", "value": value}]

    def group_rename_operations(self, name: str) -> list[dict[str, Any]]:
        if self.compliant:
            return [{"op": "replace", "value": {"displayName": name}}]
        return [{"op": "Replace", "path": "displayName", "value": name}]
