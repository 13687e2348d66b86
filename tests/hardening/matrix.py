"""The explicit expected-access table of the permission matrix: one entry per URL pattern (or group of patterns).

Each entry says how to build requests from the seeded world ("own": an object of the personas' territory, Paris, or
one they may see; "other": an object of Marseille, or one nobody may see) and which status each persona gets.
Expectations read: `{persona: status}` or `{persona: {"own": status, "other": status}}`, with "*" as the default.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from reporting.monthly_summary import unsubscribe_token
from reporting.services.shares import share_token
from tests.hardening.world import PERSONAS, World, bogus_token, manage_token
from workflows import tokens

LOGIN = 302  # anonymous users are sent to the login page
AGENTS = ("structure", "prefecture", "hub", "national")
COOP = ("advisor", "coordinator")
SITE = ("editor", "moderator")


@dataclass(frozen=True)
class Probe:
    """One request of the matrix."""

    side: str  # "own", "other" or "any"
    path: str
    method: str = "get"
    data: dict = field(default_factory=dict)


@dataclass
class Entry:
    """The expected access to one URL pattern (or, with `prefix`, to every pattern under a third-party prefix)."""

    route: str
    probes: Callable[[World], list[Probe]]
    expect: dict
    prefix: bool = False
    scoped: bool = False  # a 200 for a non-national persona must not show the other territory's data

    def matches(self, route: str) -> bool:
        return route.startswith(self.route) if self.prefix else route == self.route

    def expected(self, persona: str, side: str) -> int:
        value = self.expect.get(persona, self.expect.get("*"))
        if isinstance(value, dict):
            value = value.get(side, value.get("*"))
        assert value is not None, f"{self.route}: no expectation for {persona} / {side}"
        return value


def routes() -> list[str]:
    """Every URL pattern of the project, as the concatenation of its resolvers' patterns."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns))


def only(*allowed, ok=200, denied=403, anonymous=LOGIN, **extra) -> dict:
    """Allowed personas get `ok`, other logged-in personas `denied`, anonymous users `anonymous`."""
    expect = {"*": denied, "anonymous": anonymous, **dict.fromkeys(allowed, ok)}
    expect.update(extra)
    return expect


def everyone(status=200, **extra) -> dict:
    return {"*": status, **extra}


def own_other(own, other) -> dict:
    return {"own": own, "other": other}


def both(w: World, build: Callable) -> list[Probe]:
    """A GET of the URL built from each territory."""
    return [Probe(side, build(w.side(side))) for side in ("own", "other")]


def both_post(w: World, build: Callable, data=None) -> list[Probe]:
    return [Probe(side, build(w.side(side)), "post", data or {}) for side in ("own", "other")]


def one(path: str, method="get", data=None) -> Callable[[World], list[Probe]]:
    return lambda w: [Probe("any", path, method, data or {})]


def manager_unsubscribe_token(w: World) -> str:
    return unsubscribe_token(w.own.structure.pk, w.own.manager.pk)


def candidate_token(w: World) -> str:
    return manage_token(tokens.MANAGE_CANDIDATE, w.own.candidate.pk)


SCOPED_AGENT = {**only(*AGENTS), "national": own_other(200, 200)}
for _persona in ("structure", "prefecture", "hub"):
    SCOPED_AGENT[_persona] = own_other(200, 404)

# Issue 14: the agents (not the structures) label, annotate and bulk-act; a bad post on their own territory's dossier
# is a 400, another territory's dossier a 404 (the national team sees both).
AGENTS_ONLY = ("prefecture", "hub", "national")
SCOPED_400 = {"national": own_other(400, 400), "prefecture": own_other(400, 404), "hub": own_other(400, 404)}

# Taking or releasing the prefecture-step task of a structure application: the prefecture acts; the hub sees the task
# in its territory but may not act on that step (403); other territories' tasks do not exist for them (404).
TASK_ACTION = {
    **only(*AGENTS),
    "national": own_other(302, 302),
    "prefecture": own_other(302, 404),
    "hub": own_other(403, 404),
    "structure": own_other(404, 404),
}

# Dashboards: national, hub, prefecture, structure manager, coordinator; a territory outside the scope is a 404.
PILOTAGE_PERSONAS = ("hub", "prefecture", "structure", "coordinator")
PILOTAGE = {
    **only("national", *PILOTAGE_PERSONAS),
    **{persona: {"plain": 200, "own": 200, "other": 404} for persona in PILOTAGE_PERSONAS},
    # A coordinator's scope is a team, not a department: any department filter is outside it.
    "coordinator": {"plain": 200, "own": 404, "other": 404},
}

ENTRIES = [
    # --- site icons -----------------------------------------------------------------------------------------------
    # The design system's icons at the root addresses browsers ask for (issue 19): a redirect to the static file.
    Entry("favicon.ico", one("/favicon.ico"), everyone(301)),
    Entry("favicon.svg", one("/favicon.svg"), everyone(301)),
    Entry("apple-touch-icon.png", one("/apple-touch-icon.png"), everyone(301)),
    Entry("apple-touch-icon-precomposed.png", one("/apple-touch-icon-precomposed.png"), everyone(301)),
    Entry("manifest.webmanifest", one("/manifest.webmanifest"), everyone(301)),
    # --- accounts -------------------------------------------------------------------------------------------------
    Entry("connexion/", one("/connexion/"), everyone(302, anonymous=200)),  # logged-in users go to their space
    Entry("deconnexion/", one("/deconnexion/", "post"), everyone(302)),
    Entry("connexion/mot-de-passe-oublie/", one("/connexion/mot-de-passe-oublie/"), everyone()),
    Entry("connexion/mot-de-passe-oublie/envoye/", one("/connexion/mot-de-passe-oublie/envoye/"), everyone()),
    Entry(
        "connexion/mot-de-passe/<uidb64>/<token>/",
        one("/connexion/mot-de-passe/MQ/forged-token/"),
        everyone(),  # Django's "invalid link" page
    ),
    Entry("connexion/mot-de-passe/modifie/", one("/connexion/mot-de-passe/modifie/"), everyone()),
    Entry(
        "invitation/<uidb64>/<token>/",
        lambda w: [Probe("own", w.invitation_url), Probe("other", "/invitation/MQ/forged-token/")],
        everyone(own_other(200, 400)),
    ),
    Entry("mon-espace/", one("/mon-espace/"), everyone(302)),  # to the active role's space, or the login
    Entry("mon-compte/", one("/mon-compte/"), everyone(200, anonymous=LOGIN)),
    Entry(
        "mon-compte/role/",
        lambda w: [
            Probe("own", "/mon-compte/role/", "post", {"membership": "own"}),
            Probe("other", "/mon-compte/role/", "post", {"membership": str(w.other.membership.pk)}),
        ],
        everyone(302),
    ),
    Entry("gestion/utilisateurs/", one("/gestion/utilisateurs/"), only("national")),
    Entry("gestion/utilisateurs/inviter/", one("/gestion/utilisateurs/inviter/"), only("national")),
    Entry(
        "gestion/utilisateurs/<int:pk>/",
        lambda w: both(w, lambda t: f"/gestion/utilisateurs/{t.prefecture_user.pk}/"),
        only("national"),
    ),
    Entry(
        "gestion/utilisateurs/<int:pk>/roles/<int:membership_pk>/retirer/",
        lambda w: both_post(
            w, lambda t: f"/gestion/utilisateurs/{t.prefecture_user.pk}/roles/{t.membership.pk}/retirer/"
        ),
        only("national", ok=302),
    ),
    Entry("gestion/journal/", one("/gestion/journal/"), only("national")),
    # Issue 16: inviting the advisors imported from the existing system (national team only). The world's advisors
    # already have an account: the invitation is refused with a message and the page reloads (302).
    Entry("gestion/reprise/conseillers/", one("/gestion/reprise/conseillers/"), only("national")),
    Entry("gestion/reprise/conseillers/inviter/", one("/gestion/reprise/conseillers/inviter/"), only("national")),
    Entry(
        "gestion/reprise/conseillers/<int:pk>/inviter/",
        lambda w: both_post(w, lambda t: f"/gestion/reprise/conseillers/{t.advisor.pk}/inviter/"),
        only("national", ok=302),
    ),
    # Issue 18: partner API tokens (national team only); the revocation page's GET is its confirmation form.
    Entry("gestion/partenaires/", one("/gestion/partenaires/"), only("national")),
    Entry("gestion/partenaires/nouveau/", one("/gestion/partenaires/nouveau/"), only("national")),
    *[
        Entry(
            f"gestion/partenaires/<int:pk>/{suffix}",
            lambda w, suffix=suffix: [Probe("any", f"/gestion/partenaires/{w.partner_token.pk}/{suffix}")],
            only("national"),
        )
        for suffix in ("", "jeton/", "revoquer/")
    ],
    # --- territories, directory ---------------------------------------------------------------------------------
    Entry("territoires/communes/", one("/territoires/communes/?q=marseil"), everyone()),
    Entry(
        "annuaire/structures/",
        one("/annuaire/structures/"),
        everyone(200, anonymous=LOGIN),
        scoped=True,
    ),
    Entry("annuaire/structures.json", one("/annuaire/structures.json"), everyone(200, anonymous=LOGIN), scoped=True),
    Entry(
        "annuaire/structures/<int:pk>/",
        lambda w: both(w, lambda t: f"/annuaire/structures/{t.structure.pk}/"),
        {"*": own_other(404, 404), "anonymous": LOGIN, "national": own_other(200, 200)}
        | {p: own_other(200, 404) for p in (*AGENTS[:3], *COOP)},
        scoped=True,
    ),
    Entry(
        "annuaire/structures/<int:pk>.json",
        lambda w: both(w, lambda t: f"/annuaire/structures/{t.structure.pk}.json"),
        {"*": own_other(404, 404), "anonymous": LOGIN, "national": own_other(200, 200)}
        | {p: own_other(200, 404) for p in (*AGENTS[:3], *COOP)},
        scoped=True,
    ),
    Entry("annuaire/conseillers/", one("/annuaire/conseillers/"), everyone(200, anonymous=LOGIN), scoped=True),
    Entry(
        "annuaire/conseillers/<int:pk>/",
        lambda w: both(w, lambda t: f"/annuaire/conseillers/{t.advisor.pk}/"),
        {"*": own_other(404, 404), "anonymous": LOGIN, "national": own_other(200, 200)}
        | {p: own_other(200, 404) for p in (*AGENTS[:3], *COOP)},
        scoped=True,
    ),
    # --- Espace Coop ----------------------------------------------------------------------------------------------
    *[
        Entry(f"coop/{route}", one(f"/coop/{path}"), only(*COOP), scoped=True)
        for route, path in [
            ("", ""),
            ("activites/", "activites/"),
            ("activites/nouvelle/", "activites/nouvelle/"),
            (r"^activites/export\.(?P<fmt>csv|xlsx)$", "activites/export.csv"),
            ("statistiques/", "statistiques/"),
            (r"^statistiques/export\.(?P<fmt>csv|xlsx)$", "statistiques/export.xlsx"),
            ("lieux/", "lieux/"),
            ("lieux/nouveau/", "lieux/nouveau/"),
            ("lieux/rejoindre/", "lieux/rejoindre/"),
            ("outils/", "outils/"),
            ("profil/", "profil/"),
            ("statistiques/imprimer/", "statistiques/imprimer/"),
            ("statistiques/partages/", "statistiques/partages/"),
            ("beneficiaires/recherche.json", "beneficiaires/recherche.json?q=a"),
        ]
    ],
    # Issue 15 part 4: the PDF of my statistics (a file: nothing to scan for the other territory's names).
    Entry("coop/statistiques/export.pdf", one("/coop/statistiques/export.pdf"), only(*COOP)),
    Entry(
        "coop/statistiques/partages/<uuid:pk>/revoquer/",
        lambda w: both(w, lambda t: f"/coop/statistiques/partages/{t.share.pk}/revoquer/"),
        only(advisor=own_other(200, 404), coordinator=own_other(404, 404)),  # only its author revokes a link
    ),
    *[
        Entry(f"coop/{route}", one(f"/coop/{path}"), only("coordinator"), scoped=True)
        for route, path in [
            ("equipe/", "equipe/"),
            ("equipe/statistiques/", "equipe/statistiques/"),
            (r"^equipe/statistiques/export\.(?P<fmt>csv|xlsx)$", "equipe/statistiques/export.csv"),
            (r"^equipe/export\.(?P<fmt>csv|xlsx)$", "equipe/export.xlsx"),
        ]
    ],
    *[
        Entry(
            f"coop/activites/<int:pk>/{suffix}",
            lambda w, suffix=suffix: both(w, lambda t: f"/coop/activites/{t.activity.pk}/{suffix}"),
            only(advisor=own_other(200, 404), coordinator=own_other(404, 404)),
        )
        for suffix in ("", "modifier/", "dupliquer/")
    ],
    Entry(
        "coop/activites/<int:pk>/supprimer/",
        lambda w: both_post(w, lambda t: f"/coop/activites/{t.activity.pk}/supprimer/"),
        only(advisor=own_other(302, 404), coordinator=own_other(404, 404)),
    ),
    Entry(
        "coop/lieux/<int:pk>/modifier/",
        lambda w: both(w, lambda t: f"/coop/lieux/{t.place.pk}/modifier/"),
        only(advisor=own_other(200, 404), coordinator=own_other(200, 404)),
    ),
    *[
        Entry(
            f"coop/lieux/<int:pk>/{suffix}",
            lambda w, suffix=suffix: both_post(w, lambda t: f"/coop/lieux/{t.place.pk}/{suffix}"),
            only(advisor=own_other(302, 404), coordinator=own_other(302, 404)),
        )
        for suffix in ("principal/", "retirer/")  # the place is left last
    ],
    # --- Espace Coop: coordinators' activities (issue 15 part 2): the coordinator's own only -----------------------
    *[
        Entry(f"coop/{route}", one(f"/coop/{path}"), only("coordinator"), scoped=True)
        for route, path in [
            ("activites/coordination/", "activites/coordination/"),
            ("activites/coordination/nouvelle/", "activites/coordination/nouvelle/?type=animation"),
            ("activites/coordination/statistiques/", "activites/coordination/statistiques/"),
            (r"^activites/coordination/export\.(?P<fmt>csv|xlsx)$", "activites/coordination/export.csv"),
        ]
    ],
    *[
        Entry(
            f"coop/activites/coordination/<int:pk>/{suffix}",
            lambda w, suffix=suffix: both(
                w, lambda t: f"/coop/activites/coordination/{t.coordination_activity.pk}/{suffix}"
            ),
            only(coordinator=own_other(200, 404)),
        )
        for suffix in ("", "modifier/", "dupliquer/")
    ],
    Entry(
        "coop/activites/coordination/<int:pk>/supprimer/",
        lambda w: both_post(w, lambda t: f"/coop/activites/coordination/{t.coordination_activity.pk}/supprimer/"),
        only(coordinator=own_other(302, 404)),
    ),
    # Issue 15: « Mes bénéficiaires », private to their advisor (a coordinator never reaches the team's people).
    *[
        Entry(f"coop/{route}", one(f"/coop/{path}"), only(*COOP), scoped=True)
        for route, path in [
            ("beneficiaires/", "beneficiaires/"),
            ("beneficiaires/nouveau/", "beneficiaires/nouveau/"),
            ("beneficiaires/doublons/", "beneficiaires/doublons/"),
            ("beneficiaires/importer/", "beneficiaires/importer/"),
            ("beneficiaires/importer/modele.csv", "beneficiaires/importer/modele.csv"),
        ]
    ],
    Entry("coop/beneficiaires/importer/analyse/", one("/coop/beneficiaires/importer/analyse/"), only(*COOP, ok=302)),
    Entry(
        "coop/beneficiaires/importer/confirmer/",
        one("/coop/beneficiaires/importer/confirmer/", "post", {"token": "x"}),
        only(*COOP, ok=302),
    ),
    *[
        Entry(
            route,
            lambda w, suffix=suffix: both(w, lambda t: f"/coop/beneficiaires/{t.beneficiary.pk}/{suffix}"),
            only(advisor=own_other(200, 404), coordinator=own_other(404, 404)),
        )
        for route, suffix in [
            ("coop/beneficiaires/<int:pk>/", ""),
            ("coop/beneficiaires/<int:pk>/modifier/", "modifier/"),
            ("coop/beneficiaires/<int:pk>/effacer/", "effacer/"),
            (r"coop/^beneficiaires/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$", "export.csv"),
        ]
    ],
    Entry(
        "coop/beneficiaires/fusionner/<int:pk>/<int:other>/",
        lambda w: both(w, lambda t: f"/coop/beneficiaires/fusionner/{t.beneficiary.pk}/{t.duplicate.pk}/"),
        only(advisor=own_other(200, 404), coordinator=own_other(404, 404)),
    ),
    # Issue 15 part 3: tags. Each territory has its advisor's personal tag and a departmental tag.
    *[
        Entry(f"coop/{route}", one(f"/coop/{route}"), only(*COOP), scoped=True)
        for route in ("etiquettes/", "etiquettes/nouvelle/")
    ],
    *[
        Entry(
            f"coop/etiquettes/<int:pk>/{suffix}",
            lambda w, suffix=suffix: both(w, lambda t: f"/coop/etiquettes/{t.tag.pk}/{suffix}"),
            only(advisor=own_other(200, 404), coordinator=own_other(404, 404)),
        )
        for suffix in ("modifier/", "archiver/", "fusionner/")
    ],
    # --- Espace agents (recruitment) -----------------------------------------------------------------------------
    *[
        Entry(f"espace/{path}", one(f"/espace/{path}"), only(*AGENTS), scoped=True)
        for path in ("", "a-traiter/", "mes-taches/", "dossiers/", "postes-coordinateur/")
    ],
    *[
        Entry(f"espace/{path}", one(f"/espace/{path}"), only("structure"), scoped=True)
        for path in ("mes-candidatures/", "recruter/", "mes-conseillers/", "ma-structure/coordinateur/")
    ],
    Entry("espace/formation/import/", one("/espace/formation/import/"), only("hub", "national")),
    # --- Espace agents (the programme's life after recruitment, issue 13) -----------------------------------------
    *[
        Entry(f"espace/{path}", one(f"/espace/{path}"), only("structure"), scoped=True)
        for path in ("ma-structure/", "ma-structure/reconventionnement/", "avenants/nouveau/")
    ],
    *[  # an empty form: the page again, with the errors (400)
        Entry(f"espace/{path}", one(f"/espace/{path}", "post"), only("structure", ok=400), scoped=True)
        for path in ("ma-structure/coordonnees/", "ma-structure/inviter/")
    ],
    Entry(
        "espace/avenants/<int:pk>/",
        lambda w: both(w, lambda t: f"/espace/avenants/{t.post_request.pk}/"),
        SCOPED_AGENT,
        scoped=True,
    ),
    Entry(
        "espace/reconventionnements/<int:pk>/",
        lambda w: both(w, lambda t: f"/espace/reconventionnements/{t.renewal.pk}/"),
        SCOPED_AGENT,
        scoped=True,
    ),
    Entry(
        "espace/modifications-de-contrat/<int:pk>/",
        lambda w: both(w, lambda t: f"/espace/modifications-de-contrat/{t.contract_change.pk}/"),
        SCOPED_AGENT,
        scoped=True,
    ),
    Entry(
        "espace/conseillers/<int:advisor_pk>/contrat/",
        lambda w: both(w, lambda t: f"/espace/conseillers/{t.advisor.pk}/contrat/"),
        only(structure=own_other(200, 404)),
    ),
    Entry(
        "espace/reconventionnements/<int:pk>/annuler/",  # nothing posted (no CSRF field): the form, unbound
        lambda w: both_post(w, lambda t: f"/espace/reconventionnements/{t.renewal.pk}/annuler/"),
        only("structure", "national", structure=own_other(200, 404)),
    ),
    Entry(
        "espace/modifications-de-contrat/<int:pk>/annuler/",  # an empty reason: the dossier again (400)
        lambda w: both_post(w, lambda t: f"/espace/modifications-de-contrat/{t.contract_change.pk}/annuler/"),
        only("structure", "national", ok=400, structure=own_other(400, 404)),
    ),
    Entry(
        "espace/avenants/<int:pk>/annuler/",  # no reason asked: the structure withdraws its own avenant at once
        lambda w: both_post(w, lambda t: f"/espace/avenants/{t.post_request.pk}/annuler/"),
        only(structure=own_other(302, 404)),
    ),
    # Transfers of posts (national team) and the requests' ages: the "own" transfer goes to the Paris structure.
    Entry("espace/transferts/", one("/espace/transferts/"), only(*AGENTS), scoped=True),
    Entry("espace/transferts/nouveau/", one("/espace/transferts/nouveau/"), only("national")),
    Entry(
        "espace/transferts/<int:pk>/",
        lambda w: both(w, lambda t: f"/espace/transferts/{t.transfer.pk}/"),
        SCOPED_AGENT,
        scoped=True,
    ),
    Entry(
        "espace/transferts/<int:pk>/annuler/",  # an empty reason: the dossier again, with the error (400)
        lambda w: both_post(w, lambda t: f"/espace/transferts/{t.transfer.pk}/annuler/"),
        only("national", ok=400),
    ),
    Entry("espace/pilotage-demandes/", one("/espace/pilotage-demandes/"), only(*AGENTS), scoped=True),
    Entry(
        "espace/export/<str:what>.<str:fmt>",
        lambda w: [
            Probe("any", "/espace/export/structures.csv"),
            Probe("any", "/espace/export/recrutements.xlsx"),
            Probe("any", "/espace/export/fins-de-contrat.csv"),
            Probe("bad", "/espace/export/inconnu.csv"),
        ],
        only(*AGENTS, ok={"*": 200, "bad": 404}),
        scoped=True,
    ),
    Entry(
        "espace/structures/<int:pk>/",
        lambda w: both(w, lambda t: f"/espace/structures/{t.application.pk}/"),
        {**SCOPED_AGENT, "structure": own_other(404, 404)},
        scoped=True,
    ),
    Entry(
        "espace/recrutements/<int:pk>/",
        lambda w: both(w, lambda t: f"/espace/recrutements/{t.recruitment.pk}/"),
        SCOPED_AGENT,
        scoped=True,
    ),
    Entry(
        "espace/fins-de-contrat/<int:pk>/",
        lambda w: both(w, lambda t: f"/espace/fins-de-contrat/{t.rupture.pk}/"),
        SCOPED_AGENT,
        scoped=True,
    ),
    Entry(
        "espace/postes-coordinateur/<int:pk>/",
        lambda w: both(w, lambda t: f"/espace/postes-coordinateur/{t.coordinator_request.pk}/"),
        SCOPED_AGENT,
        scoped=True,
    ),
    Entry(
        "espace/postes-coordinateur/<int:pk>/nouveau-coordinateur/",  # nothing chosen: the dossier, the error (400)
        lambda w: both_post(
            w, lambda t: f"/espace/postes-coordinateur/{t.coordinator_request.pk}/nouveau-coordinateur/"
        ),
        only("structure", "national", ok=400, structure=own_other(400, 404)),
    ),
    Entry(
        "espace/coordinateurs/<int:pk>/equipe/",
        lambda w: both(w, lambda t: f"/espace/coordinateurs/{t.coordinator.pk}/equipe/"),
        only("structure", "national", structure=own_other(200, 404)),
        scoped=True,
    ),
    Entry(
        "espace/candidats/<int:pk>/",
        lambda w: both(w, lambda t: f"/espace/candidats/{t.candidate.pk}/"),
        SCOPED_AGENT,
        scoped=True,
    ),
    Entry(
        "espace/candidats/<int:pk>/cv/",
        lambda w: both(w, lambda t: f"/espace/candidats/{t.candidate.pk}/cv/"),
        SCOPED_AGENT,
    ),
    Entry(
        "espace/candidats/<int:pk>/preselectionner/",
        lambda w: both_post(w, lambda t: f"/espace/candidats/{t.candidate.pk}/preselectionner/"),
        only("structure", structure=own_other(302, 404)),
    ),
    Entry(
        "espace/recrutements/<int:pk>/annuler/",  # an empty reason: the dossier again, with the error (400)
        lambda w: both_post(w, lambda t: f"/espace/recrutements/{t.recruitment.pk}/annuler/"),
        only("structure", "national", ok=400, structure=own_other(400, 404)),
    ),
    Entry(
        "espace/fins-de-contrat/<int:pk>/annuler/",  # an empty reason: the dossier again, with the error (400)
        lambda w: both_post(w, lambda t: f"/espace/fins-de-contrat/{t.rupture.pk}/annuler/"),
        only("structure", "national", ok=400, structure=own_other(400, 404)),
    ),
    Entry(
        "espace/conseillers/<int:advisor_pk>/fin-de-contrat/",
        lambda w: both(w, lambda t: f"/espace/conseillers/{t.advisor.pk}/fin-de-contrat/"),
        only(structure=own_other(200, 404)),
    ),
    Entry(
        "espace/schema/<str:kind>/<int:pk>.svg",
        lambda w: both(w, lambda t: f"/espace/schema/structure/{t.application.process_id}.svg"),
        only("national"),
    ),
    Entry(
        "espace/taches/<int:pk>/prendre/",
        lambda w: both_post(w, lambda t: f"/espace/taches/{t.application_item.pk}/prendre/"),
        TASK_ACTION,
    ),
    Entry(
        "espace/taches/<int:pk>/liberer/",
        lambda w: both_post(w, lambda t: f"/espace/taches/{t.application_item.pk}/liberer/"),
        TASK_ACTION,
    ),
    Entry(
        "espace/taches/<int:pk>/decision/",
        lambda w: both_post(w, lambda t: f"/espace/taches/{t.application_item.pk}/decision/"),
        {**only(*AGENTS, ok=400), "national": own_other(400, 400), "structure": own_other(404, 404)}
        | {p: own_other(400, 404) for p in ("prefecture", "hub")},
    ),
    # --- Instruction at volume (issue 14) ----------------------------------------------------------------------
    # Every list exports the rows its filters select, within the user's scope.
    Entry(
        "espace/listes/<str:list_name>/export.<str:fmt>",
        lambda w: [Probe("any", "/espace/listes/queue/export.csv"), Probe("any", "/espace/listes/inbox/export.xlsx")],
        only(*AGENTS),
        scoped=True,
    ),
    Entry("espace/vues/", one("/espace/vues/"), only(*AGENTS), scoped=True),
    Entry("espace/vues/nouvelle/", one("/espace/vues/nouvelle/", "post"), only(*AGENTS, ok=400)),
    *[
        Entry(
            f"espace/vues/<int:pk>/{suffix}",
            lambda w, suffix=suffix, method=method: [
                Probe("other", f"/espace/vues/{w.other_saved_view.pk}/{suffix}", method)
            ],
            only(*AGENTS, ok=404),
        )
        for suffix, method in (("", "get"), ("supprimer/", "post"))
    ],
    # Bulk actions are the agents' (a structure manager decides her own steps one by one); a job is its author's.
    Entry("espace/traitements/", one("/espace/traitements/"), only(*AGENTS_ONLY), scoped=True),
    Entry(
        "espace/traitements/nouveau/",  # nothing selected: the page says so (400)
        one("/espace/traitements/nouveau/", "post"),
        only(*AGENTS_ONLY, ok=400),
    ),
    *[
        Entry(
            f"espace/traitements/<int:pk>/{suffix}",
            lambda w, suffix=suffix: [Probe("other", f"/espace/traitements/{w.other_bulk_job.pk}/{suffix}")],
            only(*AGENTS_ONLY, ok=404),
        )
        for suffix in ("", "etat.json")
    ],
    # An empty label: adding it is an error shown on the dossier (400), removing it removes nothing (302); another
    # territory's dossier does not exist (404).
    *[
        Entry(
            f"espace/dossiers/<str:kind>/<int:pk>/etiquettes/{action}/",
            lambda w, action=action: both_post(
                w, lambda t: f"/espace/dossiers/structure/{t.application.pk}/etiquettes/{action}/"
            ),
            {
                **only(*AGENTS_ONLY, ok=status),
                "national": own_other(status, status),
                "prefecture": own_other(status, 404),
                "hub": own_other(status, 404),
            },
        )
        for action, status in (("ajouter", 400), ("retirer", 302))
    ],
    Entry(
        "espace/taches/<int:pk>/confier/",  # nobody chosen: the dossier again with the error (400)
        lambda w: both_post(w, lambda t: f"/espace/taches/{t.application_item.pk}/confier/"),
        {**only(*AGENTS, ok=400), **SCOPED_400, "hub": own_other(403, 404), "structure": own_other(403, 403)},
    ),
    Entry(
        "espace/dossiers/<str:kind>/<int:pk>/messages/",  # an empty message: the dossier again (400)
        lambda w: both_post(
            w, lambda t: f"/espace/dossiers/structure/{t.application.pk}/messages/", {"party": "structure"}
        ),
        {**only(*AGENTS, ok=400), **SCOPED_400, "structure": own_other(404, 404)},
    ),
    Entry(
        "espace/pieces/<int:pk>/",  # the application is not the Paris manager's structure's: not hers to open
        lambda w: both(w, lambda t: f"/espace/pieces/{t.attachment.pk}/"),
        {**SCOPED_AGENT, "structure": own_other(404, 404)},
    ),
    Entry(
        "espace/annotations/<str:kind>/<int:pk>/",  # an empty note: the dossier again (400)
        lambda w: both_post(w, lambda t: f"/espace/annotations/structure/{t.application.pk}/"),
        {**only(*AGENTS_ONLY, ok=400), **SCOPED_400},
    ),
    Entry(
        "espace/annotations/<str:kind>/<int:pk>/<int:annotation_pk>/supprimer/",  # only its author deletes a note
        lambda w: both_post(
            w, lambda t: f"/espace/annotations/structure/{t.application.pk}/{t.annotation.pk}/supprimer/"
        ),
        {
            **only(*AGENTS_ONLY),
            "prefecture": own_other(302, 404),
            "hub": own_other(403, 404),
            "national": own_other(403, 403),
        },
    ),
    Entry("espace/mes-notifications/", one("/espace/mes-notifications/"), only(*AGENTS_ONLY)),
    Entry(
        "candidature/structure/suivre/<str:token>/pieces/<int:pk>/",
        lambda w: [
            Probe(
                side,
                f"/candidature/structure/suivre/{manage_token(tokens.MANAGE_STRUCTURE, w.own.application.pk)}"
                f"/pieces/{w.side(side).attachment.pk}/",
            )
            for side in ("own", "other")
        ],
        everyone(own_other(200, 404)),  # the contact's own files only, by the signed link of her e-mails
    ),
    Entry(
        "candidature/conseiller/gerer/<str:token>/pieces/<int:pk>/",
        lambda w: [
            Probe(
                side,
                f"/candidature/conseiller/gerer/{manage_token(tokens.MANAGE_CANDIDATE, w.own.recruited.pk)}"
                f"/pieces/{w.side(side).candidate_attachment.pk}/",
            )
            for side in ("own", "other")
        ],
        everyone(own_other(200, 404)),
    ),
    # --- Tableau de pilotage (/pilotage/): "own" filters on Paris, "other" on Marseille -----------------------------
    *[
        Entry(
            f"pilotage/{route}",
            lambda w, path=path: [
                Probe("plain", f"/pilotage/{path}"),
                Probe("own", f"/pilotage/{path}?departement=75"),
                Probe("other", f"/pilotage/{path}?departement=13"),
            ],
            PILOTAGE,
            scoped=True,
        )
        for route, path in [
            ("", ""),
            ("export.<str:fmt>", "export.csv"),
            ("territoires/", "territoires/"),
            ("territoires/export.csv", "territoires/export.csv"),
            ("exports/", "exports/"),
            ("exports/<str:kind>.csv", "exports/structures.csv"),
            ("capacite/", "capacite/"),
            ("capacite/export.<str:fmt>", "capacite/export.csv"),
            ("coordination/export.<str:fmt>", "coordination/export.csv"),
        ]
    ],
    # Issue 15 part 4: the monthly summary's setting (structure managers) and the e-mail's unsubscribe link.
    Entry("pilotage/bilan-mensuel/", one("/pilotage/bilan-mensuel/"), only("structure")),
    Entry(
        "pilotage/bilan-mensuel/desabonnement/<str:token>/",
        lambda w: [
            Probe(
                "own",
                f"/pilotage/bilan-mensuel/desabonnement/{unsubscribe_token(w.own.structure.pk, w.own.manager.pk)}/",
            ),
            Probe("other", f"/pilotage/bilan-mensuel/desabonnement/{bogus_token()}/"),
        ],
        everyone(own_other(200, 404)),  # a GET only asks: the link works without logging in
    ),
    *[
        Entry(
            f"pilotage/exports/suivi/<uuid:pk>/{suffix}",
            lambda w, suffix=suffix: [Probe("other", f"/pilotage/exports/suivi/{w.other_export_job.pk}/{suffix}")],
            {**PILOTAGE, "national": 404, **dict.fromkeys(PILOTAGE_PERSONAS, 404)},  # only its requester sees a job
        )
        for suffix in ("", "telecharger/")
    ],
    # Issue 15 part 3: the territory's shared tags, managed by the prefecture and the national team.
    *[
        Entry(f"pilotage/{route}", one(f"/pilotage/{route}"), only("prefecture", "national"), scoped=True)
        for route in ("etiquettes/", "etiquettes/nouvelle/")
    ],
    *[
        Entry(
            f"pilotage/etiquettes/<int:pk>/{suffix}",
            lambda w, suffix=suffix: both(w, lambda t: f"/pilotage/etiquettes/{t.department_tag.pk}/{suffix}"),
            only(national=own_other(200, 200), prefecture=own_other(200, 404)),
        )
        for suffix in ("modifier/", "archiver/", "fusionner/")
    ],
    # --- public application forms and their signed links ---------------------------------------------------------
    Entry("candidature/structure/", one("/candidature/structure/"), everyone()),
    Entry("candidature/structure/merci/", one("/candidature/structure/merci/"), everyone()),
    Entry("candidature/conseiller/", one("/candidature/conseiller/"), everyone()),
    Entry("candidature/conseiller/merci/", one("/candidature/conseiller/merci/"), everyone()),
    *[
        Entry(
            f"candidature/{route}/<str:token>/",
            lambda w, route=route, purpose=purpose, subject=subject: [
                Probe("own", f"/candidature/{route}/{manage_token(purpose, getattr(w.own, subject).pk)}/"),
                Probe("other", f"/candidature/{route}/{bogus_token()}/"),
            ],
            everyone(own_other(200, 400)),
        )
        for route, purpose, subject in [
            ("structure/confirmer", tokens.CONFIRM_STRUCTURE, "application"),
            ("structure/suivre", tokens.MANAGE_STRUCTURE, "application"),
            ("conseiller/confirmer", tokens.CONFIRM_CANDIDATE, "candidate"),
            ("conseiller/gerer", tokens.MANAGE_CANDIDATE, "candidate"),
        ]
    ],
    *[
        Entry(
            f"candidature/conseiller/gerer/<str:token>/{name}",
            lambda w, name=name: [
                Probe(
                    "own",
                    f"/candidature/conseiller/gerer/{candidate_token(w)}/{name}",
                ),
                Probe("other", f"/candidature/conseiller/gerer/{bogus_token()}/{name}"),
            ],
            everyone(own_other(200, 400)),  # the candidate's own data and CV, by the signed link of their e-mails
        )
        for name in ("mes-donnees.json", "mon-cv.pdf")
    ],
    # --- public site, APIs ---------------------------------------------------------------------------------------
    Entry("trouver-un-conseiller/", one("/trouver-un-conseiller/?q=75011"), everyone()),
    Entry("statistiques/", one("/statistiques/"), everyone()),
    Entry(
        "statistiques/partage/<str:token>/",
        lambda w: [
            Probe("own", f"/statistiques/partage/{share_token(w.own.share)}/"),
            Probe("other", f"/statistiques/partage/{bogus_token()}/"),
        ],
        everyone(own_other(200, 404)),  # the signed link is the key; a forged one is the ordinary 404
    ),
    Entry("open-data/", one("/open-data/"), everyone()),
    Entry("open-data/structures.csv", one("/open-data/structures.csv"), everyone()),
    Entry("open-data/structures.xlsx", one("/open-data/structures.xlsx"), everyone()),
    Entry("open-data/structures.schema.json", one("/open-data/structures.schema.json"), everyone()),
    Entry("sitemap.xml", one("/sitemap.xml"), everyone()),
    Entry(
        r"^((?:[\w\-]+/)*)$",
        lambda w: [
            Probe("own", "/"),
            Probe("own", w.pages["resource"].url),
            Probe("other", w.pages["draft"].url),
        ],
        everyone(own_other(200, 404)),
    ),
    Entry(
        r"documents/^(\d+)/(.*)$",
        lambda w: [
            Probe("own", w.documents["public"].url),
            Probe("other", w.documents["private"].url),
        ],
        everyone(own_other(200, 302), moderator=200),  # the restricted collection is the moderators' one
    ),
    Entry(
        "documents/authenticate_with_password/<int:restriction_id>/",
        one("/documents/authenticate_with_password/999999/"),
        everyone(404),
    ),
    Entry(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        one("/_util/authenticate_with_password/999999/1/"),
        everyone(404),
    ),
    Entry("_util/login/", one("/_util/login/"), everyone()),
    Entry("api/", one("/api/"), everyone(404)),
    Entry("api/docs", one("/api/docs"), everyone()),
    Entry("api/openapi.json", one("/api/openapi.json"), everyone()),
    Entry("api/ressources/", one("/api/ressources/?q=internet&limit=5"), everyone()),
    Entry("api/ressources/facettes/", one("/api/ressources/facettes/"), everyone()),
    Entry("api/ressources/suppressions/", one("/api/ressources/suppressions/"), everyone()),
    Entry(
        "api/ressources/<resource_id>/",
        lambda w: [
            Probe("own", f"/api/ressources/{w.pages['resource'].pk}/"),
            Probe("other", f"/api/ressources/{w.pages['draft'].pk}/"),
            Probe("bad", "/api/ressources/abc/"),
        ],
        everyone({"own": 200, "other": 404, "bad": 422}),
    ),
    Entry("api/thematiques/", one("/api/thematiques/"), everyone()),
    Entry("api/publics/", one("/api/publics/"), everyone()),
    Entry("api/lieux-mediation-numerique/", one("/api/lieux-mediation-numerique/"), everyone()),
    Entry(
        "api/lieux-mediation-numerique/suppressions/",
        one("/api/lieux-mediation-numerique/suppressions/"),
        everyone(),
    ),
    Entry("api/lieux-mediation-numerique.csv", one("/api/lieux-mediation-numerique.csv"), everyone()),
    # Issue 18: the partner API answers a bearer token only: a session, whatever its role, is a 401.
    *[
        Entry(f"api/partenaires/{endpoint}", one(f"/api/partenaires/{endpoint}"), everyone(401))
        for endpoint in (
            "statistiques/",
            "lieux/",
            "lieux/suppressions/",
            "structures/",
            "structures/suppressions/",
            "conseillers/",
            "conseillers/suppressions/",
        )
    ],
    *[
        Entry(f"api/data-inclusion/{path}", one(f"/api/data-inclusion/{path}"), everyone())
        for path in ("structures/", "services/", "structures/suppressions/", "services/suppressions/")
    ],
    *[
        Entry(f"api/v2/^{endpoint}/", one(f"/api/v2/{endpoint}/"), everyone())
        for endpoint in ("pages", "news", "resources", "images", "documents")
    ],
    *[
        Entry(
            f"api/v2/^{endpoint}/<int:pk>/",
            lambda w, endpoint=endpoint, own=own, other=other: [
                Probe("own", f"/api/v2/{endpoint}/{own(w)}/"),
                Probe("other", f"/api/v2/{endpoint}/{other(w)}/"),
            ],
            everyone(own_other(200, 404), moderator=200 if endpoint == "documents" else own_other(200, 404)),
        )
        for endpoint, own, other in [
            ("pages", lambda w: w.pages["resource"].pk, lambda w: w.pages["draft"].pk),
            ("resources", lambda w: w.pages["resource"].pk, lambda w: w.pages["draft"].pk),
            ("news", lambda w: w.pages["news"].pk, lambda w: w.pages["resource"].pk),
            ("documents", lambda w: w.documents["public"].pk, lambda w: w.documents["private"].pk),
            ("images", lambda w: w.images["public"].pk, lambda w: 999999),
        ]
    ],
    *[
        Entry(
            f"api/v2/^{endpoint}/find/",
            lambda w, endpoint=endpoint: [Probe("any", f"/api/v2/{endpoint}/find/?id=999999")],
            everyone(404),
        )
        for endpoint in ("pages", "news", "resources", "images", "documents")
    ],
    # --- third-party admin apps: grouped rules over every pattern under their prefix -------------------------------
    Entry(
        r"^cms/(?P<chooser>.+)/chosen/(?P<pk>[^/]*[^\d/][^/]*)/$",
        one("/cms/documents/chooser/chosen/abc/"),
        everyone(404),  # guards Wagtail's chooser views, which answer a 500 to a non-numeric id
    ),
    Entry(
        "cms/",
        lambda w: [
            Probe("any", "/cms/"),
            Probe("any", f"/cms/pages/{w.pages['home'].pk}/"),
            Probe("any", f"/cms/pages/{w.pages['home'].pk}/edit/"),
            Probe("any", "/cms/documents/"),
        ],
        only(*SITE, denied=302, anonymous=302),
        prefix=True,
    ),
    Entry(
        "django-admin/",
        lambda w: [
            Probe("any", "/django-admin/"),
            Probe("any", "/django-admin/accounts/user/"),
            Probe("any", f"/django-admin/accounts/user/{w.own.prefecture_user.pk}/change/"),
        ],
        only("national", denied=302, anonymous=302),
        prefix=True,
    ),
]

assert set(PERSONAS) >= {"anonymous", "national"}


# --- After a revocation (issue 11 item 7) ---------------------------------------------------------------------------
@dataclass(frozen=True)
class AfterRevocation:
    """A file or page a persona opens under one role, which must close once that role is revoked.

    `remaining` grants the persona another role first (or None): the revoked role's data must not follow the user
    into the role they keep. `revoked` is the status once the role is gone."""

    label: str
    persona: str
    path: Callable[[World], str]
    revoked: int
    remaining: Callable[[World], dict] | None = None


def _prefecture_92(w: World) -> dict:
    from accounts.enums import Role
    from tests.territories.factories import department

    return {"role": Role.PREFECTURE, "department": department("92")}


REVOCATIONS = [
    AfterRevocation("export file, no role left", "prefecture", lambda w: w.own_export_url, 403),
    AfterRevocation("export file, another role kept", "prefecture", lambda w: w.own_export_url, 404, _prefecture_92),
    AfterRevocation(
        "candidate CV, no role left", "prefecture", lambda w: f"/espace/candidats/{w.own.candidate.pk}/cv/", 403
    ),
    AfterRevocation(
        "candidate CV, another role kept",
        "prefecture",
        lambda w: f"/espace/candidats/{w.own.candidate.pk}/cv/",
        404,
        _prefecture_92,
    ),
    AfterRevocation(
        "candidate page, no role left", "prefecture", lambda w: f"/espace/candidats/{w.own.candidate.pk}/", 403
    ),
    AfterRevocation(
        "candidate page, another role kept",
        "prefecture",
        lambda w: f"/espace/candidats/{w.own.candidate.pk}/",
        404,
        _prefecture_92,
    ),
    AfterRevocation(
        "candidate CV of a structure", "structure", lambda w: f"/espace/candidats/{w.own.candidate.pk}/cv/", 403
    ),
    AfterRevocation(
        "candidate page of a structure", "structure", lambda w: f"/espace/candidats/{w.own.candidate.pk}/", 403
    ),
]
