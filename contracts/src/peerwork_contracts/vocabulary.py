"""Closed lists shared by the write services and every subscriber.

Standard library only, so that domain code can use them without pulling a framework in.
Adding a member is a compatible change; renaming or removing one needs a new schema version.
"""

from enum import StrEnum


class Sector(StrEnum):
    """Field of activity of a partner structure."""

    SHELTER_HOUSING = "shelter_housing"
    MENTAL_HEALTH = "mental_health"
    ADDICTION = "addiction"
    DISABILITY = "disability"
    EMPLOYMENT_INSERTION = "employment_insertion"
    CULTURE = "culture"
    OTHER = "other"


class InterventionDomain(StrEnum):
    """Domain of intervention (champ d'intervention) of a peer worker."""

    MENTAL_HEALTH = "mental_health"
    DISABILITY = "disability"
    PRECARITY_HOMELESSNESS = "precarity_homelessness"
    ADDICTION = "addiction"
    VIOLENCE = "violence"
    OTHER = "other"
