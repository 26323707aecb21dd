"""The report's words and numbers as a French reader expects them: labels of every column
and every term of the vocabulary, numbers grouped with a no-break space (``1 020``),
percentages with a space before the sign (``12 %``), a decimal comma, dates with the
month's name; a suppressed figure reads « secret statistique », never 0 or blank."""

from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from ..disclosure.suppression import SUPPRESSED

LOCALE = "fr_FR"
SECRET = "secret statistique"

LABELS = {
    # columns
    "year": "Année", "as_of": "Au", "region": "Région", "name": "Nom", "departement": "Département",
    "peer_workers": "Travailleurs pairs", "share_of_peer_workers": "Part des travailleurs pairs",
    "partner_structures": "Structures partenaires", "employed_peer_workers": "Travailleurs pairs employés",
    "departements_covered": "Départements couverts", "requests": "Demandes", "open": "En cours",
    "step": "Étape", "accompaniments": "Accompagnements", "kind": "Type", "audience": "Public",
    "sessions": "Sessions", "participants": "Participants", "hours": "Heures",
    "accompaniments_opened": "Demandes d'accompagnement", "trainings_delivered": "Sessions de formation",
    "training_participants": "Participants aux formations", "networks": "Réseaux", "meetings": "Rencontres",
    "peer_worker_participants": "Travailleurs pairs participants", "other_participants": "Autres participants",
    "domain": "Domaine d'intervention", "sector": "Secteur",
    # sectors (and domains of the same name)
    "shelter_housing": "Hébergement, logement", "mental_health": "Santé mentale", "addiction": "Addictions",
    "disability": "Handicap", "employment_insertion": "Emploi, insertion", "culture": "Culture",
    "other": "Autre", "precarity_homelessness": "Précarité, sans-abrisme", "violence": "Violences",
    # the accompaniment's steps and outcomes
    "request": "Demande reçue", "team_awareness": "Sensibilisation de l'équipe",
    "readiness_assessed": "Capacité d'accueil évaluée", "representations_discussed": "Représentations travaillées",
    "missions_defined": "Missions définies", "job_description_drafted": "Fiche de poste rédigée",
    "recruitment_opened": "Recrutement ouvert", "peer_worker_hired": "Travailleur pair recruté",
    "onboarding_supported": "Prise de poste accompagnée", "follow_up_meeting": "Rencontre de suivi",
    "hired": "Clos : recrutement", "postponed": "Clos : reporté", "abandoned": "Clos : abandonné",
    "redirected": "Clos : réorienté",
    # trainings
    "awareness_for_professionals": "Sensibilisation des professionnels",
    "training_for_professionals": "Formation des professionnels",
    "peer_worker_training": "Formation des travailleurs pairs",
    "university_diploma_support": "Accompagnement au diplôme universitaire",
    "collective_peer_meeting": "Rencontre collective de pairs",
    "professionals": "Professionnels", "mixed": "Mixte",
    # places
    "National networks": "Réseaux nationaux",
}


def label(term: str) -> str:
    return LABELS.get(term, term)


def number(value: Any) -> str:
    """A figure as the page shows it: ``1 020``, ``2,5``, or « secret statistique »."""
    if value == SUPPRESSED:
        return SECRET
    if value is None:
        return "–"
    return format_decimal(value, locale=LOCALE)


def count(value: Any, one: str, many: str) -> str:
    """``1 structure partenaire``, ``150 structures partenaires`` (French: 0 and 1 singular)."""
    word = one if value != SUPPRESSED and value in (0, 1) else many
    return f"{number(value)} {word}"


def percent(value: Any) -> str:
    """A share (0.1234) as ``12 %``."""
    if value == SUPPRESSED:
        return SECRET
    return format_percent(value, locale=LOCALE)


def spreadsheet_number(value: Any) -> str:
    """A figure in a CSV: a decimal comma and no grouping, so that French Excel reads a number."""
    if value == SUPPRESSED:
        return SECRET
    if isinstance(value, float):
        return format_decimal(value, locale=LOCALE, group_separator=False, decimal_quantization=False)
    return "" if value is None else str(value)


def day(value: date) -> str:
    """``31 décembre 2022``."""
    return format_date(value, "d MMMM y", locale=LOCALE)
