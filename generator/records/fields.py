"""What each field of a record is called, and how to fill it in, for coordinators.

The models (`models.py`) say what a field holds to the code, in English. This
catalog says it in French to the people who fill the records in: the spreadsheet's
column headers and their help notes (`sheets`), the JSON Schemas' titles and
descriptions and the web editor's labels and hints (`editor`), and what `check`
says of a missing field (`validate`). One source, so that a column, a form field,
a schema property and a message are called the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel


@dataclass(frozen=True)
class FieldHelp:
    """A field's French name (a column header, a form label) and a sentence on what to write."""

    label: str
    help: str


def _catalog(**fields: tuple[str, str]) -> dict[str, FieldHelp]:
    return {name: FieldHelp(label, help) for name, (label, help) in fields.items()}


_PROVENANCE = _catalog(
    verified=("Vérifiée le", "La date où quelqu'un a vérifié ces informations, au format AAAA-MM-JJ : 2026-11-20."),
    source=("Source", "D'où viennent les informations : « Appel à l'accueil », « Site de la mairie »..."),
)

_OFFER = _catalog(
    appointment=("Rendez-vous", "Faut-il un rendez-vous, et comment le prendre."),
    cost=(
        "Coût",
        "Ce que la personne paie : gratuit, tiers payant, secteur 1, secteur 2, payant. Plusieurs valeurs possibles.",
    ),
    cost_details=(
        "Précisions sur le coût",
        "En mots simples : « Consultation à 30 €, remboursée par l'Assurance Maladie ».",
    ),
    publics=(
        "Publics",
        "Les publics accueillis en priorité, par leur identifiant dans taxonomy.yml : jeunes, personnes-exilees...",
    ),
    phones=("Téléphones", "Un ou plusieurs numéros : « 01 99 00 12 34 », avec à quoi sert chacun (« Rendez-vous »)."),
    email=("Courriel", "L'adresse électronique à laquelle écrire : accueil@example.org."),
    languages=("Langues parlées", "Les langues parlées sur place, en codes à deux lettres : fr, en, ar..."),
    interpreting=("Interprétariat", "Interprète par téléphone, sur place, ou langue des signes (LSF)."),
    dispositifs=("Dispositifs", "Les droits pour lesquels on aide, par leur identifiant : css, ame, puma..."),
    service_area=(
        "Communes servies",
        "« territory » pour tout le territoire, ou les codes INSEE des communes servies. Vide : sa propre commune.",
    ),
    neighbourhood=(
        "Quartier",
        "Le code d'un quartier de sa commune, déclaré dans territory.yml : QN03501A (un QPV) ou redon-gare.",
    ),
    notices=(
        "Informations temporaires",
        "Fermetures, horaires modifiés ou messages, avec une date de début et de fin.",
    ),
    professional=(
        "Pour les professionnels",
        "Seulement dans l'édition professionnelle, jamais sur le site public : comment orienter, "
        "ligne et courriel pour les professionnels, fonction à demander, réseaux, notes.",
    ),
)

HELP: dict[str, dict[str, FieldHelp]] = {
    "Address": _catalog(
        street=("Rue", "Le numéro et la rue : « 12 rue de la Gare »."),
        additional=("Complément d'adresse", "Étage, bâtiment, entrée : « Bâtiment B, 1er étage »."),
        postcode=("Code postal", "Le code postal à cinq chiffres : 35600."),
        commune=("Commune", "La commune, par son code INSEE (pas le code postal), à cinq caractères : 35236."),
    ),
    "Phone": _catalog(
        number=("Numéro", "Le numéro de téléphone : 01 99 00 12 34."),
        label=("Usage du numéro", "À quoi sert ce numéro : « Rendez-vous », « Secrétariat »."),
    ),
    "Appointment": _catalog(
        policy=("Rendez-vous", "Sur rendez-vous seulement, rendez-vous conseillé, ou sans rendez-vous."),
        details=("Comment prendre rendez-vous", "En mots simples : « Appelez le secrétariat le matin »."),
        url=("Prise de rendez-vous en ligne", "L'adresse de la page de prise de rendez-vous, commençant par https://."),
    ),
    "NewPatientsStatus": _catalog(
        status=(
            "Nouveaux patients",
            "Ce que le cabinet a répondu : prend de nouveaux patients, sous conditions (dites lesquelles dans "
            "la précision), liste d'attente, ou ne prend pas de nouveaux patients. Vide : on ne sait pas.",
        ),
        checked=(
            "Nouveaux patients : date de la réponse",
            "Le jour où le cabinet l'a dit, au format AAAA-MM-JJ : 2026-11-02. Après 3 mois, le site affiche "
            "« à vérifier ».",
        ),
        detail=(
            "Nouveaux patients : précision",
            "Une phrase courte : « Seulement les enfants. », « Seulement les habitants de Redon. », "
            "« Attente de 6 mois environ. »",
        ),
    ),
    "AgeRange": _catalog(
        min=("Âge minimum", "L'âge le plus jeune accueilli, en années : 11."),
        max=("Âge maximum", "L'âge le plus élevé accueilli, en années : 25."),
    ),
    "Accessibility": _catalog(
        wheelchair=("Accès en fauteuil roulant", "Accessible, en partie accessible, ou non accessible."),
        acceslibre=("Fiche acceslibre", "L'adresse de la fiche du lieu sur acceslibre.beta.gouv.fr."),
        details=("Précisions sur l'accessibilité", "Parking, ascenseur, boucle magnétique..."),
    ),
    "Notice": _catalog(
        kind=("Type d'information", "Fermeture, horaires modifiés, ou message."),
        start=("Début", "Le premier jour concerné, au format AAAA-MM-JJ."),
        end=("Fin", "Le dernier jour concerné, au format AAAA-MM-JJ."),
        show_from=(
            "Afficher à partir du",
            "Pour annoncer l'information à l'avance : le jour où l'afficher, AAAA-MM-JJ.",
        ),
        message=("Message", "Ce que les habitants doivent savoir, en une ou deux phrases simples."),
        opening_hours=("Horaires pendant cette période", "Pour des horaires modifiés, dans la syntaxe opening_hours."),
    ),
    "Link": _catalog(
        title=("Titre du lien", "Où mène le lien : « La C2S sur ameli.fr »."),
        url=("Adresse", "L'adresse de la page, commençant par https://."),
    ),
    "Professional": _catalog(
        referral=(
            "Comment orienter",
            "Comment un professionnel oriente une personne : « Fiche de liaison par courriel, puis appel du "
            "secrétariat ».",
        ),
        referral_form=(
            "Fiche de liaison",
            "L'adresse de la fiche de liaison ou d'orientation, commençant par https://.",
        ),
        delay=("Délai habituel", "Le délai habituel avant d'être reçu : « Sous 15 jours »."),
        phone=("Ligne des professionnels", "Le numéro réservé aux professionnels : 01 99 00 12 34."),
        email=(
            "Courriel des professionnels",
            "L'adresse à laquelle les professionnels écrivent : partenaires@example.org.",
        ),
        ask_for=(
            "Fonction à demander",
            "La fonction à demander : « secrétariat », « assistante sociale de permanence ». Jamais le nom "
            "d'une personne : la fonction reste vraie quand la personne part.",
        ),
        networks=(
            "Réseaux",
            "Les réseaux dont la structure fait partie, par leur identifiant sous « networks » dans territory.yml.",
        ),
        notes=(
            "Notes pour les partenaires",
            "Ce que les partenaires doivent savoir : « Pas d'accueil sans rendez-vous ».",
        ),
    ),
    "HeldBy": _catalog(
        service=(
            "Tenue par le lieu",
            "L'identifiant du lieu qui tient la permanence : accueil-assurance-maladie-redon.",
        ),
        organization=(
            "Tenue par l'organisme",
            "Le nom de l'organisme, s'il n'a pas de fiche : « Association Exemple ».",
        ),
    ),
    "Location": _catalog(
        service=("Lieu d'accueil", "L'identifiant du lieu qui accueille la permanence, s'il a une fiche."),
        name=("Nom du lieu", "Sinon, le nom du lieu : « Mairie – salle du conseil »."),
        address=("Adresse du lieu", "L'adresse du lieu, s'il n'a pas de fiche."),
        latitude=("Latitude du lieu", "En degrés décimaux : 47.8093."),
        longitude=("Longitude du lieu", "En degrés décimaux : -1.9462."),
    ),
    "Service": {
        **_catalog(
            name=("Nom", "Le nom que les habitants connaissent : « PASS de l'hôpital »."),
            category=("Catégorie", "La catégorie du lieu, par son identifiant dans taxonomy.yml : msp, pass, cmp..."),
            other_categories=("Autres catégories", "D'autres catégories où le lieu doit aussi apparaître."),
            organization=("Organisme gestionnaire", "Qui gère le lieu : « Centre hospitalier », « Mairie »."),
            summary=("Résumé", "Une phrase simple qui dit à quoi sert le lieu."),
            description=("Description", "Ce que fait le lieu, en mots simples et en phrases courtes."),
            address=("Adresse", "L'adresse du lieu."),
            latitude=("Latitude", "En degrés décimaux, sur openstreetmap.org : 47.6512."),
            longitude=("Longitude", "En degrés décimaux, sur openstreetmap.org : -2.0829."),
            website=("Site web", "L'adresse du site, commençant par https://."),
            opening_hours=(
                "Horaires",
                "Dans la syntaxe opening_hours d'OpenStreetMap : « Mo-Fr 08:30-12:00,13:30-17:00; PH off » "
                "(du lundi au vendredi, fermé les jours fériés). Jours : Mo Tu We Th Fr Sa Su.",
            ),
            age=("Âges accueillis", "L'âge minimum et maximum, si le lieu accueille seulement certains âges."),
            accessibility=("Accessibilité", "L'accès en fauteuil roulant et les autres aménagements."),
            conditions=("Conditions", "Qui peut venir, s'il y a des conditions."),
            documents=("Documents à apporter", "Ce qu'il faut apporter : « Carte Vitale ou attestation de droits »."),
            accepts_new_patients=(
                "Nouveaux patients",
                "Pour un cabinet (médecin, dentiste...) : s'il prend de nouveaux patients, et le jour où il l'a dit.",
            ),
        ),
        **_OFFER,
        **_PROVENANCE,
    },
    "Permanence": {
        **_catalog(
            name=("Nom", "Le nom de la permanence : « Permanence de l'Assurance Maladie à la mairie »."),
            held_by=("Tenue par", "Qui tient la permanence : un lieu qui a sa fiche, ou un organisme."),
            location=("Lieu", "Où elle a lieu : un lieu qui a sa fiche, ou un nom et une adresse."),
            description=("Description", "Pourquoi venir, en mots simples."),
            categories=("Catégories", "Les catégories de lieux où la permanence doit apparaître."),
            schedule=(
                "Dates et horaires",
                "Dans la syntaxe opening_hours : « Tu[2] 09:00-12:00; PH off » (le 2e mardi du mois, "
                "sauf jours fériés), « Fr[-1] 14:00-16:00 » (le dernier vendredi).",
            ),
            valid_from=("Depuis le", "Le premier jour de la permanence, au format AAAA-MM-JJ."),
            valid_until=("Jusqu'au", "Le dernier jour de la permanence, au format AAAA-MM-JJ."),
            cancelled=("Séances annulées", "Les dates des séances annulées, au format AAAA-MM-JJ."),
        ),
        **_OFFER,
        **_PROVENANCE,
    },
    "Dispositif": {
        **_catalog(
            name=("Nom", "Le nom du dispositif : « Complémentaire santé solidaire »."),
            short_name=("Nom court", "Le sigle, s'il y en a un : C2S."),
            scope=("Portée", "National (partout en France) ou local (ce territoire seulement)."),
            summary=("Résumé", "Une phrase simple qui dit ce que c'est."),
            benefits=("Ce que ça apporte", "Ce que la personne obtient, en mots simples."),
            eligibility=("Pour qui", "Qui peut en bénéficier, en mots simples."),
            steps=("Démarches", "Comment le demander, une étape par ligne."),
            documents=("Documents à fournir", "Les pièces à fournir, une par ligne."),
            cost=("Coût", "Ce que ça coûte, s'il y a un coût."),
            links=("Liens officiels", "Les pages officielles (ameli.fr, service-public.fr), avec leur titre."),
            categories=(
                "Lieux qui aident",
                "Les catégories de lieux qui aident à le demander : france-services, ccas...",
            ),
            guides=("Guides", "Les guides à lire, par le nom de leur fichier dans content/."),
            easy=(
                "Facile à lire",
                "La version « Facile à lire » : des phrases courtes, une idée par ligne, chacune avec un pictogramme "
                "si besoin.",
            ),
        ),
        **_PROVENANCE,
    },
    "EasyStep": _catalog(
        text=("Phrase", "Une phrase courte, avec des mots courants : « Vous ne payez rien. »."),
        icon=(
            "Pictogramme",
            "Le pictogramme à côté de la phrase : free, appointment, no-appointment, documents, phone, "
            "address, interpreter, wheelchair, emergency ou hours.",
        ),
    ),
    # Pathways are written in YAML only; their JSON Schema uses these (editor/schema.py).
    "Answer": _catalog(
        label=("Réponse", "La réponse comme la personne la dirait : « Oui », « Je ne sais pas »."),
        next=("Étape suivante", "L'identifiant de la question suivante, ou d'une issue du parcours."),
    ),
    "Question": _catalog(
        question=("Question", "Une question courte : « Avez-vous une carte Vitale ? »."),
        help=("Aide", "Une phrase qui aide à répondre."),
        answers=("Réponses", "De deux à cinq réponses, chacune avec l'étape qui suit."),
        easy=(
            "Facile à lire",
            "La version « Facile à lire » : des phrases courtes, une idée par ligne, chacune avec un pictogramme "
            "si besoin.",
        ),
    ),
    "Outcome": _catalog(
        title=("Que faire", "Ce qu'il faut faire : « Demandez la Complémentaire santé solidaire »."),
        advice=("Conseils", "Des conseils simples : des phrases courtes, une idée par phrase."),
        call=("Numéros à appeler", "Les numéros à appeler tout de suite : 15, 112."),
        dispositifs=("Dispositifs", "Les droits qui s'appliquent, par leur identifiant : css, ame..."),
        categories=("Catégories de lieux", "Les sortes de lieux qui aident, par leur identifiant dans taxonomy.yml."),
        documents=("Documents à apporter", "Ce qu'il faut apporter, un document par ligne."),
        guides=("Guides", "Les guides à lire, par le nom de leur fichier dans content/."),
        new_patients=(
            "Lien « Qui prend de nouveaux patients ? »",
            "true pour mettre le lien vers la liste des cabinets qui prennent de nouveaux patients "
            "(celle de la commune, sur la page d'une commune).",
        ),
        easy=(
            "Facile à lire",
            "La version « Facile à lire » : des phrases courtes, une idée par ligne, chacune avec un pictogramme "
            "si besoin.",
        ),
    ),
    "Pathway": {
        **_catalog(
            label=("Situation", "La situation, pour la tuile de l'accueil : « Je n'ai pas de médecin traitant »."),
            summary=("Résumé", "Une phrase qui dit à qui s'adresse ce parcours."),
            order=("Ordre", "La place sur la page d'accueil : le plus petit nombre vient en premier."),
            emergency=("Urgence", "true pour afficher « en danger : appelez le 15 ou le 112 » sur chaque page."),
            start=("Première question", "L'identifiant de la première question."),
            questions=("Questions", "Les questions, chacune sous son identifiant."),
            outcomes=("Issues", "Les issues du parcours, chacune sous son identifiant."),
            guides=("Guides", "Les guides à lire, par le nom de leur fichier dans content/."),
        ),
        **_PROVENANCE,
    },
}


def field_help(model: type[BaseModel], field: str) -> FieldHelp:
    """The French label and help of `field` of `model`; KeyError names what the catalog lacks."""
    for cls in model.__mro__:
        fields = HELP.get(cls.__name__)
        if fields is not None and field in fields:
            return fields[field]
    raise KeyError(f"no French label for {model.__name__}.{field}: add it to generator/records/fields.py")
