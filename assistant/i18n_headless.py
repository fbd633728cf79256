"""The texts of `doctor`'s checks, English and French (merged into `i18n.TEXTS`)."""

from __future__ import annotations


def _(en: str, fr: str) -> dict[str, str]:
    return {"en": en, "fr": fr}


HEADLESS_TEXTS: dict[str, dict[str, str]] = {
    "doctor.tenant_url.bad": _(
        "The Tenant URL is not a web address.",
        "L'URL du locataire (Tenant URL) n'est pas une adresse web.",
    ),
    "doctor.tenant_url.bad.fix": _(
        "Contact Steeple support: the instance's public URL is misconfigured.",
        "Contactez le support Steeple : l'URL publique de l'instance est mal configurée.",
    ),
    "doctor.tenant_url.private": _(
        "The Tenant URL ({url}) is not a public https address: "
        "Entra, which calls from Azure, cannot reach it.",
        "L'URL du locataire ({url}) n'est pas une adresse https publique : "
        "Entra, qui appelle depuis Azure, ne peut pas la joindre.",
    ),
    "doctor.tenant_url.private.fix": _(
        "Fine for the sandbox; for real provisioning use the instance's public https URL "
        "(or a tunnel).",
        "Très bien pour le bac à sable ; pour un vrai approvisionnement, utilisez l'URL https "
        "publique de l'instance (ou un tunnel).",
    ),
    "doctor.tenant_url.ok": _(
        "The Tenant URL is a public https address.",
        "L'URL du locataire est une adresse https publique.",
    ),
    "doctor.next": _("Next: {title}", "Suivant : {title}"),
    "doctor.connected": _("Connected to {url}", "Connecté à {url}"),
    "doctor.rotation": _(
        "Two SCIM tokens are live: a rotation is in progress.",
        "Deux jetons SCIM sont actifs : une rotation est en cours.",
    ),
    "doctor.rotation.fix": _(
        "Once Entra uses the newest token (Test Connection passes), revoke the older one.",
        "Quand Entra utilise le jeton le plus récent (Tester la connexion réussit), révoquez "
        "l'ancien.",
    ),
    "doctor.last_error.one": _(
        "{count} SCIM request failed since install; last: {request} → {status} at {time}",
        "{count} requête SCIM a échoué depuis l'installation ; dernière : {request} → {status} "
        "à {time}",
    ),
    "doctor.last_error.other": _(
        "{count} SCIM requests failed since install; last: {request} → {status} at {time}",
        "{count} requêtes SCIM ont échoué depuis l'installation ; dernière : {request} → "
        "{status} à {time}",
    ),
    "doctor.last_error.fix": _(
        "See the request log in the assistant or in `steeple-assistant report`.",
        "Voir le journal des requêtes dans l'assistant ou dans `steeple-assistant report`.",
    ),
    "doctor.next_cycle": _(
        "Next Entra cycle expected {window}.", "Prochain cycle Entra attendu {window}."
    ),
    "doctor.conflicts.one": _(
        "{count} received user would be skipped at activation: {first}",
        "{count} utilisateur reçu serait ignoré à l'activation : {first}",
    ),
    "doctor.conflicts.other": _(
        "{count} received users would be skipped at activation: {first}",
        "{count} utilisateurs reçus seraient ignorés à l'activation : {first}",
    ),
    "doctor.conflicts.fix": _(
        "Fix their e-mail in Entra (one person, one unique e-mail).",
        "Corrigez leur e-mail dans Entra (une personne, un e-mail unique).",
    ),
    "doctor.examples": _(" (e.g. {examples})", " (par ex. {examples})"),
    "doctor.no_admin": _(
        "Community '{name}' has no administrator.",
        "La communauté '{name}' n'a pas d'administrateur.",
    ),
    "doctor.no_admin.fix": _(
        "Map an admins group to it (one users group and one admins group each).",
        "Associez-lui un groupe administrateurs (un groupe utilisateurs et un groupe "
        "administrateurs chacune).",
    ),
}
