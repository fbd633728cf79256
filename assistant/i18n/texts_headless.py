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
    "doctor.entra.licence_ok": _(
        "Entra answers for its provisioning logs: the tenant has Entra ID P1 or P2.",
        "Entra répond pour ses journaux d'approvisionnement : le locataire a Entra ID P1 ou P2.",
    ),
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
    # --- entra signin / signout (issue 22) ----------------------------------------------------
    "signin.cli.sandbox": _(
        "With --sandbox the assistant signs in to its own sandbox's Entra by itself; entra "
        "signin is for a real tenant or a `sandbox serve --with-entra`.",
        "Avec --sandbox, l'assistant se connecte tout seul à l'Entra de son bac à sable ; "
        "entra signin sert pour un vrai locataire ou un `sandbox serve --with-entra`.",
    ),
    "signin.cli.sandbox.fix": _(
        "Run the command you wanted with --sandbox directly, or drop --sandbox.",
        "Lancez directement la commande voulue avec --sandbox, ou retirez --sandbox.",
    ),
    "signin.cli.unkept": _(
        "This machine has no secret store (Keychain, Windows DPAPI, Secret Service) to keep "
        "an Entra session: the next command would not find it, so no sign-in was started.",
        "Cette machine n'a pas de coffre de secrets (trousseau, DPAPI de Windows, Secret "
        "Service) où garder une session Entra : la commande suivante ne la trouverait pas, "
        "aucune connexion n'a donc été lancée.",
    ),
    "signin.cli.unkept.fix": _(
        "Keep it in a file only you can read: add --token-cache PATH (or set "
        "STEEPLE_ENTRA_TOKEN_CACHE=PATH) to this command and to the ones that follow.",
        "Gardez-la dans un fichier que vous seul pouvez lire : ajoutez --token-cache CHEMIN "
        "(ou STEEPLE_ENTRA_TOKEN_CACHE=CHEMIN) à cette commande et aux suivantes.",
    ),
    "signin.cli.no_browser.ssh": _(
        "SSH session: signing in with a device code (open the page on any device).",
        "Session SSH : connexion avec un code d'appareil (ouvrez la page sur n'importe quel "
        "appareil).",
    ),
    "signin.cli.no_browser.display": _(
        "No display for a browser here: signing in with a device code.",
        "Pas d'affichage pour un navigateur ici : connexion avec un code d'appareil.",
    ),
    "signin.cli.no_browser.text": _(
        "Only a text browser is set up here: signing in with a device code.",
        "Seul un navigateur texte est configuré ici : connexion avec un code d'appareil.",
    ),
    "signin.cli.no_browser.none": _(
        "No browser could open here: signing in with a device code.",
        "Aucun navigateur n'a pu s'ouvrir ici : connexion avec un code d'appareil.",
    ),
    "signin.cli.opening": _(
        "Opening Entra's sign-in page in your browser: {url}",
        "Ouverture de la page de connexion d'Entra dans votre navigateur : {url}",
    ),
    "signin.cli.done": _(
        "Signed in as {user}. The session is kept in {place}.",
        "Connecté en tant que {user}. La session est gardée dans {place}.",
    ),
    "signin.cli.signed_out": _(
        "Signed out: the session was removed from {place}.",
        "Déconnecté : la session a été retirée de {place}.",
    ),
    "signin.cli.nothing_stored": _(
        "No Entra sign-in was stored here.", "Aucune connexion Entra n'était enregistrée ici."
    ),
    "entra.setup.signed_out": _(
        "Not signed in to Microsoft Entra on this machine.",
        "Pas de connexion à Microsoft Entra sur cette machine.",
    ),
    "entra.setup.signed_out.fix": _(
        "Run steeple-assistant entra signin first (or do the Entra side in the admin center).",
        "Lancez d'abord steeple-assistant entra signin (ou faites le côté Entra dans le centre "
        "d'administration).",
    ),
    "entra.setup.not_found": _("  ({tried}; it will be created)", "  ({tried} ; elle sera créée)"),
    "entra.setup.role": _(
        "• assign them with the app's role {role}",
        "• les attribuer avec le rôle {role} de l'application",
    ),
    "entra.status.unknown": _("(unknown)", "(inconnu)"),
    "entra.status.signed_in": _("Signed in as {user}", "Connecté en tant que {user}"),
    "entra.status.no_app": _(
        "No Steeple enterprise app in this tenant.",
        "Aucune application d'entreprise Steeple dans ce locataire.",
    ),
    "entra.status.app": _("App: {name} ({id})", "Application : {name} ({id})"),
    "entra.status.no_job": _(
        "No provisioning job yet.", "Pas encore de tâche d'approvisionnement."
    ),
    "entra.status.job": _(
        "Job {id}: {code} (schedule {schedule})", "Tâche {id} : {code} (planification {schedule})"
    ),
    "entra.status.quarantine": _(
        "Quarantined: {reason}, next attempt {next}",
        "En quarantaine : {reason}, prochaine tentative {next}",
    ),
    "entra.status.initial": _(
        "Initial cycle running: {done} of {total} objects",
        "Cycle initial en cours : {done} objets sur {total}",
    ),
    "entra.status.last_cycle": _(
        "Last cycle: {state}, {exported} exported, {escrowed} escrowed, ended {ended}",
        "Dernier cycle : {state}, {exported} exportés, {escrowed} en attente de nouvel essai, "
        "fini {ended}",
    ),
    "entra.status.logs_unavailable": _(
        "Provisioning logs: {reason}", "Journaux d'approvisionnement : {reason}"
    ),
    # --- explain: "Why is this person not in Steeple?" (issue 12, point 6; part "explain") ---
    "explain.title": _(
        "Why is {address} not in Steeple?", "Pourquoi {address} n'est-il pas dans Steeple ?"
    ),
    "explain.first_broken": _(
        "First broken link: {sentence}", "Premier maillon rompu : {sentence}"
    ),
    "explain.verdict.ok": _(
        "Nothing is broken: this person is in Steeple, with the access their groups map to.",
        "Rien n'est rompu : cette personne est dans Steeple, avec l'accès que ses groupes "
        "lui donnent.",
    ),
    "explain.verdict.ok_partial": _(
        "Nothing is broken on Steeple's side; Entra's side was not checked (not signed in).",
        "Rien n'est rompu côté Steeple ; le côté Entra n'a pas été vérifié (pas de connexion).",
    ),
    "explain.cannot_see": _(
        "Not checked without signing in to Entra: the ? lines (steeple-assistant entra signin).",
        "Non vérifié sans connexion à Entra : les lignes ? (steeple-assistant entra signin).",
    ),
    "explain.none": _("none", "aucun"),
    "explain.directly": _("directly", "directement"),
    "explain.through": _("through {groups}", "par {groups}"),
    "explain.mapping": _("{group} → {community} ({role})", "{group} → {community} ({role})"),
    "explain.role.user": _("member", "membre"),
    "explain.role.admin": _("administrator", "administrateur"),
    "explain.graph_failed": _(
        "Microsoft Graph could not be read: {sentence}",
        "Microsoft Graph n'a pas pu être lu : {sentence}",
    ),
    "explain.unknown.fix": _(
        "Sign in to Entra (`steeple-assistant entra signin`) to check this side too, or look in "
        "the Entra admin center.",
        "Connectez-vous à Entra (`steeple-assistant entra signin`) pour vérifier ce côté aussi, "
        "ou regardez dans le centre d'administration Entra.",
    ),
    "explain.unknown.entra.exists": _("Whether they exist in Entra.", "S'ils existent dans Entra."),
    "explain.unknown.entra.enabled": _(
        "Whether their account is enabled in Entra.", "Si leur compte est activé dans Entra."
    ),
    "explain.unknown.entra.email": _(
        "Whether they have an e-mail address in Entra.",
        "S'ils ont une adresse e-mail dans Entra.",
    ),
    "explain.unknown.entra.assigned": _(
        "Whether they are assigned to the Steeple app, directly or through a group.",
        "S'ils sont attribués à l'application Steeple, directement ou par un groupe.",
    ),
    "explain.unknown.entra.scope": _(
        "Whether Entra counts them in scope.", "Si Entra les compte dans l'étendue (scope)."
    ),
    "explain.unknown.entra.job": _(
        "Whether Entra's provisioning job runs or is in quarantine.",
        "Si la tâche d'approvisionnement d'Entra tourne ou est en quarantaine.",
    ),
    "explain.unknown.entra.log": _(
        "What Entra's provisioning logs say about them.",
        "Ce que les journaux d'approvisionnement d'Entra disent d'eux.",
    ),
    "explain.entra.exists.ok": _(
        "They exist in Entra: {name} ({upn}).", "Ils existent dans Entra : {name} ({upn})."
    ),
    "explain.entra.exists.broken": _(
        "No one in Entra has the e-mail address or user name {address}.",
        "Personne dans Entra n'a l'adresse e-mail ou le nom d'utilisateur {address}.",
    ),
    "explain.entra.exists.broken.fix": _(
        "Check the spelling, or give their user principal name; a newcomer must first be created "
        "in Entra (Users → New user).",
        "Vérifiez l'orthographe, ou donnez leur nom d'utilisateur principal (UPN) ; un nouvel "
        "arrivant doit d'abord être créé dans Entra (Utilisateurs (Users) → Nouvel utilisateur).",
    ),
    "explain.entra.enabled.ok": _(
        "Their account is enabled in Entra.", "Leur compte est activé dans Entra."
    ),
    "explain.entra.enabled.broken": _(
        "{name}'s account is disabled in Entra: Entra does not provision a disabled user.",
        "Le compte de {name} est désactivé dans Entra : Entra n'approvisionne pas un "
        "utilisateur désactivé.",
    ),
    "explain.entra.enabled.broken.fix": _(
        "In Entra → Users → {name} → Edit properties → Settings, tick Account enabled; the next "
        "cycle (or Provision on demand) sends them.",
        "Dans Entra → Utilisateurs (Users) → {name} → Modifier les propriétés → Paramètres, "
        "cochez Compte activé (Account enabled) ; le cycle suivant (ou Approvisionner à la "
        "demande (Provision on demand)) les envoie.",
    ),
    "explain.entra.email.ok": _(
        "Their e-mail address in Entra: {mail}.", "Leur adresse e-mail dans Entra : {mail}."
    ),
    "explain.entra.email.broken": _(
        "{name} has no e-mail address (mail) in Entra: Steeple matches people by e-mail, so it "
        "cannot give them an account.",
        "{name} n'a pas d'adresse e-mail (mail) dans Entra : Steeple reconnaît les personnes à "
        "leur e-mail, il ne peut donc pas leur donner de compte.",
    ),
    "explain.entra.email.broken.fix": _(
        "In Entra → Users → {name} → Edit properties → Contact information, fill in Email; the "
        "next cycle sends it.",
        "Dans Entra → Utilisateurs (Users) → {name} → Modifier les propriétés → Coordonnées, "
        "renseignez E-mail (Email) ; le cycle suivant l'envoie.",
    ),
    "explain.entra.app.broken": _(
        "There is no Steeple enterprise app in Entra: nobody is provisioned.",
        "Il n'y a pas d'application d'entreprise Steeple dans Entra : personne n'est "
        "approvisionné.",
    ),
    "explain.entra.app.broken.fix": _(
        "Do the assistant's Entra step: it finds or creates the app.",
        "Faites l'étape Entra de l'assistant : elle trouve ou crée l'application.",
    ),
    "explain.entra.assigned.ok": _(
        "Assigned to the Steeple app {via}.", "Attribués à l'application Steeple {via}."
    ),
    "explain.entra.assigned.broken": _(
        "They are not assigned to the Steeple app, neither directly nor through one of their "
        "groups ({groups}).",
        "Ils ne sont pas attribués à l'application Steeple, ni directement ni par un de leurs "
        "groupes ({groups}).",
    ),
    "explain.entra.assigned.broken.fix": _(
        "Add them directly to a group assigned to the app (Entra → Enterprise applications → "
        "Steeple → Users and groups lists them), or assign one of their groups; members of a "
        "nested group are not provisioned.",
        "Ajoutez-les directement à un groupe attribué à l'application (Entra → Applications "
        "d'entreprise (Enterprise applications) → Steeple → Utilisateurs et groupes (Users and "
        "groups) les liste), ou attribuez un de leurs groupes ; les membres d'un groupe imbriqué "
        "ne sont pas approvisionnés.",
    ),
    "explain.entra.scope.ok": _(
        "In scope: Entra provisions them.", "Dans l'étendue : Entra les approvisionne."
    ),
    "explain.entra.scope.broken": _(
        "Entra skipped them: {reason}", "Entra les a ignorés : {reason}"
    ),
    "explain.entra.scope.broken.fix": _(
        "Fix what Entra names, then Provision on demand to check at once.",
        "Corrigez ce qu'Entra indique, puis Approvisionner à la demande (Provision on demand) "
        "pour vérifier aussitôt.",
    ),
    "explain.steeple.token.ok": _(
        "Steeple accepts Entra's requests (none refused lately).",
        "Steeple accepte les requêtes d'Entra (aucune refusée récemment).",
    ),
    "explain.steeple.token.broken": _(
        "Steeple refused Entra's latest request ({time}, {status}): the Secret Token Entra holds "
        "has been revoked.",
        "Steeple a refusé la dernière requête d'Entra ({time}, {status}) : le jeton secret "
        "(Secret Token) qu'Entra détient a été révoqué.",
    ),
    "explain.steeple.token.broken.fix": _(
        "Create a new token in Steeple (step 3), paste it into Entra as the Secret Token, Test "
        "Connection and Save; if Entra quarantined the job, Restart provisioning.",
        "Créez un nouveau jeton dans Steeple (étape 3), collez-le dans Entra comme Jeton secret "
        "(Secret Token), Tester la connexion (Test Connection) puis Enregistrer ; si Entra a mis "
        "la tâche en quarantaine, Redémarrer l'approvisionnement (Restart provisioning).",
    ),
    "explain.entra.job_missing.broken": _(
        "The Steeple app has no provisioning job in Entra.",
        "L'application Steeple n'a pas de tâche d'approvisionnement dans Entra.",
    ),
    "explain.entra.job_missing.broken.fix": _(
        "Do the assistant's Entra step: it creates the job and saves the Tenant URL and token.",
        "Faites l'étape Entra de l'assistant : elle crée la tâche et enregistre l'URL du "
        "locataire et le jeton.",
    ),
    "explain.entra.job.ok": _(
        "Entra's provisioning job runs ({state}).",
        "La tâche d'approvisionnement d'Entra tourne ({state}).",
    ),
    "explain.entra.job.broken": _(
        "Entra's provisioning job is not running ({state}): nobody is provisioned.",
        "La tâche d'approvisionnement d'Entra ne tourne pas ({state}) : personne n'est "
        "approvisionné.",
    ),
    "explain.entra.job.broken.fix": _(
        "In Entra → Steeple → Provisioning, Start provisioning.",
        "Dans Entra → Steeple → Approvisionnement (Provisioning), Démarrer l'approvisionnement "
        "(Start provisioning).",
    ),
    "explain.entra.job.quarantine": _(
        "Entra's provisioning job is in quarantine ({reason}): it provisions nobody until it is "
        "fixed; next attempt {retry}.",
        "La tâche d'approvisionnement d'Entra est en quarantaine ({reason}) : elle "
        "n'approvisionne personne tant que ce n'est pas corrigé ; prochaine tentative {retry}.",
    ),
    "explain.entra.job.quarantine.fix": _(
        "Fix what Entra reports ({error}) — usually the Tenant URL or the Secret Token: Test "
        "Connection — then Restart provisioning in Entra → Steeple → Provisioning.",
        "Corrigez ce qu'Entra signale ({error}) — souvent l'URL du locataire ou le jeton "
        "secret : Tester la connexion (Test Connection) — puis Redémarrer l'approvisionnement "
        "(Restart provisioning) dans Entra → Steeple → Approvisionnement (Provisioning).",
    ),
    "explain.entra.log.none": _(
        "Entra's provisioning logs have no entry about them yet.",
        "Les journaux d'approvisionnement d'Entra n'ont encore aucune entrée à leur sujet.",
    ),
    "explain.entra.log.ok": _(
        "Entra's latest provisioning-log entry about them: {action}, succeeded ({time}).",
        "Dernière entrée des journaux d'approvisionnement d'Entra à leur sujet : {action}, "
        "réussie ({time}).",
    ),
    "explain.entra.log.broken": _(
        "Entra's latest attempt ({action}, {time}) failed: {code} — {reason}",
        "La dernière tentative d'Entra ({action}, {time}) a échoué : {code} — {reason}",
    ),
    "explain.entra.log.broken.fix": _(
        "Fix the cause Entra names, then Provision on demand to retry at once (otherwise the next "
        "cycle retries).",
        "Corrigez la cause indiquée par Entra, puis Approvisionner à la demande (Provision on "
        "demand) pour réessayer aussitôt (sinon le cycle suivant réessaie).",
    ),
    "explain.steeple.installed.broken": _(
        "The Azure AD integration is not installed in Steeple.",
        "L'intégration Azure AD n'est pas installée dans Steeple.",
    ),
    "explain.steeple.installed.broken.fix": _(
        "Install it (step 2 of the assistant).", "Installez-la (étape 2 de l'assistant)."
    ),
    "explain.steeple.received.ok": _(
        "Steeple received them from Entra (user name {user_name}).",
        "Steeple les a reçus d'Entra (nom d'utilisateur {user_name}).",
    ),
    "explain.steeple.received.broken": _(
        "Steeple has not received {address} from Entra yet.",
        "Steeple n'a pas encore reçu {address} d'Entra.",
    ),
    "explain.steeple.received.broken.fix": _(
        "Entra sends them at its next cycle (about every 40 minutes); to send them now, use "
        "Provision on demand in Entra → Steeple → Provisioning.",
        "Entra les envoie au prochain cycle (environ toutes les 40 minutes) ; pour les envoyer "
        "maintenant, utilisez Approvisionner à la demande (Provision on demand) dans Entra → "
        "Steeple → Approvisionnement (Provisioning).",
    ),
    "explain.steeple.received_blind.broken": _(
        "Steeple has never received {address} from Entra.",
        "Steeple n'a jamais reçu {address} d'Entra.",
    ),
    "explain.steeple.received_blind.broken.fix": _(
        "In Entra, check that they exist with this e-mail, that their account is enabled, and "
        "that they are a direct member of a group assigned to the Steeple app; their line in the "
        "provisioning logs says why Entra did not send them. Then Provision on demand.",
        "Dans Entra, vérifiez qu'ils existent avec cet e-mail, que leur compte est activé et "
        "qu'ils sont membres directs d'un groupe attribué à l'application Steeple ; leur ligne "
        "dans les journaux d'approvisionnement dit pourquoi Entra ne les a pas envoyés. Puis "
        "Approvisionner à la demande (Provision on demand).",
    ),
    "explain.steeple.active.ok": _(
        "Active in what Entra sent.", "Actifs dans ce qu'Entra a envoyé."
    ),
    "explain.steeple.active.broken": _(
        "Entra marked them inactive: they were unassigned from the app or disabled in Entra.",
        "Entra les a marqués inactifs : ils ont été désattribués de l'application ou "
        "désactivés dans Entra.",
    ),
    "explain.steeple.active.broken.fix": _(
        "In Entra, enable their account and assign them again (through a group); the next cycle "
        "makes them active.",
        "Dans Entra, activez leur compte et attribuez-les à nouveau (par un groupe) ; le cycle "
        "suivant les rend actifs.",
    ),
    "explain.steeple.email.ok": _(
        "Their e-mail address as received: {email}.", "Leur adresse e-mail reçue : {email}."
    ),
    "explain.steeple.email.broken": _(
        "They arrived without an e-mail address: Steeple cannot give them an account.",
        "Ils sont arrivés sans adresse e-mail : Steeple ne peut pas leur donner de compte.",
    ),
    "explain.steeple.email.broken.fix": _(
        "In Entra, fill in their Email (mail); the next cycle sends it and Steeple links them.",
        "Dans Entra, renseignez leur E-mail (mail) ; le cycle suivant l'envoie et Steeple les "
        "relie.",
    ),
    "explain.steeple.email.duplicate": _(
        "Another person received from Entra has the same e-mail ({email}): Steeple links "
        "neither of them.",
        "Une autre personne reçue d'Entra a le même e-mail ({email}) : Steeple ne relie aucune "
        "des deux.",
    ),
    "explain.steeple.email.duplicate.fix": _(
        "Give each person their own e-mail address in Entra.",
        "Donnez à chaque personne sa propre adresse e-mail dans Entra.",
    ),
    "explain.steeple.groups.ok": _(
        "Member of the received groups: {groups}.", "Membres des groupes reçus : {groups}."
    ),
    "explain.steeple.groups.broken": _(
        "They are in no group Steeple received, so no community can be given to them.",
        "Ils ne sont dans aucun groupe reçu par Steeple : aucune communauté ne peut leur être "
        "donnée.",
    ),
    "explain.steeple.groups.broken.fix": _(
        "In Entra, make them a direct member of an assigned group (Entra provisions direct "
        "members only).",
        "Dans Entra, rendez-les membres directs d'un groupe attribué (Entra n'approvisionne que "
        "les membres directs).",
    ),
    "explain.steeple.mapped.ok": _("Their access: {mappings}.", "Leur accès : {mappings}."),
    "explain.steeple.mapped.broken": _(
        "None of their groups ({groups}) is mapped to a community: they would get no access.",
        "Aucun de leurs groupes ({groups}) n'est associé à une communauté : ils n'auraient "
        "aucun accès.",
    ),
    "explain.steeple.mapped.broken.fix": _(
        "Map one of these groups to a community (step 7, Map groups).",
        "Associez un de ces groupes à une communauté (étape 7, Associer les groupes).",
    ),
    "explain.steeple.sync.ok": _("The sync is active.", "La synchronisation est active."),
    "explain.steeple.sync.broken": _(
        "The sync is not active: Steeple keeps what Entra sends but gives nobody access yet.",
        "La synchronisation n'est pas active : Steeple garde ce qu'Entra envoie mais ne donne "
        "encore accès à personne.",
    ),
    "explain.steeple.sync.broken.fix": _(
        "Activate the sync (step 8), after its dry run.",
        "Activez la synchronisation (étape 8), après sa simulation.",
    ),
    "explain.steeple.account.linked": _(
        "Linked by e-mail to their existing account {email}.",
        "Reliés par e-mail à leur compte existant {email}.",
    ),
    "explain.steeple.account.created": _(
        "An account was created for them: {email}.", "Un compte leur a été créé : {email}."
    ),
    "explain.steeple.account.removed": _(
        "Their account {email} is removed: they have no access.",
        "Leur compte {email} est retiré : ils n'ont aucun accès.",
    ),
    "explain.steeple.account.removed.fix": _(
        "Entra's next cycle restores it once they are active there again.",
        "Le prochain cycle d'Entra le rétablit dès qu'ils y sont de nouveau actifs.",
    ),
    "explain.steeple.account.broken": _(
        "No Steeple account is linked to them yet.",
        "Aucun compte Steeple ne leur est encore relié.",
    ),
    "explain.steeple.account.broken.fix": _(
        "Run `steeple-assistant activate --dry-run`: it lists who is skipped and why.",
        "Lancez `steeple-assistant activate --dry-run` : il liste qui est ignoré et pourquoi.",
    ),
    "explain.no_address": _("No e-mail address given.", "Aucune adresse e-mail donnée."),
    "explain.no_address.fix": _(
        "Pass the person's e-mail address: `steeple-assistant explain name@company.com`.",
        "Donnez l'adresse e-mail de la personne : `steeple-assistant explain nom@societe.fr`.",
    ),
}

# --- web (issue 23, point 7): `steeple-assistant web`, the wizard in a browser tab ---
HEADLESS_TEXTS.update(
    {
        "web.ready": _(
            "The assistant is served on {address} (this machine only). Open this address: it "
            "works once, in one browser, and is a secret until then:",
            "L'assistant est servi sur {address} (cette machine uniquement). Ouvrez cette "
            "adresse : elle ne sert qu'une fois, dans un seul navigateur, et reste secrète "
            "jusque-là :",
        ),
        "web.opened": _("Opened in your browser.", "Ouverte dans votre navigateur."),
        "web.not_opened": _(
            "No browser to open here: paste the address into a browser on this machine.",
            "Aucun navigateur à ouvrir ici : collez l'adresse dans un navigateur de cette machine.",
        ),
        "web.stop": _(
            "One session at a time; Ctrl-C stops the server.",
            "Une session à la fois ; Ctrl-C arrête le serveur.",
        ),
        "web.stopping": _("Stopping.", "Arrêt."),
        "web.session.started": _(
            "A browser session started.", "Une session de navigateur a commencé."
        ),
        "web.session.ended": _(
            "The browser session ended; that browser can reconnect with Restart.",
            "La session de navigateur est terminée ; ce navigateur peut se reconnecter avec "
            "Relancer.",
        ),
        "web.session.stderr": _(
            "The assistant wrote (secrets masked):",
            "L'assistant a écrit (secrets masqués) :",
        ),
        "web.refused": _("Refused a request: {reason}", "Requête refusée : {reason}"),
        "web.refused.wrong_host": _(
            "it does not name this server (127.0.0.1 or localhost with this port).",
            "elle ne désigne pas ce serveur (127.0.0.1 ou localhost avec ce port).",
        ),
        "web.refused.foreign_origin": _(
            "it comes from another site's page.",
            "elle vient de la page d'un autre site.",
        ),
        "web.refused.no_secret": _(
            "it has neither the one-time address nor the session it opened.",
            "elle n'a ni l'adresse à usage unique ni la session qu'elle a ouverte.",
        ),
        "web.refused.wrong_secret": _(
            "the address's secret is wrong.",
            "le secret de l'adresse est faux.",
        ),
        "web.refused.secret_spent": _(
            "the one-time address was already used by a browser.",
            "l'adresse à usage unique a déjà servi à un navigateur.",
        ),
        "web.refused.busy": _(
            "a session is already open in another tab (one at a time).",
            "une session est déjà ouverte dans un autre onglet (une à la fois).",
        ),
        "web.refused.fix": _(
            "Open the address printed by steeple-assistant web, in the browser that opened it "
            "first. For another browser, stop the command (Ctrl-C) and start it again: it prints "
            "a new address.",
            "Ouvrez l'adresse affichée par steeple-assistant web, dans le navigateur qui l'a "
            "ouverte en premier. Pour un autre navigateur, arrêtez la commande (Ctrl-C) et "
            "relancez-la : elle affiche une nouvelle adresse.",
        ),
        "web.page.starting": _("Starting the assistant…", "Démarrage de l'assistant…"),
        "web.page.ended": _(
            "Session ended, or another tab holds it (one session at a time).",
            "Session terminée, ou un autre onglet la détient (une session à la fois).",
        ),
        "web.page.restart": _("Restart", "Relancer"),
        "web.both": _("--sandbox and --url both given.", "--sandbox et --url donnés ensemble."),
        "web.both.fix": _(
            "Choose one: --sandbox for the local rehearsal, --url for an instance.",
            "Choisissez-en un : --sandbox pour la répétition locale, --url pour une instance.",
        ),
        "web.port": _(
            "Cannot listen on 127.0.0.1 port {port}: {reason}",
            "Impossible d'écouter sur 127.0.0.1 port {port} : {reason}",
        ),
        "web.port.fix": _(
            "Pick another with --port N, or leave --port out for any free port.",
            "Choisissez-en un autre avec --port N, ou omettez --port pour un port libre.",
        ),
    }
)

# --- rotation (issue 12, point 5): zero-downtime token rotation, TUI and `rotate-token` ---
HEADLESS_TEXTS.update(
    {
        "rotation.title": _("Rotate the SCIM token", "Renouveler le jeton SCIM"),
        "rotation.plan": _(
            "Entra uses the token …{old}. A new token is created and given to Entra; …{old} is "
            "revoked only once Entra's provisioning works with the new one (at most {limit}). "
            "Until then both tokens stay live.",
            "Entra utilise le jeton …{old}. Un nouveau jeton est créé et donné à Entra ; …{old} "
            "n'est révoqué qu'une fois que l'approvisionnement d'Entra travaille avec le nouveau "
            "(au plus {limit}). D'ici là, les deux jetons restent valides.",
        ),
        "rotation.plan.graph": _(
            "Through Microsoft Graph: the new token is tested (validateCredentials) before it is "
            "saved in Entra, so a failing test changes nothing; then Entra is asked to provision "
            "one person on demand, so it uses the new token at once.",
            "Par Microsoft Graph : le nouveau jeton est testé (validateCredentials) avant d'être "
            "enregistré dans Entra ; un test en échec ne change donc rien. Entra est ensuite prié "
            "d'approvisionner une personne à la demande, pour utiliser aussitôt le nouveau jeton.",
        ),
        "rotation.plan.manual": _(
            "Without Graph: you paste the new token into Entra yourself; it is shown once, on "
            "this terminal only.",
            "Sans Graph : vous collez vous-même le nouveau jeton dans Entra ; il est affiché une "
            "seule fois, sur ce terminal uniquement.",
        ),
        "rotation.replace": _(
            "Two tokens are live already (at most {max}): …{replaced}, which Entra did not use "
            "last, is revoked first to make room; …{kept} stays live until the new one is "
            "verified.",
            "Deux jetons sont déjà valides (au plus {max}) : …{replaced}, qu'Entra n'a pas "
            "utilisé en dernier, est d'abord révoqué pour faire de la place ; …{kept} reste "
            "valide jusqu'à la vérification du nouveau.",
        ),
        "rotation.plan.clean": _(
            "…{other} was left by a rotation interrupted before it reached Entra (never saved "
            "there): it is revoked first.",
            "…{other} a été laissé par un renouvellement interrompu avant d'atteindre Entra "
            "(jamais enregistré là-bas) : il est d'abord révoqué.",
        ),
        "rotation.plan.resume": _(
            "An interrupted rotation saved …{new} in Entra: this one waits for Entra's "
            "provisioning to use it (at most {limit}), then revokes …{old}.",
            "Un renouvellement interrompu a enregistré …{new} dans Entra : celui-ci attend que "
            "l'approvisionnement d'Entra l'utilise (au plus {limit}), puis révoque …{old}.",
        ),
        "rotation.plan.ask": _(
            "Entra's latest provisioning request bore …{old} ({when}). …{other} (created "
            "{created}) has been seen since only in connection tests, or not at all: it may have "
            "been saved in Entra, and the traffic cannot tell (a quiet cycle sends only the same "
            "probe as a Test Connection).",
            "La dernière requête d'approvisionnement d'Entra portait …{old} ({when}). …{other} "
            "(créé {created}) n'a été vu depuis que dans des tests de connexion, ou pas du tout : "
            "il a peut-être été enregistré dans Entra, et le trafic ne permet pas de le savoir "
            "(un cycle sans changement n'envoie que la même sonde qu'un test de connexion).",
        ),
        "rotation.plan.ask_none": _(
            "Neither …{old} nor …{other} has borne a provisioning request from Entra yet: the "
            "traffic cannot tell which one is saved in Entra.",
            "Ni …{old} ni …{other} n'a encore porté de requête d'approvisionnement d'Entra : le "
            "trafic ne permet pas de savoir lequel est enregistré dans Entra.",
        ),
        "rotation.plan.ask_who": _(
            "You will be asked which one is saved in Entra; nothing is revoked before you say.",
            "On vous demandera lequel est enregistré dans Entra ; rien n'est révoqué avant votre "
            "réponse.",
        ),
        "rotation.which.title": _(
            "Which token is saved in Entra?", "Quel jeton est enregistré dans Entra ?"
        ),
        "rotation.which.entras": _(
            "…{hint} (on Entra's latest provisioning request)",
            "…{hint} (sur la dernière requête d'approvisionnement d'Entra)",
        ),
        "rotation.which.candidate": _("…{hint} (created {created})", "…{hint} (créé {created})"),
        "rotation.which.unknown": _("I don't know", "Je ne sais pas"),
        "rotation.which.prompt": _(
            "Which token is saved in Entra? Type 1 or 2, or Enter if you do not know: ",
            "Quel jeton est enregistré dans Entra ? Tapez 1 ou 2, ou Entrée si vous ne savez "
            "pas : ",
        ),
        "rotation.confirm_prompt": _(
            "Rotate now? Type y to go on: ", "Renouveler maintenant ? Tapez o pour continuer : "
        ),
        "rotation.confirm_yes": _("y", "o"),
        "rotation.needs_yes": _(
            "Nothing changed. Run again with --yes to rotate.",
            "Rien n'a changé. Relancez avec --yes pour renouveler.",
        ),
        "rotation.checked": _("Entra uses the token …{old}.", "Entra utilise le jeton …{old}."),
        "rotation.created": _("New token created: …{hint}.", "Nouveau jeton créé : …{hint}."),
        "rotation.checked_ask": _(
            "Which token Entra holds cannot be told from its traffic.",
            "Le trafic d'Entra ne permet pas de savoir quel jeton il détient.",
        ),
        "rotation.cleaned": _(
            "Revoked …{hint}, left by an interrupted rotation: it never reached Entra.",
            "…{hint} révoqué, laissé par un renouvellement interrompu : il n'a jamais atteint "
            "Entra.",
        ),
        "rotation.resumed": _(
            "Entra should now hold …{hint}: waiting for its provisioning to use it before "
            "…{old} is revoked.",
            "Entra devrait maintenant détenir …{hint} : en attente de son approvisionnement "
            "avec lui avant de révoquer …{old}.",
        ),
        "rotation.tested": _(
            "Test Connection (validateCredentials) passed with the new token.",
            "Tester la connexion (validateCredentials) a réussi avec le nouveau jeton.",
        ),
        "rotation.saved.graph": _(
            "The new token is saved in Entra (Secret Token).",
            "Le nouveau jeton est enregistré dans Entra (Jeton secret / Secret Token).",
        ),
        "rotation.saved.manual": _(
            "You saved the new token in Entra.",
            "Vous avez enregistré le nouveau jeton dans Entra.",
        ),
        "rotation.paste": _(
            "In the Entra admin center: Provisioning → Admin Credentials → Secret Token: paste "
            "the new token, press Test Connection, then Save. Then press {press} here.",
            "Dans le centre d'administration Entra : Approvisionnement (Provisioning) → "
            "Informations d'identification de l'administrateur (Admin Credentials) → Jeton "
            "secret (Secret Token) : collez le nouveau jeton, cliquez sur Tester la connexion "
            "(Test Connection), puis Enregistrer (Save). Appuyez ensuite sur {press} ici.",
        ),
        "rotation.first_sign": _(
            "Entra called with the new token ({kind}, {time}): it has it. Waiting for its own "
            "next request.",
            "Entra a appelé avec le nouveau jeton ({kind}, {time}) : il l'a. En attente de sa "
            "prochaine requête.",
        ),
        "rotation.waiting": _(
            "Waiting for Entra's next request with the new token: {elapsed} of at most {limit}.",
            "En attente de la prochaine requête d'Entra avec le nouveau jeton : {elapsed} sur "
            "{limit} au plus.",
        ),
        "rotation.nudged": _(
            "Asked Entra to provision {person} on demand, so it uses the new token now.",
            "Entra a été prié de provisionner {person} à la demande, pour qu'il utilise le "
            "nouveau jeton dès maintenant.",
        ),
        "rotation.verified_before": _(
            "Entra's provisioning already bears the new token (latest at {time}).",
            "L'approvisionnement d'Entra porte déjà le nouveau jeton (dernière requête à {time}).",
        ),
        "rotation.verified": _(
            "Entra's own request arrived with the new token ({kind}, {time}, {status}).",
            "La requête d'Entra est arrivée avec le nouveau jeton ({kind}, {time}, {status}).",
        ),
        "rotation.revoked": _(
            "Old token …{old} revoked. Entra uses …{new}: rotation done, no request refused.",
            "Ancien jeton …{old} révoqué. Entra utilise …{new} : renouvellement terminé, aucune "
            "requête refusée.",
        ),
        "rotation.live": _(
            "The token Entra holds was not revoked; live tokens: {hints}.",
            "Le jeton détenu par Entra n'a pas été révoqué ; jetons valides : {hints}.",
        ),
        "rotation.stop.no_token": _(
            "There is no live token to rotate.", "Il n'y a aucun jeton valide à renouveler."
        ),
        "rotation.stop.no_token.fix": _(
            "Create one on step 3 (Get credentials).",
            "Créez-en un à l'étape 3 (Obtenir les identifiants).",
        ),
        "rotation.stop.declined": _(
            "Rotation not started: nothing changed.",
            "Renouvellement non lancé : rien n'a changé.",
        ),
        "rotation.stop.declined.fix": _(
            "Revoke the token Entra does not use, or accept its replacement next time.",
            "Révoquez le jeton qu'Entra n'utilise pas, ou acceptez son remplacement la "
            "prochaine fois.",
        ),
        "rotation.stop.undecided": _(
            "Not rotated: the traffic cannot tell which token is saved in Entra, and nothing is "
            "guessed (with --yes, nobody can be asked).",
            "Pas de renouvellement : le trafic ne permet pas de savoir quel jeton est enregistré "
            "dans Entra, et rien n'est deviné (avec --yes, personne ne peut être interrogé).",
        ),
        "rotation.stop.undecided.fix": _(
            "To decide: in Entra, Provisioning → Provision on demand, provision any one person: "
            "the token on the request it sends is the one Entra holds; then run rotate-token "
            "again. Or run it in a terminal without --yes and say which one you saved.",
            "Pour trancher : dans Entra, Approvisionnement → Approvisionner à la demande "
            "(Provision on demand), provisionnez une personne : le jeton de la requête envoyée "
            "est celui qu'Entra détient ; relancez ensuite rotate-token. Ou lancez-le dans un "
            "terminal sans --yes et indiquez celui que vous avez enregistré.",
        ),
        "rotation.stop.held": _(
            "Not revoked: …{hint} bore Entra's latest provisioning request, so Entra may still "
            "hold it.",
            "Non révoqué : …{hint} portait la dernière requête d'approvisionnement d'Entra, "
            "Entra le détient donc peut-être encore.",
        ),
        "rotation.stop.held.fix": _(
            "Check which token is saved in Entra (Provisioning → Admin Credentials), then run "
            "the rotation again.",
            "Vérifiez quel jeton est enregistré dans Entra (Approvisionnement → Informations "
            "d'identification de l'administrateur), puis relancez le renouvellement.",
        ),
        "rotation.stop.test_failed": _(
            "Test Connection failed with the new token: {message}",
            "Tester la connexion a échoué avec le nouveau jeton : {message}",
        ),
        "rotation.stop.cancelled": _(
            "Rotation cancelled before the old token was revoked.",
            "Renouvellement annulé avant la révocation de l'ancien jeton.",
        ),
        "rotation.stop.cancelled.fix": _(
            "If you saved the new token in Entra, run the rotation again later: it verifies and "
            "revokes the old one.",
            "Si vous avez enregistré le nouveau jeton dans Entra, relancez le renouvellement "
            "plus tard : il vérifie puis révoque l'ancien.",
        ),
        "rotation.stop.timeout": _(
            "No request from Entra bore the new token within {limit}.",
            "Aucune requête d'Entra n'a porté le nouveau jeton en {limit}.",
        ),
        "rotation.stop.timeout.fix": _(
            "Check in Entra that the new token is saved and provisioning is On. Entra sends only "
            "its connection check while nothing changes: provision one person on demand in "
            "Entra to make it work with the new token, then run the rotation again: it resumes "
            "where this one stopped.",
            "Vérifiez dans Entra que le nouveau jeton est enregistré et que l'approvisionnement "
            "est activé. Entra n'envoie que sa vérification de connexion tant que rien ne "
            "change : approvisionnez une personne à la demande dans Entra pour qu'il travaille "
            "avec le nouveau jeton, puis relancez le renouvellement : il reprend là où celui-ci "
            "s'est arrêté.",
        ),
        "rotation.stop.error": _("{message}", "{message}"),
        "rotation.no_terminal": _(
            "Without Graph the new token must be shown to a person, and there is no terminal.",
            "Sans Graph, le nouveau jeton doit être montré à une personne, et il n'y a pas de "
            "terminal.",
        ),
        "rotation.no_terminal.fix": _(
            "Run rotate-token in a terminal, or sign in (entra signin) and add --via-graph.",
            "Lancez rotate-token dans un terminal, ou connectez-vous (entra signin) et ajoutez "
            "--via-graph.",
        ),
        "rotation.not_signed_in": _(
            "--via-graph needs an Entra sign-in on this machine.",
            "--via-graph nécessite une connexion à Entra sur cette machine.",
        ),
        "rotation.not_signed_in.fix": _(
            "Run steeple-assistant entra signin first, or rotate without --via-graph.",
            "Lancez d'abord steeple-assistant entra signin, ou renouvelez sans --via-graph.",
        ),
        "rotation.secret": _(
            "New Secret Token (shown once, not stored anywhere): {secret}",
            "Nouveau jeton secret (affiché une seule fois, stocké nulle part) : {secret}",
        ),
        "rotation.tenant_url": _("Tenant URL: {url}", "URL du locataire (Tenant URL) : {url}"),
        "rotation.enter": _("Enter", "Entrée"),
        "rotation.minutes": _("{minutes} min {seconds} s", "{minutes} min {seconds} s"),
        "rotation.seconds": _("{seconds} s", "{seconds} s"),
        "rotation.whole_minutes": _("{minutes} min", "{minutes} min"),
        # the TUI's rotation modal (screens/modals/rotation.py)
        "rotation.start": _("Start the rotation", "Lancer le renouvellement"),
        "rotation.saved_button": _("Saved in Entra (s)", "Enregistré dans Entra (s)"),
        "rotation.saved_key": _("s", "s"),
        "key.rotation_saved": _("Saved in Entra", "Enregistré dans Entra"),
        "rotation.close": _("Close", "Fermer"),
        "rotation.stage.checked": _(
            "Find the token Entra uses", "Trouver le jeton utilisé par Entra"
        ),
        "rotation.stage.nudged": _(
            "Provision one person on demand with it",
            "Approvisionner une personne à la demande avec lui",
        ),
        "rotation.stage.resumed": _(
            "Entra got the new token (interrupted rotation)",
            "Entra a reçu le nouveau jeton (renouvellement interrompu)",
        ),
        "rotation.stage.created": _("Create a new token", "Créer un nouveau jeton"),
        "rotation.stage.tested": _(
            "Test Connection with it (validateCredentials)",
            "Tester la connexion avec lui (validateCredentials)",
        ),
        "rotation.stage.saved": _("Save it in Entra", "L'enregistrer dans Entra"),
        "rotation.stage.first_sign": _(
            "Entra's Test Connection with it", "Le test de connexion d'Entra avec lui"
        ),
        "rotation.stage.verified": _(
            "Entra's provisioning with it", "L'approvisionnement d'Entra avec lui"
        ),
        "rotation.stage.revoked": _("Revoke the old token", "Révoquer l'ancien jeton"),
    }
)
