"""The texts of the terminal screens, English and French side by side (merged into `i18n.TEXTS`).

Kept apart from `i18n.py` so the catalogue stays readable by area. Entra's controls are named as
the French Entra admin center names them, with the English label in parentheses, so an admin
can follow along in either language of the portal.
"""

from __future__ import annotations


def _(en: str, fr: str) -> dict[str, str]:
    return {"en": en, "fr": fr}


SCREEN_TEXTS: dict[str, dict[str, str]] = {
    # --- app, footer bindings, palette --------------------------------------------------------
    "app.title": _("Steeple Provisioning Assistant", "Assistant d'approvisionnement Steeple"),
    "app.starting_sandbox": _("starting the sandbox…", "démarrage du bac à sable…"),
    "key.quit": _("Quit", "Quitter"),
    "key.theme": _("Theme", "Thème"),
    "key.palette": _("palette", "palette"),
    "key.retry": _("Retry", "Réessayer"),
    "key.continue": _("Continue", "Continuer"),
    "key.back": _("Back", "Retour"),
    "key.cancel": _("Cancel", "Annuler"),
    "key.yes": _("Yes", "Oui"),
    "key.reveal": _("Reveal", "Afficher"),
    "key.hide": _("Hide", "Masquer"),
    "key.copy_token": _("Copy", "Copier"),
    "key.copy_url": _("Copy URL", "Copier l'URL"),
    "key.select_all": _("Select all", "Tout sélectionner"),
    "key.search": _("Search", "Chercher"),
    "key.map": _("Map", "Associer"),
    "key.unmap": _("Unmap", "Dissocier"),
    "key.suggest": _("Suggest", "Suggérer"),
    "key.mark": _("Mark", "Marquer"),
    "key.first_row": _("First row", "Première ligne"),
    "key.last_row": _("Last row", "Dernière ligne"),
    "palette.recheck": _("Recheck", "Revérifier"),
    "palette.recheck.help": _(
        "Re-load every step's state and go to the current step",
        "Relire l'état de chaque étape et aller à l'étape en cours",
    ),
    "palette.remove": _("Remove the integration", "Supprimer l'intégration"),
    "palette.remove.help": _(
        "Impact, ordered steps and a typed confirmation",
        "Impact, étapes dans l'ordre et confirmation saisie",
    ),
    "palette.placeholder": _("Search for commands…", "Chercher une commande…"),
    # Textual's own palette entries, by their English text
    "textual.Theme": _("Theme", "Thème"),
    "textual.Change the current theme": _("Change the current theme", "Changer de thème"),
    "textual.Quit": _("Quit", "Quitter"),
    "textual.Quit the application as soon as possible": _(
        "Quit the application as soon as possible", "Quitter l'application"
    ),
    "textual.Keys": _("Keys", "Touches"),
    "textual.Hide the keys and widget help panel": _(
        "Hide the keys and widget help panel", "Masquer le panneau des touches et de l'aide"
    ),
    "textual.Show help for the focused widget and a summary of available keys": _(
        "Show help for the focused widget and a summary of available keys",
        "Afficher l'aide du widget actif et un résumé des touches disponibles",
    ),
    "textual.Minimize": _("Minimize", "Réduire"),
    "textual.Minimize the widget and restore to normal size": _(
        "Minimize the widget and restore to normal size",
        "Réduire le widget à sa taille normale",
    ),
    "textual.Maximize": _("Maximize", "Agrandir"),
    "textual.Maximize the focused widget": _(
        "Maximize the focused widget", "Agrandir le widget actif"
    ),
    "textual.Screenshot": _("Screenshot", "Capture d'écran"),
    "textual.Save an SVG 'screenshot' of the current screen": _(
        "Save an SVG 'screenshot' of the current screen",
        "Enregistrer une capture SVG de l'écran actuel",
    ),
    # --- shared ---------------------------------------------------------------------------------
    "common.cancel": _("Cancel", "Annuler"),
    "common.wait_write": _(
        "Wait for the current change to finish.", "Attendez la fin de la modification en cours."
    ),
    "common.steps": _("Steps", "Étapes"),
    "common.connect": _("▶ Connect", "▶ Connexion"),
    "common.fix": _("Fix: {fix}", "Correction : {fix}"),
    "common.retry_button": _("Retry (r)", "Réessayer (r)"),
    "common.unexpected": _(
        "Something went wrong ({name}).", "Une erreur inattendue s'est produite ({name})."
    ),
    "common.unexpected.fix": _(
        "Press r to retry. If it keeps failing, run steeple-assistant report for support.",
        "Appuyez sur r pour réessayer. Si l'erreur persiste, lancez steeple-assistant report "
        "pour le support.",
    ),
    "common.bulk_stopped": _(
        "Stopped after {applied} of {total} {what}: {reason}",
        "Arrêté après {applied} sur {total} {what} : {reason}",
    ),
    "common.and_more": _("… and {count} more", "… et {count} de plus"),
    "count.groups.one": _("{count} group", "{count} groupe"),
    "count.groups.other": _("{count} groups", "{count} groupes"),
    "count.tokens.one": _("{count} SCIM token", "{count} jeton SCIM"),
    "count.tokens.other": _("{count} SCIM tokens", "{count} jetons SCIM"),
    "count.mappings": _("mappings", "associations"),
    "count.unmappings": _("unmappings", "dissociations"),
    # --- modals ---------------------------------------------------------------------------------
    "modal.yes": _("Yes, do it", "Oui, allez-y"),
    "modal.type_word": _("type {word}", "tapez {word}"),
    "modal.remove": _("Remove", "Supprimer"),
    "modal.map.title.one": _("Map {count} group", "Associer {count} groupe"),
    "modal.map.title.other": _("Map {count} groups", "Associer {count} groupes"),
    "modal.map.body": _(
        "Members of these groups get this community, with this role:",
        "Les membres de ces groupes reçoivent cette communauté, avec ce rôle :",
    ),
    "modal.map.community": _("Community", "Communauté"),
    "modal.map.members": _("Members", "Membres"),
    "modal.map.admins": _("Administrators", "Administrateurs"),
    "modal.map.apply": _("Apply", "Appliquer"),
    "modal.map.pick_first": _("Pick a community first.", "Choisissez d'abord une communauté."),
    # --- the card's one line of why, per step (issue 23) ----------------------------------------
    "why.sso": _(
        "People sign in through single sign-on: provisioning only creates their accounts.",
        "Les personnes se connectent par l'authentification unique : l'approvisionnement ne "
        "crée que leurs comptes.",
    ),
    "why.install": _(
        "The integration opens the SCIM endpoint Entra calls; no user changes until you activate.",
        "L'intégration ouvre le point d'accès SCIM qu'Entra appelle ; aucun utilisateur ne "
        "change avant l'activation.",
    ),
    "why.credentials": _(
        "Entra calls Steeple with a Tenant URL and a Secret Token; the secret shows only once.",
        "Entra appelle Steeple avec une URL de locataire et un jeton secret ; le secret ne "
        "s'affiche qu'une fois.",
    ),
    "why.entra": _(
        "Entra's Test Connection proves it reaches Steeple with this URL and this token.",
        "Le test de connexion d'Entra prouve qu'il joint Steeple avec cette URL et ce jeton.",
    ),
    "why.assign": _(
        "Only members of the groups assigned in Entra get Steeple (not those of nested groups).",
        "Seuls les membres des groupes attribués dans Entra reçoivent Steeple (pas ceux des "
        "groupes imbriqués).",
    ),
    "why.provision": _(
        "Entra's first cycle sends everyone in scope; later cycles run every 25–40 minutes.",
        "Le premier cycle d'Entra envoie tout le monde ; les suivants ont lieu toutes les 25 à "
        "40 minutes.",
    ),
    "why.roles": _(
        "Each group gives its members a community, as members or as administrators.",
        "Chaque groupe donne à ses membres une communauté, comme membres ou administrateurs.",
    ),
    "why.activate": _(
        "Nothing reaches Steeple accounts before you activate: the dry run shows what will.",
        "Rien n'atteint les comptes Steeple avant l'activation : la simulation montre ce qui "
        "changera.",
    ),
    "why.done": _(
        "From now on Entra keeps Steeple up to date by itself.",
        "Désormais, Entra tient Steeple à jour tout seul.",
    ),
    "why.removal": _(
        "Removal returns everyone to e-mail + password; stop Entra first.",
        "La suppression ramène chacun à l'e-mail + mot de passe ; arrêtez Entra d'abord.",
    ),
    "why.deactivate": _(
        "Everyone goes back to e-mail + password; nothing is removed, re-activating is possible.",
        "Chacun revient à l'e-mail + mot de passe ; rien n'est supprimé, la réactivation reste "
        "possible.",
    ),
    # --- loading and connect --------------------------------------------------------------------
    "loading.heading": _("Checking the instance…", "Vérification de l'instance…"),
    "loading.body": _(
        "Reading the instance's state to find the step you are at.",
        "Lecture de l'état de l'instance pour trouver l'étape où vous en êtes.",
    ),
    "connect.heading": _("Connect to your Steeple instance", "Connexion à votre instance Steeple"),
    "connect.key_help": _(
        "The admin key is in Steeple: Administration → API keys. It stays in memory "
        "(or your system keyring), never in a file.",
        "La clé d'administration est dans Steeple : Administration → Clés d'API. Elle reste "
        "en mémoire (ou dans le trousseau du système), jamais dans un fichier.",
    ),
    "connect.profile": _("Profile", "Profil"),
    "connect.url": _("Instance URL", "URL de l'instance"),
    "connect.key": _("Admin key", "Clé d'administration"),
    "connect.connect": _("Connect", "Se connecter"),
    "connect.sandbox": _("Try the sandbox", "Essayer le bac à sable"),
    "connect.both_needed": _(
        "Both the instance URL and the admin key are needed.",
        "Il faut l'URL de l'instance et la clé d'administration.",
    ),
    "connect.both_needed.fix": _("Fill both.", "Remplissez les deux."),
    "connect.key_not_saved": _("Key not saved", "Clé non enregistrée"),
    # --- SSO ------------------------------------------------------------------------------------
    "sso.howto": _(
        "In Steeple: Administration → Security → Single sign-on → Microsoft Entra ID.\n"
        "Configure SAML (or OIDC) with the identifier claim 'email', save, then press Recheck.",
        "Dans Steeple : Administration → Sécurité → Authentification unique → Microsoft Entra "
        "ID.\nConfigurez SAML (ou OIDC) avec la revendication d'identifiant 'email', "
        "enregistrez, puis appuyez sur Revérifier.",
    ),
    "sso.checking": _("Checking single sign-on…", "Vérification de l'authentification unique…"),
    "sso.recheck": _("Recheck", "Revérifier"),
    "sso.configure": _("Configure SSO (sandbox)", "Configurer le SSO (bac à sable)"),
    "sso.ok": _(
        "✓ Single sign-on is configured ({protocol}, matching on '{claim}').",
        "✓ L'authentification unique est configurée ({protocol}, correspondance sur '{claim}').",
    ),
    "sso.missing": _(
        "✗ Single sign-on is not configured: provisioned people could not log in.",
        "✗ L'authentification unique n'est pas configurée : les personnes provisionnées ne "
        "pourraient pas se connecter.",
    ),
    "sso.confirm.title": _(
        "Configure SSO on the sandbox?", "Configurer le SSO sur le bac à sable ?"
    ),
    "sso.confirm.body": _(
        "Sets Microsoft Entra ID SAML single sign-on, matching people on 'email'.",
        "Configure l'authentification unique SAML Microsoft Entra ID, en reconnaissant les "
        "personnes par 'email'.",
    ),
    # --- install --------------------------------------------------------------------------------
    "install.checking": _("Checking the integration…", "Vérification de l'intégration…"),
    "install.button": _("Install the integration", "Installer l'intégration"),
    "install.installed": _(
        "✓ The Azure AD integration is installed.", "✓ L'intégration Azure AD est installée."
    ),
    "install.not_installed": _(
        "▶ The Azure AD integration is not installed yet.",
        "▶ L'intégration Azure AD n'est pas encore installée.",
    ),
    "install.already": _(
        "✓ The Azure AD integration was already installed: nothing changed.",
        "✓ L'intégration Azure AD était déjà installée : rien n'a changé.",
    ),
    "install.confirm.title": _(
        "Install the Azure AD integration?", "Installer l'intégration Azure AD ?"
    ),
    "install.confirm.body": _(
        "Creates the SCIM endpoint on this instance. Safe to repeat.",
        "Crée le point d'accès SCIM sur cette instance. Sans risque si répété.",
    ),
    "install.confirm.ok": _("Install", "Installer"),
    # --- credentials ----------------------------------------------------------------------------
    "credentials.tenant_url": _("Tenant URL", "URL du locataire (Tenant URL)"),
    "credentials.secret_token": _("Secret Token", "Jeton secret (Secret Token)"),
    "credentials.create": _("Create token", "Créer un jeton"),
    "credentials.rotate": _("New token", "Nouveau jeton"),
    "credentials.copy_now": _(
        "Copy it now: Steeple shows a token only once. Live tokens: {hints}",
        "Copiez-le maintenant : Steeple n'affiche un jeton qu'une fois. Jetons actifs : {hints}",
    ),
    "credentials.hint_only": _(
        "Live tokens: {hints}. The secret was shown when it was created; if you no "
        "longer have it, create a new one (rotation).",
        "Jetons actifs : {hints}. Le secret a été affiché à sa création ; si vous ne l'avez "
        "plus, créez-en un nouveau (rotation).",
    ),
    "credentials.none": _(
        "No token yet: create one, then paste it into Entra.",
        "Pas encore de jeton : créez-en un, puis collez-le dans Entra.",
    ),
    "credentials.create_body": _(
        "Creates the SCIM secret token Entra will use.",
        "Crée le jeton secret SCIM qu'Entra utilisera.",
    ),
    "credentials.confirm.title": _("Create a SCIM token?", "Créer un jeton SCIM ?"),
    "credentials.confirm.ok": _("Create", "Créer"),
    "credentials.no_token": _(
        "No token in memory: create one first.",
        "Aucun jeton en mémoire : créez-en un d'abord.",
    ),
    "secret.hint_only": _(
        "(hidden — only its hint is known: …{hint})",
        "(masqué — seule sa fin est connue : …{hint})",
    ),
    "secret.none": _("(none)", "(aucun)"),
    # --- Entra ----------------------------------------------------------------------------------
    "entra.clicks": _(
        "1. Entra admin center → Enterprise applications\n"
        "2. Your Steeple app → Provisioning → Get started\n"
        "3. Provisioning Mode: Automatic\n"
        "4. Admin Credentials: paste Tenant URL and Secret Token\n"
        "5. Click Test Connection, then Save\n"
        "This step completes when Steeple hears that test succeed.",
        "1. Centre d'administration Entra → Applications d'entreprise (Enterprise "
        "applications)\n"
        "2. Votre application Steeple → Approvisionnement (Provisioning) → Prise en main "
        "(Get started)\n"
        "3. Mode d'approvisionnement : Automatique (Provisioning Mode: Automatic)\n"
        "4. Informations d'identification de l'administrateur (Admin Credentials) : collez "
        "l'URL du locataire (Tenant URL) et le Jeton secret (Secret Token)\n"
        "5. Cliquez sur Tester la connexion (Test Connection), puis Enregistrer (Save)\n"
        "L'étape est terminée quand Steeple voit ce test réussir.",
    ),
    "entra.waiting": _(
        "▶ Waiting for Entra's Test Connection…",
        "▶ En attente du test de connexion d'Entra (Tester la connexion)…",
    ),
    "entra.test_ok": _(
        "✓ Steeple heard Entra's Test Connection: it succeeded.",
        "✓ Steeple a reçu le test de connexion d'Entra : il a réussi.",
    ),
    "entra.test_401": _(
        "✗ Test Connection was refused (401): the token pasted into Entra is not a live "
        "token. Copy the current one from the Credentials step and paste it again.",
        "✗ Le test de connexion a été refusé (401) : le jeton collé dans Entra n'est pas un "
        "jeton actif. Copiez le jeton actuel à l'étape Identifiants et collez-le à nouveau.",
    ),
    "entra.test_failed": _(
        "✗ Test Connection failed with HTTP {status}. Check the Tenant URL.",
        "✗ Le test de connexion a échoué avec HTTP {status}. Vérifiez l'URL du locataire "
        "(Tenant URL).",
    ),
    "entra.test": _("Test Connection", "Tester la connexion (Test Connection)"),
    "entra.save": _("Save", "Enregistrer (Save)"),
    "entra.says": _("Entra says: {message}", "Entra répond : {message}"),
    "entra.says_save": _(
        "Entra says: {message} — now Save, as in Entra.",
        "Entra répond : {message} — enregistrez maintenant, comme dans Entra.",
    ),
    "entra.saved": _(
        "✓ Saved in Entra: the provisioning job has the tenant URL and the token.",
        "✓ Enregistré dans Entra : la tâche d'approvisionnement a l'URL du locataire et le jeton.",
    ),
    # --- assign ---------------------------------------------------------------------------------
    "assign.clicks": _(
        "Entra → Enterprise applications → your Steeple app → Users and groups → "
        "Add user/group → pick the groups → Assign.",
        "Entra → Applications d'entreprise (Enterprise applications) → votre application "
        "Steeple → Utilisateurs et groupes (Users and groups) → Ajouter un utilisateur/groupe "
        "(Add user/group) → choisissez les groupes → Attribuer (Assign).",
    ),
    "assign.advice_none": _(
        "Assign one group per audience; you map groups to communities later.",
        "Attribuez un groupe par public ; vous associerez les groupes aux communautés ensuite.",
    ),
    "assign.advice_more": _("and {count} more", "et {count} de plus"),
    "assign.advice_head": _(
        "Advice — for each community, a users group and an admins group: {communities}.",
        "Conseil — pour chaque communauté, un groupe utilisateurs et un groupe "
        "administrateurs : {communities}.",
    ),
    "assign.button": _("Assign selected", "Attribuer la sélection (Assign)"),
    "assign.received.one": _(
        "Steeple has received {count} group so far.",
        "Steeple a reçu {count} groupe jusqu'ici.",
    ),
    "assign.received.other": _(
        "Steeple has received {count} groups so far.",
        "Steeple a reçu {count} groupes jusqu'ici.",
    ),
    "assign.select_first": _(
        "Select groups with Space first.", "Sélectionnez d'abord des groupes avec Espace."
    ),
    "assign.assigned.one": _(
        "Assigned {count} group in the simulated tenant.",
        "{count} groupe attribué dans le locataire simulé.",
    ),
    "assign.assigned.other": _(
        "Assigned {count} groups in the simulated tenant.",
        "{count} groupes attribués dans le locataire simulé.",
    ),
    # --- provisioning ---------------------------------------------------------------------------
    "provision.clicks": _(
        "Entra → your Steeple app → Provisioning → Start provisioning (Provisioning Status: On).",
        "Entra → votre application Steeple → Approvisionnement (Provisioning) → Démarrer "
        "l'approvisionnement (Start provisioning) (État de l'approvisionnement : Activé — "
        "Provisioning Status: On).",
    ),
    "provision.state_waiting": _(
        "▶ Waiting for Entra's first cycle: start provisioning in Entra (below).",
        "▶ En attente du premier cycle d'Entra : démarrez l'approvisionnement dans Entra "
        "(ci-dessous).",
    ),
    "provision.state_start": _(
        "▶ Entra's job is not running: start provisioning.",
        "▶ La tâche d'Entra ne tourne pas : démarrez l'approvisionnement.",
    ),
    "provision.state_running": _(
        "▶ Entra's job is running: the first people arrive with its cycle.",
        "▶ La tâche d'Entra tourne : les premières personnes arrivent avec son cycle.",
    ),
    "provision.state_quarantine": _(
        "✗ Entra put the job in quarantine: read Entra says below for why.",
        "✗ Entra a mis la tâche en quarantaine : la raison est sous Selon Entra.",
    ),
    "provision.state_received.one": _(
        "✓ {count} person received from Entra: map their groups next (Continue).",
        "✓ {count} personne reçue d'Entra : associez ses groupes ensuite (Continuer).",
    ),
    "provision.state_received.other": _(
        "✓ {count} people received from Entra: map their groups next (Continue).",
        "✓ {count} personnes reçues d'Entra : associez leurs groupes ensuite (Continuer).",
    ),
    "dash.users": _("users received", "utilisateurs reçus"),
    "dash.users_active": _("{count} active", "{count} actifs"),
    "dash.groups": _("groups received", "groupes reçus"),
    "dash.scope": _("in scope in Entra", "dans l'étendue d'Entra"),
    "dash.initial_cycle": _("Initial cycle", "Cycle initial"),
    "dash.rate": _(
        "Entra's requests per minute, last hour", "Requêtes d'Entra par minute, dernière heure"
    ),
    "dash.rate_now": _("this minute: {now} · peak: {peak}", "cette minute : {now} · pic : {peak}"),
    "dash.next_cycle": _("Next Entra cycle", "Prochain cycle Entra"),
    "dash.countdown": _("{low} – {high}", "{low} – {high}"),
    "dash.countdown_by": _("any moment, by {high}", "d'un moment à l'autre, d'ici {high}"),
    "dash.countdown_none": _("not known yet", "pas encore connu"),
    "provision.last_error": _(
        "✗ Last error ({time}): HTTP {status} on {kind} · errors since install: {count}",
        "✗ Dernière erreur ({time}) : HTTP {status} sur {kind} · erreurs depuis "
        "l'installation : {count}",
    ),
    "provision.start": _("Start provisioning", "Démarrer l'approvisionnement (Start provisioning)"),
    "provision.started": _(
        "Provisioning started in the simulated tenant.",
        "Approvisionnement démarré dans le locataire simulé.",
    ),
    # --- roles ----------------------------------------------------------------------------------
    "roles.coverage": _("{mark} {community}: {detail}", "{mark} {community} : {detail}"),
    "roles.coverage_ok": _(
        "users groups: {users} · admins groups: {admins}",
        "groupes utilisateurs : {users} · groupes administrateurs : {admins}",
    ),
    "roles.flag.no_users_group": _("no users group", "aucun groupe utilisateurs"),
    "roles.flag.no_admins_group": _("no admins group", "aucun groupe administrateurs"),
    "roles.search": _("search (/)", "chercher (/)"),
    "roles.info": _("{loaded} of {total} groups", "{loaded} groupes sur {total}"),
    "roles.info_matching": _(
        "{loaded} of {total} groups matching '{query}'",
        "{loaded} groupes sur {total} correspondant à '{query}'",
    ),
    "roles.info_keys": _(
        " · Space or a click on the highlighted row marks it (●)",
        " · Espace ou un clic sur la ligne en surbrillance la marque (●)",
    ),
    "roles.unmap.title.one": _(
        "Remove the mapping of {count} group?", "Retirer l'association de {count} groupe ?"
    ),
    "roles.unmap.title.other": _(
        "Remove the mapping of {count} groups?", "Retirer l'association de {count} groupes ?"
    ),
    "roles.unmap.body": _(
        "Their members lose the community access these groups gave.",
        "Leurs membres perdent l'accès aux communautés que ces groupes donnaient.",
    ),
    "roles.mapped.one": _("Mapped {count} group.", "{count} groupe associé."),
    "roles.mapped.other": _("Mapped {count} groups.", "{count} groupes associés."),
    "roles.no_suggestion": _(
        "No suggestion: no unmapped group names a community.",
        "Aucune suggestion : aucun groupe non associé ne nomme une communauté.",
    ),
    "roles.suggest.title.one": _(
        "Apply {count} suggested mapping?", "Appliquer {count} association suggérée ?"
    ),
    "roles.suggest.title.other": _(
        "Apply {count} suggested mappings?", "Appliquer {count} associations suggérées ?"
    ),
    "roles.column.group": _("group", "groupe"),
    "roles.column.members": _("members", "membres"),
    "roles.column.community": _("community", "communauté"),
    "roles.column.role": _("role", "rôle"),
    # --- activate -------------------------------------------------------------------------------
    # --- request kinds in the 'Heard from Entra' stream (steeple.contract.RequestKind) ---
    "stream.kind_test_connection": _("test connection", "test de connexion"),
    "stream.kind_cycle_probe": _("cycle probe", "sonde de cycle"),
    "stream.kind_user_query": _("user query", "recherche utilisateur"),
    "stream.kind_user_create": _("user create", "création utilisateur"),
    "stream.kind_user_read": _("user read", "lecture utilisateur"),
    "stream.kind_user_update": _("user update", "mise à jour utilisateur"),
    "stream.kind_user_delete": _("user delete", "suppression utilisateur"),
    "stream.kind_group_query": _("group query", "recherche groupe"),
    "stream.kind_group_create": _("group create", "création groupe"),
    "stream.kind_group_read": _("group read", "lecture groupe"),
    "stream.kind_group_update": _("group update", "mise à jour groupe"),
    "stream.kind_group_delete": _("group delete", "suppression groupe"),
    "stream.kind_discovery": _("discovery", "découverte"),
    "stream.kind_other": _("other", "autre"),
    "activate.computing": _("Computing the dry run…", "Calcul de la simulation…"),
    "activate.ready": _(
        "▶ Read the dry run, then activate: nothing reaches accounts before.",
        "▶ Lisez la simulation, puis activez : rien n'atteint les comptes avant.",
    ),
    "activate.button": _("Activate", "Activer"),
    "activate.recompute": _("Recompute", "Recalculer"),
    "activate.already": _(
        "✓ The integration is active: sync is on.",
        "✓ L'intégration est active : la synchronisation est en marche.",
    ),
    "activate.dry_run": _("Dry run", "Simulation"),
    "activate.confirm.title": _("Activate provisioning?", "Activer l'approvisionnement ?"),
    "activate.confirm.tail": _(
        "From now on Entra's changes reach Steeple accounts.",
        "Dès maintenant, les changements d'Entra atteignent les comptes Steeple.",
    ),
    # --- done -----------------------------------------------------------------------------------
    "done.heading": _(
        "✓ Sync active — provisioning is set up",
        "✓ Synchronisation active — l'approvisionnement est en place",
    ),
    "done.next": _(
        "What happens next\n"
        "• Entra runs a provisioning cycle every 25–40 minutes: new, changed and unassigned "
        "people reach Steeple by themselves.\n"
        "• A report for support: steeple-assistant report (no secret in it).\n"
        "• To undo: Remove integration… (x), below.",
        "La suite\n"
        "• Entra lance un cycle d'approvisionnement toutes les 25 à 40 minutes : les personnes "
        "nouvelles, modifiées ou retirées arrivent seules dans Steeple.\n"
        "• Un rapport pour le support : steeple-assistant report (sans aucun secret).\n"
        "• Pour annuler : Supprimer l'intégration… (x), ci-dessous.",
    ),
    "done.remove": _("Remove integration…", "Supprimer l'intégration…"),
    "done.summary": _(
        "{users} active users and {groups} groups received from Entra.",
        "{users} utilisateurs actifs et {groups} groupes reçus d'Entra.",
    ),
    # --- removal --------------------------------------------------------------------------------
    "removal.heading": _("Remove the Azure AD integration", "Supprimer l'intégration Azure AD"),
    "removal.stop": _(
        "Stop provisioning in Entra", "Arrêter l'approvisionnement (Stop provisioning)"
    ),
    "removal.remove": _("Remove…", "Supprimer…"),
    "removal.stopped": _(
        "Provisioning stopped in Entra (the job is paused).",
        "Approvisionnement arrêté dans Entra (la tâche est suspendue).",
    ),
    "removal.confirm.title": _("Remove the integration?", "Supprimer l'intégration ?"),
    "removal.confirm.body": _(
        "Type {word} or the instance host ({host}) to confirm.",
        "Tapez {word} ou l'hôte de l'instance ({host}) pour confirmer.",
    ),
    "removal.word": _("REMOVE", "SUPPRIMER"),
    # --- request stream -------------------------------------------------------------------------
    "stream.title": _("Heard from Entra", "Reçu d'Entra"),
    "stream.time": _("time", "heure"),
    "stream.status": _("status", "statut"),
    "stream.request": _("request", "requête"),
    "stream.what": _("what", "quoi"),
    # --- headless commands (status, doctor, report) ---------------------------------------------
    "headless.instance": _("Steeple instance: {url}", "Instance Steeple : {url}"),
    "headless.all_done": _(
        "All steps are done: provisioning is live.",
        "Toutes les étapes sont faites : l'approvisionnement est en service.",
    ),
    "headless.fix": _("fix: {fix}", "correction : {fix}"),
    "headless.error": _(
        "Error: {message}\n  Fix: {fix}", "Erreur : {message}\n  Correction : {fix}"
    ),
    "headless.report_written": _("Report written to {path}", "Rapport écrit dans {path}"),
    # --- entracore (issue 12): opening the Entra side at start-up -------------------------------
    "entra.open_failed": _(
        "Could not open the Entra side through Microsoft Graph: {reason} The Entra steps show "
        "what to do in the Entra admin center instead. {fix}",
        "Impossible d'ouvrir le côté Entra par Microsoft Graph : {reason} Les étapes Entra "
        "indiquent plutôt quoi faire dans le centre d'administration Entra. {fix}",
    ),
    # --- explain: "Why is someone not in Steeple?" screen (issue 12, point 6; part "explain") ---
    "explain.screen.heading": _(
        "Why is someone not in Steeple?", "Pourquoi quelqu'un n'est-il pas dans Steeple ?"
    ),
    "explain.screen.intro": _(
        "Type their e-mail address: the assistant follows them through Entra and Steeple and "
        "names the first broken link, with its fix.",
        "Tapez leur adresse e-mail : l'assistant les suit dans Entra et dans Steeple et nomme "
        "le premier maillon rompu, avec sa correction.",
    ),
    "explain.screen.placeholder": _("name@company.com", "nom@societe.fr"),
    "explain.screen.go": _("Explain", "Expliquer"),
    "explain.screen.empty": _("Type an e-mail address first.", "Tapez d'abord une adresse e-mail."),
    "explain.screen.unseen": _(
        "? = not checked: sign in to Entra to see Entra's side too.",
        "? = non vérifié : connectez-vous à Entra pour voir aussi le côté Entra.",
    ),
    "palette.explain": _(
        "Why is someone not in Steeple?", "Pourquoi quelqu'un n'est-il pas dans Steeple ?"
    ),
    "palette.explain.help": _(
        "Follow one person through Entra and Steeple: the first broken link and its fix",
        "Suivre une personne dans Entra et Steeple : le premier maillon rompu et sa correction",
    ),
    # --- entrascreens: sign-in modal, Entra says, the Entra/Assign/Provisioning steps via Graph --
    "key.copy_code": _("Copy code", "Copier le code"),
    "key.browser": _("Browser", "Navigateur"),
    "key.device_code": _("Device code", "Code d'appareil"),
    "signin.title": _("Sign in to Entra", "Se connecter à Entra"),
    "signin.why": _(
        "Signing in lets the assistant do the Entra half itself (Test Connection, assign groups, "
        "start provisioning) and show what Entra says. Without it, nothing changes: you paste "
        "the values in the Entra admin center yourself.",
        "La connexion permet à l'assistant de faire lui-même la partie Entra (Tester la "
        "connexion, attribuer les groupes, démarrer l'approvisionnement) et d'afficher ce "
        "qu'Entra en dit. Sans elle, rien ne change : vous collez les valeurs vous-même dans le "
        "centre d'administration Entra.",
    ),
    "signin.starting": _(
        "Asking Entra for a sign-in code…", "Demande d'un code de connexion à Entra…"
    ),
    "signin.steps": _(
        "On any device, open the page below, type the code and sign in as an Entra "
        "administrator. This window waits for you (Esc cancels).",
        "Sur n'importe quel appareil, ouvrez la page ci-dessous, tapez le code et connectez-vous "
        "en administrateur Entra. Cette fenêtre vous attend (Échap annule).",
    ),
    "signin.page": _("page to open (u copies)", "page à ouvrir (u copie)"),
    "signin.code": _("code to type (c copies)", "code à taper (c copie)"),
    "signin.copy_code": _("Copy code", "Copier le code"),
    "signin.retry": _("Try again", "Réessayer"),
    "signin.browser": _("Browser", "Navigateur"),
    "signin.device": _("Device code", "Code d'appareil"),
    "signin.choose": _(
        "Sign in with the browser on this computer, or with a code you type in a browser on "
        "any device (b or d).",
        "Connectez-vous avec le navigateur de cet ordinateur, ou avec un code à taper dans un "
        "navigateur sur n'importe quel appareil (b ou d).",
    ),
    "signin.here.ssh": _(
        "SSH session: no browser can open for you here — use a device code.",
        "Session SSH : aucun navigateur ne peut s'ouvrir pour vous ici — utilisez un code "
        "d'appareil.",
    ),
    "signin.here.display": _(
        "No display for a browser here — use a device code.",
        "Pas d'affichage pour un navigateur ici — utilisez un code d'appareil.",
    ),
    "signin.here.text": _(
        "Only a text browser is set up here — use a device code.",
        "Seul un navigateur texte est configuré ici — utilisez un code d'appareil.",
    ),
    "signin.here.none": _(
        "No browser found here — use a device code.",
        "Aucun navigateur trouvé ici — utilisez un code d'appareil.",
    ),
    "signin.browser.starting": _(
        "Opening Entra's sign-in page in your browser…",
        "Ouverture de la page de connexion d'Entra dans votre navigateur…",
    ),
    "signin.browser.steps": _(
        "Sign in on the page your browser opened; this window waits for you (Esc cancels). No "
        "page? Open the address below.",
        "Connectez-vous sur la page que votre navigateur a ouverte ; cette fenêtre vous attend "
        "(Échap annule). Pas de page ? Ouvrez l'adresse ci-dessous.",
    ),
    "signin.kept": _(
        "The session will be kept in {place}.", "La session sera gardée dans {place}."
    ),
    "signin.unkept": _(
        "This machine has no secret store: the session lasts until the assistant closes. To "
        "keep it, start the assistant with --token-cache PATH.",
        "Cette machine n'a pas de coffre de secrets : la session dure jusqu'à la fermeture de "
        "l'assistant. Pour la garder, lancez l'assistant avec --token-cache CHEMIN.",
    ),
    "signin.code_sent": _(
        "Code sent to your terminal's clipboard (OSC 52).",
        "Code envoyé au presse-papiers du terminal (OSC 52).",
    ),
    "signin.url_sent": _(
        "Page address sent to your terminal's clipboard (OSC 52).",
        "Adresse de la page envoyée au presse-papiers du terminal (OSC 52).",
    ),
    "signin.expired": _(
        "The sign-in code expired before it was used.",
        "Le code de connexion a expiré avant d'être utilisé.",
    ),
    "signin.expired.fix": _(
        "Try again and type the new code within 15 minutes.",
        "Réessayez et tapez le nouveau code dans les 15 minutes.",
    ),
    "signin.declined": _(
        "The sign-in was declined on the Entra page.",
        "La connexion a été refusée sur la page Entra.",
    ),
    "signin.declined.fix": _(
        "Try again and accept the permissions (an administrator may need to grant consent).",
        "Réessayez et acceptez les autorisations (un administrateur devra peut-être donner son "
        "consentement).",
    ),
    "signin.failed": _(
        "Entra did not complete the sign-in (Entra's code: {code}).",
        "Entra n'a pas terminé la connexion (code d'Entra : {code}).",
    ),
    "signin.failed.fix.device_code": _(
        "Check the client id (--client-id or STEEPLE_ENTRA_CLIENT_ID: a public client that "
        "allows public client flows) and try again.",
        "Vérifiez l'identifiant client (--client-id ou STEEPLE_ENTRA_CLIENT_ID : un client "
        "public qui autorise les flux de clients publics) et réessayez.",
    ),
    "signin.failed.fix.browser": _(
        "Check the client id (--client-id or STEEPLE_ENTRA_CLIENT_ID: a public client with the "
        "redirect URI http://localhost) and try again.",
        "Vérifiez l'identifiant client (--client-id ou STEEPLE_ENTRA_CLIENT_ID : un client "
        "public avec l'URI de redirection http://localhost) et réessayez.",
    ),
    # --- sign-in (issue 22): the browser flow, refusals decoded, where the session is kept ---
    "signin.device.prompt": _(
        "To sign in, open {url} in a browser on any device and enter the code {code}.",
        "Pour vous connecter, ouvrez {url} dans un navigateur, sur n'importe quel appareil, et "
        "tapez le code {code}.",
    ),
    "signin.unsafe_page": _(
        "The sign-in service named a page that is not https on its own host, so the assistant "
        "neither shows nor opens it: {url}",
        "Le service de connexion a indiqué une page qui n'est pas en https sur son propre "
        "hôte : l'assistant ne l'affiche ni ne l'ouvre : {url}",
    ),
    "signin.unsafe_page.fix": _(
        "Check the authority (--entra-authority or STEEPLE_ENTRA_AUTHORITY): it should be "
        "Microsoft's sign-in service.",
        "Vérifiez l'autorité (--entra-authority ou STEEPLE_ENTRA_AUTHORITY) : ce doit être le "
        "service de connexion de Microsoft.",
    ),
    "signin.browser.done_page": _(
        "Signed in to Entra. You can close this tab and go back to the Steeple assistant.",
        "Connecté à Entra. Vous pouvez fermer cet onglet et revenir à l'assistant Steeple.",
    ),
    "signin.browser.failed_page": _(
        "The sign-in did not complete ({error}). Go back to the Steeple assistant.",
        "La connexion n'a pas abouti ({error}). Revenez à l'assistant Steeple.",
    ),
    "signin.no_browser": _(
        "No browser could open Entra's sign-in page here.",
        "Aucun navigateur n'a pu ouvrir ici la page de connexion d'Entra.",
    ),
    "signin.no_browser.fix": _(
        "Sign in with a device code instead (entra signin --device-code, or Device code in the "
        "sign-in window).",
        "Connectez-vous plutôt avec un code d'appareil (entra signin --device-code, ou Code "
        "d'appareil dans la fenêtre de connexion).",
    ),
    "signin.cancelled": _("The sign-in was cancelled.", "La connexion a été annulée."),
    "signin.cancelled.fix": _(
        "Sign in again when you are ready.", "Reconnectez-vous quand vous serez prêt."
    ),
    "signin.browser.timeout": _(
        "Nobody finished the sign-in in the browser within 10 minutes.",
        "Personne n'a terminé la connexion dans le navigateur en 10 minutes.",
    ),
    "signin.browser.timeout.fix": _(
        "Sign in again; if the browser did not show the page, use a device code (--device-code).",
        "Reconnectez-vous ; si le navigateur n'a pas affiché la page, utilisez un code "
        "d'appareil (--device-code).",
    ),
    "signin.aadsts.blocked": _(
        "Your organisation's Conditional Access blocks this way of signing in ({code}).",
        "L'accès conditionnel de votre organisation bloque ce mode de connexion ({code}).",
    ),
    "signin.aadsts.blocked.fix.device_code": _(
        "Sign in with a browser instead (entra signin without --device-code, or Browser in the "
        "sign-in window): Microsoft recommends blocking the device code, not the browser. If "
        "that is blocked too, an Entra administrator finds the policy in Sign-in logs.",
        "Connectez-vous plutôt avec un navigateur (entra signin sans --device-code, ou "
        "Navigateur dans la fenêtre de connexion) : Microsoft recommande de bloquer le code "
        "d'appareil, pas le navigateur. Si c'est bloqué aussi, un administrateur Entra trouve "
        "la stratégie dans les Journaux de connexion (Sign-in logs).",
    ),
    "signin.aadsts.blocked.fix.browser": _(
        "An Entra administrator finds the policy that applied in Sign-in logs (Conditional "
        "Access tab) and can exclude this sign-in; or sign in from a place or device the "
        "policy allows.",
        "Un administrateur Entra trouve la stratégie appliquée dans les Journaux de connexion "
        "(Sign-in logs), onglet Accès conditionnel (Conditional Access), et peut exclure cette "
        "connexion ; ou connectez-vous depuis un lieu ou un appareil que la stratégie autorise.",
    ),
    "signin.aadsts.device": _(
        "Conditional Access requires a compliant or joined device, and the one you signed in "
        "from is not ({code}).",
        "L'accès conditionnel exige un appareil conforme ou joint, et celui depuis lequel vous "
        "vous êtes connecté ne l'est pas ({code}).",
    ),
    "signin.aadsts.device.fix.device_code": _(
        "Open the sign-in page on a managed device: with a device code, any device's browser "
        "will do — enter the code there.",
        "Ouvrez la page de connexion sur un appareil géré : avec un code d'appareil, le "
        "navigateur de n'importe quel appareil convient — tapez-y le code.",
    ),
    "signin.aadsts.device.fix.browser": _(
        "Sign in from a managed device, or choose the device code (--device-code) and enter "
        "the code in a managed device's browser.",
        "Connectez-vous depuis un appareil géré, ou choisissez le code d'appareil "
        "(--device-code) et tapez le code dans le navigateur d'un appareil géré.",
    ),
    "signin.aadsts.consent": _(
        "No one has granted the app {client} the Microsoft Graph permissions it asks for in "
        "this tenant ({code}).",
        "Personne n'a accordé à l'application {client} les autorisations Microsoft Graph "
        "qu'elle demande dans ce locataire ({code}).",
    ),
    "signin.aadsts.consent.fix": _(
        "An administrator grants them: Enterprise applications → the app → Permissions → Grant "
        "admin consent; or sign in as an administrator and press Accept.",
        "Un administrateur les accorde : Applications d'entreprise (Enterprise applications) → "
        "l'application → Autorisations (Permissions) → Accorder un consentement "
        "d'administrateur (Grant admin consent) ; ou connectez-vous en administrateur et "
        "acceptez.",
    ),
    "signin.aadsts.admin_consent": _(
        "Only an administrator can grant the permissions the app {client} asks for ({code}).",
        "Seul un administrateur peut accorder les autorisations que demande l'application "
        "{client} ({code}).",
    ),
    "signin.aadsts.admin_consent.fix": _(
        "Sign in as a Global Administrator or Privileged Role Administrator, or ask one to "
        "grant admin consent (Enterprise applications → the app → Permissions).",
        "Connectez-vous en Administrateur général ou Administrateur de rôle privilégié, ou "
        "demandez-lui d'accorder le consentement (Applications d'entreprise (Enterprise "
        "applications) → l'application → Autorisations (Permissions)).",
    ),
    "signin.aadsts.declined": _(
        "The permissions were declined on Entra's page ({code}).",
        "Les autorisations ont été refusées sur la page d'Entra ({code}).",
    ),
    "signin.aadsts.declined.fix": _(
        "Try again and press Accept (an administrator may need to grant consent).",
        "Réessayez et appuyez sur Accepter (un administrateur devra peut-être donner son "
        "consentement).",
    ),
    "signin.aadsts.public_client": _(
        "The app registration {client} does not allow public client flows, which the device "
        "code needs ({code}).",
        "L'inscription d'application {client} n'autorise pas les flux de clients publics, dont "
        "le code d'appareil a besoin ({code}).",
    ),
    "signin.aadsts.public_client.fix": _(
        "Sign in with a browser instead, or turn them on: App registrations → the app → "
        "Authentication → Allow public client flows: Yes.",
        "Connectez-vous plutôt avec un navigateur, ou activez-les : Inscriptions "
        "d'applications (App registrations) → l'application → Authentification "
        "(Authentication) → Autoriser les flux de clients publics (Allow public client "
        "flows) : Oui.",
    ),
    "signin.aadsts.unknown_client": _(
        "This tenant does not know the app {client} ({code}).",
        "Ce locataire ne connaît pas l'application {client} ({code}).",
    ),
    "signin.aadsts.unknown_client.fix": _(
        "Check the client id (--client-id or STEEPLE_ENTRA_CLIENT_ID) and the tenant in the "
        "authority (--entra-authority).",
        "Vérifiez l'identifiant client (--client-id ou STEEPLE_ENTRA_CLIENT_ID) et le locataire "
        "de l'autorité (--entra-authority).",
    ),
    "signin.aadsts.not_assigned": _(
        "Your account is not assigned to the app {client}, which requires assignment ({code}).",
        "Votre compte n'est pas attribué à l'application {client}, qui exige une attribution "
        "({code}).",
    ),
    "signin.aadsts.not_assigned.fix": _(
        "An administrator assigns you (Enterprise applications → the app → Users and groups), "
        "or sets Properties → Assignment required? to No.",
        "Un administrateur vous attribue l'application (Applications d'entreprise (Enterprise "
        "applications) → l'application → Utilisateurs et groupes (Users and groups)), ou met "
        "Propriétés (Properties) → Affectation obligatoire ? (Assignment required?) à Non.",
    ),
    "signin.aadsts.other_tenant": _(
        "The account you signed in with does not belong to this tenant ({code}).",
        "Le compte avec lequel vous vous êtes connecté n'appartient pas à ce locataire ({code}).",
    ),
    "signin.aadsts.other_tenant.fix": _(
        "Sign in with an account of this tenant, or name your tenant in the authority "
        "(--entra-authority https://login.microsoftonline.com/<tenant>).",
        "Connectez-vous avec un compte de ce locataire, ou nommez votre locataire dans "
        "l'autorité (--entra-authority https://login.microsoftonline.com/<tenant>).",
    ),
    "signin.unreachable": _(
        "Could not reach the Entra sign-in service ({name}).",
        "Impossible de joindre le service de connexion d'Entra ({name}).",
    ),
    "signin.unreachable.at": _(
        "Could not reach the Entra sign-in service at {url} ({name}).",
        "Impossible de joindre le service de connexion d'Entra à {url} ({name}).",
    ),
    "signin.unreachable.fix": _(
        "Check the network and the authority (--entra-authority or STEEPLE_ENTRA_AUTHORITY), "
        "then try again.",
        "Vérifiez le réseau et l'autorité (--entra-authority ou STEEPLE_ENTRA_AUTHORITY), puis "
        "réessayez.",
    ),
    "says.title": _("Entra says", "Selon Entra"),
    "says.loading": _("Asking Entra…", "Interrogation d'Entra…"),
    "says.state.NotConfigured": _("not configured", "non configuré"),
    "says.state.NotRun": _("not started yet", "pas encore démarré"),
    "says.state.Active": _("running", "en cours"),
    "says.state.Paused": _("paused", "en pause"),
    "says.state.Quarantine": _("quarantined", "en quarantaine"),
    "says.state": _("Provisioning job: {state}.", "Tâche d'approvisionnement : {state}."),
    "says.steady": _(
        "Provisioning job: {state}, steady state reached (initial cycle done).",
        "Tâche d'approvisionnement : {state}, régime stable atteint (cycle initial terminé).",
    ),
    "says.progress": _(
        "Provisioning job: {state}, initial cycle {done} of {total} processed.",
        "Tâche d'approvisionnement : {state}, cycle initial {done} sur {total} traités.",
    ),
    "says.quarantine": _(
        "Quarantined by Entra: {reason}. Next retry around {retry}.",
        "Mise en quarantaine par Entra : {reason}. Prochain essai vers {retry}.",
    ),
    "says.scope": _(
        "In scope: {users} users · assigned groups: {groups}",
        "Dans l'étendue : {users} utilisateurs · groupes attribués : {groups}",
    ),
    "says.last_run": _("Last cycle {time}: {counts}", "Dernier cycle {time} : {counts}"),
    "says.last_error": _("Entra's last error: {error}", "Dernière erreur d'Entra : {error}"),
    "says.gap": _(
        "Entra says {scope} users are in scope; Steeple heard {heard}. Read Entra's log "
        "lines below for who was skipped or failed.",
        "Selon Entra, {scope} utilisateurs sont dans l'étendue ; Steeple en a reçu {heard}. "
        "Les lignes du journal d'Entra ci-dessous disent qui a été ignoré ou a échoué.",
    ),
    "says.gap_running": _(
        "Entra says {scope} users are in scope; Steeple heard {heard} so far (initial cycle "
        "running).",
        "Selon Entra, {scope} utilisateurs sont dans l'étendue ; Steeple en a reçu {heard} pour "
        "l'instant (cycle initial en cours).",
    ),
    "says.count_entitled": _("in scope", "dans l'étendue"),
    "says.count_exported": _("sent", "envoyés"),
    "says.count_escrowed": _("held for retry", "en attente de nouvel essai"),
    "says.col_time": _("time", "heure"),
    "says.col_action": _("action", "action"),
    "says.col_status": _("status", "statut"),
    "says.col_who": _("who", "qui"),
    "says.col_why": _("why", "pourquoi"),
    "says.unavailable": _(
        "Entra could not be read: {reason}", "Impossible de lire Entra : {reason}"
    ),
    "graph.GraphPermissionDenied": _(
        "You are signed in to Entra, but not allowed to do this: Microsoft Graph needs the "
        "delegated permission {permission}.",
        "Vous êtes connecté à Entra, mais pas autorisé à faire ceci : Microsoft Graph demande "
        "l'autorisation déléguée {permission}.",
    ),
    "graph.GraphPermissionDenied.fix": _(
        "Sign in again (palette: Sign in to Entra) and accept {permission}; an administrator may "
        "need to grant consent (Enterprise applications → the assistant's app → Permissions → "
        "Grant admin consent). You also need the role {role}.",
        "Reconnectez-vous (palette : Se connecter à Entra) et acceptez {permission} ; un "
        "administrateur devra peut-être donner son consentement (Applications d'entreprise "
        "(Enterprise applications) → l'application de l'assistant → Autorisations (Permissions) "
        "→ Accorder le consentement administrateur). Il vous faut aussi le rôle {role}.",
    ),
    "graph.GraphThrottled": _(
        "Microsoft Graph is throttling this tenant's requests: it still refused after waiting "
        "as long as it asked.",
        "Microsoft Graph limite les requêtes de ce locataire : il refuse encore après l'attente "
        "demandée.",
    ),
    "graph.GraphThrottled.fix": _(
        "Wait a minute, then press r to retry; Entra limits how fast one tenant may call Graph.",
        "Attendez une minute, puis appuyez sur r pour réessayer ; Entra limite le rythme des "
        "appels d'un locataire à Graph.",
    ),
    "graph.GraphNotSignedIn": _(
        "Microsoft Graph did not accept the sign-in (expired or revoked).",
        "Microsoft Graph n'a pas accepté la connexion (expirée ou révoquée).",
    ),
    "graph.GraphNotSignedIn.fix": _(
        "Sign in again: palette (Ctrl+P) → Sign in to Entra.",
        "Reconnectez-vous : palette (Ctrl+P) → Se connecter à Entra.",
    ),
    "graph.GraphNotFound": _(
        "Entra has no such object any more (code {code}).",
        "Entra n'a plus cet objet (code {code}).",
    ),
    "graph.GraphNotFound.fix": _(
        "It may have been deleted in the Entra admin center: press r to retry, or Recheck.",
        "Il a peut-être été supprimé dans le centre d'administration Entra : appuyez sur r pour "
        "réessayer, ou Revérifier.",
    ),
    "graph.GraphBadRequest": _(
        "Entra refused the request (code {code}).",
        "Entra a refusé la requête (code {code}).",
    ),
    "graph.GraphBadRequest.fix": _(
        "Check the values you entered, then retry.",
        "Vérifiez les valeurs saisies, puis réessayez.",
    ),
    "graph.GraphUnreachable": _(
        "Microsoft Graph did not answer.", "Microsoft Graph ne répond pas."
    ),
    "graph.GraphUnreachable.fix": _(
        "Check the network and the Graph URL (--graph-url or STEEPLE_GRAPH_URL), then retry.",
        "Vérifiez le réseau et l'URL de Graph (--graph-url ou STEEPLE_GRAPH_URL), puis réessayez.",
    ),
    "graph.GraphError": _(
        "Microsoft Graph failed (code {code}).", "Microsoft Graph a échoué (code {code})."
    ),
    "graph.GraphError.fix": _(
        "Retry in a few minutes; if it persists, check https://status.azure.com.",
        "Réessayez dans quelques minutes ; si cela persiste, consultez https://status.azure.com.",
    ),
    "ondemand.title": _("Provision one person now", "Approvisionner une personne maintenant"),
    "ondemand.body": _(
        "Entra provisions this person at once, without waiting for the next cycle, and says what "
        "it did (Provision on demand). They must be assigned, directly or through a group.",
        "Entra approvisionne cette personne tout de suite, sans attendre le prochain cycle, et "
        "dit ce qu'il a fait (Approvisionner à la demande (Provision on demand)). Elle doit être "
        "attribuée, directement ou par un groupe.",
    ),
    "ondemand.placeholder": _(
        "user principal name or e-mail", "nom d'utilisateur principal (UPN) ou e-mail"
    ),
    "ondemand.go": _("Provision", "Approvisionner"),
    "ondemand.button": _(
        "Provision on demand", "Approvisionner à la demande (Provision on demand)"
    ),
    "ondemand.result": _(
        "Entra, for {who}: {result}{action}{error}",
        "Entra, pour {who} : {result}{action}{error}",
    ),
    "ondemand.action": _(" — action: {action}", " — action : {action}"),
    "ondemand.error": _(" — {code}: {message}", " — {code} : {message}"),
    "palette.signin": _("Sign in to Entra", "Se connecter à Entra"),
    "palette.signin.help": _(
        "Let the assistant do the Entra half itself, through Microsoft Graph (browser or device "
        "code)",
        "Laisser l'assistant faire la partie Entra lui-même, par Microsoft Graph (navigateur ou "
        "code d'appareil)",
    ),
    "palette.signout": _("Sign out of Entra", "Se déconnecter d'Entra"),
    "palette.signout.help": _(
        "Forget the Entra session; the steps go back to the copy-paste instructions",
        "Oublier la session Entra ; les étapes reviennent aux instructions à copier-coller",
    ),
    "session.signed_in": _(
        "Signed in to Entra as {user}: the Entra steps now act through Microsoft Graph.",
        "Connecté à Entra en tant que {user} : les étapes Entra passent maintenant par "
        "Microsoft Graph.",
    ),
    "session.signed_out": _(
        "Signed out of Entra: the steps show the values to paste in the Entra admin center.",
        "Déconnecté d'Entra : les étapes affichent les valeurs à coller dans le centre "
        "d'administration Entra.",
    ),
    "session.no_token": _(
        "Signed in, but Entra gave no usable token: the steps stay on the copy-paste path. "
        "Sign in again from the palette.",
        "Connecté, mais Entra n'a pas donné de jeton utilisable : les étapes restent en "
        "copier-coller. Reconnectez-vous depuis la palette.",
    ),
    "session.open_failed": _(
        "Signed in, but Entra could not be opened: {message} {fix}",
        "Connecté, mais impossible d'ouvrir Entra : {message} {fix}",
    ),
    "assign.confirm_graph_title.one": _(
        "Assign {count} group to the Steeple app in Entra?",
        "Attribuer {count} groupe à l'application Steeple dans Entra ?",
    ),
    "assign.confirm_graph_title.other": _(
        "Assign {count} groups to the Steeple app in Entra?",
        "Attribuer {count} groupes à l'application Steeple dans Entra ?",
    ),
    "assign.confirm_graph_body": _(
        "Their members get Steeple at Entra's next cycle (Users and groups → Assign):\n{groups}",
        "Leurs membres obtiendront Steeple au prochain cycle d'Entra (Utilisateurs et groupes "
        "(Users and groups) → Attribuer (Assign)) :\n{groups}",
    ),
    "assign.confirm_graph_more": _("• … and {count} more", "• … et {count} de plus"),
    "entra.graph_panel": _("Entra, through Microsoft Graph", "Entra, par Microsoft Graph"),
    "assign.graph_groups": _("Groups in Entra", "Groupes dans Entra"),
    "assign.search": _(
        "Search groups by name, then Enter", "Chercher des groupes par nom, puis Entrée"
    ),
    "assign.more": _("More groups", "Plus de groupes"),
    "provision.pause": _("Stop provisioning", "Arrêter l'approvisionnement (Stop provisioning)"),
    "provision.paused": _(
        "Provisioning stopped in Entra (the job is paused; Start provisioning resumes it).",
        "Approvisionnement arrêté dans Entra (la tâche est suspendue ; Démarrer "
        "l'approvisionnement la reprend).",
    ),
    "provision.heard": _("Steeple heard", "Reçu par Steeple"),
}
