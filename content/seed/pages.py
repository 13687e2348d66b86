"""The programme's pages (real content): home introduction, programme, candidates, structures, coordination,
FAQ and the legal pages. Facts come from the programme's public sites and code (research/domain-cnum.md §6, §8)."""

from django.conf import settings

from content.seed.streams import bullets, callout, cards, faq, h2, h3, highlight, p, sitemap, steps, stream

HOME_TITLE = "Des conseillers numériques près de chez vous, pour gagner en autonomie"
HOME_INTRO = (
    "<p>13 millions de personnes sont éloignées du numérique. Formés et financés par l'État, les conseillers "
    "numériques les accompagnent gratuitement, partout en France, vers l'autonomie : utiliser un ordinateur ou un "
    "smartphone, faire ses démarches en ligne, se protéger des arnaques.</p>"
)
HOME_BODY = stream(
    cards(
        "Le dispositif pour chacun",
        [
            (
                "Je cherche de l'aide",
                "Trouvez un lieu près de chez vous où un conseiller numérique vous accueille gratuitement.",
                "/trouver-un-conseiller/",
            ),
            (
                "Je veux devenir conseiller numérique",
                "Vous souhaitez accompagner les autres dans leurs usages numériques : déposez votre candidature.",
                "/devenir-conseiller/",
            ),
            (
                "Ma structure veut accueillir un conseiller",
                "Collectivités, associations, structures de l'économie sociale et solidaire : demandez un poste.",
                "/accueillir-un-conseiller/",
            ),
        ],
    ),
)

PROGRAMME = {
    "slug": "le-dispositif",
    "title": "Le dispositif Conseiller numérique",
    "intro": (
        "Lancé le 17 novembre 2020 dans le cadre du plan France Relance et piloté par l'Agence nationale de la "
        "cohésion des territoires (ANCT), le dispositif finance, forme et déploie des conseillers numériques au plus "
        "près des habitants."
    ),
    "show_summary": True,
    "body": stream(
        h2("Pourquoi des conseillers numériques ?"),
        p(
            "Treize millions de Françaises et de Français sont éloignés du numérique : ils n'utilisent pas internet, "
            "ou difficilement, alors que la plupart des démarches du quotidien se font désormais en ligne. "
            "Le dispositif Conseiller numérique leur apporte un accompagnement humain, gratuit et de proximité.",
        ),
        highlight(
            "Un conseiller numérique n'agit pas à la place des personnes : il les aide à devenir autonomes dans leurs "
            "usages numériques."
        ),
        h2("Ce que fait un conseiller numérique"),
        p(
            "Dans une mairie, une médiathèque, un centre social ou une association, le conseiller numérique propose "
            "des accompagnements individuels et des ateliers collectifs pour :",
            bullets(
                "prendre en main un équipement informatique : ordinateur, tablette, smartphone ;",
                "naviguer sur internet, envoyer et recevoir des courriels, utiliser une messagerie ;",
                "réaliser ses démarches administratives en ligne et utiliser FranceConnect ;",
                "se protéger des arnaques et protéger ses données personnelles ;",
                "utiliser les services de santé en ligne, suivre la scolarité de ses enfants ;",
                "chercher un emploi, se former, créer avec le numérique.",
            ),
        ),
        h2("Un dispositif de l'État, mis en œuvre dans les territoires"),
        p(
            "L'État finance les postes de conseillers numériques dans des structures publiques (communes, "
            "départements, régions, intercommunalités, groupements d'intérêt public) et privées (associations, "
            "entreprises de l'économie sociale et solidaire, fondations). Il prend aussi en charge leur formation.",
            "Les demandes des structures sont examinées par la préfecture du département puis validées par le hub "
            "territorial d'inclusion numérique. Dix-sept hubs couvrent l'ensemble du territoire, outre-mer compris.",
        ),
        h2("Le dispositif en chiffres"),
        p(
            "Environ 4 000 conseillers numériques ont été formés et déployés dans près de 2 900 structures. "
            "Ils ont réalisé plusieurs millions d'accompagnements depuis le lancement du dispositif. "
            "Les chiffres à jour sont publiés sur la page d'accueil et dans les <a "
            'href="/statistiques/">statistiques '
            "publiques</a>.",
        ),
        h2("Pour aller plus loin"),
        cards(
            "",
            [
                ("Devenir conseiller numérique", "Le métier, la formation et la candidature.", "/devenir-conseiller/"),
                (
                    "Accueillir un conseiller",
                    "Les engagements de la structure et les étapes.",
                    "/accueillir-un-conseiller/",
                ),
                (
                    "La coordination territoriale",
                    "Les coordinateurs animent les conseillers d'un territoire.",
                    "/coordination-territoriale/",
                ),
            ],
        ),
    ),
}

BECOME_ADVISOR = {
    "slug": "devenir-conseiller",
    "title": "Devenir conseiller numérique",
    "intro": (
        "Vous aimez transmettre et vous souhaitez aider les autres à utiliser le numérique ? Déposez votre "
        "candidature : les structures qui recrutent près de chez vous pourront vous contacter."
    ),
    "show_summary": True,
    "body": stream(
        h2("Le métier"),
        p(
            "Le conseiller numérique accompagne tous les publics vers l'autonomie numérique, en rendez-vous "
            "individuel ou en atelier collectif. Il est salarié d'une structure d'accueil (collectivité, "
            "association…) et intervient dans un ou plusieurs lieux d'activité, parfois en itinérance.",
        ),
        h2("Qui peut candidater ?"),
        p(
            "La candidature est ouverte à toutes et à tous, sans condition de diplôme, dès lors que vous êtes dans "
            "au moins l'une de ces situations :",
            bullets(
                "demandeur ou demandeuse d'emploi ;",
                "en emploi ;",
                "en formation ;",
                "diplômé(e) dans le secteur de la médiation numérique ;",
                "avec une expérience professionnelle de médiation numérique.",
            ),
        ),
        h2("Déposer sa candidature"),
        p(
            "Le formulaire de candidature comprend quatre parties :",
            steps(
                "vos informations de contact et votre commune ;",
                "votre situation et votre expérience ;",
                "votre disponibilité et la distance maximale que vous acceptez pour un poste "
                "(de 5 km à la France entière) ;",
                "votre motivation (2 500 caractères au plus). Vous pouvez joindre un CV au format PDF.",
            ),
            "Un courriel vous demande ensuite de confirmer votre adresse : votre candidature devient alors visible "
            "des structures qui disposent d'un poste dans votre secteur.",
        ),
        h2("Après la candidature"),
        p(
            steps(
                "Une structure vous présélectionne et vous propose un contrat (CDI, CDD, contrat de projet public ou "
                "parcours emploi compétences).",
                "La préfecture puis le hub territorial valident le recrutement.",
                "Vous suivez la formation initiale, prise en charge par l'État, qui prépare à une certification.",
                "Vous prenez votre poste et recevez vos accès à l'Espace Coop pour suivre votre activité.",
            ),
        ),
        callout(
            "Prêt à vous lancer ?",
            "La candidature prend une quinzaine de minutes. Vous pourrez la retirer à tout moment.",
            "Je dépose ma candidature",
            "/candidature/conseiller/",
        ),
    ),
}

HOST_ADVISOR = {
    "slug": "accueillir-un-conseiller",
    "title": "Accueillir un conseiller numérique",
    "intro": (
        "Votre collectivité ou votre association souhaite proposer un accompagnement au numérique à ses habitants ou "
        "à ses publics ? Demandez un ou plusieurs postes de conseiller numérique."
    ),
    "show_summary": True,
    "body": stream(
        h2("Les structures concernées"),
        p(
            "Peuvent demander un poste : les communes, les départements, les régions, les établissements publics de "
            "coopération intercommunale, les collectivités à statut particulier, les groupements d'intérêt public et "
            "les structures privées (associations, entreprises de l'économie sociale et solidaire, fondations).",
        ),
        h2("Les engagements de la structure"),
        p(
            "En demandant un poste, la structure s'engage à :",
            bullets(
                "proposer des activités gratuites de montée en compétences numériques ;",
                "laisser au conseiller le temps de participer aux rencontres locales et nationales et à la formation "
                "continue ;",
                "sélectionner un candidat sur la plateforme dans un délai d'un mois au plus ;",
                "signer un contrat dans les quinze jours qui suivent ;",
                "laisser le conseiller partir en formation ;",
                "fournir au conseiller les moyens et l'équipement nécessaires (ordinateur, téléphone portable, "
                "véhicule si besoin).",
            ),
        ),
        h2("Les étapes"),
        p(
            steps(
                "Vous déposez la demande en ligne avec votre numéro SIRET (ou RIDET en Nouvelle-Calédonie) et "
                "confirmez votre adresse électronique.",
                "La préfecture de votre département donne un avis sur la demande.",
                "Le hub territorial valide la demande et vous attribue un nombre de postes.",
                "Vous accédez à votre espace structure : vous y trouvez les candidats proches de vous, les "
                "présélectionnez et proposez un contrat.",
                "Après validation du recrutement et formation, le conseiller prend son poste.",
            ),
        ),
        callout(
            "Déposer une demande",
            "Préparez votre numéro SIRET, les coordonnées d'un contact et le nombre de conseillers souhaité.",
            "Je demande un poste",
            "/candidature/structure/",
        ),
    ),
}

COORDINATION = {
    "slug": "coordination-territoriale",
    "title": "La coordination territoriale",
    "intro": (
        "Des conseillers numériques coordinateurs animent le réseau des conseillers d'un territoire : un département, "
        "une intercommunalité ou une équipe de conseillers."
    ),
    "show_summary": True,
    "body": stream(
        h2("Les missions des coordinateurs"),
        h3("Renforcer le maillage et les synergies territoriales"),
        p(
            "Le coordinateur connaît les lieux de médiation numérique de son territoire, les fait connaître et "
            "veille à ce que chaque habitant puisse trouver un accompagnement près de chez lui."
        ),
        h3("Être le relais principal des employeurs, des conseillers et de l'équipe d'animation nationale"),
        p(
            "Il fait circuler l'information, fait remonter les besoins du terrain et accompagne les structures "
            "employeuses dans l'accueil de leurs conseillers."
        ),
        h3("Imaginer et mettre en place des collaborations entre les acteurs locaux"),
        p(
            "Collectivités, associations, France Services, bibliothèques, acteurs sociaux : il crée des partenariats "
            "pour orienter les publics vers le bon interlocuteur."
        ),
        h3("Animer des ateliers et des temps d'échange de pratiques"),
        p(
            "Il organise des rencontres entre conseillers pour partager les outils, les méthodes et les retours "
            "d'expérience."
        ),
        h2("Devenir coordinateur"),
        p(
            "Une structure peut demander un poste de coordinateur, qui se consacre entièrement à la coordination ou "
            "accompagne aussi des publics. La demande suit les mêmes étapes qu'une demande de poste de conseiller."
        ),
    ),
}

FAQ_PAGE = {
    "slug": "faq",
    "title": "Questions fréquentes",
    "intro": "Les réponses aux questions les plus posées par les habitants, les candidats et les structures.",
    "show_summary": False,
    "body": stream(
        faq(
            "Pour les habitants",
            [
                (
                    "L'accompagnement par un conseiller numérique est-il payant ?",
                    "Non. Les accompagnements et les ateliers proposés par les conseillers numériques sont gratuits.",
                ),
                (
                    "Comment trouver un conseiller numérique près de chez moi ?",
                    'Utilisez la page <a href="/trouver-un-conseiller/">Trouver un conseiller</a> : saisissez votre '
                    "commune ou votre code postal pour voir les lieux les plus proches, leurs horaires et leurs "
                    "modalités d'accueil.",
                ),
                (
                    "Faut-il prendre rendez-vous ?",
                    "Cela dépend du lieu : certains accueillent librement aux heures d'ouverture, d'autres sur "
                    "rendez-vous. Les modalités sont indiquées pour chaque lieu.",
                ),
                (
                    "Le conseiller peut-il faire mes démarches à ma place ?",
                    "Le conseiller vous aide à faire vos démarches vous-même. Pour les personnes qui ne peuvent pas "
                    "les réaliser seules, il peut orienter vers un aidant habilité Aidants Connect ou vers un espace "
                    "France Services.",
                ),
            ],
        ),
        faq(
            "Pour les candidats",
            [
                (
                    "Faut-il un diplôme pour devenir conseiller numérique ?",
                    "Non. La candidature est ouverte sans condition de diplôme. La formation initiale, prise en "
                    "charge par l'État, prépare au métier.",
                ),
                (
                    "Comment suis-je recruté ?",
                    "Les structures qui disposent d'un poste consultent les candidatures proches de chez elles, "
                    "présélectionnent des candidats et les contactent pour un entretien.",
                ),
                (
                    "Puis-je modifier ou retirer ma candidature ?",
                    "Oui, à tout moment, en suivant le lien reçu par courriel après votre candidature.",
                ),
            ],
        ),
        faq(
            "Pour les structures",
            [
                (
                    "Quelles structures peuvent accueillir un conseiller numérique ?",
                    "Les collectivités et leurs groupements, les groupements d'intérêt public et les structures "
                    "privées à but non lucratif ou de l'économie sociale et solidaire.",
                ),
                (
                    "Qui examine notre demande ?",
                    "La préfecture du département donne un avis, puis le hub territorial d'inclusion numérique valide "
                    "la demande et attribue les postes.",
                ),
                (
                    "Combien de temps avons-nous pour recruter ?",
                    "La structure s'engage à sélectionner un candidat dans le mois qui suit l'attribution du poste, "
                    "puis à signer le contrat dans les quinze jours.",
                ),
                (
                    "Que se passe-t-il si le contrat du conseiller prend fin ?",
                    "La structure signale la fin de contrat dans son espace ; après validation, le poste redevient "
                    "disponible pour un nouveau recrutement.",
                ),
            ],
        ),
    ),
}

LEGAL_NOTICE = {
    "slug": "mentions-legales",
    "title": "Mentions légales",
    "intro": "",
    "show_summary": False,
    "body": stream(
        h2("Éditeur"),
        p(
            "Agence nationale de la cohésion des territoires (ANCT)<br>20 avenue de Ségur – TSA 10717<br>"
            "75334 Paris Cedex 07",
        ),
        h2("Directeur de la publication"),
        p("Le directeur général de l'Agence nationale de la cohésion des territoires."),
        h2("Hébergement"),
        p(
            "Le service est hébergé en France. Le nom et l'adresse de l'hébergeur sont précisés par l'opérateur lors "
            "de la mise en production."
        ),
        h2("Licence des contenus"),
        p(
            "Sauf mention contraire, les contenus de ce site sont publiés sous "
            '<a href="https://github.com/etalab/licence-ouverte/blob/master/LO.md">licence Etalab 2.0</a>. '
            "Le code source de la plateforme est publié sous licence AGPL-3.0."
        ),
        h2("Données géographiques"),
        p(
            "Les distances et les centres des communes proviennent de GeoNames (www.geonames.org), sous licence "
            "CC BY 4.0, et du Code officiel géographique de l'Insee."
        ),
    ),
}

ACCESSIBILITY = {
    "slug": "accessibilite",
    "title": "Déclaration d'accessibilité",
    "intro": (
        "L'Agence nationale de la cohésion des territoires s'engage à rendre ses services numériques accessibles, "
        "conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005."
    ),
    "show_summary": True,
    "body": stream(
        h2("État de conformité"),
        p(
            "Le site Conseiller numérique est <strong>partiellement conforme</strong> avec le référentiel général "
            "d'amélioration de l'accessibilité (RGAA), version 4.1.2."
        ),
        h2("Résultats des tests"),
        p(
            "Les pages publiques sont vérifiées automatiquement à chaque modification avec l'outil axe-core, et les "
            "parcours principaux (rechercher une ressource, trouver un conseiller) sont testés au clavier. "
            "Un audit complet du RGAA est programmé ; ses résultats seront publiés sur cette page."
        ),
        h2("Contenus non accessibles"),
        p(
            "La carte des lieux d'activité n'est pas accessible à tous ; la liste des lieux, qui l'accompagne, "
            "présente les mêmes informations de façon accessible. Certains documents à télécharger peuvent ne "
            "pas être accessibles : demandez-en une version accessible à l'adresse ci-dessous."
        ),
        h2("Retour d'information et contact"),
        p(
            "Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez-nous à "
            "accessibilite@conseiller-numerique.gouv.fr pour être orienté vers une alternative accessible ou obtenir "
            "le contenu sous une autre forme."
        ),
        h2("Voies de recours"),
        p(
            "Si vous constatez un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à une "
            "fonctionnalité, que vous nous le signalez et que vous ne parvenez pas à obtenir de réponse, vous pouvez "
            "saisir le Défenseur des droits : par le formulaire en ligne sur defenseurdesdroits.fr, en contactant le "
            "délégué du Défenseur des droits dans votre région, ou par courrier gratuit sans affranchissement à "
            "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07."
        ),
    ),
}

# Kept up to date by seed_content while no editor has changed it (see content.seed._refresh): the durations here are
# what the scheduled jobs do (purge_cvs, anonymise_candidates, deactivate_inactive_accounts, purge_audit_log).
PERSONAL_DATA = {
    "slug": "donnees-personnelles",
    "title": "Données personnelles",
    "intro": "Comment la plateforme Conseiller numérique traite vos données personnelles et quels sont vos droits.",
    "show_summary": True,
    "refresh": True,
    "body": stream(
        h2("Responsable de traitement"),
        p("L'Agence nationale de la cohésion des territoires (ANCT) est responsable des traitements décrits ici."),
        h2("Données traitées et finalités"),
        p(
            bullets(
                "<strong>Candidatures des conseillers</strong> : nom, coordonnées, commune, situation, diplôme, "
                "disponibilité, motivation et CV éventuel, pour permettre aux structures de recruter et aux services "
                "de l'État d'instruire les recrutements ;",
                "<strong>Demandes des structures</strong> : identité de la structure et coordonnées professionnelles "
                "de son contact, pour instruire la demande de poste et suivre les financements ;",
                "<strong>Comptes des agents et des conseillers</strong> : identité, adresse électronique, rôles et "
                "date de dernière connexion, pour donner accès aux espaces de travail ;",
                "<strong>Comptes rendus d'activité</strong> : pour produire les statistiques du dispositif, des "
                "nombres sans nom ni coordonnées des personnes accompagnées ; seul le conseiller qui l'a écrit voit "
                "à quelle personne suivie (ci-dessous) un compte rendu est relié, s'il l'a relié ;",
                "<strong>Personnes suivies par un conseiller</strong> (facultatif, avec leur accord) : nom, prénom, "
                "et si elles le souhaitent téléphone, e-mail, année de naissance, commune, genre, statut et notes du "
                "conseiller, pour retrouver l'historique de leurs accompagnements. Seul ce conseiller les voit ; "
                "son coordinateur, sa structure et l'État n'en voient que des nombres, jamais les noms ;",
                "<strong>Journal d'audit</strong> : qui a fait quelle action sensible (décision, attribution de rôle, "
                "export de données), quand et depuis quelle adresse IP, pour la sécurité de la plateforme.",
            )
        ),
        h2("Durées de conservation"),
        p(
            "Ces durées sont appliquées chaque jour par des traitements automatiques.",
            bullets(
                "<strong>CV</strong> : supprimés six mois après leur dépôt avec la candidature.",
                "<strong>Candidatures des conseillers</strong> : anonymisées après deux ans sans activité (ni la "
                "candidature ni un recrutement qui la concerne n'a évolué). Le nom, les coordonnées, la motivation "
                "et le CV sont effacés ; seules restent des données anonymes pour les statistiques : département et "
                "commune, diplôme, dates et issue de la candidature. Les candidats recrutés relèvent ensuite de leur "
                "contrat avec la structure qui les emploie.",
                "<strong>Comptes utilisateurs</strong> : un compte qui ne s'est pas connecté depuis deux ans reçoit "
                "un courriel d'avertissement ; s'il ne se connecte pas dans les trente jours, il est désactivé.",
                "<strong>Journal d'audit</strong> : cinq ans, puis supprimé.",
                f"<strong>Personnes suivies par un conseiller</strong> : anonymisées après "
                f"{settings.BENEFICIARY_RETENTION_MONTHS} mois sans accompagnement ni modification de leur fiche. "
                "Le nom, le prénom, les coordonnées, l'année de naissance, la commune et les notes sont effacés ; "
                "le genre, la tranche d'âge et le statut restent dans les statistiques, sans nom.",
                "<strong>Comptes rendus d'activité</strong> : anonymes, conservés pendant toute la durée du "
                "dispositif pour ses statistiques.",
                "<strong>Demandes des structures</strong> : conservées pendant toute la durée du dispositif, pour le "
                "suivi des postes financés.",
            ),
        ),
        h2("Carte des lieux"),
        p(
            "Sur la carte publique, le nom d'un conseiller n'apparaît que s'il l'a accepté ; sinon, le lieu indique "
            "seulement la présence d'un conseiller numérique."
        ),
        h2("Vos droits"),
        p(
            "Vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation du traitement et de "
            "portabilité de vos données.",
            "<strong>Candidats</strong> : le lien présent dans chacun de nos courriels ouvre une page où vous "
            "consultez vos données, les téléchargez (fichier JSON et CV), retirez votre candidature ou l'effacez "
            "définitivement, à tout moment.",
            "<strong>Personnes suivies par un conseiller</strong> : demandez-lui vos données, il vous les remet "
            "(fichier CSV ou Excel) ; demandez-lui leur effacement, il l'applique aussitôt.",
            "Pour toute autre demande, écrivez à dpd@anct.gouv.fr. Vous pouvez aussi adresser une réclamation à la "
            "Commission nationale de l'informatique et des libertés (CNIL).",
        ),
        h2("Sécurité"),
        p(
            "Les CV ne sont jamais publics : seuls les agents dont le périmètre couvre votre commune peuvent les "
            "ouvrir. Les exports de données personnelles sont enregistrés dans le journal d'audit. Les mots de "
            "passe et les liens personnels n'apparaissent jamais dans les journaux techniques."
        ),
        h2("Cookies"),
        p(
            "Le site ne dépose que les cookies nécessaires à son fonctionnement (session et sécurité des "
            "formulaires). Les cartes chargent des fonds de plan d'OpenStreetMap."
        ),
    ),
}

SITE_MAP = {
    "slug": "plan-du-site",
    "title": "Plan du site",
    "intro": "",
    "show_summary": False,
    "body": stream(sitemap()),
}

STANDARD_PAGES = [
    PROGRAMME,
    BECOME_ADVISOR,
    HOST_ADVISOR,
    COORDINATION,
    FAQ_PAGE,
    LEGAL_NOTICE,
    ACCESSIBILITY,
    PERSONAL_DATA,
    SITE_MAP,
]
# Footer pages: kept out of the main menus.
FOOTER_SLUGS = {"mentions-legales", "accessibilite", "donnees-personnelles", "plan-du-site"}

NEWS_INDEX = {
    "slug": "actualites",
    "title": "Actualités",
    "intro": (
        "Les nouvelles du dispositif Conseiller numérique : rencontres, outils, chiffres et appels à candidatures."
    ),
}
RESOURCE_INDEX = {
    "slug": "ressources",
    "title": "Ressources",
    "intro": (
        "Guides, fiches pratiques, outils, vidéos et formations pour les conseillers numériques, les coordinateurs, "
        "les structures et tous les aidants."
    ),
}
