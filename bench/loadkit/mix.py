"""What the virtual users do, and how often: one line per action. Add a page to the load by adding a line."""

from collections.abc import Callable
from dataclasses import dataclass

SEARCHES = ["75011", "13001", "Lille", "92100", "Marseille", "Nice", "Paris", "59000"]


@dataclass(frozen=True)
class Action:
    """An action of a persona, picked with probability weight / (sum of that persona's weights)."""

    name: str
    persona: str
    weight: int
    run: Callable


def page(endpoint: str, path: str) -> Callable:
    return lambda user: user.get(endpoint, path)


def search(user) -> None:
    user.get("public : trouver un conseiller", f"/trouver-un-conseiller/?q={user.rng.choice(SEARCHES)}")


def decide_or_browse(user) -> None:
    if not user.decide():
        user.get("espace : à traiter", "/espace/a-traiter/")


def attach_or_browse(user) -> None:
    if not user.post_attachment():
        user.get("espace : accueil", "/espace/")


ACTIONS = [
    # Public site and APIs (anonymous visitors and partner services)
    Action("home", "visitor", 5, page("public : accueil", "/")),
    Action("resources", "visitor", 3, page("public : ressources", "/ressources/")),
    Action("news", "visitor", 2, page("public : actualités", "/actualites/")),
    Action("public-stats", "visitor", 1, page("public : statistiques", "/statistiques/")),
    Action("find", "visitor", 3, search),
    Action("api-resources", "visitor", 3, page("api : ressources", "/api/ressources/?limit=20")),
    Action("api-facets", "visitor", 1, page("api : facettes", "/api/ressources/facettes/")),
    Action("api-places", "visitor", 1, page("api : lieux (données ouvertes)", "/api/lieux-mediation-numerique/")),
    Action("api-pages", "visitor", 2, page("api : wagtail pages", "/api/v2/pages/")),
    # Espace Coop (advisors): report submissions and their dashboards
    Action("coop-home", "advisor", 2, page("coop : accueil", "/coop/")),
    Action("report", "advisor", 5, lambda user: user.submit_report()),
    Action("coop-stats", "advisor", 3, page("coop : statistiques", "/coop/statistiques/")),
    Action("coop-list", "advisor", 1, page("coop : mes activités", "/coop/activites/")),
    Action("coop-relogin", "advisor", 1, lambda user: user.relogin()),
    # Espace agents (prefecture of Paris): decisions on pending applications and their lists
    Action("agent-home", "agent", 2, page("espace : accueil", "/espace/")),
    Action("decision", "agent", 3, decide_or_browse),
    Action("agent-queue", "agent", 1, page("espace : à traiter", "/espace/a-traiter/")),
    Action("pilotage", "agent", 2, page("pilotage : tableau de bord", "/pilotage/")),
    # A message with a PDF on a dossier (private storage: the object store when configured), then its download.
    Action("attachment", "agent", 2, attach_or_browse),
    Action("agent-relogin", "agent", 1, lambda user: user.relogin()),
]

PERSONAS = {"visitor": 40, "advisor": 50, "agent": 10}  # share of the virtual users, in percent


def persona_counts(users: int, shares: dict[str, int]) -> dict[str, int]:
    """How many virtual users of each persona (largest shares take the remainder)."""
    total = sum(shares.values())
    counts = {persona: users * share // total for persona, share in shares.items()}
    for persona in sorted(shares, key=lambda p: -shares[p])[: users - sum(counts.values())]:
        counts[persona] += 1
    return counts


def plan_users(users: int, shares: dict[str, int], accounts: dict[str, list[dict]]) -> list[tuple[str, dict | None]]:
    """[(persona, account)] for `users` virtual users split by shares; logged-in personas take distinct accounts."""
    plan = []
    for persona, count in persona_counts(users, shares).items():
        pool = accounts.get(persona)
        if pool is not None and len(pool) < count:
            raise SystemExit(f"{count} utilisateurs « {persona} » demandés, {len(pool)} comptes préparés.")
        plan += [(persona, pool[index] if pool is not None else None) for index in range(count)]
    return plan


def parse_shares(text: str) -> dict[str, int]:
    """ "visitor=40,advisor=50,agent=10" → {"visitor": 40, ...}."""
    shares = {}
    for item in text.split(","):
        name, _, value = item.partition("=")
        if name.strip() not in PERSONAS or not value.strip().isdigit():
            raise ValueError(f"part invalide : {item!r} (attendu : visitor=40,advisor=50,agent=10)")
        shares[name.strip()] = int(value)
    return shares
