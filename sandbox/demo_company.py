"""The sandbox's demo company, as both of its systems know it: one staff list, read by each side.

Its Steeple instance gives every employee a classic e-mail + password account (`sandbox.seed`);
its Entra directory holds the same people, so that some provisioned users match existing Steeple
accounts by e-mail, as in a real migration (`sandbox.entra.tenant.generate_tenant`). The list is
plain data: the two sides share the story of the company, never code or state (they meet only
over HTTP).
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_DOMAIN = "steeple-demo.fr"


@dataclass(frozen=True)
class Employee:
    """One person of the demo company: how both directories name them."""

    given_name: str
    family_name: str
    email: str


def _employee(given: str, family: str, local: str) -> Employee:
    return Employee(given, family, f"{local}@{DEMO_DOMAIN}")


EMPLOYEES: tuple[Employee, ...] = (
    _employee("Camille", "Martin", "camille.martin"),
    _employee("Julien", "Bernard", "julien.bernard"),
    _employee("Léa", "Dubois", "lea.dubois"),
    _employee("Thomas", "Petit", "thomas.petit"),
    _employee("Manon", "Durand", "manon.durand"),
    _employee("Nicolas", "Leroy", "nicolas.leroy"),
    _employee("Chloé", "Moreau", "chloe.moreau"),
    _employee("Antoine", "Simon", "antoine.simon"),
    _employee("Sarah", "Laurent", "sarah.laurent"),
    _employee("Hugo", "Lefèvre", "hugo.lefevre"),
    _employee("Émilie", "Michel", "emilie.michel"),
    _employee("Maxime", "Garcia", "maxime.garcia"),
    _employee("Inès", "David", "ines.david"),
    _employee("Lucas", "Bertrand", "lucas.bertrand"),
    _employee("Pauline", "Roux", "pauline.roux"),
)
"""The 15 employees, in a stable order (seeds and generated tenants depend on it)."""
