"""What the workbook says to coordinators, in French: sheet names, notes, the instructions."""

from __future__ import annotations

#: One sheet per record kind, by the folder of the directory it mirrors.
KIND_SHEETS = {"services": "Services", "permanences": "Permanences", "dispositifs": "Dispositifs"}
INSTRUCTIONS = "Mode d'emploi"
COMMUNES = "Communes"
CATEGORIES = "Catégories"
PUBLICS = "Publics"
LISTS = "Listes"
FINGERPRINTS = "Empreintes"

ID_HEADER = "Identifiant"
ID_NOTE = (
    "Le nom du fichier de la fiche (sans .yml). Ne le changez pas : c'est lui qui relie la ligne à sa fiche. "
    "Pour une nouvelle fiche, laissez-le vide : il sera fait à partir du nom."
)
YAML_ONLY_HEADER = "Seulement dans le fichier YAML"
YAML_ONLY_NOTE = (
    "Ce que la fiche contient et que le tableur ne peut pas montrer (informations temporaires...). "
    "Pour information seulement : l'import n'y touche jamais, modifiez-le dans le fichier YAML."
)
LIST_SEPARATOR_NOTE = (
    "Plusieurs valeurs : une par ligne dans la cellule (Alt+Entrée dans Excel, Ctrl+Entrée dans LibreOffice)."
)
LOCATION_SUFFIX = " (lieu)"
AREA_ALL = "Tout le territoire"
BOOLEANS = {True: "oui", False: "non"}
NEW_RECORD_HEADER = ("Fiche créée par l'import d'un tableur (python -m generator sheet import).",)

#: Notes for the columns whose catalog help (records/fields.py) speaks of YAML codes where the
#: sheet shows names, by the column's kind: the header stays the catalog's label.
SHEET_NOTES = {
    "commune": "La commune, à choisir dans la liste (feuille « Communes »).",
    "area": "« Tout le territoire », ou les communes servies, une par ligne, par leur nom (feuille « Communes »). "
    "Vide : sa propre commune.",
    "ref:categories": "La catégorie du lieu, à choisir dans la liste (feuille « Catégories »).",
    "refs:categories": "Des catégories, une par ligne, par leur nom (feuille « Catégories »).",
    "refs:publics": "Les publics accueillis en priorité, un par ligne, par leur nom (feuille « Publics »).",
    "refs:dispositifs": "Les droits pour lesquels on aide, un par ligne, par leur identifiant "
    "(colonne « Identifiant » de la feuille « Dispositifs ») : css, ame, puma...",
    "ref:services": "L'identifiant d'un lieu qui a sa fiche (colonne « Identifiant » de la feuille « Services »).",
    "phones": "Un numéro par ligne, avec son usage après « : » (espace, deux-points, espace) : "
    "« 01 99 00 12 34 : Rendez-vous ». Les traductions de l'usage restent dans le fichier YAML.",
    "links": "Un lien par ligne, l'adresse d'abord, puis « : » et son titre : "
    "« https://www.ameli.fr/... : La C2S sur ameli.fr ». Les traductions des titres restent dans le fichier YAML.",
    "bool": "oui ou non (vide : on ne sait pas).",
    "codes:languages": "Les langues parlées sur place, une par ligne, en codes à deux lettres : fr, en, ar...",
}

#: The French names of the enumerations that have no label for residents.
SCOPE_LABELS = {"national": "National (partout en France)", "local": "Local (ce territoire seulement)"}

LIST_HEADERS = {
    "appointment": "Rendez-vous",
    "cost": "Coût",
    "interpreting": "Interprétariat",
    "wheelchair": "Accès en fauteuil roulant",
    "new_patients": "Nouveaux patients",
    "scope": "Portée",
    "bool": "Oui ou non",
}

#: What only the YAML files hold, by key: the sheets say so, and the import never touches it.
YAML_ONLY = {"notices": "Informations temporaires", "professional": "Pour les professionnels"}


def instructions(languages: list[str], language_names: dict[str, str]) -> list[str]:
    """The first sheet: one paragraph per row, plain French."""
    names = ", ".join(f"{language_names[code]} ({code})" for code in languages)
    return [
        "Mode d'emploi de ce tableur",
        "",
        "Ce classeur contient les fiches de l'annuaire : une ligne par fiche. Modifiez les cellules, "
        "enregistrez le fichier au même format (.xlsx ou .ods), puis importez-le avec la commande : "
        "python -m generator sheet import FICHIER",
        "L'import vérifie tout avec les mêmes règles que « check ». S'il trouve une erreur, il ne change "
        "aucun fichier et dit où elle est : feuille, ligne et colonne. Sinon il ne change, dans chaque fiche, "
        "que les valeurs modifiées : le reste du fichier YAML (commentaires, ordre, mise en forme) ne bouge pas.",
        "",
        "Les feuilles",
        f"« {KIND_SHEETS['services']} » : les lieux où l'on peut aller (maisons de santé, PASS, CCAS...).",
        f"« {KIND_SHEETS['permanences']} » : les permanences tenues à date fixe dans un lieu d'accueil.",
        f"« {KIND_SHEETS['dispositifs']} » : les droits et programmes (C2S, AME, M'T dents...).",
        f"« {COMMUNES} », « {CATEGORIES} », « {PUBLICS} » et « {LISTS} » : les listes où choisir. "
        "Ne les modifiez pas ici : elles viennent de territory.yml et taxonomy.yml.",
        f"« {FINGERPRINTS} » (feuille masquée) : l'empreinte de chaque fiche au moment de l'export. "
        "Ne la modifiez pas : elle sert à ne jamais effacer une modification faite entre-temps dans un fichier.",
        "",
        "Remplir les cellules",
        "Chaque en-tête de colonne porte une note : passez la souris dessus pour savoir quoi écrire.",
        "Plusieurs valeurs dans une cellule (téléphones, coûts, documents, communes...) : une valeur par ligne. "
        "Pour aller à la ligne dans une cellule : Alt+Entrée dans Excel, Ctrl+Entrée dans LibreOffice.",
        "Un téléphone par ligne, avec son usage après « : » (espace, deux-points, espace) : "
        "« 01 99 00 12 34 : Secrétariat ». Un lien officiel par ligne, l'adresse d'abord : "
        "« https://www.ameli.fr/... : La C2S sur ameli.fr ».",
        "Les horaires restent sur une ligne, dans la syntaxe opening_hours : "
        "« Mo-Fr 08:30-12:00,13:30-17:00; PH off ». Son « ; » n'est pas un séparateur de valeurs.",
        "Les dates : AAAA-MM-JJ (2026-11-20) ou une date du tableur. Oui ou non : « oui », « non ». "
        "Les communes, catégories et publics : par leur nom, dans la liste déroulante.",
        f"Les textes traduits ont une colonne par langue du portail : {names}. "
        "Une cellule vide dans une langue : pas de traduction, le site montre le français.",
        "Une cellule que vous videz retire la valeur de la fiche (l'import le dit).",
        "",
        "Ajouter, retirer",
        "Nouvelle fiche : remplissez une ligne vide, sans identifiant. Le fichier est nommé d'après le nom.",
        "Supprimer une ligne ne supprime pas la fiche : l'import la signale et la garde. Pour retirer une fiche, "
        "supprimez son fichier YAML.",
        "Ne changez pas les identifiants, les noms des feuilles ni les en-têtes des colonnes.",
        "",
        "Ce qui reste dans les fichiers YAML",
        "Les informations temporaires (fermetures, horaires modifiés, messages datés), les parcours "
        "d'orientation (dossier pathways/), le territoire et les catégories (territory.yml, taxonomy.yml), "
        "les traductions de l'usage des téléphones et des titres des liens. La colonne « "
        f"{YAML_ONLY_HEADER} » dit ce qu'une fiche contient de plus ; l'import n'y touche jamais.",
    ]
