"""The programme's tools shown in « Mes outils » (editors change them in the CMS afterwards)."""

from django.db import migrations

TOOLS = [
    (
        "RDV Service Public",
        "Gérez les rendez-vous avec les personnes que vous accompagnez : prise de rendez-vous en ligne, rappels par "
        "SMS et e-mail, agenda partagé avec vos collègues.",
        "https://rdv.anct.gouv.fr/",
        "rendez-vous",
        "fr-icon-calendar-line",
    ),
    (
        "Aidants Connect",
        "Réalisez des démarches en ligne pour le compte d'une personne, de façon sécurisée et tracée, grâce à un "
        "mandat. Votre structure doit être habilitée.",
        "https://aidantsconnect.beta.gouv.fr/",
        "mandat",
        "fr-icon-shield-line",
    ),
    (
        "Pix Orga",
        "Proposez aux personnes accompagnées des parcours d'évaluation et de développement de leurs compétences "
        "numériques, et suivez leurs progrès.",
        "https://orga.pix.fr/",
        "competences",
        "fr-icon-award-line",
    ),
    (
        "Les Bases du numérique d'intérêt général",
        "La plateforme collaborative des ressources de la médiation numérique : fiches pratiques, supports "
        "d'ateliers et retours d'expérience partagés par le réseau.",
        "https://lesbases.anct.gouv.fr/",
        "ressources",
        "fr-icon-book-2-line",
    ),
    (
        "La Cartographie nationale des lieux d'inclusion numérique",
        "Trouvez les lieux de médiation numérique autour de vous pour orienter les personnes ; vos lieux "
        "d'activité visibles y figurent.",
        "https://cartographie.societenumerique.gouv.fr/",
        "cartographie",
        "fr-icon-map-pin-2-line",
    ),
    (
        "Bibliothèque de ressources du dispositif",
        "Guides, kits d'ateliers et documents du dispositif Conseiller numérique, sur ce site.",
        "/ressources/",
        "ressources",
        "fr-icon-article-line",
    ),
]


def seed(apps, schema_editor):
    Tool = apps.get_model("reporting", "Tool")
    for order, (title, description, url, category, icon) in enumerate(TOOLS, start=1):
        Tool.objects.get_or_create(
            title=title,
            defaults={"description": description, "url": url, "category": category, "icon": icon, "order": order * 10},
        )


def unseed(apps, schema_editor):
    Tool = apps.get_model("reporting", "Tool")
    Tool.objects.filter(title__in=[title for title, *_ in TOOLS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
