"""The named personas of the tests, defined once: who they are, their e-mail, their role and what it is bound to.

Every fixture set builds its users from here: the fixtures of tests/conftest.py (`national_admin`,
`prefecture_paris`…), the hardening world (tests/hardening/world.py) and the shell tests (tests/site,
tests/browser). The territories are Paris (75, in the Francil-in hub) and Marseille (13). The demo accounts of
`manage.py seed_demo` (`directory.demo.PERSONAS`) are product data, tested as such, not test personas.
"""

from dataclasses import dataclass

from accounts import services
from accounts.enums import Role
from tests.accounts.factories import PASSWORD, UserFactory


@dataclass(frozen=True)
class Persona:
    """A person of the programme with one role (or none): the fixture that builds it passes the scope object."""

    first_name: str
    last_name: str
    email: str
    role: str | None
    scope: str  # what the role is bound to, in words
    other_roles: tuple[str, ...] = ()  # roles without scope held beside the first one

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


NATIONAL = Persona("Nadia", "Admin", "nadia.admin@anct.gouv.fr", Role.NATIONAL, "the whole country (ANCT)")
PREFECTURE_PARIS = Persona("Paul", "Agent", "paul.prefecture@paris.gouv.fr", Role.PREFECTURE, "department 75")
PREFECTURE_MARSEILLE = Persona(
    "Marie", "Préfecture", "marie.prefecture@bouches-du-rhone.gouv.fr", Role.PREFECTURE, "department 13"
)
HUB_IDF = Persona("Hugo", "Hub", "hugo@francil-in.fr", Role.HUB, "the Francil-in hub (75, 92)")
STRUCTURE_PARIS = Persona(
    "Sophie", "Gestionnaire", "sophie@mairie11.paris.fr", Role.STRUCTURE_MANAGER, "the Paris structure"
)
STRUCTURE_MARSEILLE = Persona(
    "Samia", "Gestionnaire", "samia@belle-de-mai.marseille.fr", Role.STRUCTURE_MANAGER, "the Marseille structure"
)
ADVISOR_PARIS = Persona(
    "Camille", "Conseillère", "camille@conseiller-numerique.fr", Role.ADVISOR, "herself, at the Paris structure"
)
ADVISOR_MARSEILLE = Persona(
    "Inès", "Conseillère", "ines@conseiller-numerique.fr", Role.ADVISOR, "herself, at the Marseille structure"
)
COORDINATOR_PARIS = Persona(
    "Karim", "Coordinateur", "karim@conseiller-numerique.fr", Role.COORDINATOR, "a team: Camille"
)
COORDINATOR_MARSEILLE = Persona(
    "Yacine", "Coordinateur", "yacine@conseiller-numerique.fr", Role.COORDINATOR, "a team: Inès"
)
EDITOR = Persona("Éric", "Éditeur", "eric.editeur@anct.gouv.fr", Role.EDITOR, "the public site's pages")
MODERATOR = Persona("Mona", "Modératrice", "mona.moderatrice@anct.gouv.fr", Role.MODERATOR, "publication")
PREFECTURE_EDITOR = Persona(
    "Léa",
    "Double",
    "lea.double@paris.gouv.fr",
    Role.PREFECTURE,
    "department 75 (active), and the site's pages",
    other_roles=(Role.EDITOR,),
)
OUTSIDER = Persona("Personne", "Sans-Rôle", "personne@exemple.fr", None, "nothing: an account without role")


def create_user(persona: Persona, *, password: str = PASSWORD, **scope):
    """The persona's user with its role granted on `scope` (department=, hub=, structure=, advisor=) and active."""
    user = UserFactory(
        email=persona.email, first_name=persona.first_name, last_name=persona.last_name, password=password
    )
    if persona.role:
        services.membership_grant(user=user, role=persona.role, granted_by=None, **scope)
    for role in persona.other_roles:
        services.membership_grant(user=user, role=role, granted_by=None)
    user.refresh_from_db()
    return user


def user_with_role(role: str, email: str, **scope):
    """An extra user of a role, for tests that need a second person beside the personas (a colleague…)."""
    user = UserFactory(email=email)
    services.membership_grant(user=user, role=role, granted_by=None, **scope)
    user.refresh_from_db()
    return user
