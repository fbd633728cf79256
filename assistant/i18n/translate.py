"""English and French texts of the journey, and the language choice.

The step texts live here, next to each other per step, so a translator sees both versions together
and a missing translation falls back to English instead of crashing a screen.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

SUPPORTED = ("en", "fr")


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """`fr` when the locale is French, else `en`: the order POSIX gives the locale variables."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    if environ is None:
        try:
            current = locale.getlocale()[0] or ""
        except ValueError:  # pragma: no cover - odd platform locales
            current = ""
        if current.lower().startswith("fr"):
            return "fr"
    return "en"


def normalise_language(lang: str | None) -> str:
    """A supported language code; anything else (or None) becomes the detected language."""
    if lang and lang.lower()[:2] in SUPPORTED:
        return lang.lower()[:2]
    return detect_language()


TEXTS: dict[str, dict[str, str]] = {
    # --- step titles: what to do, short enough for the sidebar at 80 columns ------------------
    "sso.title": {"en": "Check SSO", "fr": "Vérifier le SSO"},
    "install.title": {"en": "Install Azure AD", "fr": "Installation"},
    "credentials.title": {"en": "Get credentials", "fr": "Identifiants"},
    "entra.title": {"en": "Configure Entra", "fr": "Configurer Entra"},
    "assign.title": {"en": "Assign groups", "fr": "Attribution"},
    "provision.title": {"en": "Receive profiles", "fr": "Recevoir profils"},
    "roles.title": {"en": "Map groups", "fr": "Associer groupes"},
    "activate.title": {"en": "Activate sync", "fr": "Activer synchro"},
    # --- guidance ---------------------------------------------------------------------------------
    "sso.guidance": {
        "en": "Provisioning only creates accounts; people sign in through single sign-on. "
        "Steeple must have Azure AD SSO configured before Entra provisions anyone.",
        "fr": "Le provisionnement crée seulement les comptes ; la connexion passe par "
        "l'authentification unique. Steeple doit avoir le SSO Azure AD configuré avant "
        "qu'Entra ne provisionne qui que ce soit.",
    },
    "install.guidance": {
        "en": "Install the Azure AD integration on this Steeple instance. It opens the SCIM "
        "endpoint Entra will call; nothing changes for your users yet.",
        "fr": "Installez l'intégration Azure AD sur cette instance Steeple. Elle ouvre le point "
        "d'accès SCIM qu'Entra appellera ; rien ne change encore pour vos utilisateurs.",
    },
    "install.removed": {
        "en": "The integration was removed; staged data is kept until {until}. "
        "Installing it again picks that data up.",
        "fr": "L'intégration a été supprimée ; les données reçues sont conservées jusqu'au "
        "{until}. La réinstaller les récupère.",
    },
    "credentials.guidance": {
        "en": "Create a SCIM token and copy the Tenant URL and the Secret Token: you paste both "
        "into Entra. The secret is shown once; Steeple keeps only its last 4 characters.",
        "fr": "Créez un jeton SCIM et copiez l'URL du locataire (Tenant URL) et le Jeton secret "
        "(Secret Token) : vous les collez dans Entra. Le secret n'est affiché qu'une fois ; "
        "Steeple n'en garde que les 4 derniers caractères.",
    },
    "entra.guidance": {
        "en": "In the Entra admin center: Enterprise applications → your Steeple app → "
        "Provisioning → Mode Automatic; paste the Tenant URL and Secret Token, then click "
        "Test Connection. This step completes when Steeple sees that test succeed.",
        "fr": "Dans le centre d'administration Entra : Applications d'entreprise (Enterprise "
        "applications) → votre application Steeple → Approvisionnement (Provisioning) → Mode "
        "d'approvisionnement : Automatique (Provisioning Mode: Automatic) ; collez l'URL du "
        "locataire (Tenant URL) et le Jeton secret (Secret Token), puis cliquez sur Tester la "
        "connexion (Test Connection). L'étape est terminée quand Steeple voit ce test réussir.",
    },
    "assign.guidance": {
        "en": "In Entra, Users and groups: assign the groups whose members should get Steeple "
        "(ideally one users group and one admins group per community). Members of nested "
        "groups are not provisioned.",
        "fr": "Dans Entra, Utilisateurs et groupes (Users and groups) : attribuez les groupes "
        "dont les membres "
        "doivent accéder à Steeple (idéalement un groupe utilisateurs et un groupe "
        "administrateurs par communauté). Les membres des groupes imbriqués ne sont pas "
        "provisionnés.",
    },
    "provision.guidance": {
        "en": "Start provisioning in Entra. The first cycle sends every assigned user and group; "
        "later cycles run every 25 to 40 minutes. Nothing reaches Steeple accounts until you "
        "activate.",
        "fr": "Démarrez l'approvisionnement (Start provisioning) dans Entra. Le premier cycle "
        "envoie tous les "
        "utilisateurs et groupes attribués ; les suivants ont lieu toutes les 25 à 40 minutes. "
        "Rien n'atteint les comptes Steeple avant l'activation.",
    },
    "roles.guidance": {
        "en": "Map each received group to a Steeple community, as members or as administrators. "
        "People in no mapped group get no access.",
        "fr": "Associez chaque groupe reçu à une communauté Steeple, comme membres ou comme "
        "administrateurs. Les personnes d'aucun groupe associé n'ont pas d'accès.",
    },
    "activate.guidance": {
        "en": "Review the dry run, then activate: received users are linked to existing accounts "
        "by e-mail or created, and memberships follow the mappings from then on.",
        "fr": "Vérifiez la simulation, puis activez : les utilisateurs reçus sont liés aux "
        "comptes existants par e-mail ou créés, et les appartenances suivent ensuite les "
        "associations.",
    },
    # --- blockers -------------------------------------------------------------------------------
    "blocker.sso_missing": {
        "en": "Single sign-on is not configured on this instance: ask Steeple support or "
        "configure Azure AD SSO in Steeple's settings first.",
        "fr": "L'authentification unique n'est pas configurée sur cette instance : demandez au "
        "support Steeple ou configurez d'abord le SSO Azure AD dans les paramètres Steeple.",
    },
    "blocker.stale_token": {
        "en": "Entra is calling with a token that is not the current one (401 since the newest "
        "token was created): paste the newest Secret Token into Entra and test again.",
        "fr": "Entra appelle avec un jeton qui n'est pas le jeton actuel (401 depuis la création "
        "du plus récent) : collez le dernier jeton secret dans Entra et testez à nouveau.",
    },
    "blocker.test_failed": {
        "en": "The last Test Connection got HTTP {status}: check the Tenant URL in Entra.",
        "fr": "Le dernier test de connexion a reçu HTTP {status} : vérifiez l'URL du locataire "
        "dans Entra.",
    },
    "blocker.entra_quarantine": {
        "en": "Entra has put provisioning in quarantine ({reason}): fix the cause, then restart "
        "provisioning.",
        "fr": "Entra a mis l'approvisionnement en quarantaine ({reason}) : corrigez la cause, "
        "puis redémarrez l'approvisionnement.",
    },
    # --- journey (issue 11, points 1-3) -----------------------------------------------------------
    "clock.none": {
        "en": "No provisioning cycle seen yet: the first starts when provisioning is started "
        "in Entra.",
        "fr": "Aucun cycle d'approvisionnement observé : le premier commence quand "
        "l'approvisionnement est démarré dans Entra.",
    },
    "clock.next": {
        "en": "Next Entra cycle expected {when}.",
        "fr": "Prochain cycle Entra attendu {when}.",
    },
    "clock.learned": {
        "en": "(interval learnt from {count} observed cycles: {interval})",
        "fr": "(intervalle appris de {count} cycles observés : {interval})",
    },
    "clock.range_s": {"en": "in {low}–{high} s", "fr": "dans {low} à {high} s"},
    "clock.about_s": {"en": "in about {n} s", "fr": "dans environ {n} s"},
    "clock.range_min": {"en": "in {low}–{high} min", "fr": "dans {low} à {high} min"},
    "clock.about_min": {"en": "in about {n} min", "fr": "dans environ {n} min"},
    "clock.overdue": {"en": "any minute now (overdue)", "fr": "d'une minute à l'autre (en retard)"},
    "clock.stopped": {
        "en": "not soon: Entra seems to have stopped",
        "fr": "pas de sitôt : Entra semble s'être arrêté",
    },
    "clock.stopped_line": {
        "en": "Entra seems to have stopped: no cycle for {since}, more than twice the "
        "usual interval. In Entra, check the Provisioning Status (On), whether the job is in "
        "quarantine, and that the Secret Token is the current one.",
        "fr": "Entra semble s'être arrêté : aucun cycle depuis {since}, plus du double de "
        "l'intervalle habituel. Dans Entra, vérifiez l'état de l'approvisionnement (Provisioning "
        "Status : Activé), si le travail est en quarantaine, et que le jeton secret (Secret "
        "Token) est bien l'actuel.",
    },
    "blocker.no_group_cycle": {
        "en": "Entra ran a cycle and sent no group: assign groups, not only people (Entra → your "
        "Steeple app → Users and groups → Add user/group, pick the groups), and check that the "
        'scope is "Sync only assigned users and groups".',
        "fr": "Entra a exécuté un cycle sans envoyer de groupe : attribuez des groupes, pas "
        "seulement des personnes (Entra → votre application Steeple → Utilisateurs et groupes "
        "(Users and groups) → Ajouter un utilisateur/groupe, choisissez les groupes), et "
        "vérifiez que l'étendue est « Synchroniser uniquement les utilisateurs et les groupes "
        "attribués » (Sync only assigned users and groups).",
    },
    "assign.confirm_title": {
        "en": "Are the groups assigned in Entra?",
        "fr": "Les groupes sont-ils attribués dans Entra ?",
    },
    "assign.confirm_body": {
        "en": "Steeple cannot see Entra's assignments before a provisioning cycle brings them. "
        "Check in Entra → Enterprise applications → your Steeple app → Users and groups that "
        "every group you want in Steeple is listed (groups, not only people). The next step "
        "verifies it: the groups must arrive with the first cycle.",
        "fr": "Steeple ne voit pas les attributions d'Entra avant qu'un cycle d'approvisionnement "
        "ne les apporte. Vérifiez dans Entra → Applications d'entreprise (Enterprise "
        "applications) → votre application Steeple → Utilisateurs et groupes (Users and groups) "
        "que chaque groupe voulu dans Steeple y figure (des groupes, pas seulement des "
        "personnes). L'étape suivante le vérifie : les groupes doivent arriver au premier cycle.",
    },
    "assign.confirm_yes": {"en": "They are assigned", "fr": "Ils sont attribués"},
    "assign.pick_first": {
        "en": "Not yet: select the groups with Space (or a for all), then Assign selected (s).",
        "fr": "Pas encore : sélectionnez les groupes avec Espace (ou a pour tous), puis "
        "Attribuer la sélection (s).",
    },
    "continue.not_yet": {
        "en": "Step {number} is not done yet: {reason}",
        "fr": "L'étape {number} n'est pas encore faite : {reason}",
    },
    "palette.goto": {"en": "Go to: {number}. {title}", "fr": "Aller à : {number}. {title}"},
    "palette.goto_help": {"en": "Open this step", "fr": "Ouvrir cette étape"},
    "palette.blocked_help": {
        "en": "Not reached yet: step {number} comes first",
        "fr": "Pas encore atteinte : l'étape {number} vient avant",
    },
    "palette.blocked": {
        "en": "Step {target} ({title}) is not reached yet: step {number} ({blocker}) comes "
        "first. {reason}",
        "fr": "L'étape {target} ({title}) n'est pas encore atteinte : l'étape {number} "
        "({blocker}) vient avant. {reason}",
    },
    # --- lifecycle: deactivate / re-activate, removal, deprovisioning, connections -------------
    "lifecycle.more": {"en": "… and {count} more", "fr": "… et {count} de plus"},
    "lifecycle.deactivate.title": {
        "en": "Deactivate the sync",
        "fr": "Désactiver la synchro",
    },
    "lifecycle.deactivate.palette_help": {
        "en": "Untick synchronization: people go back to e-mail + password; preview first",
        "fr": "Décocher la synchronisation : retour à l'e-mail + mot de passe ; aperçu d'abord",
    },
    "lifecycle.reactivate.title": {
        "en": "Re-activate the sync",
        "fr": "Réactiver la synchro",
    },
    "lifecycle.reactivate.palette_help": {
        "en": "The activation dry run again, then an explicit confirmation",
        "fr": "La simulation d'activation à nouveau, puis une confirmation explicite",
    },
    "lifecycle.deactivate.heading": {
        "en": "Deactivating the sync would:",
        "fr": "Désactiver la synchro ferait ceci :",
    },
    "lifecycle.deactivate.to_password": {
        "en": "• Back to e-mail + password (a password to set at next sign-in): {count}",
        "fr": "• Retour à l'e-mail + mot de passe (à définir à la prochaine connexion) : {count}",
    },
    "lifecycle.deactivate.entra": {
        "en": "• Entra's cycles still arrive (live tokens: {tokens}): Steeple keeps what they "
        "send and changes no account until you re-activate.",
        "fr": "• Les cycles d'Entra arrivent toujours (jetons actifs : {tokens}) : Steeple "
        "garde ce qu'ils envoient et ne change aucun compte avant la réactivation.",
    },
    "lifecycle.deactivate.keep": {
        "en": "• Accounts, memberships and links stay; re-activating shows the dry run first.",
        "fr": "• Comptes, appartenances et liens restent ; la réactivation montre d'abord la "
        "simulation.",
    },
    "lifecycle.deactivate.stop_entra": {
        "en": "Entra calls until its Provisioning Status is Off. Never delete the enterprise "
        "app: it carries your SSO.",
        "fr": "Entra appelle tant que l'état de l'approvisionnement n'est pas Désactivé "
        "(Provisioning Status: Off). Ne supprimez jamais l'application d'entreprise : elle "
        "porte votre SSO.",
    },
    "lifecycle.deactivate.inactive": {
        "en": "The sync is not active: there is nothing to deactivate.",
        "fr": "La synchro n'est pas active : il n'y a rien à désactiver.",
    },
    "lifecycle.deactivate.confirm": {
        "en": "Deactivate the sync?",
        "fr": "Désactiver la synchro ?",
    },
    "lifecycle.deactivate.button": {"en": "Deactivate", "fr": "Désactiver"},
    "lifecycle.deactivate.done": {
        "en": "✓ Sync deactivated. People back to e-mail + password: {count}.",
        "fr": "✓ Synchro désactivée. Personnes revenues à l'e-mail + mot de passe : {count}.",
    },
    "lifecycle.activate.already": {
        "en": "The sync is already active: nothing changed.",
        "fr": "La synchro est déjà active : rien n'a changé.",
    },
    "lifecycle.activate.done": {
        "en": "✓ Sync active. Linked: {linked}, created: {created}, skipped: {skipped}, "
        "removed: {removed}, memberships granted: {granted}.",
        "fr": "✓ Synchro active. Liés : {linked}, créés : {created}, ignorés : {skipped}, "
        "retirés : {removed}, appartenances accordées : {granted}.",
    },
    "lifecycle.not_installed": {
        "en": "The Azure AD integration is not installed.",
        "fr": "L'intégration Azure AD n'est pas installée.",
    },
    "lifecycle.not_installed.fix": {
        "en": "Run the assistant to install it and receive Entra's first cycle.",
        "fr": "Lancez l'assistant pour l'installer et recevoir le premier cycle d'Entra.",
    },
    "lifecycle.needs_yes": {
        "en": "Nothing changed: add --yes to {action}, or --dry-run to only show this.",
        "fr": "Rien n'a changé : ajoutez --yes pour {action}, ou --dry-run pour seulement "
        "afficher ceci.",
    },
    "lifecycle.action.activate": {"en": "activate", "fr": "activer"},
    "lifecycle.action.deactivate": {"en": "deactivate", "fr": "désactiver"},
    "lifecycle.action.remove": {
        "en": "remove the integration",
        "fr": "supprimer l'intégration",
    },
    "lifecycle.dry_run.heading": {
        "en": "Dry run: activating would",
        "fr": "Simulation : l'activation ferait ceci",
    },
    "lifecycle.dry_run.linked": {
        "en": "Linked to existing accounts by e-mail: {count}",
        "fr": "Liés à des comptes existants par e-mail : {count}",
    },
    "lifecycle.dry_run.created": {
        "en": "New accounts created: {count}",
        "fr": "Nouveaux comptes créés : {count}",
    },
    "lifecycle.dry_run.conflicts": {
        "en": "Conflicts (skipped): {count}",
        "fr": "Conflits (ignorés) : {count}",
    },
    "lifecycle.dry_run.unmapped": {
        "en": "In no mapped group, so no access: {count}",
        "fr": "Dans aucun groupe associé, donc sans accès : {count}",
    },
    "dry_run.unmapped_keeping": {
        "en": "In no mapped group, keeping the rights granted to them in Steeple by hand: {count}",
        "fr": "Dans aucun groupe associé, mais gardant les droits accordés à la main dans "
        "Steeple : {count}",
    },
    "lifecycle.dry_run.admins": {
        "en": "New administrators: {count}",
        "fr": "Nouveaux administrateurs : {count}",
    },
    "lifecycle.dry_run.removed": {
        "en": "Removed (unassigned or disabled): {count}",
        "fr": "Retirés (désattribués ou désactivés) : {count}",
    },
    "dry_run.new_admin": {
        "en": "{email} administers {community}",
        "fr": "{email} administre {community}",
    },
    "dry_run.conflict.missing_email": {
        "en": "{name} has no e-mail: no account can be matched (skipped).",
        "fr": "{name} n'a pas d'e-mail : aucun compte ne peut lui correspondre (ignoré).",
    },
    "dry_run.conflict.duplicate_email": {
        "en": "{email} belongs to {names} and to someone else in Entra or Steeple: none is linked.",
        "fr": "{email} appartient à {names} et à quelqu'un d'autre dans Entra ou Steeple : "
        "aucun n'est lié.",
    },
    "dry_run.admins_kept_heading": {
        "en": "Administrators who keep their admin rights ({count}):",
        "fr": "Administrateurs qui gardent leurs droits d'administration ({count}) :",
    },
    "dry_run.admin_kept": {"en": "{email}: {rights}", "fr": "{email} : {rights}"},
    "dry_run.admins_kept_none": {
        "en": "Administrators who keep their admin rights: none yet.",
        "fr": "Administrateurs qui gardent leurs droits d'administration : aucun pour l'instant.",
    },
    "dry_run.by_hand": {"en": "by hand", "fr": "à la main"},
    "dry_run.by_group": {"en": "through a group", "fr": "par un groupe"},
    "dry_run.people": {"en": "Person by person:", "fr": "Personne par personne :"},
    "dry_run.person": {
        "en": "{email} ({account}): {changes}",
        "fr": "{email} ({account}) : {changes}",
    },
    "dry_run.separator": {"en": "; ", "fr": " ; "},
    "dry_run.account.linked": {"en": "existing account", "fr": "compte existant"},
    "dry_run.account.created": {"en": "new account", "fr": "nouveau compte"},
    "dry_run.keeps": {
        "en": "keeps {rights}, granted by hand",
        "fr": "garde {rights}, accordés à la main",
    },
    "dry_run.adds": {
        "en": "Entra's groups add {rights}",
        "fr": "les groupes d'Entra ajoutent {rights}",
    },
    "dry_run.removes": {
        "en": "Entra's groups remove {rights}",
        "fr": "les groupes d'Entra retirent {rights}",
    },
    "dry_run.no_change": {
        "en": "Entra's groups change nothing",
        "fr": "les groupes d'Entra ne changent rien",
    },
    "dry_run.no_access": {
        "en": "no access: in no mapped group",
        "fr": "aucun accès : dans aucun groupe associé",
    },
    "dry_run.right": {"en": "{community} ({role})", "fr": "{community} ({role})"},
    "role.user": {"en": "member", "fr": "membre"},
    "role.admin": {"en": "admin", "fr": "admin"},
    "lifecycle.computing": {"en": "Computing the preview…", "fr": "Calcul de l'aperçu…"},
    "lifecycle.button.deactivate": {"en": "Deactivate…", "fr": "Désactiver…"},
    "lifecycle.button.reactivate": {
        "en": "Re-activate (dry run first)",
        "fr": "Réactiver (simulation d'abord)",
    },
    "lifecycle.done.pause": {
        "en": "Back to e-mail + password without removing anything: Deactivate… (d), preview "
        "first.",
        "fr": "Retour à l'e-mail + mot de passe sans rien supprimer : Désactiver… (d), aperçu "
        "d'abord.",
    },
    "lifecycle.removal.heading": {"en": "Removal would:", "fr": "La suppression ferait ceci :"},
    "lifecycle.removal.to_password": {
        "en": "• People who sign in through Azure AD switched to e-mail + password: {count}",
        "fr": "• Personnes connectées via Azure AD passées à l'e-mail + mot de passe : {count}",
    },
    "lifecycle.removal.tokens": {
        "en": "• SCIM tokens revoked (Entra can no longer call): {count}",
        "fr": "• Jetons SCIM révoqués (Entra ne peut plus appeler) : {count}",
    },
    "lifecycle.removal.sync_on": {
        "en": "• The sync, active now, stops: Entra's changes no longer reach accounts.",
        "fr": "• La synchro, active en ce moment, s'arrête : les changements d'Entra "
        "n'atteignent plus les comptes.",
    },
    "lifecycle.removal.kept": {
        "en": "• Received data kept for a grace period, so re-installing is quick (users: "
        "{users}, groups: {groups}).",
        "fr": "• Données reçues conservées pendant un délai de grâce, pour une réinstallation "
        "rapide (utilisateurs : {users}, groupes : {groups}).",
    },
    "lifecycle.removal.order": {
        "en": "Do it in this order:\n"
        "1. In Entra: your Steeple app → Provisioning → Provisioning Status Off → Save "
        "(else Entra calls with a revoked token and quarantines the job).\n"
        "2. Here: remove the integration (button below).\n"
        "3. Keep the enterprise app in Entra: it carries your single sign-on. Never delete it.",
        "fr": "Dans cet ordre :\n"
        "1. Dans Entra : votre application Steeple → Approvisionnement → État de "
        "l'approvisionnement Désactivé (Provisioning Status: Off) → Enregistrer (sinon Entra "
        "appelle avec un jeton révoqué et met le travail en quarantaine).\n"
        "2. Ici : supprimez l'intégration (bouton ci-dessous).\n"
        "3. Gardez l'application d'entreprise dans Entra : elle porte votre authentification "
        "unique. Ne la supprimez jamais.",
    },
    "lifecycle.removal.first_off": {
        "en": "First, in Entra: your Steeple app → Provisioning → Provisioning Status Off → Save "
        "(else Entra calls with a revoked token and quarantines the job). Keep the enterprise "
        "app: it carries your single sign-on.",
        "fr": "D'abord, dans Entra : votre application Steeple → Approvisionnement → État de "
        "l'approvisionnement Désactivé (Provisioning Status: Off) → Enregistrer (sinon Entra "
        "appelle avec un jeton révoqué et met le travail en quarantaine). Gardez l'application "
        "d'entreprise : elle porte votre authentification unique.",
    },
    "lifecycle.removal.entra_running": {
        "en": "Entra's provisioning job is running ({state}): once removed, Steeple refuses its "
        "token, Entra gets 401 on every call and quarantines the app. Pause it first.",
        "fr": "La tâche d'approvisionnement d'Entra tourne ({state}) : une fois l'intégration "
        "supprimée, Steeple refuse son jeton, Entra reçoit 401 à chaque appel et met "
        "l'application en quarantaine. Suspendez-la d'abord.",
    },
    "lifecycle.removal.entra_stopped": {
        "en": "Entra's provisioning job is not running ({state}): it will not call after the "
        "removal.",
        "fr": "La tâche d'approvisionnement d'Entra ne tourne pas ({state}) : elle n'appellera "
        "pas après la suppression.",
    },
    "lifecycle.removal.entra_unread": {
        "en": "Entra's provisioning job could not be read ({message}): set Provisioning Status "
        "to Off in Entra first.",
        "fr": "La tâche d'approvisionnement d'Entra n'a pas pu être lue ({message}) : mettez "
        "d'abord l'état de l'approvisionnement sur Désactivé (Provisioning Status: Off) dans "
        "Entra.",
    },
    "lifecycle.removal.pause_first.title": {
        "en": "Pause provisioning in Entra first?",
        "fr": "Suspendre d'abord l'approvisionnement dans Entra ?",
    },
    "lifecycle.removal.pause_first.body": {
        "en": "Entra's provisioning job is running. Removing now would leave it calling with a "
        "revoked token until it quarantines the app. Pause it through Microsoft Graph now, "
        "then remove?",
        "fr": "La tâche d'approvisionnement d'Entra tourne. Supprimer maintenant la laisserait "
        "appeler avec un jeton révoqué jusqu'à mettre l'application en quarantaine. La "
        "suspendre maintenant par Microsoft Graph, puis supprimer ?",
    },
    "lifecycle.removal.pause_first.button": {
        "en": "Pause, then remove…",
        "fr": "Suspendre, puis supprimer…",
    },
    "lifecycle.removal.refused_running": {
        "en": "Not removed: Entra's provisioning job is running, and would quarantine the app.",
        "fr": "Pas de suppression : la tâche d'approvisionnement d'Entra tourne et mettrait "
        "l'application en quarantaine.",
    },
    "lifecycle.removal.refused_running.fix": {
        "en": "Add --pause-entra to pause it through Microsoft Graph first, or set Provisioning "
        "Status to Off in Entra; --force removes anyway.",
        "fr": "Ajoutez --pause-entra pour la suspendre d'abord par Microsoft Graph, ou mettez "
        "l'état de l'approvisionnement sur Désactivé dans Entra ; --force supprime quand même.",
    },
    "lifecycle.removal.pause_failed": {
        "en": "Entra's provisioning job still runs after the pause ({state}): nothing removed.",
        "fr": "La tâche d'approvisionnement d'Entra tourne encore après la suspension "
        "({state}) : rien n'a été supprimé.",
    },
    "lifecycle.removal.pause_failed.fix": {
        "en": "Set Provisioning Status to Off in Entra, then run remove again.",
        "fr": "Mettez l'état de l'approvisionnement sur Désactivé dans Entra, puis relancez "
        "remove.",
    },
    "lifecycle.removal.paused": {
        "en": "Entra's provisioning job paused through Microsoft Graph.",
        "fr": "Tâche d'approvisionnement d'Entra suspendue par Microsoft Graph.",
    },
    "lifecycle.removal.forced": {
        "en": "⚠ Removed while Entra's provisioning job runs: set Provisioning Status to Off in "
        "Entra now, or it will quarantine the app.",
        "fr": "⚠ Supprimée alors que la tâche d'approvisionnement d'Entra tourne : mettez "
        "maintenant l'état de l'approvisionnement sur Désactivé dans Entra, sinon elle mettra "
        "l'application en quarantaine.",
    },
    "lifecycle.removal.recent_calls": {
        "en": "⚠ Entra was still calling at {time}: if Provisioning Status is still On, its "
        "next calls get 401 and it quarantines the app. Set it to Off in Entra now.",
        "fr": "⚠ Entra appelait encore à {time} : si l'état de l'approvisionnement est encore "
        "Activé, ses prochains appels reçoivent 401 et il met l'application en quarantaine. "
        "Mettez-le sur Désactivé dans Entra maintenant.",
    },
    "lifecycle.removal.calls_after": {
        "en": "⚠ Entra keeps calling after the removal (last at {time}, refused with 401): set "
        "Provisioning Status to Off in Entra now, or it will quarantine the app.",
        "fr": "⚠ Entra continue d'appeler après la suppression (dernier appel à {time}, refusé "
        "avec 401) : mettez maintenant l'état de l'approvisionnement sur Désactivé dans Entra, "
        "sinon il mettra l'application en quarantaine.",
    },
    "lifecycle.removal.done": {
        "en": "✓ Removed. People switched to e-mail + password: {count}; SCIM tokens revoked: "
        "{tokens}; received data kept until {until}.",
        "fr": "✓ Supprimée. Personnes passées à l'e-mail + mot de passe : {count} ; jetons SCIM "
        "révoqués : {tokens} ; données reçues conservées jusqu'au {until}.",
    },
    "lifecycle.connect.wrong_key_fix": {
        "en": "Type a valid key in the Admin key field below (Steeple: Administration → API "
        "keys), then Connect.",
        "fr": "Saisissez une clé valide dans le champ Clé d'administration ci-dessous (Steeple : "
        "Administration → Clés d'API), puis Connecter.",
    },
    "lifecycle.copy.token_sent": {
        "en": "Token sent to your terminal for its clipboard (OSC 52). Not in your clipboard? "
        "Your terminal ignored it: press v to show the token and copy it by hand.",
        "fr": "Jeton envoyé à votre terminal pour son presse-papiers (OSC 52). Absent du "
        "presse-papiers ? Votre terminal l'a ignoré : appuyez sur v pour afficher le jeton et "
        "copiez-le à la main.",
    },
    "lifecycle.copy.url_sent": {
        "en": "Tenant URL sent to your terminal for its clipboard (OSC 52). Not in your "
        "clipboard? Your terminal ignored it: copy the URL shown on screen by hand.",
        "fr": "URL du locataire envoyée à votre terminal pour son presse-papiers (OSC 52). "
        "Absente du presse-papiers ? Votre terminal l'a ignorée : copiez à la main l'URL "
        "affichée à l'écran.",
    },
    "lifecycle.deprovisioning": {
        "en": "When a person is unassigned from the app or disabled in Entra, Entra's next cycle "
        "tells Steeple and, once the sync is active, their Steeple account is removed (no "
        "access).",
        "fr": "Quand une personne est désattribuée de l'application ou désactivée dans Entra, le "
        "cycle suivant d'Entra le signale à Steeple et, une fois la synchro active, son compte "
        "Steeple est retiré (plus d'accès).",
    },
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text for `key` in `lang` (English when missing), with `{name}` placeholders filled."""
    entry = TEXTS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def plural_key(key: str, count: int, lang: str = "en") -> str:
    """`key.one` or `key.other`: French counts 0 and 1 as singular, English only 1."""
    singular = count in (0, 1) if lang == "fr" else count == 1
    return f"{key}.{'one' if singular else 'other'}"


def tn(key: str, count: int, lang: str = "en", **values: object) -> str:
    """The plural form of `key` for `count` ("1 group", "2 groups"), `{count}` filled in."""
    return t(plural_key(key, count, lang), lang, count=count, **values)


def _merge_areas() -> None:
    """The catalogue is split by area (screens, headless…); `TEXTS` stays the one place to look."""
    from assistant.i18n.texts_errors import ERROR_TEXTS
    from assistant.i18n.texts_headless import HEADLESS_TEXTS
    from assistant.i18n.texts_screens import SCREEN_TEXTS

    for area in (SCREEN_TEXTS, ERROR_TEXTS, HEADLESS_TEXTS):
        for key, entry in area.items():
            TEXTS.setdefault(key, entry)


_merge_areas()
