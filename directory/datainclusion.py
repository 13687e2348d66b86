"""Our network in the data·inclusion standard: structures as `structure` records, public places as `service` records.

Design note. The standard is the GIP Plateforme de l'inclusion's schema v1.0.8, vendored with its provenance in
directory/data/schemas/data-inclusion/; the tests validate every record against it. Choices where it leaves one:
- source « conseiller-numerique »; ids in the standard's « producer--local id » form: « conseiller-numerique--
  structure-42 », « conseiller-numerique--lieu-17 » (stable across renames, never reused).
- structures: those of the open data (validated, validation date not in the future). No telephone or courriel: the
  only ones we hold are the contact person's, who is not public. Coordinates only when the structure has its own:
  data·inclusion geocodes addresses itself, and a commune centre would pass for a precise point.
  reseaux_porteurs: « conseillers-numeriques », plus the structure's grand réseau, France Services and Aidants Connect
  labels and, for a collectivity, its kind (communes, départements, régions) when the standard has a value for it.
- services: one per public place (public, not removed, an advisor in post: the « lieux » feed) of a published
  structure: the programme's free accompaniment at that place. Its content depends on the place alone (everything else
  is a constant), so the place's change date is the service's. Thematiques: the programme's missions that the
  standard names (everyday digital tools, online services, administrative procedures online). Type accompagnement,
  frais gratuit, publics tous-publics, mobilisable by users and professionals (who refer people). Modes d'accueil
  « en-presentiel » unless the place receives no public; modes de mobilisation from its access types and contacts;
  zone d'éligibilité: the place's department. Phones in the international form, left out when not a valid number.
- date_maj: the Paris date of the record's last change, never in the future.
"""

from django.conf import settings
from django.db.models import DateTimeField, F, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from directory import changefeed, scopes
from directory.enums import AccessType, Network, StructureType
from directory.models import Place, Publication, Structure
from directory.opening_hours import osm_opening_hours
from directory.phones import international_phone

SOURCE = "conseiller-numerique"
STRUCTURE_PREFIX = f"{SOURCE}--structure-"
SERVICE_PREFIX = f"{SOURCE}--lieu-"
NAME_MAX = 150
PROGRAMME_NETWORK = "conseillers-numeriques"
# Our grands réseaux and structure types that have a value in the standard's `ReseauPorteur` list.
NETWORKS = {
    Network.CROIX_ROUGE: "croix-rouge",
    Network.EMMAUS_CONNECT: "emmaus",
    Network.LA_POSTE: "la-poste",
    Network.UNAF: "unaf",
    Network.FACE: "face",
    Network.PIMMS: "pimms-mediation",
    Network.MJC: "mjc",
}
TYPE_NETWORKS = {
    StructureType.COMMUNE: "communes",
    StructureType.DEPARTMENT: "departements",
    StructureType.REGION: "regions",
}
STRUCTURE_DESCRIPTION = (
    "Structure qui accueille des conseillers numériques, financés par l'État (dispositif Conseiller numérique, "
    "ANCT) pour accompagner gratuitement chacun vers l'autonomie numérique."
)
SERVICE_NAME = "Accompagnement au numérique avec un conseiller numérique"
SERVICE_DESCRIPTION = (
    "Un conseiller numérique vous accompagne gratuitement, seul ou en atelier collectif, pour gagner en autonomie "
    "avec le numérique du quotidien : prendre en main un ordinateur, une tablette ou un smartphone, naviguer sur "
    "internet, utiliser une messagerie, faire ses démarches administratives en ligne, protéger ses données et "
    "éviter les arnaques."
)
ITINERANT = " Accompagnement itinérant : renseignez-vous sur les lieux et jours de passage."
THEMATIQUES = [
    "numerique--maitriser-les-fondamentaux-du-numerique",
    "numerique--acceder-a-des-services-en-ligne",
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
]


def _date(moment) -> str:
    return timezone.localdate(moment).isoformat()


def _name(name: str, commune_name: str) -> str:
    """A name the standard accepts: 3 to 150 characters, no final full stop (unless « etc. »)."""
    name = " ".join(name.split())
    if name.endswith(".") and not name.endswith("etc."):
        name = name.rstrip(". ")
    if len(name) > NAME_MAX:
        name = name[: NAME_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:-.") + "…"
    if len(name) < 3:
        name = f"{name} – {commune_name}".strip(" –")
    return name


def _or_none(value):
    return value if value not in ("", None, []) else None


def structure_id(pk: int) -> str:
    return f"{STRUCTURE_PREFIX}{pk}"


def service_id(pk: int) -> str:
    return f"{SERVICE_PREFIX}{pk}"


def published_structures() -> QuerySet[Structure]:
    """The structures of the data·inclusion list, with `changed_at`: the change feed's date, or the validation date
    when it is later (a structure dated to be validated tomorrow appears tomorrow, as a change of that day)."""
    structures = changefeed.changed("structures", Structure.objects.published())
    validation = Coalesce(F("validated_at"), F("changed_at"))
    return structures.annotate(
        di_changed_at=Greatest(F("changed_at"), validation, output_field=DateTimeField())
    ).select_related("commune")


def published_services() -> QuerySet[Place]:
    """The public places of published structures, with `changed_at` (the « lieux » change feed's date)."""
    places = scopes.public_places().filter(structure__in=Structure.objects.published())
    return changefeed.changed("lieux", places).select_related("commune")


def reseaux_porteurs(structure: Structure) -> list[str]:
    """The standard's networks of a structure: the programme's first, then its own, without duplicates."""
    values = [PROGRAMME_NETWORK, NETWORKS.get(structure.network), TYPE_NETWORKS.get(structure.type)]
    if structure.france_services_label:
        values.append("france-service")
    if structure.aidants_connect_label:
        values.append("aidants-connect")
    return list(dict.fromkeys(value for value in values if value))


def structure_record(structure: Structure) -> dict:
    """One structure as a data·inclusion `structure` record (every field of the schema, null when unknown)."""
    commune = structure.commune
    own_point = structure.latitude is not None and structure.longitude is not None
    return {
        "source": SOURCE,
        "id": structure_id(structure.pk),
        "nom": _name(structure.name, commune.name),
        "date_maj": _date(getattr(structure, "di_changed_at", None) or structure.updated_at),
        "description": STRUCTURE_DESCRIPTION,
        "lien_source": None,
        "siret": structure.siret if structure.siret and len(structure.siret) == 14 else None,
        "commune": commune.name,
        "code_postal": structure.postal_code or commune.main_postal_code or None,
        "code_insee": commune.code,
        "adresse": _or_none(" ".join(structure.address.split())),
        "complement_adresse": None,
        "longitude": structure.longitude if own_point else None,
        "latitude": structure.latitude if own_point else None,
        "telephone": None,
        "courriel": None,
        "site_web": None,
        "horaires_accueil": None,
        "accessibilite_lieu": None,
        "reseaux_porteurs": reseaux_porteurs(structure),
    }


def _receives_public(place: Place) -> bool:
    return not place.access_types or any(value != AccessType.NO_PUBLIC for value in place.access_types)


def modes_mobilisation(place: Place, telephone: str) -> list[str]:
    """How a person reaches the service: comes in (free access), phones, writes (what the place offers)."""
    values = []
    if AccessType.FREE in place.access_types:
        values.append("se-presenter")
    if telephone:
        values.append("telephoner")
    if place.email:
        values.append("envoyer-un-courriel")
    return values


def _mobilisation_precisions(place: Place) -> str | None:
    if not _receives_public(place):
        return "Ce lieu n'accueille pas de public : contactez le conseiller numérique par téléphone ou par courriel."
    if AccessType.APPOINTMENT in place.access_types and AccessType.FREE not in place.access_types:
        return "Sur rendez-vous."
    if AccessType.FREE in place.access_types:
        return "Sans rendez-vous, aux horaires d'accueil."
    return None


def service_record(place: Place) -> dict:
    """One public place as a data·inclusion `service` record (every field of the schema, null when unknown)."""
    commune = place.commune
    telephone = international_phone(place.phone or "", place.department_id)
    own_point = place.latitude is not None and place.longitude is not None
    return {
        "source": SOURCE,
        "structure_id": structure_id(place.structure_id),
        "id": service_id(place.pk),
        "nom": SERVICE_NAME,
        "description": SERVICE_DESCRIPTION + (ITINERANT if place.itinerant else ""),
        "lien_source": f"{settings.SITE_URL}{reverse('find_advisor')}?commune={commune.code}",
        "date_maj": _date(getattr(place, "changed_at", None) or place.updated_at),
        "type": "accompagnement",
        "thematiques": THEMATIQUES,
        "frais": "gratuit",
        "frais_precisions": None,
        "publics": ["tous-publics"],
        "publics_precisions": None,
        "conditions_acces": None,
        "commune": commune.name,
        "code_postal": place.postal_code or commune.main_postal_code or None,
        "code_insee": commune.code,
        "adresse": _or_none(" ".join(place.address.split())),
        "complement_adresse": None,
        "longitude": place.longitude if own_point else None,
        "latitude": place.latitude if own_point else None,
        "telephone": telephone or None,
        "courriel": place.email or None,
        "contact_nom_prenom": None,
        "horaires_accueil": osm_opening_hours(place.opening_hours) or None,
        "modes_accueil": ["en-presentiel"] if _receives_public(place) else None,
        "zone_eligibilite": [place.department_id],
        "modes_mobilisation": _or_none(modes_mobilisation(place, telephone)),
        "lien_mobilisation": None,
        "mobilisable_par": ["usagers", "professionnels"],
        "mobilisation_precisions": _mobilisation_precisions(place),
        "volume_horaire_hebdomadaire": None,
        "nombre_semaines": None,
    }


def removal_record(publication: Publication, prefix: str) -> dict:
    """An object that left a list: its data·inclusion id and when it left."""
    return {"id": f"{prefix}{publication.object_id}", "supprime_le": publication.removed_at}
