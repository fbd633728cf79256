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
}
