"""The texts of errors and their fixes, English and French (merged into `i18n.TEXTS`).

`http_errors` builds every `SteepleError` from these keys, so a screen can show the same error
in the admin's language (`SteepleError.text(lang)`); what a server said is quoted, not translated.
"""

from __future__ import annotations


def _(en: str, fr: str) -> dict[str, str]:
    return {"en": en, "fr": fr}


ERROR_TEXTS: dict[str, dict[str, str]] = {
    "error.insecure_http": _(
        "{host} is addressed over plain http://: the admin key would cross the network "
        "unencrypted, readable by anyone on the way.",
        "{host} est adressé en http:// simple : la clé d'administration traverserait le réseau "
        "en clair, lisible par n'importe qui en chemin.",
    ),
    "error.insecure_http.fix": _(
        "Use the instance's https:// address. Only on a network you trust (a lab), pass "
        "--allow-insecure-http to send the key in clear anyway.",
        "Utilisez l'adresse https:// de l'instance. Seulement sur un réseau de confiance (un "
        "labo), passez --allow-insecure-http pour envoyer quand même la clé en clair.",
    ),
    "error.no_keyring": _(
        "No system keyring is available here, so the admin API key cannot be stored safely; "
        "it is asked for each time (or set STEEPLE_API_KEY).",
        "Aucun trousseau système n'est disponible ici : la clé d'API d'administration ne peut "
        "pas être stockée en sécurité ; elle est demandée à chaque fois (ou définissez "
        "STEEPLE_API_KEY).",
    ),
    "error.timeout": _("{host} did not answer in time.", "{host} n'a pas répondu à temps."),
    "error.timeout.fix": _(
        "Check your network or VPN and try again; if it persists, the instance may be "
        "overloaded — contact Steeple support.",
        "Vérifiez votre réseau ou VPN et réessayez ; si cela persiste, l'instance est peut-être "
        "surchargée — contactez le support Steeple.",
    ),
    "error.bad_url": _(
        "'{host}' is not a usable instance URL.",
        "'{host}' n'est pas une URL d'instance utilisable.",
    ),
    "error.bad_url.fix": _(
        "Enter the full address of your Steeple instance, starting with https://.",
        "Saisissez l'adresse complète de votre instance Steeple, commençant par https://.",
    ),
    "error.not_http": _(
        "{host} answered something that is not valid HTTP.",
        "{host} a répondu quelque chose qui n'est pas du HTTP valide.",
    ),
    "error.not_http.fix": _(
        "Check the URL and port: it should be your Steeple instance, not another service.",
        "Vérifiez l'URL et le port : ce doit être votre instance Steeple, pas un autre service.",
    ),
    "error.tls": _(
        "The secure connection to {host} could not be established (certificate problem).",
        "La connexion sécurisée à {host} n'a pas pu être établie (problème de certificat).",
    ),
    "error.tls.fix": _(
        "Check the URL; if your network inspects TLS, ask IT to trust Steeple's certificate.",
        "Vérifiez l'URL ; si votre réseau inspecte TLS, demandez à l'informatique d'approuver "
        "le certificat de Steeple.",
    ),
    "error.dns": _("The name {host} could not be found.", "Le nom {host} est introuvable."),
    "error.dns.fix": _(
        "Check the spelling of the instance URL and that you are on the right network.",
        "Vérifiez l'orthographe de l'URL de l'instance et que vous êtes sur le bon réseau.",
    ),
    "error.refused": _("{host} refused the connection.", "{host} a refusé la connexion."),
    "error.refused.fix": _(
        "Check the URL and port; if you use the sandbox, make sure it is running.",
        "Vérifiez l'URL et le port ; si vous utilisez le bac à sable, vérifiez qu'il tourne.",
    ),
    "error.unreachable": _("{host} could not be reached.", "{host} est injoignable."),
    "error.unreachable.fix": _(
        "Check the instance URL, your network and any VPN or proxy, then try again.",
        "Vérifiez l'URL de l'instance, votre réseau et tout VPN ou proxy, puis réessayez.",
    ),
    "error.unauthorized": _(
        "{host} did not accept the admin API key.",
        "{host} n'a pas accepté la clé d'API d'administration.",
    ),
    "error.unauthorized.fix": _(
        "Create a new admin API key in Steeple (Administration → API keys) and type it in the "
        "Admin key field.",
        "Créez une nouvelle clé d'API d'administration dans Steeple (Administration → Clés "
        "d'API) et saisissez-la dans le champ Clé d'administration.",
    ),
    "error.forbidden": _(
        "This admin API key is not allowed to change provisioning settings.",
        "Cette clé d'API d'administration n'a pas le droit de modifier l'approvisionnement.",
    ),
    "error.forbidden.fix": _(
        "Use a key created by a Steeple administrator with the 'integrations' permission.",
        "Utilisez une clé créée par un administrateur Steeple avec la permission 'integrations'.",
    ),
    "error.no_api": _(
        "There is no Steeple admin API at {host} (404).",
        "Il n'y a pas d'API d'administration Steeple à {host} (404).",
    ),
    "error.no_api.fix": _(
        "Check the instance URL: use the address you open Steeple with, e.g. "
        "https://yourcompany.steeple.com, without any path.",
        "Vérifiez l'URL de l'instance : utilisez l'adresse avec laquelle vous ouvrez Steeple, "
        "par ex. https://yourcompany.steeple.com, sans chemin.",
    ),
    "error.not_found": _(
        "The requested item does not exist on this instance.",
        "L'élément demandé n'existe pas sur cette instance.",
    ),
    "error.not_found.fix": _(
        "Refresh: it may have been removed in the meantime.",
        "Actualisez : il a peut-être été supprimé entre-temps.",
    ),
    "error.conflict": _(
        "The instance is not in a state that allows this action.",
        "L'instance n'est pas dans un état qui permet cette action.",
    ),
    "error.conflict.fix": _(
        "Refresh the assistant to see the instance's current state.",
        "Actualisez l'assistant pour voir l'état actuel de l'instance.",
    ),
    "error.conflict.integration_not_installed.fix": _(
        "Install the Azure AD integration first (step 2).",
        "Installez d'abord l'intégration Azure AD (étape 2).",
    ),
    "error.conflict.too_many_tokens.fix": _(
        "Revoke the older SCIM token before creating a new one "
        "(at most two are live, so Entra can be switched without downtime).",
        "Révoquez l'ancien jeton SCIM avant d'en créer un nouveau (deux au plus sont actifs, "
        "pour basculer Entra sans interruption).",
    ),
    "error.invalid": _(
        "The instance rejected the request as invalid.",
        "L'instance a rejeté la requête comme invalide.",
    ),
    "error.invalid.fix": _(
        "Check the values you entered and try again.",
        "Vérifiez les valeurs saisies et réessayez.",
    ),
    "error.server": _(
        "{host} had an internal error ({status}).",
        "{host} a eu une erreur interne ({status}).",
    ),
    "error.server.fix": _(
        "Try again in a minute; if it persists, send a diagnostics report "
        "(steeple-assistant report) to Steeple support.",
        "Réessayez dans une minute ; si cela persiste, envoyez un rapport de diagnostic "
        "(steeple-assistant report) au support Steeple.",
    ),
    "error.redirect": _(
        "{host} redirected the request elsewhere ({status}).",
        "{host} a redirigé la requête ailleurs ({status}).",
    ),
    "error.redirect.fix": _(
        "Use the final address of your Steeple instance (usually https://…), without a path.",
        "Utilisez l'adresse finale de votre instance Steeple (en général https://…), sans chemin.",
    ),
    "error.unexpected_status": _(
        "{host} answered with an unexpected status ({status}).",
        "{host} a répondu avec un statut inattendu ({status}).",
    ),
    "error.unexpected_status.fix": _(
        "Check that the URL is your Steeple instance and not a proxy or login page.",
        "Vérifiez que l'URL est celle de votre instance Steeple et pas un proxy ou une page "
        "de connexion.",
    ),
    # --- entracore (issue 12): Entra's Test Connection decoded, the Entra facade's errors ------
    "entra.verdict.ok": _(
        "Entra reached Steeple with this tenant URL and token: Test Connection passed.",
        "Entra a joint Steeple avec cette URL de locataire et ce jeton : le test de connexion "
        "a réussi.",
    ),
    "entra.verdict.ok.fix": _(
        "Save them in Entra, then assign groups.",
        "Enregistrez-les dans Entra, puis attribuez des groupes.",
    ),
    "entra.verdict.unauthorized": _(
        "Steeple refused the token Entra sent (HTTP 401): it is wrong, revoked or truncated.",
        "Steeple a refusé le jeton envoyé par Entra (HTTP 401) : il est faux, révoqué ou tronqué.",
    ),
    "entra.verdict.unauthorized.fix": _(
        "Create a new token in step 3 and paste it whole as the Secret Token, then test again.",
        "Créez un nouveau jeton à l'étape 3 et collez-le en entier comme jeton secret (Secret "
        "Token), puis testez à nouveau.",
    ),
    "entra.verdict.forbidden": _(
        "Steeple accepted the token but forbids it to read users (HTTP 403).",
        "Steeple a accepté le jeton mais lui interdit de lire les utilisateurs (HTTP 403).",
    ),
    "entra.verdict.forbidden.fix": _(
        "Use a SCIM token of the Azure AD integration (step 3), not another kind of key.",
        "Utilisez un jeton SCIM de l'intégration Azure AD (étape 3), pas une autre sorte de clé.",
    ),
    "entra.verdict.not_found": _(
        "Entra found no SCIM endpoint at {url} (HTTP 404): the tenant URL has a wrong path, or "
        "the integration is not installed.",
        "Entra n'a trouvé aucun point SCIM à {url} (HTTP 404) : le chemin de l'URL de locataire "
        "est faux, ou l'intégration n'est pas installée.",
    ),
    "entra.verdict.not_found.fix": _(
        "Copy the tenant URL exactly as step 3 shows it (it ends in /scim/v2), and check that "
        "the Azure AD integration is installed.",
        "Copiez l'URL de locataire exactement comme l'étape 3 l'affiche (elle finit par "
        "/scim/v2), et vérifiez que l'intégration Azure AD est installée.",
    ),
    "entra.verdict.http_error": _(
        "The tenant URL answered Entra with HTTP {status} instead of a SCIM list.",
        "L'URL de locataire a répondu à Entra par HTTP {status} au lieu d'une liste SCIM.",
    ),
    "entra.verdict.http_error.fix": _(
        "Check that the tenant URL is your Steeple instance's (step 3), not a proxy or a login "
        "page; if Steeple itself fails, retry in a minute.",
        "Vérifiez que l'URL de locataire est celle de votre instance Steeple (étape 3), pas un "
        "proxy ni une page de connexion ; si Steeple échoue, réessayez dans une minute.",
    ),
    "entra.verdict.not_scim": _(
        "The tenant URL answered, but not as a SCIM endpoint.",
        "L'URL de locataire a répondu, mais pas comme un point SCIM.",
    ),
    "entra.verdict.not_scim.fix": _(
        "Paste the tenant URL from step 3 (ending in /scim/v2), not the instance's home page.",
        "Collez l'URL de locataire de l'étape 3 (finissant par /scim/v2), pas la page "
        "d'accueil de l'instance.",
    ),
    "entra.verdict.not_empty": _(
        "The endpoint ignored Entra's filter: a search for a random user returned people.",
        "Le point ignore le filtre d'Entra : la recherche d'un utilisateur au hasard a renvoyé "
        "des personnes.",
    ),
    "entra.verdict.not_empty.fix": _(
        "The tenant URL must be Steeple's SCIM endpoint (step 3); another server is answering.",
        "L'URL de locataire doit être le point SCIM de Steeple (étape 3) ; un autre serveur "
        "répond.",
    ),
    "entra.verdict.tls": _(
        "Entra could not establish a secure (TLS) connection to {url}: its certificate is not "
        "trusted or does not match the host name.",
        "Entra n'a pas pu établir de connexion sécurisée (TLS) avec {url} : son certificat "
        "n'est pas reconnu ou ne correspond pas au nom d'hôte.",
    ),
    "entra.verdict.tls.fix": _(
        "The instance needs a certificate from a public authority for its exact host name; ask "
        "whoever runs it, or use the tenant URL step 3 shows.",
        "L'instance doit avoir un certificat d'une autorité publique pour son nom d'hôte exact ; "
        "demandez à qui l'exploite, ou utilisez l'URL de locataire de l'étape 3.",
    ),
    "entra.verdict.refused": _(
        "Nothing accepts connections at {url}: Entra's connection was refused.",
        "Rien n'accepte de connexion à {url} : la connexion d'Entra a été refusée.",
    ),
    "entra.verdict.refused.fix": _(
        "Check the host and port of the tenant URL; Entra calls from the internet, so the "
        "instance must be reachable from there.",
        "Vérifiez l'hôte et le port de l'URL de locataire ; Entra appelle depuis internet, "
        "l'instance doit donc y être joignable.",
    ),
    "entra.verdict.timeout": _(
        "{url} did not answer Entra in time.",
        "{url} n'a pas répondu à Entra à temps.",
    ),
    "entra.verdict.timeout.fix": _(
        "Check that the instance is up and reachable from the internet (firewall, IP "
        "allow-list), then test again.",
        "Vérifiez que l'instance fonctionne et qu'elle est joignable depuis internet (pare-feu, "
        "liste d'adresses autorisées), puis testez à nouveau.",
    ),
    "entra.verdict.unreachable": _(
        "Entra could not reach {url}: the host name does not resolve or the network failed.",
        "Entra n'a pas pu joindre {url} : le nom d'hôte ne se résout pas ou le réseau a échoué.",
    ),
    "entra.verdict.unreachable.fix": _(
        "Check the spelling of the tenant URL (copy it from step 3); it must be a public address.",
        "Vérifiez l'orthographe de l'URL de locataire (copiez-la depuis l'étape 3) ; ce doit "
        "être une adresse publique.",
    ),
    "entra.verdict.unknown": _(
        "Entra's Test Connection failed for a reason the assistant does not recognise.",
        "Le test de connexion d'Entra a échoué pour une raison que l'assistant ne reconnaît pas.",
    ),
    "entra.verdict.unknown.fix": _(
        "Read Entra's message below; check the tenant URL and token from step 3, then test again.",
        "Lisez le message d'Entra ci-dessous ; vérifiez l'URL de locataire et le jeton de "
        "l'étape 3, puis testez à nouveau.",
    ),
    "entra.app.ambiguous": _(
        "{count} enterprise apps are named {name} ({ids}) and none carries this instance's "
        "single sign-on, so the assistant cannot tell which one is Steeple's.",
        "{count} applications d'entreprise s'appellent {name} ({ids}) et aucune ne porte "
        "l'authentification unique de cette instance : l'assistant ne peut pas savoir laquelle "
        "est celle de Steeple.",
    ),
    "entra.app.ambiguous.fix": _(
        "In the Entra admin center, set up SAML single sign-on on the right {name} app (or "
        "rename the others), then retry.",
        "Dans le centre d'administration Entra, configurez l'authentification unique SAML sur "
        "la bonne application {name} (ou renommez les autres), puis réessayez.",
    ),
    "entra.app.ambiguous_sso": _(
        "{count} enterprise apps carry this instance's single sign-on ({ids}); the assistant "
        "will not pick one.",
        "{count} applications d'entreprise portent l'authentification unique de cette "
        "instance ({ids}) ; l'assistant n'en choisira pas une au hasard.",
    ),
    "entra.app.ambiguous_sso.fix": _(
        "Keep single sign-on on one app only (Enterprise applications → the app → Single "
        "sign-on), then retry.",
        "Ne gardez l'authentification unique que sur une seule application (Applications "
        "d'entreprise → l'application → Authentification unique), puis réessayez.",
    ),
    "entra.job.no_template": _(
        "The enterprise app offers no provisioning template, so no SCIM job can be created.",
        "L'application d'entreprise ne propose aucun modèle d'approvisionnement : impossible "
        "de créer une tâche SCIM.",
    ),
    "entra.job.no_template.fix": _(
        "Use a non-gallery application (Enterprise applications → New application → Create "
        "your own application).",
        "Utilisez une application hors galerie (Applications d'entreprise → Nouvelle "
        "application → Créer votre propre application).",
    ),
    "entra.user.not_found": _(
        "Entra has no user whose sign-in name or e-mail is {user}.",
        "Entra n'a aucun utilisateur dont l'identifiant ou l'e-mail est {user}.",
    ),
    "entra.user.not_found.fix": _(
        "Check the spelling, or look the person up in the Entra admin center (Users).",
        "Vérifiez l'orthographe, ou cherchez la personne dans le centre d'administration "
        "Entra (Utilisateurs).",
    ),
    "entra.user.not_in_scope": _(
        "{user} is not in scope of the Steeple app: Entra skipped them ({reason}).",
        "{user} n'est pas dans l'étendue de l'application Steeple : Entra l'a ignoré ({reason}).",
    ),
    "entra.user.not_in_scope.fix": _(
        "Assign them to the app, directly or through one of their groups (step 5), and make "
        "sure their account is enabled in Entra; then provision them again.",
        "Attribuez cette personne à l'application, directement ou par l'un de ses groupes "
        "(étape 5), et vérifiez que son compte est activé dans Entra ; puis relancez.",
    ),
    "entra.user.not_in_tenant": _(
        "Entra has no user {user} any more (its object id is unknown to the tenant).",
        "Entra n'a plus d'utilisateur {user} (son identifiant d'objet est inconnu du locataire).",
    ),
    "entra.user.not_in_tenant.fix": _(
        "Look the person up in the Entra admin center (Users): they may have been deleted.",
        "Cherchez la personne dans le centre d'administration Entra (Utilisateurs (Users)) : "
        "elle a peut-être été supprimée.",
    ),
    "entra.job.no_rule": _(
        "The provisioning job's schema names no synchronization rule for users, so Entra "
        "cannot be asked to provision one person now.",
        "Le schéma de la tâche d'approvisionnement ne nomme aucune règle de synchronisation "
        "pour les utilisateurs : impossible de demander à Entra d'approvisionner une personne "
        "maintenant.",
    ),
    "entra.job.no_rule.fix": _(
        "Use Provision on demand in the Entra admin center (Enterprise applications → Steeple "
        "→ Provisioning), or wait for the next cycle.",
        "Utilisez Approvisionner à la demande (Provision on demand) dans le centre "
        "d'administration Entra (Applications d'entreprise (Enterprise applications) → Steeple "
        "→ Approvisionnement (Provisioning)), ou attendez le prochain cycle.",
    ),
    "entra.job.not_saved": _(
        "Entra has no tenant URL and secret token saved for this app yet: Test Connection "
        "checks them but does not save them, so provisioning cannot start.",
        "Entra n'a encore ni URL de locataire ni jeton secret enregistrés pour cette "
        "application : Tester la connexion les vérifie sans les enregistrer, "
        "l'approvisionnement ne peut donc pas démarrer.",
    ),
    "entra.job.not_saved.fix": _(
        "On step 4 (Configure Entra), press Save after a successful Test Connection, then "
        "start provisioning.",
        "À l'étape 4 (Configurer Entra), appuyez sur Enregistrer après un test de connexion "
        "réussi, puis démarrez l'approvisionnement.",
    ),
    "entra.app.not_ready": _(
        'Entra created the app "{name}" but had not finished provisioning it after {seconds} '
        'seconds (Microsoft: "it is not instant").',
        "Entra a créé l'application « {name} » mais ne l'avait pas fini de la mettre en place "
        "après {seconds} secondes (Microsoft : « ce n'est pas instantané »).",
    ),
    "entra.app.not_ready.fix": _(
        "Retry in a minute: the next run finds the app this one created (nothing is created "
        "twice).",
        "Réessayez dans une minute : la prochaine exécution retrouvera l'application créée "
        "(rien n'est créé deux fois).",
    ),
    "entra.app.waiting": _(
        "Waiting for Entra to finish creating the app ({seconds} s so far; Microsoft: it is "
        "not instant)…",
        "Entra termine la création de l'application ({seconds} s jusqu'ici ; Microsoft : ce "
        "n'est pas instantané)…",
    ),
    "entra.app.tried": _(
        "No enterprise app found by {tried}.",
        "Aucune application d'entreprise trouvée par {tried}.",
    ),
    "entra.app.tried.identifier": _("its SAML identifier {value}", "son identifiant SAML {value}"),
    "entra.app.tried.name": _("its name {value}", "son nom {value}"),
    "entra.app.tried.refused": _(
        "{how} (Graph refused the query: {code})", "{how} (Graph a refusé la requête : {code})"
    ),
    "entra.assign.other_role": _(
        "{name} is already assigned to the app with the role {role}: left as it is.",
        "{name} est déjà attribué à l'application avec le rôle {role} : laissé tel quel.",
    ),
    "graph.unexpected": _(
        "Entra answered in a form this version does not know: {what} ({detail}).",
        "Entra a répondu sous une forme que cette version ne connaît pas : {what} ({detail}).",
    ),
    "graph.unexpected.fix": _(
        "Update the assistant; if it persists, do this step in the Entra admin center and "
        "report the answer to Steeple support.",
        "Mettez l'assistant à jour ; si cela persiste, faites cette étape dans le centre "
        "d'administration Entra et signalez la réponse au support Steeple.",
    ),
    "graph.unsafe_link": _(
        "Microsoft Graph sent a next-page link to {target}, outside {origin} or not over "
        "https: it was not followed, and your sign-in was not sent there.",
        "Microsoft Graph a envoyé un lien de page suivante vers {target}, hors de {origin} ou "
        "sans https : il n'a pas été suivi, et votre connexion n'y a pas été envoyée.",
    ),
    "graph.unsafe_link.fix": _(
        "Check that the Graph URL (--graph-url or STEEPLE_GRAPH_URL) is Microsoft's, then "
        "retry; if it is, report this to Steeple support.",
        "Vérifiez que l'URL de Graph (--graph-url ou STEEPLE_GRAPH_URL) est celle de "
        "Microsoft, puis réessayez ; si c'est le cas, signalez-le au support Steeple.",
    ),
    "graph.licence.group_assignment": _(
        "Assigning groups to an app needs Entra ID P1 or P2, and this tenant has neither "
        "(a licence, not a permission: no consent or role will change it).",
        "Attribuer des groupes à une application demande Entra ID P1 ou P2, et ce locataire "
        "n'a ni l'un ni l'autre (une licence, pas une autorisation : aucun consentement ni "
        "rôle n'y changera rien).",
    ),
    "graph.licence.group_assignment.fix": _(
        "What still works: assign people one by one (Enterprise applications → Steeple → "
        "Users and groups → Add user/group → Users). Or get Entra ID P1 or P2 for the tenant.",
        "Ce qui fonctionne quand même : attribuer les personnes une par une (Applications "
        "d'entreprise (Enterprise applications) → Steeple → Utilisateurs et groupes (Users and "
        "groups) → Ajouter un utilisateur/groupe → Utilisateurs). Ou obtenir Entra ID P1 ou P2.",
    ),
    "graph.licence.provisioning_logs": _(
        "Reading the provisioning logs through Microsoft Graph needs Entra ID P1 or P2, and "
        "this tenant has neither (a licence, not a permission).",
        "Lire les journaux d'approvisionnement par Microsoft Graph demande Entra ID P1 ou P2, "
        "et ce locataire n'a ni l'un ni l'autre (une licence, pas une autorisation).",
    ),
    "graph.licence.provisioning_logs.fix": _(
        "What still works: read the logs in the Entra admin center (Enterprise applications "
        "→ Steeple → Provisioning logs); Steeple's own request log shows what arrived.",
        "Ce qui fonctionne quand même : lire les journaux dans le centre d'administration "
        "Entra (Applications d'entreprise (Enterprise applications) → Steeple → Journaux "
        "d'approvisionnement (Provisioning logs)) ; le journal des requêtes de Steeple montre "
        "ce qui est arrivé.",
    ),
    "graph.licence.feature": _(
        "This needs Entra ID P1 or P2, and this tenant has neither (a licence, not a permission).",
        "Ceci demande Entra ID P1 ou P2, et ce locataire n'a ni l'un ni l'autre (une licence, "
        "pas une autorisation).",
    ),
    "graph.licence.feature.fix": _(
        "What still works: assign people one by one, and read the logs in the Entra admin "
        "center. Or get Entra ID P1 or P2 for the tenant.",
        "Ce qui fonctionne quand même : attribuer les personnes une par une, et lire les "
        "journaux dans le centre d'administration Entra. Ou obtenir Entra ID P1 ou P2.",
    ),
    "entra.sandbox.no_session": _(
        "The sign-in to the sandbox's Entra left no session.",
        "La connexion à l'Entra du bac à sable n'a laissé aucune session.",
    ),
    "entra.sandbox.no_session.fix": _(
        "Restart the assistant with --sandbox.",
        "Relancez l'assistant avec --sandbox.",
    ),
    # --- where Entra is (issue 22): a token goes only to the Graph of its own cloud ----------
    "entra.location.https.authority": _(
        "The Entra authority must be an https:// URL (the sign-in travels on it): {url}",
        "L'autorité Entra doit être une URL https:// (la connexion y circule) : {url}",
    ),
    "entra.location.https.graph": _(
        "The Graph URL must be an https:// URL (the token travels on it): {url}",
        "L'URL de Graph doit être une URL https:// (le jeton y circule) : {url}",
    ),
    "entra.location.https.fix": _(
        "Give an https URL (--entra-authority, --graph-url, or STEEPLE_ENTRA_AUTHORITY, "
        "STEEPLE_GRAPH_URL).",
        "Donnez une URL https (--entra-authority, --graph-url, ou STEEPLE_ENTRA_AUTHORITY, "
        "STEEPLE_GRAPH_URL).",
    ),
    "entra.location.graph_outside.public": _(
        "{graph} is not Microsoft Graph, and {authority} signs in to Microsoft's public cloud: "
        "its token goes to graph.microsoft.com only.",
        "{graph} n'est pas Microsoft Graph, et {authority} connecte au cloud public de "
        "Microsoft : son jeton ne va qu'à graph.microsoft.com.",
    ),
    "entra.location.graph_outside.usgov": _(
        "{graph} is not Microsoft Graph for US Government, where {authority} signs in: its "
        "token goes to graph.microsoft.us or dod-graph.microsoft.us only.",
        "{graph} n'est pas Microsoft Graph pour le gouvernement américain, où {authority} "
        "connecte : son jeton ne va qu'à graph.microsoft.us ou dod-graph.microsoft.us.",
    ),
    "entra.location.graph_outside.china": _(
        "{graph} is not Microsoft Graph operated by 21Vianet, where {authority} signs in: its "
        "token goes to microsoftgraph.chinacloudapi.cn only.",
        "{graph} n'est pas Microsoft Graph opéré par 21Vianet, où {authority} connecte : son "
        "jeton ne va qu'à microsoftgraph.chinacloudapi.cn.",
    ),
    "entra.location.graph_outside.fix": _(
        "Unset STEEPLE_GRAPH_URL and --graph-url (perhaps left from a sandbox session) to use "
        "{default}, or point the authority and the Graph URL at the same cloud.",
        "Retirez STEEPLE_GRAPH_URL et --graph-url (restés d'une session du bac à sable ?) pour "
        "utiliser {default}, ou pointez l'autorité et l'URL de Graph vers le même cloud.",
    ),
    "entra.location.ca_for_microsoft": _(
        "An extra CA (--entra-ca-bundle or STEEPLE_ENTRA_CA_BUNDLE) is for a sign-in service "
        "of your own, such as the sandbox's; {authority} is Microsoft's, checked against this "
        "machine's trusted CAs only.",
        "Une AC supplémentaire (--entra-ca-bundle ou STEEPLE_ENTRA_CA_BUNDLE) sert à un "
        "service de connexion à vous, comme celui du bac à sable ; {authority} est celui de "
        "Microsoft, vérifié avec les seules AC de confiance de cette machine.",
    ),
    "entra.location.ca_for_microsoft.fix": _(
        "Unset STEEPLE_ENTRA_CA_BUNDLE (perhaps left from a sandbox session) or drop "
        "--entra-ca-bundle.",
        "Retirez STEEPLE_ENTRA_CA_BUNDLE (resté d'une session du bac à sable ?) ou "
        "--entra-ca-bundle.",
    ),
    "entra.location.unknown_cloud": _(
        "{authority} is a Microsoft cloud whose Graph the assistant does not know: it signs in "
        "to Microsoft's public, US Government and China clouds only.",
        "{authority} est un cloud Microsoft dont l'assistant ne connaît pas le Graph : il se "
        "connecte aux seuls clouds public, gouvernement américain et Chine de Microsoft.",
    ),
    "entra.location.unknown_cloud.fix": _(
        "Use the authority of one of those clouds (--entra-authority or STEEPLE_ENTRA_AUTHORITY).",
        "Utilisez l'autorité de l'un de ces clouds (--entra-authority ou STEEPLE_ENTRA_AUTHORITY).",
    ),
    "entra.location.own_graph_elsewhere": _(
        "The sign-in service {authority} is not Microsoft's, so its token goes only to a Graph "
        "on the same host and port, not to {graph}.",
        "Le service de connexion {authority} n'est pas celui de Microsoft : son jeton ne va "
        "qu'à un Graph sur le même hôte et le même port, pas à {graph}.",
    ),
    "entra.location.own_graph_elsewhere.fix": _(
        "Give the Graph URL that service serves (sandbox serve prints both), or unset "
        "STEEPLE_ENTRA_AUTHORITY to sign in with Microsoft.",
        "Donnez l'URL de Graph que sert ce service (sandbox serve affiche les deux), ou retirez "
        "STEEPLE_ENTRA_AUTHORITY pour vous connecter chez Microsoft.",
    ),
    "entra.location.own_needs_ca": _(
        "The sign-in service {authority} is not Microsoft's: name the CA that signed its "
        "certificate.",
        "Le service de connexion {authority} n'est pas celui de Microsoft : indiquez l'AC qui "
        "a signé son certificat.",
    ),
    "entra.location.own_needs_ca.fix": _(
        "Give --entra-ca-bundle PATH or STEEPLE_ENTRA_CA_BUNDLE (sandbox serve prints its CA's "
        "path).",
        "Donnez --entra-ca-bundle CHEMIN ou STEEPLE_ENTRA_CA_BUNDLE (sandbox serve affiche le "
        "chemin de son AC).",
    ),
    "entra.location.ca_missing": _(
        "The CA file {path} does not exist (the sandbox deletes its CA when it stops).",
        "Le fichier d'AC {path} n'existe pas (le bac à sable supprime son AC quand il s'arrête).",
    ),
    "entra.location.ca_unreadable": _(
        "The CA file {path} cannot be read as a PEM certificate.",
        "Le fichier d'AC {path} ne peut pas être lu comme un certificat PEM.",
    ),
    "entra.location.ca_missing.fix": _(
        "Start sandbox serve --with-entra again and use the exports it prints, or unset "
        "STEEPLE_ENTRA_AUTHORITY, STEEPLE_GRAPH_URL and STEEPLE_ENTRA_CA_BUNDLE.",
        "Relancez sandbox serve --with-entra et utilisez les exports qu'il affiche, ou retirez "
        "STEEPLE_ENTRA_AUTHORITY, STEEPLE_GRAPH_URL et STEEPLE_ENTRA_CA_BUNDLE.",
    ),
    # --- where the Entra session is kept (issue 22) -------------------------------------------
    "session.place.keychain": _("the macOS Keychain", "le trousseau de macOS"),
    "session.place.dpapi": _(
        "a file encrypted with Windows DPAPI", "un fichier chiffré par DPAPI de Windows"
    ),
    "session.place.libsecret": _("the Secret Service (libsecret)", "le Secret Service (libsecret)"),
    "session.place.keyring": _(
        "the system keyring ({detail})", "le trousseau du système ({detail})"
    ),
    "session.place.file": _(
        "the file {detail} (readable by you only: it holds a refresh token)",
        "le fichier {detail} (lisible par vous seul : il contient un jeton d'actualisation)",
    ),
    "session.place.memory": _(
        "memory, for this run only", "la mémoire, pour cette exécution seulement"
    ),
    "session.place.unkept": _(
        "memory, for this run only (this machine has no secret store)",
        "la mémoire, pour cette exécution seulement (cette machine n'a pas de coffre de secrets)",
    ),
    "session.file.is_dir": _(
        "The token cache {path} is a folder, not a file.",
        "Le cache de jetons {path} est un dossier, pas un fichier.",
    ),
    "session.file.foreign": _(
        "The file {path} holds something other than the Steeple assistant's sessions; it is "
        "left as it is.",
        "Le fichier {path} contient autre chose que les sessions de l'assistant Steeple ; il "
        "est laissé tel quel.",
    ),
    "session.file.fix": _(
        "Give --token-cache (or STEEPLE_ENTRA_TOKEN_CACHE) a file of its own.",
        "Donnez à --token-cache (ou STEEPLE_ENTRA_TOKEN_CACHE) un fichier qui lui soit propre.",
    ),
    "session.store_failed": _(
        "The Entra session could not be read or kept in {place} ({name}).",
        "La session Entra n'a pas pu être lue ni gardée dans {place} ({name}).",
    ),
    "session.store_failed.fix": _(
        "Unlock the secret store and try again, or keep the session in a file: --token-cache "
        "PATH (or STEEPLE_ENTRA_TOKEN_CACHE).",
        "Déverrouillez le coffre de secrets et réessayez, ou gardez la session dans un "
        "fichier : --token-cache CHEMIN (ou STEEPLE_ENTRA_TOKEN_CACHE).",
    ),
}
