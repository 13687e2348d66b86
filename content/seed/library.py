"""The resource library's vocabularies, 30 resources across every type and thématique, and 5 news items."""

from dataclasses import dataclass, field
from datetime import date

THEMATIQUES = [
    ("demarches-en-ligne", "Démarches administratives en ligne", "FranceConnect, impôts, CAF, France Travail…"),
    ("securite-numerique", "Sécurité numérique", "Arnaques, mots de passe, protection des données."),
    ("prise-en-main", "Prise en main du matériel", "Ordinateur, tablette, smartphone."),
    ("internet-et-messagerie", "Internet et messagerie", "Navigation, courriel, messageries."),
    ("sante-en-ligne", "Santé en ligne", "Mon espace santé, ameli, prise de rendez-vous."),
    ("insertion-professionnelle", "Insertion professionnelle", "CV, recherche d'emploi, formation."),
    ("parentalite-scolarite", "Parentalité et scolarité", "Espaces numériques de travail, écrans en famille."),
    ("animation-ateliers", "Animation d'ateliers", "Préparer et animer un atelier collectif."),
    ("intelligence-artificielle", "Intelligence artificielle", "Comprendre et utiliser les outils d'IA."),
    ("vie-du-dispositif", "Vie du dispositif", "Recrutement, formation, comptes rendus d'activité."),
]

PUBLICS = [
    ("conseillers", "Conseillers numériques", ""),
    ("coordinateurs", "Coordinateurs", ""),
    ("structures", "Structures employeuses", ""),
    ("aidants", "Aidants et travailleurs sociaux", ""),
    ("elus", "Élus et collectivités", ""),
    ("grand-public", "Grand public", "Fiches à remettre aux personnes accompagnées."),
]


@dataclass(frozen=True)
class DemoResource:
    slug: str
    title: str
    resource_type: str
    summary: str
    thematiques: tuple[str, ...]
    publics: tuple[str, ...]
    tags: tuple[str, ...] = ()
    # Either a demo PDF (its paragraphs) or an external link.
    document_text: tuple[str, ...] = ()
    external_url: str = ""
    duration: str = ""
    body: tuple[str, ...] = field(default_factory=tuple)


R = DemoResource

RESOURCES = [
    R(
        "guide-franceconnect",
        "Accompagner la création d'un compte FranceConnect",
        "guide",
        "Les étapes pour aider une personne à se connecter à FranceConnect avec un compte existant (impots.gouv.fr, "
        "ameli.fr, l'Identité numérique La Poste…), et les erreurs les plus fréquentes.",
        ("demarches-en-ligne",),
        ("conseillers", "aidants"),
        ("franceconnect", "debutant"),
        document_text=(
            "FranceConnect permet d'accéder à plus de 1 400 services publics en ligne avec un compte que la personne "
            "possède déjà.",
            "1. Vérifier que la personne a un compte chez l'un des fournisseurs d'identité et qu'elle en connaît le "
            "mot de passe.",
            "2. Sur le service visé, choisir « S'identifier avec FranceConnect », puis le fournisseur d'identité.",
            "3. Saisir les identifiants du fournisseur ; vérifier les informations transmises, puis continuer.",
            "Erreurs fréquentes : mot de passe oublié chez le fournisseur, adresse électronique inaccessible, "
            "identité différente d'un compte à l'autre.",
        ),
        body=(
            "Ce guide pas à pas se remet à la personne accompagnée à la fin du rendez-vous. Il rappelle que la "
            "personne reste seule à saisir ses identifiants.",
        ),
    ),
    R(
        "fiche-declarer-ses-revenus",
        "Déclarer ses revenus en ligne : la fiche pratique",
        "fiche",
        "Une fiche imprimable pour préparer la déclaration de revenus en ligne : documents à réunir, connexion à "
        "l'espace particulier, points de vigilance.",
        ("demarches-en-ligne",),
        ("grand-public", "conseillers"),
        ("impots", "fiche-imprimable"),
        document_text=(
            "Avant de commencer : numéro fiscal, dernier avis d'impôt, montants des revenus de l'année.",
            "Se connecter à impots.gouv.fr, espace particulier, puis « Déclarer mes revenus ».",
            "Vérifier les montants préremplis, compléter si besoin, puis signer la déclaration.",
            "Conserver l'accusé de réception envoyé par courriel.",
        ),
    ),
    R(
        "outil-service-public",
        "Service-Public.fr : trouver la bonne démarche",
        "outil",
        "Le site officiel de l'administration française explique chaque démarche et renvoie vers le bon formulaire "
        "en ligne. Un réflexe à transmettre aux personnes accompagnées.",
        ("demarches-en-ligne",),
        ("grand-public", "aidants"),
        ("debutant",),
        external_url="https://www.service-public.fr/",
    ),
    R(
        "fiche-caf-mon-compte",
        "Mon compte CAF : suivre ses droits et déclarer ses ressources",
        "fiche",
        "Créer son espace sur caf.fr, déclarer ses ressources trimestrielles et télécharger une attestation.",
        ("demarches-en-ligne",),
        ("grand-public", "aidants"),
        ("caf", "fiche-imprimable"),
        document_text=(
            "Créer son compte : numéro d'allocataire, code postal et date de naissance.",
            "Déclarer ses ressources : rubrique « Mes démarches », déclaration trimestrielle.",
            "Télécharger une attestation de paiement : rubrique « Mes attestations ».",
        ),
    ),
    R(
        "guide-arnaques-en-ligne",
        "Repérer et éviter les arnaques en ligne",
        "guide",
        "Hameçonnage, faux conseillers bancaires, faux sites administratifs : les signes qui doivent alerter et les "
        "bons réflexes, avec des exemples à commenter en atelier.",
        ("securite-numerique",),
        ("conseillers", "grand-public"),
        ("arnaques", "atelier-collectif"),
        document_text=(
            "Un message qui presse d'agir, demande des codes ou un paiement inhabituel doit alerter.",
            "Ne jamais communiquer un code reçu par SMS à un interlocuteur qui appelle.",
            "Vérifier l'adresse du site : les démarches administratives se font sur des adresses en .gouv.fr.",
            "En cas de doute, signaler sur internet-signalement.gouv.fr et se faire "
            "aider sur cybermalveillance.gouv.fr.",
        ),
    ),
    R(
        "outil-cybermalveillance",
        "Cybermalveillance.gouv.fr : assistance et prévention",
        "outil",
        "Le dispositif national d'assistance aux victimes d'actes de cybermalveillance : diagnostic en ligne, "
        "fiches réflexes et mise en relation avec des professionnels.",
        ("securite-numerique",),
        ("conseillers", "grand-public", "elus"),
        ("arnaques",),
        external_url="https://www.cybermalveillance.gouv.fr/",
    ),
    R(
        "fiche-mots-de-passe",
        "Créer et retenir des mots de passe solides",
        "fiche",
        "La méthode de la phrase de passe, l'usage d'un gestionnaire de mots de passe et la double authentification, "
        "expliqués simplement.",
        ("securite-numerique",),
        ("grand-public",),
        ("mots-de-passe", "fiche-imprimable", "debutant"),
        document_text=(
            "Un mot de passe solide est long : une phrase de passe de quatre ou cinq mots est facile à retenir.",
            "Un mot de passe différent pour chaque service important (messagerie, banque, impôts).",
            "Activer la double authentification quand le service la propose.",
        ),
    ),
    R(
        "video-proteger-ses-donnees",
        "Protéger ses données personnelles sur internet",
        "video",
        "Une vidéo de la CNIL pour comprendre les traces que l'on laisse en ligne et régler ses paramètres de "
        "confidentialité.",
        ("securite-numerique", "internet-et-messagerie"),
        ("grand-public",),
        ("donnees-personnelles",),
        external_url="https://www.cnil.fr/",
        duration="6 min",
    ),
    R(
        "fiche-smartphone-premiers-pas",
        "Premiers pas avec un smartphone",
        "fiche",
        "Allumer, déverrouiller, passer un appel, installer une application : une fiche illustrée pour les "
        "personnes qui découvrent le smartphone.",
        ("prise-en-main",),
        ("grand-public", "conseillers"),
        ("smartphone", "debutant", "seniors"),
        document_text=(
            "Allumer : appui long sur le bouton latéral. Déverrouiller : code ou empreinte.",
            "Appeler : application Téléphone, composer le numéro, bouton vert.",
            "Installer une application : Play Store ou App Store, rechercher, « Installer ».",
        ),
    ),
    R(
        "guide-ordinateur-debutant",
        "Découvrir l'ordinateur : souris, clavier et fenêtres",
        "guide",
        "Un déroulé d'atelier en trois séances pour apprivoiser la souris, le clavier et les fenêtres, avec des "
        "exercices progressifs.",
        ("prise-en-main", "animation-ateliers"),
        ("conseillers",),
        ("debutant", "atelier-collectif", "seniors"),
        document_text=(
            "Séance 1 : allumer l'ordinateur, utiliser la souris (clic, double-clic, glisser).",
            "Séance 2 : le clavier (majuscules, accents, effacer), écrire un premier texte.",
            "Séance 3 : ouvrir, réduire et fermer des fenêtres ; enregistrer un document.",
        ),
    ),
    R(
        "outil-pix",
        "Pix : évaluer et développer ses compétences numériques",
        "outil",
        "Le service public en ligne pour évaluer, développer et certifier ses compétences numériques, utile pour "
        "situer une personne avant un accompagnement.",
        ("prise-en-main", "insertion-professionnelle"),
        ("conseillers", "grand-public"),
        ("diagnostic",),
        external_url="https://pix.fr/",
    ),
    R(
        "fiche-messagerie-electronique",
        "Créer et utiliser une adresse électronique",
        "fiche",
        "Choisir un fournisseur, créer son adresse, envoyer un courriel avec une pièce jointe et reconnaître un "
        "courriel frauduleux.",
        ("internet-et-messagerie",),
        ("grand-public",),
        ("courriel", "debutant", "fiche-imprimable"),
        document_text=(
            "Une adresse électronique est indispensable pour la plupart des démarches en ligne.",
            "Noter l'adresse et le mot de passe dans un endroit sûr.",
            "Joindre un document : trombone, choisir le fichier, envoyer.",
        ),
    ),
    R(
        "formation-naviguer-sur-internet",
        "Naviguer sur internet en confiance",
        "formation",
        "Un module de formation continue pour les conseillers : moteurs de recherche, fiabilité des sources, "
        "réglages du navigateur et publicité ciblée.",
        ("internet-et-messagerie", "securite-numerique"),
        ("conseillers",),
        ("formation-continue",),
        external_url="https://lesbases.anct.gouv.fr/",
        duration="2 heures",
    ),
    R(
        "fiche-visioconference",
        "Participer à une visioconférence",
        "fiche",
        "Rejoindre une réunion à partir d'un lien, activer le micro et la caméra, partager son écran.",
        ("internet-et-messagerie",),
        ("grand-public", "aidants"),
        ("visio", "fiche-imprimable"),
        document_text=(
            "Cliquer sur le lien reçu, autoriser le micro et la caméra.",
            "Couper son micro quand on ne parle pas.",
            "Pour quitter : bouton rouge « Quitter ».",
        ),
    ),
    R(
        "guide-mon-espace-sante",
        "Accompagner l'activation de Mon espace santé",
        "guide",
        "Activer Mon espace santé, consulter ses documents, gérer ses accès et comprendre la messagerie sécurisée "
        "de santé.",
        ("sante-en-ligne", "demarches-en-ligne"),
        ("conseillers", "aidants"),
        ("sante",),
        document_text=(
            "Mon espace santé est le carnet de santé numérique de chaque assuré.",
            "Activation : code provisoire reçu par courrier ou par courriel, carte Vitale à portée de main.",
            "La personne choisit qui peut consulter ses documents ; elle peut s'opposer à tout moment.",
        ),
    ),
    R(
        "outil-ameli",
        "Le compte ameli : remboursements et attestations",
        "outil",
        "Suivre ses remboursements, télécharger une attestation de droits et commander une carte Vitale en ligne.",
        ("sante-en-ligne",),
        ("grand-public",),
        ("sante", "debutant"),
        external_url="https://www.ameli.fr/",
    ),
    R(
        "video-prendre-rendez-vous-medical",
        "Prendre un rendez-vous médical en ligne",
        "video",
        "Une démonstration pas à pas de la prise de rendez-vous en ligne, à projeter en atelier.",
        ("sante-en-ligne",),
        ("grand-public", "conseillers"),
        ("sante", "atelier-collectif"),
        external_url="https://www.sante.fr/",
        duration="4 min",
    ),
    R(
        "guide-cv-en-ligne",
        "Rédiger et envoyer son CV en ligne",
        "guide",
        "Mettre en forme un CV, l'enregistrer en PDF et répondre à une offre d'emploi en ligne.",
        ("insertion-professionnelle",),
        ("conseillers", "aidants"),
        ("emploi",),
        document_text=(
            "Un CV d'une page, des rubriques claires : expérience, formation, compétences.",
            "Enregistrer au format PDF pour que la mise en page soit conservée.",
            "Nommer le fichier : CV-Prénom-Nom.pdf.",
        ),
    ),
    R(
        "outil-france-travail",
        "France Travail : l'espace candidat",
        "outil",
        "S'inscrire, actualiser sa situation et consulter les offres d'emploi depuis l'espace candidat de France "
        "Travail.",
        ("insertion-professionnelle", "demarches-en-ligne"),
        ("grand-public", "aidants"),
        ("emploi",),
        external_url="https://www.francetravail.fr/",
    ),
    R(
        "formation-accompagner-vers-emploi",
        "Accompagner vers l'emploi avec le numérique",
        "formation",
        "Un parcours de formation pour les conseillers qui reçoivent des demandeurs d'emploi : outils, partenaires "
        "et orientation.",
        ("insertion-professionnelle",),
        ("conseillers", "coordinateurs"),
        ("emploi", "formation-continue"),
        document_text=(
            "Objectifs : connaître les services en ligne de l'emploi et orienter vers les partenaires locaux.",
            "Durée : une journée, en présentiel.",
        ),
        duration="1 jour",
    ),
    R(
        "guide-ent-scolarite",
        "Suivre la scolarité de son enfant avec l'ENT",
        "guide",
        "L'espace numérique de travail de l'établissement : cahier de textes, notes, messagerie avec les "
        "enseignants, et Educonnect pour se connecter.",
        ("parentalite-scolarite",),
        ("grand-public", "conseillers"),
        ("ecole",),
        document_text=(
            "Se connecter avec Educonnect : identifiant transmis par l'établissement.",
            "Consulter les notes, l'emploi du temps et les devoirs.",
            "Écrire à un enseignant par la messagerie de l'ENT.",
        ),
    ),
    R(
        "fiche-ecrans-en-famille",
        "Les écrans en famille : repères par âge",
        "fiche",
        "Des repères simples pour accompagner les usages des écrans à la maison, à partager avec les parents.",
        ("parentalite-scolarite",),
        ("grand-public",),
        ("ecrans", "fiche-imprimable"),
        document_text=(
            "Avant 3 ans : pas d'écran seul ; privilégier les échanges.",
            "Parler avec l'enfant de ce qu'il voit, fixer des temps sans écran.",
        ),
    ),
    R(
        "guide-animer-atelier-collectif",
        "Préparer et animer un atelier collectif",
        "guide",
        "Définir l'objectif, constituer le groupe, préparer le matériel, animer et évaluer : la méthode complète, "
        "avec une trame de déroulé.",
        ("animation-ateliers",),
        ("conseillers", "coordinateurs"),
        ("atelier-collectif", "pedagogie"),
        document_text=(
            "Un atelier réussi part d'un besoin exprimé par les participants.",
            "Groupes de 6 à 10 personnes, un poste pour deux au plus.",
            "Terminer par un temps d'échange et une évaluation simple.",
        ),
    ),
    R(
        "formation-pedagogie-adultes",
        "Pédagogie pour adultes : les fondamentaux",
        "formation",
        "Comprendre comment les adultes apprennent et adapter son accompagnement : rythme, reformulation, "
        "valorisation des réussites.",
        ("animation-ateliers",),
        ("conseillers",),
        ("pedagogie", "formation-continue"),
        external_url="https://lesbases.anct.gouv.fr/",
        duration="3 heures",
    ),
    R(
        "video-atelier-seniors",
        "Un atelier numérique avec des seniors, en images",
        "video",
        "Retour d'expérience filmé d'un atelier hebdomadaire en médiathèque : organisation, supports et conseils.",
        ("animation-ateliers", "prise-en-main"),
        ("conseillers", "structures"),
        ("seniors", "atelier-collectif"),
        external_url="https://www.culture.gouv.fr/",
        duration="9 min",
    ),
    R(
        "guide-ia-generative",
        "Comprendre l'intelligence artificielle générative",
        "guide",
        "Ce que sont les outils d'IA générative, ce qu'ils savent faire, leurs limites et les précautions à "
        "transmettre aux personnes accompagnées.",
        ("intelligence-artificielle",),
        ("conseillers", "coordinateurs", "grand-public"),
        ("ia",),
        document_text=(
            "Un outil d'IA générative produit du texte ou des images à partir d'une consigne.",
            "Ses réponses peuvent être fausses : toujours vérifier auprès d'une source fiable.",
            "Ne jamais saisir de données personnelles ou confidentielles dans ces outils.",
        ),
    ),
    R(
        "formation-ia-atelier",
        "Animer un atelier de découverte de l'IA",
        "formation",
        "Une session de formation pour construire un atelier de découverte de l'intelligence artificielle avec des "
        "exemples adaptés au quotidien.",
        ("intelligence-artificielle", "animation-ateliers"),
        ("conseillers",),
        ("ia", "atelier-collectif", "formation-continue"),
        external_url="https://lesbases.anct.gouv.fr/",
        duration="1 jour",
    ),
    R(
        "guide-recrutement-structure",
        "Recruter son conseiller numérique : le guide de la structure",
        "guide",
        "De l'attribution du poste à la prise de fonction : présélectionner des candidats, mener l'entretien, "
        "proposer le contrat et préparer l'arrivée du conseiller.",
        ("vie-du-dispositif",),
        ("structures", "elus"),
        ("recrutement",),
        document_text=(
            "Après l'attribution du poste, consultez les candidatures proches de votre structure.",
            "Présélectionnez, organisez les entretiens, puis proposez un contrat dans votre espace.",
            "Le recrutement est validé par la préfecture puis par le hub avant l'entrée en formation.",
        ),
    ),
    R(
        "fiche-compte-rendu-activite",
        "Saisir un compte rendu d'activité",
        "fiche",
        "Les champs du compte rendu d'activité, accompagnement individuel ou atelier collectif, et pourquoi il ne "
        "contient aucune donnée personnelle des personnes accompagnées.",
        ("vie-du-dispositif",),
        ("conseillers", "coordinateurs"),
        ("cra",),
        document_text=(
            "Un compte rendu par accompagnement individuel ou par atelier.",
            "Date, durée, lieu, thématiques et nombre de participants ; pas de nom ni de coordonnées.",
            "Les statistiques du dispositif comptent les accompagnements : un atelier de 10 personnes compte pour 10.",
        ),
    ),
    R(
        "formation-initiale-conseillers",
        "La formation initiale des conseillers numériques",
        "formation",
        "Contenu, durée et modalités de la formation initiale prise en charge par l'État, et la certification qui "
        "la conclut.",
        ("vie-du-dispositif",),
        ("conseillers", "structures"),
        ("formation-initiale", "recrutement"),
        document_text=(
            "La formation initiale prépare au métier de médiateur numérique.",
            "Elle alterne périodes en organisme de formation et mise en situation dans la structure.",
            "Elle se conclut par une certification professionnelle.",
        ),
        duration="Plusieurs semaines",
    ),
]


@dataclass(frozen=True)
class DemoNews:
    slug: str
    title: str
    date: date
    summary: str
    paragraphs: tuple[str, ...]
    thematiques: tuple[str, ...]


NEWS = [
    DemoNews(
        "rencontres-nationales-2026",
        "Les rencontres nationales des conseillers numériques ont réuni 1 200 participants",
        date(2026, 10, 14),
        "Deux jours d'ateliers, de témoignages et d'échanges de pratiques pour les conseillers, coordinateurs et "
        "structures du dispositif.",
        (
            "Conseillers, coordinateurs, structures employeuses et hubs territoriaux se sont retrouvés pour partager "
            "leurs pratiques d'accompagnement.",
            "Les ateliers ont porté sur l'intelligence artificielle, la sécurité numérique et l'accueil des publics "
            "les plus éloignés du numérique.",
        ),
        ("vie-du-dispositif", "animation-ateliers"),
    ),
    DemoNews(
        "nouvelle-bibliotheque-ressources",
        "Une nouvelle bibliothèque de ressources pour les aidants",
        date(2026, 11, 3),
        "Guides, fiches pratiques, outils, vidéos et formations : la bibliothèque de ressources se filtre désormais "
        "par thématique, par public et par type.",
        (
            "Chaque ressource est classée par thématique et par public ; la recherche porte sur l'ensemble "
            "des textes.",
            "Les ressources sont aussi disponibles par une API ouverte, documentée à l'adresse /api/docs.",
        ),
        ("vie-du-dispositif",),
    ),
    DemoNews(
        "campagne-arnaques-fin-annee",
        "Fin d'année : une campagne contre les arnaques en ligne",
        date(2026, 11, 18),
        "Faux colis, faux remboursements, faux conseillers bancaires : les conseillers numériques proposent des "
        "ateliers de prévention dans toute la France.",
        (
            "Les fêtes de fin d'année sont propices aux arnaques par SMS et par courriel.",
            "Des ateliers gratuits apprennent à repérer les messages frauduleux et à signaler les tentatives.",
        ),
        ("securite-numerique",),
    ),
    DemoNews(
        "appel-candidatures-coordinateurs",
        "Appel à candidatures : de nouveaux postes de coordinateurs",
        date(2026, 9, 22),
        "Les structures peuvent demander un poste de conseiller numérique coordinateur pour animer le réseau de "
        "leur territoire.",
        (
            "Les coordinateurs renforcent le maillage territorial et animent les échanges entre conseillers.",
            "Les demandes sont examinées par la préfecture puis validées par le hub territorial.",
        ),
        ("vie-du-dispositif",),
    ),
    DemoNews(
        "mon-espace-sante-ateliers",
        "Mon espace santé : des ateliers pour accompagner l'activation",
        date(2026, 9, 8),
        "Avec l'Assurance maladie, les conseillers numériques aident les assurés à activer et utiliser leur carnet "
        "de santé numérique.",
        (
            "Les ateliers présentent les fonctions de Mon espace santé et les règles de confidentialité.",
            "Une fiche pratique est disponible dans la bibliothèque de ressources.",
        ),
        ("sante-en-ligne",),
    ),
]
