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
    # --- the payload linter (roles step and doctor) ----------------------------------------------
    "lint.upn_onmicrosoft.one": _(
        "{count} user has a userName on onmicrosoft.com, the tenant's technical domain.",
        "{count} utilisateur a un userName sur onmicrosoft.com, le domaine technique du locataire.",
    ),
    "lint.upn_onmicrosoft.other": _(
        "{count} users have a userName on onmicrosoft.com, the tenant's technical domain.",
        "{count} utilisateurs ont un userName sur onmicrosoft.com, le domaine technique du "
        "locataire.",
    ),
    "lint.upn_onmicrosoft.fix": _(
        "In Entra, give them a UPN on your company domain, or map userName to mail.",
        "Dans Entra, donnez-leur un UPN sur le domaine de l'entreprise, ou associez userName à "
        "mail.",
    ),
    "lint.no_email.one": _(
        "{count} user has no e-mail: Steeple cannot link or invite them.",
        "{count} utilisateur n'a pas d'e-mail : Steeple ne peut ni le relier ni l'inviter.",
    ),
    "lint.no_email.other": _(
        "{count} users have no e-mail: Steeple cannot link or invite them.",
        "{count} utilisateurs n'ont pas d'e-mail : Steeple ne peut ni les relier ni les inviter.",
    ),
    "lint.no_email.fix": _(
        "Fill the mail attribute in Entra (or map emails[work] to userPrincipalName).",
        "Renseignez l'attribut mail dans Entra (ou associez emails[work] à userPrincipalName).",
    ),
    "lint.identifier_email.one": _(
        "{count} user has a userName different from their e-mail; SSO matches people "
        "on e-mail, so this is fine as long as the e-mail is right.",
        "{count} utilisateur a un userName différent de son e-mail ; le SSO reconnaît les "
        "personnes par e-mail, donc c'est sans effet tant que l'e-mail est juste.",
    ),
    "lint.identifier_email.other": _(
        "{count} users have a userName different from their e-mail; SSO matches people "
        "on e-mail, so this is fine as long as the e-mail is right.",
        "{count} utilisateurs ont un userName différent de leur e-mail ; le SSO reconnaît les "
        "personnes par e-mail, donc c'est sans effet tant que l'e-mail est juste.",
    ),
    "lint.identifier_email.fix": _(
        "Nothing to do unless these e-mails are wrong in Entra.",
        "Rien à faire, sauf si ces e-mails sont faux dans Entra.",
    ),
    "lint.identifier_upn.one": _(
        "{count} user has a userName that differs from their e-mail, but SSO "
        "identifies people by userPrincipalName: they may not be recognised at sign-in.",
        "{count} utilisateur a un userName différent de son e-mail, mais le SSO identifie les "
        "personnes par userPrincipalName : il risque de ne pas être reconnu à la connexion.",
    ),
    "lint.identifier_upn.other": _(
        "{count} users have a userName that differs from their e-mail, but SSO "
        "identifies people by userPrincipalName: they may not be recognised at sign-in.",
        "{count} utilisateurs ont un userName différent de leur e-mail, mais le SSO identifie "
        "les personnes par userPrincipalName : ils risquent de ne pas être reconnus à la "
        "connexion.",
    ),
    "lint.identifier_upn.fix": _(
        "Make the SSO identifier claim 'email', or make UPN and mail equal in Entra.",
        "Faites de 'email' la revendication d'identifiant du SSO, ou rendez UPN et mail égaux "
        "dans Entra.",
    ),
    "lint.nested_group.one": _(
        "{count} group contains other groups: Entra does not provision nested members.",
        "{count} groupe contient d'autres groupes : Entra ne provisionne pas les membres "
        "imbriqués.",
    ),
    "lint.nested_group.other": _(
        "{count} groups contain other groups: Entra does not provision nested members.",
        "{count} groupes contiennent d'autres groupes : Entra ne provisionne pas les membres "
        "imbriqués.",
    ),
    "lint.nested_group.fix": _(
        "Assign the nested groups to the Steeple app in Entra, or flatten the membership.",
        "Attribuez les groupes imbriqués à l'application Steeple dans Entra, ou aplatissez "
        "l'appartenance.",
    ),
    "lint.unmapped_group.one": _(
        "{count} group is not mapped to a community: its members get no access through it.",
        "{count} groupe n'est associé à aucune communauté : ses membres n'ont aucun accès par lui.",
    ),
    "lint.unmapped_group.other": _(
        "{count} groups are not mapped to a community: their members get no access through them.",
        "{count} groupes ne sont associés à aucune communauté : leurs membres n'ont aucun accès "
        "par eux.",
    ),
    "lint.unmapped_group.fix": _(
        "Map them on the roles step, or unassign them in Entra if they are not needed.",
        "Associez-les à l'étape des groupes, ou retirez-les dans Entra s'ils sont inutiles.",
    ),
    # --- the Markdown report for support ------------------------------------------------------
    "report.title": _(
        "# Steeple provisioning diagnostics", "# Diagnostic d'approvisionnement Steeple"
    ),
    "report.generated": _("Generated {at}", "Généré le {at}"),
    "report.versions": _("## Versions", "## Versions"),
    "report.instance": _("## Instance", "## Instance"),
    "report.sso.yes": _("configured", "configuré"),
    "report.sso.no": _("not configured", "non configuré"),
    "report.sso.detail": _(" ({protocol}, claim {claim})", " ({protocol}, revendication {claim})"),
    "report.none": _("none", "aucun"),
    "report.integration": _(
        "- Integration installed: {installed}; sync active: {active}",
        "- Intégration installée : {installed} ; synchronisation active : {active}",
    ),
    "report.tokens": _(
        "- Live SCIM tokens: {count} (hints: {hints})",
        "- Jetons SCIM actifs : {count} (fins : {hints})",
    ),
    "report.groups": _(
        "- Groups received: {total}; mapped: {mapped}",
        "- Groupes reçus : {total} ; associés : {mapped}",
    ),
    "report.journey": _("## Journey", "## Parcours"),
    "report.blocker": _("blocker: {text}", "blocage : {text}"),
    "report.checks": _("## Checks", "## Vérifications"),
    "report.provisioning": _("## Provisioning", "## Approvisionnement"),
    "report.users": _(
        "- Users received: {users} (active {active}); groups: {groups}",
        "- Utilisateurs reçus : {users} (actifs {active}) ; groupes : {groups}",
    ),
    "report.requests": _(
        "- Requests: {total}; errors: {errors}", "- Requêtes : {total} ; erreurs : {errors}"
    ),
    "report.last_test": _(
        "- Last Test Connection: {at} → {status}",
        "- Dernier test de connexion : {at} → {status}",
    ),
    "report.cycles": _("- Cycle starts: {starts}", "- Débuts de cycle : {starts}"),
    "report.log_unavailable": _(
        "Request log unavailable: {message}", "Journal des requêtes indisponible : {message}"
    ),
    "report.recent": _("## Recent SCIM requests", "## Requêtes SCIM récentes"),
    "report.recent_errors": _("## Recent SCIM errors", "## Erreurs SCIM récentes"),
    "report.no_errors": _("None.", "Aucune."),
    "report.table_head": _(
        "| # | time (UTC) | request | status | kind | summary |",
        "| # | heure (UTC) | requête | statut | type | résumé |",
    ),
    # --- entracore (issue 12): `entra setup` ------------------------------------------------
    "entra.setup.heading": _(
        "Entra set-up for {url}, through Microsoft Graph:",
        "Configuration d'Entra pour {url}, par Microsoft Graph :",
    ),
    "entra.setup.app_create": _(
        "create the Steeple enterprise app (non-gallery application)",
        "créer l'application d'entreprise Steeple (application hors galerie)",
    ),
    "entra.setup.app_found": _(
        "use the enterprise app {name} (found by {how})",
        "utiliser l'application d'entreprise {name} (trouvée par {how})",
    ),
    "entra.setup.found_by.identifier": _(
        "this instance's SAML identifier", "l'identifiant SAML de cette instance"
    ),
    "entra.setup.found_by.reply_url": _(
        "this instance's reply URL", "l'URL de réponse de cette instance"
    ),
    "entra.setup.found_by.name": _("its name", "son nom"),
    "entra.setup.found_by.created": _("creation", "création"),
    "entra.setup.job": _(
        "create the provisioning job (Provisioning Mode: Automatic)",
        "créer la tâche d'approvisionnement (mode d'approvisionnement : automatique)",
    ),
    "entra.setup.job_existing": _(
        "keep the existing provisioning job", "garder la tâche d'approvisionnement existante"
    ),
    "entra.setup.secrets": _(
        "save the tenant URL {url} and a new Steeple token (never shown), then Test Connection",
        "enregistrer l'URL de locataire {url} et un nouveau jeton Steeple (jamais affiché), "
        "puis tester la connexion",
    ),
    "entra.setup.groups": _(
        "assign {count} group(s) (two per community: Users and Admins):",
        "attribuer {count} groupe(s) (deux par communauté : utilisateurs et administrateurs) :",
    ),
    "entra.setup.already": _(" — already assigned", " — déjà attribué"),
    "entra.setup.uncovered": _(
        "No Entra group names these communities: {names}.",
        "Aucun groupe Entra ne nomme ces communautés : {names}.",
    ),
    "entra.setup.start": _("start provisioning", "démarrer l'approvisionnement"),
    "entra.setup.not_installed": _(
        "The Azure AD integration is not installed on this instance: Entra would have nothing "
        "to talk to.",
        "L'intégration Azure AD n'est pas installée sur cette instance : Entra n'aurait "
        "personne à qui parler.",
    ),
    "entra.setup.not_installed.fix": _(
        "Install it first (the assistant's step 2), then run entra setup again.",
        "Installez-la d'abord (étape 2 de l'assistant), puis relancez entra setup.",
    ),
    "entra.setup.unknown_groups": _(
        "Entra has no group named {names}.", "Entra n'a aucun groupe nommé {names}."
    ),
    "entra.setup.unknown_groups.fix": _(
        "Give the groups' display names exactly as in the Entra admin center (Groups).",
        "Donnez les noms des groupes exactement comme dans le centre d'administration Entra "
        "(Groupes).",
    ),
    "entra.setup.no_tty": _(
        "entra setup changes your Entra tenant and there is no terminal to ask for confirmation.",
        "entra setup modifie votre locataire Entra et aucun terminal ne permet de demander "
        "confirmation.",
    ),
    "entra.setup.no_tty.fix": _(
        "Read the plan with --dry-run, then run it again with --yes.",
        "Lisez le plan avec --dry-run, puis relancez avec --yes.",
    ),
    "entra.setup.ask": _("Apply this plan? [y/N]", "Appliquer ce plan ? [o/N]"),
    "entra.setup.declined": _("Nothing was changed.", "Rien n'a été modifié."),
    "entra.setup.connection_ok": _(
        "Test Connection passed: Entra reaches Steeple with the saved token.",
        "Le test de connexion a réussi : Entra joint Steeple avec le jeton enregistré.",
    ),
    "entra.setup.assigned": _(
        "{count} group(s) newly assigned.", "{count} groupe(s) nouvellement attribué(s)."
    ),
    "entra.setup.started": _(
        "Provisioning started: the first cycle brings the people of the assigned groups.",
        "Approvisionnement démarré : le premier cycle amène les personnes des groupes attribués.",
    ),
    "entra.setup.https.fix": _("Give an https:// URL.", "Donnez une URL https://."),
    "entra.setup.signed_out": _(
        "Not signed in to Microsoft Entra on this machine.",
        "Pas de connexion à Microsoft Entra sur cette machine.",
    ),
    "entra.setup.signed_out.fix": _(
        "Run steeple-assistant entra signin first (or do the Entra side in the admin center).",
        "Lancez d'abord steeple-assistant entra signin (ou faites le côté Entra dans le centre "
        "d'administration).",
    ),
}
